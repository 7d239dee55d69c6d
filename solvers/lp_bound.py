"""The LP relaxation of the whole model, solved by column generation with HiGHS, and a proven
upper bound from it.

A county has hundreds of thousands of eligible arcs, but an optimal LP solution uses few of them.
So the LP starts from each need's nearest arcs and each cadre's nearest villages (plus the columns
of a plan when one is given), and after each solve *prices* every column of the full model with
the row duals: columns with a positive reduced cost are added (the best few per need and per
cadre) and the LP is re-solved from its previous basis, until none is left. That is the LP
optimum of the whole model.

The bound reported is never the LP's own objective figure: it is the safe dual bound
(:meth:`LinearModel.dual_bound`), valid for *any* duals. So a bound is available after every
round, even when the time limit ends column generation early or HiGHS stops inside a solve, and
LP tolerances can never make it fall below the true optimum.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import highspy
import numpy as np

from matcher.problem.arrays import BoolArray, FloatArray, IntArray, Problem
from solvers.highs_backend import add_columns, add_rows, new_highs, run
from solvers.linear_model import LinearModel

NEAREST_ARCS = 6
"""Arcs per need in the first LP (nearest first)."""

NEAREST_VILLAGES = 6
"""Pairing arcs per cadre in the first LP (nearest first)."""

ADD_PER_GROUP = 4
"""Columns added per need and per cadre in one pricing round (largest reduced cost first)."""

PRICING_TOLERANCE = 1e-7

PRIMAL_SHARE = 0.05
"""A pricing round adding at most this share of the row count re-solves by primal simplex."""

SIMPLEX_DUAL, SIMPLEX_PRIMAL = 1, 4  # HiGHS's simplex_strategy values


@dataclass(frozen=True)
class LpResult:
    """The relaxation's outcome over the full model's columns."""

    bound: float  # proven upper bound on the objective (safe dual bound)
    lp_objective: float  # the restricted LP's optimum (equals the bound's LP value at the end)
    values: FloatArray  # the last finished round's column values (0 for columns never added)
    duals: FloatArray  # row duals, signs as for a maximisation
    reduced: FloatArray  # c - Aᵀ duals for every column
    active: BoolArray  # columns in the final restricted LP
    rounds: int
    converged: bool  # no column had a positive reduced cost: the LP optimum of the whole model
    infeasible: bool  # the first restricted LP is infeasible, so the model is (pinned needs)
    seconds: float


def rank_within(groups: IntArray, keys: FloatArray) -> IntArray:
    """Rank of each item within its group, by ascending key (ties by position)."""
    order = np.lexsort((np.arange(len(groups)), keys, groups))
    g = groups[order]
    ranks = np.empty(len(groups), dtype=np.int64)
    ranks[order] = np.arange(len(groups)) - np.searchsorted(g, g)
    return ranks


def column_groups(problem: Problem, model: LinearModel) -> IntArray:
    """Pricing group of each column: its need for arcs, its cadre for pairings, -1 otherwise."""
    groups = np.full(model.n_cols, -1, dtype=np.int64)
    groups[model.x] = problem.arc_need[model.x_arc]
    groups[model.y] = problem.n_needs + problem.pair_cadre
    return groups


def initial_columns(
    problem: Problem, model: LinearModel, start: FloatArray | None = None
) -> BoolArray:
    """The first LP's columns: nearest arcs, nearest pairing villages, every funding, shortfall
    and fairness column, pinned arcs, existing pairings and the columns ``start`` uses."""
    active = np.zeros(model.n_cols, dtype=np.bool_)
    arcs = model.x_arc
    if len(arcs):
        near = rank_within(problem.arc_need[arcs], problem.arc_minutes[arcs]) < NEAREST_ARCS
        active[model.x] = near
    if len(problem.pair_cadre):
        near_v = rank_within(problem.pair_cadre, problem.pair_minutes) < NEAREST_VILLAGES
        active[model.y] = near_v | problem.pair_existing
    active[model.f.start :] = True
    active |= model.col_lo > 0
    if start is not None:
        active |= start > 0
    return active


def solve_lp(
    problem: Problem,
    model: LinearModel,
    start: FloatArray | None = None,
    time_limit: float | None = None,
    stop: threading.Event | None = None,
    seed: int = 0,
) -> LpResult:
    """Solve the LP relaxation of ``model`` by column generation within ``time_limit``."""
    started = time.perf_counter()
    if model.n_rows == 0 or model.n_cols == 0:
        # Nothing couples the columns: the bound of zero multipliers is the optimum itself.
        zero_rows = np.zeros(model.n_rows)
        values = np.where(model.c > 0, model.col_hi, model.col_lo)
        return LpResult(
            bound=model.dual_bound(zero_rows),
            lp_objective=model.objective(values) if model.n_cols else model.offset,
            values=values,
            duals=zero_rows,
            reduced=model.c.copy(),
            active=np.ones(model.n_cols, dtype=np.bool_),
            rounds=0,
            converged=True,
            infeasible=bool((model.row_lo > 0).any()),
            seconds=time.perf_counter() - started,
        )
    groups = column_groups(problem, model)
    active = initial_columns(problem, model, start)
    h = new_highs(seed=seed)
    add_rows(h, model.row_lo, model.row_hi)
    cols = np.flatnonzero(active)
    add_columns(h, model.A[:, cols], model.c[cols], model.col_lo[cols], model.col_hi[cols])
    values = np.zeros(model.n_cols)
    duals = np.zeros(model.n_rows)
    best_bound = model.dual_bound(duals)
    best_duals = duals
    lp_objective = -np.inf
    rounds = 0
    converged = False
    infeasible = False
    while True:
        if time_limit is not None:
            left = time_limit - (time.perf_counter() - started)
            if left <= 0:
                break
            # HiGHS's clock runs over the instance's whole life, not one run.
            h.setOptionValue("time_limit", float(h.getRunTime()) + float(left))
        if stop is not None and stop.is_set():
            break
        if not run(h, stop):
            break  # stopped inside HiGHS: the safe bound of the duals so far stands
        rounds += 1
        if h.getModelStatus() == highspy.HighsModelStatus.kInfeasible:
            # Adding columns never makes the first LP feasible: its ≤ rows have non-negative
            # coefficients, its ≥ rows hold their shortfall and fairness columns, so only the
            # pinned lower bounds (all in the first LP) can conflict. The limit on changes has
            # negative coefficients, so with it nothing is concluded.
            infeasible = rounds == 1 and "changes" not in model.row_kind
            break
        solution = h.getSolution()
        if not solution.dual_valid:
            break
        # For a maximisation HiGHS's row duals are the multipliers y with c - Aᵀy <= 0 at
        # the optimum (checked by tests: the safe bound equals the LP optimum).
        duals = np.asarray(solution.row_dual, dtype=np.float64)
        bound = model.dual_bound(duals)
        if bound < best_bound:
            best_bound, best_duals = bound, duals
        solved = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        if solved:
            # Only a finished round's point is feasible (a simplex cut off by the time limit
            # may not be), and fix-and-resolve builds on it.
            values = np.zeros(model.n_cols)
            values[cols] = np.asarray(solution.col_value, dtype=np.float64)
            lp_objective = float(h.getInfo().objective_function_value) + model.offset
        reduced = model.c - model.A.T @ duals
        candidates = np.flatnonzero(~active & (reduced > PRICING_TOLERANCE) & (groups >= 0))
        if candidates.size == 0:
            converged = solved
            break
        rank = rank_within(groups[candidates], -reduced[candidates])
        new = candidates[rank < ADD_PER_GROUP]
        active[new] = True
        # Added columns keep the basis primal feasible, so a few of them are re-solved fastest
        # by primal simplex (0.1-0.6 s against 1-2.5 s per round at 20,000 needs); many of them
        # (the first rounds) by dual simplex, which primal took ten times longer over.
        few = len(new) <= PRIMAL_SHARE * model.n_rows
        h.setOptionValue("simplex_strategy", SIMPLEX_PRIMAL if few else SIMPLEX_DUAL)
        add_columns(h, model.A[:, new], model.c[new], model.col_lo[new], model.col_hi[new])
        cols = np.concatenate([cols, new])
    reduced = model.c - model.A.T @ best_duals
    return LpResult(
        bound=best_bound,
        lp_objective=lp_objective,
        values=values,
        duals=best_duals,
        reduced=reduced,
        active=active,
        rounds=rounds,
        converged=converged,
        infeasible=infeasible,
        seconds=time.perf_counter() - started,
    )
