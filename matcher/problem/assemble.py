"""Turn a solver's raw assignment (array indices) into a plan in the ids of the scenario.

Given the scenario's index, the plan also names its parties (the optional fields of
:data:`matcher.plan.NAMING_FIELDS`): households and their labels, provider, cadre and village
names, a pairing's travel minutes and whether it was an existing one, so that rosters and
exports can be read from the plan alone.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import numpy as np

from matcher.plan import (
    Assignment,
    DuplicateService,
    FundingLine,
    Pairing,
    Plan,
    Route,
    SolverInfo,
    Stop,
)
from matcher.prepare.eligibility import travel_hours
from matcher.problem.arrays import Problem
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Funding, Solution
from matcher.scenario import CATEGORIES, Policy
from matcher.schedule.calendar import clock_text
from matcher.schedule.planner import Schedule


def _funding_lines(problem: Problem, lines: list[Funding]) -> list[FundingLine]:
    return [FundingLine(pool=problem.pool_ids[f.pool], amount=int(f.amount)) for f in lines]


def _arc_minutes(problem: Problem, need: int, provider: int) -> float:
    for a in problem.arcs_of(need):
        if problem.arc_provider[a] == provider:
            return float(problem.arc_minutes[a])
    raise ValueError(
        f"{problem.provider_ids[provider]} cannot serve {problem.need_ids[need]}: no such arc"
    )


def _hours(problem: Problem, need: int, minutes: float, policy: Policy) -> float:
    return round(float(problem.need_hours[need]) + travel_hours(minutes, policy), 4)


def _assignment_names(
    index: ScenarioIndex | None, need_id: str, provider_id: str
) -> dict[str, Any]:
    """The naming fields of an assignment (none without the index)."""
    if index is None:
        return {}
    need = index.needs[need_id]
    return {
        "household": need.household,
        "household_label": need.household_label,
        "provider_name": index.name_of(provider_id),
        "village_name": index.name_of(need.village),
    }


def _pairing_names(index: ScenarioIndex | None, cadre_id: str, village_id: str) -> dict[str, Any]:
    """The naming fields of a pairing (none without the index): names, one-way minutes
    (null when the village is out of the cadre's reach by road) and whether it existed."""
    if index is None:
        return {}
    cadre = index.cadres[cadre_id]
    minutes = index.minutes(cadre, village_id)
    return {
        "cadre_name": cadre.name,
        "village_name": index.name_of(village_id),
        "minutes": round(minutes, 4) if math.isfinite(minutes) else None,
        "existing": village_id in cadre.paired_villages,
    }


def solution_to_plan(
    problem: Problem,
    solution: Solution,
    solver: SolverInfo,
    policy: Policy,
    index: ScenarioIndex | None = None,
    schedule: Schedule | None = None,
) -> Plan:
    """The plan of a raw solution: assignments with travel and hours, funding, pairings.

    With ``index`` (the scenario ``problem`` was compiled from), assignments and pairings also
    carry the optional naming fields; every other field is the same with or without it. With
    ``schedule`` (DESIGN §9: the days of this very solution, see
    :func:`matcher.problem.days.trim`), assignments get their ``date``, pairings
    their ``visit_dates`` and the plan its routes."""
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
                hours=_hours(problem, need, minutes, policy),
                funding=_funding_lines(problem, by_need.get(need, [])),
                village=problem.village_ids[int(problem.need_village[need])],
                category=CATEGORIES[int(problem.need_category[need])],
                **_assignment_names(index, problem.need_ids[need], problem.provider_ids[provider]),
                **({} if schedule is None else {"date": schedule.need_day[need].isoformat()}),
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
                hours=_hours(problem, w.need, minutes, policy),
                funding=_funding_lines(problem, list(w.funding)),
            )
        )
    pairings = [
        Pairing(
            cadre=problem.provider_ids[c],
            village=problem.village_ids[v],
            **_pairing_names(index, problem.provider_ids[c], problem.village_ids[v]),
            **({} if schedule is None else {"visit_dates": _visit_dates(schedule, c, v)}),
        )
        for c, v in sorted(set(solution.pairings))
    ]
    return Plan(
        solver=solver,
        pairings=pairings,
        assignments=assignments,
        duplicate_services=wasted,
        **({} if schedule is None else {"schedule": schedule_routes(problem, schedule)}),
    )


def _visit_dates(schedule: Schedule, cadre: int, village: int) -> list[str]:
    return [d.isoformat() for d in schedule.visit_days.get((cadre, village), ())]


def schedule_routes(problem: Problem, schedule: Schedule) -> list[Route]:
    """The plan's ``schedule`` (DESIGN §9): one route per provider and working day, in the
    compiled problem's provider order then by date, clock times as HH:MM."""
    return [
        Route(
            provider=problem.provider_ids[planned.provider],
            date=planned.route.day.isoformat(),
            stops=[
                Stop(
                    village=problem.village_ids[stop.village],
                    arrive=clock_text(stop.arrive),
                    depart=clock_text(stop.depart),
                    visit=stop.visit,
                    needs=[problem.need_ids[n] for n in stop.needs],
                )
                for stop in planned.route.stops
            ],
            travel_minutes=round(planned.route.travel_minutes, 4),
            hours=round(planned.route.hours, 4),
        )
        for planned in schedule.routes
    ]


def plan_to_solution(problem: Problem, plan: Plan) -> tuple[Solution, list[str]]:
    """A previous plan as a raw solution over ``problem`` (re-planning), and notes on what of it
    no longer exists in the scenario (needs withdrawn, providers or villages gone), which is
    dropped. Whether the rest still keeps the rules is for the solver to check and repair."""
    need_index = {n: i for i, n in enumerate(problem.need_ids)}
    provider_index = {p: i for i, p in enumerate(problem.provider_ids)}
    village_index = {v: i for i, v in enumerate(problem.village_ids)}
    pool_index = {q: i for i, q in enumerate(problem.pool_ids)}
    notes: list[str] = []
    need_provider = np.full(problem.n_needs, -1, dtype=np.int64)
    funding: list[Funding] = []
    for a in plan.assignments:
        n, p = need_index.get(a.need), provider_index.get(a.provider)
        if n is None or p is None:
            notes.append(f"assignment {a.need} -> {a.provider}: no longer in the scenario")
            continue
        need_provider[n] = p
        for line in a.funding:
            q = pool_index.get(line.pool)
            if q is None:
                notes.append(f"funding of {a.need} by {line.pool}: no such pool any more")
                continue
            funding.append(Funding(n, q, int(line.amount)))
    pairings: list[tuple[int, int]] = []
    for pairing in plan.pairings:
        c, v = provider_index.get(pairing.cadre), village_index.get(pairing.village)
        if c is None or v is None or c >= problem.n_cadres:
            notes.append(f"pairing {pairing.cadre} - {pairing.village}: no longer in the scenario")
            continue
        pairings.append((c, v))
    return Solution(need_provider, tuple(funding), tuple(sorted(set(pairings)))), notes
