"""Pins a plan must keep: each one servable by its provider, and all of them together fitting
the provider's hours and the money of their villages and pools (matcher.intake.pinned)."""

from __future__ import annotations

from typing import Any

import pytest

from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import parse_scenario
from matcher.run import solve_scenario


def _refusals(data: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(ScenarioInvalid) as refused:
        parse_scenario(data)
    return {p.id or p.path: p.message for p in refused.value.errors}


def test_pins_within_hours_and_money_load_and_are_kept(tiny_raw: dict[str, Any]) -> None:
    """Kept: two cheap, short pins on one cadre load, and the plan serves both."""
    for index in (0, 6):
        tiny_raw["needs"][index].update(pinned_provider="C1", hours=2, cost=0)
    plan = solve_scenario(parse_scenario(tiny_raw).scenario, solver="greedy").plan
    served = {a.need: a.provider for a in plan.assignments}
    assert served["N1"] == "C1" and served["N7"] == "C1" and plan.violations == []


def test_pins_beyond_their_providers_hours_are_refused_on_each_pin(
    tiny_raw: dict[str, Any],
) -> None:
    """Broken (H4): two pins of 15 hours each plus travel on C1's 24 hours."""
    for index in (0, 6):
        tiny_raw["needs"][index].update(pinned_provider="C1", hours=15, cost=0)
    found = _refusals(tiny_raw)
    assert set(found) == {"N1", "N7"}
    assert 'the needs pinned to "C1" take' in found["N1"] and "(H4)" in found["N1"]


def test_a_pin_beyond_its_villages_cap_is_refused(tiny_raw: dict[str, Any]) -> None:
    """Broken (H6): N7 costs 7,000 yuan in V2, whose cap is 5,000."""
    tiny_raw["needs"][6]["pinned_provider"] = "C1"
    found = _refusals(tiny_raw)
    assert list(found) == ["N7"] and "only 5000 of it can be paid" in found["N7"]


def test_a_pin_beyond_what_its_pools_may_pay_is_refused(tiny_raw: dict[str, Any]) -> None:
    """Broken (H5): N1 costs 20,000 yuan and its only pool pays at most 4,000 a need."""
    tiny_raw["needs"][0].update(pinned_provider="C1", cost=20_000)
    found = _refusals(tiny_raw)
    assert list(found) == ["N1"] and "only 4000 of it can be paid" in found["N1"]


def test_pins_that_fit_one_by_one_but_not_together_are_refused(
    tiny_raw: dict[str, Any],
) -> None:
    """Broken (H5, jointly): each pin alone fits its pool, both together do not."""
    tiny_raw["pools"] = [{"id": "P-one", "department": "agriculture", "amount": 5_000}]
    for index in (0, 6):
        tiny_raw["needs"][index].update(pinned_provider="C1", hours=1, cost=3_000)
    found = _refusals(tiny_raw)
    # 6,000 yuan of pins on 5,000: one of them is 1,000 short, whichever the flow pays first.
    [(need, message)] = found.items()
    assert need in ("N1", "N7") and "only 2000 of it can be paid" in message
