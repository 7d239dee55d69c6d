"""Issue 16, item 7 (a contract the platform can code against): the plan so far of a running
job, the documented scenario and plan schemas, 415 for a JSON route's body of another media
type, 202 for a stop still under way, and the caller's label and policy overrides on a job."""

from __future__ import annotations

import json
import time
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from matcher.evaluate.evaluator import evaluate
from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario, scenario_sha256
from matcher.plan import Plan, plan_to_json
from matcher.problem.index import ScenarioIndex
from matcher.run import solve_scenario
from tests.api.conftest import A
from tests.api.test_routes import wait_final
from tests.conftest import CONTRACT, ROOT

PROBLEM = "application/problem+json"


# ---------------------------------------------------------------------------- the plan so far


def test_a_running_job_shows_a_plan_that_keeps_every_rule(client: TestClient) -> None:
    """While ``auto`` searches a generated county (30 villages, 600 needs), GET answers
    ``status: running`` with a plan, not null: the first plan, provisional, which the
    evaluator finds without a single violation. Stopped then (202: under way), the job ends
    with its best plan in its place."""
    raw = generate_scenario(villages=30, needs=600, seed=1)
    body = {"scenario": raw, "solver": "auto", "time_limit_seconds": 60}
    job_id = client.post("/v1/plans", json=body, headers=A).json()["id"]
    deadline = time.monotonic() + 60
    while True:
        job = client.get(f"/v1/plans/{job_id}", headers=A).json()
        if job["status"] == "running" and job["plan"] is not None:
            break
        assert job["status"] in ("queued", "running"), f"{job['status']} before a plan was seen"
        assert time.monotonic() < deadline, "no plan while running within 60 s"
        time.sleep(0.05)
    so_far = Plan.model_validate(job["plan"])
    assert so_far.solver.stats is not None and so_far.solver.stats["provisional"] is True
    assert so_far.solver.name == "greedy" and so_far.assignments
    index = ScenarioIndex.build(parse_scenario(raw).scenario)
    evaluation = evaluate(index, so_far)
    assert len(evaluation.violations) == 0 and so_far.violations == []
    assert so_far.solver.objective == pytest.approx(evaluation.objective)
    assert so_far.scenario.sha256 == job["scenario"]["sha256"]
    # The reports stay the final plan's: none while the job runs.
    if client.get(f"/v1/plans/{job_id}?plan=false", headers=A).json()["status"] == "running":
        report = client.get(f"/v1/plans/{job_id}/reports/blind-spots", headers=A)
        assert report.status_code in (200, 409)  # 200 only if it ended in between

    asked = client.delete(f"/v1/plans/{job_id}", headers=A)
    assert asked.status_code == 202 and asked.json()["stop_requested"] is True
    final = wait_final(client, job_id)
    assert final["status"] == "stopped" and final["plan"]["solver"]["name"] == "auto"
    assert "provisional" not in (final["plan"]["solver"]["stats"] or {})
    assert final["plan"]["solver"]["objective"] >= so_far.solver.objective - 1e-6


def test_a_siloed_jobs_plan_so_far_is_siloed(tiny_raw: dict[str, Any]) -> None:
    """The status quo is never shown as the county planning together: a siloed job's first
    plan is siloed's own."""
    from api.plan_so_far import first_plan

    index = ScenarioIndex.build(parse_scenario(tiny_raw).scenario)
    siloed = first_plan(index, "siloed", seed=0)
    greedy = first_plan(index, "cpsat", seed=0)
    assert siloed is not None and siloed.solver.name == "siloed"
    assert greedy is not None and greedy.solver.name == "greedy"


# ---------------------------------------------------------------------------- the schemas


@pytest.fixture
def document(idle_client: TestClient) -> dict[str, Any]:
    """The service's OpenAPI document."""
    found: dict[str, Any] = idle_client.get("/openapi.json").json()
    return found


def _validator(document: dict[str, Any], component: str) -> Any:
    """A JSON Schema validator of one component, its references resolved in the document."""
    schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    return jsonschema_rs.validator_for(schema)


def test_the_scenario_and_the_plan_are_documented_with_their_real_schemas(
    document: dict[str, Any], tiny_raw: dict[str, Any]
) -> None:
    schemas = document["components"]["schemas"]
    request = schemas["PlanRequest"]["properties"]["scenario"]
    # Optional since a plan may come from the register instead: the Scenario or null.
    assert {"$ref": "#/components/schemas/Scenario"} in request["anyOf"]
    assert {"type": "null"} in request["anyOf"]
    body = document["paths"]["/v1/scenarios/validate"]["post"]["requestBody"]["content"]
    assert body["application/json"]["schema"]["$ref"] == "#/components/schemas/Scenario"
    assert schemas["JobDetail"]["properties"]["plan"]["anyOf"][0] == {
        "$ref": "#/components/schemas/Plan"
    }
    scenario = schemas["Scenario"]
    assert set(scenario["required"]) >= {"schema_version", "horizon", "villages", "needs"}
    assert schemas["Road"]["properties"]["from"]["maxLength"] == 128  # the wire name
    # The contract's tiny county (the document leaves out its null values: the same county).
    [example] = scenario["examples"]
    assert example["name"] == tiny_raw["name"]
    assert scenario_sha256(parse_scenario(example).scenario) == scenario_sha256(
        parse_scenario(tiny_raw).scenario
    )
    assert _validator(document, "Scenario").is_valid(tiny_raw)
    assert not _validator(document, "Scenario").is_valid({**tiny_raw, "villages": "none"})


def test_every_plan_matcher_writes_is_valid_under_the_documented_plan(
    document: dict[str, Any], tiny_raw: dict[str, Any]
) -> None:
    """The documented plan schema is truthful: the contract's plan and plans solved now (with
    their reports and fixes) validate."""
    plan_schema = _validator(document, "Plan")
    contract = json.loads((CONTRACT / "tiny-plan.json").read_text(encoding="utf-8"))
    assert plan_schema.is_valid(contract)
    scenario = parse_scenario(tiny_raw).scenario
    for solver in ("greedy", "siloed"):
        plan = json.loads(plan_to_json(solve_scenario(scenario, solver=solver).plan))
        errors = [str(e) for e in plan_schema.iter_errors(plan)]
        assert errors == [], (solver, errors[:3])


def test_the_scenario_is_still_checked_by_matcher_not_by_the_framework(
    idle_client: TestClient,
) -> None:
    """A documented schema does not mean FastAPI validates the scenario: what breaks it is
    still ``scenario-invalid`` with matcher's problems at their JSON paths."""
    demo = json.loads((ROOT / "scenarios" / "demo-county.json").read_text(encoding="utf-8"))
    demo["villages"][0]["households"] = "many"
    del demo["needs"]
    for route, body, prefix in (
        ("/v1/plans", {"scenario": demo}, "$.scenario"),
        ("/v1/scenarios/validate", demo, "$"),
    ):
        answer = idle_client.post(route, json=body, headers=A)
        assert answer.status_code == 422, route
        problem = answer.json()
        assert problem["type"] == "/problems/scenario-invalid"
        paths = {e["path"] for e in problem["errors"]}
        assert {f"{prefix}.villages[0].households", f"{prefix}.needs"} <= paths, paths


# ---------------------------------------------------------------------------- 415


@pytest.mark.parametrize("route", ["/v1/plans", "/v1/scenarios/validate"])
@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_a_json_route_refuses_another_media_type_with_415(
    idle_client: TestClient, tiny_raw: dict[str, Any], route: str, content_type: str | None
) -> None:
    body = json.dumps({"scenario": tiny_raw} if route == "/v1/plans" else tiny_raw)
    headers = {**A, **({"Content-Type": content_type} if content_type else {})}
    answer = idle_client.post(route, content=body.encode(), headers=headers)
    assert answer.status_code == 415, answer.text
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["type"] == "/problems/unsupported-media-type" and problem["status"] == 415
    assert "application/json" in problem["detail"]
    assert idle_client.get("/v1/plans", headers=A).json()["items"] == []
    again = idle_client.post(
        route, content=body.encode(), headers={**A, "Content-Type": "application/json"}
    )
    assert again.status_code in (200, 202)


def test_the_415_comes_after_the_key_and_the_import_takes_any_type(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    text = json.dumps(tiny_raw).encode()
    keyless = idle_client.post("/v1/plans", content=text, headers={"Content-Type": "text/plain"})
    assert keyless.status_code == 401
    imported = idle_client.post(
        "/v1/scenarios/import", content=text, headers={**A, "Content-Type": "text/plain"}
    )
    assert imported.status_code == 200 and imported.json()["source"] == "json"


def test_415_is_documented_on_the_json_routes(document: dict[str, Any]) -> None:
    paths = document["paths"]
    for path in ("/v1/plans", "/v1/scenarios/validate"):
        answer = paths[path]["post"]["responses"]["415"]
        assert list(answer["content"]) == [PROBLEM]
    assert "415" not in paths["/v1/scenarios/import"]["post"]["responses"]


# ---------------------------------------------------------------------------- stopping


def test_delete_answers_200_once_over_and_202_while_the_stop_is_under_way(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    app_store = idle_client.app.state.store  # type: ignore[attr-defined]
    queued = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).json()["id"]
    running = idle_client.post(
        "/v1/plans", json={"scenario": tiny_raw, "seed": 1}, headers=A
    ).json()["id"]
    claim = app_store.claim()  # the oldest: ``queued`` is the first submitted
    assert claim is not None and claim.id == queued
    claim_b = app_store.claim()
    assert claim_b is not None and claim_b.id == running
    assert app_store.release(claim.id, claim.attempt)  # back in the queue, never run

    stopped = idle_client.delete(f"/v1/plans/{queued}", headers=A)
    assert stopped.status_code == 200 and stopped.json()["status"] == "stopped"
    asked = idle_client.delete(f"/v1/plans/{running}", headers=A)
    assert asked.status_code == 202
    assert asked.json()["status"] == "running" and asked.json()["stop_requested"] is True
    again = idle_client.delete(f"/v1/plans/{running}", headers=A)
    assert again.status_code == 202  # still under way
    assert app_store.finish(claim_b.id, claim_b.attempt, "stopped", {"reason": "stopped"})
    over = idle_client.delete(f"/v1/plans/{running}", headers=A)
    assert over.status_code == 200 and over.json()["status"] == "stopped"


def test_delete_documents_both_answers(document: dict[str, Any]) -> None:
    responses = document["paths"]["/v1/plans/{job_id}"]["delete"]["responses"]
    for status in ("200", "202"):
        schema = responses[status]["content"]["application/json"]["schema"]
        assert schema == {"$ref": "#/components/schemas/JobSummary"}


# ---------------------------------------------------------------------------- labels


def test_a_label_and_the_policy_overrides_are_kept_and_listed(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    label = "春季第二轮 · draft 2"
    body = {"scenario": tiny_raw, "label": label, "policy": {"min_cadres_per_village": 1}}
    job_id = idle_client.post("/v1/plans", json=body, headers=A).json()["id"]
    plain = idle_client.post("/v1/plans", json={"scenario": tiny_raw, "seed": 3}, headers=A)
    job = idle_client.get(f"/v1/plans/{job_id}", headers=A).json()
    assert job["label"] == label and job["policy_overrides"] == {"min_cadres_per_village": 1}
    listed = {j["id"]: j for j in idle_client.get("/v1/plans", headers=A).json()["items"]}
    assert listed[job_id]["label"] == label
    assert listed[job_id]["policy_overrides"] == {"min_cadres_per_village": 1}
    other = listed[plain.json()["id"]]
    assert other["label"] is None and other["policy_overrides"] is None


def test_a_label_is_part_of_the_idempotent_request(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    headers = {**A, "Idempotency-Key": "label-key"}
    first = idle_client.post(
        "/v1/plans", json={"scenario": tiny_raw, "label": "a"}, headers=headers
    )
    same = idle_client.post("/v1/plans", json={"scenario": tiny_raw, "label": "a"}, headers=headers)
    assert same.json()["id"] == first.json()["id"]
    other = idle_client.post(
        "/v1/plans", json={"scenario": tiny_raw, "label": "b"}, headers=headers
    )
    assert other.status_code == 422 and other.json()["type"].endswith("idempotency-key-reused")


@pytest.mark.parametrize(
    "label",
    ["bell\x07", "tab\there", "rtl \u202e override", "x" * 101],
    ids=["control", "tab", "direction", "too-long"],
)
def test_a_label_that_is_not_short_clean_text_is_a_located_422(
    idle_client: TestClient, tiny_raw: dict[str, Any], label: str
) -> None:
    answer = idle_client.post("/v1/plans", json={"scenario": tiny_raw, "label": label}, headers=A)
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"] == "/problems/request-invalid"
    assert [e["path"] for e in problem["errors"]] == ["$.label"]
    assert label not in answer.text  # the message never repeats the text
    assert idle_client.get("/v1/plans", headers=A).json()["items"] == []


def test_the_label_check_holds_without_the_input_checks(tiny_raw: dict[str, Any]) -> None:
    """The field itself refuses unclean text, should a body ever reach it unchecked."""
    from pydantic import ValidationError

    from api.schemas import PlanRequest

    with pytest.raises(ValidationError) as refused:
        PlanRequest.model_validate({"scenario": tiny_raw, "label": "a\x00b"})
    assert refused.value.errors()[0]["loc"] == ("label",)
    assert PlanRequest.model_validate({"scenario": tiny_raw, "label": "ok"}).label == "ok"
