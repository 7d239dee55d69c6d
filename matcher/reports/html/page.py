"""The whole page: header, KPI cards, map, charts, report tables, footer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matcher import __version__
from matcher.evaluate.evaluator import Evaluation
from matcher.plan import UNMET_REASONS, Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.html.assets import CSS, JS
from matcher.reports.html.blind_spots import blind_spots_section
from matcher.reports.html.charts import funding_chart, reason_legend, unmet_charts
from matcher.reports.html.duplicate_aid import duplicate_aid_section
from matcher.reports.html.figures import Figures, gather
from matcher.reports.html.fmt import as_float, esc, number, share
from matcher.reports.html.svg_map import render_legend, render_map
from matcher.reports.html.tables import Names, mapping

HOUSEHOLDS_TARGET = 0.9  # DESIGN §1: at least 90% of households reached


@dataclass(frozen=True)
class Card:
    """One KPI card: a label, the figure, a note, a tone and an optional meter (0..1)."""

    label: str
    value: str
    note: str = ""
    tone: str = ""  # "", "good", "warn" or "bad"
    meter: float | None = None

    def render(self) -> str:
        """The card's HTML, escaped."""
        meter = ""
        if self.meter is not None:
            width = 100 * min(1.0, max(0.0, self.meter))
            meter = f'<div class="meter"><span style="width:{width:.1f}%"></span></div>'
        return (
            f'<div class="card {esc(self.tone)}"><div class="label">{esc(self.label)}</div>'
            f'<div class="value">{esc(self.value)}</div>'
            f'<p class="note">{esc(self.note)}</p>{meter}</div>'
        )


def _tone(value: float | None, good: float, warn: float) -> str:
    if value is None:
        return ""
    return "good" if value >= good else "warn" if value >= warn else "bad"


def kpi_cards(plan: Plan, figures: Figures) -> list[Card]:
    """The cards a planner reads first; a card whose figure is missing is left out."""
    k, s = figures.kpis, plan.solver
    cards = []
    objective = as_float(k.get("objective", s.objective))
    if objective is not None:
        bound = as_float(s.bound)
        note = (
            f"bound {number(bound)} · gap {share(s.gap, 2)}"
            if bound is not None
            else "no proven bound"
        )
        cards.append(Card("Objective", number(objective), note))
    served, total = k.get("needs_served"), k.get("needs_total")
    if isinstance(served, int) and isinstance(total, int):
        ratio = as_float(k.get("needs_served_share"))
        held = k.get("needs_held_back_by_recent_aid")
        note = f"{share(ratio)} of all needs" + (
            f" · {held} held back by recent aid" if held else ""
        )
        cards.append(Card("Needs served", f"{served:,} / {total:,}", note, "", ratio))
    ratio = as_float(k.get("value_served_share"))
    if ratio is not None:
        cards.append(
            Card("Value served", share(ratio), "of the value the plan could serve", "", ratio)
        )
    ratio = as_float(k.get("households_reached_share"))
    if ratio is not None:
        cards.append(
            Card(
                "Households reached",
                share(ratio),
                f"{number(k.get('households_reached'))} of {number(k.get('households_total'))}"
                f" · target {share(HOUSEHOLDS_TARGET, 0)}",
                _tone(ratio, HOUSEHOLDS_TARGET, 0.65),
                ratio,
            )
        )
    enough, villages = k.get("villages_with_min_cadres"), k.get("villages_total")
    if isinstance(enough, int) and isinstance(villages, int):
        ratio = as_float(k.get("villages_with_min_cadres_share"))
        required = figures.blind_spots.get("min_cadres_per_village", 2)
        cards.append(
            Card(
                f"Villages with ≥{required} cadres",
                f"{enough:,} / {villages:,}",
                share(ratio),
                _tone(ratio, 1.0, 0.8),
                ratio,
            )
        )
    totals = mapping(figures.blind_spots.get("totals"))
    if totals:
        unreachable = totals.get("villages_unreachable") or 0
        nobody = totals.get("categories_served_by_nobody") or 0
        cards.append(
            Card(
                "Blind spots: needs unmet",
                number(totals.get("needs_unmet")),
                f"{number(totals.get('unmet_groups'))} town×category groups · "
                f"{number(unreachable)} unreachable villages · "
                f"{number(nobody)} categories served by nobody",
                "bad" if unreachable or nobody else "warn" if totals.get("needs_unmet") else "good",
            )
        )
    dup = mapping(figures.duplicate_aid.get("totals"))
    if dup:
        waste = dup.get("waste_yuan")
        cards.append(
            Card(
                "Duplicate-aid waste (ledgers)",
                f"¥{number(waste)}",
                f"{number(dup.get('groups'))} groups · {number(dup.get('waste_hours'), 1)} h · "
                f"{share(dup.get('waste_share_of_ledger_yuan'))} of ledger money",
                "bad" if waste else "good",
            )
        )
    used, funds = as_float(k.get("funding_used")), as_float(k.get("funding_total"))
    if used is not None and funds is not None:
        ratio = used / funds if funds > 0 else None
        cards.append(
            Card(
                "Funding used", f"¥{number(used)}", f"{share(ratio)} of ¥{number(funds)}", "", ratio
            )
        )
    social = as_float(k.get("social_share_of_served_hours"))
    if social is not None:
        target = as_float(k.get("social_share_target")) or 0.0
        cards.append(
            Card(
                "Social forces' share of hours",
                share(social),
                f"target {share(target, 0)}",
                _tone(social, target, target * 0.5),
                social,
            )
        )
    violations = k.get("violations", len(plan.violations))
    if isinstance(violations, int):
        dups = k.get("duplicates_in_plan") or 0
        note = "H1–H8 checked by the evaluator"
        if dups:
            note += f" · {dups} household×category served by two providers"
        cards.append(
            Card(
                "Rule violations",
                str(violations),
                note,
                "bad" if violations else "warn" if dups else "good",
            )
        )
    return cards


def _header(index: ScenarioIndex, plan: Plan, generated: dt.datetime) -> str:
    s, h = plan.solver, index.scenario.horizon
    name = index.scenario.name or plan.scenario.name or "Scenario"
    seconds = f" · {s.seconds:,.1f} s" if s.seconds is not None else ""
    sha = plan.scenario.sha256
    return (
        '<header class="page"><div class="subtitle">BAOLIAN MATCHER · 包村联户 ALLOCATION PLAN'
        f'</div><h1>{esc(name)}</h1><div class="meta">'
        f"<span>Solver <b>{esc(s.name)}</b>{esc(seconds)}</span>"
        f'<span>Status <span class="badge {esc(s.status)}">{esc(s.status)}</span></span>'
        f"<span>Horizon <b>{esc(h.start.isoformat())}</b> + {esc(h.days)} days</span>"
        f"<span>Report of <b>{esc(generated.strftime('%Y-%m-%d %H:%M'))}</b></span>"
        + (f'<span title="{esc(sha)}">Scenario {esc(sha[:12])}…</span>' if sha else "")
        + "</div></header>"
    )


def _violations_banner(plan: Plan, figures: Figures) -> str:
    count = figures.kpis.get("violations", len(plan.violations))
    if not count:
        return ""
    rules = sorted({str(v.get("rule", "?")) for v in plan.violations})
    listed = f" ({', '.join(rules)})" if rules else ""
    return (
        f'<div class="banner bad"><b>This plan breaks {esc(count)} hard rule(s){esc(listed)}.'
        "</b> Its figures are shown as computed; see <code>matcher check</code>.</div>"
    )


def _map_section(index: ScenarioIndex, figures: Figures) -> str:
    bs = figures.blind_spots
    short = len(bs.get("short_villages") or [])
    unreachable = len(bs.get("unreachable_villages") or [])
    return (
        '<section id="map"><h2>Villages by needs served</h2>'
        f'<p class="note">{len(index.scenario.villages):,} villages, '
        f"{len(index.scenario.roads or ()):,} roads; {short} short of paired cadres, "
        f"{unreachable} unreachable. Colour: share of the village's servable needs "
        "(those not held back by recent aid) that the plan serves.</p>"
        f'<div class="map-wrap">{render_map(index, figures)}{render_legend()}</div></section>'
    )


def _charts_section(index: ScenarioIndex, figures: Figures) -> str:
    by_category, by_town, towns_left = unmet_charts(index, figures)
    reasons = [r for r in UNMET_REASONS if any(u.reason == r for u in figures.unmet)]
    more = f'<p class="note">and {towns_left} more towns</p>' if towns_left else ""
    return (
        '<section id="charts"><h2>Unmet needs and funding</h2>'
        f"{reason_legend(reasons) if reasons else ''}"
        '<div class="charts">'
        f"<div><h3>Unmet needs by category</h3>{by_category}</div>"
        f"<div><h3>Unmet needs by town</h3>{by_town}{more}</div>"
        f"<div><h3>Funding per pool: used of amount (yuan)</h3>{funding_chart(index, figures)}"
        "</div></div></section>"
    )


def render_html(
    index: ScenarioIndex,
    plan: Plan,
    evaluation: Evaluation | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The plan's report as one self-contained HTML page (inline CSS, SVG and script; no
    network needed to open it). The plan's own KPIs and reports are shown when it has them,
    else the evaluator's (``evaluation``, computed when not given)."""
    figures = gather(index, plan, evaluation)
    when = generated or dt.datetime.now()
    title = index.scenario.name or plan.scenario.name or "Allocation plan"
    cards = "".join(card.render() for card in kpi_cards(plan, figures))
    names = Names(
        {p.id: p.name or p.id for p in index.scenario.places},
        {v.id: v.name or v.id for v in index.scenario.villages},
    )
    return "\n".join(
        (
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(title)} · Baolian Matcher report</title>",
            f"<style>{CSS}</style></head><body>",
            _header(index, plan, when),
            '<nav class="toc"><a href="#summary">Summary</a><a href="#map">Map</a>'
            '<a href="#charts">Charts</a><a href="#blind-spots">Blind spots</a>'
            '<a href="#duplicate-aid">Duplicate aid</a></nav><main>',
            _violations_banner(plan, figures),
            f'<section id="summary"><h2>Key figures</h2><div class="cards">{cards}</div></section>',
            _map_section(index, figures),
            _charts_section(index, figures),
            '<section id="blind-spots"><h2>Blind spots <span class="zh">帮扶盲区</span></h2>'
            f"{blind_spots_section(figures.blind_spots, names)}</section>",
            '<section id="duplicate-aid"><h2>Duplicate aid <span class="zh">重复帮扶</span>'
            f"</h2>{duplicate_aid_section(figures.duplicate_aid, names)}</section>",
            f'</main><footer class="page">Baolian Matcher {esc(__version__)} · plan by '
            f"{esc(plan.solver.name)} {esc(plan.solver.version or '')} · every figure from the "
            "evaluator (H1–H8, DESIGN §5)</footer>",
            f"<script>{JS}</script></body></html>",
        )
    )
