"""An exact OR-Tools CP-SAT model of H1-H8 and the whole objective of DESIGN §5.

The model is built on the arrays of :class:`matcher.problem.Problem` only.

Variables
    ``x[a]``    bool, arc ``a`` serves its need. Only arcs of *modelled* needs get one: a need is
                modelled when H8 does not hold it back (``need_blocked``), it has an arc, and it
                can be funded at all (cost 0; or cost <= its village cap and the per-need limits
                of its admitting pools add up to the cost).
    ``y[e]``    bool, pairing arc ``e`` is chosen.
    ``f[n,q]``  int yuan that pool ``q`` pays for need ``n`` (H5), only for needs with cost > 0
                and two or more admitting pools; a need with one admitting pool is charged to it
                directly (``cost * served``), which is the same constraint with fewer variables.
    ``s[v]``    int in [0, min_cadres], the pairing shortfall of village ``v``.
    ``g[v]``    int, the fairness shortfall of village ``v`` already multiplied by
                ``fairness_weight * OBJECTIVE_SCALE`` (so its objective coefficient is exactly -1).

Constraints: H1 at most one arc per need, a pinned need's arc fixed to 1; H4 per provider on
hours scaled to integers; H5 ``Σ_q f[n,q] = cost * served[n]``, ``f[n,q] <= min(limit, cost)``,
pool totals ``<= amount``; H6 per village ``Σ cost * served <= cap``; H7 ``Σ_e y <= max_villages``.
H2 and H3 are in the arcs already. A pinned need that is blocked, unservable or has no arc to its
provider makes the problem infeasible before CP-SAT is called.

Scaling (CP-SAT is integral)
    Hours: ``HOURS_SCALE`` units per hour (milliseconds). Every usage is rounded *up* and every
    capacity *down*, each after a relative epsilon of 1e-12 so values that are whole
    milliseconds (float noise aside) stay exact. Hence every plan CP-SAT accepts is feasible for
    H4. Travel minutes with up to two decimals give whole milliseconds and lose nothing; other
    minutes (the haversine rule) lose under 1 ms per term, so only a plan that fills a provider
    to within a few milliseconds of its hours can be refused (a greedy plan used as a hint is
    kept unless it is that tight).
    Objective: ``OBJECTIVE_SCALE`` units per objective unit, coefficients rounded to nearest.
    Constant terms (pairings that cannot be kept, shortfall of villages no cadre can reach,
    fairness of villages with no servable need) are kept out of the model in real units.

Reported figures
    ``claimed_objective`` is recomputed exactly (floats) from the returned plan, not converted
    from CP-SAT's scaled objective. ``bound`` is CP-SAT's ``best_objective_bound`` converted back
    plus the worst-case rounding slack: per need the largest positive rounding error of its arcs'
    coefficients, per kept pairing and per shortfall unit the error of the penalty coefficient,
    and per fairness row the error of its right-hand side and of each need's coefficient. So the
    bound is never below the optimum over the plans the scaled model admits (see the H4 note).
    Because of the rounding, ``optimal`` means optimal for the scaled objective: its true
    objective is within ``stats["bound_slack"]`` of the true optimum (0 for ties broken by more
    than that).

Status mapping
    OPTIMAL -> ``optimal``; FEASIBLE -> ``stopped`` when the caller's stop event ended the search,
    else ``feasible`` (time limit); INFEASIBLE -> ``infeasible``; MODEL_INVALID -> ``error``;
    UNKNOWN (no plan found) -> ``stopped`` when stopped by the caller, else ``feasible`` with the
    empty plan when no need is pinned (serving nothing is then a valid plan) and ``error`` when
    some need is pinned (feasibility is unknown; ``stats["reason"]`` says so). Without a plan the
    solution is :meth:`Solution.empty`. A stop event already set before solving returns at once
    with ``stopped`` and the empty plan.

Determinism
    With ``workers > 1`` CP-SAT's default parallel loop depends on thread timing, so the solver
    sets ``interleave_search`` (documented in ``sat_parameters.proto`` as "deterministic
    (independently of num_workers!)"); with one worker the search is sequential. Same problem,
    seed and worker count then give the same plan, provided the search ends by itself (optimal or
    infeasible): a wall-clock time limit or a stop event cuts a deterministic search at a
    machine-dependent point. ``CpSatSolver(deterministic=False)`` uses CP-SAT's default (faster,
    non-deterministic) portfolio instead.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from matcher.problem.arrays import BoolArray, FloatArray, IntArray, Problem
from matcher.problem.score import score
from matcher.problem.solution import Funding, Progress, Solution, SolveParams, SolveResult, Status
from solvers.linear_model import servable_needs

OBJECTIVE_SCALE = 1000
"""CP-SAT objective units per objective unit."""

HOURS_SCALE = 3_600_000
"""CP-SAT capacity units per hour: milliseconds."""

_REL_EPS = 1e-12


def _ceil_units(values: FloatArray) -> IntArray:
    scaled = values * HOURS_SCALE
    return np.ceil(scaled - _REL_EPS * np.maximum(1.0, np.abs(scaled))).astype(np.int64)


def _floor_units(values: FloatArray) -> IntArray:
    scaled = values * HOURS_SCALE
    return np.floor(scaled + _REL_EPS * np.maximum(1.0, np.abs(scaled))).astype(np.int64)


def _groups(keys: IntArray, n_groups: int) -> tuple[IntArray, IntArray]:
    """Positions sorted by key and a CSR pointer per key (stable, so deterministic)."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    start = np.searchsorted(keys[order], np.arange(n_groups + 1)).astype(np.int64)
    return order, start


@dataclass
class _Built:
    """The CP-SAT model and what is needed to read a plan back."""

    model: cp_model.CpModel
    arcs: IntArray  # arc index of each x variable
    x: list[Any]
    y: list[Any]
    multi_funding: list[tuple[int, int, Any]]  # (need, pool, f var)
    single_pool: dict[int, int]  # need -> the one pool that pays it
    offset: float  # constant objective terms, real units
    slack: float  # rounding slack of the bound, scaled units
    n_vars: int = 0
    n_constraints: int = 0
    # for hints: shortfall and fairness rows
    shortfall_rows: list[tuple[int, Any]] = field(default_factory=list)  # (village, s var)
    fairness_rows: list[tuple[Any, int, IntArray, IntArray]] = field(default_factory=list)


def _set_maximize(model: cp_model.CpModel, variables: list[Any], coefs: list[int]) -> None:
    """``model.maximize(Σ coefs * variables)`` written straight into the proto: the same proto
    ``maximize`` writes (CP-SAT minimises ``scaling_factor * Σ``, so -1 and negated
    coefficients), without its per-variable Python loop."""
    objective = model.proto.objective
    objective.vars.extend([v.index for v in variables])
    objective.coeffs.extend([-c for c in coefs])
    objective.scaling_factor = -1.0
    objective.offset = 0.0


@dataclass
class _Builder:
    """The CP-SAT model while :func:`_build` adds it rule by rule, and what the rules share.

    Each ``_add_*`` function appends its variables and constraints, so the call order in
    :func:`_build` is the order of the model (which CP-SAT's search, and so the plan, depends on).
    """

    problem: Problem
    servable: BoolArray  # needs in the model (see the module docstring)
    model: cp_model.CpModel
    arcs: IntArray  # arc index of each x variable
    a_need: IntArray  # need of each x variable
    x_start: IntArray  # need n's x variables are x[x_start[n] : x_start[n + 1]]
    x: list[Any]
    y: list[Any]
    p_order: IntArray  # pairing arcs by cadre (see _groups)
    p_start: IntArray
    v_order: IntArray  # x variables by village (see _groups)
    v_start: IntArray
    n_vars: int
    n_cons: int = 0
    obj_vars: list[Any] = field(default_factory=list)
    obj_coefs: list[int] = field(default_factory=list)
    # constant objective terms, real units; -0.0 is the exact identity of +=
    offset: float = -0.0
    slack: float = 0.0  # rounding slack of the bound, scaled units
    multi: list[tuple[int, int, Any]] = field(default_factory=list)  # (need, pool, f var)
    single: dict[int, int] = field(default_factory=dict)  # need -> the one pool that pays it
    shortfall_rows: list[tuple[int, Any]] = field(default_factory=list)
    fairness_rows: list[tuple[Any, int, IntArray, IntArray]] = field(default_factory=list)

    @classmethod
    def start(cls, problem: Problem, servable: BoolArray) -> _Builder:
        """The decision variables, unnamed (faster): ``x`` per arc of a modelled need (arcs
        are grouped by need, so a need's are contiguous), then ``y`` per pairing arc."""
        model = cp_model.CpModel()
        arcs = np.flatnonzero(servable[problem.arc_need]).astype(np.int64)
        x = [model.new_bool_var("") for _ in range(len(arcs))]
        a_need = problem.arc_need[arcs]
        x_start = np.searchsorted(a_need, np.arange(problem.n_needs + 1)).astype(np.int64)
        y = [model.new_bool_var("") for _ in range(len(problem.pair_cadre))]
        p_order, p_start = _groups(problem.pair_cadre, problem.n_providers)
        v_order, v_start = _groups(problem.need_village[a_need], len(problem.village_ids))
        return cls(
            problem=problem,
            servable=servable,
            model=model,
            arcs=arcs,
            a_need=a_need,
            x_start=x_start,
            x=x,
            y=y,
            p_order=p_order,
            p_start=p_start,
            v_order=v_order,
            v_start=v_start,
            n_vars=len(x) + len(y),
        )

    def built(self) -> _Built:
        """Set the objective and hand the model over."""
        _set_maximize(self.model, self.obj_vars, self.obj_coefs)
        return _Built(
            model=self.model,
            arcs=self.arcs,
            x=self.x,
            y=self.y,
            multi_funding=self.multi,
            single_pool=self.single,
            offset=self.offset,
            slack=self.slack,
            n_vars=self.n_vars,
            n_constraints=self.n_cons,
            shortfall_rows=self.shortfall_rows,
            fairness_rows=self.fairness_rows,
        )


def _build(problem: Problem, servable: BoolArray) -> _Built:
    """The CP-SAT model of ``problem``: one function per hard rule, then per objective term.

    H2 (skill and level) and H3 (travel, towns, reachability) hold on every arc by construction;
    H8 (no repeat aid) is in ``servable``: a held-back need gets no variable. The order of the
    calls is the order of the model, the same as in :func:`solvers.linear_model.build_linear_model`;
    keep it (H7 before H4 included): CP-SAT's search, and so the plans, depend on it.
    """
    b = _Builder.start(problem, servable)
    _add_h1_served_once(b)
    _add_h7_pairings(b)
    _add_h4_hours(b)
    _add_h5_funding(b)
    _add_h6_village_cap(b)
    _add_served_value(b)
    _add_pairing_changes(b)
    _add_shortfall(b)
    _add_fairness(b)
    return b.built()


def _add_h1_served_once(b: _Builder) -> None:
    """H1 (DESIGN §4): at most one ``x`` per need that has two or more arcs; a pinned need's arc
    to its provider fixed to 1 (the caller has checked that it exists)."""
    problem, x, x_start = b.problem, b.x, b.x_start
    for n in np.flatnonzero(np.diff(x_start) > 1).tolist():
        b.model.add_at_most_one(x[x_start[n] : x_start[n + 1]])
        b.n_cons += 1
    for n in np.flatnonzero(problem.need_pinned >= 0).tolist():
        lo, hi = int(x_start[n]), int(x_start[n + 1])
        hit = np.flatnonzero(problem.arc_provider[b.arcs[lo:hi]] == problem.need_pinned[n])
        b.model.add(x[lo + int(hit[0])] == 1)
        b.n_cons += 1


def _add_h7_pairings(b: _Builder) -> None:
    """H7 (DESIGN §4): ``Σ y <= max_villages`` per cadre with more pairing arcs than that. Only
    cadres, within their travel limit, once per village: that is what the pairing arcs are."""
    problem = b.problem
    for c in range(problem.n_providers):
        lo, hi = int(b.p_start[c]), int(b.p_start[c + 1])
        if hi - lo > problem.provider_max_villages[c]:
            b.model.add(
                cp_model.LinearExpr.sum([b.y[e] for e in b.p_order[lo:hi].tolist()])
                <= int(problem.provider_max_villages[c])
            )
            b.n_cons += 1


def _add_h4_hours(b: _Builder) -> None:
    """H4 (DESIGN §4): per provider, hours of its arcs and pairings ``<=`` its hours, in
    milliseconds with usage rounded up and capacity down; left out when everything fits."""
    problem = b.problem
    arc_units = _ceil_units(problem.arc_hours[b.arcs])
    pair_units = _ceil_units(problem.pair_hours)
    cap_units = _floor_units(problem.provider_capacity)
    a_order, a_start = _groups(problem.arc_provider[b.arcs], problem.n_providers)
    for p in range(problem.n_providers):
        xs = a_order[a_start[p] : a_start[p + 1]]
        es = b.p_order[b.p_start[p] : b.p_start[p + 1]]
        if int(arc_units[xs].sum() + pair_units[es].sum()) <= cap_units[p]:
            continue
        terms = [b.x[i] for i in xs.tolist()] + [b.y[e] for e in es.tolist()]
        coefs = arc_units[xs].tolist() + pair_units[es].tolist()
        b.model.add(cp_model.LinearExpr.weighted_sum(terms, coefs) <= int(cap_units[p]))
        b.n_cons += 1


def _add_h5_funding(b: _Builder) -> None:
    """H5 (DESIGN §4): per need with cost > 0 and two or more admitting pools, ``f[n,q]`` in
    [0, min(limit, cost)] with ``Σ_q f = cost * served``; a need with one such pool is charged to
    it as ``cost * x``. Pool totals ``<= amount`` where the most they could pay exceeds it."""
    problem, model = b.problem, b.model
    cost = problem.need_cost
    pool_terms: list[list[Any]] = [[] for _ in problem.pool_ids]
    pool_coefs: list[list[int]] = [[] for _ in problem.pool_ids]
    pool_max = np.zeros(len(problem.pool_ids), dtype=np.int64)
    for n in np.flatnonzero(b.servable & (cost > 0)).tolist():
        c = int(cost[n])
        pools = [q for q in problem.pools_of(n).tolist() if problem.pool_limit[q] > 0]
        xs_n = b.x[b.x_start[n] : b.x_start[n + 1]]
        if len(pools) == 1:
            q = pools[0]
            b.single[n] = q
            pool_terms[q].extend(xs_n)
            pool_coefs[q].extend([c] * len(xs_n))
            pool_max[q] += c
            continue
        fs = []
        for q in pools:
            ub = min(int(problem.pool_limit[q]), c)
            f = model.new_int_var(0, ub, f"f{n}_{q}")
            fs.append(f)
            b.multi.append((n, q, f))
            pool_terms[q].append(f)
            pool_coefs[q].append(1)
            pool_max[q] += ub
        b.n_vars += len(fs)
        model.add(
            cp_model.LinearExpr.weighted_sum(fs + xs_n, [1] * len(fs) + [-c] * len(xs_n)) == 0
        )
        b.n_cons += 1
    for q in range(len(problem.pool_ids)):
        if pool_max[q] > problem.pool_amount[q]:
            model.add(
                cp_model.LinearExpr.weighted_sum(pool_terms[q], pool_coefs[q])
                <= int(problem.pool_amount[q])
            )
            b.n_cons += 1


def _add_h6_village_cap(b: _Builder) -> None:
    """H6 (DESIGN §4): per village, ``Σ cost * x <= cap`` over its arcs with cost > 0; left out
    when the costs of all its modelled needs fit."""
    problem = b.problem
    cost = problem.need_cost
    a_cost = cost[b.a_need]
    for v in range(len(problem.village_ids)):
        xs = b.v_order[b.v_start[v] : b.v_start[v + 1]]
        xs = xs[a_cost[xs] > 0]
        if xs.size == 0:
            continue
        if int(cost[np.unique(b.a_need[xs])].sum()) <= problem.village_cap[v]:
            continue
        b.model.add(
            cp_model.LinearExpr.weighted_sum([b.x[i] for i in xs.tolist()], a_cost[xs].tolist())
            <= int(problem.village_cap[v])
        )
        b.n_cons += 1


def _add_served_value(b: _Builder) -> None:
    """Objective, DESIGN §5: ``value - travel penalty`` per arc on ``x``, scaled and rounded;
    the slack gains, per need, the largest rounding up among its arcs."""
    true_x = OBJECTIVE_SCALE * b.problem.arc_value[b.arcs]
    coef_x = np.rint(true_x).astype(np.int64)
    b.obj_vars += b.x
    b.obj_coefs += coef_x.tolist()
    if b.arcs.size:
        need_err = np.zeros(b.problem.n_needs)
        np.maximum.at(need_err, b.a_need, np.maximum(0.0, true_x - coef_x))
        b.slack += float(need_err.sum())


def _add_pairing_changes(b: _Builder) -> None:
    """Objective, DESIGN §5: every existing pairing costs its change penalty (a constant), and
    keeping one (``y = 1`` on an existing pairing arc) earns the penalty back."""
    problem = b.problem
    b.offset += -problem.change_penalty * problem.existing_pairings
    existing = np.flatnonzero(problem.pair_existing).tolist()
    if existing and problem.change_penalty > 0:
        true_c = OBJECTIVE_SCALE * problem.change_penalty
        coef_c = round(true_c)
        b.obj_vars += [b.y[e] for e in existing]
        b.obj_coefs += [coef_c] * len(existing)
        b.slack += max(0.0, true_c - coef_c) * len(existing)


def _add_shortfall(b: _Builder) -> None:
    """Objective, DESIGN §5: ``s[v] + Σ y >= min_cadres`` per village with a pairing arc,
    ``s[v]`` penalised; a village with none is short of every cadre (a constant)."""
    problem = b.problem
    if not (problem.min_cadres > 0 and problem.shortfall_penalty > 0):
        return
    true_s = -OBJECTIVE_SCALE * problem.shortfall_penalty
    coef_s = round(true_s)
    pv_order, pv_start = _groups(problem.pair_village, len(problem.village_ids))
    for v in range(len(problem.village_ids)):
        es = pv_order[pv_start[v] : pv_start[v + 1]].tolist()
        if not es:
            b.offset -= problem.shortfall_penalty * problem.min_cadres
            continue
        s = b.model.new_int_var(0, problem.min_cadres, f"s{v}")
        b.n_vars += 1
        b.model.add(cp_model.LinearExpr.sum([s, *(b.y[e] for e in es)]) >= problem.min_cadres)
        b.n_cons += 1
        b.obj_vars.append(s)
        b.obj_coefs.append(coef_s)
        b.shortfall_rows.append((v, s))
        b.slack += max(0.0, true_s - coef_s) * problem.min_cadres


def _add_fairness(b: _Builder) -> None:
    """Objective, DESIGN §5: ``g[v] + Σ w * x >= rhs`` per village with a floor and an arc,
    with ``w`` and ``rhs`` the need values and the floor scaled by ``fairness_weight``, so
    ``g[v]`` costs exactly 1; a village with a floor and no arc is a constant."""
    problem = b.problem
    if not (problem.fairness_weight > 0 and problem.fairness_floor > 0):
        return
    fk = problem.fairness_weight * OBJECTIVE_SCALE
    true_w = fk * problem.need_value
    coef_w = np.rint(true_w).astype(np.int64)
    for v in range(len(problem.village_ids)):
        floor_v = problem.fairness_floor * float(problem.village_servable_value[v])
        if floor_v <= 0:
            continue
        xs = b.v_order[b.v_start[v] : b.v_start[v + 1]]
        if xs.size == 0:
            b.offset -= problem.fairness_weight * floor_v
            continue
        rhs = round(fk * floor_v)
        needs_v = np.unique(b.a_need[xs])
        b.slack += abs(rhs - fk * floor_v) + float(np.abs(true_w[needs_v] - coef_w[needs_v]).sum())
        if rhs <= 0:
            continue
        g = b.model.new_int_var(0, rhs, f"g{v}")
        b.n_vars += 1
        wx = coef_w[b.a_need[xs]]
        b.model.add(
            cp_model.LinearExpr.weighted_sum([g] + [b.x[i] for i in xs.tolist()], [1, *wx.tolist()])
            >= rhs
        )
        b.n_cons += 1
        b.obj_vars.append(g)
        b.obj_coefs.append(-1)
        b.fairness_rows.append((g, rhs, xs, wx))


def _add_hint(problem: Problem, built: _Built, hint: Solution) -> None:
    """Hint every decision of ``hint`` (arcs, pairings, funding when given) and the shortfall
    and fairness variables they imply, so a complete feasible hint is a ready first plan."""
    if len(hint.need_provider) != problem.n_needs:
        raise ValueError(
            f"hint has {len(hint.need_provider)} needs, the problem has {problem.n_needs}"
        )
    n_vill = len(problem.village_ids)
    chosen_x = hint.need_provider[problem.arc_need[built.arcs]] == problem.arc_provider[built.arcs]
    keys = np.array([c * n_vill + v for c, v in hint.pairings], dtype=np.int64)
    chosen_y = np.isin(problem.pair_cadre * n_vill + problem.pair_village, keys)
    variables: list[Any] = [*built.x, *built.y]
    values: list[int] = [*chosen_x.astype(np.int64).tolist(), *chosen_y.astype(np.int64).tolist()]
    if hint.funding:
        amounts: dict[tuple[int, int], int] = {}
        for line in hint.funding:
            key = (line.need, line.pool)
            amounts[key] = amounts.get(key, 0) + line.amount
        for n, q, var in built.multi_funding:
            variables.append(var)
            values.append(amounts.get((n, q), 0))
    counts = np.bincount(problem.pair_village[chosen_y], minlength=n_vill)
    for v, var in built.shortfall_rows:
        variables.append(var)
        values.append(max(0, problem.min_cadres - int(counts[v])))
    for var, rhs, xs, wx in built.fairness_rows:
        variables.append(var)
        values.append(max(0, rhs - int(wx[chosen_x[xs]].sum())))
    # what model.add_hint does per variable, in bulk (all hinted variables are positive refs)
    hint_proto = built.model.proto.solution_hint
    hint_proto.vars.extend([var.index for var in variables])
    hint_proto.values.extend(values)


class _Callback(cp_model.CpSolverSolutionCallback):
    """Emits a :class:`Progress` per improved plan and stops the search on the stop event."""

    def __init__(
        self, params: SolveParams, built: _Built, started: float, stopped: threading.Event
    ) -> None:
        super().__init__()
        self._params = params
        self._offset = built.offset
        self._slack = built.slack
        self._started = started
        self._stopped = stopped
        self._best = -math.inf
        self.error: BaseException | None = None

    def on_solution_callback(self) -> None:
        stop = self._params.stop
        if stop is not None and stop.is_set():
            self._stopped.set()
            self.stop_search()
        report = self._params.on_progress
        objective = float(self.objective_value) / OBJECTIVE_SCALE + self._offset
        if report is None or self.error is not None or objective <= self._best:
            return
        self._best = objective
        raw = float(self.best_objective_bound)
        bound = (raw + self._slack) / OBJECTIVE_SCALE + self._offset if math.isfinite(raw) else None
        try:
            report(Progress(time.perf_counter() - self._started, objective, bound, "cpsat"))
        except BaseException as exc:  # re-raised by solve() once CP-SAT has returned
            self.error = exc
            self.stop_search()


def _watch(
    solver: cp_model.CpSolver,
    stop: threading.Event,
    done: threading.Event,
    stopped: threading.Event,
) -> None:
    """Stop the search when the caller sets ``stop``; end when the solve is done."""
    while not done.is_set():
        if stop.wait(0.05):
            if not done.is_set():
                stopped.set()
                solver.stop_search()
            return


_STATUS: dict[cp_model.CpSolverStatus, Status] = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "error",
}


class CpSatSolver:
    """Exact CP-SAT solver of H1-H8 and the objective (see the module docstring)."""

    name = "cpsat"

    def __init__(self, deterministic: bool = True) -> None:
        self.deterministic = deterministic

    def solve(self, problem: Problem, params: SolveParams) -> SolveResult:
        """Build the model, solve it within ``params`` and read the plan back."""
        started = time.perf_counter()
        stats: dict[str, float | int | str] = {
            "arcs": problem.n_arcs,
            "pairing_arcs": len(problem.pair_cadre),
            "objective_scale": OBJECTIVE_SCALE,
            "hours_scale": HOURS_SCALE,
        }

        def result(
            status: Status,
            solution: Solution | None = None,
            bound: float | None = None,
            claimed: float | None = None,
        ) -> SolveResult:
            seconds = time.perf_counter() - started
            stats["wall_seconds"] = seconds
            return SolveResult(
                solver=self.name,
                status=status,
                solution=solution if solution is not None else Solution.empty(problem.n_needs),
                seconds=seconds,
                seed=params.seed,
                bound=bound,
                claimed_objective=claimed,
                stats=stats,
            )

        stop = params.stop
        if stop is not None and stop.is_set():
            stats["cpsat_status"] = "NOT_RUN"
            stats["reason"] = "stopped before the search started"
            return result("stopped")

        servable = servable_needs(problem)
        for n in np.flatnonzero(problem.need_pinned >= 0).tolist():
            own = problem.arcs_of(n)
            has_arc = bool(
                (problem.arc_provider[own.start : own.stop] == problem.need_pinned[n]).any()
            )
            if not (servable[n] and has_arc):
                stats["cpsat_status"] = "NOT_RUN"
                stats["reason"] = (
                    f"need {problem.need_ids[n]} is pinned to "
                    f"{problem.provider_ids[problem.need_pinned[n]]}, which cannot serve it"
                )
                return result("infeasible")

        built = _build(problem, servable)
        if params.hint is not None:
            _add_hint(problem, built, params.hint)
        stats.update(
            variables=built.n_vars,
            constraints=built.n_constraints,
            arc_vars=len(built.x),
            pairing_vars=len(built.y),
            funding_vars=len(built.multi_funding),
            bound_slack=built.slack / OBJECTIVE_SCALE,
            build_seconds=time.perf_counter() - started,
        )

        if stop is not None and stop.is_set():
            stats["cpsat_status"] = "NOT_RUN"
            stats["reason"] = "stopped before the search started"
            return result("stopped")

        solver = cp_model.CpSolver()
        workers = max(1, int(params.workers))
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = int(params.seed) % (2**31)
        solver.parameters.log_search_progress = False
        if self.deterministic and workers > 1:
            solver.parameters.interleave_search = True
        if params.time_limit is not None:
            # The limit covers building the model too: the caller's budget is wall time.
            left = float(params.time_limit) - (time.perf_counter() - started)
            solver.parameters.max_time_in_seconds = max(0.01, left)
        stats["workers"] = workers
        stats["interleave_search"] = int(bool(solver.parameters.interleave_search))

        stopped = threading.Event()  # set when the caller's stop event ended the search
        callback = _Callback(params, built, started, stopped)
        done = threading.Event()
        watcher: threading.Thread | None = None
        if stop is not None:
            watcher = threading.Thread(
                target=_watch, args=(solver, stop, done, stopped), name="cpsat-stop", daemon=True
            )
            watcher.start()
        solve_started = time.perf_counter()
        try:
            code = solver.solve(built.model, callback)
        finally:
            done.set()
            if watcher is not None:
                watcher.join()
        if callback.error is not None:
            raise callback.error

        stats["solve_seconds"] = time.perf_counter() - solve_started
        stats["cpsat_status"] = solver.status_name(code)
        stats["deterministic_time"] = float(solver.deterministic_time)
        stats["conflicts"] = int(solver.num_conflicts)
        stats["branches"] = int(solver.num_branches)

        has_plan = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        # Only a search that found a plan reports a bound we trust: with UNKNOWN (no plan, e.g.
        # presolve still running at the time limit) CP-SAT was seen to report a "bound" below a
        # known feasible plan's objective on a 5,000-need county.
        raw_bound = float(solver.best_objective_bound) if has_plan else math.nan
        bound = None
        if math.isfinite(raw_bound):
            bound = (raw_bound + built.slack) / OBJECTIVE_SCALE + built.offset
            bound += 1e-9 * max(1.0, abs(bound))  # float safety
        if code == cp_model.MODEL_INVALID:
            stats["reason"] = built.model.validate()
            return result("error")
        if code == cp_model.INFEASIBLE:
            return result("infeasible")
        if not has_plan:  # UNKNOWN: no plan found
            if stopped.is_set():
                return result("stopped", bound=bound)
            stats["reason"] = "the search ended before any plan was found"
            if (problem.need_pinned >= 0).any():
                return result("error", bound=bound)
            empty = Solution.empty(problem.n_needs)
            claimed = score(problem, empty)
            return result("feasible", empty, bound, claimed)

        solution = self._extract(problem, built, solver)
        status = _STATUS[code]
        if code == cp_model.FEASIBLE and stopped.is_set():
            status = "stopped"
        claimed = score(problem, solution)
        if bound is not None:
            bound = max(bound, claimed)  # guard against float noise on an optimal plan
        return result(status, solution, bound, claimed)

    @staticmethod
    def _extract(problem: Problem, built: _Built, solver: cp_model.CpSolver) -> Solution:
        values = np.asarray(solver.response_proto.solution, dtype=np.int64)
        x_idx = np.fromiter((v.index for v in built.x), dtype=np.int64, count=len(built.x))
        y_idx = np.fromiter((v.index for v in built.y), dtype=np.int64, count=len(built.y))
        arcs = built.arcs[values[x_idx] > 0] if x_idx.size else np.zeros(0, np.int64)
        pairs = np.flatnonzero(values[y_idx] > 0) if y_idx.size else np.zeros(0, np.int64)
        need_provider = np.full(problem.n_needs, -1, dtype=np.int64)
        need_provider[problem.arc_need[arcs]] = problem.arc_provider[arcs]
        funding: list[Funding] = []
        served = need_provider >= 0
        for n, q, var in built.multi_funding:
            amount = int(values[var.index])
            if amount > 0 and served[n]:
                funding.append(Funding(n, q, amount))
        for n, q in built.single_pool.items():
            if served[n]:
                funding.append(Funding(n, q, int(problem.need_cost[n])))
        funding.sort(key=lambda f: (f.need, f.pool))
        pairings = tuple(
            (int(problem.pair_cadre[e]), int(problem.pair_village[e])) for e in pairs.tolist()
        )
        return Solution(need_provider, tuple(funding), pairings)


def solve(problem: Problem, params: SolveParams | None = None) -> SolveResult:
    """Solve ``problem`` with :class:`CpSatSolver` (deterministic) and ``params``."""
    return CpSatSolver().solve(problem, params if params is not None else SolveParams())
