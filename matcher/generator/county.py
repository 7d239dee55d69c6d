"""One county: :func:`generate_scenario` runs the stages on one random generator and assembles
the JSON-ready scenario; :func:`demo_scenario` is the bundled demo county."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np

from matcher.generator.calibration import (
    COUNTY_REGION_ODDS,
    HOUSEHOLDS_RANGE,
    LOW_CAP_SHARE,
    OTHER_REGION_SHARE,
    PERSONS_PER_HOUSEHOLD,
    VILLAGES_PER_TOWN,
    VULNERABLE_TAGS,
)
from matcher.generator.capacity import _scale_need_hours, _trim_provider_hours
from matcher.generator.geography import _TOWN_LAST, _VILLAGE_LAST, _geography, _lonlat, _names
from matcher.generator.ledgers import _aid_records
from matcher.generator.needs import _category_weights, _household_id, _needs
from matcher.generator.providers import _cadres, _organizations, _pools
from matcher.generator.schedule import with_days
from matcher.generator.terrain import _narrow_pools, _scarce_skills, _trim_hours, shape_of
from matcher.scenario import CATEGORIES, REGIONS, Policy

HORIZON_START = "2026-12-01"
HORIZON_DAYS = 31
DEMO_SEED = 2027
DEMO_NAME = "Demo County (演示县), December 2026"
DEMO_VILLAGES, DEMO_NEEDS = 30, 600
DEMO_SCHEDULED_NAME = "Demo County (演示县), December 2026, with days (排期)"


def generate_scenario(
    villages: int = 30,
    needs: int = 600,
    seed: int = 0,
    name: str | None = None,
    *,
    towns: int | None = None,
    region: str | None = None,
    start: str = HORIZON_START,
    days: int = HORIZON_DAYS,
    policy: Mapping[str, object] | None = None,
    schedule: bool = False,
    terrain: str = "hills",
) -> dict[str, object]:
    """A county scenario (schema_version 1, JSON-ready) with ``villages`` villages and ``needs``
    open needs, identical for identical arguments, so that runs and benchmarks can be repeated.

    ``towns`` defaults to one per VILLAGES_PER_TOWN villages; ``region`` (the county's class) is
    drawn when not given; ``policy`` is written into the scenario as given (``{}``: defaults) and
    its pairing settings enter the capacity calibration. ``schedule`` turns DESIGN §9 on and
    gives the county its days (:func:`matcher.generator.schedule.with_days`: submission dates,
    days off, official holidays), drawn after the county so that it is otherwise the same.
    ``terrain`` is the county's shape (:mod:`matcher.generator.terrain`, scenarios/README.md):
    ``hills`` (the calibrated default), ``valley``, ``plain`` or ``money``.
    Raises ``ValueError`` on bad sizes or an unknown terrain.
    """
    shape = shape_of(terrain)
    if villages < 1 or needs < 0 or days < 1:
        raise ValueError("villages must be >= 1, needs >= 0 and days >= 1")
    if region is not None and region not in REGIONS:
        raise ValueError(f"region must be one of {', '.join(REGIONS)}")
    k = towns if towns is not None else max(1, math.ceil(villages / VILLAGES_PER_TOWN))
    if not 1 <= k <= villages:
        raise ValueError("towns must be between 1 and the number of villages")
    rng = np.random.default_rng(seed)
    horizon_start = dt.date.fromisoformat(start)
    resolved_policy = Policy.model_validate(dict(policy or {}))
    geo = _geography(rng, villages, k, shape.layout)
    place_ids = ["S0", *(f"T{t + 1:0{max(2, len(str(k)))}d}" for t in range(k))]
    village_ids = [f"V{v + 1:0{max(3, len(str(villages)))}d}" for v in range(villages)]
    place_names = ["城关镇", *_names(rng, k, _TOWN_LAST, "镇")]
    village_names = _names(rng, villages, _VILLAGE_LAST, "村")
    county_name = _names(rng, 1, _TOWN_LAST, "县")[0]

    # Households and people, and one latent out-migration factor per village that drives both
    # its left-behind children and its elderly share (the villages young adults left).
    households = np.clip(np.round(rng.lognormal(math.log(300), 0.4, villages)), *HOUSEHOLDS_RANGE)
    population = np.round(households * PERSONS_PER_HOUSEHOLD * rng.normal(1, 0.06, villages))
    migration = rng.beta(2, 3, villages)
    lbc_rate = np.clip(0.02 + 0.25 * migration * rng.gamma(4, 0.25, villages), 0.01, 0.45)
    eld_share = np.clip(0.13 + 0.22 * migration + rng.normal(0, 0.02, villages), 0.08, 0.45)
    left_behind = np.round(households * lbc_rate)
    elderly = np.round(population * eld_share)
    county_region = region or str(rng.choice(REGIONS, p=COUNTY_REGION_ODDS))
    others = [r for r in REGIONS if r != county_region]
    village_region = np.where(
        rng.random(villages) < OTHER_REGION_SHARE, rng.choice(others, villages), county_region
    )

    cadres, cadre_staff = _cadres(rng, geo, village_ids, place_ids)
    orgs, org_staff = _organizations(rng, geo, place_ids, place_names, len(cadres))
    staffs = (cadre_staff, org_staff)
    if shape.scarce_skills:
        _scarce_skills(rng, geo, (cadres, orgs), staffs, place_ids)
    weights = _category_weights(left_behind / households, elderly / population)
    drawn = _needs(rng, weights, households, needs, days, shape.paid_boost)
    hours = _scale_need_hours(
        drawn, geo, staffs, resolved_policy, shape.capacity_ratio, shape.need_hours_scale
    )
    if shape.hours_floor < 1.0:
        factor = _trim_provider_hours(
            hours, drawn, geo, staffs, resolved_policy, shape.capacity_ratio, shape.hours_floor
        )
        _trim_hours(factor, (cadres, orgs), staffs)

    cost_by_village = np.bincount(drawn.village, weights=drawn.cost, minlength=villages)
    caps: list[int | None] = [None] * villages
    candidates = np.flatnonzero(cost_by_village > 0)
    low = min(len(candidates), round(villages * LOW_CAP_SHARE))
    for v in sorted(rng.choice(candidates, size=low, replace=False).tolist()):
        caps[v] = max(1000, int(cost_by_village[v] * rng.uniform(0.35, 0.7) // 1000) * 1000)
    pools = _pools(rng, drawn, village_region, village_ids, shape.pool_money_share)
    if shape.narrow_pools:
        _narrow_pools(rng, pools, geo, village_ids)
    aid = _aid_records(rng, drawn, weights, households, village_ids, horizon_start, staffs)

    lon_p, lat_p = _lonlat(np.vstack([np.zeros((1, 2)), geo.town_xy]))
    places: list[dict[str, object]] = [
        {
            "id": pid,
            "name": place_names[p],
            "kind": "county_seat" if p == 0 else "town",
            "lon": lon_p[p],
            "lat": lat_p[p],
        }
        for p, pid in enumerate(place_ids)
    ]
    lon_v, lat_v = _lonlat(geo.village_xy)
    village_rows: list[dict[str, object]] = [
        {
            "id": vid,
            "name": village_names[v],
            "town": place_ids[int(geo.village_town[v]) + 1],
            "lon": lon_v[v],
            "lat": lat_v[v],
            "households": int(households[v]),
            "population": int(population[v]),
            "left_behind_children": int(left_behind[v]),
            "elderly": int(elderly[v]),
            "region": str(village_region[v]),
            "funding_cap": caps[v],
        }
        for v, vid in enumerate(village_ids)
    ]
    node_ids = place_ids + village_ids
    roads = [{"from": node_ids[a], "to": node_ids[b], "minutes": m} for a, b, m in geo.roads]
    width = max(5, len(str(needs)))
    category = [CATEGORIES[c] for c in drawn.category.tolist()]
    need_rows: list[dict[str, object]] = [
        {
            "id": f"N{i + 1:0{width}d}",
            "village": village_ids[v],
            "household": _household_id(village_ids[v], h),
            "category": category[i],
            "skill": category[i],
            "level": level,
            "hours": spent,
            "cost": paid,
            "priority": priority,
            "vulnerable": [t for t, on in zip(VULNERABLE_TAGS, tags, strict=True) if on],
            "submitted": (horizon_start + dt.timedelta(days=day)).isoformat(),
            "pinned_provider": None,
        }
        for i, (v, h, level, spent, paid, priority, tags, day) in enumerate(
            zip(
                drawn.village.tolist(),
                drawn.household.tolist(),
                drawn.level.tolist(),
                hours.tolist(),
                drawn.cost.tolist(),
                drawn.priority.tolist(),
                drawn.tags.tolist(),
                drawn.day.tolist(),
                strict=True,
            )
        )
    ]
    month = horizon_start.strftime("%B %Y")
    county = {
        "schema_version": 1,
        "name": name
        or f"Generated county {county_name} ({villages} villages, seed {seed}), {month}",
        "horizon": {"start": horizon_start.isoformat(), "days": days},
        "places": places,
        "villages": village_rows,
        "roads": roads,
        "cadres": cadres,
        "organizations": orgs,
        "pools": pools,
        "needs": need_rows,
        "aid_records": aid,
        "policy": dict(policy or {}),
    }
    return with_days(county, seed) if schedule else county


def demo_scenario() -> dict[str, object]:
    """The bundled ``scenarios/demo-county.json`` (the DEMO_* constants), for regeneration."""
    return generate_scenario(DEMO_VILLAGES, DEMO_NEEDS, DEMO_SEED, DEMO_NAME)


def demo_scheduled_scenario() -> dict[str, object]:
    """The bundled ``scenarios/demo-county-scheduled.json``: the demo county with days
    (DESIGN §9), for regeneration."""
    return generate_scenario(
        DEMO_VILLAGES, DEMO_NEEDS, DEMO_SEED, DEMO_SCHEDULED_NAME, schedule=True
    )
