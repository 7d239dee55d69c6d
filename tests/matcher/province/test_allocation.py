"""The province's top-level LP on hand-made curves: exact envelopes, the tilt, the budget."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.province.allocation import allocate_budget, county_weights
from matcher.province.curves import ValueCurve

EVEN = {"east": 1.0, "central": 1.0, "west": 1.0}


def curve(*segments: tuple[float, float]) -> ValueCurve:
    """A curve from (yuan, value per yuan) segments, best first."""
    return ValueCurve(
        np.array([s[0] for s in segments], dtype=np.float64),
        np.array([s[1] for s in segments], dtype=np.float64),
    )


def test_budget_goes_to_the_highest_slopes_and_prices_the_last_yuan() -> None:
    """A: 100 yuan at 3 then 100 at 1; B: 100 at 2. 150 yuan: A's first 100, B's first 50; the
    dual price is B's slope, the value of one more yuan."""
    a, b = curve((100, 3.0), (100, 1.0)), curve((100, 2.0))
    alloc = allocate_budget([a, b], [1.0, 1.0], 150)
    assert alloc.envelopes == (100, 50)
    assert alloc.objective == pytest.approx(100 * 3 + 50 * 2)
    assert alloc.price == pytest.approx(2.0)
    assert alloc.binding and alloc.allocated == 150


def test_the_tilt_moves_money_to_the_tilted_county() -> None:
    """East at 2 per yuan against west at 1.8: untilted the east county gets the 100 yuan,
    tilted by 1.3 (1.8 x 1.3 = 2.34) the west county does."""
    east, west = curve((100, 2.0)), curve((100, 1.8))
    plain = allocate_budget([east, west], county_weights(["east", "west"], 1.0, EVEN), 100)
    assert plain.envelopes == (100, 0)
    tilted_weights = county_weights(["east", "west"], 1.3, EVEN)
    assert tilted_weights == [1.0, 1.3]
    tilted = allocate_budget([east, west], tilted_weights, 100)
    assert tilted.envelopes == (0, 100)
    assert tilted.price == pytest.approx(1.8 * 1.3)


def test_the_counties_own_region_weights_are_not_counted_twice() -> None:
    """With DESIGN's defaults (tilt 1.3, region_weights 1.3 for central and west) every weight
    is 1: the county objectives already carry the tilt. A tilt of 1 divides it out."""
    design = {"east": 1.0, "central": 1.3, "west": 1.3}
    assert county_weights(["east", "central", "west"], 1.3, design) == pytest.approx([1, 1, 1])
    assert county_weights(["east", "west"], 1.0, design) == pytest.approx([1.0, 1 / 1.3])


def test_a_budget_beyond_every_curve_is_left_over_at_price_zero() -> None:
    """Money beyond what the curves can use adds nothing: each county gets its whole curve,
    the rest stays with the province and the budget's price is 0."""
    alloc = allocate_budget([curve((100, 3.0), (50, 1.0)), curve((70, 2.0))], [1.0, 1.0], 1000)
    assert alloc.envelopes == (150, 70)
    assert not alloc.binding and alloc.allocated == 220
    assert alloc.price == pytest.approx(0.0)


def test_a_zero_budget_gives_nothing() -> None:
    """No money, no envelopes; the first yuan would be worth the best weighted slope."""
    alloc = allocate_budget([curve((100, 3.0)), curve((100, 2.0))], [1.0, 1.0], 0)
    assert alloc.envelopes == (0, 0) and alloc.objective == 0.0
    assert alloc.price >= 3.0 - 1e-9


def test_no_curves_and_empty_curves() -> None:
    """Counties whose money adds nothing get nothing, whatever the budget."""
    alloc = allocate_budget([ValueCurve.empty(), ValueCurve.empty()], [1.0, 1.3], 500)
    assert alloc.envelopes == (0, 0) and alloc.variables == 0 and alloc.price == 0.0


def test_envelopes_are_whole_yuan_summing_to_the_budget() -> None:
    """Equal slopes in three counties split 100 yuan in whole yuan that add up to 100."""
    curves = [curve((50.5, 1.0)), curve((50.25, 1.0)), curve((50.25, 1.0))]
    alloc = allocate_budget(curves, [1.0, 1.0, 1.0], 100)
    assert all(isinstance(e, int) for e in alloc.envelopes)
    assert sum(alloc.envelopes) == 100


def test_the_lp_equals_filling_the_best_weighted_slopes_first() -> None:
    """On random concave curves the LP's optimum is the fractional knapsack's: the segments of
    all counties by weighted slope, filled until the budget ends."""
    rng = np.random.default_rng(3)
    curves = [
        ValueCurve.from_items(rng.integers(1, 500, 12), rng.uniform(1, 900, 12)) for _ in range(6)
    ]
    weights = rng.uniform(0.7, 1.5, 6).tolist()
    budget = 4000
    gains = sorted(
        (
            (w * s, length)
            for c, w in zip(curves, weights, strict=True)
            for s, length in zip(c.slopes, c.lengths, strict=True)
        ),
        reverse=True,
    )
    left, best = float(budget), 0.0
    for gain, length in gains:
        take = min(left, length)
        best += gain * take
        left -= take
    alloc = allocate_budget(curves, weights, budget)
    assert alloc.objective == pytest.approx(best, rel=1e-9)
    assert sum(w * c.value_at(x) for c, w, x in zip(curves, weights, alloc.exact, strict=True)) == (
        pytest.approx(best, rel=1e-9)
    )
