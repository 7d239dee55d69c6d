"""The service KPIs of DESIGN §10 computed from histories made by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from matcher.register.kpis import ServiceKpis, service_kpis
from matcher.register.model import NeedEvent, PublishRecord, RegisteredNeed
from matcher.scenario import Need, Policy
from matcher.schedule.calendar import WorkCalendar

MON = dt.date(2026, 12, 7)
CALENDAR = WorkCalendar(dt.date(2026, 12, 1), 31, holidays=frozenset({dt.date(2026, 12, 9)}))
POLICY = Policy()  # response within 3 working days


def day(n: int) -> dt.date:
    return MON + dt.timedelta(days=n)


def need(
    need_id: str, *events: NeedEvent, village: str = "V1", category: str = "medical"
) -> RegisteredNeed:
    base = Need(id=need_id, village=village, category=category, hours=1, submitted=MON)
    status = "open"
    for e in events:
        status = {"started": "started", "resolved": "resolved", "closed": "closed"}.get(
            e.type, status
        )
    return RegisteredNeed(base, status, history=(NeedEvent("received", MON), *events))  # type: ignore[arg-type]


TWO_WEEKS_ON = MON + dt.timedelta(days=14)


def kpis(
    *needs: RegisteredNeed,
    end: dt.date = TWO_WEEKS_ON,
    publishes: tuple[PublishRecord, ...] = (),
) -> ServiceKpis:
    return service_kpis(
        needs,
        publishes,
        start=MON,
        end=end,
        calendar=CALENDAR,
        policy=POLICY,
        town_of={"V1": "T1", "V2": "T2"},
    )


def test_response_days_count_working_days_and_skip_the_holiday() -> None:
    # Submitted Mon 7th; Wed 9th is a holiday: Tue 8 = 1, Thu 10 = 2, Fri 11 = 3 (due).
    on_time = need("A", NeedEvent("started", day(4)), NeedEvent("resolved", day(4)))
    late = need("B", NeedEvent("resolved", day(7)))  # Mon 14th: 4 working days
    k = kpis(on_time, late).all
    assert (k.received, k.responded, k.on_time, k.known) == (2, 2, 1, 2)
    assert k.on_time_share == 0.5
    assert k.response_days_p50 == pytest.approx(3.5)
    assert k.response_days_p90 == pytest.approx(3.9)


def test_the_first_started_or_resolved_event_is_the_response() -> None:
    started_early = need("A", NeedEvent("started", day(1)), NeedEvent("resolved", day(10)))
    assert kpis(started_early).all.response_days_p50 == 1


def test_resolution_rate_counts_unresolved_and_open_past_due_and_leaves_other_closes_out() -> None:
    resolved = need("A", NeedEvent("resolved", day(1)))
    unresolved = need("B", NeedEvent("closed", day(1), reason="unresolved"))
    past_due = need("C")  # never responded; due Fri 11th
    by_others = need("D", NeedEvent("closed", day(1), reason="done_by_others"))
    k = kpis(resolved, unresolved, past_due, by_others).all
    assert (k.resolved, k.closed_unresolved, k.open_past_due, k.closed_other) == (1, 1, 1, 1)
    assert k.resolution_rate == pytest.approx(1 / 3)
    assert k.known == 2  # the resolved one and the past-due one; closes without response left out


def test_a_need_not_yet_due_is_not_counted_against_anything() -> None:
    waiting = need("A")
    k = kpis(waiting, end=day(2)).all
    assert (k.known, k.open_past_due, k.on_time_share, k.resolution_rate) == (0, 0, None, None)


def test_histories_are_read_as_they_stood_at_the_end_of_the_period() -> None:
    later = need("A", NeedEvent("resolved", day(10)))
    k = kpis(later, end=day(5)).all
    assert (k.resolved, k.responded, k.open_past_due) == (0, 0, 1)


def test_satisfaction_is_each_needs_latest_answer() -> None:
    a = need(
        "A",
        NeedEvent("resolved", day(1), satisfaction=2),
        NeedEvent("feedback", day(3), satisfaction=4),
    )
    b = need("B", NeedEvent("resolved", day(1), satisfaction=5))
    c = need("C", NeedEvent("resolved", day(1)))
    k = kpis(a, b, c).all
    assert (k.satisfaction_answers, k.satisfaction_mean) == (2, 4.5)
    assert k.satisfied_share == 1.0  # A's latest is 4, B's 5: both satisfied
    unhappy = need("D", NeedEvent("resolved", day(1), satisfaction=3))
    assert kpis(a, unhappy).all.satisfied_share == 0.5


def test_publishes_give_changes_per_publish_and_groups_split_by_town_and_category() -> None:
    publishes = (
        PublishRecord("p1", day(0), assigned=10, changed=0, before=0),
        PublishRecord("p2", day(1), assigned=12, changed=2, before=10),
        PublishRecord("p3", day(30), assigned=12, changed=6, before=12),  # after the period
    )
    a = need("A", NeedEvent("resolved", day(1)), village="V1")
    b = need("B", NeedEvent("resolved", day(1)), village="V2", category="education")
    k = kpis(a, b, publishes=publishes)
    assert (k.publishes, k.changed_per_publish, k.changed_share_per_publish) == (2, 1.0, 0.2)
    assert set(k.by_town) == {"T1", "T2"} and k.by_town["T2"].received == 1
    assert set(k.by_category) == {"medical", "education"}


def test_needs_received_outside_the_period_are_not_counted() -> None:
    early = RegisteredNeed(
        Need(id="Z", village="V1", category="medical", hours=1, submitted=day(-3)),
        history=(NeedEvent("received", day(-3)),),
    )
    assert kpis(early).all.received == 0


def test_town_names_are_given_for_the_towns_shown() -> None:
    a = need("A", NeedEvent("resolved", day(1)), village="V1")
    k = service_kpis(
        [a],
        [],
        start=MON,
        end=TWO_WEEKS_ON,
        calendar=CALENDAR,
        policy=POLICY,
        town_of={"V1": "T1", "V2": "T2"},
        town_names={"T1": "福市镇", "T2": "平坪镇", "T9": "别处"},
    )
    assert k.town_names == {"T1": "福市镇", "T2": "平坪镇"}
    assert set(k.by_town) == {"T1"}


def test_a_close_is_read_with_the_reason_it_had_at_the_periods_end() -> None:
    """Closed unresolved in the period, reopened and closed as a duplicate after it: at the
    period's end it counts as closed unresolved."""
    need_ = need(
        "A",
        NeedEvent("closed", day(1), reason="unresolved"),
        NeedEvent("reopened", day(20)),
        NeedEvent("closed", day(21), reason="duplicate"),
    )
    k = kpis(need_).all
    assert (k.closed_unresolved, k.closed_other) == (1, 0)
