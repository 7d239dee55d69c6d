"""One provider's days (DESIGN §9): its pairings' visits and its needs placed on its working
days, each day a route of stops that fits its ``daily_hours``, all routes within its ``hours``.

The order of work, per provider:

1. **Visits first** (H9): each pairing's ``visits_per_pairing`` visits on distinct working days
   at least ``visit_min_gap_days`` apart, each near its share of the horizon (the first in its
   first part, the next a share later), preferring a day on which a need of that village can
   be served on time (the visit and the service then share the stop).
2. **Needs by deadline** (earliest ``due`` first; pinned needs before all, ties by value, then
   id): each on the day on or after its submission with room that costs the objective least,
   ``late_penalty_per_day`` per working day late plus ``travel_penalty_per_hour`` for the added
   travel (cheapest insertion into the day's stops; a village already on the day adds none),
   the earlier day on a tie.
3. **Room where a stop did not fit**: a need that found no day may take the place of a need
   that another day can hold, when that costs less than the need's value.
4. **Visits beside services**: a visit alone at its stop moves to a day that already stops at
   its village, when the gap rule allows, saving the trip.

Each day's stops are finally ordered by :func:`matcher.schedule.routes.best_order` and timed by
:func:`~matcher.schedule.routes.time_route`: the one home of a route's timing, which the
evaluator checks with. The insertion order is kept when it is shorter (more than 7 stops,
where the best order is heuristic), so a day's final route is never longer than planned.
"""

from __future__ import annotations

import datetime as dt
import time
from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np

from matcher.schedule.days import DAY_TOLERANCE_MINUTES, WorkingRanks, fits_day
from matcher.schedule.routes import FloatArray, StopWork, best_order, time_route
from matcher.schedule.work import ProviderInput, ProviderOutcome, TimedRoute, TimedStop


@dataclass
class _Stop:
    service: float = 0.0  # minutes of work at the stop
    visit: bool = False
    needs: list[int] = field(default_factory=list)


@dataclass
class _Day:
    date: dt.date
    rank: int
    order: list[int] = field(default_factory=list)  # villages, in the order driven
    stops: dict[int, _Stop] = field(default_factory=dict)
    travel: float = 0.0  # minutes of the loop in ``order``, the legs from and to the base
    service: float = 0.0


class ProviderPlanner:
    """Plans one provider's days (module docstring); :meth:`plan` returns the outcome."""

    def __init__(self, work: ProviderInput, ranks: WorkingRanks) -> None:
        self.w = work
        self.ranks = ranks
        self.fb = work.from_base.tolist()
        self.bt = work.between_rows
        self.days = [_Day(d, ranks.rank(d)) for d in work.days]
        self.dates = list(work.days)
        self.used = 0.0  # minutes of all routes so far
        self.need_at: dict[int, int] = {}  # need -> day index
        self.visit_at: dict[int, list[int]] = {}  # village -> day indices of its visits

    # -- a day's stops ------------------------------------------------------------------
    def _insertion(self, day: _Day, v: int) -> tuple[float, int]:
        """Added travel minutes of a stop at village ``v`` on ``day``, and where it goes
        (-1: the day already stops there)."""
        if v in day.stops:
            return 0.0, -1
        order, fb, row = day.order, self.fb, self.bt[v]
        if not order:
            return 2.0 * fb[v], 0
        best, at = fb[v] + row[order[0]] - fb[order[0]], 0
        for i in range(1, len(order)):
            a, b = order[i - 1], order[i]
            extra = self.bt[a][v] + row[b] - self.bt[a][b]
            if extra < best:
                best, at = extra, i
        last = order[-1]
        extra = self.bt[last][v] + fb[v] - fb[last]
        if extra < best:
            best, at = extra, len(order)
        return best, at

    def _fits(self, day: _Day, travel: float, service: float) -> bool:
        extra = travel + service
        return (
            fits_day(day.travel + day.service + extra, self.w.limit)
            and self.used + extra <= self.w.capacity + DAY_TOLERANCE_MINUTES
        )

    def _add(self, d: int, v: int, at: int, travel: float, service: float) -> _Stop:
        day = self.days[d]
        if at >= 0:
            day.order.insert(at, v)
            day.stops[v] = _Stop()
        stop = day.stops[v]
        stop.service += service
        day.travel += travel
        day.service += service
        self.used += travel + service
        return stop

    def _take(self, d: int, v: int, service: float) -> None:
        """Remove ``service`` minutes from the stop at ``v`` (the stop too when it is empty)."""
        day = self.days[d]
        stop = day.stops[v]
        stop.service -= service
        day.service -= service
        self.used -= service
        if stop.needs or stop.visit:
            return
        saved = self._removal_saving(day, v)
        day.order.remove(v)
        del day.stops[v]
        day.travel = day.travel - saved if day.order else 0.0
        self.used -= saved

    # -- needs ----------------------------------------------------------------------------
    def _late(self, n: int, day: _Day) -> int:
        due = self.w.need_due[n]
        if due is None:
            return 0
        return max(0, day.rank - self.ranks.rank(due))

    def _best_day(self, n: int, skip: int = -1) -> tuple[float, int, float, int] | None:
        """The cheapest day with room for need ``n``: (cost, day, added travel, where)."""
        w = self.w
        v, service = w.need_village[n], w.need_minutes[n]
        best: tuple[float, int, float, int] | None = None
        for d in range(bisect_left(self.dates, w.need_submitted[n]), len(self.days)):
            day = self.days[d]
            late_cost = w.late_penalty * self._late(n, day)
            if best is not None and late_cost >= best[0]:
                break  # lateness only grows with the day
            if d == skip:
                continue
            travel, at = self._insertion(day, v)
            if not self._fits(day, travel, service):
                continue
            cost = late_cost + w.travel_penalty_per_minute * travel
            if best is None or cost < best[0] - 1e-9:
                best = (cost, d, travel, at)
        return best

    def _place_need(self, n: int, d: int, travel: float, at: int) -> None:
        stop = self._add(d, self.w.need_village[n], at, travel, self.w.need_minutes[n])
        stop.needs.append(n)
        self.need_at[n] = d

    def _remove_need(self, n: int) -> None:
        d = self.need_at.pop(n)
        v = self.w.need_village[n]
        self.days[d].stops[v].needs.remove(n)
        self._take(d, v, self.w.need_minutes[n])

    def _cost_on(self, n: int, d: int) -> float:
        """The objective's cost of need ``n`` where it is (lateness, and its stop's travel
        when it is alone there)."""
        day = self.days[d]
        stop = day.stops[self.w.need_village[n]]
        alone = len(stop.needs) == 1 and not stop.visit
        travel = self._removal_saving(day, self.w.need_village[n]) if alone else 0.0
        return self.w.late_penalty * self._late(n, day) + self.w.travel_penalty_per_minute * travel

    def _removal_saving(self, day: _Day, v: int) -> float:
        """Travel minutes the day saves without its stop at ``v``."""
        i = day.order.index(v)
        fb, bt = self.fb, self.bt
        prev = day.order[i - 1] if i > 0 else -1
        nxt = day.order[i + 1] if i + 1 < len(day.order) else -1
        before = (fb[v] if prev < 0 else bt[prev][v]) + (fb[v] if nxt < 0 else bt[v][nxt])
        if prev < 0 and nxt < 0:
            return before
        after = fb[nxt if prev < 0 else prev] if prev < 0 or nxt < 0 else bt[prev][nxt]
        return before - after

    def _make_room(self, n: int) -> bool:
        """Place need ``n`` on a day by moving one of that day's needs to another day, when the
        move costs less than ``n``'s value; True when it did."""
        w = self.w
        service = w.need_minutes[n]
        if self.used + service > w.capacity + DAY_TOLERANCE_MINUTES:
            return False  # H4, not a day's room, holds it out: no move makes room
        for d in range(bisect_left(self.dates, w.need_submitted[n]), len(self.days)):
            day = self.days[d]
            for u, stop in list(day.stops.items()):
                alone = len(stop.needs) == 1 and not stop.visit
                for m in list(stop.needs):
                    freed = w.need_minutes[m] + (self._removal_saving(day, u) if alone else 0.0)
                    if not fits_day(day.travel + day.service - freed + service, w.limit):
                        continue  # not even without m's work and trip
                    if self._swap(n, m, d):
                        return True
        return False

    def _swap(self, n: int, m: int, d: int) -> bool:
        """Put ``n`` on day ``d`` in place of ``m``, and ``m`` on its best other day, when
        that fits and costs less than ``n``'s value; else leave everything as it was."""
        w = self.w
        day = self.days[d]
        before = self._cost_on(m, d)
        self._remove_need(m)
        travel, at = self._insertion(day, w.need_village[n])
        if self._fits(day, travel, w.need_minutes[n]):
            own = w.late_penalty * self._late(n, day) + w.travel_penalty_per_minute * travel
            self._place_need(n, d, travel, at)
            moved = self._best_day(m, skip=d)
            if moved is not None and moved[0] - before + own < w.need_value[n]:
                self._place_need(m, moved[1], moved[2], moved[3])
                return True
            self._remove_need(n)
        back, back_at = self._insertion(day, w.need_village[m])
        self._place_need(m, d, back, back_at)
        return False

    # -- visits ---------------------------------------------------------------------------
    def _targets(self, rank: int, count: int) -> list[dt.date]:
        """Where the visits of a cadre's ``rank``-th of ``count`` pairings would ideally fall:
        one per equal share of the horizon, staggered between its pairings."""
        w = self.w
        share = w.horizon_days / max(1, w.visits)
        offset = 0.25 + 0.5 * rank / max(1, count)
        return [
            w.horizon_start + dt.timedelta(days=int((i + offset) * share)) for i in range(w.visits)
        ]

    def _chain_after(self, d: int, left: int, v: int) -> bool:
        """Whether ``left`` more visits of village ``v`` fit after day ``d`` (earliest days)."""
        step = dt.timedelta(days=max(1, self.w.gap_days))
        at, extra_used = d, 0.0
        for _ in range(left):
            at = bisect_left(self.dates, self.days[at].date + step, at + 1)
            while at < len(self.days):
                travel, _ = self._insertion(self.days[at], v)
                need = travel + self.w.visit_minutes
                if (
                    fits_day(self.days[at].travel + self.days[at].service + need, self.w.limit)
                    and self.used + extra_used + need <= self.w.capacity + DAY_TOLERANCE_MINUTES
                ):
                    extra_used += need
                    break
                at += 1
            if at >= len(self.days):
                return False
        return True

    def _place_visits(self, v: int, targets: list[dt.date], prefer: set[dt.date]) -> bool:
        w = self.w
        step = dt.timedelta(days=max(1, w.gap_days))
        placed: list[int] = []
        lo = 0
        for i, target in enumerate(targets):
            best: tuple[float, int, float, int] | None = None
            for d in range(lo, len(self.days)):
                day = self.days[d]
                travel, at = self._insertion(day, v)
                score = abs((day.date - target).days) - 4.0 * (day.date in prefer) + travel / 30
                if best is not None and score >= best[0] - 1e-9:
                    continue
                if not self._fits(day, travel, w.visit_minutes):
                    continue
                if not self._chain_after(d, len(targets) - i - 1, v):
                    continue
                best = (score, d, travel, at)
            if best is None:
                for d in placed:
                    self.days[d].stops[v].visit = False
                    self._take(d, v, w.visit_minutes)
                return False
            _, d, travel, at = best
            self._add(d, v, at, travel, w.visit_minutes).visit = True
            placed.append(d)
            lo = bisect_left(self.dates, self.days[d].date + step, d + 1)
        self.visit_at[v] = placed
        return True

    def _prefer(self, v: int) -> set[dt.date]:
        """Days on which a need of village ``v`` could be served on time."""
        w = self.w
        days: set[dt.date] = set()
        for n in w.needs:
            if w.need_village[n] != v:
                continue
            due = w.need_due[n]
            days.update(
                d for d in self.dates if w.need_submitted[n] <= d and (due is None or d <= due)
            )
        return days

    def _join_visits(self) -> None:
        """Move a visit that is alone at its stop to a day already stopping at its village."""
        w = self.w
        gap = max(1, w.gap_days)
        for v, placed in self.visit_at.items():
            for k, d in enumerate(placed):
                stop = self.days[d].stops[v]
                if stop.needs:
                    continue
                others = [self.days[e].date for j, e in enumerate(placed) if j != k]
                for e, day in enumerate(self.days):
                    there = day.stops.get(v)
                    if there is None or there.visit or e == d:
                        continue
                    if any(abs((day.date - o).days) < gap for o in others):
                        continue
                    if not self._fits(day, 0.0, w.visit_minutes):
                        continue
                    stop.visit = False
                    self._take(d, v, w.visit_minutes)
                    self._add(e, v, -1, 0.0, w.visit_minutes).visit = True
                    placed[k] = e
                    break
            placed.sort(key=lambda e: self.days[e].date)

    # -- the whole provider ---------------------------------------------------------------
    def plan(self, deadline: float | None = None) -> ProviderOutcome:
        """Visits, then needs by deadline, then the repairs while time is left."""
        w = self.w
        dropped_pairings = []
        for rank, v in enumerate(w.pairings):
            targets = self._targets(rank, len(w.pairings))
            if not self._place_visits(v, targets, self._prefer(v)):
                dropped_pairings.append(v)
        failed = []
        for n in w.needs:
            best = self._best_day(n)
            if best is None:
                failed.append(n)
            else:
                self._place_need(n, best[1], best[2], best[3])
        dropped = []
        for n in failed:
            if (deadline is not None and time.monotonic() > deadline) or not self._make_room(n):
                dropped.append(n)
        if deadline is None or time.monotonic() <= deadline:
            self._join_visits()
        return ProviderOutcome(
            routes=self._routes(),
            need_day={n: self.days[d].date for n, d in self.need_at.items()},
            visit_days={
                v: tuple(self.days[d].date for d in placed) for v, placed in self.visit_at.items()
            },
            dropped_needs=tuple(dropped),
            dropped_pairings=tuple(dropped_pairings),
        )

    def _routes(self) -> tuple[TimedRoute, ...]:
        w = self.w
        routes = []
        for day in self.days:
            if not day.order:
                continue
            order = list(best_order(w.from_base, w.between, day.order))
            if _loop(w.from_base, w.between, day.order) < _loop(w.from_base, w.between, order):
                order = list(day.order)
            works = [StopWork(v, day.stops[v].service) for v in order]
            timing = time_route(w.from_base, w.between, works, w.day_start)
            stops = tuple(
                TimedStop(
                    v,
                    timing.arrive[i],
                    timing.depart[i],
                    day.stops[v].visit,
                    tuple(sorted(day.stops[v].needs)),
                )
                for i, v in enumerate(order)
            )
            routes.append(TimedRoute(day.date, stops, timing.travel_minutes, timing.hours))
        return tuple(routes)


def _loop(from_base: FloatArray, between: FloatArray, order: list[int]) -> float:
    """Minutes of driving a loop from the base through ``order`` and back."""
    if not order:
        return 0.0
    idx = np.asarray(order, dtype=np.int64)
    return float(from_base[idx[0]] + from_base[idx[-1]] + between[idx[:-1], idx[1:]].sum())
