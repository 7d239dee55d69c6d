"""A typed client generated from the service's own OpenAPI document (issue 16: a contract the
platform can code against): ``datamodel-code-generator`` writes pydantic models of every
schema of ``/openapi.json``, and the demo county goes through them and the API and back.

The demo scenario validates as the generated ``Scenario`` and dumps back to the same JSON; sent
inside the generated ``PlanRequest`` it is accepted (202, a generated ``Accepted``); the job,
solved in-process, reads back as the generated ``JobDetail`` whose ``plan`` dumps back to the
plan the API answered; and the contract's tiny plan round-trips as the generated ``Plan``.
Everything runs offline: the document comes from the app in memory, the models are written to
``tmp_path``.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.worker import run_job
from tests.api.conftest import A, settings
from tests.conftest import CONTRACT, ROOT

DEMO = ROOT / "scenarios" / "demo-county.json"


def _dumped(model: Any) -> Any:
    """A generated model as the JSON it stands for: wire names (``from``), only what was set."""
    return model.model_dump(mode="json", by_alias=True, exclude_unset=True)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The service without workers (the test runs the job itself)."""
    app = create_app(settings(tmp_path), start_workers=False)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def generated(client: TestClient, tmp_path: Path) -> Iterator[ModuleType]:
    """The models ``datamodel-code-generator`` makes of the service's OpenAPI document,
    imported as a module."""
    from datamodel_code_generator import DataModelType, Formatter, InputFileType, generate

    document = client.get("/openapi.json").json()
    target = tmp_path / "matcher_api_client.py"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # the generator's notices of new defaults
        generate(
            json.dumps(document),
            input_file_type=InputFileType.OpenAPI,
            output=target,
            output_model_type=DataModelType.PydanticV2BaseModel,
            formatters=[Formatter.BUILTIN],
        )
    spec = importlib.util.spec_from_file_location("matcher_api_client", target)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the module's annotations through it
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[spec.name]


def test_the_document_gives_the_real_scenario_and_plan_types(generated: ModuleType) -> None:
    """The generated client has typed models for the scenario and the plan, not free
    objects, and the request and job models use them."""
    scenario_fields = generated.Scenario.model_fields
    assert {"villages", "cadres", "needs", "policy"} <= set(scenario_fields)
    assert "Village" in str(scenario_fields["villages"].annotation)
    assert "Scenario" in str(generated.PlanRequest.model_fields["scenario"].annotation)
    assert "Plan" in str(generated.JobDetail.model_fields["plan"].annotation)
    assert "SolverInfo" in str(generated.Plan.model_fields["solver"].annotation)


def test_the_demo_county_round_trips_through_the_generated_client(
    generated: ModuleType, client: TestClient
) -> None:
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    scenario = generated.Scenario.model_validate(demo)
    assert _dumped(scenario) == demo

    request = generated.PlanRequest(
        scenario=scenario, solver="greedy", time_limit_seconds=10, label="demo via the client"
    )
    answer = client.post("/v1/plans", json=_dumped(request), headers=A)
    assert answer.status_code == 202, answer.text
    accepted = generated.Accepted.model_validate(answer.json())

    store = client.app.state.store  # type: ignore[attr-defined]
    claim = store.claim()
    assert claim is not None and claim.id == accepted.id
    assert run_job(store, claim, threads=1, shutdown=threading.Event()) == "succeeded"

    answered = client.get(f"/v1/plans/{accepted.id}", headers=A).json()
    job = generated.JobDetail.model_validate(answered)
    assert job.status.value == "succeeded" and job.label == "demo via the client"
    assert job.plan is not None and job.plan.assignments
    assert _dumped(job.plan) == answered["plan"]
    assert job.plan.scenario.sha256 == job.scenario.sha256

    listed = generated.JobPage.model_validate(client.get("/v1/plans", headers=A).json())
    assert [item.id for item in listed.items] == [accepted.id]


def test_the_contract_plan_round_trips_as_the_generated_plan(generated: ModuleType) -> None:
    plan = json.loads((CONTRACT / "tiny-plan.json").read_text(encoding="utf-8"))
    assert _dumped(generated.Plan.model_validate(plan)) == plan
