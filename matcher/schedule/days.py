"""What the days allow (DESIGN §9, H9 and H10), before any plan: which working days a provider
has, whether a need or a pairing's visits can fit them at all, and the working-day ranks that
lateness is counted in.

These are the predicates the compiled problem filters its arcs by when ``policy.schedule`` is
on (a need goes only to a provider with a working day on or after its submission, on which one
trip to its village fits the provider's day), and the planner plans with. A route's duration
is never less than one round trip from the base to any of its stops plus the work there
(travel times are shortest paths, so a detour never beats the direct road), which is why a
stop that does not fit a day alone fits no route.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.scenario import Cadre, Organization, Policy, Scenario
from matcher.schedule.calendar import WorkCalendar, due, submitted

Provider = Cadre | Organization
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

DAY_TOLERANCE_MINUTES = 1e-6
"""A route may exceed its day by this much (float noise of summed legs), far inside the
evaluator's tolerance of 1e-6 hours."""


def daily_minutes(provider: Provider, policy: Policy) -> float:
    """Minutes a provider's route may take in one day: its ``daily_hours``, else the policy's."""
    hours = provider.daily_hours if provider.daily_hours is not None else policy.daily_hours
    return 60.0 * hours


def fits_day(minutes: float, limit_minutes: float) -> bool:
    """Whether a route of ``minutes`` fits a day of ``limit_minutes`` (H10)."""
    return minutes <= limit_minutes + DAY_TOLERANCE_MINUTES


def visit_chain(days: Sequence[dt.date], visits: int, gap_days: int) -> list[dt.date] | None:
    """The earliest ``visits`` days of ``days`` (sorted) that are distinct and at least
    ``gap_days`` calendar days apart (H9), or None when the days hold no such chain. The
    earliest chain exists whenever any chain does, so this is also H9's feasibility test."""
    chosen: list[dt.date] = []
    step = dt.timedelta(days=max(1, gap_days))
    at = 0
    for _ in range(visits):
        if chosen:
            at = bisect_left(days, chosen[-1] + step, at)
        if at >= len(days):
            return None
        chosen.append(days[at])
    return chosen


@dataclass(frozen=True)
class ProviderDays:
    """Each provider's working days (cadres then organisations, as in the compiled problem)
    and the minutes of its day."""

    calendar: WorkCalendar
    days: tuple[tuple[dt.date, ...], ...]
    limit_minutes: FloatArray

    @staticmethod
    def of(scenario: Scenario) -> ProviderDays:
        """The days of every provider of a scenario."""
        calendar = WorkCalendar.of(scenario)
        providers: tuple[Provider, ...] = (*scenario.cadres, *scenario.organizations)
        return ProviderDays(
            calendar,
            tuple(calendar.provider_days(p) for p in providers),
            np.array([daily_minutes(p, scenario.policy) for p in providers], dtype=np.float64),
        )

    def last_day_ordinals(self) -> npt.NDArray[np.int64]:
        """Each provider's last working day as a proleptic ordinal (-1 when it has none)."""
        return np.array([d[-1].toordinal() if d else -1 for d in self.days], dtype=np.int64)

    def can_visit(self, provider: int, visits: int, gap_days: int) -> bool:
        """H9's days: the provider has ``visits`` working days ``gap_days`` apart."""
        return visits == 0 or visit_chain(self.days[provider], visits, gap_days) is not None


def schedule_arc_mask(
    scenario: Scenario,
    days: ProviderDays,
    arc_need: npt.NDArray[np.int64],
    arc_provider: npt.NDArray[np.int64],
    arc_minutes: FloatArray,
) -> BoolArray:
    """Which (need, provider) arcs H10 leaves: the provider works on some day on or after the
    need's submission, and one trip from its base to the village with the need's work fits
    its day. Vectorised over the arcs."""
    start = scenario.horizon.start
    submitted = np.array(
        [(n.submitted or start).toordinal() for n in scenario.needs], dtype=np.int64
    )
    hours = np.array([n.hours for n in scenario.needs], dtype=np.float64)
    last = days.last_day_ordinals()
    one_trip = 60.0 * hours[arc_need] + 2.0 * arc_minutes
    with np.errstate(invalid="ignore"):
        fits = one_trip <= days.limit_minutes[arc_provider] + DAY_TOLERANCE_MINUTES
    mask: BoolArray = (last[arc_provider] >= submitted[arc_need]) & fits
    return mask


def visit_fits(policy: Policy, minutes: float, limit_minutes: float) -> bool:
    """One visit's trip (there, the visit, back) fits the cadre's day (H10 for a visit)."""
    return fits_day(60.0 * policy.visit_hours + 2.0 * minutes, limit_minutes)


def capacity_in_days(hours: float, days: ProviderDays, provider: int) -> float:
    """H4's hours of a provider that its days can hold: at most its day's hours on each of its
    working days."""
    return min(hours, float(days.limit_minutes[provider]) / 60.0 * len(days.days[provider]))


class WorkingRanks:
    """Working-day ranks of dates, so that ``late(n)`` of DESIGN §9 on a day of the horizon is
    ``max(0, rank(day) - rank(due(n)))``: the working days in ``(due, day]`` of
    :meth:`WorkCalendar.working_days_between`, counted once per distinct date."""

    def __init__(self, calendar: WorkCalendar) -> None:
        self.calendar = calendar
        self._inside = calendar.working_days
        self._ranks: dict[dt.date, int] = {}

    def rank(self, day: dt.date) -> int:
        """Working days in ``(start - 1, day]`` (negative: in ``(day, start - 1]``); a day after
        the horizon ranks as its end, after every day a plan can use."""
        known = self._ranks.get(day)
        if known is not None:
            return known
        calendar = self.calendar
        if day >= calendar.end:
            rank = len(self._inside)
        elif day >= calendar.start:
            rank = bisect_left(self._inside, day + dt.timedelta(days=1))
        else:
            rank = -calendar.working_days_between(day, calendar.start - dt.timedelta(days=1))
        self._ranks[day] = rank
        return rank

    def late(self, due: dt.date | None, day: dt.date) -> int:
        """``late(n)`` for a need due ``due`` (None: no deadline) served on ``day``."""
        if due is None:
            return 0
        return max(0, self.rank(day) - self.rank(due))


def deadlines(scenario: Scenario, calendar: WorkCalendar) -> list[dt.date | None]:
    """``due(n)`` of every need of the scenario (DESIGN §9's rule, computed once per distinct
    submission and ``respond_by``)."""
    found: dict[tuple[dt.date, dt.date | None], dt.date | None] = {}
    result = []
    for need in scenario.needs:
        key = (submitted(need, calendar), need.respond_by)
        if key not in found:
            found[key] = due(need, calendar, scenario.policy)
        result.append(found[key])
    return result


def least_lateness(
    scenario: Scenario,
    days: ProviderDays,
    arc_need: npt.NDArray[np.int64],
    arc_provider: npt.NDArray[np.int64],
) -> FloatArray:
    """Per (need, provider) arc, ``late(n)`` on the provider's first working day on or after
    the need's submission: the least lateness that provider can serve the need with (0 for
    an arc without such a day, which H10 leaves out anyway). Vectorised per provider."""
    calendar = days.calendar
    ranks = WorkingRanks(calendar)
    start = scenario.horizon.start
    submitted_at = np.array(
        [(n.submitted or start).toordinal() for n in scenario.needs], dtype=np.int64
    )
    never = len(calendar.working_days) + 1  # no deadline: never late
    due_rank = np.array(
        [never if d is None else ranks.rank(d) for d in deadlines(scenario, calendar)],
        dtype=np.int64,
    )
    result = np.zeros(len(arc_need), dtype=np.float64)
    order = np.argsort(arc_provider, kind="stable")
    cuts = np.flatnonzero(np.diff(arc_provider[order])) + 1
    for arcs in np.split(order, cuts):
        if not len(arcs):
            continue
        own = days.days[int(arc_provider[arcs[0]])]
        if not own:
            continue
        ordinals = np.array([d.toordinal() for d in own], dtype=np.int64)
        day_rank = np.array([ranks.rank(d) for d in own], dtype=np.int64)
        needs = arc_need[arcs]
        at = np.searchsorted(ordinals, submitted_at[needs], side="left")
        first = day_rank[np.minimum(at, len(own) - 1)]
        late = np.where(at < len(own), np.maximum(0, first - due_rank[needs]), 0)
        result[arcs] = late
    return result
