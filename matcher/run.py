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
from matcher.advice.confirm import Resolve, blind_spot_fixes
from matcher.budget import (
    Budget,
    after_search_seconds,
    fix_pricing_budget,
    fix_sizing_seconds,
    read_prices_seconds,
    schedule_seconds,
    writing_seconds,
)
from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.evaluate.unmet import prepare_unmet
from matcher.intake.loading import scenario_sha256
from matcher.plan import Plan, PlanStatus, ScenarioRef, SolverInfo
from matcher.problem.arrays import Problem
from matcher.problem.assemble import plan_to_solution, solution_to_plan
from matcher.problem.days import scheduled
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Progress, ResourcePrices, Solution, SolveParams, SolveResult
from matcher.reports import build_reports
from matcher.reports.duplicate_aid import ledger_part
from matcher.reports.shapes import PlanReports
from matcher.scenario import Scenario
from matcher.schedule.planner import Schedule
from solvers import REPLANNING_SOLVERS, SOLVERS, UnknownSolver, get_solver


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


def _status(result: SolveResult, evaluation: Evaluation) -> PlanStatus:
    if evaluation.violations and result.status in ("optimal", "feasible", "stopped"):
        return "error"  # never present a rule-breaking plan as a good one
    return result.status


def _solver_info(result: SolveResult, evaluation: Evaluation, seconds: float) -> SolverInfo:
    """The solver's line of the plan, with the evaluator's objective and a bound that is one."""
    objective = evaluation.objective
    stats = dict(result.stats)
    bound = result.bound
    if bound is not None and bound < objective - 1e-6 * max(1.0, abs(objective)):
        # A "bound" below a plan the evaluator accepts is no bound: report none, keep the trace.
        stats["bound_discarded"] = bound
        bound = None
    elif bound is not None:
        bound = max(bound, objective)  # float noise on an optimal plan
    return SolverInfo(
        name=result.solver,
        status=_status(result, evaluation),
        objective=objective,
        bound=bound,
        gap=gap(objective, bound),
        seconds=round(seconds, 3),
        seed=result.seed,
        version=__version__,
        stats=stats,
    )


def decisions_of(
    index: ScenarioIndex,
    problem: Problem,
    result: SolveResult,
    schedule: Schedule | None = None,
) -> tuple[Plan, Evaluation]:
    """A raw solution as a plan of its decisions only (pairings, assignments, duplicate
    services, and with ``schedule`` their days and routes), and the evaluator's judgement of
    it: what reports and fixes are made from."""
    info = SolverInfo(name=result.solver, status=result.status, seed=result.seed)
    policy = index.scenario.policy
    decisions = solution_to_plan(
        problem, result.solution, info, policy, index=index, schedule=schedule
    )
    return decisions, evaluate(index, decisions)


def sha256_of(index: ScenarioIndex) -> str:
    """The scenario's canonical SHA-256, hashed once per index."""
    return index.memo("scenario.sha256", lambda: scenario_sha256(index.scenario))


def prepare_after_search(index: ScenarioIndex) -> None:
    """Do before the search what the plan will need and the scenario alone decides: its hash,
    the needs no plan could serve and why, the ledger's duplicate groups. A stop then waits
    only for the plan's own part (at 50,000 needs: about 1 s instead of 5 s)."""
    sha256_of(index)
    prepare_unmet(index)
    ledger_part(index)


def assemble_plan(
    index: ScenarioIndex,
    decisions: Plan,
    evaluation: Evaluation,
    reports: PlanReports,
    solver: SolverInfo,
) -> Plan:
    """The plan, built once from its parts: the decisions, the evaluator's unmet needs, KPIs
    and violations, the reports (with any fixes) and the solver's line."""
    scenario = index.scenario
    return Plan(
        scenario=ScenarioRef(name=scenario.name, sha256=sha256_of(index)),
        solver=solver,
        pairings=decisions.pairings,
        assignments=decisions.assignments,
        unmet=list(evaluation.unmet),
        kpis=evaluation.kpis,
        reports=reports,
        duplicate_services=decisions.duplicate_services,
        violations=[v.to_dict() for v in evaluation.violations],
        **({} if decisions.schedule is None else {"schedule": decisions.schedule}),
    )


def finish_plan(
    index: ScenarioIndex, problem: Problem, result: SolveResult, seconds: float
) -> tuple[Plan, Evaluation]:
    """The evaluated plan of a raw solution with its reports (no fixes): what
    :func:`solve_scenario` does after the search, for callers that solved by other means
    (with its days first when ``policy.schedule`` is on)."""
    result, schedule = scheduled(index, result)
    decisions, evaluation = decisions_of(index, problem, result, schedule)
    reports = build_reports(index, decisions, evaluation)
    info = _solver_info(result, evaluation, seconds)
    return assemble_plan(index, decisions, evaluation, reports, info), evaluation


def resolver(solver: str, seed: int = 0, workers: int = 2) -> Resolve:
    """A re-solve with ``solver`` for confirming fixes: from a starting plan, within so many
    seconds, the evaluated plan."""

    def resolve(index: ScenarioIndex, start: Plan, seconds: float) -> Plan:
        return solve_scenario(
            index, solver=solver, time_limit=seconds, seed=seed, workers=workers, previous=start
        ).plan

    return resolve


def with_fixes(
    index: ScenarioIndex,
    plan: Plan,
    evaluation: Evaluation,
    reports: PlanReports,
    *,
    fixes: FixOptions,
    solution: Solution | None = None,
    price_seconds: float | None = None,
    solver: str = "auto",
    seed: int = 0,
    workers: int = 2,
    stop: threading.Event | None = None,
    deadline: float | None = None,
    solved: ResourcePrices | None = None,
) -> PlanReports:
    """``reports`` with ranked blind-spot fixes priced in ``price_seconds`` (or read from
    ``solved``, the LP the solver solved) and sized until the ``time.monotonic()``
    ``deadline`` (and the top ones confirmed by ``solver``) when ``fixes.rank``; the same
    reports otherwise."""
    blind = reports.get("blind_spots")
    if not fixes.rank or blind is None:
        return reports
    fixed = blind_spot_fixes(
        index,
        plan,
        evaluation,
        blind,
        solution=solution,
        price_seconds=price_seconds,
        confirm=fixes.confirm,
        confirm_seconds=fixes.confirm_seconds,
        resolve=resolver(solver, seed, workers),
        solver=solver,
        stop=stop,
        deadline=deadline,
        solved=solved,
    )
    return {**reports, "blind_spots": fixed}


def report_plan(
    index: ScenarioIndex,
    plan: Plan,
    evaluation: Evaluation,
    *,
    fixes: FixOptions,
    solver: str = "auto",
) -> Plan:
    """A plan read from a file, with its unmet needs and reports (and fixes) recomputed from
    its ``evaluation``: a new plan, ``plan`` is left as it is (``matcher report``)."""
    reports = build_reports(index, plan, evaluation)
    reports = with_fixes(
        index, plan, evaluation, reports, fixes=fixes, price_seconds=10.0, solver=solver
    )
    return plan.model_copy(update={"unmet": list(evaluation.unmet), "reports": reports})


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


def _why_no_fixes(
    budget: Budget, fix_seconds: float, n_needs: int, html: bool, stop: threading.Event | None
) -> str | None:
    """Why ranking fixes must not start now, or None when it may: the run was asked to stop,
    or pricing and sizing them would take it past its time limit."""
    if stop is not None and stop.is_set():
        return "the run was stopped before its fixes were ranked"
    still = fix_seconds + writing_seconds(n_needs, html=html)
    if budget.fits(still):
        return None
    left = max(0.0, budget.left() or 0.0)
    return (
        f"ranking the fixes takes about {fix_seconds:.1f} s here and the time limit left "
        f"{left:.1f} s; `matcher report` ranks them without a limit"
    )


def _without_fixes(reports: PlanReports, why: str) -> PlanReports:
    """The reports with a note in the blind-spot report of why it has no fixes."""
    blind = reports.get("blind_spots")
    if blind is None:
        return reports
    return {**reports, "blind_spots": {**blind, "fixes_skipped": why}}


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
    register_changes: bool = False,
    rounds: int | None = None,
    fixes: FixOptions = FixOptions(),
    html: bool = False,
) -> RunResult:
    """Solve a validated scenario with a named solver and return the evaluated plan.

    Pass a :class:`ScenarioIndex` to reuse its travel times and compiled problem across solves
    of the same scenario (``matcher compare``). ``previous`` (a plan of an earlier run) is the
    start of re-planning; ``max_changes`` limits how many assignments and pairings may differ
    from it (solvers ``auto`` and ``highs``); with ``register_changes=True`` only assignments
    of ``previous`` moved or dropped count (re-plans from the register, DESIGN §10).
    ``rounds`` bounds ``auto``'s search by work rather than time, for plans that repeat
    exactly on any machine.
    ``fixes`` says whether to price the plan's resources and attach ranked blind-spot fixes to
    its report (within the time limit) and how many to confirm by re-solving
    (:class:`FixOptions`). ``html``: the caller will also render the HTML report, whose time
    the limit must hold too (:mod:`matcher.budget`)."""
    check_options(solver, previous=previous is not None, max_changes=max_changes)
    started = time.monotonic() if started is None else started
    stages = _Stages(started)
    stages.end("read")  # the command's start (imports, reading the file) to here
    index = scenario if isinstance(scenario, ScenarioIndex) else ScenarioIndex.build(scenario)
    problem = index.problem
    hint, notes = (None, []) if previous is None else plan_to_solution(problem, previous)
    prepare_after_search(index)
    stages.end("compile")
    budget = Budget(started, time_limit)
    # auto solves the LP the fixes are priced with (unless a change limit alters its model):
    # reading its duals takes a fraction of the second solve a tenth of the limit was kept for.
    prices_from_solver = solver == "auto" and max_changes is None
    price_seconds = 0.0
    if fixes.rank:
        price_seconds = (
            read_prices_seconds(problem.n_needs)
            if prices_from_solver
            else fix_pricing_budget(time_limit)
        )
    fix_seconds = price_seconds + fix_sizing_seconds(problem.n_needs) if fixes.rank else 0.0
    after = after_search_seconds(problem.n_needs, html=html)
    days = schedule_seconds(problem.n_needs) if index.scenario.policy.schedule else 0.0
    params = SolveParams(
        time_limit=budget.for_search(days + after + fix_seconds),
        seed=seed,
        workers=workers,
        on_progress=on_progress,
        stop=stop,
        hint=hint,
        max_changes=max_changes,
        register_changes=register_changes,
        rounds=rounds,
    )
    result = get_solver(solver).solve(problem, params)
    stages.end("search")
    if hint is not None:
        result.stats["changes_from_previous"] = result.solution.changes_from(
            hint, register=register_changes
        )
        result.stats["previous_plan_dropped"] = len(notes)
    result, schedule = scheduled(index, result, deadline=budget.ends_before(after + fix_seconds))
    stages.end("schedule")
    decisions, evaluation = decisions_of(index, problem, result, schedule)
    stages.end("evaluate")
    reports = build_reports(index, decisions, evaluation)
    stages.end("reports")
    if fixes.rank and prices_from_solver and result.lp_prices is None:
        # The search ended before its LP: pricing needs a solve of its own after all.
        price_seconds = fix_pricing_budget(time_limit)
        fix_seconds = price_seconds + fix_sizing_seconds(problem.n_needs)
    if fixes.rank and _status(result, evaluation) in ("optimal", "feasible", "stopped"):
        skipped = _why_no_fixes(budget, fix_seconds, problem.n_needs, html, stop)
        reports = (
            with_fixes(
                index,
                decisions,
                evaluation,
                reports,
                fixes=fixes,
                solution=result.solution,
                price_seconds=price_seconds or None,
                solver=solver,
                seed=seed,
                workers=workers,
                stop=stop,
                deadline=budget.ends_before(writing_seconds(problem.n_needs, html=html)),
                solved=result.lp_prices,
            )
            if skipped is None
            else _without_fixes(reports, skipped)
        )
    stages.end("fixes")
    result.stats.update(stages.seconds)
    info = _solver_info(result, evaluation, time.monotonic() - started)
    plan = assemble_plan(index, decisions, evaluation, reports, info)
    return RunResult(plan, evaluation, result, problem, index)


class _Stages:
    """Seconds of each stage of a run, for the plan's ``solver.stats`` (``stage_read_s``,
    ``stage_compile_s``, ``stage_search_s``...): where a time limit went, measured on every
    run, so that an overrun names its stage."""

    def __init__(self, started: float) -> None:
        self.last = started
        self.seconds: dict[str, float | int | str] = {}

    def end(self, stage: str) -> None:
        """The stage that began at the previous call (or the start) ends now."""
        now = time.monotonic()
        self.seconds[f"stage_{stage}_s"] = round(now - self.last, 3)
        self.last = now
