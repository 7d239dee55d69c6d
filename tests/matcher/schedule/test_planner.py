"""The scheduler of DESIGN §9 (matcher.schedule.planner): days and routes that keep H9, H10 and
H4 over routes, checked by a checker of this file's own (from the scenario, with
:func:`time_route` and the calendar) and by the evaluator."""

from __future__ import annotations

import datetime as dt
import json
import time
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.generator import demo_scheduled_scenario, generate_scenario
from matcher.plan import Plan, plan_to_json
from matcher.prepare.network import village_minutes
from matcher.problem.days import plan_schedule, trim
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Funding, Solution
from matcher.run import solve_scenario
from matcher.scenario import Scenario
from matcher.schedule.calendar import WorkCalendar, clock_minutes, late, submitted
from matcher.schedule.days import WorkingRanks
from matcher.schedule.routes import StopWork, time_route
from tests.conftest import ROOT

D = dt.date
SCHEDULED_DEMO = ROOT / "scenarios" / "demo-county-scheduled.json"


def check_schedule(scenario: Scenario, plan: Plan) -> list[str]:
    """Every breach of H9, H10 and H4-over-routes in ``plan``, recomputed from the scenario
    (this test's own reading of DESIGN §9, independent of the evaluator)."""
    index = ScenarioIndex.build(scenario)
    policy, calendar = scenario.policy, WorkCalendar.of(scenario)
    between = village_minutes(scenario)
    column = {v: j for j, v in enumerate(index.times.village_ids)}
    base_row = {b: i for i, b in enumerate(index.times.base_ids)}
    providers = {p.id: p for p in index.providers}
    needs = index.needs
    found: list[str] = []
    stops_of: dict[tuple[str, str], list[tuple[str, bool, list[str]]]] = {}
    route_hours: dict[str, float] = {}
    for route in plan.schedule or []:
        provider = providers[route.provider]
        day = D.fromisoformat(route.date)
        if day not in calendar.provider_days(provider):
            found.append(f"H10 {route.provider} works no route on {day}")
        villages = [s.village for s in route.stops]
        if len(set(villages)) != len(villages):
            found.append(f"H10 {route.provider} {day}: a village is two stops")
        works = [
            StopWork(
                column[s.village],
                60.0 * (sum(needs[n].hours for n in s.needs) + policy.visit_hours * s.visit),
            )
            for s in route.stops
        ]
        timing = time_route(
            index.times.minutes[base_row[provider.base]],
            between,
            works,
            clock_minutes(policy.day_start),
        )
        limit = provider.daily_hours or policy.daily_hours
        if timing.hours > limit + 1e-6:
            found.append(f"H10 {route.provider} {day}: {timing.hours:.3f} h > {limit} h")
        route_hours[route.provider] = route_hours.get(route.provider, 0.0) + timing.hours
        stops_of[(route.provider, route.date)] = [
            (s.village, s.visit, s.needs) for s in route.stops
        ]
    for pid, hours in route_hours.items():
        if hours > providers[pid].hours + 1e-6:
            found.append(f"H4 {pid}: routes {hours:.3f} h > {providers[pid].hours} h")
    for a in plan.assignments:
        stops = stops_of.get((a.provider, a.date or ""), [])
        if not any(a.need in ns for _, _, ns in stops):
            found.append(f"H10 {a.need} is no stop of {a.provider} on {a.date}")
        if a.date is not None and D.fromisoformat(a.date) < submitted(needs[a.need], calendar):
            found.append(f"H10 {a.need} served before it was submitted")
    for p in plan.pairings:
        days = [D.fromisoformat(d) for d in p.visit_dates or []]
        if len(days) != policy.visits_per_pairing:
            found.append(f"H9 {p.cadre}-{p.village}: {len(days)} visits")
        for a, b in pairwise(sorted(days)):
            if (b - a).days < max(1, policy.visit_min_gap_days):
                found.append(f"H9 {p.cadre}-{p.village}: visits {a} and {b} too close")
        for d in days:
            stops = stops_of.get((p.cadre, d.isoformat()), [])
            if not any(v == p.village and visit for v, visit, _ in stops):
                found.append(f"H9 {p.cadre}-{p.village}: no visit stop on {d}")
    return found


@cache
def _county(villages: int, needs: int, seed: int, start: str = "2026-12-01") -> Scenario:
    data = generate_scenario(villages, needs, seed=seed, start=start, schedule=True)
    return Scenario.model_validate(data)


@pytest.mark.parametrize(
    ("villages", "needs", "seed", "start"),
    [(6, 80, 1, "2026-12-01"), (10, 200, 2, "2026-10-01"), (12, 300, 3, "2026-12-01")],
)
def test_scheduled_counties_keep_h9_h10_and_h4(
    villages: int, needs: int, seed: int, start: str
) -> None:
    """Small generated scheduled counties (October has the National Day holidays and a
    make-up Saturday): every route fits its day, every served need and visit is a stop on a
    day its provider works, visits are apart, routes fit the hours; the evaluator agrees."""
    scenario = _county(villages, needs, seed, start)
    run = solve_scenario(scenario, solver="greedy", time_limit=10)
    plan = run.plan
    assert plan.schedule, "a scheduled plan has routes"
    assert all(a.date is not None for a in plan.assignments)
    assert check_schedule(scenario, plan) == []
    assert evaluate(run.index, plan).violations == ()
    assert plan.solver.status in ("optimal", "feasible")


def test_needs_of_one_village_on_one_day_share_a_stop_and_visits_join_them() -> None:
    """No route lists a village twice, and in the demo twin some stop both visits and serves."""
    scenario = Scenario.model_validate(json.loads(SCHEDULED_DEMO.read_text(encoding="utf-8")))
    plan = solve_scenario(scenario, solver="greedy", time_limit=10).plan
    routes = plan.schedule or []
    assert all(len({s.village for s in r.stops}) == len(r.stops) for r in routes)
    assert any(s.visit and s.needs for r in routes for s in r.stops)
    assert any(len(s.needs) > 1 for r in routes for s in r.stops)


def _tiny(**changes: Any) -> dict[str, Any]:
    """One county seat, two villages about 11 and 15 km out, one cadre who can serve both."""
    data: dict[str, Any] = {
        "schema_version": 1,
        "horizon": {"start": "2026-12-01", "days": 31},
        "places": [{"id": "S0", "kind": "county_seat", "lon": 104.0, "lat": 30.0}],
        "villages": [
            {
                "id": "V1",
                "town": "S0",
                "lon": 104.1,
                "lat": 30.0,
                "households": 50,
                "region": "west",
            },
            {
                "id": "V2",
                "town": "S0",
                "lon": 104.1,
                "lat": 30.1,
                "households": 50,
                "region": "west",
            },
        ],
        "cadres": [
            {
                "id": "C1",
                "department": "civil_affairs",
                "base": "S0",
                "skills": {"medical": 2},
                "hours": 60,
                "max_travel_minutes": 90,
                "max_villages": 1,
            }
        ],
        "pools": [{"id": "P1", "department": "civil_affairs", "amount": 10000}],
        "needs": [
            {"id": "N1", "village": "V1", "category": "medical", "hours": 2, "cost": 500},
            {"id": "N2", "village": "V1", "category": "medical", "hours": 1.5},
        ],
        "policy": {"schedule": True, "min_cadres_per_village": 1},
    }
    data.update(changes)
    return data


def test_a_need_whose_only_provider_has_no_day_after_it_is_not_served() -> None:
    """N1 is submitted on Thursday 31 December, the cadre's day off: the compiled problem
    offers it to nobody, and a solution that serves it anyway loses it (and its money) to the
    scheduler."""
    data = _tiny()
    data["cadres"][0]["days_off"] = ["2026-12-31"]
    data["needs"][0]["submitted"] = "2026-12-31"
    index = ScenarioIndex.build(Scenario.model_validate(data))
    problem = index.problem
    assert len(problem.arcs_of(0)) == 0 and len(problem.arcs_of(1)) == 1
    forced = Solution(np.array([0, 0]), (Funding(0, 0, 500),), ((0, 0),))
    schedule = plan_schedule(index, forced)
    assert schedule.dropped_needs == (0,)
    trimmed = trim(schedule, forced)
    assert trimmed.need_provider.tolist() == [-1, 0] and trimmed.funding == ()
    run = solve_scenario(index, solver="greedy", time_limit=5)
    assert [a.need for a in run.plan.assignments] == ["N2"]
    assert run.plan.violations == []


def test_a_need_longer_than_a_day_is_offered_to_nobody() -> None:
    """7.5 hours of work and the round trip do not fit an 8-hour day (H10)."""
    data = _tiny()
    data["needs"][0]["hours"] = 7.5
    problem = ScenarioIndex.build(Scenario.model_validate(data)).problem
    assert len(problem.arcs_of(0)) == 0


def test_visits_fall_on_working_days_at_least_the_gap_apart() -> None:
    """Two visits of V2, at least 10 days apart with visit_min_gap_days 10, on days the cadre
    works (weekends and its days off excluded), and a need of V1 on its own day."""
    data = _tiny()
    data["policy"]["visit_min_gap_days"] = 10
    data["cadres"][0]["days_off"] = ["2026-12-01", "2026-12-02", "2026-12-03"]
    data["cadres"][0]["paired_villages"] = ["V2"]
    scenario = Scenario.model_validate(data)
    plan = solve_scenario(scenario, solver="greedy", time_limit=5).plan
    (pairing,) = plan.pairings
    days = [D.fromisoformat(d) for d in pairing.visit_dates or []]
    assert len(days) == 2 and (days[1] - days[0]).days >= 10
    works = WorkCalendar.of(scenario).provider_days(scenario.cadres[0])
    assert all(d in works for d in days)
    assert check_schedule(scenario, plan) == []


def test_the_earliest_day_serves_a_need_on_time_and_stops_are_shared() -> None:
    """Both needs of V1 are submitted Monday 7 December: they are served that day at one stop
    (one trip, no lateness)."""
    data = _tiny()
    for need in data["needs"]:
        need["submitted"] = "2026-12-07"
    plan = solve_scenario(Scenario.model_validate(data), solver="greedy", time_limit=5).plan
    assert {a.date for a in plan.assignments} == {"2026-12-07"}
    (route,) = [r for r in plan.schedule or [] if r.date == "2026-12-07"]
    assert [s.village for s in route.stops] == ["V1"]
    assert route.stops[0].needs == ["N1", "N2"]


def test_working_ranks_count_lateness_as_the_calendar_does() -> None:
    """late(n) by ranks equals late() of the calendar, for deadlines before, inside and after
    the horizon."""
    scenario = _county(6, 80, 1, "2026-10-01")
    calendar = WorkCalendar.of(scenario)
    ranks = WorkingRanks(calendar)
    need = scenario.needs[0]
    rng = np.random.default_rng(0)
    for _ in range(200):
        respond_by = D(2026, 9, 1) + dt.timedelta(days=int(rng.integers(0, 90)))
        day = calendar.working_days[int(rng.integers(0, len(calendar.working_days)))]
        changed = need.model_copy(update={"respond_by": respond_by})
        assert ranks.late(respond_by, day) == late(changed, day, calendar, scenario.policy)


def test_the_scheduled_demo_solves_with_zero_violations() -> None:
    """The bundled twin is the generator's (regenerable) and its plan keeps every rule."""
    assert json.loads(SCHEDULED_DEMO.read_text(encoding="utf-8")) == demo_scheduled_scenario()
    scenario = Scenario.model_validate(demo_scheduled_scenario())
    run = solve_scenario(scenario, solver="greedy", time_limit=10)
    assert run.plan.violations == [] and check_schedule(scenario, run.plan) == []
    assert run.plan.kpis.get("violations") == 0


def test_schedule_off_leaves_plans_as_they_were() -> None:
    """The same county without days: no dates, no visit dates, no routes in the file, and
    the compiled problem is the scenario's without any day filter."""
    data = _tiny(policy={"min_cadres_per_village": 1})
    data["needs"][0]["hours"] = 7.5  # too long for a day, but days are not asked for
    run = solve_scenario(Scenario.model_validate(data), solver="greedy", time_limit=5)
    assert len(run.problem.arcs_of(0)) == 1
    text = plan_to_json(run.plan)
    assert '"schedule"' not in text and '"date"' not in text and "visit_dates" not in text
    assert "schedule_seconds" not in (run.plan.solver.stats or {})


def test_the_unscheduled_bound_is_not_stated_as_the_plans() -> None:
    """A solver's bound ignores routes and days, so a scheduled plan moves it to the stats."""
    scenario = _county(6, 80, 1)
    plan = solve_scenario(scenario, solver="auto", time_limit=5, rounds=1).plan
    assert plan.solver.bound is None
    assert "bound_unscheduled" in (plan.solver.stats or {})


def test_the_checker_of_this_file_sees_a_broken_schedule() -> None:
    """The checker is no rubber stamp: a route moved to a Saturday, a visit moved next to its
    twin and a day stretched past its hours are all found."""
    scenario = Scenario.model_validate(demo_scheduled_scenario())
    plan = solve_scenario(scenario, solver="greedy", time_limit=10).plan
    routes = list(plan.schedule or [])
    moved = routes[0].model_copy(update={"date": "2026-12-05"})
    pairing = plan.pairings[0]
    first = (pairing.visit_dates or [])[0]
    close = pairing.model_copy(update={"visit_dates": [first, first]})
    long_stop = routes[1].stops[0].model_copy(update={"needs": [a.need for a in plan.assignments]})
    stretched = routes[1].model_copy(update={"stops": [long_stop]})
    broken = plan.model_copy(
        update={
            "schedule": [moved, stretched, *routes[2:]],
            "pairings": [close, *plan.pairings[1:]],
        }
    )
    found = " | ".join(check_schedule(scenario, broken))
    assert "works no route on 2026-12-05" in found
    assert "too close" in found
    assert "h >" in found


def test_an_arc_costs_the_lateness_of_its_providers_first_day() -> None:
    """With days, an arc's value is value(n) less its travel and less late(n) on the
    provider's first working day on or after the submission (DESIGN §9's late, by the
    calendar), so the assignment already sees what a backlog need costs."""
    scenario = _county(10, 200, 2, "2026-10-01")
    index = ScenarioIndex.build(scenario)
    problem, policy = index.problem, scenario.policy
    calendar = WorkCalendar.of(scenario)
    for a in range(0, problem.n_arcs, 7):
        n, p = int(problem.arc_need[a]), int(problem.arc_provider[a])
        need = scenario.needs[n]
        first = next(
            d for d in calendar.provider_days(index.providers[p]) if d >= submitted(need, calendar)
        )
        expected = (
            problem.need_value[n]
            - policy.travel_penalty_per_hour * problem.arc_travel_hours[a]
            - policy.late_penalty_per_day * late(need, first, calendar, policy)
        )
        assert abs(problem.arc_value[a] - expected) < 1e-9


def test_a_silos_duplicate_services_leave_their_hours_off_the_routes() -> None:
    """The siloed solver's duplicate services spend hours that no route carries: the routes
    keep within what is left, and the plan keeps every rule."""
    scenario = _county(12, 300, 3)
    run = solve_scenario(scenario, solver="siloed", time_limit=10)
    assert run.plan.duplicate_services
    assert run.plan.violations == [] and check_schedule(scenario, run.plan) == []


def test_a_scheduled_run_keeps_its_time_limit() -> None:
    """The days are planned inside the limit: the search leaves them their predicted share
    (matcher.budget.schedule_seconds)."""
    scenario = Scenario.model_validate(demo_scheduled_scenario())
    started = time.monotonic()
    run = solve_scenario(scenario, solver="auto", time_limit=4.0, started=started)
    assert time.monotonic() - started < 5.5  # a shared 2-core machine: some slack
    assert run.plan.violations == []
