"""Unmet reasons (DESIGN §6), most structural first: one test per reason."""

from __future__ import annotations

from typing import Any

from matcher.evaluate.evaluator import evaluate
from matcher.plan import Plan, SolverInfo
from matcher.scenario import Scenario


def reasons(raw: dict[str, Any], plan: Plan | None = None) -> dict[str, tuple[str, str]]:
    """need -> (reason, detail) for a plan (the empty plan when none)."""
    plan = plan or Plan(solver=SolverInfo(name="none", status="feasible"))
    evaluation = evaluate(Scenario.model_validate(raw), plan)
    return {u.need: (u.reason, u.detail) for u in evaluation.unmet}


def test_already_aided_comes_first(tiny_raw: dict[str, Any]) -> None:
    """N6 is held back by A1 and A2 whatever else is true of it."""
    reason, detail = reasons(tiny_raw)["N6"]
    assert reason == "already_aided"
    assert "civil_affairs on 2026-11-20" in detail and "charity on 2026-11-25" in detail


def test_no_provider_in_reach(tiny_raw: dict[str, Any]) -> None:
    """N5 needs medical level 2; C4 alone holds it and is unavailable."""
    assert reasons(tiny_raw)["N5"] == (
        "no_provider_in_reach",
        "medical level 2: only C4 holds it and C4 is unavailable",
    )


def test_no_provider_when_the_limit_is_too_short(tiny_raw: dict[str, Any]) -> None:
    """With C4 available but a 10-minute limit, the nearest holder is named with its minutes."""
    tiny_raw["cadres"][3]["available"] = True
    tiny_raw["cadres"][3]["max_travel_minutes"] = 10
    reason, detail = reasons(tiny_raw)["N5"]
    assert reason == "no_provider_in_reach"
    assert "nearest C4: 58 min, limit 10" in detail


def test_no_eligible_funding(tiny_raw: dict[str, Any]) -> None:
    """Without P-agri no pool admits agri_tech in east V1: N1 has no eligible funding."""
    tiny_raw["pools"] = [p for p in tiny_raw["pools"] if p["id"] != "P-agri"]
    assert reasons(tiny_raw)["N1"][0] == "no_eligible_funding"


def test_funding_that_no_plan_could_find(tiny_raw: dict[str, Any]) -> None:
    """N7 costs more than V2's cap; a pool whose per-need limit is 0 pays nothing for N1."""
    assert reasons(tiny_raw)["N7"][0] == "funding_exhausted"
    tiny_raw["pools"][0]["max_per_need"] = 0
    reason, detail = reasons(tiny_raw)["N1"]
    assert reason == "funding_exhausted"
    assert "may pay for one need (0)" in detail


def test_capacity_exhausted(tiny_raw: dict[str, Any]) -> None:
    """C1, the only agri_tech cadre in reach of V1, has 2 h; N1 needs 3 h plus travel."""
    tiny_raw["cadres"][0]["hours"] = 2
    reason, detail = reasons(tiny_raw)["N1"]
    assert reason == "capacity_exhausted"
    assert "(C1)" in detail


def test_funding_exhausted_by_the_plan(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """V1's cap of 3000 is spent on N1: a new e-commerce need in V1 finds no cap left."""
    tiny_raw["villages"][0]["funding_cap"] = 3000
    tiny_raw["needs"].append(
        {
            "id": "N9",
            "village": "V1",
            "household": "H-V1-050",
            "category": "e_commerce",
            "hours": 1,
            "cost": 500,
            "priority": 1,
        }
    )
    reason, detail = reasons(tiny_raw, tiny_plan)["N9"]
    assert reason == "funding_exhausted"
    assert detail == "village V1 has 0 yuan of its cap left; cost 500"


def test_not_chosen(tiny_raw: dict[str, Any]) -> None:
    """In the empty plan N1 could be served and funded: the plan simply did not choose it."""
    assert reasons(tiny_raw)["N1"][0] == "not_chosen"
