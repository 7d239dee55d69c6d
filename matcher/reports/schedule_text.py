"""The schedule (DESIGN §9) in the plain-text report, in Chinese or English: the response
figures, the histogram of response working days, the open needs past due and each person's
days (the first :data:`PROVIDERS_SHOWN` people; the rest are in the HTML report, the workbook
and the calendar files).

Renders :func:`matcher.reports.schedule.schedule_view`; columns are aligned by display width,
so Chinese names line up. No colours: the CLI may wrap the text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from matcher.i18n import Lang, t
from matcher.reports.schedule import ScheduleView, household_of

PROVIDERS_SHOWN = 20
PAST_DUE_SHOWN = 20
BAR_WIDTH = 30
DASH = "-"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _columns(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> list[str]:
    """Aligned columns, two spaces apart (``right``: right-aligned columns)."""
    widths = [_width(h) for h in headers]
    for row in rows:
        widths = [max(w, _width(c)) for w, c in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        padded = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            gap = " " * max(0, w - _width(cell))
            padded.append(gap + cell if i in right else cell + gap)
        return "  " + "  ".join(padded).rstrip()

    return [line(headers), "  " + "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def _section(title: str) -> list[str]:
    return ["", title, "-" * _width(title)]


def _num(value: float | int | None, decimals: int = 0) -> str:
    return DASH if value is None else f"{value:,.{decimals}f}"


def _share(value: float | None) -> str:
    return DASH if value is None else f"{100 * value:.1f}%"


def _figures(view: ScheduleView, lang: Lang) -> list[str]:
    lines = []
    on_time = _share(view["on_time_share"])
    days = view["response_working_days"]
    if view["on_time"] is not None and days is not None:
        detail = t(
            "sched.on_time_detail",
            lang,
            on_time=f"{view['on_time']:,}",
            served=f"{view['served_dated']:,}",
            days=days,
            late=_num(view["late_needs"]),
        )
        on_time = f"{on_time}{t('sched.paren', lang, text=detail)}"
    rows = [
        (t("sched.on_time", lang), on_time),
        (
            t("sched.response_days", lang),
            t(
                "sched.response_value",
                lang,
                median=_num(view["response_median"], 1),
                p90=_num(view["response_p90"], 1),
            ),
        ),
        (t("sched.past_due", lang), _num(view["past_due_count"])),
        (
            t("sched.route_travel", lang),
            t(
                "sched.routes_text",
                lang,
                hours=_num(view["route_travel_hours"], 1),
                routes=t(
                    "sched.routes_line",
                    lang,
                    routes=f"{view['routes']:,}",
                    stops=f"{view['stops']:,}",
                    visits=f"{view['visits']:,}",
                ),
            ),
        ),
    ]
    if view["route_hours_saved"] is not None:
        rows.append(
            (
                t("sched.saved_title", lang),
                t("sched.hours_value", lang, hours=_num(view["route_hours_saved"], 1)),
            ),
        )
    for name, value in rows:
        lines.append("- " + t("text.label_value", lang, label=name, value=value))
    return lines


def _histogram(view: ScheduleView, lang: Lang) -> list[str]:
    bins = view["histogram"]
    if not bins:
        return []
    biggest = max(b["needs"] for b in bins) or 1
    rows = [
        [b["label"], f"{b['needs']:,}", "█" * round(BAR_WIDTH * b["needs"] / biggest)] for b in bins
    ]
    headers = [t("sched.col.days", lang), t("sched.col.needs", lang), ""]
    return [*_section(t("sched.histogram_title", lang)), *_columns(headers, rows, {1})]


def _past_due(view: ScheduleView, lang: Lang) -> list[str]:
    found = view["past_due"]
    if view["past_due_count"] is None or not view["complete"]:
        return []
    lines = _section(
        t("sched.count_title", lang, title=t("sched.past_due", lang), count=f"{len(found):,}")
    )
    if not found:
        return [*lines, "  " + t("text.none", lang)]
    rows = [
        [
            n["need"],
            f"{n['village_name'] or n['village'] or DASH}",
            household_of(n, lang),
            n["category_label"] or n["category"] or DASH,
            n["submitted"] or DASH,
            n["due"],
            f"{n['overdue_days']:,}",
            n["reason_label"] or DASH,
        ]
        for n in found[:PAST_DUE_SHOWN]
    ]
    headers = [
        t("roster.need", lang),
        t("roster.village", lang),
        t("roster.household", lang),
        t("roster.category", lang),
        t("roster.submitted", lang),
        t("sched.col.due", lang),
        t("sched.col.overdue", lang),
        t("col.reason", lang),
    ]
    lines += _columns(headers, rows, {6})
    if len(found) > PAST_DUE_SHOWN:
        lines.append("  " + t("text.more", lang, count=f"{len(found) - PAST_DUE_SHOWN:,}"))
    return lines


def _people(view: ScheduleView, lang: Lang) -> list[str]:
    people = view["providers"]
    lines = _section(t("sched.providers_title", lang))
    if not people:
        return [*lines, "  " + t("sched.none", lang)]
    for p in people[:PROVIDERS_SHOWN]:
        who = f"{p['name']} ({p['provider']})" if p["name"] else p["provider"]
        lines.append(
            "  "
            + t(
                "sched.person_line",
                lang,
                who=who,
                days=len(p["days"]),
                stops=p["stops"],
                hours=_num(p["hours"], 1),
            )
        )
        for day in p["days"]:
            stops = " → ".join(
                f"{s['order']}.{s['village_name'] or s['village']} {s['arrive']}"
                + (f" {t('sched.cell_visit', lang)}" if s["visit"] else "")
                + (f" {t('sched.cell_needs', lang, count=len(s['needs']))}" if s["needs"] else "")
                for s in day["stops"]
            )
            lines.append(f"    {day['date']} {day['weekday']}  {stops}")
    if len(people) > PROVIDERS_SHOWN:
        lines.append("  " + t("sched.more_providers", lang, count=len(people) - PROVIDERS_SHOWN))
    return lines


def render_schedule_text(view: ScheduleView, lang: Lang) -> list[str]:
    """The schedule's part of the text report, as lines."""
    title = t("sched.title", lang)
    lines = [title, "=" * _width(title)]
    if not view["complete"]:
        lines.append(t("sched.from_plan_only", lang))
    return [
        *lines,
        *_figures(view, lang),
        *_histogram(view, lang),
        *_past_due(view, lang),
        *_people(view, lang),
    ]
