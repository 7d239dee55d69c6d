"""H9, H10 and H4 over routes (DESIGN §9): one test per rule kept and broken, on the scheduled
contract county of ``tests/data/contract-scheduled`` (its README counts every figure by
hand). Anything a plan names that the scenario lacks is a violation, never an exception."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.evaluate.evaluator import Evaluation, evaluate
from matcher.plan import Plan, Route, Stop, read_plan
from matcher.scenario import Scenario
from tests.conftest import DATA

HERE = DATA / "contract-scheduled"
COUNTY = HERE / "scheduled-county.json"
PLAN = HERE / "scheduled-plan.json"
BROKEN = HERE / "scheduled-plan-broken.json"


@pytest.fixture
def raw() -> dict[str, Any]:
    """The scheduled contract county as a dict the test may change."""
    data: dict[str, Any] = json.loads(COUNTY.read_text(encoding="utf-8"))
    return copy.deepcopy(data)


@pytest.fixture
def plan() -> Plan:
    """The hand-made valid scheduled plan."""
    return read_plan(PLAN)


def run(raw: dict[str, Any], plan: Plan) -> Evaluation:
    return evaluate(Scenario.model_validate(raw), plan)


def broken(raw: dict[str, Any], plan: Plan, rule: str) -> list[str]:
    """The messages of one rule's violations."""
    return [v.message for v in run(raw, plan).violations if v.rule == rule]


def route(plan: Plan, provider: str, date: str) -> Route:
    return next(r for r in plan.schedule or [] if r.provider == provider and r.date == date)


def edit(plan: Plan, change: Callable[[dict[str, Any]], None]) -> Plan:
    """A copy of the plan with its JSON changed."""
    data = plan.model_dump(mode="json")
    change(data)
    return Plan.model_validate(data)


def test_the_valid_plan_keeps_every_rule(raw: dict[str, Any], plan: Plan) -> None:
    """The hand-made plan breaks none of H1-H10."""
    assert run(raw, plan).violations == ()


# ----------------------------------------------------------------------------- H9


def test_h9_visits_closer_than_the_gap(raw: dict[str, Any], plan: Plan) -> None:
    """H9: C1's visits 12-01 and 12-08 are 7 days apart (kept); with a gap of 8 they break."""
    assert broken(raw, plan, "H9") == []
    raw["policy"]["visit_min_gap_days"] = 8
    assert broken(raw, plan, "H9") == [
        "C1-V1 visits on 2026-12-01 and 2026-12-08 are 7 day(s) apart (at least 8)",
        "C2-V2 visits on 2026-12-02 and 2026-12-09 are 7 day(s) apart (at least 8)",
    ]


def test_h9_a_visit_on_a_day_the_cadre_does_not_work(raw: dict[str, Any], plan: Plan) -> None:
    """H9 (and H10 for its route): C2 off on 12-09 cannot visit that day."""
    raw["cadres"][1]["days_off"] = ["2026-12-09"]
    assert broken(raw, plan, "H9") == ["C2-V2 visit on 2026-12-09: a day off of C2"]
    assert broken(raw, plan, "H10") == ["C2's route on 2026-12-09: a day off of C2"]


def test_h9_visit_dates_must_match_visit_stops(raw: dict[str, Any], plan: Plan) -> None:
    """H9: a visit date without its visit stop, and a visit stop not among the dates."""
    for stop in route(plan, "C2", "2026-12-09").stops:
        stop.visit = False  # the stop is left with nothing to do: still a stop
    assert broken(raw, plan, "H9") == [
        "C2-V2 visit on 2026-12-09 is no visit stop of C2's route that day"
    ]
    plan = read_plan(PLAN)
    plan.pairings[1].visit_dates = ["2026-12-02", "2026-12-10"]
    assert broken(raw, plan, "H9") == [
        "C2-V2 visit on 2026-12-10 is no visit stop of C2's route that day",
        "C2-V2 visit stop on 2026-12-09 is not among the pairing's visit_dates",
    ]


def test_h9_too_few_visits_and_a_visit_without_pairing(raw: dict[str, Any], plan: Plan) -> None:
    """H9: a pairing with one visit date of the two needed, and a visit stop of a village the
    provider is not paired with (the C2-V2 pairing dropped)."""
    plan.pairings[0].visit_dates = ["2026-12-01"]
    assert "C1-V1 has 1 visit date(s); 2 needed" in broken(raw, plan, "H9")
    plan = read_plan(PLAN)
    plan.pairings = plan.pairings[:1]
    assert broken(raw, plan, "H9") == [
        "C2's route on 2026-12-02 visits V2, which C2 is not paired with",
        "C2's route on 2026-12-09 visits V2, which C2 is not paired with",
    ]


def test_h9_dates_that_are_no_dates(raw: dict[str, Any], plan: Plan) -> None:
    """H9: a visit date that is not ISO, a repeated one, one on a holiday and one outside the
    horizon are each named."""
    plan.pairings[0].visit_dates = ["1 Dec", "2026-12-01", "2026-12-01", "2026-12-04", "2027-01-04"]
    messages = broken(raw, plan, "H9")
    assert "C1-V1 visit date '1 Dec' is not an ISO date" in messages
    assert "C1-V1 visits twice on 2026-12-01" in messages
    assert "C1-V1 visit on 2026-12-04: not a working day" in messages
    assert "C1-V1 visit on 2027-01-04: outside the horizon (2026-12-01 to 2026-12-10)" in messages


# ----------------------------------------------------------------------------- H10


def test_h10_a_route_longer_than_the_day(raw: dict[str, Any], plan: Plan) -> None:
    """H10: C2's two-stop day takes 5.0833 h, within its own 6 h; with 5 h it does not fit.
    The plan's stated figures (hours, arrive, depart) play no part."""
    day = route(plan, "C2", "2026-12-03")
    day.hours, day.travel_minutes = 1.0, 1.0
    assert broken(raw, plan, "H10") == []
    raw["cadres"][1]["daily_hours"] = 5
    assert broken(raw, plan, "H10") == ["C2's route on 2026-12-03 takes 5.08 h > its daily 5 h"]


def test_h10_a_route_on_a_day_off_or_before_the_need(raw: dict[str, Any], plan: Plan) -> None:
    """H10: O1's route on 12-07 is kept; off that day, or with N6 submitted 12-08, it breaks."""
    raw["organizations"][0]["days_off"] = ["2026-12-07"]
    assert broken(raw, plan, "H10") == ["O1's route on 2026-12-07: a day off of O1"]
    raw["organizations"][0]["days_off"] = []
    raw["needs"][5]["submitted"] = "2026-12-08"
    assert broken(raw, plan, "H10") == [
        "N6 is served on 2026-12-07, before it was submitted on 2026-12-08"
    ]


def test_h10_each_served_need_one_stop_dated_as_its_route(raw: dict[str, Any], plan: Plan) -> None:
    """H10: a served need on no route, on two stops, without a date, or dated otherwise."""
    route(plan, "C1", "2026-12-08").stops[0].needs = []
    assert broken(raw, plan, "H10") == ["N2 served by C1 is on no route of C1"]
    plan = read_plan(PLAN)
    route(plan, "C1", "2026-12-01").stops[0].needs.append("N2")
    assert broken(raw, plan, "H10") == ["N2 is on 2 stops of C1's routes; one is kept"]
    plan = read_plan(PLAN)
    plan.assignments[1].date = None
    assert broken(raw, plan, "H10") == ["N2 by C1 has no date"]
    plan.assignments[1].date = "2026-12-07"
    assert broken(raw, plan, "H10") == ["N2 by C1 is dated 2026-12-07 but is served on 2026-12-08"]


def test_h10_one_stop_per_village_and_needs_at_their_own_village(
    raw: dict[str, Any], plan: Plan
) -> None:
    """H10: two stops of one route in V2 are one stop too many (decided: a violation, not a
    silent merge, so the order the plan states is the order timed); a need listed at another
    village's stop, or at the stop of a provider who does not serve it, is flagged."""
    day = route(plan, "C2", "2026-12-03")
    day.stops.append(Stop(village="V2", arrive="13:30", depart="13:30"))
    assert broken(raw, plan, "H10") == [
        "C2's route on 2026-12-03 stops at V2 twice: the stops of one village must be one stop"
    ]
    plan = read_plan(PLAN)
    route(plan, "C2", "2026-12-03").stops[0].needs = ["N3", "N4"]
    route(plan, "C2", "2026-12-03").stops[1].needs = []
    assert broken(raw, plan, "H10") == [
        "N4 of village V1 is at C2's route on 2026-12-03's stop in V2"
    ]
    plan = read_plan(PLAN)
    route(plan, "C2", "2026-12-03").stops[1].needs = ["N4", "N2"]
    assert "N2 is at a stop of C2's route on 2026-12-03 but C2 does not serve it" in broken(
        raw, plan, "H10"
    )


def test_h10_one_route_a_day(raw: dict[str, Any], plan: Plan) -> None:
    """H10: a provider makes one route a day (each route leaves the base at day_start)."""
    assert plan.schedule is not None
    plan.schedule.append(
        Route(
            provider="C2",
            date="2026-12-03",
            stops=[Stop(village="V1", arrive="09:00", depart="09:00")],
        )
    )
    assert broken(raw, plan, "H10") == [
        "C2 has 2 routes on 2026-12-03; a provider makes one route a day"
    ]


def test_unknown_names_in_a_schedule_are_violations_not_errors(
    raw: dict[str, Any], plan: Plan
) -> None:
    """A route of an unknown provider, a stop at an unknown village, an unknown need, a date
    that is no date and a date outside the horizon: each a violation with its names."""

    def change(data: dict[str, Any]) -> None:
        data["schedule"] += [
            {"provider": "X9", "date": "2026-12-02", "stops": [{"village": "V1",
             "arrive": "09:00", "depart": "10:00", "needs": ["N1"]}]},
            {"provider": "C1", "date": "2026-12-32", "stops": [{"village": "V404",
             "arrive": "09:00", "depart": "10:00", "needs": ["N404"]}]},
            {"provider": "O1", "date": "2027-01-05", "stops": [{"village": "V3",
             "arrive": "09:00", "depart": "10:00", "visit": True}]},
        ]  # fmt: skip

    messages = broken(raw, edit(plan, change), "H10")
    assert "X9's route on 2026-12-02: X9 is not a cadre or organisation" in messages
    assert "C1's route on 2026-12-32: its date is not an ISO date" in messages
    assert "C1's route on 2026-12-32 stops at V404, which is not a village" in messages
    assert "C1's route on 2026-12-32: N404 is not a need of the scenario" in messages
    assert "O1's route on 2027-01-05: outside the horizon (2026-12-01 to 2026-12-10)" in messages
    assert "O1's route on 2027-01-05 visits V3, which O1 is not paired with" in broken(
        raw, edit(plan, change), "H9"
    )


def test_a_leg_no_road_connects(raw: dict[str, Any], plan: Plan) -> None:
    """H10: with the road V2-V3 gone, O1 (based in V3) reaches V2 only through T1; with T1-V3
    gone as well, the leg V3 → V2 has no road and the route is flagged (its hours are then the
    plan's own, as for an unreachable service)."""
    raw["roads"] = [r for r in raw["roads"] if {r["from"], r["to"]} not in ({"V2", "V3"},)]
    assert broken(raw, plan, "H10") == []
    raw["roads"] = [r for r in raw["roads"] if {r["from"], r["to"]} != {"T1", "V3"}]
    assert "O1's route on 2026-12-07 has a leg no road connects" in broken(raw, plan, "H10")


# ----------------------------------------------------------------------------- H4


def test_h4_counts_route_durations(raw: dict[str, Any], plan: Plan) -> None:
    """H4 over routes: C2's routes take 3 + 5.0833 + 3 = 11.0833 h of its 12 (kept); with 11
    hours it is flagged. Without the schedule H4 would count C2's pairing as 2 × (2 + 1) = 6 h
    and its services as 4 + 1.6667 h: 11.6667 h, a different figure."""
    evaluation = run(raw, plan)
    assert evaluation.usage.provider_hours["C2"] == pytest.approx(11 + 1 / 12)
    raw["cadres"][1]["hours"] = 11
    assert broken(raw, plan, "H4") == ["C2 needs 11.08 h > its 11 h (its routes)"]
    raw["policy"]["schedule"] = False
    assert run(raw, plan).usage.provider_hours["C2"] == pytest.approx(11 + 2 / 3)


def test_h4_still_charges_what_no_route_carries(raw: dict[str, Any], plan: Plan) -> None:
    """A service or visit left off the routes (an H10/H9 violation) still costs its hours, so
    dropping stops never makes a plan look cheaper."""
    assert plan.schedule is not None
    plan.schedule = [r for r in plan.schedule if r.provider != "C2"]
    # C2: N3 3 h + 1 h travel, N4 1 h + 0.6667 h, two visits of 2 h + 1 h.
    assert run(raw, plan).usage.provider_hours["C2"] == pytest.approx(11 + 2 / 3)


# ----------------------------------------------------------------------------- the contract


def test_the_broken_plan_commits_exactly_the_listed_violations(raw: dict[str, Any]) -> None:
    """The five violations of the broken plan, rule, ids and words, in rule order."""
    expected = json.loads((HERE / "scheduled-expected.json").read_text(encoding="utf-8"))
    found = [
        {k: v for k, v in violation.to_dict().items() if v is not None}
        for violation in run(raw, read_plan(BROKEN)).violations
    ]
    assert found == expected["broken_plan_violations"]


def test_matcher_check_reads_a_scheduled_plan() -> None:
    """`matcher check` on a scheduled plan: exit 0 for the valid one, 1 with the five
    violations for the broken one."""
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(COUNTY), str(PLAN), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "objective 629.167" in result.output and "0 violation(s)" in result.output
    result = runner.invoke(app, ["check", str(COUNTY), str(BROKEN), "--lang", "en"])
    assert result.exit_code == 1
    assert "5 violation(s)" in result.output
    assert "H9 C1-V1 visits on 2026-12-01 and 2026-12-07" in result.output


def test_schedule_off_ignores_the_schedule_fields(raw: dict[str, Any], plan: Plan) -> None:
    """With the schedule off, dates, visit dates and routes are ignored: the valid plan is
    judged by H1-H8 and DESIGN §5 alone (objective 673.3333), the broken plan's day errors
    vanish, and no KPI or policy figure of §9 appears."""
    raw["policy"]["schedule"] = False
    evaluation = run(raw, plan)
    assert evaluation.violations == ()
    expected = json.loads((HERE / "scheduled-expected.json").read_text(encoding="utf-8"))
    assert evaluation.objective == pytest.approx(1710 - 220 / 6 - 1000)
    assert evaluation.objective == pytest.approx(expected["schedule_off_objective"], abs=1e-6)
    assert evaluation.terms.late_penalty == 0.0
    assert evaluation.usage.routes is None
    assert "on_time_share" not in evaluation.kpis and "routes" not in evaluation.kpis
    keys = [f["key"] for f in evaluation.kpis.get("policy_figures", [])]
    assert "response_on_time" not in keys
    assert {u.reason for u in evaluation.unmet} <= {
        "no_provider_in_reach",
        "capacity_exhausted",
        "not_chosen",
    }
    rules = {v.rule for v in run(raw, read_plan(BROKEN)).violations}
    assert rules == {"H4"}  # N9 on top of C2's other work, counted as in DESIGN §4


def test_schedule_on_with_a_plan_that_has_no_days(raw: dict[str, Any], plan: Plan) -> None:
    """A plan without schedule fields for a scheduled county breaks H9 and H10, not the
    evaluator."""
    bare = Plan(
        solver=plan.solver,
        pairings=[p.model_copy(update={"visit_dates": None}) for p in plan.pairings],
        assignments=[a.model_copy(update={"date": None}) for a in plan.assignments],
    )
    evaluation = run(raw, bare)
    rules = {v.rule for v in evaluation.violations}
    assert rules == {"H9", "H10"}
    assert evaluation.terms.late_penalty == 0.0


def test_rule_list_is_unchanged_without_schedule(tiny_raw: dict[str, Any]) -> None:
    """The contract county of DESIGN §6 (schedule off) gets no H9 or H10 at all."""
    tiny_plan = read_plan(Path(DATA / "contract" / "tiny-plan-broken.json"))
    rules = {v.rule for v in run(tiny_raw, tiny_plan).violations}
    assert not rules & {"H9", "H10"}
