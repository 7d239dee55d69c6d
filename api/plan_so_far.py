"""The plan so far of a running job: what ``GET /v1/plans/{id}`` answers as ``plan`` while the
job runs, so that a caller never has to wait for the end to see a plan that keeps every rule.

First the worker makes the job's first plan on its own with matcher's functions: the greedy
plan, the one ``auto`` starts from (for a ``siloed`` job siloed's own plan, since the status quo
must never be shown as the county planning together). Then, as the solver reports improved
plans (:class:`matcher.problem.solution.Progress` with its ``solution_of``), the best so far
replaces it — not at every improvement: a plan of 50,000 needs takes a second or two to
evaluate and report, so a new one is made at most every :data:`REFRESH_SECONDS` or four times
its last build, whichever is longer, and only when it is better than the one stored.

Every plan so far is evaluated and has its reports as :func:`matcher.run.finish_plan` makes any
plan (no fixes), is built on a thread of its own while the solver searches, is written to the
store fenced by the attempt (like progress) and only if the evaluator finds no broken rule.
The final plan replaces it; a job given back to the queue loses it.

Its ``solver`` line says who made it (``greedy``, or the job's solver for a later one), its
objective is the evaluator's, and ``solver.stats.provisional`` is true.
"""

from __future__ import annotations

import logging
import threading
import time

from api.store import Claim, JobStore
from matcher.plan import Plan, plan_to_json
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Progress, SolveParams, SolveResult
from matcher.run import finish_plan
from solvers import get_solver

log = logging.getLogger("matcher.api.worker")

FIRST_PLAN_SOLVER: dict[str, str] = {"siloed": "siloed"}
"""The solver of a job's first plan, by the job's solver; ``greedy`` for any other."""

REFRESH_SECONDS = 5.0
"""The least time between two stored plans so far of one job."""


def first_plan(index: ScenarioIndex, solver: str, seed: int, seconds: float = 0.0) -> Plan | None:
    """The first plan of a job solved by ``solver``, evaluated and with its reports, or None
    when it breaks a rule (a rule-breaking plan is never shown as the plan so far).
    ``seconds``: the job's time before this plan was started, added to its ``seconds``."""
    started = time.monotonic()
    name = FIRST_PLAN_SOLVER.get(solver, "greedy")
    result = get_solver(name).solve(index.problem, SolveParams(time_limit=None, seed=seed))
    plan, evaluation = finish_plan(
        index, index.problem, result, seconds + time.monotonic() - started
    )
    return _provisional(plan, evaluation.violations)


def improved_plan(
    index: ScenarioIndex, solver: str, seed: int, event: Progress, seconds: float
) -> Plan | None:
    """The plan of a solver's reported improvement (``event.solution_of``), evaluated and with its
    reports, or None when it has no solution or breaks a rule. ``seconds``: the job's time."""
    if event.solution_of is None:
        return None
    result = SolveResult(
        solver=solver,
        status="feasible",
        stats={},
        solution=event.solution_of(),
        seconds=event.seconds,
        seed=seed,
        bound=event.bound,
        claimed_objective=event.objective,
    )
    plan, evaluation = finish_plan(index, index.problem, result, seconds)
    return _provisional(plan, evaluation.violations)


def _provisional(plan: Plan, violations: object) -> Plan | None:
    """The plan marked as provisional, or None when the evaluator found a broken rule."""
    if violations:
        return None
    plan.solver.stats = {**(plan.solver.stats or {}), "provisional": True}
    return plan


class PlanSoFar:
    """Makes and stores a claimed job's plans so far on a daemon thread while the job solves:
    the first plan, then the solver's best so far (:meth:`offer`) now and then.

    Leaving the block does not wait for the thread: the store refuses the write once the job
    has ended or been given back (:meth:`JobStore.record_plan_so_far` is fenced by the attempt),
    and the thread then only notes that it came too late."""

    def __init__(self, store: JobStore, claim: Claim, index: ScenarioIndex, started: float) -> None:
        self.store = store
        self.claim = claim
        self.index = index
        self.started = started
        self._over = threading.Event()
        self._offered = threading.Event()
        self._lock = threading.Lock()
        self._best: Progress | None = None  # the best improvement offered and not yet built
        self._stored: float | None = None  # the evaluator's objective of the plan stored last
        self._thread = threading.Thread(
            target=self._run, name=f"plan-so-far-{claim.id}", daemon=True
        )

    def __enter__(self) -> PlanSoFar:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._over.set()
        self._offered.set()

    def offer(self, event: Progress) -> None:
        """A solver's progress event: kept when it carries a plan better than those offered
        (the thread builds the latest when its turn comes). Cheap: called on the solver's
        thread."""
        if event.solution_of is None:
            return
        with self._lock:
            if self._best is None or event.objective > self._best.objective:
                self._best = event
        self._offered.set()

    def _store(self, plan: Plan | None) -> bool:
        """Store a plan so far; False when the job is over (nothing more to do)."""
        if self._over.is_set():
            return False
        if plan is not None and plan.solver.objective is not None:
            if self._stored is not None and plan.solver.objective <= self._stored:
                return True  # no better than the one stored
            if not self.store.record_plan_so_far(
                self.claim.id, self.claim.attempt, plan_to_json(plan)
            ):
                return False
            self._stored = plan.solver.objective
        return True

    def _run(self) -> None:
        claim = self.claim
        try:
            built = time.monotonic()
            plan = first_plan(self.index, claim.solver, claim.seed, time.monotonic() - self.started)
            wait = max(REFRESH_SECONDS, 4 * (time.monotonic() - built))
            if not self._store(plan):
                return
            while not self._over.wait(wait):
                self._offered.wait()
                with self._lock:
                    event, self._best = self._best, None
                    self._offered.clear()
                if event is None:
                    continue
                built = time.monotonic()
                plan = improved_plan(
                    self.index, claim.solver, claim.seed, event, time.monotonic() - self.started
                )
                wait = max(REFRESH_SECONDS, 4 * (time.monotonic() - built))
                if not self._store(plan):
                    return
        except Exception as error:  # the job goes on without a plan so far
            # The message may quote scenario values: the type only.
            log.warning("job %s: no plan so far (%s)", claim.id, type(error).__name__)
