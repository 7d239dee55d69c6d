"""The evaluator: for any scenario and plan, every H1-H8 violation (H9-H10 too when
``policy.schedule`` is on), the objective and the KPIs.

One function, :func:`evaluate`, used by the CLI, the API, benchmarks and tests alike; a solver's
own figures are never reported in its place.
"""

from __future__ import annotations

from dataclasses import dataclass

from matcher.evaluate.kpis import Kpis, compute_kpis
from matcher.evaluate.objective import ObjectiveTerms, objective_terms
from matcher.evaluate.rules import check_rules
from matcher.evaluate.unmet import unmet_needs
from matcher.evaluate.usage import PlanUsage, plan_usage
from matcher.evaluate.violation import Violation
from matcher.plan import Plan, Unmet
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Scenario


@dataclass(frozen=True)
class Evaluation:
    """What the evaluator found: violations, objective terms, unmet reasons, KPIs."""

    violations: tuple[Violation, ...]
    terms: ObjectiveTerms
    unmet: tuple[Unmet, ...]
    kpis: Kpis
    usage: PlanUsage

    @property
    def objective(self) -> float:
        """The objective of DESIGN §5."""
        return self.terms.total

    @property
    def feasible(self) -> bool:
        """True when the plan keeps every hard rule."""
        return not self.violations


def evaluate(scenario: Scenario | ScenarioIndex, plan: Plan) -> Evaluation:
    """Check H1-H8 (and H9-H10 with the schedule on), compute the objective, the reason of
    every open need and the KPIs."""
    index = scenario if isinstance(scenario, ScenarioIndex) else ScenarioIndex.build(scenario)
    usage = plan_usage(index, plan)
    violations = check_rules(index, plan, usage)
    terms = objective_terms(index, plan, usage)
    unmet = unmet_needs(index, plan, usage)
    kpis = compute_kpis(index, plan, usage, terms, unmet)
    kpis["violations"] = len(violations)
    return Evaluation(tuple(violations), terms, tuple(unmet), kpis, usage)
