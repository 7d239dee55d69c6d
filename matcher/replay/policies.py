"""The operating policies ``matcher replay`` compares, one class per way of working.

- ``daily`` and ``weekly`` (:class:`Replanner`): each working day (``weekly``: the first working
  day of each week) the county re-plans from the register (:func:`scenario_from_register`) with
  the ``auto`` solver from the published plan, within ``max_changes`` changes (newly served
  needs are not changes), and publishes the plan. Needs the plan leaves unmet because the
  ledgers show the household was aided recently (H8, ``already_aided``), or because the
  planner merged them into the household's same request that is now given out, are closed
  ``duplicate``: the integrated plan reads the ledgers, and that is what its operator does.
- ``first-come`` and ``siloed`` (:class:`Dispatcher`): the status quo desk. After the day's
  arrivals are in, every ``open`` need, in arrival order, goes to the nearest capable provider
  (:class:`~matcher.replay.reach.Reach`) with hours left this month, dated the first working
  day from today on which it has room in its daily hours, paid whole by the first pool that
  admits it and has the money (within the village's cap); a need no provider or pool can take
  waits for the next day. The day's choices are published as one plan holding every current
  assignment, so ``assigned`` happens only by publishing. Nobody reads the ledgers. ``siloed``
  gives a cadre only the categories its department owns
  (:data:`~matcher.prepare.departments.CATEGORY_DEPARTMENT`) and pays from that department's
  pools or the common ones (departments owning no category); organisations belong to no
  department: they take any category they can serve, paid from the common pools only (as in
  :mod:`solvers.siloed`).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Protocol

from matcher.plan import Assignment, FundingLine, Plan, SolverInfo, Unmet
from matcher.prepare.departments import CATEGORY_DEPARTMENT
from matcher.prepare.eligibility import pool_admits, pool_limit_per_need
from matcher.register.memory import MemoryRegister
from matcher.register.model import PLANNABLE, NeedEvent, RegisteredNeed
from matcher.register.scenario import next_working_day, scenario_from_register
from matcher.replay.month import Month
from matcher.run import FixOptions, solve_scenario
from matcher.scenario import Cadre, Need, Pool
from matcher.schedule.calendar import WorkCalendar

POLICIES = ("first-come", "daily", "weekly", "siloed")
_EPS = 1e-9


class OperatingPolicy(Protocol):
    """One way of running the month: acts in the morning and after the day's arrivals."""

    name: str
    solve_seconds: list[float]
    unpublished: int  # re-plans that ended without a plan to publish

    def morning(self, month: Month, day: dt.date) -> None:
        """Before the day's arrivals (a re-plan runs here)."""

    def after_arrivals(self, month: Month, day: dt.date) -> None:
        """After the day's arrivals are in the register (a dispatcher runs here)."""


def first_of_week(calendar: WorkCalendar, day: dt.date) -> bool:
    """``day`` is the first working day of its ISO week within the horizon."""
    monday = day - dt.timedelta(days=day.weekday())
    earlier = (monday + dt.timedelta(days=i) for i in range(day.weekday()))
    return not any(d >= calendar.start and calendar.is_working_day(d) for d in earlier)


def next_week_start(calendar: WorkCalendar, day: dt.date) -> dt.date:
    """The first working day of the ISO week after ``day``'s."""
    monday = day + dt.timedelta(days=7 - day.weekday())
    return calendar.first_working_day(monday) or monday


# A re-plan's plan is published when it keeps every rule: solved, or stopped with its best.
PUBLISHABLE = frozenset({"optimal", "feasible", "stopped"})


@dataclass
class Replanner:
    """``daily`` or ``weekly``: re-plan from the register and publish (module docstring)."""

    name: str
    weekly: bool
    time_limit: float
    max_changes: int | None = None
    seed: int = 0
    workers: int = 1
    # The change limit as a share of the work published and not yet started (rounded up);
    # with ``max_changes`` too, the smaller limit holds.
    max_changes_share: float | None = None
    solve_seconds: list[float] = field(default_factory=list)
    unpublished: int = 0  # re-plans that ended without a plan to publish

    def morning(self, month: Month, day: dt.date) -> None:
        """Re-plan and publish, on the days this policy re-plans and when a need waits."""
        calendar, register = month.calendar, month.register
        if self.weekly and not first_of_week(calendar, day):
            return
        needs = register.needs()
        if not any(n.status in PLANNABLE for n in needs):
            return
        following = (
            next_week_start(calendar, day) if self.weekly else next_working_day(calendar, day)
        )
        made = scenario_from_register(month.county, needs, day, following)
        previous = register.published
        started = time.monotonic()
        run = solve_scenario(
            made.scenario,
            solver="auto",
            time_limit=self.time_limit,
            seed=self.seed,
            workers=self.workers,
            previous=previous,
            max_changes=self.change_limit(needs) if previous is not None else None,
            register_changes=True,
            fixes=FixOptions(rank=False),
        )
        self.solve_seconds.append(time.monotonic() - started)
        if run.plan.solver.status not in PUBLISHABLE:
            self.unpublished += 1  # as the API refuses to publish a failed job's plan
            return
        register.publish(run.plan, f"{self.name}-{day.isoformat()}", day, day)
        for unmet in run.plan.unmet:
            note = _duplicate_note(unmet, register)
            if note is not None and register.get(unmet.need).status == "open":
                register.post(unmet.need, NeedEvent("closed", day, reason="duplicate", note=note))

    def after_arrivals(self, month: Month, day: dt.date) -> None:
        """Arrivals wait for the next re-plan."""

    def change_limit(self, needs: list[RegisteredNeed]) -> int | None:
        """The re-plan's ``max_changes``: ``max_changes``, or ``max_changes_share`` of the
        needs now ``assigned`` (what a re-plan could move), whichever is smaller."""
        limits = [] if self.max_changes is None else [self.max_changes]
        if self.max_changes_share is not None:
            assigned = sum(1 for n in needs if n.status == "assigned")
            limits.append(math.ceil(self.max_changes_share * assigned))
        return min(limits) if limits else None


@dataclass
class Dispatcher:
    """``first-come`` or ``siloed``: dispatch open needs as they arrive (module docstring)."""

    name: str
    siloed: bool
    solve_seconds: list[float] = field(default_factory=list)
    unpublished: int = 0  # a dispatcher always publishes
    _booked: dict[tuple[str, dt.date], float] = field(default_factory=lambda: defaultdict(float))
    _used: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    _pool_used: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    _village_used: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def morning(self, month: Month, day: dt.date) -> None:
        """The desk dispatches after the arrivals."""

    def after_arrivals(self, month: Month, day: dt.date) -> None:
        """Dispatch every open need in arrival order and publish the day's plan."""
        register = month.register
        new: list[Assignment] = []
        for need in register.needs():
            if need.status == "open":
                placed = self.place(month, need.need, day)
                if placed is not None:
                    new.append(placed)
        if not new:
            return
        current = [_assignment(n) for n in register.needs() if n.status == "assigned"]
        plan = Plan(
            solver=SolverInfo(name=self.name, status="feasible"), assignments=[*current, *new]
        )
        register.publish(plan, f"{self.name}-{day.isoformat()}", day, day)

    def allowed(self, month: Month, provider: str, need: Need) -> bool:
        """Whether this desk lets ``provider`` take ``need`` (``siloed``: its own department's
        categories only, for a cadre)."""
        found = month.reach.providers[provider]
        if not self.siloed or not isinstance(found, Cadre):
            return True
        return CATEGORY_DEPARTMENT.get(need.category.value) == found.department

    def place(self, month: Month, need: Need, day: dt.date) -> Assignment | None:
        """The nearest capable provider with room, its first day with room and the pool that
        pays, booked; None when nobody can take the need now."""
        funding = None if self.siloed else self._funding(month, need, None)
        if funding is None and not self.siloed:
            return None
        for pid in month.reach.capable(need):
            if not self.allowed(month, pid, need):
                continue
            hours = need.hours + month.reach.trip_hours(pid, need.village)
            if self._used[pid] + hours > month.reach.providers[pid].hours + _EPS:
                continue
            lines = funding if not self.siloed else self._funding(month, need, pid)
            if lines is None:
                continue
            date = self._first_day(month, pid, day, hours)
            if date is None:
                continue
            self._used[pid] += hours
            self._booked[pid, date] += hours
            for line in lines:
                self._pool_used[line.pool] += line.amount
                self._village_used[need.village] += line.amount
            return Assignment(need=need.id, provider=pid, date=date.isoformat(), funding=lines)
        return None

    def _first_day(self, month: Month, pid: str, day: dt.date, hours: float) -> dt.date | None:
        limit = month.crew.daily_hours[pid]
        for d in sorted(x for x in month.crew.days[pid] if x >= day):
            booked = self._booked.get((pid, d), 0.0)
            if booked == 0.0 or booked + hours <= limit + _EPS:
                return d
        return None

    def _pools(self, month: Month, need: Need, provider: str | None) -> list[Pool]:
        pools = list(month.county.pools)
        if not self.siloed:
            return pools
        owners = set(CATEGORY_DEPARTMENT.values())
        common = [p for p in pools if p.department not in owners]
        found = month.reach.providers[provider] if provider is not None else None
        if not isinstance(found, Cadre):
            return common
        return [p for p in pools if p.department == found.department] + common

    def _funding(self, month: Month, need: Need, provider: str | None) -> list[FundingLine] | None:
        """One pool paying the whole cost ([] for a free need), or None when none can."""
        if need.cost == 0:
            return []
        village = month.reach.villages[need.village]
        if self._village_used[need.village] + need.cost > month.county.village_cap(village):
            return None
        for pool in self._pools(month, need, provider):
            left = pool.amount - self._pool_used[pool.id]
            limit = min(left, pool_limit_per_need(pool))
            if pool_admits(pool, need, village) and need.cost <= limit:
                return [FundingLine(pool=pool.id, amount=need.cost)]
        return None


def _duplicate_note(unmet: Unmet, register: MemoryRegister) -> str | None:
    """Why the re-plan's operator closes an unmet need as a duplicate, or None: the ledgers
    show recent aid (H8), or the planner merged it into another request of the household
    that is now given out."""
    if unmet.reason == "already_aided":
        return "aided recently (H8)"
    kept = getattr(unmet, "merged_into", None)
    if isinstance(kept, str) and register.get(kept).status in ("assigned", "started", "resolved"):
        return f"the household's same request {kept} is served"
    return None


def _assignment(need: RegisteredNeed) -> Assignment:
    """A published need's current assignment, as it stands (so the publish keeps it)."""
    assert need.provider is not None
    return Assignment(
        need=need.id,
        provider=need.provider,
        date=None if need.date is None else need.date.isoformat(),
        funding=[FundingLine(pool=p, amount=a) for p, a in need.funding],
    )


def make_policy(
    name: str,
    *,
    time_limit: float,
    max_changes: int | None,
    seed: int,
    workers: int,
    max_changes_share: float | None = None,
) -> OperatingPolicy:
    """The policy called ``name`` (one of :data:`POLICIES`); ``ValueError`` otherwise."""
    if name in ("daily", "weekly"):
        weekly = name == "weekly"
        return Replanner(name, weekly, time_limit, max_changes, seed, workers, max_changes_share)
    if name in ("first-come", "siloed"):
        return Dispatcher(name, name == "siloed")
    raise ValueError(f"unknown policy {name!r}; choose from {', '.join(POLICIES)}")
