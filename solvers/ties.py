"""Ties: which of several equally good plans a solver returns, decided by the data.

Many plans have the same objective: two cadres at the same base with the same skills serve a
need equally well, and any split of a need's cost among the pools that admit it is as good as
another. Left to HiGHS, which of them a run returns depends on its seed and on the path of its
search, so two runs of the same county would reshuffle people for nothing. This module gives
every plan a *preference*, a secondary score over the decision columns, which the solvers use
only lexicographically: among plans whose objective (DESIGN §5) is the same, the preferred one
is kept. It never trades objective for preference.

The preference, highest first:

1. a reference plan's decisions: the previous plan when re-planning, else (in ``auto``) the
   plan its search starts from, which the data alone decides. Each of its assignments and
   pairings kept weighs 1, and each need's funding from the pools that paid it before; against
   these the canonical order below weighs at most 0.01 a column. So an improvement moves only
   what it must, and two runs differ only where their searches found better;
2. a canonical order fixed by the data: each need is best served by its nearest provider, then
   by the provider listed first (cadres before organisations, in scenario order), the order of
   the compiled arcs; each village best paired with its nearest cadre, then the cadre listed
   first; each need best paid from its most restricted pool (the fewest needs admitted, as
   greedy pays), then the pool listed first. Each weight is scaled by the need's (village's)
   place in the scenario, earlier first, so that no two exchanges weigh the same and the
   preferred plan among equals is, but for rare coincidences, unique.

:func:`canonical_funding` applies the funding part to a whole plan (the split of costs among
pools never changes the objective); the auto solver's last stage (:func:`solvers.auto._polish`)
applies the rest, neighbourhood by neighbourhood.
"""

from __future__ import annotations

import time

import numpy as np

from matcher.problem.arrays import BoolArray, FloatArray, IntArray, Problem
from matcher.problem.solution import Solution
from solvers.linear_model import LinearModel
from solvers.lns import ACCEPT_TOLERANCE, whole_yuan_funding

TIE_TOLERANCE = 1e-7
"""How far (absolute) below the objective of the plan it started from a preferred plan may
score: float noise of sums of hundreds of terms, far below any real difference between plans."""

CANONICAL_UNDER_PREVIOUS = 0.01
"""Largest weight of a column in the canonical order when a previous plan weighs 1 a decision."""

MOVE_PASSES = 20
"""Most passes of :func:`preferred_moves` over the plan's decisions."""


def _ranked(groups: IntArray, *keys: FloatArray | IntArray) -> IntArray:
    """Each item's rank (0 first) within its group, ordered by ``keys`` (the last key first,
    as ``np.lexsort`` reads them), ties by position."""
    n = len(groups)
    order = np.lexsort((np.arange(n), *keys, groups))
    g = groups[order]
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.arange(n) - np.searchsorted(g, g)
    return ranks


def _canonical(rank: IntArray, place: IntArray, places: int) -> FloatArray:
    """Weights in (-1, 0]: rank 0 best, and among equal ranks, earlier places weigh more."""
    if len(rank) == 0:
        return np.zeros(0)
    scale = (1.0 + (places - place) / (places + 1.0)) / 2.0  # in (0.5, 1]
    return -(rank / (float(rank.max()) + 1.0)) * scale


def preference(problem: Problem, model: LinearModel, previous: Solution | None) -> FloatArray:
    """The preference of every column of ``model`` (see the module docstring), keeping what
    the reference plan ``previous`` decided first: ``weights @ v`` is a plan's preference.
    Shortfall and fairness columns weigh 0; funding columns weigh per yuan."""
    weights = np.zeros(model.n_cols)
    n_needs, n_villages = problem.n_needs, len(problem.village_ids)
    arcs = model.x_arc
    need = problem.arc_need[arcs]
    # Arcs are grouped by need, nearest provider first, then by provider index: their order.
    x_rank = _ranked(need, arcs)
    weights[model.x] = _canonical(x_rank, need, n_needs)
    y_rank = _ranked(problem.pair_village, problem.pair_cadre, problem.pair_minutes)
    weights[model.y] = _canonical(y_rank, problem.pair_village, n_villages)
    if model.f.stop > model.f.start:
        breadth = np.bincount(problem.need_pool, minlength=len(problem.pool_ids))
        f_rank = _ranked(model.f_need, model.f_pool, breadth[model.f_pool])
        cost = np.maximum(problem.need_cost[model.f_need], 1).astype(np.float64)
        weights[model.f] = _canonical(f_rank, model.f_need, n_needs) / cost
    if previous is None or len(previous.need_provider) != n_needs:
        return weights
    weights[model.x.start : model.f.stop] *= CANONICAL_UNDER_PREVIOUS
    before = model.vector(problem, previous)
    weights[model.x] += before[model.x]
    weights[model.y] += before[model.y]
    if model.f.stop > model.f.start:
        paid = {(fl.need, fl.pool) for fl in previous.funding}
        again = np.fromiter(
            ((int(n), int(q)) in paid for n, q in zip(model.f_need, model.f_pool, strict=True)),
            dtype=np.bool_,
            count=len(model.f_need),
        )
        cost = np.maximum(problem.need_cost[model.f_need], 1).astype(np.float64)
        weights[model.f] += np.where(again, 1.0 / cost, 0.0)
    return weights


def decisions_only(model: LinearModel, weights: FloatArray) -> FloatArray:
    """The preference of the assignment and pairing columns alone (funding weighs 0): what the
    neighbourhoods compare, whose funding is settled afterwards."""
    only = np.zeros_like(weights)
    only[model.x.start : model.f.start] = weights[model.x.start : model.f.start]
    return only


def canonical_funding(
    problem: Problem,
    model: LinearModel,
    vector: FloatArray,
    weights: FloatArray,
    time_limit: float | None = None,
) -> bool:
    """Pay every funded need of ``vector`` (in place) from the pools ``weights`` prefers, with
    its assignments, pairings and objective as they are. The funding columns have no objective
    coefficient, and with the assignments fixed they form a transportation polytope whose
    vertices are whole yuan (:func:`solvers.lns.whole_yuan_funding`); with the preference as
    its cost, the vertex is the preferred split. False (``vector`` unchanged) when the split
    found fails the exact check of every row, which never happens in the tests."""
    columns = np.arange(model.f.start, model.f.stop, dtype=np.int64)
    if columns.size == 0:
        return True
    candidate = vector.copy()
    if not whole_yuan_funding(
        model, candidate, columns, cost=weights[columns], time_limit=time_limit
    ):
        return False
    if model.violation(candidate) > ACCEPT_TOLERANCE:
        return False
    vector[columns] = candidate[columns]
    return True


def _slots(problem: Problem, model: LinearModel) -> tuple[IntArray, IntArray, IntArray]:
    """The assignment and pairing columns grouped by what they decide (a need, a village):
    ``order`` lists the columns slot by slot, ``start`` points into it per slot, and ``slot``
    is each column's slot (-1 for funding, shortfall and fairness columns)."""
    slot = np.full(model.n_cols, -1, dtype=np.int64)
    slot[model.x] = problem.arc_need[model.x_arc]
    slot[model.y] = problem.n_needs + problem.pair_village
    decided = np.flatnonzero(slot >= 0)
    order = decided[np.argsort(slot[decided], kind="stable")]
    n_slots = problem.n_needs + len(problem.village_ids)
    start = np.searchsorted(slot[order], np.arange(n_slots + 1))
    return order, start, slot


def tie_pairs(problem: Problem, model: LinearModel, vector: FloatArray) -> list[tuple[int, int]]:
    """Pairs of providers of which one could take an assignment or pairing of the other's in
    ``vector`` at exactly the same objective (the same need by an arc of the same value, the
    same village): where ties lie. Most such decisions first, then by index."""
    order, start, slot = _slots(problem, model)
    provider = np.full(model.n_cols, -1, dtype=np.int64)
    provider[model.x] = problem.arc_provider[model.x_arc]
    provider[model.y] = problem.pair_cadre
    counts: dict[tuple[int, int], int] = {}
    for j in np.flatnonzero(vector[model.x.start : model.f.start] > 0.5) + model.x.start:
        s = slot[j]
        same = order[start[s] : start[s + 1]]
        same = same[(model.c[same] == model.c[j]) & (vector[same] < 0.5)]
        p = int(provider[j])
        for q in provider[same].tolist():
            if q != p:
                pair = (min(p, q), max(p, q))
                counts[pair] = counts.get(pair, 0) + 1
    return [pair for pair, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def _fits(problem: Problem, model: LinearModel, vector: FloatArray) -> BoolArray:
    """Per assignment and pairing column not chosen in ``vector``: whether its provider has the
    hours left for it (H4) and, for a pairing, a pairing left (H7); the necessary conditions
    of a move to it, vectorised (the move itself is checked row by row)."""
    fits = np.zeros(model.n_cols, dtype=np.bool_)
    x_on, y_on = vector[model.x] > 0.5, vector[model.y] > 0.5
    arc_provider, arc_hours = problem.arc_provider[model.x_arc], problem.arc_hours[model.x_arc]
    load = np.bincount(arc_provider[x_on], arc_hours[x_on], minlength=problem.n_providers)
    load += np.bincount(
        problem.pair_cadre[y_on], problem.pair_hours[y_on], minlength=problem.n_providers
    )
    left = problem.provider_capacity - load + ACCEPT_TOLERANCE
    pairs = np.bincount(problem.pair_cadre[y_on], minlength=problem.n_providers)
    fits[model.x] = arc_hours <= left[arc_provider]
    cadre = problem.pair_cadre
    fits[model.y] = (problem.pair_hours <= left[cadre]) & (
        pairs[cadre] < problem.provider_max_villages[cadre]
    )
    return fits


def _tied_better(
    problem: Problem,
    model: LinearModel,
    vector: FloatArray,
    weights: FloatArray,
    slot: IntArray,
) -> IntArray:
    """The chosen assignment and pairing columns of ``vector`` (pinned ones aside) for which a
    column of the same slot, not chosen, with the same objective coefficient, weighs more and
    fits its provider's hours and pairings: where :func:`preferred_moves` may move something.
    Vectorised, so a county of 20,000 needs with nothing to move costs a fraction of a
    second."""
    cols = np.flatnonzero(slot >= 0)
    if cols.size == 0:
        return cols
    cols = cols[np.lexsort((model.c[cols], slot[cols]))]
    new = np.ones(len(cols), dtype=np.bool_)
    new[1:] = (slot[cols[1:]] != slot[cols[:-1]]) | (model.c[cols[1:]] != model.c[cols[:-1]])
    starts = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    open_ = (vector[cols] < 0.5) & _fits(problem, model, vector)[cols]
    off = np.where(open_, weights[cols], -np.inf)
    best_off = np.maximum.reduceat(off, starts)[group]
    chosen = (vector[cols] > 0.5) & (model.col_lo[cols] == 0) & (best_off > weights[cols])
    found: IntArray = np.sort(cols[chosen])
    return found


def preferred_moves(
    problem: Problem,
    model: LinearModel,
    vector: FloatArray,
    activity: FloatArray,
    weights: FloatArray,
    deadline: float | None = None,
) -> int:
    """Move single assignments and pairings of ``vector`` (in place, with ``activity``, its
    ``A @ vector``) to the alternative ``weights`` prefers when it scores exactly the same: the
    same need by another provider whose arc has the same objective coefficient (the same travel),
    the same village with another cadre not paired with it yet; only where every row still
    holds (hours, pairings per cadre, a limit on changes). The objective does not change; each
    move raises the preference, so it ends. Needs and villages are taken in their order, until
    the ``time.perf_counter()`` ``deadline``. The number of moves."""
    order, start, slot = _slots(problem, model)
    A = model.A
    lo = model.row_lo - ACCEPT_TOLERANCE
    hi = model.row_hi + ACCEPT_TOLERANCE
    moves = passes = 0
    changed = True
    while changed and passes < MOVE_PASSES:
        changed = False
        passes += 1
        for j in _tied_better(problem, model, vector, weights, slot).tolist():
            if deadline is not None and time.perf_counter() > deadline:
                return moves
            s = slot[j]
            same = order[start[s] : start[s + 1]]
            better = same[
                (model.c[same] == model.c[j]) & (weights[same] > weights[j]) & (vector[same] < 0.5)
            ]
            if better.size == 0:
                continue
            rows_j = A.indices[A.indptr[j] : A.indptr[j + 1]]
            vals_j = A.data[A.indptr[j] : A.indptr[j + 1]]
            for k in better[np.lexsort((better, -weights[better]))].tolist():
                rows_k = A.indices[A.indptr[k] : A.indptr[k + 1]]
                vals_k = A.data[A.indptr[k] : A.indptr[k + 1]]
                touched, at = np.unique(np.concatenate([rows_j, rows_k]), return_inverse=True)
                trial = activity[touched].copy()
                np.add.at(trial, at, np.concatenate([-vals_j, vals_k]))
                if (trial > hi[touched]).any() or (trial < lo[touched]).any():
                    continue
                activity[touched] = trial
                vector[j], vector[k] = 0.0, 1.0
                moves += 1
                changed = True
                break
    return moves
