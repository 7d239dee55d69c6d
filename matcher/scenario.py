"""The scenario: schema_version 1 of DESIGN §3 as frozen pydantic models.

These models are both the wire schema and the immutable domain model: pydantic checks every
field's type, range and default (and reports every problem at once, with its path), and the
frozen instances are what the rest of the package reads. Cross-references between lists
(ids, bases, towns, pinned providers) are checked in :mod:`matcher.intake.validation`.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)


class Category(StrEnum):
    """The need categories (and skills) of DESIGN §3."""

    agri_tech = "agri_tech"
    e_commerce = "e_commerce"
    employment = "employment"
    infrastructure = "infrastructure"
    child_care = "child_care"
    education = "education"
    elderly_care = "elderly_care"
    medical = "medical"
    mental_health = "mental_health"
    culture = "culture"
    dispute_mediation = "dispute_mediation"
    policy_service = "policy_service"
    hardship_relief = "hardship_relief"


CATEGORIES: tuple[str, ...] = tuple(c.value for c in Category)
REGIONS: tuple[str, ...] = ("east", "central", "west")

Region = Literal["east", "central", "west"]
PriorityKey = Literal["1", "2", "3", "4", "5"]
_PRIORITY_WEIGHTS: dict[PriorityKey, float] = {"1": 1.0, "2": 2.0, "3": 4.0, "4": 8.0, "5": 16.0}
_REGION_WEIGHTS: dict[Region, float] = {"east": 1.0, "central": 1.3, "west": 1.3}


def _default_priority_weights() -> dict[PriorityKey, float]:
    return dict(_PRIORITY_WEIGHTS)


def _default_region_weights() -> dict[Region, float]:
    return dict(_REGION_WEIGHTS)


def _id_form(value: str) -> str:
    # An id is typed, compared and printed by people: what they see must be all there is.
    if value != value.strip():
        raise ValueError("an id must not begin or end with white space")
    hidden = next((c for c in value if not c.isprintable() and c != " "), None)
    if hidden is not None:
        raise ValueError(
            f"an id must be printable text; it holds U+{ord(hidden):04X} (invisible or a "
            "control character)"
        )
    return value


# Bounds fit the arrays downstream: money sums over 10^5 needs stay far inside int64, and
# hours, minutes and counts stay within what a county could mean. intake.bounds refuses any
# number beyond 10^15 and any unclean text before these are checked.
MAX_YUAN = 10**12
MAX_HOURS = 100_000.0
MAX_MINUTES = 100_000.0
MAX_COUNT = 100_000_000

Id = Annotated[str, Field(min_length=1, max_length=128), AfterValidator(_id_form)]
Name = Annotated[str, Field(max_length=200)]
Tag = Annotated[str, Field(min_length=1, max_length=64)]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
Level = Annotated[int, Field(ge=1, le=3)]
Hours = Annotated[float, Field(gt=0, le=MAX_HOURS)]
Minutes = Annotated[float, Field(ge=0, le=MAX_MINUTES)]
Yuan = Annotated[int, Field(ge=0, le=MAX_YUAN)]
Weight = Annotated[float, Field(ge=0, le=1_000_000)]
DailyHours = Annotated[float, Field(gt=0, le=24)]
# A time of day, 00:00-23:59 (DESIGN §9's day_start).
ClockTime = Annotated[str, Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
Penalty = Annotated[float, Field(ge=0, le=1_000_000_000)]
Lon = Annotated[float, Field(ge=-180, le=180)]
Lat = Annotated[float, Field(ge=-90, le=90)]
Skills = dict[Category, Level]


# A mainland mobile number (11 digits from 1[3-9]) or a resident ID-card number (18 digits, the
# last may be X, or the old 15-digit form) inside a household id means personal data leaked in.
_PERSONAL_NUMBER = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx]|\d{15})(?![\dXx])")


def check_pseudonymous(value: str | None) -> str | None:
    """Refuse a household id that holds a phone or ID-card number (DESIGN §3: no personal data)."""
    if value is not None and _PERSONAL_NUMBER.search(value.replace(" ", "").replace("-", "")):
        raise ValueError(
            "household ids must be pseudonymous: this one looks like a phone or ID-card number"
        )
    return value


def _date_not_number(value: object) -> object:
    # pydantic reads a number as a Unix timestamp; a ledger date of 86400 is a typo, not 1970.
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError("a date must be written as YYYY-MM-DD, not a number")
    return value


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _date_in_range(value: dt.date) -> dt.date:
    # Far dates overflow date arithmetic (a horizon ending after 9999) and are always typos.
    if not FIRST_DATE <= value <= LAST_DATE:
        raise ValueError(f"a date must lie between {FIRST_DATE} and {LAST_DATE}, not {value}")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_date_not_number), AfterValidator(_date_in_range)]
# A list of dates (holidays, make-up days, days off): a few years' worth at most.
MAX_DATES = 1_000
Dates = Annotated[tuple[IsoDate, ...], Field(max_length=MAX_DATES)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False, allow_inf_nan=False)


class Horizon(_Frozen):
    """The period a plan covers."""

    start: IsoDate
    days: Annotated[int, Field(ge=1, le=366)]
    # DESIGN §9: dates that are not working days, and weekend days that are (调休).
    holidays: Dates = ()
    workdays: Dates = ()

    @property
    def end(self) -> dt.date:
        """The first day after the horizon."""
        return self.start + dt.timedelta(days=self.days)


class Place(_Frozen):
    """A town seat or the county seat: a base and a road-network node."""

    id: Id
    name: Name | None = None
    kind: Literal["county_seat", "town"]
    lon: Lon
    lat: Lat


class Village(_Frozen):
    """An administrative village."""

    id: Id
    name: Name | None = None
    town: Id
    lon: Lon
    lat: Lat
    households: Count
    population: Count | None = None
    left_behind_children: Count | None = None
    elderly: Count | None = None
    region: Region
    funding_cap: Yuan | None = None


class Road(_Frozen):
    """An undirected road segment between two nodes (places or villages)."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", populate_by_name=True, allow_inf_nan=False
    )

    from_: Id = Field(alias="from")
    to: Id
    minutes: Minutes


class Cadre(_Frozen):
    """A government staff member who serves needs and is paired with villages."""

    id: Id
    name: Name | None = None
    title: Name | None = None  # the post, e.g. 乡镇干部 or 驻村第一书记
    department: Id
    base: Id
    skills: Skills
    hours: Hours
    max_travel_minutes: Minutes
    max_villages: Annotated[int, Field(ge=0, le=10_000)] = 2
    paired_villages: tuple[Id, ...] = ()
    available: bool = True
    days_off: Dates = ()  # DESIGN §9: dates the cadre cannot work
    daily_hours: DailyHours | None = None  # DESIGN §9: default policy.daily_hours


class Organization(_Frozen):
    """An enterprise, NGO, volunteer team or cooperative (a "social force")."""

    id: Id
    name: Name | None = None
    kind: Literal["enterprise", "ngo", "volunteer", "cooperative"]
    base: Id
    skills: Skills
    hours: Hours
    max_travel_minutes: Minutes
    towns: tuple[Id, ...] | None = None
    days_off: Dates = ()  # DESIGN §9
    daily_hours: DailyHours | None = None  # DESIGN §9


class Pool(_Frozen):
    """A budget pool of a department or donor."""

    id: Id
    name: Name | None = None
    department: Id
    amount: Yuan
    categories: tuple[Category, ...] | None = None
    villages: tuple[Id, ...] | None = None
    regions: tuple[Region, ...] | None = None
    max_per_need: Yuan | None = None


class Need(_Frozen):
    """An open request of a household, or of a whole village when ``household`` is null."""

    id: Id
    village: Id
    household: Id | None = None
    category: Category
    skill: Category | None = None
    level: Level = 1
    hours: Hours
    cost: Yuan = 0
    priority: Annotated[int, Field(ge=1, le=5)] = 1
    vulnerable: tuple[Tag, ...] = ()
    household_label: Name | None = None  # the county's own label (三组12号); no personal data
    submitted: IsoDate | None = None
    pinned_provider: Id | None = None
    respond_by: IsoDate | None = None  # DESIGN §9: overrides the computed deadline

    @model_validator(mode="before")
    @classmethod
    def _skill_defaults_to_category(cls, data: object) -> object:
        if (
            isinstance(data, dict)
            and data.get("skill") is None
            and data.get("category") in CATEGORIES
        ):
            return {**data, "skill": data["category"]}
        return data

    @field_validator("household", "household_label")
    @classmethod
    def _household_is_pseudonymous(cls, value: str | None) -> str | None:
        return check_pseudonymous(value)

    @property
    def required_skill(self) -> Category:
        """The skill a provider must hold (the category unless stated)."""
        return self.skill if self.skill is not None else self.category


class AidRecord(_Frozen):
    """A line of a department's existing aid ledger."""

    id: Id
    household: Id | None = None
    village: Id
    category: Category
    provider: Id
    cost: Yuan = 0
    hours: Annotated[float, Field(ge=0, le=MAX_HOURS)] = 0.0
    date: IsoDate

    @field_validator("household")
    @classmethod
    def _household_is_pseudonymous(cls, value: str | None) -> str | None:
        return check_pseudonymous(value)


class Policy(_Frozen):
    """Policy settings; every field optional with the defaults of DESIGN §3."""

    min_cadres_per_village: Annotated[int, Field(ge=0, le=100)] = 2
    visits_per_pairing: Annotated[int, Field(ge=0, le=100)] = 2
    visit_hours: Annotated[float, Field(ge=0, le=24)] = 2.0
    round_trip: bool = True
    detour_factor: Annotated[float, Field(gt=0, le=10)] = 1.3
    speed_kmh: Annotated[float, Field(gt=0, le=1000)] = 40.0
    village_funding_cap: Yuan = 200000
    priority_weights: dict[PriorityKey, Weight] = Field(default_factory=_default_priority_weights)
    region_weights: dict[Region, Weight] = Field(default_factory=_default_region_weights)
    vulnerable_weight: Weight = 1.5
    travel_penalty_per_hour: Penalty = 10.0
    pairing_shortfall_penalty: Penalty = 1000.0
    pairing_change_penalty: Penalty = 50.0
    fairness_floor_share: Annotated[float, Field(ge=0, le=1)] = 0.0
    fairness_weight: Weight = 0.0
    duplicate_window_days: Annotated[int, Field(ge=0, le=3660)] = 30
    allow_repeat_aid: bool = False
    social_share_target: Annotated[float, Field(ge=0, le=1)] = 0.3
    # DESIGN §9: days, routes and deadlines (off by default: sections 3-6 unchanged).
    schedule: bool = False
    daily_hours: DailyHours = 8.0
    day_start: ClockTime = "08:30"
    response_working_days: Annotated[int, Field(ge=0, le=366)] = 3
    visit_min_gap_days: Annotated[int, Field(ge=0, le=366)] = 7
    late_penalty_per_day: Penalty = 10.0

    @field_validator("priority_weights", "region_weights", mode="after")
    @classmethod
    def _complete_weights(cls, value: dict[str, float], info: ValidationInfo) -> dict[str, float]:
        # A partial override keeps the defaults of the keys it does not name.
        name = info.field_name
        source = _PRIORITY_WEIGHTS if name == "priority_weights" else _REGION_WEIGHTS
        defaults: dict[str, float] = {str(k): w for k, w in source.items()}
        return {**defaults, **value}

    def priority_weight(self, priority: int) -> float:
        """The weight of a need's priority (1-5)."""
        return float(self.priority_weights[str(priority)])  # type: ignore[index]

    def region_weight(self, region: str) -> float:
        """The weight of a village's region class."""
        return float(self.region_weights[region])  # type: ignore[index]


class Scenario(_Frozen):
    """A whole county scenario (DESIGN §3). Unknown top-level fields are ignored with a warning."""

    model_config = ConfigDict(frozen=True, extra="ignore", allow_inf_nan=False)

    schema_version: Literal[1]
    name: Name | None = None
    horizon: Horizon
    places: tuple[Place, ...]
    villages: tuple[Village, ...]
    roads: tuple[Road, ...] | None = None
    cadres: tuple[Cadre, ...]
    organizations: tuple[Organization, ...] = ()
    pools: tuple[Pool, ...] = ()
    needs: tuple[Need, ...]
    aid_records: tuple[AidRecord, ...] = ()
    policy: Policy = Field(default_factory=Policy)

    def village_cap(self, village: Village) -> int:
        """The funding cap of a village: its own, else the policy's."""
        if village.funding_cap is not None:
            return village.funding_cap
        return self.policy.village_funding_cap
