"""GET /v1/plans/{id}/rosters (issue 16, item 2): the three lists of 包村联户 of a job's plan,
built with the job's own scenario; one list by ``kind``, one town by id or name; 409 while
there is no plan, 404 for another county's job, 422 for an unknown kind or town; the answer
is what the OpenAPI document says it is."""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import A, B
from tests.api.test_routes import PROBLEM, wait_final
from tests.matcher.reports.test_rosters import named_county


@pytest.fixture
def solved(client: TestClient) -> str:
    """A job of the named contract county, solved by cpsat (optimal: the same plan always)."""
    body = {"scenario": named_county(), "solver": "cpsat", "time_limit_seconds": 10}
    job_id: str = client.post("/v1/plans", json=body, headers=A).json()["id"]
    assert wait_final(client, job_id)["status"] == "succeeded"
    return job_id


def _schema(client: TestClient) -> Any:
    document = client.get("/openapi.json").json()
    schema = {"$ref": "#/components/schemas/Rosters", "components": document["components"]}
    return jsonschema_rs.validator_for(schema)


def test_a_plans_rosters_name_every_party(client: TestClient, solved: str) -> None:
    answer = client.get(f"/v1/plans/{solved}/rosters", headers=A)
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/json"
    found = answer.json()
    assert found["complete"] is True and found["kinds"] == ["pairing", "service", "provider"]
    assert [v["village"] for v in found["pairing"]] == ["V1", "V2", "V3"]
    c1 = next(c for c in found["pairing"][0]["cadres"] if c["cadre"] == "C1")
    assert (c1["name"], c1["title"], c1["department_label"], c1["existing"]) == (
        "王明",
        "乡镇干部",
        "农业农村局",
        True,
    )
    n1 = next(s for s in found["service"] if s["need"] == "N1")
    assert (n1["household_label"], n1["category_label"], n1["provider_name"]) == (
        "一组3号",
        "农业技术",
        "王明",
    )
    assert n1["funding"] == [
        {
            "pool": "P-agri",
            "pool_name": "农业帮扶资金",
            "department_label": "农业农村局",
            "amount": 3000,
        }
    ]
    providers = {p["provider"]: p for p in found["provider"]}
    assert providers["O1"]["unit_label"] == "社会组织" and providers["C1"]["hours_available"] == 24
    errors = [str(e) for e in _schema(client).iter_errors(found)]
    assert errors == []


def test_one_list_one_town_and_english(client: TestClient, solved: str) -> None:
    base = f"/v1/plans/{solved}/rosters"
    service = client.get(f"{base}?kind=service&town=West Town&lang=en", headers=A).json()
    assert service["kinds"] == ["service"] and service["town"] == "T2"
    assert service["pairing"] == [] and service["provider"] == []
    assert service["service"] and {s["village"] for s in service["service"]} <= {"V2", "V3"}
    assert {s["town_name"] for s in service["service"]} == {"West Town"}
    n2 = next(s for s in service["service"] if s["need"] == "N2")
    assert (n2["category_label"], n2["provider_unit"]) == ("child care", "NGO")
    by_id = client.get(f"{base}?kind=service&town=T2&lang=en", headers=A).json()
    assert by_id == service
    assert _schema(client).is_valid(service)


def test_errors_are_problem_documents(client: TestClient, solved: str) -> None:
    base = f"/v1/plans/{solved}/rosters"
    kind = client.get(f"{base}?kind=households", headers=A)
    assert kind.status_code == 422 and kind.headers["content-type"] == PROBLEM
    assert kind.json()["errors"][0]["path"] == "query:kind"
    town = client.get(f"{base}?town=Nowhere", headers=A)
    assert town.status_code == 422 and town.headers["content-type"] == PROBLEM
    problem = town.json()
    assert problem["type"] == "/problems/request-invalid"
    assert problem["errors"][0]["path"] == "query:town"
    assert "T2 West Town" in problem["detail"]
    other = client.get(base, headers=B)
    assert other.status_code == 404 and other.json()["type"] == "/problems/not-found"
    unknown = client.get("/v1/plans/no-such-job/rosters", headers=A)
    assert unknown.status_code == 404 and unknown.headers["content-type"] == PROBLEM
    assert client.get(base).status_code == 401


def test_no_rosters_while_there_is_no_plan(idle_client: TestClient) -> None:
    """A queued job (no workers) has no plan: 409 no-plan."""
    body = {"scenario": named_county(), "solver": "greedy"}
    job_id = idle_client.post("/v1/plans", json=body, headers=A).json()["id"]
    answer = idle_client.get(f"/v1/plans/{job_id}/rosters", headers=A)
    assert answer.status_code == 409 and answer.headers["content-type"] == PROBLEM
    assert answer.json()["type"] == "/problems/no-plan"


def test_the_route_is_documented(idle_client: TestClient) -> None:
    document = idle_client.get("/openapi.json").json()
    operation = document["paths"]["/v1/plans/{job_id}/rosters"]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/Rosters"}
    for status in ("401", "404", "409", "422"):
        assert list(operation["responses"][status]["content"]) == [PROBLEM]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert set(parameters) >= {"job_id", "kind", "town", "lang"}
    kind = parameters["kind"]["schema"]["anyOf"][0]
    assert kind["enum"] == ["pairing", "service", "provider"]
    schemas = document["components"]["schemas"]
    assert {"RosterVillage", "ServiceLine", "ProviderSheet", "ProviderTask"} <= set(schemas)
