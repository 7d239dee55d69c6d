"""The figures the generator is calibrated to, measured on any validated scenario."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.sparse.csgraph import dijkstra

from matcher.generator.capacity import _existing_pairing_hours
from matcher.prepare.eligibility import (
    Provider,
    blocking_records,
    in_area,
    is_available,
    travel_hours,
    within_travel,
)
from matcher.prepare.network import road_matrix, travel_times
from matcher.reports.duplicate_aid import duplicate_groups
from matcher.scenario import Scenario


def ledger_duplication(scenario: Scenario) -> tuple[int, int]:
    """(duplicated yuan, all yuan) of the aid ledgers: the waste the duplicate-aid report
    counts. Its groups (:func:`matcher.reports.duplicate_aid.duplicate_groups`) are runs of one
    household's (or village's) records of one category within ``duplicate_window_days`` that
    involve more than one provider; the money beyond a group's first record is duplication."""
    window = scenario.policy.duplicate_window_days
    groups = duplicate_groups(scenario.aid_records, window)
    wasted = sum(r.cost for _, run in groups for r in run[1:])
    return wasted, sum(r.cost for r in scenario.aid_records)


def calibration_figures(scenario: Scenario) -> dict[str, float]:
    """The figures the generator is calibrated to, measured on any scenario (for tests,
    benchmarks and the README): provider mix, hours, money, H8 hold-backs, ledger duplication."""
    times = travel_times(scenario)
    policy = scenario.policy
    villages = {v.id: v for v in scenario.villages}
    column = {v: i for i, v in enumerate(times.village_ids)}
    nearest = times.minutes.min(axis=0) if len(times.base_ids) else np.full(len(villages), np.inf)
    need_travel = sum(
        travel_hours(float(nearest[column[n.village]]), policy)
        for n in scenario.needs
        if np.isfinite(nearest[column[n.village]])
    )
    available = [c for c in scenario.cadres if c.available]
    pair_minutes = [times.lookup(c.base, v) for c in available for v in c.paired_villages]
    pairing = _existing_pairing_hours(
        [m for m in pair_minutes if math.isfinite(m)],
        int(times.village_reachable.sum()),
        policy,
    )
    supply = sum(c.hours for c in available) + sum(o.hours for o in scenario.organizations)
    need_hours = sum(n.hours for n in scenario.needs)
    need_cost = sum(n.cost for n in scenario.needs)
    touched = {r.from_ for r in scenario.roads or ()} | {r.to for r in scenario.roads or ()}
    wasted, ledger = ledger_duplication(scenario)
    helpers = len(scenario.cadres) + len(scenario.organizations)
    per_household = {
        v.id: (v.left_behind_children or 0) / max(1, v.households) for v in scenario.villages
    }
    ranked = sorted(per_household, key=per_household.__getitem__)
    third = max(1, len(ranked) // 3)

    def child_care_share(ids: Sequence[str]) -> float:
        chosen = set(ids)
        own = [n for n in scenario.needs if n.village in chosen]
        return sum(n.category == "child_care" for n in own) / max(1, len(own))

    return {
        "villages": float(len(villages)),
        "cadres_per_village": len(scenario.cadres) / max(1, len(villages)),
        "social_share": len(scenario.organizations) / max(1, helpers),
        "existing_pairings_per_village": len(pair_minutes) / max(1, len(villages)),
        "unreachable_villages": float(sum(v not in touched for v in villages)),
        "provider_hours": float(supply),
        "pairing_hours": pairing,
        "need_hours": float(need_hours),
        "need_travel_hours": need_travel,
        "capacity_ratio": (supply - pairing) / max(1e-9, need_hours + need_travel),
        "pool_money": float(sum(p.amount for p in scenario.pools)),
        "need_cost": float(need_cost),
        "money_ratio": sum(p.amount for p in scenario.pools) / max(1, need_cost),
        "blocked_share": len(blocking_records(scenario)) / max(1, len(scenario.needs)),
        "ledger_duplication_share": wasted / max(1, ledger),
        "child_care_share_high_lbc": child_care_share(ranked[-third:]),
        "child_care_share_low_lbc": child_care_share(ranked[:third]),
    }


def terrain_figures(scenario: Scenario) -> dict[str, float]:
    """The figures that tell county shapes apart (``--terrain``, scenarios/README.md): travel
    minutes from providers' bases to villages (median and 90th percentile over every provider
    and village it can reach at all, and the median from the seat), the share of needs some
    available provider can reach (holds the skill at the level, works in the village's town,
    within its travel limit), need hours / provider hours, need cost / pool money, villages
    without a road and villages no road joins to the seat."""
    times = travel_times(scenario)
    villages = {v.id: v for v in scenario.villages}
    column = {v: i for i, v in enumerate(times.village_ids)}
    row = {b: i for i, b in enumerate(times.base_ids)}
    everyone: tuple[Provider, ...] = (*scenario.cadres, *scenario.organizations)
    providers = [p for p in everyone if is_available(p)]
    by_provider = times.minutes[[row[p.base] for p in providers]]
    finite = by_provider[np.isfinite(by_provider)]
    seat = next(p.id for p in scenario.places if p.kind == "county_seat")
    index, matrix = road_matrix(scenario)
    from_seat = dijkstra(matrix, directed=False, indices=index[seat])
    seat_minutes = from_seat[[index[v] for v in times.village_ids]]
    reach = np.array(
        [
            [
                within_travel(p, float(m)) and in_area(p, villages[v])
                for v, m in zip(times.village_ids, by_provider[i], strict=True)
            ]
            for i, p in enumerate(providers)
        ]
    ).reshape(len(providers), len(villages))
    served: dict[tuple[str, str, int], bool] = {}
    for need in scenario.needs:
        key = (need.village, need.required_skill, need.level)
        if key not in served:
            able = np.array([p.skills.get(key[1], 0) >= key[2] for p in providers], np.bool_)
            served[key] = bool((reach[:, column[key[0]]] & able).any())
    reachable = sum(served[(n.village, n.required_skill, n.level)] for n in scenario.needs)
    touched = {r.from_ for r in scenario.roads or ()} | {r.to for r in scenario.roads or ()}
    supply = sum(c.hours for c in scenario.cadres if c.available)
    supply += sum(o.hours for o in scenario.organizations)
    pool_money = sum(p.amount for p in scenario.pools)
    return {
        "median_minutes": float(np.median(finite)) if finite.size else math.inf,
        "p90_minutes": float(np.percentile(finite, 90)) if finite.size else math.inf,
        "median_seat_minutes": float(np.median(seat_minutes)),
        "reachable_need_share": reachable / max(1, len(scenario.needs)),
        "hours_ratio": sum(n.hours for n in scenario.needs) / max(1, supply),
        "cost_ratio": sum(n.cost for n in scenario.needs) / max(1, pool_money),
        "no_road_villages": float(sum(v not in touched for v in villages)),
        "cut_off_villages": float(np.isinf(seat_minutes).sum()),
    }
