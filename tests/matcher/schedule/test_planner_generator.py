"""``matcher generate --schedule`` (DESIGN §9): the same county with days."""

from __future__ import annotations

import datetime as dt
from typing import Any

from matcher.generator import generate_scenario
from matcher.scenario import Scenario
from matcher.schedule.official import official_days


def _providers(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [*data["cadres"], *data["organizations"]]


def test_a_scheduled_county_is_its_twin_plus_days() -> None:
    """Same villages, roads, pools, ledgers and needs but for their submission dates; the
    providers differ only by days off; the policy turns the schedule on."""
    plain = generate_scenario(30, 600, seed=4)
    days = generate_scenario(30, 600, seed=4, schedule=True)
    for key in ("places", "villages", "roads", "pools", "aid_records", "name"):
        assert days[key] == plain[key]
    strip = [{k: v for k, v in n.items() if k != "submitted"} for n in days["needs"]]
    assert strip == [{k: v for k, v in n.items() if k != "submitted"} for n in plain["needs"]]
    assert [{k: v for k, v in p.items() if k != "days_off"} for p in _providers(days)] == (
        _providers(plain)
    )
    assert days["policy"] == {"schedule": True}
    Scenario.model_validate(days)


def test_submissions_spread_over_three_weeks_before_and_the_horizon_in_id_order() -> None:
    data = generate_scenario(30, 2000, seed=5, schedule=True)
    start = dt.date(2026, 12, 1)
    offsets = [(dt.date.fromisoformat(n["submitted"]) - start).days for n in data["needs"]]
    assert min(offsets) == -21 and max(offsets) == 30
    assert offsets == sorted(offsets)  # ids stay in order of submission
    before = sum(o < 0 for o in offsets) / len(offsets)
    assert 0.3 < before < 0.5  # 21 of 52 days


def test_some_providers_take_one_to_three_working_days_off() -> None:
    data = generate_scenario(300, 100, seed=6, schedule=True)
    providers = _providers(data)
    away = [p["days_off"] for p in providers if p.get("days_off")]
    assert 0.05 < len(away) / len(providers) < 0.15
    assert all(1 <= len(off) <= 3 for off in away)
    assert all(dt.date.fromisoformat(d).weekday() < 5 for off in away for d in off)


def test_the_official_days_of_the_horizon_are_listed() -> None:
    """October 2026: the National Day holidays on weekdays and the make-up Saturday."""
    data = generate_scenario(5, 40, seed=1, start="2026-10-01", schedule=True)
    found = official_days(dt.date(2026, 10, 1), dt.date(2026, 11, 1))
    assert data["horizon"]["holidays"] == [d.isoformat() for d in found.holidays]
    assert data["horizon"]["workdays"] == ["2026-10-10"]
    assert len(found.holidays) == 5


def test_the_same_seed_gives_the_same_days() -> None:
    assert generate_scenario(10, 100, seed=7, schedule=True) == generate_scenario(
        10, 100, seed=7, schedule=True
    )
