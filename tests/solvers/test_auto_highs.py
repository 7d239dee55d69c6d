"""The scalable ``auto`` solver and the ``highs`` MIP: optimal on tiny problems (brute force),
bounds that are bounds, stop, progress, determinism by rounds, re-planning and repair."""

from __future__ import annotations

import functools
import threading
from dataclasses import replace

import numpy as np
import pytest

from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.problem.arrays import Problem
from matcher.problem.compile import compile_problem
from matcher.problem.solution import Progress, Solution, SolveParams
from solvers.auto import AutoSolver
from solvers.greedy import build_greedy
from solvers.highs import HighsSolver
from solvers.linear_model import ChangeLimit, LinearModel, build_linear_model
from solvers.repair import keepable_limit, repair
from tests.solvers import brute_force as bf
from tests.solvers.test_cpsat import RANDOM_SEEDS, _brute, tiny_random_problem

TOL = 1e-6


@functools.cache
def county(villages: int = 80, needs: int = 1000, seed: int = 3) -> Problem:
    """A generated county with more columns than ``auto``'s small-model threshold."""
    raw = generate_scenario(villages=villages, needs=needs, seed=seed)
    return compile_problem(parse_scenario(raw).scenario)


def _params(**kwargs: object) -> SolveParams:
    return replace(SolveParams(time_limit=10.0, seed=0, workers=2), **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("solver", [AutoSolver(), HighsSolver()], ids=["auto", "highs"])
@pytest.mark.parametrize("seed", RANDOM_SEEDS[:20])
def test_optimal_on_tiny_problems(solver: AutoSolver | HighsSolver, seed: int) -> None:
    """On tiny random problems both solvers find the brute-force optimum, prove it (status
    optimal), keep every rule, and report a bound at least the optimum; with no plan possible
    they say infeasible."""
    problem = tiny_random_problem(seed)
    best = _brute(seed)
    result = solver.solve(problem, _params())
    if best is None:
        assert result.status == "infeasible"
        return
    assert bf.violations(problem, result.solution) == []
    assert bf.objective(problem, result.solution) == pytest.approx(best.objective, abs=TOL)
    assert result.status == "optimal", result.stats
    assert result.bound is not None and result.bound >= best.objective - TOL


def test_auto_beats_greedy_and_stays_below_its_bound() -> None:
    """On a generated county: the plan keeps every rule, is no worse than greedy, is below its
    own proven bound, and the first plan came before the LP."""
    problem = county()
    events: list[Progress] = []
    result = AutoSolver().solve(problem, _params(time_limit=6.0, on_progress=events.append))
    assert bf.violations(problem, result.solution) == []
    greedy = bf.objective(problem, build_greedy(problem).solution())
    value = bf.objective(problem, result.solution)
    assert value >= greedy - TOL
    assert result.bound is not None and value <= result.bound + TOL
    assert events[0].message == "greedy plan" and events[0].bound is None
    assert any(e.bound is not None for e in events)
    assert [e.objective for e in events] == sorted(e.objective for e in events)
    assert result.stats["columns"] > 20_000  # the LNS path, not the small-model one


def test_auto_stop_keeps_the_best_plan() -> None:
    """A stop set after the first improvement ends the run early with status stopped and the
    best plan so far, which keeps every rule."""
    problem = county()
    stop = threading.Event()
    seen: list[float] = []

    def on_progress(event: Progress) -> None:
        seen.append(event.objective)
        if event.message == "LP bound":
            stop.set()

    result = AutoSolver().solve(
        problem, _params(time_limit=60.0, on_progress=on_progress, stop=stop)
    )
    assert result.status == "stopped"
    assert result.seconds < 30
    assert bf.violations(problem, result.solution) == []
    assert bf.objective(problem, result.solution) == pytest.approx(max(seen), abs=TOL)


def test_same_seed_and_rounds_give_the_same_plan() -> None:
    """With a round limit, two runs with one seed and worker count give the same plan."""
    problem = county()
    params = _params(time_limit=120.0, rounds=3, seed=5)
    a = AutoSolver().solve(problem, params)
    b = AutoSolver().solve(problem, params)
    assert a.stats["lns_rounds"] == b.stats["lns_rounds"] == 3
    assert (a.solution.need_provider == b.solution.need_provider).all()
    assert a.solution.pairings == b.solution.pairings
    assert a.solution.funding == b.solution.funding


def test_highs_keeps_the_rules_on_a_county() -> None:
    """The full HiGHS MIP on a county returns a rule-keeping plan at least as good as greedy."""
    problem = county()
    result = HighsSolver().solve(problem, _params(time_limit=5.0))
    assert result.status in ("feasible", "optimal")
    assert bf.violations(problem, result.solution) == []
    greedy = bf.objective(problem, build_greedy(problem).solution())
    assert bf.objective(problem, result.solution) >= greedy - TOL


def _shrunk(problem: Problem, factor: float) -> Problem:
    return replace(problem, provider_capacity=problem.provider_capacity * factor)


def _assert_repaired_keeping(cut: Problem, model: LinearModel, old: Solution, share: float) -> None:
    """The repair of ``old`` for ``cut`` keeps every rule and at least ``share`` of the old
    plan's assignments."""
    fixed = repair(cut, model, old)
    assert fixed is not None
    plan = model.solution(cut, fixed)
    assert bf.violations(cut, plan) == []
    kept = int(((plan.need_provider == old.need_provider) & (old.need_provider >= 0)).sum())
    assert kept >= share * int((old.need_provider >= 0).sum())


def test_repair_fits_an_old_plan_to_fewer_hours() -> None:
    """A plan made for full hours breaks H4 when hours are cut; the repaired plan keeps every
    rule and keeps most of the old assignments."""
    problem = county()
    old = build_greedy(problem).solution()
    cut = _shrunk(problem, 0.7)
    assert bf.violations(cut, old) != []
    _assert_repaired_keeping(cut, build_linear_model(cut), old, 0.5)


def test_repair_brings_an_overdrawn_pool_back_within_its_amount() -> None:
    """A pool that now holds half of what the old plan drew from it (money spent since, as in
    a re-plan from the register): the repair drops needs it pays for, least valuable first,
    rather than giving up (it once did, for a pool whose needs had several pools, and a change
    limit was then lifted altogether)."""
    problem = county()
    old = build_greedy(problem).solution()
    model = build_linear_model(problem)
    v = model.vector(problem, old)
    assert v is not None
    used = np.bincount(model.f_pool, weights=v[model.f], minlength=len(problem.pool_ids))
    q = int(np.argmax(used))
    assert used[q] > 0, "the county's plan pays some need from several pools"
    amounts = problem.pool_amount.copy()
    amounts[q] = int(used[q]) // 2
    cut = replace(problem, pool_amount=amounts)
    cut_model = build_linear_model(cut)
    assert cut_model.violation(cut_model.vector(cut, old)) > 0
    _assert_repaired_keeping(cut, cut_model, old, 0.8)


def test_repair_gives_up_on_an_unservable_pin() -> None:
    """A previous plan cannot be repaired into one that serves a pin nobody can serve."""
    for seed in RANDOM_SEEDS:
        if _brute(seed) is None:
            problem = tiny_random_problem(seed)
            model = build_linear_model(problem)
            assert repair(problem, model, Solution.empty(problem.n_needs)) is None
            return
    pytest.fail("no infeasible tiny problem")


@pytest.mark.parametrize("solver", [AutoSolver(), HighsSolver()], ids=["auto", "highs"])
def test_replanning_keeps_within_max_changes(solver: AutoSolver | HighsSolver) -> None:
    """Re-planning after hours are cut: at most K assignments and pairings change from the old
    plan, and the plan keeps every rule; with more freedom the objective is no worse."""
    problem = county()
    old = build_greedy(problem).solution()
    cut = _shrunk(problem, 0.8)
    needed = build_linear_model(cut)
    repaired = repair(cut, needed, old)
    assert repaired is not None
    floor = needed.solution(cut, repaired).changes_from(old)
    values = []
    for k in (floor + 5, floor + 60):
        result = solver.solve(cut, _params(time_limit=4.0, hint=old, max_changes=k))
        assert bf.violations(cut, result.solution) == []
        assert result.solution.changes_from(old) <= k
        values.append(bf.objective(cut, result.solution))
    assert values[1] >= values[0] - TOL


def test_zero_changes_returns_the_previous_plan() -> None:
    """A feasible previous plan with max_changes 0 comes back unchanged."""
    problem = county()
    old = build_greedy(problem).solution()
    result = AutoSolver().solve(problem, _params(time_limit=3.0, hint=old, max_changes=0))
    assert (result.solution.need_provider == old.need_provider).all()
    assert set(result.solution.pairings) == set(old.pairings)
    assert np.isfinite(result.bound or 0.0)


@pytest.mark.parametrize("solver", [AutoSolver(), HighsSolver()], ids=["auto", "highs"])
def test_a_change_limit_no_plan_keeps_is_raised_to_what_the_repair_needs(
    solver: AutoSolver | HighsSolver,
) -> None:
    """Hours cut under a previous plan: keeping the rules needs some changes, so max_changes 0
    cannot hold. The solver still returns a plan (once it returned none at all, and a register
    re-plan failed): the limit is raised to the repair's changes, and the stats say so."""
    problem = county()
    old = build_greedy(problem).solution()
    cut = _shrunk(problem, 0.7)
    model = build_linear_model(cut)
    repaired = repair(cut, model, old)
    assert repaired is not None
    needed = model.solution(cut, repaired).changes_from(old)
    assert needed > 0
    result = solver.solve(cut, _params(time_limit=3.0, hint=old, max_changes=0))
    assert result.status in ("feasible", "optimal")
    assert bf.violations(cut, result.solution) == []
    assert result.solution.changes_from(old) <= needed
    assert result.stats["max_changes_raised_to"] == needed
    assert "raised" in str(result.stats["reason"])


def test_a_previous_plan_that_cannot_be_repaired_lifts_the_limit() -> None:
    """No repair, no limit any plan is known to keep: the limit is lifted, and said."""
    problem = county()
    old = Solution.empty(problem.n_needs)  # every need greedy serves is a change from it
    model = build_linear_model(problem, change_limit=ChangeLimit(old, 0))
    lifted, stats = keepable_limit(problem, model, old, None, 0)
    greedy = model.vector(problem, build_greedy(problem).solution())
    assert greedy is not None
    assert model.violation(greedy) > 0  # K = 0 forbids it
    assert lifted.violation(greedy) == 0  # the lifted limit does not
    assert stats["max_changes_lifted"] == 1 and "lifted" in str(stats["reason"])
    same, kept = keepable_limit(problem, model, old, model.vector(problem, old), 0)
    assert same is model and kept == {"repair_changes": 0}


@pytest.mark.parametrize("solver", [AutoSolver(), HighsSolver()], ids=["auto", "highs"])
def test_zero_changes_without_counting_additions_still_serves_new_needs(
    solver: AutoSolver | HighsSolver,
) -> None:
    """The register's churn (``register_changes=True``): with max_changes 0 nothing served
    before moves or is dropped, yet needs the previous plan left unserved may be served, and
    are (counting them, as ``--max-changes`` does, would forbid it)."""
    problem = county()
    full = build_greedy(problem).solution()
    served = np.flatnonzero(full.need_provider >= 0)
    old_providers = full.need_provider.copy()
    old_providers[served[::2]] = -1  # half the greedy plan's needs are "new arrivals"
    model = build_linear_model(problem)
    repaired = repair(problem, model, Solution(old_providers, pairings=full.pairings))
    assert repaired is not None
    old = model.solution(problem, repaired)
    params = _params(time_limit=4.0, hint=old, max_changes=0, register_changes=True)
    result = solver.solve(problem, params)
    kept = old.need_provider >= 0
    assert (result.solution.need_provider[kept] == old.need_provider[kept]).all()
    assert result.solution.changes_from(old, register=True) == 0
    assert result.solution.changes_from(old) > 0  # new needs were served
    assert bf.violations(problem, result.solution) == []
    counted = solver.solve(problem, _params(time_limit=4.0, hint=old, max_changes=0))
    assert (counted.solution.need_provider == old.need_provider).all()


def test_the_registers_change_limit_leaves_pairings_out() -> None:
    """The register publishes assignments, not pairings: its change row holds no pairing
    column, and its measure counts moved and dropped assignments only."""
    problem = county()
    old = build_greedy(problem).solution()
    assert old.pairings
    model = build_linear_model(problem, change_limit=ChangeLimit(old, 5, register=True))
    block = model.row_kind.index("changes")
    row = model.A.tocsr()[model.row_block[block] : model.row_block[block + 1]]
    columns = row.indices
    assert columns.size > 0
    assert not ((columns >= model.y.start) & (columns < model.y.stop)).any()
    plain = build_linear_model(problem, change_limit=ChangeLimit(old, 5))
    plain_row = plain.A.tocsr()[plain.row_block[block] : plain.row_block[block + 1]]
    assert ((plain_row.indices >= plain.y.start) & (plain_row.indices < plain.y.stop)).any()
    unpaired = Solution(old.need_provider.copy(), pairings=())
    dropped = old.need_provider.copy()
    dropped[np.flatnonzero(dropped >= 0)[:3]] = -1
    assert unpaired.changes_from(old, register=True) == 0
    assert unpaired.changes_from(old) == len(set(old.pairings))
    assert Solution(dropped).changes_from(old, register=True) == 3


@pytest.mark.parametrize("seed", RANDOM_SEEDS[:10])
def test_optimal_is_claimed_only_when_proven_despite_large_values(seed: int) -> None:
    """With a large constant added to every need's value (as the GAP benchmark does), a plan
    called optimal is the brute-force optimum: the proof uses an absolute tolerance, not one
    relative to the large objective."""
    base = tiny_random_problem(seed)
    shift = 1e7
    problem = replace(base, need_value=base.need_value + shift, arc_value=base.arc_value + shift)
    best = bf.brute_force(problem)
    result = AutoSolver().solve(problem, _params(time_limit=2.0))
    if best is None:
        assert result.status == "infeasible"
        return
    value = bf.objective(problem, result.solution)
    assert result.bound is not None and result.bound >= best.objective - TOL
    if result.status == "optimal":
        assert value == pytest.approx(best.objective, abs=1e-4)


def test_auto_reports_the_lagrangian_bound_when_it_is_tighter() -> None:
    """Kept: on a valley county, where providers' hours bind on three or four needs each,
    auto's bound is the Lagrangian one (integer knapsacks per provider): below the LP bound it
    keeps in stats, above the plan. Broken: on a hill county, where they bind on more needs,
    it is not tried and the plan says why; nor when it is predicted to cost more than its
    share of the time limit."""
    raw = generate_scenario(villages=60, needs=900, seed=3, terrain="valley")
    valley = compile_problem(parse_scenario(raw).scenario)
    result = AutoSolver().solve(valley, _params(time_limit=None, rounds=2))
    stats = result.stats
    assert result.bound is not None and result.claimed_objective is not None
    assert stats["bound_kind"] == "lagrangian"
    assert float(stats["lagrangian_bound"]) == result.bound < float(stats["lp_bound"])
    assert result.bound >= result.claimed_objective - TOL
    hills = AutoSolver().solve(county(), _params(time_limit=None, rounds=2))
    assert hills.stats["bound_kind"] == "lp" and "lagrangian_bound" not in hills.stats
    assert "needs each in the LP" in str(hills.stats["lagrangian_skipped"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("solvers.auto.LAGRANGIAN_SECONDS_PER_COLUMN", 1.0)
        slow = AutoSolver().solve(valley, _params(time_limit=5.0))
    assert slow.stats["bound_kind"] == "lp" and "lagrangian_bound" not in slow.stats
    assert "time limit" in str(slow.stats["lagrangian_skipped"])
    assert slow.bound == pytest.approx(float(slow.stats["lp_bound"]))
