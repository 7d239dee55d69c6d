"""A solution's days (DESIGN §9): the compiled problem's side of scheduling.

With ``policy.schedule`` on, :func:`scheduled` takes a solver's result, gathers each
provider's work from it (the needs it serves in order of deadline, the villages it is paired
with, its travel, days and hours) and has :mod:`matcher.schedule.planner` plan the days and
routes; the result comes back trimmed of what fit no day, with the :class:`Schedule` that
:func:`matcher.problem.assemble.solution_to_plan` writes into the plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict

import numpy as np

from matcher.prepare.eligibility import travel_hours
from matcher.prepare.network import village_minutes
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Solution, SolveResult
from matcher.schedule.calendar import clock_minutes, submitted
from matcher.schedule.days import ProviderDays, deadlines
from matcher.schedule.planner import Schedule, plan_providers
from matcher.schedule.routes import FloatArray
from matcher.schedule.work import ProviderInput

NO_DEADLINE = dt.date.max


def scheduled(
    index: ScenarioIndex, result: SolveResult, *, deadline: float | None = None
) -> tuple[SolveResult, Schedule | None]:
    """A solver's result with its days when ``policy.schedule`` is on: the result trimmed of
    what fit no day, and the schedule; the result unchanged and None when it is off.

    The solver's bound is of the problem without routes, where one round trip per need is
    charged and no lateness counted: it bounds no scheduled plan, so it moves to the stats as
    ``bound_unscheduled`` (the plan states no bound)."""
    if not index.scenario.policy.schedule:
        return result, None
    schedule = plan_schedule(index, result.solution, deadline=deadline)
    stats = {**result.stats, **schedule.stats}
    if result.bound is not None:
        stats["bound_unscheduled"] = result.bound
    trimmed = dataclasses.replace(
        result, solution=trim(schedule, result.solution), bound=None, stats=stats
    )
    return trimmed, schedule


def trim(schedule: Schedule, solution: Solution) -> Solution:
    """``solution`` without the needs and pairings that fit no day (their money freed)."""
    if not schedule.dropped_needs and not schedule.dropped_pairings:
        return solution
    need_provider = solution.need_provider.copy()
    need_provider[list(schedule.dropped_needs)] = -1
    gone = set(schedule.dropped_needs)
    undone = set(schedule.dropped_pairings)
    return Solution(
        need_provider,
        tuple(f for f in solution.funding if f.need not in gone),
        tuple(p for p in solution.pairings if p not in undone),
        solution.wasted,
    )


def village_minutes_of(index: ScenarioIndex) -> FloatArray:
    """Village-to-village minutes of the index's scenario, computed once per index (the key
    the evaluator's route timing shares)."""
    return index.memo("schedule.village_minutes", lambda: village_minutes(index.scenario))


def plan_schedule(
    index: ScenarioIndex, solution: Solution, *, deadline: float | None = None
) -> Schedule:
    """The days and routes of ``solution``; ``deadline`` (``time.monotonic()``) ends the
    optional repairs early."""
    scenario, problem = index.scenario, index.problem
    policy = scenario.policy
    days = index.memo("schedule.provider_days", lambda: ProviderDays.of(scenario))
    calendar = days.calendar
    need_due = index.memo("schedule.due", lambda: deadlines(scenario, calendar))
    between = village_minutes_of(index)
    between_rows = index.memo("schedule.village_rows", lambda: between.tolist())
    base_row = {b: i for i, b in enumerate(index.times.base_ids)}
    need_submitted = [submitted(n, calendar) for n in scenario.needs]
    need_minutes = (60.0 * problem.need_hours).tolist()
    need_value = problem.need_value.tolist()
    need_village = problem.need_village.tolist()
    pinned, ids = problem.need_pinned, problem.need_ids

    by_provider: dict[int, list[int]] = defaultdict(list)
    for n in np.flatnonzero(solution.need_provider >= 0).tolist():
        by_provider[int(solution.need_provider[n])].append(n)
    pairings: dict[int, list[int]] = defaultdict(list)
    for c, v in sorted(set(solution.pairings)):
        pairings[c].append(v)

    def order(n: int) -> tuple[bool, dt.date, float, str]:
        # Pinned needs first (H1 asks them served), then earliest deadline, value, id.
        return (bool(pinned[n] < 0), need_due[n] or NO_DEADLINE, -need_value[n], ids[n])

    # Services a silo planned twice spend hours off the routes (H4 charges them as ever).
    wasted: dict[int, float] = defaultdict(float)
    for service in solution.wasted:
        need = scenario.needs[service.need]
        minutes = index.minutes(index.providers[service.provider], need.village)
        wasted[service.provider] += need.hours + travel_hours(minutes, policy)

    work: dict[int, ProviderInput] = {}
    for p in sorted(set(by_provider) | set(pairings)):
        provider = index.providers[p]
        work[p] = ProviderInput(
            from_base=index.times.minutes[base_row[provider.base]],
            between=between,
            between_rows=between_rows,
            days=days.days[p],
            limit=float(days.limit_minutes[p]),
            capacity=60.0 * (provider.hours - wasted[p]),
            day_start=float(clock_minutes(policy.day_start)),
            visit_minutes=60.0 * policy.visit_hours,
            visits=policy.visits_per_pairing,
            gap_days=policy.visit_min_gap_days,
            horizon_start=calendar.start,
            horizon_days=calendar.days,
            late_penalty=policy.late_penalty_per_day,
            travel_penalty_per_minute=policy.travel_penalty_per_hour / 60.0,
            pairings=tuple(pairings.get(p, ())),
            needs=tuple(sorted(by_provider.get(p, []), key=order)),
            need_village=need_village,
            need_minutes=need_minutes,
            need_submitted=need_submitted,
            need_due=need_due,
            need_value=need_value,
        )
    return plan_providers(work, calendar, need_due, deadline=deadline)
