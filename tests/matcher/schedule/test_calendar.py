"""The working-day calendar of DESIGN §9, on hand-counted days of December 2026 and the
2026 National Day holiday (1 December 2026 is a Tuesday)."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher.scenario import Cadre, Need, Policy
from matcher.schedule.calendar import (
    WorkCalendar,
    clock_minutes,
    clock_text,
    due,
    late,
    response_days,
)
from matcher.schedule.official import official_days

D = dt.date
DECEMBER = WorkCalendar(
    D(2026, 12, 1), 31, frozenset({D(2026, 12, 25)}), frozenset({D(2026, 12, 19)})
)
POLICY = Policy()  # response within 3 working days


def _need(submitted: dt.date | None = None, respond_by: dt.date | None = None) -> Need:
    return Need.model_validate(
        {
            "id": "N1",
            "village": "V1",
            "category": "medical",
            "hours": 2,
            "submitted": submitted,
            "respond_by": respond_by,
        }
    )


def test_working_days_follow_weekdays_holidays_and_make_up_days() -> None:
    """23 weekdays in December 2026, less Christmas (listed as a holiday), plus Saturday the
    19th (a listed make-up day): 23 working days."""
    days = DECEMBER.working_days
    assert len(days) == 23
    assert D(2026, 12, 25) not in days and D(2026, 12, 19) in days
    assert D(2026, 12, 5) not in days  # an ordinary Saturday
    assert days[0] == D(2026, 12, 1) and days[-1] == D(2026, 12, 31)


def test_a_providers_days_leave_out_its_days_off() -> None:
    cadre = Cadre.model_validate(
        {
            "id": "C1",
            "department": "d",
            "base": "T1",
            "skills": {},
            "hours": 80,
            "max_travel_minutes": 60,
            "days_off": ["2026-12-01", "2026-12-05"],
        }
    )
    days = DECEMBER.provider_days(cadre)
    assert len(days) == 22 and D(2026, 12, 1) not in days


def test_due_is_the_third_working_day_after_submission() -> None:
    """Submitted Monday 7th: Tue 8 (1), Wed 9 (2), Thu 10 (3)."""
    assert due(_need(D(2026, 12, 7)), DECEMBER, POLICY) == D(2026, 12, 10)


def test_a_weekend_submission_counts_from_the_next_working_day() -> None:
    """Submitted Sunday 6th: counts from Monday 7th, due Thursday 10th."""
    assert due(_need(D(2026, 12, 6)), DECEMBER, POLICY) == D(2026, 12, 10)


def test_holidays_and_make_up_days_move_the_deadline() -> None:
    """Submitted Wed 23rd: Thu 24 (1), Fri 25 is a holiday, Mon 28 (2), Tue 29 (3).
    Submitted Thu 17th: Fri 18 (1), Sat 19 is a make-up day (2), Mon 21 (3)."""
    assert due(_need(D(2026, 12, 23)), DECEMBER, POLICY) == D(2026, 12, 29)
    assert due(_need(D(2026, 12, 17)), DECEMBER, POLICY) == D(2026, 12, 21)


def test_respond_by_overrides_and_default_submission_is_the_horizons_start() -> None:
    assert due(_need(respond_by=D(2026, 12, 2)), DECEMBER, POLICY) == D(2026, 12, 2)
    assert due(_need(), DECEMBER, POLICY) == D(2026, 12, 4)  # Tue 1st + 3: Fri 4th


def test_late_counts_working_days_past_the_deadline() -> None:
    """Due Thu 10th: served Fri 11th is 1 late, Mon 14th 2 late, on the 10th or before 0."""
    need = _need(D(2026, 12, 7))
    assert [late(need, D(2026, 12, d), DECEMBER, POLICY) for d in (9, 10, 11, 14)] == [0, 0, 1, 2]


def test_response_days_count_from_submission() -> None:
    """Submitted Sunday 6th (counts from Monday 7th), served Wednesday 9th: 2 working days."""
    assert response_days(_need(D(2026, 12, 6)), D(2026, 12, 9), DECEMBER) == 2
    # Submitted before the horizon (November): the same rule outside it.
    assert response_days(_need(D(2026, 11, 27)), D(2026, 12, 1), DECEMBER) == 2


def test_clock_times() -> None:
    assert clock_minutes("08:30") == 510
    assert clock_text(510 + 95.4) == "10:05"
    with pytest.raises(ValueError):
        clock_minutes("eight")


def test_official_days_of_2026_national_day() -> None:
    """The State Council's 2026 notice: 1-7 October off, Sunday 20 September and Saturday
    10 October worked."""
    official = official_days(D(2026, 9, 1), D(2026, 11, 1))
    assert D(2026, 9, 20) in official.workdays and D(2026, 10, 10) in official.workdays
    for day in (1, 2, 5, 6, 7):
        assert D(2026, 10, day) in official.holidays
    assert D(2026, 10, 8) not in official.holidays
    assert official.missing_years == ()
