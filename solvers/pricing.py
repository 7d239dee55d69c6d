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
from dataclasses import dataclass

import numpy as np

from matcher.problem.arrays import FloatArray, IntArray, Problem
from matcher.problem.solution import LpPrices, Solution
from solvers.linear_model import LinearModel, build_linear_model
from solvers.lp_bound import LpResult, solve_lp


@dataclass(frozen=True)
class ResourcePrices:
    """Dual prices by resource (arrays over the compiled problem's index maps)."""

    hours: FloatArray  # per provider: value of one more hour (H4)
    pool: FloatArray  # per pool: value of one more yuan (H5)
    cap: FloatArray  # per village: value of one more yuan of funding cap (H6)
    need: FloatArray  # per need: value of serving it in the relaxation's optimum (H1)
    pairing: FloatArray  # per village: value of one more pairing (shortfall)
    converged: bool  # the LP reached its optimum: the prices are the LP's own
    bound: float
    seconds: float


def _row_owner(model: LinearModel, kind: str, column_owner: IntArray) -> tuple[IntArray, IntArray]:
    """Rows of a block and the entity each belongs to, read off one column of each row."""
    if kind not in model.row_kind:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    block = model.row_kind.index(kind)
    lo, hi = int(model.row_block[block]), int(model.row_block[block + 1])
    csr = model.A[lo:hi].tocsr()
    rows, owners = [], []
    for local in range(hi - lo):
        start, end = csr.indptr[local], csr.indptr[local + 1]
        for col in csr.indices[start:end]:
            owner = int(column_owner[col])
            if owner >= 0:
                rows.append(lo + local)
                owners.append(owner)
                break
    return np.asarray(rows, np.int64), np.asarray(owners, np.int64)


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
    solved: LpPrices | None = None,
) -> ResourcePrices:
    """Dual prices of the LP relaxation, started from ``solution``'s columns. With a time limit
    that cuts column generation short, the prices are those of the last restricted LP: still
    a consistent set of multipliers (their safe bound is reported), not the LP's own.

    ``solved``: the duals of that LP as a solver already found them (``auto``'s LP bound,
    :attr:`SolveResult.lp_prices`), read instead of solving it again; a run's time limit then
    leaves the search the seconds the second solve took (a tenth of the limit)."""
    model = build_linear_model(problem)
    if solved is None or len(solved.duals) != model.n_rows:
        start = model.vector(problem, solution) if solution is not None else None
        solved = _solved(solve_lp(problem, model, start=start, time_limit=time_limit, stop=stop))
    owners = _owners(problem, model)
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
        rows, owner = _row_owner(model, kind, owners[kind])
        # Signs as for a maximisation: a binding ≤ row has y ≥ 0, a binding ≥ row y ≤ 0.
        values[owner] = np.abs(solved.duals[rows]) if len(rows) else 0.0
        prices[kind] = values
    return ResourcePrices(
        hours=prices["H4"],
        pool=prices["H5 pool"],
        cap=prices["H6"],
        need=prices["H1"],
        pairing=prices["shortfall"],
        converged=solved.converged,
        bound=solved.bound,
        seconds=solved.seconds,
    )


def _solved(lp: LpResult) -> LpPrices:
    """The duals, convergence, bound and seconds of an LP solved here."""
    return LpPrices(lp.duals, lp.converged, lp.bound, lp.seconds)
