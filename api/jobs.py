"""What the routes call: submit a solve, read jobs back as wire shapes, validate a scenario.

Scenario checks, solving and reports are :mod:`matcher`'s; this module only turns their
answers and the store's rows into the API's shapes and errors.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Literal

from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import TypeAdapter

from api import events
from api.problem_details import ApiProblem, items_of
from api.register import register_replan
from api.schemas import (
    Accepted,
    JobLinks,
    JobPage,
    JobScenario,
    JobSummary,
    PlanRequest,
    ProblemItem,
    Progress,
    ValidationReport,
)
from api.settings import Settings
from api.store import BadCursor, IdempotencyConflict, Job, JobStore, NewJob, QueueFull
from matcher.evaluate.kpis import Kpis, stored_kpis
from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import LoadedScenario, canonical_json, parse_scenario, scenario_sha256
from matcher.reports.diff_shapes import PlanDiff
from matcher.reports.shapes import BlindSpotsReport, DuplicateAidReport, stored_reports
from matcher.run import check_options
from solvers import UnknownSolver

REPORTS: dict[str, Literal["duplicate_aid", "blind_spots"]] = {
    "duplicate-aid": "duplicate_aid",
    "blind-spots": "blind_spots",
}
_JSON_OBJECT: TypeAdapter[dict[str, Any]] = TypeAdapter(dict[str, Any])


def _loaded(data: object, prefix: str) -> LoadedScenario:
    try:
        return parse_scenario(data)
    except ScenarioInvalid as invalid:
        raise ApiProblem(
            422,
            "scenario-invalid",
            "The scenario is not valid",
            f"{len(invalid.errors)} problem(s); nothing was stored",
            errors=items_of(invalid.errors, prefix),
            warnings=items_of(invalid.warnings, prefix),
        ) from None


def validate(data: object) -> ValidationReport:
    """Check a scenario as ``matcher validate`` does: a report, or 422 with every problem."""
    loaded = _loaded(data, "$")
    s = loaded.scenario
    counts = {
        "villages": len(s.villages),
        "cadres": len(s.cadres),
        "organizations": len(s.organizations),
        "pools": len(s.pools),
        "needs": len(s.needs),
        "aid_records": len(s.aid_records),
    }
    return ValidationReport(name=s.name or "", counts=counts, warnings=items_of(loaded.warnings))


def submit(
    store: JobStore,
    settings: Settings,
    tenant: str,
    request: PlanRequest,
    idempotency_key: str | None,
) -> tuple[Job, bool]:
    """Validate and store a solve; ``(job, replayed)`` (replayed: an Idempotency-Key seen)."""
    asked = request
    time_limit = request.time_limit_seconds or settings.default_time_limit
    if time_limit > settings.max_time_limit:
        raise ApiProblem(
            422,
            "request-invalid",
            "The request is not valid",
            errors=[
                ProblemItem(
                    path="$.time_limit_seconds",
                    message=f"at most {settings.max_time_limit:g} seconds on this service",
                )
            ],
        )
    scenario, request, register_options = scenario_of(store, tenant, request)
    if request.policy:
        own = scenario.get("policy")
        scenario = {
            **scenario,
            "policy": {**(own if isinstance(own, dict) else {}), **request.policy},
        }
    loaded = _loaded(scenario, "$.scenario")
    scenario_json = canonical_json(scenario).decode("utf-8")
    options: dict[str, Any] = {"confirm_fixes": request.confirm_fixes}
    options.update(replanning(store, tenant, request))
    options.update(register_options)
    fingerprint: dict[str, Any] = {
        "scenario": hashlib.sha256(scenario_json.encode("utf-8")).hexdigest(),
        "solver": request.solver,
        "time_limit": time_limit,
        "seed": request.seed,
        "options": options,
    }
    if register_options:
        # A retry of a register re-plan is the same request whatever the register holds now:
        # its fingerprint is the request's own fields, not the scenario built from them.
        fingerprint = {"register_request": asked.model_dump(mode="json"), "time_limit": time_limit}
    if request.label is not None:  # absent, the fingerprint stays what it was before labels
        fingerprint["label"] = request.label
    new = NewJob(
        scenario_json=scenario_json,
        scenario_name=loaded.scenario.name or "",
        scenario_sha256=scenario_sha256(loaded.scenario),
        solver=request.solver,
        time_limit=time_limit,
        seed=request.seed,
        request_sha256=hashlib.sha256(canonical_json(fingerprint)).hexdigest(),
        options=options,
        label=request.label,
        policy_overrides=request.policy,
    )
    try:
        return store.submit(tenant, new, idempotency_key, settings.queue_limits, settings.workers)
    except QueueFull as full:
        raise ApiProblem(
            429,
            "queue-full",
            "The solve queue is full",
            str(full),
            headers={"Retry-After": str(full.retry_after)},
        ) from None
    except IdempotencyConflict as conflict:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            "Idempotency-Key reused with another request",
            f"the key was first used for job {conflict.job_id} with a different body",
        ) from None


def scenario_of(
    store: JobStore, tenant: str, request: PlanRequest
) -> tuple[dict[str, Any], PlanRequest, dict[str, Any]]:
    """The scenario to solve: the request's own, or for a register re-plan the one built from
    the county and its register (:func:`api.register.register_replan`, which also makes the
    published plan the previous plan); the request as it is then solved; the options a
    register re-plan adds. 422 at ``$.scenario``/``$.register`` unless exactly one is given."""
    if (request.scenario is None) == (request.from_register is None):
        path = "$.scenario" if request.scenario is None else "$.register"
        raise _invalid(path, "give exactly one of scenario and register")
    if request.scenario is not None:
        return request.scenario, request, {}
    return register_replan(store, tenant, request)


_PREVIOUS = "$.previous_plan_id"
RESTARTABLE = frozenset({"succeeded", "stopped"})
"""Statuses of a job whose plan a re-plan may start from (with its final plan stored)."""


def _invalid(path: str, message: str) -> ApiProblem:
    return ApiProblem(
        422,
        "request-invalid",
        "The request is not valid",
        errors=[ProblemItem(path=path, message=message)],
    )


def replanning(store: JobStore, tenant: str, request: PlanRequest) -> dict[str, Any]:
    """The re-planning options of a request (``previous_plan_id``, ``max_changes``) as the
    job stores them, nothing when it has none; 422 at the field when they cannot be run:
    the rule on ``max_changes`` is :func:`matcher.run.check_options`'s (the CLI's too), and
    the previous plan must be a finished plan of one of this tenant's own jobs (another
    tenant's id reads as unknown, as on every route)."""
    previous = request.previous_plan_id
    try:
        check_options(
            request.solver, previous=previous is not None, max_changes=request.max_changes
        )
    except ValueError as refused:
        path = "$.solver" if isinstance(refused, UnknownSolver) else "$.max_changes"
        raise _invalid(path, str(refused)) from None
    if previous is None:
        return {}
    job = store.get(tenant, previous)
    if job is None:
        raise _invalid(_PREVIOUS, f"no job {previous} for this key: give one of your own jobs")
    if job.status not in RESTARTABLE or not store.has_plan(tenant, previous):
        raise _invalid(
            _PREVIOUS,
            f"job {previous} is {job.status} and has no finished plan; re-plan from a job "
            "that succeeded (or was stopped with a plan)",
        )
    options: dict[str, Any] = {"previous_plan_id": previous}
    if request.max_changes is not None:
        options["max_changes"] = request.max_changes
    return options


def accept(
    store: JobStore,
    settings: Settings,
    tenant: str,
    request: PlanRequest,
    idempotency_key: str | None,
) -> JSONResponse:
    """POST /v1/plans: the stored (or replayed) job as a 202 with its ``Location``."""
    job, replayed = submit(store, settings, tenant, request, idempotency_key)
    headers = {"Location": f"/v1/plans/{job.id}"}
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    accepted = Accepted(id=job.id, status=job.status, links=links(job.id))
    return JSONResponse(accepted.model_dump(mode="json"), status_code=202, headers=headers)


def page(store: JobStore, tenant: str, limit: int, cursor: str | None) -> JobPage:
    """A page of the tenant's jobs, newest first; 422 for a cursor the store never gave."""
    try:
        found_page = store.page(tenant, limit, cursor)
    except BadCursor as bad:
        raise ApiProblem(422, "request-invalid", "The request is not valid", str(bad)) from None
    return JobPage(items=[summary(j) for j in found_page.jobs], next_cursor=found_page.next_cursor)


def detail(store: JobStore, tenant: str, job_id: str, with_plan: bool) -> Response:
    """GET /v1/plans/{id}: the job, and its plan when asked for and there is one: the final
    plan, or while the job runs its plan so far (:mod:`api.plan_so_far`)."""
    job = found(store, tenant, job_id)
    text = store.plan_or_plan_so_far(tenant, job_id) if with_plan else None
    return Response(detail_json(job, text), media_type="application/json")


def stop(store: JobStore, tenant: str, job_id: str) -> JobSummary:
    """Ask the job to stop; the job as it is after the request (404 for an id the tenant
    does not have)."""
    job = store.request_stop(tenant, job_id)
    return summary(job if job is not None else found(store, tenant, job_id))


def stop_answer(store: JobStore, tenant: str, job_id: str) -> JSONResponse:
    """DELETE /v1/plans/{id}: 202 while the job still runs (the stop is asked, the solver
    ends at its next check: follow the events or poll), 200 when it is over: a queued job is
    stopped at once, a finished one is left as it is."""
    job = stop(store, tenant, job_id)
    status = 202 if job.status == "running" else 200
    return JSONResponse(job.model_dump(mode="json"), status_code=status)


def follow(
    store: JobStore, tenant: str, job_id: str, last_event_id: str | None
) -> StreamingResponse:
    """GET /v1/plans/{id}/events: the job's events from after ``Last-Event-ID``."""
    found(store, tenant, job_id)
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else 0
    return StreamingResponse(
        events.stream(store, tenant, job_id, after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


def links(job_id: str) -> JobLinks:
    """The job's URLs."""
    base = f"/v1/plans/{job_id}"
    return JobLinks(
        self=base,
        events=f"{base}/events",
        duplicate_aid=f"{base}/reports/duplicate-aid",
        blind_spots=f"{base}/reports/blind-spots",
        report_html=f"{base}/report.html",
    )


def summary(job: Job) -> JobSummary:
    """A job as the API shows it, without the plan."""
    return JobSummary(
        id=job.id,
        status=job.status,
        solver=job.solver,
        time_limit_seconds=job.time_limit,
        seed=job.seed,
        scenario=JobScenario(name=job.scenario_name, sha256=job.scenario_sha256),
        label=job.label,
        policy_overrides=job.policy_overrides,
        previous_plan_id=job.previous_plan_id,
        max_changes=job.max_changes,
        register_replan=job.options.get("register"),
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        attempts=job.attempts,
        stop_requested=job.stop_requested,
        progress=Progress(**job.progress) if job.progress else None,
        outcome=job.outcome,
        links=links(job.id),
    )


def detail_json(job: Job, plan_json: str | None) -> str:
    """The job and its plan as one JSON document. The stored plan text is spliced in as it
    is: a county's plan can be megabytes, and parsing it only to print it again is waste."""
    head = summary(job).model_dump_json()
    return f'{head[:-1]},"plan":{plan_json or "null"}}}'


def found(store: JobStore, tenant: str, job_id: str) -> Job:
    """The tenant's job, or 404 (unknown ids and other tenants' ids look the same)."""
    job = store.get(tenant, job_id)
    if job is None:
        raise ApiProblem(404, "not-found", "Not found", f"no job {job_id} for this key")
    return job


def plan_of(store: JobStore, tenant: str, job_id: str) -> dict[str, Any]:
    """The job's plan, or 404 / 409 when there is none (yet)."""
    job = found(store, tenant, job_id)
    text = store.payload(tenant, job_id, "plan")
    if text is None:
        raise ApiProblem(
            409,
            "no-plan",
            "The job has no plan",
            f"job {job_id} is {job.status}; a plan exists once it has run",
        )
    plan: dict[str, Any] = json.loads(text)
    return plan


def json_object(document: Mapping[str, Any]) -> bytes:
    """A JSON object as a route with a free-form response model answers it (pydantic's
    serializer, as FastAPI uses). The reports, KPIs and diff routes document typed response
    schemas but answer with these bytes, not through the schema: validating would drop the keys
    a stored plan holds and the schema does not name, refuse a plan lacking one, and could change
    the numbers' spelling."""
    return _JSON_OBJECT.dump_json(dict(document))


def report(
    store: JobStore, tenant: str, job_id: str, name: str
) -> DuplicateAidReport | BlindSpotsReport | None:
    """One of the plan's reports (duplicate-aid, blind-spots) as the plan stores it (None
    when it has none)."""
    plan = plan_of(store, tenant, job_id)
    return stored_reports(plan.get("reports") or {}).get(REPORTS[name])


def report_json(store: JobStore, tenant: str, job_id: str, name: str) -> bytes:
    """One of the plan's reports as its route answers it (``{}`` when the plan has none)."""
    return json_object(report(store, tenant, job_id, name) or {})


def kpis(store: JobStore, tenant: str, job_id: str) -> Kpis | None:
    """The plan's KPIs as the plan stores them (None when it has none)."""
    found = plan_of(store, tenant, job_id).get("kpis")
    return stored_kpis(found) if found else None


def kpis_json(store: JobStore, tenant: str, job_id: str) -> bytes:
    """The plan's KPIs as their route answers them (``{}`` when the plan has none)."""
    return json_object(kpis(store, tenant, job_id) or {})


def report_html(store: JobStore, tenant: str, job_id: str) -> str:
    """The job's HTML report, or 404 when it has none."""
    found(store, tenant, job_id)
    html = store.payload(tenant, job_id, "report_html")
    if html is None:
        raise ApiProblem(404, "no-report", "Not found", f"job {job_id} has no HTML report (yet)")
    return html


def diff(store: JobStore, tenant: str, job_id: str, against: str) -> PlanDiff:
    """Plan ``against`` compared with this job's plan, in domain terms
    (:func:`matcher.reports.diff.plan_diff`; A is ``against``, B this job), with this job's
    scenario for households and money per village."""
    from matcher.plan import Plan
    from matcher.problem.index import ScenarioIndex
    from matcher.reports.diff import plan_diff

    b = Plan.model_validate(plan_of(store, tenant, job_id))
    a = Plan.model_validate(plan_of(store, tenant, against))
    scenario_text = store.payload(tenant, job_id, "scenario")
    index = None
    if scenario_text is not None:
        index = ScenarioIndex.build(parse_scenario(json.loads(scenario_text)).scenario)
    return plan_diff(a, b, index)


def diff_json(store: JobStore, tenant: str, job_id: str, against: str) -> bytes:
    """:func:`diff` as its route answers it."""
    return json_object(diff(store, tenant, job_id, against))
