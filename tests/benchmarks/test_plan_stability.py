"""The plan-stability benchmark's plumbing: what counts as moved between two plans, the small
change it makes, and its CSV and Markdown (the measuring itself takes minutes)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from benchmarks.plan_stability import FIELDS, busiest_cadre, compare, markdown, with_fewer_hours
from matcher.plan import Plan


def plan(
    assignments: list[tuple[str, str, list[str], float]], pairings: list[tuple[str, str]]
) -> Plan:
    """A plan of (need, provider, pools, hours) assignments and (cadre, village) pairings."""
    return Plan.model_validate(
        {
            "scenario": {"name": "t", "sha256": "0" * 64},
            "solver": {"name": "auto", "status": "feasible"},
            "assignments": [
                {
                    "need": n,
                    "provider": p,
                    "hours": h,
                    "funding": [{"pool": q, "amount": 100} for q in pools],
                }
                for n, p, pools, h in assignments
            ],
            "pairings": [{"cadre": c, "village": v} for c, v in pairings],
        }
    )


def test_moves_are_counted_need_by_need() -> None:
    a = plan(
        [("N1", "C1", ["P1"], 3.0), ("N2", "C2", ["P1"], 2.0), ("N3", "C1", ["P1", "P2"], 4.0)],
        [("C1", "V1"), ("C2", "V1")],
    )
    b = plan(
        [("N1", "C2", ["P1"], 3.0), ("N2", "C2", ["P2"], 2.0), ("N4", "O1", [], 1.0)],
        [("C1", "V1"), ("C3", "V1")],
    )
    found = compare(a, b)
    assert found["served_both"] == 2
    assert found["provider_moved"] == 1  # N1: C1 -> C2
    assert found["pools_moved"] == 1  # N2: P1 -> P2, same provider
    assert found["assignments_moved"] == 2
    assert (found["gained"], found["lost"]) == (1, 1)  # N4 gained, N3 lost
    assert found["pairings_moved"] == 2  # C2-V1 dropped, C3-V1 made
    assert found["changes"] == 1 + 1 + 1 + 2  # re-planning's measure: pools do not count
    assert compare(a, a)["changes"] == 0


def test_the_small_change_cuts_the_busiest_cadre() -> None:
    a = plan([("N1", "C2", [], 3.0), ("N2", "C2", [], 2.0), ("N3", "C1", [], 4.5)], [])
    assert busiest_cadre(a, {"C1", "C2"}) == ("C2", 5.0)
    assert busiest_cadre(a, {"C1"}) == ("C1", 4.5)
    document: dict[str, Any] = {"cadres": [{"id": "C1", "hours": 40}, {"id": "C2", "hours": 30}]}
    changed = with_fewer_hours(document, "C2", 3.5)
    assert [c["hours"] for c in changed["cadres"]] == [40, 3.5]
    assert document["cadres"][1]["hours"] == 30  # the original is left as it was


def test_rows_of_a_tag_are_replaced_and_others_kept(tmp_path: Path) -> None:
    from benchmarks import plan_stability

    out = tmp_path / "plan_stability.csv"
    row = {name: 0 for name in FIELDS} | {"comparison": "two seeds", "time_limit": 30.0}
    plan_stability.write([row | {"tag": "before", "changes": 182}], out)
    plan_stability.write([row | {"tag": "after", "changes": 120}], out)
    plan_stability.write([row | {"tag": "after", "changes": 99}], out)
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["tag"], r["changes"]) for r in rows] == [("before", "182"), ("after", "99")]
    text = markdown(rows)
    assert "### before, 30 s" in text and "### after, 30 s" in text
    assert "| two seeds |" in text
