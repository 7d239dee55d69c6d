"""The service loop's need register (DESIGN §10): the county, needs and their events,
publishing a plan, responsibility lists, service KPIs and the register file."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Query, Response, status
from pydantic import BeforeValidator

from api import register
from api.deps import (
    CLEAN_TEXT,
    JSON_BODY,
    JobId,
    NeedId,
    RegisterDep,
    SettingsDep,
    StoreDep,
    TenantDep,
)
from api.problem_details import responses
from api.schemas import (
    CountyDetail,
    CountyObject,
    CountyVersionInfo,
    EventRequest,
    NeedPage,
    NeedsAdded,
    NeedsRequest,
    NeedStatusName,
    PublishAnswer,
    RegisterNeed,
    ResponsibilityList,
    ServiceKpis,
    example_county,
    example_scenario,
    iso_date_text,
)

county_router = APIRouter(prefix="/v1/county", tags=["register"])
needs_router = APIRouter(prefix="/v1/needs", tags=["register"])
router = APIRouter(tags=["register"])

Ref = Annotated[str | None, Query(max_length=128, pattern=CLEAN_TEXT)]


From = Annotated[
    dt.date | None,
    Query(alias="from", description="The first day (ISO date)."),
    BeforeValidator(iso_date_text),
]
To = Annotated[
    dt.date | None,
    Query(alias="to", description="The last day (ISO date)."),
    BeforeValidator(iso_date_text),
]


def _need_example() -> dict[str, Any]:
    need = dict(example_scenario()["needs"][0])
    need["id"] = "N-2026-0001"
    return need


@county_router.put(
    "",
    response_model=CountyVersionInfo,
    responses=responses(400, 401, 413, 415, 422),
    dependencies=[JSON_BODY],
)
def put_county(
    county: Annotated[
        CountyObject,
        Body(
            openapi_examples={
                "tiny county": {"summary": "The contract's county", "value": example_county()}
            }
        ),
    ],
    tenant: TenantDep,
    rstore: RegisterDep,
) -> CountyVersionInfo:
    """The county's standing data: a scenario without ``needs`` (places, villages, roads,
    cadres, organisations, pools, aid records, policy). Each PUT is a new version; needs are
    checked against the latest, and plans record the version they used."""
    return register.put_county(rstore, tenant, county)


@county_router.get("", response_model=CountyDetail, responses=responses(401, 409))
def get_county(tenant: TenantDep, rstore: RegisterDep) -> CountyDetail:
    """The county's latest version and its standing data (409 before the first PUT)."""
    return register.county_detail(rstore, tenant)


@needs_router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=NeedsAdded,
    responses=responses(400, 401, 409, 413, 415, 422),
    dependencies=[JSON_BODY],
)
def add_needs(
    request: Annotated[
        NeedsRequest,
        Body(
            openapi_examples={
                "one need": {
                    "summary": "One household's need",
                    "value": {"needs": [_need_example()]},
                }
            }
        ),
    ],
    tenant: TenantDep,
    rstore: RegisterDep,
    settings: SettingsDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=255,
            pattern=CLEAN_TEXT,
            description="Repeat a request with the same key to get the same ids back.",
        ),
    ] = None,
) -> Response:
    """Add needs to the register as ``open``, all or none, checked against the county's
    latest version (409 before the first PUT /v1/county, or for an id already there)."""
    return register.add_needs(rstore, settings, tenant, request, idempotency_key)


@needs_router.get("", response_model=NeedPage, responses=responses(401, 422))
def list_needs(
    tenant: TenantDep,
    rstore: RegisterDep,
    status: NeedStatusName | None = None,
    village: Ref = None,
    provider: Ref = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    cursor: Annotated[str | None, Query(max_length=400, pattern=CLEAN_TEXT)] = None,
) -> NeedPage:
    """The register's needs in arrival order, a page at a time, by status, village or
    provider."""
    return register.needs_page(rstore, tenant, limit, cursor, status, village, provider)


@needs_router.get("/{need_id}", response_model=RegisterNeed, responses=responses(401, 404, 422))
def get_need(need_id: NeedId, tenant: TenantDep, rstore: RegisterDep) -> RegisterNeed:
    """The need, its status, its assignment (provider, date) and its history."""
    return register.need_detail(rstore, tenant, need_id)


@needs_router.post(
    "/{need_id}/events",
    status_code=status.HTTP_201_CREATED,
    response_model=RegisterNeed,
    responses=responses(400, 401, 404, 409, 413, 415, 422),
    dependencies=[JSON_BODY],
)
def post_event(
    need_id: NeedId,
    request: EventRequest,
    tenant: TenantDep,
    rstore: RegisterDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            max_length=255,
            pattern=CLEAN_TEXT,
            description="Repeat an event with the same key (after a lost answer, say) and it "
            "is recorded once.",
        ),
    ] = None,
) -> Response:
    """Something that happened to the need: ``started`` (from assigned), ``resolved`` (from
    assigned or started), ``closed`` with a reason (from open, assigned or started),
    ``reopened`` (from resolved or closed), ``feedback`` with satisfaction (on resolved or
    closed). Any other transition is 409; the need as it is after the event."""
    return register.post_event(rstore, tenant, need_id, request, idempotency_key)


@router.post(
    "/v1/plans/{job_id}/publish",
    response_model=PublishAnswer,
    responses=responses(401, 404, 409, 422),
)
def publish(job_id: JobId, tenant: TenantDep, store: StoreDep) -> PublishAnswer:
    """Make the job's plan the county's current plan: its assignments move their needs to
    ``assigned`` with provider and date, needs it no longer serves return to ``open``. Only a
    finished re-plan from the register (409 otherwise)."""
    return register.publish(store, tenant, job_id)


@router.get(
    "/v1/lists/responsibility",
    response_model=ResponsibilityList,
    responses=responses(401, 409, 422),
)
def responsibility(
    tenant: TenantDep,
    rstore: RegisterDep,
    provider: Ref = None,
    start: From = None,
    end: To = None,
) -> ResponsibilityList:
    """Each provider's published work by day: the needs assigned, started or resolved, with
    village, household label, category and hours."""
    return register.responsibility(rstore, tenant, provider, start, end)


@router.get("/v1/service-kpis", response_model=ServiceKpis, responses=responses(401, 409, 422))
def service_kpis(
    tenant: TenantDep,
    rstore: RegisterDep,
    start: From = None,
    end: To = None,
) -> ServiceKpis:
    """The service KPIs of the needs received in ``[from, to]`` (default: the county's
    current planning period up to today): response on time, working days to respond,
    resolution rate, satisfaction, changes per publish; by town and by category too."""
    return register.kpis(rstore, tenant, start, end)


@router.get("/v1/register/export", response_model=dict[str, Any], responses=responses(401, 409))
def export(tenant: TenantDep, rstore: RegisterDep) -> dict[str, Any]:
    """The register as a file (``baolian-register/1``): the county's latest version, every
    need with its history, every publish; what ``matcher service-kpis`` reads."""
    return register.export(rstore, tenant)
