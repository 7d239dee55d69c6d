"""The day loop of ``matcher replay``: one policy through one simulated month (DESIGN §10).

For each working day of the horizon, in order:

1. morning: the policy acts (a re-plan publishes a plan);
2. the day's arrivals are accepted into the register as ``open`` (a need submitted on a
   non-working day arrives on the next working day); a dispatching policy then gives out the
   open needs and publishes;
3. work: providers carry out their published needs (:mod:`matcher.replay.execution`); each
   resolved need's household may answer (:mod:`matcher.replay.households`);
4. fates: households close the needs their fate closes that day.

Every change goes through :class:`~matcher.register.memory.MemoryRegister` (the register rules
the API applies too). At the end the month's figures are read from the register
(:mod:`matcher.replay.measures`). Everything but the ``auto`` solver's time-bound search is
determined by the arrivals and the seed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from matcher.generator.arrivals import Arrivals
from matcher.register.kpis import ServiceKpis
from matcher.register.memory import MemoryRegister
from matcher.replay.execution import Crew, Workload, work_day
from matcher.replay.households import Answers, close_by_fate
from matcher.replay.measures import month_figures, month_kpis
from matcher.replay.month import Month
from matcher.replay.policies import make_policy
from matcher.replay.reach import Reach
from matcher.schedule.calendar import WorkCalendar


@dataclass(frozen=True)
class ReplayOptions:
    """How to run the re-planning policies (the dispatchers need no options)."""

    time_limit_per_day: float = 5.0
    max_changes: int | None = None
    seed: int = 0
    workers: int = 1
    # max_changes as a share of the published, unstarted work of the morning (rounded up).
    max_changes_share: float | None = None


@dataclass(frozen=True)
class ReplayResult:
    """One policy's month: its register, the service KPIs and the figures of its CSV row."""

    policy: str
    register: MemoryRegister
    kpis: ServiceKpis
    figures: dict[str, Any]


def replay(
    arrivals: Arrivals,
    policy_name: str,
    options: ReplayOptions = ReplayOptions(),
    *,
    reach: Reach | None = None,
    on_day: Callable[[str, int, int], None] | None = None,
) -> ReplayResult:
    """Run ``policy_name`` through the month of ``arrivals`` (module docstring). ``reach`` may
    be shared between policies of one county; ``on_day(policy, day number, days)`` hears of
    progress."""
    started = time.monotonic()
    county = arrivals.county
    calendar = WorkCalendar.of(county)
    reach = reach or Reach.of(county)
    month = Month(county, calendar, MemoryRegister(), reach, Crew.of(reach, calendar))
    policy = make_policy(
        policy_name,
        time_limit=options.time_limit_per_day,
        max_changes=options.max_changes,
        seed=options.seed,
        workers=options.workers,
        max_changes_share=options.max_changes_share,
    )
    answers = Answers.of(arrivals.needs, options.seed)
    workload = Workload()
    waiting = list(arrivals.needs)
    days = calendar.working_days
    for number, day in enumerate(days, 1):
        policy.morning(month, day)
        arrived = [n for n in waiting if n.submitted is not None and n.submitted <= day]
        waiting = waiting[len(arrived) :]
        month.register.add(arrived, day)
        policy.after_arrivals(month, day)
        work_day(
            month.register,
            day,
            reach,
            month.crew,
            calendar,
            arrivals.fates,
            workload,
            lambda need: answers.ask(month.register, need, calendar, county.policy),
        )
        close_by_fate(month.register, day, arrivals.fates)
        if on_day is not None:
            on_day(policy_name, number, len(days))
    needs = month.register.needs()
    kpis = month_kpis(county, needs, month.register.publishes())
    figures = month_figures(county, needs, kpis, workload.travel_hours)
    figures["solves"] = len(policy.solve_seconds)
    figures["solve_seconds"] = round(sum(policy.solve_seconds), 2)
    figures["unpublished"] = policy.unpublished
    figures["wall_seconds"] = round(time.monotonic() - started, 2)
    return ReplayResult(policy_name, month.register, kpis, figures)
