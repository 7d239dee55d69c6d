"""The duplicate-aid section (重复帮扶): the one story (paid twice in the ledgers, avoided by
the plan, spent twice by the plan), then the ledgers' duplicate groups, waste by department
pair, town, village and category, near-duplicates, needs held back by recent aid, duplicate
submissions merged before solving, and the duplicate services the plan itself spent.

Reads the JSON-ready report and tolerates missing keys; keys this page has no layout for are
shown by :func:`~matcher.reports.html.tables.generic_section`. Every text is the catalogue's in
the page's language, codes by their labels, ids with their names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from matcher.i18n import MESSAGES, Lang, t
from matcher.reports.headline import duplicate_story, story_lines
from matcher.reports.html.fmt import esc
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
    ("by_department_pair", "dup.by_department_pair", "col.departments"),
    ("by_town", "dup.by_town", "col.town"),
    ("by_village", "dup.by_village", "col.village"),
    ("by_category", "dup.by_category", "col.category"),
)


def story_html(report: Mapping[str, Any], kpis: Mapping[str, Any], lang: Lang) -> str:
    """The duplicate-aid story as a box of three lines (the same counters and words as the
    command line's summary and the text report)."""
    items = []
    for line in story_lines(duplicate_story(kpis, report), lang):
        detail = f'<span class="detail">{esc(line.detail)}</span>' if line.detail else ""
        items.append(
            f'<li data-key="{esc(line.key)}"><b>{esc(line.label)}</b> '
            f'<span class="story-value">{esc(line.value)}</span>{detail}</li>'
        )
    return f'<ul class="story">{"".join(items)}</ul>'


def _household(value: Any, lang: Lang) -> Cell:
    return text(value or t("text.village_level", lang))


def _records(group: DuplicateGroup | NearDuplicateGroup, names: Names) -> Cell:
    return Cell(
        f"{len(group.get('records') or []):,}",
        numeric=True,
        tip=records_tip(group.get("details"), names),
    )


def _window(report: DuplicateAidReport, lang: Lang) -> str:
    totals = mapping(report.get("totals"))
    if report.get("window_days") is None:
        return ""
    return (
        '<p class="note">'
        + esc(
            t(
                "dup.window",
                lang,
                days=report.get("window_days"),
                records=f"{totals.get('ledger_records', 0):,}",
                yuan=f"{totals.get('ledger_yuan', 0):,}",
                hours=f"{totals.get('ledger_hours', 0.0):,.1f}",
            )
        )
        + " "
        + esc(t("html.hover_records", lang))
        + "</p>"
    )


def _who_and_when(group: DuplicateGroup | NearDuplicateGroup, names: Names) -> list[Cell]:
    """The cells exact and near-duplicate groups share: providers, departments, first and last
    date, days between, total yuan."""
    return [
        names.people(group.get("providers")),
        names.people(group.get("departments")),
        date(group.get("first_date")),
        date(group.get("last_date")),
        num(group.get("span_days")),
        num(group.get("total_yuan")),
    ]


def _who_headers(lang: Lang) -> list[str]:
    return [
        t("col.providers", lang),
        t("col.departments", lang),
        t("html.first", lang),
        t("html.last", lang),
        t("html.days", lang),
        t("html.total_yuan", lang),
    ]


def _groups(report: DuplicateAidReport, names: Names) -> list[str]:
    lang = names.lang
    groups = rows(report.get("groups"))
    headers = [
        t("col.household", lang),
        t("col.village", lang),
        t("col.category", lang),
        t("col.records", lang),
        *_who_headers(lang),
        t("col.waste_yuan", lang),
        t("col.waste_hours", lang),
        t("html.open_needs", lang),
    ]
    return [
        h3(t("html.duplicate_groups", lang), len(groups)),
        table(
            "tbl-duplicate-groups",
            headers,
            (
                [
                    _household(g.get("household"), lang),
                    names.village(g.get("village")),
                    text(names.code("category", g.get("category"))),
                    _records(g, names),
                    *_who_and_when(g, names),
                    num(g.get("waste_yuan")),
                    num(g.get("waste_hours"), 1),
                    listing(g.get("needs")),
                ]
                for g in groups
            ),
            lang,
        ),
    ]


def _tally_key(key: str, names: Names) -> Callable[[str], Cell]:
    if key == "by_village":
        return names.village
    if key == "by_town":
        return names.town
    if key == "by_category":
        return lambda code: Cell(names.code("category", code), sort=code)
    return lambda pair: text(" + ".join(names.who(d) for d in pair.split("|")))


def _tallies(report: DuplicateAidReport, names: Names) -> list[str]:
    lang = names.lang
    out = []
    for key, title, header in TALLIES:
        tallies = report.get(key)
        if not isinstance(tallies, Mapping):
            continue
        found = [(str(k), v) for k, v in tallies.items() if isinstance(v, Mapping)]
        shown = _tally_key(key, names)
        out += [
            h3(t(title, lang), len(found)),
            table(
                f"tbl-waste-{key.removeprefix('by_').replace('_', '-')}",
                [
                    t(header, lang),
                    t("col.groups", lang),
                    t("col.records", lang),
                    t("col.waste_yuan", lang),
                    t("col.waste_hours", lang),
                ],
                (
                    [
                        shown(k),
                        num(v.get("groups")),
                        num(v.get("records")),
                        num(v.get("waste_yuan")),
                        num(v.get("waste_hours"), 1),
                    ]
                    for k, v in found
                ),
                lang,
            ),
        ]
    return out


def _near_duplicates(near: NearDuplicates, names: Names) -> list[str]:
    lang = names.lang
    groups = rows(near.get("groups"))
    headers = [
        t("col.household", lang),
        t("col.village", lang),
        t("col.categories", lang),
        t("html.relation", lang),
        t("col.records", lang),
        *_who_headers(lang),
        t("col.overlap_yuan", lang),
        t("html.open_needs", lang),
    ]
    out = [
        h3(t("html.near_title", lang), len(groups)),
        f'<p class="note">{esc(t("html.near_note", lang))}</p>',
        facts(mapping(near.get("totals")), lang),
        table(
            "tbl-near-duplicates",
            headers,
            (
                [
                    _household(g.get("household"), lang),
                    names.village(g.get("village")),
                    text(
                        " + ".join(names.code("category", c) for c in g.get("categories") or [])
                        or g.get("category_pair")
                    ),
                    text(_relation(g, lang)),
                    _records(g, names),
                    *_who_and_when(g, names),
                    num(g.get("overlap_yuan")),
                    listing(g.get("needs")),
                ]
                for g in groups
            ),
            lang,
        ),
    ]
    pairs = near.get("by_category_pair")
    if isinstance(pairs, Mapping) and pairs:
        out += [h3(t("html.near_by_pair", lang), len(pairs))]
        out.append(
            generic_tallies("tbl-near-duplicates-pairs", t("col.categories", lang), pairs, lang)
        )
    return out


def _relation(group: NearDuplicateGroup, lang: Lang) -> Any:
    """Why two categories are related, in ``lang`` (the report's own words for a pair the
    catalogue does not know)."""
    key = f"relation.{group.get('category_pair')}"
    return t(key, lang) if key in MESSAGES else group.get("relation")


def _merged(merged: MergedSubmissions, names: Names) -> list[str]:
    lang = names.lang
    merges = rows(merged.get("merges"))
    headers = [
        t("col.kept", lang),
        t("col.merged", lang),
        t("col.household", lang),
        t("col.village", lang),
        t("col.category", lang),
        t("col.kept_served_by", lang),
        t("html.merged_value", lang),
        t("html.merged_hours", lang),
        t("html.merged_yuan", lang),
    ]
    out = [
        h3(t("html.merged_title", lang), len(merges)),
        f'<p class="note">{esc(t("html.merged_rule", lang))}</p>',
        facts(mapping(merged.get("totals")), lang),
        table(
            "tbl-merged-submissions",
            headers,
            (
                [
                    text(m.get("kept")),
                    listing(m.get("merged")),
                    _household(m.get("household"), lang),
                    names.village(m.get("village")),
                    text(names.code("category", m.get("category"))),
                    text(names.named(m.get("kept_served_by")) if m.get("kept_served_by") else None),
                    num(m.get("merged_value")),
                    num(m.get("merged_hours"), 1),
                    num(m.get("merged_cost")),
                ]
                for m in merges
            ),
            lang,
        ),
    ]
    served = rows(merged.get("served_in_plan"))
    if served:
        twice = sum(1 for s in served if s.get("served_twice"))
        out += [
            h3(t("html.merged_served_title", lang), len(served)),
            f'<p class="note">'
            f"{esc(t('dup.merged_served_flag', lang, count=len(served), twice=twice))}</p>",
            generic_rows("tbl-merged-served", served, lang),
        ]
    return out


def _held_back(report: DuplicateAidReport, names: Names) -> list[str]:
    lang = names.lang
    held = rows(report.get("held_back"))
    return [
        h3(t("html.held_back_title", lang), len(held)),
        table(
            "tbl-held-back",
            [
                t("col.need", lang),
                t("col.household", lang),
                t("col.village", lang),
                t("col.category", lang),
                t("col.value", lang),
                t("col.held_back_by", lang),
            ],
            (
                [
                    text(h.get("need")),
                    _household(h.get("household"), lang),
                    names.village(h.get("village")),
                    text(names.code("category", h.get("category"))),
                    num(h.get("value")),
                    text(
                        t("list.sep", lang).join(
                            f"{d.get('id')} ({names.who(d.get('provider'))} {d.get('date')})"
                            for d in h.get("details") or []
                            if isinstance(d, Mapping)
                        )
                        or None
                    ),
                ]
                for h in held
            ),
            lang,
        ),
    ]


def _plan_duplicates(dup: Mapping[str, Any], names: Names) -> list[str]:
    lang = names.lang
    services = rows(dup.get("services"))
    out = [h3(t("html.plan_duplicates_title", lang), len(services))]
    if not services:
        return [*out, f'<p class="note">{esc(t("dup.plan_none", lang))}</p>']
    why = {w: t(f"dup.why.{w}", lang) for w in ("already_aided", "served_by_other")}
    out.append(
        table(
            "tbl-plan-duplicates",
            [
                t("col.need", lang),
                t("col.provider", lang),
                t("col.department", lang),
                t("col.why", lang),
                t("col.household", lang),
                t("col.village", lang),
                t("col.category", lang),
                t("col.hours", lang),
                t("col.yuan", lang),
            ],
            (
                [
                    text(s.get("need")),
                    text(names.named(s.get("provider"))),
                    text(names.who(s.get("department"))),
                    text(why.get(str(s.get("why")), s.get("why"))),
                    _household(s.get("household"), lang),
                    names.village(s.get("village")),
                    text(names.code("category", s.get("category"))),
                    num(s.get("hours"), 1),
                    num(s.get("yuan")),
                ]
                for s in services
            ),
            lang,
        )
    )
    return out


def duplicate_aid_section(
    report: DuplicateAidReport, names: Names, kpis: Mapping[str, Any] | None = None
) -> str:
    """The whole duplicate-aid section: the story, then the details."""
    lang = names.lang
    out = [
        story_html(report, kpis or {}, lang),
        _window(report, lang),
        *_groups(report, names),
        *_tallies(report, names),
    ]
    near = report.get("near_duplicates")
    if isinstance(near, Mapping):
        out += _near_duplicates(near, names)
    elif near is not None:
        out.append(generic_section("near_duplicates", near, "tbl-duplicate", lang))
    out += _held_back(report, names)
    merged = report.get("merged_submissions")
    if isinstance(merged, Mapping):
        out += _merged(merged, names)
    elif merged is not None:
        out.append(generic_section("merged_submissions", merged, "tbl-duplicate", lang))
    dup = report.get("plan_duplicates")
    if isinstance(dup, Mapping):
        out += _plan_duplicates(dup, names)
    out += [
        generic_section(str(k), v, "tbl-duplicate", lang)
        for k, v in report.items()
        if k not in KNOWN_KEYS
    ]
    return "\n".join(p for p in out if p)
