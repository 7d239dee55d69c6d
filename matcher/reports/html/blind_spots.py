"""The blind-spot section (帮扶盲区): unmet groups with their fixes, villages short of cadres,
unreachable villages, unreached households, categories nobody serves.

Reads the JSON-ready report and tolerates missing keys; keys this page has no layout for
(added to the report later) are shown by :func:`~matcher.reports.html.tables.generic_section`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matcher.reports.html.fmt import DASH, as_float, esc, number, share
from matcher.reports.html.tables import (
    Cell,
    Markup,
    Names,
    counts,
    facts,
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


def _confirmed(confirmed: FixConfirmation) -> str:
    """What re-solving with the fix applied showed."""
    bits = []
    if confirmed.get("needs_served_after") is not None:
        bits.append(f"{number(confirmed.get('needs_served_after'))} needs served after")
    if as_float(confirmed.get("value_added")) is not None:
        bits.append(f"{as_float(confirmed.get('value_added')):+,.0f} value")
    if confirmed.get("error"):
        bits.append(str(confirmed.get("error")))
    kept = confirmed.get("kept", True)
    head = "✓ confirmed by re-solve" if kept else "✗ not kept by re-solve"
    css = "fix-confirmed" if kept else "fix-refuted"
    return f'<span class="{css}">{esc(head)}{": " if bits else ""}{esc(", ".join(bits))}</span>'


def fixes_cell(fixes: Any) -> Cell:
    """The changes that would close a blind spot, as listed (a dash when none); sorted by the
    best estimated value."""
    if not isinstance(fixes, list) or not fixes:
        return Cell(DASH, sort="")
    items, best = [], None
    for fix in fixes:
        if not isinstance(fix, Mapping):
            items.append(f"<li>{esc(fix)}</li>")
            continue
        kind = fix.get("kind")
        parts = []
        if kind:
            parts.append(f'<span class="fix-kind">{esc(str(kind).replace("_", " "))}</span>')
        parts.append(f'<span class="fix-desc">{esc(fix.get("description") or kind or "?")}</span>')
        value = as_float(fix.get("estimated_value"))
        promised = fix.get("needs_promised")
        if value is not None:
            serves = f", {number(promised)} needs" if isinstance(promised, int) else ""
            parts.append(f'<span class="fix-value">≈ +{esc(number(value))} value{serves}</span>')
            best = value if best is None else max(best, value)
        if isinstance(fix.get("confirmed"), Mapping):
            parts.append(_confirmed(fix["confirmed"]))
        items.append("<li>" + " ".join(parts) + "</li>")
    sort = best if best is not None else float(len(fixes))
    return Cell(Markup('<ul class="fixes">' + "".join(items) + "</ul>"), sort=sort)


def _candidates(cadres: list[CadreInReach] | None) -> Cell:
    if not isinstance(cadres, list) or not cadres:
        return text(None)
    shown = []
    for c in cadres[:3]:
        if not isinstance(c, Mapping):
            continue
        if c.get("free"):
            state = "free"
        elif not c.get("pairings_left"):
            state = "no slot"
        else:
            state = f"{number(c.get('hours_left'), 1)} < {number(c.get('pairing_hours'), 1)} h"
        shown.append(f"{c.get('cadre', '?')} ({c.get('department', '?')}, {state})")
    return text("; ".join(shown))


def _skipped(report: BlindSpotsReport) -> str:
    """Why the report has no fixes, when they were asked for and not ranked."""
    why = report.get("fixes_skipped")
    return f'<p class="note">Fixes not ranked: {esc(why)}</p>' if why else ""


def _unmet_groups(report: BlindSpotsReport, names: Names) -> list[str]:
    groups = rows(report.get("unmet_groups"))
    headers = ["Town", "Category", "Needs", "Villages", "Value open", "Hours open", "Yuan open"]
    headers += ["Main reason", "Reasons", "Fixes"]
    return [
        h3("Unmet needs by town × category, with the changes that would close them", len(groups)),
        facts(mapping(report.get("fix_pricing"))),
        _skipped(report),
        table(
            "tbl-unmet-groups",
            headers,
            (
                [
                    names.town(g.get("town")),
                    text(g.get("category")),
                    num(g.get("needs")),
                    num(g.get("villages")),
                    num(g.get("value_open")),
                    num(g.get("hours_open"), 1),
                    num(g.get("yuan_open")),
                    text(str(g.get("main_reason") or "").replace("_", " ") or None),
                    counts(g.get("reasons")),
                    fixes_cell(g.get("fixes")),
                ]
                for g in groups
            ),
        ),
    ]


def _by_reason(report: BlindSpotsReport) -> list[str]:
    rows = [
        (str(r), t)
        for r, t in mapping(report.get("unmet_by_reason")).items()
        if isinstance(t, Mapping) and t.get("needs")
    ]
    if not rows:
        return []
    return [
        h3("Unmet needs by reason"),
        table(
            "tbl-unmet-reasons",
            ["Reason", "Needs", "Value open"],
            (
                [text(r.replace("_", " ")), num(t.get("needs")), num(t.get("value_open"))]
                for r, t in rows
            ),
        ),
    ]


def _short_villages(report: BlindSpotsReport, names: Names) -> list[str]:
    required = report.get("min_cadres_per_village", "?")
    short = rows(report.get("short_villages"))
    headers = ["Village", "Name", "Town", "Households", "Pairings", "Shortfall", "Why"]
    headers += ["Cadres in reach", "Other cadres in reach (first 3)", "Fixes"]
    return [
        h3(f"Villages short of {required} paired cadres", len(short)),
        table(
            "tbl-short-villages",
            headers,
            (
                [
                    text(v.get("village")),
                    text(v.get("name")),
                    names.town(v.get("town")),
                    num(v.get("households")),
                    Cell(
                        f"{v.get('pairings', 0)} of {v.get('required', required)}",
                        sort=as_float(v.get("pairings")) or 0.0,
                        numeric=True,
                    ),
                    num(v.get("shortfall")),
                    text(str(v.get("why") or "").replace("_", " ") or None),
                    num(v.get("cadres_in_reach")),
                    _candidates(v.get("candidates")),
                    fixes_cell(v.get("fixes")),
                ]
                for v in short
            ),
        ),
    ]


def blind_spots_section(report: BlindSpotsReport, names: Names) -> str:
    """The whole blind-spot section."""
    out = [*_unmet_groups(report, names), *_by_reason(report), *_short_villages(report, names)]
    unreachable = rows(report.get("unreachable_villages"))
    out += [
        h3("Unreachable villages (no road reaches them)", len(unreachable)),
        table(
            "tbl-unreachable-villages",
            ["Village", "Name", "Town", "Households", "Needs"],
            (
                [
                    text(v.get("village")),
                    text(v.get("name")),
                    names.town(v.get("town")),
                    num(v.get("households")),
                    num(v.get("needs")),
                ]
                for v in unreachable
            ),
        ),
    ]
    reached = report.get("unreached_households")
    if isinstance(reached, Mapping):
        villages = rows(reached.get("villages"))
        out += [
            h3("Households unreached: no pairing in the village and no served need"),
            f'<p class="note">{esc(number(reached.get("total")))} of '
            f"{esc(number(reached.get('households_total')))} households "
            f"({esc(share(reached.get('share')))}).</p>",
            table(
                "tbl-unreached-households",
                ["Village", "Name", "Town", "Households", "With a served need", "Unreached"],
                (
                    [
                        text(v.get("village")),
                        text(v.get("name")),
                        names.town(v.get("town")),
                        num(v.get("households")),
                        num(v.get("households_with_served_need")),
                        num(v.get("unreached")),
                    ]
                    for v in villages
                ),
            ),
        ]
    categories = rows(report.get("categories_served_by_nobody"))
    out += [
        h3("Need categories served by nobody", len(categories)),
        table(
            "tbl-categories-nobody",
            ["Category", "Needs", "Value open", "Providers in reach", "Reasons"],
            (
                [
                    text(c.get("category")),
                    num(c.get("needs")),
                    num(c.get("value_open")),
                    num(c.get("providers_in_reach")),
                    counts(c.get("reasons")),
                ]
                for c in categories
            ),
        ),
    ]
    out += [
        generic_section(str(k), v, "tbl-blind") for k, v in report.items() if k not in KNOWN_KEYS
    ]
    return "\n".join(p for p in out if p)
