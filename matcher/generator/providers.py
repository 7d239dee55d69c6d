"""Who provides help: the cadres of county departments (mostly already paired with villages),
social organisations, and the money pools of departments, the central/west tilt, charity and
an east-coast donor."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.generator.arrays import BoolArray, IntArray
from matcher.generator.calibration import (
    CADRE_AT_SEAT,
    CADRE_HOURS,
    CADRE_MAX_VILLAGES,
    CADRE_SKILLS,
    CADRE_TRAVEL,
    CADRES_PER_VILLAGE,
    CHARITY_CATEGORIES,
    DEPARTMENT_BUDGET_NOISE,
    DEPARTMENT_POOLS,
    DEPARTMENT_SHARES,
    DEPARTMENTS,
    DONOR_CATEGORIES,
    DONOR_VILLAGE_SHARE,
    EXTRA_SKILL_SHARE,
    EXTRA_SKILLS,
    ORG_BRANDS,
    ORG_HOURS,
    ORG_KIND_SHARES,
    ORG_KINDS,
    ORG_NAMES,
    ORG_RESTRICTED,
    ORG_SKILLS,
    ORG_TRAVEL,
    OTHER_LEVELS,
    OWN_LEVELS,
    PAIRED_SHARE,
    PAIRING_NEARNESS_MINUTES,
    POOL_MONEY_SHARE,
    POOL_SPLIT,
    SECOND_PAIRING_SHARE,
    SOCIAL_SHARE,
    UNAVAILABLE_SHARE,
)
from matcher.generator.geography import _Geography
from matcher.generator.needs import _Needs
from matcher.scenario import CATEGORIES


@dataclass(frozen=True)
class _Staff:
    """What the calibration and the ledgers need to know of the cadres or organisations."""

    ids: list[str]
    base: IntArray  # place index
    hours: IntArray
    available: BoolArray
    skills: list[dict[str, int]]
    pair_minutes: list[float]  # minutes from base of each existing pairing (available cadres)


def _levels(rng: np.random.Generator, odds: Sequence[float]) -> int:
    return int(rng.choice(3, p=odds)) + 1


def _skills(
    rng: np.random.Generator, profile: tuple[tuple[str, float], ...], own: bool
) -> dict[str, int]:
    """Skills from a profile: at least the first; ``own`` gives the first the higher levels."""
    skills: dict[str, int] = {}
    for i, (skill, odds) in enumerate(profile):
        if rng.random() < odds:
            skills[skill] = _levels(rng, OWN_LEVELS if own and i == 0 else OTHER_LEVELS)
    if not skills:
        skills[profile[0][0]] = _levels(rng, OWN_LEVELS if own else OTHER_LEVELS)
    return skills


def _cadres(
    rng: np.random.Generator, geo: _Geography, village_ids: list[str], place_ids: list[str]
) -> tuple[list[dict[str, object]], _Staff]:
    """Cadres of county departments, mostly already paired with villages near their base."""
    n = max(1, round(CADRES_PER_VILLAGE * len(village_ids)))
    department = rng.choice(len(DEPARTMENTS), size=n, p=DEPARTMENT_SHARES)
    base = np.where(rng.random(n) < CADRE_AT_SEAT, 0, rng.integers(1, geo.towns + 1, n))
    hours = rng.choice(CADRE_HOURS, size=n)
    travel = rng.choice(CADRE_TRAVEL[0], size=n, p=CADRE_TRAVEL[1])
    max_villages = rng.choice(CADRE_MAX_VILLAGES[0], size=n, p=CADRE_MAX_VILLAGES[1])
    available = rng.random(n) >= UNAVAILABLE_SHARE
    paired = available & (rng.random(n) < PAIRED_SHARE)
    wanted = np.minimum(max_villages, 1 + (rng.random(n) < SECOND_PAIRING_SHARE))
    width = max(4, len(str(n)))
    cadres: list[dict[str, object]] = []
    staff = _Staff([], base, hours, available, [], [])
    for c in range(n):
        dep = DEPARTMENTS[department[c]]
        skills = _skills(rng, CADRE_SKILLS[dep], own=True)
        if rng.random() < EXTRA_SKILL_SHARE:
            extra = str(rng.choice(EXTRA_SKILLS))
            skills.setdefault(extra, 1 + int(rng.random() < 0.3))
        villages: list[str] = []
        if paired[c]:
            minutes = geo.minutes[base[c]]
            near = np.flatnonzero(minutes <= travel[c])
            if len(near):
                w = np.exp(-minutes[near] / PAIRING_NEARNESS_MINUTES)
                size = min(int(wanted[c]), len(near))
                pick = rng.choice(near, size=size, replace=False, p=w / w.sum())
                villages = sorted(village_ids[v] for v in pick.tolist())
                staff.pair_minutes.extend(minutes[pick].tolist())
        staff.ids.append(f"C{c + 1:0{width}d}")
        staff.skills.append(skills)
        cadres.append(
            {
                "id": staff.ids[-1],
                "department": dep,
                "base": place_ids[base[c]],
                "skills": dict(sorted(skills.items(), key=lambda s: CATEGORIES.index(s[0]))),
                "hours": int(hours[c]),
                "max_travel_minutes": int(travel[c]),
                "max_villages": int(max_villages[c]),
                "paired_villages": villages,
                "available": bool(available[c]),
            }
        )
    return cadres, staff


def _organizations(
    rng: np.random.Generator,
    geo: _Geography,
    place_ids: list[str],
    place_names: list[str],
    n_cadres: int,
) -> tuple[list[dict[str, object]], _Staff]:
    """Social forces: SOCIAL_SHARE of all helpers, some working in a few towns only."""
    n = max(1, round(n_cadres * SOCIAL_SHARE / (1 - SOCIAL_SHARE)))
    kind = rng.choice(len(ORG_KINDS), size=n, p=ORG_KIND_SHARES)
    base = np.where(rng.random(n) < CADRE_AT_SEAT, 0, rng.integers(1, geo.towns + 1, n))
    hours = rng.integers(ORG_HOURS[0] // 10, ORG_HOURS[1] // 10 + 1, n) * 10
    travel = rng.choice(ORG_TRAVEL, size=n)
    restricted = rng.random(n) < ORG_RESTRICTED
    xy = np.vstack([np.zeros((1, 2)), geo.town_xy])
    width = max(3, len(str(n)))
    orgs: list[dict[str, object]] = []
    staff = _Staff([], base, hours, np.ones(n, bool), [], [])
    for o in range(n):
        k = ORG_KINDS[kind[o]]
        towns: list[str] | None = None
        if restricted[o]:
            # the base's town and its nearest neighbours (the seat is no town of its own)
            dist = np.hypot(*(xy[1:] - xy[base[o]]).T)
            count = min(geo.towns, int(rng.integers(1, 4)))
            towns = sorted(place_ids[t + 1] for t in np.argsort(dist, kind="stable")[:count])
        skills = _skills(rng, ORG_SKILLS[k], own=False)
        main = next(skill for skill, _ in ORG_SKILLS[k] if skill in skills)
        brand = ORG_BRANDS[int(rng.integers(len(ORG_BRANDS)))]
        staff.ids.append(f"O{o + 1:0{width}d}")
        staff.skills.append(skills)
        orgs.append(
            {
                "id": staff.ids[-1],
                "name": place_names[base[o]].removesuffix("镇") + brand + ORG_NAMES[k][main],
                "kind": k,
                "base": place_ids[base[o]],
                "skills": dict(sorted(skills.items(), key=lambda s: CATEGORIES.index(s[0]))),
                "hours": int(hours[o]),
                "max_travel_minutes": int(travel[o]),
                "towns": towns,
            }
        )
    return orgs, staff


def _pools(
    rng: np.random.Generator,
    needs: _Needs,
    village_region: npt.NDArray[np.str_],
    village_ids: list[str],
    money_share: tuple[float, float] = POOL_MONEY_SHARE,
) -> list[dict[str, object]]:
    """Department pools split by their categories' cost with siloed noise, a central/west tilt
    pool, a charity pool and a donor pool, together ``money_share`` (POOL_MONEY_SHARE unless a
    terrain says otherwise) of all need cost."""
    cost = needs.cost.astype(np.float64)
    money = float(cost.sum()) * rng.uniform(*money_share)
    cat_names = np.array(CATEGORIES)[needs.category]
    dept_cost = np.array(
        [cost[np.isin(cat_names, cats)].sum() for _, _, cats, _, _ in DEPARTMENT_POOLS]
    )
    dept_weight = (dept_cost + 1.0) * rng.lognormal(0, DEPARTMENT_BUDGET_NOISE, len(dept_cost))
    dept_weight *= POOL_SPLIT[0] / dept_weight.sum()
    interior = np.flatnonzero(village_region != "east")
    donor_from = interior if len(interior) else np.arange(len(village_ids))
    donor_count = min(len(donor_from), max(2, round(len(village_ids) * DONOR_VILLAGE_SHARE)))
    donor = sorted(rng.choice(donor_from, size=donor_count, replace=False).tolist())

    def amount(weight: float) -> int:
        return int(money * weight // 1000) * 1000

    pools: list[dict[str, object]] = [
        {
            "id": pid,
            "name": f"{office}帮扶资金",
            "department": dep,
            "amount": amount(float(w)),
            "categories": list(cats),
            "villages": None,
            "regions": None,
            "max_per_need": cap,
        }
        for (pid, dep, cats, cap, office), w in zip(DEPARTMENT_POOLS, dept_weight, strict=True)
    ]
    pools += [
        {
            "id": "P-west",
            "name": "财政衔接推进乡村振兴补助资金（中西部倾斜）",
            "department": "finance",
            "amount": amount(POOL_SPLIT[1]),
            "categories": None,
            "villages": None,
            "regions": ["central", "west"],
            "max_per_need": 10000,
        },
        {
            "id": "P-charity",
            "name": "县慈善总会专项",
            "department": "charity",
            "amount": amount(POOL_SPLIT[2]),
            "categories": list(CHARITY_CATEGORIES),
            "villages": None,
            "regions": None,
            "max_per_need": 3000,
        },
        {
            "id": "P-donor",
            "name": "东西部协作企业捐赠",
            "department": "donor",
            "amount": amount(POOL_SPLIT[3]),
            "categories": list(DONOR_CATEGORIES),
            "villages": [village_ids[v] for v in donor],
            "regions": None,
            "max_per_need": None,
        },
    ]
    return pools
