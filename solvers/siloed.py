"""The siloed status quo (DESIGN §1): each department plans alone, organisations act alone.

This is the baseline that integrated planning is measured against, so it reproduces the two
failures of §1 on purpose while keeping every hard rule of §4:

* duplicate aid (重复帮扶): nobody reads the aid ledgers, so a need that H8 holds back is planned
  like any other; organisations do not see the departments' plans, so they serve needs a
  department already serves. Such services are returned as :class:`WastedService` lines: they
  spend hours, pool money and village caps but serve nothing (H1 and H8 hold).
* blind spots (帮扶盲区): a cadre serves only the categories its department owns
  (``problem.category_department``, from :mod:`matcher.prepare.departments`), so a category whose
  department has nobody in reach is left to the organisations; pairings go to the villages
  nearest each cadre, whatever other departments sent there, so town-side villages get many
  cadres and remote ones none.

The order is fixed and documented, so the plan is deterministic without any randomness:

1. pinned needs, by their pinned provider and any admitting pool (re-planning keeps decisions
   that every silo knows of; pinned needs are no silo's candidates afterwards);
2. departments in sorted name order; each pairs its available cadres (existing pairings first,
   then nearest villages, up to ``max_villages`` and the cadre's hours), then serves the needs of
   its own categories by value density on its own nearest cadre, nearest cadre with hours
   first, paid from its own pools, then from the *common* pools (those of departments that own
   no category: finance, charity, donors), first come first served;
3. organisations, in scenario order, after all departments (the silos' plans are fixed before
   social forces act, as in a county where departments plan at the start of the month): each
   takes the needs of its arcs (skill, level, area, travel) by value density on its own arc,
   nearest first, unfunded or paid only from common pools. It sees only its own earlier choices:
   a need that someone already serves becomes ``served_by_other`` waste, a held-back need
   ``already_aided`` waste.

A department whose name owns no category in the table (e.g. an organisation department sending
first secretaries) still pairs its cadres with villages but serves no needs.
"""

from __future__ import annotations

import time
from typing import Literal

import numpy as np

from matcher.problem.arrays import IntArray, Problem
from matcher.problem.score import score
from matcher.problem.solution import (
    Funding,
    Progress,
    Solution,
    SolveParams,
    SolveResult,
    WastedService,
)
from solvers.greedy import HOURS_EPS, GreedyState


def category_owner(problem: Problem) -> IntArray:
    """Department index (into ``problem.department_names``) owning each category, -1 if none."""
    return problem.category_department


def common_pools(problem: Problem) -> IntArray:
    """Pools of departments that own no category: every silo may draw on them, uncoordinated."""
    owners = {int(d) for d in category_owner(problem) if d >= 0}
    return np.array(
        [q for q, d in enumerate(problem.pool_department.tolist()) if d not in owners],
        dtype=np.int64,
    )


class _Silos:
    """The siloed construction: a :class:`GreedyState` plus the wasted services."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.state = GreedyState(problem)
        self.wasted: list[WastedService] = []
        self.wasted_hours = 0.0
        self.owner = category_owner(problem)[problem.need_category]
        self.common_set = set(common_pools(problem).tolist())
        self.candidate = problem.need_pinned < 0  # pinned needs are decided, nobody's candidate
        p = problem
        # The department whose silo may use each arc: its cadre's, when that department owns
        # the need's category (-1 otherwise, and for organisations).
        arc_dept = p.provider_department[p.arc_provider]
        owns = (arc_dept >= 0) & (arc_dept == self.owner[p.arc_need]) & self.candidate[p.arc_need]
        self.arc_silo = np.where(owns, arc_dept, -1)
        self.arc_order = np.argsort(p.arc_provider, kind="stable")
        self.arc_split = np.searchsorted(
            p.arc_provider[self.arc_order], np.arange(p.n_providers + 1)
        )
        # Pairing arcs by cadre; within a cadre existing pairings first, then nearest villages.
        self.pair_order = np.lexsort(
            (p.pair_village, p.pair_minutes, ~p.pair_existing, p.pair_cadre)
        )
        self.pair_split = np.searchsorted(p.pair_cadre[self.pair_order], np.arange(p.n_cadres + 1))

    # -- money ---------------------------------------------------------------------------------

    def fund(self, need: int, own: set[int]) -> list[Funding] | None:
        """Whole-yuan funding from the silo's own admitting pools, then the common ones.

        Within each group, restricted pools pay first (as the greedy does); None when the pools
        or the village cap cannot pay in full.
        """
        admitting = self.problem.pools_of(need).tolist()
        return self.state.fund_from(
            need,
            [[q for q in admitting if q in own], [q for q in admitting if q in self.common_set]],
        )

    def waste(
        self,
        need: int,
        provider: int,
        arc: int,
        lines: list[Funding],
        why: Literal["already_aided", "served_by_other"],
    ) -> None:
        """Spend the hours and money of a service that serves nothing new."""
        hours = float(self.problem.arc_hours[arc])
        self.state.spend(need, provider, hours, lines)
        self.wasted_hours += hours
        self.wasted.append(WastedService(need, provider, tuple(lines), why))

    def deliver(self, need: int, provider: int, arc: int, lines: list[Funding]) -> None:
        """Serve the need for real, or waste the effort when the ledgers or others cover it."""
        p = self.problem
        if p.need_blocked[need]:
            self.waste(need, provider, arc, lines, "already_aided")
        elif self.state.need_provider[need] >= 0:
            self.waste(need, provider, arc, lines, "served_by_other")
        else:
            self.state.commit_service(need, provider, float(p.arc_hours[arc]), lines)

    # -- departments ---------------------------------------------------------------------------

    def pair_cadres(self, cadres: IntArray) -> None:
        """Each cadre: existing pairings first, then its nearest villages, up to max_villages
        and its hours, ignoring how many cadres other silos (or its colleagues) sent there."""
        s = self.state
        for c in cadres.tolist():
            for e in self.pair_order[self.pair_split[c] : self.pair_split[c + 1]].tolist():
                if s.pairs_left[c] <= 0:
                    break
                s.try_pair(e)

    def department(self, dept: int) -> None:
        """One silo: pair its cadres, then serve its categories with its cadres and pools."""
        p, s = self.problem, self.state
        cadres = np.flatnonzero(
            (p.provider_department[: p.n_cadres] == dept) & p.provider_available[: p.n_cadres]
        )
        self.pair_cadres(cadres)
        own_pools = {int(q) for q in np.flatnonzero(p.pool_department == dept)}
        # Arcs grouped by need, nearest first: the silo's own cadres on its own categories.
        arcs = np.flatnonzero(self.arc_silo == dept)
        if len(arcs) == 0:
            return
        needs, first = np.unique(p.arc_need[arcs], return_index=True)
        density = p.arc_value[arcs[first]] / np.maximum(p.arc_hours[arcs[first]], 1e-9)
        bounds = np.append(first, len(arcs)).tolist()
        providers, hours = p.arc_provider[arcs], p.arc_hours[arcs]
        for k in np.lexsort((needs, -density)).tolist():
            lo, hi = bounds[k], bounds[k + 1]
            fits = np.flatnonzero(s.hours_left[providers[lo:hi]] + HOURS_EPS >= hours[lo:hi])
            if len(fits) == 0:
                continue
            need = int(needs[k])
            lines = self.fund(need, own_pools)
            if lines is not None:
                j = lo + int(fits[0])
                self.deliver(need, int(providers[j]), int(arcs[j]), lines)

    # -- organisations -------------------------------------------------------------------------

    def organisation(self, org: int) -> None:
        """One organisation alone: its arcs by density, nearest first, common money only."""
        p = self.problem
        arcs = self.arc_order[self.arc_split[org] : self.arc_split[org + 1]]
        arcs = arcs[self.candidate[p.arc_need[arcs]]]
        density = p.arc_value[arcs] / np.maximum(p.arc_hours[arcs], 1e-9)
        for k in np.lexsort((p.arc_need[arcs], p.arc_minutes[arcs], -density)).tolist():
            a = int(arcs[k])
            if self.state.hours_left[org] + HOURS_EPS < p.arc_hours[a]:
                continue
            need = int(p.arc_need[a])
            lines = self.fund(need, set())
            if lines is not None:
                self.deliver(need, org, a, lines)

    def run(self) -> None:
        """Pinned needs, then each department in name order, then each organisation."""
        p, s = self.problem, self.state
        for need in np.flatnonzero((p.need_pinned >= 0) & ~p.need_blocked).tolist():
            s.try_serve(need)
        names = p.department_names
        for dept in sorted(range(len(names)), key=names.__getitem__):
            self.department(dept)
        for org in range(p.n_cadres, p.n_providers):
            self.organisation(org)


class SiloedSolver:
    """The status quo of siloed departments and lone organisations (DESIGN §7: ``siloed``)."""

    name = "siloed"

    def solve(self, problem: Problem, params: SolveParams) -> SolveResult:
        """Build the siloed plan; deterministic, no search, ignores the time limit."""
        started = time.perf_counter()
        silos = _Silos(problem)
        silos.run()
        base = silos.state.solution()
        solution = Solution(base.need_provider, base.funding, base.pairings, tuple(silos.wasted))
        claimed = score(problem, solution)
        seconds = time.perf_counter() - started
        if params.on_progress is not None:
            params.on_progress(Progress(seconds, claimed, None, "siloed plan"))
        pinned = problem.need_pinned >= 0
        unserved_pins = int((pinned & (solution.need_provider != problem.need_pinned)).sum())
        aided = sum(1 for w in silos.wasted if w.why == "already_aided")
        return SolveResult(
            solver=self.name,
            # A pinned need it could not fit makes the plan break H1: say so, do not hide it.
            status="feasible" if unserved_pins == 0 else "error",
            solution=solution,
            seconds=seconds,
            seed=params.seed,
            bound=None,
            claimed_objective=claimed,
            stats={
                "pinned_not_served": unserved_pins,
                "wasted_already_aided": aided,
                "wasted_served_by_other": len(silos.wasted) - aided,
                "wasted_yuan": sum(f.amount for w in silos.wasted for f in w.funding),
                "wasted_hours": round(silos.wasted_hours, 4),
            },
        )
