"""The plan file of DESIGN §6 (schema_version 1): models, reading and writing.

A plan is written and read back losslessly: optional fields that other programs add are kept
(``extra="allow"``), and numbers are written as computed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field

from matcher.files import write_text_atomic

PlanStatus = Literal["optimal", "feasible", "infeasible", "stopped", "error"]
UnmetReason = Literal[
    "already_aided",
    "no_provider_in_reach",
    "no_day_available",  # DESIGN §9: only with policy.schedule on
    "no_eligible_funding",
    "capacity_exhausted",
    "funding_exhausted",
    "not_chosen",
]
UNMET_REASONS: tuple[str, ...] = get_args(UnmetReason)  # most structural first


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ScenarioRef(_Open):
    """Which scenario the plan is for."""

    name: str | None = None
    sha256: str | None = None


class SolverInfo(_Open):
    """Who made the plan and how well it did (objective and bound from the evaluator)."""

    name: str
    status: PlanStatus
    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float | None = None
    seed: int | None = None
    version: str | None = None
    stats: dict[str, Any] | None = None


class Pairing(_Open):
    """A cadre made responsible for a village (包村).

    The fields after ``village`` are optional: they name the pairing's parties for readers
    without the scenario (rosters, exports), written by the engine and absent from plans that
    predate them (:data:`NAMING_FIELDS`)."""

    cadre: str
    village: str
    cadre_name: str | None = None  # optional: the cadre's name, when the scenario gives one
    village_name: str | None = None  # optional: the village's name
    minutes: float | None = None  # optional: one-way travel from the cadre's base
    existing: bool | None = None  # optional: listed in the cadre's paired_villages
    visit_dates: list[str] | None = None  # DESIGN §9 (schedule on): the visits' ISO dates


class FundingLine(_Open):
    """Whole yuan paid by one pool towards one need."""

    pool: str
    amount: int


class Assignment(_Open):
    """A need served by one provider, funded by pools."""

    need: str
    provider: str
    travel_minutes: float | None = None
    hours: float | None = None
    funding: list[FundingLine] = Field(default_factory=list)
    village: str | None = None  # optional: the need's village, for readers without the scenario
    category: str | None = None  # optional: the need's category
    # Optional, naming the parties (NAMING_FIELDS): a household of null is a village-level need.
    household: str | None = None  # the need's pseudonymous household id
    household_label: str | None = None  # the county's own label of the household (三组12号)
    provider_name: str | None = None  # the provider's name, when the scenario gives one
    village_name: str | None = None  # the village's name
    date: str | None = None  # DESIGN §9 (schedule on): the service day, ISO


class Stop(_Open):
    """One stop of a route (DESIGN §9): a village, when the provider is there, and why (a
    pairing's visit, needs served)."""

    village: str
    arrive: str  # HH:MM
    depart: str  # HH:MM
    visit: bool = False
    needs: list[str] = Field(default_factory=list)


class Route(_Open):
    """One provider's working day (DESIGN §9): leaves the base at day_start, makes its stops in
    order, returns. ``travel_minutes`` and ``hours`` are the plan's figures; the evaluator
    recomputes both from the scenario."""

    provider: str
    date: str  # ISO
    stops: list[Stop] = Field(default_factory=list)
    travel_minutes: float = 0.0
    hours: float = 0.0


class DuplicateService(_Open):
    """Aid a silo planned that duplicates the ledgers or another silo (optional field).

    Not a served need: it spends the provider's hours and the pools' money for nothing new.
    """

    need: str
    provider: str
    why: Literal["already_aided", "served_by_other"]
    travel_minutes: float | None = None
    hours: float | None = None
    funding: list[FundingLine] = Field(default_factory=list)


class Unmet(_Open):
    """A need the plan leaves open, with the most structural reason."""

    need: str
    reason: UnmetReason
    detail: str = ""  # in English, naming things by id
    village: str | None = None  # optional: the need's village
    category: str | None = None  # optional: the need's category
    # Optional (UNMET_FIELDS), written only when set: the detail in Chinese, naming villages,
    # providers and pools by name with id and categories by their labels.
    detail_zh: str | None = None


class Plan(_Open):
    """An allocation plan (DESIGN §6)."""

    schema_version: Literal[1] = 1
    scenario: ScenarioRef = Field(default_factory=ScenarioRef)
    solver: SolverInfo
    pairings: list[Pairing] = Field(default_factory=list)
    assignments: list[Assignment] = Field(default_factory=list)
    unmet: list[Unmet] = Field(default_factory=list)
    # Free-form JSON objects, read and written as they are (another program's plan may lack or
    # extend them). What matcher writes there is typed as matcher.evaluate.kpis.Kpis and
    # matcher.reports.shapes.PlanReports, read through their stored_kpis / stored_reports.
    # (Mapping, not dict: validated and dumped the same, and it takes those typed dicts.)
    kpis: Mapping[str, Any] = Field(default_factory=dict)
    reports: Mapping[str, Any] = Field(default_factory=dict)
    duplicate_services: list[DuplicateService] = Field(default_factory=list)
    violations: list[dict[str, Any]] = Field(default_factory=list)
    schedule: list[Route] | None = None  # DESIGN §9: the routes, when policy.schedule is on


NAMING_FIELDS: dict[str, tuple[str, ...]] = {
    "pairings": ("cadre_name", "village_name", "minutes", "existing"),
    "assignments": ("household", "household_label", "provider_name", "village_name"),
}
"""The optional fields that name a plan's parties, by list. Written only when set (the engine
sets them all, null where the scenario has no value), so that a plan read without them is
written back without them, byte for byte, and a null keeps its meaning (a village-level need,
a provider without a name) rather than standing for "not stated"."""


UNMET_FIELDS: dict[str, tuple[str, ...]] = {"unmet": ("detail_zh",)}
"""The optional fields of the open needs, written only when set, like :data:`NAMING_FIELDS`:
a plan of another program (or an older one) read without them is written back without them."""


SCHEDULE_FIELDS: dict[str, tuple[str, ...]] = {
    "pairings": ("visit_dates",),
    "assignments": ("date",),
}
"""The optional fields of DESIGN §9 on a plan's items, written only when set, like
:data:`NAMING_FIELDS`: a plan without a schedule has none of them."""


def _drop_unset_naming(plan: Plan, data: dict[str, Any]) -> None:
    """Remove from the dumped ``data`` the optional fields its items were never given."""
    for optional in (NAMING_FIELDS, SCHEDULE_FIELDS, UNMET_FIELDS):
        for key, fields in optional.items():
            items: list[Pairing] | list[Assignment] | list[Unmet] = getattr(plan, key)
            for item, dumped in zip(items, data[key], strict=True):
                for field in fields:
                    if field not in item.model_fields_set:
                        dumped.pop(field, None)


def carries_names(plan: Plan) -> bool:
    """Whether the plan names its parties (:data:`NAMING_FIELDS` on its assignments or
    pairings): what readers without the scenario need for rosters."""
    items: list[Pairing | Assignment] = [*plan.assignments, *plan.pairings]
    return any("village_name" in item.model_fields_set for item in items)


def plan_to_json(plan: Plan) -> str:
    """The plan as pretty JSON text (UTF-8 friendly: Chinese stays readable)."""
    data = plan.model_dump(mode="json", exclude_none=False)
    _drop_unset_naming(plan, data)
    for optional in ("duplicate_services", "violations"):
        if not data.get(optional):
            data.pop(optional, None)
    if plan.schedule is None:
        data.pop("schedule", None)
    return json.dumps(data, ensure_ascii=False, indent=1)


def write_plan(plan: Plan, path: Path) -> None:
    """Write a plan file atomically (a crash never leaves half a plan)."""
    write_text_atomic(path, plan_to_json(plan) + "\n")


def read_plan(path: Path) -> Plan:
    """Read a plan file."""
    return Plan.model_validate(json.loads(path.read_text(encoding="utf-8")))
