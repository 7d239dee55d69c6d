"""The scale benchmark's plumbing: sizes, time limits, verdicts and one tiny subprocess solve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchmarks.scale import Size, default_time_limit, parse_sizes, run_child, verdicts
from matcher.generator import generate_scenario


def test_sizes_and_time_limits() -> None:
    assert parse_sizes("1000,5000,20000,50000") == [
        Size(300, 1000),
        Size(300, 5000),
        Size(300, 20000),
        Size(1000, 50000),
    ]
    assert parse_sizes("30x600") == [Size(30, 600)]
    assert [default_time_limit(n) for n in (1000, 5000, 20000, 50000)] == [30, 30, 60, 120]


def row(solver: str, objective: float, pct: float, **extra: Any) -> dict[str, Any]:
    base = {
        "needs": 5000,
        "villages": 300,
        "solver": solver,
        "time_limit": 30.0,
        "status": "feasible",
        "objective": objective,
        "pct_of_lp": pct,
        "peak_mb": 500.0,
        "violations": 0,
    }
    return base | extra


def test_verdicts() -> None:
    met = verdicts([row("greedy", 90.0, 90.0), row("auto", 99.0, 99.0)])
    assert met[0].startswith("300x5000: auto target MET")
    assert met[1] == "300x5000: auto >= every other solver (greedy)"
    missed = verdicts([row("highs", 98.2, 98.2), row("auto", 98.0, 98.0, time_limit=5.0)])
    assert "NOT met" in missed[0] and "this run had 5 s" in missed[0]
    assert "BEHIND highs" in missed[1]


def test_child_solves_in_its_own_process(tmp_path: Path) -> None:
    path = tmp_path / "county.json"
    path.write_text(json.dumps(generate_scenario(villages=5, needs=40, seed=1)), encoding="utf-8")
    result = run_child(path, "greedy", 5.0)
    assert result["status"] == "feasible"
    assert result["violations"] == 0
    assert result["first_plan_s"] is not None and result["first_plan_s"] <= result["wall_s"]
    assert result["peak_mb"] > 0
