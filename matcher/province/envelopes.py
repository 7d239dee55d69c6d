"""Orchestration of a province run: each county's value-of-money curve from its LP relaxation, the
top-level LP that splits the province budget into county envelopes, the county files with their
envelope as a province pool, and re-solves that check a curve's promise.

Like :mod:`matcher.run` and :mod:`matcher.advice.confirm`, this module ties the domain to the
solvers (the linear model and HiGHS for the curves, :func:`matcher.run.solve_scenario` for the
checks); the rest of :mod:`matcher.province` imports no solver.

How a curve is built (:func:`value_curve`), and why this way. A county's value of money is
v(x) = the objective a county adds with x yuan more in a pool that admits every need. Its honest
figure for the product's solvers is the value function of the LP relaxation (:mod:`solvers.
lp_bound`) in the province pool's amount: ``auto`` is built on that relaxation and ends within
about half a per cent of it (gaps 0.4-0.6% at 20 s on counties of 30 villages x 600 needs;
``highs`` 0.2-0.3% at 60 s), and an LP's optimum is concave and piecewise linear in a
right-hand side, so v is a concave curve by theory, not by construction. One HiGHS model per
county:

1. the county's problem with the province pool added (:func:`with_open_pool`), compiled to the
   linear model, with the first LP's columns (each need's nearest arcs, each cadre's nearest
   villages, and the columns of the county's greedy plan);
2. solved with the province pool's row at 0 yuan, then at 1,000 yuan doubling (warm re-solves:
   only that row's bound changes), until the row's dual price is 0 (a dual price bounds the
   value function's slope from above, so from there money adds nothing) or the yuan reach the
   cost of all fundable needs;
3. the curve: the chords between the levels' optima, less the optimum at 0.

The columns stay those of step 1 (no column generation): at 5,000 needs a full column
generation takes 5-10 s per solve, a fixed column set 0.1-0.2 s per level, and a fixed column
set keeps the levels comparable (a column added at one level would lift every level, not only
its own). Chords lie below a concave function, so the curve never promises more than the
restricted LP gives at any x, and equals it at the levels.

Checked against re-solves (:func:`verify_envelope`: solve without money, then from that plan
solve again as long without and with the envelope) on the three largest envelopes of a
province of 12 counties of 30 x 600 (seed 7, budget 48,000 yuan), predicted / re-solved value
added: ``highs`` 60 s: 1,330 / 1,269 (east, 16,000 yuan), 1,853 / 1,776 (east, 16,000), 493 /
424 (west, 4,000); at four times the envelope 2,060 / 2,374, 2,426 / 2,233, 497 / 721. ``auto``
20 s: 1,330 / 969, 1,853 / 1,715, 749 / 597 (east, 12,000); at four times 2,060 / 2,030,
2,426 / 1,957, 1,649 / 1,607. The re-solves' own gaps (0.2-0.6% of objectives near 280,000,
i.e. 600-1,600) are as large as these differences, so they agree within the solvers' noise.

Why not a greedy knapsack curve (the needs a greedy plan leaves open for money alone, by value
per yuan)? It was built and measured first: it predicts what money adds to a *greedy* plan, but
the product's solvers spend the county's own money far better, and on 12 counties of 30 x 600
it promised 2-30 times the LP's value of money (4,231 against 794 for one county, 1,255
against 41 for another) and ranked the counties differently; a 60 s ``highs`` re-solve of an
eastern county gained 473 with 5,000 yuan, where the LP curve says 508 and the greedy curve
2,823.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import json
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import highspy
import numpy as np
import scipy.sparse as sp

from matcher.files import write_text_atomic
from matcher.intake.loading import parse_scenario
from matcher.plan import Plan
from matcher.problem.arrays import FloatArray, IntArray, Problem
from matcher.problem.index import ScenarioIndex
from matcher.province.allocation import allocate_budget, county_weights
from matcher.province.curves import ValueCurve
from matcher.province.document import PROVINCE_FILE, CountyCurve, CountyRun, province_document
from matcher.province.generate import (
    BUDGET_SHARE,
    DEFAULT_TILT,
    PROVINCE_DEPARTMENT,
    PROVINCE_POOL_ID,
    REGION_SHARES,
    CountySpec,
    default_budget,
    pool_total,
    province_counties,
    with_province_pool,
)
from matcher.scenario import REGIONS, Policy
from solvers.greedy import build_greedy
from solvers.highs_backend import add_columns, add_rows, new_highs, run
from solvers.linear_model import LinearModel, build_linear_model, servable_needs
from solvers.lp_bound import initial_columns

T = TypeVar("T")
R = TypeVar("R")


FIRST_LEVEL = 1000
"""Yuan of the first level above 0; each next level doubles it (step 2)."""
LEVEL_GROWTH = 2.0
FLAT_PRICE = 1e-9
"""A province-row dual price at most this is 0: money beyond the level adds nothing."""
PROVINCE_YUAN_COST = 1e-5
"""Objective charged per province yuan in the curve's LP (and added back): ties go to own
pools. A need worth less than this per yuan is not worth province money."""


def with_open_pool(problem: Problem, amount: int) -> Problem:
    """The problem with one more pool of ``amount`` yuan that admits every need (the province
    pool), its department new and last."""
    n = problem.n_needs
    q = len(problem.pool_ids)
    ends = problem.need_pool_start[1:]
    return dataclasses.replace(
        problem,
        pool_ids=(*problem.pool_ids, PROVINCE_POOL_ID),
        department_names=(*problem.department_names, PROVINCE_DEPARTMENT),
        need_pool=np.insert(problem.need_pool, ends, q),
        need_pool_start=problem.need_pool_start + np.arange(n + 1, dtype=np.int64),
        pool_amount=np.append(problem.pool_amount, amount).astype(np.int64),
        pool_limit=np.append(problem.pool_limit, amount).astype(np.int64),
        pool_department=np.append(problem.pool_department, len(problem.department_names)),
    )


def _pool_columns(problem: Problem, model: LinearModel, pool: int) -> tuple[IntArray, FloatArray]:
    """The model's columns that spend a pool's money, with the yuan per unit of each: its
    funding columns, and the arcs of needs it alone can pay (which spend the need's cost)."""
    funding = model.f.start + np.flatnonzero(model.f_pool == pool)
    needs = problem.arc_need[model.x_arc]
    single = np.flatnonzero(model.single_pool[needs] == pool)
    columns = np.concatenate([funding, model.x.start + single])
    yuan = np.concatenate([np.ones(len(funding)), problem.need_cost[needs[single]].astype(float)])
    return columns, yuan


def _pool_row(model: LinearModel, columns: IntArray) -> int | None:
    """The model's row of a pool's total (H5) from its columns, or None when the pool can
    never run out (the model then has no row for it)."""
    if "H5 pool" not in model.row_kind or len(columns) == 0:
        return None
    block = model.row_kind.index("H5 pool")
    lo, hi = int(model.row_block[block]), int(model.row_block[block + 1])
    rows = np.unique(sp.coo_array(model.A[lo:hi][:, columns]).row)
    return lo + int(rows[0]) if len(rows) == 1 else None


def value_curve(problem: Problem) -> CountyCurve:
    """The county's value-of-money curve by steps 1-3 of the module docstring."""
    started = time.perf_counter()
    # The pool's amount only has to reach every need's cost, so that the model admits every
    # need and lets the pool pay any need in full; its row's bound then sets the level.
    extended = with_open_pool(problem, max(1, int(problem.need_cost.max(initial=0))))
    top = int(problem.need_cost[servable_needs(extended)].sum())
    model = build_linear_model(extended)
    spending, yuan = _pool_columns(extended, model, len(extended.pool_ids) - 1)
    row = _pool_row(model, spending)
    if top <= 0 or row is None:
        return CountyCurve(ValueCurve.empty(), 0.0, 0, 0, time.perf_counter() - started)
    # Province money costs the LP a trifle, so that of equally good plans it picks the one
    # that spends the least (own pools first): the curve then ends at the money it needs, not
    # at money that merely replaces the county's own. The trifle is added back to each value.
    cost = model.c.copy()
    cost[spending] -= PROVINCE_YUAN_COST * yuan
    start = model.vector(extended, build_greedy(problem).solution())
    columns = np.flatnonzero(initial_columns(extended, model, start))
    h = new_highs()
    add_rows(h, model.row_lo, model.row_hi)
    add_columns(h, model.A[:, columns], cost[columns], model.col_lo[columns], model.col_hi[columns])
    points: list[tuple[float, float]] = []
    level = 0.0
    while True:
        h.changeRowBounds(row, -highspy.kHighsInf, level)
        run(h)
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            break  # no optimum (pinned needs): the levels so far are the curve
        solution = h.getSolution()
        spent = float(solution.row_value[row])
        value = float(h.getInfo().objective_function_value) + model.offset
        value += PROVINCE_YUAN_COST * spent
        if level > 0 and abs(float(solution.row_dual[row])) <= FLAT_PRICE:
            # A dual price is a supergradient of the LP's concave value in the level: at 0 it
            # proves that no more money adds anything. The curve ends where the LP stopped
            # spending (the level, or less when the row is slack).
            points.append((min(level, spent), value))
            break
        points.append((level, value))
        if level >= top:
            break
        level = min(float(top), FIRST_LEVEL if level == 0 else level * LEVEL_GROWTH)
    base = points[0][1] if points else 0.0
    return CountyCurve(
        curve=ValueCurve.from_points([(x, v - base) for x, v in points]),
        lp_objective=base,
        levels=len(points),
        columns=len(columns),
        seconds=time.perf_counter() - started,
    )


def county_index(scenario: Mapping[str, Any]) -> ScenarioIndex:
    """A generated county, validated and indexed (raises ScenarioInvalid if it is not valid)."""
    return ScenarioIndex.build(parse_scenario(dict(scenario)).scenario)


def county_run(spec: CountySpec) -> CountyRun:
    """Generate one county and build its curve (runs in a worker process)."""
    scenario = spec.scenario()
    index = county_index(scenario)
    return CountyRun(spec, pool_total(scenario), index.problem.n_needs, value_curve(index.problem))


def write_county(spec: CountySpec, envelope: int, out_dir: Path) -> str:
    """Write the county's scenario with its envelope as the province pool; the file's name."""
    data = with_province_pool(spec.scenario(), envelope)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    write_text_atomic(out_dir / spec.file_name, text + "\n")
    return spec.file_name


def _write_task(task: tuple[CountySpec, int, Path]) -> str:
    return write_county(*task)


def _mapped(
    function: Callable[[T], R],
    items: Sequence[T],
    pool: concurrent.futures.Executor | None,
    tick: Callable[[], None],
) -> list[R]:
    """``function`` over ``items`` in order, in ``pool``'s processes (None: in this one)."""
    results: list[R] = []
    mapped = map(function, items) if pool is None else pool.map(function, items)
    for result in mapped:
        results.append(result)
        tick()
    return results


def _processes(
    workers: int,
) -> contextlib.AbstractContextManager[concurrent.futures.Executor | None]:
    """``workers`` processes for the county stages, or None to run them in this process."""
    if workers <= 1:
        return contextlib.nullcontext()
    # spawn: a fresh interpreter per worker, never a fork of a process with threads (the bar).
    context = multiprocessing.get_context("spawn")
    return concurrent.futures.ProcessPoolExecutor(workers, mp_context=context)


Progress = Callable[[str, int, int], None]
"""on_progress(stage, done, total): stage ``curves``, then ``files``, then (checks) ``checks``."""


def _ticker(stage: str, total: int, on_progress: Progress | None) -> Callable[[], None]:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(stage, done, total)

    return tick


def build_province(
    counties: int,
    villages: int,
    needs: int,
    seed: int,
    out_dir: Path,
    *,
    budget_yuan: int | None = None,
    budget_share: float = BUDGET_SHARE,
    tilt: float = DEFAULT_TILT,
    shares: Sequence[float] = REGION_SHARES,
    policy: Mapping[str, Any] | None = None,
    workers: int = 2,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Generate a province county by county, split its budget by the top-level LP, write
    ``county-NNN.json`` (each with its envelope as pool ``P-province``) and ``province.json``
    to ``out_dir``, and return the province document. Counties are generated twice (for the
    curve, then for the file) rather than held in memory: generation is deterministic and
    takes a tenth of a second at 5,000 needs."""
    started = time.perf_counter()
    specs = province_counties(counties, villages, needs, seed, shares=shares, policy=policy)
    out_dir.mkdir(parents=True, exist_ok=True)
    given_budget = budget_yuan is not None
    region_weights = {
        str(region): float(weight)
        for region, weight in Policy.model_validate(dict(policy or {})).region_weights.items()
    }
    weights = county_weights([s.region for s in specs], tilt, region_weights)
    with _processes(min(workers, counties)) as pool:
        runs = _mapped(county_run, specs, pool, _ticker("curves", len(specs), on_progress))
        if budget_yuan is None:
            budget_yuan = default_budget([r.pool_total for r in runs], budget_share)
        alloc = allocate_budget([r.curve.curve for r in runs], weights, budget_yuan)
        tasks = [(spec, alloc.envelopes[i], out_dir) for i, spec in enumerate(specs)]
        _mapped(_write_task, tasks, pool, _ticker("files", len(specs), on_progress))
    settings = {
        "schema": "baolian-province/1",
        "name": f"Generated province ({counties} counties, seed {seed})",
        "seed": seed,
        "counties_total": counties,
        "villages_per_county": villages,
        "needs_per_county": needs,
        "region_shares": dict(zip(REGIONS, shares, strict=True)),
        "tilt": tilt,
        "region_weights": dict(region_weights),
        "budget_share": None if given_budget else budget_share,
        "province_pool": PROVINCE_POOL_ID,
        "curve_method": "LP relaxation at doubling province-pool amounts, chords "
        "(matcher.province.envelopes)",
    }
    document = province_document(runs, alloc, weights, settings)
    document["seconds"] = round(time.perf_counter() - started, 3)
    write_text_atomic(
        out_dir / PROVINCE_FILE, json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    )
    return document


def verify_envelope(
    scenario: Mapping[str, Any],
    amounts: Iterable[int],
    *,
    solver: str = "auto",
    time_limit: float = 20.0,
    seed: int = 0,
    workers: int = 1,
) -> Iterator[dict[str, Any]]:
    """For each amount, the curve's predicted value against re-solves. The county is solved
    without province money; from that plan it is solved again twice, as long, without and
    with the amount in the province pool. The value added is the difference of those two
    (the evaluator's objectives), so that the search's own progress from the first plan is in
    both and cancels; the difference of their proven bounds is given too. Any province pool of
    ``scenario`` is replaced."""
    from matcher.run import solve_scenario

    def solve(amount: int, previous: Plan | None) -> Plan:
        index = county_index(with_province_pool(scenario, amount))
        return solve_scenario(
            index,
            solver=solver,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            previous=previous,
        ).plan

    curve = value_curve(county_index(with_province_pool(scenario, 0)).problem).curve
    first = solve(0, None)
    without = solve(0, first)
    for amount in amounts:
        plan = solve(amount, first)
        low, high = without.solver.bound, plan.solver.bound
        yield {
            "solver": solver,
            "seconds_per_solve": time_limit,
            "envelope_yuan": amount,
            "predicted_value": round(curve.value_at(amount), 3),
            "value_added": round((plan.solver.objective or 0) - (without.solver.objective or 0), 3),
            "bound_added": None if low is None or high is None else round(high - low, 3),
            "objective_without": without.solver.objective,
            "gap_without": without.solver.gap,
            "gap_with": plan.solver.gap,
            "province_yuan_spent": plan.kpis.get("funding_by_pool", {})
            .get(PROVINCE_POOL_ID, {})
            .get("used"),
            "status": f"{without.solver.status}/{plan.solver.status}",
        }


def verify_counties(
    document: dict[str, Any],
    out_dir: Path,
    count: int,
    *,
    solver: str = "auto",
    time_limit: float = 20.0,
    on_progress: Progress | None = None,
) -> dict[str, Any]:
    """Check the curves of the ``count`` counties with the largest envelopes by re-solving
    their files with and without the envelope (:func:`verify_envelope`); the document with a
    ``verification`` list, re-written to ``province.json``."""
    chosen = sorted(document["counties"], key=lambda c: (-c["envelope_yuan"], c["number"]))
    tick = _ticker("checks", min(count, len(chosen)), on_progress)
    checks = []
    for county in chosen[:count]:
        scenario = json.loads((out_dir / county["file"]).read_text(encoding="utf-8"))
        for record in verify_envelope(
            scenario, [county["envelope_yuan"]], solver=solver, time_limit=time_limit
        ):
            checks.append({"file": county["file"], "region": county["region"], **record})
        tick()
    document = {**document, "verification": checks}
    write_text_atomic(
        out_dir / PROVINCE_FILE, json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    )
    return document
