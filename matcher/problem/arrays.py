"""The compiled problem: immutable numpy arrays and index maps that every solver consumes.

Solvers never see JSON or the scenario objects. Everything a solver needs to build a model of
H1-H8 and the objective of DESIGN §5 is here, already filtered by the shared predicates of
:mod:`matcher.prepare.eligibility`:

* an *arc* is an eligible (need, provider) pair: the provider is available, holds the skill at
  the level (H2), is in area and within its travel limit of a reachable village (H3). Arcs of
  needs that H8 holds back are kept (``need_blocked``) because the siloed status quo does not see
  the ledgers; integrated solvers skip them.
* a need merged into another submission of the same household and category
  (:mod:`matcher.prepare.merging`) has no arcs, so no solver serves it.
* a *pairing arc* is an available cadre and a village within its travel limit (H7).
* pools admitted for each need are given in CSR form (``need_pool_start``/``need_pool``).

Provider indices run over cadres first, then organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, eq=False)
class Problem:
    """A scenario compiled to arrays. Lengths: N needs, P providers, A arcs, E pairing arcs,
    Q pools, V villages, D departments."""

    # index maps
    need_ids: tuple[str, ...]
    provider_ids: tuple[str, ...]
    village_ids: tuple[str, ...]
    pool_ids: tuple[str, ...]
    town_ids: tuple[str, ...]
    department_names: tuple[str, ...]
    household_ids: tuple[str, ...]
    n_cadres: int

    # needs (N)
    need_village: IntArray
    need_category: IntArray  # index into scenario.CATEGORIES
    need_household: IntArray  # index into household_ids, -1 for a village-level need
    need_hours: FloatArray
    need_cost: IntArray
    need_value: FloatArray  # value(n) of DESIGN §5, before travel
    need_blocked: BoolArray  # H8 holds it back
    need_pinned: IntArray  # provider index, -1 when not pinned
    need_arc_start: IntArray  # (N+1) CSR pointer into the arc arrays
    need_pool_start: IntArray  # (N+1) CSR pointer into need_pool
    need_pool: IntArray  # pools admitting each need

    # providers (P)
    provider_capacity: FloatArray
    provider_available: BoolArray
    provider_department: IntArray  # cadres: department index; organisations: -1
    provider_max_villages: IntArray  # 0 for organisations and unavailable cadres

    # arcs (A), grouped by need, nearest provider first
    arc_need: IntArray
    arc_provider: IntArray
    arc_minutes: FloatArray  # one way
    arc_travel_hours: FloatArray  # per round_trip
    arc_hours: FloatArray  # need hours + travel hours: what H4 charges
    arc_value: FloatArray  # value - travel penalty: the objective coefficient

    # pairing arcs (E)
    pair_cadre: IntArray
    pair_village: IntArray
    pair_minutes: FloatArray
    pair_hours: FloatArray  # visits x (visit hours + travel hours)
    pair_existing: BoolArray  # listed in the cadre's paired_villages
    existing_pairings: int  # all paired_villages entries, kept or not

    # pools (Q)
    pool_amount: IntArray
    pool_limit: IntArray  # most one pool pays for one need: min(amount, max_per_need)
    pool_department: IntArray

    # villages (V)
    village_cap: IntArray
    village_town: IntArray
    village_region: IntArray  # index into scenario.REGIONS
    village_reachable: BoolArray
    village_servable_value: FloatArray  # total_value(v): needs H8 leaves and a provider reaches

    # categories (13): the department index owning each (matcher.prepare.departments), -1 if absent
    category_department: IntArray

    # policy scalars
    min_cadres: int
    shortfall_penalty: float
    change_penalty: float
    fairness_floor: float
    fairness_weight: float

    @property
    def n_needs(self) -> int:
        """N."""
        return len(self.need_ids)

    @property
    def n_providers(self) -> int:
        """P."""
        return len(self.provider_ids)

    @property
    def n_arcs(self) -> int:
        """A."""
        return len(self.arc_need)

    def arcs_of(self, need: int) -> range:
        """Arc indices of one need."""
        return range(int(self.need_arc_start[need]), int(self.need_arc_start[need + 1]))

    def pools_of(self, need: int) -> IntArray:
        """Pools that admit one need."""
        return self.need_pool[self.need_pool_start[need] : self.need_pool_start[need + 1]]
