"""Key figures of a plan, as planners and the policy targets of DESIGN §1 read them."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any, NotRequired, cast

import numpy as np

# typing_extensions' TypedDict: pydantic reads no other before Python 3.12 (the API documents
# the KPIs' response schema from it).
from typing_extensions import TypedDict

from matcher.evaluate.objective import ObjectiveTerms, served_value_by_village
from matcher.evaluate.policy import OnTime, PolicyFigure, policy_figures
from matcher.evaluate.schedule_kpis import ScheduleKpis, schedule_kpis
from matcher.evaluate.usage import PlanUsage, service_hours
from matcher.plan import Plan, Unmet
from matcher.problem.index import ScenarioIndex
from matcher.scenario import REGIONS, Organization


class PoolFunding(TypedDict):
    """One budget pool's money: its amount, what the plan uses and what is left (yuan)."""

    amount: int
    used: int
    left: int


class Kpis(TypedDict):
    """Every KPI of a plan, from the evaluator's own figures (``violations``: the evaluator's
    count of hard-rule violations, added after the others)."""

    objective: float
    objective_terms: dict[str, float]  # the objective's terms and their total
    needs_total: int
    needs_servable: int
    needs_served: int
    needs_served_share: float
    needs_held_back_by_recent_aid: int
    value_served: float
    value_servable: float
    value_served_share: float
    needs_served_by_region: dict[str, float]  # by region class: east, central, west
    value_served_by_region: dict[str, float]
    households_total: int
    households_reached: int
    households_reached_share: float
    villages_total: int
    villages_with_min_cadres: int
    villages_with_min_cadres_share: float
    unreachable_villages: int
    pairings: int
    social_share_of_served_hours: float
    social_share_target: float
    providers_used: int
    organizations_used: int
    service_hours: float
    travel_hours: float
    pairing_travel_hours: float
    funding_used: int
    funding_total: int
    funding_by_pool: dict[str, PoolFunding]
    village_funding_gini: float
    min_village_value_share: float
    min_reachable_village_value_share: float
    reachable_villages_below_30pct_value: int
    reachable_villages_below_fairness_floor: int
    duplicates_in_plan: int
    duplicate_service_hours: float
    duplicate_service_yuan: int
    unmet_by_reason: dict[str, int]  # zero counts left out
    organization_kinds: list[str]
    policy_figures: NotRequired[list[PolicyFigure]]  # first on every surface; older plans lack it
    violations: NotRequired[int]  # set by evaluate(), not by compute_kpis()
    # DESIGN §9, only with policy.schedule on (matcher.evaluate.schedule_kpis.ScheduleKpis).
    on_time_share: NotRequired[float]
    late_needs: NotRequired[int]
    response_working_days_median: NotRequired[float]
    response_working_days_p90: NotRequired[float]
    needs_open_past_due: NotRequired[int]
    routes: NotRequired[int]
    route_travel_hours: NotRequired[float]
    route_hours_saved: NotRequired[float]


def stored_kpis(kpis: Mapping[str, Any]) -> Kpis:
    """A plan file's ``kpis`` (:attr:`matcher.plan.Plan.kpis`, or the ``kpis`` of a plan's
    JSON) as :class:`Kpis`.

    Unchecked, on purpose: ``Plan.kpis`` stays free-form so that any plan file reads as it is,
    whoever wrote it; a KPI may be missing, or one added that :class:`Kpis` does not name.
    Whoever reads through this keeps tolerating that.
    """
    return cast(Kpis, kpis)


def served_by_region(index: ScenarioIndex, served: set[str]) -> dict[str, dict[str, float]]:
    """Needs served and their value by the village's region class (east, central, west): what
    the regional tilt of the policy moves."""
    needs: dict[str, float] = {r: 0 for r in REGIONS}
    value: dict[str, float] = {r: 0.0 for r in REGIONS}
    for need_id in served:
        need = index.needs[need_id]
        region = index.villages[need.village].region
        needs[region] += 1
        value[region] += index.value(need)
    return {"needs": needs, "value": value}


def gini(values: list[float]) -> float:
    """The Gini coefficient of non-negative values (0 = equal, towards 1 = concentrated)."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    if len(x) == 0 or x.sum() <= 0:
        return 0.0
    n = len(x)
    ranks = np.arange(1, n + 1)
    return float((2 * (ranks * x).sum()) / (n * x.sum()) - (n + 1) / n)


def _share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


def households_reached(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> int:
    """Households of paired villages, plus households with a served need elsewhere."""
    paired = {v for v, n in usage.pairings_of_village.items() if n > 0}
    reached = sum(v.households for v in index.scenario.villages if v.id in paired)
    extra = {
        need.household
        for a in plan.assignments
        if (need := index.needs.get(a.need)) is not None
        and need.household is not None
        and need.village not in paired
    }
    return reached + len(extra)


def plan_duplicates(index: ScenarioIndex, plan: Plan) -> int:
    """(household or village, category) pairs the plan serves by more than one provider.

    Only possible when a household submitted the same category twice (two needs); H1 keeps
    each single need to one provider.
    """
    providers: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for a in plan.assignments:
        need = index.needs.get(a.need)
        if need is not None:
            providers[(need.household or "", need.village, need.category.value)].add(a.provider)
    return sum(1 for who in providers.values() if len(who) > 1)


def _on_time(timed: ScheduleKpis, served: int) -> OnTime:
    """The on-time policy figure's parts: the share, the needs on time and the late ones."""
    share = timed["on_time_share"]
    return OnTime(share=share, on_time=round(share * served), late=timed["late_needs"])


def compute_kpis(
    index: ScenarioIndex,
    plan: Plan,
    usage: PlanUsage,
    terms: ObjectiveTerms,
    unmet: list[Unmet],
) -> Kpis:
    """Every KPI of a plan, from the evaluator's own figures."""
    s = index.scenario
    served_ids = {a.need for a in plan.assignments if a.need in index.needs}
    servable = [n for n in s.needs if n.id not in index.blocked]
    value_servable = sum(index.value(n) for n in servable)
    value_served = terms.value
    households_total = sum(v.households for v in s.villages)
    reached = households_reached(index, plan, usage)
    min_cadres = s.policy.min_cadres_per_village
    enough = sum(1 for v in s.villages if usage.pairings_of_village.get(v.id, 0) >= min_cadres)
    hours_by_provider: dict[str, float] = defaultdict(float)
    for a in plan.assignments:
        hours_by_provider[a.provider] += service_hours(index, a)
    social = sum(h for p, h in hours_by_provider.items() if p in index.organizations)
    service_total = sum(hours_by_provider.values())
    served_by_village = served_value_by_village(index, plan)
    shares = [
        served_by_village[v] / total
        for v, total in index.village_servable_value.items()
        if total > 0
    ]
    # Villages no road reaches are at 0 whatever the plan does; the fairness floor's effect
    # shows among the others.
    reachable_shares = [
        served_by_village[v] / total
        for v, total in index.village_servable_value.items()
        if total > 0 and index.village_reachable.get(v, True)
    ]
    floor = s.policy.fairness_floor_share
    pools: dict[str, PoolFunding] = {
        p.id: {
            "amount": p.amount,
            "used": usage.pool_spent.get(p.id, 0),
            "left": p.amount - usage.pool_spent.get(p.id, 0),
        }
        for p in s.pools
    }
    providers_used = {a.provider for a in plan.assignments}
    travel_pairing = sum(
        s.policy.visits_per_pairing * hours
        for p in sorted({(p.cadre, p.village) for p in plan.pairings})  # same sum everywhere
        if (c := index.cadres.get(p[0])) is not None
        and (hours := index.travel_hours(c, p[1])) != float("inf")
    )
    wasted_hours = sum(service_hours(index, d) for d in plan.duplicate_services)
    wasted_yuan = sum(line.amount for d in plan.duplicate_services for line in d.funding)
    reasons = Counter(u.reason for u in unmet)
    by_region = served_by_region(index, served_ids)
    unmet_by_reason: dict[str, int] = {r: reasons.get(r, 0) for r in sorted(reasons)}
    timed = schedule_kpis(index, plan, usage.routes, unmet) if usage.routes is not None else None
    kpis: Kpis = {
        "objective": terms.total,
        "objective_terms": terms.to_dict(),
        "needs_total": len(s.needs),
        "needs_servable": len(servable),
        "needs_served": len(served_ids),
        "needs_served_share": _share(len(served_ids), len(s.needs)),
        "needs_held_back_by_recent_aid": len(index.blocked),
        "value_served": value_served,
        "value_servable": value_servable,
        "value_served_share": _share(value_served, value_servable),
        "needs_served_by_region": by_region["needs"],
        "value_served_by_region": by_region["value"],
        "households_total": households_total,
        "households_reached": reached,
        "households_reached_share": _share(reached, households_total),
        "villages_total": len(s.villages),
        "villages_with_min_cadres": enough,
        "villages_with_min_cadres_share": _share(enough, len(s.villages)),
        "unreachable_villages": sum(1 for r in index.village_reachable.values() if not r),
        "pairings": len({(p.cadre, p.village) for p in plan.pairings}),
        "social_share_of_served_hours": _share(social, service_total),
        "social_share_target": s.policy.social_share_target,
        "providers_used": len(providers_used),
        "organizations_used": len(providers_used & set(index.organizations)),
        "service_hours": service_total,
        "travel_hours": terms.travel_penalty / s.policy.travel_penalty_per_hour
        if s.policy.travel_penalty_per_hour > 0
        else usage.routes.travel_hours
        if usage.routes is not None
        else sum(
            index.travel_hours(p, n.village)
            for a in plan.assignments
            if (p := index.provider(a.provider)) is not None
            and (n := index.needs.get(a.need)) is not None
        ),
        "pairing_travel_hours": travel_pairing,
        "funding_used": sum(usage.pool_spent.values()),
        "funding_total": sum(p.amount for p in s.pools),
        "funding_by_pool": pools,
        "village_funding_gini": gini(
            [float(usage.village_funded.get(v.id, 0)) for v in s.villages]
        ),
        "min_village_value_share": min(shares) if shares else 1.0,
        "min_reachable_village_value_share": min(reachable_shares) if reachable_shares else 1.0,
        "reachable_villages_below_30pct_value": sum(1 for x in reachable_shares if x < 0.3),
        "reachable_villages_below_fairness_floor": sum(1 for x in reachable_shares if x < floor),
        "duplicates_in_plan": plan_duplicates(index, plan) + len(plan.duplicate_services),
        "duplicate_service_hours": wasted_hours,
        "duplicate_service_yuan": wasted_yuan,
        "unmet_by_reason": unmet_by_reason,
        "organization_kinds": sorted(
            {p.kind for p in index.organizations.values() if isinstance(p, Organization)}
        ),
        "policy_figures": policy_figures(
            index,
            usage,
            households_reached_share=_share(reached, households_total),
            villages_with_min_cadres_share=_share(enough, len(s.villages)),
            social_share=_share(social, service_total),
            unmet_by_reason=unmet_by_reason,
            on_time=None if timed is None else _on_time(timed, len(served_ids)),
        ),
    }
    if timed is not None:
        kpis["on_time_share"] = timed["on_time_share"]
        kpis["late_needs"] = timed["late_needs"]
        kpis["response_working_days_median"] = timed["response_working_days_median"]
        kpis["response_working_days_p90"] = timed["response_working_days_p90"]
        kpis["needs_open_past_due"] = timed["needs_open_past_due"]
        kpis["routes"] = timed["routes"]
        kpis["route_travel_hours"] = timed["route_travel_hours"]
        kpis["route_hours_saved"] = timed["route_hours_saved"]
    return kpis
