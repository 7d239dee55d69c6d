"""The default solver: the best the package has for the size (DESIGN §7: ``auto``).

For now: a greedy plan first (a feasible answer in well under a second, reported as progress),
then CP-SAT warm-started from it for the rest of the time; the better of the two by the
objective is returned, with CP-SAT's proven bound.
"""

from __future__ import annotations

import time
from dataclasses import replace

from matcher.problem import Problem
from matcher.score import score
from matcher.solution import SolveParams, SolveResult
from solvers.cpsat import CpSatSolver
from solvers.greedy import GreedySolver


class AutoSolver:
    """Greedy, then CP-SAT with the greedy plan as hint."""

    name = "auto"

    def solve(self, problem: Problem, params: SolveParams) -> SolveResult:
        """Solve within ``params.time_limit``; stop early keeps the best plan so far."""
        started = time.perf_counter()
        greedy = GreedySolver().solve(problem, params)
        if params.stop is not None and params.stop.is_set():
            return replace(greedy, solver=self.name, status="stopped")
        remaining = None
        if params.time_limit is not None:
            remaining = max(0.1, params.time_limit - (time.perf_counter() - started))
        exact = CpSatSolver().solve(
            problem, replace(params, time_limit=remaining, hint=greedy.solution)
        )
        seconds = time.perf_counter() - started
        use_exact = exact.status in ("optimal", "feasible", "stopped") and score(
            problem, exact.solution
        ) >= score(problem, greedy.solution)
        if exact.status == "infeasible":
            return replace(exact, solver=self.name, seconds=seconds)
        best = exact if use_exact else greedy
        status = (
            best.status if use_exact else ("stopped" if exact.status == "stopped" else "feasible")
        )
        if best is greedy and greedy.status == "error":
            status = "error"
        return SolveResult(
            solver=self.name,
            status=status,
            solution=best.solution,
            seconds=seconds,
            seed=params.seed,
            bound=exact.bound,
            claimed_objective=score(problem, best.solution),
            stats={"picked": best.solver, **{f"cpsat_{k}": v for k, v in exact.stats.items()}},
        )
