"""A county's value of money: a concave piecewise-linear curve v(x) of the objective a county
adds with x extra yuan (DESIGN §5 units), as segments of falling slope.

Built from items (yuan, value): a need that money alone would serve, its province yuan and its
value. Sorted by value per yuan, the items give the fractional-knapsack curve, concave by
construction; :mod:`matcher.province.envelopes` builds the items, :mod:`.allocation` splits a
province budget over the curves.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.problem.arrays import FloatArray


@dataclass(frozen=True, eq=False)
class ValueCurve:
    """Segments of a concave curve: ``lengths[i]`` yuan at ``slopes[i]`` value per yuan, slopes
    positive and non-increasing. Beyond the last segment money adds nothing (slope 0)."""

    lengths: FloatArray
    slopes: FloatArray

    def __post_init__(self) -> None:
        if len(self.lengths) != len(self.slopes):
            raise ValueError("a curve needs one slope per segment")
        if (self.lengths <= 0).any() or (self.slopes <= 0).any():
            raise ValueError("segments must have positive lengths and slopes")
        if (np.diff(self.slopes) > 1e-12 * np.maximum(1.0, self.slopes[:-1])).any():
            raise ValueError("slopes must not increase: the curve must be concave")

    @staticmethod
    def from_items(yuan: FloatArray | list[float], value: FloatArray | list[float]) -> ValueCurve:
        """The curve of items taken by value per yuan (ties in the given order); items without
        positive yuan or value are left out."""
        cost = np.asarray(yuan, dtype=np.float64)
        gain = np.asarray(value, dtype=np.float64)
        keep = (cost > 0) & (gain > 0)
        cost, gain = cost[keep], gain[keep]
        slope = gain / cost
        order = np.lexsort((np.arange(len(slope)), -slope))
        return ValueCurve(cost[order], slope[order])

    @staticmethod
    def from_points(points: Sequence[Sequence[float]]) -> ValueCurve:
        """The concave curve through points (yuan, value) in rising yuan: their chords, any rise
        in slope (solver tolerances, rounding) merged into the chord over both, flat or falling
        tails dropped. Reads back a curve from its :meth:`summary` breakpoints."""
        lengths: list[float] = []
        slopes: list[float] = []
        for (x0, v0), (x1, v1) in itertools.pairwise(points):
            if x1 - x0 <= 0:
                continue
            lengths.append(x1 - x0)
            slopes.append((v1 - v0) / (x1 - x0))
            while len(slopes) > 1 and slopes[-1] > slopes[-2]:
                length = lengths[-1] + lengths[-2]
                slope = (slopes[-1] * lengths[-1] + slopes[-2] * lengths[-2]) / length
                lengths[-2:], slopes[-2:] = [length], [slope]
        keep = [i for i, s in enumerate(slopes) if s > 1e-12]
        return ValueCurve(
            np.array([lengths[i] for i in keep], dtype=np.float64),
            np.array([slopes[i] for i in keep], dtype=np.float64),
        )

    @staticmethod
    def empty() -> ValueCurve:
        """Money adds nothing."""
        return ValueCurve(np.zeros(0), np.zeros(0))

    @property
    def breakpoints(self) -> FloatArray:
        """Yuan at the start of each segment, and the end of the last (len + 1)."""
        return np.concatenate([[0.0], np.cumsum(self.lengths)])

    @property
    def total_yuan(self) -> float:
        """Yuan beyond which money adds nothing."""
        return float(self.lengths.sum())

    @property
    def total_value(self) -> float:
        """v at the curve's end."""
        return float((self.lengths * self.slopes).sum())

    def value_at(self, x: float) -> float:
        """v(x)."""
        taken = np.clip(x - self.breakpoints[:-1], 0.0, self.lengths)
        return float((taken * self.slopes).sum())

    def slope_after(self, x: float) -> float:
        """Value of the next yuan beyond x (right derivative; 0 past the end)."""
        i = int(np.searchsorted(self.breakpoints[1:], x, side="right"))
        return float(self.slopes[i]) if i < len(self.slopes) else 0.0

    def slope_before(self, x: float) -> float:
        """Value of the last yuan up to x (left derivative; the first slope at 0, and 0 past
        the end)."""
        if len(self.slopes) == 0 or x > self.total_yuan:
            return 0.0
        i = int(np.searchsorted(self.breakpoints[1:], x, side="left"))
        return float(self.slopes[min(i, len(self.slopes) - 1)])

    def summary(self, at: float | None = None) -> dict[str, Any]:
        """Extent, first slope and the breakpoints (yuan, value), which define the curve, for
        files and plots; with ``at`` also v(at) and the slopes either side of it."""
        xs = self.breakpoints
        data: dict[str, Any] = {
            "segments": len(self.slopes),
            "yuan": round(self.total_yuan),
            "value": round(self.total_value, 3),
            "first_slope": round(float(self.slopes[0]), 6) if len(self.slopes) else 0.0,
            "points": [[float(x), self.value_at(float(x))] for x in xs],
        }
        if at is not None:
            data["value_at_envelope"] = round(self.value_at(at), 3)
            data["slope_before_envelope"] = round(self.slope_before(at), 6)
            data["slope_after_envelope"] = round(self.slope_after(at), 6)
        return data
