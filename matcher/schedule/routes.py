"""A route's timing from the scenario (DESIGN §9): the one home of the rule that the evaluator
checks and the scheduler plans with.

A route leaves its provider's base at ``day_start``, makes its stops in order and returns to
the base. Each leg takes the travel minutes of DESIGN §3 (base to village by
:func:`matcher.prepare.network.travel_times`, village to village by
:func:`~matcher.prepare.network.village_minutes`); at each stop the provider spends the hours
of the needs served there plus ``visit_hours`` when it is a pairing's visit. The route's
duration is its travel plus its service time, and must fit the provider's ``daily_hours``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise, permutations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class StopWork:
    """What a stop asks of the provider: the village (column of the travel matrices) and the
    minutes of work there (needs' hours and any visit)."""

    village: int
    service_minutes: float


@dataclass(frozen=True)
class RouteTiming:
    """A route's legs and clock: arrival and departure per stop, in minutes after midnight."""

    start: float  # leaves the base (day_start)
    arrive: tuple[float, ...]
    depart: tuple[float, ...]
    travel_minutes: float  # all legs, the return to the base included
    service_minutes: float
    back_minutes: float  # the last leg, from the last stop to the base

    @property
    def hours(self) -> float:
        """The route's duration in hours (travel plus service): what H4 and H10 count."""
        return (self.travel_minutes + self.service_minutes) / 60.0

    @property
    def returns_at(self) -> float:
        """Minutes after midnight when the provider is back at its base."""
        return (self.depart[-1] if self.depart else self.start) + self.back_minutes


def time_route(
    from_base: FloatArray,
    between: FloatArray,
    stops: Sequence[StopWork],
    day_start: float,
) -> RouteTiming:
    """The timing of a route whose provider's base is ``from_base`` minutes (one-way, per
    village) from each village and whose stops are ``stops`` in order. An unreachable leg
    makes the travel ``inf``."""
    arrive: list[float] = []
    depart: list[float] = []
    clock, travel, service = float(day_start), 0.0, 0.0
    previous: int | None = None
    for stop in stops:
        leg = float(
            from_base[stop.village] if previous is None else between[previous, stop.village]
        )
        clock += leg
        travel += leg
        arrive.append(clock)
        clock += stop.service_minutes
        service += stop.service_minutes
        depart.append(clock)
        previous = stop.village
    back = 0.0 if previous is None else float(from_base[previous])
    return RouteTiming(float(day_start), tuple(arrive), tuple(depart), travel + back, service, back)


def service_minutes(need_hours: Sequence[float], visit: bool, visit_hours: float) -> float:
    """Minutes of work at one stop: its needs' hours, and the visit's when it is a visit."""
    return 60.0 * (float(sum(need_hours)) + (visit_hours if visit else 0.0))


def best_order(
    from_base: FloatArray, between: FloatArray, villages: Sequence[int]
) -> tuple[int, ...]:
    """The order of a day's stops (distinct villages) with the least travel, the return to the
    base included: exact over all orders up to 7 stops (5,040 orders), else nearest
    neighbour improved by 2-opt. Ties keep the given order (data-derived, repeatable)."""
    stops = list(dict.fromkeys(villages))
    if len(stops) <= 1:
        return tuple(stops)
    if len(stops) <= 7:
        best: tuple[int, ...] = tuple(stops)
        best_cost = _loop_minutes(from_base, between, best)
        for order in permutations(stops):
            cost = _loop_minutes(from_base, between, order)
            if cost < best_cost - 1e-9:
                best, best_cost = order, cost
        return best
    return _two_opt(from_base, between, _nearest_neighbour(from_base, between, stops))


def _loop_minutes(from_base: FloatArray, between: FloatArray, order: Sequence[int]) -> float:
    total = float(from_base[order[0]]) + float(from_base[order[-1]])
    for a, b in pairwise(order):
        total += float(between[a, b])
    return total


def _nearest_neighbour(from_base: FloatArray, between: FloatArray, stops: list[int]) -> list[int]:
    left = list(stops)
    current = min(left, key=lambda v: (float(from_base[v]), left.index(v)))
    order = [current]
    left.remove(current)
    while left:
        current = min(left, key=lambda v: (float(between[order[-1], v]), left.index(v)))
        order.append(current)
        left.remove(current)
    return order


def _two_opt(from_base: FloatArray, between: FloatArray, order: list[int]) -> tuple[int, ...]:
    best = list(order)
    best_cost = _loop_minutes(from_base, between, best)
    improved = True
    while improved:
        improved = False
        for i in range(len(best) - 1):
            for j in range(i + 1, len(best)):
                candidate = best[:i] + best[i : j + 1][::-1] + best[j + 1 :]
                cost = _loop_minutes(from_base, between, candidate)
                if cost < best_cost - 1e-9:
                    best, best_cost, improved = candidate, cost, True
    return tuple(best)
