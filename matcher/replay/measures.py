"""The month's figures of one policy: the service KPIs and what the plan model values.

- the service KPIs (:func:`~matcher.register.kpis.service_kpis`) of the needs received in the
  horizon, as their histories stand at its last day;
- value served: the sum of ``value(n)`` (DESIGN §5, the objective's value of a need) over the
  resolved needs;
- duplicate aid: resolved needs whose aid was already given, by H8's key (the household, or
  the village for a village-level need, and the category) and window (``duplicate_window_days``
  before the service day): a ledger record, or an earlier resolved need of the key (for a
  household, any earlier service, as the planner merges one household's repeated requests;
  for a village-level need, one resolved before this one was given out, since a village may
  need two of a kind at once). Needs closed ``duplicate`` are counted apart
  (``closed_duplicate``): they were not served;
- travel hours: the providers' round trips (:mod:`matcher.replay.execution`);
- assignments changed per publish (mean count and mean share), from the KPIs.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from matcher.prepare.eligibility import aid_key, need_value
from matcher.register.kpis import ServiceKpis, service_kpis
from matcher.register.model import PublishRecord, RegisteredNeed
from matcher.scenario import Scenario
from matcher.schedule.calendar import WorkCalendar


def month_kpis(
    county: Scenario, needs: Sequence[RegisteredNeed], publishes: Sequence[PublishRecord]
) -> ServiceKpis:
    """The service KPIs of the needs received in the county's horizon, by town and category."""
    calendar = WorkCalendar.of(county)
    return service_kpis(
        needs,
        publishes,
        start=calendar.start,
        end=calendar.end - dt.timedelta(days=1),
        calendar=calendar,
        policy=county.policy,
        town_of={v.id: v.town for v in county.villages},
        town_names={p.id: p.name for p in county.places if p.name},
    )


def _resolved_on(need: RegisteredNeed) -> dt.date:
    return next(e.at for e in reversed(need.history) if e.type == "resolved")


def _assigned_on(need: RegisteredNeed) -> dt.date:
    return next(e.at for e in reversed(need.history) if e.type == "assigned")


def duplicate_aid(county: Scenario, needs: Sequence[RegisteredNeed]) -> int:
    """Resolved needs that recent aid already covered (module docstring)."""
    if county.policy.allow_repeat_aid:
        return 0
    window = dt.timedelta(days=county.policy.duplicate_window_days)
    ledger: dict[tuple[str, str, str], list[dt.date]] = defaultdict(list)
    for record in county.aid_records:
        ledger[aid_key(record.household, record.village, record.category)].append(record.date)
    served = sorted(
        ((_resolved_on(n), i, n) for i, n in enumerate(needs) if n.status == "resolved"),
        key=lambda t: (t[0], t[1]),
    )
    resolved: dict[tuple[str, str, str], list[dt.date]] = defaultdict(list)
    count = 0
    for day, _, need in served:
        n = need.need
        key = aid_key(n.household, n.village, n.category)
        # A household's need repeats any earlier service of its key; a village may need two of
        # a kind at once, so a village-level need repeats only what was done before it was
        # given out.
        before = day if n.household is not None else _assigned_on(need) - dt.timedelta(days=1)
        earlier = [d for d in resolved[key] if d <= before]
        if any(day - window <= d <= day for d in (*ledger[key], *earlier)):
            count += 1
        resolved[key].append(day)
    return count


def value_served(county: Scenario, needs: Sequence[RegisteredNeed]) -> float:
    """The objective's value of the resolved needs."""
    villages = {v.id: v for v in county.villages}
    return sum(
        need_value(n.need, villages[n.need.village], county.policy)
        for n in needs
        if n.status == "resolved"
    )


def _close_reasons(needs: Sequence[RegisteredNeed]) -> Counter[str]:
    reasons: Counter[str] = Counter()
    for need in needs:
        if need.status == "closed":
            reasons[next(e.reason for e in reversed(need.history) if e.type == "closed") or ""] += 1
    return reasons


def month_figures(
    county: Scenario,
    needs: Sequence[RegisteredNeed],
    kpis: ServiceKpis,
    travel_hours: float,
) -> dict[str, Any]:
    """One CSV row's figures (without the county and policy columns)."""
    figures = kpis.all
    reasons = _close_reasons(needs)
    return {
        "received": figures.received,
        "responded": figures.responded,
        "on_time_share": figures.on_time_share,
        "response_days_p50": figures.response_days_p50,
        "response_days_p90": figures.response_days_p90,
        "resolved": figures.resolved,
        "closed_unresolved": figures.closed_unresolved,
        "open_past_due": figures.open_past_due,
        "resolution_rate": figures.resolution_rate,
        "satisfaction_mean": figures.satisfaction_mean,
        "satisfied_share": figures.satisfied_share,
        "satisfaction_answers": figures.satisfaction_answers,
        "value_served": round(value_served(county, needs), 2),
        "duplicate_aid": duplicate_aid(county, needs),
        "closed_duplicate": reasons.get("duplicate", 0),
        "closed_done_by_others": reasons.get("done_by_others", 0),
        "still_open": sum(1 for n in needs if n.status in ("open", "assigned", "started")),
        "travel_hours": round(travel_hours, 2),
        "publishes": kpis.publishes,
        "changed_per_publish": kpis.changed_per_publish,
        "changed_share_per_publish": kpis.changed_share_per_publish,
    }
