"""The KPIs of DESIGN §9, present only when ``policy.schedule`` is on: how many needs get their
response on time, how many working days a response takes, which open needs are already past
due, and what the routes travel (and save against one round trip per stop).

A served need's service day is its assignment's ``date``; a need served without a readable
date inside the horizon (an H10 violation) counts as served but not on time, and has no
response days.
"""

from __future__ import annotations

import numpy as np

# typing_extensions' TypedDict, as in matcher.evaluate.kpis: pydantic reads it before 3.12.
from typing_extensions import TypedDict

from matcher.evaluate.timing import RouteUsage, calendar_of, service_day
from matcher.plan import Plan, Unmet
from matcher.problem.index import ScenarioIndex
from matcher.schedule.calendar import due, late, response_days


class ScheduleKpis(TypedDict):
    """The KPIs a scheduled plan adds (DESIGN §9)."""

    on_time_share: float  # served needs with late(n) = 0, of the served needs
    late_needs: int  # served needs with late(n) > 0
    response_working_days_median: float  # working days from submitted to service day
    response_working_days_p90: float  # the 90th percentile, linear between ranks
    needs_open_past_due: int  # open needs whose due date is before the horizon's start
    routes: int  # routes with at least one stop
    route_travel_hours: float  # the routes' travel, timed from the scenario
    route_hours_saved: float  # one round trip per stop, less the routes' travel


def _percentile(values: list[int], q: float) -> float:
    """The ``q``-th percentile, linear between ranks (numpy's default); 0 without values."""
    return float(np.percentile(np.asarray(values, dtype=np.float64), q)) if values else 0.0


def route_travel(index: ScenarioIndex, routes: RouteUsage) -> tuple[float, float]:
    """The routes' travel hours, and the hours they save against one round trip from the
    base per stop (over the routes whose every leg is connected)."""
    saved = 0.0
    for timed in routes.routes:
        if timed.provider is None or not timed.reachable:
            continue
        alone = sum(
            2.0 * index.minutes(timed.provider, stop.village) / 60.0
            for stop in timed.route.stops
            if stop.village in index.villages
        )
        saved += alone - timed.travel_hours
    return routes.travel_hours, saved


def schedule_kpis(
    index: ScenarioIndex, plan: Plan, routes: RouteUsage, unmet: list[Unmet]
) -> ScheduleKpis:
    """The KPIs of DESIGN §9 for a scheduled plan."""
    calendar, policy = calendar_of(index), index.scenario.policy
    on_time = late_count = 0
    response: list[int] = []
    seen: set[str] = set()
    for a in plan.assignments:
        need = index.needs.get(a.need)
        if need is None or a.need in seen:
            continue
        seen.add(a.need)
        day = service_day(a.date, calendar)
        if day is None:
            continue
        if late(need, day, calendar, policy) > 0:
            late_count += 1
        else:
            on_time += 1
        response.append(response_days(need, day, calendar))
    past_due = 0
    for u in unmet:
        need = index.needs.get(u.need)
        deadline = None if need is None else due(need, calendar, policy)
        if deadline is not None and deadline < calendar.start:
            past_due += 1
    travel, saved = route_travel(index, routes)
    return {
        "on_time_share": on_time / len(seen) if seen else 0.0,
        "late_needs": late_count,
        "response_working_days_median": _percentile(response, 50),
        "response_working_days_p90": _percentile(response, 90),
        "needs_open_past_due": past_due,
        "routes": sum(1 for r in routes.routes if r.route.stops),
        "route_travel_hours": travel,
        "route_hours_saved": saved,
    }
