"""What providers do on a working day: carry out the needs published to them.

Each provider that works that day (a working day of the horizon, not one of its ``days_off``)
takes its ``started`` needs first (their later visits), then its ``assigned`` needs dated on or
before the day, by date, then deadline (``due(n)``), then arrival. A visit costs the need's
hours divided by its visits, plus one round trip to the village (several needs in one village
on one day share the trip). The provider stops taking needs when the next would pass its daily
hours, except that a day always holds at least one visit (a long need fills the day). A need's
first visit posts ``started``; its last visit posts ``resolved`` (the same day for a one-visit
need). Every change goes through the register's rules: nothing here edits a record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from matcher.generator.arrivals import Fate
from matcher.register.memory import MemoryRegister
from matcher.register.model import NeedEvent, RegisteredNeed
from matcher.replay.reach import Reach
from matcher.schedule.calendar import WorkCalendar, due

# Hours compared with a tolerance (need hours carry decimals).
_EPS = 1e-9


@dataclass
class Workload:
    """The month's work so far: travel hours and the visits each need has had."""

    travel_hours: float = 0.0
    visits: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Crew:
    """Who works on which day, and for how many hours."""

    days: dict[str, frozenset[dt.date]]
    daily_hours: dict[str, float]

    @staticmethod
    def of(reach: Reach, calendar: WorkCalendar) -> Crew:
        """The county's providers' working days and daily hours (DESIGN §9)."""
        policy = reach.county.policy
        return Crew(
            {pid: frozenset(calendar.provider_days(p)) for pid, p in reach.providers.items()},
            {pid: p.daily_hours or policy.daily_hours for pid, p in reach.providers.items()},
        )


def _queue_key(
    need: RegisteredNeed, calendar: WorkCalendar, reach: Reach
) -> tuple[int, dt.date, dt.date, dt.date, str]:
    deadline = due(need.need, calendar, reach.county.policy) or dt.date.max
    return (
        0 if need.status == "started" else 1,
        need.date or dt.date.min,
        deadline,
        need.submitted,
        need.id,
    )


def work_day(
    register: MemoryRegister,
    day: dt.date,
    reach: Reach,
    crew: Crew,
    calendar: WorkCalendar,
    fates: Mapping[str, Fate],
    workload: Workload,
    on_resolved: Callable[[RegisteredNeed], None],
) -> None:
    """Carry out ``day``'s work (module docstring); ``on_resolved`` hears of each need
    resolved (the household's answer is asked there)."""
    queues: dict[str, list[RegisteredNeed]] = defaultdict(list)
    for need in register.needs():
        if need.provider is None or day not in crew.days.get(need.provider, frozenset()):
            continue
        if need.status == "started" or (
            need.status == "assigned" and need.date is not None and need.date <= day
        ):
            queues[need.provider].append(need)
    for pid in sorted(queues):
        used = 0.0
        visited: set[str] = set()
        for need in sorted(queues[pid], key=lambda n: _queue_key(n, calendar, reach)):
            fate = fates.get(need.id, Fate())
            visits = max(1, fate.visits)
            trip = 0.0 if need.need.village in visited else reach.trip_hours(pid, need.need.village)
            cost = need.need.hours / visits + trip
            if used > 0 and used + cost > crew.daily_hours[pid] + _EPS:
                continue
            used += cost
            workload.travel_hours += trip
            visited.add(need.need.village)
            done = workload.visits.get(need.id, 0) + 1
            workload.visits[need.id] = done
            if need.status == "assigned":
                register.post(need.id, NeedEvent("started", day))
            if done >= visits:
                on_resolved(register.post(need.id, NeedEvent("resolved", day)))
