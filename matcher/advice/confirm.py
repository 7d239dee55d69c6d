"""Orchestration of blind-spot fixes: price the plan's resources with the LP relaxation, size
and rank the fixes of every blind spot (:mod:`matcher.advice.fixes`), and confirm the top ones by
solving the scenario again with the change applied.

The LP prices come from :mod:`solvers.pricing`; the re-solves from a :data:`Resolve` the
caller passes (:mod:`matcher.run` passes its own solve), so this module never imports the
orchestration that calls it. :func:`blind_spot_fixes` returns a new blind-spot report in which
each unmet group and each short village carries a ``fixes`` list, and the report a
``fix_pricing`` summary; the plan is built from it, never edited.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from matcher.advice.fixes import Prices, all_group_fixes, village_fixes
from matcher.advice.whatif import Change, apply_changes
from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.intake.issues import ScenarioInvalid
from matcher.plan import Assignment, FundingLine, Plan
from matcher.prepare.eligibility import pool_limit_per_need
from matcher.problem.assemble import plan_to_solution
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import ResourcePrices, Solution
from matcher.reports.shapes import (
    BlindSpotsReport,
    FixChange,
    FixConfirmation,
    FixPricing,
    GroupFix,
    ShortVillage,
    UnmetGroup,
)
from solvers.pricing import resource_prices

TRIES_PER_GROUP = 2  # fixes confirmed per group until one keeps its promise

Resolve = Callable[[ScenarioIndex, Plan, float], Plan]
"""Solve a (changed) scenario from a starting plan within so many seconds: the evaluated plan.
How fixes are confirmed; :func:`matcher.run.resolver` makes one of any solver."""


def _prices(
    index: ScenarioIndex,
    solution: Solution,
    seconds: float | None,
    stop: threading.Event | None,
    solved: ResourcePrices | None = None,
) -> Prices:
    problem = index.problem
    lp = (
        resource_prices(problem, solution, time_limit=seconds, stop=stop)
        if solved is None
        else solved
    )

    def by_id(ids: tuple[str, ...], values: Any) -> dict[str, float]:
        return {ids[i]: float(v) for i, v in enumerate(values) if v > 1e-12}

    return Prices(
        hours=by_id(problem.provider_ids, lp.hours),
        pool=by_id(problem.pool_ids, lp.pool),
        cap=by_id(problem.village_ids, lp.cap),
        need=by_id(problem.need_ids, lp.need),
        pairing=by_id(problem.village_ids, lp.pairing),
        converged=lp.converged,
        seconds=lp.seconds,
    )


def change_of(data: FixChange) -> Change:
    """A change back from its JSON form (:meth:`Change.to_dict`)."""
    return Change(
        kind=data["kind"],
        target=data["target"],
        amount=float(data["amount"]),
        skills=dict(data.get("skills") or {}),
        town=data.get("town"),
        minutes=data.get("max_travel_minutes"),
        department=data.get("department"),
        categories=tuple(data.get("categories") or ()),
        villages=tuple(data.get("villages") or ()),
        max_per_need=data.get("max_per_need"),
    )


def group_need_ids(evaluation: Evaluation, index: ScenarioIndex, group: UnmetGroup) -> set[str]:
    """The open needs of an unmet group (its town and category) in an evaluated plan."""
    return {
        u.need
        for u in evaluation.unmet
        if u.reason != "already_aided"
        and not getattr(u, "merged_into", None)
        and (need := index.needs.get(u.need)) is not None
        and need.category.value == group["category"]
        and index.villages[need.village].town == group["town"]
    }


def extended_plan(index: ScenarioIndex, plan: Plan, pins: dict[str, str | None]) -> Plan:
    """``plan`` with the pinned needs added, served by their providers and funded from what
    the admitting pools and the village caps have left (the fix's new money last): the start
    of a confirming re-solve, so that its search begins at least at the fix's value. A need
    that cannot be fully funded this way is left for the solver."""
    usage = evaluate(index, plan).usage
    pool_left = {q.id: q.amount - usage.pool_spent.get(q.id, 0) for q in index.scenario.pools}
    cap_left = {v: index.village_cap(v) - usage.village_funded.get(v, 0) for v in index.villages}
    added: list[Assignment] = []
    for need_id, provider_id in pins.items():
        need = index.needs.get(need_id)
        provider = index.provider(provider_id) if provider_id else None
        if need is None or provider is None:
            continue
        lines: list[FundingLine] = []
        owed = need.cost if need.cost <= cap_left[need.village] else -1
        pools = sorted(
            index.admitting_pools(need.id),
            # Existing pools first, as the fix was sized: its new money is for what they lack.
            key=lambda q: (q.id.startswith("FIX-"), -pool_left[q.id], q.id),
        )
        for pool in pools:
            take = min(owed, pool_left[pool.id], pool_limit_per_need(pool))
            if take > 0:
                lines.append(FundingLine(pool=pool.id, amount=take))
                owed -= take
        if owed != 0:
            continue
        for line in lines:
            pool_left[line.pool] -= line.amount
        cap_left[need.village] -= need.cost
        added.append(Assignment(need=need.id, provider=provider.id, funding=lines))
    return plan.model_copy(update={"assignments": [*plan.assignments, *added]})


def confirm_fix(
    index: ScenarioIndex,
    plan: Plan,
    evaluation: Evaluation,
    group: UnmetGroup,
    fix: GroupFix,
    seconds: float,
    resolve: Resolve,
    solver: str,
) -> FixConfirmation:
    """Solve again (``resolve``, named ``solver`` in the result), from ``plan`` and its
    ``evaluation``, with the fix applied and its promised needs held to the providers it names
    (``pinned_provider``): a plan that keeps every rule then proves the change serves them,
    and the objective says what it adds. An infeasible or failed solve breaks the promise."""
    started = time.monotonic()
    try:
        changed = apply_changes(index.scenario, [change_of(c) for c in fix["changes"]])
    except ScenarioInvalid as invalid:
        return {"kept": False, "error": f"the change does not apply: {invalid.errors[0]}"}
    except ValueError as bad:
        return {"kept": False, "error": f"the change does not apply: {bad}"}
    new_teams = [o.id for o in changed.organizations if o.id not in index.organizations]
    pins = {
        need: provider if provider is not None else (new_teams[0] if new_teams else None)
        for need, provider in zip(fix["need_ids"], fix["served_by"], strict=True)
    }
    scenario = changed.model_copy(
        update={
            "needs": tuple(
                n.model_copy(update={"pinned_provider": pins[n.id]}) if pins.get(n.id) else n
                for n in changed.needs
            )
        }
    )
    open_ids = group_need_ids(evaluation, index, group)
    changed_index = ScenarioIndex.build(scenario)
    start = extended_plan(changed_index, plan, pins)
    start_objective = evaluate(changed_index, start).objective
    after = resolve(changed_index, start, seconds)
    served_after = sum(1 for a in after.assignments if a.need in open_ids)
    before = evaluation.objective
    objective = after.solver.objective or 0.0
    status = after.solver.status
    usable = status in ("optimal", "feasible") and not after.violations
    return {
        "method": "re-solve with the change and the promised needs pinned to its providers",
        "solver": solver,
        "status": status,
        "needs_open_before": len(open_ids),
        "needs_served_before": 0,
        "needs_served_after": served_after if usable else 0,
        "kept": usable and served_after >= fix["needs_promised"],
        "objective_before": round(before, 2),
        "objective_after": round(objective, 2) if usable else None,
        "value_added": round(objective - before, 2) if usable else None,
        # The promised services alone, before the re-solve searched on: the fix's own part.
        "value_of_promised_services": round(start_objective - before, 2),
        "seconds": round(time.monotonic() - started, 2),
    }


def _largest_first(groups: list[UnmetGroup]) -> list[int]:
    """Indices of the unmet groups, most needs (then most value open) first."""
    return sorted(
        range(len(groups)),
        key=lambda i: (
            -groups[i]["needs"],
            -groups[i]["value_open"],
            groups[i]["town"],
            groups[i]["category"],
        ),
    )


def blind_spot_fixes(
    index: ScenarioIndex,
    plan: Plan,
    evaluation: Evaluation,
    report: BlindSpotsReport,
    *,
    solution: Solution | None,
    price_seconds: float | None,
    confirm: int,
    confirm_seconds: float,
    resolve: Resolve,
    solver: str,
    stop: threading.Event | None = None,
    deadline: float | None = None,
    solved: ResourcePrices | None = None,
) -> BlindSpotsReport:
    """``report`` (the blind-spot report of ``plan``) with ranked fixes for every unmet group
    and short village, the top fix of the ``confirm`` largest groups (most needs) confirmed by
    re-solving, and a ``fix_pricing`` summary: a new report, ``report`` is left as it is.
    Sizing ends at the ``time.monotonic()`` ``deadline``, largest groups first. ``solved``: the
    LP's prices as the solver found them (no second LP solve)."""
    if solution is None:
        solution, _ = plan_to_solution(index.problem, plan)
    prices = _prices(index, solution, price_seconds, stop, solved)
    groups = report.get("unmet_groups", [])
    ranked, sized = all_group_fixes(index, evaluation, prices, groups, deadline, stop)
    confirmed = 0
    for i in _largest_first(groups)[:confirm]:
        tried = [j for j, f in enumerate(ranked[i]) if f["changes"]][:TRIES_PER_GROUP]
        for j in tried:
            if stop is not None and stop.is_set():
                break
            outcome = confirm_fix(
                index, plan, evaluation, groups[i], ranked[i][j], confirm_seconds, resolve, solver
            )
            ranked[i][j] = {**ranked[i][j], "confirmed": outcome}
            confirmed += 1
            if outcome["kept"]:
                break
    fixed_groups: list[UnmetGroup] = [
        {**group, "fixes": fixes} for group, fixes in zip(groups, ranked, strict=True)
    ]
    villages: list[ShortVillage] = [
        {**village, "fixes": village_fixes(index, evaluation, prices, village)}
        if (deadline is None or time.monotonic() <= deadline)
        and (stop is None or not stop.is_set())
        else village
        for village in report.get("short_villages", [])
    ]
    pricing: FixPricing = {
        "method": "LP relaxation dual prices (column generation, HiGHS)",
        "lp_converged": prices.converged,
        "lp_seconds": round(prices.seconds, 3),
        "groups_with_fixes": sum(1 for fixes in ranked if fixes),
        "fixes_confirmed": confirmed,
        "confirm_solver": solver if confirmed else None,
    }
    if sized < len(groups):
        pricing["groups_sized"] = sized  # the time limit ended sizing: the largest groups
    return {
        **report,
        "unmet_groups": fixed_groups,
        "short_villages": villages,
        "fix_pricing": pricing,
    }
