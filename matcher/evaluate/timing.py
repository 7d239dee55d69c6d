"""A plan's routes timed from the scenario (DESIGN §9), once per evaluation.

The plan's own ``travel_minutes``, ``hours``, ``arrive`` and ``depart`` are never read for a
route's duration: each route is timed by :func:`matcher.schedule.routes.time_route` on the
scenario's travel minutes (base to village, village to village) and the hours of the needs
and visits its stops list. H4, H9, H10, the objective, the KPIs and the unmet reasons all read
the one :class:`RouteUsage` built here, so they agree on every figure.

What cannot be timed is kept, not raised: a route of an unknown provider has no timing, a stop
at an unknown village is left out of the timing, a date that is not ISO is ``None``; the rules
report each as a violation. A route with a leg no road connects takes the hours and travel the
plan itself states (it is already an H10 violation), as a service to an unreachable village
does without the schedule.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from matcher.plan import Plan, Route
from matcher.prepare.eligibility import Provider
from matcher.prepare.network import FloatArray, village_minutes
from matcher.problem.index import ScenarioIndex
from matcher.schedule.calendar import WorkCalendar, clock_minutes
from matcher.schedule.days import daily_minutes
from matcher.schedule.routes import RouteTiming, StopWork, service_minutes, time_route

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")


def parse_day(text: object) -> dt.date | None:
    """The date of an ISO ``YYYY-MM-DD`` text, or None for anything else."""
    if not isinstance(text, str) or not _ISO_DATE.match(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def service_day(text: object, calendar: WorkCalendar) -> dt.date | None:
    """An assignment's service day for lateness and response days: its ISO date when inside
    the horizon, else None (a day outside is an H10 violation, and counting working days to a
    far date would only cost time)."""
    day = parse_day(text)
    return day if day is not None and calendar.start <= day < calendar.end else None


def calendar_of(index: ScenarioIndex) -> WorkCalendar:
    """The scenario's working-day calendar (once per index)."""
    return index.memo("schedule.calendar", lambda: WorkCalendar.of(index.scenario))


def _between(index: ScenarioIndex) -> FloatArray:
    return index.memo("schedule.village_minutes", lambda: village_minutes(index.scenario))


def _columns(index: ScenarioIndex) -> dict[str, int]:
    return index.memo(
        "schedule.village_columns",
        lambda: {v: j for j, v in enumerate(index.times.village_ids)},
    )


def _from_base(index: ScenarioIndex, provider: Provider) -> FloatArray:
    rows = index.memo(
        "schedule.base_rows", lambda: {b: i for i, b in enumerate(index.times.base_ids)}
    )
    row = rows.get(provider.base)
    if row is None:
        return np.full(len(index.times.village_ids), np.inf)
    minutes: FloatArray = index.times.minutes[row]
    return minutes


def daily_hours(index: ScenarioIndex, provider: Provider) -> float:
    """The hours a provider may work in one day: its own ``daily_hours``, else the policy's."""
    return daily_minutes(provider, index.scenario.policy) / 60.0


@dataclass(frozen=True)
class TimedRoute:
    """One route of the plan with the figures the scenario gives it."""

    position: int  # in the plan's schedule
    route: Route
    provider: Provider | None  # None when the plan names no cadre or organisation
    day: dt.date | None  # None when the route's date is not an ISO date
    timing: RouteTiming | None  # over the stops at known villages; None without a provider
    hours: float  # the duration H4 and H10 count (the plan's own when a leg is unreachable)
    travel_hours: float  # what the objective's travel term counts

    @property
    def reachable(self) -> bool:
        """Every leg of the route is connected."""
        return self.timing is not None and math.isfinite(self.timing.travel_minutes)

    @property
    def label(self) -> str:
        """``C1's route on 2026-12-03``: how a violation names the route."""
        return f"{self.route.provider}'s route on {self.route.date}"


@dataclass(frozen=True)
class RouteUsage:
    """The plan's routes timed, and where each need and visit lies on them."""

    routes: tuple[TimedRoute, ...]
    need_stops: dict[str, tuple[tuple[int, int], ...]]  # need -> (route, stop) positions
    visit_days: dict[tuple[str, str], tuple[dt.date | None, ...]]  # (provider, village) -> days
    day_hours: dict[tuple[str, dt.date], float]  # (provider, day) -> hours of its routes
    provider_hours: dict[str, float]  # the sum of each known provider's route hours
    travel_hours: float  # all routes' travel


def _time_one(index: ScenarioIndex, position: int, route: Route) -> TimedRoute:
    provider = index.provider(route.provider)
    day = parse_day(route.date)
    if provider is None:
        return TimedRoute(position, route, None, day, None, route.hours, route.travel_minutes / 60)
    columns = _columns(index)
    policy = index.scenario.policy
    work: list[StopWork] = []
    for stop in route.stops:
        col = columns.get(stop.village)
        if col is None:
            continue
        need_hours = [n.hours for nid in stop.needs if (n := index.needs.get(nid)) is not None]
        work.append(StopWork(col, service_minutes(need_hours, stop.visit, policy.visit_hours)))
    timing = time_route(
        _from_base(index, provider), _between(index), work, clock_minutes(policy.day_start)
    )
    if math.isfinite(timing.travel_minutes):
        hours, travel = timing.hours, timing.travel_minutes / 60
    else:
        hours, travel = route.hours, route.travel_minutes / 60
    return TimedRoute(position, route, provider, day, timing, hours, travel)


def time_routes(index: ScenarioIndex, plan: Plan) -> RouteUsage:
    """Every route of the plan timed from the scenario, with its needs and visits located."""
    routes = tuple(_time_one(index, i, r) for i, r in enumerate(plan.schedule or []))
    need_stops: dict[str, list[tuple[int, int]]] = defaultdict(list)
    visit_days: dict[tuple[str, str], list[dt.date | None]] = defaultdict(list)
    day_hours: dict[tuple[str, dt.date], float] = defaultdict(float)
    provider_hours: dict[str, float] = defaultdict(float)
    for timed in routes:
        for j, stop in enumerate(timed.route.stops):
            for need_id in stop.needs:
                need_stops[need_id].append((timed.position, j))
            if stop.visit:
                visit_days[(timed.route.provider, stop.village)].append(timed.day)
        if timed.provider is None:
            continue
        provider_hours[timed.provider.id] += timed.hours
        if timed.day is not None:
            day_hours[(timed.provider.id, timed.day)] += timed.hours
    return RouteUsage(
        routes=routes,
        need_stops={k: tuple(v) for k, v in need_stops.items()},
        visit_days={k: tuple(v) for k, v in visit_days.items()},
        day_hours=dict(day_hours),
        provider_hours=dict(provider_hours),
        travel_hours=sum(r.travel_hours for r in routes),
    )


def on_own_route(usage: RouteUsage, need_id: str, provider_id: str) -> bool:
    """Whether a need is a stop of one of its provider's routes (H10 asks exactly one)."""
    return any(
        usage.routes[r].route.provider == provider_id for r, _ in usage.need_stops.get(need_id, ())
    )
