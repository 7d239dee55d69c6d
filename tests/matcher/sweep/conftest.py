"""Tiny generated counties and policies that solve in milliseconds (greedy)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest

from matcher.generator import generate_scenario
from matcher.sweep import GeneratorSpec, Policy

TINY = {"villages": 10, "needs": 60}
# Columns that differ between two runs of the same deterministic task.
TIMINGS = ("seconds", "solve_seconds")


def tiny_specs(*seeds: int) -> list[GeneratorSpec]:
    """Tiny generated counties, one per seed."""
    return [GeneratorSpec(seed=s, **TINY) for s in seeds]


def greedy_policies() -> list[Policy]:
    """Two deterministic policies: greedy as given, and greedy with 10% more cadre hours."""
    return [
        Policy(name="greedy", solver="greedy", time_limit=2),
        Policy(name="hours+10", solver="greedy", time_limit=2, scale={"cadre_hours": 1.1}),
    ]


def read_rows(path: Path) -> list[dict[str, str]]:
    """A sweep CSV's rows."""
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def without_timings(rows: list[dict[str, str]]) -> dict[tuple[str, str], dict[str, str]]:
    """Rows by (scenario, policy) with the wall-clock columns left out."""
    return {
        (r["scenario"], r["policy"]): {k: v for k, v in r.items() if k not in TIMINGS} for r in rows
    }


def _same(a: str, b: str) -> bool:
    try:
        x, y = float(a), float(b)
    except ValueError:
        return a == b
    return math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-9)


def assert_same_rows(got: list[dict[str, str]], expected: list[dict[str, str]]) -> None:
    """The same rows, in any order, but for the wall-clock columns; numbers equal up to the
    last bits of a float (a KPI summed over a set adds in another order in another process)."""
    a, b = without_timings(got), without_timings(expected)
    assert a.keys() == b.keys()
    for key, row in a.items():
        assert row.keys() == b[key].keys(), key
        differ = {c: (v, b[key][c]) for c, v in row.items() if not _same(v, b[key][c])}
        assert not differ, (key, differ)


@pytest.fixture
def tiny_file(tmp_path: Path) -> Path:
    """A tiny generated county as a scenario file (``county.json``)."""
    path = tmp_path / "county.json"
    path.write_text(json.dumps(generate_scenario(seed=5, **TINY)), encoding="utf-8")
    return path


@pytest.fixture
def broken_file(tmp_path: Path) -> Path:
    """A scenario file that does not validate (``broken.json``)."""
    path = tmp_path / "broken.json"
    path.write_text('{"schema_version": 1, "villages": "none"}', encoding="utf-8")
    return path
