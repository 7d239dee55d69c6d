"""Each transition rule of DESIGN §10, kept and broken."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from matcher.register.model import NeedEvent, RegisteredNeed, Status, received
from matcher.register.transitions import BadEvent, IllegalTransition, apply_event
from matcher.scenario import Need

DAY = dt.date(2026, 12, 7)


def need_in(status: Status) -> RegisteredNeed:
    need = Need(id="N1", village="V1", category="medical", hours=2)
    return replace(received(need, DAY), status=status)


@pytest.mark.parametrize(
    ("event", "allowed", "after"),
    [
        (NeedEvent("started", DAY), {"assigned"}, "started"),
        (NeedEvent("resolved", DAY), {"assigned", "started"}, "resolved"),
        (NeedEvent("closed", DAY, reason="duplicate"), {"open", "assigned", "started"}, "closed"),
        (NeedEvent("reopened", DAY), {"resolved", "closed"}, "open"),
    ],
    ids=["started", "resolved", "closed", "reopened"],
)
def test_each_status_change_is_allowed_exactly_from_its_statuses(
    event: NeedEvent, allowed: set[str], after: str
) -> None:
    for status in ("open", "assigned", "started", "resolved", "closed"):
        need = need_in(status)
        if status in allowed:
            moved = apply_event(need, event)
            assert moved.status == after
            assert moved.history[-1] == event
            assert len(moved.history) == len(need.history) + 1
        else:
            with pytest.raises(IllegalTransition) as refused:
                apply_event(need, event)
            assert refused.value.status == status
            assert "N1" in refused.value.message and "需求 N1" in refused.value.message_zh


def test_feedback_keeps_the_status_and_needs_a_satisfaction() -> None:
    for status in ("resolved", "closed"):
        need = need_in(status)
        after = apply_event(need, NeedEvent("feedback", DAY, satisfaction=4))
        assert after.status == status and after.history[-1].satisfaction == 4
    with pytest.raises(IllegalTransition):
        apply_event(need_in("assigned"), NeedEvent("feedback", DAY, satisfaction=4))
    with pytest.raises(BadEvent) as missing:
        apply_event(need_in("resolved"), NeedEvent("feedback", DAY))
    assert missing.value.field == "satisfaction"


def test_a_close_needs_one_of_the_listed_reasons() -> None:
    with pytest.raises(BadEvent) as missing:
        apply_event(need_in("open"), NeedEvent("closed", DAY))
    assert missing.value.field == "reason"
    with pytest.raises(BadEvent):
        apply_event(need_in("open"), NeedEvent("closed", DAY, reason="bored"))  # type: ignore[arg-type]


def test_satisfaction_only_with_feedback_or_resolved_and_within_1_to_5() -> None:
    assert apply_event(need_in("started"), NeedEvent("resolved", DAY, satisfaction=5)).status == (
        "resolved"
    )
    with pytest.raises(BadEvent):
        apply_event(need_in("assigned"), NeedEvent("started", DAY, satisfaction=5))
    with pytest.raises(BadEvent):
        apply_event(need_in("resolved"), NeedEvent("feedback", DAY, satisfaction=6))


def test_a_reason_only_with_a_close() -> None:
    with pytest.raises(BadEvent) as refused:
        apply_event(need_in("assigned"), NeedEvent("started", DAY, reason="duplicate"))
    assert refused.value.field == "reason"


def test_assigned_only_by_publishing_not_by_an_event() -> None:
    with pytest.raises(BadEvent) as refused:
        apply_event(need_in("open"), NeedEvent("assigned", DAY, provider="C1", date=DAY))
    assert refused.value.field == "type"


def test_reopening_clears_the_assignment() -> None:
    need = replace(need_in("resolved"), provider="C1", date=DAY, funding=(("P", 100),))
    after = apply_event(need, NeedEvent("reopened", DAY))
    assert (after.status, after.provider, after.date, after.funding) == ("open", None, None, ())
