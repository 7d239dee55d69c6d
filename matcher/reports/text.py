"""Plain-text rendering of the two reports, for ``matcher report SCENARIO PLAN``.

Reads only the JSON-ready report dicts (typed in :mod:`matcher.reports.shapes`; a plan file's
stored reports render the same as fresh ones), tolerates missing sections and keys, and uses no
colours: the CLI may wrap the text with rich.
Columns are aligned by display width, so Chinese village names line up too.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from matcher.reports.fixes_text import render_fixes
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


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def _heading(title: str) -> list[str]:
    return [title, "=" * _width(title)]


def _section(title: str) -> list[str]:
    return ["", title, "-" * _width(title)]


def _more(total: int, shown: int) -> list[str]:
    return [f"  ... and {total - shown} more"] if total > shown else []


def _listing(
    headers: Sequence[str], rows: Sequence[Sequence[str]], right: Iterable[int] = (), *, total: int
) -> list[str]:
    """A table of the rows shown, a line for those left out of ``total``, or "none"."""
    if total == 0:
        return ["  none"]
    return [*table(headers, rows, right), *_more(total, len(rows))]


def _reasons(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{r} {n}" for r, n in counts.items())


def _tallies(title: str, key: str, tallies: Mapping[str, WasteTally]) -> list[str]:
    if not tallies:
        return []
    rows = [
        [
            name,
            str(t.get("groups", 0)),
            str(t.get("records", 0)),
            yuan(t.get("waste_yuan")),
            hours(t.get("waste_hours")),
        ]
        for name, t in list(tallies.items())[:TOP]
    ]
    return [
        *_section(title),
        *table([key, "groups", "records", "waste yuan", "waste h"], rows, right=(1, 2, 3, 4)),
        *_more(len(tallies), TOP),
    ]


def _near_duplicate_lines(near: NearDuplicates) -> list[str]:
    """Near-duplicates: related categories, different providers; flagged, not waste."""
    totals = near.get("totals", {})
    groups = near.get("groups", [])
    lines = _section(f"Near-duplicates (related categories, not counted as waste): {len(groups)}")
    if not groups:
        return [*lines, "  none"]
    lines.append(
        f"  {_plural(totals.get('records', 0), 'record')} of "
        f"{_plural(totals.get('households', 0), 'household')}: {yuan(totals.get('total_yuan'))} "
        f"yuan ({percent(totals.get('share_of_ledger_yuan'))} of ledger money), "
        f"{hours(totals.get('total_hours'))} h; {yuan(totals.get('overlap_yuan'))} yuan and "
        f"{hours(totals.get('overlap_hours'))} h beyond each group's first record"
    )
    rows = [
        [
            g.get("household") or f"(village {g.get('village')})",
            str(g.get("village", "")),
            str(g.get("category_pair", "")),
            ", ".join(g.get("records", [])),
            ", ".join(g.get("departments", [])),
            f"{g.get('first_date', '')}..{g.get('last_date', '')}",
            yuan(g.get("overlap_yuan")),
            hours(g.get("overlap_hours")),
        ]
        for g in groups[:TOP]
    ]
    headers = [
        "household",
        "village",
        "categories",
        "records",
        "departments",
        "dates",
        "overlap yuan",
        "overlap h",
    ]
    return [*lines, *table(headers, rows, right=(6, 7)), *_more(len(groups), TOP)]


def _merged_lines(merged: MergedSubmissions) -> list[str]:
    """Duplicate submissions merged before solving, and any the plan serves anyway."""
    totals = merged.get("totals", {})
    merges = merged.get("merges", [])
    lines = _section(f"Duplicate submissions merged before solving: {len(merges)}")
    if not merges:
        return [*lines, "  none"]
    lines.append(
        f"  {_plural(totals.get('needs_merged', 0), 'need')} merged into "
        f"{_plural(len(merges), 'kept need')} ({yuan(totals.get('merged_cost'))} yuan, "
        f"{hours(totals.get('merged_hours'))} h not planned twice)"
    )
    rows = [
        [
            str(m.get("kept", "")),
            ", ".join(m.get("merged", [])),
            str(m.get("household", "")),
            str(m.get("village", "")),
            str(m.get("category", "")),
            str(m.get("kept_served_by") or "-"),
        ]
        for m in merges[:TOP]
    ]
    headers = ["kept", "merged", "household", "village", "category", "kept served by"]
    lines += [*table(headers, rows), *_more(len(merges), TOP)]
    served = merged.get("served_in_plan", [])
    if served:
        lines.append(f"  Flag: {merged.get('note', '')}")
        rows = [
            [
                str(x.get("need", "")),
                str(x.get("kept", "")),
                str(x.get("provider", "")),
                str(x.get("kept_served_by") or "-"),
                hours(x.get("hours")),
                yuan(x.get("yuan")),
            ]
            for x in served[:TOP]
        ]
        headers = ["served merged need", "kept", "provider", "kept served by", "hours", "yuan"]
        lines += [*table(headers, rows, right=(4, 5)), *_more(len(served), TOP)]
    return lines


def render_duplicate_aid(report: DuplicateAidReport) -> list[str]:
    """The duplicate-aid report as lines."""
    totals = report.get("totals", {})
    groups = report.get("groups", [])
    lines = _heading("Duplicate aid (重复帮扶)")
    lines.append(
        f"Window {report.get('window_days', '?')} days: "
        f"{_plural(totals.get('groups', 0), 'duplicate group')} of "
        f"{_plural(totals.get('records', 0), 'record')}; waste {yuan(totals.get('waste_yuan'))} "
        f"yuan and {hours(totals.get('waste_hours'))} h = "
        f"{percent(totals.get('waste_share_of_ledger_yuan'))} of ledger money "
        f"({yuan(totals.get('ledger_yuan'))} yuan in "
        f"{_plural(totals.get('ledger_records', 0), 'record')})."
    )
    if "ledger_hours" in totals:
        lines.append(
            f"{_plural(totals.get('households', 0), 'household')} in "
            f"{_plural(totals.get('villages', 0), 'village')} aided twice; waste "
            f"{percent(totals.get('waste_share_of_ledger_hours'))} of ledger hours "
            f"({hours(totals.get('ledger_hours'))} h); "
            f"{_plural(totals.get('near_duplicate_groups', 0), 'near-duplicate group')} (not "
            f"waste); {_plural(totals.get('needs_merged', 0), 'duplicate submission')} merged."
        )
    if groups:
        rows = [
            [
                str(i),
                g.get("household") or f"(village {g.get('village')})",
                str(g.get("village", "")),
                str(g.get("category", "")),
                ", ".join(g.get("records", [])),
                ", ".join(g.get("departments", [])),
                f"{g.get('first_date', '')}..{g.get('last_date', '')}",
                yuan(g.get("waste_yuan")),
                hours(g.get("waste_hours")),
            ]
            for i, g in enumerate(groups[:TOP], start=1)
        ]
        headers = [
            "#",
            "household",
            "village",
            "category",
            "records",
            "departments",
            "dates",
            "waste yuan",
            "waste h",
        ]
        lines += [*_section("Top groups"), *table(headers, rows, right=(0, 7, 8))]
        lines += _more(len(groups), TOP)
    lines += _tallies("By department pair", "pair", report.get("by_department_pair", {}))
    lines += _tallies("By village", "village", report.get("by_village", {}))
    lines += _tallies("By category", "category", report.get("by_category", {}))
    lines += _tallies("By town", "town", report.get("by_town", {}))
    if "near_duplicates" in report:
        lines += _near_duplicate_lines(report["near_duplicates"])

    held = report.get("held_back", [])
    lines += _section(f"Needs held back by recent aid (H8): {len(held)}")
    rows = [
        [
            str(h.get("need", "")),
            h.get("household") or "(village)",
            str(h.get("village", "")),
            str(h.get("category", "")),
            ", ".join(
                f"{d.get('id')} ({d.get('provider')} {d.get('date')})" for d in h.get("details", [])
            ),
        ]
        for h in held[:TOP]
    ]
    lines += _listing(
        ["need", "household", "village", "category", "held back by"], rows, total=len(held)
    )

    if "merged_submissions" in report:
        lines += _merged_lines(report["merged_submissions"])

    dup = report.get("plan_duplicates", {})
    services = dup.get("services", [])
    lines += _section(f"Duplicate services in the plan: {len(services)}")
    lines.append(f"  {dup.get('note', 'none')}")
    if services:
        by_why = dup.get("by_why", {})
        rows = [
            [why, str(t.get("services", 0)), hours(t.get("hours")), yuan(t.get("yuan"))]
            for why, t in by_why.items()
        ]
        lines += table(["why", "services", "hours", "yuan"], rows, right=(1, 2, 3))
    return lines


def _candidate(cadre: CadreInReach) -> str:
    """A cadre in reach and what stops (or would not stop) pairing it."""
    name = str(cadre.get("cadre", ""))
    if cadre.get("free"):
        return f"{name}: free"
    if not cadre.get("pairings_left"):
        return f"{name}: no slot"
    return f"{name}: {hours(cadre.get('hours_left'))} < {hours(cadre.get('pairing_hours'))} h"


def render_blind_spots(report: BlindSpotsReport) -> list[str]:
    """The blind-spot report as lines."""
    totals = report.get("totals", {})
    required = report.get("min_cadres_per_village", "?")
    lines = _heading("Blind spots (帮扶盲区)")
    lines.append(
        f"{totals.get('villages_short', 0)} of {_plural(totals.get('villages', 0), 'village')} "
        f"short of {required} cadres ({_plural(totals.get('pairings_short', 0), 'pairing')} "
        f"missing); {totals.get('villages_unreachable', 0)} unreachable; "
        f"{yuan(totals.get('households_unreached'))} households unreached "
        f"({percent(totals.get('households_unreached_share'))}); "
        f"{_plural(totals.get('needs_unmet', 0), 'need')} unmet "
        f"(value {totals.get('value_open', 0):,.0f} open)."
    )

    short = report.get("short_villages", [])
    lines += _section(f"Villages short of {required} cadres: {len(short)}")
    rows = [
        [
            str(v.get("village", "")),
            str(v.get("name") or ""),
            str(v.get("town", "")),
            f"{v.get('pairings', 0)} of {v.get('required', required)}",
            str(v.get("why", "")),
            str(v.get("cadres_in_reach", 0)),
            ", ".join(_candidate(c) for c in v.get("candidates", [])[:CANDIDATES_SHOWN]),
        ]
        for v in short[:TOP]
    ]
    headers = [
        "village",
        "name",
        "town",
        "pairings",
        "why",
        "in reach",
        "other cadres in reach (first 3)",
    ]
    lines += _listing(headers, rows, right=(5,), total=len(short))

    unreachable = report.get("unreachable_villages", [])
    lines += _section(f"Unreachable villages: {len(unreachable)}")
    rows = [
        [
            str(v.get("village", "")),
            str(v.get("name") or ""),
            str(v.get("town", "")),
            yuan(v.get("households")),
            str(v.get("needs", 0)),
        ]
        for v in unreachable[:TOP]
    ]
    lines += _listing(
        ["village", "name", "town", "households", "needs"],
        rows,
        right=(3, 4),
        total=len(unreachable),
    )

    reached = report.get("unreached_households", {})
    villages = reached.get("villages", [])
    lines += _section(
        f"Households unreached (no pairing, no served need): {yuan(reached.get('total'))} of "
        f"{yuan(reached.get('households_total'))} ({percent(reached.get('share'))})"
    )
    rows = [
        [
            str(v.get("village", "")),
            str(v.get("name") or ""),
            str(v.get("town", "")),
            yuan(v.get("households")),
            yuan(v.get("households_with_served_need")),
            yuan(v.get("unreached")),
        ]
        for v in villages[:TOP]
    ]
    headers = ["village", "name", "town", "households", "with served need", "unreached"]
    lines += _listing(headers, rows, right=(3, 4, 5), total=len(villages))

    groups = report.get("unmet_groups", [])
    lines += _section(f"Unmet needs by town x category: {len(groups)} groups")
    rows = [
        [
            str(g.get("town", "")),
            str(g.get("category", "")),
            str(g.get("needs", 0)),
            f"{g.get('value_open', 0):,.0f}",
            _reasons(g.get("reasons", {})),
            ", ".join(g.get("need_ids", [])[:5])
            + (" ..." if g.get("needs", 0) > min(5, len(g.get("need_ids", []))) else ""),
        ]
        for g in groups[:TOP]
    ]
    headers = ["town", "category", "needs", "value open", "reasons", "need ids"]
    lines += _listing(headers, rows, right=(2, 3), total=len(groups))

    by_reason = {r: t for r, t in report.get("unmet_by_reason", {}).items() if t.get("needs")}
    if by_reason:
        rows = [
            [r, str(t.get("needs", 0)), f"{t.get('value_open', 0):,.0f}"]
            for r, t in by_reason.items()
        ]
        lines += [
            *_section("Unmet needs by reason"),
            *table(["reason", "needs", "value open"], rows, right=(1, 2)),
        ]

    categories = report.get("categories_served_by_nobody", [])
    lines += _section(f"Need categories served by nobody: {len(categories)}")
    rows = [
        [
            str(c.get("category", "")),
            str(c.get("needs", 0)),
            f"{c.get('value_open', 0):,.0f}",
            str(c.get("providers_in_reach", 0)),
            _reasons(c.get("reasons", {})),
        ]
        for c in categories
    ]
    headers = ["category", "needs", "value open", "providers in reach", "reasons"]
    lines += _listing(headers, rows, right=(1, 2, 3), total=len(categories))
    return lines + render_fixes(report)


def render_text(reports: PlanReports) -> str:
    """Both reports as readable plain text (top groups first, then totals by kind)."""
    parts: list[list[str]] = []
    if "duplicate_aid" in reports:
        parts.append(render_duplicate_aid(reports["duplicate_aid"]))
    if "blind_spots" in reports:
        parts.append(render_blind_spots(reports["blind_spots"]))
    if not parts:
        return "No reports.\n"
    return "\n\n".join("\n".join(p) for p in parts) + "\n"
