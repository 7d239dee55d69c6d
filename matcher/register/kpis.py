"""The service KPIs of DESIGN §10, read from the register's event history.

For the needs received (``submitted``) in ``[start, end]``, as their histories stand at the end
of ``end``:

- a need's *response day* is the date of its first ``started`` or ``resolved`` event; its
  response working days are counted from ``submitted`` with the working days of DESIGN §9 (a
  need submitted on a non-working day counts from the next working day);
- *on time* means responded on or before ``due(n)``. The on-time share is over the needs whose
  outcome is known at ``end``: responded, or *open past due* (not responded, not closed, and
  past ``due(n)``). A need closed without a response is left out of it;
- resolution rate = resolved / (resolved + closed ``unresolved`` + open past due); the other
  closes (``done_by_others``, ``duplicate``, ``out_of_scope``, ``no_help_wanted``) are left out
  of both;
- satisfaction: the mean of each need's latest answer (``feedback`` or ``resolved`` carrying
  ``satisfaction``), how many needs answered, and the share of answers of 4 or 5 (satisfied:
  the 满意率 the policy's 90% target speaks of);
- publishes in the period: how many, and the assignments each changed (mean count and mean
  share of the assignments published before it).

The same figures are given by town and by category.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from matcher.register.model import NeedEvent, PublishRecord, RegisteredNeed
from matcher.scenario import Policy
from matcher.schedule.calendar import WorkCalendar, due, response_days

SATISFIED = 4  # an answer of 4 (满意) or 5 (非常满意) counts as satisfied


@dataclass(frozen=True)
class NeedOutcome:
    """One received need as its history stands at the period's end."""

    need: RegisteredNeed
    status: str
    responded: dt.date | None
    response_days: int | None
    on_time: bool | None  # None: outcome not known yet (or closed without a response)
    past_due: bool
    satisfaction: int | None
    close_reason: str | None  # the reason of the last close by ``end``


@dataclass(frozen=True)
class ServiceFigures:
    """The service KPIs of one group of needs (all, one town, one category)."""

    received: int
    responded: int
    on_time: int
    known: int  # responded + open past due: the on-time share's denominator
    on_time_share: float | None
    response_days_p50: float | None
    response_days_p90: float | None
    resolved: int
    closed_unresolved: int
    open_past_due: int
    closed_other: int
    resolution_rate: float | None
    satisfaction_mean: float | None
    satisfaction_answers: int
    satisfied_share: float | None  # answers of 4 or 5: the policy's 满意率 (target 90%)


@dataclass(frozen=True)
class ServiceKpis:
    """The service KPIs of a period: all needs, by town and by category, and publishes."""

    start: dt.date
    end: dt.date
    response_working_days: int
    all: ServiceFigures
    publishes: int
    changed_per_publish: float | None
    changed_share_per_publish: float | None
    by_town: dict[str, ServiceFigures] = field(default_factory=dict)
    by_category: dict[str, ServiceFigures] = field(default_factory=dict)
    town_names: dict[str, str] = field(default_factory=dict)  # the towns' names, for readers


def _state_at(need: RegisteredNeed, end: dt.date) -> tuple[str, tuple[NeedEvent, ...]]:
    """The need's status and history as they stood at the end of ``end``."""
    history = tuple(e for e in need.history if e.at <= end)
    status = "open"
    for event in history:
        status = _status_after(status, event)
    return status, history


def _status_after(status: str, event: NeedEvent) -> str:
    moves = {
        "assigned": "assigned",
        "unassigned": "open",
        "started": "started",
        "resolved": "resolved",
        "closed": "closed",
        "reopened": "open",
    }
    return moves.get(event.type, status)


def outcome(
    need: RegisteredNeed, end: dt.date, calendar: WorkCalendar, policy: Policy
) -> NeedOutcome:
    """One need's response, lateness and satisfaction as its history stands at ``end``."""
    status, history = _state_at(need, end)
    responded = next((e.at for e in history if e.type in ("started", "resolved")), None)
    deadline = due(need.need, calendar, policy)
    answers = [e.satisfaction for e in history if e.satisfaction is not None]
    days = None if responded is None else response_days(need.need, responded, calendar)
    past_due = (
        responded is None
        and status not in ("closed", "resolved")
        and deadline is not None
        and end > deadline
    )
    on_time: bool | None
    if responded is not None:
        on_time = deadline is None or responded <= deadline
    else:
        on_time = False if past_due else None
    closes = [e.reason for e in history if e.type == "closed"]
    return NeedOutcome(
        need,
        status,
        responded,
        days,
        on_time,
        past_due,
        answers[-1] if answers else None,
        closes[-1] if closes else None,
    )


def _percentile(values: Sequence[int], q: float) -> float | None:
    return float(np.percentile(values, q)) if values else None


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def figures(outcomes: Sequence[NeedOutcome]) -> ServiceFigures:
    """The service KPIs of a group of received needs."""
    days = [o.response_days for o in outcomes if o.response_days is not None]
    on_time = sum(1 for o in outcomes if o.on_time)
    known = sum(1 for o in outcomes if o.on_time is not None)
    resolved = sum(1 for o in outcomes if o.status == "resolved")
    reasons = [o.close_reason for o in outcomes if o.status == "closed"]
    unresolved = sum(1 for r in reasons if r == "unresolved")
    past_due = sum(1 for o in outcomes if o.past_due)
    answers = [o.satisfaction for o in outcomes if o.satisfaction is not None]
    return ServiceFigures(
        received=len(outcomes),
        responded=len(days),
        on_time=on_time,
        known=known,
        on_time_share=_share(on_time, known),
        response_days_p50=_percentile(days, 50),
        response_days_p90=_percentile(days, 90),
        resolved=resolved,
        closed_unresolved=unresolved,
        open_past_due=past_due,
        closed_other=len(reasons) - unresolved,
        resolution_rate=_share(resolved, resolved + unresolved + past_due),
        satisfaction_mean=float(np.mean(answers)) if answers else None,
        satisfaction_answers=len(answers),
        satisfied_share=_share(sum(1 for a in answers if a >= SATISFIED), len(answers)),
    )


def _grouped(
    outcomes: Sequence[NeedOutcome], key: Callable[[NeedOutcome], str]
) -> dict[str, ServiceFigures]:
    groups: dict[str, list[NeedOutcome]] = defaultdict(list)
    for o in outcomes:
        groups[key(o)].append(o)
    return {k: figures(v) for k, v in sorted(groups.items())}


def service_kpis(
    needs: Iterable[RegisteredNeed],
    publishes: Iterable[PublishRecord],
    *,
    start: dt.date,
    end: dt.date,
    calendar: WorkCalendar,
    policy: Policy,
    town_of: dict[str, str] | None = None,
    town_names: dict[str, str] | None = None,
) -> ServiceKpis:
    """The service KPIs of the needs received in ``[start, end]`` (module docstring).

    ``town_of`` maps village ids to town ids for the by-town figures (none when omitted);
    ``town_names`` gives those towns' names to show beside their ids."""
    received = [n for n in needs if start <= n.submitted <= end]
    outcomes = [outcome(n, end, calendar, policy) for n in received]
    period = [p for p in publishes if start <= p.day <= end]
    shares = [s for p in period if (s := p.changed_share) is not None]
    towns = town_of or {}
    return ServiceKpis(
        start=start,
        end=end,
        response_working_days=policy.response_working_days,
        all=figures(outcomes),
        publishes=len(period),
        changed_per_publish=float(np.mean([p.changed for p in period])) if period else None,
        changed_share_per_publish=float(np.mean(shares)) if shares else None,
        by_town=_grouped(outcomes, lambda o: towns.get(o.need.need.village, "?")) if towns else {},
        by_category=_grouped(outcomes, lambda o: o.need.need.category),
        town_names={t: n for t, n in (town_names or {}).items() if t in set(towns.values())},
    )
