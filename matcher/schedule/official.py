"""China's official holidays and make-up working days (``--calendar cn``), from the
``holidays`` library's ``China`` calendar, so a planner need not type the State Council's
notice into ``horizon.holidays`` and ``horizon.workdays``.

The library carries the statutory holidays of any year, but the make-up working days (调休)
only of years whose notice it has (2026 as of holidays 0.109; the notice for a year is
published in the November before). For a horizon touching a year without them the result says
so (``missing_years``), and the caller warns: its weekend working days must then be typed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import holidays

from matcher.scenario import Scenario


@dataclass(frozen=True)
class OfficialDays:
    """The official days off and make-up working days within a span of dates."""

    holidays: tuple[dt.date, ...]
    workdays: tuple[dt.date, ...]
    missing_years: tuple[int, ...]  # years of the span without the make-up working days


def official_days(start: dt.date, end: dt.date) -> OfficialDays:
    """China's official holidays (on weekdays: weekend ones change nothing) and make-up
    working days in ``[start, end)``."""
    years = list(range(start.year, (end - dt.timedelta(days=1)).year + 1))
    china = holidays.country_holidays("CN", years=years)
    workdays = sorted(d for d in china.weekend_workdays if start <= d < end)
    days_off = sorted(d for d in china if start <= d < end and d.weekday() < 5)
    known = {d.year for d in china.weekend_workdays}
    return OfficialDays(tuple(days_off), tuple(workdays), tuple(y for y in years if y not in known))


def with_official_days(scenario: Scenario) -> tuple[Scenario, OfficialDays]:
    """``scenario`` with China's official holidays and make-up working days of its horizon
    added to ``horizon.holidays`` and ``horizon.workdays`` (``--calendar cn``; days already
    listed stay, so make-up days typed for a year the library lacks are kept), and the days
    found (``missing_years``: years whose make-up days must still be typed)."""
    horizon = scenario.horizon
    found = official_days(horizon.start, horizon.end)
    filled = horizon.model_copy(
        update={
            "holidays": tuple(sorted(set(horizon.holidays) | set(found.holidays))),
            "workdays": tuple(sorted(set(horizon.workdays) | set(found.workdays))),
        }
    )
    return scenario.model_copy(update={"horizon": filled}), found
