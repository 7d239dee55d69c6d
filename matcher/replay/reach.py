"""Who can serve which need, and how far they travel: the hard rules of eligibility reused.

A provider may take a need when it is available (H4), holds the need's skill at its level (H2),
serves the need's village (H3, an organisation's towns) and reaches it within its travel limit
(H3). These are :mod:`matcher.prepare.eligibility`'s predicates over
:mod:`matcher.prepare.network`'s travel times, so a dispatcher never gives out a need the
planner and the evaluator would refuse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from matcher.prepare.eligibility import (
    Provider,
    holds_skill,
    in_area,
    is_available,
    travel_hours,
    within_travel,
)
from matcher.prepare.network import travel_times
from matcher.scenario import Need, Scenario, Village


@dataclass(frozen=True)
class Reach:
    """Each village's providers in reach, nearest first, and one-way minutes from each
    provider's base to each village."""

    county: Scenario
    providers: dict[str, Provider]
    minutes: dict[tuple[str, str], float]  # (provider id, village id) → one-way minutes
    nearby: dict[str, tuple[str, ...]]  # village id → providers in reach, nearest first
    villages: dict[str, Village]

    @staticmethod
    def of(county: Scenario) -> Reach:
        """The reach of a county's providers (travel times computed once)."""
        times = travel_times(county)
        base_row = {b: i for i, b in enumerate(times.base_ids)}
        village_col = {v: j for j, v in enumerate(times.village_ids)}
        providers: dict[str, Provider] = {p.id: p for p in county.cadres}
        providers.update((o.id, o) for o in county.organizations)
        minutes: dict[tuple[str, str], float] = {}
        nearby: dict[str, tuple[str, ...]] = {}
        for village in county.villages:
            found: list[tuple[float, str]] = []
            for pid, provider in providers.items():
                m = float(times.minutes[base_row[provider.base], village_col[village.id]])
                minutes[pid, village.id] = m
                if (
                    math.isfinite(m)
                    and is_available(provider)
                    and in_area(provider, village)
                    and within_travel(provider, m)
                ):
                    found.append((m, pid))
            nearby[village.id] = tuple(pid for _, pid in sorted(found))
        return Reach(county, providers, minutes, nearby, {v.id: v for v in county.villages})

    def capable(self, need: Need) -> tuple[str, ...]:
        """The providers that may serve ``need``, nearest first (ties by id)."""
        return tuple(
            pid
            for pid in self.nearby.get(need.village, ())
            if holds_skill(self.providers[pid], need)
        )

    def trip_hours(self, provider: str, village: str) -> float:
        """Hours of travel for one visit from the provider's base to the village (the policy's
        round trip)."""
        return travel_hours(self.minutes[provider, village], self.county.policy)
