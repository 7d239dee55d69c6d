"""Property tests of the HTTP API against its own OpenAPI document (schemathesis).

The app is served in-process (schemathesis's ASGI transport, which runs the app's lifespan:
a SQLite store in a temporary directory, no workers, so submitted jobs stay queued). Its
``/openapi.json`` is the contract: for every operation schemathesis sends the documented
examples, the coverage phase's boundary and negative values, and fuzzed requests, with a valid
key, and checks that no answer is a 5xx and that each answer's status, content type, headers
and body are the documented ones. Generation is seeded and derandomised, so a CI run sends the
same requests every time.
"""

from __future__ import annotations

import copy
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from schemathesis.python import asgi as schemathesis_asgi

from api.app import create_app
from api.problem_details import MEDIA_TYPE
from api.settings import Settings
from api.worker import run_job

KEY = "schemathesis-county-key"
TENANT = "county-a"
SECURITY_SCHEME = "APIKeyHeader"  # FastAPI's name for deps._api_key in components.securitySchemes

# The app is built at import: schemathesis parametrizes the tests from the loaded schema at
# collection. (schemathesis.pytest.from_fixture would defer it to a fixture, but its lazy
# subtests fail under pytest 9 with "'Function' object has no attribute '_nodeid'".)
_TMP = tempfile.TemporaryDirectory(prefix="matcher-schemathesis-")
SETTINGS = Settings(
    api_keys=f"{TENANT}={KEY}",
    database_url=f"sqlite:///{Path(_TMP.name) / 'jobs.db'}",
    # Nothing solves the fuzzer's jobs; the explicit tests after it must not meet a full queue.
    queue_limit=100_000,
    tenant_queue_limit=100_000,
)
app = create_app(SETTINGS, start_workers=False)
# A second service with its own store, whose one job the test solves in-process: the first
# one's queue fills with whatever the fuzzer managed to submit.
solved_app = create_app(
    SETTINGS.model_copy(update={"database_url": f"sqlite:///{Path(_TMP.name) / 'solved.db'}"}),
    start_workers=False,
)

# Checks whose defaults assume a schema can say which inputs the server accepts. Here it
# cannot for three operations, so 422 is an expected answer to a schema-valid request there:
# - POST /v1/plans, POST /v1/scenarios/validate: the scenario is documented with its real
#   schema (matcher.scenario.Scenario), but a county is valid only when its lists refer to one
#   another (bases, towns, villages, pinned providers: matcher.intake.validation, every
#   problem's JSON path in the 422), which a schema cannot say; a generated object is
#   essentially never a valid county. POST /v1/plans also answers 422 to a time limit over
#   MATCHER_MAX_TIME_LIMIT and to an Idempotency-Key reused with another body.
# - GET /v1/plans: ``cursor`` is an opaque token only this service issues; any other string is
#   422 whatever its shape.
# - The register's routes (DESIGN §10) check needs against the county's standing data: before a
#   PUT /v1/county they answer 409 ("put the county first"), a need's village or pinned
#   provider must be the county's (422), an id already in the register or an event its need's
#   status does not allow is 409, and only a finished re-plan from the register is published.
_SEMANTIC_422 = [
    ("POST", "/v1/plans"),
    ("POST", "/v1/scenarios/validate"),
    ("GET", "/v1/plans"),
    ("PUT", "/v1/county"),
    ("GET", "/v1/county"),
    ("POST", "/v1/needs"),
    ("GET", "/v1/needs"),
    ("POST", "/v1/needs/{need_id}/events"),
    ("POST", "/v1/plans/{job_id}/publish"),
    ("GET", "/v1/lists/responsibility"),
    ("GET", "/v1/service-kpis"),
    ("GET", "/v1/register/export"),
]
_ACCEPTS_SEMANTIC_422 = {
    "positive_data_acceptance": {
        "expected-statuses": ["2xx", "401", "404", "409", "422", "429"],
    }
}


schema = schemathesis.openapi.from_asgi(
    "/openapi.json",
    app,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260,
            # schemathesis runs Hypothesis with deadline=None; "deterministic" is derandomize.
            "generation": {
                # Valid and invalid requests alike must get a documented, non-5xx answer.
                "mode": "all",
                "max-examples": 50,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
            },
            # Every check schemathesis has: not_a_server_error, status_code_conformance,
            # content_type_conformance, response_schema_conformance,
            # response_headers_conformance, ignored_auth, unsupported_method,
            # allow_header_conformance, positive_data_acceptance, negative_data_rejection...
            "checks": {"enabled": True},
            "operations": [
                {"include-method": method, "include-path": path, "checks": _ACCEPTS_SEMANTIC_422}
                for method, path in _SEMANTIC_422
            ],
            "auth": {"openapi": {SECURITY_SCHEME: {"api_key": KEY}}},
            # A job's event stream ends with the job; one of a queued job (no workers here)
            # is cut at the request timeout. The explicit tests below stop or finish a job
            # before they read its stream.
            "max-stream-events": 100,
            "request-timeout": 10,
        }
    ),
)

# The same document without a key, a few positive requests per operation: with a key they
# would be answered, so the 401 is the key's doing.
schema_without_key = schemathesis.openapi.from_asgi(
    "/openapi.json",
    app,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260,
            "generation": {
                "mode": "positive",
                "max-examples": 5,
                "deterministic": True,
                "database": "none",
            },
            "phases": {
                "examples": {"enabled": True},
                "coverage": {"enabled": False},
                "fuzzing": {"enabled": True},
            },
            "request-timeout": 10,
        }
    ),
)


@pytest.fixture(scope="module", autouse=True)
def _app_lifespan() -> Iterator[None]:
    """End the app's lifespan (it disposes the store's engine) and remove its database."""
    yield
    # schemathesis starts an ASGI app's lifespan on the first request and keeps it for the
    # process; this ends it now rather than at interpreter exit.
    schemathesis_asgi.shutdown_lifespans()
    _TMP.cleanup()


@schema.parametrize()
def test_every_operation_conforms_to_the_schema(case: schemathesis.Case) -> None:
    """No 5xx; status, content type, headers and body as documented."""
    case.call_and_validate()


def _is_protected(case: schemathesis.Case) -> bool:
    return bool(case.operation.definition.raw.get("security"))


@pytest.mark.parametrize("key", [None, "not-a-key"], ids=["no-key", "wrong-key"])
@schema_without_key.parametrize()
def test_a_missing_or_wrong_key_is_a_401_problem(case: schemathesis.Case, key: str | None) -> None:
    """Every route but /v1/health answers 401 problem+json without a valid key; health
    answers 200 without one."""
    headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "x-api-key"}
    if key is not None:
        headers["X-API-Key"] = key
    case.headers = headers
    response = case.call()
    case.validate_response(response)
    if not _is_protected(case):
        assert case.operation.path == "/v1/health"
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 401, response.text
    assert response.headers["content-type"][0] == MEDIA_TYPE
    assert response.headers["www-authenticate"] == ['ApiKey header="X-API-Key"']
    problem = response.json()
    assert problem["status"] == 401
    assert problem["type"] == "/problems/unauthorised"
    # The path as Starlette rebuilds it (generated ids may hold any character): just the start.
    assert problem["instance"].startswith(case.operation.path.split("{")[0])
    assert ("missing" in problem["detail"]) is (key is None)


def _example(path: str) -> Any:
    """The request body example ``tiny county`` the document gives for POST ``path``."""
    content = schema.raw_schema["paths"][path]["post"]["requestBody"]["content"]
    return copy.deepcopy(content["application/json"]["examples"]["tiny county"]["value"])


def _call(method: str, path: str, *, on: Any = None, **kwargs: Any) -> schemathesis.Response:
    """Call an operation of the document with the key (on ``app``, or the app ``on``) and
    validate the answer against the document with every check."""
    transport = {} if on is None else {"app": on}
    # The key as a call header: schemathesis's ignored_auth check then also re-sends the
    # request without it and with a wrong one, and wants 401s.
    case = schema[path][method].Case(**kwargs)
    return case.call_and_validate(headers={"X-API-Key": KEY}, **transport)


def test_health_needs_no_key() -> None:
    case = schema_without_key["/v1/health"]["GET"].Case()
    response = case.call()
    case.validate_response(response)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": response.json()["version"]}


def test_the_documented_plan_request_is_accepted() -> None:
    """The OpenAPI example of POST /v1/plans (the contract's tiny county) is a valid request:
    202, a queued job at ``Location``, whose detail, events and reports conform too."""
    body = _example("/v1/plans")
    assert body["scenario"]["name"] == "Tiny County (contract example)"
    accepted = _call("POST", "/v1/plans", body=body)
    assert accepted.status_code == 202, accepted.text
    job = accepted.json()
    assert job["status"] == "queued"
    assert accepted.headers["location"] == [f"/v1/plans/{job['id']}"]

    detail = _call("GET", "/v1/plans/{job_id}", path_parameters={"job_id": job["id"]})
    assert detail.status_code == 200
    assert detail.json()["status"] == "queued"
    assert detail.json()["plan"] is None
    assert detail.json()["scenario"]["name"] == "Tiny County (contract example)"

    for report in ("duplicate-aid", "blind-spots"):
        missing = _call(
            "GET", f"/v1/plans/{{job_id}}/reports/{report}", path_parameters={"job_id": job["id"]}
        )
        assert missing.status_code == 409  # no plan yet

    # A queued job stops at once, so its event stream is finite: history, then the end.
    stopped = _call("DELETE", "/v1/plans/{job_id}", path_parameters={"job_id": job["id"]})
    assert stopped.status_code == 200
    assert stopped.json()["status"] == "stopped"
    events = _call("GET", "/v1/plans/{job_id}/events", path_parameters={"job_id": job["id"]})
    assert events.status_code == 200
    assert events.headers["content-type"][0].startswith("text/event-stream")
    last = events.text.strip().split("\n\n")[-1]
    assert "event: status" in last and '"status": "stopped"' in last


def test_the_documented_scenario_is_valid() -> None:
    """The OpenAPI example of POST /v1/scenarios/validate validates: 200 with its counts."""
    report = _call("POST", "/v1/scenarios/validate", body=_example("/v1/scenarios/validate"))
    assert report.status_code == 200, report.text
    assert report.json()["valid"] is True
    assert report.json()["counts"]["villages"] == 3


def test_an_invalid_plan_request_lists_every_problem_with_its_path() -> None:
    """What schemathesis mostly generates for POST /v1/plans: a 422 problem document whose
    errors each carry a JSON path into the request."""
    body = _example("/v1/plans")
    del body["scenario"]["villages"]
    body["scenario"]["cadres"][0]["hours"] = -1
    response = _call("POST", "/v1/plans", body=body)
    assert response.status_code == 422
    assert response.headers["content-type"][0] == MEDIA_TYPE
    paths = {item["path"] for item in response.json()["errors"]}
    assert "$.scenario.villages" in paths
    assert all(path.startswith("$.scenario") for path in paths)


def test_a_solved_job_and_its_reports_conform() -> None:
    """A job with a plan: GET /v1/plans/{job_id} splices the stored plan text into the job
    document as it is, so check that document, the reports and the event stream against the
    schema too. The job is solved in-process (greedy, the tiny county: milliseconds)."""
    body = _example("/v1/plans") | {"solver": "greedy", "time_limit_seconds": 5}
    accepted = _call("POST", "/v1/plans", on=solved_app, body=body)
    assert accepted.status_code == 202, accepted.text
    job_id = accepted.json()["id"]

    store = solved_app.state.store
    claim = store.claim()
    assert claim is not None and claim.id == job_id
    assert run_job(store, claim, threads=1, shutdown=threading.Event()) == "succeeded"

    ids = {"job_id": job_id}
    detail = _call("GET", "/v1/plans/{job_id}", on=solved_app, path_parameters=ids)
    assert detail.status_code == 200
    job = detail.json()
    assert job["status"] == "succeeded"
    assert job["outcome"]["plan_status"]
    assert isinstance(job["plan"], dict) and job["plan"]["reports"]
    without = _call(
        "GET", "/v1/plans/{job_id}", on=solved_app, path_parameters=ids, query={"plan": False}
    )
    assert without.json()["plan"] is None

    for report, key in (("duplicate-aid", "duplicate_aid"), ("blind-spots", "blind_spots")):
        answer = _call(
            "GET", f"/v1/plans/{{job_id}}/reports/{report}", on=solved_app, path_parameters=ids
        )
        assert answer.status_code == 200
        assert answer.json() == (job["plan"]["reports"].get(key) or {})

    # The worker stores the plan's HTML report with it.
    html = _call("GET", "/v1/plans/{job_id}/report.html", on=solved_app, path_parameters=ids)
    assert html.status_code == 200
    assert html.headers["content-type"][0].startswith("text/html")
    assert "<svg" in html.text

    events = _call("GET", "/v1/plans/{job_id}/events", on=solved_app, path_parameters=ids)
    assert events.status_code == 200
    assert not events.stream_cut_short  # the server ended it, after the final status
    last = events.text.strip().split("\n\n")[-1]
    assert "event: status" in last and '"status": "succeeded"' in last

    stopped = _call("DELETE", "/v1/plans/{job_id}", on=solved_app, path_parameters=ids)
    assert stopped.json()["status"] == "succeeded"  # a finished job is unchanged


# What schemathesis found, pinned down here so that it stays fixed whatever the generator
# happens to send after a change of seed, version or example count.


def _raw(method: str, url: str, **kwargs: Any) -> requests.Response:
    """A request with the key, through schemathesis's client of the running app."""
    headers = {"X-API-Key": KEY, **kwargs.pop("headers", {})}
    with schemathesis_asgi.get_client(app) as client:
        return client.request(method, url, headers=headers, **kwargs)


def _documented(method: str, path: str, response: requests.Response) -> None:
    """The answer's status and content type are documented for the operation, and its body
    matches the documented schema."""
    operation = schema[path][method]
    documented = operation.definition.raw["responses"][str(response.status_code)]
    assert response.headers["content-type"] in documented["content"]
    operation.validate_response(response)


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PATCH", "/v1/plans", "GET, POST"),
        ("OPTIONS", "/v1/plans/some-id", "DELETE, GET"),
        ("PUT", "/v1/health", "GET"),
    ],
)
def test_a_405_names_every_method_of_the_resource(method: str, path: str, allow: str) -> None:
    """Starlette's 405 named only the first matching route's methods (``Allow: POST`` for
    /v1/plans, which serves GET too); RFC 9110 wants all of them."""
    response = _raw(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == MEDIA_TYPE


@pytest.mark.parametrize("path", ["/v1/plans", "/v1/scenarios/validate"])
def test_an_undecodable_body_is_a_documented_400(path: str) -> None:
    """FastAPI answers 400 to a JSON body it cannot decode; the routes did not document it."""
    response = _raw("POST", path, data=b"\xff\xfe{", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    _documented("POST", path, response)


def test_a_bad_query_value_is_a_documented_422_problem() -> None:
    """GET /v1/plans/{job_id}?plan=maybe: the 422 was documented as FastAPI's
    HTTPValidationError in application/json, but is a problem document."""
    response = _raw("GET", "/v1/plans/some-id?plan=maybe")
    assert response.status_code == 422
    _documented("GET", "/v1/plans/{job_id}", response)
    assert [e["path"] for e in response.json()["errors"]] == ["query:plan"]


@pytest.mark.parametrize(
    ("field", "value", "status"),
    [
        ("seed", False, 422),
        ("seed", "7", 422),
        ("time_limit_seconds", True, 422),
        ("time_limit_seconds", "5", 422),
        ("seed", 7.0, 202),  # a JSON Schema integer
        ("time_limit_seconds", 5, 202),
    ],
)
def test_numbers_of_a_plan_request_are_json_numbers(field: str, value: object, status: int) -> None:
    """The schema says integer / number; pydantic's lax mode took ``false`` as seed 0 and
    ``"7"`` as 7."""
    body = _example("/v1/plans") | {field: value}
    response = _raw("POST", "/v1/plans", json=body)
    assert response.status_code == status, response.text
    _documented("POST", "/v1/plans", response)
    if status == 422:
        assert [e["path"] for e in response.json()["errors"]] == [f"$.{field}"]
