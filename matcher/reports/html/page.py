"""The whole page, in Chinese or English: header, the policy figures against their targets,
the other figures and the duplicate-aid story, map, charts, the two reports' tables, and the
solver's section at the end."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from matcher import __version__
from matcher.evaluate.evaluator import Evaluation
from matcher.i18n import Lang, choose_lang, label, t
from matcher.plan import UNMET_REASONS, Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports import headline
from matcher.reports.html.assets import CSS, JS
from matcher.reports.html.blind_spots import blind_spots_section
from matcher.reports.html.charts import funding_chart, reason_legend, unmet_charts
from matcher.reports.html.duplicate_aid import duplicate_aid_section, story_html
from matcher.reports.html.figures import Figures, gather
from matcher.reports.html.fmt import as_float, esc, number, share
from matcher.reports.html.rosters import render_rosters
from matcher.reports.html.schedule import schedule_section
from matcher.reports.html.svg_map import render_legend, render_map
from matcher.reports.html.tables import Names, field_label, mapping
from matcher.reports.rosters import rosters
from matcher.reports.schedule import has_schedule, schedule_view


@dataclass(frozen=True)
class Card:
    """One figure's card: a label, the figure, a note, a tone, an optional meter (0..1) with
    its target's mark, and a met or short badge."""

    label: str
    value: str
    note: str = ""
    tone: str = ""  # "", "good", "warn" or "bad"
    meter: float | None = None
    target: float | None = None  # where the target sits on the meter (0..1)
    badge: str = ""
    met: bool | None = None
    key: str = ""

    def render(self) -> str:
        """The card's HTML, escaped."""
        meter = ""
        if self.meter is not None:
            width = 100 * min(1.0, max(0.0, self.meter))
            mark = ""
            if self.target is not None:
                at = 100 * min(1.0, max(0.0, self.target))
                mark = f'<i class="target" style="left:{at:.1f}%"></i>'
            meter = f'<div class="meter"><span style="width:{width:.1f}%"></span>{mark}</div>'
        badge = ""
        if self.badge:
            css = "met" if self.met else "short"
            badge = f' <span class="badge {css}">{esc(self.badge)}</span>'
        key = f' data-key="{esc(self.key)}"' if self.key else ""
        return (
            f'<div class="card {esc(self.tone)}"{key}><div class="label">{esc(self.label)}</div>'
            f'<div class="value">{esc(self.value)}{badge}</div>'
            f'<p class="note">{esc(self.note)}</p>{meter}</div>'
        )


def heading(text: str, lang: Lang) -> str:
    """A heading as the language writes it: English capitalised ("Policy figures"), Chinese
    as it is."""
    return text[:1].upper() + text[1:] if lang == "en" else text


def _tone(met: bool | None) -> str:
    return "" if met is None else "good" if met else "bad"


def policy_cards(kpis: Mapping[str, Any], lang: Lang) -> list[Card]:
    """The policy figures, each against its target (met or short), in the evaluator's
    order: what a county reports upward and what the page shows first."""
    cards = []
    for figure in headline.policy_figures(kpis):
        met = figure.get("met")
        target = headline.figure_target(figure)
        detail = headline.figure_detail(figure, kpis, lang)
        note = " · ".join(
            p for p in (t("policy.target", lang, target=target) if target else "", detail) if p
        )
        share_unit = figure.get("unit") == "share"
        tone = _tone(met)
        if figure["key"] == "needs_unmet" and figure.get("value"):
            tone = "warn"
        cards.append(
            Card(
                label=headline.figure_label(figure["key"], lang),
                value=headline.figure_value(figure),
                note=note,
                tone=tone,
                meter=as_float(figure.get("value")) if share_unit else None,
                target=as_float(figure.get("target")) if share_unit else None,
                badge=headline.met_word(met, lang),
                met=met,
                key=f"policy.{figure['key']}",
            )
        )
    return cards


def other_cards(plan: Plan, kpis: Mapping[str, Any], lang: Lang) -> list[Card]:
    """The other figures that matter; a card whose figure is missing is left out."""
    cards = []
    lines = {line.key: line for line in headline.other_lines(kpis, lang)}
    if "needs_served" in lines:
        held = kpis.get("needs_held_back_by_recent_aid")
        note = t("html.held_back_note", lang, count=number(held)) if held else ""
        ratio = as_float(kpis.get("needs_served_share"))
        line = lines["needs_served"]
        cards.append(Card(line.label, line.value, note, meter=ratio, key=line.key))
    if "value_served_share" in lines:
        ratio = as_float(kpis.get("value_served_share"))
        line = lines["value_served_share"]
        cards.append(
            Card(line.label, line.value, t("html.value_note", lang), meter=ratio, key=line.key)
        )
    used, funds = as_float(kpis.get("funding_used")), as_float(kpis.get("funding_total"))
    if used is not None:
        ratio = used / funds if funds else None
        note = t("html.money_note", lang, share=share(ratio), total=number(funds))
        cards.append(
            Card(t("other.money_used", lang), number(used), note, meter=ratio, key="funding_used")
        )
    if "unreachable_villages" in lines:
        count = kpis.get("unreachable_villages") or 0
        line = lines["unreachable_villages"]
        note = t("html.unreachable_note", lang)
        cards.append(Card(line.label, line.value, note, "bad" if count else "good", key=line.key))
    if "travel_hours" in lines:
        line = lines["travel_hours"]
        cards.append(Card(line.label, line.value, t("html.travel_note", lang), key=line.key))
    violations = kpis.get("violations", len(plan.violations))
    if isinstance(violations, int):
        cards.append(
            Card(
                t("kpi.violations", lang),
                str(violations),
                t("html.violations_note", lang),
                "bad" if violations else "good",
                key="violations",
            )
        )
    return cards


def _header(index: ScenarioIndex, plan: Plan, generated: dt.datetime, lang: Lang) -> str:
    s, h = plan.solver, index.scenario.horizon
    name = index.scenario.name or plan.scenario.name or t("html.scenario", lang)
    sha = plan.scenario.sha256
    status = label("plan_status", s.status, lang)
    return (
        f'<header class="page"><div class="subtitle">{esc(t("html.subtitle", lang))}</div>'
        f'<h1>{esc(name)}</h1><div class="meta">'
        f'<span>{esc(t("html.status", lang))} <span class="badge {esc(s.status)}">'
        f"{esc(status)}</span></span>"
        f"<span>{esc(t('html.horizon', lang, start=h.start.isoformat(), days=h.days))}</span>"
        f"<span>{esc(t('html.generated', lang, when=generated.strftime('%Y-%m-%d %H:%M')))}"
        "</span>"
        + (
            f'<span title="{esc(sha)}">{esc(t("html.scenario_sha", lang, sha=sha[:12]))}</span>'
            if sha
            else ""
        )
        + "</div></header>"
    )


def _violations_banner(plan: Plan, figures: Figures, lang: Lang) -> str:
    count = figures.kpis.get("violations", len(plan.violations))
    if not count:
        return ""
    rules = sorted({str(v.get("rule", "?")) for v in plan.violations})
    text = t("html.violations_banner", lang, count=count, rules=", ".join(rules) or "-")
    return f'<div class="banner bad"><b>{esc(text)}</b></div>'


def _summary_section(plan: Plan, figures: Figures, lang: Lang) -> str:
    kpis = figures.kpis
    policy = "".join(card.render() for card in policy_cards(kpis, lang))
    others = "".join(card.render() for card in other_cards(plan, kpis, lang))
    parts = ['<section id="summary">']
    if policy:
        parts += [
            f"<h2>{esc(heading(t('summary.policy_title', lang), lang))}</h2>",
            f'<div class="cards policy">{policy}</div>',
        ]
    parts += [
        f"<h3>{esc(heading(t('summary.other_title', lang), lang))}</h3>",
        f'<div class="cards">{others}</div>',
        f"<h3>{esc(heading(t('summary.duplicate_title', lang), lang))}</h3>",
        story_html(figures.duplicate_aid, kpis, lang),
        "</section>",
    ]
    return "".join(parts)


def _map_section(index: ScenarioIndex, figures: Figures, lang: Lang) -> str:
    bs = figures.blind_spots
    note = t(
        "html.map_note",
        lang,
        villages=f"{len(index.scenario.villages):,}",
        roads=f"{len(index.scenario.roads or ()):,}",
        short=len(bs.get("short_villages") or []),
        unreachable=len(bs.get("unreachable_villages") or []),
    )
    return (
        f'<section id="map"><h2>{esc(t("html.map_title", lang))}</h2>'
        f'<p class="note">{esc(note)}</p>'
        f'<div class="map-wrap">{render_map(index, figures, lang)}{render_legend(lang)}</div>'
        "</section>"
    )


def _charts_section(index: ScenarioIndex, figures: Figures, lang: Lang) -> str:
    by_category, by_town, towns_left = unmet_charts(index, figures, lang)
    reasons = [r for r in UNMET_REASONS if any(u.reason == r for u in figures.unmet)]
    more = (
        f'<p class="note">{esc(t("html.more_towns", lang, count=towns_left))}</p>'
        if towns_left
        else ""
    )
    return (
        f'<section id="charts"><h2>{esc(t("html.charts_title", lang))}</h2>'
        f"{reason_legend(reasons, lang) if reasons else ''}"
        '<div class="charts">'
        f"<div><h3>{esc(t('html.chart_category', lang))}</h3>{by_category}</div>"
        f"<div><h3>{esc(t('html.chart_town', lang))}</h3>{by_town}{more}</div>"
        f"<div><h3>{esc(t('html.chart_funding', lang))}</h3>"
        f"{funding_chart(index, figures, lang)}</div></div></section>"
    )


def _solver_section(plan: Plan, figures: Figures, lang: Lang) -> str:
    """Who solved the plan and how good it is, in plain words; the objective, bound and gap
    for the curious, collapsed."""
    rows = "".join(
        f"<dt>{esc(line.label)}</dt><dd>{esc(line.value)}</dd>"
        for line in headline.solver_lines(plan.solver, lang)
    )
    s = plan.solver
    objective = figures.kpis.get("objective", s.objective)
    technical: dict[str, Any] = {
        "objective": objective,
        "bound": s.bound,
        "gap": s.gap,
        "seed": s.seed,
        "version": s.version,
    }
    terms = mapping(figures.kpis.get("objective_terms"))
    detail = "".join(
        f"<dt>{esc(field_label(k, lang))}</dt><dd>{esc(_technical(v))}</dd>"
        for k, v in {**technical, **terms}.items()
        if v is not None
    )
    return (
        f'<section id="solver"><h2>{esc(heading(t("solver.section", lang), lang))}</h2>'
        f'<dl class="solver">{rows}</dl>'
        f"<details><summary>{esc(t('html.technical', lang))}</summary>"
        f'<p class="note">{esc(t("html.technical_note", lang))}</p>'
        f'<dl class="solver">{detail}</dl></details></section>'
    )


def _technical(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}" if abs(value) < 1 else f"{value:,.1f}"
    return number(value) if isinstance(value, int) else str(value)


def render_html(
    index: ScenarioIndex,
    plan: Plan,
    evaluation: Evaluation | None = None,
    generated: dt.datetime | None = None,
    *,
    lang: str | None = None,
) -> str:
    """The plan's report as one self-contained, printable HTML page (inline CSS, SVG and
    script; no network needed to open it) in ``lang`` (zh or en; by default
    :func:`~matcher.i18n.choose_lang`: ``MATCHER_LANG``, the locale, else Chinese). The plan's
    own KPIs and reports are shown when it has them, else the evaluator's (``evaluation``,
    computed when not given)."""
    chosen = choose_lang(lang)
    figures = gather(index, plan, evaluation)
    when = generated or dt.datetime.now()
    title = index.scenario.name or plan.scenario.name or t("html.scenario", chosen)
    names = Names(index.name_of, chosen)
    # DESIGN §9: a plan with a schedule adds its calendar and route map before the rosters.
    scheduled = has_schedule(plan)
    schedule = (
        schedule_section(index, schedule_view(index, plan, chosen, figures.kpis), chosen)
        if scheduled
        else ""
    )
    nav = "".join(
        f'<a href="#{anchor}">{esc(heading(t(key, chosen), chosen))}</a>'
        for anchor, key in (
            ("summary", "html.nav_summary"),
            ("map", "html.nav_map"),
            ("charts", "html.nav_charts"),
            ("blind-spots", "blind.title"),
            ("duplicate-aid", "dup.title"),
            *((("schedule", "sched.nav"),) if scheduled else ()),
            ("rosters", "html.nav_rosters"),
            ("solver", "solver.section"),
        )
    )
    return "\n".join(
        (
            "<!DOCTYPE html>",
            f'<html lang="{chosen}"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(title)} · {esc(t('html.title_suffix', chosen))}</title>",
            f"<style>{CSS}</style></head><body>",
            _header(index, plan, when, chosen),
            f'<nav class="toc">{nav}</nav><main>',
            _violations_banner(plan, figures, chosen),
            _summary_section(plan, figures, chosen),
            _map_section(index, figures, chosen),
            _charts_section(index, figures, chosen),
            f'<section id="blind-spots"><h2>{esc(t("blind.title", chosen))}</h2>'
            f"{blind_spots_section(figures.blind_spots, names)}</section>",
            f'<section id="duplicate-aid"><h2>{esc(t("dup.title", chosen))}</h2>'
            f"{duplicate_aid_section(figures.duplicate_aid, names, figures.kpis)}</section>",
            *((schedule,) if scheduled else ()),
            # The three lists a township hands out, one township per printed page.
            render_rosters(rosters(index, plan, chosen), chosen),
            _solver_section(plan, figures, chosen),
            f'</main><footer class="page">'
            f"{esc(t('html.footer', chosen, version=__version__, solver=plan.solver.name))}"
            "</footer>",
            f"<script>{JS}</script></body></html>",
        )
    )
