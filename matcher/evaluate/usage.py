"""What a plan spends: hours per provider, money per pool and per village, pairings per village.

Recomputed from the scenario (travel minutes, need hours), never taken from the figures a plan
file states, so a plan cannot under-report its own cost. Duplicate services (the siloed status
quo's wasted aid) spend hours and money like any service.

With ``policy.schedule`` on (DESIGN §9), a provider's hours are the sum of its routes' durations,
timed from the scenario (:mod:`matcher.evaluate.timing`): this is the one place H4's hours
branch on the schedule. A service or a pairing's visit that no route of its provider carries
(an H10 or H9 violation) is still charged, as without the schedule, so leaving a stop out of
the routes never makes a plan look cheaper.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from matcher.evaluate.timing import RouteUsage, on_own_route, time_routes
from matcher.plan import Assignment, DuplicateService, Plan
from matcher.prepare.eligibility import pairing_hours, travel_hours
from matcher.problem.index import ScenarioIndex


@dataclass(frozen=True)
class PlanUsage:
    """Hours, money and pairings a plan uses, by provider, pool, village."""

    provider_hours: dict[str, float]
    pool_spent: dict[str, int]
    village_funded: dict[str, int]
    pairings_of_village: dict[str, int]
    pairings_of_cadre: dict[str, int]
    served_by: dict[str, str]  # need -> provider of its first assignment
    routes: RouteUsage | None = None  # DESIGN §9: the routes timed, when the schedule is on


def service_hours(index: ScenarioIndex, service: Assignment | DuplicateService) -> float:
    """Work plus travel hours of one service, as H4 charges them."""
    need = index.needs.get(service.need)
    provider = index.provider(service.provider)
    if need is None or provider is None:
        return 0.0
    travel = index.travel_hours(provider, need.village)
    if travel == float("inf"):
        # Out of reach (an H3 violation): charge what the plan itself states, if anything.
        travel = max(0.0, (service.hours or need.hours) - need.hours)
    return need.hours + travel


def plan_usage(index: ScenarioIndex, plan: Plan) -> PlanUsage:
    """Aggregate what a plan spends."""
    hours: dict[str, float] = defaultdict(float)
    spent: dict[str, int] = defaultdict(int)
    funded: dict[str, int] = defaultdict(int)
    served_by: dict[str, str] = {}
    policy = index.scenario.policy
    routes = time_routes(index, plan) if policy.schedule else None
    if routes is not None:
        hours.update(routes.provider_hours)
    services: list[Assignment | DuplicateService] = [*plan.assignments, *plan.duplicate_services]
    for service in services:
        if (
            routes is None
            or isinstance(service, DuplicateService)
            or not on_own_route(routes, service.need, service.provider)
        ):
            hours[service.provider] += service_hours(index, service)
        need = index.needs.get(service.need)
        for line in service.funding:
            spent[line.pool] += line.amount
            if need is not None:
                funded[need.village] += line.amount
    for assignment in plan.assignments:
        served_by.setdefault(assignment.need, assignment.provider)
    cadre_pairs: Counter[str] = Counter()
    village_pairs: Counter[str] = Counter()
    for cadre_id, village_id in {(p.cadre, p.village) for p in plan.pairings}:
        cadre = index.cadres.get(cadre_id)
        if cadre is None or village_id not in index.villages:
            continue
        cadre_pairs[cadre_id] += 1
        village_pairs[village_id] += 1
        minutes = index.minutes(cadre, village_id)
        if minutes == float("inf"):
            continue
        if routes is None:
            hours[cadre_id] += pairing_hours(minutes, policy)
        else:  # the visits on routes are in their routes' hours; the missing ones cost as ever
            missing = policy.visits_per_pairing - len(
                routes.visit_days.get((cadre_id, village_id), ())
            )
            if missing > 0:
                hours[cadre_id] += missing * (policy.visit_hours + travel_hours(minutes, policy))
    return PlanUsage(
        provider_hours=dict(hours),
        pool_spent=dict(spent),
        village_funded=dict(funded),
        pairings_of_village=dict(village_pairs),
        pairings_of_cadre=dict(cadre_pairs),
        served_by=served_by,
        routes=routes,
    )
