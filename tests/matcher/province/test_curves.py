"""Value-of-money curves: the curve type, and a county's curve from its LP relaxation."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from matcher.generator import generate_scenario
from matcher.province.curves import ValueCurve
from matcher.province.envelopes import (
    FIRST_LEVEL,
    county_index,
    value_curve,
    verify_envelope,
    with_open_pool,
)
from solvers.linear_model import build_linear_model
from solvers.lp_bound import solve_lp


def test_items_sort_into_a_concave_curve() -> None:
    """Items by value per yuan; free or worthless items are left out; v is piecewise linear."""
    curve = ValueCurve.from_items([100, 50, 0, 200, 10], [100, 150, 40, 100, -5])
    assert curve.slopes.tolist() == [3.0, 1.0, 0.5]
    assert curve.lengths.tolist() == [50, 100, 200]
    assert curve.value_at(0) == 0 and curve.value_at(50) == pytest.approx(150)
    assert curve.value_at(100) == pytest.approx(200)
    assert curve.value_at(10_000) == pytest.approx(curve.total_value) == pytest.approx(350)
    assert curve.slope_before(50) == 3.0 and curve.slope_after(50) == 1.0
    assert curve.slope_after(350) == 0.0 and curve.slope_before(351) == 0.0


def test_a_curve_must_be_concave() -> None:
    """Rising slopes are refused."""
    with pytest.raises(ValueError, match="concave"):
        ValueCurve(np.array([1.0, 1.0]), np.array([1.0, 2.0]))


def money_only_county() -> dict[str, Any]:
    """One village, one cadre with hours to spare, no travel, no pairing rule: money alone
    decides. Needs: value 1,600 for 3,000 yuan, 800 for 5,000, 400 for 8,000, and a free one;
    the agriculture pool has 1,000 yuan for them."""
    needs = [
        ("N1", 5, 3000),  # value 100 x 16 = 1,600: 0.533 per yuan
        ("N2", 4, 5000),  # 800: 0.16 per yuan
        ("N3", 3, 8000),  # 400: 0.05 per yuan
        ("N4", 1, 0),
    ]
    return {
        "schema_version": 1,
        "horizon": {"start": "2026-12-01", "days": 31},
        "places": [{"id": "S0", "kind": "county_seat", "lon": 104.0, "lat": 30.0}],
        "villages": [
            {
                "id": "V1",
                "town": "S0",
                "lon": 104.0,
                "lat": 30.0,
                "households": 100,
                "region": "east",
            }
        ],
        "cadres": [
            {
                "id": "C1",
                "department": "agriculture",
                "base": "S0",
                "skills": {"agri_tech": 1},
                "hours": 100,
                "max_travel_minutes": 60,
            }
        ],
        "pools": [
            {
                "id": "P-agri",
                "department": "agriculture",
                "amount": 1000,
                "categories": ["agri_tech"],
            }
        ],
        "needs": [
            {
                "id": i,
                "village": "V1",
                "household": f"H-{i}",
                "category": "agri_tech",
                "hours": 1,
                "cost": cost,
                "priority": priority,
            }
            for i, priority, cost in needs
        ],
        "policy": {"min_cadres_per_village": 0},
    }


def knapsack(money: float) -> float:
    """The LP relaxation of the money-only county: needs by value per yuan, the last one in
    part."""
    value = 0.0
    for gain, cost in ((1600, 3000), (800, 5000), (400, 8000)):
        take = min(money, cost)
        value += gain * take / cost
        money -= take
    return value


def test_the_money_only_county_gets_its_fractional_knapsack() -> None:
    """Where money alone decides, the curve is exact at its levels (1,000 yuan doubling): the
    fractional knapsack of the needs by value per yuan, the pool's own 1,000 yuan first. Its
    first slope is the best need's value per yuan, and the curve ends where every need is paid
    (16,000 yuan of cost less the pool's 1,000)."""
    built = value_curve(county_index(money_only_county()).problem)
    curve = built.curve
    assert curve.slopes[0] == pytest.approx(1600 / 3000)
    level = float(FIRST_LEVEL)
    while level < 15_000:
        assert curve.value_at(level) == pytest.approx(knapsack(1000 + level) - knapsack(1000))
        level *= 2
    assert curve.total_yuan == pytest.approx(15_000)
    assert curve.total_value == pytest.approx(2800 - knapsack(1000))


def test_a_generated_countys_curve_is_concave_and_matches_its_lp() -> None:
    """On a small generated county the curve is concave and non-negative, and at each level
    it is within 1% (of the county's LP optimum) of re-solving the full LP relaxation, with
    column generation, at that amount in the province pool."""
    problem = county_index(generate_scenario(20, 400, 11, region="east")).problem
    built = value_curve(problem)
    curve = built.curve
    assert len(curve.slopes) > 0
    assert (np.diff(curve.slopes) <= 1e-12).all() and (curve.slopes > 0).all()
    xs = np.linspace(0, curve.total_yuan * 1.2, 25)
    values = [curve.value_at(float(x)) for x in xs]
    assert values[0] == 0 and (np.diff(values) >= -1e-9).all()

    def lp(amount: int) -> float:
        extended = with_open_pool(problem, amount)
        return solve_lp(extended, build_linear_model(extended)).lp_objective

    base = lp(0)
    for amount in (1000, 4000, 16000):
        assert curve.value_at(amount) == pytest.approx(lp(amount) - base, abs=0.01 * base)


def test_a_check_re_solves_with_and_without_the_envelope() -> None:
    """verify_envelope solves the county without province money and with it (from the plan
    without): with 2,000 yuan beside the pool's own 1,000 the best need (3,000 yuan, value
    1,600) is served whole, where the LP's curve, which already counts a third of that need
    without province money, predicts 2,000 x 0.533."""
    (record,) = verify_envelope(money_only_county(), [2000], solver="greedy", time_limit=5)
    assert record["value_added"] == pytest.approx(1600)
    assert record["predicted_value"] == pytest.approx(2000 * 1600 / 3000, abs=1e-3)
    assert record["province_yuan_spent"] == 2000
    assert record["envelope_yuan"] == 2000 and record["solver"] == "greedy"


def test_a_curve_reads_back_from_its_summary() -> None:
    """The breakpoints in province.json define the curve: read back, it is the same curve."""
    curve = ValueCurve.from_items([100, 50, 200], [100, 150, 100])
    back = ValueCurve.from_points(curve.summary()["points"])
    assert back.lengths.tolist() == curve.lengths.tolist()
    assert back.slopes == pytest.approx(curve.slopes)
    assert ValueCurve.from_points([[0, 0]]).total_yuan == 0
