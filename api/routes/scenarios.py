"""Scenario validation without solving."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body

from api import jobs
from api.deps import JSON_BODY, TenantDep
from api.problem_details import responses
from api.schemas import ScenarioObject, ValidationReport, example_scenario

router = APIRouter(prefix="/v1/scenarios", tags=["scenarios"])


@router.post(
    "/validate",
    response_model=ValidationReport,
    responses=responses(400, 401, 413, 415, 422),
    dependencies=[JSON_BODY],
)
def validate(
    _tenant: TenantDep,
    scenario: Annotated[
        ScenarioObject,
        Body(
            description="A scenario (DESIGN §3), the body itself.",
            openapi_examples={"tiny county": {"value": example_scenario()}},
        ),
    ],
) -> ValidationReport:
    """Check a scenario as ``matcher validate`` does: 200 with its warnings, or 422 listing
    every problem with its JSON path and item id."""
    return jobs.validate(scenario)
