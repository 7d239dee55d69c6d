"""Compile a validated scenario and its travel times into the arrays of :class:`Problem`.

Every filter is one of the shared predicates of :mod:`matcher.prepare.eligibility`, so a solver
is never offered an arc the evaluator would reject.
"""

from __future__ import annotations

import numpy as np

from matcher.prepare.departments import CATEGORY_DEPARTMENT
from matcher.prepare.eligibility import (
    Provider,
    blocking_records,
    in_area,
    is_available,
    need_value,
    pairing_hours,
    pool_admits,
    pool_limit_per_need,
    travel_hours,
)
from matcher.prepare.merging import duplicate_submissions, merged_needs
from matcher.prepare.network import TravelTimes, travel_times
from matcher.problem.arrays import FloatArray, IntArray, Problem
from matcher.scenario import CATEGORIES, REGIONS, Category, Scenario
from matcher.schedule.days import (
    ProviderDays,
    capacity_in_days,
    least_lateness,
    schedule_arc_mask,
    visit_fits,
)


def _csr(groups: list[list[int]]) -> tuple[IntArray, IntArray]:
    start = np.zeros(len(groups) + 1, dtype=np.int64)
    start[1:] = np.cumsum([len(g) for g in groups])
    flat = np.fromiter((x for g in groups for x in g), dtype=np.int64, count=int(start[-1]))
    return start, flat


def compile_problem(scenario: Scenario, times: TravelTimes | None = None) -> Problem:
    """Compile a validated scenario (and its travel times) into a :class:`Problem`."""
    times = times if times is not None else travel_times(scenario)
    policy = scenario.policy
    providers: tuple[Provider, ...] = (*scenario.cadres, *scenario.organizations)
    provider_index = {p.id: i for i, p in enumerate(providers)}
    village_index = {v.id: i for i, v in enumerate(scenario.villages)}
    villages = scenario.villages
    towns = tuple(p.id for p in scenario.places)
    town_index = {t: i for i, t in enumerate(towns)}
    departments = tuple(
        sorted({c.department for c in scenario.cadres} | {p.department for p in scenario.pools})
    )
    department_index = {d: i for i, d in enumerate(departments)}
    households = tuple(sorted({n.household for n in scenario.needs if n.household is not None}))
    household_index = {h: i for i, h in enumerate(households)}
    blocked = blocking_records(scenario)
    merged = merged_needs(duplicate_submissions(scenario, blocked))
    base_row = {b: i for i, b in enumerate(times.base_ids)}

    # Provider x village feasibility (availability, area, travel) and provider x skill levels,
    # so that each need's arcs are one vectorised mask instead of a loop over providers.
    base_of = np.array([base_row[p.base] for p in providers], dtype=np.int64)
    minutes_pv = times.minutes[base_of] if providers else np.empty((0, len(villages)))
    reach_pv = np.isfinite(minutes_pv) & np.array(
        [[is_available(p) and in_area(p, v) for v in villages] for p in providers], dtype=bool
    ).reshape(len(providers), len(villages))
    limit = np.array([p.max_travel_minutes for p in providers], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        reach_pv &= minutes_pv <= limit[:, None] + 1e-9
    levels = np.array(
        [[p.skills.get(c, 0) for c in Category] for p in providers], dtype=np.int64
    ).reshape(len(providers), len(CATEGORIES))

    # Needs of one village asking one skill at one level have the same arcs, and needs of one
    # village and category the same pools: each is found once (50,000 needs share ~10,000).
    skill_column = {c: i for i, c in enumerate(CATEGORIES)}
    arcs_of_key: dict[tuple[int, int, int], tuple[IntArray, FloatArray]] = {}
    pools_of_key: dict[tuple[int, Category], list[int]] = {}
    no_arcs: tuple[IntArray, FloatArray] = (np.empty(0, np.int64), np.empty(0))
    arc_parts: list[tuple[IntArray, FloatArray]] = []
    need_arc_start = np.zeros(len(scenario.needs) + 1, dtype=np.int64)
    pools_per_need: list[list[int]] = []
    for n, need in enumerate(scenario.needs):
        v = village_index[need.village]
        key = (v, skill_column[need.required_skill], need.level)
        arcs = no_arcs if need.id in merged else arcs_of_key.get(key)
        if arcs is None:
            found = np.flatnonzero(reach_pv[:, v] & (levels[:, key[1]] >= need.level))
            mins = minutes_pv[found, v]
            order = np.lexsort((found, mins))
            arcs = arcs_of_key[key] = (found[order], mins[order])
        arc_parts.append(arcs)
        need_arc_start[n + 1] = need_arc_start[n] + len(arcs[0])
        pools = pools_of_key.get((v, need.category))
        if pools is None:
            pools = pools_of_key[(v, need.category)] = [
                q for q, pool in enumerate(scenario.pools) if pool_admits(pool, need, villages[v])
            ]
        pools_per_need.append(pools)
    need_pool_start, need_pool = _csr(pools_per_need)

    value = np.array(
        [need_value(n, villages[village_index[n.village]], policy) for n in scenario.needs],
        dtype=np.float64,
    )
    arc_need = np.repeat(np.arange(len(scenario.needs), dtype=np.int64), np.diff(need_arc_start))
    arc_provider = np.concatenate([b for b, _ in arc_parts] or [np.empty(0, np.int64)])
    arc_minutes = np.concatenate([m for _, m in arc_parts] or [np.empty(0)])
    arc_travel = travel_hours(1.0, policy) * arc_minutes
    need_hours = np.array([n.hours for n in scenario.needs], dtype=np.float64)

    pair_rows: list[tuple[int, int, float, bool]] = []
    existing = 0
    for c, cadre in enumerate(scenario.cadres):
        existing += len(set(cadre.paired_villages))
        if cadre.max_villages == 0:
            continue
        for v in map(int, np.flatnonzero(reach_pv[c])):
            pair_rows.append(
                (c, v, float(minutes_pv[c, v]), villages[v].id in cadre.paired_villages)
            )
    pair_minutes = np.array([r[2] for r in pair_rows], dtype=np.float64)

    need_blocked = np.array([n.id in blocked for n in scenario.needs], dtype=np.bool_)
    need_village = np.array([village_index[n.village] for n in scenario.needs], dtype=np.int64)
    # total_value(v) of DESIGN §5: needs H8 leaves servable and some provider could serve (an
    # arc): a village no road or no skilled provider reaches adds no unavoidable penalty.
    has_arc = np.diff(need_arc_start) > 0
    servable_need = ~need_blocked & has_arc
    servable = np.bincount(
        need_village[servable_need], weights=value[servable_need], minlength=len(villages)
    ).astype(np.float64)
    capacity = np.array([p.hours for p in providers], dtype=np.float64)
    arc_value = value[arc_need] - policy.travel_penalty_per_hour * arc_travel
    if policy.schedule:
        # DESIGN §9 (H9, H10): only days a provider works, and one trip that fits its day;
        # an arc's value also loses the lateness of the provider's first day for the need.
        # total_value(v) above stays as §5 defines it, without days.
        days = ProviderDays.of(scenario)
        keep = schedule_arc_mask(scenario, days, arc_need, arc_provider, arc_minutes)
        arc_need, arc_provider = arc_need[keep], arc_provider[keep]
        arc_minutes, arc_travel = arc_minutes[keep], arc_travel[keep]
        need_arc_start[1:] = np.cumsum(np.bincount(arc_need, minlength=len(scenario.needs)))
        late = least_lateness(scenario, days, arc_need, arc_provider)
        arc_value = arc_value[keep] - policy.late_penalty_per_day * late
        visits, gap = policy.visits_per_pairing, policy.visit_min_gap_days
        pair_rows = [
            r
            for r in pair_rows
            if days.can_visit(r[0], visits, gap)
            and (visits == 0 or visit_fits(policy, r[2], float(days.limit_minutes[r[0]])))
        ]
        pair_minutes = np.array([r[2] for r in pair_rows], dtype=np.float64)
        capacity = np.array(
            [capacity_in_days(p.hours, days, i) for i, p in enumerate(providers)],
            dtype=np.float64,
        )

    return Problem(
        need_ids=tuple(n.id for n in scenario.needs),
        provider_ids=tuple(p.id for p in providers),
        village_ids=tuple(v.id for v in villages),
        pool_ids=tuple(q.id for q in scenario.pools),
        town_ids=towns,
        department_names=departments,
        household_ids=households,
        n_cadres=len(scenario.cadres),
        need_village=need_village,
        need_category=np.array([CATEGORIES.index(n.category) for n in scenario.needs], np.int64),
        need_household=np.array(
            [household_index[n.household] if n.household else -1 for n in scenario.needs],
            dtype=np.int64,
        ),
        need_hours=need_hours,
        need_cost=np.array([n.cost for n in scenario.needs], dtype=np.int64),
        need_value=value,
        need_blocked=need_blocked,
        need_pinned=np.array(
            [provider_index.get(n.pinned_provider or "", -1) for n in scenario.needs],
            dtype=np.int64,
        ),
        need_arc_start=need_arc_start,
        need_pool_start=need_pool_start,
        need_pool=need_pool,
        provider_capacity=capacity,
        provider_available=np.array([is_available(p) for p in providers], dtype=np.bool_),
        provider_department=np.array(
            [department_index[c.department] for c in scenario.cadres]
            + [-1] * len(scenario.organizations),
            dtype=np.int64,
        ),
        provider_max_villages=np.array(
            [c.max_villages if c.available else 0 for c in scenario.cadres]
            + [0] * len(scenario.organizations),
            dtype=np.int64,
        ),
        arc_need=arc_need,
        arc_provider=arc_provider,
        arc_minutes=arc_minutes,
        arc_travel_hours=arc_travel,
        arc_hours=need_hours[arc_need] + arc_travel,
        arc_value=arc_value,
        pair_cadre=np.array([r[0] for r in pair_rows], dtype=np.int64),
        pair_village=np.array([r[1] for r in pair_rows], dtype=np.int64),
        pair_minutes=pair_minutes,
        pair_hours=np.array([pairing_hours(m, policy) for m in pair_minutes], dtype=np.float64),
        pair_existing=np.array([r[3] for r in pair_rows], dtype=np.bool_),
        existing_pairings=existing,
        pool_amount=np.array([q.amount for q in scenario.pools], dtype=np.int64),
        pool_limit=np.array([pool_limit_per_need(q) for q in scenario.pools], dtype=np.int64),
        pool_department=np.array(
            [department_index[q.department] for q in scenario.pools], dtype=np.int64
        ),
        village_cap=np.array([scenario.village_cap(v) for v in villages], dtype=np.int64),
        village_town=np.array([town_index.get(v.town, -1) for v in villages], dtype=np.int64),
        village_region=np.array([REGIONS.index(v.region) for v in villages], dtype=np.int64),
        village_reachable=times.village_reachable.copy(),
        village_servable_value=servable,
        category_department=np.array(
            [department_index.get(CATEGORY_DEPARTMENT[c], -1) for c in CATEGORIES], dtype=np.int64
        ),
        min_cadres=policy.min_cadres_per_village,
        shortfall_penalty=policy.pairing_shortfall_penalty,
        change_penalty=policy.pairing_change_penalty,
        fairness_floor=policy.fairness_floor_share,
        fairness_weight=policy.fairness_weight,
    )
