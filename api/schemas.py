"""The API's wire shapes: separate input and output models (DESIGN §7)."""

from __future__ import annotations

import json
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
from matcher.reports.diff_shapes import PlanDiff as PlanDiff
from matcher.reports.shapes import BlindSpotsReport as BlindSpotsReport
from matcher.reports.shapes import DuplicateAidReport as DuplicateAidReport
from matcher.scenario import Scenario
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


class PlanRequest(BaseModel):
    """A solve to run: a scenario (DESIGN §3) and how to solve it."""

    model_config = ConfigDict(extra="forbid")

    scenario: ScenarioObject = Field(description="A scenario, schema_version 1 (DESIGN §3).")
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
