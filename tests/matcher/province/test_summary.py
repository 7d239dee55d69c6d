"""The province summary on hand-made sweep rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.province.summary import summarise_province

PROVINCE: dict[str, Any] = {
    "name": "Test province",
    "budget_yuan": 10_000,
    "allocated_yuan": 9_000,
    "lp": {"dual_price": 0.05},
    "counties": [
        {"file": "county-001.json", "name": "省-县001", "region": "east", "envelope_yuan": 6000},
        {"file": "county-002.json", "name": "省-县002", "region": "west", "envelope_yuan": 2000},
        {"file": "county-003.json", "name": "省-县003", "region": "west", "envelope_yuan": 1000},
    ],
}


def row(
    county: str, policy: str, objective: float, served: int, total: int, **extra: Any
) -> dict[str, str]:
    """One sweep row as the CSV reader gives it (text)."""
    return {
        "scenario": county,
        "policy": policy,
        "status": "feasible",
        "objective": str(objective),
        "kpi.needs_served": str(served),
        "kpi.needs_total": str(total),
        "kpi.needs_served_share": str(served / total),
        "error": "",
        **{k: str(v) for k, v in extra.items()},
    }


ROWS = [
    row(
        "county-001",
        "integrated",
        100,
        80,
        100,
        **{"kpi.households_reached": 50, "kpi.households_total": 100, "dup.waste_yuan": 10},
    ),
    row(
        "county-002",
        "integrated",
        200,
        50,
        100,
        **{"kpi.households_reached": 90, "kpi.households_total": 100, "dup.waste_yuan": 5},
    ),
    # a repeat of county 3 (another seed): averaged with the next, not added
    row(
        "county-003",
        "integrated",
        40,
        20,
        50,
        **{"kpi.households_reached": 10, "kpi.households_total": 20},
    ),
    row(
        "county-003",
        "integrated",
        60,
        30,
        50,
        **{"kpi.households_reached": 10, "kpi.households_total": 20},
    ),
    row("county-001", "siloed", 50, 40, 100),
    row("county-002", "siloed", 70, 30, 100),
    {
        "scenario": "county-003",
        "policy": "siloed",
        "status": "error",
        "objective": "",
        "error": "ValueError: boom",
    },
    row("elsewhere", "siloed", 5, 1, 10),
]


def test_totals_and_weighted_shares_by_policy_and_class() -> None:
    """Sums over counties, shares as ratios of sums (weighted by each county's total), repeats
    averaged, failed rows counted apart, unmatched rows kept as their own class, and the
    counties' envelopes beside them; shares are never summed."""
    summary = summarise_province(ROWS, PROVINCE)
    integrated = summary["by_policy"]["integrated"]
    assert integrated["counties"] == 3
    assert integrated["objective"] == pytest.approx(100 + 200 + 50)
    assert integrated["kpi.needs_served"] == pytest.approx(80 + 50 + 25)
    assert integrated["needs_served_share"] == pytest.approx(155 / 250)
    assert integrated["households_reached_share"] == pytest.approx(150 / 220)
    assert integrated["dup.waste_yuan"] == pytest.approx(15)
    assert integrated["envelope_yuan"] == 9000
    assert "kpi.needs_served_share" not in integrated
    west = summary["by_policy_class"]["integrated"]["west"]
    assert west["counties"] == 2 and west["envelope_yuan"] == 3000
    assert west["needs_served_share"] == pytest.approx(75 / 150)
    siloed = summary["by_policy"]["siloed"]
    assert siloed["counties"] == 3 and siloed["objective"] == pytest.approx(125)
    assert "households_reached_share" not in siloed  # no column, no figure
    assert summary["failed_rows"] == {"siloed": 1}
    assert summary["unmatched_rows"] == 1
    assert set(summary["by_policy_class"]["siloed"]) == {"east", "west", "unknown"}
    assert summary["envelopes"]["by_class"]["west"] == {"counties": 2, "envelope_yuan": 3000}
    assert summary["columns"] == {
        "county": "scenario",
        "policy": "policy",
        "objective": "objective",
    }


def test_missing_columns_leave_figures_out() -> None:
    """Rows with only a county and an objective give counts and the objective, nothing else."""
    summary = summarise_province([{"file": "county-002.json", "objective": "7.5"}], PROVINCE)
    figures = summary["by_policy"]["-"]
    assert figures == {"counties": 1, "objective": 7.5, "envelope_yuan": 2000}


def test_the_command_prints_tables_and_writes_json(tmp_path: Path) -> None:
    """``matcher province-summary`` reads province.json and the CSV, prints both tables and
    writes the summary as JSON."""
    province = tmp_path / "province.json"
    province.write_text(json.dumps(PROVINCE, ensure_ascii=False), encoding="utf-8")
    results = tmp_path / "results.csv"
    columns = sorted({c for r in ROWS for c in r})
    with results.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(ROWS)
    out = tmp_path / "summary.json"
    result = CliRunner().invoke(
        app, ["province-summary", str(province), str(results), "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "by policy" in result.output and "integrated" in result.output
    assert json.loads(out.read_text(encoding="utf-8")) == summarise_province(
        list(csv.DictReader(results.open(encoding="utf-8"))), PROVINCE
    )
