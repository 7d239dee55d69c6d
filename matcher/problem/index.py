"""A scenario indexed by id, with its travel times: what rules, reports and KPIs look things up in.

Built once per evaluation so that every rule reads the same figures (travel minutes, recent aid,
caps) instead of recomputing them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypeVar

from matcher.prepare.eligibility import (
    Provider,
    blocking_records,
    holds_skill,
    in_area,
    index_by_id,
    is_available,
    need_value,
    travel_hours,
    within_travel,
)
from matcher.prepare.merging import Merge, duplicate_submissions, merged_needs
from matcher.prepare.network import TravelTimes, travel_times
from matcher.problem.arrays import Problem
from matcher.problem.compile import compile_problem
from matcher.scenario import (
    AidRecord,
    Cadre,
    Need,
    Organization,
    Place,
    Pool,
    Scenario,
    Village,
)

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class ScenarioIndex:
    """The scenario's lists by id, plus travel minutes and the needs H8 holds back."""

    scenario: Scenario
    times: TravelTimes
    # Figures later stages derive from the scenario alone (see memo), by the stage's key.
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """``build()``'s result, computed once per index under ``key``: how evaluation and
        reports keep what depends on the scenario alone (structural unmet reasons, the
        ledger's duplicate groups) without this module knowing them, and find it before the
        search so that a stopped run only does the plan's own part."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]  # type: ignore[no-any-return]

    @cached_property
    def needs(self) -> dict[str, Need]:
        """Needs by id."""
        return index_by_id(self.scenario.needs)

    @cached_property
    def villages(self) -> dict[str, Village]:
        """Villages by id."""
        return index_by_id(self.scenario.villages)

    @cached_property
    def cadres(self) -> dict[str, Cadre]:
        """Cadres by id."""
        return index_by_id(self.scenario.cadres)

    @cached_property
    def organizations(self) -> dict[str, Organization]:
        """Organisations by id."""
        return index_by_id(self.scenario.organizations)

    @cached_property
    def pools(self) -> dict[str, Pool]:
        """Pools by id."""
        return index_by_id(self.scenario.pools)

    @cached_property
    def blocked(self) -> dict[str, tuple[AidRecord, ...]]:
        """H8: the needs recent aid holds back, with the records that hold each back."""
        return blocking_records(self.scenario)

    @cached_property
    def merged(self) -> dict[str, Merge]:
        """Duplicate submissions merged before solving: each merged need with its merge."""
        return merged_needs(duplicate_submissions(self.scenario, self.blocked))

    @staticmethod
    def build(scenario: Scenario, times: TravelTimes | None = None) -> ScenarioIndex:
        """Index a scenario, computing travel times unless given."""
        return ScenarioIndex(scenario, times if times is not None else travel_times(scenario))

    @cached_property
    def _base_row(self) -> dict[str, int]:
        return {b: i for i, b in enumerate(self.times.base_ids)}

    @cached_property
    def _village_col(self) -> dict[str, int]:
        return {v: j for j, v in enumerate(self.times.village_ids)}

    @cached_property
    def _names(self) -> dict[str, str]:
        s = self.scenario
        named: list[Place | Village | Cadre | Organization | Pool] = [
            *s.places,
            *s.villages,
            *s.cadres,
            *s.organizations,
            *s.pools,
        ]
        return {item.id: item.name for item in named if item.name}

    def name_of(self, item_id: str) -> str | None:
        """The name of a place, village, cadre, organisation or pool, when the scenario gives
        one: what people read beside the id."""
        return self._names.get(item_id)

    def provider(self, provider_id: str) -> Provider | None:
        """A cadre or organisation by id."""
        return self.cadres.get(provider_id) or self.organizations.get(provider_id)

    def minutes(self, provider: Provider, village_id: str) -> float:
        """One-way travel minutes from the provider's base to a village (inf if unreachable)."""
        row = self._base_row.get(provider.base)
        col = self._village_col.get(village_id)
        if row is None or col is None:
            return math.inf
        return float(self.times.minutes[row, col])

    def travel_hours(self, provider: Provider, village_id: str) -> float:
        """Travel hours of one service visit (round trip per policy)."""
        return travel_hours(self.minutes(provider, village_id), self.scenario.policy)

    @cached_property
    def _values(self) -> dict[str, float]:
        return dict(zip(self.problem.need_ids, self.problem.need_value.tolist(), strict=True))

    def value(self, need: Need) -> float:
        """value(n) of DESIGN §5 (the compiled problem's figure for the scenario's own needs;
        computed for any other, such as a what-if's changed copy)."""
        if self.needs.get(need.id) is need:
            return self._values[need.id]
        return need_value(need, self.villages[need.village], self.scenario.policy)

    def can_reach(self, provider: Provider, village_id: str) -> bool:
        """H3: within travel limit, in area, reachable."""
        village = self.villages[village_id]
        minutes = self.minutes(provider, village_id)
        return (
            math.isfinite(minutes)
            and within_travel(provider, minutes)
            and in_area(provider, village)
        )

    def can_serve(self, provider: Provider, need: Need) -> bool:
        """Available, holds the skill (H2) and reaches the village (H3)."""
        return (
            is_available(provider)
            and holds_skill(provider, need)
            and self.can_reach(provider, need.village)
        )

    def village_cap(self, village_id: str) -> int:
        """The funding cap of a village."""
        return self.scenario.village_cap(self.villages[village_id])

    @cached_property
    def providers(self) -> tuple[Provider, ...]:
        """Cadres then organisations."""
        return (*self.scenario.cadres, *self.scenario.organizations)

    @cached_property
    def village_servable_value(self) -> dict[str, float]:
        """total_value(v) of DESIGN §5: the value of the village's needs that H8 leaves
        servable and that some provider could serve (the compiled problem's, one figure)."""
        values = self.problem.village_servable_value
        return {v: float(values[j]) for j, v in enumerate(self.problem.village_ids)}

    @cached_property
    def village_reachable(self) -> dict[str, bool]:
        """Whether any place reaches each village (always true without roads)."""
        return {v: bool(self.times.village_reachable[j]) for v, j in self._village_col.items()}

    @cached_property
    def problem(self) -> Problem:
        """The scenario compiled for solvers (once per index)."""
        return compile_problem(self.scenario, self.times)

    @cached_property
    def need_position(self) -> dict[str, int]:
        """Each need's position in the scenario's list and the compiled problem's arrays."""
        return {need_id: n for n, need_id in enumerate(self.problem.need_ids)}

    def servers(self, need_id: str, first: int | None = None) -> tuple[Provider, ...]:
        """Providers that can serve a need (H2, H3, available), nearest first; only the
        ``first`` ones when given. The compiled problem's arcs are exactly the (need,
        provider) pairs that can_serve admits, computed vectorised; read on demand, since a
        county of 50,000 needs has millions."""
        n = self.need_position.get(need_id)
        if n is None:
            return ()
        problem, providers = self.problem, self.providers
        arcs = problem.arcs_of(n)
        shown = arcs if first is None else arcs[:first]
        return tuple(providers[int(problem.arc_provider[a])] for a in shown)

    def server_count(self, need_id: str) -> int:
        """How many providers can serve a need."""
        n = self.need_position.get(need_id)
        return 0 if n is None else len(self.problem.arcs_of(n))

    @cached_property
    def _admitting(self) -> dict[str, tuple[Pool, ...]]:
        problem, pools = self.problem, self.scenario.pools
        return {
            need_id: tuple(pools[int(q)] for q in problem.pools_of(n))
            for n, need_id in enumerate(problem.need_ids)
        }

    def admitting_pools(self, need_id: str) -> tuple[Pool, ...]:
        """Pools whose categories, villages and regions admit a need (H5), as solvers see them."""
        return self._admitting.get(need_id, ())
