"""The working-day calendar of DESIGN §9, and the deadlines and lateness counted in it.

A day is a working day when it is a Monday to Friday not listed in ``horizon.holidays``, or a
weekend day listed in ``horizon.workdays`` (a 调休 make-up day). The same rule holds outside
the horizon: a need submitted before the horizon starts counts its deadline the same way. A
provider works on the horizon's working days that are not among its ``days_off``.

``due(n)`` is the need's ``respond_by`` when given, else the ``response_working_days``-th
working day after it was submitted (a need submitted on a non-working day counts from the next
working day; ``submitted`` defaults to the horizon's start). ``late(n)`` is the number of
working days from ``due(n)`` to the service day, 0 when on time.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from functools import cached_property

from matcher.scenario import Cadre, Need, Organization, Policy, Scenario

ONE_DAY = dt.timedelta(days=1)
# A deadline's search for working days gives up after this many calendar days: a calendar
# whose every day is a holiday has no deadline (DESIGN §9 keeps dates within 1900-2199).
_SEARCH_DAYS = 3 * 366


@dataclass(frozen=True)
class WorkCalendar:
    """Working days by DESIGN §9's rule, for one scenario's horizon and its lists."""

    start: dt.date
    days: int
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    workdays: frozenset[dt.date] = field(default_factory=frozenset)

    @staticmethod
    def of(scenario: Scenario) -> WorkCalendar:
        """The calendar of a scenario's horizon."""
        horizon = scenario.horizon
        return WorkCalendar(
            horizon.start, horizon.days, frozenset(horizon.holidays), frozenset(horizon.workdays)
        )

    @property
    def end(self) -> dt.date:
        """The first day after the horizon."""
        return self.start + dt.timedelta(days=self.days)

    def is_working_day(self, day: dt.date) -> bool:
        """Monday-Friday and not a holiday, or a listed make-up working day."""
        if day in self.workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    @cached_property
    def working_days(self) -> tuple[dt.date, ...]:
        """The horizon's working days, in order."""
        days = (self.start + dt.timedelta(days=i) for i in range(self.days))
        return tuple(d for d in days if self.is_working_day(d))

    def provider_days(self, provider: Cadre | Organization) -> tuple[dt.date, ...]:
        """The horizon's working days on which a provider works (not its ``days_off``)."""
        off = set(provider.days_off)
        return tuple(d for d in self.working_days if d not in off)

    def first_working_day(self, day: dt.date) -> dt.date | None:
        """``day`` when it is a working day, else the next one (None if none within years)."""
        for _ in range(_SEARCH_DAYS):
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        return None

    def add_working_days(self, day: dt.date, count: int) -> dt.date | None:
        """The ``count``-th working day after ``day``'s first working day (``count`` 0: that
        day itself): the deadline rule of DESIGN §9."""
        current = self.first_working_day(day)
        for _ in range(count):
            if current is None:
                return None
            current = self.first_working_day(current + ONE_DAY)
        return current

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """How many working days lie in ``(first, last]`` (0 when ``last <= first``)."""
        if last <= first:
            return 0
        inside = self.working_days
        if inside and self.start <= first and last < self.end:
            return bisect_right(inside, last) - bisect_right(inside, first)
        return sum(
            1
            for i in range(1, (last - first).days + 1)
            if self.is_working_day(first + dt.timedelta(days=i))
        )

    def working_days_before(self, day: dt.date) -> int:
        """How many of the horizon's working days come before ``day``."""
        return bisect_left(self.working_days, day)


def submitted(need: Need, calendar: WorkCalendar) -> dt.date:
    """The day a need was submitted (the horizon's start when the scenario does not say)."""
    return need.submitted if need.submitted is not None else calendar.start


def due(need: Need, calendar: WorkCalendar, policy: Policy) -> dt.date | None:
    """``due(n)`` of DESIGN §9: ``respond_by``, else the ``response_working_days``-th working
    day after the need was submitted (None only for a calendar without working days)."""
    if need.respond_by is not None:
        return need.respond_by
    return calendar.add_working_days(submitted(need, calendar), policy.response_working_days)


def late(need: Need, day: dt.date, calendar: WorkCalendar, policy: Policy) -> int:
    """``late(n)`` of DESIGN §9: working days from the need's deadline to ``day`` (0 on time)."""
    deadline = due(need, calendar, policy)
    if deadline is None:
        return 0
    return calendar.working_days_between(deadline, day)


def response_days(need: Need, day: dt.date, calendar: WorkCalendar) -> int:
    """Working days from a need's submission to its service day: the policy's "response within
    3 working days" figure (a need submitted on a non-working day counts from the next one)."""
    start = calendar.first_working_day(submitted(need, calendar))
    if start is None:
        return 0
    return calendar.working_days_between(start, day)


def clock_minutes(text: str) -> int:
    """Minutes after midnight of an ``HH:MM`` time."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def clock_text(minutes: float) -> str:
    """``HH:MM`` of minutes after midnight (rounded to the minute; past midnight as 24:xx)."""
    whole = round(minutes)
    return f"{whole // 60:02d}:{whole % 60:02d}"
