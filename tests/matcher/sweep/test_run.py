"""One run: its row holds the evaluator's figures of the plan it wrote, or the error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.plan import read_plan
from matcher.sweep import (
    IDENTITY,
    GeneratorSpec,
    Policy,
    Sweep,
    build_scenario,
    make_tasks,
    plan_file,
)
from matcher.sweep.run import run_task
from matcher.sweep.summary import POLICY_UNITS

from .conftest import TINY, read_rows

ROOT = Path(__file__).resolve().parents[3]


def test_row_objective_is_the_evaluators_of_the_written_plan(
    tiny_file: Path, tmp_path: Path
) -> None:
    """The row's objective equals evaluate() of the written plan on the policy's scenario
    (what matcher check recomputes), and its KPIs are the plan's."""
    policy = Policy(
        name="fair",
        solver="greedy",
        time_limit=2,
        overrides={"fairness_floor_share": 0.5, "fairness_weight": 1.0},
        scale={"cadre_hours": 1.1},
    )
    (task,) = make_tasks([tiny_file], [], [policy])
    plans = tmp_path / "plans"
    Sweep([task], tmp_path / "out.csv").run("serial", plans=plans)
    (row,) = read_rows(tmp_path / "out.csv")
    plan = read_plan(plan_file(plans, task.key))
    scenario, _ = build_scenario(task)
    evaluation = evaluate(scenario, plan)
    assert not evaluation.violations
    assert float(row["objective"]) == evaluation.objective
    assert float(row["kpi.needs_served"]) == evaluation.kpis["needs_served"]
    fairness = evaluation.kpis["objective_terms"]["fairness_penalty"]
    assert float(row["kpi.objective_terms.fairness_penalty"]) == fairness
    assert row["scenario"] == "county" and row["policy"] == "fair" and row["error"] == ""


def test_row_shape() -> None:
    """Identity columns, every KPI with dots, report totals and zero-filled reason counts."""
    (task,) = make_tasks([], [GeneratorSpec(seed=2, **TINY)], [Policy(name="g", solver="greedy")])
    row = run_task(task, threads=1)
    assert set(IDENTITY) <= set(row)
    assert (row["scenario"], row["policy"], row["solver"], row["seed"]) == (
        "gen-v10-n60-s2",
        "g",
        "greedy",
        2,
    )
    assert (row["villages"], row["needs"], row["status"], row["error"]) == (10, 60, "feasible", "")
    assert row["objective"] == row["kpi.objective"]
    for key in ("kpi.unmet_by_reason.not_chosen", "blind.villages_short_by_why.unreachable"):
        assert key in row
    assert "dup.waste_yuan" in row and "blind.needs_unmet" in row
    assert "_plan" not in row and isinstance(run_task(task, 1, keep_plan=True)["_plan"], str)


def test_row_holds_the_policy_figures_as_added_columns() -> None:
    """Each policy figure is a column ``policy.<figure>`` with ``.target`` and ``.met``, equal
    to the plan's; the KPI columns the CSV had before are all still there."""
    (task,) = make_tasks([], [GeneratorSpec(seed=2, **TINY)], [Policy(name="g", solver="greedy")])
    row = run_task(task, threads=1, keep_plan=True)
    figures = json.loads(row["_plan"])["kpis"]["policy_figures"]
    assert [f["key"] for f in figures] == list(POLICY_UNITS)
    for figure in figures:
        key = f"policy.{figure['key']}"
        assert row[key] == figure["value"] and row[f"{key}.target"] == figure["target"]
        assert row[f"{key}.met"] == (None if figure["met"] is None else int(figure["met"]))
    for kept in ("kpi.households_reached_share", "kpi.objective", "kpi.duplicates_in_plan"):
        assert kept in row
    assert not any(k.startswith("kpi.policy_figures") for k in row)


@pytest.mark.parametrize("source", ["file", "generator"])
def test_a_failing_scenario_is_an_error_row(source: str, broken_file: Path) -> None:
    """An invalid file or a spec the generator refuses gives a row with its error."""
    policy = Policy(name="g", solver="greedy")
    if source == "file":
        (task,) = make_tasks([broken_file], [], [policy])
        expected = "ScenarioInvalid: the scenario has"
    else:
        (task,) = make_tasks([], [GeneratorSpec(villages=2, needs=5, towns=9)], [policy])
        expected = "ValueError: towns must be between 1 and the number of villages"
    row = run_task(task, threads=1)
    assert row["status"] == "error" and row["error"].startswith(expected)
    assert row["objective"] is None and row["scenario"] == task.scenario


def test_worker_processes_freeze_their_heap_once_and_callers_never() -> None:
    """A run in the caller's process leaves its collector alone; settle_heap (worker processes)
    moves the objects alive then out of the collector's sight, and only once: later runs'
    objects stay collectable. In a fresh interpreter, so that this process keeps its own."""
    script = (
        "import gc\n"
        "from matcher.sweep.run import run_task, settle_heap\n"
        "from matcher.sweep import GeneratorSpec, Task, parse_policies\n"
        "policy = parse_policies({'policies': [{'name': 'g', 'solver': 'greedy'}]})[0]\n"
        "row = run_task(Task(GeneratorSpec(villages=10, needs=60, seed=1), policy))\n"
        "assert not row['error'], row['error']\n"
        "before = gc.get_freeze_count()\n"
        "settle_heap()\n"
        "frozen = gc.get_freeze_count()\n"
        "later = [[i] for i in range(1000)]\n"
        "settle_heap()\n"
        "print(before, frozen, gc.get_freeze_count())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    before, frozen, after = map(int, done.stdout.split())
    assert before == 0
    assert frozen > 10_000
    assert after == frozen
