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


_DESCRIPTIONS = {
    "auto": "The best the package has for the size: greedy start, LP bound, LP-guided fixing, "
    "then large-neighbourhood search with exact HiGHS sub-MIPs; proves optimality on "
    "small counties.",
    "greedy": "Value-density first, nearest provider: a plan in well under a second.",
    "siloed": "Each department plans its own needs with its own people and pools "
    "(the status quo, for comparison).",
    "cpsat": "The whole model in OR-Tools CP-SAT: exact on small counties.",
    "highs": "The whole model as one HiGHS MIP started from the greedy plan.",
}
REPLANNING_SOLVERS = frozenset({"auto", "highs"})
"""Solvers that can limit the changes from a previous plan."""


def describe_solvers() -> list[dict[str, str | bool]]:
    """Each solver's name, a one-line description, whether it is the default, and whether it
    can limit changes from a previous plan."""
    return [
        {
            "name": name,
            "description": _DESCRIPTIONS[name],
            "default": name == "auto",
            "replanning": name in REPLANNING_SOLVERS,
        }
        for name in SOLVERS
    ]
