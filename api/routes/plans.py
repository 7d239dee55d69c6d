"""Solve jobs: submit, list, read, follow, stop, and the plan's reports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Response, status
from fastapi.responses import HTMLResponse, StreamingResponse

from api import jobs
from api.deps import CLEAN_TEXT, JSON_BODY, JobId, SettingsDep, StoreDep, TenantDep
from api.problem_details import responses
from api.schemas import (
    Accepted,
    BlindSpotsReport,
    DuplicateAidReport,
    JobDetail,
    JobPage,
    JobSummary,
    PlanDiff,
    PlanRequest,
    example_scenario,
)

router = APIRouter(prefix="/v1/plans", tags=["plans"])

_EXAMPLES = {
    "tiny county": {
        "summary": "The contract's tiny county, solved by auto for 10 s",
        "value": {
            "scenario": example_scenario(),
            "solver": "auto",
            "time_limit_seconds": 10,
            "seed": 0,
        },
    },
    "register re-plan": {
        "summary": "A re-plan from the county's need register (PUT /v1/county, POST /v1/needs)",
        "value": {
            "register": {"date": "2026-12-07"},
            "max_changes": 10,
            "time_limit_seconds": 10,
        },
    },
}


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=responses(400, 401, 409, 413, 415, 422, 429),
    dependencies=[JSON_BODY],
)
def submit(
    request: Annotated[PlanRequest, Body(openapi_examples=_EXAMPLES)],
    tenant: TenantDep,
    store: StoreDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=255,
            pattern=CLEAN_TEXT,
            description="Repeat a request with the same key to get the same job back.",
        ),
    ] = None,
) -> Response:
    """Queue a solve. The job is stored before the answer; follow ``Location``."""
    return jobs.accept(store, settings, tenant, request, idempotency_key)


@router.get("", response_model=JobPage, responses=responses(401, 422))
def list_jobs(
    tenant: TenantDep,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=200, pattern=CLEAN_TEXT)] = None,
) -> JobPage:
    """This tenant's jobs, newest first, a page at a time."""
    return jobs.page(store, tenant, limit, cursor)


@router.get(
    "/{job_id}",
    response_model=JobDetail,
    responses=responses(401, 404, 422),
)
def get_job(
    job_id: JobId,
    tenant: TenantDep,
    store: StoreDep,
    plan: Annotated[bool, Query(description="Include the plan once there is one.")] = True,
) -> Response:
    """The job: status, progress (incumbent, bound, gap, seconds) and its plan: the final
    plan, or while the job runs its plan so far (the run's first plan, which keeps every rule;
    ``solver.stats.provisional`` is true), or null before there is one."""
    return jobs.detail(store, tenant, job_id, plan)


@router.delete(
    "/{job_id}",
    response_model=JobSummary,
    responses={
        200: {"description": "The job is over: stopped now (it was queued), or it had ended."},
        202: {
            "model": JobSummary,
            "description": "The job runs and is asked to stop (``stop_requested``); it ends "
            "``stopped`` with its best plan shortly after: follow its events or poll it.",
        },
        **responses(401, 404, 422),
    },
)
def stop_job(job_id: JobId, tenant: TenantDep, store: StoreDep) -> Response:
    """Stop early. 200 when the job is over: a queued one is ``stopped`` at once, without a
    plan; a finished one is unchanged. 202 when it runs: the stop is asked, and the job ends
    ``stopped`` with its best plan at the solver's next check (about a second)."""
    return jobs.stop_answer(store, tenant, job_id)


@router.get(
    "/{job_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "The job's events."},
        **responses(401, 404, 422),
    },
)
def follow(
    job_id: JobId,
    tenant: TenantDep,
    store: StoreDep,
    last_event_id: Annotated[str | None, Header(max_length=64, pattern=CLEAN_TEXT)] = None,
) -> StreamingResponse:
    """Server-sent events: ``status`` changes and each improved plan's ``progress``
    (objective, bound, gap, seconds), ending after the final status. Send ``Last-Event-ID``
    to resume."""
    return jobs.follow(store, tenant, job_id, last_event_id)


# The reports and the diff are answered as the plan stores them (jobs.json_object): the
# response models document their shapes, they do not filter them.


@router.get(
    "/{job_id}/reports/duplicate-aid",
    response_model=DuplicateAidReport,
    responses=responses(401, 404, 409, 422),
)
def duplicate_aid(job_id: JobId, tenant: TenantDep, store: StoreDep) -> Response:
    """The plan's duplicate-aid report (DESIGN §6)."""
    report = jobs.report_json(store, tenant, job_id, "duplicate-aid")
    return Response(report, media_type="application/json")


@router.get(
    "/{job_id}/reports/blind-spots",
    response_model=BlindSpotsReport,
    responses=responses(401, 404, 409, 422),
)
def blind_spots(job_id: JobId, tenant: TenantDep, store: StoreDep) -> Response:
    """The plan's blind-spot report (DESIGN §6)."""
    report = jobs.report_json(store, tenant, job_id, "blind-spots")
    return Response(report, media_type="application/json")


@router.get(
    "/{job_id}/diff",
    response_model=PlanDiff,
    responses=responses(401, 404, 409, 422),
)
def diff(
    job_id: JobId,
    tenant: TenantDep,
    store: StoreDep,
    against: Annotated[
        str, Query(max_length=64, pattern=CLEAN_TEXT, description="The other job (plan A).")
    ],
) -> Response:
    """What changes from the ``against`` job's plan to this job's plan: needs gained, lost
    and moved, households, pairings, money per pool and village, KPIs side by side."""
    found = jobs.diff_json(store, tenant, job_id, against)
    return Response(found, media_type="application/json")


@router.get(
    "/{job_id}/report.html",
    response_class=HTMLResponse,
    responses=responses(401, 404, 422),
)
def report_html(job_id: JobId, tenant: TenantDep, store: StoreDep) -> HTMLResponse:
    """The plan's self-contained HTML report, when one was made."""
    return HTMLResponse(jobs.report_html(store, tenant, job_id))
