"""The hard rules H1-H8 of DESIGN §4, and H9-H10 of §9 when ``policy.schedule`` is on: one
function per rule, each listing every violation.

Each function reads the indexed scenario, the plan and (where the rule is about totals) the
plan's usage, and returns violations with the ids involved, so a planner can find them. H9 and
H10 live in :mod:`matcher.evaluate.schedule_rules`; with the schedule off they find nothing.
"""

from __future__ import annotations

from collections import Counter

from matcher.evaluate.schedule_rules import h9_visits, h10_routes
from matcher.evaluate.usage import PlanUsage
from matcher.evaluate.violation import Rule, Violation
from matcher.plan import Assignment, DuplicateService, Plan
from matcher.prepare.eligibility import HOURS_TOLERANCE, holds_skill, is_available, pool_admits
from matcher.problem.index import ScenarioIndex


def h1_served_at_most_once(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H1: a need is served at most once; a pinned need exactly by its pinned provider."""
    found: list[Violation] = []
    counts = Counter(a.need for a in plan.assignments)
    for need_id, count in counts.items():
        if need_id not in index.needs:
            found.append(Violation("H1", f"{need_id} is not a need of the scenario", need=need_id))
        elif count > 1:
            found.append(Violation("H1", f"{need_id} is served {count} times", need=need_id))
    for need in index.scenario.needs:
        if need.pinned_provider is None:
            continue
        by = usage.served_by.get(need.id)
        if by is None:
            found.append(
                Violation(
                    "H1",
                    f"{need.id} is pinned to {need.pinned_provider} and not served",
                    need=need.id,
                    provider=need.pinned_provider,
                )
            )
        elif by != need.pinned_provider:
            found.append(
                Violation(
                    "H1",
                    f"{need.id} is pinned to {need.pinned_provider} but served by {by}",
                    need=need.id,
                    provider=by,
                )
            )
    return found


def h2_skill_and_level(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H2: the provider holds the need's skill at a level at least the need's level."""
    found: list[Violation] = []
    for a in plan.assignments:
        need, provider = index.needs.get(a.need), index.provider(a.provider)
        if provider is None:
            found.append(
                Violation("H2", f"{a.provider} is not a cadre or organisation", a.need, a.provider)
            )
        elif need is not None and not holds_skill(provider, need):
            held = provider.skills.get(need.required_skill, 0)
            what = f"level {held}" if held else f"no {need.required_skill.value}"
            found.append(
                Violation(
                    "H2",
                    f"{a.need} by {a.provider}: needs {need.required_skill.value} "
                    f"level {need.level}, has {what}",
                    a.need,
                    a.provider,
                    need.village,
                )
            )
    return found


def h3_travel_and_area(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H3: within the provider's travel limit, in its towns, and the village reachable."""
    found: list[Violation] = []
    for a in plan.assignments:
        need, provider = index.needs.get(a.need), index.provider(a.provider)
        if need is None or provider is None or index.can_reach(provider, need.village):
            continue
        minutes = index.minutes(provider, need.village)
        found.append(
            Violation(
                "H3",
                f"{a.need} by {a.provider}: village {need.village} is "
                + (
                    "unreachable"
                    if minutes == float("inf")
                    else f"{minutes:g} min away (limit {provider.max_travel_minutes:g})"
                    if minutes > provider.max_travel_minutes
                    else "outside the organisation's towns"
                ),
                a.need,
                a.provider,
                need.village,
            )
        )
    return found


def h4_hours(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H4: a provider's service and pairing hours fit its budget; unavailable cadres do nothing.

    The hours are the usage's (:func:`matcher.evaluate.usage.plan_usage`): with the schedule on,
    the sum of the provider's route durations recomputed from the scenario."""
    found: list[Violation] = []
    busy = {a.provider for a in plan.assignments} | {p.cadre for p in plan.pairings}
    if usage.routes is not None:
        busy |= {r.route.provider for r in usage.routes.routes if r.route.stops}
    for provider_id in sorted(busy):
        provider = index.provider(provider_id)
        if provider is not None and not is_available(provider):
            found.append(
                Violation("H4", f"{provider_id} is unavailable but has work", provider=provider_id)
            )
    for provider_id, hours in sorted(usage.provider_hours.items()):
        provider = index.provider(provider_id)
        if provider is not None and hours > provider.hours + HOURS_TOLERANCE:
            found.append(
                Violation(
                    "H4",
                    f"{provider_id} needs {hours:.2f} h > its {provider.hours:g} h"
                    + (" (its routes)" if usage.routes is not None else ""),
                    provider=provider_id,
                )
            )
    return found


def h5_funding(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H5: costs funded in full, in whole yuan, by admitting pools within their limits."""
    found: list[Violation] = []
    services: list[Assignment | DuplicateService] = [*plan.assignments, *plan.duplicate_services]
    for a in services:
        need = index.needs.get(a.need)
        if need is None:
            continue
        village = index.villages[need.village]
        paid = sum(line.amount for line in a.funding)
        if paid != need.cost:
            found.append(
                Violation(
                    "H5", f"{a.need} costs {need.cost} yuan, funded {paid}", a.need, pool=None
                )
            )
        per_pool: Counter[str] = Counter()
        for line in a.funding:
            per_pool[line.pool] += line.amount
            pool = index.pools.get(line.pool)
            if pool is None:
                found.append(Violation("H5", f"{a.need} paid by unknown pool {line.pool}", a.need))
            elif line.amount <= 0:
                found.append(
                    Violation(
                        "H5", f"{a.need}: {line.pool} pays {line.amount}", a.need, pool=line.pool
                    )
                )
            elif not pool_admits(pool, need, village):
                found.append(
                    Violation(
                        "H5",
                        f"{a.need} paid by {line.pool}, which does not admit "
                        f"{need.category.value} in {village.region} village {village.id}",
                        a.need,
                        village=village.id,
                        pool=line.pool,
                    )
                )
        for pool_id, amount in per_pool.items():
            pool = index.pools.get(pool_id)
            if pool is not None and pool.max_per_need is not None and amount > pool.max_per_need:
                found.append(
                    Violation(
                        "H5",
                        f"{a.need}: {pool_id} pays {amount} > its max_per_need {pool.max_per_need}",
                        a.need,
                        pool=pool_id,
                    )
                )
    for pool_id, spent in sorted(usage.pool_spent.items()):
        pool = index.pools.get(pool_id)
        if pool is not None and spent > pool.amount:
            found.append(
                Violation("H5", f"{pool_id} pays {spent} > its amount {pool.amount}", pool=pool_id)
            )
    return found


def h6_village_cap(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H6: the funding of a village's needs in total stays within its cap."""
    found: list[Violation] = []
    for village_id, funded in sorted(usage.village_funded.items()):
        cap = index.village_cap(village_id)
        if funded > cap:
            found.append(
                Violation("H6", f"{village_id} funded {funded} > its cap {cap}", village=village_id)
            )
    return found


def h7_pairings(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H7: only available cadres are paired, within max_villages and travel, each pairing once."""
    found: list[Violation] = []
    listed = Counter((p.cadre, p.village) for p in plan.pairings)
    for (cadre_id, village_id), count in listed.items():
        cadre = index.cadres.get(cadre_id)
        if count > 1:
            found.append(
                Violation(
                    "H7",
                    f"{cadre_id}-{village_id} pairing is listed {count} times",
                    provider=cadre_id,
                    village=village_id,
                )
            )
        if cadre is None:
            found.append(
                Violation(
                    "H7",
                    f"{cadre_id} is not a cadre and cannot be paired",
                    provider=cadre_id,
                    village=village_id,
                )
            )
        elif village_id not in index.villages:
            found.append(Violation("H7", f"{village_id} is not a village", provider=cadre_id))
        elif not index.can_reach(cadre, village_id):
            minutes = index.minutes(cadre, village_id)
            found.append(
                Violation(
                    "H7",
                    f"{cadre_id}-{village_id} pairing: {minutes:g} min > "
                    f"{cadre.max_travel_minutes:g}",
                    provider=cadre_id,
                    village=village_id,
                )
            )
    for cadre_id, count in sorted(usage.pairings_of_cadre.items()):
        cadre = index.cadres[cadre_id]
        if count > cadre.max_villages:
            found.append(
                Violation(
                    "H7",
                    f"{cadre_id} has {count} pairings > max_villages {cadre.max_villages}",
                    provider=cadre_id,
                )
            )
    return found


def h8_no_repeat_aid(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """H8: a need that recent aid of the same household and category covers is not served."""
    found: list[Violation] = []
    for a in plan.assignments:
        records = index.blocked.get(a.need)
        if records:
            first = records[0]
            found.append(
                Violation(
                    "H8",
                    f"{a.need} repeats recent aid: {first.category.value} by {first.provider} "
                    f"on {first.date.isoformat()}",
                    a.need,
                    a.provider,
                    first.village,
                )
            )
    return found


RULES: dict[str, tuple[str, Rule]] = {
    "H1": ("a need is served at most once; pinned needs by their provider", h1_served_at_most_once),
    "H2": ("the provider holds the skill at the level", h2_skill_and_level),
    "H3": ("within travel limit, area and reach", h3_travel_and_area),
    "H4": ("provider hours within budget", h4_hours),
    "H5": ("costs funded in full by admitting pools within limits", h5_funding),
    "H6": ("village funding within its cap", h6_village_cap),
    "H7": ("pairings by available cadres within limits, once each", h7_pairings),
    "H8": ("no repeat of recent aid", h8_no_repeat_aid),
    "H9": ("visits on distinct working days of the cadre, far enough apart", h9_visits),
    "H10": ("services and visits are stops of routes that fit the day", h10_routes),
}


def check_rules(index: ScenarioIndex, plan: Plan, usage: PlanUsage) -> list[Violation]:
    """Every violation of H1-H10 in a plan, in rule order (H9-H10 only with the schedule
    on)."""
    return [v for _, rule in RULES.values() for v in rule(index, plan, usage)]
