"""The full MIP with HiGHS (DESIGN §7: ``highs``), a peer to compare the other solvers against.

The whole :class:`~solvers.linear_model.LinearModel` goes to HiGHS's branch and cut, started from
the greedy plan (so it always has a plan to return). Improved plans are reported as progress
through HiGHS's improving-solution callback; a stop cancels the solve and keeps the best plan.
HiGHS's final point is rounded and checked row by row against the model; should it fail that
check (it never has), the greedy plan is returned instead.

The bound is HiGHS's dual bound plus a relative slack of ``BOUND_SLACK`` for its tolerances,
reported only when HiGHS found a point (it is then at least the LP relaxation's strength).
The time limit is passed to HiGHS and enforced by a watcher that cancels the solve at the
deadline, but HiGHS answers neither inside some phases (its root LP and start-point completion on
large models), so on a county the run can overrun its limit by several seconds; the seconds
reported are the true ones. HiGHS runs single-threaded: its branch and bound is sequential, and
one thread makes a run that ends by itself (optimal) repeatable for a seed.
"""

from __future__ import annotations

import math
import time

import highspy
import numpy as np

from matcher.problem.arrays import FloatArray, Problem
from matcher.problem.solution import Progress, Solution, SolveParams, SolveResult, Status
from solvers.greedy import build_greedy
from solvers.highs_backend import add_columns, add_rows, new_highs, run
from solvers.linear_model import ChangeLimit, build_linear_model
from solvers.lns import ACCEPT_TOLERANCE
from solvers.repair import keepable_limit, repair

BOUND_SLACK = 1e-6


class HighsSolver:
    """The whole model as one HiGHS MIP."""

    name = "highs"

    def solve(self, problem: Problem, params: SolveParams) -> SolveResult:
        """Solve within ``params.time_limit``; a stop keeps the best plan so far."""
        started = time.perf_counter()
        change = None
        if params.hint is not None and params.max_changes is not None:
            change = ChangeLimit(params.hint, int(params.max_changes), params.register_changes)
        model = build_linear_model(problem, change_limit=change)
        limited: dict[str, int | str] = {}
        previous = None if params.hint is None else repair(problem, model, params.hint)
        if params.hint is not None and change is not None:
            model, limited = keepable_limit(
                problem, model, params.hint, previous, change.limit, change.register
            )
        start: FloatArray | None = model.vector(
            problem, build_greedy(problem, params.stop).solution()
        )
        if start is not None and model.violation(start) > ACCEPT_TOLERANCE:
            start = None
        if previous is not None and (
            start is None or model.objective(previous) > model.objective(start)
        ):
            start = previous
        stats: dict[str, float | int | str] = {"columns": model.n_cols, "rows": model.n_rows}
        stats["bound_kind"] = "mip"  # HiGHS's branch-and-bound dual bound
        stats.update(limited)

        h = new_highs(seed=params.seed, threads=1)
        add_rows(h, model.row_lo, model.row_hi)
        add_columns(h, model.A, model.c, model.col_lo, model.col_hi, integral=model.integral)
        h.changeObjectiveOffset(model.offset)
        deadline = None
        if params.time_limit is not None:
            left = float(params.time_limit) - (time.perf_counter() - started)
            h.setOptionValue("time_limit", max(0.01, left))
            deadline = started + float(params.time_limit)
        if start is not None:
            hint = highspy.HighsSolution()
            hint.col_value = start.tolist()
            hint.value_valid = True
            h.setSolution(hint)
            if params.on_progress is not None:
                params.on_progress(
                    Progress(time.perf_counter() - started, model.objective(start), None, "start")
                )

        def improved(event: object) -> None:
            if params.on_progress is None:
                return
            data = event.data_out  # type: ignore[attr-defined]
            bound = float(data.mip_dual_bound)
            params.on_progress(
                Progress(
                    time.perf_counter() - started,
                    float(data.objective_function_value),
                    bound if math.isfinite(bound) else None,
                    "HiGHS improved plan",
                )
            )

        h.cbMipImprovingSolution.subscribe(improved)
        finished = run(h, params.stop, deadline)
        # Abandoned after a stop (HiGHS still ending in its thread): the start plan stands.
        code = h.getModelStatus() if finished else highspy.HighsModelStatus.kInterrupt
        info = h.getInfo() if finished else None
        stats["highs_status"] = h.modelStatusToString(code) if finished else "abandoned"
        stats["mip_nodes"] = int(info.mip_node_count) if info is not None else 0

        vector = None
        if info is not None and info.primal_solution_status == 2:
            vector = np.asarray(h.getSolution().col_value, dtype=np.float64)
            ints = model.integral
            vector[ints] = np.rint(vector[ints])
            model.complete(problem, vector)
            if model.violation(vector) > ACCEPT_TOLERANCE:
                stats["reason"] = "HiGHS's point failed the exact check; the start plan is kept"
                vector = None
        if vector is None or (
            start is not None and model.objective(start) > model.objective(vector)
        ):
            vector = start
        stopped = params.stop is not None and params.stop.is_set()
        if code == highspy.HighsModelStatus.kInfeasible:
            status: Status = "infeasible"
        elif vector is None:
            status = "stopped" if stopped else "error"
        elif stopped:
            status = "stopped"
        elif code == highspy.HighsModelStatus.kOptimal:
            status = "optimal"
        else:
            status = "feasible"
        bound = None
        raw = float(info.mip_dual_bound) if info is not None else math.inf
        if (
            vector is not None
            and info is not None
            and info.primal_solution_status == 2
            and math.isfinite(raw)
        ):
            bound = raw + BOUND_SLACK * max(1.0, abs(raw))
        solution = Solution.empty(problem.n_needs)
        if vector is not None:
            solution = model.solution(problem, vector)
        objective = model.objective(vector) if vector is not None else None
        if bound is not None and objective is not None:
            bound = max(bound, objective)
        return SolveResult(
            solver=self.name,
            status=status,
            solution=solution,
            seconds=time.perf_counter() - started,
            seed=params.seed,
            bound=bound,
            claimed_objective=objective,
            stats=stats,
        )
