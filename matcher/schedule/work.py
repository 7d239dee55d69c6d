"""What one provider's day planning takes and gives (DESIGN §9): its work, gathered from a
solution by :mod:`matcher.problem.days`, and its timed routes with what did not fit, which
:mod:`matcher.schedule.planner` collects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from matcher.schedule.routes import FloatArray


@dataclass(frozen=True)
class ProviderInput:
    """What one provider's days are planned from: its travel, limits and work."""

    from_base: FloatArray  # one-way minutes from the base to each village
    between: FloatArray  # village-to-village minutes
    between_rows: list[list[float]]  # the same as lists (fast scalar reads)
    days: tuple[dt.date, ...]
    limit: float  # minutes of one day's route
    capacity: float  # minutes of all its routes (H4)
    day_start: float
    visit_minutes: float
    visits: int
    gap_days: int
    horizon_start: dt.date
    horizon_days: int
    late_penalty: float
    travel_penalty_per_minute: float
    pairings: tuple[int, ...]  # villages
    needs: tuple[int, ...]  # ordered: deadline, then value, then id
    need_village: list[int]
    need_minutes: list[float]
    need_submitted: list[dt.date]
    need_due: list[dt.date | None]
    need_value: list[float]


@dataclass(frozen=True)
class TimedStop:
    """A stop of a finished route: village, clock (minutes after midnight), what is done."""

    village: int
    arrive: float
    depart: float
    visit: bool
    needs: tuple[int, ...]


@dataclass(frozen=True)
class TimedRoute:
    """One working day of one provider, timed by :func:`time_route`."""

    day: dt.date
    stops: tuple[TimedStop, ...]
    travel_minutes: float
    hours: float


@dataclass(frozen=True)
class ProviderOutcome:
    """One provider's schedule, and what did not fit."""

    routes: tuple[TimedRoute, ...]
    need_day: dict[int, dt.date]
    visit_days: dict[int, tuple[dt.date, ...]]  # village -> the pairing's visit days
    dropped_needs: tuple[int, ...]
    dropped_pairings: tuple[int, ...]  # villages
