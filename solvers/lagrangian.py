"""A Lagrangian upper bound on the model's optimum, tighter than the LP bound where providers'
hours bind on few needs each.

Relaxing every row of the :class:`~solvers.linear_model.LinearModel` except H4 (hours per
provider) and H7 (pairings per cadre) with multipliers ``u``, what is left separates: one small
0/1 knapsack per provider (its arcs and pairings, profit the reduced cost
``c_j - Σ_{relaxed rows i} A_ij u_i``, weight the hours, each pairing also one unit of the cadre's
H7 limit) and columns in neither row, each bounded over its box. So for *any* multipliers

    bound(u) = offset + Σ_{relaxed rows} (u_i hi_i or u_i lo_i) + Σ_{free columns} max(d lo, d hi)
               + Σ_{providers} knapsack optimum

bounds the optimum, as :meth:`LinearModel.dual_bound` does with every row relaxed. The LP
relaxation solves each knapsack fractionally; here it is solved in integers, which is what
closes the gap on counties where a provider does only three or four needs: a provider with 10
hours and three needs of 6 hours does one of them, not one and two thirds.

Safety: the hours are real numbers, the knapsack is solved by dynamic programming over a grid of
whole units (:data:`GRID_UNITS` per hour, fewer for large capacities) with every weight rounded
*down* and the capacity rounded *down* after adding the evaluator's tolerance: a relaxation of
the real knapsack, so still an upper bound. Each provider's value is also capped by its
LP-style term (the ``dual_bound`` contribution of its rows and columns), which is always valid,
so with the LP duals the result is never above the LP's safe bound.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matcher.problem.arrays import BoolArray, FloatArray, IntArray
from solvers.linear_model import LinearModel, box_terms

GRID_UNITS = (60.0, 30.0, 20.0, 12.0, 10.0, 6.0, 4.0, 2.0, 1.0)
"""Grid units per hour tried in turn, finest first: divisors of 60, so hours in whole minutes
stay exact on every grid down to 1 (only the rounding down of other hours loosens the bound)."""

MAX_CELLS = 20_000
"""Largest capacity in grid units: a provider's knapsack uses the finest grid that keeps its
capacity within this (each item costs one pass over the capacity axis)."""

CAPACITY_SLACK = 1e-6
"""Hours added to every capacity before rounding down: the evaluator's hours tolerance, so a
plan it accepts is within the relaxation (float products such as ``0.7 * 60`` land a hair
either side of the whole unit)."""


@dataclass(frozen=True)
class LagrangianResult:
    """A bound and what computing it took."""

    bound: float  # proven upper bound on the model's optimum
    knapsacks: int  # providers whose knapsack was solved by dynamic programming
    items: int  # knapsack items (positive profit or forced) over all providers
    seconds: float


@dataclass(frozen=True, eq=False)
class LagrangianStructure:
    """Which rows stay, and the knapsack group, weight and card flag of each column: what the
    bound needs of the model (:func:`lagrangian_structure`), whatever the multipliers."""

    kept: BoolArray  # per row: H4 or H7 (not relaxed)
    group: IntArray  # per column: its knapsack (-1: in no kept row)
    hours: FloatArray  # per column: its H4 coefficient (0 if none)
    card: BoolArray  # per column: in an H7 row
    capacity: FloatArray  # per group: hours (inf if the group has no H4 row)
    limit: FloatArray  # per group: H7 limit (inf if none)
    row_group: IntArray  # per row: its group (-1: relaxed)


def _block(model: LinearModel, kind: str) -> tuple[int, int]:
    """Row range of a block (empty when the model has none)."""
    if kind not in model.row_kind:
        return 0, 0
    b = model.row_kind.index(kind)
    return int(model.row_block[b]), int(model.row_block[b + 1])


def _entries_in(
    A: sp.csc_array, cols_of: IntArray, lo: int, hi: int, kind: str
) -> tuple[IntArray, IntArray, FloatArray]:
    """Column, local row and coefficient of the matrix entries in rows ``[lo, hi)``; a column
    with two entries there breaks the knapsack structure."""
    rows = A.indices
    inside = (rows >= lo) & (rows < hi) & (A.data != 0)
    cols = cols_of[inside]
    if len(cols) and int(np.bincount(cols).max()) > 1:
        raise ValueError(f"a column has entries in two {kind} rows")
    return cols, rows[inside].astype(np.int64) - lo, A.data[inside]


def lagrangian_structure(model: LinearModel) -> LagrangianStructure:
    """The knapsack structure of ``model``: a group per H4 row (a provider's hours), then one per
    H7 row of a cadre without one. Raises ValueError where the model does not have the shape the
    bound relies on (it has, by construction of :func:`build_linear_model`)."""
    n = model.n_cols
    a4, b4 = _block(model, "H4")
    a7, b7 = _block(model, "H7")
    n4, n7 = b4 - a4, b7 - a7
    kept = np.zeros(model.n_rows, dtype=np.bool_)
    kept[a4:b4] = True
    kept[a7:b7] = True
    if (model.row_lo[kept] > -np.inf).any() or not np.isfinite(model.row_hi[kept]).all():
        raise ValueError("H4 and H7 rows must be upper limits only")
    A = sp.csc_array(model.A)
    A.sum_duplicates()
    cols_of = np.repeat(np.arange(n, dtype=np.int64), np.diff(A.indptr))
    c4, r4, v4 = _entries_in(A, cols_of, a4, b4, "H4")
    c7, r7, v7 = _entries_in(A, cols_of, a7, b7, "H7")
    if (v4 < 0).any() or (v7 != 1).any():
        raise ValueError("H4 coefficients must be hours >= 0 and H7 coefficients 1")
    row4 = np.full(n, -1, dtype=np.int64)
    row4[c4] = r4
    row7 = np.full(n, -1, dtype=np.int64)
    row7[c7] = r7
    hours = np.zeros(n)
    hours[c4] = v4
    card = row7 >= 0
    inside = (row4 >= 0) | card
    lo, hi = model.col_lo[inside], model.col_hi[inside]
    binary = ((lo == 0) | (lo == 1)) & ((hi == 0) | (hi == 1)) & (lo <= hi)
    if not (binary.all() and model.integral[inside].all()):
        raise ValueError("columns in H4 or H7 rows must be binary")
    # Each H7 row must lie within one H4 row (or none): a cadre's pairings, one provider.
    h7_in = np.full(n7, -2, dtype=np.int64)
    h7_in[r7] = row4[c7]
    if n7 and len(c7):
        low = np.full(n7, np.iinfo(np.int64).max)
        np.minimum.at(low, r7, row4[c7])
        if (low[r7] != row4[c7]).any():
            raise ValueError("an H7 row spans two H4 rows (or one and none)")
    # An H4 row must hold at most one H7 row's columns.
    if n4 and len(c7):
        with_h4 = row4[c7] >= 0
        first = np.full(n4, -1, dtype=np.int64)
        first[row4[c7][with_h4]] = r7[with_h4]
        if (first[row4[c7][with_h4]] != r7[with_h4]).any():
            raise ValueError("an H4 row holds two H7 rows")
    own7 = h7_in < 0  # H7 rows whose cadre has no H4 row form their own group
    group7 = np.where(own7, n4 + np.cumsum(own7) - 1, h7_in)
    group = row4.copy()
    group[c7] = group7[r7]
    n_groups = n4 + int(own7.sum())
    capacity = np.full(n_groups, np.inf)
    capacity[:n4] = model.row_hi[a4:b4]
    limit = np.full(n_groups, np.inf)
    limit[group7] = model.row_hi[a7:b7]
    row_group = np.full(model.n_rows, -1, dtype=np.int64)
    row_group[a4:b4] = np.arange(n4)
    row_group[a7:b7] = group7
    return LagrangianStructure(kept, group, hours, card, capacity, limit, row_group)


def _grid(capacity: float) -> float:
    """Grid units per hour for a knapsack of ``capacity`` hours."""
    for units in GRID_UNITS:
        if capacity * units <= MAX_CELLS:
            return units
    return MAX_CELLS / capacity


def _knapsack(
    profit: FloatArray,
    weight: IntArray,
    card: BoolArray,
    cap: int,
    limit: int,
    rates: tuple[float, float],
) -> float:
    """Most profit of a subset of the items (profits > 0, whole weights in ``[0, cap]``) with
    weight at most ``cap`` and at most ``limit`` card items; ``rates`` are prices of a weight
    unit and of a card item (any, >= 0) that reduce the problem before the dynamic program."""
    total_weight = int(weight.sum())
    n_card = int(card.sum())
    if total_weight <= cap:
        if n_card <= limit:
            return float(profit.sum())
        # Hours do not bind: all the other items and the best ``limit`` card items.
        return float(profit[~card].sum() + np.sort(profit[card])[::-1][:limit].sum())
    lower, bounds = _greedy(profit, weight, card, cap, limit), []
    ratio = profit / np.maximum(weight, 1e-300)
    order = np.argsort(-ratio, kind="stable")
    over = np.flatnonzero(np.cumsum(weight[order]) > cap)
    critical = float(ratio[order[over[0]]]) if len(over) else 0.0
    keep = np.ones(len(profit), dtype=np.bool_)
    take = np.zeros(len(profit), dtype=np.bool_)
    slack = 1e-9 * (1.0 + abs(lower))
    # Any prices r, q >= 0 bound every subset S: Σ_S p <= U + Σ_{S} e - Σ_{not S} e⁺ with
    # e = p - r w - q card and U = r cap + q limit + Σ e⁺. An item whose taking (leaving) alone
    # brings that below the greedy plan's profit is out of (in) every optimal subset.
    for r, q in ((critical, 0.0), rates):
        excess = profit - r * weight - q * card
        upper = r * cap + q * limit + float(np.maximum(excess, 0.0).sum())
        if upper <= lower + slack:
            return upper
        bounds.append(upper)
        keep &= ~((excess < 0) & (upper + excess < lower - slack))
        take |= (excess > 0) & (upper - excess < lower - slack)
    base = float(profit[take].sum())
    cap -= int(weight[take].sum())
    limit -= int(card[take].sum())
    if cap < 0 or limit < 0:
        return min(bounds)  # float noise contradicting the reasoning: the bound still holds
    rest = keep & ~take
    profit, weight, card = profit[rest], weight[rest], card[rest]
    fits = weight <= cap
    profit, weight, card = profit[fits], weight[fits], card[fits]
    if int(weight.sum()) <= cap and int(card.sum()) <= limit:
        return base + float(profit.sum())
    return base + _dynamic(profit, weight, card, cap, limit)


def _greedy(profit: FloatArray, weight: IntArray, card: BoolArray, cap: int, limit: int) -> float:
    """Profit of a feasible subset: items by profit per weight unit, each taken when it fits."""
    order = np.argsort(-(profit / np.maximum(weight, 1e-300)), kind="stable")
    total = 0.0
    for p, w, is_card in zip(
        profit[order].tolist(), weight[order].tolist(), card[order].tolist(), strict=True
    ):
        if w <= cap and (limit > 0 or not is_card):
            total += p
            cap -= w
            limit -= is_card
    return total


def _dynamic(profit: FloatArray, weight: IntArray, card: BoolArray, cap: int, limit: int) -> float:
    """:func:`_knapsack` by dynamic programming, one vectorised pass over capacity per item. The
    card items (a cadre's pairings) get a table with a row per count, the others one row, and the
    two tables are merged: the others, usually most items, never pay for the count axis."""
    cap = min(cap, int(weight.sum()))
    other = _table(profit[~card], weight[~card], cap)
    if not card.any():
        return float(other[cap])
    k = min(limit, int(card.sum()))
    if k < int(card.sum()):
        # dp[j, w]: most profit with at most j card items and weight at most w.
        dp = np.zeros((k + 1, cap + 1))
        for p, w in zip(profit[card].tolist(), weight[card].tolist(), strict=True):
            if k:
                np.maximum(dp[1:, w:], dp[:-1, : cap + 1 - w] + p, out=dp[1:, w:])
        cards = dp[k]
    else:
        cards = _table(profit[card], weight[card], cap)
    return float((other + cards[::-1]).max())


def _table(profit: FloatArray, weight: IntArray, cap: int) -> FloatArray:
    """Most profit of the items within each weight ``0 ... cap``."""
    row = np.zeros(cap + 1)
    for p, w in zip(profit.tolist(), weight.tolist(), strict=True):
        np.maximum(row[w:], row[: cap + 1 - w] + p, out=row[w:])
    return row


def lagrangian(
    model: LinearModel,
    duals: FloatArray,
    deadline: float | None = None,
    stop: threading.Event | None = None,
) -> LagrangianResult | None:
    """The Lagrangian bound of ``model`` for the row multipliers ``duals`` (any values, signs as
    for a maximisation); ``None`` when the ``time.perf_counter()`` ``deadline`` passes or the
    caller's ``stop`` is set first.

    The multipliers of the H4 and H7 rows are not needed by the knapsacks; they give each
    provider's LP-style term, which caps its knapsack value (and replaces it where the pinned
    columns alone break a limit), and prices that shrink the knapsack before it is solved.
    Raises ValueError if the H4 and H7 rows do not have the shape of
    :func:`~solvers.linear_model.build_linear_model`'s (binary columns, one hours row and one
    pairings row at most per column, a cadre's pairings row within its hours row)."""
    started = time.perf_counter()
    if deadline is not None and started > deadline:
        return None
    st = lagrangian_structure(model)
    u = model.multipliers(duals)
    u_relaxed = np.where(st.kept, 0.0, u)
    d = model.c - model.A.T @ u_relaxed
    free = st.group < 0
    total = float(model.row_terms(u_relaxed).sum())
    total += float(box_terms(d[free], model.col_lo[free], model.col_hi[free]).sum())
    total += model.offset

    # Per group, the LP-style term: what dual_bound counts for its rows and columns. Columns
    # outside ``items`` have d <= 0 and lower bound 0, and H4/H7 multipliers are >= 0, so they
    # add nothing to it.
    forced = model.col_lo > 0
    items = np.flatnonzero(~free & ((d > 0) | forced) & (model.col_hi > 0))
    items = items[np.argsort(st.group[items], kind="stable")]
    n_groups = len(st.capacity)
    a4, b4 = _block(model, "H4")
    a7, b7 = _block(model, "H7")
    n4 = b4 - a4
    lp_term = np.bincount(
        st.row_group[st.kept], weights=model.row_terms(u)[st.kept], minlength=n_groups
    ).astype(np.float64)
    u_group_hours = np.zeros(n_groups)
    u_group_hours[st.row_group[a4:b4]] = u[a4:b4]
    u_group_card = np.zeros(n_groups)
    u_group_card[st.row_group[a7:b7]] = u[a7:b7]
    g = st.group[items]
    d_full = d[items] - st.hours[items] * u_group_hours[g] - st.card[items] * u_group_card[g]
    lp_term += np.bincount(
        g, weights=box_terms(d_full, model.col_lo[items], model.col_hi[items]), minlength=n_groups
    )

    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.zeros(0, np.int64)
    ends = np.append(starts[1:], len(g)) if len(g) else starts
    value = np.minimum(lp_term, 0.0)  # a group with no items takes none (if that is feasible)
    empty = np.ones(n_groups, dtype=np.bool_)
    knapsacks = 0
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        if (deadline is not None and time.perf_counter() > deadline) or (
            stop is not None and stop.is_set()
        ):
            return None
        grp = int(g[s])
        empty[grp] = False
        cols = items[s:e]
        capacity, limit = float(st.capacity[grp]), float(st.limit[grp])
        units = _grid(capacity) if grp < n4 else 1.0
        cap = math.floor((capacity + CAPACITY_SLACK) * units) if grp < n4 else 0
        weight = np.floor(st.hours[cols] * units).astype(np.int64) if grp < n4 else None
        lim = math.floor(limit + 1e-9) if math.isfinite(limit) else len(cols)
        pinned = forced[cols]
        card = st.card[cols]
        base = float(d[cols][pinned].sum())
        if grp < n4:
            assert weight is not None
            cap -= int(weight[pinned].sum())
        lim -= int(card[pinned].sum())
        if cap < 0 or lim < 0:
            value[grp] = lp_term[grp]  # the pinned columns alone break a limit: no plan
            continue
        free_items = ~pinned
        profit = d[cols][free_items]
        is_card = card[free_items]
        if grp < n4:
            assert weight is not None
            w = weight[free_items]
            fits = w <= cap
            profit, w, is_card = profit[fits], w[fits], is_card[fits]
            rates = (float(u_group_hours[grp]) / units, float(u_group_card[grp]))
            best = _knapsack(profit, w, is_card, cap, lim, rates)
            knapsacks += 1
        else:
            # Cardinality only: the ``lim`` most profitable pairings.
            best = float(np.sort(profit)[::-1][:lim].sum())
        value[grp] = min(base + best, lp_term[grp])
    # Groups without items: empty is feasible when the limits are >= 0, else no plan exists.
    no_plan = empty & ((st.capacity + CAPACITY_SLACK < 0) | (st.limit < 0))
    value[no_plan] = lp_term[no_plan]
    return LagrangianResult(
        bound=total + float(value.sum()),
        knapsacks=knapsacks,
        items=len(items),
        seconds=time.perf_counter() - started,
    )


def lagrangian_bound(
    model: LinearModel, duals: FloatArray, deadline: float | None = None
) -> float | None:
    """The Lagrangian upper bound of ``model`` for the multipliers ``duals`` (typically the LP
    duals of :func:`solvers.lp_bound.solve_lp`), or ``None`` if the ``deadline`` passes first."""
    result = lagrangian(model, duals, deadline)
    return None if result is None else result.bound
