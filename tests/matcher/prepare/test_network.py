"""Travel times (DESIGN §3): road shortest paths, or the haversine rule without roads."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from matcher.prepare.network import haversine_km, road_graph, travel_times
from matcher.scenario import Scenario


def test_haversine_of_one_degree_of_latitude() -> None:
    """One degree along a meridian is 6371.0088 x pi / 180 km."""
    assert haversine_km(104.0, 30.0, 104.0, 31.0) == pytest.approx(6371.0088 * math.pi / 180)


def test_without_roads_minutes_follow_detour_and_speed(tiny_raw: dict[str, Any]) -> None:
    """Minutes = km x detour_factor / speed_kmh x 60, with the policy's own figures."""
    del tiny_raw["roads"]
    tiny_raw["policy"] = {"detour_factor": 1.5, "speed_kmh": 30.0}
    times = travel_times(Scenario.model_validate(tiny_raw))
    km = haversine_km(104.10, 30.00, 104.12, 30.02)
    assert times.lookup("T1", "V1") == pytest.approx(km * 1.5 / 30.0 * 60)
    assert times.village_reachable.all()


def test_shortest_path_over_several_roads(tiny: Scenario) -> None:
    """T1 to V3 runs T1-S0-T2-V3: 15 + 18 + 40 minutes."""
    assert travel_times(tiny).lookup("T1", "V3") == pytest.approx(73)


def test_village_no_road_reaches_is_unreachable_not_an_error(tiny_raw: dict[str, Any]) -> None:
    """Without its road V3 is unreachable: infinite minutes and marked, the rest unchanged."""
    tiny_raw["roads"] = [r for r in tiny_raw["roads"] if r["to"] != "V3"]
    times = travel_times(Scenario.model_validate(tiny_raw))
    assert math.isinf(times.lookup("T2", "V3"))
    assert list(times.village_reachable) == [True, True, False]
    assert times.lookup("T2", "V2") == pytest.approx(7)


def test_parallel_roads_keep_the_fastest_and_zero_minutes_is_a_road(
    tiny_raw: dict[str, Any],
) -> None:
    """Two roads between the same nodes: the shorter counts; a 0-minute road still connects."""
    tiny_raw["roads"].append({"from": "V2", "to": "T2", "minutes": 3})
    tiny_raw["roads"].append({"from": "V2", "to": "V3", "minutes": 0})
    scenario = Scenario.model_validate(tiny_raw)
    times = travel_times(scenario)
    assert times.lookup("T2", "V2") == pytest.approx(3)
    assert times.lookup("T2", "V3") == pytest.approx(3)
    assert road_graph(scenario).number_of_edges() == 6


def test_only_distinct_bases_are_sources(tiny: Scenario) -> None:
    """One row per distinct base (C3 and O1 share T2): three rows for five providers."""
    times = travel_times(tiny)
    assert times.base_ids == ("T1", "S0", "T2")
    assert times.minutes.shape == (3, 3)
    assert np.isfinite(times.minutes).all()
