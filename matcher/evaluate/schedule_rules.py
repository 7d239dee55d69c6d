"""The hard rules H9 and H10 of DESIGN §9, checked when ``policy.schedule`` is on.

- H9: each pairing's visits fall on distinct working days of the horizon on which the cadre
  works, at least ``visit_min_gap_days`` calendar days apart, and are exactly the visit stops
  of that cadre's routes in that village.
- H10: each served need and each visit is one stop of one route of its provider, on a
  working day of the horizon that the provider works, not before the need was submitted; the
  route, timed from the scenario, fits the provider's daily hours; a village is one stop of a
  route however many of its needs the route serves.

Both read the routes as :mod:`matcher.evaluate.timing` timed them (the plan's own figures are
never trusted); with the schedule off they find nothing and a plan's schedule fields are
ignored. Anything a plan names that the scenario lacks (a provider, a village, a need, a date)
is a violation here, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import pairwise

from matcher.evaluate.timing import RouteUsage, TimedRoute, calendar_of, daily_hours, parse_day
from matcher.evaluate.usage import PlanUsage
from matcher.evaluate.violation import Violation
from matcher.plan import Pairing, Plan
from matcher.prepare.eligibility import HOURS_TOLERANCE, Provider
from matcher.problem.index import ScenarioIndex
from matcher.schedule.calendar import WorkCalendar, submitted


def _day_problem(day: dt.date, provider: Provider, calendar: WorkCalendar) -> str | None:
    """Why a provider cannot work on ``day`` (outside the horizon, not a working day, a day
    off), or None when it can."""
    if not calendar.start <= day < calendar.end:
        last = calendar.end - dt.timedelta(days=1)
        return f"outside the horizon ({calendar.start} to {last})"
    if not calendar.is_working_day(day):
        return "not a working day"
    if day in provider.days_off:
        return f"a day off of {provider.id}"
    return None


# ----------------------------------------------------------------------------- H9


def _pairing_visits(
    index: ScenarioIndex, pairing: Pairing, routes: RouteUsage, calendar: WorkCalendar
) -> list[Violation]:
    cadre = index.cadres[pairing.cadre]
    policy = index.scenario.policy
    name = f"{pairing.cadre}-{pairing.village}"

    def flag(message: str) -> Violation:
        return Violation("H9", f"{name} {message}", provider=cadre.id, village=pairing.village)

    found: list[Violation] = []
    days: list[dt.date] = []
    for text in pairing.visit_dates or []:
        day = parse_day(text)
        if day is None:
            found.append(flag(f"visit date {text!r} is not an ISO date"))
        elif day in days:
            found.append(flag(f"visits twice on {day}"))
        else:
            days.append(day)
            problem = _day_problem(day, cadre, calendar)
            if problem is not None:
                found.append(flag(f"visit on {day}: {problem}"))
    if len(days) < policy.visits_per_pairing:
        found.append(flag(f"has {len(days)} visit date(s); {policy.visits_per_pairing} needed"))
    for first, second in pairwise(sorted(days)):
        gap = (second - first).days
        if gap < policy.visit_min_gap_days:
            found.append(
                flag(
                    f"visits on {first} and {second} are {gap} day(s) apart "
                    f"(at least {policy.visit_min_gap_days})"
                )
            )
    stops = Counter(d for d in routes.visit_days.get((cadre.id, pairing.village), ()) if d)
    for day in days:
        if not stops[day]:
            found.append(flag(f"visit on {day} is no visit stop of {cadre.id}'s route that day"))
    for day in sorted(stops):
        if day not in days:
            found.append(flag(f"visit stop on {day} is not among the pairing's visit_dates"))
    return found


def h9_visits(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H9: each pairing's visits on distinct working days the cadre works, far enough apart,
    and matching the visit stops of its routes; no visit stop without a pairing."""
    routes = usage.routes
    if routes is None:
        return []
    calendar = calendar_of(index)
    found: list[Violation] = []
    first: dict[tuple[str, str], Pairing] = {}
    for pairing in plan.pairings:
        first.setdefault((pairing.cadre, pairing.village), pairing)
    for (cadre_id, village_id), pairing in first.items():
        # An unknown cadre or village is H7's violation; there is nothing to schedule.
        if cadre_id in index.cadres and village_id in index.villages:
            found += _pairing_visits(index, pairing, routes, calendar)
    for timed in routes.routes:
        for stop in timed.route.stops:
            if stop.visit and (timed.route.provider, stop.village) not in first:
                found.append(
                    Violation(
                        "H9",
                        f"{timed.label} visits {stop.village}, which {timed.route.provider} "
                        "is not paired with",
                        provider=timed.route.provider,
                        village=stop.village,
                    )
                )
    return found


# ----------------------------------------------------------------------------- H10


def _route_day(timed: TimedRoute, calendar: WorkCalendar) -> list[Violation]:
    provider = timed.provider
    assert provider is not None
    if timed.day is None:
        problem: str | None = "its date is not an ISO date"
    else:
        problem = _day_problem(timed.day, provider, calendar)
    if problem is None:
        return []
    return [Violation("H10", f"{timed.label}: {problem}", provider=provider.id)]


def _route_stops(index: ScenarioIndex, timed: TimedRoute, usage: PlanUsage) -> list[Violation]:
    """The stops of one route: known villages, one stop per village, and needs this provider
    serves in that village, not before they were submitted."""
    found: list[Violation] = []
    pid = timed.route.provider
    calendar = calendar_of(index)
    seen: set[str] = set()
    for stop in timed.route.stops:
        if stop.village not in index.villages:
            found.append(
                Violation(
                    "H10",
                    f"{timed.label} stops at {stop.village}, which is not a village",
                    provider=pid,
                )
            )
        elif stop.village in seen:
            found.append(
                Violation(
                    "H10",
                    f"{timed.label} stops at {stop.village} twice: the stops of one village "
                    "must be one stop",
                    provider=pid,
                    village=stop.village,
                )
            )
        seen.add(stop.village)
        for need_id in stop.needs:
            need = index.needs.get(need_id)
            if need is None:
                message = f"{timed.label}: {need_id} is not a need of the scenario"
            elif usage.served_by.get(need_id) != pid:
                message = f"{need_id} is at a stop of {timed.label} but {pid} does not serve it"
            elif need.village != stop.village:
                message = (
                    f"{need_id} of village {need.village} is at {timed.label}'s stop in "
                    f"{stop.village}"
                )
            elif timed.day is not None and timed.day < submitted(need, calendar):
                message = (
                    f"{need_id} is served on {timed.day}, before it was submitted on "
                    f"{submitted(need, calendar)}"
                )
            else:
                continue
            found.append(
                Violation("H10", message, need=need_id, provider=pid, village=stop.village)
            )
    return found


def _route_length(index: ScenarioIndex, timed: TimedRoute) -> list[Violation]:
    provider = timed.provider
    assert provider is not None
    if not timed.reachable:
        return [Violation("H10", f"{timed.label} has a leg no road connects", provider=provider.id)]
    limit = daily_hours(index, provider)
    if timed.hours > limit + HOURS_TOLERANCE:
        return [
            Violation(
                "H10",
                f"{timed.label} takes {timed.hours:.2f} h > its daily {limit:g} h",
                provider=provider.id,
            )
        ]
    return []


def _served_on_routes(index: ScenarioIndex, plan: Plan, routes: RouteUsage) -> list[Violation]:
    """Each served need is one stop of one route of its provider, dated as that route."""
    found: list[Violation] = []
    for a in plan.assignments:
        if a.need not in index.needs or index.provider(a.provider) is None:
            continue  # H1 and H2 report these
        village = index.needs[a.need].village
        places = [
            routes.routes[r]
            for r, _ in routes.need_stops.get(a.need, ())
            if routes.routes[r].route.provider == a.provider
        ]
        if not places:
            message = f"{a.need} served by {a.provider} is on no route of {a.provider}"
        elif len(places) > 1:
            message = f"{a.need} is on {len(places)} stops of {a.provider}'s routes; one is kept"
        elif a.date is None:
            message = f"{a.need} by {a.provider} has no date"
        elif a.date != places[0].route.date:
            served_on = places[0].route.date
            message = f"{a.need} by {a.provider} is dated {a.date} but is served on {served_on}"
        else:
            continue
        found.append(Violation("H10", message, need=a.need, provider=a.provider, village=village))
    return found


def h10_routes(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H10: every service and visit a stop of a route of its provider on a working day it
    works; the route, timed from the scenario, within the provider's daily hours."""
    routes = usage.routes
    if routes is None:
        return []
    calendar = calendar_of(index)
    found: list[Violation] = []
    per_day = Counter((r.route.provider, r.route.date) for r in routes.routes if r.route.stops)
    told: set[tuple[str, str]] = set()
    for timed in routes.routes:
        if timed.provider is None:
            found.append(
                Violation(
                    "H10",
                    f"{timed.label}: {timed.route.provider} is not a cadre or organisation",
                    provider=timed.route.provider,
                )
            )
            continue
        if not timed.route.stops:
            continue
        found += _route_day(timed, calendar)
        key = (timed.route.provider, timed.route.date)
        if per_day[key] > 1 and key not in told:
            told.add(key)
            found.append(
                Violation(
                    "H10",
                    f"{timed.route.provider} has {per_day[key]} routes on {timed.route.date}; "
                    "a provider makes one route a day",
                    provider=timed.provider.id,
                )
            )
        found += _route_stops(index, timed, usage)
        found += _route_length(index, timed)
    found += _served_on_routes(index, plan, routes)
    return found
