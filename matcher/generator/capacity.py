"""The capacity calibration: hours of pairing visits, and need hours stretched so that the
providers' deliverable hours are CAPACITY_RATIO of what the needs ask for."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.generator.arrays import FloatArray
from matcher.generator.calibration import CAPACITY_RATIO, NEED_HOURS_SCALE
from matcher.generator.geography import _Geography
from matcher.generator.needs import _Needs
from matcher.generator.providers import _Staff
from matcher.prepare.eligibility import pairing_hours, travel_hours
from matcher.scenario import Policy


def _existing_pairing_hours(
    pair_minutes: Sequence[float], reachable_villages: int, policy: Policy
) -> float:
    """Hours of pairing visits: the existing pairings, plus the pairings still missing to give
    every reachable village ``min_cadres_per_village``, at the existing pairings' mean."""
    per = [pairing_hours(m, policy) for m in pair_minutes]
    mean = sum(per) / len(per) if per else pairing_hours(0.0, policy)
    missing = max(0, policy.min_cadres_per_village * reachable_villages - len(per))
    return sum(per) + missing * mean


def _capacity_terms(
    needs: _Needs, geo: _Geography, staffs: Sequence[_Staff], policy: Policy
) -> tuple[float, float, float]:
    """(Hours of travel to the needs from the nearest base, the available providers' hours,
    the hours of pairing visits): the terms of the capacity ratio."""
    bases = np.unique(np.concatenate([staff.base for staff in staffs]))
    nearest = geo.minutes[bases].min(axis=0)
    travel = np.where(np.isfinite(nearest), travel_hours(1.0, policy) * nearest, 0.0)
    need_travel = float(travel[needs.village].sum())
    pair_minutes = [m for staff in staffs for m in staff.pair_minutes]
    reachable = int(np.isfinite(geo.minutes[0]).sum())
    supply = sum(float(staff.hours[staff.available].sum()) for staff in staffs)
    return need_travel, supply, _existing_pairing_hours(pair_minutes, reachable, policy)


def _scale_need_hours(
    needs: _Needs,
    geo: _Geography,
    staffs: Sequence[_Staff],
    policy: Policy,
    ratio: float = CAPACITY_RATIO,
    bounds: tuple[float, float] = NEED_HOURS_SCALE,
) -> FloatArray:
    """Need hours stretched (within ``bounds``, 1-8 h, half hours) so the providers'
    deliverable hours are ``ratio`` of the need hours plus travel from the nearest base
    (CAPACITY_RATIO and NEED_HOURS_SCALE unless a terrain says otherwise)."""
    need_travel, supply, pairing = _capacity_terms(needs, geo, staffs, policy)
    supply -= pairing
    target = supply / ratio - need_travel
    scale, scaled = 1.0, needs.hours
    for _ in range(4):  # a few fixed-point steps make up for the 1-8 h clip and rounding
        got = float(scaled.sum())
        if got <= 0:
            break
        scale = min(max(scale * target / got, bounds[0]), bounds[1])
        scaled = np.clip(np.round(needs.hours * scale * 2) / 2, 1.0, 8.0)
    return scaled


def _trim_provider_hours(
    hours: FloatArray,
    needs: _Needs,
    geo: _Geography,
    staffs: Sequence[_Staff],
    policy: Policy,
    ratio: float,
    floor: float,
) -> float:
    """The factor (``floor`` to 1) by which providers' hours shrink so that their deliverable
    hours are ``ratio`` of the need ``hours`` plus travel: for a terrain whose hours must bind
    harder than stretching need hours to the 8-hour maximum achieves (``valley``)."""
    need_travel, supply, pairing = _capacity_terms(needs, geo, staffs, policy)
    want = ratio * (float(hours.sum()) + need_travel) + pairing
    return min(1.0, max(floor, want / supply)) if supply > 0 else 1.0
