"""The API's wire shapes: separate input and output models (DESIGN §7)."""

from __future__ import annotations

import datetime as dt
import json
import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, GetJsonSchemaHandler, field_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

# A plan's reports, KPIs and diffs are served as matcher makes them: their shapes are
# matcher's own typed dicts, named here as the responses' documented schemas.
from matcher.evaluate.kpis import Kpis as Kpis
from matcher.intake.bounds import text_problem
from matcher.plan import Plan
from matcher.register.kpis import ServiceKpis as ServiceKpis
from matcher.reports.diff_shapes import PlanDiff as PlanDiff
from matcher.reports.shapes import BlindSpotsReport as BlindSpotsReport
from matcher.reports.shapes import DuplicateAidReport as DuplicateAidReport
from matcher.scenario import Need, Scenario
from solvers import SolverName

JobStatusName = Literal["queued", "running", "succeeded", "failed", "stopped"]

CLEAN_TEXT = r"^[^\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]*$"
"""Text with no control or direction character: what the input checks let through
(:mod:`api.input_checks`), stated in the schema so that clients and fuzzers know it."""


@cache
def example_scenario() -> dict[str, Any]:
    """The contract's tiny county, the OpenAPI examples' scenario."""
    text = Path(__file__).with_name("example_scenario.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


class DocumentedAs:
    """Annotation: document a field or body with ``model``'s JSON schema while validating it
    as the annotated type. A scenario is received as a plain JSON object and checked by
    :func:`matcher.intake.loading.parse_scenario`, which reports every problem at its JSON path
    (pydantic here would refuse or coerce it first, with other paths); the OpenAPI document
    still shows the real :class:`matcher.scenario.Scenario`, as a component clients can
    generate types from, with ``example`` as its example."""

    def __init__(self, model: type[BaseModel], example: Any = None) -> None:
        self.model = model
        self.example = example

    def __get_pydantic_json_schema__(
        self, _schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """A ``$ref`` to the model's own component, not an inline copy per use."""
        model = self.model.__pydantic_core_schema__
        reference = core_schema.definition_reference_schema(model["ref"])
        found = handler(core_schema.definitions_schema(reference, [model]))
        if self.example is not None:
            handler.resolve_ref_schema(found)["examples"] = [self.example]
        return found


ScenarioObject = Annotated[dict[str, Any], DocumentedAs(Scenario, example_scenario())]
"""A scenario as a request carries it: any JSON object (checked by matcher, every problem
located), documented as :class:`matcher.scenario.Scenario`."""

LABEL_MAX_LENGTH = 100


def iso_date_text(value: object) -> object:
    """A date field's value as JSON gives it: ``YYYY-MM-DD`` text (pydantic's lax reading would
    also take a number as a Unix time); ValueError otherwise."""
    if value is not None and not (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
    ):
        raise ValueError("must be a date, YYYY-MM-DD")
    return value


class RegisterReplan(BaseModel):
    """A re-plan from the county's need register (DESIGN §10) in place of a scenario."""

    model_config = ConfigDict(extra="forbid")

    date: dt.date = Field(
        description="The re-plan's day: the horizon starts here (earlier days are frozen) and "
        "ends where the county's planning period ends.",
        examples=["2026-12-07"],
    )

    @field_validator("date", mode="before")
    @classmethod
    def _iso_text(cls, value: object) -> object:
        """An ISO date string, as the schema says (not a number read as a Unix time)."""
        return iso_date_text(value)


class PlanRequest(BaseModel):
    """A solve to run: a scenario (DESIGN §3), or the register's re-plan, and how to solve
    it. Exactly one of ``scenario`` and ``register``."""

    model_config = ConfigDict(extra="forbid")

    scenario: ScenarioObject | None = Field(
        None, description="A scenario, schema_version 1 (DESIGN §3)."
    )
    # Named ``register`` on the wire (``register`` itself is a method of every model class).
    from_register: RegisterReplan | None = Field(
        None,
        alias="register",
        description="Re-plan from the register instead of a scenario: the service builds the "
        "scenario from the county's latest version (PUT /v1/county) and the register's needs, "
        "and the county's published plan is the previous plan (unless ``previous_plan_id`` "
        "names another); ``max_changes`` then counts only published work moved or dropped.",
    )
    label: str | None = Field(
        None,
        max_length=LABEL_MAX_LENGTH,
        pattern=CLEAN_TEXT,
        description="Your own words for the job (at most 100 characters of clean text: no "
        "control or direction characters), shown with it in the job list.",
        examples=["Spring round, draft 2"],
    )
    solver: SolverName = Field("auto", description="See GET /v1/solvers.")
    time_limit_seconds: float | None = Field(
        None, gt=0, description="Seconds for the whole run; default and maximum are settings."
    )
    seed: int = Field(0, ge=0, le=2**31 - 1, description="Same seed, same plan.")
    policy: dict[str, Any] | None = Field(
        None,
        description="Policy overrides (DESIGN §3 policy fields, e.g. fairness_floor_share, "
        "min_cadres_per_village) merged over the scenario's own policy before validation.",
    )
    confirm_fixes: int = Field(
        0,
        ge=0,
        le=10,
        description="Re-solve the top blind-spot fix of this many of the largest unmet groups "
        "to confirm it (each adds about 10 s after the time limit).",
    )
    previous_plan_id: str | None = Field(
        None,
        max_length=64,
        pattern=CLEAN_TEXT,
        description="Re-plan: the id of an earlier job of this county whose plan (it must have "
        "finished: succeeded or stopped, with a plan) is the start. What no longer exists in "
        "this scenario is dropped, what breaks a rule is repaired, and the search goes on from "
        "there (the CLI's ``--from``).",
        examples=["477ef3ce7a134da3af96fba5a4825a76"],
    )
    max_changes: int | None = Field(
        None,
        ge=0,
        le=10_000_000,
        description="With ``previous_plan_id`` and a solver that can re-plan (see "
        "GET /v1/solvers, ``replanning``): at most this many assignments that move, appear "
        "or vanish plus pairings made or dropped (the CLI's ``--max-changes``).",
    )

    @field_validator("label")
    @classmethod
    def _clean_label(cls, value: str | None) -> str | None:
        """Clean text (the input checks refuse unclean text anywhere in a body first; this
        keeps the rule with the field)."""
        problem = None if value is None else text_problem(value)
        if problem is not None:
            raise ValueError(f"the label {problem}")
        return value

    @field_validator("time_limit_seconds", "seed", "confirm_fixes", "max_changes", mode="before")
    @classmethod
    def _json_number(cls, value: object) -> object:
        """A number, as the schema says: pydantic's lax mode would read ``false`` as 0 and
        ``"7"`` as 7. (An integral ``7.0`` is a JSON Schema integer, and stays valid.)"""
        if isinstance(value, bool | str):
            raise ValueError("must be a number")
        return value


class ProblemItem(BaseModel):
    """One problem of a request, located by its JSON path and the id of the item."""

    path: str = Field(
        examples=["$.scenario.cadres[3].hours"],
        description="A JSON path into the request; for a workbook, the cell as Excel names "
        "it (``needs!G8``), the row (``needs!8:8``), the sheet, or ``workbook``.",
    )
    message: str
    id: str | None = None
    severity: Literal["error", "warning"] = "error"
    sheet: str | None = Field(
        None, description="A workbook's sheet (tab) where the problem is.", examples=["needs"]
    )
    row: int | None = Field(None, description="The row, numbered as Excel shows it.")
    column: str | None = Field(None, description="The column letter.", examples=["G"])


class ProblemDetails(BaseModel):
    """An error, RFC 9457 ``application/problem+json``."""

    type: str = Field(
        "about:blank",
        description="What kind of problem: a URI reference ``/problems/{kind}`` on this "
        "service, a page that says what the problem means and what to do (JSON with "
        "``Accept: application/json``); ``about:blank`` when the status says it all.",
        examples=["/problems/scenario-invalid"],
    )
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[ProblemItem] | None = Field(None, description="Every problem found.")
    warnings: list[ProblemItem] | None = None


class Progress(BaseModel):
    """The best plan so far: its objective, the proven bound and the gap."""

    objective: float | None = None
    bound: float | None = None
    gap: float | None = None
    seconds: float | None = None
    message: str = ""


class JobScenario(BaseModel):
    """Which scenario a job solves."""

    name: str
    sha256: str


class JobLinks(BaseModel):
    """Where to find the job and what it produced."""

    self: str
    events: str
    duplicate_aid: str
    blind_spots: str
    report_html: str


class JobSummary(BaseModel):
    """A job without its plan."""

    id: str
    status: JobStatusName
    solver: str
    time_limit_seconds: float
    seed: int
    scenario: JobScenario
    label: str | None = Field(None, description="The label the job was submitted with.")
    policy_overrides: dict[str, Any] | None = Field(
        None, description="The request's ``policy``: overrides merged over the scenario's own."
    )
    previous_plan_id: str | None = Field(
        None, description="The job whose plan this one re-plans from (``previous_plan_id``)."
    )
    max_changes: int | None = Field(
        None, description="The request's limit on changes from the previous plan, or null."
    )
    register_replan: dict[str, Any] | None = Field(
        None,
        description="A re-plan from the register: its date, the county version, the needs "
        "made urgent, the started needs pinned, and the needs left out with why.",
    )
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    attempts: int = Field(description="Runs started; above 1 after a worker was lost.")
    stop_requested: bool = False
    progress: Progress | None = None
    outcome: dict[str, Any] | None = Field(
        None, description="How it ended: plan_status, objective, bound, gap, reason."
    )
    links: JobLinks


class JobDetail(JobSummary):
    """A job and its plan (DESIGN §6): while it runs, its plan so far (the run's first plan,
    which keeps every rule; ``solver.stats.provisional`` is true), then the final plan; null
    before the first plan, for a job without a plan, or with ``?plan=false``."""

    plan: Plan | None = Field(None, description="The plan file (DESIGN §6), or null.")


class Accepted(BaseModel):
    """A job stored and queued."""

    id: str
    status: JobStatusName
    links: JobLinks


class JobPage(BaseModel):
    """One page of the tenant's jobs, newest first."""

    items: list[JobSummary]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page.")


class ValidationReport(BaseModel):
    """A valid scenario: what it holds and its warnings."""

    valid: Literal[True] = True
    name: str
    counts: dict[str, int]
    warnings: list[ProblemItem]


class SolverOffer(BaseModel):
    """A solver the service offers."""

    name: str
    description: str
    default: bool
    replanning: bool


class Health(BaseModel):
    """The service is up and its store answers. Without a key, nothing more; with one, the
    workers and the caller's own county's jobs by status."""

    status: Literal["ok"]
    version: str
    database: str | None = None
    workers: int | None = None
    workers_alive: int | None = None
    jobs: dict[str, int] | None = Field(None, description="Your county's jobs by status.")


class ScenarioImport(BaseModel):
    """A scenario read from an uploaded workbook or JSON/YAML file, valid and ready to
    submit as ``scenario`` of POST /v1/plans."""

    valid: Literal[True] = True
    source: Literal["xlsx", "json", "yaml"] = Field(description="How the upload was read.")
    name: str
    counts: dict[str, int]
    warnings: list[ProblemItem] = Field(description="Problems that do not stop it, located.")
    scenario: dict[str, Any] = Field(description="The scenario (DESIGN §3), as read.")


# ----------------------------------------------------------------------------- the register


class County(Scenario):
    """A county's standing data (DESIGN §10): a scenario without needs (places, villages,
    roads, cadres, organisations, pools, aid records, policy). Needs are posted to
    POST /v1/needs."""

    needs: tuple[Need, ...] = Field(
        (), max_length=0, description="Leave out (or empty): needs are posted to /v1/needs."
    )


def example_county() -> dict[str, Any]:
    """The contract's tiny county without its needs."""
    return {k: v for k, v in example_scenario().items() if k != "needs"}


CountyObject = Annotated[dict[str, Any], DocumentedAs(County, example_county())]
"""A county as PUT carries it: any JSON object (checked as a scenario without needs, every
problem located), documented as :class:`County`."""

NeedObject = Annotated[dict[str, Any], DocumentedAs(Need)]
"""A need as a request carries it: any JSON object (checked against the county, every problem
located), documented as :class:`matcher.scenario.Need`."""

NeedStatusName = Literal["open", "assigned", "started", "resolved", "closed"]
CloseReasonName = Literal[
    "done_by_others", "duplicate", "out_of_scope", "no_help_wanted", "unresolved"
]


class CountyVersionInfo(BaseModel):
    """A stored version of the county's standing data."""

    version: int = Field(description="Numbered from 1; each PUT is the next.")
    sha256: str = Field(description="The sha256 of the stored scenario's canonical JSON.")
    name: str
    created_at: datetime
    warnings: list[ProblemItem] = Field(default_factory=list)


class CountyDetail(CountyVersionInfo):
    """The county's latest version and its standing data."""

    county: dict[str, Any] = Field(description="The scenario without needs (DESIGN §3).")


class NeedsRequest(BaseModel):
    """Needs to add to the register: the scenario's need fields."""

    model_config = ConfigDict(extra="forbid")

    needs: list[NeedObject] = Field(
        min_length=1,
        description="Needs as the scenario has them (DESIGN §3); ``submitted`` defaults to the "
        "day received. The most per request is a setting (MATCHER_MAX_NEEDS_PER_POST).",
    )


class NeedsAdded(BaseModel):
    """The needs stored as ``open``."""

    ids: list[str]
    county_version: int = Field(description="The county version they were checked against.")


class EventRequest(BaseModel):
    """Something that happened to a need (DESIGN §10)."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["started", "resolved", "closed", "reopened", "feedback"]
    at: dt.date | None = Field(None, description="The day it happened; default today.")
    reason: CloseReasonName | None = Field(None, description="With ``closed`` only, required.")
    note: str | None = Field(None, max_length=1000, pattern=CLEAN_TEXT)
    satisfaction: int | None = Field(
        None, ge=1, le=5, description="With ``feedback`` (required) or ``resolved``: 1 to 5."
    )

    @field_validator("satisfaction", mode="before")
    @classmethod
    def _json_integer(cls, value: object) -> object:
        """A number, as the schema says (not ``true`` or ``"3"``)."""
        if isinstance(value, bool | str):
            raise ValueError("must be a number")
        return value

    @field_validator("at", mode="before")
    @classmethod
    def _iso_text(cls, value: object) -> object:
        """An ISO date string, as the schema says."""
        return iso_date_text(value)


class HistoryEntry(BaseModel):
    """One entry of a need's history."""

    type: str = Field(description="received, assigned, unassigned, or a posted event's type.")
    at: dt.date
    reason: str | None = None
    note: str | None = None
    satisfaction: int | None = None
    provider: str | None = None
    date: dt.date | None = None
    plan_id: str | None = None


class FundingLine(BaseModel):
    """Money of one pool for the need's current assignment."""

    pool: str
    amount: int


class RegisterNeed(BaseModel):
    """A need in the register: its scenario fields, status, assignment and history."""

    need: dict[str, Any] = Field(description="The scenario's need fields (DESIGN §3).")
    status: NeedStatusName
    provider: str | None = None
    date: dt.date | None = Field(None, description="The service day of its assignment.")
    funding: list[FundingLine] = Field(default_factory=list)
    county_version: int
    history: list[HistoryEntry]


class NeedPage(BaseModel):
    """One page of the register's needs, in arrival order."""

    items: list[RegisterNeed]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page.")


class SkippedAssignment(BaseModel):
    """An assignment of the plan that publishing did not apply, and why."""

    need: str
    why: str


class PublishAnswer(BaseModel):
    """A publish: the plan is the county's current plan."""

    plan_id: str
    day: dt.date
    assigned: int = Field(description="Needs the plan assigns (open or assigned before).")
    changed: int = Field(description="Published assignments moved or returned to open.")
    before: int = Field(description="Assignments published before this one.")
    changed_share: float | None = Field(None, description="changed / before.")
    skipped: list[SkippedAssignment]


class PlaceRef(BaseModel):
    """A village by id and name."""

    id: str
    name: str | None = None


class WorkItem(BaseModel):
    """One need of a provider's day."""

    id: str
    village: PlaceRef
    household_label: str | None = None
    category: str
    category_zh: str
    hours: float
    status: NeedStatusName


class WorkDay(BaseModel):
    """A provider's needs on one day."""

    date: dt.date
    hours: float
    needs: list[WorkItem]


class ProviderWork(BaseModel):
    """One provider's work, by day."""

    id: str
    name: str | None = None
    kind: Literal["cadre", "organization", "unknown"]
    days: list[WorkDay]


class ResponsibilityList(BaseModel):
    """Each provider's published work by day (assigned, started and resolved needs)."""

    start: dt.date | None = None
    end: dt.date | None = None
    providers: list[ProviderWork]
