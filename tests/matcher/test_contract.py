"""The contract example of DESIGN §6 (shared/examples): every figure it states, reproduced."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.run import solve_scenario
from matcher.scenario import Scenario


def test_travel_minutes_match_the_contract(tiny: Scenario, tiny_expected: dict[str, Any]) -> None:
    """Road shortest paths from each provider's base give the stated minutes."""
    index = ScenarioIndex.build(tiny)
    for provider_id, row in tiny_expected["travel_minutes"].items():
        provider = index.provider(provider_id)
        assert provider is not None
        for village_id, minutes in row.items():
            assert index.minutes(provider, village_id) == pytest.approx(minutes)


def test_optimal_plan_has_the_stated_objective_and_no_violation(
    tiny: Scenario, tiny_plan: Plan, tiny_expected: dict[str, Any]
) -> None:
    """The hand-made optimal plan keeps H1-H8 and scores the stated optimum."""
    evaluation = evaluate(tiny, tiny_plan)
    assert evaluation.violations == ()
    assert evaluation.objective == pytest.approx(tiny_expected["optimal_objective"], abs=1e-9)


def test_unmet_reasons_match_the_contract(
    tiny: Scenario, tiny_plan: Plan, tiny_expected: dict[str, Any]
) -> None:
    """Each open need of the optimal plan gets the stated reason."""
    evaluation = evaluate(tiny, tiny_plan)
    assert {u.need: u.reason for u in evaluation.unmet} == tiny_expected["unmet_reasons"]


def test_broken_plan_has_exactly_the_ten_stated_violations(
    tiny: Scenario, tiny_broken_plan: Plan, tiny_expected: dict[str, Any]
) -> None:
    """The evaluator lists every violation of the broken plan, not only the first, and no more."""
    evaluation = evaluate(tiny, tiny_broken_plan)
    expected = Counter(v["rule"] for v in tiny_expected["broken_plan_violations"])
    assert Counter(v.rule for v in evaluation.violations) == expected
    by_rule = {(v.rule, v.need, v.provider, v.village, v.pool) for v in evaluation.violations}
    assert ("H1", "N8", "O1", None, None) in by_rule
    assert ("H2", "N1", "C2", "V1", None) in by_rule
    assert ("H6", None, None, "V2", None) in by_rule
    assert ("H8", "N6", "C3", "V1", None) in by_rule
    assert {v.pool for v in evaluation.violations if v.rule == "H5"} == {"P-agri", "P-west"}


@pytest.mark.parametrize("solver", ["greedy", "cpsat", "auto"])
def test_integrated_solvers_reach_the_contract_optimum(
    tiny: Scenario, tiny_expected: dict[str, Any], solver: str
) -> None:
    """Every integrated solver finds a plan worth the stated optimum, with zero violations."""
    run = solve_scenario(tiny, solver=solver, time_limit=20, seed=0)
    assert run.evaluation.violations == ()
    assert run.plan.solver.objective == pytest.approx(tiny_expected["optimal_objective"], abs=1e-6)
    assert {u.need: u.reason for u in run.plan.unmet} == tiny_expected["unmet_reasons"]
