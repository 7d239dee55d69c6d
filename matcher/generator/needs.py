"""The open needs: each village's need mix from its demography, and the draws of categories,
households, hours and costs that the needs and the aid ledgers share."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matcher.generator.arrays import BoolArray, FloatArray, IntArray
from matcher.generator.calibration import (
    NEED_COST,
    NEED_HOURS,
    NEED_LEVELS,
    NEED_PRIORITIES,
    NEED_WEIGHTS,
    VILLAGE_LEVEL_CULTURE,
    VULNERABLE_DEFAULT,
    VULNERABLE_ODDS,
    VULNERABLE_TAGS,
)
from matcher.scenario import CATEGORIES


@dataclass(frozen=True)
class _Needs:
    """The open needs as arrays, in submission order (household 0: a village-level need)."""

    village: IntArray
    household: IntArray
    category: IntArray
    level: IntArray
    hours: FloatArray
    cost: IntArray
    priority: IntArray
    tags: BoolArray  # (N, len(VULNERABLE_TAGS))
    day: IntArray  # days after the horizon's start


def _category_weights(lbc_rate: FloatArray, eld_share: FloatArray) -> FloatArray:
    """(V, categories) need-mix weights of each village from its demography."""
    table = np.array([NEED_WEIGHTS[c] for c in CATEGORIES])  # (C, 3)
    weights: FloatArray = (
        table[:, 0] + np.outer(lbc_rate, table[:, 1]) + np.outer(eld_share, table[:, 2])
    )
    return weights


def _draw_categories(rng: np.random.Generator, weights: FloatArray, village: IntArray) -> IntArray:
    cum = np.cumsum(weights, axis=1)
    cum /= cum[:, -1:]
    u = rng.random(len(village))
    drawn: IntArray = np.minimum((u[:, None] > cum[village]).sum(axis=1), len(CATEGORIES) - 1)
    return drawn


def _draw_households(
    rng: np.random.Generator, households: FloatArray, village: IntArray, category: IntArray
) -> IntArray:
    """1-based household numbers skewed to a needy few; 0 for village-level categories."""
    number = 1 + np.floor(households[village] * rng.random(len(village)) ** 1.5).astype(np.int64)
    village_level = (category == CATEGORIES.index("infrastructure")) | (
        (category == CATEGORIES.index("culture"))
        & (rng.random(len(village)) < VILLAGE_LEVEL_CULTURE)
    )
    return np.where(village_level, 0, number)


def _draw_costs(
    rng: np.random.Generator,
    category: IntArray,
    paid_share: float | None,
    paid_boost: float = 1.0,
) -> IntArray:
    """Whole yuan, rounded to 10, log-uniform per category; ``paid_share`` overrides the odds
    and ``paid_boost`` multiplies them (at most 1: the ``money`` terrain's costlier needs)."""
    table = np.array([NEED_COST[c] for c in CATEGORIES], dtype=np.float64)
    odds, lo, hi = table[category].T
    if paid_boost != 1.0:
        odds = np.minimum(odds * paid_boost, 1.0)
    if paid_share is not None:
        odds = np.where(odds > 0, paid_share, 0.0)
    u = rng.random(len(category))
    paid = rng.random(len(category)) < odds
    log_lo, log_hi = np.log(np.maximum(lo, 1)), np.log(np.maximum(hi, 1))
    cost = np.round(np.exp(log_lo + (log_hi - log_lo) * u) / 10) * 10
    return np.where(paid, cost, 0).astype(np.int64)


def _needs(
    rng: np.random.Generator,
    weights: FloatArray,
    households: FloatArray,
    count: int,
    days: int,
    paid_boost: float = 1.0,
) -> _Needs:
    """Needs spread over villages by households, their mix by each village's demography;
    ``paid_boost`` multiplies the odds that a need costs money."""
    share = households * rng.gamma(3.0, 1 / 3, len(households))
    village = np.repeat(np.arange(len(households)), rng.multinomial(count, share / share.sum()))
    category = _draw_categories(rng, weights, village)
    household = _draw_households(rng, households, village, category)
    level = rng.choice(3, size=count, p=NEED_LEVELS) + 1
    lo, hi = np.array([NEED_HOURS[c] for c in CATEGORIES], dtype=np.float64)[category].T
    hours = lo + (hi - lo) * rng.random(count) + 0.5 * (level - 1)
    cost = _draw_costs(rng, category, None, paid_boost)
    odds = np.array([VULNERABLE_ODDS.get(c, VULNERABLE_DEFAULT) for c in CATEGORIES])
    tags = (rng.random((count, len(VULNERABLE_TAGS))) < odds[category]) & (household > 0)[:, None]
    priority = rng.choice(5, size=count, p=NEED_PRIORITIES) + 1
    priority += tags.any(axis=1) & (rng.random(count) < 0.5)
    priority += category == CATEGORIES.index("hardship_relief")
    day = rng.integers(0, days, count)
    order = np.lexsort((village, day))
    return _Needs(
        village[order],
        household[order],
        category[order],
        level[order],
        hours[order],
        cost[order],
        np.minimum(priority, 5)[order],
        tags[order],
        day[order],
    )


def _household_id(village: str, number: int) -> str | None:
    """A pseudonymous household id like ``H-V001-0042`` (never a long digit run)."""
    return None if number <= 0 else f"H-{village}-{number:04d}"
