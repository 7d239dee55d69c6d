"""The objective of DESIGN §5 on a raw solution's arrays, for solvers comparing candidates.

Solvers use it to pick between their own candidate plans quickly; the figure reported to users
is always the evaluator's (:mod:`matcher.evaluate.objective`), and tests check that the two agree.
"""

from __future__ import annotations

import numpy as np

from matcher.problem.arrays import Problem
from matcher.problem.solution import Solution


def arc_of(problem: Problem, need: int, provider: int) -> int:
    """The arc index of (need, provider), or -1 when that provider cannot serve the need."""
    start, end = int(problem.need_arc_start[need]), int(problem.need_arc_start[need + 1])
    hits = np.flatnonzero(problem.arc_provider[start:end] == provider)
    return start + int(hits[0]) if len(hits) else -1


def score(problem: Problem, solution: Solution) -> float:
    """Objective of a raw solution (arcs that do not exist count their value only if found)."""
    total = 0.0
    served = solution.need_provider >= 0
    for need in np.flatnonzero(served):
        arc = arc_of(problem, int(need), int(solution.need_provider[need]))
        if arc >= 0:
            total += float(problem.arc_value[arc])
    pairs = set(solution.pairings)
    per_village = np.zeros(len(problem.village_ids), dtype=np.int64)
    for _, v in pairs:
        per_village[v] += 1
    shortfall = np.maximum(0, problem.min_cadres - per_village).sum()
    total -= problem.shortfall_penalty * float(shortfall)
    kept = sum(
        1
        for e in np.flatnonzero(problem.pair_existing)
        if (int(problem.pair_cadre[e]), int(problem.pair_village[e])) in pairs
    )
    total -= problem.change_penalty * (problem.existing_pairings - kept)
    if problem.fairness_weight > 0:
        served_value = np.bincount(
            problem.need_village[served],
            weights=problem.need_value[served],
            minlength=len(problem.village_ids),
        )
        gap = problem.fairness_floor * problem.village_servable_value - served_value
        total -= problem.fairness_weight * float(np.maximum(0.0, gap).sum())
    return total
