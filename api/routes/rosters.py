"""The plan's rosters: the three lists of 包村联户 (who is paired with which village, which
household's need goes to whom with which money, and each person's own list). One call into
:mod:`api.rosters`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import rosters
from api.deps import CLEAN_TEXT, JobId, StoreDep, TenantDep
from api.problem_details import responses
from matcher.i18n import Lang
from matcher.reports.rosters import RosterKind, Rosters

router = APIRouter(prefix="/v1/plans", tags=["plans"])


@router.get(
    "/{job_id}/rosters",
    response_model=Rosters,  # documents them: the rosters are answered as built
    responses=responses(401, 404, 409, 422),
)
def get_rosters(
    job_id: JobId,
    tenant: TenantDep,
    store: StoreDep,
    kind: Annotated[
        RosterKind | None,
        Query(
            description="One list only: ``pairing`` (包村名单), ``service`` (联户服务清单) or "
            "``provider`` (个人任务单, one per person); all three when absent."
        ),
    ] = None,
    town: Annotated[
        str | None,
        Query(
            max_length=200,
            pattern=CLEAN_TEXT,
            description="One town only, by place id (``T01``) or name (``福市镇``): its "
            "villages and services, and the providers based there or with a task there.",
        ),
    ] = None,
    lang: Annotated[
        Lang, Query(description="The language of the labels (categories, departments).")
    ] = "zh",
) -> Response:
    """The plan's three lists of 包村联户, sorted by town and village, names beside ids: the
    pairing roster (each village's cadres: post, department, existing or new, travel, visit
    hours), the service list (each served need: household, category, provider, hours, money by
    pool) and each provider's own list (tasks, where, for whom, hours against their hours).
    409 while there is no plan; 422 for an unknown ``kind`` or a town the scenario lacks."""
    return rosters.rosters_answer(store, tenant, job_id, kind, town, lang)
