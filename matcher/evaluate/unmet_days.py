"""The unmet reason ``no_day_available`` (DESIGN §9, only with ``policy.schedule`` on): no
provider in reach has a working day it works, from the need's submission to the horizon's
end, on which the need could still be served.

Two parts:

- structural (the scenario alone, once per index): some provider could serve the need (H2,
  H3, availability), but none works a day of the horizon on or after the need was submitted,
  or none has a day long enough for the need's hours plus the round trip to its village (no
  route could hold it). The compiled problem drops such (need, provider) arcs with the schedule
  on (:func:`matcher.schedule.days.schedule_arc_mask`), so these needs have no arcs at all;
  :func:`matcher.evaluate.unmet._no_day` tells them from needs nobody reaches;
- the plan's own, for all needs in one vectorised pass over the arcs like the hours left of
  :class:`matcher.evaluate.unmet.HoursLeft`: every such day of every provider in reach is
  too full for the need's hours alone — even a stop that adds no travel would not fit the
  day. It never claims "no room" where an insertion could fit; a day with room that travel
  would overrun is left to ``not_chosen``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matcher.evaluate.timing import RouteUsage, calendar_of
from matcher.prepare.eligibility import HOURS_TOLERANCE
from matcher.problem.index import ScenarioIndex
from matcher.schedule.calendar import submitted
from matcher.schedule.days import ProviderDays, schedule_arc_mask

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


def _per_need(index: ScenarioIndex, arc_ok: BoolArray) -> BoolArray:
    """Whether any arc of each need is ok (False for a need without arcs)."""
    problem = index.problem
    found = np.zeros(len(problem.need_ids), dtype=bool)
    starts = problem.need_arc_start[:-1]
    has_arcs = problem.need_arc_start[1:] > starts
    if arc_ok.size and has_arcs.any():
        # reduceat over the non-empty segments only: an empty one would read its neighbour.
        found[has_arcs] = np.maximum.reduceat(arc_ok.astype(np.int8), starts[has_arcs]) > 0
    return found


@dataclass(frozen=True)
class DayReach:
    """The days of every provider (compiled problem's order) and, per need, whether a
    provider in reach has a day that could hold it (structural, once per index)."""

    days: ProviderDays
    works: BoolArray  # (providers, horizon days): a working day the provider works
    submitted_column: IntArray  # each need's first horizon day on or after its submission
    long_enough: BoolArray  # per need: an arc whose provider has a day that could hold it


def day_reach(index: ScenarioIndex) -> DayReach:
    """:class:`DayReach` of a scenario, once per index. The arcs are judged by
    :func:`matcher.schedule.days.schedule_arc_mask`, the one rule the compiled problem and the
    scheduler filter by (so with the compiled problem's arcs already filtered, every need with
    an arc passes)."""

    def build() -> DayReach:
        scenario, problem = index.scenario, index.problem
        calendar = calendar_of(index)
        days = ProviderDays.of(scenario)
        works = np.zeros((len(days.days), calendar.days), dtype=bool)
        for p, provider_days in enumerate(days.days):
            for day in provider_days:
                works[p, (day - calendar.start).days] = True
        offsets = np.array(
            [(submitted(n, calendar) - calendar.start).days for n in scenario.needs],
            dtype=np.int64,
        )
        arc_ok = schedule_arc_mask(
            scenario, days, problem.arc_need, problem.arc_provider, problem.arc_minutes
        )
        return DayReach(days, works, np.clip(offsets, 0, calendar.days), _per_need(index, arc_ok))

    return index.memo("unmet.day_reach", build)


class DayRoom:
    """For every need, whether a provider in reach has a day it works, on or after the
    need's submission, with room left for the need's hours in this plan's routes."""

    def __init__(self, index: ScenarioIndex, routes: RouteUsage | None) -> None:
        reach = day_reach(index)
        problem = index.problem
        calendar = calendar_of(index)
        daily = reach.days.limit_minutes / 60.0
        room = np.where(reach.works, daily[:, None], -np.inf)
        position = {pid: p for p, pid in enumerate(problem.provider_ids)}
        for (pid, day), hours in (routes.day_hours if routes is not None else {}).items():
            p, k = position.get(pid), (day - calendar.start).days
            if p is not None and 0 <= k < calendar.days:
                room[p, k] -= hours
        # The most room on any day from each column on (a last column of none).
        best = np.full((room.shape[0], calendar.days + 1), -np.inf)
        best[:, :-1] = np.maximum.accumulate(room[:, ::-1], axis=1)[:, ::-1]
        self.best = best
        self.position = index.need_position
        arc_need, arc_provider = problem.arc_need, problem.arc_provider
        left = best[arc_provider, reach.submitted_column[arc_need]]
        self.most = np.full(len(problem.need_ids), -np.inf)
        self.fits = _per_need(index, left + HOURS_TOLERANCE >= problem.need_hours[arc_need])
        starts = problem.need_arc_start[:-1]
        has_arcs = problem.need_arc_start[1:] > starts
        if left.size and has_arcs.any():
            self.most[has_arcs] = np.maximum.reduceat(left, starts[has_arcs])

    def of(self, need_id: str) -> tuple[bool, float]:
        """Whether some day of a provider in reach has room for the need's hours, and the
        most room any such day has."""
        n = self.position[need_id]
        return bool(self.fits[n]), float(self.most[n])
