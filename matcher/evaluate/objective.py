"""The objective of DESIGN §5, term by term, for any plan.

This is the one place the objective is computed; every solver, benchmark, the CLI and the API
report this figure, never a solver's own claim.

With ``policy.schedule`` on (DESIGN §9) two things change and nothing else: the travel term is
``travel_penalty_per_hour`` × the travel of all routes, timed from the scenario (stops combined
on a route share their travel; a served need no route of its provider carries, already an H10
violation, is charged its own travel as without the schedule), and each served need costs
``late_penalty_per_day × late(n)``, counted from the assignment's ``date``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from matcher.evaluate.timing import calendar_of, on_own_route, service_day
from matcher.evaluate.usage import PlanUsage
from matcher.plan import Plan
from matcher.prepare.eligibility import travel_hours
from matcher.problem.index import ScenarioIndex
from matcher.schedule.calendar import late


@dataclass(frozen=True)
class ObjectiveTerms:
    """The objective and its terms (penalties as positive amounts subtracted)."""

    value: float
    travel_penalty: float
    pairing_shortfall_penalty: float
    pairing_change_penalty: float
    fairness_penalty: float
    late_penalty: float = 0.0  # DESIGN §9: 0 with the schedule off

    @property
    def total(self) -> float:
        """The objective: value less every penalty."""
        return (
            self.value
            - self.travel_penalty
            - self.pairing_shortfall_penalty
            - self.pairing_change_penalty
            - self.fairness_penalty
            - self.late_penalty
        )

    def to_dict(self) -> dict[str, float]:
        """Terms and total as plain data."""
        return {**asdict(self), "total": self.total}


def served_value_by_village(index: ScenarioIndex, plan: Plan) -> dict[str, float]:
    """served_value(v): the value of each village's served needs (each need counted once)."""
    served = {v: 0.0 for v in index.villages}
    for need_id in {a.need for a in plan.assignments}:
        need = index.needs.get(need_id)
        if need is not None:
            served[need.village] += index.value(need)
    return served


def objective_terms(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> ObjectiveTerms:
    """Compute every term of the objective for a plan."""
    policy = index.scenario.policy
    routes = usage.routes
    value = travel = lateness = 0.0
    if routes is not None:
        travel = policy.travel_penalty_per_hour * routes.travel_hours
    seen: set[str] = set()
    for a in plan.assignments:
        need, provider = index.needs.get(a.need), index.provider(a.provider)
        if need is None or a.need in seen:
            continue
        seen.add(a.need)
        value += index.value(need)
        if routes is not None:
            day = service_day(a.date, calendar_of(index))
            if day is not None:
                lateness += late(need, day, calendar_of(index), policy)
            if on_own_route(routes, a.need, a.provider):
                continue  # its travel is its route's
        hours = index.travel_hours(provider, need.village) if provider else float("inf")
        if hours == float("inf"):
            # Unreachable (an H3 violation): charge the travel the plan itself states.
            hours = travel_hours(a.travel_minutes or 0.0, policy)
        travel += policy.travel_penalty_per_hour * hours
    shortfall = sum(
        max(0, policy.min_cadres_per_village - usage.pairings_of_village.get(v, 0))
        for v in index.villages
    )
    kept = {(p.cadre, p.village) for p in plan.pairings}
    not_kept = sum(
        1
        for cadre in index.scenario.cadres
        for village in set(cadre.paired_villages)
        if (cadre.id, village) not in kept
    )
    fairness = 0.0
    if policy.fairness_weight > 0:
        served = served_value_by_village(index, plan)
        fairness = policy.fairness_weight * sum(
            max(0.0, policy.fairness_floor_share * total - served[v])
            for v, total in index.village_servable_value.items()
        )
    return ObjectiveTerms(
        value=value,
        travel_penalty=travel,
        pairing_shortfall_penalty=policy.pairing_shortfall_penalty * shortfall,
        pairing_change_penalty=policy.pairing_change_penalty * not_kept,
        fairness_penalty=fairness,
        late_penalty=policy.late_penalty_per_day * lateness,
    )
