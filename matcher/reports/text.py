"""Plain-text rendering of the two reports, for ``matcher report SCENARIO PLAN``, in Chinese or
English.

Reads only the JSON-ready report dicts (typed in :mod:`matcher.reports.shapes`; a plan file's
stored reports render the same as fresh ones), tolerates missing sections and keys, and uses no
colours: the CLI may wrap the text with rich. Every text is the catalogue's
(:mod:`matcher.i18n`); codes show by their labels, ids with their names when a scenario's
names are given. The duplicate-aid part opens with the one story every surface tells
(:mod:`matcher.reports.headline`): what the ledgers paid twice, what the plan avoided and what
it spends twice. Columns are aligned by display width, so Chinese names line up too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from matcher.i18n import Lang, choose_lang, label, t
from matcher.reports.fixes_text import render_fixes
from matcher.reports.headline import (
    NameOf,
    category,
    duplicate_story,
    named,
    reasons,
    story_lines,
    who,
)
from matcher.reports.schedule import ScheduleView
from matcher.reports.schedule_text import render_schedule_text
from matcher.reports.shapes import (
    BlindSpotsReport,
    CadreInReach,
    DuplicateAidReport,
    MergedSubmissions,
    NearDuplicates,
    PlanReports,
    WasteTally,
)

TOP = 20
CANDIDATES_SHOWN = 3


def _width(text: str) -> int:
    """Display width: wide (CJK) characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], right: Iterable[int] = ()
) -> list[str]:
    """Aligned columns, two spaces apart; columns listed in ``right`` are right-aligned."""
    body = [list(r) for r in rows]
    widths = [_width(h) for h in headers]
    for row in body:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]
    right_cols = set(right)

    def line(cells: Sequence[str]) -> str:
        padded = (
            _pad(c, w, i in right_cols) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )
        return "  " + "  ".join(padded).rstrip()

    rule = "  " + "  ".join("-" * w for w in widths)
    return [line(headers), rule, *(line(r) for r in body)]


def yuan(amount: Any) -> str:
    """Whole yuan with thousands separators."""
    return f"{int(amount or 0):,}"


def hours(amount: Any) -> str:
    """Hours to one decimal."""
    return f"{float(amount or 0.0):,.1f}"


def percent(share: Any) -> str:
    """A share as a percentage."""
    return f"{100.0 * float(share or 0.0):.1f}%"


def _heading(title: str) -> list[str]:
    return [title, "=" * _width(title)]


def _section(title: str) -> list[str]:
    return ["", title, "-" * _width(title)]


def _more(total: int, shown: int, lang: Lang) -> list[str]:
    return ["  " + t("text.more", lang, count=f"{total - shown:,}")] if total > shown else []


def _listing(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Iterable[int] = (),
    *,
    total: int,
    lang: Lang,
) -> list[str]:
    """A table of the rows shown, a line for those left out of ``total``, or "none"."""
    if total == 0:
        return ["  " + t("text.none", lang)]
    return [*table(headers, rows, right), *_more(total, len(rows), lang)]


def _household(value: Any, lang: Lang) -> str:
    return str(value) if value else t("text.village_level", lang)


def _dates(first: Any, last: Any) -> str:
    return f"{first or ''}..{last or ''}"


def _departments(values: Iterable[Any], lang: Lang, names: NameOf | None) -> str:
    return ", ".join(who(v, lang, names) for v in values)


def _pair(key: str, lang: Lang, names: NameOf | None) -> str:
    """A department pair "a|b" as "label + label"."""
    return " + ".join(who(part, lang, names) for part in key.split("|"))


def _tallies(
    title: str,
    header: str,
    tallies: Mapping[str, WasteTally],
    shown: Any,
    lang: Lang,
) -> list[str]:
    if not tallies:
        return []
    rows = [
        [
            shown(name),
            str(tally.get("groups", 0)),
            str(tally.get("records", 0)),
            yuan(tally.get("waste_yuan")),
            hours(tally.get("waste_hours")),
        ]
        for name, tally in list(tallies.items())[:TOP]
    ]
    headers = [
        header,
        t("col.groups", lang),
        t("col.records", lang),
        t("col.waste_yuan", lang),
        t("col.waste_hours", lang),
    ]
    return [
        *_section(title),
        *table(headers, rows, right=(1, 2, 3, 4)),
        *_more(len(tallies), TOP, lang),
    ]


def _near_duplicate_lines(near: NearDuplicates, lang: Lang, names: NameOf | None) -> list[str]:
    """Near-duplicates: related categories, different providers; flagged, not waste."""
    totals = near.get("totals", {})
    groups = near.get("groups", [])
    lines = _section(t("dup.near_title", lang, count=len(groups)))
    if not groups:
        return [*lines, "  " + t("text.none", lang)]
    lines.append(
        "  "
        + t(
            "dup.near_totals",
            lang,
            records=f"{totals.get('records', 0):,}",
            households=f"{totals.get('households', 0):,}",
            yuan=yuan(totals.get("total_yuan")),
            share=percent(totals.get("share_of_ledger_yuan")),
            hours=hours(totals.get("total_hours")),
            overlap_yuan=yuan(totals.get("overlap_yuan")),
            overlap_hours=hours(totals.get("overlap_hours")),
        )
    )
    rows = [
        [
            _household(g.get("household"), lang),
            named(g.get("village"), names),
            " + ".join(category(c, lang) for c in g.get("categories", []))
            or str(g.get("category_pair", "")),
            ", ".join(g.get("records", [])),
            _departments(g.get("departments", []), lang, names),
            _dates(g.get("first_date"), g.get("last_date")),
            yuan(g.get("overlap_yuan")),
            hours(g.get("overlap_hours")),
        ]
        for g in groups[:TOP]
    ]
    headers = [
        t("col.household", lang),
        t("col.village", lang),
        t("col.categories", lang),
        t("col.records", lang),
        t("col.departments", lang),
        t("col.dates", lang),
        t("col.overlap_yuan", lang),
        t("col.overlap_hours", lang),
    ]
    return [*lines, *table(headers, rows, right=(6, 7)), *_more(len(groups), TOP, lang)]


def _merged_lines(merged: MergedSubmissions, lang: Lang, names: NameOf | None) -> list[str]:
    """Duplicate submissions merged before solving, and any the plan serves anyway."""
    totals = merged.get("totals", {})
    merges = merged.get("merges", [])
    lines = _section(t("dup.merged_title", lang, count=len(merges)))
    if not merges:
        return [*lines, "  " + t("text.none", lang)]
    lines.append(
        "  "
        + t(
            "dup.merged_totals",
            lang,
            needs=f"{totals.get('needs_merged', 0):,}",
            kept=f"{len(merges):,}",
            yuan=yuan(totals.get("merged_cost")),
            hours=hours(totals.get("merged_hours")),
        )
    )
    rows = [
        [
            str(m.get("kept", "")),
            ", ".join(m.get("merged", [])),
            str(m.get("household", "")),
            named(m.get("village"), names),
            category(m.get("category"), lang),
            named(m.get("kept_served_by"), names) if m.get("kept_served_by") else "-",
        ]
        for m in merges[:TOP]
    ]
    headers = [
        t("col.kept", lang),
        t("col.merged", lang),
        t("col.household", lang),
        t("col.village", lang),
        t("col.category", lang),
        t("col.kept_served_by", lang),
    ]
    lines += [*table(headers, rows), *_more(len(merges), TOP, lang)]
    served = merged.get("served_in_plan", [])
    if served:
        twice = sum(1 for s in served if s.get("served_twice"))
        lines.append("  " + t("dup.merged_served_flag", lang, count=len(served), twice=twice))
        rows = [
            [
                str(x.get("need", "")),
                str(x.get("kept", "")),
                named(x.get("provider"), names),
                named(x.get("kept_served_by"), names) if x.get("kept_served_by") else "-",
                hours(x.get("hours")),
                yuan(x.get("yuan")),
            ]
            for x in served[:TOP]
        ]
        headers = [
            t("col.served_merged_need", lang),
            t("col.kept", lang),
            t("col.provider", lang),
            t("col.kept_served_by", lang),
            t("col.hours", lang),
            t("col.yuan", lang),
        ]
        lines += [*table(headers, rows, right=(4, 5)), *_more(len(served), TOP, lang)]
    return lines


def _story(report: DuplicateAidReport, kpis: Mapping[str, Any] | None, lang: Lang) -> list[str]:
    """The one duplicate-aid story: paid twice in the ledgers, avoided, spent twice."""
    lines = []
    for line in story_lines(duplicate_story(kpis or {}, report), lang):
        lines.append("- " + t("text.label_value", lang, label=line.label, value=line.value))
        if line.detail:
            lines.append(f"  {line.detail}")
    return lines


def render_duplicate_aid(
    report: DuplicateAidReport,
    lang: Lang | None = None,
    *,
    names: NameOf | None = None,
    kpis: Mapping[str, Any] | None = None,
) -> list[str]:
    """The duplicate-aid report as lines: the story first (``kpis``, the plan's, add what only
    they know: needs of one key served apart), then the ledgers' groups and tallies,
    near-duplicates, needs held back, merged submissions and the plan's own duplicates."""
    lang = lang or choose_lang(None)
    totals = report.get("totals", {})
    groups = report.get("groups", [])
    lines = [*_heading(t("dup.title", lang)), *_story(report, kpis, lang)]
    window = report.get("window_days")
    if window is not None:
        lines.append(
            t(
                "dup.window",
                lang,
                days=window,
                records=f"{totals.get('ledger_records', 0):,}",
                yuan=yuan(totals.get("ledger_yuan")),
                hours=hours(totals.get("ledger_hours")),
            )
        )
    if groups:
        rows = [
            [
                str(i),
                _household(g.get("household"), lang),
                named(g.get("village"), names),
                category(g.get("category"), lang),
                ", ".join(g.get("records", [])),
                _departments(g.get("departments", []), lang, names),
                _dates(g.get("first_date"), g.get("last_date")),
                yuan(g.get("waste_yuan")),
                hours(g.get("waste_hours")),
            ]
            for i, g in enumerate(groups[:TOP], start=1)
        ]
        headers = [
            "#",
            t("col.household", lang),
            t("col.village", lang),
            t("col.category", lang),
            t("col.records", lang),
            t("col.departments", lang),
            t("col.dates", lang),
            t("col.waste_yuan", lang),
            t("col.waste_hours", lang),
        ]
        lines += [*_section(t("dup.top_groups", lang)), *table(headers, rows, right=(0, 7, 8))]
        lines += _more(len(groups), TOP, lang)
    lines += _tallies(
        t("dup.by_department_pair", lang),
        t("col.departments", lang),
        report.get("by_department_pair", {}),
        lambda key: _pair(key, lang, names),
        lang,
    )
    lines += _tallies(
        t("dup.by_village", lang),
        t("col.village", lang),
        report.get("by_village", {}),
        lambda key: named(key, names),
        lang,
    )
    lines += _tallies(
        t("dup.by_category", lang),
        t("col.category", lang),
        report.get("by_category", {}),
        lambda key: category(key, lang),
        lang,
    )
    lines += _tallies(
        t("dup.by_town", lang),
        t("col.town", lang),
        report.get("by_town", {}),
        lambda key: named(key, names),
        lang,
    )
    if "near_duplicates" in report:
        lines += _near_duplicate_lines(report["near_duplicates"], lang, names)

    held = report.get("held_back", [])
    lines += _section(t("dup.held_back_title", lang, count=len(held)))
    rows = [
        [
            str(h.get("need", "")),
            _household(h.get("household"), lang),
            named(h.get("village"), names),
            category(h.get("category"), lang),
            ", ".join(
                f"{d.get('id')} ({who(d.get('provider'), lang, names)} {d.get('date')})"
                for d in h.get("details", [])
            ),
        ]
        for h in held[:TOP]
    ]
    headers = [
        t("col.need", lang),
        t("col.household", lang),
        t("col.village", lang),
        t("col.category", lang),
        t("col.held_back_by", lang),
    ]
    lines += _listing(headers, rows, total=len(held), lang=lang)

    if "merged_submissions" in report:
        lines += _merged_lines(report["merged_submissions"], lang, names)

    dup = report.get("plan_duplicates", {})
    services = dup.get("services", [])
    lines += _section(t("dup.plan_title", lang, count=len(services)))
    if not services:
        return [*lines, "  " + t("dup.plan_none", lang)]
    rows = [
        [
            t(f"dup.why.{why}", lang) if why in ("already_aided", "served_by_other") else why,
            str(tally.get("services", 0)),
            hours(tally.get("hours")),
            yuan(tally.get("yuan")),
        ]
        for why, tally in dup.get("by_why", {}).items()
    ]
    headers = [
        t("col.why", lang),
        t("col.services", lang),
        t("col.hours", lang),
        t("col.yuan", lang),
    ]
    lines += table(headers, rows, right=(1, 2, 3))
    rows = [
        [
            who(department, lang, names),
            str(tally.get("services", 0)),
            hours(tally.get("hours")),
            yuan(tally.get("yuan")),
        ]
        for department, tally in list(dup.get("by_department", {}).items())[:TOP]
    ]
    if rows:
        headers[0] = t("col.department", lang)
        lines += ["", *table(headers, rows, right=(1, 2, 3))]
    return lines


def _candidate(cadre: CadreInReach, lang: Lang, names: NameOf | None) -> str:
    """A cadre in reach and what stops (or would not stop) pairing it."""
    name = named(cadre.get("cadre"), names)
    if cadre.get("free"):
        return t("blind.candidate_free", lang, cadre=name)
    if not cadre.get("pairings_left"):
        return t("blind.candidate_no_slot", lang, cadre=name)
    return t(
        "blind.candidate_busy",
        lang,
        cadre=name,
        left=hours(cadre.get("hours_left")),
        needed=hours(cadre.get("pairing_hours")),
    )


def render_blind_spots(
    report: BlindSpotsReport, lang: Lang | None = None, *, names: NameOf | None = None
) -> list[str]:
    """The blind-spot report as lines: the headline counts, villages short of cadres,
    unreachable villages, unreached households, open needs by town × category and by reason,
    categories nobody serves, then the fixes."""
    lang = lang or choose_lang(None)
    totals = report.get("totals", {})
    required = report.get("min_cadres_per_village", "?")
    lines = _heading(t("blind.title", lang))
    lines.append(
        t(
            "blind.summary",
            lang,
            short=f"{totals.get('villages_short', 0):,}",
            villages=f"{totals.get('villages', 0):,}",
            required=required,
            pairings=f"{totals.get('pairings_short', 0):,}",
            unreachable=f"{totals.get('villages_unreachable', 0):,}",
            households=yuan(totals.get("households_unreached")),
            share=percent(totals.get("households_unreached_share")),
            needs=f"{totals.get('needs_unmet', 0):,}",
            value=f"{totals.get('value_open', 0):,.0f}",
        )
    )

    short = report.get("short_villages", [])
    lines += _section(t("blind.short_title", lang, required=required, count=len(short)))
    rows = [
        [
            named(v.get("village"), names),
            named(v.get("town"), names),
            t("text.of", lang, part=v.get("pairings", 0), whole=v.get("required", required)),
            label("short_reason", str(v.get("why", "")), lang),
            str(v.get("cadres_in_reach", 0)),
            ", ".join(
                _candidate(c, lang, names) for c in v.get("candidates", [])[:CANDIDATES_SHOWN]
            ),
        ]
        for v in short[:TOP]
    ]
    headers = [
        t("col.village", lang),
        t("col.town", lang),
        t("col.pairings", lang),
        t("col.why", lang),
        t("col.in_reach", lang),
        t("col.candidates", lang, count=CANDIDATES_SHOWN),
    ]
    lines += _listing(headers, rows, right=(4,), total=len(short), lang=lang)

    unreachable = report.get("unreachable_villages", [])
    lines += _section(t("blind.unreachable_title", lang, count=len(unreachable)))
    rows = [
        [
            named(v.get("village"), names),
            named(v.get("town"), names),
            yuan(v.get("households")),
            str(v.get("needs", 0)),
        ]
        for v in unreachable[:TOP]
    ]
    headers = [
        t("col.village", lang),
        t("col.town", lang),
        t("col.households", lang),
        t("col.needs", lang),
    ]
    lines += _listing(headers, rows, right=(2, 3), total=len(unreachable), lang=lang)

    reached = report.get("unreached_households", {})
    villages = reached.get("villages", [])
    lines += _section(
        t(
            "blind.unreached_title",
            lang,
            total=yuan(reached.get("total")),
            households=yuan(reached.get("households_total")),
            share=percent(reached.get("share")),
        )
    )
    rows = [
        [
            named(v.get("village"), names),
            named(v.get("town"), names),
            yuan(v.get("households")),
            yuan(v.get("households_with_served_need")),
            yuan(v.get("unreached")),
        ]
        for v in villages[:TOP]
    ]
    headers = [
        t("col.village", lang),
        t("col.town", lang),
        t("col.households", lang),
        t("col.with_served_need", lang),
        t("col.unreached", lang),
    ]
    lines += _listing(headers, rows, right=(2, 3, 4), total=len(villages), lang=lang)

    groups = report.get("unmet_groups", [])
    lines += _section(t("blind.groups_title", lang, count=len(groups)))
    rows = [
        [
            named(g.get("town"), names),
            category(g.get("category"), lang),
            str(g.get("needs", 0)),
            f"{g.get('value_open', 0):,.0f}",
            reasons(g.get("reasons", {}), lang),
            ", ".join(g.get("need_ids", [])[:5])
            + (" ..." if g.get("needs", 0) > min(5, len(g.get("need_ids", []))) else ""),
        ]
        for g in groups[:TOP]
    ]
    headers = [
        t("col.town", lang),
        t("col.category", lang),
        t("col.needs", lang),
        t("col.value_open", lang),
        t("col.reasons", lang),
        t("col.need_ids", lang),
    ]
    lines += _listing(headers, rows, right=(2, 3), total=len(groups), lang=lang)

    by_reason = {r: n for r, n in report.get("unmet_by_reason", {}).items() if n.get("needs")}
    if by_reason:
        rows = [
            [
                label("unmet_reason", r, lang),
                str(n.get("needs", 0)),
                f"{n.get('value_open', 0):,.0f}",
            ]
            for r, n in by_reason.items()
        ]
        headers = [t("col.reason", lang), t("col.needs", lang), t("col.value_open", lang)]
        lines += [*_section(t("blind.by_reason_title", lang)), *table(headers, rows, (1, 2))]

    categories = report.get("categories_served_by_nobody", [])
    lines += _section(t("blind.nobody_title", lang, count=len(categories)))
    rows = [
        [
            category(c.get("category"), lang),
            str(c.get("needs", 0)),
            f"{c.get('value_open', 0):,.0f}",
            str(c.get("providers_in_reach", 0)),
            reasons(c.get("reasons", {}), lang),
        ]
        for c in categories
    ]
    headers = [
        t("col.category", lang),
        t("col.needs", lang),
        t("col.value_open", lang),
        t("col.providers_in_reach", lang),
        t("col.reasons", lang),
    ]
    lines += _listing(headers, rows, right=(1, 2, 3), total=len(categories), lang=lang)
    return lines + render_fixes(report, lang, names=names)


def render_text(
    reports: PlanReports,
    lang: Lang | None = None,
    *,
    names: NameOf | None = None,
    kpis: Mapping[str, Any] | None = None,
    schedule: ScheduleView | None = None,
) -> str:
    """Both reports as readable plain text in ``lang`` (default
    :func:`~matcher.i18n.choose_lang`): the duplicate-aid story and groups, then the blind
    spots and their fixes. ``names`` (a scenario's, by id) are shown beside ids; ``kpis`` (the
    plan's) complete the duplicate-aid story. ``schedule`` (a plan with one, DESIGN §9: its
    :func:`~matcher.reports.schedule.schedule_view`) adds the schedule's part at the end."""
    lang = lang or choose_lang(None)
    parts: list[list[str]] = []
    if "duplicate_aid" in reports:
        parts.append(render_duplicate_aid(reports["duplicate_aid"], lang, names=names, kpis=kpis))
    if "blind_spots" in reports:
        parts.append(render_blind_spots(reports["blind_spots"], lang, names=names))
    if schedule is not None:
        parts.append(render_schedule_text(schedule, lang))
    if not parts:
        return t("text.no_reports", lang) + "\n"
    return "\n\n".join("\n".join(p) for p in parts) + "\n"
