"""Route timing (DESIGN §9) on hand-computed legs: base B, villages 0, 1, 2."""

from __future__ import annotations

import itertools

import numpy as np

from matcher.schedule.routes import StopWork, best_order, service_minutes, time_route

FROM_BASE = np.array([30.0, 50.0, 20.0])
BETWEEN = np.array([[0.0, 15.0, 40.0], [15.0, 0.0, 45.0], [40.0, 45.0, 0.0]])


def test_a_route_leaves_at_day_start_and_returns() -> None:
    """08:30 start; B→0 30 min (arrive 09:00), 90 min work, 0→1 15 min (arrive 10:45), 60 min
    work, 1→B 50 min: travel 95 min, service 150 min, 4.083 h, back at 12:35."""
    timing = time_route(FROM_BASE, BETWEEN, [StopWork(0, 90), StopWork(1, 60)], 510)
    assert timing.arrive == (540.0, 645.0) and timing.depart == (630.0, 705.0)
    assert timing.travel_minutes == 95.0 and timing.service_minutes == 150.0
    assert abs(timing.hours - 245 / 60) < 1e-12 and timing.returns_at == 755.0


def test_an_empty_route_takes_no_time() -> None:
    timing = time_route(FROM_BASE, BETWEEN, [], 510)
    assert timing.hours == 0.0 and timing.returns_at == 510.0


def test_an_unreachable_leg_makes_travel_infinite() -> None:
    between = BETWEEN.copy()
    between[0, 2] = np.inf
    timing = time_route(FROM_BASE, between, [StopWork(0, 10), StopWork(2, 10)], 510)
    assert timing.travel_minutes == np.inf


def test_service_minutes_add_the_visit() -> None:
    assert service_minutes([1.5, 0.5], visit=True, visit_hours=2.0) == 240.0
    assert service_minutes([1.5], visit=False, visit_hours=2.0) == 90.0


def test_best_order_is_the_shortest_loop() -> None:
    """Loops over {0, 1, 2}: 0-1-2: 30+15+45+20 = 110; 1-0-2: 50+15+40+20 = 125;
    0-2-1: 30+40+45+50 = 165: the best is 0-1-2 or its reverse 2-1-0 (same 110)."""
    order = best_order(FROM_BASE, BETWEEN, [2, 0, 1])
    assert order in ((0, 1, 2), (2, 1, 0))
    loop = (
        FROM_BASE[order[0]]
        + FROM_BASE[order[-1]]
        + sum(BETWEEN[a, b] for a, b in itertools.pairwise(order))
    )
    assert loop == 110.0


def test_best_order_with_many_stops_is_no_worse_than_given() -> None:
    rng = np.random.default_rng(1)
    points = rng.uniform(0, 100, size=(12, 2))
    between = np.linalg.norm(points[:, None] - points[None, :], axis=2)
    from_base = np.linalg.norm(points - 50.0, axis=1)
    given = list(range(12))

    def loop(order: tuple[int, ...] | list[int]) -> float:
        return float(from_base[order[0]] + from_base[order[-1]]) + sum(
            float(between[a, b]) for a, b in itertools.pairwise(order)
        )

    assert loop(best_order(from_base, between, given)) <= loop(given)
    assert sorted(best_order(from_base, between, given)) == given
