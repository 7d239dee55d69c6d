"""What a solver returns: a raw assignment over the compiled problem's indices, and its status.

Solvers return a :class:`SolveResult`; the orchestration turns its :class:`Solution` into a plan
and the evaluator judges it. A solver's own objective claim is kept only as information.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from matcher.problem.arrays import FloatArray, IntArray

Status = Literal["optimal", "feasible", "infeasible", "stopped", "error"]


@dataclass(frozen=True)
class Funding:
    """One pool paying part of one need's cost."""

    need: int
    pool: int
    amount: int


@dataclass(frozen=True)
class WastedService:
    """A service a silo planned that duplicates the ledgers (H8) or another silo's service.

    It is not a served need (the plan keeps H1 and H8) but it spends its provider's hours and its
    pools' money, which is what duplicate aid costs the county.
    """

    need: int
    provider: int
    funding: tuple[Funding, ...]
    why: Literal["already_aided", "served_by_other"]


@dataclass(frozen=True)
class Solution:
    """A raw assignment: provider per need (-1 unserved), funding lines and pairings."""

    need_provider: IntArray
    funding: tuple[Funding, ...] = ()
    pairings: tuple[tuple[int, int], ...] = ()  # (cadre index, village index)
    wasted: tuple[WastedService, ...] = ()

    def changes_from(self, previous: Solution, *, register: bool = False) -> int:
        """Assignments and pairings that differ from ``previous`` (re-planning's measure): a need
        served by another provider, newly served or no longer served counts one; so does each
        pairing made or dropped. ``register=True`` is the register's measure (DESIGN §10):
        only assignments of ``previous`` moved to another provider or dropped count, since
        only they change a list the county has published; newly served needs are additions,
        and pairings are not in the register."""
        differ = self.need_provider != previous.need_provider
        if register:
            return int((differ & (previous.need_provider >= 0)).sum())
        moved = int(differ.sum())
        return moved + len(set(self.pairings) ^ set(previous.pairings))

    @staticmethod
    def empty(n_needs: int) -> Solution:
        """The plan that serves nothing and pairs nobody."""
        return Solution(np.full(n_needs, -1, dtype=np.int64))


@dataclass(frozen=True)
class Progress:
    """A progress event: an improved plan's figures during a solve."""

    seconds: float
    objective: float
    bound: float | None
    message: str = ""
    # The improved plan itself, when the solver hands it out: made only when called (a
    # consumer that shows plans now and then need not pay for every improvement's).
    solution_of: Callable[[], Solution] | None = None


@dataclass
class SolveParams:
    """How to solve: time limit, seed, workers, progress callback, stop signal, a previous plan
    (hint) with an optional limit on changes, and an optional round limit."""

    time_limit: float | None = 30.0
    seed: int = 0
    workers: int = 2
    on_progress: Callable[[Progress], None] | None = None
    stop: threading.Event | None = None
    hint: Solution | None = None
    # Re-planning: at most this many assignments or pairings may differ from ``hint``.
    max_changes: int | None = None
    # Count changes as the register does (re-plans from the register): only assignments of
    # ``hint`` moved or dropped, not needs newly served nor pairings.
    register_changes: bool = False
    # A machine-independent work limit (neighbourhood rounds of ``auto``): with it, the same
    # seed and worker count give the same plan on any machine. The time limit then ends the
    # search only between rounds.
    rounds: int | None = None


@dataclass(frozen=True)
class SolveResult:
    """A solver's answer. ``bound`` is a proven upper bound on the objective, or None."""

    solver: str
    status: Status
    solution: Solution
    seconds: float
    seed: int
    bound: float | None = None
    claimed_objective: float | None = None
    stats: dict[str, float | int | str] = field(default_factory=dict)
    # The resource prices of the LP relaxation the solver solved, when it solved the plain
    # model of ``solvers.linear_model.build_linear_model(problem)`` (no limit on changes): the
    # blind-spot fixes rank with them instead of solving that LP a second time.
    lp_prices: ResourcePrices | None = None


@dataclass(frozen=True)
class ResourcePrices:
    """Dual prices by resource (arrays over the compiled problem's index maps) from the LP
    relaxation (``solvers.pricing``): what one more hour, yuan or pairing is worth."""

    hours: FloatArray  # per provider: value of one more hour (H4)
    pool: FloatArray  # per pool: value of one more yuan (H5)
    cap: FloatArray  # per village: value of one more yuan of funding cap (H6)
    need: FloatArray  # per need: value of serving it in the relaxation's optimum (H1)
    pairing: FloatArray  # per village: value of one more pairing (shortfall)
    converged: bool  # the LP reached its optimum: the prices are the LP's own
    bound: float
    seconds: float
