"""Files planners work with: a scenario imported from an uploaded workbook (or JSON/YAML
file), a plan's tables exported as a workbook, and a plan's KPIs alone (the web pages' job
list shows households reached without loading whole plans).

Each route is one call into :mod:`matcher`: :func:`matcher.workbook.read_workbook` or
:func:`matcher.intake.loading.read_document`, and :func:`matcher.export.write_plan_xlsx`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api import jobs
from api.deps import JobId, StoreDep, TenantDep
from api.problem_details import ApiProblem, responses
from api.schemas import Kpis, ProblemItem, ScenarioImport
from matcher.intake.issues import Issue, ScenarioInvalid
from matcher.scenario import Scenario
from matcher.workbook import Location

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ZIP_MAGIC = b"PK\x03\x04"
_BINARY = {"schema": {"type": "string", "format": "binary"}}

scenarios_router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"])
plans_router = APIRouter(prefix="/v1/plans", tags=["plans"])

Format = Literal["auto", "xlsx", "json", "yaml"]


def _counts(scenario: Scenario) -> dict[str, int]:
    return {
        "villages": len(scenario.villages),
        "cadres": len(scenario.cadres),
        "organizations": len(scenario.organizations),
        "pools": len(scenario.pools),
        "needs": len(scenario.needs),
        "aid_records": len(scenario.aid_records),
    }


def _sniffed(body: bytes, declared: Format) -> Literal["xlsx", "json", "yaml"]:
    if declared != "auto":
        return declared
    if body.startswith(_ZIP_MAGIC):
        return "xlsx"
    return "json" if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"{", b"[")) else "yaml"


def _located(problem: Issue, where: Location, folder: str) -> ProblemItem:
    """A workbook problem with its sheet, row and column (none for the file as a whole)."""
    whole = where.sheet == "workbook" and where.row is None
    return ProblemItem(
        path=problem.path,
        message=problem.message.replace(folder + "/", ""),  # never the server's temp path
        id=problem.id,
        severity=problem.severity,
        sheet=None if whole else where.sheet,
        row=where.row,
        column=where.column,
    )


def _import_workbook(body: bytes) -> ScenarioImport:
    from matcher.workbook import read_workbook

    with tempfile.TemporaryDirectory(prefix="matcher-import-") as folder:
        upload = Path(folder) / "upload.xlsx"
        upload.write_bytes(body)
        result = read_workbook(upload)
        items = [
            _located(p, w, folder) for p, w in zip(result.problems, result.locations, strict=True)
        ]
    errors = [i for i in items if i.severity == "error"]
    warnings = [i for i in items if i.severity == "warning"]
    if errors or result.scenario is None or result.raw is None:
        raise ApiProblem(
            422,
            "workbook-invalid",
            "The workbook is not a valid scenario",
            f"{len(errors)} problem(s), each at its sheet, row and column; nothing was stored",
            errors=errors or [ProblemItem(path="workbook", message="no scenario was read")],
            warnings=warnings,
        )
    return ScenarioImport(
        source="xlsx",
        name=result.scenario.name or "",
        counts=_counts(result.scenario),
        warnings=warnings,
        scenario=result.raw,
    )


def _import_document(body: bytes, kind: Literal["json", "yaml"]) -> ScenarioImport:
    from matcher.intake.loading import read_document

    with tempfile.TemporaryDirectory(prefix="matcher-import-") as folder:
        upload = Path(folder) / f"upload.{kind}"
        upload.write_bytes(body)
        try:
            document = read_document(upload)
        except ScenarioInvalid as invalid:
            raise ApiProblem(
                422,
                "scenario-invalid",
                "The scenario is not valid",
                f"the file cannot be read as a {kind.upper()} scenario; nothing was stored",
                errors=[
                    ProblemItem(path=p.path, message=p.message.replace(folder + "/", ""), id=p.id)
                    for p in invalid.errors
                ],
            ) from None
    report = jobs.validate(document)  # 422 with every problem's JSON path
    assert isinstance(document, dict)
    return ScenarioImport(
        source=kind,
        name=report.name,
        counts=report.counts,
        warnings=report.warnings,
        scenario=document,
    )


def _imported(body: bytes, declared: Format) -> ScenarioImport:
    if not body:
        raise ApiProblem(
            422,
            "request-invalid",
            "The request is not valid",
            "the body is empty: send the workbook (.xlsx) or the scenario file itself",
        )
    kind = _sniffed(body, declared)
    return _import_workbook(body) if kind == "xlsx" else _import_document(body, kind)


@scenarios_router.post(
    "/import",
    response_model=ScenarioImport,
    responses=responses(401, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "The file itself as the body (not a form): an .xlsx workbook in "
            "the template's form (`matcher template`), or a scenario as JSON or YAML. The bytes "
            f"are read whatever the Content-Type (`{XLSX}` too).",
            "content": {"application/octet-stream": _BINARY},
        }
    },
)
async def import_scenario(
    request: Request,
    _tenant: TenantDep,
    format: Annotated[
        Format,
        Query(description="How to read the body; ``auto`` tells a workbook by its bytes."),
    ] = "auto",
) -> ScenarioImport:
    """Read a scenario from a planner's file, as ``matcher import`` does: 200 with the
    scenario and its warnings, or 422 with every problem located. A workbook's problems carry
    ``sheet``, ``row`` and ``column`` (``path`` names the cell, ``needs!G8``); a JSON or YAML
    file's carry their JSON path. Nothing is stored."""
    body = await request.body()
    return await run_in_threadpool(_imported, body, format)


def _plan_workbook(plan: dict[str, Any]) -> bytes:
    from matcher.export import write_plan_xlsx
    from matcher.plan import Plan

    with tempfile.TemporaryDirectory(prefix="matcher-export-") as folder:
        target = Path(folder) / "plan.xlsx"
        write_plan_xlsx(Plan.model_validate(plan), target)
        return target.read_bytes()


@plans_router.get(
    "/{job_id}/plan.xlsx",
    response_class=Response,
    responses={
        200: {"content": {XLSX: _BINARY}, "description": "The plan's tables as a workbook."},
        **responses(401, 404, 409, 422),
    },
)
def plan_xlsx(job_id: JobId, tenant: TenantDep, store: StoreDep) -> Response:
    """The plan's tables as an Excel workbook, as ``matcher export --xlsx`` writes it: one
    sheet per table, Chinese and English headers (409 while there is no plan)."""
    data = _plan_workbook(jobs.plan_of(store, tenant, job_id))
    safe = "".join(c for c in job_id if c.isalnum() or c in "-_")[:64] or "plan"
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="plan-{safe}.xlsx"'},
    )


@plans_router.get(
    "/{job_id}/kpis",
    response_model=Kpis,  # documents them: the KPIs are answered as the plan stores them
    responses=responses(401, 404, 409, 422),
)
def kpis(job_id: JobId, tenant: TenantDep, store: StoreDep) -> Response:
    """The plan's KPIs alone (DESIGN §6 ``kpis``): households reached, needs served, funding
    used... without the plan's lists (409 while there is no plan)."""
    return Response(jobs.kpis_json(store, tenant, job_id), media_type="application/json")
