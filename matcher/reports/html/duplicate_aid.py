"""The duplicate-aid section (重复帮扶): duplicate groups of the ledgers, waste by department
pair, village, category and town, near-duplicates, needs held back by recent aid, duplicate
submissions merged before solving, and duplicate services the plan itself spent.

Reads the JSON-ready report and tolerates missing keys; keys this page has no layout for are
shown by :func:`~matcher.reports.html.tables.generic_section`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.reports.html.fmt import esc, number, share
from matcher.reports.html.tables import (
    Cell,
    Names,
    date,
    facts,
    generic_rows,
    generic_section,
    generic_tallies,
    h3,
    listing,
    mapping,
    num,
    records_tip,
    rows,
    table,
    text,
)
from matcher.reports.shapes import (
    DuplicateAidReport,
    DuplicateGroup,
    MergedSubmissions,
    NearDuplicateGroup,
    NearDuplicates,
)

KNOWN_KEYS = frozenset(
    {
        "window_days",
        "groups",
        "totals",
        "by_department_pair",
        "by_village",
        "by_category",
        "by_town",
        "near_duplicates",
        "held_back",
        "merged_submissions",
        "plan_duplicates",
    }
)
TALLIES = (
    ("by_department_pair", "Waste by department pair", "Departments"),
    ("by_town", "Waste by town", "Town"),
    ("by_village", "Waste by village", "Village"),
    ("by_category", "Waste by category", "Category"),
)


def _household(value: Any) -> Cell:
    return text(value or "(village-level)")


def _records(group: DuplicateGroup | NearDuplicateGroup) -> Cell:
    return Cell(
        number(len(group.get("records") or [])), numeric=True, tip=records_tip(group.get("details"))
    )


def _summary(report: DuplicateAidReport) -> str:
    totals = mapping(report.get("totals"))
    return (
        f'<p class="note">Window {esc(report.get("window_days", "?"))} days: '
        f"{esc(number(totals.get('groups')))} duplicate groups of "
        f"{esc(number(totals.get('records')))} ledger records; waste "
        f"{esc(number(totals.get('waste_yuan')))} yuan and "
        f"{esc(number(totals.get('waste_hours'), 1))} hours = "
        f"{esc(share(totals.get('waste_share_of_ledger_yuan')))} of the ledgers' money "
        f"({esc(number(totals.get('ledger_yuan')))} yuan in "
        f"{esc(number(totals.get('ledger_records')))} records). Hover a record count for the "
        "records.</p>"
    )


def _groups(report: DuplicateAidReport, names: Names) -> list[str]:
    groups = rows(report.get("groups"))
    headers = ["Household", "Village", "Category", "Records", "Providers", "Departments"]
    headers += ["First", "Last", "Days", "Total yuan", "Waste yuan", "Waste hours", "Needs"]
    return [
        h3("Duplicate-aid groups (one household, one category, several providers)", len(groups)),
        table(
            "tbl-duplicate-groups",
            headers,
            (
                [
                    _household(g.get("household")),
                    names.village(g.get("village")),
                    text(g.get("category")),
                    _records(g),
                    *_who_and_when(g),
                    num(g.get("waste_yuan")),
                    num(g.get("waste_hours"), 1),
                    listing(g.get("needs")),
                ]
                for g in groups
            ),
        ),
    ]


def _who_and_when(group: DuplicateGroup | NearDuplicateGroup) -> list[Cell]:
    """The cells exact and near-duplicate groups share: providers, departments, first and last
    date, days between, total yuan."""
    return [
        listing(group.get("providers")),
        listing(group.get("departments")),
        date(group.get("first_date")),
        date(group.get("last_date")),
        num(group.get("span_days")),
        num(group.get("total_yuan")),
    ]


def _tallies(report: DuplicateAidReport, names: Names) -> list[str]:
    out = []
    for key, title, header in TALLIES:
        tallies = report.get(key)
        if not isinstance(tallies, Mapping):
            continue
        rows = [(str(k), t) for k, t in tallies.items() if isinstance(t, Mapping)]
        out += [
            h3(title, len(rows)),
            table(
                f"tbl-waste-{key.removeprefix('by_').replace('_', '-')}",
                [header, "Groups", "Records", "Waste yuan", "Waste hours"],
                (
                    [
                        names.village(k)
                        if key == "by_village"
                        else names.town(k)
                        if key == "by_town"
                        else text(k.replace("|", " + ")),
                        num(t.get("groups")),
                        num(t.get("records")),
                        num(t.get("waste_yuan")),
                        num(t.get("waste_hours"), 1),
                    ]
                    for k, t in rows
                ),
            ),
        ]
    return out


def _near_duplicates(near: NearDuplicates, names: Names) -> list[str]:
    groups = rows(near.get("groups"))
    headers = ["Household", "Village", "Categories", "Relation", "Records", "Providers"]
    headers += ["Departments", "First", "Last", "Days", "Total yuan", "Overlap yuan", "Needs"]
    out = [
        h3(
            "Near-duplicates: related categories for one household (flagged, not waste)",
            len(groups),
        ),
        facts(mapping(near.get("totals"))),
        table(
            "tbl-near-duplicates",
            headers,
            (
                [
                    _household(g.get("household")),
                    names.village(g.get("village")),
                    listing(g.get("categories") or g.get("category_pair")),
                    text(g.get("relation")),
                    _records(g),
                    *_who_and_when(g),
                    num(g.get("overlap_yuan")),
                    listing(g.get("needs")),
                ]
                for g in groups
            ),
        ),
    ]
    pairs = near.get("by_category_pair")
    if isinstance(pairs, Mapping) and pairs:
        out += [h3("Near-duplicates by category pair", len(pairs))]
        out.append(generic_tallies("tbl-near-duplicates-pairs", "Categories", pairs))
    return out


def _merged(merged: MergedSubmissions, names: Names) -> list[str]:
    merges = rows(merged.get("merges"))
    headers = ["Kept", "Merged", "Household", "Village", "Category", "Kept served by"]
    headers += ["Merged value", "Merged hours", "Merged yuan"]
    out = [
        h3("Duplicate submissions merged before solving", len(merges)),
        *(f'<p class="note">{esc(merged[k])}</p>' for k in ("rule", "note") if merged.get(k)),
        facts(mapping(merged.get("totals"))),
        table(
            "tbl-merged-submissions",
            headers,
            (
                [
                    text(m.get("kept")),
                    listing(m.get("merged")),
                    _household(m.get("household")),
                    names.village(m.get("village")),
                    text(m.get("category")),
                    text(m.get("kept_served_by")),
                    num(m.get("merged_value")),
                    num(m.get("merged_hours"), 1),
                    num(m.get("merged_cost")),
                ]
                for m in merges
            ),
        ),
    ]
    served = rows(merged.get("served_in_plan"))
    if served:
        out += [h3("Merged submissions the plan serves anyway", len(served))]
        out.append(generic_rows("tbl-merged-served", served))
    return out


def _held_back(report: DuplicateAidReport, names: Names) -> list[str]:
    held = rows(report.get("held_back"))
    return [
        h3("Needs held back by recent aid (H8)", len(held)),
        table(
            "tbl-held-back",
            ["Need", "Household", "Village", "Category", "Value", "Held back by"],
            (
                [
                    text(h.get("need")),
                    _household(h.get("household")),
                    names.village(h.get("village")),
                    text(h.get("category")),
                    num(h.get("value")),
                    text(
                        ", ".join(
                            f"{d.get('id')} ({d.get('provider')} {d.get('date')})"
                            for d in h.get("details") or []
                            if isinstance(d, Mapping)
                        )
                        or None
                    ),
                ]
                for h in held
            ),
        ),
    ]


def duplicate_aid_section(report: DuplicateAidReport, names: Names) -> str:
    """The whole duplicate-aid section."""
    out = [_summary(report), *_groups(report, names), *_tallies(report, names)]
    near = report.get("near_duplicates")
    if isinstance(near, Mapping):
        out += _near_duplicates(near, names)
    elif near is not None:
        out.append(generic_section("near_duplicates", near, "tbl-duplicate"))
    out += _held_back(report, names)
    merged = report.get("merged_submissions")
    if isinstance(merged, Mapping):
        out += _merged(merged, names)
    elif merged is not None:
        out.append(generic_section("merged_submissions", merged, "tbl-duplicate"))
    dup = report.get("plan_duplicates")
    if isinstance(dup, Mapping):
        services = rows(dup.get("services"))
        out += [
            h3("Duplicate services in the plan", len(services)),
            f'<p class="note">{esc(dup.get("note", ""))}</p>',
        ]
        if services:
            out.append(generic_rows("tbl-plan-duplicates", services))
    out += [
        generic_section(str(k), v, "tbl-duplicate")
        for k, v in report.items()
        if k not in KNOWN_KEYS
    ]
    return "\n".join(p for p in out if p)
