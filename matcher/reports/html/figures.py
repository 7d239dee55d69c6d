"""What the HTML report shows, gathered once: KPIs, unmet needs, both reports, village coverage.

A plan written by ``matcher solve`` already carries its KPIs and reports (perhaps with fields
added later, such as the fixes of blind spots) and those are shown as they are; a bare plan (a
hand-made one, or one from another program) is evaluated here first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TypeVar

from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.evaluate.kpis import Kpis, stored_kpis
from matcher.plan import Plan, Unmet
from matcher.problem.index import ScenarioIndex
from matcher.reports.blind_spots import blind_spots_report
from matcher.reports.duplicate_aid import duplicate_aid_report
from matcher.reports.shapes import BlindSpotsReport, DuplicateAidReport, stored_reports
from matcher.scenario import Village

Section = TypeVar("Section", DuplicateAidReport, BlindSpotsReport)


@dataclass(frozen=True)
class VillageCoverage:
    """How much of one village's needs the plan serves."""

    village: Village
    needs: int
    held_back: int  # by recent aid (H8): not a gap of this plan
    served: int
    value_servable: float
    value_served: float
    pairings: int

    @property
    def servable(self) -> int:
        """Needs the plan could serve (all but those held back)."""
        return self.needs - self.held_back

    @property
    def share(self) -> float | None:
        """Served share of the servable needs; None when the village has none."""
        return self.served / self.servable if self.servable > 0 else None


@dataclass(frozen=True)
class Figures:
    """Everything the page draws."""

    kpis: Kpis
    unmet: tuple[Unmet, ...]
    duplicate_aid: DuplicateAidReport
    blind_spots: BlindSpotsReport
    coverage: dict[str, VillageCoverage]


def _section(section: Section | None) -> Section | None:
    """A report as the plan stores it, if it is a JSON object (a plan file may hold anything)."""
    return section if isinstance(section, dict) else None


def village_coverage(index: ScenarioIndex, plan: Plan) -> dict[str, VillageCoverage]:
    """Needs, held-back needs, served needs and pairings of every village, scenario order."""
    needs: dict[str, int] = defaultdict(int)
    held: dict[str, int] = defaultdict(int)
    value_servable: dict[str, float] = defaultdict(float)
    for need in index.scenario.needs:
        needs[need.village] += 1
        if need.id in index.blocked:
            held[need.village] += 1
        else:
            value_servable[need.village] += index.value(need)
    served: dict[str, int] = defaultdict(int)
    value_served: dict[str, float] = defaultdict(float)
    for need_id in dict.fromkeys(a.need for a in plan.assignments):
        done = index.needs.get(need_id)
        if done is not None and done.village in index.villages:
            served[done.village] += 1
            value_served[done.village] += index.value(done)
    pairings: dict[str, set[str]] = defaultdict(set)
    for pairing in plan.pairings:
        pairings[pairing.village].add(pairing.cadre)
    return {
        v.id: VillageCoverage(
            village=v,
            needs=needs[v.id],
            held_back=held[v.id],
            served=served[v.id],
            value_servable=value_servable[v.id],
            value_served=value_served[v.id],
            pairings=len(pairings[v.id]),
        )
        for v in index.scenario.villages
    }


def gather(index: ScenarioIndex, plan: Plan, evaluation: Evaluation | None = None) -> Figures:
    """The page's figures: the plan's own KPIs and reports when it has them, else the
    evaluator's (``evaluation`` is computed here when needed and not given)."""
    reports = stored_reports(plan.reports)
    duplicate = _section(reports.get("duplicate_aid"))
    blind = _section(reports.get("blind_spots"))
    # A plan written before the policy figures is evaluated again, so that the page can lead
    # with them.
    has_kpis = "needs_total" in plan.kpis and "policy_figures" in plan.kpis
    if evaluation is None and has_kpis and duplicate is not None and blind is not None:
        return Figures(  # the plan's own figures, as they are
            kpis=stored_kpis(dict(plan.kpis)),
            unmet=tuple(plan.unmet),
            duplicate_aid=duplicate,
            blind_spots=blind,
            coverage=village_coverage(index, plan),
        )
    if evaluation is None:
        evaluation = evaluate(index, plan)
    return Figures(
        kpis=stored_kpis({**plan.kpis, **evaluation.kpis}),
        unmet=tuple(evaluation.unmet),
        duplicate_aid=duplicate if duplicate is not None else duplicate_aid_report(index, plan),
        blind_spots=blind if blind is not None else blind_spots_report(index, plan, evaluation),
        coverage=village_coverage(index, plan),
    )
