"""Bad bodies and bad text get located problem documents, the same on SQLite and PostgreSQL,
and nothing is stored (issue 15: no 500, no bare 400, from any input)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from tests.api.conftest import A, settings

JSON = {**A, "Content-Type": "application/json"}


@pytest.fixture
def any_client(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """A client of the app over a SQLite or a PostgreSQL store, with no workers."""
    app = create_app(settings(tmp_path, database_url=database_url), start_workers=False)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def _jobs(client: TestClient) -> int:
    return len(client.get("/v1/plans", headers=A).json()["items"])


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


UNREADABLE = {
    "not UTF-8": b'{"scenario": {"name": "\xb9\xfe"}}',
    "syntax": b'{"scenario": {',
    "100,000 levels deep": b'{"scenario": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "a key twice": b'{"solver": "greedy", "solver": "auto", "scenario": {}}',
}


@pytest.mark.parametrize("kind", list(UNREADABLE))
def test_a_body_that_is_not_json_is_located(any_client: TestClient, kind: str) -> None:
    """Whatever makes a body unreadable, the answer says what and where, never FastAPI's
    bare "There was an error parsing the body"."""
    for route in ("/v1/plans", "/v1/scenarios/validate"):
        status = 400 if kind == "not UTF-8" else 422  # FastAPI's statuses, now located
        body = _problem(any_client.post(route, content=UNREADABLE[kind], headers=JSON), status)
        assert body["type"].endswith("body-not-json")
        assert body["errors"][0]["path"] == "$"
        assert body["detail"] == body["errors"][0]["message"]
        assert "request body" in body["detail"]
    assert _jobs(any_client) == 0


UNSAFE_SCENARIO_TEXT = {
    "lone surrogate in the name": ("name", "x\udc80y"),
    "NUL in an id": ("needs.0.id", "N\x00"),
    "direction override in a village name": ("villages.0.name", "ab\u202ecd"),
    "control character in a department": ("cadres.0.department", "agri\x1b[31m"),
}


def _with(raw: dict[str, Any], dotted: str, value: object) -> dict[str, Any]:
    node: Any = raw
    keys = [int(k) if k.isdigit() else k for k in dotted.split(".")]
    for key in keys[:-1]:
        node = node[key]
    node[keys[-1]] = value
    return raw


@pytest.mark.parametrize("kind", list(UNSAFE_SCENARIO_TEXT))
def test_unsafe_text_anywhere_is_a_located_422_on_every_store(
    any_client: TestClient, tiny_raw: dict[str, Any], kind: str
) -> None:
    """Text no store or renderer can take safely is refused at its path under the body,
    sent as a JSON escape (the only way a lone surrogate travels), and nothing is stored."""
    where, value = UNSAFE_SCENARIO_TEXT[kind]
    scenario = _with(tiny_raw, where, value)
    text = json.dumps({"scenario": scenario, "solver": "greedy"}, ensure_ascii=True)
    body = _problem(any_client.post("/v1/plans", content=text, headers=JSON), 422)
    expected = "$.scenario." + where.replace(".0.", "[0].")
    assert [e["path"] for e in body["errors"]] == [expected]
    assert value not in json.dumps(body, ensure_ascii=False)
    assert _jobs(any_client) == 0


def test_a_number_past_pythons_digit_limit_is_located(any_client: TestClient) -> None:
    """A 5,000-digit literal, which Python's own reader refuses to convert, is named at its
    path like any other number no field takes."""
    text = b'{"scenario": {}, "seed": 1' + b"0" * 5000 + b"}"
    body = _problem(any_client.post("/v1/plans", content=text, headers=JSON), 422)
    assert [e["path"] for e in body["errors"]] == ["$.seed"]
    assert "5,001 digits" in body["errors"][0]["message"]


def test_unsafe_text_outside_the_scenario_is_refused_too(any_client: TestClient) -> None:
    """A request field other than the scenario (here the solver) is checked the same way:
    pydantic would otherwise echo the bad text into a message no encoder can write."""
    text = json.dumps({"scenario": {}, "solver": "gre\udc80dy"}, ensure_ascii=True)
    body = _problem(any_client.post("/v1/plans", content=text, headers=JSON), 422)
    assert [e["path"] for e in body["errors"]] == ["$.solver"]


@pytest.mark.parametrize(
    ("where", "value"),
    [("needs.0.cost", 2**70), ("pools.0.amount", 10**400), ("schema_version", 10**30)],
)
def test_numbers_past_int64_are_located_422s(
    any_client: TestClient, tiny_raw: dict[str, Any], where: str, value: int
) -> None:
    """Money past int64 is refused at submission, not by a failed job's OverflowError."""
    text = json.dumps({"scenario": _with(tiny_raw, where, value)})
    for route, prefix in (("/v1/plans", "$.scenario."), ("/v1/scenarios/validate", "$.")):
        payload = text if route == "/v1/plans" else json.dumps(_with(tiny_raw, where, value))
        body = _problem(any_client.post(route, content=payload, headers=JSON), 422)
        assert prefix + where.replace(".0.", "[0].") in [e["path"] for e in body["errors"]]
    assert _jobs(any_client) == 0


def test_clean_chinese_text_is_stored_and_read_back_the_same(
    any_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    """What validation accepts, both stores keep: Chinese, emoji and inner spaces."""
    tiny_raw["name"] = "演示县 😀 二〇二六年十二月"
    tiny_raw["villages"][0]["name"] = "上坝村 一组"
    answer = any_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A)
    assert answer.status_code == 202, answer.text
    stored = any_client.get(f"/v1/plans/{answer.json()['id']}", headers=A)
    assert stored.status_code == 200
    assert _jobs(any_client) == 1


@pytest.mark.parametrize(
    ("method", "url", "headers", "where"),
    [
        ("GET", "/v1/plans/%00", {}, "path"),
        ("DELETE", "/v1/plans/a%00b", {}, "path"),
        ("GET", "/v1/plans/x/reports/blind-spots%1b", {}, "path"),
        ("GET", "/v1/plans?cursor=%00", {}, "query.cursor"),
        ("GET", "/v1/plans/x/diff?against=%E2%80%AE", {}, "query.against"),
        ("GET", "/v1/plans/x/events", {"Last-Event-ID": "1\x7f"}, "header.last-event-id"),
        ("POST", "/v1/plans", {"Idempotency-Key": "k\x01"}, "header.idempotency-key"),
    ],
)
def test_unclean_text_in_path_query_or_headers_is_a_located_422(
    any_client: TestClient, method: str, url: str, headers: dict[str, str], where: str
) -> None:
    """A NUL in a job id reached PostgreSQL (a 500 where SQLite said 404); now every store
    answers the same located 422 before any route runs."""
    response = any_client.request(method, url, headers={**A, **headers}, json={"scenario": {}})
    body = _problem(response, 422)
    assert [e["path"] for e in body["errors"]] == [where]
    assert _jobs(any_client) == 0


def test_without_a_key_unclean_text_gets_the_same_401_as_anything_else(
    any_client: TestClient,
) -> None:
    """A caller without a valid key learns nothing from the input checks: 401 first."""
    for headers in ({}, {"X-API-Key": "wrong"}):
        for url in ("/v1/plans/%00", "/v1/plans?cursor=%E2%80%AE"):
            response = any_client.get(url, headers=headers)
            assert _problem(response, 401)["type"].endswith("unauthorised")
