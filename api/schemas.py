"""The API's wire shapes: separate input and output models (DESIGN §7)."""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

# A plan's reports, KPIs and diffs are served as matcher makes them: their shapes are
# matcher's own typed dicts, named here as the responses' documented schemas.
from matcher.evaluate.kpis import Kpis as Kpis
from matcher.reports.diff_shapes import PlanDiff as PlanDiff
from matcher.reports.shapes import BlindSpotsReport as BlindSpotsReport
from matcher.reports.shapes import DuplicateAidReport as DuplicateAidReport
from solvers import SolverName

JobStatusName = Literal["queued", "running", "succeeded", "failed", "stopped"]


@cache
def example_scenario() -> dict[str, Any]:
    """The contract's tiny county, the OpenAPI examples' scenario."""
    text = Path(__file__).with_name("example_scenario.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


class PlanRequest(BaseModel):
    """A solve to run: a scenario (DESIGN §3) and how to solve it."""

    model_config = ConfigDict(extra="forbid")

    scenario: dict[str, Any] = Field(description="A scenario, schema_version 1 (DESIGN §3).")
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

    @field_validator("time_limit_seconds", "seed", "confirm_fixes", mode="before")
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

    type: str = "about:blank"
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


class ScenarioRef(BaseModel):
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
    scenario: ScenarioRef
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
    """A job and, once it has one, its plan (DESIGN §6)."""

    plan: dict[str, Any] | None = None


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


class SolverInfo(BaseModel):
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
