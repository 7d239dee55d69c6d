"""Resource prices from the LP relaxation: what one more hour, yuan or pairing is worth.

The dual value of a row of the LP relaxation (:mod:`solvers.lp_bound`) is the rate at which the
relaxation's optimum grows when the row's limit grows: the price of an hour of a provider
(H4), of a yuan in a pool (H5) or under a village cap (H6), of a need's single service (H1) and
of a village's missing pairing (shortfall). Blind-spot fixes are ranked with these prices
(:mod:`matcher.advice.fixes`). Rows exist only for resources some plan could exhaust; any other
resource is free (price 0).
"""

from __future__ import annotations

import threading

import numpy as np

from matcher.problem.arrays import FloatArray, IntArray, Problem
from matcher.problem.solution import ResourcePrices, Solution
from solvers.linear_model import LinearModel, build_linear_model
from solvers.lp_bound import LpResult, solve_lp

__all__ = ["ResourcePrices", "prices_of", "resource_prices"]


def _row_owner(
    model: LinearModel,
    kind: str,
    column_owner: IntArray,
    entry_rows: IntArray,
    entry_cols: IntArray,
) -> tuple[IntArray, IntArray]:
    """Rows of a block and the entity each belongs to, read off its columns (every column of a
    row that names an entity names the same one: a need's arcs, a provider's arcs and
    pairings, a pool's funding, a village's arcs or shortfall). ``entry_rows`` and
    ``entry_cols`` are the matrix's entries."""
    if kind not in model.row_kind:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    block = model.row_kind.index(kind)
    lo, hi = int(model.row_block[block]), int(model.row_block[block + 1])
    inside = (entry_rows >= lo) & (entry_rows < hi)
    owner = column_owner[entry_cols[inside]]
    named = owner >= 0
    row_owner = np.full(hi - lo, -1, dtype=np.int64)
    row_owner[entry_rows[inside][named] - lo] = owner[named]
    rows = np.flatnonzero(row_owner >= 0)
    return lo + rows, row_owner[rows]


def _owners(problem: Problem, model: LinearModel) -> dict[str, IntArray]:
    """For each row kind, the entity of every column (-1 when the column says nothing)."""
    n = model.n_cols
    arc_need = np.full(n, -1, np.int64)
    arc_provider = np.full(n, -1, np.int64)
    arc_village = np.full(n, -1, np.int64)
    arc_need[model.x] = problem.arc_need[model.x_arc]
    arc_provider[model.x] = problem.arc_provider[model.x_arc]
    arc_village[model.x] = problem.need_village[problem.arc_need[model.x_arc]]
    pair_cadre = np.full(n, -1, np.int64)
    pair_cadre[model.y] = problem.pair_cadre
    pool = np.full(n, -1, np.int64)
    pool[model.f] = model.f_pool
    single = model.single_pool[problem.arc_need[model.x_arc]]
    pool[model.x] = single
    short = np.full(n, -1, np.int64)
    short[model.s] = model.s_village
    return {
        "H1": arc_need,
        "H4": np.where(arc_provider >= 0, arc_provider, pair_cadre),
        "H5 pool": pool,
        "H6": arc_village,
        "shortfall": short,
    }


def resource_prices(
    problem: Problem,
    solution: Solution | None = None,
    time_limit: float | None = None,
    stop: threading.Event | None = None,
) -> ResourcePrices:
    """Dual prices of the LP relaxation, started from ``solution``'s columns. With a time limit
    that cuts column generation short, the prices are those of the last restricted LP: still
    a consistent set of multipliers (their safe bound is reported), not the LP's own."""
    model = build_linear_model(problem)
    start = model.vector(problem, solution) if solution is not None else None
    lp = solve_lp(problem, model, start=start, time_limit=time_limit, stop=stop)
    return prices_of(problem, model, lp)


def prices_of(problem: Problem, model: LinearModel, lp: LpResult) -> ResourcePrices:
    """The resource prices of an LP of ``model`` already solved (``auto`` hands those of its
    LP bound to the blind-spot fixes, :attr:`SolveResult.lp_prices`, so they solve none)."""
    owners = _owners(problem, model)
    csc = model.A
    entry_cols = np.repeat(np.arange(model.n_cols, dtype=np.int64), np.diff(csc.indptr))
    entry_rows = csc.indices.astype(np.int64)
    sizes = {
        "H1": problem.n_needs,
        "H4": problem.n_providers,
        "H5 pool": len(problem.pool_ids),
        "H6": len(problem.village_ids),
        "shortfall": len(problem.village_ids),
    }
    prices: dict[str, FloatArray] = {}
    for kind, size in sizes.items():
        values = np.zeros(size)
        rows, owner = _row_owner(model, kind, owners[kind], entry_rows, entry_cols)
        # Signs as for a maximisation: a binding ≤ row has y ≥ 0, a binding ≥ row y ≤ 0.
        values[owner] = np.abs(lp.duals[rows]) if len(rows) else 0.0
        prices[kind] = values
    return ResourcePrices(
        hours=prices["H4"],
        pool=prices["H5 pool"],
        cap=prices["H6"],
        need=prices["H1"],
        pairing=prices["shortfall"],
        converged=lp.converged,
        bound=lp.bound,
        seconds=lp.seconds,
    )
