"""The sparse MIP model and the LP bound, checked against the independent brute force.

The model must accept exactly the plans the brute force accepts (all of H1-H8 at once, on random
plans of random tiny problems), value them the same, and any multipliers must give a bound no
lower than the brute-force optimum.
"""

from __future__ import annotations

import random

import numpy as np
import pytest

from matcher.problem.arrays import Problem
from matcher.problem.solution import Funding, Solution
from solvers.linear_model import ChangeLimit, build_linear_model, servable_needs
from solvers.lp_bound import solve_lp
from tests.solvers import brute_force as bf
from tests.solvers.test_cpsat import RANDOM_SEEDS, _brute, _contract, tiny_random_problem

TOL = 1e-6


def random_plan(problem: Problem, rng: random.Random) -> Solution:
    """A random plan over the model's arcs: each servable need by a random arc or nobody,
    funded from its pools in a random order, and random pairings."""
    servable = servable_needs(problem)
    need_provider = np.full(problem.n_needs, -1, dtype=np.int64)
    funding: list[Funding] = []
    for n in range(problem.n_needs):
        arcs = list(problem.arcs_of(n))
        if not servable[n] or not arcs or rng.random() < 0.3:
            continue
        need_provider[n] = problem.arc_provider[rng.choice(arcs)]
        rest = int(problem.need_cost[n])
        pools = problem.pools_of(n).tolist()
        rng.shuffle(pools)
        for q in pools:
            pay = min(rest, int(problem.pool_limit[q]))
            if pay > 0:
                funding.append(Funding(n, int(q), pay))
                rest -= pay
    pairings = tuple(
        (int(c), int(v))
        for c, v in zip(problem.pair_cadre, problem.pair_village, strict=True)
        if rng.random() < 0.4
    )
    return Solution(need_provider, tuple(funding), pairings)


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_model_accepts_exactly_the_plans_the_rules_accept(seed: int) -> None:
    """On 30 random plans of each tiny problem: the model's violation is 0 exactly when the
    brute force finds no broken rule, and then the model's objective is the brute force's."""
    problem = tiny_random_problem(seed)
    model = build_linear_model(problem)
    rng = random.Random(seed)
    kept = broken = 0
    for _ in range(30):
        plan = random_plan(problem, rng)
        v = model.vector(problem, plan)
        rules_ok = bf.violations(problem, plan) == []
        assert (model.violation(v) <= TOL) == rules_ok, bf.violations(problem, plan)
        if rules_ok:
            kept += 1
            assert model.objective(v) == pytest.approx(bf.objective(problem, plan), abs=TOL)
            back = model.solution(problem, v)
            assert (back.need_provider == plan.need_provider).all()
            assert set(back.pairings) == set(plan.pairings)
        else:
            broken += 1
    assert kept + broken == 30


def test_random_plans_both_keep_and_break_rules() -> None:
    """The property above is not vacuous: across the problems both outcomes occur often."""
    kept = broken = 0
    for seed in RANDOM_SEEDS:
        problem = tiny_random_problem(seed)
        rng = random.Random(seed)
        for _ in range(30):
            plan = random_plan(problem, rng)
            ok = bf.violations(problem, plan) == []
            kept += ok
            broken += not ok
    assert kept >= 100 and broken >= 100


@pytest.mark.parametrize("seed", RANDOM_SEEDS)
def test_lp_bound_is_an_upper_bound(seed: int) -> None:
    """The LP bound is at least the brute-force optimum, and so is the safe bound of random
    multipliers (the bound is valid for any duals, not only optimal ones)."""
    problem = tiny_random_problem(seed)
    best = _brute(seed)
    model = build_linear_model(problem)
    lp = solve_lp(problem, model)
    if best is None:
        return
    assert lp.converged and not lp.infeasible
    assert lp.bound >= best.objective - TOL
    assert lp.bound == pytest.approx(lp.lp_objective, rel=1e-7, abs=1e-6)
    rng = np.random.default_rng(seed)
    for _ in range(5):
        duals = rng.normal(0.0, 100.0, model.n_rows)
        assert model.dual_bound(duals) >= best.objective - TOL


def test_lp_bound_of_the_contract_example() -> None:
    """The contract's optimum 4571.67 is below its LP bound, and the bound is not loose."""
    problem = _contract()
    lp = solve_lp(problem, build_linear_model(problem))
    assert 4571.666 - TOL <= lp.bound <= 4571.667 * 1.2


def test_infeasible_pinned_need_makes_the_lp_infeasible() -> None:
    """A problem the brute force finds no plan for, through a pinned need, is LP-infeasible."""
    seeds = [s for s in RANDOM_SEEDS if _brute(s) is None]
    assert seeds
    flagged = 0
    for seed in seeds:
        problem = tiny_random_problem(seed)
        lp = solve_lp(problem, build_linear_model(problem))
        flagged += lp.infeasible
    assert flagged >= 1


def test_change_limit_row_counts_changes() -> None:
    """With a limit of K changes from a previous plan, a plan with more changes breaks the
    model and one with at most K keeps it."""
    for seed in RANDOM_SEEDS:
        problem = tiny_random_problem(seed)
        best = _brute(seed)
        if best is None or (best.need_provider >= 0).sum() < 2:
            continue
        model0 = build_linear_model(problem)
        rng = random.Random(seed)
        previous = random_plan(problem, rng)
        if model0.violation(model0.vector(problem, previous)) > TOL:
            continue
        plan = random_plan(problem, rng)
        if model0.violation(model0.vector(problem, plan)) > TOL:
            continue
        changes = plan.changes_from(previous)
        ok = build_linear_model(problem, change_limit=ChangeLimit(previous, changes))
        assert ok.violation(ok.vector(problem, plan)) <= TOL
        if changes > 0:
            tight = build_linear_model(problem, change_limit=ChangeLimit(previous, changes - 1))
            assert tight.violation(tight.vector(problem, plan)) >= 1 - TOL
        return
    pytest.fail("no problem with two feasible random plans")
