"""Publishing a plan moves needs to assigned and back to open, and counts the churn."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from matcher.plan import Assignment, FundingLine, Plan, SolverInfo
from matcher.register.memory import MemoryRegister
from matcher.register.model import NeedEvent
from matcher.register.publish import publish_plan
from matcher.scenario import Need

DAY = dt.date(2026, 12, 7)


def plan_of(*served: tuple[str, str, str | None]) -> Plan:
    return Plan(
        solver=SolverInfo(name="test", status="feasible"),
        assignments=[
            Assignment(need=n, provider=p, date=d, funding=[FundingLine(pool="P", amount=10)])
            for n, p, d in served
        ],
    )


def register_of(*ids: str) -> MemoryRegister:
    register = MemoryRegister()
    register.add([Need(id=i, village="V1", category="medical", hours=1) for i in ids], DAY)
    return register


def test_publish_assigns_with_provider_and_date_and_defaults_to_the_plan_date() -> None:
    register = register_of("N1", "N2", "N3")
    outcome = register.publish(
        plan_of(("N1", "C1", "2026-12-09"), ("N2", "C2", None)), "p1", DAY, DAY
    )
    n1, n2, n3 = (register.get(i) for i in ("N1", "N2", "N3"))
    assert (n1.status, n1.provider, n1.date) == ("assigned", "C1", dt.date(2026, 12, 9))
    assert (n2.status, n2.provider, n2.date) == ("assigned", "C2", DAY)
    assert n1.funding == (("P", 10),)
    assert n3.status == "open"
    assert (outcome.record.assigned, outcome.record.changed, outcome.record.before) == (2, 0, 0)
    assert n1.history[-1].type == "assigned" and n1.history[-1].plan_id == "p1"


def test_a_republish_counts_moved_and_dropped_work_but_not_additions() -> None:
    register = register_of("N1", "N2", "N3", "N4")
    register.publish(
        plan_of(("N1", "C1", None), ("N2", "C1", None), ("N3", "C1", None)), "p1", DAY, DAY
    )
    later = DAY + dt.timedelta(days=1)
    # N1 kept (same provider, same day), N2 moved to C2, N3 dropped, N4 newly served.
    second = plan_of(("N1", "C1", DAY.isoformat()), ("N2", "C2", None), ("N4", "C1", None))
    outcome = register.publish(second, "p2", later, later)
    assert (outcome.record.changed, outcome.record.before, outcome.record.assigned) == (2, 3, 3)
    assert outcome.record.changed_share == 2 / 3
    assert register.get("N3").status == "open" and register.get("N3").provider is None
    assert register.get("N3").history[-1].type == "unassigned"
    assert register.get("N2").provider == "C2"
    assert len(register.get("N1").history) == 2  # received, assigned: keeping is not an event
    assert [p.plan_id for p in register.publishes()] == ["p1", "p2"]


def test_needs_that_moved_on_are_left_alone_and_reported() -> None:
    register = register_of("N1", "N2")
    register.publish(plan_of(("N1", "C1", None), ("N2", "C1", None)), "p1", DAY, DAY)
    register.post("N1", NeedEvent("started", DAY))
    register.post("N2", NeedEvent("closed", DAY, reason="done_by_others"))
    outcome = register.publish(plan_of(("N1", "C2", None), ("N2", "C2", None)), "p2", DAY, DAY)
    assert register.get("N1").provider == "C1" and register.get("N1").status == "started"
    assert register.get("N2").status == "closed"
    assert dict(outcome.skipped) == {"N1": "now started", "N2": "now closed"}
    assert outcome.record.changed == 0


def test_publish_is_pure_on_the_records_it_is_given() -> None:
    register = register_of("N1")
    before = register.get("N1")
    outcome = publish_plan(plan_of(("N1", "C1", None)), "p1", [before], DAY, DAY)
    assert register.get("N1") is before and before.status == "open"
    assert outcome.updated[0] == replace(
        before.with_event(outcome.updated[0].history[-1], "assigned"), funding=(("P", 10),)
    )


def test_a_plan_without_days_keeps_the_day_of_work_it_keeps() -> None:
    register = register_of("N1", "N2")
    register.publish(plan_of(("N1", "C1", None), ("N2", "C1", None)), "p1", DAY, DAY)
    later = DAY + dt.timedelta(days=1)
    outcome = register.publish(plan_of(("N1", "C1", None), ("N2", "C2", None)), "p2", later, later)
    assert register.get("N1").date == DAY  # kept, with its day
    assert register.get("N2").date == later  # moved: the new plan's date
    assert outcome.record.changed == 1


def test_a_kept_assignment_paid_from_other_pools_changes_its_funding_silently() -> None:
    register = register_of("N1")
    register.publish(plan_of(("N1", "C1", None)), "p1", DAY, DAY)
    later = DAY + dt.timedelta(days=1)
    other = Plan(
        solver=SolverInfo(name="test", status="feasible"),
        assignments=[
            Assignment(need="N1", provider="C1", funding=[FundingLine(pool="Q", amount=10)])
        ],
    )
    outcome = register.publish(other, "p2", later, later)
    need = register.get("N1")
    assert need.funding == (("Q", 10),)  # the money its last plan gave it
    assert [e.type for e in need.history] == ["received", "assigned"]  # no event
    assert outcome.record.changed == 0 and outcome.updated == ()
    assert [n.id for n in outcome.refunded] == ["N1"]
