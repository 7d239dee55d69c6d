"""The shape of a plan diff (:func:`matcher.reports.diff.plan_diff`, ``diff_version`` 1), as
typed dicts.

The diff stays plain JSON-ready data (``matcher diff --json`` writes it as built); these
:class:`~typing.TypedDict` classes say which keys each part holds, for the code that builds it,
the text rendering (:mod:`matcher.reports.diff_text`) and the API's documented response schema.
The module docstring of :mod:`matcher.reports.diff` says what each figure means.
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

# typing_extensions' TypedDict: pydantic reads no other before Python 3.12.
from typing_extensions import TypedDict

Row = TypeVar("Row")


class Capped(TypedDict, Generic[Row]):
    """A capped list: the exact ``count`` and the first ``items``, biggest effect first."""

    count: int
    items: list[Row]


class ValuedCapped(TypedDict, Generic[Row]):
    """A capped list of needs with their value in total (``null`` without the scenario)."""

    count: int
    value: float | None
    items: list[Row]


class NeedHead(TypedDict):
    """The first keys of every need row: its village, category and value as known."""

    need: str
    village: str | None
    category: str | None
    value: float | None


class GainedNeed(TypedDict):
    """A need served in B, not in A: B's provider and A's unmet reason."""

    need: str
    village: str | None
    category: str | None
    value: float | None
    provider: str
    travel_minutes: float | None
    reason_a: str | None


class LostNeed(TypedDict):
    """A need served in A, not in B: A's provider and B's unmet reason."""

    need: str
    village: str | None
    category: str | None
    value: float | None
    provider: str
    travel_minutes: float | None
    reason_b: str | None


# "from" is a Python keyword: this one is spelt as a call.
MovedNeed = TypedDict(
    "MovedNeed",
    {
        "need": str,
        "village": str | None,
        "category": str | None,
        "value": float | None,
        "from": str,
        "to": str,
        "travel_minutes_a": float | None,
        "travel_minutes_b": float | None,
    },
)
MovedNeed.__doc__ = "A need served in both plans by different providers."


class NeedsChanges(TypedDict):
    """Needs gained, lost and moved from A to B, and how many stay as they are."""

    gained: ValuedCapped[GainedNeed]
    lost: ValuedCapped[LostNeed]
    moved: Capped[MovedNeed]
    unchanged: int


class HouseholdRow(TypedDict):
    """A household with a served need in one plan only, and its needs served there."""

    household: str
    village: str
    needs: int


class HouseholdsChanges(TypedDict):
    """Households with a served need in A and in B, and those gained and lost."""

    available: Literal[True]
    note: None
    a: int
    b: int
    gained: Capped[HouseholdRow]
    lost: Capped[HouseholdRow]


class HouseholdsUnknown(TypedDict):
    """The households section without the scenario: only a note why."""

    available: Literal[False]
    note: str
    a: None
    b: None
    gained: None
    lost: None


class PairingRow(TypedDict):
    """A pairing of a cadre with a village."""

    cadre: str
    village: str


class VillagePairings(TypedDict):
    """A village whose pairings changed: how many in A and B, cadres added and removed."""

    village: str
    a: int
    b: int
    added: list[str]
    removed: list[str]


class PairingsChanges(TypedDict):
    """Pairings added and removed, and the villages whose pairings changed."""

    added: Capped[PairingRow]
    removed: Capped[PairingRow]
    by_village: Capped[VillagePairings]


class YuanTotal(TypedDict):
    """Whole yuan in A and in B, and the shift B − A."""

    a: int
    b: int
    shift: int


class HoursTotal(TypedDict):
    """Hours in A and in B, and the shift B − A."""

    a: float
    b: float
    shift: float


class PoolShift(TypedDict):
    """Whole yuan a pool pays in A and in B."""

    pool: str
    a: int
    b: int
    shift: int


class VillageShift(TypedDict):
    """Whole yuan paid towards a village's needs in A and in B."""

    village: str
    a: int
    b: int
    shift: int


class MoneyChanges(TypedDict):
    """Money the pools pay, by pool, by village (``null`` when a village is unknown), in
    total."""

    by_pool: list[PoolShift]
    by_village: Capped[VillageShift] | None
    total: YuanTotal
    note: str | None


class ProviderHours(TypedDict):
    """A provider's service hours in A and in B, and its capacity (``null`` without the
    scenario)."""

    provider: str
    a: float
    b: float
    shift: float
    capacity: float | None


class HoursChanges(TypedDict):
    """Providers whose service hours changed, and the hours in total."""

    providers: Capped[ProviderHours]
    total: HoursTotal


class KpiChange(TypedDict):
    """One KPI (nested ones flattened with dots) in A and in B; ``delta`` B − A when both are
    numbers."""

    kpi: str
    a: Any
    b: Any
    delta: float | None


class SolverFigures(TypedDict):
    """Which solver made a plan and its figures."""

    name: str
    status: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float | None


class SolverPair(TypedDict):
    """The solver figures of plans A and B."""

    a: SolverFigures
    b: SolverFigures


class ScenarioNames(TypedDict):
    """A scenario's name and sha256, as a plan states them (or of the scenario given)."""

    name: str | None
    sha256: str | None


class ScenarioCheck(TypedDict):
    """Which scenarios the plans are of, whether they agree, and warnings when they may not."""

    a: ScenarioNames
    b: ScenarioNames
    same: bool | None
    given: ScenarioNames | None
    warnings: list[str]


class DiffSummary(TypedDict):
    """The diff's headline counts; ``identical``: no need, pairing, money or hours change."""

    same_scenario: bool | None
    needs_gained: int
    needs_lost: int
    needs_moved: int
    needs_unchanged: int
    value_gained: float | None
    value_lost: float | None
    households_gained: int | None
    households_lost: int | None
    pairings_added: int
    pairings_removed: int
    villages_pairings_changed: int
    funding_a: int
    funding_b: int
    funding_shift: int
    pools_changed: int
    villages_funding_changed: int | None
    providers_hours_changed: int
    objective_a: float | None
    objective_b: float | None
    objective_delta: float | None
    kpis_changed: int
    identical: bool


class PlanDiff(TypedDict):
    """What changes from plan A to plan B, in the words of the field."""

    diff_version: int
    scenario: ScenarioCheck
    needs: NeedsChanges
    households: HouseholdsChanges | HouseholdsUnknown
    pairings: PairingsChanges
    money: MoneyChanges
    hours: HoursChanges
    kpis: list[KpiChange]
    solver: SolverPair
    summary: DiffSummary
