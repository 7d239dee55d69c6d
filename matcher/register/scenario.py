"""The scenario a re-plan is built from: the county version and the register (DESIGN §10).

``open`` and ``assigned`` needs are the scenario's needs; ``started`` needs are pinned to their
provider (publishing never moves a started need, so its day stays too); ``resolved`` needs are
aid records, so that H8 holds back the same aid to the same household; ``closed`` needs are
left out. Days before the re-plan's ``date`` are frozen: the horizon starts on ``date`` and
ends where the county's planning period ends (periods of ``horizon.days`` from the county's
``horizon.start``, so a county planned by the month re-plans within the month). What the
period's finished work used is taken off: each provider's ``hours`` lose the hours of the
needs it resolved in the period before ``date``, and each pool's ``amount`` the money those
needs drew from it.

Two rules make a daily re-plan serve the right needs first:

- a need that would miss its deadline if left to the next re-plan (``due(n)`` before
  ``next_replan``) gains one ``priority`` step, at most 5, and is listed as ``urgent``;
- a started need whose pin no plan could keep in this scenario (its provider was removed or
  lost the hours, or a later record holds it back) is not pinned: it becomes a record of aid in
  progress (H8) and its hours are taken off its provider, and is listed in ``left_out`` with
  why. Needs whose village the county version no longer has are left out the same way.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from matcher.intake.pinned import check_pinned_can_serve, check_pins_fit
from matcher.register.model import RegisteredNeed
from matcher.scenario import AidRecord, Horizon, Need, Scenario
from matcher.schedule.calendar import WorkCalendar, due

MAX_PRIORITY = 5
# The scenario format wants positive hours; a provider whose period is used up keeps this much,
# which no need's service fits.
LEAST_HOURS = 0.01


@dataclass(frozen=True)
class RegisterScenario:
    """A re-plan's scenario, with what the register rule did on the way."""

    scenario: Scenario
    period_start: dt.date
    urgent: tuple[str, ...]
    pinned: tuple[str, ...]
    left_out: tuple[tuple[str, str], ...]  # (need id, why)


def period_start(horizon: Horizon, date: dt.date) -> dt.date:
    """The first day of the county's planning period that holds ``date``."""
    periods = (date - horizon.start).days // horizon.days
    return horizon.start + dt.timedelta(days=periods * horizon.days)


def replan_horizon(horizon: Horizon, date: dt.date) -> Horizon:
    """The horizon of a re-plan on ``date``: from ``date`` to the end of its period."""
    start = period_start(horizon, date)
    days = (start + dt.timedelta(days=horizon.days) - date).days
    return horizon.model_copy(update={"start": date, "days": days})


def next_working_day(calendar: WorkCalendar, date: dt.date) -> dt.date:
    """The working day after ``date`` (a daily re-plan's next run)."""
    found = calendar.first_working_day(date + dt.timedelta(days=1))
    return found if found is not None else date + dt.timedelta(days=1)


def _resolved_on(need: RegisteredNeed) -> dt.date:
    return next(e.at for e in reversed(need.history) if e.type == "resolved")


def _record(need: RegisteredNeed, date: dt.date, prefix: str) -> AidRecord:
    n = need.need
    return AidRecord(
        id=f"{prefix}{n.id}",
        household=n.household,
        village=n.village,
        category=n.category,
        provider=need.provider or "register",
        cost=n.cost,
        hours=n.hours,
        date=date,
    )


def _as_need(
    need: RegisteredNeed, calendar: WorkCalendar, county: Scenario, next_replan: dt.date
) -> tuple[Need, bool]:
    """The scenario need of a plannable register need, and whether it is urgent."""
    n = need.need.model_copy(update={"pinned_provider": None})
    deadline = due(n, calendar, county.policy)
    urgent = deadline is not None and deadline < next_replan
    if urgent:
        n = n.model_copy(update={"priority": min(MAX_PRIORITY, n.priority + 1)})
    return n, urgent


def scenario_from_register(
    county: Scenario,
    needs: Iterable[RegisteredNeed],
    date: dt.date,
    next_replan: dt.date | None = None,
) -> RegisterScenario:
    """The scenario of a re-plan on ``date`` (see the module docstring for the rule).

    ``next_replan`` is when the next re-plan will run (default: the next working day)."""
    calendar = WorkCalendar.of(county)
    next_replan = next_replan or next_working_day(calendar, date)
    start = period_start(county.horizon, date)
    villages = {v.id for v in county.villages}
    plannable: list[Need] = []
    started: dict[str, RegisteredNeed] = {}
    records: list[AidRecord] = list(county.aid_records)
    used_hours: dict[str, float] = defaultdict(float)
    used_money: dict[str, int] = defaultdict(int)
    urgent: list[str] = []
    left_out: list[tuple[str, str]] = []
    for need in needs:
        if need.need.village not in villages:
            left_out.append((need.id, f"village {need.need.village} is not in the county"))
        elif need.status in ("open", "assigned"):
            scenario_need, is_urgent = _as_need(need, calendar, county, next_replan)
            plannable.append(scenario_need)
            if is_urgent:
                urgent.append(need.id)
        elif need.status == "started":
            started[need.id] = need
        elif need.status == "resolved":
            day = _resolved_on(need)
            records.append(_record(need, day, "R-"))
            if start <= day < date and need.provider:
                used_hours[need.provider] += need.need.hours
                for pool, amount in need.funding:
                    used_money[pool] += amount
    base = county.model_copy(
        update={"horizon": replan_horizon(county.horizon, date), "aid_records": tuple(records)}
    )
    scenario, pinned, reserved = _with_started(base, plannable, started, used_hours, used_money)
    left_out.extend(reserved)
    return RegisterScenario(scenario, start, tuple(urgent), pinned, tuple(left_out))


def _with_started(
    base: Scenario,
    plannable: list[Need],
    started: dict[str, RegisteredNeed],
    used_hours: dict[str, float],
    used_money: dict[str, int],
) -> tuple[Scenario, tuple[str, ...], list[tuple[str, str]]]:
    """Pin the started needs whose pins can be kept; reserve the others' hours (their aid in
    progress becomes a record). Repeats until the pins left fit together."""
    reserved: dict[str, str] = {}
    while True:
        hours = dict(used_hours)
        records = list(base.aid_records)
        pins: list[Need] = []
        for need_id, need in started.items():
            if need_id in reserved:
                hours[need.provider or ""] = hours.get(need.provider or "", 0.0) + need.need.hours
                records.append(_record(need, need.date or base.horizon.start, "S-"))
            else:
                pins.append(need.need.model_copy(update={"pinned_provider": need.provider}))
        scenario = _capacities_left(base, hours, used_money).model_copy(
            update={"needs": (*plannable, *pins), "aid_records": tuple(records)}
        )
        refused = {
            issue.id: issue.message
            for issue in [*check_pinned_can_serve(scenario), *check_pins_fit(scenario)]
            if issue.id in started and issue.id not in reserved
        }
        if not refused:
            pinned = tuple(n.id for n in pins)
            why = [(i, f"started, but its pin cannot be kept: {m}") for i, m in reserved.items()]
            return scenario, pinned, why
        reserved.update(refused)


def _left(hours: float, used: float) -> float:
    return max(LEAST_HOURS, hours - used)


def _capacities_left(
    scenario: Scenario, hours: dict[str, float], money: dict[str, int]
) -> Scenario:
    """The scenario with each provider's hours and each pool's amount less what was used."""
    cadres = tuple(
        c.model_copy(update={"hours": _left(c.hours, hours[c.id])}) if c.id in hours else c
        for c in scenario.cadres
    )
    organizations = tuple(
        o.model_copy(update={"hours": _left(o.hours, hours[o.id])}) if o.id in hours else o
        for o in scenario.organizations
    )
    pools = tuple(
        p.model_copy(update={"amount": max(0, p.amount - money[p.id])}) if p.id in money else p
        for p in scenario.pools
    )
    return scenario.model_copy(
        update={"cadres": cadres, "organizations": organizations, "pools": pools}
    )
