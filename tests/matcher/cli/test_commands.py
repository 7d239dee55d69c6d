"""The command line end to end (DESIGN §7), on the bundled demo and the contract county."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from matcher.cli import app
from matcher.evaluate.evaluator import evaluate
from matcher.plan import read_plan
from matcher.scenario import Scenario
from tests.conftest import CONTRACT, DATA, ROOT

runner = CliRunner()
DEMO = ROOT / "scenarios" / "demo-county.json"


def test_validate_accepts_the_demo() -> None:
    """`matcher validate` exits 0 on the bundled demo."""
    result = runner.invoke(app, ["validate", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_validate_lists_every_problem_and_exits_1() -> None:
    """`matcher validate` on a broken file exits 1, names paths and ids, and shows no traceback."""
    broken = sorted((DATA / "broken").glob("*.expected.json"))
    assert broken, "tests/data/broken holds the deliberately broken scenarios"
    for expected_file in broken:
        scenario = next(
            p
            for p in expected_file.parent.iterdir()
            if p.name.startswith(expected_file.name.removesuffix(".expected.json") + ".")
            and not p.name.endswith(".expected.json")
        )
        result = runner.invoke(app, ["validate", str(scenario)])
        assert result.exit_code == 1, scenario
        assert "Traceback" not in result.output
        for problem in json.loads(expected_file.read_text()):
            assert problem["path"] in result.output, (scenario, problem)


def test_solve_check_report_on_the_demo(tmp_path: Path) -> None:
    """solve writes a plan the evaluator accepts; check agrees; report prints both reports."""
    plan_path = tmp_path / "plan.json"
    result = runner.invoke(
        app, ["solve", str(DEMO), "--time-limit", "10", "--out", str(plan_path), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "needs served" in result.output
    plan = read_plan(plan_path)
    scenario = Scenario.model_validate(json.loads(DEMO.read_text()))
    evaluation = evaluate(scenario, plan)
    assert evaluation.violations == ()
    assert plan.solver.objective is not None
    assert abs(plan.solver.objective - evaluation.objective) < 1e-6
    checked = runner.invoke(app, ["check", str(DEMO), str(plan_path)])
    assert checked.exit_code == 0, checked.output
    assert "0 violation(s)" in checked.output
    reported = runner.invoke(app, ["report", str(DEMO), str(plan_path)])
    assert reported.exit_code == 0, reported.output
    assert "blind" in reported.output.lower() and "duplicate" in reported.output.lower()


def test_check_flags_the_broken_contract_plan() -> None:
    """`matcher check` exits 1 and lists the ten violations of the broken contract plan."""
    result = runner.invoke(
        app, ["check", str(CONTRACT / "tiny-county.json"), str(CONTRACT / "tiny-plan-broken.json")]
    )
    assert result.exit_code == 1
    assert "10 violation(s)" in result.output


def test_compare_prints_one_table(tmp_path: Path) -> None:
    """`matcher compare` runs several solvers and writes one table of evaluator figures."""
    csv = tmp_path / "compare.csv"
    result = runner.invoke(
        app,
        [
            "compare",
            str(CONTRACT / "tiny-county.json"),
            "--solvers",
            "greedy,siloed,cpsat",
            "--time-limit",
            "5",
            "--csv",
            str(csv),
        ],
    )
    assert result.exit_code == 0, result.output
    header, *rows = csv.read_text().splitlines()
    assert header == "figure,greedy,siloed,cpsat"
    objective = next(r for r in rows if r.startswith("objective,"))
    greedy, siloed, cpsat = (float(x) for x in objective.split(",")[1:])
    assert cpsat >= greedy - 1e-6 and cpsat >= siloed - 1e-6


def test_unknown_solver_is_refused() -> None:
    """An unknown solver name exits 2 with the list of names."""
    result = runner.invoke(app, ["solve", str(CONTRACT / "tiny-county.json"), "--solver", "magic"])
    assert result.exit_code == 2
    assert "greedy" in result.output


def test_generate_writes_a_valid_scenario(tmp_path: Path) -> None:
    """`matcher generate` writes a scenario that validates."""
    out = tmp_path / "county.json"
    result = runner.invoke(
        app, ["generate", "--villages", "12", "--needs", "150", "--seed", "3", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    scenario = Scenario.model_validate(json.loads(out.read_text()))
    assert len(scenario.villages) == 12 and len(scenario.needs) == 150


def test_solve_refuses_an_invalid_scenario_without_writing(tmp_path: Path) -> None:
    """A scenario with problems exits 1 and leaves an existing plan file untouched."""
    bad = tmp_path / "bad.json"
    data = json.loads((CONTRACT / "tiny-county.json").read_text())
    data["cadres"][0]["hours"] = -3
    bad.write_text(json.dumps(data))
    plan_path = tmp_path / "plan.json"
    shutil.copy(CONTRACT / "tiny-plan.json", plan_path)
    before = plan_path.read_bytes()
    result = runner.invoke(app, ["solve", str(bad), "--out", str(plan_path)])
    assert result.exit_code == 1
    assert "$.cadres[0].hours" in result.output
    assert plan_path.read_bytes() == before
