"""The greedy solver: a valid plan by construction, never above the optimum."""

from __future__ import annotations

import pytest

from matcher.problem.compile import compile_problem
from matcher.problem.score import score
from matcher.problem.solution import SolveParams
from matcher.scenario import Scenario
from solvers.greedy import GreedySolver, build_greedy

from . import brute_force as bf
from .test_cpsat import RANDOM_SEEDS, TOL, _brute, tiny_random_problem


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_greedy_keeps_the_rules_and_never_beats_the_optimum(seed: int) -> None:
    """On the random tiny problems the greedy plan breaks no rule (unless it could not fit a
    pinned need, which it then reports as an error) and scores at most the brute-force optimum;
    its claimed objective is the array score."""
    problem = tiny_random_problem(seed)
    result = GreedySolver().solve(problem, SolveParams())
    assert result.claimed_objective == pytest.approx(score(problem, result.solution), abs=TOL)
    problems = bf.violations(problem, result.solution)
    if result.status == "error":
        assert result.stats["pinned_not_served"] > 0
        return
    assert problems == []
    best = _brute(seed)
    assert best is not None, "greedy found a plan where brute force proves there is none"
    assert bf.objective(problem, result.solution) <= best.objective + TOL


def test_greedy_serves_pinned_needs_and_keeps_existing_pairings(tiny: Scenario) -> None:
    """The contract county: N8 is pinned to O1 and served by it; C1-V1 and C3-V3 are kept."""
    problem = compile_problem(tiny)
    state = build_greedy(problem)
    n8 = problem.need_ids.index("N8")
    assert problem.provider_ids[int(state.need_provider[n8])] == "O1"
    kept = {(problem.provider_ids[c], problem.village_ids[v]) for c, v in state.pairings}
    assert {("C1", "V1"), ("C3", "V3")} <= kept


def test_greedy_funds_restricted_pools_first(tiny: Scenario) -> None:
    """N2 (child care in west V2) is admitted only by P-west; N1 (agri_tech in east V1) only by
    P-agri: each is paid by the one pool that admits it, in whole yuan, in full."""
    problem = compile_problem(tiny)
    state = build_greedy(problem)
    paid = {(problem.need_ids[f.need], problem.pool_ids[f.pool]): f.amount for f in state.funding}
    assert paid[("N1", "P-agri")] == 3000
    assert paid[("N2", "P-west")] == 800
