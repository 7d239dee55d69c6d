"""County shapes (``matcher generate --terrain``): what each shape changes in the stages.

``hills`` is the calibrated county of DESIGN §1 and draws exactly what the generator always
drew, so its counties (and the bundled demo) do not change. The other shapes take a different
layout (:mod:`matcher.generator.geography`), another capacity or money calibration, and for
``valley`` two extra steps drawn after the hills' own: towns whose stations lack whole skill
families, and pools with narrow eligibility. Every figure is named in
:mod:`matcher.generator.calibration`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from matcher.generator.calibration import (
    CAPACITY_RATIO,
    FALLBACK_SKILL,
    MIN_PROVIDER_HOURS,
    MONEY_CAPACITY_RATIO,
    MONEY_PAID_BOOST,
    MONEY_POOL_SHARE,
    NEED_HOURS_SCALE,
    POOL_MONEY_SHARE,
    SKILL_FAMILIES,
    TERRAINS,
    VALLEY_CAPACITY_RATIO,
    VALLEY_CHARITY_VILLAGE_SHARE,
    VALLEY_HOURS_FLOOR,
    VALLEY_MISSING_FAMILIES,
    VALLEY_NEED_HOURS_SCALE,
    VALLEY_POOL_TOWN_SHARE,
    VALLEY_SCARCE_TOWN_SHARE,
    VALLEY_WEST_CATEGORIES,
)
from matcher.generator.geography import _Geography
from matcher.generator.providers import _Staff
from matcher.scenario import CATEGORIES


@dataclass(frozen=True)
class _Shape:
    """What one terrain sets: its layout and its calibration targets."""

    layout: str  # "hills", "valley" or "plain" (:func:`matcher.generator.geography._geography`)
    capacity_ratio: float  # deliverable hours / (need hours + travel), see capacity.py
    need_hours_scale: tuple[float, float]  # how far need hours may stretch to reach it
    pool_money_share: tuple[float, float]  # pool money / cost of all needs
    paid_boost: float  # odds that a need costs money, times this
    scarce_skills: bool  # some towns' stations lack whole skill families
    narrow_pools: bool  # pools tied to project villages, industry, adopted villages
    hours_floor: float = 1.0  # providers' hours may shrink to this share to reach the ratio


_HILLS = _Shape(
    layout="hills",
    capacity_ratio=CAPACITY_RATIO,
    need_hours_scale=NEED_HOURS_SCALE,
    pool_money_share=POOL_MONEY_SHARE,
    paid_boost=1.0,
    scarce_skills=False,
    narrow_pools=False,
)
SHAPES: dict[str, _Shape] = {
    "hills": _HILLS,
    "valley": replace(
        _HILLS,
        layout="valley",
        capacity_ratio=VALLEY_CAPACITY_RATIO,
        need_hours_scale=VALLEY_NEED_HOURS_SCALE,
        scarce_skills=True,
        narrow_pools=True,
        hours_floor=VALLEY_HOURS_FLOOR,
    ),
    "plain": replace(_HILLS, layout="plain"),
    "money": replace(
        _HILLS,
        capacity_ratio=MONEY_CAPACITY_RATIO,
        pool_money_share=MONEY_POOL_SHARE,
        paid_boost=MONEY_PAID_BOOST,
    ),
}


def shape_of(terrain: str) -> _Shape:
    """The shape of a terrain name; ``ValueError`` on an unknown one."""
    if terrain not in SHAPES:
        raise ValueError(f"terrain must be one of {', '.join(TERRAINS)}")
    return SHAPES[terrain]


def _scarce_skills(
    rng: np.random.Generator,
    geo: _Geography,
    providers: tuple[list[dict[str, object]], list[dict[str, object]]],
    staffs: tuple[_Staff, _Staff],
    place_ids: list[str],
) -> None:
    """VALLEY_SCARCE_TOWN_SHARE of the towns lose VALLEY_MISSING_FAMILIES skill families: no
    cadre or organisation based there holds them (a remote station with no doctor, no teacher),
    so their villages wait for someone from another town. A provider left with no skill keeps
    FALLBACK_SKILL at level 1. Changes the rows and the staffs' skills in place."""
    scarce = max(1, round(geo.towns * VALLEY_SCARCE_TOWN_SHARE))
    families = list(SKILL_FAMILIES)
    missing: dict[str, set[str]] = {}
    for t in sorted(rng.choice(geo.towns, size=scarce, replace=False).tolist()):
        picked = rng.choice(len(families), size=VALLEY_MISSING_FAMILIES, replace=False)
        missing[place_ids[t + 1]] = {
            s for f in picked.tolist() for s in SKILL_FAMILIES[families[f]]
        }
    for rows, staff in zip(providers, staffs, strict=True):
        for row, skills in zip(rows, staff.skills, strict=True):
            lost = missing.get(str(row["base"]), set())
            if not lost & set(skills):
                continue
            for skill in lost:
                skills.pop(skill, None)
            if not skills:
                skills[FALLBACK_SKILL] = 1
            row["skills"] = dict(sorted(skills.items(), key=lambda s: CATEGORIES.index(s[0])))


def _trim_hours(
    factor: float,
    providers: tuple[list[dict[str, object]], list[dict[str, object]]],
    staffs: tuple[_Staff, _Staff],
) -> None:
    """Every provider's hours times ``factor`` (whole hours, MIN_PROVIDER_HOURS at least), in
    the rows and the staffs (:func:`matcher.generator.capacity._trim_provider_hours`)."""
    for rows, staff in zip(providers, staffs, strict=True):
        trimmed = np.maximum(MIN_PROVIDER_HOURS, np.round(staff.hours * factor)).astype(np.int64)
        staff.hours[:] = trimmed
        for row, h in zip(rows, trimmed.tolist(), strict=True):
            row["hours"] = h


def _narrow_pools(
    rng: np.random.Generator,
    pools: list[dict[str, object]],
    geo: _Geography,
    village_ids: list[str],
) -> None:
    """Pools with narrow eligibility, in place: each department pool admits only the villages
    of some towns (its project villages, VALLEY_POOL_TOWN_SHARE of the towns), the central/west
    pool only industry (VALLEY_WEST_CATEGORIES), charity only the villages it adopted."""
    for pool in pools:
        if pool["id"] == "P-west":
            pool["categories"] = list(VALLEY_WEST_CATEGORIES)
        elif pool["id"] == "P-charity":
            size = max(1, round(len(village_ids) * VALLEY_CHARITY_VILLAGE_SHARE))
            picked = rng.choice(len(village_ids), size=size, replace=False)
            pool["villages"] = [village_ids[v] for v in sorted(picked.tolist())]
        elif pool["villages"] is None and pool["regions"] is None:
            share = rng.uniform(*VALLEY_POOL_TOWN_SHARE)
            towns = rng.choice(geo.towns, size=max(1, round(geo.towns * share)), replace=False)
            admitted = np.isin(geo.village_town, towns)
            pool["villages"] = [village_ids[v] for v in np.flatnonzero(admitted).tolist()]
