"""Large-neighbourhood search: improve a plan by re-solving parts of it exactly with HiGHS.

A neighbourhood is a set of *free* columns of the :class:`~solvers.linear_model.LinearModel`;
every other column keeps its value in the incumbent. The sub-MIP holds the free columns and the
rows they touch, with each row's bounds moved by what the fixed columns already use, so any
sub-solution put back into the incumbent satisfies every row: H1-H8 hold by construction, and
:meth:`LinearModel.violation` re-checks each accepted move anyway. The incumbent restricted to
the free columns is passed as the sub-MIP's start, so a move never makes the plan worse.

Neighbourhoods are *provider clusters*: a seed provider and the providers that compete with it
for the same needs (the most shared candidate needs), with the needs they serve or could take
that are unserved now, their pairing arcs and the funding of those needs. The cluster size adapts:
it grows while sub-MIPs are solved to optimality quickly and shrinks when they hit their time
limit. Seeds are drawn by a seeded generator, weighted towards providers whose LP solution
differs from the incumbent, so the same seed gives the same sequence of neighbourhoods.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import highspy
import numpy as np
import scipy.sparse as sp

from matcher.problem.arrays import BoolArray, FloatArray, IntArray, Problem
from solvers.highs_backend import add_columns, add_rows, new_highs, run
from solvers.linear_model import LinearModel

MIP_GAP = 0.0
"""Relative gap at which a sub-MIP stops: 0, because objectives carry large constants (the GAP
benchmark gives every job a value M) that make any relative tolerance coarse."""

MIP_ABS_GAP = 1e-6

ACCEPT_TOLERANCE = 5e-7
"""Largest row violation (hours, yuan) accepted in a sub-solution after rounding; the
evaluator allows 1e-6 hours, money rows are integral and exact."""


@dataclass
class SubResult:
    """One sub-MIP's outcome."""

    improved: bool
    objective: float
    optimal: bool
    seconds: float
    columns: int
    activity: FloatArray | None = None  # A @ the returned vector


def restricted_highs(
    model: LinearModel,
    columns: IntArray,
    fixed_activity: FloatArray,
    cost: FloatArray,
    integral: BoolArray | None,
    seed: int,
) -> highspy.Highs:
    """HiGHS holding the model's ``columns`` and the rows they touch, each row's bounds moved
    by ``fixed_activity`` (what every other column, held fixed, already uses of it)."""
    cols = sp.csc_array(model.A[:, columns])
    rows = np.unique(cols.indices)
    h = new_highs(seed=seed)
    add_rows(
        h, model.row_lo[rows] - fixed_activity[rows], model.row_hi[rows] - fixed_activity[rows]
    )
    add_columns(
        h,
        sp.csc_array(sp.csr_array(cols)[rows]),
        cost,
        model.col_lo[columns],
        model.col_hi[columns],
        integral=integral,
    )
    return h


UNTIMED = 1e6
"""A sub-MIP time limit at least this large is bounded by its node limit, not the clock."""


def solve_sub_mip(
    problem: Problem,
    model: LinearModel,
    base: FloatArray,
    free: IntArray,
    time_limit: float,
    seed: int = 0,
    start: FloatArray | None = None,
    node_limit: int | None = None,
    stop: threading.Event | None = None,
    presolve: bool = False,
    activity: FloatArray | None = None,
    cost: FloatArray | None = None,
    floor: float | None = None,
) -> tuple[FloatArray | None, SubResult]:
    """Solve the columns ``free`` exactly with every other column fixed at ``base``.

    ``start`` (values of the free columns) is given to HiGHS as a feasible start; ``activity``
    (``A @ base``, when the caller keeps it) saves a product over the whole matrix. Returns the
    full vector of HiGHS's best point, rounded and checked row by row, or None when there is
    none (or it failed the check); ``SubResult.activity`` is its ``A @ vector`` and
    ``SubResult.objective`` its objective (DESIGN §5).

    Lexicographic use (:mod:`solvers.ties`): ``cost`` (per free column) replaces the objective
    HiGHS maximises, and ``floor`` adds the row ``Σ c·v >= floor`` over the free columns, so
    that HiGHS looks for the best ``cost`` among points whose objective is at least ``floor``.

    HiGHS's presolve is off by default: on neighbourhood sub-MIPs of a 20,000-need county it
    made root cut separation take 10-15 s, during which HiGHS checks neither its time limit nor
    ``cancelSolve``; without it the same sub-MIPs stop at their limit with better plans. Large
    sub-MIPs (fix and resolve) need it for their root LP.
    """
    began = time.perf_counter()
    free = np.unique(free)
    if activity is None:
        activity = model.A @ base
    fixed_activity = activity - sp.csc_array(model.A[:, free]) @ base[free]
    funding = (free >= model.f.start) & (free < model.f.stop)
    h = restricted_highs(
        model,
        free,
        fixed_activity,
        model.c[free] if cost is None else cost,
        model.integral[free] & ~funding,
        seed,
    )
    if floor is not None:
        on = np.flatnonzero(model.c[free] != 0)
        h.addRow(
            float(floor),
            highspy.kHighsInf,
            len(on),
            on.astype(np.int32),
            model.c[free][on].astype(np.float64),
        )
    h.setOptionValue("time_limit", max(0.01, float(time_limit)))
    h.setOptionValue("mip_rel_gap", MIP_GAP)
    h.setOptionValue("mip_abs_gap", MIP_ABS_GAP)
    h.setOptionValue("presolve", "on" if presolve else "off")
    if node_limit is not None:
        h.setOptionValue("mip_max_nodes", int(node_limit))
    if start is not None:
        hint = highspy.HighsSolution()
        hint.col_value = np.asarray(start, dtype=np.float64).tolist()
        hint.value_valid = True
        h.setSolution(hint)
    # HiGHS looks at its own time limit only now and then (not inside presolve): a sub-MIP of
    # 20,000 needs given 12 s ran 25 s. The deadline cancels it from outside (run's grace).
    deadline = None if time_limit >= UNTIMED else time.perf_counter() + float(time_limit)
    if not run(h, stop, deadline):  # stopped or past its deadline: no answer of this sub-MIP
        return None, SubResult(False, -np.inf, False, time.perf_counter() - began, len(free))
    optimal = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    result = SubResult(False, -np.inf, optimal, time.perf_counter() - began, len(free))
    if h.getInfo().primal_solution_status != 2:  # no feasible point
        return None, result
    values = np.asarray(h.getSolution().col_value, dtype=np.float64)
    ints = model.integral[free] & ~funding
    values[ints] = np.rint(values[ints])
    candidate = base.copy()
    candidate[free] = values
    if funding.any():
        funded = whole_yuan_funding(model, candidate, free[funding], seed, activity, base)
        if not funded:
            return None, result
    model.complete(problem, candidate)
    changed = np.flatnonzero(candidate != base)
    new_activity = activity + sp.csc_array(model.A[:, changed]) @ (
        candidate[changed] - base[changed]
    )
    if model.violation_of(candidate, new_activity, changed) > ACCEPT_TOLERANCE:
        return None, result
    result.objective = model.objective(candidate)
    result.activity = new_activity
    result.seconds = time.perf_counter() - began
    return candidate, result


def whole_yuan_funding(
    model: LinearModel,
    vector: FloatArray,
    columns: IntArray,
    seed: int = 0,
    activity: FloatArray | None = None,
    base: FloatArray | None = None,
    cost: FloatArray | None = None,
    time_limit: float | None = None,
) -> bool:
    """Replace the funding columns ``columns`` of ``vector`` by whole yuan, with every other
    column as it is. Sub-MIPs treat funding as continuous (general integers of up to 50,000
    yuan made HiGHS's root cut separation take seconds, deaf to its time limit); with the
    assignments fixed, the funding rows (each need's lines add up to its cost, pool totals,
    per-need limits) form a transportation polytope with integral data, so a simplex vertex
    of it is integral. Returns False when no funding fits (the caller then drops the move).

    ``activity`` is ``A @ base`` for a ``base`` that differs from ``vector`` only in columns the
    caller freed; without them the activity is computed from scratch. ``cost`` (per column,
    maximised) chooses among the splits (:func:`solvers.ties.canonical_funding`); without it
    any split is as good, and HiGHS's first vertex is taken. A ``time_limit`` (seconds) that
    ends the solve first is a False."""
    rest = vector.copy()
    rest[columns] = 0.0
    if activity is None or base is None:
        activity = model.A @ rest
    else:
        moved = np.flatnonzero(rest != base)
        activity = activity + sp.csc_array(model.A[:, moved]) @ (rest[moved] - base[moved])
    weights = np.zeros(len(columns)) if cost is None else np.asarray(cost, dtype=np.float64)
    h = restricted_highs(model, columns, activity, weights, None, seed)
    h.setOptionValue("solver", "simplex")
    if time_limit is not None:
        h.setOptionValue("time_limit", max(0.01, float(time_limit)))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return False
    vector[columns] = np.rint(np.asarray(h.getSolution().col_value, dtype=np.float64))
    return True


class ProviderClusters:
    """Draws provider-cluster neighbourhoods over a model's candidate columns."""

    def __init__(
        self,
        problem: Problem,
        model: LinearModel,
        candidate: BoolArray,
        rng: np.random.Generator,
    ) -> None:
        self.problem = problem
        self.model = model
        self.rng = rng
        n_prov = problem.n_providers
        x_cand = np.flatnonzero(candidate[model.x])
        self.cand_x = x_cand  # x column offsets (positions within the x slice)
        arcs = model.x_arc[x_cand]
        self.cand_need = problem.arc_need[arcs]
        self.cand_prov = problem.arc_provider[arcs]
        incidence = sp.csr_array(
            (np.ones(len(arcs)), (self.cand_prov, self.cand_need)),
            shape=(n_prov, problem.n_needs),
        )
        incidence.data[:] = 1.0
        self.overlap = sp.csr_array(incidence @ incidence.T)
        order = np.argsort(self.cand_prov, kind="stable")
        self.by_prov = order
        self.prov_start = np.searchsorted(self.cand_prov[order], np.arange(n_prov + 1))
        y_cand = np.flatnonzero(candidate[model.y])
        self.y_cadre = problem.pair_cadre[y_cand]
        y_order = np.argsort(self.y_cadre, kind="stable")
        self.y_cols = model.y.start + y_cand[y_order]
        self.y_start = np.searchsorted(self.y_cadre[y_order], np.arange(n_prov + 1))
        self.f_by_need = self._group(model.f_need, problem.n_needs)
        self.active = np.flatnonzero(self.prov_start[1:] > self.prov_start[:-1])

    @staticmethod
    def _group(keys: IntArray, n: int) -> tuple[IntArray, IntArray]:
        order = np.argsort(keys, kind="stable")
        return order, np.searchsorted(keys[order], np.arange(n + 1))

    def cluster(self, seed_provider: int, size: int) -> IntArray:
        """The seed and the ``size - 1`` providers sharing the most candidate needs with it."""
        row = self.overlap[[seed_provider]]
        cols = row.indices
        weights = row.data + self.rng.random(len(cols)) * 0.5  # random tie-breaks
        top = cols[np.argsort(-weights, kind="stable")][:size]
        if seed_provider not in top:
            top = np.concatenate([[seed_provider], top[: size - 1]])
        members: IntArray = np.asarray(top, dtype=np.int64)
        return members

    def free_columns(
        self, providers: IntArray, incumbent: FloatArray, max_arcs: int | None = None
    ) -> IntArray:
        """Columns of a cluster: arcs of its providers to needs unserved or served inside it,
        their funding, the cluster's pairing arcs, and the affected shortfall/fairness columns.

        With ``max_arcs``, a random subset of those needs whose arcs fit is freed instead (the
        others keep their incumbent decision), so a sub-MIP stays small where providers reach
        thousands of needs."""
        model, problem = self.model, self.problem
        inside = np.zeros(problem.n_providers, dtype=np.bool_)
        inside[providers] = True
        served_by = np.full(problem.n_needs, -1, dtype=np.int64)
        x_on = np.flatnonzero(incumbent[model.x] > 0.5)
        served_by[problem.arc_need[model.x_arc[x_on]]] = problem.arc_provider[model.x_arc[x_on]]
        parts = [self.by_prov[self.prov_start[p] : self.prov_start[p + 1]] for p in providers]
        pos = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        needs = self.cand_need[pos]
        owner = served_by[needs]
        keep = (owner < 0) | inside[np.maximum(owner, 0)]
        pos = pos[keep]
        needs = np.unique(self.cand_need[pos])
        x_cols = model.x.start + self.cand_x[pos]
        # the incumbent's own arcs of these needs must be free too (they may be outside the
        # candidate set)
        served_x = x_on[inside[problem.arc_provider[model.x_arc[x_on]]]]
        if max_arcs is not None and len(pos) + len(served_x) > max_arcs:
            pos, served_x = self._subsample(pos, served_x, max_arcs)
            needs = np.unique(self.cand_need[pos])
        y_parts = [self.y_cols[self.y_start[p] : self.y_start[p + 1]] for p in providers]
        y_cols = np.concatenate(y_parts) if y_parts else np.zeros(0, np.int64)
        y_on = np.flatnonzero(incumbent[model.y] > 0.5)
        y_on = y_on[inside[problem.pair_cadre[y_on]]] + model.y.start
        f_order, f_start = self.f_by_need
        all_needs = np.unique(np.concatenate([needs, problem.arc_need[model.x_arc[served_x]]]))
        f_parts = [f_order[f_start[n] : f_start[n + 1]] for n in all_needs.tolist()]
        f_cols = model.f.start + (np.concatenate(f_parts) if f_parts else np.zeros(0, np.int64))
        villages_y = problem.pair_village[np.concatenate([y_cols, y_on]) - model.y.start]
        s_cols = model.s.start + np.flatnonzero(np.isin(model.s_village, villages_y))
        villages_x = problem.need_village[all_needs]
        g_cols = model.g.start + np.flatnonzero(np.isin(model.g_village, villages_x))
        return np.unique(
            np.concatenate(
                [x_cols, model.x.start + served_x, y_cols, y_on, f_cols, s_cols, g_cols]
            ).astype(np.int64)
        )

    def _subsample(
        self, pos: IntArray, served_x: IntArray, max_arcs: int
    ) -> tuple[IntArray, IntArray]:
        """Keep the arcs of a random subset of the needs, as many needs as fit ``max_arcs``."""
        problem, model = self.problem, self.model
        need_of_pos = self.cand_need[pos]
        need_of_served = problem.arc_need[model.x_arc[served_x]]
        needs, counts = np.unique(np.concatenate([need_of_pos, need_of_served]), return_counts=True)
        order = self.rng.permutation(len(needs))
        fits = np.cumsum(counts[order]) <= max_arcs
        chosen = np.zeros(problem.n_needs, dtype=np.bool_)
        chosen[needs[order[fits]]] = True
        return pos[chosen[need_of_pos]], served_x[chosen[need_of_served]]
