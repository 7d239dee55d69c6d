"""The predicates behind the hard rules, shared by problem compilation and the evaluator.

Keeping them in one place means a solver can never be offered an arc that the evaluator would
reject, and the evaluator never judges by a rule the solvers did not see.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from matcher.scenario import AidRecord, Cadre, Need, Organization, Policy, Pool, Scenario, Village

Provider = Cadre | Organization

# Tolerance for comparing hours (plans round hours to 4 decimals in files).
HOURS_TOLERANCE = 1e-6


def holds_skill(provider: Provider, need: Need) -> bool:
    """H2: the provider holds the need's skill at a level at least the need's level."""
    return provider.skills.get(need.required_skill, 0) >= need.level


def in_area(provider: Provider, village: Village) -> bool:
    """H3 (area part): an organisation with ``towns`` serves only villages of those towns."""
    if isinstance(provider, Organization) and provider.towns is not None:
        return village.town in provider.towns
    return True


def is_available(provider: Provider) -> bool:
    """An unavailable cadre has no pairings and no assignments (H4)."""
    return not isinstance(provider, Cadre) or provider.available


def within_travel(provider: Provider, minutes: float) -> bool:
    """H3 (travel part): reachable and within the provider's travel limit."""
    return minutes <= provider.max_travel_minutes + 1e-9


Minutes = TypeVar("Minutes", float, npt.NDArray[np.float64])
"""One figure of minutes, or an array of them: the rules below apply element-wise."""


def travel_hours(minutes: Minutes, policy: Policy) -> Minutes:
    """Hours of travel for one visit: the round trip, or one way when ``round_trip`` is false."""
    return (2.0 if policy.round_trip else 1.0) * minutes / 60.0


def pairing_hours(minutes: Minutes, policy: Policy) -> Minutes:
    """Hours a pairing costs its cadre over the horizon (H4)."""
    return policy.visits_per_pairing * (policy.visit_hours + travel_hours(minutes, policy))


def need_value(need: Need, village: Village, policy: Policy) -> float:
    """value(n) of DESIGN §5."""
    value = 100.0 * policy.priority_weight(need.priority) * policy.region_weight(village.region)
    return value * (policy.vulnerable_weight if need.vulnerable else 1.0)


def pool_admits(pool: Pool, need: Need, village: Village) -> bool:
    """H5: the pool's categories, villages and regions admit the need."""
    return (
        (pool.categories is None or need.category in pool.categories)
        and (pool.villages is None or need.village in pool.villages)
        and (pool.regions is None or village.region in pool.regions)
    )


def pool_limit_per_need(pool: Pool) -> int:
    """The most one pool may pay for one need."""
    return pool.amount if pool.max_per_need is None else min(pool.amount, pool.max_per_need)


def aid_window(scenario: Scenario) -> tuple[dt.date, dt.date]:
    """The dates [first, last) in which an aid record holds a need back (H8)."""
    start = scenario.horizon.start
    return start - dt.timedelta(days=scenario.policy.duplicate_window_days), scenario.horizon.end


def aid_key(household: str | None, village: str, category: str) -> tuple[str, str, str]:
    """Who was aided with what: the household, or the village for a village-level need."""
    return (household or "", village if household is None else "", category)


def blocking_records(scenario: Scenario) -> dict[str, tuple[AidRecord, ...]]:
    """H8: for each need held back by recent aid, the aid records that hold it back."""
    if scenario.policy.allow_repeat_aid:
        return {}
    first, end = aid_window(scenario)
    recent: dict[tuple[str, str, str], list[AidRecord]] = defaultdict(list)
    for record in scenario.aid_records:
        if first <= record.date < end:
            recent[aid_key(record.household, record.village, record.category)].append(record)
    # Sorted once per key and shared by its needs: a village's many village-level needs of one
    # category all meet the same records.
    ordered = {
        key: tuple(sorted(records, key=lambda r: (r.date, r.id))) for key, records in recent.items()
    }
    blocked: dict[str, tuple[AidRecord, ...]] = {}
    for need in scenario.needs:
        records = ordered.get(aid_key(need.household, need.village, need.category))
        if records:
            blocked[need.id] = records
    return blocked


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def index_by_id(items: Iterable[T]) -> dict[str, T]:
    """A dict from id to item."""
    return {item.id: item for item in items}
