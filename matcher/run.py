"""The one orchestration: scenario → travel times → problem → solver → evaluator → reports → plan.

The CLI and the API both call :func:`solve_scenario`; nothing else ties these steps together.
``time_limit`` bounds the whole run from ``started`` (the moment the caller began, e.g. before
reading the scenario), not only the solver's search.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from matcher import __version__
from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.intake.loading import scenario_sha256
from matcher.plan import Plan, ScenarioRef, SolverInfo
from matcher.problem.arrays import Problem
from matcher.problem.assemble import plan_to_solution, solution_to_plan
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Progress, SolveParams, SolveResult
from matcher.reports import build_reports
from matcher.scenario import Scenario
from solvers import REPLANNING_SOLVERS, SOLVERS, UnknownSolver, get_solver

# Seconds kept back from the solver for evaluation, reports and writing, per 1,000 needs;
# measured on generated counties (evaluation and reports run at about 0.1 s per 1,000 needs).
_RESERVE_PER_1000_NEEDS = 0.25
_MIN_RESERVE = 0.5


@dataclass(frozen=True)
class RunResult:
    """Everything one solve produced: the plan and the figures behind it."""

    plan: Plan
    evaluation: Evaluation
    result: SolveResult
    problem: Problem
    index: ScenarioIndex


def gap(objective: float, bound: float | None) -> float | None:
    """(bound - objective) / max(1, |bound|), DESIGN §6."""
    if bound is None:
        return None
    return max(0.0, (bound - objective) / max(1.0, abs(bound)))


def fix_pricing_budget(time_limit: float | None) -> float:
    """Seconds of the time limit kept for pricing the plan's resources (blind-spot fixes)."""
    if time_limit is None:
        return 60.0
    return max(0.5, min(15.0, 0.1 * time_limit))


def solver_budget(time_limit: float | None, started: float, n_needs: int) -> float | None:
    """Seconds the solver may search so that the whole run ends near ``time_limit``."""
    if time_limit is None:
        return None
    reserve = max(_MIN_RESERVE, _RESERVE_PER_1000_NEEDS * n_needs / 1000)
    return max(0.05, time_limit - (time.monotonic() - started) - reserve)


def finish_plan(
    index: ScenarioIndex, problem: Problem, result: SolveResult, seconds: float
) -> tuple[Plan, Evaluation]:
    """Evaluate a raw solution and attach the evaluator's figures and the reports."""
    scenario = index.scenario
    info = SolverInfo(name=result.solver, status=result.status, seed=result.seed)
    plan = solution_to_plan(problem, result.solution, info, scenario.policy)
    evaluation = evaluate(index, plan)
    status = result.status
    if evaluation.violations and status in ("optimal", "feasible", "stopped"):
        status = "error"  # never present a rule-breaking plan as a good one
    objective = evaluation.objective
    stats = dict(result.stats)
    bound = result.bound
    if bound is not None and bound < objective - 1e-6 * max(1.0, abs(objective)):
        # A "bound" below a plan the evaluator accepts is no bound: report none, keep the trace.
        stats["bound_discarded"] = bound
        bound = None
    elif bound is not None:
        bound = max(bound, objective)  # float noise on an optimal plan
    plan.solver = SolverInfo(
        name=result.solver,
        status=status,
        objective=objective,
        bound=bound,
        gap=gap(objective, bound),
        seconds=round(seconds, 3),
        seed=result.seed,
        version=__version__,
        stats=stats,
    )
    plan.scenario = ScenarioRef(name=scenario.name, sha256=scenario_sha256(scenario))
    plan.unmet = list(evaluation.unmet)
    plan.kpis = evaluation.kpis
    plan.violations = [v.to_dict() for v in evaluation.violations]
    plan.reports = build_reports(index, plan, evaluation)
    return plan, evaluation


@dataclass(frozen=True)
class FixOptions:
    """Blind-spot fixes of a run: whether to price and rank them (LP dual prices, within the
    time limit), and how many of the largest unmet groups to confirm by re-solving with their
    top fix applied (``confirm_seconds`` each, beyond the time limit)."""

    rank: bool = False
    confirm: int = 0
    confirm_seconds: float = 10.0


def check_options(solver: str, *, previous: bool, max_changes: int | None) -> None:
    """Refuse, before any work, a solve that no solver could run as asked: an unknown solver,
    or a change limit without a previous plan, with a solver that cannot keep one, or below 0.
    The CLI and :func:`solve_scenario` both ask here; raises :class:`ValueError`."""
    if solver not in SOLVERS:
        raise UnknownSolver(f"unknown solver {solver!r}; choose one of {', '.join(SOLVERS)}")
    if max_changes is None:
        return
    if not previous:
        raise ValueError("max_changes (--max-changes) needs a previous plan (--from PLAN.json)")
    if solver not in REPLANNING_SOLVERS:
        raise ValueError(
            f"solver {solver!r} cannot limit changes (--max-changes); use one of "
            f"{', '.join(sorted(REPLANNING_SOLVERS))}"
        )
    if max_changes < 0:
        raise ValueError("max_changes (--max-changes) must be 0 or more")


def solve_scenario(
    scenario: Scenario | ScenarioIndex,
    *,
    solver: str = "auto",
    time_limit: float | None = 30.0,
    seed: int = 0,
    workers: int = 2,
    on_progress: Callable[[Progress], None] | None = None,
    stop: threading.Event | None = None,
    started: float | None = None,
    previous: Plan | None = None,
    max_changes: int | None = None,
    rounds: int | None = None,
    fixes: FixOptions = FixOptions(),
) -> RunResult:
    """Solve a validated scenario with a named solver and return the evaluated plan.

    Pass a :class:`ScenarioIndex` to reuse its travel times and compiled problem across solves
    of the same scenario (``matcher compare``). ``previous`` (a plan of an earlier run) is the
    start of re-planning; ``max_changes`` limits how many assignments and pairings may differ
    from it (solvers ``auto`` and ``highs``). ``rounds`` bounds ``auto``'s search by work rather
    than time, for plans that repeat exactly on any machine. ``fixes`` says whether to price the
    plan's resources and attach ranked blind-spot fixes to its report (within the time limit)
    and how many to confirm by re-solving (:class:`FixOptions`)."""
    check_options(solver, previous=previous is not None, max_changes=max_changes)
    started = time.monotonic() if started is None else started
    index = scenario if isinstance(scenario, ScenarioIndex) else ScenarioIndex.build(scenario)
    problem = index.problem
    hint, notes = (None, []) if previous is None else plan_to_solution(problem, previous)
    price_seconds = fix_pricing_budget(time_limit) if fixes.rank else 0.0
    budget = None if time_limit is None else time_limit - price_seconds
    params = SolveParams(
        time_limit=solver_budget(budget, started, problem.n_needs),
        seed=seed,
        workers=workers,
        on_progress=on_progress,
        stop=stop,
        hint=hint,
        max_changes=max_changes,
        rounds=rounds,
    )
    result = get_solver(solver).solve(problem, params)
    if hint is not None:
        result.stats["changes_from_previous"] = result.solution.changes_from(hint)
        result.stats["previous_plan_dropped"] = len(notes)
    plan, evaluation = finish_plan(index, problem, result, time.monotonic() - started)
    if fixes.rank and plan.solver.status in ("optimal", "feasible", "stopped"):
        from matcher.advice.confirm import add_fixes  # advise re-solves through this module

        add_fixes(
            index,
            plan,
            evaluation,
            result.solution,
            price_seconds=price_seconds or None,
            confirm=fixes.confirm,
            confirm_seconds=fixes.confirm_seconds,
            solver=solver,
            seed=seed,
            workers=workers,
            stop=stop,
        )
    return RunResult(plan, evaluation, result, problem, index)
