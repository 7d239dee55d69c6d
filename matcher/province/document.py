"""The ``province.json`` document of a province run: what was built per county (its curve and
the LP figures behind it), the split, and totals by county class. Plain data; the run itself is
:mod:`matcher.province.envelopes`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.province.allocation import Allocation
from matcher.province.curves import ValueCurve
from matcher.province.generate import CountySpec
from matcher.scenario import REGIONS

PROVINCE_FILE = "province.json"


@dataclass(frozen=True, eq=False)
class CountyCurve:
    """A county's value-of-money curve and the LP figures behind it."""

    curve: ValueCurve
    lp_objective: float  # the restricted LP's optimum without province money
    levels: int  # province-pool amounts solved, 0 included
    columns: int  # columns of the restricted LP
    seconds: float


@dataclass(frozen=True, eq=False)
class CountyRun:
    """What the province run keeps of a county after building its curve."""

    spec: CountySpec
    pool_total: int
    needs_total: int
    curve: CountyCurve


def _by_class(runs: Sequence[CountyRun], alloc: Allocation) -> dict[str, Any]:
    classes: dict[str, Any] = {}
    for region in REGIONS:
        members = [i for i, r in enumerate(runs) if r.spec.region == region]
        yuan = sum(alloc.envelopes[i] for i in members)
        own = sum(runs[i].pool_total for i in members)
        classes[region] = {
            "counties": len(members),
            "envelope_yuan": yuan,
            "budget_share": yuan / alloc.budget if alloc.budget else 0.0,
            "envelope_per_county": yuan / len(members) if members else 0.0,
            "envelope_per_need": yuan / max(1, sum(runs[i].needs_total for i in members)),
            "own_pool_yuan": own,
            "envelope_over_own_pools": yuan / own if own else 0.0,
            "predicted_value": sum(runs[i].curve.curve.value_at(alloc.exact[i]) for i in members),
        }
    return classes


def province_document(
    runs: Sequence[CountyRun],
    alloc: Allocation,
    weights: Sequence[float],
    settings: Mapping[str, Any],
) -> dict[str, Any]:
    """The ``province.json`` document: settings, the LP's figures, totals by class, counties."""
    counties = []
    for i, county in enumerate(runs):
        curve = county.curve
        counties.append(
            {
                "number": county.spec.number,
                "file": county.spec.file_name,
                "name": county.spec.name,
                "seed": county.spec.seed,
                "region": county.spec.region,
                "weight": round(weights[i], 6),
                "own_pool_yuan": county.pool_total,
                "needs_total": county.needs_total,
                "envelope_yuan": alloc.envelopes[i],
                "predicted_value": round(curve.curve.value_at(alloc.exact[i]), 3),
                "marginal_value": round(curve.curve.slope_before(alloc.exact[i]), 6),
                "curve": curve.curve.summary(at=alloc.exact[i]),
                "lp": {
                    "objective_without": round(curve.lp_objective, 3),
                    "levels": curve.levels,
                    "columns": curve.columns,
                    "seconds": round(curve.seconds, 3),
                },
            }
        )
    return {
        **settings,
        "budget_yuan": alloc.budget,
        "allocated_yuan": alloc.allocated,
        "unallocated_yuan": alloc.budget - alloc.allocated,
        "lp": {
            "budget_binding": alloc.binding,
            "dual_price": round(alloc.price, 9),
            "objective": round(alloc.objective, 3),
            "variables": alloc.variables,
            "seconds": round(alloc.seconds, 3),
        },
        "by_class": _by_class(runs, alloc),
        "counties": counties,
    }
