"""A synthetic province: many generated counties of a realistic class mix, a province budget,
and the province pool that carries each county's envelope into its scenario.

Everything here is deterministic for a seed and imports no solver; the envelopes themselves come
from :mod:`matcher.province.envelopes`.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matcher.generator import generate_scenario
from matcher.generator.calibration import COUNTY_REGION_ODDS
from matcher.scenario import REGIONS

# The county classes of a province. A province lies in one macro-region, but its counties'
# funding classes differ: central provinces hold counties under western-development treatment
# (e.g. Hubei's Enshi, Hunan's Xiangxi prefectures) and every province has a better-off,
# east-like ring round its capital. Lacking per-province figures, the mix is the generator's own
# assumption for a county's class (calibration.COUNTY_REGION_ODDS: 25% east, 35% central, 40%
# west, "the product targets the interior"), made exact by largest remainders, not drawn.
REGION_SHARES: tuple[float, float, float] = COUNTY_REGION_ODDS

# The province budget when none is given: a share of the counties' own pool money. Not 20%, the
# size of a county's own central/west tilt pool (calibration.POOL_SPLIT[1]): in generated
# counties hours bind long before money, and money stops adding value (the LP curves of
# matcher.province.envelopes end) after 2.4% of the counties' pool money over 100 counties of
# 300 villages x 5,000 needs, 6.6% over 12 of 30 x 600; most interior counties gain nothing at
# all. A 20% budget would leave most of it unspent and the LP nothing to decide; at 1% the
# budget binds and is split by value. --budget-share or --budget-yuan set any other size.
BUDGET_SHARE = 0.01

DEFAULT_TILT = 1.3  # DESIGN §1: a 30% funding tilt toward central and western regions

PROVINCE_POOL_ID = "P-province"
PROVINCE_DEPARTMENT = "province"
PROVINCE_POOL_NAME = "省级统筹衔接资金（省对县分配）"
COUNTY_NAME = "省-县{number:03d}"


@dataclass(frozen=True)
class CountySpec:
    """One county of a province: what :func:`generate_scenario` is called with."""

    number: int  # 1-based
    name: str
    seed: int
    region: str
    villages: int
    needs: int
    policy: Mapping[str, Any] | None = None

    @property
    def file_name(self) -> str:
        """``county-001.json``."""
        return f"county-{self.number:03d}.json"

    def scenario(self) -> dict[str, Any]:
        """The county scenario (schema_version 1, JSON-ready), the same every call."""
        return generate_scenario(
            self.villages,
            self.needs,
            self.seed,
            self.name,
            region=self.region,
            policy=self.policy,
        )


@dataclass(frozen=True)
class Province:
    """Counties with their scenarios and the province budget (yuan)."""

    counties: tuple[CountySpec, ...]
    scenarios: tuple[dict[str, Any], ...]
    budget_yuan: int


def county_classes(
    counties: int, seed: int, shares: Sequence[float] = REGION_SHARES
) -> tuple[str, ...]:
    """Classes (east/central/west) of ``counties`` counties: counts by largest remainder of
    ``shares``, order shuffled by ``seed``."""
    if len(shares) != len(REGIONS) or any(s < 0 for s in shares) or sum(shares) <= 0:
        raise ValueError("shares must be three non-negative numbers (east, central, west)")
    total = float(sum(shares))
    quotas = [counties * s / total for s in shares]
    counts = [int(q) for q in quotas]
    by_remainder = sorted(range(len(quotas)), key=lambda r: (-(quotas[r] - counts[r]), r))
    for r in by_remainder[: counties - sum(counts)]:
        counts[r] += 1
    classes = np.array(
        [region for region, k in zip(REGIONS, counts, strict=True) for _ in range(k)]
    )
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0x5EED]))
    return tuple(str(c) for c in rng.permutation(classes))


def county_seeds(seed: int, counties: int) -> tuple[int, ...]:
    """Distinct, independent generator seeds of the counties, derived from the province seed."""
    children = np.random.SeedSequence(seed).spawn(counties)
    seeds = [int(child.generate_state(1, np.uint32)[0]) for child in children]
    if len(set(seeds)) < len(seeds):  # 32-bit collisions are rare but possible: make them distinct
        seeds = [s * counties + i for i, s in enumerate(seeds)]
    return tuple(seeds)


def province_counties(
    counties: int,
    villages: int,
    needs: int,
    seed: int,
    *,
    shares: Sequence[float] = REGION_SHARES,
    policy: Mapping[str, Any] | None = None,
) -> tuple[CountySpec, ...]:
    """The counties of a province, without generating them."""
    if counties < 1:
        raise ValueError("a province needs at least one county")
    classes = county_classes(counties, seed, shares)
    seeds = county_seeds(seed, counties)
    return tuple(
        CountySpec(
            number=i + 1,
            name=COUNTY_NAME.format(number=i + 1),
            seed=seeds[i],
            region=classes[i],
            villages=villages,
            needs=needs,
            policy=policy,
        )
        for i in range(counties)
    )


def pool_total(scenario: Mapping[str, Any]) -> int:
    """The county's own pool money (yuan), leaving out any province pool."""
    return sum(int(p["amount"]) for p in scenario["pools"] if p["id"] != PROVINCE_POOL_ID)


def default_budget(pool_totals: Sequence[int], share: float = BUDGET_SHARE) -> int:
    """The province budget: ``share`` of the counties' own pool money, in whole thousands."""
    if share < 0:
        raise ValueError("the budget share must be 0 or more")
    return int(share * sum(pool_totals) // 1000) * 1000


def generate_province(
    counties: int,
    villages: int,
    needs: int,
    seed: int,
    *,
    budget_yuan: int | None = None,
    budget_share: float = BUDGET_SHARE,
    shares: Sequence[float] = REGION_SHARES,
    policy: Mapping[str, Any] | None = None,
) -> Province:
    """A province of ``counties`` generated counties (named 省-县001..., classes mixed by
    ``shares``, seeds derived from ``seed``) and its budget (``budget_yuan``, else
    ``budget_share`` of the counties' own pool money). The same arguments give the same province.

    It holds every scenario in memory; :func:`matcher.province.envelopes.build_province`
    generates counties one at a time for large provinces."""
    specs = province_counties(counties, villages, needs, seed, shares=shares, policy=policy)
    scenarios = tuple(spec.scenario() for spec in specs)
    if budget_yuan is None:
        budget_yuan = default_budget([pool_total(s) for s in scenarios], budget_share)
    if budget_yuan < 0:
        raise ValueError("the budget must be 0 or more")
    return Province(specs, scenarios, budget_yuan)


def province_pool(amount: int) -> dict[str, Any]:
    """The pool of a county's envelope: province money that admits every need of the county."""
    return {
        "id": PROVINCE_POOL_ID,
        "name": PROVINCE_POOL_NAME,
        "department": PROVINCE_DEPARTMENT,
        "amount": int(amount),
        "categories": None,
        "villages": None,
        "regions": None,
        "max_per_need": None,
    }


def with_province_pool(scenario: Mapping[str, Any], amount: int) -> dict[str, Any]:
    """A copy of the scenario whose pools end with the province pool of ``amount`` yuan (an
    existing province pool is replaced)."""
    if amount < 0:
        raise ValueError("an envelope must be 0 or more")
    data = copy.copy(dict(scenario))
    pools = [p for p in scenario["pools"] if p["id"] != PROVINCE_POOL_ID]
    data["pools"] = [*pools, province_pool(amount)]
    return data
