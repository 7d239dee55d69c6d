"""The register's records: a registered need, its events, a publish (DESIGN §10).

A need's history is append-only: the events a caller posts (``started``, ``resolved``,
``closed``, ``reopened``, ``feedback``) and those the register writes itself (``received``
when the need is accepted, ``assigned`` and ``unassigned`` when a plan is published). The
need's status, provider and date are what its history says; they are kept on the record too so
that lists never replay histories.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from matcher.scenario import Need

Status = Literal["open", "assigned", "started", "resolved", "closed"]
PostedType = Literal["started", "resolved", "closed", "reopened", "feedback"]
SystemType = Literal["received", "assigned", "unassigned"]
EventType = PostedType | SystemType
CloseReason = Literal["done_by_others", "duplicate", "out_of_scope", "no_help_wanted", "unresolved"]

STATUSES: tuple[str, ...] = get_args(Status)
POSTED_TYPES: tuple[str, ...] = get_args(PostedType)
CLOSE_REASONS: tuple[str, ...] = get_args(CloseReason)
# Statuses whose need a re-plan may (re)assign; a started need stays with its provider.
PLANNABLE: frozenset[str] = frozenset({"open", "assigned"})


@dataclass(frozen=True)
class NeedEvent:
    """One entry of a need's history. ``at`` is the day it happened (the service KPIs count
    working days); ``provider``/``date``/``plan_id`` are set on ``assigned`` and
    ``unassigned`` entries, ``reason`` on ``closed``, ``satisfaction`` (1-5) on ``feedback``
    and optionally ``resolved``."""

    type: EventType
    at: dt.date
    reason: CloseReason | None = None
    note: str | None = None
    satisfaction: int | None = None
    provider: str | None = None
    date: dt.date | None = None
    plan_id: str | None = None


@dataclass(frozen=True)
class RegisteredNeed:
    """A need in the register: the scenario's need fields (``submitted`` always set), its
    status, its current assignment and its history."""

    need: Need
    status: Status = "open"
    provider: str | None = None
    date: dt.date | None = None
    funding: tuple[tuple[str, int], ...] = ()  # (pool, yuan) of the current assignment
    history: tuple[NeedEvent, ...] = field(default_factory=tuple)

    @property
    def id(self) -> str:
        """The need's id (unique within the tenant's register)."""
        return self.need.id

    @property
    def submitted(self) -> dt.date:
        """The day the need was received."""
        assert self.need.submitted is not None, "a registered need always has submitted"
        return self.need.submitted

    def with_event(self, event: NeedEvent, status: Status | None = None) -> RegisteredNeed:
        """This need after ``event``: its history extended, its status (and, for
        ``assigned``/``unassigned``, its assignment) updated."""
        changes: dict[str, object] = {"history": (*self.history, event)}
        if status is not None:
            changes["status"] = status
        if event.type == "assigned":
            changes.update(provider=event.provider, date=event.date)
        elif event.type in ("unassigned", "reopened"):
            changes.update(provider=None, date=None, funding=())
        return replace(self, **changes)  # type: ignore[arg-type]


def received(need: Need, day: dt.date) -> RegisteredNeed:
    """A newly accepted need: ``open``, submitted ``need.submitted`` or ``day``."""
    submitted = need.submitted if need.submitted is not None else day
    if need.submitted is None:
        need = need.model_copy(update={"submitted": submitted})
    return RegisteredNeed(need=need, history=(NeedEvent("received", day),))


@dataclass(frozen=True)
class PublishRecord:
    """A publish: which plan, on which day, and how many published assignments it changed
    (moved to another provider or day, or returned to ``open``) out of how many there were."""

    plan_id: str
    day: dt.date
    assigned: int
    changed: int
    before: int

    @property
    def changed_share(self) -> float | None:
        """Changed assignments as a share of those published before (None when none were)."""
        return self.changed / self.before if self.before else None
