"""The API through the app: keys and tenants, job life cycle, errors as problem documents."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.keys import key_hash
from matcher import __version__
from matcher.intake.loading import parse_scenario
from tests.api.conftest import A, B, settings

PROBLEM = "application/problem+json"


def wait_final(client: TestClient, job_id: str, timeout: float = 60.0) -> dict[str, Any]:
    """Poll until the job is final (a guard against hangs, not a speed check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/plans/{job_id}", headers=A).json()
        if job["status"] in ("succeeded", "failed", "stopped"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not final after {timeout} s")


def read_events(client: TestClient, job_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    """The job's server-sent events, parsed, until the stream ends."""
    events: list[dict[str, Any]] = []
    current: dict[str, Any] = {}
    with client.stream("GET", f"/v1/plans/{job_id}/events", headers=headers) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if not line:
                if "event" in current:
                    events.append(current)
                current = {}
            elif line.startswith("id: "):
                current["id"] = int(line[4:])
            elif line.startswith("event: "):
                current["event"] = line[7:]
            elif line.startswith("data: "):
                current["data"] = json.loads(line[6:])
    return events


def test_health_needs_no_key_and_says_only_that_the_service_is_up(client: TestClient) -> None:
    """Without a key the health check tells nothing of the service's counties or jobs."""
    for headers in ({}, {"X-API-Key": "wrong"}):
        assert client.get("/v1/health", headers=headers).json() == {
            "status": "ok",
            "version": __version__,
        }


def test_health_with_a_key_shows_only_that_countys_jobs(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    """A key adds the store, the workers and the caller's own jobs by status."""
    for _ in range(2):
        idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A)
    idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=B)
    body = idle_client.get("/v1/health", headers=A).json()
    assert body["database"] == "sqlite" and body["workers"] == 0
    assert body["jobs"] == {"queued": 2}
    assert idle_client.get("/v1/health", headers=B).json()["jobs"] == {"queued": 1}


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}])
def test_every_other_route_needs_a_valid_key(
    idle_client: TestClient, headers: dict[str, str]
) -> None:
    for method, path in [
        ("GET", "/v1/plans"),
        ("GET", "/v1/solvers"),
        ("GET", "/v1/plans/abc"),
        ("DELETE", "/v1/plans/abc"),
        ("GET", "/v1/plans/abc/events"),
        ("POST", "/v1/scenarios/validate"),
    ]:
        response = idle_client.request(method, path, headers=headers)
        assert response.status_code == 401, (method, path)
        assert response.headers["content-type"] == PROBLEM
        assert response.json()["status"] == 401


def test_keys_from_a_file_of_hashes(tmp_path: Path) -> None:
    keys = tmp_path / "keys.txt"
    keys.write_text(f"# county keys\ncounty-c:{key_hash('secret-c')}\n")
    app = create_app(settings(tmp_path, api_keys="", api_keys_file=keys), start_workers=False)
    with TestClient(app) as client:
        assert client.get("/v1/plans", headers={"X-API-Key": "secret-c"}).status_code == 200
        assert (
            client.get("/v1/plans", headers={"X-API-Key": key_hash("secret-c")}).status_code == 401
        )


def test_a_solve_runs_to_a_plan_with_events_and_reports(
    client: TestClient, tiny_raw: dict[str, Any], tiny_expected: dict[str, Any]
) -> None:
    response = client.post(
        "/v1/plans",
        json={"scenario": tiny_raw, "solver": "auto", "time_limit_seconds": 10},
        headers=A,
    )
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert response.headers["location"] == f"/v1/plans/{job_id}"
    events = read_events(client, job_id, A)
    statuses = [e["data"]["status"] for e in events if e["event"] == "status"]
    assert statuses == ["queued", "running", "succeeded"]
    assert [e["id"] for e in events] == sorted(e["id"] for e in events)
    job = client.get(f"/v1/plans/{job_id}", headers=A).json()
    assert job["status"] == "succeeded" and job["attempts"] == 1
    plan = job["plan"]
    assert plan["solver"]["status"] == "optimal"
    assert plan["solver"]["objective"] == pytest.approx(tiny_expected["optimal_objective"])
    assert job["progress"]["objective"] == pytest.approx(plan["solver"]["objective"])
    duplicate = client.get(f"/v1/plans/{job_id}/reports/duplicate-aid", headers=A).json()
    assert duplicate == plan["reports"]["duplicate_aid"] and duplicate["groups"]
    blind = client.get(f"/v1/plans/{job_id}/reports/blind-spots", headers=A).json()
    assert blind == plan["reports"]["blind_spots"]
    listed = client.get("/v1/plans", headers=A).json()
    assert [j["id"] for j in listed["items"]] == [job_id] and "plan" not in listed["items"][0]
    assert client.get(f"/v1/plans/{job_id}?plan=false", headers=A).json()["plan"] is None
    page = client.get(f"/v1/plans/{job_id}/report.html", headers=A)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert plan["scenario"]["name"] in page.text and 'class="village"' in page.text


def test_another_tenant_gets_404_for_every_route_of_a_job(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    job_id = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).json()["id"]
    for method, suffix in [
        ("GET", ""),
        ("DELETE", ""),
        ("GET", "/events"),
        ("GET", "/reports/duplicate-aid"),
        ("GET", "/reports/blind-spots"),
        ("GET", "/report.html"),
    ]:
        response = idle_client.request(method, f"/v1/plans/{job_id}{suffix}", headers=B)
        assert response.status_code == 404, suffix
        assert response.headers["content-type"] == PROBLEM
    assert idle_client.get("/v1/plans", headers=B).json()["items"] == []
    job = idle_client.get(f"/v1/plans/{job_id}", headers=A).json()
    assert job["status"] == "queued"


def test_a_repeated_idempotency_key_returns_the_same_job(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    headers = {**A, "Idempotency-Key": "upload-42"}
    first = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=headers)
    again = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=headers)
    assert first.status_code == again.status_code == 202
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    other = idle_client.post("/v1/plans", json={"scenario": tiny_raw, "seed": 7}, headers=headers)
    assert other.status_code == 422 and other.headers["content-type"] == PROBLEM
    assert other.json()["type"].endswith("idempotency-key-reused")
    assert len(idle_client.get("/v1/plans", headers=A).json()["items"]) == 1


def test_an_invalid_scenario_lists_every_problem_and_stores_nothing(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    tiny_raw["cadres"][0]["hours"] = -3
    tiny_raw["needs"][1]["village"] = "V404"
    response = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["type"].endswith("scenario-invalid")
    paths = {(e["path"], e["id"]) for e in body["errors"]}
    cadre = tiny_raw["cadres"][0]["id"]
    need = tiny_raw["needs"][1]["id"]
    assert ("$.scenario.cadres[0].hours", cadre) in paths
    assert ("$.scenario.needs[1].village", need) in paths
    assert idle_client.get("/v1/plans", headers=A).json()["items"] == []


def test_validate_gives_the_same_problems_as_the_cli(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    good = idle_client.post("/v1/scenarios/validate", json=tiny_raw, headers=A)
    assert good.status_code == 200 and good.json()["counts"]["needs"] == len(tiny_raw["needs"])
    tiny_raw["cadres"][0]["hours"] = -3
    tiny_raw["pools"][0]["departments"] = 5
    bad = idle_client.post("/v1/scenarios/validate", json=tiny_raw, headers=A)
    assert bad.status_code == 422
    with pytest.raises(Exception) as invalid:
        parse_scenario(tiny_raw)
    expected = [p.to_dict() for p in invalid.value.errors]  # type: ignore[attr-defined]
    assert bad.json()["errors"] == expected


def test_bad_request_fields_are_located(idle_client: TestClient, tiny_raw: dict[str, Any]) -> None:
    body = {"scenario": tiny_raw, "solver": "magic", "time_limit_seconds": -1, "extra": 1}
    response = idle_client.post("/v1/plans", json=body, headers=A)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    paths = {e["path"] for e in response.json()["errors"]}
    assert {"$.solver", "$.time_limit_seconds", "$.extra"} <= paths
    too_long = {"scenario": tiny_raw, "time_limit_seconds": 100000}
    response = idle_client.post("/v1/plans", json=too_long, headers=A)
    assert response.status_code == 422
    assert response.json()["errors"][0]["path"] == "$.time_limit_seconds"
    broken = idle_client.post(
        "/v1/plans", content=b'{"scenario": {', headers={**A, "Content-Type": "application/json"}
    )
    assert broken.status_code == 422 and broken.headers["content-type"] == PROBLEM


def test_a_body_over_the_limit_gets_413(tmp_path: Path, tiny_raw: dict[str, Any]) -> None:
    app = create_app(settings(tmp_path, max_body_mb=0.001), start_workers=False)
    with TestClient(app) as client:
        big = {"scenario": tiny_raw, "padding": "x" * 5000}
        response = client.post("/v1/plans", json=big, headers=A)
        assert response.status_code == 413 and response.headers["content-type"] == PROBLEM

        def chunks() -> Any:
            for _ in range(10):
                yield b" " * 500  # no Content-Length: counted as it streams

        streamed = client.post(
            "/v1/plans", content=chunks(), headers={**A, "Content-Type": "application/json"}
        )
        assert streamed.status_code == 413 and streamed.headers["content-type"] == PROBLEM
        assert client.get("/v1/plans", headers=A).json()["items"] == []


def test_a_full_queue_answers_429_with_retry_after(
    tmp_path: Path, tiny_raw: dict[str, Any]
) -> None:
    app = create_app(settings(tmp_path, queue_limit=2), start_workers=False)
    with TestClient(app) as client:
        for seed in range(2):
            body = {"scenario": tiny_raw, "seed": seed}
            assert client.post("/v1/plans", json=body, headers=A).status_code == 202
        full = client.post("/v1/plans", json={"scenario": tiny_raw, "seed": 9}, headers=A)
        assert full.status_code == 429 and full.headers["content-type"] == PROBLEM
        assert int(full.headers["retry-after"]) >= 1


def test_one_county_filling_its_queue_leaves_room_for_another(
    tmp_path: Path, tiny_raw: dict[str, Any]
) -> None:
    """County A's burst meets its own limit (429 naming the county's queue); county B's job
    is still accepted, and is the next one a worker takes."""
    app = create_app(settings(tmp_path, tenant_queue_limit=2), start_workers=False)
    with TestClient(app) as client:
        for seed in range(2):
            body = {"scenario": tiny_raw, "seed": seed}
            assert client.post("/v1/plans", json=body, headers=A).status_code == 202
        full = client.post("/v1/plans", json={"scenario": tiny_raw, "seed": 9}, headers=A)
        assert full.status_code == 429 and "your county's limit" in full.json()["detail"]
        other = client.post("/v1/plans", json={"scenario": tiny_raw}, headers=B)
        assert other.status_code == 202
        store = app.state.store
        first = store.claim()
        second = store.claim()
        assert first is not None and second is not None and second.id == other.json()["id"]


def test_stopping_a_queued_job_ends_it_without_a_plan(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    job_id = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).json()["id"]
    stopped = idle_client.delete(f"/v1/plans/{job_id}", headers=A)
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"
    report = idle_client.get(f"/v1/plans/{job_id}/reports/blind-spots", headers=A)
    assert report.status_code == 409 and report.headers["content-type"] == PROBLEM
    statuses = [e["data"]["status"] for e in read_events(idle_client, job_id, A)]
    assert statuses == ["queued", "stopped"]


def test_stopping_a_running_job_keeps_its_best_plan(client: TestClient) -> None:
    demo = json.loads((Path(__file__).parents[2] / "scenarios/demo-county.json").read_text())
    body = {"scenario": demo, "solver": "auto", "time_limit_seconds": 120}
    job_id = client.post("/v1/plans", json=body, headers=A).json()["id"]
    deadline = time.monotonic() + 60
    while client.get(f"/v1/plans/{job_id}", headers=A).json()["progress"] is None:
        assert time.monotonic() < deadline, "no progress within 60 s"
        time.sleep(0.1)
    asked = client.delete(f"/v1/plans/{job_id}", headers=A)
    assert asked.status_code == 202 and asked.json()["stop_requested"]  # under way
    job = wait_final(client, job_id)
    assert job["status"] == "stopped"
    assert job["plan"]["solver"]["status"] == "stopped" and job["plan"]["assignments"]
    assert job["plan"].get("violations", []) == []


def test_events_resume_after_the_last_event_id(
    client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    job_id = client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).json()["id"]
    everything = read_events(client, job_id, A)
    rest = read_events(client, job_id, {**A, "Last-Event-ID": str(everything[1]["id"])})
    assert rest == everything[2:]
    assert read_events(client, job_id, {**A, "Last-Event-ID": str(everything[-1]["id"])}) == []


def test_pages_of_jobs_follow_the_cursor(idle_client: TestClient, tiny_raw: dict[str, Any]) -> None:
    ids = [
        idle_client.post("/v1/plans", json={"scenario": tiny_raw, "seed": s}, headers=A).json()[
            "id"
        ]
        for s in range(3)
    ]
    first = idle_client.get("/v1/plans?limit=2", headers=A).json()
    second = idle_client.get(f"/v1/plans?limit=2&cursor={first['next_cursor']}", headers=A).json()
    assert [j["id"] for j in first["items"] + second["items"]] == ids[::-1]
    assert second["next_cursor"] is None
    bad = idle_client.get("/v1/plans?cursor=zzz", headers=A)
    assert bad.status_code == 422 and bad.headers["content-type"] == PROBLEM


def test_unknown_routes_and_methods_are_problem_documents(idle_client: TestClient) -> None:
    missing = idle_client.get("/v1/nothing", headers=A)
    assert missing.status_code == 404 and missing.headers["content-type"] == PROBLEM
    wrong = idle_client.put("/v1/plans", headers=A)
    assert wrong.status_code == 405 and wrong.headers["content-type"] == PROBLEM


def test_solvers_are_listed_with_the_default(idle_client: TestClient) -> None:
    listed = idle_client.get("/v1/solvers", headers=A).json()
    assert {s["name"] for s in listed} == {"auto", "greedy", "siloed", "cpsat", "highs"}
    assert [s["name"] for s in listed if s["default"]] == ["auto"]


def test_cors_is_off_by_default(idle_client: TestClient) -> None:
    preflight = idle_client.options(
        "/v1/plans",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_policy_overrides_are_merged_and_validated(
    client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    bad = {"scenario": tiny_raw, "policy": {"min_cadres_per_village": -1}}
    refused = client.post("/v1/plans", json=bad, headers=A)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["path"] == "$.scenario.policy.min_cadres_per_village"
    body = {"scenario": tiny_raw, "policy": {"min_cadres_per_village": 3}, "confirm_fixes": 1}
    job_id = client.post("/v1/plans", json=body, headers=A).json()["id"]
    job = wait_final(client, job_id)
    assert job["status"] == "succeeded"
    blind = client.get(f"/v1/plans/{job_id}/reports/blind-spots", headers=A).json()
    assert blind["min_cadres_per_village"] == 3
    assert blind["fix_pricing"]["fixes_confirmed"] >= 1
    fixed = [g for g in blind["unmet_groups"] if g["fixes"]]
    assert fixed and any(f["confirmed"] for g in fixed for f in g["fixes"])


def test_every_documented_error_is_a_problem_document(idle_client: TestClient) -> None:
    schema = idle_client.get("/openapi.json").json()
    errors = 0
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith(("4", "5")):
                    assert list(answer["content"]) == [PROBLEM], (method, path, status)
                    errors += 1
    assert errors >= 30
    examples = schema["paths"]["/v1/plans"]["post"]["requestBody"]["content"]
    assert examples["application/json"]["examples"]["tiny county"]["value"]["scenario"]


def test_two_plans_are_compared_in_domain_terms(
    client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    first = client.post(
        "/v1/plans", json={"scenario": tiny_raw, "solver": "greedy"}, headers=A
    ).json()["id"]
    second = client.post(
        "/v1/plans", json={"scenario": tiny_raw, "solver": "auto"}, headers=A
    ).json()["id"]
    a, b = wait_final(client, first), wait_final(client, second)
    answer = client.get(f"/v1/plans/{second}/diff?against={first}", headers=A)
    assert answer.status_code == 200
    diff = answer.json()
    assert diff["scenario"]["same"] is True
    served_a = {x["need"] for x in a["plan"]["assignments"]}
    served_b = {x["need"] for x in b["plan"]["assignments"]}
    assert diff["needs"]["gained"]["count"] == len(served_b - served_a)
    assert diff["needs"]["lost"]["count"] == len(served_a - served_b)
    assert diff["households"]["available"] is True
    other = client.get(f"/v1/plans/{second}/diff?against={first}", headers=B)
    assert other.status_code == 404
