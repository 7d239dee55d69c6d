"""The default solver (DESIGN §7: ``auto``): near the LP bound in seconds, and says how near.

Stages, each one keeping the best plan so far (every plan is checked row by row against the
whole :class:`~solvers.linear_model.LinearModel` before it is kept):

1. **Greedy** (:mod:`solvers.greedy`): a feasible plan in well under a second at county scale,
   reported at once as progress. With a previous plan (``params.hint``) that plan, repaired to
   the current scenario, is the start instead when it is better or when changes are limited.
2. **LP bound** (:mod:`solvers.lp_bound`): the relaxation of the whole model by column
   generation; its safe dual bound is the run's proven bound, its duals price every arc.
3. **LP-guided fix and resolve**: the needs and pairings the LP takes whole are fixed; a HiGHS
   sub-MIP decides the rest over each open need's few best arcs by reduced cost.
4. **Large-neighbourhood search** (:mod:`solvers.lns`): provider clusters re-solved exactly by
   HiGHS, ``workers`` at a time in threads (HiGHS releases the GIL), until the time limit (less
   the tie-break's share), the round limit or the caller's stop.
5. **Tie-break** (:mod:`solvers.ties`): among plans of the same objective, the one the data
   prefers (the previous plan's decisions when re-planning, else those of the plan the search
   started from; then a canonical order of providers, cadres and pools): single moves to the
   preferred provider, pairs of providers with tied decisions re-solved by HiGHS for the
   preference with their objective held (a row ``objective >= incumbent's``), then the whole
   plan's funding split the preferred way. Never lowers the objective (beyond float noise,
   :data:`solvers.ties.TIE_TOLERANCE`). During the search, a neighbourhood that improves the
   plan is solved a second time for its preferred plan at least as good, so an improvement
   moves only what it must.

Determinism: the neighbourhoods come from a generator seeded with ``params.seed``; results of
parallel sub-MIPs are merged in a fixed order; HiGHS runs single-threaded per sub-MIP. The
stages that are not the search (LP, fix and resolve, tie-break) use :data:`DATA_SEED`, not the
run's seed: their result depends on the data only, so two runs of a county with different seeds
start their search from the same plan and differ only where their searches found better. A run
that ends by ``params.rounds`` (and whose LP converged) gives the same plan for the same seed and
worker count on any machine; a run ended by the wall clock stops at a machine-dependent round.
With ``rounds`` set, sub-MIPs are limited by branch-and-bound nodes rather than seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sp

from matcher.problem.arrays import BoolArray, FloatArray, IntArray, Problem
from matcher.problem.solution import (
    Progress,
    ResourcePrices,
    Solution,
    SolveParams,
    SolveResult,
    Status,
)
from solvers.greedy import build_greedy
from solvers.lagrangian import lagrangian
from solvers.linear_model import ChangeLimit, LinearModel, build_linear_model
from solvers.lns import (
    ACCEPT_TOLERANCE,
    MIP_ABS_GAP,
    ProviderClusters,
    SubResult,
    solve_sub_mip,
)
from solvers.lp_bound import LpResult, rank_within, solve_lp
from solvers.pricing import prices_of
from solvers.repair import keepable_limit, repair
from solvers.ties import (
    TIE_TOLERANCE,
    canonical_funding,
    decisions_only,
    preference,
    preferred_moves,
    tie_pairs,
)

PROOF_ABSOLUTE, PROOF_RELATIVE = 2 * MIP_ABS_GAP, 1e-9
"""How far below the bound an incumbent still counts as proven optimal: HiGHS's absolute MIP gap
(a whole MIP solved to optimality sets the bound that far above its plan) and float noise."""

LP_SHARE = 0.4
"""Most of the time left that column generation may take."""

FIX_SHARE = 0.3
"""Most of the time left that the fix-and-resolve sub-MIP may take."""

CANDIDATE_ARCS = 4
"""Arcs per need (best reduced cost first) that the sub-MIPs consider, besides the LP's."""

FIX_ALL_ARCS = 20_000
"""Fix and resolve frees every arc of the open needs when they have at most this many."""

SUB_SECONDS = 0.3
"""Time limit of one neighbourhood sub-MIP."""

PREFERRED_SECONDS = 0.1
"""Time limit of the second solve of an improving neighbourhood, for its preferred plan."""

PREFERRED_SHARE = 0.2
"""Most share of the search's time that those second solves may take; with a round limit they
all run, so that the plan repeats."""

PREFERRED_COLUMNS = 200_000
"""Models with more columns make no second solves: each sub-MIP's bookkeeping grows with the
whole model (a 20,000-need county has 1.3 million columns, and a search round takes a second),
and there the search's rounds are worth more than the preference (the tie-break at the end
still applies)."""

SUB_NODES = 200
"""Node limit of one sub-MIP when the run is limited by rounds (deterministic)."""

SMALL_MODEL = 20_000
"""Models with at most this many columns give the sub-MIPs every column, so a neighbourhood
holding every provider is the whole MIP and, solved to optimality, proves the plan optimal."""

FIRST_CLUSTER = 8
"""Providers in the first neighbourhoods; the size then adapts."""

FIRST_MAX_ARCS = 1_000
"""Most arcs one neighbourhood frees at first; the cap then adapts to the sub-MIPs' speed."""

MAX_ARCS_RANGE = (200, 5_000)

DATA_SEED = 0
"""HiGHS's seed in the LP, fix and resolve and tie-break: fixed, so that their plans depend on
the data alone and the run's seed steers only the neighbourhood search."""

POLISH_SHARE = 0.08
"""Share of the time left after fix and resolve that the tie-break keeps (it ends sooner when a
pass changes nothing)."""

POLISH_PASSES = 3
"""Most passes of the tie-break over the pairs of providers with tied decisions."""

POLISH_SUBS_PER_ROUND = 1
"""With a round limit, the tie-break re-solves at most this many pairs per round and worker
of the search: work, not seconds, bounds it, so the plan repeats on any machine."""

START_SHARE = 0.05
"""Most share of the time left that the quick tie-break of the search's start may take."""

FUNDING_SECONDS = 0.1
"""Seconds of the time limit the tie-break leaves for splitting the funding."""

WHOLE_POLISH = 2_000
"""Models with at most this many columns are tie-broken whole first, as one sub-MIP."""

GUIDED_SHARE = 0.5
"""Share of neighbourhoods whose first provider is drawn where the LP and the plan disagree."""

LAGRANGIAN_SHARE = 0.05
"""Most share of the time limit the Lagrangian bound may be predicted to take."""

LAGRANGIAN_MOST_NEEDS = 5.5
"""The Lagrangian bound is tried when providers whose hours bind serve at most this many needs
each in the LP: at 4.0 (a valley county of 5,000 needs) it was 0.30% tighter than the LP's, at
6.9 (a hill county of 5,000) 0.009%, for 1.6 s of a 30 s limit."""

LAGRANGIAN_SECONDS_PER_COLUMN = 3e-6
"""Its predicted cost per model column: 0.4 s at 121,000 columns, 3 s at 976,000, 9 s at 3.6
million (valley counties of 5,000, 20,000 and 50,000 needs)."""

PREFERENCE_STEP = 1e-9
"""Least gain of preference that counts as a change."""


@dataclass
class _Best:
    vector: FloatArray
    objective: float
    activity: FloatArray  # A @ vector, kept so neighbourhoods need no product over all of A


def candidate_columns(
    problem: Problem, model: LinearModel, lp: LpResult, incumbent: FloatArray | None
) -> BoolArray:
    """Columns the sub-MIPs may use: per need and per cadre the best few by reduced cost, every
    column the LP uses, the incumbent's columns and every non-arc, non-pairing column."""
    if model.n_cols <= SMALL_MODEL:
        return np.ones(model.n_cols, dtype=np.bool_)
    cand = np.zeros(model.n_cols, dtype=np.bool_)
    if model.x.stop > model.x.start:
        need = problem.arc_need[model.x_arc]
        cand[model.x] = rank_within(need, -lp.reduced[model.x]) < CANDIDATE_ARCS
    if model.y.stop > model.y.start:
        cand[model.y] = rank_within(problem.pair_cadre, -lp.reduced[model.y]) < CANDIDATE_ARCS
    cand |= lp.values > 1e-9
    cand[model.f.start :] = True
    cand |= model.col_lo > 0
    if incumbent is not None:
        cand |= incumbent > 0
    return cand


def fix_columns(problem: Problem, model: LinearModel, lp: LpResult) -> FloatArray:
    """The LP's whole decisions: arcs and pairings at 1 (all else 0), a feasible partial plan
    because every ≤ row has non-negative coefficients and funding columns stay free."""
    fixed = np.zeros(model.n_cols)
    xy = slice(model.x.start, model.f.start)
    fixed[xy] = (lp.values[xy] > 1 - 1e-6).astype(float)
    return fixed


class _Run:
    """One auto solve: the model, the best plan so far, the bound and the clock."""

    def __init__(
        self, problem: Problem, params: SolveParams, model: LinearModel, started: float
    ) -> None:
        self.problem = problem
        self.params = params
        self.model = model
        self.started = started  # time.perf_counter() when the solve began, model build included
        self.best: _Best | None = None
        self.bound: float | None = None
        self.stats: dict[str, float | int | str] = {}
        self.rng = np.random.default_rng(params.seed)
        self.lp_prices: ResourcePrices | None = None

    def elapsed(self) -> float:
        """Seconds since the solve began."""
        return time.perf_counter() - self.started

    def left(self) -> float:
        """Seconds left of the time limit (infinite without one)."""
        if self.params.time_limit is None:
            return float("inf")
        return float(self.params.time_limit) - self.elapsed()

    def stopped(self) -> bool:
        """The caller asked to stop."""
        return self.params.stop is not None and self.params.stop.is_set()

    def progress(self, message: str) -> None:
        """Report the incumbent and the bound."""
        if self.params.on_progress is not None and self.best is not None:
            best, model, problem = self.best, self.model, self.problem
            self.params.on_progress(
                Progress(
                    self.elapsed(),
                    best.objective,
                    self.bound,
                    message,
                    # Incumbent vectors are replaced, never changed in place: safe to read later.
                    solution_of=lambda: model.solution(problem, best.vector),
                )
            )

    def proven(self) -> bool:
        """The incumbent reaches the bound: nothing is left to search."""
        if self.best is None or self.bound is None:
            return False
        # Absolute, not relative: objectives can carry large constants (the GAP benchmark's
        # value M per job), and a relative 1e-6 of those once let a plan 14 cost units from the
        # optimum pass as optimal.
        slack = PROOF_ABSOLUTE + PROOF_RELATIVE * abs(self.bound)
        return self.best.objective >= self.bound - slack

    def offer(
        self,
        vector: FloatArray | None,
        message: str,
        activity: FloatArray | None = None,
        changed: IntArray | None = None,
    ) -> bool:
        """Keep ``vector`` if it satisfies every row and beats the incumbent. ``activity`` is
        ``A @ vector`` when known, with ``changed`` the columns that may break their bounds."""
        if vector is None:
            return False
        model = self.model
        if activity is None or changed is None:
            activity = model.A @ vector
            changed = np.arange(model.n_cols)
        if model.violation_of(vector, activity, changed) > ACCEPT_TOLERANCE:
            return False
        value = model.objective(vector)
        if self.best is not None and value <= self.best.objective + 1e-7:
            return False
        self.best = _Best(vector, value, activity)
        self.progress(message)
        return True

    def result(self, name: str, infeasible: bool = False) -> SolveResult:
        """The best plan as a :class:`SolveResult` (``infeasible``: proven to have none)."""
        problem, best, bound = self.problem, self.best, self.bound
        if best is None:
            status: Status = (
                "infeasible" if infeasible else "stopped" if self.stopped() else "error"
            )
            self.stats.setdefault("reason", "no plan satisfying every rule was found")
            solution = Solution.empty(problem.n_needs)
            objective = None
        else:
            solution = self.model.solution(problem, best.vector)
            objective = best.objective
            if self.stopped():
                status = "stopped"
            elif self.proven():
                status = "optimal"
            else:
                status = "feasible"
        if objective is None:
            bound = None  # the bound of a run with no plan says nothing useful
        elif bound is not None:
            bound = max(bound, objective)  # an optimal plan within float noise of its bound
        self.stats["seconds_total"] = self.elapsed()
        return SolveResult(
            solver=name,
            status=status,
            solution=solution,
            seconds=self.elapsed(),
            seed=self.params.seed,
            bound=bound,
            claimed_objective=objective,
            stats=self.stats,
            lp_prices=self.lp_prices,
        )


class AutoSolver:
    """Greedy, LP bound, LP-guided fix-and-resolve, then large-neighbourhood search."""

    name = "auto"

    def solve(self, problem: Problem, params: SolveParams) -> SolveResult:
        """Solve within ``params.time_limit``; a stop keeps the best plan so far."""
        began = time.perf_counter()  # the limit counts the model's build and greedy too
        change = None
        if params.hint is not None and params.max_changes is not None:
            change = ChangeLimit(params.hint, int(params.max_changes), params.register_changes)
        model = build_linear_model(problem, change_limit=change)
        greedy = model.vector(problem, build_greedy(problem, params.stop).solution())
        repaired: FloatArray | None = None
        limited: dict[str, int | str] = {}
        if params.hint is not None:
            repaired = repair(problem, model, params.hint)
            if change is not None:
                model, limited = keepable_limit(
                    problem, model, params.hint, repaired, change.limit, change.register
                )
        run = _Run(problem, params, model, began)
        run.stats.update(columns=model.n_cols, rows=model.n_rows, **limited)
        run.offer(greedy, "greedy plan")
        if params.hint is not None:
            run.offer(repaired, "previous plan")
        run.stats["first_plan_seconds"] = run.elapsed()
        if run.stopped() or run.left() <= 0:
            return run.result(self.name)

        lp_limit = None if params.rounds is not None else max(0.05, LP_SHARE * run.left())
        lp = solve_lp(
            problem,
            model,
            start=None if run.best is None else run.best.vector,
            time_limit=lp_limit,
            stop=params.stop,
            seed=DATA_SEED,
        )
        run.bound = lp.bound
        run.stats["bound_kind"] = "lp"  # the LP relaxation's safe dual bound
        if lp.infeasible:
            run.stats["reason"] = "no plan keeps the rules: the LP relaxation is infeasible"
            return run.result(self.name, infeasible=True)
        run.stats.update(
            lp_seconds=lp.seconds,
            lp_rounds=lp.rounds,
            lp_converged=int(lp.converged),
            lp_columns=int(lp.active.sum()),
        )
        if change is None:
            # The plain model's LP: the blind-spot fixes price resources with its duals.
            run.lp_prices = prices_of(problem, model, lp)
        _tighten_bound(run, lp)
        run.progress("LP bound")
        if run.stopped() or run.left() <= 0:
            return run.result(self.name)

        candidates = candidate_columns(
            problem, model, lp, None if run.best is None else run.best.vector
        )
        run.stats["candidate_columns"] = int(candidates.sum())
        _fix_and_resolve(run, lp, candidates)
        if run.best is not None:
            # Ties go the way of the previous plan, or else of the plan the search starts
            # from, which the data alone decides (DATA_SEED), itself first moved to the
            # canonical order among its equals: see solvers.ties.
            if params.hint is None:
                _polish(run, candidates, preference(problem, model, None), pairs=False)
            start = model.solution(problem, run.best.vector)
            run.stats["start_objective"] = run.best.objective
            weights = preference(problem, model, start if params.hint is None else params.hint)
            reserve = POLISH_SHARE * run.left() if params.time_limit is not None else 0.0
            _search(run, candidates, reserve, decisions_only(model, weights), lp.values)
            _polish(run, candidates, weights)
            final = model.solution(problem, run.best.vector)
            run.stats["changes_from_start"] = final.changes_from(start)
        return run.result(self.name)


def _tighten_bound(run: _Run, lp: LpResult) -> None:
    """The Lagrangian bound of the LP's duals (:mod:`solvers.lagrangian`: every provider's
    hours as an integer knapsack), the run's bound when tighter (``bound_kind``
    ``lagrangian``); the LP's own stays in ``stats.lp_bound``. Skipped, and said so, when its
    predicted cost is over :data:`LAGRANGIAN_SHARE` of the time limit."""
    run.stats["lp_bound"] = lp.bound
    per_provider = _needs_per_bound_provider(run.model, lp)
    if per_provider > LAGRANGIAN_MOST_NEEDS:
        run.stats["lagrangian_skipped"] = (
            f"providers whose hours bind serve {per_provider:.1f} needs each in the LP: "
            "integer knapsacks would hardly tighten the bound"
        )
        return
    predicted = LAGRANGIAN_SECONDS_PER_COLUMN * run.model.n_cols
    limit = run.params.time_limit
    deadline = None
    if limit is not None and run.params.rounds is None:
        if predicted > LAGRANGIAN_SHARE * float(limit):
            run.stats["lagrangian_skipped"] = (
                f"predicted {predicted:.1f} s, over {LAGRANGIAN_SHARE:.0%} of the time limit"
            )
            return
        deadline = time.perf_counter() + min(2 * predicted + 0.1, max(0.0, run.left()))
    found = lagrangian(run.model, lp.duals, deadline, run.params.stop)
    if found is None:
        run.stats["lagrangian_skipped"] = "its deadline passed or the run was stopped"
        return
    run.stats.update(lagrangian_bound=found.bound, lagrangian_seconds=found.seconds)
    if run.bound is not None and found.bound < run.bound:
        run.bound = found.bound
        run.stats["bound_kind"] = "lagrangian"


def _needs_per_bound_provider(model: LinearModel, lp: LpResult) -> float:
    """Needs the LP serves per provider whose hours bind (H4 row with a nonzero dual): the
    fewer, the more integrality costs and the more the Lagrangian bound tightens the LP's."""
    if "H4" not in model.row_kind:
        return float("inf")
    block = model.row_kind.index("H4")
    duals = lp.duals[model.row_block[block] : model.row_block[block + 1]]
    binding = int((np.abs(duals) > 1e-9).sum())
    return float(lp.values[model.x].sum()) / binding if binding else float("inf")


def _fix_and_resolve(run: _Run, lp: LpResult, candidates: BoolArray) -> None:
    """Fix what the LP takes whole; solve the open needs and pairings as one sub-MIP."""
    problem, model, params = run.problem, run.model, run.params
    base = fix_columns(problem, model, lp)
    taken = np.zeros(problem.n_needs, dtype=np.bool_)
    on = np.flatnonzero(base[model.x] > 0)
    taken[problem.arc_need[model.x_arc[on]]] = True
    free = candidates.copy()
    open_arcs = ~taken[problem.arc_need[model.x_arc]]
    if int(open_arcs.sum()) <= FIX_ALL_ARCS:
        # Few open needs: give them every arc, not only the best few by reduced cost; with
        # capacities the LP has filled, the arcs with room are often not among those.
        free[model.x] = open_arcs
    free[model.x] &= open_arcs
    free[model.y] &= base[model.y] == 0
    free_cols = np.flatnonzero(free)
    deterministic = params.rounds is not None
    began = time.perf_counter()
    vector, result = solve_sub_mip(
        problem,
        model,
        base,
        free_cols,
        time_limit=1e9 if deterministic else max(0.05, FIX_SHARE * run.left()),
        seed=DATA_SEED,
        node_limit=20 * SUB_NODES if deterministic else None,
        stop=params.stop,
        presolve=True,
    )
    improved = run.offer(vector, "LP-guided fix and resolve")
    run.stats.update(
        fix_seconds=time.perf_counter() - began,
        fix_free_columns=len(free_cols),
        fix_optimal=int(result.optimal),
        fix_improved=int(improved),
    )


@dataclass
class _Job:
    """One neighbourhood to solve: its free columns and the incumbent it was drawn from."""

    free: IntArray
    members: IntArray  # its providers
    base: FloatArray
    activity: FloatArray
    objective: float
    limit: float  # seconds
    seed: int


@dataclass(frozen=True)
class _Guide:
    """The arcs the LP serves and the value it gives each (LP share × arc value): where a
    neighbourhood starts, when the plan disagrees with them (:func:`_first_provider`)."""

    arcs: IntArray
    value: FloatArray

    @classmethod
    def of(cls, problem: Problem, model: LinearModel, lp_values: FloatArray) -> _Guide:
        """The guide of the LP solution ``lp_values`` (its column values)."""
        x = lp_values[model.x]
        on = np.flatnonzero(x > 1e-6)
        arcs = model.x_arc[on]
        return cls(arcs, x[on] * np.maximum(problem.arc_value[arcs], 0.0))


@dataclass
class _Search:
    """The state of one neighbourhood search: its adaptive size and its counts."""

    size: int  # providers per neighbourhood
    max_arcs: int  # most arcs one neighbourhood frees
    guide: _Guide | None = None
    jobs: int = 0
    rounds: int = 0
    improvements: int = 0
    optimal_subs: int = 0

    def adapt(self, results: list[SubResult], limit: float, most: int) -> None:
        """Grow neighbourhoods while their sub-MIPs are solved quickly to optimality, shrink
        them when one hits its time limit."""
        if all(r.optimal and r.seconds < limit / 3 for r in results):
            self.size = min(self.size + 1, most)
            self.max_arcs = min(MAX_ARCS_RANGE[1], int(self.max_arcs * 1.25))
        elif any(not r.optimal for r in results):
            self.size = max(2, self.size - 1)
            self.max_arcs = max(MAX_ARCS_RANGE[0], int(self.max_arcs * 0.8))


def _search(
    run: _Run,
    candidates: BoolArray,
    reserve: float = 0.0,
    prefer: FloatArray | None = None,
    guide: FloatArray | None = None,
) -> None:
    """Provider-cluster neighbourhoods solved by ``workers`` sub-MIPs at a time, until
    ``reserve`` seconds of the time limit are left (for the tie-break). With ``prefer`` (the
    preference of :mod:`solvers.ties`), a neighbourhood that improves the plan is solved a
    second time for the preferred of its plans that are at least as good, so that an
    improvement moves only what it needs to and two runs differ only where their searches
    found better. With ``guide`` (the LP's column values), a neighbourhood's first provider is
    drawn, half the time, in proportion to the LP value it serves where the incumbent does not
    (its LP arcs to needs the plan leaves open or gives another provider): where the plan and
    the relaxation disagree is where improvements are (+0.2% in 25 s on a valley county).

    With a round limit the workers go in rounds (each round's neighbourhoods drawn from one
    incumbent, merged in a fixed order), so the plan repeats. With a time limit a worker that
    finishes is given the next neighbourhood at once: sub-MIP times are heavy-tailed (median
    0.05 s, a tenth at the 0.3 s limit on a valley county), and in rounds the fast worker
    waited for the slow one. Models of at most :data:`SMALL_MODEL` columns (the OR-Library GAP
    instances) keep rounds and uniform draws: there both changes did worse (20 s on c20100,
    e05100, e10100: costs 1,259, 12,699, 11,623 against 1,245, 12,691, 11,577 before)."""
    problem, model, params = run.problem, run.model, run.params
    clusters = ProviderClusters(problem, model, candidates, run.rng)
    if clusters.active.size == 0:
        return
    workers = max(1, min(int(params.workers), 4))
    guided = None
    if guide is not None and model.n_cols > SMALL_MODEL:  # small models search as they did
        guided = _Guide.of(problem, model, guide)
    state = _Search(min(FIRST_CLUSTER, int(clusters.active.size)), FIRST_MAX_ARCS, guided)
    if model.n_cols > PREFERRED_COLUMNS:
        prefer = None
    preferring: list[float] = []  # seconds of the second solves
    tie_broken: list[int] = []  # neighbourhoods whose improvement the preference narrowed
    deterministic = params.rounds is not None
    began = time.perf_counter()

    def solve(job: _Job) -> tuple[FloatArray | None, SubResult]:
        vector, result = solve_sub_mip(
            problem,
            model,
            job.base,
            job.free,
            time_limit=job.limit,
            seed=job.seed,
            start=job.base[job.free],
            node_limit=SUB_NODES if deterministic else None,
            stop=params.stop,
            activity=job.activity,
        )
        if prefer is None or vector is None or result.objective <= job.objective + 1e-7:
            return vector, result
        searched = time.perf_counter() - began
        if not deterministic and sum(preferring) > PREFERRED_SHARE * searched:
            return vector, result
        second_began = time.perf_counter()
        again, second = solve_sub_mip(
            problem,
            model,
            job.base,
            job.free,
            time_limit=min(job.limit, PREFERRED_SECONDS),
            seed=DATA_SEED,
            start=vector[job.free],
            node_limit=SUB_NODES if deterministic else None,
            stop=params.stop,
            activity=job.activity,
            cost=prefer[job.free],
            floor=float(model.c[job.free] @ vector[job.free]) - TIE_TOLERANCE / 2,
        )
        preferring.append(time.perf_counter() - second_began)
        if (
            again is None
            or second.objective < result.objective - TIE_TOLERANCE
            or float(prefer @ again) <= float(prefer @ vector) + PREFERENCE_STEP
        ):
            return vector, result
        tie_broken.append(job.seed)
        return again, replace(
            result,
            objective=second.objective,
            activity=second.activity,
            seconds=result.seconds + second.seconds,
        )

    pool = ThreadPoolExecutor(max_workers=workers) if workers > 1 else None
    try:
        if pool is None or deterministic or model.n_cols <= SMALL_MODEL:
            _in_rounds(run, clusters, workers, state, solve, pool, reserve)
        else:
            _as_workers_finish(run, clusters, workers, state, solve, pool, reserve)
    finally:
        if pool is not None:
            pool.shutdown()
    run.stats.update(
        lns_rounds=state.rounds,
        lns_subs=state.jobs,
        lns_improvements=state.improvements,
        lns_optimal_subs=state.optimal_subs,
        lns_tie_broken=len(tie_broken),
        lns_preferring_seconds=sum(preferring),
        lns_last_cluster=state.size,
        lns_last_max_arcs=state.max_arcs,
        workers=workers,
    )


_Solve = Callable[[_Job], tuple[FloatArray | None, SubResult]]


def _searching(run: _Run, reserve: float) -> bool:
    """The search may start another neighbourhood: not stopped, time left, not proven."""
    return not run.stopped() and run.left() > 0.02 + reserve and not run.proven()


def _job_limit(run: _Run, reserve: float) -> float:
    """Seconds one sub-MIP may take: :data:`SUB_SECONDS`, less near the end; with a round
    limit, its node limit bounds it instead."""
    if run.params.rounds is not None:
        return 60.0
    return max(0.02, min(SUB_SECONDS, run.left() - reserve))


def _in_rounds(
    run: _Run,
    clusters: ProviderClusters,
    workers: int,
    state: _Search,
    solve: _Solve,
    pool: ThreadPoolExecutor | None,
    reserve: float,
) -> None:
    """Rounds of ``workers`` neighbourhoods drawn from one incumbent, merged in their order."""
    params = run.params
    while _searching(run, reserve):
        if params.rounds is not None and state.rounds >= int(params.rounds):
            break
        assert run.best is not None
        best = run.best
        limit = _job_limit(run, reserve)
        first_seed = params.seed + state.rounds * workers
        busy = np.zeros(run.problem.n_providers, dtype=np.bool_)
        seen = np.zeros(run.model.n_cols, dtype=np.bool_)
        jobs: list[_Job] = []
        for k in range(workers):
            drawn = _draw(run, clusters, best.vector, state, busy, seen)
            if drawn is None:
                break
            members, free = drawn
            jobs.append(
                _Job(
                    free, members, best.vector, best.activity, best.objective, limit, first_seed + k
                )
            )
        results = list(pool.map(solve, jobs)) if pool else [solve(job) for job in jobs]
        state.rounds += 1
        state.jobs += len(jobs)
        for job, (vector, result) in zip(jobs, results, strict=True):
            _merge(run, state, job, vector, result)
        state.adapt([r for _, r in results], limit, int(clusters.active.size))


def _as_workers_finish(
    run: _Run,
    clusters: ProviderClusters,
    workers: int,
    state: _Search,
    solve: _Solve,
    pool: ThreadPoolExecutor,
    reserve: float,
) -> None:
    """Each worker gets the next neighbourhood as soon as it is free, drawn from the incumbent
    of that moment with no provider or column of a neighbourhood still running."""
    busy = np.zeros(run.problem.n_providers, dtype=np.bool_)
    seen = np.zeros(run.model.n_cols, dtype=np.bool_)
    running: dict[Future[tuple[FloatArray | None, SubResult]], _Job] = {}
    while True:
        while len(running) < workers and _searching(run, reserve):
            assert run.best is not None
            best = run.best
            drawn = _draw(run, clusters, best.vector, state, busy, seen)
            if drawn is None:
                break
            members, free = drawn
            job = _Job(
                free,
                members,
                best.vector,
                best.activity,
                best.objective,
                _job_limit(run, reserve),
                run.params.seed + state.jobs,
            )
            state.jobs += 1
            running[pool.submit(solve, job)] = job
        if not running:
            break
        done, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=lambda f: running[f].seed):
            job = running.pop(future)
            busy[job.members] = False
            seen[job.free] = False
            vector, result = future.result()
            _merge(run, state, job, vector, result)
            state.adapt([result], job.limit, int(clusters.active.size))
    state.rounds = state.jobs // workers


def _merge(
    run: _Run, state: _Search, job: _Job, vector: FloatArray | None, result: SubResult
) -> None:
    """Put a neighbourhood's sub-solution into the incumbent (which may have moved on since
    the neighbourhood was drawn: :meth:`_Run.offer` checks every row) if that improves it."""
    model, problem = run.model, run.problem
    state.optimal_subs += int(result.optimal)
    if vector is None or run.best is None:
        return
    free = job.free
    if result.optimal and len(free) == model.n_cols and run.bound is not None:
        # The whole MIP, solved: its optimum, within HiGHS's absolute gap, bounds every plan.
        run.bound = min(run.bound, result.objective + MIP_ABS_GAP)
        run.stats["bound_kind"] = "mip"
    current = run.best
    merged = current.vector.copy()
    merged[free] = vector[free]
    model.complete(problem, merged)
    changed = np.flatnonzero(merged != current.vector)
    activity = current.activity + sp.csc_array(model.A[:, changed]) @ (
        merged[changed] - current.vector[changed]
    )
    state.improvements += int(run.offer(merged, "neighbourhood search", activity, changed))


def _first_provider(run: _Run, choices: IntArray, base: FloatArray, guide: _Guide | None) -> int:
    """A neighbourhood's first provider among ``choices``: with probability
    :data:`GUIDED_SHARE` in proportion to the LP value (``guide``) of its arcs whose need the
    incumbent ``base`` leaves open or gives another provider, otherwise uniformly."""
    if guide is None:
        return int(run.rng.choice(choices))
    problem, model = run.problem, run.model
    served_by = np.full(problem.n_needs, -1, dtype=np.int64)
    taken = model.x_arc[np.flatnonzero(base[model.x] > 0.5)]
    served_by[problem.arc_need[taken]] = problem.arc_provider[taken]
    apart = served_by[problem.arc_need[guide.arcs]] != problem.arc_provider[guide.arcs]
    weight = np.bincount(
        problem.arc_provider[guide.arcs[apart]],
        weights=guide.value[apart],
        minlength=problem.n_providers,
    )[choices]
    if weight.sum() <= 0:
        return int(run.rng.choice(choices))
    uniform = np.full(len(choices), 1.0 / len(choices))
    p = (1 - GUIDED_SHARE) * uniform + GUIDED_SHARE * weight / weight.sum()
    return int(run.rng.choice(choices, p=p / p.sum()))


def _draw(
    run: _Run,
    clusters: ProviderClusters,
    base: FloatArray,
    state: _Search,
    busy: BoolArray,
    seen: BoolArray,
) -> tuple[IntArray, IntArray] | None:
    """A neighbourhood with no provider in ``busy`` and no column in ``seen`` (those of the
    neighbourhoods running beside it), which it then marks; None when every provider is busy."""
    choices = clusters.active[~busy[clusters.active]]
    if choices.size == 0:
        return None
    members = clusters.cluster(_first_provider(run, choices, base, state.guide), state.size)
    members = members[~busy[members]]
    busy[members] = True
    free = clusters.free_columns(members, base, state.max_arcs)
    free = free[~seen[free]]
    seen[free] = True
    return members, free


def _polish(run: _Run, candidates: BoolArray, weights: FloatArray, pairs: bool = True) -> None:
    """The tie-break (:mod:`solvers.ties`): among plans whose objective is the incumbent's,
    move to the one ``weights`` prefers, until the time limit, the caller's stop, or a pass
    that changes nothing (at most :data:`POLISH_PASSES`). Without ``pairs`` (the quick
    tie-break of the plan the search starts from) only the single moves, the whole model when
    it is small, and the funding.

    First single assignments and pairings move to the preferred provider or cadre at the same
    objective (:func:`solvers.ties.preferred_moves`). Then, in a fixed order (the whole model
    first when it is small, then the pairs of providers with tied decisions, most ties first),
    each neighbourhood is re-solved by HiGHS for the preference of its assignments and
    pairings, with a row that holds its part of the objective at least at the incumbent's; a
    result is kept when it is preferred and the whole objective is no lower than before the
    tie-break less :data:`solvers.ties.TIE_TOLERANCE` (a better objective, should one turn up,
    is kept as an improvement). Last, single moves again and the whole plan's funding split
    the preferred way (:func:`solvers.ties.canonical_funding`)."""
    problem, model, params = run.problem, run.model, run.params
    if run.best is None:
        return
    began = time.perf_counter()
    prefer = decisions_only(model, weights)
    lowest = run.best.objective - TIE_TOLERANCE  # no kept plan scores below this
    clusters = ProviderClusters(problem, model, candidates, np.random.default_rng(DATA_SEED))
    deterministic = params.rounds is not None
    max_arcs = int(run.stats.get("lns_last_max_arcs", FIRST_MAX_ARCS))
    whole = model.n_cols <= WHOLE_POLISH
    most_subs = None  # the time limit bounds the tie-break, or with a round limit, this
    if deterministic:
        most_subs = int(params.rounds or 0) * max(1, int(params.workers)) * POLISH_SUBS_PER_ROUND
        most_subs += int(whole)
    passes = subs = moves = improvements = 0
    # The quick tie-break of the start takes a small share of the search's time at most.
    share = 1.0 if pairs else START_SHARE
    single = _single_moves(run, prefer, share)
    done = False
    while not done and passes < POLISH_PASSES:
        passes += 1
        changed = False
        groups: list[tuple[int, int] | None] = [None] if whole and passes == 1 else []
        if pairs and not run.stopped() and run.left() > FUNDING_SECONDS:
            groups += tie_pairs(problem, model, run.best.vector)
        for group in groups:
            out_of_work = most_subs is not None and subs >= most_subs
            if run.stopped() or run.left() <= FUNDING_SECONDS or out_of_work:
                done = True
                break
            best = run.best
            if group is None:
                free = np.arange(model.n_cols, dtype=np.int64)
            else:
                members = np.asarray(group, dtype=np.int64)
                free = clusters.free_columns(members, best.vector, max_arcs)
            if free.size == 0:
                continue
            floor = float(model.c[free] @ best.vector[free]) - TIE_TOLERANCE / 2
            left = run.left() - FUNDING_SECONDS
            limit = 60.0 if deterministic else max(0.02, min(SUB_SECONDS, left))
            vector, result = solve_sub_mip(
                problem,
                model,
                best.vector,
                free,
                time_limit=limit,
                seed=DATA_SEED,
                start=best.vector[free],
                node_limit=SUB_NODES if deterministic else None,
                stop=params.stop,
                activity=best.activity,
                cost=prefer[free],
                floor=floor,
            )
            subs += 1
            if vector is None or result.activity is None:
                continue
            changed_cols = np.flatnonzero(vector != best.vector)
            if result.objective > best.objective + 1e-7:
                if run.offer(vector, "tie-break", result.activity, changed_cols):
                    lowest = run.best.objective - TIE_TOLERANCE
                    improvements += 1
                    changed = True
                continue
            if result.objective < lowest:
                continue
            if float(prefer @ vector) <= float(prefer @ best.vector) + PREFERENCE_STEP:
                continue
            if model.violation_of(vector, result.activity, changed_cols) > ACCEPT_TOLERANCE:
                continue
            run.best = _Best(vector, result.objective, result.activity)
            moves += 1
            changed = True
        if not changed:
            break
    if not run.stopped():
        single += _single_moves(run, prefer, share)
    funded = False
    if not run.stopped() and run.left() > FUNDING_SECONDS / 2:
        vector = run.best.vector.copy()
        seconds = None if params.time_limit is None else share * run.left()
        funded = canonical_funding(problem, model, vector, weights, seconds)
        if funded:
            run.best = _Best(vector, model.objective(vector), model.A @ vector)
    label = "tie_break" if pairs else "start_tie_break"
    figures = {
        "seconds": time.perf_counter() - began,
        "passes": passes,
        "subs": subs,
        "moves": moves,
        "single_moves": single,
        "improvements": improvements,
        "funding": int(funded),
    }
    run.stats.update({f"{label}_{name}": value for name, value in figures.items()})


def _single_moves(run: _Run, prefer: FloatArray, share: float = 1.0) -> int:
    """:func:`solvers.ties.preferred_moves` on the incumbent, within ``share`` of the time
    left (less the funding's): single assignments and pairings moved to the preferred provider
    or cadre at the same objective. How many moved."""
    if run.best is None:
        return 0
    deadline = None
    if run.params.time_limit is not None:
        left = run.left() - FUNDING_SECONDS
        if left <= 0:
            return 0
        deadline = time.perf_counter() + share * left
    vector, activity = run.best.vector.copy(), run.best.activity.copy()
    moved = preferred_moves(run.problem, run.model, vector, activity, prefer, deadline)
    if moved:
        run.best = _Best(vector, run.model.objective(vector), activity)
    return moved
