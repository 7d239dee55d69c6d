"""What ``GET /v1/plans/{id}/rosters`` calls: the three lists of 包村联户 of a job's plan.

The lists are :func:`matcher.reports.rosters.rosters` of the job's plan with the job's own
scenario (stored with the job, policy overrides merged): the pairing roster, the service list
and each provider's own list, sorted by town and village, names beside ids and labels in the
language asked for. 404 for a job the key does not have, 409 while it has no plan, 422 for a
town the scenario does not name.
"""

from __future__ import annotations

import json

from fastapi.responses import Response

from api import jobs
from api.problem_details import ApiProblem
from api.schemas import ProblemItem
from api.store import JobStore
from matcher.i18n import Lang
from matcher.intake.loading import parse_scenario
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.rosters import RosterKind, Rosters, UnknownTown, rosters


def _index(store: JobStore, tenant: str, job_id: str) -> ScenarioIndex | None:
    """The job's scenario, indexed (None if the store has none: the lists are then built from
    the plan's own naming fields)."""
    text = store.payload(tenant, job_id, "scenario")
    if text is None:
        return None
    return ScenarioIndex.build(parse_scenario(json.loads(text)).scenario)


def job_rosters(
    store: JobStore,
    tenant: str,
    job_id: str,
    kind: RosterKind | None = None,
    town: str | None = None,
    lang: Lang = "zh",
) -> Rosters:
    """The rosters of the job's plan: all three, or the one ``kind``; the whole county, or
    the one ``town`` (a place id or name)."""
    plan = Plan.model_validate(jobs.plan_of(store, tenant, job_id))
    try:
        return rosters(_index(store, tenant, job_id), plan, lang, kind=kind, town=town)
    except UnknownTown as unknown:
        raise ApiProblem(
            422,
            "request-invalid",
            "The request is not valid",
            str(unknown),
            errors=[ProblemItem(path="query:town", message=str(unknown))],
        ) from None


def rosters_answer(
    store: JobStore,
    tenant: str,
    job_id: str,
    kind: RosterKind | None = None,
    town: str | None = None,
    lang: Lang = "zh",
) -> Response:
    """:func:`job_rosters` as its route answers it (the typed dicts as JSON, unfiltered)."""
    found = job_rosters(store, tenant, job_id, kind, town, lang)
    return Response(jobs.json_object(found), media_type="application/json")
