"""GET /v1/plans/{id}/schedule.ics?provider= (DESIGN §9; issue 17, item 4): one provider's
days of a job's plan as an iCalendar file, with the job's own scenario for names; 404 naming
the provider when neither the scenario nor the schedule has it, 409 while there is no plan or
when the plan has no schedule, 404 for another county's job, problems in Chinese on request.

The scheduled plan is the hand-written one of tests/data/schedule, stored as the job's result
through the store itself (a worker's claim and finish): the routes do not depend on any
scheduler, so this test runs whether or not one exists.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import icalendar
import pytest
from fastapi.testclient import TestClient

from api.store import JobStore
from matcher.plan import plan_to_json, read_plan
from tests.api.conftest import A, B
from tests.api.test_routes import PROBLEM
from tests.conftest import CONTRACT
from tests.matcher.reports.test_schedule_reports import SCHEDULED_PLAN, scheduled_raw


def _finished(client: TestClient, scenario: dict[str, Any], plan_file: Path) -> str:
    """A job of ``scenario`` whose result is the plan in ``plan_file``, as a worker stores it."""
    store: JobStore = client.app.state.store  # type: ignore[attr-defined]
    job_id: str = client.post("/v1/plans", json={"scenario": scenario}, headers=A).json()["id"]
    claim = store.claim()
    assert claim is not None and claim.id == job_id
    plan = read_plan(plan_file)
    outcome = {"plan_status": plan.solver.status, "objective": None}
    assert store.finish(claim.id, claim.attempt, "succeeded", outcome, plan_to_json(plan))
    return job_id


@pytest.fixture
def scheduled(idle_client: TestClient) -> str:
    """A finished job of the tiny scheduled county with its hand-written routes."""
    return _finished(idle_client, scheduled_raw(), SCHEDULED_PLAN)


def test_a_providers_days_as_a_calendar_file(idle_client: TestClient, scheduled: str) -> None:
    answer = idle_client.get(f"/v1/plans/{scheduled}/schedule.ics?provider=C3", headers=A)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/calendar")
    assert answer.headers["content-disposition"] == 'attachment; filename="C3.ics"'
    calendar = icalendar.Calendar.from_ical(answer.content)
    events = list(calendar.walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        "走访 西岭村",
        "走访 高山村",
        "走访 西岭村",
        "走访、服务 高山村：养老服务",
    ]
    last = events[-1]
    beijing = dt.timezone(dt.timedelta(hours=8))
    assert last.decoded("dtstart") == dt.datetime(2026, 12, 21, 9, 10, tzinfo=beijing)
    assert last.decoded("dtend") == dt.datetime(2026, 12, 21, 14, 10, tzinfo=beijing)
    assert str(last["location"]) == "高山村，清水镇"
    assert "N4 三组2号：养老服务" in str(last["description"])
    uids = [str(e["uid"]) for e in events]
    assert len(set(uids)) == 4 and uids[-1].endswith("-C3-2026-12-21-1@baolian-matcher")
    # The job's scenario hash keys the UIDs: the same file again has the same ones.
    again = idle_client.get(f"/v1/plans/{scheduled}/schedule.ics?provider=C3", headers=A)
    assert [str(e["uid"]) for e in icalendar.Calendar.from_ical(again.content).walk("VEVENT")] == (
        uids
    )
    english = idle_client.get(f"/v1/plans/{scheduled}/schedule.ics?provider=O1&lang=en", headers=A)
    summaries = [
        str(e["summary"]) for e in icalendar.Calendar.from_ical(english.content).walk("VEVENT")
    ]
    assert summaries == ["Service 西岭村: child care, mental health"]


def test_a_scenarios_provider_without_stops_gets_an_empty_calendar(
    idle_client: TestClient, scheduled: str
) -> None:
    answer = idle_client.get(f"/v1/plans/{scheduled}/schedule.ics?provider=C4", headers=A)
    assert answer.status_code == 200
    assert list(icalendar.Calendar.from_ical(answer.content).walk("VEVENT")) == []


def test_an_unknown_provider_is_404_naming_it(idle_client: TestClient, scheduled: str) -> None:
    answer = idle_client.get(f"/v1/plans/{scheduled}/schedule.ics?provider=X9", headers=A)
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["type"] == "/problems/no-provider"
    assert "X9" in problem["detail"] and scheduled in problem["detail"]
    chinese = idle_client.get(
        f"/v1/plans/{scheduled}/schedule.ics?provider=X9",
        headers={**A, "Accept-Language": "zh-CN"},
    ).json()
    assert chinese["title"] == "没有此服务者"
    assert chinese["detail"] == f"作业 {scheduled} 的情景和日程中都没有服务者 X9"


def test_no_plan_no_schedule_and_other_counties(idle_client: TestClient, scheduled: str) -> None:
    # Another county's job looks unknown.
    other = idle_client.get(f"/v1/plans/{scheduled}/schedule.ics?provider=C1", headers=B)
    assert other.status_code == 404 and other.json()["type"] == "/problems/not-found"
    # A plan without a schedule: 409 no-schedule.
    contract = json.loads((CONTRACT / "tiny-county.json").read_text())
    plain = _finished(idle_client, contract, CONTRACT / "tiny-plan.json")
    answer = idle_client.get(f"/v1/plans/{plain}/schedule.ics?provider=C1", headers=A)
    assert answer.status_code == 409 and answer.json()["type"] == "/problems/no-schedule"
    assert "policy.schedule" in answer.json()["detail"]
    zh = idle_client.get(
        f"/v1/plans/{plain}/schedule.ics?provider=C1", headers={**A, "Accept-Language": "zh"}
    ).json()
    assert zh["title"] == "该方案没有日程"
    # A queued job has no plan yet: 409 no-plan.
    queued = idle_client.post("/v1/plans", json={"scenario": contract}, headers=A).json()["id"]
    waiting = idle_client.get(f"/v1/plans/{queued}/schedule.ics?provider=C1", headers=A)
    assert waiting.status_code == 409 and waiting.json()["type"] == "/problems/no-plan"
    # The provider is required, and clean.
    missing = idle_client.get(f"/v1/plans/{scheduled}/schedule.ics", headers=A)
    assert missing.status_code == 422


def test_the_route_is_documented(idle_client: TestClient) -> None:
    document = idle_client.get("/openapi.json").json()
    route = document["paths"]["/v1/plans/{job_id}/schedule.ics"]["get"]
    assert "text/calendar" in route["responses"]["200"]["content"]
    assert {"401", "404", "409", "422"} <= set(route["responses"])
    assert [p["name"] for p in route["parameters"]][:2] == ["job_id", "provider"]
