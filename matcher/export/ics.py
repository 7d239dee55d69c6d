"""A plan's schedule (DESIGN §9) as iCalendar files (RFC 5545), one per provider, so that
cadres and social workers see their visits and services in the phone calendar they already
use (issue 17, item 4).

Each stop of each route is one ``VEVENT``:

* ``DTSTART`` / ``DTEND``: the route's date with the stop's arrive and depart times, in
  ``TZID=Asia/Shanghai`` (the calendar carries its ``VTIMEZONE``: UTC+8, no daylight saving);
* ``SUMMARY``: what it is, in Chinese by default: "走访 福市村", "服务 福市村：养老服务×2";
* ``LOCATION``: the village and its town, by name;
* ``DESCRIPTION``: the stop's place in the day and its times, the visit, and each need with
  its household label, category, hours and deadline;
* ``UID``: ``<plan key>-<provider>-<date>-<order>@baolian-matcher``, stable, so that importing
  the file again updates the events instead of adding them twice. The plan key is the first 16
  hex digits of the plan's scenario hash (``scenario.sha256``): a new plan of the same scenario
  updates the same days' events; a plan that names no scenario hash is keyed by a hash of the
  plan itself.

File names are the provider's id where it is plain (letters, digits, ``-``, ``_``), else that
with other characters replaced and a short hash of the id added, so that no id can name a
path outside the folder or two ids one file. Every file is written atomically.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneStandard

from matcher import __version__
from matcher.files import atomic_path
from matcher.i18n import Lang, t
from matcher.plan import Plan, plan_to_json
from matcher.problem.index import ScenarioIndex
from matcher.reports.schedule import (
    ProviderSchedule,
    ScheduleDay,
    ScheduleStop,
    need_line,
    schedule_view,
)
from matcher.schedule.calendar import clock_minutes

TZID = "Asia/Shanghai"
ZONE = ZoneInfo(TZID)
UID_DOMAIN = "baolian-matcher"
MEDIA_TYPE = "text/calendar"
_PLAIN = re.compile(r"[0-9A-Za-z_-]")
_MAX_NAME = 80


class UnknownProvider(LookupError):
    """A provider the plan's schedule and scenario do not have."""


def plan_key(plan: Plan) -> str:
    """16 hex digits that name the plan's schedule in event UIDs: its scenario's hash, else
    the plan's own."""
    if plan.scenario.sha256:
        return plan.scenario.sha256[:16].lower()
    return hashlib.sha256(plan_to_json(plan).encode("utf-8")).hexdigest()[:16]


def file_name(provider: str) -> str:
    """A safe file name for a provider's calendar: ``C0001.ics``, or for an id with other
    characters the plain ones kept, the rest ``_``, and 8 hex digits of the id's hash."""
    kept = "".join(c if _PLAIN.fullmatch(c) else "_" for c in provider)[:_MAX_NAME]
    if kept == provider:
        return f"{provider}.ics"
    digest = hashlib.sha256(provider.encode("utf-8")).hexdigest()[:8]
    return f"{kept}-{digest}.ics"


def _time(day: str, clock: str) -> dt.datetime | None:
    """The day at ``HH:MM`` in Beijing time (a clock past midnight runs into the next day);
    None when either cannot be read (a plan from another program may break H10 so)."""
    try:
        minutes = clock_minutes(clock)
        start = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(), tzinfo=ZONE)
    except ValueError:
        return None
    return start + dt.timedelta(minutes=minutes)


def _timezone() -> Timezone:
    """The VTIMEZONE of Asia/Shanghai: UTC+8 all year since 1991."""
    zone = Timezone()
    zone.add("tzid", TZID)
    standard = TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", dt.timedelta(hours=8))
    standard.add("tzoffsetto", dt.timedelta(hours=8))
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


def _location(stop: ScheduleStop, lang: Lang) -> str:
    village = stop["village_name"] or stop["village"]
    if stop["town_name"]:
        return t("sched.ics.location", lang, village=village, town=stop["town_name"])
    return village


def _description(
    day: ScheduleDay, stop: ScheduleStop, visit_hours: float | None, lang: Lang
) -> str:
    lines = [
        t(
            "sched.ics.times",
            lang,
            order=stop["order"],
            stops=len(day["stops"]),
            arrive=stop["arrive"],
            depart=stop["depart"],
        )
    ]
    if stop["visit"]:
        if visit_hours is not None:
            lines.append(t("sched.ics.visit_hours", lang, hours=f"{visit_hours:g}"))
        else:
            lines.append(t("sched.task_visit", lang))
    for need in stop["needs"]:
        line = need_line(need, lang)
        extra = []
        if need["hours"] is not None:
            extra.append(t("sched.ics.hours", lang, hours=f"{need['hours']:g}"))
        if need["due"]:
            extra.append(t("sched.ics.due", lang, due=need["due"]))
        if extra:
            line += t("sched.paren", lang, text=t("sched.sep", lang).join(extra))
        lines.append(line)
    return "\n".join(lines)


def provider_calendar(
    person: ProviderSchedule,
    key: str,
    lang: Lang = "zh",
    *,
    visit_hours: float | None = None,
    stamp: dt.datetime | None = None,
) -> Calendar:
    """One provider's calendar: a VEVENT per stop of its routes (a stop whose date or times
    cannot be read is left out)."""
    when = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    who = person["name"] or person["provider"]
    calendar = Calendar()
    calendar.add("prodid", f"-//Baolian Matcher//schedule {__version__}//ZH")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", t("sched.ics.calendar_name", lang, name=who))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(_timezone())
    for day in person["days"]:
        for stop in day["stops"]:
            start = _time(day["date"], stop["arrive"])
            end = _time(day["date"], stop["depart"])
            if start is None or end is None:
                continue  # no time to put it at: the plan breaks H10 (matcher check says so)
            event = Event()
            uid = f"{key}-{person['provider']}-{day['date']}-{stop['order']}@{UID_DOMAIN}"
            event.add("uid", uid)
            event.add("dtstamp", when)
            event.add("dtstart", start)
            event.add("dtend", max(start, end))
            event.add("summary", stop["summary"])
            event.add("location", _location(stop, lang))
            event.add("description", _description(day, stop, visit_hours, lang))
            event.add("sequence", 0)
            calendar.add_component(event)
    return calendar


def _people(
    plan: Plan, index: ScenarioIndex | None, lang: Lang
) -> tuple[list[ProviderSchedule], float | None]:
    view = schedule_view(index, plan, lang)
    visit_hours = float(index.scenario.policy.visit_hours) if index is not None else None
    return view["providers"], visit_hours


def provider_ics(
    plan: Plan,
    provider: str,
    index: ScenarioIndex | None = None,
    lang: Lang = "zh",
    *,
    stamp: dt.datetime | None = None,
) -> bytes:
    """One provider's calendar file (an empty calendar when it has no stop); raises
    :class:`UnknownProvider` for a provider neither the schedule nor the scenario has."""
    people, visit_hours = _people(plan, index, lang)
    person = next((p for p in people if p["provider"] == provider), None)
    if person is None:
        known = index.provider(provider) if index is not None else None
        if known is None:
            raise UnknownProvider(provider)
        person = {
            "provider": provider,
            "name": known.name,
            "provider_type": None,
            "base": known.base,
            "base_name": None,
            "town": None,
            "town_name": None,
            "days_off": [],
            "stops": 0,
            "visits": 0,
            "needs": 0,
            "hours": 0.0,
            "travel_minutes": 0.0,
            "days": [],
        }
    calendar = provider_calendar(person, plan_key(plan), lang, visit_hours=visit_hours, stamp=stamp)
    return bytes(calendar.to_ical())


def write_schedule_ics(
    plan: Plan,
    folder: Path,
    index: ScenarioIndex | None = None,
    lang: Lang = "zh",
    *,
    stamp: dt.datetime | None = None,
) -> list[Path]:
    """One ``.ics`` file per provider with a route into ``folder`` (created if missing), each
    written atomically; the files written, in the schedule's order of providers (none for a
    plan without a schedule)."""
    folder.mkdir(parents=True, exist_ok=True)
    if plan.schedule is None:
        return []
    people, visit_hours = _people(plan, index, lang)
    key = plan_key(plan)
    written = []
    for person in people:
        calendar = provider_calendar(person, key, lang, visit_hours=visit_hours, stamp=stamp)
        target = folder / file_name(person["provider"])
        with atomic_path(target) as tmp:
            tmp.write_bytes(calendar.to_ical())
        written.append(target)
    return written
