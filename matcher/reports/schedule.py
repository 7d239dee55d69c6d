"""A plan's schedule (DESIGN §9) as the people who carry it out read it (issue 17, item 4).

:func:`schedule_view` turns the plan's routes (``plan.schedule``) into one JSON-ready shape
that every surface renders: the text report, the HTML report's calendar and route map, the
workbook's 日程 and 个人日程 sheets and the iCalendar files. It holds

* the **response figures**: the share of served needs on time, how many are late, response
  working days (median, 90th percentile and a small histogram: 0, 1, 2, 3, 4-5, 6-10, >10),
  the routes' travel and the hours they save against one round trip per stop;
* the **open needs already past due**: needs the plan leaves open whose deadline ``due(n)``
  had passed before the horizon starts (the evaluator's ``needs_open_past_due``), with the
  working days by which they are overdue on its first day and the plan's reason;
* **each provider's days**: its routes in date order, each stop in route order with the
  village (and town) by name, arrive and depart, whether it is a pairing's visit and the needs
  served there (household label, category, deadline, working days late).

Only the plan's fields and the scenario are read: the figures the evaluator stores in the
plan's ``kpis`` (``on_time_share``, ``late_needs``, ``response_working_days_median`` and
``_p90``, ``routes``, ``route_travel_hours``, ``route_hours_saved``) are shown when present;
what they do not hold is counted here with the working-day calendar of
:mod:`matcher.schedule.calendar`, the evaluator's own rule. Without the scenario (``index``
None) names come from the plan's naming fields and the figures that need the scenario
(deadlines, the histogram, past-due needs) are left empty; ``complete`` says so.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

# typing_extensions' TypedDict: pydantic reads no other before Python 3.12 (the API may
# document these shapes).
from typing_extensions import TypedDict

from matcher.i18n import Lang, label, t
from matcher.plan import Assignment, Pairing, Plan, Route, Stop
from matcher.prepare.eligibility import Provider
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Cadre
from matcher.schedule.calendar import (
    WorkCalendar,
    clock_minutes,
    due,
    late,
    response_days,
    submitted,
)

# The histogram's bins of response working days: (low, high), high None for "and more".
RESPONSE_BINS: tuple[tuple[int, int | None], ...] = (
    (0, 0),
    (1, 1),
    (2, 2),
    (3, 3),
    (4, 5),
    (6, 10),
    (11, None),
)


class StopNeed(TypedDict):
    """A need served at a stop, as the people at the door read it."""

    need: str
    category: str | None
    category_label: str | None
    household: str | None  # pseudonymous id; null for a village-level need (or not known)
    household_label: str | None  # the county's own label (三组12号)
    village_level: bool | None  # null when neither the scenario nor the plan says
    hours: float | None  # the work, travel excluded
    submitted: str | None  # ISO
    due: str | None  # ISO: due(n) of DESIGN §9
    late_days: int | None  # working days past due(n) on the service day (0: on time)
    response_days: int | None  # working days from submission to the service day


class ScheduleStop(TypedDict):
    """One stop of a route: where, when, and why."""

    order: int  # 1 for the route's first stop
    village: str
    village_name: str | None
    town: str | None
    town_name: str | None
    arrive: str  # HH:MM
    depart: str  # HH:MM
    visit: bool  # a pairing's visit (走访)
    needs: list[StopNeed]
    summary: str  # "走访 福市村" / "服务 福市村：养老服务×2", in the view's language


class ScheduleDay(TypedDict):
    """One route: a provider's working day."""

    date: str  # ISO
    weekday: str  # 周四 / Thu
    start: str | None  # HH:MM the provider leaves its base (the policy's day_start)
    travel_minutes: float
    hours: float
    stops: list[ScheduleStop]


class ProviderSchedule(TypedDict):
    """One provider's days (一人一单 of the schedule)."""

    provider: str
    name: str | None
    provider_type: str | None  # cadre or organization (null without the scenario)
    base: str | None
    base_name: str | None
    town: str | None  # the town of the provider's base: the calendar table it is listed in
    town_name: str | None
    days_off: list[str]  # ISO dates of the horizon the provider does not work
    stops: int
    visits: int
    needs: int
    hours: float
    travel_minutes: float
    days: list[ScheduleDay]


class ResponseBin(TypedDict):
    """One bar of the response histogram."""

    label: str  # "0", "4-5", ">10"
    low: int
    high: int | None  # null: and more
    needs: int


class PastDueNeed(TypedDict):
    """An open need whose deadline had passed before the horizon starts."""

    need: str
    village: str | None
    village_name: str | None
    town: str | None
    town_name: str | None
    household: str | None
    household_label: str | None
    village_level: bool | None
    category: str | None
    category_label: str | None
    submitted: str | None
    due: str
    overdue_days: int  # late(n) on the horizon's first day: working days past due(n)
    reason: str | None  # the plan's unmet reason
    reason_label: str | None


class ScheduleTown(TypedDict):
    """A town whose providers the calendar lists (both null: town not known)."""

    town: str | None
    town_name: str | None


class ScheduleView(TypedDict):
    """Everything the outputs show of a plan's schedule."""

    lang: Lang
    complete: bool  # built with the scenario
    scenario: str | None
    horizon_start: str | None
    horizon_days: int | None
    working_days: list[str]  # the columns of the calendar (ISO), in order
    response_working_days: int | None  # the policy's promise (3)
    served_dated: int  # served needs with a service day
    on_time: int | None  # counted here (null without the scenario)
    on_time_share: float | None
    late_needs: int | None
    response_median: float | None
    response_p90: float | None
    histogram: list[ResponseBin]  # empty without the scenario
    past_due: list[PastDueNeed]
    past_due_count: int | None  # null: not known (no scenario and no KPI)
    routes: int
    stops: int
    visits: int
    route_travel_hours: float | None
    route_hours_saved: float | None  # the evaluator's (null when the plan lacks it)
    towns: list[ScheduleTown]
    providers: list[ProviderSchedule]


def has_schedule(plan: Plan) -> bool:
    """Whether the plan carries a schedule (``policy.schedule`` was on)."""
    return plan.schedule is not None


# Small words


def weekday(day: dt.date, lang: Lang) -> str:
    """周一..周日, or Mon..Sun."""
    return t(f"sched.weekday.{day.weekday()}", lang)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def _rounded(value: float | None) -> float | None:
    """4 decimals, and no "-0.0" from a sum that cancels out."""
    return None if value is None else round(value, 4) + 0.0


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def stop_summary(stop: ScheduleStop, lang: Lang) -> str:
    """What a stop is, in a few words: "走访 福市村", "服务 福市村：养老服务×2", or both
    ("走访、服务 福市村：农业技术"); in English "Visit Fushi", "Service Fushi: elderly care ×2"."""
    place = stop["village_name"] or stop["village"]
    counts: dict[str, int] = {}
    for need in stop["needs"]:
        shown = need["category_label"] or need["category"] or need["need"]
        counts[shown] = counts.get(shown, 0) + 1
    what = t("sched.sep", lang).join(
        f"{name}×{count}" if count > 1 else name for name, count in counts.items()
    )
    if stop["needs"] and stop["visit"]:
        return t("sched.summary_both", lang, village=place, needs=what)
    if stop["needs"]:
        return t("sched.summary_service", lang, village=place, needs=what)
    return t("sched.summary_visit", lang, village=place)


def household_of(need: StopNeed | PastDueNeed, lang: Lang) -> str:
    """Who a need is for: the household's label, else its id, else "village-level need"."""
    if need["household_label"]:
        return need["household_label"]
    if need["household"]:
        return need["household"]
    return t("roster.village_level", lang) if need["village_level"] else "—"


def need_line(need: StopNeed, lang: Lang) -> str:
    """A need as one line: "N1 一组3号：农业技术" ("N1 一组3号: agricultural tech")."""
    what = need["category_label"] or need["category"] or ""
    return t("sched.need_line", lang, need=need["need"], whom=household_of(need, lang), what=what)


# Reading the plan and the scenario


class _Names:
    """Names of villages, towns and providers: the scenario's, else the plan's own."""

    def __init__(self, index: ScenarioIndex | None, plan: Plan) -> None:
        self.index = index
        self.plan_names: dict[str, str | None] = {}
        if index is None:
            items: list[Pairing | Assignment] = [*plan.pairings, *plan.assignments]
            for item in items:
                if item.village and item.village_name is not None:
                    self.plan_names.setdefault(item.village, item.village_name)
            for a in plan.assignments:
                if a.provider_name is not None:
                    self.plan_names.setdefault(a.provider, a.provider_name)
            for p in plan.pairings:
                if p.cadre_name is not None:
                    self.plan_names.setdefault(p.cadre, p.cadre_name)

    def name(self, item_id: str | None) -> str | None:
        if item_id is None:
            return None
        if self.index is not None:
            return self.index.name_of(item_id)
        return self.plan_names.get(item_id)

    def town_of_village(self, village: str | None) -> str | None:
        if self.index is None or village is None:
            return None
        found = self.index.villages.get(village)
        return found.town if found is not None else None

    def town_of_base(self, base: str | None) -> str | None:
        if self.index is None or base is None:
            return None
        if any(p.id == base for p in self.index.scenario.places):
            return base
        return self.town_of_village(base)


def _provider_type(provider: Provider | None) -> str | None:
    if provider is None:
        return None
    return "cadre" if isinstance(provider, Cadre) else "organization"


class _Needs:
    """Each need's facts (from the scenario, else the plan's assignment) and its figures on a
    service day, by the calendar of DESIGN §9."""

    def __init__(self, index: ScenarioIndex | None, plan: Plan, lang: Lang) -> None:
        self.index = index
        self.lang = lang
        self.assigned = {a.need: a for a in plan.assignments}
        self.calendar = WorkCalendar.of(index.scenario) if index is not None else None

    def of(self, need_id: str, day: dt.date | None) -> StopNeed:
        index, calendar, lang = self.index, self.calendar, self.lang
        need = index.needs.get(need_id) if index is not None else None
        if need is None or index is None or calendar is None:
            a = self.assigned.get(need_id)
            category = a.category if a is not None else None
            named = a is not None and "household" in a.model_fields_set
            return {
                "need": need_id,
                "category": category,
                "category_label": label("category", category, lang) if category else None,
                "household": a.household if a is not None else None,
                "household_label": a.household_label if a is not None else None,
                "village_level": (a.household is None) if named and a is not None else None,
                "hours": None,
                "submitted": None,
                "due": None,
                "late_days": None,
                "response_days": None,
            }
        policy = index.scenario.policy
        deadline = due(need, calendar, policy)
        return {
            "need": need_id,
            "category": need.category.value,
            "category_label": label("category", need.category.value, lang),
            "household": need.household,
            "household_label": need.household_label,
            "village_level": need.household is None,
            "hours": float(need.hours),
            "submitted": submitted(need, calendar).isoformat(),
            "due": deadline.isoformat() if deadline is not None else None,
            "late_days": late(need, day, calendar, policy) if day is not None else None,
            "response_days": response_days(need, day, calendar) if day is not None else None,
        }


def _stop(
    stop: Stop, order: int, day: dt.date | None, names: _Names, needs: _Needs, lang: Lang
) -> ScheduleStop:
    town = names.town_of_village(stop.village)
    found: ScheduleStop = {
        "order": order,
        "village": stop.village,
        "village_name": names.name(stop.village),
        "town": town,
        "town_name": names.name(town),
        "arrive": stop.arrive,
        "depart": stop.depart,
        "visit": bool(stop.visit),
        "needs": [needs.of(n, day) for n in stop.needs],
        "summary": "",
    }
    found["summary"] = stop_summary(found, lang)
    return found


def _day(route: Route, names: _Names, needs: _Needs, start: str | None, lang: Lang) -> ScheduleDay:
    day = _date(route.date)
    return {
        "date": route.date,
        "weekday": weekday(day, lang) if day is not None else "",
        "start": start,
        "travel_minutes": round(float(route.travel_minutes), 4),
        "hours": round(float(route.hours), 4),
        "stops": [_stop(stop, i, day, names, needs, lang) for i, stop in enumerate(route.stops, 1)],
    }


def _route_key(route: Route) -> tuple[str, int]:
    """Routes of a provider by date, then by when their first stop begins."""
    first = route.stops[0].arrive if route.stops else "00:00"
    try:
        minutes = clock_minutes(first)
    except ValueError:
        minutes = 0
    return route.date, minutes


def _providers(
    index: ScenarioIndex | None,
    plan: Plan,
    names: _Names,
    needs: _Needs,
    working: list[str],
    lang: Lang,
) -> list[ProviderSchedule]:
    by_provider: dict[str, list[Route]] = defaultdict(list)
    for route in plan.schedule or ():
        by_provider[route.provider].append(route)
    start = index.scenario.policy.day_start if index is not None else None
    inside = set(working)
    sheets: list[ProviderSchedule] = []
    for provider_id, routes in by_provider.items():
        provider = index.provider(provider_id) if index is not None else None
        base = provider.base if provider is not None else None
        town = names.town_of_base(base)
        days = [_day(r, names, needs, start, lang) for r in sorted(routes, key=_route_key)]
        stops = [s for d in days for s in d["stops"]]
        sheets.append(
            {
                "provider": provider_id,
                "name": provider.name if provider is not None else names.name(provider_id),
                "provider_type": _provider_type(provider),
                "base": base,
                "base_name": names.name(base),
                "town": town,
                "town_name": names.name(town),
                "days_off": sorted(
                    d.isoformat()
                    for d in (provider.days_off if provider is not None else ())
                    if d.isoformat() in inside
                ),
                "stops": len(stops),
                "visits": sum(1 for s in stops if s["visit"]),
                "needs": sum(len(s["needs"]) for s in stops),
                "hours": round(sum(d["hours"] for d in days), 4),
                "travel_minutes": round(sum(d["travel_minutes"] for d in days), 4),
                "days": days,
            }
        )
    town_order: dict[str | None, int] = {}
    if index is not None:
        town_order = {p.id: i for i, p in enumerate(index.scenario.places)}
    sheets.sort(
        key=lambda p: (
            town_order.get(p["town"], 1 << 30),
            p["town"] or "",
            p["provider_type"] != "cadre",
            p["provider"],
        )
    )
    return sheets


# The figures


def _percentile(values: list[int], share: float) -> float | None:
    """The ``share`` percentile with linear interpolation between ranks (NumPy's default)."""
    if not values:
        return None
    ordered = sorted(values)
    at = share * (len(ordered) - 1)
    low = math.floor(at)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (at - low))


def histogram(days: Iterable[int], lang: Lang) -> list[ResponseBin]:
    """Response working days counted into :data:`RESPONSE_BINS`."""
    values = list(days)
    bins: list[ResponseBin] = []
    for low, high in RESPONSE_BINS:
        if high is None:
            shown = t("sched.bin_more", lang, low=low - 1)
        elif low == high:
            shown = str(low)
        else:
            shown = f"{low}–{high}"
        count = sum(1 for v in values if v >= low and (high is None or v <= high))
        bins.append({"label": shown, "low": low, "high": high, "needs": count})
    return bins


def _past_due(
    index: ScenarioIndex, plan: Plan, names: _Names, calendar: WorkCalendar, lang: Lang
) -> list[PastDueNeed]:
    """Needs the plan leaves open whose deadline had already passed when the horizon starts
    (the evaluator's ``needs_open_past_due``), most overdue first, with the plan's reason."""
    served = {a.need for a in plan.assignments}
    reasons = {u.need: u.reason for u in plan.unmet}
    policy = index.scenario.policy
    found: list[PastDueNeed] = []
    for need in index.scenario.needs:
        if need.id in served:
            continue
        deadline = due(need, calendar, policy)
        if deadline is None or deadline >= calendar.start:
            continue
        town = names.town_of_village(need.village)
        reason = reasons.get(need.id)
        found.append(
            {
                "need": need.id,
                "village": need.village,
                "village_name": names.name(need.village),
                "town": town,
                "town_name": names.name(town),
                "household": need.household,
                "household_label": need.household_label,
                "village_level": need.household is None,
                "category": need.category.value,
                "category_label": label("category", need.category.value, lang),
                "submitted": submitted(need, calendar).isoformat(),
                "due": deadline.isoformat(),
                "overdue_days": late(need, calendar.start, calendar, policy),
                "reason": reason,
                "reason_label": label("unmet_reason", reason, lang) if reason else None,
            }
        )
    found.sort(key=lambda n: (-n["overdue_days"], n["due"], n["need"]))
    return found


def _towns(providers: list[ProviderSchedule]) -> list[ScheduleTown]:
    seen: dict[str | None, str | None] = {}
    for p in providers:
        seen.setdefault(p["town"], p["town_name"])
    return [{"town": town, "town_name": name} for town, name in seen.items()]


def schedule_view(
    index: ScenarioIndex | None,
    plan: Plan,
    lang: Lang = "zh",
    kpis: Mapping[str, Any] | None = None,
) -> ScheduleView:
    """The plan's schedule as every output shows it (see the module's note). ``kpis`` are the
    plan's (the evaluator's figures; ``plan.kpis`` when not given)."""
    figures = plan.kpis if kpis is None else kpis
    names = _Names(index, plan)
    needs = _Needs(index, plan, lang)
    calendar = needs.calendar
    # The calendar's columns: the horizon's working days, and any other day a route names (a
    # weekend route breaks H10 but is shown); a date that cannot be read has no column.
    working = {r.date for r in plan.schedule or () if _date(r.date) is not None}
    if calendar is not None:
        working |= {d.isoformat() for d in calendar.working_days}
    columns = sorted(working)
    providers = _providers(index, plan, names, needs, columns, lang)

    # Response figures of the served needs with a service day (the stops' needs).
    served = [n for p in providers for d in p["days"] for s in d["stops"] for n in s["needs"]]
    responses = [n["response_days"] for n in served if n["response_days"] is not None]
    lates = [n["late_days"] for n in served if n["late_days"] is not None]
    on_time = sum(1 for v in lates if v == 0) if calendar is not None else None
    share = _number(figures.get("on_time_share"))
    if share is None and on_time is not None and lates:
        share = on_time / len(lates)
    late_count = figures.get("late_needs")
    if not isinstance(late_count, int) or isinstance(late_count, bool):
        late_count = sum(1 for v in lates if v > 0) if calendar is not None else None
    median = _number(figures.get("response_working_days_median"))
    if median is None:
        median = _percentile(responses, 0.5)
    p90 = _number(figures.get("response_working_days_p90"))
    if p90 is None:
        p90 = _percentile(responses, 0.9)

    past_due: list[PastDueNeed] = []
    past_due_count: int | None = None
    if index is not None and calendar is not None:
        past_due = _past_due(index, plan, names, calendar, lang)
        past_due_count = len(past_due)
    else:
        stored = figures.get("needs_open_past_due")
        if isinstance(stored, int) and not isinstance(stored, bool):
            past_due_count = stored

    stops = [s for p in providers for d in p["days"] for s in d["stops"]]
    travel = _number(figures.get("route_travel_hours"))
    if travel is None:
        travel = sum(p["travel_minutes"] for p in providers) / 60.0
    horizon = index.scenario.horizon if index is not None else None
    return {
        "lang": lang,
        "complete": index is not None,
        "scenario": index.scenario.name if index is not None else plan.scenario.name,
        "horizon_start": horizon.start.isoformat() if horizon is not None else None,
        "horizon_days": horizon.days if horizon is not None else None,
        "working_days": columns,
        "response_working_days": (
            index.scenario.policy.response_working_days if index is not None else None
        ),
        "served_dated": len(served),
        "on_time": on_time,
        "on_time_share": share,
        "late_needs": late_count,
        "response_median": median,
        "response_p90": p90,
        "histogram": histogram(responses, lang) if calendar is not None else [],
        "past_due": past_due,
        "past_due_count": past_due_count,
        "routes": len(plan.schedule or ()),
        "stops": len(stops),
        "visits": sum(1 for s in stops if s["visit"]),
        "route_travel_hours": _rounded(travel),
        "route_hours_saved": _rounded(_number(figures.get("route_hours_saved"))),
        "towns": _towns(providers),
        "providers": providers,
    }
