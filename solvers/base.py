"""The one small protocol every solver implements."""

from __future__ import annotations

from typing import Protocol

from matcher.problem.arrays import Problem
from matcher.problem.solution import SolveParams, SolveResult


class Solver(Protocol):
    """A solver maps a compiled problem to a raw assignment; it never sees JSON."""

    name: str

    def solve(self, problem: Problem, params: SolveParams) -> SolveResult:
        """Solve within ``params.time_limit`` seconds; honour ``params.stop`` when set."""
        ...
