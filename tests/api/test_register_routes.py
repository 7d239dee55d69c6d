"""The register's routes (DESIGN §10): the county, needs and their events, register re-plans
through the worker, publishing, responsibility lists, service KPIs and the export; every route
kept and broken, in English and Chinese, and no county seeing another's needs."""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from matcher.register.files import register_of
from tests.api.conftest import A, B, settings
from tests.conftest import ROOT

PROBLEM = "application/problem+json"
ZH = {**A, "Accept-Language": "zh-CN"}
TINY = json.loads((ROOT / "api" / "example_scenario.json").read_text(encoding="utf-8"))
COUNTY = {k: v for k, v in TINY.items() if k != "needs"}
NEEDS: list[dict[str, Any]] = TINY["needs"]


def wait_final(client: TestClient, job_id: str, timeout: float = 90.0) -> dict[str, Any]:
    """Poll until the job is final (a guard against hangs, not a speed check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/plans/{job_id}?plan=false", headers=A).json()
        if job["status"] in ("succeeded", "failed", "stopped"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not final after {timeout} s")


def problem(answer: Any, status: int, kind: str) -> dict[str, Any]:
    """The answer's problem document, checked to be of ``status`` and ``kind``."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == PROBLEM
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"/problems/{kind}", body
    return body


def paths(body: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(e["path"], e.get("id")) for e in body.get("errors", [])]


@pytest.fixture
def county(client: TestClient) -> TestClient:
    """The app's client, the tiny county put and its needs posted."""
    assert client.put("/v1/county", json=COUNTY, headers=A).status_code == 200
    assert client.post("/v1/needs", json={"needs": NEEDS}, headers=A).status_code == 201
    return client


def replan(client: TestClient, date: str, **extra: Any) -> dict[str, Any]:
    body = {"register": {"date": date}, "solver": "auto", "time_limit_seconds": 5, **extra}
    accepted = client.post("/v1/plans", json=body, headers=A)
    assert accepted.status_code == 202, accepted.text
    return wait_final(client, accepted.json()["id"])


def publish(client: TestClient, job_id: str) -> dict[str, Any]:
    answer = client.post(f"/v1/plans/{job_id}/publish", headers=A)
    assert answer.status_code == 200, answer.text
    published: dict[str, Any] = answer.json()
    return published


def assigned(client: TestClient) -> dict[str, tuple[str, str]]:
    page = client.get("/v1/needs?status=assigned&limit=500", headers=A).json()
    return {n["need"]["id"]: (n["provider"], n["date"]) for n in page["items"]}


# ----------------------------------------------------------------------------- the county


def test_each_put_is_a_new_version(client: TestClient) -> None:
    problem(client.get("/v1/county", headers=A), 409, "county-missing")
    first = client.put("/v1/county", json=COUNTY, headers=A)
    assert first.status_code == 200 and first.json()["version"] == 1
    second = client.put("/v1/county", json=COUNTY, headers=A)
    assert second.json()["version"] == 2 and second.json()["sha256"] == first.json()["sha256"]
    latest = client.get("/v1/county", headers=A).json()
    assert latest["version"] == 2 and latest["county"]["villages"][0]["id"] == "V1"
    assert "needs" not in latest["county"]
    problem(client.get("/v1/county", headers=B), 409, "county-missing")  # B's own county


def test_a_county_with_needs_or_broken_is_refused(client: TestClient) -> None:
    with_needs = problem(client.put("/v1/county", json=TINY, headers=A), 422, "scenario-invalid")
    assert paths(with_needs) == [("$.needs", None)]
    broken = copy.deepcopy(COUNTY)
    broken["cadres"][0]["hours"] = -1
    body = problem(client.put("/v1/county", json=broken, headers=A), 422, "scenario-invalid")
    assert ("$.cadres[0].hours", "C1") in paths(body)
    problem(client.get("/v1/county", headers=A), 409, "county-missing")  # nothing stored


# ----------------------------------------------------------------------------- needs


def test_needs_need_the_county_first(client: TestClient) -> None:
    body = problem(
        client.post("/v1/needs", json={"needs": NEEDS}, headers=ZH), 409, "county-missing"
    )
    assert body["title"] == "请先提交县的基础数据" and "PUT /v1/county" in body["detail"]


def test_posted_needs_are_open_with_their_history(client: TestClient) -> None:
    client.put("/v1/county", json=COUNTY, headers=A)
    fresh = {k: v for k, v in NEEDS[0].items() if k != "submitted"}
    added = client.post("/v1/needs", json={"needs": [fresh]}, headers=A)
    assert added.status_code == 201, added.text
    assert added.json() == {"ids": ["N1"], "county_version": 1}
    assert added.headers.get("idempotent-replayed") is None
    need = client.get("/v1/needs/N1", headers=A).json()
    assert need["status"] == "open" and need["provider"] is None and need["county_version"] == 1
    assert need["need"]["submitted"] == dt.date.today().isoformat()  # the day received
    assert [e["type"] for e in need["history"]] == ["received"]
    problem(client.get("/v1/needs/N1", headers=B), 404, "not-found")
    problem(client.get("/v1/needs/N404", headers=A), 404, "not-found")


def test_a_repeated_key_gives_the_first_ids_back(client: TestClient) -> None:
    client.put("/v1/county", json=COUNTY, headers=A)
    key = {**A, "Idempotency-Key": "batch-1"}
    first = client.post("/v1/needs", json={"needs": NEEDS[:3]}, headers=key)
    again = client.post("/v1/needs", json={"needs": NEEDS[:3]}, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    problem(
        client.post("/v1/needs", json={"needs": NEEDS[3:4]}, headers=key),
        422,
        "idempotency-key-reused",
    )
    assert len(client.get("/v1/needs", headers=A).json()["items"]) == 3


def test_a_known_id_is_a_409_naming_it_and_stores_nothing(county: TestClient) -> None:
    new = {**NEEDS[0], "id": "N100"}
    body = problem(
        county.post("/v1/needs", json={"needs": [new, NEEDS[1]]}, headers=A), 409, "need-exists"
    )
    assert paths(body) == [("$.needs[1].id", "N2")] and "N2" in body["detail"]
    problem(county.get("/v1/needs/N100", headers=A), 404, "not-found")


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"hours": -1}, "$.needs[0].hours"),
        ({"category": "flying"}, "$.needs[0].category"),
        ({"village": "V404"}, "$.needs[0].village"),
        ({"pinned_provider": "C404"}, "$.needs[0].pinned_provider"),
        ({"priority": 9}, "$.needs[0].priority"),
    ],
)
def test_a_malformed_need_is_a_422_at_its_path_with_its_id(
    county: TestClient, change: dict[str, Any], path: str
) -> None:
    bad = {**NEEDS[0], "id": "N-bad", **change}
    ok = {**NEEDS[0], "id": "N-ok"}
    body = problem(
        county.post("/v1/needs", json={"needs": [bad, ok]}, headers=A), 422, "request-invalid"
    )
    assert paths(body) == [(path, "N-bad")]
    problem(county.get("/v1/needs/N-ok", headers=A), 404, "not-found")  # all or none


def test_an_unknown_village_is_said_in_chinese(county: TestClient) -> None:
    bad = {**NEEDS[0], "id": "N-bad", "village": "V404"}
    body = problem(
        county.post("/v1/needs", json={"needs": [bad]}, headers=ZH), 422, "request-invalid"
    )
    assert body["errors"][0]["message"] == "村 V404 不在本县的基础数据中"
    assert "V404" in body["errors"][0]["message_en"]


def test_an_id_twice_in_a_batch_is_refused(county: TestClient) -> None:
    twice = [{**NEEDS[0], "id": "N-x"}, {**NEEDS[1], "id": "N-x"}]
    body = problem(
        county.post("/v1/needs", json={"needs": twice}, headers=A), 422, "request-invalid"
    )
    assert paths(body) == [("$.needs[1].id", "N-x")]


def test_a_batch_over_the_setting_is_refused(tmp_path: Path) -> None:
    app = create_app(settings(tmp_path, max_needs_per_post=2), start_workers=False)
    with TestClient(app) as client:
        client.put("/v1/county", json=COUNTY, headers=A)
        body = problem(
            client.post("/v1/needs", json={"needs": NEEDS[:3]}, headers=A), 422, "request-invalid"
        )
        assert paths(body) == [("$.needs", None)]
        empty = client.post("/v1/needs", json={"needs": []}, headers=A)
        assert empty.status_code == 422


def test_the_list_filters_and_pages(county: TestClient) -> None:
    first = county.get("/v1/needs?limit=5", headers=A).json()
    assert [n["need"]["id"] for n in first["items"]] == ["N1", "N2", "N3", "N4", "N5"]
    rest = county.get(f"/v1/needs?limit=5&cursor={first['next_cursor']}", headers=A).json()
    assert [n["need"]["id"] for n in rest["items"]] == ["N6", "N7", "N8"]
    assert rest["next_cursor"] is None
    v1 = county.get("/v1/needs?village=V1", headers=A).json()["items"]
    assert v1 and all(n["need"]["village"] == "V1" for n in v1)
    assert county.get("/v1/needs?status=resolved", headers=A).json()["items"] == []
    assert county.get("/v1/needs", headers=B).json()["items"] == []
    problem(county.get("/v1/needs?cursor=nonsense", headers=A), 422, "request-invalid")
    problem(county.get("/v1/needs?status=lost", headers=A), 422, "request-invalid")


# ----------------------------------------------------------------------------- events


def test_an_illegal_transition_is_a_409_in_either_language(county: TestClient) -> None:
    english = problem(
        county.post("/v1/needs/N1/events", json={"type": "started"}, headers=A),
        409,
        "illegal-transition",
    )
    assert english["detail"] == "need N1 is open; a 'started' event is allowed only from assigned"
    chinese = problem(
        county.post(
            "/v1/needs/N1/events", json={"type": "feedback", "satisfaction": 3}, headers=ZH
        ),
        409,
        "illegal-transition",
    )
    assert chinese["title"] == "需求当前状态不允许此事件"
    assert chinese["detail"].startswith("需求 N1 当前为“待分派”")
    history = county.get("/v1/needs/N1", headers=A).json()["history"]
    assert [e["type"] for e in history] == ["received"]


@pytest.mark.parametrize(
    ("event", "path"),
    [
        ({"type": "closed"}, "$.reason"),
        ({"type": "reopened", "reason": "duplicate"}, "$.reason"),
        ({"type": "closed", "reason": "duplicate", "satisfaction": 4}, "$.satisfaction"),
        ({"type": "closed", "reason": "bored"}, "$.reason"),
        ({"type": "feedback", "satisfaction": 6}, "$.satisfaction"),
        ({"type": "teleported"}, "$.type"),
        ({"type": "started", "extra": 1}, "$.extra"),
    ],
)
def test_a_bad_event_is_a_422_at_its_field(
    county: TestClient, event: dict[str, Any], path: str
) -> None:
    body = problem(
        county.post("/v1/needs/N1/events", json=event, headers=A), 422, "request-invalid"
    )
    assert [p for p, _ in paths(body)] == [path]


def test_another_countys_need_is_404_for_events(county: TestClient) -> None:
    event = {"type": "closed", "reason": "duplicate"}
    problem(county.post("/v1/needs/N1/events", json=event, headers=B), 404, "not-found")
    assert county.get("/v1/needs/N1", headers=A).json()["status"] == "open"


def test_close_and_reopen(county: TestClient) -> None:
    closed = county.post(
        "/v1/needs/N1/events",
        json={"type": "closed", "reason": "no_help_wanted", "at": "2026-12-03", "note": "搬走了"},
        headers=A,
    )
    assert closed.status_code == 201, closed.text
    assert closed.json()["status"] == "closed"
    assert closed.json()["history"][-1] == {
        "type": "closed",
        "at": "2026-12-03",
        "reason": "no_help_wanted",
        "note": "搬走了",
        "satisfaction": None,
        "provider": None,
        "date": None,
        "plan_id": None,
    }
    feedback = county.post(
        "/v1/needs/N1/events", json={"type": "feedback", "satisfaction": 2}, headers=A
    )
    assert feedback.status_code == 201 and feedback.json()["status"] == "closed"
    reopened = county.post("/v1/needs/N1/events", json={"type": "reopened"}, headers=A)
    assert reopened.json()["status"] == "open"


# ----------------------------------------------------------------------------- re-plans


def test_a_plan_request_needs_exactly_one_of_scenario_and_register(client: TestClient) -> None:
    neither = problem(client.post("/v1/plans", json={}, headers=A), 422, "request-invalid")
    assert paths(neither) == [("$.scenario", None)]
    both = {"scenario": TINY, "register": {"date": "2026-12-07"}}
    body = problem(client.post("/v1/plans", json=both, headers=A), 422, "request-invalid")
    assert paths(body) == [("$.register", None)]
    bad_date = {"register": {"date": "someday"}}
    body = problem(client.post("/v1/plans", json=bad_date, headers=A), 422, "request-invalid")
    assert paths(body) == [("$.register.date", None)]
    problem(
        client.post("/v1/plans", json={"register": {"date": "2026-12-07"}}, headers=A),
        409,
        "county-missing",
    )


def test_replan_publish_and_replan_again(county: TestClient) -> None:
    """The loop through the worker on the tiny county: a re-plan, its publish, work started,
    and a second re-plan from the published plan within ``max_changes``."""
    first = replan(county, "2026-12-07")
    assert first["status"] == "succeeded", first["outcome"]
    info = first["register_replan"]
    assert info["date"] == "2026-12-07" and info["county_version"] == 1 and info["needs"] == 8
    assert first["previous_plan_id"] is None  # nothing published yet
    assert first["outcome"]["register"]["county_version"] == 1
    scenario = county.get(f"/v1/plans/{first['id']}", headers=A).json()["plan"]["scenario"]
    assert scenario["name"] == TINY["name"]

    published = publish(county, first["id"])
    assert published["plan_id"] == first["id"] and published["before"] == 0
    assert published["changed"] == 0 and published["skipped"] == []
    work = assigned(county)
    assert len(work) == published["assigned"] > 0
    assert {date for _, date in work.values()} == {"2026-12-07"}  # no days: the re-plan's date

    need_id, (provider, _) = sorted(work.items())[0]
    started = county.post(
        f"/v1/needs/{need_id}/events", json={"type": "started", "at": "2026-12-07"}, headers=A
    )
    assert started.status_code == 201 and started.json()["status"] == "started"

    lists = county.get("/v1/lists/responsibility?from=2026-12-01&to=2026-12-31", headers=A)
    assert lists.status_code == 200, lists.text
    providers = {p["id"]: p for p in lists.json()["providers"]}
    assert set(providers) == {p for p, _ in work.values()}
    items = [i for d in providers[provider]["days"] for i in d["needs"]]
    mine = next(i for i in items if i["id"] == need_id)
    assert mine["status"] == "started" and mine["category_zh"] and mine["village"]["id"]
    one = county.get(f"/v1/lists/responsibility?provider={provider}", headers=A).json()
    assert [p["id"] for p in one["providers"]] == [provider]

    second = replan(county, "2026-12-07", max_changes=0)
    assert second["status"] == "succeeded", second["outcome"]
    assert second["previous_plan_id"] == first["id"] and second["max_changes"] == 0
    assert second["register_replan"]["pinned"] == [need_id]
    assert second["outcome"]["changes_from_previous"] == 0
    again = publish(county, second["id"])
    assert again["changed"] == 0 and again["before"] == published["assigned"] - 1
    assert county.get(f"/v1/needs/{need_id}", headers=A).json()["status"] == "started"

    kpis = county.get("/v1/service-kpis?from=2026-12-01&to=2026-12-31", headers=A)
    assert kpis.status_code == 200, kpis.text
    figures = kpis.json()
    assert figures["start"] == "2026-12-01" and figures["all"]["received"] == 8
    assert figures["all"]["responded"] == 1 and figures["publishes"] == 2
    assert set(figures["by_town"]) <= {v["town"] for v in COUNTY["villages"]}
    problem(
        county.get("/v1/service-kpis?from=2026-12-31&to=2026-12-01", headers=A),
        422,
        "request-invalid",
    )

    exported = county.get("/v1/register/export", headers=A)
    assert exported.status_code == 200
    file = register_of(exported.json())
    assert len(file.needs) == 8 and [p.plan_id for p in file.publishes] == [
        first["id"],
        second["id"],
    ]


def test_only_a_finished_register_replan_can_be_published(county: TestClient) -> None:
    plain = county.post("/v1/plans", json={"scenario": TINY, "time_limit_seconds": 5}, headers=A)
    job = wait_final(county, plain.json()["id"])
    problem(county.post(f"/v1/plans/{job['id']}/publish", headers=A), 409, "not-publishable")
    problem(county.post(f"/v1/plans/{'0' * 32}/publish", headers=A), 404, "not-found")
    first = replan(county, "2026-12-07")
    problem(county.post(f"/v1/plans/{first['id']}/publish", headers=B), 404, "not-found")
    assert assigned(county) == {}


def test_of_two_concurrent_starts_one_is_a_409(county: TestClient) -> None:
    publish(county, replan(county, "2026-12-07")["id"])
    need_id = sorted(assigned(county))[0]
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def start() -> None:
        barrier.wait()
        answer = county.post(f"/v1/needs/{need_id}/events", json={"type": "started"}, headers=A)
        statuses.append(answer.status_code)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(statuses) == [201, 409]
    history = county.get(f"/v1/needs/{need_id}", headers=A).json()["history"]
    assert [e["type"] for e in history] == ["received", "assigned", "started"]


def test_concurrent_batches_with_one_key_store_one_copy(client: TestClient) -> None:
    client.put("/v1/county", json=COUNTY, headers=A)
    barrier = threading.Barrier(8)
    answers: list[Any] = []

    def post() -> None:
        barrier.wait()
        headers = {**A, "Idempotency-Key": "retry"}
        answers.append(client.post("/v1/needs", json={"needs": NEEDS}, headers=headers))

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert [a.status_code for a in answers] == [201] * 8
    assert sum(1 for a in answers if a.headers.get("idempotent-replayed") is None) == 1
    listed = client.get("/v1/needs?limit=500", headers=A).json()["items"]
    assert sorted(n["need"]["id"] for n in listed) == sorted(n["id"] for n in NEEDS)


@pytest.fixture
def idle(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings(tmp_path), start_workers=False)) as client:
        yield client


def test_routes_without_a_county_say_put_it_first(idle: TestClient) -> None:
    for path in ("/v1/lists/responsibility", "/v1/service-kpis", "/v1/register/export"):
        problem(idle.get(path, headers=A), 409, "county-missing")
    for path in ("/v1/county", "/v1/needs", "/v1/service-kpis", "/v1/register/export"):
        assert idle.get(path).status_code == 401


def test_values_of_another_json_type_are_refused(client: TestClient) -> None:
    """The schema's types, not the scenario's lax reading: ``false`` or ``"40"`` where a number
    is meant, a number where a date is."""
    county = {**COUNTY, "policy": {"late_penalty_per_day": False, "speed_kmh": "40"}}
    body = problem(client.put("/v1/county", json=county, headers=A), 422, "scenario-invalid")
    assert [p for p, _ in paths(body)] == [
        "$.policy.late_penalty_per_day",
        "$.policy.speed_kmh",
    ]
    client.put("/v1/county", json=COUNTY, headers=A)
    text_hours = {**NEEDS[0], "hours": "3"}
    body = problem(
        client.post("/v1/needs", json={"needs": [text_hours]}, headers=A), 422, "request-invalid"
    )
    assert [p for p, _ in paths(body)] == ["$.needs[0].hours"]
    event = {"type": "closed", "reason": "duplicate", "at": 0}
    body = problem(
        client.post("/v1/needs/N1/events", json=event, headers=A), 422, "request-invalid"
    )
    assert [p for p, _ in paths(body)] == ["$.at"]
    body = problem(
        client.post("/v1/plans", json={"register": {"date": 20261207}}, headers=A),
        422,
        "request-invalid",
    )
    assert [p for p, _ in paths(body)] == ["$.register.date"]
    for query in ("to=0", "from=2026-13-01", "from=2026-12-09&to=2026-12-01"):
        problem(client.get(f"/v1/service-kpis?{query}", headers=A), 422, "request-invalid")
    assert client.get("/v1/lists/responsibility?to=0", headers=A).status_code == 422
