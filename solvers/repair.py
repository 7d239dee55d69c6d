"""Make a previous plan fit the current scenario, dropping as little as possible.

Re-planning starts from the plan a county already works with, but the scenario may have changed
since (a cadre has fewer hours, a pool less money, a need was withdrawn). :func:`repair` keeps
every decision of the old plan that still fits: it drops arcs the model no longer has, then, row
by row, the least valuable assignments or pairings of each violated row until the row holds
(for a pool's row, the least valuable of the needs it pays for).
"""

from __future__ import annotations

import numpy as np

from matcher.problem.arrays import FloatArray, IntArray, Problem
from matcher.problem.solution import Solution
from solvers.linear_model import LinearModel

_TOLERANCE = 1e-7


def repair(problem: Problem, model: LinearModel, previous: Solution) -> FloatArray | None:
    """The column vector of ``previous`` made feasible for ``model`` (all rows but the limit on
    changes), or None when no dropping of assignments and pairings makes it so (for example a
    pinned need it does not serve)."""
    need_provider = previous.need_provider
    if len(need_provider) != problem.n_needs:
        return None
    v = model.vector(problem, previous)
    # A need whose funding lines do not add up to its cost (money moved between pools) is
    # refunded from scratch: its funding columns are cleared and it is dropped below when
    # that breaks its funding row.
    checked = np.ones(model.n_rows, dtype=np.bool_)
    for kind, lo, hi in zip(model.row_kind, model.row_block[:-1], model.row_block[1:], strict=True):
        if kind == "changes":  # the limit on changes is the solver's to keep, not repair's
            checked[lo:hi] = False
    xy = np.zeros(model.n_cols, dtype=np.bool_)
    xy[model.x.start : model.f.start] = True
    A = model.A.tocsr()
    for _ in range(model.n_rows + 1):
        activity = model.A @ v
        over = np.flatnonzero(
            checked
            & ((activity > model.row_hi + _TOLERANCE) | (activity < model.row_lo - _TOLERANCE))
        )
        if over.size == 0:
            break
        row = int(over[0])
        lo, hi = A.indptr[row], A.indptr[row + 1]
        cols = A.indices[lo:hi]
        droppable = cols[xy[cols] & (v[cols] > 0) & (model.col_lo[cols] == 0)]
        if droppable.size == 0:
            funded = _funded_decisions(problem, model, v, cols)
            droppable = funded[(v[funded] > 0) & (model.col_lo[funded] == 0)]
        cols = droppable
        if cols.size == 0:
            return None
        # drop the least valuable decision first
        drop = int(cols[np.argmin(model.c[cols])])
        v[drop] = 0.0
        _clear_funding(problem, model, v, drop)
        model.complete(problem, v)
    activity = model.A @ v
    bad = (activity > model.row_hi + _TOLERANCE) | (activity < model.row_lo - _TOLERANCE)
    if (bad & checked).any() or (v < model.col_lo - _TOLERANCE).any():
        return None
    return v


def _funded_decisions(
    problem: Problem, model: LinearModel, v: FloatArray, cols: IntArray
) -> IntArray:
    """The arc columns of the needs a row of funding columns pays for (a pool's H5 row): a pool
    that holds less than the previous plan drew from it (spent since, or cut) is brought back
    within its amount by dropping the needs it pays for, least valuable first."""
    funding = cols[(cols >= model.f.start) & (cols < model.f.stop) & (v[cols] > 0)]
    needs = np.unique(model.f_need[funding - model.f.start])
    arcs = np.flatnonzero(np.isin(problem.arc_need[model.x_arc], needs))
    result: IntArray = (model.x.start + arcs).astype(np.int64)
    return result


def _clear_funding(problem: Problem, model: LinearModel, v: FloatArray, column: int) -> None:
    """When an arc column is dropped, its need's funding columns go too."""
    if not model.x.start <= column < model.x.stop:
        return
    need = int(problem.arc_need[model.x_arc[column - model.x.start]])
    v[model.f.start + np.flatnonzero(model.f_need == need)] = 0.0


def keepable_limit(
    problem: Problem,
    model: LinearModel,
    previous: Solution,
    repaired: FloatArray | None,
    limit: int,
    register: bool = False,
) -> tuple[LinearModel, dict[str, int | str]]:
    """The model with a limit on changes that some plan keeps, and what was done to it.

    A previous plan that no longer fits (hours now used, money spent, a pin it breaks) needs
    some changes to keep the rules; when the repair of it needs more than ``limit``, no plan
    keeps the limit, and a solve under it would end with none at all. The limit is then
    raised to what the repaired plan needs (the fewest changes known to keep every rule); when
    the previous plan cannot be repaired, the limit is lifted. Either is said in the stats."""
    if repaired is None:
        return model.with_more_changes(np.inf), {
            "max_changes_lifted": 1,
            "reason": "the previous plan cannot be made to keep the rules of this scenario "
            "(a pinned need it does not serve, say), so the limit on changes was lifted",
        }
    needed = model.solution(problem, repaired).changes_from(previous, register=register)
    stats: dict[str, int | str] = {"repair_changes": needed}
    if needed <= limit:
        return model, stats
    stats["max_changes_raised_to"] = needed
    stats["reason"] = (
        f"the previous plan needs {needed} changes to keep the rules in this scenario, more "
        f"than the {limit} allowed; the limit was raised to {needed}"
    )
    return model.with_more_changes(float(needed - limit)), stats
