"""The plan file (DESIGN §6): written and read back losslessly."""

from __future__ import annotations

import json
from pathlib import Path

from matcher.intake.loading import scenario_sha256
from matcher.plan import plan_to_json, read_plan, write_plan
from matcher.run import solve_scenario
from matcher.scenario import Scenario

from ..conftest import CONTRACT


def test_a_solved_plan_round_trips(tiny: Scenario, tmp_path: Path) -> None:
    """A plan written by the engine reads back to the same plan and the same text."""
    plan = solve_scenario(tiny, solver="greedy").plan
    path = tmp_path / "plan.json"
    write_plan(plan, path)
    again = read_plan(path)
    assert again == plan
    assert plan_to_json(again) == plan_to_json(plan)
    assert again.scenario.sha256 == scenario_sha256(tiny)
    assert not list(tmp_path.glob("*.tmp"))


def test_other_programs_optional_fields_survive(tmp_path: Path) -> None:
    """Fields this version does not know (added by other programs) are kept on rewrite."""
    data = json.loads((CONTRACT / "tiny-plan.json").read_text())
    data["platform_ref"] = "job-42"
    data["assignments"][0]["note"] = "agreed with the township"
    source = tmp_path / "in.json"
    source.write_text(json.dumps(data))
    out = tmp_path / "out.json"
    write_plan(read_plan(source), out)
    written = json.loads(out.read_text())
    assert written["platform_ref"] == "job-42"
    assert written["assignments"][0]["note"] == "agreed with the township"


def test_plan_states_the_evaluators_figures(tiny: Scenario) -> None:
    """solver.objective, kpis.objective and the gap come from the evaluator's objective."""
    run = solve_scenario(tiny, solver="cpsat", time_limit=10)
    solver = run.plan.solver
    assert solver.objective == run.evaluation.objective == run.plan.kpis["objective"]
    assert solver.bound is not None and solver.gap is not None
    assert solver.gap == max(0.0, (solver.bound - solver.objective) / max(1.0, abs(solver.bound)))
    assert solver.version is not None and solver.status == "optimal"
