"""The Lagrangian bound of :mod:`solvers.lagrangian`: never below the MIP optimum (HiGHS with no
gap), whatever the multipliers; at the LP duals never above the LP's safe bound; strictly below
it where a provider's hours cut a need in the LP; and exact on hand-made knapsacks (pinned arcs,
pairing limits, hours off the grid) and on random ones against enumeration."""

from __future__ import annotations

import functools
import importlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path

import highspy
import numpy as np
import pytest
import scipy.sparse as sp

from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.problem.arrays import FloatArray, Problem
from matcher.problem.index import ScenarioIndex
from solvers.highs_backend import add_columns, add_rows, new_highs, run
from solvers.lagrangian import _knapsack, lagrangian, lagrangian_bound
from solvers.linear_model import LinearModel, build_linear_model
from solvers.lp_bound import solve_lp

# The tiny random problems (pinned, blocked and infeasible ones among them) of the CP-SAT tests,
# imported by name: that test module is not written for mypy's strict mode, which would
# otherwise check it along with this one.
tiny_random_problem: Callable[[int], Problem] = importlib.import_module(
    "tests.solvers.test_cpsat"
).tiny_random_problem

TOL = 1e-6
DEMO = Path(__file__).resolve().parents[2] / "scenarios" / "demo-county.json"
INF = float("inf")


def _problem(raw: object) -> Problem:
    return ScenarioIndex.build(parse_scenario(raw).scenario).problem


def _mip_optimum(model: LinearModel, seconds: float | None = None) -> float | None:
    """The model's optimum by HiGHS as a MIP with no gap allowed (None when infeasible); with
    ``seconds``, the best plan's objective found by then (at most the optimum)."""
    if model.n_cols == 0:
        return None if (model.row_lo > 0).any() else model.offset
    h = new_highs()
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("mip_abs_gap", 0.0)
    if seconds is not None:
        h.setOptionValue("time_limit", seconds)
    add_rows(h, model.row_lo, model.row_hi)
    add_columns(h, model.A, model.c, model.col_lo, model.col_hi, model.integral)
    assert run(h)
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    limited = seconds is not None and status == highspy.HighsModelStatus.kTimeLimit
    assert status == highspy.HighsModelStatus.kOptimal or limited
    assert h.getInfo().primal_solution_status == 2  # a feasible plan
    return float(h.getInfo().objective_function_value) + model.offset


def _hand_model(
    c: list[float],
    h4: list[list[float]],
    capacity: list[float],
    h7: list[list[float]] | None = None,
    limit: list[float] | None = None,
    h1: list[list[float]] | None = None,
    col_lo: list[float] | None = None,
    n_x: int | None = None,
) -> LinearModel:
    """A LinearModel over binary columns (the first ``n_x`` arcs, the rest pairings) with rows
    H1 (``<= 1``), H7 (``<= limit``) and H4 (``<= capacity``), dense row by row."""
    n = len(c)
    n_x = n if n_x is None else n_x
    blocks = [("H1", h1 or [], [1.0] * len(h1 or [])), ("H7", h7 or [], limit or [])]
    blocks.append(("H4", h4, capacity))
    dense = [row for _, rows, _ in blocks for row in rows]
    hi = [b for _, _, bounds in blocks for b in bounds]
    starts = np.cumsum([0] + [len(rows) for _, rows, _ in blocks])
    empty = np.zeros(0, dtype=np.int64)
    return LinearModel(
        c=np.asarray(c, dtype=np.float64),
        A=sp.csc_array(np.asarray(dense, dtype=np.float64).reshape(len(dense), n)),
        row_lo=np.full(len(hi), -INF),
        row_hi=np.asarray(hi, dtype=np.float64),
        col_lo=np.asarray(col_lo or [0.0] * n, dtype=np.float64),
        col_hi=np.ones(n),
        integral=np.ones(n, dtype=np.bool_),
        offset=0.0,
        x=slice(0, n_x),
        y=slice(n_x, n),
        f=slice(n, n),
        s=slice(n, n),
        g=slice(n, n),
        x_arc=np.arange(n_x, dtype=np.int64),
        f_need=empty,
        f_pool=empty,
        s_village=empty,
        g_village=empty,
        single_pool=empty,
        row_kind=tuple(kind for kind, _, _ in blocks),
        row_block=starts.astype(np.int64),
    )


def _lp_duals(model: LinearModel) -> FloatArray:
    """Optimal LP duals of a hand-made model (HiGHS, signs as for a maximisation)."""
    h = new_highs()
    add_rows(h, model.row_lo, model.row_hi)
    add_columns(h, model.A, model.c, model.col_lo, model.col_hi)
    assert run(h)
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return np.asarray(h.getSolution().row_dual, dtype=np.float64)


# ------------------------------------------------------------------ hand-made knapsacks


def test_integer_knapsack_is_strictly_below_the_lp_bound() -> None:
    """One provider, 10 hours, three needs of 6 hours worth 1 each: the LP serves 1⅔ needs, the
    Lagrangian bound at the LP duals (and at zero multipliers) is the one need a plan can serve."""
    model = _hand_model([1.0, 1.0, 1.0], [[6.0, 6.0, 6.0]], [10.0])
    duals = _lp_duals(model)
    lp_bound = model.dual_bound(duals)
    assert lp_bound == pytest.approx(10 / 6)
    assert lagrangian_bound(model, duals) == pytest.approx(1.0)
    assert lagrangian_bound(model, np.zeros(model.n_rows)) == pytest.approx(1.0)
    assert _mip_optimum(model) == pytest.approx(1.0)


def test_hours_adding_up_to_the_capacity_fit() -> None:
    """Three needs of 10/3 hours fill 10 hours exactly (the float sum may exceed 10 by an ulp):
    rounding to the grid must not cut one of them out of the bound."""
    third = 10.0 / 3.0
    model = _hand_model([1.0, 1.0, 1.0, 1.0], [[third, third, third, 4.0]], [10.0])
    assert lagrangian_bound(model, np.zeros(model.n_rows)) == pytest.approx(3.0)


def test_hours_in_fractions_of_a_minute_are_rounded_down() -> None:
    """Needs of 199.1, 200.4 and 200.4 minutes fit 10 hours (599.9 minutes) but not when each is
    rounded up to whole minutes (602): weights must be rounded down to the grid."""
    hours = [199.1 / 60, 200.4 / 60, 200.4 / 60]
    model = _hand_model([1.0, 1.0, 1.0], [hours], [10.0])
    assert _mip_optimum(model) == pytest.approx(3.0)
    assert lagrangian_bound(model, np.zeros(model.n_rows)) == pytest.approx(3.0)


@pytest.mark.parametrize("seed", range(4))
def test_knapsack_matches_brute_force(seed: int) -> None:
    """The reduced dynamic program of one provider equals the best subset by enumeration, on
    random knapsacks with and without a pairing limit and any reduction prices."""
    rng = np.random.default_rng(seed)
    for _ in range(60):
        n = int(rng.integers(2, 11))
        profit = rng.choice([1.0, 2.0, 3.0, 5.0, 8.0], n) + rng.random(n)
        weight = rng.integers(0, 40, n)
        card = rng.random(n) < 0.5
        cap = int(rng.integers(int(weight.max()), int(weight.sum()) + 1))
        limit = int(rng.integers(0, n + 1))
        rates = (float(rng.random() * 0.5), float(rng.random() * 3.0))
        best = 0.0
        for subset in itertools.product((False, True), repeat=n):
            take = np.array(subset)
            if weight[take].sum() <= cap and card[take].sum() <= limit:
                best = max(best, float(profit[take].sum()))
        assert _knapsack(profit, weight, card, cap, limit, rates) == pytest.approx(best)


def test_h1_multipliers_are_relaxed_and_knapsacks_solved_per_provider() -> None:
    """Two providers of 10 hours, needs A and B (6 h each) both can serve, and C only the second:
    with zero multipliers the H1 rows are dropped, so each provider does its best one need
    (values 5, 4 | 5, 4, 3): 10, above the optimum 9 (A by one, B or C by the other)."""
    c = [5.0, 4.0, 5.0, 4.0, 3.0]
    h4 = [[6.0, 6.0, 0, 0, 0], [0, 0, 6.0, 6.0, 6.0]]
    h1 = [[1.0, 0, 1.0, 0, 0], [0, 1.0, 0, 1.0, 0]]
    model = _hand_model(c, h4, [10.0, 10.0], h1=h1)
    assert _mip_optimum(model) == pytest.approx(9.0)
    assert lagrangian_bound(model, np.zeros(model.n_rows)) == pytest.approx(10.0)
    duals = _lp_duals(model)
    bound = lagrangian_bound(model, duals)
    assert bound is not None
    assert 9.0 - TOL <= bound <= model.dual_bound(duals) + TOL


def test_pinned_arc_is_forced_into_its_knapsack() -> None:
    """10 hours, needs of 6 hours worth 1, 1 and 3, the first pinned (lower bound 1): a plan serves
    the pinned need and nothing more fits, so the bound is 1, not the 3 of the best need."""
    model = _hand_model([1.0, 1.0, 3.0], [[6.0, 6.0, 6.0]], [10.0], col_lo=[1.0, 0.0, 0.0])
    assert lagrangian_bound(model, np.zeros(model.n_rows)) == pytest.approx(1.0)
    assert _mip_optimum(model) == pytest.approx(1.0)
    unpinned = _hand_model([1.0, 1.0, 3.0], [[6.0, 6.0, 6.0]], [10.0])
    assert lagrangian_bound(unpinned, np.zeros(unpinned.n_rows)) == pytest.approx(3.0)


def test_pinned_arcs_over_the_capacity_fall_back_to_the_lp_term() -> None:
    """Two pinned 6-hour needs in 10 hours: no plan exists; the provider's term is then its
    dual_bound term (all three values at zero multipliers), which is still a valid bound."""
    model = _hand_model([1.0, 1.0, 3.0], [[6.0, 6.0, 6.0]], [10.0], col_lo=[1.0, 1.0, 0.0])
    assert _mip_optimum(model) is None
    zeros = np.zeros(model.n_rows)
    assert lagrangian_bound(model, zeros) == pytest.approx(model.dual_bound(zeros))
    assert lagrangian_bound(model, zeros) == pytest.approx(5.0)


def test_cadre_with_hours_and_a_pairing_limit() -> None:
    """A cadre of 10 hours: pairings of 3 hours worth 5, 4, 3, 2 (at most 2 of them) and an arc
    of 5 hours worth 4.5. Best plan: the arc and the pairing worth 5 (9.5); hours alone would
    allow 12, the limit alone 13.5."""
    c = [4.5, 5.0, 4.0, 3.0, 2.0]
    model = _hand_model(
        c, [[5.0, 3.0, 3.0, 3.0, 3.0]], [10.0], h7=[[0, 1.0, 1.0, 1.0, 1.0]], limit=[2.0], n_x=1
    )
    assert _mip_optimum(model) == pytest.approx(9.5)
    assert lagrangian_bound(model, np.zeros(model.n_rows)) == pytest.approx(9.5)


def test_cadre_with_a_pairing_limit_only() -> None:
    """A cadre whose hours never bind (no H4 row): the best 2 of its pairings worth 5, 4, 3, 2."""
    model = _hand_model([5.0, 4.0, 3.0, 2.0], [], [], h7=[[1.0, 1.0, 1.0, 1.0]], limit=[2.0], n_x=0)
    assert lagrangian_bound(model, np.zeros(model.n_rows)) == pytest.approx(9.0)
    assert _mip_optimum(model) == pytest.approx(9.0)


def test_a_column_in_two_hours_rows_is_refused() -> None:
    """The knapsacks rely on each column being in at most one H4 row."""
    model = _hand_model([1.0, 1.0], [[6.0, 6.0], [6.0, 0.0]], [10.0, 10.0])
    with pytest.raises(ValueError, match="two H4 rows"):
        lagrangian_bound(model, np.zeros(model.n_rows))


# ------------------------------------------------------------------ compiled problems


def _demo() -> Problem:
    return _problem(json.loads(DEMO.read_text()))


def _generated(villages: int, needs: int, seed: int) -> Problem:
    return _problem(generate_scenario(villages=villages, needs=needs, seed=seed))


def _valley() -> Problem:
    return _problem(generate_scenario(villages=10, needs=150, seed=5, terrain="valley"))


PROBLEMS: dict[str, Callable[[], Problem]] = {
    "generated-4x24": functools.partial(_generated, 4, 24, 1),
    "generated-6x60": functools.partial(_generated, 6, 60, 2),
    "generated-8x120": functools.partial(_generated, 8, 120, 3),
    "valley-10x150": _valley,
    **{f"tiny-{seed}": functools.partial(tiny_random_problem, seed) for seed in range(0, 40, 3)},
}


@pytest.mark.parametrize("name", sorted(PROBLEMS))
def test_bound_lies_between_the_mip_optimum_and_the_lp_bound(name: str) -> None:
    """At the LP duals: MIP optimum <= Lagrangian bound <= LP safe bound."""
    problem = PROBLEMS[name]()
    model = build_linear_model(problem)
    lp = solve_lp(problem, model)
    bound = lagrangian_bound(model, lp.duals)
    assert bound is not None
    assert bound <= model.dual_bound(lp.duals) + TOL
    optimum = _mip_optimum(model)
    if optimum is not None:
        assert optimum <= bound + TOL


def test_demo_county_bound_lies_between_the_mip_optimum_and_the_lp_bound() -> None:
    """The demo county (600 needs): the same (with the best plan HiGHS finds in a few seconds
    for the optimum), and the bound comes from real knapsacks."""
    problem = _demo()
    model = build_linear_model(problem)
    lp = solve_lp(problem, model)
    result = lagrangian(model, lp.duals)
    assert result is not None and result.knapsacks > 0
    assert result.bound <= lp.bound + TOL
    best = _mip_optimum(model, seconds=2.0)
    assert best is not None and best <= result.bound + TOL


@pytest.mark.parametrize("seed", range(6))
def test_any_multipliers_give_a_valid_bound(seed: int) -> None:
    """Random multipliers of either sign and any size (wrong signs included): still no lower
    than the MIP optimum, on a generated county and a tiny random one."""
    rng = np.random.default_rng(seed)
    for problem in (_generated(6, 60, seed), tiny_random_problem(seed)):
        model = build_linear_model(problem)
        optimum = _mip_optimum(model)
        if optimum is None:
            continue
        for scale in (0.1, 10.0, 1000.0):
            duals = rng.normal(0.0, scale, model.n_rows)
            bound = lagrangian_bound(model, duals)
            assert bound is not None and optimum - TOL <= bound < INF


def test_a_passed_deadline_gives_no_bound() -> None:
    """A deadline already past returns None, not a partial sum; without one a bound comes."""
    problem = _generated(6, 60, 2)
    model = build_linear_model(problem)
    duals = np.zeros(model.n_rows)
    assert lagrangian_bound(model, duals, deadline=time.perf_counter() - 1.0) is None
    assert lagrangian_bound(model, duals, deadline=time.perf_counter() + 60.0) is not None


def test_a_stopped_run_gets_no_bound() -> None:
    """Kept: with the caller's stop set, the bound stops at the next provider and returns None.
    Broken: with the stop not set, a bound comes."""
    problem = _generated(6, 60, 2)
    model = build_linear_model(problem)
    duals = np.zeros(model.n_rows)
    stop = threading.Event()
    assert lagrangian(model, duals, stop=stop) is not None
    stop.set()
    assert lagrangian(model, duals, stop=stop) is None
