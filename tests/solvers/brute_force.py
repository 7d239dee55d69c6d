"""An independent brute-force optimiser and plan checker on the compiled Problem arrays.

Written from DESIGN §4-5, not from any solver's model, so tests can compare an exact solver with
it. It enumerates every assignment of each need to one of its arcs or to nobody, and every set
of pairing arcs, and keeps the best plan that obeys the hard rules:

* H1 at most one provider per need (one choice per need), a pinned need by its provider;
* H8 a blocked need is never served; H2/H3 only arcs (eligible pairs) are used;
* H4 need hours + travel hours of the arcs plus pairing hours within each provider's hours;
* H5 the served needs with a cost can be funded in whole yuan: an integral max-flow
  source -> need (cost) -> admitting pool (per-need limit) -> sink (pool amount) saturates;
* H6 funded cost per village within its cap; H7 at most ``max_villages`` pairings per cadre.

Only for tiny problems: the number of plans is Π(arcs + 1) x 2^pairing arcs.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

from matcher.problem.arrays import Problem
from matcher.problem.solution import Solution

HOURS_TOL = 1e-9

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BruteResult:
    """The optimum and one plan that attains it."""

    objective: float
    need_provider: IntArray
    pairings: tuple[tuple[int, int], ...]


def _arc(problem: Problem, need: int, provider: int) -> int | None:
    for a in problem.arcs_of(need):
        if problem.arc_provider[a] == provider:
            return a
    return None


def fundable(problem: Problem, served: list[int]) -> bool:
    """H5 and H6 for a set of served needs: an integral funding exists (max-flow) and no
    village's funded cost exceeds its cap."""
    cost = problem.need_cost
    per_village: dict[int, int] = {}
    for n in served:
        v = int(problem.need_village[n])
        per_village[v] = per_village.get(v, 0) + int(cost[n])
    if any(total > problem.village_cap[v] for v, total in per_village.items()):
        return False
    paying = [n for n in served if cost[n] > 0]
    if not paying:
        return True
    graph = nx.DiGraph()
    for n in paying:
        graph.add_edge("source", ("need", n), capacity=int(cost[n]))
        for q in problem.pools_of(n).tolist():
            graph.add_edge(("need", n), ("pool", q), capacity=int(problem.pool_limit[q]))
            graph.add_edge(("pool", q), "sink", capacity=int(problem.pool_amount[q]))
    if "sink" not in graph:
        return False
    value, _ = nx.maximum_flow(graph, "source", "sink")
    return bool(value == sum(int(cost[n]) for n in paying))


def _fairness(problem: Problem, served: list[int]) -> float:
    """fairness_weight x Σ_v max(0, floor x total_value(v) - served_value(v))."""
    if problem.fairness_weight == 0:
        return 0.0
    served_value = np.zeros(len(problem.village_ids))
    for n in served:
        if not problem.need_blocked[n]:
            served_value[problem.need_village[n]] += problem.need_value[n]
    gap = problem.fairness_floor * problem.village_servable_value - served_value
    return float(problem.fairness_weight * np.maximum(0.0, gap).sum())


def _pairing_terms(problem: Problem, pairings: list[tuple[int, int]]) -> float:
    """-shortfall penalty x Σ_v max(0, min - pairings(v)) - change penalty x entries not kept."""
    counts = np.zeros(len(problem.village_ids), dtype=np.int64)
    kept = 0
    existing = {
        (int(c), int(v))
        for c, v, e in zip(
            problem.pair_cadre, problem.pair_village, problem.pair_existing, strict=True
        )
        if e
    }
    for c, v in pairings:
        counts[v] += 1
        kept += (c, v) in existing
    shortfall = np.maximum(0, problem.min_cadres - counts).sum()
    return -problem.shortfall_penalty * float(shortfall) - problem.change_penalty * float(
        problem.existing_pairings - kept
    )


def objective(problem: Problem, solution: Solution) -> float:
    """The objective of DESIGN §5 of a plan, from the arrays (arc_value is value - travel)."""
    total = 0.0
    served = []
    for n, p in enumerate(solution.need_provider.tolist()):
        if p < 0:
            continue
        a = _arc(problem, n, p)
        assert a is not None, f"need {n} served by {p} without an arc"
        total += float(problem.arc_value[a])
        served.append(n)
    return total - _fairness(problem, served) + _pairing_terms(problem, list(solution.pairings))


def violations(problem: Problem, solution: Solution) -> list[str]:
    """Every hard-rule violation of a plan, including its funding lines (empty when feasible)."""
    bad: list[str] = []
    hours = np.zeros(problem.n_providers)
    served: list[int] = []
    for n, p in enumerate(solution.need_provider.tolist()):
        pinned = int(problem.need_pinned[n])
        if pinned >= 0 and p != pinned:
            bad.append(f"H1: need {n} pinned to {pinned}, served by {p}")
        if p < 0:
            continue
        a = _arc(problem, n, p)
        if a is None:
            bad.append(f"H2/H3: need {n} by {p} is not an arc")
            continue
        if problem.need_blocked[n]:
            bad.append(f"H8: need {n} is blocked")
        hours[p] += problem.arc_hours[a]
        served.append(n)
    paid: dict[int, int] = {}
    pool_paid: dict[int, int] = {}
    per_line: dict[tuple[int, int], int] = {}
    for line in solution.funding:
        if line.amount <= 0 or int(line.amount) != line.amount:
            bad.append(f"H5: line {line} is not a positive whole amount")
        if line.pool not in problem.pools_of(line.need).tolist():
            bad.append(f"H5: pool {line.pool} does not admit need {line.need}")
        if solution.need_provider[line.need] < 0:
            bad.append(f"H5: unserved need {line.need} is funded")
        paid[line.need] = paid.get(line.need, 0) + line.amount
        pool_paid[line.pool] = pool_paid.get(line.pool, 0) + line.amount
        key = (line.need, line.pool)
        per_line[key] = per_line.get(key, 0) + line.amount
    for (n, q), amount in per_line.items():
        if amount > problem.pool_limit[q]:
            bad.append(f"H5: pool {q} pays {amount} for need {n} > {problem.pool_limit[q]}")
    for q, amount in pool_paid.items():
        if amount > problem.pool_amount[q]:
            bad.append(f"H5: pool {q} pays {amount} > {problem.pool_amount[q]}")
    for n in served:
        if paid.get(n, 0) != problem.need_cost[n]:
            bad.append(f"H5: need {n} paid {paid.get(n, 0)} of {problem.need_cost[n]}")
    village_paid = np.zeros(len(problem.village_ids), dtype=np.int64)
    for n, amount in paid.items():
        village_paid[problem.need_village[n]] += amount
    for v in np.flatnonzero(village_paid > problem.village_cap).tolist():
        bad.append(f"H6: village {v} funded {village_paid[v]} > {problem.village_cap[v]}")
    pair_hours = {
        (int(c), int(v)): float(h)
        for c, v, h in zip(
            problem.pair_cadre, problem.pair_village, problem.pair_hours, strict=True
        )
    }
    if len(set(solution.pairings)) != len(solution.pairings):
        bad.append("H7: a pairing is listed twice")
    per_cadre = np.zeros(problem.n_providers, dtype=np.int64)
    for c, v in solution.pairings:
        if (c, v) not in pair_hours:
            bad.append(f"H7: pairing {(c, v)} is not a pairing arc")
            continue
        per_cadre[c] += 1
        hours[c] += pair_hours[(c, v)]
    for c in np.flatnonzero(per_cadre > problem.provider_max_villages).tolist():
        bad.append(f"H7: cadre {c} has {per_cadre[c]} pairings")
    for p in np.flatnonzero(hours > problem.provider_capacity + 1e-6).tolist():
        bad.append(f"H4: provider {p} uses {hours[p]} h > {problem.provider_capacity[p]}")
    return bad


def brute_force(problem: Problem, max_plans: int = 2_000_000) -> BruteResult | None:
    """The optimum over all plans, or None when no plan obeys the hard rules."""
    options: list[list[int]] = []
    for n in range(problem.n_needs):
        pinned = int(problem.need_pinned[n])
        if pinned >= 0:
            a = _arc(problem, n, pinned)
            if a is None or problem.need_blocked[n]:
                return None
            options.append([a])
        elif problem.need_blocked[n]:
            options.append([-1])
        else:
            options.append([-1, *problem.arcs_of(n)])
    n_assign = int(np.prod([len(o) for o in options], dtype=np.int64))
    n_pair_arcs = len(problem.pair_cadre)
    assert n_assign * 2**n_pair_arcs <= max_plans, "problem too large for brute force"

    # all assignments: choice[m, n] = arc of need n in assignment m, or -1
    choice = np.array(list(itertools.product(*options)), dtype=np.int64).reshape(
        n_assign, problem.n_needs
    )
    rows = np.arange(n_assign)
    hours = np.zeros((n_assign, problem.n_providers))
    value = np.zeros(n_assign)
    for n in range(problem.n_needs):
        arcs = choice[:, n]
        on = arcs >= 0
        np.add.at(hours, (rows[on], problem.arc_provider[arcs[on]]), problem.arc_hours[arcs[on]])
        value[on] += problem.arc_value[arcs[on]]
    # H5/H6 and fairness depend only on which needs are served
    served_key = (choice >= 0).astype(np.int64) @ (1 << np.arange(problem.n_needs, dtype=np.int64))
    feasible = np.zeros(n_assign, dtype=bool)
    for key in np.unique(served_key).tolist():
        served = [n for n in range(problem.n_needs) if key >> n & 1]
        rows_k = served_key == key
        if fundable(problem, served):
            feasible[rows_k] = True
            value[rows_k] -= _fairness(problem, served)
    if not feasible.any():
        return None

    capacity = problem.provider_capacity + HOURS_TOL
    best: tuple[float, int, tuple[tuple[int, int], ...]] | None = None
    for mask in range(2**n_pair_arcs):
        chosen = [e for e in range(n_pair_arcs) if mask >> e & 1]
        per_cadre = np.bincount(
            problem.pair_cadre[chosen].astype(np.int64), minlength=problem.n_providers
        )
        if (per_cadre > problem.provider_max_villages).any():
            continue
        pair_hours = np.zeros(problem.n_providers)
        np.add.at(pair_hours, problem.pair_cadre[chosen], problem.pair_hours[chosen])
        fits = feasible & (hours + pair_hours <= capacity).all(axis=1)
        if not fits.any():
            continue
        pairings = tuple((int(problem.pair_cadre[e]), int(problem.pair_village[e])) for e in chosen)
        m = int(np.flatnonzero(fits)[np.argmax(value[fits])])
        total = float(value[m]) + _pairing_terms(problem, list(pairings))
        if best is None or total > best[0]:
            best = (total, m, pairings)
    if best is None:
        return None
    total, m, pairings = best
    need_provider = np.full(problem.n_needs, -1, dtype=np.int64)
    on = choice[m] >= 0
    need_provider[on] = problem.arc_provider[choice[m][on]]
    return BruteResult(total, need_provider, pairings)
