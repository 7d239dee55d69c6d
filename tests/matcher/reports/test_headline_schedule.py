"""A plan with days shows the response figure among the policy figures, with its parts."""

from __future__ import annotations

import json

from matcher.evaluate.evaluator import evaluate
from matcher.intake.loading import parse_scenario
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.headline import FIGURE_KEYS, policy_lines
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data" / "contract-scheduled"


def test_the_response_figure_follows_the_others_with_its_parts() -> None:
    """The contract county's plan: 4 of 6 served needs on time (see its README)."""
    index = ScenarioIndex.build(
        parse_scenario(json.loads((DATA / "scheduled-county.json").read_text())).scenario
    )
    plan = Plan.model_validate_json((DATA / "scheduled-plan.json").read_text())
    kpis = evaluate(index, plan).kpis
    lines = {line.key: line for line in policy_lines(kpis, "zh")}
    response = lines["policy.response_on_time"]
    assert response.value == "66.7%" and response.target == "≥ 95%" and response.met is False
    assert "4" in response.detail and "2" in response.detail and "工作日" in response.detail
    english = {line.key: line for line in policy_lines(kpis, "en")}["policy.response_on_time"]
    assert english.detail == "4 answered on time, 2 late (deadline: 3 working days)"
    assert all(f"policy.{k}" in lines for k in FIGURE_KEYS)
