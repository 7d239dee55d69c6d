"""Plain-text rendering of a plan diff (:func:`matcher.reports.diff.plan_diff`).

Reads only the JSON-ready diff, so a diff written with ``--json`` renders the same; no colours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeGuard, TypeVar

from matcher.reports.diff_shapes import (
    Capped,
    GainedNeed,
    LostNeed,
    PlanDiff,
    PoolShift,
    ValuedCapped,
    VillageShift,
)
from matcher.reports.text import table, yuan

TEXT_SHOWN = 10
Row = TypeVar("Row")


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


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" + ("" if n == 1 else "s")


def _cell(value: Any, share: bool) -> str:
    return f"{100 * value:.1f}%" if share and isinstance(value, float) else _num(value)


def _listing(
    headers: Sequence[str],
    capped: Capped[Row],
    row: Callable[[Row], list[str]],
    right: Sequence[int],
    shown: int,
) -> list[str]:
    """A table of the first ``shown`` items of a capped list, and a line for the rest."""
    if not capped["count"]:
        return []
    items = capped["items"][:shown]
    left = capped["count"] - len(items)
    more = [f"  ... and {left:,} more"] if left > 0 else []
    return [*table(headers, [row(r) for r in items], right), *more]


def _figures(diff: PlanDiff, kpis: Sequence[tuple[str, str, bool]] | None) -> list[str]:
    """Solver and KPIs side by side: A, B and the change."""
    sa, sb = diff["solver"]["a"], diff["solver"]["b"]
    solvers = [f"{s['name']} / {s['status']}" for s in (sa, sb)]
    rows = [["solver / status", *solvers, ""]]
    figures = (("bound", sa["bound"], sb["bound"]), ("seconds", sa["seconds"], sb["seconds"]))
    for key, a, b in figures:
        change = b - a if _is_number(a) and _is_number(b) else None
        rows.append([key, _num(a), _num(b), _signed(change)])
    by_key = {r["kpi"]: r for r in diff["kpis"]}
    chosen = kpis if kpis is not None else [(k, k, False) for k in by_key]
    for key, label, share in chosen:
        if key in by_key:
            r = by_key[key]
            rows.append(
                [label, _cell(r["a"], share), _cell(r["b"], share), _signed(r["delta"], share)]
            )
    return table(["figure", "A", "B", "change"], rows, right=(1, 2, 3))


def _changed_need(need: GainedNeed | LostNeed, reason: str | None) -> list[str]:
    """A gained or lost need's row; ``reason``: its unmet reason in the other plan."""
    return [
        need["need"],
        need["village"] or "?",
        need["category"] or "?",
        _one(need["value"]),
        need["provider"],
        reason or "",
    ]


def _gained(need: GainedNeed) -> list[str]:
    return _changed_need(need, need["reason_a"])


def _lost(need: LostNeed) -> list[str]:
    return _changed_need(need, need["reason_b"])


def _needs(diff: PlanDiff, shown: int) -> list[str]:
    needs = diff["needs"]
    gained, lost, moved = needs["gained"], needs["lost"], needs["moved"]

    def count(capped: ValuedCapped[GainedNeed] | ValuedCapped[LostNeed], word: str) -> str:
        value = capped["value"]
        return f"{capped['count']:,} {word}" + (f" (value {value:,.1f})" if value else "")

    lines = [
        f"needs: {count(gained, 'gained')}, {count(lost, 'lost')}, {moved['count']:,} moved, "
        f"{needs['unchanged']:,} unchanged"
    ]
    headers = ["need", "village", "category", "value", "provider"]
    if gained["count"]:
        lines.append(" gained:")
        lines += _listing([*headers, "unmet in A"], gained, _gained, (3,), shown)
    if lost["count"]:
        lines.append(" lost:")
        lines += _listing([*headers, "unmet in B"], lost, _lost, (3,), shown)
    if moved["count"]:
        lines.append(" moved:")
        lines += _listing(
            ["need", "village", "from", "to", "minutes A", "minutes B"],
            moved,
            lambda r: [
                r["need"],
                r["village"] or "?",
                r["from"],
                r["to"],
                _one(r["travel_minutes_a"]),
                _one(r["travel_minutes_b"]),
            ],
            (4, 5),
            shown,
        )
    return lines


def _households(diff: PlanDiff, shown: int) -> list[str]:
    hh = diff["households"]
    if not hh["available"]:
        return [f"households: {hh['note']}"]
    lines = [
        f"households with a served need: A {hh['a']:,}, B {hh['b']:,}; "
        f"{hh['gained']['count']:,} gained, {hh['lost']['count']:,} lost"
    ]
    for title, capped in (("gained", hh["gained"]), ("lost", hh["lost"])):
        if capped["count"]:
            items = capped["items"][:shown]
            ids = ", ".join(f"{r['household']} ({r['village']})" for r in items)
            left = capped["count"] - len(items)
            lines.append(f" {title}: {ids}" + (f" ... and {left:,} more" if left > 0 else ""))
    return lines


def _pairings(diff: PlanDiff, shown: int) -> list[str]:
    p = diff["pairings"]
    lines = [
        f"pairings: {p['added']['count']:,} added, {p['removed']['count']:,} removed, "
        f"in {_plural(p['by_village']['count'], 'village')}"
    ]
    return lines + _listing(
        ["village", "A", "B", "added", "removed"],
        p["by_village"],
        lambda r: [
            r["village"],
            str(r["a"]),
            str(r["b"]),
            " ".join(r["added"]),
            " ".join(r["removed"]),
        ],
        (1, 2),
        shown,
    )


def _shift_cells(row: PoolShift | VillageShift) -> list[str]:
    return [yuan(row["a"]), yuan(row["b"]), _signed(row["shift"])]


def _pool(row: PoolShift) -> list[str]:
    return [row["pool"], *_shift_cells(row)]


def _village(row: VillageShift) -> list[str]:
    return [row["village"], *_shift_cells(row)]


def _money(diff: PlanDiff, shown: int) -> list[str]:
    money = diff["money"]
    total = money["total"]
    lines = [f"money (yuan): A {yuan(total['a'])}, B {yuan(total['b'])}"]
    lines[0] += f", change {_signed(total['shift'])}"
    everything: Capped[PoolShift] = {"count": len(money["by_pool"]), "items": money["by_pool"]}
    lines += _listing(
        ["pool", "A", "B", "shift"], everything, _pool, (1, 2, 3), len(money["by_pool"])
    )
    villages = money["by_village"]
    if villages is None:
        return [*lines, f" {money['note']}"]
    if villages["count"]:
        lines.append(f" {_plural(villages['count'], 'village')} funded differently:")
    return lines + _listing(["village", "A", "B", "shift"], villages, _village, (1, 2, 3), shown)


def _hours(diff: PlanDiff, shown: int) -> list[str]:
    providers, total = diff["hours"]["providers"], diff["hours"]["total"]
    lines = [
        f"service hours: A {_one(total['a'])}, B {_one(total['b'])}, "
        f"change {_signed(total['shift'], show=_one)}; "
        f"{_plural(providers['count'], 'provider')} changed"
    ]
    return lines + _listing(
        ["provider", "A", "B", "shift", "capacity"],
        providers,
        lambda r: [
            r["provider"],
            _one(r["a"]),
            _one(r["b"]),
            _signed(r["shift"], show=_one),
            _one(r["capacity"]),
        ],
        (1, 2, 3, 4),
        shown,
    )


def render_diff_text(
    diff: PlanDiff,
    kpis: Sequence[tuple[str, str, bool]] | None = None,
    *,
    shown: int = TEXT_SHOWN,
) -> str:
    """A plan diff as plain text: scenario, solver and KPIs side by side, then the sections.

    ``kpis`` picks and labels the KPI rows (key, label, is a share); by default every KPI.
    Each list shows its first ``shown`` items.
    """
    sc = diff["scenario"]
    same = {
        True: "the same scenario",
        False: "DIFFERENT scenarios",
        None: "not known to be the same scenario",
    }
    lines = [f"A: {sc['a']['name'] or '?'}; B: {sc['b']['name'] or '?'} ({same[sc['same']]})"]
    lines += [f"warning: {w}" for w in sc["warnings"]]
    for part in (
        _figures(diff, kpis),
        _needs(diff, shown),
        _households(diff, shown),
        _pairings(diff, shown),
        _money(diff, shown),
        _hours(diff, shown),
    ):
        lines += ["", *part]
    if diff["summary"]["identical"]:
        lines += ["", "the plans serve, pair, fund and spend the same"]
    return "\n".join(lines)
