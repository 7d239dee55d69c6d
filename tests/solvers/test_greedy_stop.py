"""A stop reaches greedy's construction: it ends with the moves made so far, a smaller plan
that keeps every rule, and says it was stopped."""

from __future__ import annotations

import threading

from matcher.evaluate.evaluator import evaluate
from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import SolveParams
from matcher.run import finish_plan
from solvers import get_solver


def test_a_stop_before_the_first_move_gives_an_empty_plan_that_keeps_the_rules() -> None:
    index = ScenarioIndex.build(
        parse_scenario(generate_scenario(villages=20, needs=600, seed=8)).scenario
    )
    stop = threading.Event()
    stop.set()
    stopped = get_solver("greedy").solve(index.problem, SolveParams(time_limit=None, stop=stop))
    whole = get_solver("greedy").solve(index.problem, SolveParams(time_limit=None))
    assert stopped.status == "stopped" and whole.status == "feasible"
    assert int((stopped.solution.need_provider >= 0).sum()) == 0
    assert int((whole.solution.need_provider >= 0).sum()) > 100
    plan, evaluation = finish_plan(index, index.problem, stopped, 0.1)
    assert evaluation.violations == () and plan.solver.status == "stopped"
    assert evaluate(index, plan).feasible
