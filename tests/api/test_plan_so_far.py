"""The plan so far follows the solver's best: improvements offered while a job runs replace
the first plan, throttled, never with a worse or rule-breaking plan."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

import api.plan_so_far as plan_so_far
from api.plan_so_far import PlanSoFar, improved_plan
from api.store import Claim
from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Progress, Solution, SolveParams
from matcher.run import solve_scenario
from solvers import get_solver


class _Store:
    """Records what a worker would write as the plan so far."""

    def __init__(self) -> None:
        self.plans: list[Plan] = []
        self.written = threading.Event()

    def record_plan_so_far(self, job_id: str, attempt: int, text: str) -> bool:
        self.plans.append(Plan.model_validate_json(text))
        self.written.set()
        return True


@pytest.fixture(scope="module")
def county() -> ScenarioIndex:
    raw = generate_scenario(villages=15, needs=300, seed=4)
    return ScenarioIndex.build(parse_scenario(raw).scenario)


def _claim(solver: str = "auto") -> Claim:
    return Claim(id="J1", attempt=1, scenario_json="{}", solver=solver, time_limit=30, seed=0)


def _wait_for(store: _Store, count: int, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while len(store.plans) < count and time.monotonic() < deadline:
        store.written.wait(0.05)
        store.written.clear()


def test_a_better_offer_replaces_the_first_plan(
    county: ScenarioIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Greedy's plan first; then auto's better solution, offered as progress, is stored as the
    plan so far with the evaluator's (higher) objective and the job's solver's name."""
    monkeypatch.setattr(plan_so_far, "REFRESH_SECONDS", 0.05)
    best = solve_scenario(county, solver="auto", time_limit=5, rounds=2).result
    store = _Store()
    with PlanSoFar(store, _claim(), county, time.monotonic()) as so_far:  # type: ignore[arg-type]
        _wait_for(store, 1)
        so_far.offer(
            Progress(1.0, best.claimed_objective or 0.0, best.bound, "lns", lambda: best.solution)
        )
        _wait_for(store, 2)
    assert len(store.plans) == 2, "the improvement was never stored"
    first, second = store.plans
    assert first.solver.name == "greedy" and second.solver.name == "auto"
    assert second.solver.objective is not None and first.solver.objective is not None
    assert second.solver.objective > first.solver.objective
    assert (second.solver.stats or {}).get("provisional") is True
    assert not second.violations


def test_a_worse_offer_is_not_stored(
    county: ScenarioIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An offered plan no better than the stored one (here: serving nothing) leaves it."""
    monkeypatch.setattr(plan_so_far, "REFRESH_SECONDS", 0.05)
    empty = Solution.empty(county.problem.n_needs)
    store = _Store()
    with PlanSoFar(store, _claim(), county, time.monotonic()) as so_far:  # type: ignore[arg-type]
        _wait_for(store, 1)
        so_far.offer(
            Progress(1.0, 1e12, None, "claims much", lambda: empty)
        )  # a claim, not the truth
        time.sleep(1.0)
    assert len(store.plans) == 1 and store.plans[0].solver.name == "greedy"


def test_offers_without_a_plan_are_ignored(county: ScenarioIndex) -> None:
    """Progress from a solver that hands out no solution makes no plan."""
    event = Progress(1.0, 5.0, None, "figures only")
    assert improved_plan(county, "cpsat", 0, event, 1.0) is None
    greedy = get_solver("greedy").solve(county.problem, SolveParams(time_limit=None))
    made = improved_plan(
        county, "cpsat", 0, Progress(1.0, 5.0, None, "x", lambda: greedy.solution), 1.0
    )
    assert made is not None and made.solver.name == "cpsat"


def test_a_rule_breaking_offer_is_never_shown(county: ScenarioIndex) -> None:
    """Every need with a provider in reach given to its nearest one, unfunded: hours and money
    rules break, and no plan is made of it."""
    problem = county.problem
    starts, ends = problem.need_arc_start[:-1], problem.need_arc_start[1:]
    nearest = np.where(
        ends > starts, problem.arc_provider[np.minimum(starts, len(problem.arc_provider) - 1)], -1
    )
    nearest[problem.need_blocked] = -1
    overloaded = Solution(nearest.astype(np.int64))
    made = improved_plan(
        county, "auto", 0, Progress(1.0, 1.0, None, "bad", lambda: overloaded), 1.0
    )
    assert made is None


def test_auto_hands_out_each_improvement(county: ScenarioIndex) -> None:
    """auto's progress events carry their plan: the last one's solution scores what the event
    says, and a plan made of it keeps every rule."""
    from matcher.problem.score import score

    events: list[Progress] = []
    get_solver("auto").solve(
        county.problem, SolveParams(time_limit=5, rounds=2, on_progress=events.append)
    )
    offered = [e for e in events if e.solution_of is not None]
    assert offered, "auto reported no plan"
    last = offered[-1]
    assert last.solution_of is not None
    solution = last.solution_of()
    assert abs(score(county.problem, solution) - last.objective) < 1e-3 * max(1.0, last.objective)
    assert improved_plan(county, "auto", 0, last, 5.0) is not None
