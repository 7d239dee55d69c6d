"""Turn a solver's raw assignment (array indices) into a plan in the ids of the scenario."""

from __future__ import annotations

from collections import defaultdict

from matcher.plan import Assignment, DuplicateService, FundingLine, Pairing, Plan, SolverInfo
from matcher.problem import Problem
from matcher.scenario import CATEGORIES
from matcher.solution import Funding, Solution


def _funding_lines(problem: Problem, lines: list[Funding]) -> list[FundingLine]:
    return [FundingLine(pool=problem.pool_ids[f.pool], amount=int(f.amount)) for f in lines]


def _arc_minutes(problem: Problem, need: int, provider: int) -> float:
    for a in problem.arcs_of(need):
        if problem.arc_provider[a] == provider:
            return float(problem.arc_minutes[a])
    raise ValueError(
        f"{problem.provider_ids[provider]} cannot serve {problem.need_ids[need]}: no such arc"
    )


def _hours(problem: Problem, need: int, minutes: float, round_trip_factor: float) -> float:
    return round(float(problem.need_hours[need]) + round_trip_factor * minutes / 60.0, 4)


def solution_to_plan(
    problem: Problem, solution: Solution, solver: SolverInfo, round_trip: bool = True
) -> Plan:
    """The plan of a raw solution: assignments with travel and hours, funding, pairings."""
    factor = 2.0 if round_trip else 1.0
    by_need: dict[int, list[Funding]] = defaultdict(list)
    for f in solution.funding:
        if f.amount > 0:
            by_need[f.need].append(f)
    assignments = []
    for need in map(int, (solution.need_provider >= 0).nonzero()[0]):
        provider = int(solution.need_provider[need])
        minutes = _arc_minutes(problem, need, provider)
        assignments.append(
            Assignment(
                need=problem.need_ids[need],
                provider=problem.provider_ids[provider],
                travel_minutes=round(minutes, 4),
                hours=_hours(problem, need, minutes, factor),
                funding=_funding_lines(problem, by_need.get(need, [])),
                village=problem.village_ids[int(problem.need_village[need])],
                category=CATEGORIES[int(problem.need_category[need])],
            )
        )
    wasted = []
    for w in solution.wasted:
        minutes = _arc_minutes(problem, w.need, w.provider)
        wasted.append(
            DuplicateService(
                need=problem.need_ids[w.need],
                provider=problem.provider_ids[w.provider],
                why=w.why,
                travel_minutes=round(minutes, 4),
                hours=_hours(problem, w.need, minutes, factor),
                funding=_funding_lines(problem, list(w.funding)),
            )
        )
    pairings = [
        Pairing(cadre=problem.provider_ids[c], village=problem.village_ids[v])
        for c, v in sorted(set(solution.pairings))
    ]
    return Plan(
        solver=solver, pairings=pairings, assignments=assignments, duplicate_services=wasted
    )
