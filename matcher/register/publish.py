"""What publishing a plan does to the register (DESIGN §10).

The plan becomes the county's current plan: each of its assignments moves its need to
``assigned`` with the provider and the service day (the assignment's ``date`` when the plan has
days, else the re-plan's date); a need that was ``assigned`` and that the plan no longer serves
returns to ``open``. Needs that moved on since the plan was made (started, resolved, closed) are
left as they are, and so are needs the plan serves that the register no longer holds as
``open``/``assigned``: they are reported, never forced. A plan without days (``policy.schedule``
off) says only who: an assignment it keeps with the same provider keeps its day, so a daily
re-plan does not move every kept assignment to the new date.

"Assignments changed" counts the published assignments this publish moves to another provider
or day or returns to ``open``: what changes in people's responsibility lists. Newly assigned
needs are additions, not changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, replace

from matcher.plan import Plan
from matcher.register.model import PLANNABLE, NeedEvent, PublishRecord, RegisteredNeed


@dataclass(frozen=True)
class PublishOutcome:
    """The needs a publish changes (their new records), its record, and the plan's
    assignments it could not apply, with why."""

    updated: tuple[RegisteredNeed, ...]
    record: PublishRecord
    skipped: tuple[tuple[str, str], ...]
    # Kept assignments the plan pays from other pools: their funding changes, silently (no
    # event: nobody's list changes), so that the money a resolved need used is the money its
    # last plan gave it.
    refunded: tuple[RegisteredNeed, ...] = ()


def _service_day(date: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(date) if date else default


def publish_plan(
    plan: Plan, plan_id: str, needs: Iterable[RegisteredNeed], day: dt.date, plan_date: dt.date
) -> PublishOutcome:
    """Apply ``plan`` (made for ``plan_date``) to the register's ``needs`` on ``day``."""
    by_id = {n.id: n for n in needs}
    served = {a.need: a for a in plan.assignments}
    updated: list[RegisteredNeed] = []
    refunded: list[RegisteredNeed] = []
    skipped: list[tuple[str, str]] = []
    changed = before = assigned = 0
    for need_id in served:
        need = by_id.get(need_id)
        if need is None:
            skipped.append((need_id, "not in the register"))
        elif need.status not in PLANNABLE:
            skipped.append((need_id, f"now {need.status}"))
    for need in by_id.values():
        if need.status not in PLANNABLE:
            continue
        was = need.status == "assigned"
        before += was
        assignment = served.get(need.id)
        if assignment is None:
            if was:
                changed += 1
                event = NeedEvent("unassigned", day, plan_id=plan_id)
                updated.append(need.with_event(event, "open"))
            continue
        assigned += 1
        date = _service_day(assignment.date, plan_date)
        same_day = need.date == date or assignment.date is None
        funding = tuple((line.pool, line.amount) for line in assignment.funding)
        if was and need.provider == assignment.provider and same_day:
            if need.funding != funding:
                refunded.append(replace(need, funding=funding))
            continue
        changed += was
        event = NeedEvent("assigned", day, provider=assignment.provider, date=date, plan_id=plan_id)
        new = need.with_event(event, "assigned")
        updated.append(_with_funding(new, funding))
    record = PublishRecord(plan_id, day, assigned=assigned, changed=changed, before=before)
    return PublishOutcome(tuple(updated), record, tuple(skipped), tuple(refunded))


def _with_funding(need: RegisteredNeed, funding: tuple[tuple[str, int], ...]) -> RegisteredNeed:
    return replace(need, funding=funding)
