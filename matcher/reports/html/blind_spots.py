"""The blind-spot section (帮扶盲区): unmet groups with their fixes, villages short of cadres,
unreachable villages, unreached households, categories nobody serves.

Reads the JSON-ready report and tolerates missing keys; keys this page has no layout for
(added to the report later) are shown by :func:`~matcher.reports.html.tables.generic_section`.
Fixes are said in plain words (:func:`~matcher.reports.fixes_text.describe_fix`); how they were
priced is a footnote.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.i18n import t
from matcher.reports.fixes_text import describe_fix, kind_label
from matcher.reports.html.fmt import DASH, as_float, esc, number, share
from matcher.reports.html.tables import (
    Cell,
    Markup,
    Names,
    counts,
    generic_section,
    h3,
    mapping,
    num,
    rows,
    table,
    text,
)
from matcher.reports.shapes import BlindSpotsReport, CadreInReach, FixConfirmation

KNOWN_KEYS = frozenset(
    {
        "min_cadres_per_village",
        "short_villages",
        "unreachable_villages",
        "unreached_households",
        "unmet_groups",
        "unmet_by_reason",
        "categories_served_by_nobody",
        "totals",
        "fix_pricing",
        "fixes_skipped",
    }
)


def _confirmed(confirmed: FixConfirmation, names: Names) -> str:
    """What re-solving with the fix applied showed."""
    lang = names.lang
    bits = []
    if confirmed.get("needs_served_after") is not None:
        after = number(confirmed.get("needs_served_after"))
        bits.append(t("html.served_after", lang, count=after))
    added = as_float(confirmed.get("value_added"))
    if added is not None:
        bits.append(t("html.value_added", lang, value=f"{added:+,.0f}"))
    if confirmed.get("error"):
        bits.append(str(confirmed.get("error")))
    kept = confirmed.get("kept", True)
    head = t("html.confirmed" if kept else "html.refuted", lang)
    css = "fix-confirmed" if kept else "fix-refuted"
    sep = t("list.sep", lang)
    return f'<span class="{css}">{esc(head)}{": " if bits else ""}{esc(sep.join(bits))}</span>'


def fixes_cell(fixes: Any, names: Names) -> Cell:
    """The changes that would close a blind spot, in plain words (a dash when none); sorted by
    the best estimated value."""
    if not isinstance(fixes, list) or not fixes:
        return Cell(DASH, sort="")
    lang = names.lang
    items, best = [], None
    for fix in fixes:
        if not isinstance(fix, Mapping):
            items.append(f"<li>{esc(fix)}</li>")
            continue
        kind = fix.get("kind")
        parts = []
        if kind:
            parts.append(f'<span class="fix-kind">{esc(kind_label(kind, lang))}</span>')
        what = describe_fix(fix, lang, names.name_of)
        parts.append(f'<span class="fix-desc">{esc(what)}</span>')
        value = as_float(fix.get("estimated_value"))
        promised = fix.get("needs_promised")
        if value is not None:
            estimate = t(
                "html.estimate",
                lang,
                value=number(value),
                needs=number(promised) if isinstance(promised, int) else DASH,
            )
            parts.append(f'<span class="fix-value">{esc(estimate)}<sup>1</sup></span>')
            best = value if best is None else max(best, value)
        if isinstance(fix.get("confirmed"), Mapping):
            parts.append(_confirmed(fix["confirmed"], names))
        items.append("<li>" + " ".join(parts) + "</li>")
    sort = best if best is not None else float(len(fixes))
    return Cell(Markup('<ul class="fixes">' + "".join(items) + "</ul>"), sort=sort)


def _candidates(cadres: list[CadreInReach] | None, names: Names) -> Cell:
    if not isinstance(cadres, list) or not cadres:
        return text(None)
    lang = names.lang
    shown = []
    for c in cadres[:3]:
        if not isinstance(c, Mapping):
            continue
        if c.get("free"):
            state = t("html.cadre_free", lang)
        elif not c.get("pairings_left"):
            state = t("html.cadre_no_slot", lang)
        else:
            state = t(
                "html.cadre_busy",
                lang,
                left=number(c.get("hours_left"), 1),
                needed=number(c.get("pairing_hours"), 1),
            )
        cadre, department = names.named(c.get("cadre", "?")), names.who(c.get("department"))
        shown.append(f"{cadre} ({department}, {state})")
    return text(t("list.semicolon", lang).join(shown))


def _fixes_intro(report: BlindSpotsReport, names: Names) -> str:
    """What a fix is, or why the report has none when they were asked for."""
    lang = names.lang
    why = report.get("fixes_skipped")
    if why:
        return f'<p class="note">{esc(t("fix.skipped", lang, why=why))}</p>'
    if "fix_pricing" not in report:
        return ""
    return f'<p class="note">{esc(t("fix.intro", lang))}</p>'


def _footnote(report: BlindSpotsReport, names: Names) -> str:
    """How the fixes were priced and confirmed: a footnote under the table."""
    pricing = mapping(report.get("fix_pricing"))
    if not pricing:
        return ""
    lang = names.lang
    notes = [t("fix.footnote", lang)]
    if pricing.get("lp_converged") is False:
        notes.append(t("fix.not_converged", lang))
    confirmed = pricing.get("fixes_confirmed")
    if confirmed:
        notes.append(t("html.fixes_confirmed", lang, count=number(confirmed)))
    return f'<p class="note footnote">{esc(" ".join(notes))}</p>'


def _main_reason(code: Any, names: Names) -> str | None:
    return names.code("unmet_reason", code) if code else None


def _unmet_groups(report: BlindSpotsReport, names: Names) -> list[str]:
    lang = names.lang
    groups = rows(report.get("unmet_groups"))
    headers = [
        t("col.town", lang),
        t("col.category", lang),
        t("col.needs", lang),
        t("html.villages", lang),
        t("col.value_open", lang),
        t("html.hours_open", lang),
        t("html.yuan_open", lang),
        t("html.main_reason", lang),
        t("col.reasons", lang),
        t("html.fixes", lang),
    ]
    return [
        h3(t("html.groups_title", lang), len(groups)),
        _fixes_intro(report, names),
        table(
            "tbl-unmet-groups",
            headers,
            (
                [
                    names.town(g.get("town")),
                    Cell(names.code("category", g.get("category")), sort=g.get("category")),
                    num(g.get("needs")),
                    num(g.get("villages")),
                    num(g.get("value_open")),
                    num(g.get("hours_open"), 1),
                    num(g.get("yuan_open")),
                    text(_main_reason(g.get("main_reason"), names)),
                    counts(g.get("reasons"), lang),
                    fixes_cell(g.get("fixes"), names),
                ]
                for g in groups
            ),
            lang,
        ),
        _footnote(report, names),
    ]


def _by_reason(report: BlindSpotsReport, names: Names) -> list[str]:
    lang = names.lang
    found = [
        (str(r), n)
        for r, n in mapping(report.get("unmet_by_reason")).items()
        if isinstance(n, Mapping) and n.get("needs")
    ]
    if not found:
        return []
    return [
        h3(t("blind.by_reason_title", lang)),
        table(
            "tbl-unmet-reasons",
            [t("col.reason", lang), t("col.needs", lang), t("col.value_open", lang)],
            (
                [
                    text(names.code("unmet_reason", r)),
                    num(n.get("needs")),
                    num(n.get("value_open")),
                ]
                for r, n in found
            ),
            lang,
        ),
    ]


def _short_villages(report: BlindSpotsReport, names: Names) -> list[str]:
    lang = names.lang
    required = report.get("min_cadres_per_village", "?")
    short = rows(report.get("short_villages"))
    headers = [
        t("col.village", lang),
        t("col.town", lang),
        t("col.households", lang),
        t("col.pairings", lang),
        t("html.shortfall", lang),
        t("col.why", lang),
        t("col.in_reach", lang),
        t("col.candidates", lang, count=3),
        t("html.fixes", lang),
    ]
    return [
        h3(t("html.short_title", lang, required=required), len(short)),
        table(
            "tbl-short-villages",
            headers,
            (
                [
                    names.village(v.get("village")),
                    names.town(v.get("town")),
                    num(v.get("households")),
                    Cell(
                        t(
                            "text.of",
                            lang,
                            part=v.get("pairings", 0),
                            whole=v.get("required", required),
                        ),
                        sort=as_float(v.get("pairings")) or 0.0,
                        numeric=True,
                    ),
                    num(v.get("shortfall")),
                    text(names.code("short_reason", v.get("why")) if v.get("why") else None),
                    num(v.get("cadres_in_reach")),
                    _candidates(v.get("candidates"), names),
                    fixes_cell(v.get("fixes"), names),
                ]
                for v in short
            ),
            lang,
        ),
    ]


def blind_spots_section(report: BlindSpotsReport, names: Names) -> str:
    """The whole blind-spot section."""
    lang = names.lang
    out = [
        *_unmet_groups(report, names),
        *_by_reason(report, names),
        *_short_villages(report, names),
    ]
    unreachable = rows(report.get("unreachable_villages"))
    out += [
        h3(t("html.unreachable_title", lang), len(unreachable)),
        table(
            "tbl-unreachable-villages",
            [
                t("col.village", lang),
                t("col.town", lang),
                t("col.households", lang),
                t("col.needs", lang),
            ],
            (
                [
                    names.village(v.get("village")),
                    names.town(v.get("town")),
                    num(v.get("households")),
                    num(v.get("needs")),
                ]
                for v in unreachable
            ),
            lang,
        ),
    ]
    reached = report.get("unreached_households")
    if isinstance(reached, Mapping):
        villages = rows(reached.get("villages"))
        out += [
            h3(t("html.unreached_title", lang)),
            '<p class="note">'
            + esc(
                t(
                    "html.unreached_note",
                    lang,
                    total=number(reached.get("total")),
                    households=number(reached.get("households_total")),
                    share=share(reached.get("share")),
                )
            )
            + "</p>",
            table(
                "tbl-unreached-households",
                [
                    t("col.village", lang),
                    t("col.town", lang),
                    t("col.households", lang),
                    t("col.with_served_need", lang),
                    t("col.unreached", lang),
                ],
                (
                    [
                        names.village(v.get("village")),
                        names.town(v.get("town")),
                        num(v.get("households")),
                        num(v.get("households_with_served_need")),
                        num(v.get("unreached")),
                    ]
                    for v in villages
                ),
                lang,
            ),
        ]
    categories = rows(report.get("categories_served_by_nobody"))
    out += [
        h3(t("html.nobody_title", lang), len(categories)),
        table(
            "tbl-categories-nobody",
            [
                t("col.category", lang),
                t("col.needs", lang),
                t("col.value_open", lang),
                t("col.providers_in_reach", lang),
                t("col.reasons", lang),
            ],
            (
                [
                    text(names.code("category", c.get("category"))),
                    num(c.get("needs")),
                    num(c.get("value_open")),
                    num(c.get("providers_in_reach")),
                    counts(c.get("reasons"), lang),
                ]
                for c in categories
            ),
            lang,
        ),
    ]
    out += [
        generic_section(str(k), v, "tbl-blind", lang)
        for k, v in report.items()
        if k not in KNOWN_KEYS
    ]
    return "\n".join(p for p in out if p)
