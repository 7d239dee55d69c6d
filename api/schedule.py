"""What ``GET /v1/plans/{id}/schedule.ics`` calls: one provider's days of a job's plan as an
iCalendar file (DESIGN §9; :func:`matcher.export.ics.provider_ics`).

Built from the job's plan with the job's own scenario (stored with the job, policy overrides
merged), so that villages, towns and households read by name. 404 for a job the key does not
have, or for a provider neither the scenario nor the schedule names (the problem says which);
409 while the job has no plan, or when its plan has no schedule (the scenario's
``policy.schedule`` is off). A provider of the scenario without a stop gets an empty calendar.
"""

from __future__ import annotations

import json

from fastapi.responses import Response

from api import jobs
from api.problem_details import ApiProblem
from api.store import JobStore
from matcher.export.ics import MEDIA_TYPE, UnknownProvider, file_name, provider_ics
from matcher.i18n import Lang
from matcher.intake.loading import parse_scenario
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex


def _index(store: JobStore, tenant: str, job_id: str) -> ScenarioIndex | None:
    """The job's scenario, indexed (None if the store has none)."""
    text = store.payload(tenant, job_id, "scenario")
    if text is None:
        return None
    return ScenarioIndex.build(parse_scenario(json.loads(text)).scenario)


def provider_calendar(
    store: JobStore, tenant: str, job_id: str, provider: str, lang: Lang = "zh"
) -> bytes:
    """The provider's calendar file of the job's plan."""
    plan = Plan.model_validate(jobs.plan_of(store, tenant, job_id))
    if plan.schedule is None:
        raise ApiProblem(
            409,
            "no-schedule",
            "The plan has no schedule",
            f"the plan of job {job_id} has no schedule: its scenario does not turn "
            "policy.schedule on",
        )
    try:
        return provider_ics(plan, provider, _index(store, tenant, job_id), lang)
    except UnknownProvider:
        raise ApiProblem(
            404,
            "no-provider",
            "No such provider",
            f"job {job_id} has no provider {provider} in its scenario or its schedule",
        ) from None


def calendar_answer(
    store: JobStore, tenant: str, job_id: str, provider: str, lang: Lang = "zh"
) -> Response:
    """:func:`provider_calendar` as its route answers it: ``text/calendar`` as a download
    named by the provider's id."""
    body = provider_calendar(store, tenant, job_id, provider, lang)
    name = file_name(provider)
    headers = {
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-Type-Options": "nosniff",
    }
    return Response(body, media_type=f"{MEDIA_TYPE}; charset=utf-8", headers=headers)
