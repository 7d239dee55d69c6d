"""Solvers behind one protocol (:class:`solvers.base.Solver`), looked up by name.

:data:`REGISTRY` is the one list of solvers: their names (:data:`SolverName` spells the same
names for type checkers and the API schema), descriptions, whether each can limit changes from
a previous plan, and how to build each. Everything else that lists solvers derives from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, get_args

from solvers.base import Solver

SolverName = Literal["auto", "greedy", "siloed", "cpsat", "highs"]
"""The solver names of DESIGN §7, ``auto`` (the default) first."""


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


@dataclass(frozen=True)
class SolverEntry:
    """One solver on offer: how to build it, what it does, and what it can do."""

    build: Callable[[], Solver]
    description: str
    replanning: bool = False  # can limit the changes from a previous plan (max_changes)


REGISTRY: dict[str, SolverEntry] = {
    "auto": SolverEntry(
        _auto,
        "The best the package has for the size: greedy start, LP bound, LP-guided fixing, "
        "then large-neighbourhood search with exact HiGHS sub-MIPs; proves optimality on "
        "small counties.",
        replanning=True,
    ),
    "greedy": SolverEntry(
        _greedy, "Value-density first, nearest provider: a plan in well under a second."
    ),
    "siloed": SolverEntry(
        _siloed,
        "Each department plans its own needs with its own people and pools "
        "(the status quo, for comparison).",
    ),
    "cpsat": SolverEntry(_cpsat, "The whole model in OR-Tools CP-SAT: exact on small counties."),
    "highs": SolverEntry(
        _highs,
        "The whole model as one HiGHS MIP started from the greedy plan.",
        replanning=True,
    ),
}
if tuple(REGISTRY) != get_args(SolverName):  # one list: the Literal is the types' copy of it
    raise RuntimeError("solvers.REGISTRY and solvers.SolverName must name the same solvers")

DEFAULT_SOLVER: SolverName = "auto"
SOLVERS: tuple[str, ...] = tuple(REGISTRY)
"""Every solver name, in the order of :data:`SolverName`."""
REPLANNING_SOLVERS = frozenset(name for name, entry in REGISTRY.items() if entry.replanning)
"""Solvers that can limit the changes from a previous plan."""


class UnknownSolver(ValueError):
    """A solver name the package does not have."""


def get_solver(name: str) -> Solver:
    """The solver of that name (DESIGN §7: greedy, siloed, cpsat, highs, auto)."""
    try:
        entry = REGISTRY[name]
    except KeyError:
        raise UnknownSolver(
            f"unknown solver {name!r}; choose one of {', '.join(SOLVERS)}"
        ) from None
    return entry.build()


def describe_solvers() -> list[dict[str, str | bool]]:
    """Each solver's name, a one-line description, whether it is the default, and whether it
    can limit changes from a previous plan."""
    return [
        {
            "name": name,
            "description": entry.description,
            "default": name == DEFAULT_SOLVER,
            "replanning": entry.replanning,
        }
        for name, entry in REGISTRY.items()
    ]
