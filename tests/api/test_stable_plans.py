"""Re-planning through the API (issue 16, item 6): ``POST /v1/plans`` takes
``previous_plan_id`` (a finished plan of the caller's own county) and ``max_changes``; the job
records both; the worker starts from the previous plan and keeps to the limit. Every request
that cannot be run is a 422 that names its field, never a 500, and stores nothing."""

from __future__ import annotations

import json
import time
from typing import Any

from fastapi.testclient import TestClient

from tests.api.conftest import A, B
from tests.conftest import ROOT

PROBLEM = "application/problem+json"
DEMO = json.loads((ROOT / "scenarios" / "demo-county.json").read_text(encoding="utf-8"))
TINY = json.loads((ROOT / "tests" / "data" / "contract" / "tiny-county.json").read_text("utf-8"))


def wait_final(
    client: TestClient, job_id: str, headers: dict[str, str] = A, timeout: float = 90.0
) -> dict[str, Any]:
    """Poll until the job is final (a guard against hangs, not a speed check)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/v1/plans/{job_id}", headers=headers).json()
        if job["status"] in ("succeeded", "failed", "stopped"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} not final after {timeout} s")


def submit(client: TestClient, body: dict[str, Any], headers: dict[str, str] = A) -> Any:
    return client.post("/v1/plans", json=body, headers=headers)


def refused_at(answer: Any, path: str) -> str:
    """The message of a 422 problem whose only error is at ``path``."""
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == PROBLEM
    problem = answer.json()
    assert problem["type"].endswith("/request-invalid")
    assert [e["path"] for e in problem["errors"]] == [path], problem
    message: str = problem["errors"][0]["message"]
    return message


def changes(before: dict[str, Any], after: dict[str, Any]) -> int:
    """Assignments that move, appear or vanish plus pairings made or dropped, from one plan
    file to the other (what ``max_changes`` limits), counted from the plans themselves."""
    served_before = {a["need"]: a["provider"] for a in before["assignments"]}
    served_after = {a["need"]: a["provider"] for a in after["assignments"]}
    moved = sum(
        1
        for need in served_before.keys() | served_after.keys()
        if served_before.get(need) != served_after.get(need)
    )
    pairs_before = {(p["cadre"], p["village"]) for p in before["pairings"]}
    pairs_after = {(p["cadre"], p["village"]) for p in after["pairings"]}
    return moved + len(pairs_before ^ pairs_after)


def test_a_re_plan_keeps_to_max_changes_and_the_job_records_its_start(
    client: TestClient,
) -> None:
    """A greedy plan of the demo county, then ``auto`` from it with at most 4 changes: the new
    plan differs from the old in at most 4 assignments and pairings (counted from the two
    plans), scores no lower (the old plan is one it may keep), and the job shows where it
    started. Without the limit, the same re-plan changes more: the limit did the work."""
    first = submit(client, {"scenario": DEMO, "solver": "greedy", "time_limit_seconds": 10})
    assert first.status_code == 202, first.text
    old_id = first.json()["id"]
    old = wait_final(client, old_id)
    assert old["status"] == "succeeded", old["outcome"]
    assert old["previous_plan_id"] is None and old["max_changes"] is None

    body = {
        "scenario": DEMO,
        "solver": "auto",
        "time_limit_seconds": 5,
        "previous_plan_id": old_id,
        "max_changes": 4,
    }
    keyed = {**A, "Idempotency-Key": "re-plan-1"}
    limited = client.post("/v1/plans", json=body, headers=keyed)
    assert limited.status_code == 202, limited.text
    # The re-planning fields are part of the request an Idempotency-Key stands for.
    again = client.post("/v1/plans", json=body, headers=keyed)
    assert again.json()["id"] == limited.json()["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    other = client.post("/v1/plans", json={**body, "max_changes": 5}, headers=keyed)
    assert other.status_code == 422 and other.json()["type"].endswith("idempotency-key-reused")
    new = wait_final(client, limited.json()["id"])
    assert new["status"] == "succeeded", new["outcome"]
    assert new["previous_plan_id"] == old_id and new["max_changes"] == 4
    counted = changes(old["plan"], new["plan"])
    assert counted <= 4
    assert new["plan"]["solver"]["stats"]["changes_from_previous"] == counted
    assert new["outcome"]["changes_from_previous"] == counted
    assert new["plan"]["solver"]["objective"] >= old["plan"]["solver"]["objective"] - 1e-6
    listed = {j["id"]: j for j in client.get("/v1/plans", headers=A).json()["items"]}
    assert listed[new["id"]]["previous_plan_id"] == old_id
    assert listed[new["id"]]["max_changes"] == 4

    free = submit(client, {**body, "max_changes": None})
    assert free.status_code == 202, free.text
    unlimited = wait_final(client, free.json()["id"])
    assert unlimited["status"] == "succeeded", unlimited["outcome"]
    assert unlimited["previous_plan_id"] == old_id and unlimited["max_changes"] is None
    assert changes(old["plan"], unlimited["plan"]) > 4

    # Another county's finished plan is no start for this one: it reads as unknown.
    theirs = submit(client, {"scenario": TINY, "previous_plan_id": old_id}, headers=B)
    message = refused_at(theirs, "$.previous_plan_id")
    assert "for this key" in message
    assert client.get("/v1/plans", headers=B).json()["items"] == []


def test_an_unknown_or_unfinished_previous_plan_is_refused_at_its_field(
    idle_client: TestClient,
) -> None:
    """Unknown ids, another county's queued job, a queued job of one's own and a job stopped
    before it ran (no plan) are each a 422 at ``$.previous_plan_id``, and nothing is stored."""
    queued = submit(idle_client, {"scenario": TINY})
    assert queued.status_code == 202
    queued_id = queued.json()["id"]
    stopped = submit(idle_client, {"scenario": TINY, "seed": 1})
    stopped_id = stopped.json()["id"]
    assert idle_client.delete(f"/v1/plans/{stopped_id}", headers=A).json()["status"] == "stopped"

    unknown = refused_at(
        submit(idle_client, {"scenario": TINY, "previous_plan_id": "0" * 32}),
        "$.previous_plan_id",
    )
    assert "no job" in unknown
    mine_queued = refused_at(
        submit(idle_client, {"scenario": TINY, "previous_plan_id": queued_id}),
        "$.previous_plan_id",
    )
    assert "queued" in mine_queued and "no finished plan" in mine_queued
    mine_stopped = refused_at(
        submit(idle_client, {"scenario": TINY, "previous_plan_id": stopped_id, "max_changes": 2}),
        "$.previous_plan_id",
    )
    assert "stopped" in mine_stopped
    # Another county's job: the same answer as an unknown id, naming nothing of theirs.
    theirs = refused_at(
        submit(idle_client, {"scenario": TINY, "previous_plan_id": queued_id}, headers=B),
        "$.previous_plan_id",
    )
    assert theirs == unknown.replace("0" * 32, queued_id)
    # Unclean text is refused by the input checks (its own 422), never looked up.
    odd = submit(idle_client, {"scenario": TINY, "previous_plan_id": "a\u202eb"})
    assert odd.status_code == 422
    assert len(idle_client.get("/v1/plans", headers=A).json()["items"]) == 2
    assert idle_client.get("/v1/plans", headers=B).json()["items"] == []


def test_max_changes_needs_a_previous_plan_and_a_solver_that_re_plans(
    idle_client: TestClient,
) -> None:
    """``max_changes`` without ``previous_plan_id``, with a solver that cannot limit changes,
    below 0 or not a JSON integer: each a 422 at ``$.max_changes``; the rule's words are
    :func:`matcher.run.check_options`'s, the CLI's."""
    message = refused_at(submit(idle_client, {"scenario": TINY, "max_changes": 3}), "$.max_changes")
    assert "previous plan" in message
    # The solver's refusal comes before the previous plan is looked up.
    greedy = refused_at(
        submit(
            idle_client,
            {"scenario": TINY, "solver": "greedy", "previous_plan_id": "0" * 32, "max_changes": 3},
        ),
        "$.max_changes",
    )
    assert "greedy" in greedy and "auto" in greedy and "highs" in greedy
    for bad in (-1, "3", True, 2.5):
        answer = submit(
            idle_client, {"scenario": TINY, "previous_plan_id": "0" * 32, "max_changes": bad}
        )
        assert answer.status_code == 422, (bad, answer.text)
        paths = [e["path"] for e in answer.json()["errors"]]
        assert paths == ["$.max_changes"], (bad, paths)
    assert idle_client.get("/v1/plans", headers=A).json()["items"] == []


def test_the_new_plan_form_offers_an_earlier_plan_and_a_change_limit(
    idle_client: TestClient,
) -> None:
    """The form has the two optional fields, labelled in both languages (Chinese first on
    the page), and its script sends them as the API's fields."""
    page = idle_client.get("/app/new")
    assert page.status_code == 200
    text = page.text
    assert 'id="previous-plan"' in text and 'name="previous_plan_id"' in text
    assert 'id="max-changes"' in text and 'name="max_changes"' in text
    assert 'type="number" min="0" step="1"' in text.split('id="max-changes"')[1].split(">")[0]
    strings = json.loads((ROOT / "api" / "web" / "strings" / "zh.json").read_text(encoding="utf-8"))
    english = json.loads((ROOT / "api" / "web" / "strings" / "en.json").read_text(encoding="utf-8"))
    for key in ("new.replan.title", "new.previous", "new.previous.none", "new.max_changes"):
        assert f'data-i18n="{key}"' in text, key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in strings[key]), key
        assert english[key] and english[key] != strings[key], key
    script = (ROOT / "api" / "web" / "static" / "new.js").read_text(encoding="utf-8")
    assert "body.previous_plan_id" in script and "body.max_changes" in script
