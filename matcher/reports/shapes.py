"""The shapes of the two reports of DESIGN §6 and of the blind-spot fixes, as typed dicts.

The reports stay plain JSON-ready dicts (a plan file stores them as they are built, key for key
and in the order built); these :class:`~typing.TypedDict` classes say which keys each dict holds
and what their values are, for the code that builds them (:mod:`matcher.reports`,
:mod:`matcher.advice`), the code that reads them (text, HTML, exports) and the API's documented
response schemas. A key marked ``NotRequired`` is added later or only in some cases.

A plan file read back holds whatever its writer put there: :func:`stored_reports` is the one
place where its ``reports`` are taken to have these shapes, unchecked, so readers keep
tolerating missing sections and keys (``.get`` with a default) and keys they do not know.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, NotRequired, Required, cast

# typing_extensions' TypedDict: pydantic reads no other before Python 3.12 (the API documents
# its response schemas from these classes).
from typing_extensions import TypedDict

ShortReason = Literal[
    "unreachable",  # no road reaches the village
    "nobody_in_reach",  # no available cadre with max_villages > 0 within its travel limit
    "too_few_in_reach",  # every cadre in reach is already paired with it
    "cadres_busy",  # cadres in reach have no pairing slots or hours left
    "not_chosen",  # a cadre in reach could still be paired; the objective preferred otherwise
]
ChangeKind = Literal[
    "extra_hours", "provider_hours", "longer_travel", "extra_funding", "village_cap"
]
ProviderKind = Literal["cadre", "organization", "team"]
DuplicateWhy = Literal["already_aided", "served_by_other"]


# Fixes (matcher.advice.fixes, attached by matcher.advice.confirm)


class FixChange(TypedDict):
    """One resource change of a fix (a what-if ``Change`` as JSON); the keys after ``unit``
    only for the kinds that use them."""

    kind: ChangeKind
    target: str
    amount: float
    unit: str  # hours, minutes or yuan
    skills: NotRequired[dict[str, int]]  # extra_hours
    town: NotRequired[str | None]  # extra_hours
    max_travel_minutes: NotRequired[float | None]  # extra_hours
    department: NotRequired[str | None]  # extra_funding
    categories: NotRequired[list[str]]  # extra_funding
    villages: NotRequired[list[str]]  # extra_funding
    max_per_need: NotRequired[int | None]  # extra_funding


class FixConfirmation(TypedDict, total=False):
    """What re-solving with a fix applied showed: ``kept`` and ``error`` when the change did
    not apply, else ``kept`` and the re-solve's figures."""

    method: str
    solver: str
    status: str
    needs_open_before: int
    needs_served_before: int
    needs_served_after: int
    kept: Required[bool]
    error: str
    objective_before: float
    objective_after: float | None
    value_added: float | None
    value_of_promised_services: float
    seconds: float


class GroupFix(TypedDict):
    """A ranked fix of an unmet group: ``kind`` is village_cap, extra_funding, longer_travel,
    extra_hours or road (no change serves needs no road reaches: no estimated value)."""

    rank: int
    kind: str
    description: str
    changes: list[FixChange]
    needs_promised: int
    need_ids: list[str]
    served_by: list[str | None]  # per need: the provider, or None for a new team
    value_open: float
    estimated_value: float | None
    prices: dict[str, float]
    confirmed: FixConfirmation | None


class PairingFix(TypedDict):
    """A ranked fix of a village short of cadres: pair this cadre, with the changes it needs."""

    rank: int
    kind: Literal["pairing"]
    cadre: str
    base: str
    minutes: float
    hours: float
    description: str
    changes: list[FixChange]
    estimated_value: float
    prices: dict[str, float]


class FixPricing(TypedDict):
    """How the fixes of a blind-spot report were priced and how many were confirmed."""

    method: str
    lp_converged: bool
    lp_seconds: float
    groups_with_fixes: int
    fixes_confirmed: int
    confirm_solver: str | None
    groups_sized: NotRequired[int]  # when the time limit ended sizing before every group


# The blind-spot report (matcher.reports.blind_spots)


class CadreInReach(TypedDict):
    """A cadre in reach of a short village and not paired with it: what it has left."""

    cadre: str
    department: str
    minutes: float
    hours_left: float
    pairings_left: int
    pairing_hours: float
    free: bool  # a slot and the hours: it could be paired now


class VillageHead(TypedDict):
    """The first keys of every village row of the blind-spot report."""

    village: str
    name: str | None
    town: str
    households: int


class ShortVillage(VillageHead):
    """A village with fewer paired cadres than ``min_cadres_per_village``, and why."""

    pairings: int
    required: int
    shortfall: int
    why: ShortReason
    paired_cadres: list[str]
    cadres_in_reach: int
    candidates: list[CadreInReach]  # the most promising first
    fixes: NotRequired[list[PairingFix]]


class UnreachableVillage(VillageHead):
    """A village no road reaches, with its number of needs."""

    needs: int


class UnreachedVillage(VillageHead):
    """An unpaired village's households with no served need."""

    households_with_served_need: int
    unreached: int


class UnreachedHouseholds(TypedDict):
    """Households with no served need in villages with no pairing."""

    total: int
    households_total: int
    share: float
    villages: list[UnreachedVillage]


class UnmetGroup(TypedDict):
    """Unmet needs of one town and category: counts by reason, what is left open."""

    town: str
    category: str
    needs: int
    reasons: dict[str, int]  # by unmet reason, most structural first; zero counts left out
    need_ids: list[str]  # the first ones
    villages: int
    value_open: float
    hours_open: float
    yuan_open: int
    main_reason: str  # the most frequent unmet reason (the most structural among equals)
    fixes: NotRequired[list[GroupFix]]


class ReasonTally(TypedDict):
    """Unmet needs of one reason and the value they leave open."""

    needs: int
    value_open: float


class UnservedCategory(TypedDict):
    """A need category with servable needs of which the plan serves none."""

    category: str
    needs: int
    value_open: float
    reasons: dict[str, int]
    providers_in_reach: int
    need_ids: list[str]  # the first ones


class BlindSpotTotals(TypedDict):
    """The blind-spot report's headline counts."""

    villages: int
    villages_short: int
    pairings_short: int
    villages_short_by_why: dict[str, int]  # zero counts left out
    villages_unreachable: int
    households_unreached: int
    households_unreached_share: float
    needs_unmet: int
    value_open: float
    unmet_groups: int
    categories_served_by_nobody: int


class BlindSpotsReport(TypedDict):
    """The blind-spot report (帮扶盲区): who and what a plan leaves out, and why."""

    min_cadres_per_village: int
    short_villages: list[ShortVillage]
    unreachable_villages: list[UnreachableVillage]
    unreached_households: UnreachedHouseholds
    unmet_groups: list[UnmetGroup]
    unmet_by_reason: dict[str, ReasonTally]  # every unmet reason
    categories_served_by_nobody: list[UnservedCategory]
    totals: BlindSpotTotals
    fix_pricing: NotRequired[FixPricing]  # when fixes were ranked
    fixes_skipped: NotRequired[str]  # when they were asked for but not ranked, and why


# The duplicate-aid report (matcher.reports.duplicate_aid, merged_submissions)


class RecordDetail(TypedDict):
    """One aid record of a duplicate or near-duplicate group."""

    id: str
    provider: str
    provider_kind: ProviderKind
    department: str
    date: str
    cost: int
    hours: float
    category: NotRequired[str]  # near-duplicate groups


class RunFields(TypedDict):
    """What an exact and a near-duplicate group both say of their run of aid records."""

    records: list[str]
    providers: list[str]
    departments: list[str]
    first_date: str
    last_date: str
    span_days: int
    details: list[RecordDetail]
    total_yuan: int
    total_hours: float


class DuplicateGroup(TypedDict):
    """Records of one household (or village) and category from more than one provider in the
    window: the money and hours beyond the first record are waste."""

    household: str | None  # None: village-level aid
    village: str
    category: str
    records: list[str]
    providers: list[str]
    departments: list[str]
    first_date: str
    last_date: str
    span_days: int
    details: list[RecordDetail]
    total_yuan: int
    total_hours: float
    waste_yuan: int
    waste_hours: float
    needs: list[str]  # open needs of the household and category


class WasteTally(TypedDict):
    """Duplicate groups, their records and waste, by department pair, village, category or
    town."""

    groups: int
    records: int
    waste_yuan: int
    waste_hours: float


class NearDuplicateGroup(TypedDict):
    """Records of one household in related categories from different providers in the
    window: flagged, not waste."""

    household: str | None
    village: str
    category_pair: str
    categories: list[str]
    relation: str
    records: list[str]
    providers: list[str]
    departments: list[str]
    first_date: str
    last_date: str
    span_days: int
    details: list[RecordDetail]
    total_yuan: int
    total_hours: float
    overlap_yuan: int
    overlap_hours: float
    needs: list[str]


class NearDuplicateTally(TypedDict):
    """Near-duplicate groups of one category pair."""

    groups: int
    records: int
    total_yuan: int
    overlap_yuan: int
    overlap_hours: float


class NearDuplicateTotals(TypedDict):
    """Near-duplicates in all (each record counted once)."""

    groups: int
    records: int
    households: int
    total_yuan: int
    total_hours: float
    overlap_yuan: int
    overlap_hours: float
    share_of_ledger_yuan: float


class NearDuplicates(TypedDict):
    """The near-duplicates section: related categories, flagged, never counted as waste."""

    counted_as_waste: bool
    relations: dict[str, str]  # category pair: why they are related
    groups: list[NearDuplicateGroup]
    totals: NearDuplicateTotals
    by_category_pair: dict[str, NearDuplicateTally]


class HeldBackRecord(TypedDict):
    """An aid record that holds a need back (H8), compactly."""

    id: str
    provider: str
    date: str


class HeldBackNeed(TypedDict):
    """A need H8 holds back, with the records that hold it back."""

    need: str
    household: str | None
    village: str
    category: str
    value: float
    records: list[str]  # the first ten
    providers: list[str]
    details: list[HeldBackRecord]  # the first ten
    records_total: NotRequired[int]  # when more than ten hold it back


class MergedSubmission(TypedDict):
    """Open needs of one household and category merged into the one kept."""

    kept: str
    merged: list[str]
    household: str
    village: str
    town: str
    category: str
    kept_served_by: str | None
    merged_value: float
    merged_hours: float
    merged_cost: int


class MergedServed(TypedDict):
    """A merged need the plan serves anyway."""

    need: str
    kept: str
    provider: str
    kept_served_by: str | None
    served_twice: bool  # the kept need is served too
    household: str
    village: str
    category: str
    hours: float
    yuan: int


class MergedTotals(TypedDict):
    """The merged submissions in all."""

    merges: int
    needs_merged: int
    households: int
    merged_value: float
    merged_hours: float
    merged_cost: int
    served_in_plan: int
    served_twice: int
    served_in_plan_hours: float
    served_in_plan_yuan: int


class MergedSubmissions(TypedDict):
    """The duplicate submissions merged before solving, and any the plan serves anyway."""

    rule: str
    merges: list[MergedSubmission]
    served_in_plan: list[MergedServed]
    totals: MergedTotals
    note: str


class PlanDuplicateService(TypedDict):
    """A service a (siloed) plan spent on a need already aided or served by another silo."""

    need: str
    provider: str
    department: str
    why: DuplicateWhy
    household: str | None
    village: str | None
    category: str | None
    hours: float
    yuan: int


class ServiceTally(TypedDict):
    """Duplicate services, their hours and money."""

    services: int
    hours: float
    yuan: int


class PlanDuplicates(TypedDict):
    """The duplicate services a plan itself spent, in all, by why and by department."""

    services: list[PlanDuplicateService]
    totals: ServiceTally
    by_why: dict[str, ServiceTally]
    by_department: dict[str, ServiceTally]
    note: str


class DuplicateAidTotals(TypedDict):
    """The duplicate-aid report's headline figures."""

    groups: int
    records: int
    households: int
    villages: int
    village_level_groups: int
    ledger_records: int
    ledger_yuan: int
    ledger_hours: float
    group_yuan: int
    group_hours: float
    waste_yuan: int
    waste_hours: float
    waste_share_of_ledger_yuan: float
    waste_share_of_ledger_hours: float
    held_back_needs: int
    near_duplicate_groups: int
    needs_merged: int


class DuplicateAidReport(TypedDict):
    """The duplicate-aid report (重复帮扶): who helped the same household twice."""

    window_days: int
    groups: list[DuplicateGroup]
    totals: DuplicateAidTotals
    by_department_pair: dict[str, WasteTally]
    by_village: dict[str, WasteTally]
    by_category: dict[str, WasteTally]
    by_town: dict[str, WasteTally]
    near_duplicates: NearDuplicates
    held_back: list[HeldBackNeed]
    merged_submissions: MergedSubmissions
    plan_duplicates: PlanDuplicates


class PlanReports(TypedDict, total=False):
    """A plan's ``reports``: both, as :func:`matcher.reports.build_reports` makes them."""

    duplicate_aid: DuplicateAidReport
    blind_spots: BlindSpotsReport


def stored_reports(reports: Mapping[str, Any]) -> PlanReports:
    """A plan file's ``reports`` (:attr:`matcher.plan.Plan.reports`, or the ``reports`` of a
    plan's JSON) as :class:`PlanReports`.

    Unchecked, on purpose: ``Plan.reports`` stays free-form so that any plan file reads as it
    is, whoever wrote it; a section or a key may be missing, or one added that these shapes do
    not name. Whoever reads through this keeps tolerating that.
    """
    return cast(PlanReports, reports)
