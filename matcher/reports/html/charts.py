"""Horizontal bar charts as inline SVG: unmet needs by category and by town (stacked by
reason), and funding per pool (used against the amount). Categories, reasons and departments
show by their labels in the page's language, towns and pools by their names."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matcher.i18n import Lang, label, t
from matcher.plan import UNMET_REASONS
from matcher.problem.index import ScenarioIndex
from matcher.reports.html.figures import Figures
from matcher.reports.html.fmt import as_float, compact, esc, number, share

WIDTH = 560.0
LABEL_WIDTH = 150.0
VALUE_WIDTH = 96.0
ROW = 22.0
BAR = 14.0
TOP = 8.0
MAX_ROWS = 30
LABEL_CHARS = 18

REASON_COLOURS: dict[str, str] = {
    "already_aided": "#8da0cb",
    "no_provider_in_reach": "#b2182b",
    "no_eligible_funding": "#7b3294",
    "capacity_exhausted": "#ef6c00",
    "funding_exhausted": "#f2c12e",
    "not_chosen": "#9e9e9e",
}
OTHER_COLOUR = "#607d8b"


@dataclass(frozen=True)
class Row:
    """One bar: its label, tooltip and stacked segments (key, value)."""

    label: str
    tip: str
    segments: tuple[tuple[str, float], ...]


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1] + "…"


def reason_colour(reason: str) -> str:
    """The colour of an unmet reason in every chart and legend."""
    return REASON_COLOURS.get(reason, OTHER_COLOUR)


def reason_legend(reasons: Sequence[str], lang: Lang) -> str:
    """A legend of the unmet reasons (HTML), by their labels."""
    items = "".join(
        f'<span class="legend-item"><span class="swatch" '
        f'style="background:{reason_colour(r)}"></span>{esc(label("unmet_reason", r, lang))}</span>'
        for r in reasons
    )
    return f'<div class="legend reasons">{items}</div>'


def _svg_open(chart_id: str, title: str, rows: int) -> str:
    height = TOP * 2 + ROW * max(1, rows)
    return (
        f'<svg id="{esc(chart_id)}" class="chart" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
        f'role="img" aria-label="{esc(title)}">'
    )


def stacked_bars(chart_id: str, title: str, rows: Sequence[Row], lang: Lang, unit: str = "") -> str:
    """A horizontal stacked bar chart; each bar's total is written after it."""
    if not rows:
        return f'<p class="empty">{esc(t("html.none", lang))}</p>'
    biggest = max(sum(v for _, v in r.segments) for r in rows) or 1.0
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    out = [_svg_open(chart_id, title, len(rows))]
    for i, row in enumerate(rows):
        y = TOP + i * ROW
        out.append(f'<g class="bar-row"><title>{esc(row.tip)}</title>')
        out.append(
            f'<text class="bar-label" x="{LABEL_WIDTH - 6:.0f}" y="{y + BAR - 3:.1f}">'
            f"{esc(_short(row.label))}</text>"
        )
        x = LABEL_WIDTH
        for key, value in row.segments:
            w = span * value / biggest
            if w <= 0:
                continue
            out.append(
                f'<rect class="bar" data-key="{esc(key)}" x="{x:.1f}" y="{y:.1f}" '
                f'width="{w:.1f}" height="{BAR:.0f}" fill="{reason_colour(key)}"/>'
            )
            x += w
        total = sum(v for _, v in row.segments)
        out.append(
            f'<text class="bar-value" x="{x + 5:.1f}" y="{y + BAR - 3:.1f}">'
            f"{esc(compact(total))}{esc(unit)}</text></g>"
        )
    out.append("</svg>")
    return "".join(out)


def _reason_rows(
    counts: Mapping[str, Counter[str]],
    labels: Mapping[str, str],
    totals: Mapping[str, int],
    lang: Lang,
) -> list[Row]:
    order = sorted(counts, key=lambda k: (-sum(counts[k].values()), k))[:MAX_ROWS]
    rows = []
    for key in order:
        tally = counts[key]
        unmet = sum(tally.values())
        detail = t("list.sep", lang).join(
            f"{label('unmet_reason', r, lang)} {tally[r]}" for r in UNMET_REASONS if tally[r]
        )
        name = labels.get(key, key)
        rows.append(
            Row(
                label=name,
                tip=t(
                    "html.bar_tip",
                    lang,
                    name=name,
                    unmet=unmet,
                    needs=totals.get(key, unmet),
                    detail=detail,
                ),
                segments=tuple((r, float(tally[r])) for r in UNMET_REASONS if tally[r])
                + tuple((r, float(n)) for r, n in tally.items() if r not in UNMET_REASONS),
            )
        )
    return rows


def unmet_charts(index: ScenarioIndex, figures: Figures, lang: Lang) -> tuple[str, str, int]:
    """Unmet needs by category and by town, stacked by reason; and how many towns were left
    out of the town chart (it shows the MAX_ROWS towns with most unmet needs)."""
    by_category: dict[str, Counter[str]] = defaultdict(Counter)
    by_town: dict[str, Counter[str]] = defaultdict(Counter)
    for unmet in figures.unmet:
        need = index.needs.get(unmet.need)
        if need is None:
            continue
        village = index.villages.get(need.village)
        by_category[need.category.value][unmet.reason] += 1
        by_town[village.town if village else "?"][unmet.reason] += 1
    needs_per_category = Counter(n.category.value for n in index.scenario.needs)
    needs_per_town = Counter(
        index.villages[n.village].town for n in index.scenario.needs if n.village in index.villages
    )
    towns = {p.id: p.name or p.id for p in index.scenario.places}
    categories = {c: label("category", c, lang) for c in by_category}
    category_chart = stacked_bars(
        "chart-unmet-category",
        t("html.chart_category", lang),
        _reason_rows(by_category, categories, needs_per_category, lang),
        lang,
    )
    town_chart = stacked_bars(
        "chart-unmet-town",
        t("html.chart_town", lang),
        _reason_rows(by_town, towns, needs_per_town, lang),
        lang,
    )
    return category_chart, town_chart, max(0, len(by_town) - MAX_ROWS)


def funding_chart(index: ScenarioIndex, figures: Figures, lang: Lang) -> str:
    """Funding per pool: the amount as a pale bar, what the plan uses drawn over it."""
    by_pool = figures.kpis.get("funding_by_pool")
    if not isinstance(by_pool, dict):
        by_pool = {}
    pools = []
    for pool in index.scenario.pools:
        spent = by_pool.get(pool.id)
        used = (as_float(spent.get("used")) if isinstance(spent, dict) else None) or 0.0
        department = label("department", pool.department, lang)
        pools.append((pool.id, pool.name or pool.id, department, float(pool.amount), used))
    if not pools:
        return f'<p class="empty">{esc(t("html.no_pools", lang))}</p>'
    biggest = max(max(p[3], p[4]) for p in pools) or 1.0
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH - 40
    out = [_svg_open("chart-funding", t("html.chart_funding", lang), len(pools))]
    for i, (pool_id, name, department, amount, used) in enumerate(pools):
        y = TOP + i * ROW
        ratio = used / amount if amount > 0 else None
        tip = t(
            "html.pool_tip",
            lang,
            name=name,
            id=pool_id,
            department=department,
            used=number(used),
            amount=number(amount),
            share=share(ratio),
        )
        out.append(f'<g class="bar-row" data-pool="{esc(pool_id)}"><title>{esc(tip)}</title>')
        out.append(
            f'<text class="bar-label" x="{LABEL_WIDTH - 6:.0f}" y="{y + BAR - 3:.1f}">'
            f"{esc(_short(name))}</text>"
        )
        out.append(
            f'<rect class="bar amount" x="{LABEL_WIDTH:.0f}" y="{y:.1f}" '
            f'width="{span * amount / biggest:.1f}" height="{BAR:.0f}"/>'
        )
        out.append(
            f'<rect class="bar used" x="{LABEL_WIDTH:.0f}" y="{y + 3:.1f}" '
            f'width="{span * used / biggest:.1f}" height="{BAR - 6:.0f}"/>'
        )
        end = LABEL_WIDTH + span * max(used, amount) / biggest
        out.append(
            f'<text class="bar-value" x="{end + 5:.1f}" y="{y + BAR - 3:.1f}">'
            f"{esc(compact(used))} / {esc(compact(amount))} ({esc(share(ratio, 0))})</text></g>"
        )
    out.append("</svg>")
    return "".join(out)
