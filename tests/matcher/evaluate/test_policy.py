"""The policy figures of DESIGN §1, each against its target (matcher.evaluate.policy)."""

from __future__ import annotations

from typing import Any

import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.evaluate.policy import (
    HOUSEHOLDS_REACHED_TARGET,
    REGIONAL_TILT,
    WORK_FUNDS_PER_VILLAGE_YEAR,
    PolicyFigure,
    central_west_target,
)
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Scenario


def _figures(raw: dict[str, Any], plan: Plan) -> dict[str, PolicyFigure]:
    kpis = evaluate(Scenario.model_validate(raw), plan).kpis
    return {f["key"]: f for f in kpis["policy_figures"]}


def test_figures_come_in_the_reporting_order(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Households, villages with cadres, social share, money per village, the regional tilt,
    duplicate aid avoided, needs open: the order every surface shows them in."""
    assert list(_figures(tiny_raw, tiny_plan)) == [
        "households_reached",
        "villages_with_min_cadres",
        "social_share",
        "funds_per_village",
        "central_west_money",
        "duplicate_aid_avoided",
        "needs_unmet",
    ]


def test_households_reached_is_met_at_90_percent(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Kept: the figure equals the KPI and is compared with 0.9. Broken: with no assignment
    and no pairing, no household is reached and the target is missed."""
    kpis = evaluate(Scenario.model_validate(tiny_raw), tiny_plan).kpis
    figure = _figures(tiny_raw, tiny_plan)["households_reached"]
    assert figure["value"] == kpis["households_reached_share"]
    assert figure["target"] == HOUSEHOLDS_REACHED_TARGET
    assert figure["met"] is (figure["value"] >= 0.9)
    empty = tiny_plan.model_copy(update={"assignments": [], "pairings": []})
    assert _figures(tiny_raw, empty)["households_reached"] == {
        "key": "households_reached",
        "value": 0.0,
        "unit": "share",
        "target": 0.9,
        "met": False,
    }


def test_villages_with_their_cadres_must_be_all(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Kept: with min_cadres 0 every village has its cadres (met). Broken: the contract plan
    leaves villages short of 2 (missed)."""
    assert _figures(tiny_raw, tiny_plan)["villages_with_min_cadres"]["met"] is False
    tiny_raw["policy"] = {"min_cadres_per_village": 0}
    assert _figures(tiny_raw, tiny_plan)["villages_with_min_cadres"] == {
        "key": "villages_with_min_cadres",
        "value": 1.0,
        "unit": "share",
        "target": 1.0,
        "met": True,
    }


def test_work_funds_are_measured_against_a_year_prorated_to_the_horizon(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """20,000 yuan a village a year is 20,000 x days / 365 over the plan's horizon."""
    figure = _figures(tiny_raw, tiny_plan)["funds_per_village"]
    days = tiny_raw["horizon"]["days"]
    assert figure["target"] == pytest.approx(WORK_FUNDS_PER_VILLAGE_YEAR * days / 365, abs=0.01)
    funded = sum(line.amount for a in tiny_plan.assignments for line in a.funding)
    assert figure["value"] == pytest.approx(funded / len(tiny_raw["villages"]))


def test_the_regional_tilt_target_weights_inland_villages(tiny_raw: dict[str, Any]) -> None:
    """One eastern and two inland villages: inland should get 2 x 1.3 / (2 x 1.3 + 1); with
    no eastern village the target is all of the money."""
    regions = [v["region"] for v in tiny_raw["villages"]]
    inland = sum(1 for r in regions if r != "east")
    index = ScenarioIndex.build(Scenario.model_validate(tiny_raw))
    expected = REGIONAL_TILT * inland / (REGIONAL_TILT * inland + len(regions) - inland)
    assert central_west_target(index) == pytest.approx(expected)
    for village in tiny_raw["villages"]:
        village["region"] = "west"
    assert central_west_target(ScenarioIndex.build(Scenario.model_validate(tiny_raw))) == 1.0


def test_duplicate_aid_avoided_and_needs_open_say_what_they_are_made_of(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """The counts carry their parts: needs held back by recent aid and merged submissions;
    open needs by reason, equal to the KPI's tally."""
    figures = _figures(tiny_raw, tiny_plan)
    kpis = evaluate(Scenario.model_validate(tiny_raw), tiny_plan).kpis
    avoided = figures["duplicate_aid_avoided"]
    assert avoided["detail"]["held_back_by_recent_aid"] == kpis["needs_held_back_by_recent_aid"]
    assert avoided["value"] == sum(avoided["detail"].values()) and avoided["met"] is None
    unmet = figures["needs_unmet"]
    assert unmet["detail"] == {r: n for r, n in kpis["unmet_by_reason"].items() if n}
    assert unmet["value"] == kpis["needs_total"] - kpis["needs_served"]
