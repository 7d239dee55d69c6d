"""The checks of the calendar fields (DESIGN §9): each problem at its path, with its id, in
Chinese and English, errors refusing the scenario and warnings letting it load."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import parse_scenario
from matcher.intake.schedule_checks import check_schedule_fields
from matcher.scenario import Scenario
from tests.conftest import DATA

COUNTY = DATA / "contract-scheduled" / "scheduled-county.json"


@pytest.fixture
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(COUNTY.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def _problems(raw: dict[str, Any]) -> list[tuple[str, str | None, str, str]]:
    return [
        (p.path, p.id, p.severity, p.message)
        for p in check_schedule_fields(Scenario.model_validate(raw))
    ]


def test_the_contract_county_has_no_problem(raw: dict[str, Any]) -> None:
    """A holiday, a make-up Saturday, days off inside the horizon, a respond_by on the day the
    need was submitted and needs submitted before the horizon: all fine."""
    assert _problems(raw) == []
    assert parse_scenario(raw).warnings == ()


def test_respond_by_before_submitted_is_refused(raw: dict[str, Any]) -> None:
    """An error at $.needs[2].respond_by naming N3, in both languages."""
    raw["needs"][2]["respond_by"] = "2026-12-01"
    assert _problems(raw) == [
        (
            "$.needs[2].respond_by",
            "N3",
            "error",
            "respond_by 2026-12-01 is before the need was submitted on 2026-12-02",
        )
    ]
    with pytest.raises(ScenarioInvalid) as refused:
        parse_scenario(raw)
    (problem,) = refused.value.errors
    assert problem.path == "$.needs[2].respond_by" and problem.id == "N3"
    assert problem.message_zh is not None and "早于" in problem.message_zh


def test_a_day_both_holiday_and_workday_is_refused(raw: dict[str, Any]) -> None:
    raw["horizon"]["holidays"].append("2026-12-05")
    assert _problems(raw) == [
        (
            "$.horizon.workdays[0]",
            None,
            "error",
            "2026-12-05 is listed both as a holiday and as a make-up working day (workdays)",
        )
    ]


def test_a_make_up_day_on_a_weekday_is_a_warning(raw: dict[str, Any]) -> None:
    raw["horizon"]["workdays"].append("2026-12-07")
    ((path, _, severity, message),) = _problems(raw)
    assert (path, severity) == ("$.horizon.workdays[1]", "warning")
    assert "is not a Saturday or Sunday" in message
    assert parse_scenario(raw).warnings  # loads, with the warning


def test_days_that_change_nothing_are_warnings(raw: dict[str, Any]) -> None:
    """A holiday after the horizon, one before every submission (N8 was submitted 11-20: a
    holiday on 11-23 moves its deadline and is kept quiet), and a day off outside the
    horizon."""
    raw["horizon"]["holidays"] += ["2026-12-24", "2026-11-02", "2026-11-23"]
    raw["cadres"][0]["days_off"].append("2026-11-30")
    found = _problems(raw)
    assert [(p, i, s) for p, i, s, _ in found] == [
        ("$.horizon.holidays[1]", None, "warning"),
        ("$.horizon.holidays[2]", None, "warning"),
        ("$.cadres[0].days_off[1]", "C1", "warning"),
    ]
    assert found[2][3] == (
        "day off 2026-11-30 lies outside the horizon (2026-12-01 to 2026-12-10): it changes nothing"
    )


def test_a_day_past_midnight_is_refused(raw: dict[str, Any]) -> None:
    """08:30 + 16 h = 00:30: refused for the policy and for a provider's own daily hours;
    08:30 + 15.5 h ends at midnight exactly and is fine."""
    raw["policy"]["daily_hours"] = 15.5
    assert _problems(raw) == []
    raw["policy"]["daily_hours"] = 16
    raw["organizations"][0]["daily_hours"] = 20
    assert [(p, i, s) for p, i, s, _ in _problems(raw)] == [
        ("$.policy.daily_hours", None, "error"),
        ("$.organizations[0].daily_hours", "O1", "error"),
    ]
    assert _problems(raw)[0][3] == (
        "a working day that starts at 08:30 and lasts 16 hours runs past midnight"
    )
