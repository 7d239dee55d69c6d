"""The API load benchmark: its figures and request bodies, and one tiny run against its own
server (no timed assertions: only that every job came back right and the row was written)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import httpx

from benchmarks.api_load import FIELDS, Load, Result, judge, main, percentile, retry_after


def test_percentiles_interpolate_between_order_statistics() -> None:
    assert percentile([], 50) is None
    assert percentile([3.0], 99) == 3.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 50) == 2.5
    assert percentile([float(n) for n in range(101)], 95) == 95.0


def test_retry_after_and_request_bodies() -> None:
    request = httpx.Request("POST", "http://x/v1/plans")
    assert retry_after(httpx.Response(429, headers={"Retry-After": "3"}, request=request)) == 3
    assert retry_after(httpx.Response(429, request=request)) == 1.0
    load = Load("http://x", "k", [b'{"a":1}', b'{"b":2}'], "greedy", 2.0, 60.0)
    assert json.loads(load.body(3)) == {
        "scenario": {"b": 2},
        "solver": "greedy",
        "time_limit_seconds": 2.0,
        "seed": 3,
    }


def test_judge() -> None:
    seen = Result(0, job_id="j", status="succeeded")
    assert judge(seen, {"status": "succeeded", "plan": {"violations": []}}) == "ok"
    assert "violation" in judge(seen, {"status": "succeeded", "plan": {"violations": [{}]}})
    assert "without a plan" in judge(seen, {"status": "succeeded", "plan": None})
    assert (
        judge(seen, {"status": "failed", "outcome": {"reason": "r"}}) == "failure: job failed (r)"
    )


def test_a_tiny_run_loses_nothing(tmp_path: Path) -> None:
    out = tmp_path / "api_load.csv"
    argv = ["--clients", "3", "--requests", "6", "--workers", "1", "--solver", "greedy"]
    # A queue of one makes the clients meet 429s (not failures) and honour Retry-After.
    argv += ["--queue-limit", "1", "--time-limit", "1", "--progress", "0", "--out", str(out)]
    row = main(argv)
    assert row["failures"] == 0, [r.verdict for r in row["_results"]]
    assert row["lost"] == 0
    assert row["extra_jobs"] == 0
    assert row["accepted"] == row["succeeded"] == 6
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and list(rows[0]) == list(FIELDS)
    assert rows[0]["requests"] == "6" and rows[0]["failures"] == "0" and rows[0]["lost"] == "0"
    assert rows[0]["solver"] == "greedy" and rows[0]["database"] == "sqlite"
