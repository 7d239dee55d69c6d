"""The arrivals generator (``matcher generate --arrivals``): deterministic, valid, days right."""

from __future__ import annotations

import json
from collections import Counter

from matcher.generator.arrivals import SCHEMA, arrivals_of, generate_arrivals, read_arrivals
from matcher.intake.loading import parse_scenario
from matcher.schedule.calendar import WorkCalendar


def test_a_seed_always_gives_the_same_month_and_another_seed_another() -> None:
    """Same arguments, same file; another seed, other arrivals."""
    first = generate_arrivals(8, 60, seed=4)
    assert json.dumps(first) == json.dumps(generate_arrivals(8, 60, seed=4))
    assert first["arrivals"] != generate_arrivals(8, 60, seed=5)["arrivals"]


def test_the_county_with_its_arrivals_is_a_valid_scenario_with_days() -> None:
    """County + needs (fates removed) loads without errors; needs arrive on working days in
    id order; the county has its days, and ``policy.schedule`` is off unless asked for."""
    data = generate_arrivals(10, 120, seed=1)
    assert data["schema"] == SCHEMA and "needs" not in data["county"]
    needs = [{k: v for k, v in n.items() if k != "fate"} for n in data["arrivals"]]
    loaded = parse_scenario({**data["county"], "needs": needs})
    assert not [p for p in loaded.warnings if p.severity == "error"]
    arrivals = arrivals_of(data)
    county = arrivals.county
    assert county.policy.schedule is False
    assert generate_arrivals(10, 20, seed=1, schedule=True)["county"]["policy"]["schedule"]
    calendar = WorkCalendar.of(county)
    assert len(arrivals.needs) == 120
    assert [n.id for n in arrivals.needs] == sorted(n.id for n in arrivals.needs)
    days = [n.submitted for n in arrivals.needs]
    assert days == sorted(days)  # type: ignore[type-var]
    assert all(d is not None and d in calendar.working_days for d in days)
    assert len(set(days)) > len(calendar.working_days) // 2


def test_fates_have_their_shares_and_close_after_arrival() -> None:
    """About 15% take two visits, 3% are duplicates closed the next working day, 5% are done by
    others later; every close comes after the need's arrival."""
    arrivals = read_arrivals(json.dumps(generate_arrivals(30, 3000, seed=2)))
    fates = arrivals.fates
    visits = Counter(f.visits for f in fates.values())
    reasons = Counter(f.close_reason for f in fates.values())
    assert 0.12 < visits[2] / 3000 < 0.18
    assert 0.015 < reasons["duplicate"] / 3000 < 0.045
    assert 0.035 < reasons["done_by_others"] / 3000 < 0.065
    calendar = WorkCalendar.of(arrivals.county)
    for need in arrivals.needs:
        fate = fates[need.id]
        if fate.close_on is not None:
            assert need.submitted is not None and fate.close_on > need.submitted
            if fate.close_reason == "duplicate":
                assert fate.close_on == calendar.add_working_days(need.submitted, 1)
