"""What every surface shows first, in the reader's language: the policy figures against their
targets, the solver's result in plain words, the other figures a planner asks for, and the one
duplicate-aid story (what the ledgers already paid twice, what this plan avoided, what this
plan itself spends twice).

The command line's summary and ``matcher compare``, the text report and the HTML page all take
their rows from here, so that one figure has one value and one wording on every surface. Only
plain data is read (a plan's ``kpis`` and ``solver``, the duplicate-aid report as stored), and
older plans that lack a figure are tolerated: the figure is left out, never invented.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, cast, get_args

from matcher.evaluate.policy import (
    REGIONAL_TILT,
    WORK_FUNDS_PER_VILLAGE_YEAR,
    FigureKey,
    PolicyFigure,
    ScheduleFigureKey,
)
from matcher.i18n import Lang, label, t
from matcher.i18n.codes import DEPARTMENT
from matcher.plan import UNMET_REASONS, SolverInfo

NameOf = Callable[[str], str | None]
"""A scenario's names by id (:meth:`matcher.problem.index.ScenarioIndex.name_of`)."""

FIGURE_KEYS: tuple[str, ...] = get_args(FigureKey)
"""The figures every plan has, in order."""
SHOWN_KEYS: frozenset[str] = frozenset((*FIGURE_KEYS, *get_args(ScheduleFigureKey)))
"""Every figure shown: those and the figures of a plan with days (DESIGN §9)."""
DASH = "-"


# --- plain formats ----------------------------------------------------------------------


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def count(value: Any) -> str:
    """A whole number with thousands separators (a dash when missing)."""
    found = _number(value)
    return DASH if found is None else f"{round(found):,}"


def money(value: Any) -> str:
    """Whole yuan with thousands separators."""
    return count(value)


def hours(value: Any) -> str:
    """Hours to one decimal."""
    found = _number(value)
    return DASH if found is None else f"{found:,.1f}"


def percent(share: Any, digits: int = 1) -> str:
    """A share (0..1) as a percentage."""
    found = _number(share)
    return DASH if found is None else f"{100 * found:.{digits}f}%"


def _round_percent(share: float) -> str:
    """A target share: "90%" when whole, else one decimal ("81.0%")."""
    value = 100 * share
    return f"{value:.0f}%" if abs(value - round(value)) < 1e-9 else f"{value:.1f}%"


def named(item_id: Any, names: NameOf | None = None) -> str:
    """An id with its name beside it, ``东坡村 (V1)``, when the scenario names it; else the id.

    People know villages and cadres by name, files by id: both are shown so that either finds
    the row."""
    text = "" if item_id is None else str(item_id)
    if not text:
        return DASH
    name = names(text) if names is not None else None
    return f"{name} ({text})" if name and name != text else text


def who(provider: Any, lang: Lang, names: NameOf | None = None) -> str:
    """A provider or a silo as people know it: a named cadre or organisation by its name and
    id, a department by its label (民政局), any other team name as written in the ledger."""
    text = "" if provider is None else str(provider)
    if names is not None and names(text):
        return named(text, names)
    if text in DEPARTMENT:
        return label("department", text, lang)
    return text or DASH


def category(code: Any, lang: Lang) -> str:
    """A need category's label (the code itself when unknown)."""
    return label("category", str(code), lang) if code else DASH


def reason(code: Any, lang: Lang) -> str:
    """An unmet reason's label."""
    return label("unmet_reason", str(code), lang) if code else DASH


def reasons(counts: Mapping[str, Any], lang: Lang, sep: str | None = None) -> str:
    """Counts by unmet reason, labelled, most structural first (zero counts left out)."""
    order = [*UNMET_REASONS, *(r for r in counts if r not in UNMET_REASONS)]
    parts = [f"{reason(r, lang)} {count(counts[r])}" for r in order if counts.get(r)]
    return (sep if sep is not None else t("list.sep", lang)).join(parts) or DASH


# --- one line of a summary --------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of a summary: a stable key (the KPI's or figure's), its label and value in the
    reader's language, the target and whether it is met (policy figures), and a plain
    sentence of what the value is made of."""

    key: str
    label: str
    value: str
    target: str = ""
    status: str = ""
    met: bool | None = None
    detail: str = ""


# --- the policy figures -----------------------------------------------------------------


def policy_figures(kpis: Mapping[str, Any]) -> list[PolicyFigure]:
    """The plan's policy figures in their order (none for a plan written before them)."""
    found = kpis.get("policy_figures")
    if not isinstance(found, list):
        return []
    return [
        cast(PolicyFigure, f) for f in found if isinstance(f, dict) and f.get("key") in SHOWN_KEYS
    ]


def figure_label(key: str, lang: Lang) -> str:
    """A policy figure's name."""
    return t(f"policy.{key}", lang)


def figure_value(figure: Mapping[str, Any]) -> str:
    """A policy figure's value by its unit: a percentage, whole yuan or a count."""
    value = figure.get("value")
    unit = figure.get("unit")
    if unit == "share":
        return percent(value)
    return count(value)


def figure_target(figure: Mapping[str, Any]) -> str:
    """The target as "≥ 90%" (empty when the policy sets none)."""
    target = _number(figure.get("target"))
    if target is None:
        return ""
    shown = _round_percent(target) if figure.get("unit") == "share" else count(target)
    return f"≥ {shown}"


def met_word(met: Any, lang: Lang) -> str:
    """达标 / 未达标 (empty without a target)."""
    if met is None:
        return ""
    return t("policy.meets" if met else "policy.short", lang)


def figure_detail(figure: Mapping[str, Any], kpis: Mapping[str, Any], lang: Lang) -> str:
    """A plain sentence of what the figure is made of, from the plan's own KPIs."""
    key = figure.get("key")
    parts = figure.get("detail") if isinstance(figure.get("detail"), dict) else {}
    assert isinstance(parts, dict)
    if key == "households_reached":
        return t(
            "detail.households_reached",
            lang,
            reached=count(kpis.get("households_reached")),
            total=count(kpis.get("households_total")),
        )
    if key == "villages_with_min_cadres":
        return t(
            "detail.villages_with_min_cadres",
            lang,
            villages=count(kpis.get("villages_with_min_cadres")),
            total=count(kpis.get("villages_total")),
        )
    if key == "social_share":
        return t("detail.social_share", lang)
    if key == "funds_per_village":
        return t(
            "detail.funds_per_village",
            lang,
            used=money(kpis.get("funding_used")),
            villages=count(kpis.get("villages_total")),
            per_year=money(WORK_FUNDS_PER_VILLAGE_YEAR),
        )
    if key == "central_west_money":
        return t("detail.central_west_money", lang, tilt=f"{REGIONAL_TILT:g}")
    if key == "duplicate_aid_avoided":
        return t(
            "detail.duplicate_aid_avoided",
            lang,
            held=count(parts.get("held_back_by_recent_aid", 0)),
            merged=count(parts.get("duplicate_submissions_merged", 0)),
        )
    if key == "needs_unmet":
        return reasons(parts, lang)
    if key == "response_on_time":
        return t(
            "detail.response_on_time",
            lang,
            on_time=count(parts.get("on_time")),
            late=count(parts.get("late")),
            days=count(parts.get("days", 3)),
        )
    return ""


def policy_lines(kpis: Mapping[str, Any], lang: Lang) -> list[Line]:
    """The policy figures as summary lines, in the evaluator's order."""
    return [
        Line(
            key=f"policy.{f['key']}",
            label=figure_label(f["key"], lang),
            value=figure_value(f),
            target=figure_target(f),
            status=met_word(f.get("met"), lang),
            met=f.get("met"),
            detail=figure_detail(f, kpis, lang),
        )
        for f in policy_figures(kpis)
    ]


# --- the solver, in plain words ---------------------------------------------------------


def _gap_percent(gap: float) -> str:
    """A gap rounded up to 0.1% ("within" must stay true)."""
    tenths = math.ceil(1000 * gap - 1e-9)
    return f"{max(tenths, 1) / 10:.1f}%"


def quality(solver: SolverInfo, lang: Lang) -> str:
    """How far the plan may be from the best possible one: proven optimal, "within X% of the
    best possible plan" (from the proven bound), or no bound."""
    if solver.status == "optimal":
        return t("solver.proven", lang)
    gap = _number(solver.gap)
    if solver.bound is None or gap is None:
        return t("solver.no_bound", lang)
    if gap <= 1e-9:
        return t("solver.proven", lang)
    return t("solver.within", lang, gap=_gap_percent(gap))


def solver_note(solver: SolverInfo) -> str:
    """The solver's own note on how it ended (free text from the solver), or empty."""
    reason_text = (solver.stats or {}).get("reason")
    return str(reason_text) if reason_text else ""


def solver_lines(solver: SolverInfo, lang: Lang) -> list[Line]:
    """The solver's section: who solved it and its status, how good the plan is in plain
    words, the seconds and the solver's note."""
    lines = [
        Line(
            "solver",
            t("solver.name_status", lang),
            f"{solver.name} / {label('plan_status', solver.status, lang)}",
        ),
        Line("quality", t("solver.quality", lang), quality(solver, lang)),
        Line("seconds", t("solver.seconds", lang), hours(solver.seconds)),
    ]
    note = solver_note(solver)
    if note:
        lines.append(Line("note", t("solver.note", lang), note))
    return lines


# --- the other figures ------------------------------------------------------------------


def other_lines(kpis: Mapping[str, Any], lang: Lang) -> list[Line]:
    """The other figures that matter to a planner (the raw penalties and the Gini stay in the
    plan file): needs served of the total, value served, villages no road reaches, service
    travel hours, money used, open needs by reason and rule violations."""
    lines: list[Line] = []
    served, total = kpis.get("needs_served"), kpis.get("needs_total")
    if _number(served) is not None and _number(total) is not None:
        lines.append(
            Line(
                "needs_served",
                t("other.needs_served", lang),
                t(
                    "other.part_of_whole",
                    lang,
                    part=count(served),
                    whole=count(total),
                    share=percent(kpis.get("needs_served_share")),
                ),
            )
        )
    if "value_served_share" in kpis:
        lines.append(
            Line(
                "value_served_share",
                t("kpi.value_served_share", lang),
                percent(kpis.get("value_served_share")),
            )
        )
    if "unreachable_villages" in kpis:
        lines.append(
            Line(
                "unreachable_villages",
                t("kpi.unreachable_villages", lang),
                count(kpis.get("unreachable_villages")),
            )
        )
    if "travel_hours" in kpis:
        lines.append(
            Line("travel_hours", t("kpi.travel_hours", lang), hours(kpis.get("travel_hours")))
        )
    lines.extend(_schedule_lines(kpis, lang))
    used, funds = _number(kpis.get("funding_used")), _number(kpis.get("funding_total"))
    if used is not None:
        lines.append(
            Line(
                "funding_used",
                t("other.money_used", lang),
                t(
                    "other.money_of_total",
                    lang,
                    used=money(used),
                    total=money(funds),
                    share=percent(used / funds if funds else None),
                ),
            )
        )
    by_reason = kpis.get("unmet_by_reason")
    if isinstance(by_reason, Mapping):
        lines.append(
            Line("unmet_by_reason", t("kpi.unmet_by_reason", lang), reasons(by_reason, lang, "\n"))
        )
    if "violations" in kpis:
        lines.append(Line("violations", t("kpi.violations", lang), count(kpis.get("violations"))))
    return lines


def _schedule_lines(kpis: Mapping[str, Any], lang: Lang) -> list[Line]:
    """A plan with days (DESIGN §9): response working days, open needs already past due and
    what the routes saved (none for a plan without days)."""
    if "response_working_days_median" not in kpis:
        return []
    median, p90 = kpis.get("response_working_days_median"), kpis.get("response_working_days_p90")
    return [
        Line(
            "response_working_days",
            t("other.response_working_days", lang),
            t("other.median_p90", lang, median=hours(median), p90=hours(p90)),
        ),
        Line(
            "needs_open_past_due",
            t("kpi.needs_open_past_due", lang),
            count(kpis.get("needs_open_past_due")),
        ),
        Line(
            "route_hours_saved",
            t("kpi.route_hours_saved", lang),
            hours(kpis.get("route_hours_saved")),
        ),
    ]


# --- the duplicate-aid story ------------------------------------------------------------


def _get(section: Any, *keys: str) -> Any:
    for key in keys:
        section = section.get(key) if isinstance(section, Mapping) else None
    return section


@dataclass(frozen=True)
class DuplicateStory:
    """One set of duplicate-aid counters for every surface.

    - What the ledgers already paid twice (the report's groups and their waste: money and
      hours beyond each group's first record), and the near-duplicates in related categories,
      which are flagged and never counted as waste.
    - What this plan avoided: the ``duplicate_aid_avoided`` policy figure, needs held back by
      recent aid (H8) and duplicate submissions merged before solving.
    - What this plan itself spends twice: the duplicate services a siloed plan keeps (aid on
      needs already aided or served by another silo) and merged submissions it serves beside
      the kept need; 0 for a joint plan. ``plan_aided_again`` of those services fall on needs
      held back by recent aid: counted as avoided by the policy figure, aided again by this
      plan, and said so beside it. ``related`` counts households or villages with several
      separate needs of one category served by different providers (a village's several
      infrastructure needs): separate needs, not duplicates.
    """

    window_days: int | None
    ledger_groups: int
    ledger_households: int
    ledger_waste_yuan: int
    ledger_waste_hours: float
    ledger_waste_share: float
    near_groups: int
    held_back: int
    merged: int
    plan_services: int
    plan_aided_again: int
    plan_yuan: int
    plan_hours: float
    served_twice: int
    related: int

    @property
    def avoided(self) -> int:
        """Duplicate aid this plan avoided (the policy figure)."""
        return self.held_back + self.merged

    @property
    def spent_twice(self) -> int:
        """Services this plan spends twice."""
        return self.plan_services + self.served_twice


def _int(value: Any) -> int:
    found = _number(value)
    return 0 if found is None else round(found)


def _float(value: Any) -> float:
    found = _number(value)
    return 0.0 if found is None else found


def duplicate_story(kpis: Mapping[str, Any], report: Mapping[str, Any]) -> DuplicateStory:
    """The story's counters from a plan's KPIs and its duplicate-aid report (either may be
    missing parts: a plan file holds what its writer put there)."""
    totals = _get(report, "totals") or {}
    avoided = next(
        (
            f.get("detail") or {}
            for f in policy_figures(kpis)
            if f["key"] == "duplicate_aid_avoided"
        ),
        {},
    )
    held = avoided.get(
        "held_back_by_recent_aid",
        totals.get("held_back_needs", kpis.get("needs_held_back_by_recent_aid", 0)),
    )
    merged = avoided.get("duplicate_submissions_merged", totals.get("needs_merged", 0))
    plan_dup = _get(report, "plan_duplicates", "totals") or {}
    services = _int(plan_dup.get("services", 0))
    aided_again = _int(_get(report, "plan_duplicates", "by_why", "already_aided", "services"))
    yuan = _int(plan_dup.get("yuan", kpis.get("duplicate_service_yuan", 0)))
    spent_hours = _float(plan_dup.get("hours", kpis.get("duplicate_service_hours", 0.0)))
    served = _get(report, "merged_submissions", "served_in_plan")
    twice = (
        [s for s in served if isinstance(s, Mapping) and s.get("served_twice")]
        if isinstance(served, list)
        else []
    )
    # The KPI counts (household or village, category) keys served by several providers plus
    # the duplicate services; what is neither a duplicate service nor a merged submission
    # served twice is separate needs of one key.
    related = _int(kpis.get("duplicates_in_plan", 0)) - services - len(twice)
    window = _get(report, "window_days")
    return DuplicateStory(
        window_days=window if isinstance(window, int) else None,
        ledger_groups=_int(totals.get("groups", 0)),
        ledger_households=_int(totals.get("households", 0)),
        ledger_waste_yuan=_int(totals.get("waste_yuan", 0)),
        ledger_waste_hours=_float(totals.get("waste_hours", 0.0)),
        ledger_waste_share=_float(totals.get("waste_share_of_ledger_yuan", 0.0)),
        near_groups=_int(totals.get("near_duplicate_groups", 0)),
        held_back=_int(held),
        merged=_int(merged),
        plan_services=services,
        plan_aided_again=aided_again,
        plan_yuan=yuan + sum(_int(s.get("yuan")) for s in twice),
        plan_hours=spent_hours + sum(_float(s.get("hours")) for s in twice),
        served_twice=len(twice),
        related=max(0, related),
    )


def story_lines(story: DuplicateStory, lang: Lang) -> list[Line]:
    """The story in three lines: paid twice in the ledgers, avoided by this plan, spent twice
    by this plan (each with a plain note where one helps)."""
    if story.ledger_groups:
        ledgers = t(
            "dup.ledgers_value",
            lang,
            groups=count(story.ledger_groups),
            households=count(story.ledger_households),
            yuan=money(story.ledger_waste_yuan),
            hours=hours(story.ledger_waste_hours),
            share=percent(story.ledger_waste_share),
        )
    else:
        ledgers = t("dup.ledgers_none", lang)
    near = t("dup.near", lang, groups=count(story.near_groups)) if story.near_groups else ""
    avoided = t(
        "dup.avoided_value",
        lang,
        count=count(story.avoided),
        held=count(story.held_back),
        merged=count(story.merged),
    )
    if story.plan_aided_again:
        avoided += t("dup.aided_again", lang, count=count(story.plan_aided_again))
    if story.spent_twice:
        spent = t(
            "dup.in_plan_value",
            lang,
            services=count(story.spent_twice),
            yuan=money(story.plan_yuan),
            hours=hours(story.plan_hours),
        )
        if story.served_twice:
            spent += t("dup.served_twice", lang, count=count(story.served_twice))
    else:
        spent = t("dup.in_plan_none", lang)
    related = t("dup.related", lang, count=count(story.related)) if story.related else ""
    return [
        Line("dup.ledgers", t("dup.ledgers", lang), ledgers, detail=near),
        Line("policy.duplicate_aid_avoided", t("dup.avoided", lang), avoided),
        Line("dup.in_plan", t("dup.in_plan", lang), spent, detail=related),
    ]
