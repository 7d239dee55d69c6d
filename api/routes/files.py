"""Files planners work with: a scenario imported from an uploaded workbook (or JSON/YAML
file), a plan's tables exported as a workbook, and a plan's KPIs alone (the web pages' job
list shows households reached without loading whole plans).

Each route is one call into :mod:`api.documents` or :mod:`api.jobs`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api import documents, jobs
from api.deps import JobId, SettingsDep, StoreDep, TenantDep
from api.documents import XLSX, Format
from api.problem_details import responses
from api.schemas import Kpis, ScenarioImport

_BINARY = {"schema": {"type": "string", "format": "binary"}}

scenarios_router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"])
plans_router = APIRouter(prefix="/v1/plans", tags=["plans"])


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
    settings: SettingsDep,
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
    return await run_in_threadpool(documents.imported, body, format, settings.upload_limits())


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
    return documents.plan_workbook(store, tenant, job_id)


@plans_router.get(
    "/{job_id}/kpis",
    response_model=Kpis,  # documents them: the KPIs are answered as the plan stores them
    responses=responses(401, 404, 409, 422),
)
def kpis(job_id: JobId, tenant: TenantDep, store: StoreDep) -> Response:
    """The plan's KPIs alone (DESIGN §6 ``kpis``): households reached, needs served, funding
    used... without the plan's lists (409 while there is no plan)."""
    return Response(jobs.kpis_json(store, tenant, job_id), media_type="application/json")
