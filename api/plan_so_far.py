"""The plan so far of a running job: what ``GET /v1/plans/{id}`` answers as ``plan`` while the
job runs, so that a caller never has to wait for the end to see a plan that keeps every rule.

Solvers report each improved plan's figures (:class:`matcher.problem.solution.Progress`:
objective, bound, seconds) but not the plan itself, so the worker makes the job's first plan on
its own with matcher's functions: the greedy plan, the one ``auto`` starts from (for a
``siloed`` job siloed's own plan, since the status quo must never be shown as the county
planning together), evaluated and with its reports as :func:`matcher.run.finish_plan` makes
any plan (no fixes). It is built on a thread of its own while the solver searches, written once
to the store (fenced by the attempt, like progress) and only if the evaluator finds no broken
rule. The final plan replaces it; a job given back to the queue loses it.

Its ``solver`` line says who made it (``greedy``), its objective is the evaluator's, and
``solver.stats.provisional`` is true.
"""

from __future__ import annotations

import logging
import threading
import time

from api.store import Claim, JobStore
from matcher.plan import Plan, plan_to_json
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import SolveParams
from matcher.run import finish_plan
from solvers import get_solver

log = logging.getLogger("matcher.api.worker")

FIRST_PLAN_SOLVER: dict[str, str] = {"siloed": "siloed"}
"""The solver of a job's first plan, by the job's solver; ``greedy`` for any other."""


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
    if evaluation.violations:
        return None
    plan.solver.stats = {**(plan.solver.stats or {}), "provisional": True}
    return plan


class PlanSoFar:
    """Makes and stores a claimed job's first plan on a daemon thread while the job solves.

    Leaving the block does not wait for the thread: the store refuses the write once the job
    has ended or been given back (:meth:`JobStore.record_plan_so_far` is fenced by the attempt),
    and the thread then only notes that it came too late."""

    def __init__(self, store: JobStore, claim: Claim, index: ScenarioIndex, started: float) -> None:
        self.store = store
        self.claim = claim
        self.index = index
        self.started = started
        self._over = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"plan-so-far-{claim.id}", daemon=True
        )

    def __enter__(self) -> PlanSoFar:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._over.set()

    def _run(self) -> None:
        claim = self.claim
        try:
            plan = first_plan(self.index, claim.solver, claim.seed, time.monotonic() - self.started)
            if plan is None or self._over.is_set():
                return
            self.store.record_plan_so_far(claim.id, claim.attempt, plan_to_json(plan))
        except Exception as error:  # the job goes on without a plan so far
            # The message may quote scenario values: the type only.
            log.warning("job %s: no plan so far (%s)", claim.id, type(error).__name__)
