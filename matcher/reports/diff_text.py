"""Plain-text rendering of a plan diff (:func:`matcher.reports.diff.plan_diff`).

Reads only the JSON-ready diff, so a diff written with ``--json`` renders the same; no colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from matcher.reports.text import table, yuan

TEXT_SHOWN = 10


def _is_number(value: Any) -> bool:
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
    capped: dict[str, Any],
    row: Any,
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


def _figures(diff: dict[str, Any], kpis: Sequence[tuple[str, str, bool]] | None) -> list[str]:
    """Solver and KPIs side by side: A, B and the change."""
    sa, sb = diff["solver"]["a"], diff["solver"]["b"]
    solvers = [f"{s['name']} / {s['status']}" for s in (sa, sb)]
    rows = [["solver / status", *solvers, ""]]
    for key in ("bound", "seconds"):
        change = sb[key] - sa[key] if _is_number(sa[key]) and _is_number(sb[key]) else None
        rows.append([key, _num(sa[key]), _num(sb[key]), _signed(change)])
    by_key = {r["kpi"]: r for r in diff["kpis"]}
    chosen = kpis if kpis is not None else [(k, k, False) for k in by_key]
    for key, label, share in chosen:
        if key in by_key:
            r = by_key[key]
            rows.append(
                [label, _cell(r["a"], share), _cell(r["b"], share), _signed(r["delta"], share)]
            )
    return table(["figure", "A", "B", "change"], rows, right=(1, 2, 3))


def _needs(diff: dict[str, Any], shown: int) -> list[str]:
    needs = diff["needs"]
    gained, lost, moved = needs["gained"], needs["lost"], needs["moved"]

    def count(capped: dict[str, Any], word: str) -> str:
        value = capped["value"]
        return f"{capped['count']:,} {word}" + (f" (value {value:,.1f})" if value else "")

    lines = [
        f"needs: {count(gained, 'gained')}, {count(lost, 'lost')}, {moved['count']:,} moved, "
        f"{needs['unchanged']:,} unchanged"
    ]
    for title, capped, reason in (("gained", gained, "reason_a"), ("lost", lost, "reason_b")):
        if capped["count"]:
            why = "unmet in A" if title == "gained" else "unmet in B"
            lines.append(f" {title}:")
            lines += _listing(
                ["need", "village", "category", "value", "provider", why],
                capped,
                lambda r, reason=reason: [
                    r["need"],
                    r["village"] or "?",
                    r["category"] or "?",
                    _one(r["value"]),
                    r["provider"],
                    r[reason] or "",
                ],
                (3,),
                shown,
            )
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


def _households(diff: dict[str, Any], shown: int) -> list[str]:
    hh = diff["households"]
    if not hh["available"]:
        return [f"households: {hh['note']}"]
    lines = [
        f"households with a served need: A {hh['a']:,}, B {hh['b']:,}; "
        f"{hh['gained']['count']:,} gained, {hh['lost']['count']:,} lost"
    ]
    for title in ("gained", "lost"):
        capped = hh[title]
        if capped["count"]:
            items = capped["items"][:shown]
            ids = ", ".join(f"{r['household']} ({r['village']})" for r in items)
            left = capped["count"] - len(items)
            lines.append(f" {title}: {ids}" + (f" ... and {left:,} more" if left > 0 else ""))
    return lines


def _pairings(diff: dict[str, Any], shown: int) -> list[str]:
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


def _money(diff: dict[str, Any], shown: int) -> list[str]:
    money = diff["money"]
    total = money["total"]

    def row(key: str) -> Any:
        return lambda r: [r[key], yuan(r["a"]), yuan(r["b"]), _signed(r["shift"])]

    lines = [f"money (yuan): A {yuan(total['a'])}, B {yuan(total['b'])}"]
    lines[0] += f", change {_signed(total['shift'])}"
    everything = {"count": len(money["by_pool"]), "items": money["by_pool"]}
    lines += _listing(
        ["pool", "A", "B", "shift"], everything, row("pool"), (1, 2, 3), len(money["by_pool"])
    )
    villages = money["by_village"]
    if villages is None:
        return [*lines, f" {money['note']}"]
    if villages["count"]:
        lines.append(f" {_plural(villages['count'], 'village')} funded differently:")
    return lines + _listing(
        ["village", "A", "B", "shift"], villages, row("village"), (1, 2, 3), shown
    )


def _hours(diff: dict[str, Any], shown: int) -> list[str]:
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
    diff: dict[str, Any],
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
