"""A plan's schedule (DESIGN §9) as two sheets of the workbook (and two CSV files), for the
people who carry it out (issue 17, item 4):

* **日程** (``schedule``): one row per stop of every route: the provider (name and id), the
  date and weekday, the stop's place in the day's order, the village (name and id) and town,
  arrive and depart, whether it is a pairing's visit (是/否), the needs served there (ids) and
  for whom (household labels with the needs' categories), and the day's travel and hours;
* **个人日程** (``provider_schedule``): each provider's own list (一人一单): one row per thing
  to do, in the order of the days and stops: the visit, then each need with its household,
  category, hours and deadline.

As in the roster sheets, row 1 holds the Chinese headers and row 2 the English field names,
and every row carries the provider and the town, so that Excel's filter cuts out one person's
or one township's days. Built from :func:`matcher.reports.schedule.schedule_view`: with the
scenario, towns, deadlines and hours are filled; without it, from the plan's own fields, they
stay empty and each sheet says so in its note. A plan without a schedule has neither sheet.
"""

from __future__ import annotations

from matcher.export.plan_tables import DECIMAL, Cell, Column, Table
from matcher.i18n import Lang, t
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.schedule import (
    ScheduleView,
    StopNeed,
    has_schedule,
    household_of,
    schedule_view,
)

SCHEDULE_SHEETS: dict[str, str] = {
    "schedule": t("sched.sheet.stops", "zh"),
    "provider_schedule": t("sched.sheet.provider", "zh"),
}
"""The schedule tables' keys (CSV file names ``<key>.csv``) and Chinese sheet names, in order."""


def _col(key: str, message: str, number_format: str | None = None) -> Column:
    """A column whose Chinese header is the catalogue's (one wording everywhere)."""
    return Column(key, t(message, "zh"), number_format)


def _yes(value: bool, lang: Lang) -> str:
    return t("sched.yes" if value else "sched.no", lang)


def _whom(need: StopNeed, lang: Lang) -> str:
    """ "一组3号：农业技术": the household and what it is served."""
    what = need["category_label"] or need["category"] or need["need"]
    return t("sched.whom_what", lang, whom=household_of(need, lang), what=what)


_STOPS = (
    _col("provider", "roster.provider_id"),
    _col("provider_name", "roster.provider_name"),
    _col("date", "sched.col.date"),
    _col("weekday", "sched.col.weekday"),
    _col("order", "sched.col.order"),
    _col("town_name", "roster.town"),
    _col("village", "roster.village_id"),
    _col("village_name", "roster.village"),
    _col("arrive", "sched.col.arrive"),
    _col("depart", "sched.col.depart"),
    _col("visit", "sched.col.visit"),
    _col("needs", "sched.col.need_ids"),
    _col("for_whom", "sched.col.for_whom"),
    _col("day_travel_minutes", "sched.col.day_travel", DECIMAL),
    _col("day_hours", "sched.col.day_hours", DECIMAL),
)


def schedule_table(view: ScheduleView) -> Table:
    """日程: one row per stop of every route, by provider, date and order."""
    lang = view["lang"]
    sep = t("list.semicolon", lang)
    rows: list[list[Cell]] = []
    for p in view["providers"]:
        for day in p["days"]:
            for stop in day["stops"]:
                rows.append(
                    [
                        p["provider"],
                        p["name"],
                        day["date"],
                        day["weekday"],
                        stop["order"],
                        stop["town_name"],
                        stop["village"],
                        stop["village_name"],
                        stop["arrive"],
                        stop["depart"],
                        _yes(stop["visit"], lang),
                        sep.join(n["need"] for n in stop["needs"]) or None,
                        sep.join(_whom(n, lang) for n in stop["needs"]) or None,
                        day["travel_minutes"],
                        day["hours"],
                    ]
                )
    return Table(SCHEDULE_SHEETS["schedule"], _STOPS, rows, _note(view))


_PROVIDER = (
    _col("provider", "roster.provider_id"),
    _col("name", "roster.name"),
    _col("provider_type", "roster.provider_type"),
    _col("base_name", "roster.base"),
    _col("date", "sched.col.date"),
    _col("weekday", "sched.col.weekday"),
    _col("order", "sched.col.order"),
    _col("arrive", "sched.col.arrive"),
    _col("depart", "sched.col.depart"),
    _col("town_name", "roster.town"),
    _col("village", "roster.village_id"),
    _col("village_name", "roster.village"),
    _col("task", "roster.task"),
    _col("for_whom", "roster.for_whom"),
    _col("need", "roster.need"),
    _col("need_hours", "roster.need_hours", DECIMAL),
    _col("due", "sched.col.due"),
    _col("late_days", "sched.col.late"),
    _col("day_hours", "sched.col.day_hours", DECIMAL),
)


def _type_label(kind: str | None, lang: Lang) -> str | None:
    if kind is None:
        return None
    return t("roster.type_cadre" if kind == "cadre" else "roster.type_organization", lang)


def provider_schedule_table(view: ScheduleView) -> Table:
    """个人日程: each provider's days in order, one row per visit and per need served."""
    lang = view["lang"]
    rows: list[list[Cell]] = []
    for p in view["providers"]:
        head: list[Cell] = [
            p["provider"],
            p["name"],
            _type_label(p["provider_type"], lang),
            p["base_name"] or p["base"],
        ]
        for day in p["days"]:
            for stop in day["stops"]:
                where: list[Cell] = [
                    day["date"],
                    day["weekday"],
                    stop["order"],
                    stop["arrive"],
                    stop["depart"],
                    stop["town_name"],
                    stop["village"],
                    stop["village_name"],
                ]
                if stop["visit"]:
                    task = t("sched.task_visit", lang)
                    rows.append([*head, *where, task, None, None, None, None, None, day["hours"]])
                for n in stop["needs"]:
                    rows.append(
                        [
                            *head,
                            *where,
                            n["category_label"] or n["category"],
                            household_of(n, lang),
                            n["need"],
                            n["hours"],
                            n["due"],
                            n["late_days"],
                            day["hours"],
                        ]
                    )
    return Table(SCHEDULE_SHEETS["provider_schedule"], _PROVIDER, rows, _note(view))


def _note(view: ScheduleView) -> str | None:
    """The sheets' note when the schedule was read without the scenario."""
    return None if view["complete"] else t("sched.from_plan_only", "zh")


def schedule_tables(
    plan: Plan, index: ScenarioIndex | None = None, lang: Lang = "zh"
) -> dict[str, Table]:
    """The two schedule tables by key (:data:`SCHEDULE_SHEETS` order); none for a plan
    without a schedule."""
    if not has_schedule(plan):
        return {}
    view = schedule_view(index, plan, lang)
    return {
        "schedule": schedule_table(view),
        "provider_schedule": provider_schedule_table(view),
    }
