"""The service-loop benchmark's scoring on hand-made rows (the benchmark itself runs by hand)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import pytest

from benchmarks.service_loop import BASELINES, METRICS, markdown, paired_table, policy_means


def _rows() -> list[dict[str, object]]:
    """Three counties; daily is 0.1 better on-time than first-come in each, by 0.05 + 0.05·k."""
    rows: list[dict[str, object]] = []
    for k in range(3):
        for policy, on_time in (
            ("first-come", 0.7),
            ("siloed", 0.6),
            ("weekly", 0.3),
            ("daily", 0.75 + 0.05 * k),
        ):
            rows.append(
                {
                    "county": f"c{k}",
                    "policy": policy,
                    "on_time_share": on_time,
                    "value_served": 100.0 * (k + 1),
                    "changed_per_publish": "" if policy != "daily" else 2.0,
                    "wall_seconds": 1.0,
                }
            )
    return rows


def test_paired_differences_are_per_county_with_a_t_interval() -> None:
    """daily − first-come on-time: mean 0.1, interval ±t(0.975, 2)·0.05/√3; equal values give
    a zero-width interval; a metric missing in a baseline gives NaN, not an error."""
    table = {(p["comparison"], p["metric"]): p for p in paired_table(_rows())}
    assert {c for c, _ in table} == {f"daily − {b}" for b in BASELINES}
    assert {m for _, m in table} == set(METRICS)
    on_time = table["daily − first-come", "on_time_share"]
    assert on_time["diff"] == pytest.approx(0.1)
    half = 4.302652729911275 * 0.05 / math.sqrt(3)
    assert (on_time["low"], on_time["high"]) == pytest.approx((0.1 - half, 0.1 + half))
    assert on_time["counties"] == 3
    value = table["daily − weekly", "value_served"]
    assert value["diff"] == value["low"] == value["high"] == 0.0
    assert math.isnan(table["daily − siloed", "changed_per_publish"]["diff"])


def test_the_tables_name_every_policy_and_comparison() -> None:
    """The Markdown has one means row per policy and one line per comparison and metric."""
    args = argparse.Namespace(
        villages=60,
        needs=800,
        time_limit_per_day=3.0,
        max_changes=None,
        max_changes_share=0.05,
        out=Path("x.csv"),
    )
    text = markdown(_rows(), args)
    assert [r["policy"] for r in policy_means(_rows())] == [
        "first-come",
        "siloed",
        "weekly",
        "daily",
    ]
    assert text.count("| daily − ") == len(BASELINES) * len(METRICS)
