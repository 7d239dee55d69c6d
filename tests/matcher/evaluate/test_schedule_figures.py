"""The figures of DESIGN §9 on the scheduled contract county, each equal to the hand count of
``tests/data/contract-scheduled/README.md``: working days, deadlines, travel, every route's
recomputed duration, lateness, the objective, the KPIs, the policy figure and the unmet
reasons (``no_day_available`` among them)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import pytest

from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.evaluate.timing import calendar_of, parse_day
from matcher.plan import UNMET_REASONS, Plan, Route, Stop, read_plan
from matcher.prepare.network import village_minutes
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Scenario
from matcher.schedule.calendar import clock_text, due, late, response_days
from tests.conftest import DATA

HERE = DATA / "contract-scheduled"


@pytest.fixture
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / "scheduled-county.json").read_text("utf-8"))
    return copy.deepcopy(data)


@pytest.fixture
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((HERE / "scheduled-expected.json").read_text("utf-8"))
    return data


@pytest.fixture
def plan() -> Plan:
    return read_plan(HERE / "scheduled-plan.json")


def _index(raw: dict[str, Any]) -> ScenarioIndex:
    return ScenarioIndex.build(Scenario.model_validate(raw))


def _evaluate(raw: dict[str, Any], plan: Plan) -> Evaluation:
    return evaluate(_index(raw), plan)


def _days(texts: list[str]) -> tuple[dt.date, ...]:
    return tuple(dt.date.fromisoformat(t) for t in texts)


def test_working_days_and_provider_days(raw: dict[str, Any], expected: dict[str, Any]) -> None:
    """8 working days (the holiday out, the make-up Saturday in); days off removed."""
    index = _index(raw)
    calendar = calendar_of(index)
    assert calendar.working_days == _days(expected["working_days"])
    for provider_id, days in expected["provider_days"].items():
        provider = index.provider(provider_id)
        assert provider is not None
        assert calendar.provider_days(provider) == _days(days)


def test_travel_minutes_base_and_between_villages(
    raw: dict[str, Any], expected: dict[str, Any]
) -> None:
    """Shortest paths from each base and between villages, as counted by hand."""
    index = _index(raw)
    for base, row in expected["travel_minutes"].items():
        for village, minutes in row.items():
            assert index.times.lookup(base, village) == minutes
    between = village_minutes(index.scenario)
    position = {v: j for j, v in enumerate(index.times.village_ids)}
    for a, row in expected["village_minutes"].items():
        for b, minutes in row.items():
            assert between[position[a], position[b]] == minutes == between[position[b], position[a]]


def test_due_dates(raw: dict[str, Any], expected: dict[str, Any]) -> None:
    """Deadlines: 3 working days, from the next working day for a need submitted on a
    holiday, the horizon's start without a date, respond_by when given."""
    index = _index(raw)
    calendar, policy = calendar_of(index), index.scenario.policy
    for need_id, day in expected["due"].items():
        assert due(index.needs[need_id], calendar, policy) == dt.date.fromisoformat(day)


def test_each_route_recomputed_from_the_scenario(
    raw: dict[str, Any], expected: dict[str, Any], plan: Plan
) -> None:
    """Each route's travel, work, hours and clock, from the scenario's minutes; the plan's
    stated figures are replaced by nonsense and change nothing."""
    for r in plan.schedule or []:
        r.travel_minutes, r.hours = 999.0, 99.0
        for stop in r.stops:
            stop.arrive = stop.depart = "00:00"
    evaluation = _evaluate(raw, plan)
    routes = evaluation.usage.routes
    assert routes is not None
    for timed, hand in zip(routes.routes, expected["routes"], strict=True):
        assert (timed.route.provider, timed.route.date) == (hand["provider"], hand["date"])
        assert timed.timing is not None
        assert timed.timing.travel_minutes == hand["travel_minutes"]
        assert timed.timing.service_minutes == hand["service_minutes"]
        assert timed.hours == pytest.approx(hand["hours"], abs=1e-6)
        assert [clock_text(m) for m in timed.timing.arrive] == hand["arrive"]
        assert [clock_text(m) for m in timed.timing.depart] == hand["depart"]
    for provider_id, hours in expected["provider_hours"].items():
        assert evaluation.usage.provider_hours[provider_id] == pytest.approx(hours, abs=1e-6)


def test_lateness_and_response_days(
    raw: dict[str, Any], expected: dict[str, Any], plan: Plan
) -> None:
    """late(n) and response days of every served need, from its assignment's date."""
    index = _index(raw)
    calendar, policy = calendar_of(index), index.scenario.policy
    for a in plan.assignments:
        day = parse_day(a.date)
        assert day is not None
        need = index.needs[a.need]
        assert late(need, day, calendar, policy) == expected["late"][a.need]
        assert response_days(need, day, calendar) == expected["response_days"][a.need]


def test_objective_terms_equal_the_hand_count(
    raw: dict[str, Any], expected: dict[str, Any], plan: Plan
) -> None:
    """1710 − 10 × 305/60 (route travel) − 10 × 3 (late days) − 1000 = 629.1667."""
    terms = _evaluate(raw, plan).terms.to_dict()
    for name, value in expected["objective_terms"].items():
        assert terms[name] == pytest.approx(value, abs=1e-6), name


def test_kpis_equal_the_hand_count(
    raw: dict[str, Any], expected: dict[str, Any], plan: Plan
) -> None:
    """On-time share 4/6, 2 late, response days median 1.5 and p90 3.5, one open need past
    due, 6 routes of 305 min saving 35 min against one round trip per stop."""
    kpis: dict[str, Any] = dict(_evaluate(raw, plan).kpis)
    for name, value in expected["kpis"].items():
        assert kpis[name] == pytest.approx(value, abs=1e-6), name
    assert kpis["travel_hours"] == pytest.approx(305 / 60)


def test_response_policy_figure(raw: dict[str, Any], plan: Plan) -> None:
    """响应时限达标率: 4 of 6 on time against the 95% target, before the needs left open."""
    figures = _evaluate(raw, plan).kpis["policy_figures"]
    keys = [f["key"] for f in figures]
    assert keys[-2:] == ["response_on_time", "needs_unmet"]
    figure = figures[-2]
    assert figure["value"] == pytest.approx(4 / 6)
    assert figure["target"] == 0.95 and figure["met"] is False
    assert figure.get("detail") == {"on_time": 4, "late": 2, "days": 3}


def test_unmet_reasons_with_days(raw: dict[str, Any], expected: dict[str, Any], plan: Plan) -> None:
    """N7 fits no day of C1 (9 h + 1.5 h > 8 h): no_day_available; N8 nobody holds; N9 finds
    C2 with 0.92 h left."""
    evaluation = _evaluate(raw, plan)
    assert {u.need: u.reason for u in evaluation.unmet} == expected["unmet_reasons"]
    n7 = next(u for u in evaluation.unmet if u.need == "N7")
    assert "C1" in n7.detail and "long enough" in n7.detail
    order = list(UNMET_REASONS)
    assert order.index("no_provider_in_reach") < order.index("no_day_available")
    assert order.index("no_day_available") < order.index("capacity_exhausted")


def test_no_day_after_the_submission(raw: dict[str, Any], plan: Plan) -> None:
    """A need submitted on the horizon's last day, whose only provider is off that day, has
    no day: no_day_available, naming the days it looked at."""
    raw["needs"][6].update({"hours": 1, "submitted": "2026-12-10"})
    raw["cadres"][0]["days_off"] = ["2026-12-09", "2026-12-10"]
    reasons = {u.need: u for u in _evaluate(raw, plan).unmet}
    assert reasons["N7"].reason == "no_day_available"
    assert "none works a day from 2026-12-10" in reasons["N7"].detail
    raw["cadres"][0]["days_off"] = ["2026-12-09"]
    assert {u.need: u.reason for u in _evaluate(raw, plan).unmet}["N7"] == "not_chosen"


def test_no_room_left_in_the_days(raw: dict[str, Any], plan: Plan) -> None:
    """The plan's part of no_day_available: only C2 can serve N9 (1.5 h, from 12-01). With C2's
    day cut to 2.4 h (N9's own trip, 1.5 + 0.67 h, still fits one) and hours to spare, a trip
    to V2 (1 h of travel) on each of C2's free days leaves no day 1.5 h of room; with 12-10
    free again, N9 is merely not chosen."""
    raw["cadres"][1].update({"hours": 100, "daily_hours": 2.4})
    assert plan.schedule is not None
    for day in ("2026-12-01", "2026-12-05", "2026-12-07", "2026-12-08", "2026-12-10"):
        plan.schedule.append(
            Route(
                provider="C2", date=day, stops=[Stop(village="V2", arrive="09:00", depart="09:00")]
            )
        )
    found = {u.need: u for u in _evaluate(raw, plan).unmet}
    assert found["N9"].reason == "no_day_available"
    assert found["N9"].detail == (
        "the working days of the providers in reach are full (most room left in a day: 1.4 h; "
        "1.5 h needed)"
    )
    plan.schedule.pop()
    assert {u.need: u.reason for u in _evaluate(raw, plan).unmet}["N9"] == "not_chosen"
