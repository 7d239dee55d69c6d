"""The command line end to end (DESIGN §7), on the bundled demo and the contract county."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.cli.solve import DEFAULT_COMPARED
from matcher.evaluate.evaluator import evaluate
from matcher.i18n import t
from matcher.plan import read_plan
from matcher.reports.headline import FIGURE_KEYS
from matcher.scenario import Scenario
from tests.conftest import CONTRACT, DATA, ROOT

runner = CliRunner()
DEMO = ROOT / "scenarios" / "demo-county.json"


def test_validate_accepts_the_demo() -> None:
    """`matcher validate` exits 0 on the bundled demo, saying so in the language asked."""
    result = runner.invoke(app, ["validate", str(DEMO), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert ": valid (30 villages," in result.output
    result = runner.invoke(app, ["validate", str(DEMO), "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "：有效（30 个村、" in result.output


def test_an_unknown_language_is_refused() -> None:
    """--lang takes zh or en; anything else exits 2 and says which."""
    result = runner.invoke(app, ["validate", str(DEMO), "--lang", "fr"])
    assert result.exit_code == 2
    assert "fr" in result.output


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
        result = runner.invoke(app, ["validate", str(scenario), "--lang", "en"])
        assert result.exit_code == 1, scenario
        assert "nothing was solved" in result.output
        assert "Traceback" not in result.output
        for problem in json.loads(expected_file.read_text()):
            assert problem["path"] in result.output, (scenario, problem)


def test_solve_check_report_on_the_demo(tmp_path: Path) -> None:
    """solve writes a plan the evaluator accepts; check agrees; report prints both reports."""
    plan_path = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        ["solve", str(DEMO), "--time-limit", "10", "--out", str(plan_path), "--quiet",
         "--lang", "en"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "needs served" in result.output
    plan = read_plan(plan_path)
    scenario = Scenario.model_validate(json.loads(DEMO.read_text()))
    evaluation = evaluate(scenario, plan)
    assert evaluation.violations == ()
    assert plan.solver.objective is not None
    assert abs(plan.solver.objective - evaluation.objective) < 1e-6
    checked = runner.invoke(app, ["check", str(DEMO), str(plan_path), "--lang", "en"])
    assert checked.exit_code == 0, checked.output
    assert "0 violation(s)" in checked.output
    assert f"objective {evaluation.objective:,.3f}" in checked.output
    checked = runner.invoke(app, ["check", str(DEMO), str(plan_path), "--lang", "zh"])
    assert checked.exit_code == 0, checked.output
    assert "0 项违反硬约束" in checked.output and "目标函数值" in checked.output
    reported = runner.invoke(app, ["report", str(DEMO), str(plan_path), "--lang", "en"])
    assert reported.exit_code == 0, reported.output
    assert "Blind spots" in reported.output and "Duplicate aid" in reported.output
    assert "Smallest fixes:" in reported.output  # what a fix is, in plain words
    reported = runner.invoke(app, ["report", str(DEMO), str(plan_path), "--lang", "zh"])
    assert reported.exit_code == 0, reported.output
    assert "帮扶盲区" in reported.output and "重复帮扶" in reported.output
    assert "最小补救措施：" in reported.output and "LP" not in reported.output.split("¹ ")[0]


def test_check_flags_the_broken_contract_plan() -> None:
    """`matcher check` exits 1 and lists the ten violations of the broken contract plan."""
    county, broken = str(CONTRACT / "tiny-county.json"), str(CONTRACT / "tiny-plan-broken.json")
    result = runner.invoke(app, ["check", county, broken, "--lang", "en"])
    assert result.exit_code == 1
    assert "10 violation(s)" in result.output
    result = runner.invoke(app, ["check", county, broken, "--lang", "zh"])
    assert result.exit_code == 1
    assert "10 项违反硬约束" in result.output


def test_compare_prints_one_table(tmp_path: Path) -> None:
    """`matcher compare` runs several solvers and writes one table of evaluator figures: the
    CSV's first column holds stable keys, the policy figures first, and the objective row
    reads as numbers."""
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
            "--lang",
            "en",
        ],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    header, *rows = csv.read_text().splitlines()
    assert header == "figure,greedy,siloed,cpsat"
    keys = [r.split(",")[0] for r in rows]
    assert keys[:7] == [f"policy.{k}" for k in FIGURE_KEYS]
    assert {"needs_served", "duplicate_services", "status", "objective", "gap"} <= set(keys)
    assert "quality" not in keys  # words for people stay in the printed table
    objective = next(r for r in rows if r.startswith("objective,"))
    greedy, siloed, cpsat = (float(x) for x in objective.split(",")[1:])
    assert cpsat >= greedy - 1e-6 and cpsat >= siloed - 1e-6
    reached = next(r for r in rows if r.startswith("policy.households_reached,"))
    assert all(0 <= float(x) <= 1 for x in reached.split(",")[1:])
    assert (
        "households reached" in result.output and "proven the best possible plan" in result.output
    )


def test_compare_runs_auto_by_default() -> None:
    """Without --solvers, compare runs greedy, siloed and auto; in Chinese, the table opens
    with the policy figures' section."""
    assert "auto" in DEFAULT_COMPARED.split(",")
    result = runner.invoke(
        app, ["compare", str(CONTRACT / "tiny-county.json"), "--time-limit", "3", "--lang", "zh"]
    )
    assert result.exit_code == 0, result.output
    header = next(line for line in result.output.splitlines() if "指标" in line)
    assert [n for n in ("greedy", "siloed", "auto") if n in header] == ["greedy", "siloed", "auto"]
    body = result.output[result.output.index(header) :]
    assert body.index("政策指标") < body.index("户覆盖率") < body.index("求解情况")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_opens_with_the_policy_figures(tmp_path: Path, lang: str) -> None:
    """`matcher solve` prints the policy figures first (figure, value, target, met or short),
    then the solver's section in plain words, then the other figures and the duplicate-aid
    story; Gini and the raw penalties are not in the summary."""
    plan_path = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        ["solve", str(CONTRACT / "tiny-county.json"), "--solver", "greedy", "--out",
         str(plan_path), "--quiet", "--lang", lang],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    out = result.output
    lines = [line for line in out.splitlines() if line.strip()]
    assert lines[0].startswith("Tiny County (contract example) · ")
    assert lines[0].strip().endswith(t("summary.policy_title", lang))  # type: ignore[arg-type]
    first_row = next(line for line in lines[1:] if line.startswith("│"))
    assert t("policy.households_reached", lang) in first_row  # type: ignore[arg-type]
    assert "≥ 90%" in first_row
    figures = read_plan(plan_path).kpis["policy_figures"]
    met = figures[0]["met"]
    assert t("policy.meets" if met else "policy.short", lang) in first_row  # type: ignore[arg-type]
    titles = [line.strip() for line in lines if not line.startswith(("│", "┃", "┏", "┡", "└", "┌"))]
    expected = [
        t(key, lang)  # type: ignore[arg-type]
        for key in ("solver.section", "summary.other_title", "summary.duplicate_title")
    ]
    order = [titles.index(title) for title in expected]
    assert order == sorted(order)
    assert t("solver.no_bound", lang) in out  # type: ignore[arg-type]
    assert t("dup.in_plan", lang) in out  # type: ignore[arg-type]
    for gone in ("kpi.village_funding_gini", "kpi.min_village_value_share", "kpi.objective"):
        assert t(gone, lang) not in out, gone  # type: ignore[arg-type]
    assert "hardship_relief" not in out and "not_chosen" not in out


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


def test_generate_takes_a_terrain(tmp_path: Path) -> None:
    """`matcher generate --terrain valley` writes a valley county (another county than the
    default hills); an unknown terrain is a usage error that names the shapes."""
    out = tmp_path / "valley.json"
    args = ["generate", "--villages", "12", "--needs", "150", "--seed", "3"]
    result = runner.invoke(app, [*args, "--terrain", "valley", "--out", str(out)])
    assert result.exit_code == 0, result.output
    valley = json.loads(out.read_text())
    assert Scenario.model_validate(valley).roads
    hills = runner.invoke(app, [*args, "--terrain", "hills"])
    assert hills.exit_code == 0 and json.loads(hills.stdout) != valley
    bad = runner.invoke(app, [*args, "--terrain", "desert"])
    assert bad.exit_code == 2
    assert "valley" in bad.output


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
