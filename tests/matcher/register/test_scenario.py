"""The re-plan scenario built from a county version and the register (DESIGN §10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from matcher.intake.loading import parse_scenario
from matcher.register.memory import MemoryRegister
from matcher.register.model import NeedEvent, RegisteredNeed, Status
from matcher.register.scenario import period_start, replan_horizon, scenario_from_register
from matcher.scenario import Horizon, Scenario

START = dt.date(2026, 12, 1)  # the contract county's horizon: 31 days from here


def county_and_register(tiny: Scenario) -> tuple[Scenario, MemoryRegister]:
    county = tiny.model_copy(update={"needs": ()})
    register = MemoryRegister()
    register.add([n.model_copy(update={"submitted": START}) for n in tiny.needs], START)
    return county, register


def set_status(register: MemoryRegister, need_id: str, status: Status, provider: str) -> None:
    """Put a need straight into a status for the builder's sake (the builder reads records)."""
    need = register.get(need_id)
    history = need.history
    if status == "resolved":
        history = (*history, NeedEvent("resolved", START + dt.timedelta(days=2)))
    register._needs[need_id] = replace(
        need, status=status, provider=provider, date=START, history=history
    )


def by_id(needs: list[RegisteredNeed]) -> dict[str, RegisteredNeed]:
    return {n.id: n for n in needs}


def test_each_status_goes_where_the_rule_says(tiny: Scenario) -> None:
    county, register = county_and_register(tiny)
    set_status(register, "N1", "assigned", "C1")
    set_status(register, "N4", "started", "C3")
    set_status(register, "N3", "resolved", "C2")
    register.post("N8", NeedEvent("closed", START, reason="out_of_scope"))
    built = scenario_from_register(county, register.needs(), START + dt.timedelta(days=3))
    needs = {n.id: n for n in built.scenario.needs}
    assert set(needs) == {"N1", "N2", "N4", "N5", "N6", "N7"}
    assert needs["N4"].pinned_provider == "C3" and built.pinned == ("N4",)
    assert needs["N1"].pinned_provider is None  # assigned work may move; started may not
    records = {r.id: r for r in built.scenario.aid_records}
    assert records["R-N3"].household == "H-V2-009" and records["R-N3"].provider == "C2"
    assert {"A1", "A2", "A3"} <= set(records)
    parse_scenario(built.scenario.model_dump(mode="json", exclude_none=True))  # valid as is


def test_days_before_the_replan_date_are_frozen() -> None:
    horizon = Horizon(start=START, days=31)
    assert replan_horizon(horizon, dt.date(2026, 12, 10)) == Horizon(
        start=dt.date(2026, 12, 10), days=22
    )
    # After the period: the next period of the same length.
    assert period_start(horizon, dt.date(2027, 1, 5)) == dt.date(2027, 1, 1)
    assert replan_horizon(horizon, dt.date(2027, 1, 5)).days == 27


def test_work_resolved_this_period_is_taken_off_hours_and_pools(tiny: Scenario) -> None:
    county, register = county_and_register(tiny)
    set_status(register, "N1", "resolved", "C1")
    register._needs["N1"] = replace(register.get("N1"), funding=(("P-agri", 3000),))
    built = scenario_from_register(county, register.needs(), START + dt.timedelta(days=5))
    c1 = next(c for c in built.scenario.cadres if c.id == "C1")
    pool = next(p for p in built.scenario.pools if p.id == "P-agri")
    assert c1.hours == 24 - 3
    assert pool.amount == 10000 - 3000
    # Resolved after the re-plan date (a record from the future) takes nothing off.
    late = scenario_from_register(county, register.needs(), START + dt.timedelta(days=1))
    assert next(c for c in late.scenario.cadres if c.id == "C1").hours == 24


def test_needs_due_before_the_next_replan_gain_one_priority_step(tiny: Scenario) -> None:
    county, register = county_and_register(tiny)
    # Submitted 2026-12-01 (Tue): due the 3rd working day after, Fri 12-04.
    on_thursday = scenario_from_register(county, register.needs(), dt.date(2026, 12, 3))
    on_friday = scenario_from_register(county, register.needs(), dt.date(2026, 12, 4))
    assert on_thursday.urgent == ()
    assert set(on_friday.urgent) == {n.id for n in tiny.needs}
    before = {n.id: n.priority for n in tiny.needs}
    assert all(n.priority == min(5, before[n.id] + 1) for n in on_friday.scenario.needs)


def test_a_started_need_whose_pin_cannot_be_kept_becomes_aid_in_progress(tiny: Scenario) -> None:
    county, register = county_and_register(tiny)
    set_status(register, "N5", "started", "C1")  # C1 has no medical skill: the pin breaks H2
    built = scenario_from_register(county, register.needs(), START + dt.timedelta(days=3))
    assert "N5" not in {n.id for n in built.scenario.needs}
    assert dict(built.left_out)["N5"].startswith("started, but its pin cannot be kept")
    assert "S-N5" in {r.id for r in built.scenario.aid_records}
    assert next(c for c in built.scenario.cadres if c.id == "C1").hours == 24 - 2


def test_needs_of_a_village_the_county_no_longer_has_are_left_out(tiny: Scenario) -> None:
    county, register = county_and_register(tiny)
    smaller = county.model_copy(
        update={"villages": tuple(v for v in county.villages if v.id != "V3")}
    )
    built = scenario_from_register(smaller, register.needs(), START)
    assert {i for i, _ in built.left_out} == {"N4", "N5"}
