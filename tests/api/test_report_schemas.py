"""The reports, KPIs and diff routes document matcher's typed shapes as their response schemas,
and still answer a plan's JSON as it is stored: every key, in the stored order, numbers spelt as
a free-form response model spelt them (the schema documents, it does not filter)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import jobs
from api.app import create_app
from tests.api.conftest import settings

DOCUMENTED = {
    "/v1/plans/{job_id}/reports/duplicate-aid": "DuplicateAidReport",
    "/v1/plans/{job_id}/reports/blind-spots": "BlindSpotsReport",
    "/v1/plans/{job_id}/kpis": "Kpis",
    "/v1/plans/{job_id}/diff": "PlanDiff",
}


def test_the_plan_routes_document_their_shapes(tmp_path: Path) -> None:
    document = create_app(settings(tmp_path), start_workers=False).openapi()
    for path, name in DOCUMENTED.items():
        answer = document["paths"][path]["get"]["responses"]["200"]
        assert answer["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{name}"
        }
    schemas = document["components"]["schemas"]
    group = schemas["UnmetGroup"]
    assert "fixes" in group["properties"] and "fixes" not in group["required"]
    assert schemas["ShortVillage"]["properties"]["why"]["enum"][0] == "unreachable"
    assert "violations" in schemas["Kpis"]["properties"]


def test_an_answer_is_spelt_as_by_a_free_form_response_model() -> None:
    """jobs.json_object writes what FastAPI wrote for ``response_model=dict[str, Any]``: keys
    a schema does not name kept, the stored order, 1e-05 and 3.0 as pydantic spells them."""
    stored: dict[str, Any] = {
        "totals": {"waste_yuan": 0, "waste_share_of_ledger_yuan": 1e-05, "hours": 3.0},
        "extra_from_another_program": ["村", None, True],
        "groups": [],
    }
    app = FastAPI()

    @app.get("/free", response_model=dict[str, Any])
    def free() -> dict[str, Any]:
        return stored

    with TestClient(app) as client:
        assert client.get("/free").content == jobs.json_object(stored)
