"""Solvers behind one protocol (:class:`solvers.base.Solver`), looked up by name."""

from __future__ import annotations

from collections.abc import Callable

from solvers.base import Solver


def _greedy() -> Solver:
    from solvers.greedy import GreedySolver

    return GreedySolver()


def _siloed() -> Solver:
    from solvers.siloed import SiloedSolver

    return SiloedSolver()


def _cpsat() -> Solver:
    from solvers.cpsat import CpSatSolver

    return CpSatSolver()


def _highs() -> Solver:
    from solvers.highs import HighsSolver

    return HighsSolver()


def _auto() -> Solver:
    from solvers.auto import AutoSolver

    return AutoSolver()


SOLVERS: dict[str, Callable[[], Solver]] = {
    "auto": _auto,
    "greedy": _greedy,
    "siloed": _siloed,
    "cpsat": _cpsat,
    "highs": _highs,
}


class UnknownSolver(ValueError):
    """A solver name the package does not have."""


def get_solver(name: str) -> Solver:
    """The solver of that name (DESIGN §7: greedy, siloed, cpsat, highs, auto)."""
    try:
        factory = SOLVERS[name]
    except KeyError:
        raise UnknownSolver(
            f"unknown solver {name!r}; choose one of {', '.join(SOLVERS)}"
        ) from None
    return factory()
