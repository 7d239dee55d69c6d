"""A plan's schedule (DESIGN §9) as each provider's calendar file, for the phone calendar
cadres already use. One call into :mod:`api.schedule`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import schedule
from api.deps import CLEAN_TEXT, JobId, StoreDep, TenantDep
from api.problem_details import responses
from matcher.i18n import Lang

router = APIRouter(prefix="/v1/plans", tags=["plans"])

_CALENDAR = {"schema": {"type": "string"}}


@router.get(
    "/{job_id}/schedule.ics",
    response_class=Response,
    responses={
        200: {
            "content": {"text/calendar": _CALENDAR},
            "description": "The provider's stops as an iCalendar file (RFC 5545).",
        },
        **responses(401, 404, 409, 422),
    },
)
def schedule_ics(
    job_id: JobId,
    tenant: TenantDep,
    store: StoreDep,
    provider: Annotated[
        str,
        Query(
            min_length=1,
            max_length=128,
            pattern=CLEAN_TEXT,
            description="The provider's id (a cadre's or an organisation's, ``C0001``).",
        ),
    ],
    lang: Annotated[
        Lang, Query(description="The language of the events' words (zh: 走访 福市村).")
    ] = "zh",
) -> Response:
    """One provider's days of the plan's schedule as an iCalendar file: an event per stop
    (its date with arrive and depart times, Asia/Shanghai), titled "走访 福市村" or
    "服务 福市村：养老服务×2", at the village and town, with the needs and households in its
    description. UIDs are stable, so importing a newer file updates the events. 404 for a
    provider the plan's scenario and schedule do not have; 409 while there is no plan, or
    when the plan has no schedule (the scenario's ``policy.schedule`` is off)."""
    return schedule.calendar_answer(store, tenant, job_id, provider, lang)
