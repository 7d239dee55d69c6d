"""Running one task of a sweep where it lands (a local process or a Dask worker).

The sweep's orchestration module: the only one of :mod:`matcher.sweep` that reaches the
solvers, through :func:`matcher.run.solve_scenario`.
"""

from __future__ import annotations

import gc
import time
from typing import Any

from matcher.plan import plan_to_json
from matcher.run import solve_scenario
from matcher.sweep.policies import Policy
from matcher.sweep.rows import PLAN_FIELD, error_row, plan_row
from matcher.sweep.tasks import DataSource, Task, build_scenario

_heap_settled = False


def settle_heap() -> None:
    """Once per worker process, before its first run: collect, then move every object alive now
    (imported modules, the executor's own state) out of the cycle collector's sight
    (``gc.freeze``). A full collection otherwise walks them all, about three times per
    5,000-need greedy solve: about 68,000 objects in a plain process, more in a Dask worker;
    freezing them halves the collections' time and saves 9-10% of the solve's CPU
    (``benchmarks/worker_costs.py``). For worker processes only, whose objects alive now live
    as long as they do: never the caller's."""
    global _heap_settled
    if not _heap_settled:
        _heap_settled = True
        gc.collect()
        gc.freeze()


def run_task(task: Task, threads: int = 1, keep_plan: bool = False) -> dict[str, Any]:
    """Build the task's scenario, solve it under its policy and return one flat row.

    The policy's time limit bounds the solve from the travel times to the reports, as in
    ``matcher solve``; building the scenario (reading or generating it) comes before it and
    counts in the row's ``seconds`` only. Blind-spot fixes are not priced (``fixes=False``).
    Any exception gives the same row with status ``error`` and the error's type and message.
    With ``keep_plan`` the plan's JSON text comes back under :data:`PLAN_FIELD`."""
    started = time.monotonic()
    try:
        scenario, warnings = build_scenario(task)
        policy = task.policy
        run = solve_scenario(
            scenario,
            solver=policy.solver,
            time_limit=policy.time_limit,
            seed=task.seed,
            workers=threads,
            rounds=policy.rounds,
        )
        row = plan_row(
            task, run.plan, threads=threads, seconds=time.monotonic() - started, warnings=warnings
        )
        if keep_plan:
            row[PLAN_FIELD] = plan_to_json(run.plan)
        return row
    except Exception as error:  # a failed run is a row, never a crash of the sweep
        return error_row(task, error, threads=threads, seconds=time.monotonic() - started)


def run_worker_task(task: Task, threads: int = 1, keep_plan: bool = False) -> dict[str, Any]:
    """:func:`run_task` on a Dask worker, whose heap is settled first (:func:`settle_heap`)."""
    settle_heap()
    return run_task(task, threads, keep_plan)


def run_data_task(
    label: str, data: dict[str, Any], policy: Policy, threads: int = 1, keep_plan: bool = False
) -> dict[str, Any]:
    """:func:`run_worker_task` of a scenario sent as data (a Dask worker gets a file's content
    once per file, scattered, and runs each policy on it)."""
    return run_worker_task(Task(DataSource(label, data), policy), threads, keep_plan)
