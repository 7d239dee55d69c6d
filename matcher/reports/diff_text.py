"""Plain-text rendering of a plan diff (:func:`matcher.reports.diff.plan_diff`), in Chinese or
English.

Reads only the JSON-ready diff, so a diff written with ``--json`` renders the same; no colours.
The policy figures of both plans come first, side by side, then the solver and the other
figures, then the sections. Every text is the catalogue's (:mod:`matcher.i18n`); codes show by
their labels and ids by their names when the scenario is given.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeGuard, TypeVar

from matcher.i18n import Lang, choose_lang, label, t
from matcher.plan import SolverInfo
from matcher.reports import headline
from matcher.reports.diff_shapes import (
    Capped,
    GainedNeed,
    LostNeed,
    PlanDiff,
    PoolShift,
    SolverFigures,
    ValuedCapped,
    VillageShift,
)
from matcher.reports.headline import NameOf, named
from matcher.reports.text import table, yuan

TEXT_SHOWN = 10
Row = TypeVar("Row")

# The figures after the policy figures, when the caller picks none: (KPI key, is a share).
SUMMARY_KPIS: tuple[tuple[str, bool], ...] = (
    ("needs_served", False),
    ("needs_total", False),
    ("value_served_share", True),
    ("unreachable_villages", False),
    ("travel_hours", False),
    ("funding_used", False),
    ("duplicate_service_yuan", False),
    ("violations", False),
)


def _is_number(value: Any) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _num(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3f}"
    return str(value)


def _one(value: Any) -> str:
    """Hours, minutes and values: one decimal."""
    return f"{value:,.1f}" if _is_number(value) else "-"


def _signed(value: Any, share: bool = False, show: Any = _num) -> str:
    if not _is_number(value):
        return ""
    if share:
        return f"{100 * value:+.1f} pp"
    return "0" if value == 0 else ("+" if value > 0 else "") + show(value)


def _cell(value: Any, share: bool) -> str:
    return f"{100 * value:.1f}%" if share and isinstance(value, float) else _num(value)


def _listing(
    headers: Sequence[str],
    capped: Capped[Row],
    row: Callable[[Row], list[str]],
    right: Sequence[int],
    shown: int,
    lang: Lang,
) -> list[str]:
    """A table of the first ``shown`` items of a capped list, and a line for the rest."""
    if not capped["count"]:
        return []
    items = capped["items"][:shown]
    left = capped["count"] - len(items)
    more = ["  " + t("text.more", lang, count=f"{left:,}")] if left > 0 else []
    return [*table(headers, [row(r) for r in items], right), *more]


def _quality(side: SolverFigures, lang: Lang) -> str:
    try:
        solver = SolverInfo.model_validate(side)
    except ValueError:
        return "-"
    return headline.quality(solver, lang)


def _policy_rows(diff: PlanDiff, lang: Lang) -> list[list[str]]:
    """Both plans' policy figures side by side (none when a plan predates them)."""
    found = next((r for r in diff["kpis"] if r["kpi"] == "policy_figures"), None)
    if found is None:
        return []
    sides = [
        {f["key"]: f for f in headline.policy_figures({"policy_figures": found[side]})}
        for side in ("a", "b")
    ]
    rows = []
    for key in [*sides[0], *(k for k in sides[1] if k not in sides[0])]:
        a, b = sides[0].get(key), sides[1].get(key)
        cells = []
        for figure in (a, b):
            if figure is None:
                cells.append("-")
                continue
            word = headline.met_word(figure.get("met"), lang)
            cells.append(headline.figure_value(figure) + (f" {word}" if word else ""))
        change = ""
        if a is not None and b is not None and _is_number(a["value"]) and _is_number(b["value"]):
            delta = b["value"] - a["value"]
            change = _signed(delta, share=a.get("unit") == "share")
        rows.append([headline.figure_label(key, lang), *cells, change])
    return rows


def _figures(diff: PlanDiff, kpis: Sequence[tuple[str, str, bool]] | None, lang: Lang) -> list[str]:
    """Policy figures, solver and KPIs side by side: A, B and the change."""
    sa, sb = diff["solver"]["a"], diff["solver"]["b"]
    rows = _policy_rows(diff, lang) if kpis is None else []
    solvers = [f"{s['name']} / {label('plan_status', s['status'], lang)}" for s in (sa, sb)]
    rows.append([t("solver.name_status", lang), *solvers, ""])
    rows.append([t("solver.quality", lang), _quality(sa, lang), _quality(sb, lang), ""])
    for name, a, b in ((t("solver.seconds", lang), sa["seconds"], sb["seconds"]),):
        change = b - a if _is_number(a) and _is_number(b) else None
        rows.append([name, _num(a), _num(b), _signed(change)])
    by_key = {r["kpi"]: r for r in diff["kpis"]}
    chosen = kpis
    if chosen is None:
        chosen = [(k, _kpi_label(k, lang), share) for k, share in SUMMARY_KPIS]
    for key, name, share in chosen:
        if key in by_key:
            r = by_key[key]
            rows.append(
                [name, _cell(r["a"], share), _cell(r["b"], share), _signed(r["delta"], share)]
            )
    headers = [t("summary.figure", lang), "A", "B", t("diff.change", lang)]
    return table(headers, rows, right=(1, 2, 3))


def _kpi_label(key: str, lang: Lang) -> str:
    return t(f"kpi.{key}", lang)


def _changed_need(
    need: GainedNeed | LostNeed, reason: str | None, lang: Lang, names: NameOf | None
) -> list[str]:
    """A gained or lost need's row; ``reason``: its unmet reason in the other plan."""
    return [
        need["need"],
        named(need["village"], names) if need["village"] else "?",
        headline.category(need["category"], lang) if need["category"] else "?",
        _one(need["value"]),
        named(need["provider"], names),
        headline.reason(reason, lang) if reason else "",
    ]


def _needs(diff: PlanDiff, shown: int, lang: Lang, names: NameOf | None) -> list[str]:
    needs = diff["needs"]
    gained, lost, moved = needs["gained"], needs["lost"], needs["moved"]

    def valued(capped: ValuedCapped[GainedNeed] | ValuedCapped[LostNeed]) -> str:
        value = capped["value"]
        return t("diff.valued", lang, value=f"{value:,.1f}") if value else ""

    lines = [
        t(
            "diff.needs",
            lang,
            gained=f"{gained['count']:,}",
            gained_value=valued(gained),
            lost=f"{lost['count']:,}",
            lost_value=valued(lost),
            moved=f"{moved['count']:,}",
            unchanged=f"{needs['unchanged']:,}",
        )
    ]
    headers = [
        t("col.need", lang),
        t("col.village", lang),
        t("col.category", lang),
        t("col.value", lang),
        t("col.provider", lang),
    ]
    if gained["count"]:
        lines.append(" " + t("diff.gained", lang))
        lines += _listing(
            [*headers, t("diff.unmet_in_a", lang)],
            gained,
            lambda n: _changed_need(n, n["reason_a"], lang, names),
            (3,),
            shown,
            lang,
        )
    if lost["count"]:
        lines.append(" " + t("diff.lost", lang))
        lines += _listing(
            [*headers, t("diff.unmet_in_b", lang)],
            lost,
            lambda n: _changed_need(n, n["reason_b"], lang, names),
            (3,),
            shown,
            lang,
        )
    if moved["count"]:
        lines.append(" " + t("diff.moved", lang))
        lines += _listing(
            [
                t("col.need", lang),
                t("col.village", lang),
                t("diff.from", lang),
                t("diff.to", lang),
                t("diff.minutes_a", lang),
                t("diff.minutes_b", lang),
            ],
            moved,
            lambda r: [
                r["need"],
                named(r["village"], names) if r["village"] else "?",
                named(r["from"], names),
                named(r["to"], names),
                _one(r["travel_minutes_a"]),
                _one(r["travel_minutes_b"]),
            ],
            (4, 5),
            shown,
            lang,
        )
    return lines


def _households(diff: PlanDiff, shown: int, lang: Lang, names: NameOf | None) -> list[str]:
    hh = diff["households"]
    if not hh["available"]:
        return [t("diff.households_need_scenario", lang)]
    lines = [
        t(
            "diff.households",
            lang,
            a=f"{hh['a']:,}",
            b=f"{hh['b']:,}",
            gained=f"{hh['gained']['count']:,}",
            lost=f"{hh['lost']['count']:,}",
        )
    ]
    for key, capped in (("diff.gained", hh["gained"]), ("diff.lost", hh["lost"])):
        if capped["count"]:
            items = capped["items"][:shown]
            ids = ", ".join(f"{r['household']} ({named(r['village'], names)})" for r in items)
            left = capped["count"] - len(items)
            more = " " + t("text.more", lang, count=f"{left:,}") if left > 0 else ""
            lines.append(f" {t(key, lang)} {ids}{more}")
    return lines


def _pairings(diff: PlanDiff, shown: int, lang: Lang, names: NameOf | None) -> list[str]:
    p = diff["pairings"]
    lines = [
        t(
            "diff.pairings",
            lang,
            added=f"{p['added']['count']:,}",
            removed=f"{p['removed']['count']:,}",
            villages=f"{p['by_village']['count']:,}",
        )
    ]
    return lines + _listing(
        [
            t("col.village", lang),
            "A",
            "B",
            t("diff.added", lang),
            t("diff.removed", lang),
        ],
        p["by_village"],
        lambda r: [
            named(r["village"], names),
            str(r["a"]),
            str(r["b"]),
            " ".join(named(c, names) for c in r["added"]),
            " ".join(named(c, names) for c in r["removed"]),
        ],
        (1, 2),
        shown,
        lang,
    )


def _shift_cells(row: PoolShift | VillageShift) -> list[str]:
    return [yuan(row["a"]), yuan(row["b"]), _signed(row["shift"])]


def _money(diff: PlanDiff, shown: int, lang: Lang, names: NameOf | None) -> list[str]:
    money = diff["money"]
    total = money["total"]
    lines = [
        t(
            "diff.money",
            lang,
            a=yuan(total["a"]),
            b=yuan(total["b"]),
            shift=_signed(total["shift"]),
        )
    ]
    everything: Capped[PoolShift] = {"count": len(money["by_pool"]), "items": money["by_pool"]}
    shift = [t("col.pool", lang), "A", "B", t("diff.shift", lang)]
    lines += _listing(
        shift,
        everything,
        lambda r: [named(r["pool"], names), *_shift_cells(r)],
        (1, 2, 3),
        len(money["by_pool"]),
        lang,
    )
    villages = money["by_village"]
    if villages is None:
        return [*lines, " " + t("diff.money_needs_scenario", lang)]
    if villages["count"]:
        lines.append(" " + t("diff.villages_funded", lang, count=f"{villages['count']:,}"))
    return lines + _listing(
        [t("col.village", lang), "A", "B", t("diff.shift", lang)],
        villages,
        lambda r: [named(r["village"], names), *_shift_cells(r)],
        (1, 2, 3),
        shown,
        lang,
    )


def _hours(diff: PlanDiff, shown: int, lang: Lang, names: NameOf | None) -> list[str]:
    providers, total = diff["hours"]["providers"], diff["hours"]["total"]
    lines = [
        t(
            "diff.hours",
            lang,
            a=_one(total["a"]),
            b=_one(total["b"]),
            shift=_signed(total["shift"], show=_one),
            providers=f"{providers['count']:,}",
        )
    ]
    return lines + _listing(
        [
            t("col.provider", lang),
            "A",
            "B",
            t("diff.shift", lang),
            t("diff.capacity", lang),
        ],
        providers,
        lambda r: [
            named(r["provider"], names),
            _one(r["a"]),
            _one(r["b"]),
            _signed(r["shift"], show=_one),
            _one(r["capacity"]),
        ],
        (1, 2, 3, 4),
        shown,
        lang,
    )


def _warnings(diff: PlanDiff, lang: Lang) -> list[str]:
    """What makes the comparison less than like for like, from the scenario check's figures
    (the diff's own warnings are the English of the same)."""
    sc = diff["scenario"]
    warnings = []
    if sc["same"] is False:
        warnings.append(t("diff.warn_different", lang))
    sides = (("A", sc["a"]), ("B", sc["b"]))
    for side, ref in sides:
        if ref.get("sha256") is None:
            warnings.append(t("diff.warn_no_sha", lang, plan=side))
    given = sc.get("given")
    if given is not None:
        for side, ref in sides:
            if ref.get("sha256") is not None and ref.get("sha256") != given.get("sha256"):
                warnings.append(t("diff.warn_not_given", lang, plan=side))
    return [t("diff.warning", lang, text=w) for w in warnings]


def render_diff_text(
    diff: PlanDiff,
    kpis: Sequence[tuple[str, str, bool]] | None = None,
    *,
    shown: int = TEXT_SHOWN,
    lang: Lang | None = None,
    names: NameOf | None = None,
) -> str:
    """A plan diff as plain text in ``lang`` (default :func:`~matcher.i18n.choose_lang`):
    scenario, the policy figures, solver and key figures side by side, then the sections.

    ``kpis`` picks and labels the KPI rows instead (key, label, is a share; the policy figures
    are then left out). ``names`` gives the names shown beside ids. Each list shows its first
    ``shown`` items.
    """
    lang = lang or choose_lang(None)
    sc = diff["scenario"]
    same = {True: "diff.same", False: "diff.different", None: "diff.maybe_same"}[sc["same"]]
    lines = [
        t(
            "diff.scenarios",
            lang,
            a=sc["a"]["name"] or "?",
            b=sc["b"]["name"] or "?",
            same=t(same, lang),
        )
    ]
    lines += _warnings(diff, lang)
    for part in (
        _figures(diff, kpis, lang),
        _needs(diff, shown, lang, names),
        _households(diff, shown, lang, names),
        _pairings(diff, shown, lang, names),
        _money(diff, shown, lang, names),
        _hours(diff, shown, lang, names),
    ):
        lines += ["", *part]
    if diff["summary"]["identical"]:
        lines += ["", t("diff.identical", lang)]
    return "\n".join(lines)
