"""The scheduler of DESIGN §9: a solution's work per provider (the needs it serves, the villages
it is paired with) made into days and routes that keep H9, H10 and H4 over routes.

Providers are independent once the assignment is made, so each is planned on its own by
:class:`matcher.schedule.provider.ProviderPlanner` (visits first, then needs by deadline, then
repairs). What fits no day is dropped: a need leaves the plan (unserved, its money released),
a pairing whose visits find no days is undone.

This module sees no compiled problem or solution (the stage below them, so that compilation
can use the day rules of :mod:`matcher.schedule.days`): :mod:`matcher.problem.days` gathers a
solution's work into :class:`~matcher.schedule.work.ProviderInput` and trims the solution by
the :class:`Schedule` made here.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from matcher.schedule.calendar import WorkCalendar
from matcher.schedule.days import WorkingRanks
from matcher.schedule.provider import ProviderPlanner
from matcher.schedule.work import ProviderInput, TimedRoute


@dataclass(frozen=True)
class PlannedRoute:
    """A timed route of one provider (its index among cadres then organisations)."""

    provider: int
    route: TimedRoute


@dataclass(frozen=True)
class Schedule:
    """Days and routes of a solution, and what of it did not fit.

    ``need_day``: each scheduled need's service day; ``visit_days``: each kept pairing's
    (cadre, village) visit days; ``dropped_needs`` and ``dropped_pairings``: to be taken out
    of the plan; ``stats``: counts and seconds for the solver's line of the plan."""

    routes: tuple[PlannedRoute, ...]
    need_day: dict[int, dt.date]
    visit_days: dict[tuple[int, int], tuple[dt.date, ...]]
    dropped_needs: tuple[int, ...]
    dropped_pairings: tuple[tuple[int, int], ...]
    stats: dict[str, float | int] = field(default_factory=dict)


def plan_providers(
    work: Mapping[int, ProviderInput],
    calendar: WorkCalendar,
    need_due: list[dt.date | None],
    *,
    deadline: float | None = None,
) -> Schedule:
    """Plan every provider's days (``work`` by provider index). ``deadline``
    (``time.monotonic()``) ends the optional repairs early; the schedule is valid either way."""
    began = time.monotonic()
    ranks = WorkingRanks(calendar)
    routes: list[PlannedRoute] = []
    need_day: dict[int, dt.date] = {}
    visit_days: dict[tuple[int, int], tuple[dt.date, ...]] = {}
    dropped_needs: list[int] = []
    dropped_pairings: list[tuple[int, int]] = []
    for p in sorted(work):
        outcome = ProviderPlanner(work[p], ranks).plan(deadline)
        routes.extend(PlannedRoute(p, r) for r in outcome.routes)
        need_day.update(outcome.need_day)
        visit_days.update({(p, v): d for v, d in outcome.visit_days.items()})
        dropped_needs.extend(outcome.dropped_needs)
        dropped_pairings.extend((p, v) for v in outcome.dropped_pairings)
    late = [ranks.late(need_due[n], day) for n, day in need_day.items()]
    stats: dict[str, float | int] = {
        "schedule_seconds": round(time.monotonic() - began, 3),
        "schedule_routes": len(routes),
        "schedule_late_needs": sum(1 for x in late if x > 0),
        "schedule_late_days": sum(late),
        "schedule_dropped_needs": len(dropped_needs),
        "schedule_dropped_pairings": len(dropped_pairings),
    }
    return Schedule(
        tuple(routes),
        need_day,
        visit_days,
        tuple(sorted(dropped_needs)),
        tuple(sorted(dropped_pairings)),
        stats,
    )
