"""The scoring functions of the two schedule benchmarks on hand-made examples (the benchmarks
themselves are slow and run by hand)."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from benchmarks.schedule_rhythm_cost import paired_table, scaled
from benchmarks.schedule_vs_routing import RouteWork, ScoringData, merge_stops, score, tier_bounds

MON, TUE, WED = dt.date(2026, 12, 7), dt.date(2026, 12, 8), dt.date(2026, 12, 9)


def county() -> ScoringData:
    """One provider, base 30 min from village 0 and 40 from village 1 (10 min apart); three
    needs: 0 and 1 in village 0 (60 and 30 min, due Monday), 2 in village 1 (due Tuesday)."""
    due = [MON, MON, TUE]
    rank = {MON: 0, TUE: 1, WED: 2}
    return ScoringData(
        from_base=[[30.0, 40.0]],
        between=[[0.0, 10.0], [10.0, 0.0]],
        limit=[240.0],
        capacity=[300.0],
        provider_days=[frozenset({MON, TUE, WED})],
        need_village=[0, 0, 1],
        need_minutes=[60.0, 30.0, 45.0],
        need_value=[100.0, 50.0, 80.0],
        need_submitted=[MON, MON, MON],
        need_new=[True, True, False],
        eligible=frozenset({(0, 0), (1, 0), (2, 0)}),
        late=lambda n, day: max(0, rank[day] - rank[due[n]]),
        visit_minutes=120.0,
        travel_penalty_per_hour=6.0,
        late_penalty_per_day=10.0,
    )


def test_merge_stops_shares_a_village() -> None:
    assert merge_stops([(0, 1), (0, None), (1, 2), (0, 0)]) == (
        (0, (1,), True),
        (1, (2,), False),
        (0, (0,), False),
    )


def test_score_counts_shared_travel_lateness_and_rules() -> None:
    routes = [
        # Monday: base -> village 0 (needs 0, 1 and a visit) -> base: 60 travel + 210 work:
        # 270 minutes, over the 240-minute day.
        RouteWork(0, MON, ((0, (0, 1), True),)),
        # Wednesday: base -> 1 -> base: 80 travel + 45 work; need 2 (due Tuesday) one day late.
        RouteWork(0, WED, ((1, (2,), False),)),
    ]
    got = score(county(), routes)
    assert got["needs_served"] == 3
    assert got["value_served"] == 230.0
    assert got["travel_hours"] == pytest.approx(140 / 60, abs=0.01)
    assert (got["late_needs"], got["late_days"]) == (1, 1)
    assert got["on_time_share"] == pytest.approx(2 / 3, abs=1e-4)
    assert got["on_time_share_new"] == 1.0
    assert got["visits"] == 1
    assert got["over_day"] == 1  # Monday's 270 minutes
    assert got["over_hours"] == 1  # 270 + 125 > 300
    assert got["ineligible"] == got["bad_day"] == 0
    assert got["shared_objective"] == pytest.approx(230 - 6 * 140 / 60 - 10, abs=0.01)


def test_score_one_route_through_both_villages() -> None:
    # base -> 0 -> 1 -> base: 30 + 10 + 40 = 80 travel, 135 work: 215 minutes, fits.
    got = score(county(), [RouteWork(0, MON, ((0, (0, 1), False), (1, (2,), False)))])
    assert got["travel_hours"] == pytest.approx(80 / 60, abs=0.01)
    assert (got["over_day"], got["over_hours"], got["late_days"]) == (0, 0, 0)


def test_tier_bounds() -> None:
    assert tier_bounds([2, 5], 22) == [(0, 0), (1, 2), (3, 5), (6, 22)]
    assert tier_bounds([], 22) == [(0, 0), (1, 22)]


def test_rhythm_paired_table_and_scaling() -> None:
    raw = {
        "policy": {"schedule": True},
        "cadres": [{"hours": 30}],
        "organizations": [{"hours": 100}],
    }
    assert scaled(raw, 1.5, False) == {
        "policy": {"schedule": False},
        "cadres": [{"hours": 45.0}],
        "organizations": [{"hours": 150.0}],
    }
    rows = []
    for seed, (off, on) in enumerate([(100.0, 90.0), (200.0, 170.0), (150.0, 130.0)]):
        for schedule, value in ((0, off), (1, on)):
            rows.append(
                {"seed": seed, "run": "paired", "schedule": schedule, "value_served": value}
            )
    value = next(r for r in paired_table(rows) if r["metric"] == "value_served")
    assert value["diff"] == pytest.approx(-20.0)
    assert value["pct"] == pytest.approx((-10 - 15 - 13.3333) / 3, abs=1e-3)
    assert value["low"] < -20 < value["high"] and value["counties"] == 3
    assert math.isnan(next(r for r in paired_table(rows) if r["metric"] == "objective")["diff"])
