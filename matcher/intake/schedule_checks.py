"""The checks of the calendar fields of a scenario (DESIGN §9) that pydantic cannot make.

Run on every validated scenario, whether or not ``policy.schedule`` is on: the fields are data
like any other, and a wrong date is wrong either way. Errors are what no reading can make
sense of (a deadline before the need was submitted, a day that is both a holiday and a working
day, a working day that runs past midnight); warnings are what is merely useless (a make-up
working day that is a weekday anyway, a holiday or a day off that no date of the plan can
meet).
"""

from __future__ import annotations

import datetime as dt

from matcher.intake.issues import Issue, json_path
from matcher.scenario import Cadre, Organization, Scenario
from matcher.schedule.calendar import clock_minutes

_DAY_MINUTES = 24 * 60


def _respond_by(scenario: Scenario) -> list[Issue]:
    return [
        Issue.said(
            json_path(("needs", i, "respond_by")),
            "intake.schedule.respond_by_before_submitted",
            id=need.id,
            respond_by=need.respond_by.isoformat(),
            submitted=need.submitted.isoformat(),
        )
        for i, need in enumerate(scenario.needs)
        if need.respond_by is not None
        and need.submitted is not None
        and need.respond_by < need.submitted
    ]


def _calendar_days(scenario: Scenario) -> list[Issue]:
    horizon = scenario.horizon
    last = horizon.end - dt.timedelta(days=1)
    # A holiday before the horizon still moves the deadline of a need submitted before it;
    # one before every submission, or after the horizon, moves nothing a plan can show.
    first = min([horizon.start, *(n.submitted for n in scenario.needs if n.submitted)])
    holidays = set(horizon.holidays)
    problems: list[Issue] = []
    for j, day in enumerate(horizon.workdays):
        path = json_path(("horizon", "workdays", j))
        if day in holidays:
            problems.append(
                Issue.said(path, "intake.schedule.holiday_and_workday", day=day.isoformat())
            )
        elif day.weekday() < 5:
            problems.append(
                Issue.said(
                    path,
                    "intake.schedule.workday_not_weekend",
                    severity="warning",
                    day=day.isoformat(),
                )
            )
    for key, days in (("holidays", horizon.holidays), ("workdays", horizon.workdays)):
        for j, day in enumerate(days):
            if not first <= day <= last:
                problems.append(
                    Issue.said(
                        json_path(("horizon", key, j)),
                        "intake.schedule.day_outside",
                        severity="warning",
                        day=day.isoformat(),
                        start=horizon.start.isoformat(),
                        last=last.isoformat(),
                    )
                )
    return problems


def _provider_lists(
    scenario: Scenario,
) -> list[tuple[str, int, Cadre | Organization]]:
    cadres = [("cadres", i, c) for i, c in enumerate(scenario.cadres)]
    organizations = [("organizations", i, o) for i, o in enumerate(scenario.organizations)]
    return [*cadres, *organizations]


def _days_off(scenario: Scenario) -> list[Issue]:
    horizon = scenario.horizon
    last = horizon.end - dt.timedelta(days=1)
    return [
        Issue.said(
            json_path((key, i, "days_off", j)),
            "intake.schedule.day_off_outside",
            id=provider.id,
            severity="warning",
            day=day.isoformat(),
            start=horizon.start.isoformat(),
            last=last.isoformat(),
        )
        for key, i, provider in _provider_lists(scenario)
        for j, day in enumerate(provider.days_off)
        if not horizon.start <= day <= last
    ]


def _past_midnight(scenario: Scenario) -> list[Issue]:
    policy = scenario.policy
    start = clock_minutes(policy.day_start)
    problems: list[Issue] = []
    if start + 60 * policy.daily_hours > _DAY_MINUTES:
        problems.append(
            Issue.said(
                json_path(("policy", "daily_hours")),
                "intake.schedule.past_midnight",
                day_start=policy.day_start,
                hours=f"{policy.daily_hours:g}",
            )
        )
    for key, i, provider in _provider_lists(scenario):
        own = provider.daily_hours
        if own is not None and start + 60 * own > _DAY_MINUTES:
            problems.append(
                Issue.said(
                    json_path((key, i, "daily_hours")),
                    "intake.schedule.past_midnight",
                    id=provider.id,
                    day_start=policy.day_start,
                    hours=f"{own:g}",
                )
            )
    return problems


def check_schedule_fields(scenario: Scenario) -> list[Issue]:
    """Every problem of the calendar fields of DESIGN §9: ``respond_by`` before
    ``submitted``, a day both holiday and make-up working day (errors), a make-up working day
    on a weekday, holidays, make-up days and days off no plan's date can meet (warnings), and
    a day starting at ``day_start`` whose daily hours run past midnight (error)."""
    return [
        *_respond_by(scenario),
        *_calendar_days(scenario),
        *_days_off(scenario),
        *_past_midnight(scenario),
    ]
