"""The greedy solver: value per effort-hour first, nearest feasible provider, then funding.

It is the fast baseline and the warm start of the exact solvers. Moves of two kinds compete in
one order of value density: serving a need (its value less travel penalty, per hour of work and
travel of its nearest arc) and pairing a cadre with a village (the shortfall penalty it avoids,
plus the change penalty when it keeps an existing pairing, per hour of visits). Pinned needs and
existing pairings go first. Every move is checked against the remaining hours, pool money and
village caps, so the plan keeps H1-H8 by construction.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher.problem.arrays import IntArray, Problem
from matcher.problem.score import score
from matcher.problem.solution import Funding, Progress, Solution, SolveParams, SolveResult

# Hours are compared with this slack so that float noise never refuses an exact fit, while the
# evaluator's own tolerance (1e-6) is never exceeded.
HOURS_EPS = 1e-9


@dataclass
class GreedyState:
    """Remaining resources while a plan is built move by move."""

    problem: Problem
    hours_left: np.ndarray = field(init=False)
    pool_left: np.ndarray = field(init=False)
    cap_left: np.ndarray = field(init=False)
    pairs_left: np.ndarray = field(init=False)
    need_provider: IntArray = field(init=False)
    funding: list[Funding] = field(default_factory=list)
    pairings: set[tuple[int, int]] = field(default_factory=set)
    village_pairs: np.ndarray = field(init=False)
    pool_breadth: np.ndarray = field(init=False)  # how many needs each pool admits
    stopped: bool = False  # the caller's stop ended the construction early

    def __post_init__(self) -> None:
        p = self.problem
        self.hours_left = p.provider_capacity.astype(np.float64).copy()
        self.pool_left = p.pool_amount.astype(np.int64).copy()
        self.cap_left = p.village_cap.astype(np.int64).copy()
        self.pairs_left = p.provider_max_villages.astype(np.int64).copy()
        self.need_provider = np.full(p.n_needs, -1, dtype=np.int64)
        self.village_pairs = np.zeros(len(p.village_ids), dtype=np.int64)
        self.pool_breadth = np.bincount(p.need_pool, minlength=len(p.pool_ids))

    def plan_funding(self, need: int, pools: IntArray | None = None) -> list[Funding] | None:
        """Whole-yuan funding for a need from admitting pools, or None if it cannot be paid."""
        candidates = self.problem.pools_of(need) if pools is None else pools
        return self.fund_from(need, [candidates.tolist()])

    def fund_from(self, need: int, groups: Sequence[Sequence[int]]) -> list[Funding] | None:
        """Fund a need from groups of pools, group by group, or None if it cannot be paid.

        Within a group, restricted pools (fewer needs admitted) pay first so that general pools
        stay free for needs only they admit. The village cap is checked too (H6).
        """
        p = self.problem
        cost = int(p.need_cost[need])
        if cost <= 0:
            return []
        if self.cap_left[int(p.need_village[need])] < cost:
            return None
        lines: list[Funding] = []
        rest = cost
        for group in groups:
            for q in sorted(group, key=lambda q: (self.pool_breadth[q], -self.pool_left[q], q)):
                pay = int(min(rest, self.pool_left[q], p.pool_limit[q]))
                if pay > 0:
                    lines.append(Funding(need, int(q), pay))
                    rest -= pay
                if rest == 0:
                    return lines
        return None

    def try_serve(
        self, need: int, providers: set[int] | None = None, pools: IntArray | None = None
    ) -> bool:
        """Serve a need by its nearest provider with hours left (among ``providers`` if given)."""
        p = self.problem
        if self.need_provider[need] >= 0:
            return False
        pinned = int(p.need_pinned[need])
        for a in p.arcs_of(need):
            provider = int(p.arc_provider[a])
            if pinned >= 0 and provider != pinned:
                continue
            if providers is not None and provider not in providers:
                continue
            if self.hours_left[provider] + HOURS_EPS < p.arc_hours[a]:
                continue
            lines = self.plan_funding(need, pools)
            if lines is None:
                return False
            self.commit_service(need, provider, float(p.arc_hours[a]), lines)
            return True
        return False

    def spend(self, need: int, provider: int, hours: float, lines: list[Funding]) -> None:
        """Take a service's hours, pool money and village cap, without marking the need served."""
        self.hours_left[provider] -= hours
        for line in lines:
            self.pool_left[line.pool] -= line.amount
            self.cap_left[self.problem.need_village[need]] -= line.amount

    def commit_service(self, need: int, provider: int, hours: float, lines: list[Funding]) -> None:
        """Serve a need: spend the service's hours and money and record it."""
        self.spend(need, provider, hours, lines)
        self.funding.extend(lines)
        self.need_provider[need] = provider

    def try_pair(self, e: int) -> bool:
        """Pair a cadre with a village if it has pairings and hours left."""
        p = self.problem
        c, v = int(p.pair_cadre[e]), int(p.pair_village[e])
        if (c, v) in self.pairings or self.pairs_left[c] <= 0:
            return False
        if self.hours_left[c] + HOURS_EPS < p.pair_hours[e]:
            return False
        self.hours_left[c] -= p.pair_hours[e]
        self.pairs_left[c] -= 1
        self.village_pairs[v] += 1
        self.pairings.add((c, v))
        return True

    def solution(self) -> Solution:
        """The raw solution built so far."""
        return Solution(
            need_provider=self.need_provider.copy(),
            funding=tuple(self.funding),
            pairings=tuple(sorted(self.pairings)),
        )


def need_density(problem: Problem) -> np.ndarray:
    """Value per effort-hour of each need on its nearest arc (-inf when it has no arc)."""
    density = np.full(problem.n_needs, -np.inf)
    starts = problem.need_arc_start
    has_arc = starts[1:] > starts[:-1]
    first = starts[:-1][has_arc]
    density[has_arc] = problem.arc_value[first] / np.maximum(problem.arc_hours[first], 1e-9)
    return density


def pairing_density(problem: Problem) -> np.ndarray:
    """Penalty avoided per hour of visits for each pairing arc."""
    gain = problem.shortfall_penalty + problem.change_penalty * problem.pair_existing
    return gain / np.maximum(problem.pair_hours, 1e-9)


STOP_CHECK_EVERY = 256
"""Moves between two looks at the caller's stop: a fraction of a millisecond each."""


def build_greedy(problem: Problem, stop: threading.Event | None = None) -> GreedyState:
    """Run the greedy construction on the whole problem; a ``stop`` set while it runs ends it
    after the moves made so far (pins first, so a stopped plan still keeps them), which is a
    plan that keeps every rule, only a smaller one."""
    state = GreedyState(problem)
    servable = ~problem.need_blocked
    for need in np.flatnonzero((problem.need_pinned >= 0) & servable):
        state.try_serve(int(need))
    for e in np.flatnonzero(problem.pair_existing):
        state.try_pair(int(e))
    needs_d = need_density(problem)
    pairs_d = pairing_density(problem)
    # One merged order: (density, kind, index); kind 0 = need, 1 = pairing.
    moves = [
        (float(needs_d[n]), 0, int(n)) for n in np.flatnonzero(servable & np.isfinite(needs_d))
    ]
    moves += [(float(pairs_d[e]), 1, int(e)) for e in range(len(problem.pair_cadre))]
    moves.sort(key=lambda m: (-m[0], m[1], m[2]))
    for done, (density, kind, i) in enumerate(moves):
        if stop is not None and done % STOP_CHECK_EVERY == 0 and stop.is_set():
            state.stopped = True
            break
        if kind == 0:
            if density > 0:
                state.try_serve(i)
        else:
            village = int(problem.pair_village[i])
            if state.village_pairs[village] < problem.min_cadres:
                state.try_pair(i)
    return state


class GreedySolver:
    """Value-density-first construction (DESIGN §7: ``greedy``)."""

    name = "greedy"

    def solve(self, problem: Problem, params: SolveParams) -> SolveResult:
        """Build one plan; deterministic, ignores the time limit (it takes well under it)."""
        started = time.perf_counter()
        state = build_greedy(problem, params.stop)
        solution = state.solution()
        claimed = score(problem, solution)
        seconds = time.perf_counter() - started
        if params.on_progress is not None:
            params.on_progress(Progress(seconds, claimed, None, "greedy plan"))
        pinned = problem.need_pinned >= 0
        unserved_pins = int((pinned & (solution.need_provider != problem.need_pinned)).sum())
        return SolveResult(
            solver=self.name,
            # A pinned need it could not fit makes the plan break H1: say so, do not hide it.
            status="error" if unserved_pins else "stopped" if state.stopped else "feasible",
            stats={"pinned_not_served": unserved_pins},
            solution=solution,
            seconds=seconds,
            seed=params.seed,
            bound=None,
            claimed_objective=claimed,
        )
