"""``matcher replay``'s day loop: every policy keeps the register's rules, the dispatchers
choose as documented, and the figures are the register's own."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest

from matcher.generator.arrivals import Arrivals, arrivals_of, generate_arrivals
from matcher.prepare.departments import CATEGORY_DEPARTMENT
from matcher.prepare.eligibility import Provider, holds_skill, in_area, is_available, within_travel
from matcher.register.files import register_json, register_of
from matcher.register.kpis import service_kpis
from matcher.register.memory import MemoryRegister
from matcher.register.model import PLANNABLE, RegisteredNeed, received
from matcher.register.transitions import apply_event
from matcher.replay import POLICIES, ReplayOptions, ReplayResult, replay
from matcher.replay.execution import Crew
from matcher.replay.month import Month
from matcher.replay.policies import Dispatcher, first_of_week
from matcher.replay.reach import Reach
from matcher.schedule.calendar import WorkCalendar

OPTIONS = ReplayOptions(time_limit_per_day=1.0, max_changes=10, seed=3)


@pytest.fixture(scope="module")
def arrivals() -> Arrivals:
    """A tiny county: 8 villages, 90 needs over December 2026."""
    return arrivals_of(generate_arrivals(8, 90, seed=7))


@pytest.fixture(scope="module")
def results(arrivals: Arrivals) -> dict[str, ReplayResult]:
    """Every policy replayed once on the tiny county."""
    reach = Reach.of(arrivals.county)
    return {p: replay(arrivals, p, OPTIONS, reach=reach) for p in POLICIES}


def _status_walk(need: RegisteredNeed) -> None:
    """Replay a need's history from ``received``: posted events through the transition rules,
    ``assigned`` only from open/assigned and only with a plan id."""
    state = received(need.need, need.history[0].at)
    for event in need.history[1:]:
        if event.type == "assigned":
            assert state.status in PLANNABLE and event.plan_id, (need.id, state.status)
            state = state.with_event(event, "assigned")
        elif event.type == "unassigned":
            assert state.status == "assigned"
            state = state.with_event(event, "open")
        else:
            state = apply_event(state, event)
    assert state.status == need.status
    assert (state.provider, state.date) == (need.provider, need.date)


@pytest.mark.parametrize("policy", POLICIES)
def test_every_policy_keeps_the_register_rules(
    policy: str, results: dict[str, ReplayResult], arrivals: Arrivals
) -> None:
    """Each need's status is what its events say, assigned only by publishing; started and
    resolved needs have a provider; nothing happens before a need arrives or after the month."""
    result = results[policy]
    needs = result.register.needs()
    assert len(needs) == len(arrivals.needs)
    last = WorkCalendar.of(arrivals.county).working_days[-1]
    for need in needs:
        _status_walk(need)
        assert all(need.submitted <= e.at <= last for e in need.history)
        if need.status in ("started", "resolved"):
            assert any(e.type == "assigned" for e in need.history)
    assert result.figures["resolved"] > 0


def test_siloed_never_crosses_departments(
    results: dict[str, ReplayResult], arrivals: Arrivals
) -> None:
    """Under ``siloed`` a cadre is only ever given its own department's categories."""
    cadres = {c.id: c for c in arrivals.county.cadres}
    given = [
        (e.provider, n.need.category.value)
        for n in results["siloed"].register.needs()
        for e in n.history
        if e.type == "assigned" and e.provider in cadres
    ]
    assert given
    for provider, category in given:
        assert CATEGORY_DEPARTMENT[category] == cadres[provider].department


def test_first_come_takes_the_nearest_capable_provider(arrivals: Arrivals) -> None:
    """A fresh desk gives a free need to the nearest provider that is available, skilled,
    in area and within its travel limit (computed here from the predicates directly)."""
    county = arrivals.county
    reach = Reach.of(county)
    calendar = WorkCalendar.of(county)
    month = Month(county, calendar, MemoryRegister(), reach, Crew.of(reach, calendar))
    villages = {v.id: v for v in county.villages}
    providers: list[Provider] = [*county.cadres, *county.organizations]
    checked = 0
    for need in arrivals.needs:
        free = need.model_copy(update={"cost": 0})
        capable = sorted(
            (reach.minutes[p.id, need.village], p.id)
            for p in providers
            if is_available(p)
            and holds_skill(p, need)
            and in_area(p, villages[need.village])
            and within_travel(p, reach.minutes[p.id, need.village])
        )
        placed = Dispatcher("first-come", siloed=False).place(month, free, calendar.start)
        if not capable:
            assert placed is None
            continue
        nearest = [pid for m, pid in capable if m == capable[0][0]]
        assert placed is not None and placed.provider in nearest
        checked += 1
    assert checked > 10


def test_the_figures_are_the_exported_registers_kpis(
    results: dict[str, ReplayResult], arrivals: Arrivals
) -> None:
    """Each policy's KPIs equal ``service_kpis`` recomputed from its register file."""
    county = arrivals.county
    calendar = WorkCalendar.of(county)
    for result in results.values():
        register = result.register
        found = register_of(register_json(county, register.needs(), register.publishes()))
        again = service_kpis(
            found.needs,
            found.publishes,
            start=calendar.start,
            end=calendar.end - dt.timedelta(days=1),
            calendar=calendar,
            policy=found.county.policy,
            town_of={v.id: v.town for v in county.villages},
            town_names={p.id: p.name for p in county.places if p.name},
        )
        assert dataclasses.asdict(again) == dataclasses.asdict(result.kpis)
        assert result.figures["on_time_share"] == again.all.on_time_share
        assert result.figures["resolution_rate"] == again.all.resolution_rate


def test_policies_publish_as_documented(
    results: dict[str, ReplayResult], arrivals: Arrivals
) -> None:
    """weekly publishes only on each week's first working day, daily more often; the re-plans
    never serve a need the ledgers hold back; the desks never move a published assignment."""
    calendar = WorkCalendar.of(arrivals.county)
    weekly_days = [p.day for p in results["weekly"].register.publishes()]
    assert weekly_days and all(first_of_week(calendar, d) for d in weekly_days)
    assert len(results["daily"].register.publishes()) > len(weekly_days)
    assert results["daily"].figures["duplicate_aid"] == 0
    assert results["weekly"].figures["duplicate_aid"] == 0
    assert results["first-come"].figures["changed_per_publish"] == 0
    assert results["siloed"].figures["changed_per_publish"] == 0


def test_a_dispatch_replay_repeats_exactly(
    results: dict[str, ReplayResult], arrivals: Arrivals
) -> None:
    """Without a time-bound search, the same arrivals and seed give the same month."""
    again = replay(arrivals, "first-come", OPTIONS)
    first = results["first-come"]
    assert [n.history for n in again.register.needs()] == [
        n.history for n in first.register.needs()
    ]
    same = {k: v for k, v in again.figures.items() if k != "wall_seconds"}
    assert same == {k: v for k, v in first.figures.items() if k != "wall_seconds"}


def test_the_change_limit_as_a_share_of_the_published_work(arrivals: Arrivals) -> None:
    """``max_changes_share`` of the assigned needs, rounded up; with ``max_changes`` too the
    smaller holds; neither given: no limit. And a replay under a share keeps each publish's
    changes within it."""
    from matcher.replay.policies import Replanner

    register = MemoryRegister()
    register.add(arrivals.needs[:30], arrivals.county.horizon.start)
    needs = [
        dataclasses.replace(n, status="assigned") if i < 21 else n
        for i, n in enumerate(register.needs())
    ]
    assert Replanner("daily", False, 1.0, max_changes_share=0.05).change_limit(needs) == 2
    assert Replanner("daily", False, 1.0, 1, max_changes_share=0.05).change_limit(needs) == 1
    assert Replanner("daily", False, 1.0).change_limit(needs) is None
    options = ReplayOptions(time_limit_per_day=1.0, seed=3, max_changes_share=0.1)
    result = replay(arrivals, "daily", options)
    for publish in result.register.publishes():
        assert publish.changed <= math.ceil(0.1 * publish.before), publish
