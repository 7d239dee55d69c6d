"""The objective of DESIGN §5 on hand-computed examples."""

from __future__ import annotations

import math
from typing import Any

import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.evaluate.objective import served_value_by_village
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Scenario

# Values of the served needs of the contract's optimal plan (100 x priority x region x vulnerable):
# N1 400 (p3, east), N2 1560 (p4, west, vulnerable), N3 260 (p2, west), N4 3120 (p5, west,
# vulnerable), N8 260 (p2, west).
VALUE = 400 + 1560 + 260 + 3120 + 260
# One-way minutes of those services: N1 C1 6, N2 O1 7, N3 C2 25, N4 C3 40, N8 O1 7.
MINUTES = 6 + 7 + 25 + 40 + 7


def objective(raw: dict[str, Any], plan: Plan) -> dict[str, float]:
    """The evaluator's objective terms."""
    return evaluate(Scenario.model_validate(raw), plan).terms.to_dict()


def test_round_trip_travel_and_shortfall(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Round trips: 10 yuan-equivalent per hour of 2 x minutes; V3 is one cadre short."""
    terms = objective(tiny_raw, tiny_plan)
    assert terms["value"] == pytest.approx(VALUE)
    assert terms["travel_penalty"] == pytest.approx(10 * 2 * MINUTES / 60)
    assert terms["pairing_shortfall_penalty"] == 1000
    assert terms["total"] == pytest.approx(VALUE - 10 * 2 * MINUTES / 60 - 1000)


def test_one_way_travel(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Without round trips the travel penalty counts one way."""
    tiny_raw["policy"] = {"round_trip": False}
    assert objective(tiny_raw, tiny_plan)["travel_penalty"] == pytest.approx(10 * MINUTES / 60)


def test_region_and_vulnerable_weights(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Region weight west 2.0 and vulnerable weight 2.0 rescale the values."""
    tiny_raw["policy"] = {"region_weights": {"west": 2.0}, "vulnerable_weight": 2.0}
    # N1 east 400; N2 100*8*2*2; N3 100*2*2; N4 100*16*2*2; N8 100*2*2.
    assert objective(tiny_raw, tiny_plan)["value"] == pytest.approx(400 + 3200 + 400 + 6400 + 400)


def test_pairing_change_penalty(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Dropping C3's existing pairing with V3 costs the change penalty and one more shortfall."""
    tiny_plan.pairings = [p for p in tiny_plan.pairings if (p.cadre, p.village) != ("C3", "V3")]
    terms = objective(tiny_raw, tiny_plan)
    assert terms["pairing_change_penalty"] == 50
    assert terms["pairing_shortfall_penalty"] == 2000


def test_fairness_term(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Floor 0.9, weight 2: V2 is 260 below 0.9 x 2600; V3 is not below 0.9 x 3120, because
    N5 (1040), which no available provider could serve, is not in what V3 could have had."""
    tiny_raw["policy"] = {"fairness_floor_share": 0.9, "fairness_weight": 2.0}
    # V1: servable 400 (N6 held back), served 400. V2: servable 1560+260+520+260 = 2600, served
    # 2080. V3: servable 3120 (N5 has no provider in reach), served 3120.
    terms = objective(tiny_raw, tiny_plan)
    assert terms["fairness_penalty"] == pytest.approx(2 * (2340 - 2080))


def test_a_village_no_provider_reaches_adds_no_fairness_penalty(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """DESIGN §5: total_value(v) counts only needs some provider could serve, so cutting V3
    off from the roads takes its needs out of the floor instead of charging an unavoidable
    penalty (kept: V2's shortfall is still charged)."""
    tiny_raw["policy"] = {"fairness_floor_share": 0.9, "fairness_weight": 2.0}
    tiny_raw["roads"] = [r for r in tiny_raw["roads"] if "V3" not in (r["from"], r["to"])]
    plan = tiny_plan.model_copy(
        update={"assignments": [a for a in tiny_plan.assignments if a.village != "V3"]}
    )
    terms = objective(tiny_raw, plan)
    assert terms["fairness_penalty"] == pytest.approx(2 * (2340 - 2080))


def test_haversine_travel_without_roads(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """Without roads: great-circle km x detour 1.3 / 40 km/h x 60 for every service."""
    del tiny_raw["roads"]

    def minutes(a: tuple[float, float], b: tuple[float, float]) -> float:
        lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
        h = (
            math.sin((lat2 - lat1) / 2) ** 2
            + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371.0088 * math.asin(math.sqrt(h)) * 1.3 / 40 * 60

    t1, s0, t2 = (104.10, 30.00), (104.00, 30.00), (103.90, 30.00)
    v1, v2, v3 = (104.12, 30.02), (103.88, 30.01), (103.80, 30.10)
    total = minutes(t1, v1) + minutes(t2, v2) + minutes(s0, v2) + minutes(t2, v3) + minutes(t2, v2)
    assert objective(tiny_raw, tiny_plan)["travel_penalty"] == pytest.approx(10 * 2 * total / 60)


def test_needs_and_value_served_by_region(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """The tilt's KPI: served needs and their value split by the village's region class."""
    scenario = Scenario.model_validate(tiny_raw)
    kpis = evaluate(scenario, tiny_plan).kpis
    region = {v["id"]: v["region"] for v in tiny_raw["villages"]}
    village = {n["id"]: n["village"] for n in tiny_raw["needs"]}
    expected = {"east": 0, "central": 0, "west": 0}
    for assignment in tiny_plan.assignments:
        expected[region[village[assignment.need]]] += 1
    assert kpis["needs_served_by_region"] == expected
    assert sum(kpis["value_served_by_region"].values()) == pytest.approx(kpis["value_served"])


def test_reachable_village_shares_leave_out_villages_no_road_reaches(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """Cutting V3 off leaves nothing it could have had (total_value 0): it is left out of
    every village share instead of pinning the minimum at 0; the minimum is over V1 and V2."""
    tiny_raw["roads"] = [r for r in tiny_raw["roads"] if "V3" not in (r["from"], r["to"])]
    tiny_raw["policy"] = {**tiny_raw.get("policy", {}), "fairness_floor_share": 0.99}
    plan = Plan.model_validate(
        {**tiny_plan.model_dump(), "assignments": [
            a.model_dump() for a in tiny_plan.assignments if a.need not in ("N4", "N5")
        ]}
    )  # fmt: skip
    kpis = evaluate(Scenario.model_validate(tiny_raw), plan).kpis
    index = ScenarioIndex.build(Scenario.model_validate(tiny_raw))
    assert index.village_servable_value["V3"] == 0.0
    served = served_value_by_village(index, plan)
    shares = {v: served[v] / t for v, t in index.village_servable_value.items() if t > 0}
    assert set(shares) == {"V1", "V2"}
    assert kpis["min_village_value_share"] == min(shares.values()) > 0.0
    assert kpis["min_reachable_village_value_share"] == min(shares.values())
    expected = sum(1 for x in shares.values() if x < 0.99)
    assert kpis["reachable_villages_below_fairness_floor"] == expected
