"""The whole model of H1-H8 and the objective of DESIGN §5 as one sparse matrix.

``max c·v + offset  s.t.  row_lo <= A v <= row_hi,  col_lo <= v <= col_hi,  v_j integral
for integral columns``. One builder serves the LP bound (:mod:`solvers.lp_bound`), the ``highs``
MIP (:mod:`solvers.highs`) and the large-neighbourhood search (:mod:`solvers.lns`), so the three
can never disagree about what a plan is. It is built with numpy and SciPy only (no per-variable
Python calls), so a county of 50,000 needs and millions of arcs compiles in seconds.

Columns, in this order (``LinearModel.x``, ``.y``, ``.f``, ``.s``, ``.g`` are the slices):

``x[a]``  binary: arc ``a`` serves its need (arcs of *servable* needs only, see
          :func:`servable_needs`); a pinned need's arc has lower bound 1.
``y[e]``  binary: pairing arc ``e`` is chosen.
``f[k]``  integer yuan pool ``f_pool[k]`` pays for need ``f_need[k]`` (needs with cost > 0 and two
          or more admitting pools; a need with one pool is charged to it as ``cost * x``).
``s[v]``  pairing shortfall of village ``s_village[k]``, in [0, min_cadres].
``g[v]``  fairness shortfall (value units) of village ``g_village[k]``, continuous >= 0.

Rows: H1 (at most one arc per need), H7 (pairings per cadre), H4 (hours per provider), H5 (the
funding of each multi-pool need equals its cost; pool totals), H6 (village caps), the shortfall
and fairness definitions, and optionally a limit on changes from a previous plan.

Rows that no choice of columns could violate are left out: they would only slow the solvers.

Hours are real numbers here, as the rules state them; ``hours_margin`` shrinks every capacity
by that much so that a plan a MIP solver accepts within its feasibility tolerance still passes
the evaluator. The LP bound uses margin 0, so it bounds the true optimum.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import scipy.sparse as sp

from matcher.problem.arrays import BoolArray, FloatArray, IntArray, Problem
from matcher.problem.solution import Funding, Solution

INF = float("inf")


def box_terms(d: FloatArray, lo: FloatArray, hi: FloatArray) -> FloatArray:
    """Most of ``d v`` per column over its box ``[lo, hi]``."""
    return np.where(d > 0, d * hi, d * lo)


def servable_needs(problem: Problem) -> BoolArray:
    """Needs that some plan could serve on their own: not held back by H8, with an arc, and
    fundable (cost 0, or cost within the village cap and the admitting pools' per-need limits)."""
    has_arc = np.diff(problem.need_arc_start) > 0
    ok = ~problem.need_blocked & has_arc
    cost = problem.need_cost
    if problem.n_needs == 0:
        return ok
    counts = np.diff(problem.need_pool_start)
    owner = np.repeat(np.arange(problem.n_needs), counts)
    limits = np.minimum(problem.pool_limit[problem.need_pool], cost[owner])
    reach = np.bincount(owner, weights=limits, minlength=problem.n_needs)
    fundable = (cost == 0) | ((cost <= problem.village_cap[problem.need_village]) & (reach >= cost))
    result: BoolArray = ok & fundable
    return result


@dataclass(frozen=True, eq=False)
class ChangeLimit:
    """At most ``limit`` assignments or pairings may differ from ``previous``."""

    previous: Solution
    limit: int
    # The register's measure (DESIGN §10): only assignments of ``previous`` moved or dropped
    # count; needs newly served and pairings do not (the register publishes assignments).
    register: bool = False


@dataclass(frozen=True, eq=False)
class LinearModel:
    """The compiled problem as a sparse MIP; see the module docstring for the columns."""

    c: FloatArray
    A: sp.csc_array
    row_lo: FloatArray
    row_hi: FloatArray
    col_lo: FloatArray
    col_hi: FloatArray
    integral: BoolArray
    offset: float
    x: slice
    y: slice
    f: slice
    s: slice
    g: slice
    x_arc: IntArray  # arc index of each x column
    f_need: IntArray
    f_pool: IntArray
    s_village: IntArray
    g_village: IntArray
    single_pool: IntArray  # per need: the one pool paying it, -1 otherwise
    row_kind: tuple[str, ...]  # a label per row block, for diagnostics
    row_block: IntArray  # block start positions, len(row_kind) + 1

    @property
    def n_cols(self) -> int:
        """Number of columns."""
        return len(self.c)

    @property
    def n_rows(self) -> int:
        """Number of rows."""
        return len(self.row_lo)

    def objective(self, v: FloatArray) -> float:
        """The objective of DESIGN §5 of a column vector."""
        return float(self.c @ v) + self.offset

    def with_more_changes(self, extra: float) -> LinearModel:
        """The same model with the limit on changes raised by ``extra`` (``inf``: lifted); the
        model itself when it has no such limit."""
        if "changes" not in self.row_kind:
            return self
        block = self.row_kind.index("changes")
        row_hi = self.row_hi.copy()
        row_hi[self.row_block[block] : self.row_block[block + 1]] += extra
        return replace(self, row_hi=row_hi)

    def violation(self, v: FloatArray) -> float:
        """The largest violation of a row or column bound by ``v`` (0 when feasible)."""
        return self.violation_of(v, self.A @ v, np.arange(self.n_cols))

    def violation_of(self, v: FloatArray, activity: FloatArray, columns: IntArray) -> float:
        """:meth:`violation` when ``activity`` is ``A @ v`` already and only ``columns`` may be
        out of their bounds (the others are known to be within)."""
        worst = 0.0
        if self.n_rows:
            worst = max(
                float((activity - self.row_hi).max()), float((self.row_lo - activity).max())
            )
        if len(columns):
            vc = v[columns]
            worst = max(
                worst,
                float((vc - self.col_hi[columns]).max()),
                float((self.col_lo[columns] - vc).max()),
            )
        return max(0.0, worst)

    def dual_bound(self, duals: FloatArray) -> float:
        """An upper bound on the model's optimum from *any* row multipliers (the safe bound of
        Neumaier and Shcherbina): ``c·v = y·Av + (c - Aᵀy)·v`` and both terms are bounded over
        the box, so the result is valid whatever the accuracy of the LP that gave ``duals``.

        Multipliers of the wrong sign for a one-sided row are set to 0 first.
        """
        y = self.multipliers(duals)
        d = self.c - self.A.T @ y
        cols = box_terms(d, self.col_lo, self.col_hi)
        return float(self.row_terms(y).sum() + cols.sum()) + self.offset

    def multipliers(self, duals: FloatArray) -> FloatArray:
        """A copy of ``duals`` with those of the wrong sign for a one-sided row set to 0."""
        y = np.asarray(duals, dtype=np.float64).copy()
        y[(y > 0) & ~np.isfinite(self.row_hi)] = 0.0
        y[(y < 0) & ~np.isfinite(self.row_lo)] = 0.0
        return y

    def row_terms(self, y: FloatArray) -> FloatArray:
        """Most of ``y_i (A v)_i`` per row over its bounds: ``y_i hi_i`` or ``y_i lo_i`` by the
        sign of the (cleaned, :meth:`multipliers`) multiplier."""
        return np.where(y > 0, y * np.where(y > 0, self.row_hi, 0.0), 0.0) + np.where(
            y < 0, y * np.where(y < 0, self.row_lo, 0.0), 0.0
        )

    def vector(self, problem: Problem, solution: Solution) -> FloatArray:
        """The column vector of a raw solution (shortfall and fairness columns at their least
        feasible values). Arcs not in the model (an unservable need served) are ignored, so
        :meth:`violation` is the check that the result is the whole plan."""
        v = np.zeros(self.n_cols)
        served = np.flatnonzero(solution.need_provider >= 0)
        arcs = self.x_arc
        if served.size and arcs.size:
            want = np.full(problem.n_needs, -1, dtype=np.int64)
            want[served] = solution.need_provider[served]
            hit = problem.arc_provider[arcs] == want[problem.arc_need[arcs]]
            v[self.x][hit] = 1.0
        if solution.pairings:
            key = problem.pair_cadre * len(problem.village_ids) + problem.pair_village
            chosen = {c * len(problem.village_ids) + vv for c, vv in solution.pairings}
            v[self.y] = np.isin(key, np.fromiter(chosen, np.int64, len(chosen))).astype(float)
        if self.f.stop > self.f.start:
            amount = {(fl.need, fl.pool): fl.amount for fl in solution.funding}
            v[self.f] = [
                amount.get((int(n), int(q)), 0)
                for n, q in zip(self.f_need, self.f_pool, strict=True)
            ]
        self.complete(problem, v)
        return v

    def complete(self, problem: Problem, v: FloatArray) -> None:
        """Set the shortfall and fairness columns of ``v`` to their least feasible values."""
        if self.s.stop > self.s.start:
            per_village = np.bincount(
                problem.pair_village, weights=v[self.y], minlength=len(problem.village_ids)
            )
            v[self.s] = np.maximum(0.0, problem.min_cadres - per_village[self.s_village])
        if self.g.stop > self.g.start:
            arcs = self.x_arc
            served_value = np.bincount(
                problem.need_village[problem.arc_need[arcs]],
                weights=v[self.x] * problem.need_value[problem.arc_need[arcs]],
                minlength=len(problem.village_ids),
            )
            floor = problem.fairness_floor * problem.village_servable_value
            v[self.g] = np.maximum(0.0, floor[self.g_village] - served_value[self.g_village])

    def solution(self, problem: Problem, v: FloatArray) -> Solution:
        """The raw solution of an integral column vector (values rounded)."""
        xs = np.rint(v[self.x]) > 0
        arcs = self.x_arc[xs]
        need_provider = np.full(problem.n_needs, -1, dtype=np.int64)
        need_provider[problem.arc_need[arcs]] = problem.arc_provider[arcs]
        served = need_provider >= 0
        funding = [
            Funding(int(n), int(q), int(a))
            for n, q, a in zip(
                self.f_need, self.f_pool, np.rint(v[self.f]).astype(np.int64), strict=True
            )
            if a > 0 and served[n]
        ]
        singles = np.flatnonzero(served & (self.single_pool >= 0))
        funding += [
            Funding(int(n), int(self.single_pool[n]), int(problem.need_cost[n])) for n in singles
        ]
        funding.sort(key=lambda fl: (fl.need, fl.pool))
        pairs = np.flatnonzero(np.rint(v[self.y]) > 0)
        pairings = tuple(
            (int(problem.pair_cadre[e]), int(problem.pair_village[e])) for e in pairs.tolist()
        )
        return Solution(need_provider, tuple(funding), pairings)


class _Rows:
    """Accumulates row blocks as COO triplets."""

    def __init__(self) -> None:
        self.rows: list[IntArray] = []
        self.cols: list[IntArray] = []
        self.vals: list[FloatArray] = []
        self.lo: list[FloatArray] = []
        self.hi: list[FloatArray] = []
        self.kinds: list[str] = []
        self.starts: list[int] = [0]
        self.n = 0

    def add(
        self,
        kind: str,
        row: IntArray,
        col: IntArray,
        val: FloatArray,
        lo: FloatArray,
        hi: FloatArray,
    ) -> None:
        """Add a block of ``len(lo)`` rows; ``row`` is local to the block."""
        self.rows.append(np.asarray(row, dtype=np.int64) + self.n)
        self.cols.append(np.asarray(col, dtype=np.int64))
        self.vals.append(np.asarray(val, dtype=np.float64))
        self.lo.append(np.asarray(lo, dtype=np.float64))
        self.hi.append(np.asarray(hi, dtype=np.float64))
        self.n += len(lo)
        self.kinds.append(kind)
        self.starts.append(self.n)


def _sum_by(keys: IntArray, weights: FloatArray, n: int) -> FloatArray:
    """Σ weights per key as floats (``np.bincount`` returns ints for empty input)."""
    return np.bincount(keys, weights=weights, minlength=n).astype(np.float64)


def _compact(keys: IntArray, keep: BoolArray) -> IntArray:
    """Local row number of each key among the kept keys (-1 for dropped)."""
    local = np.full(len(keep), -1, dtype=np.int64)
    local[keep] = np.arange(int(keep.sum()))
    return local[keys]


@dataclass(eq=False)
class _Block:
    """A block of columns: where they are, objective coefficients, bounds and integrality."""

    at: slice
    cols: IntArray  # the column numbers, at.start ... at.stop - 1
    c: FloatArray
    lo: FloatArray
    hi: FloatArray
    integral: bool


class _Columns:
    """Accumulates column blocks, each after the last."""

    def __init__(self) -> None:
        self.blocks: list[_Block] = []
        self.n = 0

    def add(self, hi: FloatArray, integral: bool = True) -> _Block:
        """Add ``len(hi)`` columns in ``[0, hi]`` with objective coefficient 0."""
        n = len(hi)
        block = _Block(
            at=slice(self.n, self.n + n),
            cols=self.n + np.arange(n, dtype=np.int64),
            c=np.zeros(n),
            lo=np.zeros(n),
            hi=np.array(hi, dtype=np.float64),
            integral=integral,
        )
        self.blocks.append(block)
        self.n += n
        return block


def _no_ints() -> IntArray:
    """An empty index array (a dataclass default)."""
    return np.zeros(0, dtype=np.int64)


@dataclass(eq=False)
class _Builder:
    """The model while :func:`build_linear_model` adds it rule by rule, and what the rules share.

    Each ``_add_*`` function appends its columns (after the ones before) and its rows, so the
    call order is the column and row order of the model, which the solvers' results depend on.
    """

    problem: Problem
    arcs: IntArray  # arc of each x column
    a_need: IntArray  # need of each x column
    a_prov: IntArray  # provider of each x column
    a_vill: IntArray  # village of each x column
    cost: FloatArray  # per need
    paid: BoolArray  # servable needs with cost > 0
    columns: _Columns
    x: _Block
    y: _Block
    rows: _Rows = field(default_factory=_Rows)
    # constant objective terms; -0.0 is the exact identity of +=
    offset: float = -0.0
    f: _Block | None = None
    f_need: IntArray = field(default_factory=_no_ints)
    f_pool: IntArray = field(default_factory=_no_ints)
    single_pool: IntArray = field(default_factory=_no_ints)
    s: _Block | None = None
    s_village: IntArray = field(default_factory=_no_ints)
    g: _Block | None = None
    g_village: IntArray = field(default_factory=_no_ints)

    @classmethod
    def start(cls, problem: Problem) -> _Builder:
        """The binary decision columns: ``x`` per arc of a servable need, then ``y`` per
        pairing arc, with objective coefficient 0 for now."""
        servable = servable_needs(problem)
        arcs = np.flatnonzero(servable[problem.arc_need]).astype(np.int64)
        a_need = problem.arc_need[arcs]
        columns = _Columns()
        x = columns.add(np.ones(len(arcs)))
        y = columns.add(np.ones(len(problem.pair_cadre)))
        return cls(
            problem=problem,
            arcs=arcs,
            a_need=a_need,
            a_prov=problem.arc_provider[arcs],
            a_vill=problem.need_village[a_need],
            cost=problem.need_cost.astype(np.float64),
            paid=servable & (problem.need_cost > 0),
            columns=columns,
            x=x,
            y=y,
        )

    def model(self) -> LinearModel:
        """The finished :class:`LinearModel`."""
        assert self.f is not None and self.s is not None and self.g is not None
        blocks, rows = self.columns.blocks, self.rows
        A = sp.csc_array(
            (
                np.concatenate(rows.vals) if rows.vals else np.zeros(0),
                (
                    np.concatenate(rows.rows) if rows.rows else np.zeros(0, np.int64),
                    np.concatenate(rows.cols) if rows.cols else np.zeros(0, np.int64),
                ),
            ),
            shape=(rows.n, self.columns.n),
        )
        A.sum_duplicates()
        return LinearModel(
            c=np.concatenate([b.c for b in blocks]),
            A=A,
            row_lo=np.concatenate(rows.lo) if rows.lo else np.zeros(0),
            row_hi=np.concatenate(rows.hi) if rows.hi else np.zeros(0),
            col_lo=np.concatenate([b.lo for b in blocks]),
            col_hi=np.concatenate([b.hi for b in blocks]),
            integral=np.concatenate([np.full(len(b.c), b.integral) for b in blocks]),
            offset=float(self.offset),
            x=self.x.at,
            y=self.y.at,
            f=self.f.at,
            s=self.s.at,
            g=self.g.at,
            x_arc=self.arcs,
            f_need=self.f_need,
            f_pool=self.f_pool,
            s_village=self.s_village,
            g_village=self.g_village,
            single_pool=self.single_pool,
            row_kind=tuple(rows.kinds),
            row_block=np.asarray(rows.starts, dtype=np.int64),
        )


def build_linear_model(
    problem: Problem,
    hours_margin: float = 0.0,
    change_limit: ChangeLimit | None = None,
) -> LinearModel:
    """Compile ``problem`` into a :class:`LinearModel`: one function per hard rule, then per
    objective term.

    H2 (skill and level) and H3 (travel, towns, reachability) hold on every arc by construction;
    H8 (no repeat aid) is in :func:`servable_needs`: a held-back need gets no column. The order
    of the calls is the column and row order, the same as in :func:`solvers.cpsat._build`; keep
    it (H7 before H4 included): HiGHS's results, and so the plans, depend on it.
    """
    b = _Builder.start(problem)
    _add_h1_served_once(b)
    _add_h7_pairings(b)
    _add_h4_hours(b, hours_margin)
    _add_h5_funding(b)
    _add_h6_village_cap(b)
    _add_served_value(b)
    _add_pairing_changes(b)
    _add_shortfall(b)
    _add_fairness(b)
    if change_limit is not None:
        _add_max_changes(b, change_limit)
    return b.model()


def _add_h1_served_once(b: _Builder) -> None:
    """H1 (DESIGN §4): ``Σ x <= 1`` per need with two or more arcs; a pinned need's arc to its
    provider gets lower bound 1, and a pinned need the model cannot serve by that provider (held
    back, unfundable, no such arc) an empty row that must reach 1, so the model is infeasible."""
    problem, a_need = b.problem, b.a_need
    pinned = problem.need_pinned[a_need]
    at_pin = (pinned >= 0) & (pinned == b.a_prov)
    b.x.lo[at_pin] = 1.0
    pinned_needs = np.flatnonzero(problem.need_pinned >= 0)
    has_pinned_arc = np.zeros(problem.n_needs, dtype=np.bool_)
    has_pinned_arc[a_need[at_pin]] = True
    lost = pinned_needs[~has_pinned_arc[pinned_needs]]
    empty = np.zeros(0, dtype=np.int64)
    b.rows.add("pinned", empty, empty, np.zeros(0), np.ones(len(lost)), np.full(len(lost), INF))

    per_need = np.bincount(a_need, minlength=problem.n_needs)
    r = _compact(a_need, per_need >= 2)
    k = r >= 0
    m = int((per_need >= 2).sum())
    b.rows.add("H1", r[k], b.x.cols[k], np.ones(int(k.sum())), np.full(m, -INF), np.ones(m))


def _add_h7_pairings(b: _Builder) -> None:
    """H7 (DESIGN §4): ``Σ y <= max_villages`` per cadre with more pairing arcs than that. Only
    cadres, within their travel limit, once per village: that is what the pairing arcs are."""
    problem = b.problem
    pairs_per = np.bincount(problem.pair_cadre, minlength=problem.n_providers)
    over = pairs_per > problem.provider_max_villages
    r = _compact(problem.pair_cadre, over)
    k = r >= 0
    b.rows.add(
        "H7",
        r[k],
        b.y.cols[k],
        np.ones(int(k.sum())),
        np.full(int(over.sum()), -INF),
        problem.provider_max_villages[over].astype(float),
    )


def _add_h4_hours(b: _Builder, hours_margin: float) -> None:
    """H4 (DESIGN §4): per provider, hours of its arcs and pairings ``<=`` its hours less
    ``hours_margin``; left out when everything fits."""
    problem, arcs, a_prov = b.problem, b.arcs, b.a_prov
    n_prov = problem.n_providers
    load = _sum_by(a_prov, problem.arc_hours[arcs], n_prov)
    load += _sum_by(problem.pair_cadre, problem.pair_hours, n_prov)
    cap = np.maximum(0.0, problem.provider_capacity - hours_margin)
    tight = load > cap
    ra, rp = _compact(a_prov, tight), _compact(problem.pair_cadre, tight)
    b.rows.add(
        "H4",
        np.concatenate([ra[ra >= 0], rp[rp >= 0]]),
        np.concatenate([b.x.cols[ra >= 0], b.y.cols[rp >= 0]]),
        np.concatenate([problem.arc_hours[arcs][ra >= 0], problem.pair_hours[rp >= 0]]),
        np.full(int(tight.sum()), -INF),
        cap[tight],
    )


def _add_h5_funding(b: _Builder) -> None:
    """H5 (DESIGN §4): per need with cost > 0 and two or more admitting pools (limit > 0), an
    ``f`` column per pool in [0, min(limit, cost)] and ``Σ f = cost * Σ x``; a need with one such
    pool is charged to it as ``cost * x``. Pool totals ``<= amount`` where the most they could
    pay exceeds it."""
    problem, cost, a_need = b.problem, b.cost, b.a_need
    n_pools = len(problem.pool_ids)
    multi, f_need, f_pool, single_pool = _funding_split(problem, b.paid)
    f = b.columns.add(np.minimum(problem.pool_limit[f_pool], problem.need_cost[f_need]))
    b.f, b.f_need, b.f_pool, b.single_pool = f, f_need, f_pool, single_pool
    n_f = len(f_need)

    r_f = _compact(f_need, multi)
    r_x = _compact(a_need, multi)
    kx = r_x >= 0
    n_multi = int(multi.sum())
    b.rows.add(
        "H5 need",
        np.concatenate([r_f, r_x[kx]]),
        np.concatenate([f.cols, b.x.cols[kx]]),
        np.concatenate([np.ones(n_f), -cost[a_need[kx]]]),
        np.zeros(n_multi),
        np.zeros(n_multi),
    )
    x_single = single_pool[a_need]
    ks = x_single >= 0
    pool_load = _sum_by(f_pool, f.hi, n_pools)
    pool_load += _sum_by(single_pool[single_pool >= 0], cost[single_pool >= 0], n_pools)
    pool_tight = pool_load > problem.pool_amount
    r_pf = _compact(f_pool, pool_tight)
    r_px = _compact(x_single[ks], pool_tight) if ks.any() else np.zeros(0, np.int64)
    b.rows.add(
        "H5 pool",
        np.concatenate([r_pf[r_pf >= 0], r_px[r_px >= 0]]),
        np.concatenate([f.cols[r_pf >= 0], b.x.cols[ks][r_px >= 0]]),
        np.concatenate([np.ones(int((r_pf >= 0).sum())), cost[a_need[ks]][r_px >= 0]]),
        np.full(int(pool_tight.sum()), -INF),
        problem.pool_amount[pool_tight].astype(float),
    )


def _funding_split(
    problem: Problem, paid: BoolArray
) -> tuple[BoolArray, IntArray, IntArray, IntArray]:
    """How H5 funds each need of ``paid``: the needs with two or more admitting pools of positive
    limit, the (need, pool) of each of their ``f`` columns, and per need the one such pool
    charged ``cost * x`` (-1 for the others)."""
    n_needs = problem.n_needs
    counts = np.diff(problem.need_pool_start)
    owner = np.repeat(np.arange(n_needs), counts)
    pool_ok = problem.pool_limit[problem.need_pool] > 0
    usable = np.bincount(owner[pool_ok], minlength=n_needs)
    multi = paid & (usable >= 2)
    keep_f = multi[owner] & pool_ok
    single_pool = np.full(n_needs, -1, dtype=np.int64)
    one = paid & (usable == 1)
    single_pool[owner[one[owner] & pool_ok]] = problem.need_pool[one[owner] & pool_ok]
    return multi, owner[keep_f], problem.need_pool[keep_f], single_pool


def _add_h6_village_cap(b: _Builder) -> None:
    """H6 (DESIGN §4): per village, ``Σ cost * x <= cap`` over its arcs with cost > 0; left out
    when the costs of all its servable needs fit."""
    problem, cost, a_need = b.problem, b.cost, b.a_need
    need_cost_by_village = _sum_by(
        problem.need_village[b.paid], cost[b.paid], len(problem.village_ids)
    )
    cap_tight = need_cost_by_village > problem.village_cap
    rv = _compact(b.a_vill, cap_tight)
    kv = (rv >= 0) & (cost[a_need] > 0)
    b.rows.add(
        "H6",
        rv[kv],
        b.x.cols[kv],
        cost[a_need[kv]],
        np.full(int(cap_tight.sum()), -INF),
        problem.village_cap[cap_tight].astype(float),
    )


def _add_served_value(b: _Builder) -> None:
    """Objective, DESIGN §5: ``value - travel penalty`` per arc, the coefficient of ``x``."""
    b.x.c[:] = b.problem.arc_value[b.arcs]


def _add_pairing_changes(b: _Builder) -> None:
    """Objective, DESIGN §5: every existing pairing costs its change penalty (a constant), and
    keeping one (``y = 1`` on an existing pairing arc) earns the penalty back."""
    problem = b.problem
    b.offset += -problem.change_penalty * problem.existing_pairings
    b.y.c[:] = np.where(problem.pair_existing, problem.change_penalty, 0.0)


def _add_shortfall(b: _Builder) -> None:
    """Objective, DESIGN §5: an ``s`` column in [0, min_cadres] per village with a pairing arc,
    penalised, and ``s + Σ y >= min_cadres``; a village with none is short of every cadre (a
    constant)."""
    problem = b.problem
    n_vill = len(problem.village_ids)
    pair_count = np.bincount(problem.pair_village, minlength=n_vill)
    if problem.min_cadres > 0 and problem.shortfall_penalty > 0:
        b.s_village = np.flatnonzero(pair_count > 0).astype(np.int64)
        b.offset -= problem.shortfall_penalty * problem.min_cadres * int((pair_count == 0).sum())
    n_s = len(b.s_village)
    s = b.columns.add(np.full(n_s, problem.min_cadres))
    s.c[:] = -problem.shortfall_penalty
    b.s = s
    if n_s:
        rs = _compact(problem.pair_village, np.isin(np.arange(n_vill), b.s_village))
        ks = rs >= 0
        b.rows.add(
            "shortfall",
            np.concatenate([np.arange(n_s), rs[ks]]),
            np.concatenate([s.cols, b.y.cols[ks]]),
            np.ones(n_s + int(ks.sum())),
            np.full(n_s, float(problem.min_cadres)),
            np.full(n_s, INF),
        )


def _add_fairness(b: _Builder) -> None:
    """Objective, DESIGN §5: a continuous ``g`` column in [0, floor] per village with a floor
    and an arc, penalised by ``fairness_weight``, and ``g + Σ value * x >= floor``; a village
    with a floor and no arc is a constant."""
    problem = b.problem
    n_vill = len(problem.village_ids)
    floor = problem.fairness_floor * problem.village_servable_value
    arc_count = np.bincount(b.a_vill, minlength=n_vill)
    if problem.fairness_weight > 0 and problem.fairness_floor > 0:
        b.g_village = np.flatnonzero((floor > 0) & (arc_count > 0)).astype(np.int64)
        b.offset -= problem.fairness_weight * float(floor[(floor > 0) & (arc_count == 0)].sum())
    n_g = len(b.g_village)
    g = b.columns.add(floor[b.g_village], integral=False)
    g.c[:] = -problem.fairness_weight
    b.g = g
    if n_g:
        rg = _compact(b.a_vill, np.isin(np.arange(n_vill), b.g_village))
        kg = rg >= 0
        b.rows.add(
            "fairness",
            np.concatenate([np.arange(n_g), rg[kg]]),
            np.concatenate([g.cols, b.x.cols[kg]]),
            np.concatenate([np.ones(n_g), problem.need_value[b.a_need[kg]]]),
            floor[b.g_village],
            np.full(n_g, INF),
        )


def _add_max_changes(b: _Builder, limit: ChangeLimit) -> None:
    """The max_changes row (``--max-changes``): changed assignments + changed pairings <= K
    (with ``limit.register``, only assignments of ``previous`` moved or dropped count).

    A need served before by arc ``a`` changes unless ``x[a] = 1``; a need unserved before
    changes when any arc serves it; a pairing changes when ``y`` differs from before. So
    changes = (#served before - Σ x[kept arcs]) + Σ x[arcs of needs unserved before]
    + (#paired before - Σ y[kept]) + Σ y[others]."""
    problem, prev = b.problem, limit.previous
    before = prev.need_provider[b.a_need]
    kept = (before >= 0) & (b.a_prov == before)
    fresh = (before < 0) & (not limit.register)
    key = problem.pair_cadre * len(problem.village_ids) + problem.pair_village
    chosen = np.fromiter(
        (c * len(problem.village_ids) + v for c, v in set(prev.pairings)), dtype=np.int64
    )
    was_paired = np.isin(key, chosen)
    served_before = int((prev.need_provider >= 0).sum())
    coef_x = np.where(kept, -1.0, np.where(fresh, 1.0, 0.0))
    coef_y = np.where(was_paired, -1.0, 1.0)
    y_cols = b.y.cols
    constant = served_before + len(set(prev.pairings))
    if limit.register:
        coef_y, y_cols, constant = coef_y[:0], y_cols[:0], served_before
    kx = coef_x != 0
    cols = np.concatenate([b.x.cols[kx], y_cols])
    vals = np.concatenate([coef_x[kx], coef_y])
    b.rows.add(
        "changes",
        np.zeros(len(cols), dtype=np.int64),
        cols,
        vals,
        np.array([-INF]),
        np.array([float(limit.limit - constant)]),
    )
