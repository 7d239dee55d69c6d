"""A register held in memory: the loop of DESIGN §10 without a database.

``matcher replay`` plays a month through it; the API's store keeps the same records in tables
and applies the same functions (:func:`apply_event`, :func:`publish_plan`) inside its
transactions, so both follow one set of rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from matcher.plan import Plan
from matcher.register.model import NeedEvent, PublishRecord, RegisteredNeed, received
from matcher.register.publish import PublishOutcome, publish_plan
from matcher.register.transitions import apply_event
from matcher.scenario import Need


class DuplicateNeed(ValueError):
    """A need id the register already holds."""

    def __init__(self, need_id: str) -> None:
        self.need_id = need_id
        super().__init__(f"need {need_id} is already in the register")


class MemoryRegister:
    """One county's register: needs by id (in arrival order), publishes, the current plan."""

    def __init__(self) -> None:
        self._needs: dict[str, RegisteredNeed] = {}
        self._publishes: list[PublishRecord] = []
        self.published: Plan | None = None
        self.published_id: str | None = None

    def add(self, needs: Iterable[Need], day: dt.date) -> list[RegisteredNeed]:
        """Accept new needs as ``open`` on ``day`` (all or none: a known id refuses the lot)."""
        batch = [received(n, day) for n in needs]
        seen: set[str] = set()
        for need in batch:
            if need.id in self._needs or need.id in seen:
                raise DuplicateNeed(need.id)
            seen.add(need.id)
        self._needs.update((n.id, n) for n in batch)
        return batch

    def post(self, need_id: str, event: NeedEvent) -> RegisteredNeed:
        """Apply a posted event (``KeyError`` for an unknown need; the transition errors)."""
        need = apply_event(self._needs[need_id], event)
        self._needs[need_id] = need
        return need

    def publish(self, plan: Plan, plan_id: str, day: dt.date, plan_date: dt.date) -> PublishOutcome:
        """Make ``plan`` the current plan and move the needs it assigns (DESIGN §10)."""
        outcome = publish_plan(plan, plan_id, self._needs.values(), day, plan_date)
        self._needs.update((n.id, n) for n in (*outcome.updated, *outcome.refunded))
        self._publishes.append(outcome.record)
        self.published, self.published_id = plan, plan_id
        return outcome

    def get(self, need_id: str) -> RegisteredNeed:
        """One need (``KeyError`` when unknown)."""
        return self._needs[need_id]

    def needs(self) -> list[RegisteredNeed]:
        """Every need, in arrival order."""
        return list(self._needs.values())

    def publishes(self) -> list[PublishRecord]:
        """Every publish, in order."""
        return list(self._publishes)
