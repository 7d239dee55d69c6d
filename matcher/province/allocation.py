"""The province's top-level LP: a budget split into county envelopes by the value of money.

Each county c has a concave value-of-money curve v_c (:class:`~.curves.ValueCurve`, segments
s of ``len_cs`` yuan at ``slope_cs`` objective value per yuan) and a weight w_c. The LP

    max  Σ_c Σ_s  w_c · slope_cs · y_cs
    s.t. Σ_c Σ_s  y_cs ≤ B              (the province budget; dual price λ)
         0 ≤ y_cs ≤ len_cs

gives envelope x_c = Σ_s y_cs. Because each v_c is concave, the LP fills a county's segments in
order, so Σ_s w_c · slope_cs · y_cs = w_c · v_c(x_c): it is max Σ_c w_c v_c(x_c) s.t. Σ x_c ≤ B.
λ, the dual price of the budget row, is the province-wide marginal value of a yuan: every
county with money gets it down to a (weighted) last-yuan value ≥ λ, every county's next yuan is
worth ≤ λ. Solved by HiGHS through ``scipy.optimize.linprog``.

The weights carry the regional tilt. DESIGN §5 already weighs each need by its village's
``policy.region_weights`` (1.3 central and west, 1.0 east, DESIGN §1's 30% tilt), so a county's
curve, in its own objective units, already leans 30% toward the interior. Multiplying it by the
tilt again would count the tilt twice (1.69). So w_c = tilt_c / region_weights[class_c], with
tilt_c the province's tilt for the county's class (``tilt`` for central and west, 1 for east):
the county's value with its own regional weight divided out, times the province's. With the
defaults (tilt 1.3, region_weights 1.3) every w_c is 1 and the province maximises the sum of the
county objectives, whose region weights are the tilt, counted once; ``--tilt 1.0`` splits money by
the region-neutral value, ``--tilt 1.5`` tilts harder. (Dividing by the county class's weight is
exact for the 80% of a county's villages of its own class, DESIGN's other-region villages are
weighed as their county.)
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_array

from matcher.province.curves import ValueCurve

INTERIOR = ("central", "west")
"""County classes the province's tilt favours (DESIGN §1: central and western regions)."""


@dataclass(frozen=True)
class Allocation:
    """The LP's split of the budget."""

    envelopes: tuple[int, ...]  # whole yuan per county, summing to round(Σ exact)
    exact: tuple[float, ...]  # the LP's x_c
    price: float  # λ: weighted value of one more province yuan (0 when money is left over)
    objective: float  # Σ w_c v_c(x_c) at the LP optimum
    budget: int
    variables: int
    seconds: float

    @property
    def allocated(self) -> int:
        """Yuan given to counties."""
        return sum(self.envelopes)

    @property
    def binding(self) -> bool:
        """The budget runs out before every county's money-limited needs are funded."""
        return self.allocated >= self.budget


def county_weights(
    classes: Sequence[str], tilt: float, region_weights: Mapping[str, float]
) -> list[float]:
    """w_c = tilt_c / region_weights[class_c] (see the module docstring)."""
    if tilt < 0:
        raise ValueError("the tilt must be 0 or more")
    weights = []
    for region in classes:
        own = float(region_weights[region])
        tilt_c = tilt if region in INTERIOR else 1.0
        weights.append(tilt_c / own if own > 0 else 0.0)
    return weights


def _whole_yuan(exact: list[float]) -> tuple[int, ...]:
    """Round to whole yuan keeping the total: floors, then the largest remainders get +1."""
    floors = [math.floor(x + 1e-6) for x in exact]
    short = round(sum(exact)) - sum(floors)
    order = sorted(range(len(exact)), key=lambda c: (-(exact[c] - floors[c]), c))
    for c in order[: max(0, short)]:
        floors[c] += 1
    return tuple(floors)


def allocate_budget(
    curves: Sequence[ValueCurve], weights: Sequence[float], budget: int
) -> Allocation:
    """Split ``budget`` yuan over the counties' curves by the LP of the module docstring."""
    if len(curves) != len(weights):
        raise ValueError("one weight per curve")
    if budget < 0:
        raise ValueError("the budget must be 0 or more")
    started = time.perf_counter()
    owner = np.repeat(np.arange(len(curves)), [len(c.slopes) for c in curves])
    lengths = np.concatenate([c.lengths for c in curves] or [np.zeros(0)])
    gains = np.concatenate(
        [w * c.slopes for c, w in zip(curves, weights, strict=True)] or [np.zeros(0)]
    )
    n = len(lengths)
    if n == 0:
        return Allocation((0,) * len(curves), (0.0,) * len(curves), 0.0, 0.0, budget, 0, 0.0)
    result = linprog(
        -gains,
        A_ub=csr_array(np.ones((1, n))),
        b_ub=[float(budget)],
        bounds=np.column_stack([np.zeros(n), lengths]),
        method="highs",
    )
    if result.status != 0:
        raise RuntimeError(f"the province LP failed: {result.message}")
    y = np.clip(np.asarray(result.x, dtype=np.float64), 0.0, lengths)
    exact = np.bincount(owner, weights=y, minlength=len(curves))
    # linprog minimises -gain, so the budget row's marginal is -λ.
    price = max(0.0, -float(result.ineqlin.marginals[0]))
    return Allocation(
        envelopes=_whole_yuan(exact.tolist()),
        exact=tuple(float(x) for x in exact),
        price=price,
        objective=float(gains @ y),
        budget=budget,
        variables=n,
        seconds=time.perf_counter() - started,
    )
