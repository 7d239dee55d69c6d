"""Coordinate systems (WGS-84, GCJ-02, BD-09) and GeoJSON in and out (issue 7, parts 3 and 4)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from matcher.geo import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    places_and_villages_from_geojson,
    plan_villages_geojson,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
    write_geojson,
)
from matcher.geo.crs import CHINA_BOX, out_of_china
from matcher.intake.loading import parse_scenario
from matcher.plan import UNMET_REASONS, Plan
from matcher.prepare.network import haversine_km
from matcher.scenario import Scenario
from tests.conftest import contract_dict

# Published GCJ-02 test vectors: googollee/eviltransform, python/test.py (the same three in
# go/transform_test.go), as (wgs lat, wgs lng, gcj lat, gcj lng); that suite compares the
# forward transform to 6 decimal places (assertAlmostEqual(..., 6)).
EVILTRANSFORM_VECTORS = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # beijing
]
# wandergis/coordtransform, test/app.js: results printed for the input (116.404, 39.915),
# as (lng, lat), at full double precision.
WANDERGIS_INPUT = (116.404, 39.915)
WANDERGIS_WGS84_TO_GCJ02 = (116.41024449916938, 39.91640428150164)
WANDERGIS_BD09_TO_GCJ02 = (116.39762729119315, 39.90865673957631)
WANDERGIS_GCJ02_TO_BD09 = (116.41036949371029, 39.92133699351021)

# A grid across China: Xinjiang to Heilongjiang, Hainan to Inner Mongolia.
CHINA_GRID = [(lon, lat) for lon in range(74, 135, 4) for lat in range(18, 54, 3)]


def metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in metres between two (lon, lat) points."""
    return haversine_km(a[0], a[1], b[0], b[1]) * 1000.0


def test_gcj02_round_trip_stays_within_a_metre_across_china() -> None:
    """WGS-84 → GCJ-02 → WGS-84 returns within 1 m (in fact within 1e-7°) everywhere in China,
    while the forward shift itself is hundreds of metres."""
    for point in CHINA_GRID:
        shifted = wgs84_to_gcj02(*point)
        back = gcj02_to_wgs84(*shifted)
        assert metres(point, shifted) > 50
        assert metres(point, back) < 1.0
        assert abs(back[0] - point[0]) < 1e-7 and abs(back[1] - point[1]) < 1e-7


def test_gcj02_inverse_is_iterative_not_the_one_step_approximation() -> None:
    """The common one-step inverse (g - shift(g)) is metres out; ours is within 1e-7°."""
    worst_one_step = 0.0
    for point in CHINA_GRID:
        g_lon, g_lat = wgs84_to_gcj02(*point)
        f_lon, f_lat = wgs84_to_gcj02(g_lon, g_lat)
        one_step = (2 * g_lon - f_lon, 2 * g_lat - f_lat)
        worst_one_step = max(worst_one_step, metres(point, one_step))
        assert metres(point, gcj02_to_wgs84(g_lon, g_lat)) < 0.02
    assert worst_one_step > 1.0


@pytest.mark.parametrize(("wgs_lat", "wgs_lng", "gcj_lat", "gcj_lng"), EVILTRANSFORM_VECTORS)
def test_forward_shift_matches_eviltransform_vectors(
    wgs_lat: float, wgs_lng: float, gcj_lat: float, gcj_lng: float
) -> None:
    """The forward GCJ-02 shift of eviltransform's published points matches their published
    GCJ-02 values to the 6 decimals that suite checks."""
    lon, lat = wgs84_to_gcj02(wgs_lng, wgs_lat)
    assert lon == pytest.approx(gcj_lng, abs=5e-7)
    assert lat == pytest.approx(gcj_lat, abs=5e-7)


def test_forward_and_baidu_shifts_match_wandergis_vectors() -> None:
    """wandergis/coordtransform's published results for (116.404, 39.915) are reproduced to
    1e-9°: WGS-84 → GCJ-02, BD-09 → GCJ-02 and GCJ-02 → BD-09."""
    assert wgs84_to_gcj02(*WANDERGIS_INPUT) == pytest.approx(WANDERGIS_WGS84_TO_GCJ02, abs=1e-9)
    assert bd09_to_gcj02(*WANDERGIS_INPUT) == pytest.approx(WANDERGIS_BD09_TO_GCJ02, abs=1e-9)
    assert gcj02_to_bd09(*WANDERGIS_INPUT) == pytest.approx(WANDERGIS_GCJ02_TO_BD09, abs=1e-9)


def test_bd09_round_trip_stays_within_a_metre_across_china() -> None:
    """WGS-84 → BD-09 → WGS-84 returns within 1 m everywhere in China."""
    for point in CHINA_GRID:
        baidu = wgs84_to_bd09(*point)
        assert metres(point, baidu) > 50
        assert metres(point, bd09_to_wgs84(*baidu)) < 1.0


@pytest.mark.parametrize(
    "point",
    [(-0.1276, 51.5072), (-74.006, 40.7128), (151.2093, -33.8688), (139.6917, 35.6895)],
    ids=["london", "new-york", "sydney", "tokyo"],
)
def test_points_outside_china_are_unchanged(point: tuple[float, float]) -> None:
    """Outside the (approximate) China box every transform returns the point unchanged."""
    assert out_of_china(*point)
    for transform in (
        wgs84_to_gcj02,
        gcj02_to_wgs84,
        gcj02_to_bd09,
        bd09_to_gcj02,
        wgs84_to_bd09,
        bd09_to_wgs84,
    ):
        assert transform(*point) == point
    for crs in ("wgs84", "gcj02", "bd09"):
        assert to_wgs84(*point, crs) == point


def test_to_wgs84_dispatches_on_the_system_and_refuses_unknown_ones() -> None:
    """to_wgs84 applies the inverse of the named system; an unknown name is a ValueError."""
    point = (103.85, 30.05)
    assert to_wgs84(*point, "wgs84") == point
    assert metres(to_wgs84(*wgs84_to_gcj02(*point), "gcj02"), point) < 0.01
    assert metres(to_wgs84(*wgs84_to_bd09(*point), "bd09"), point) < 1.0
    with pytest.raises(ValueError, match="unknown coordinate system"):
        to_wgs84(*point, "cgcs2000")  # type: ignore[arg-type]
    assert CHINA_BOX[0] < point[0] < CHINA_BOX[1]


# ----------------------------------------------------------------------------- GeoJSON in


def point_feature(lon: float, lat: float, properties: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON point feature."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }


def contract_layer_gcj02() -> dict[str, Any]:
    """The contract county's places and villages as a GCJ-02 layer from a Chinese map service,
    with English and Chinese attribute names mixed and GIS clutter (OBJECTID)."""
    data = contract_dict()
    features = []
    for n, p in enumerate(data["places"]):
        lon, lat = wgs84_to_gcj02(p["lon"], p["lat"])
        props = {"编号": p["id"], "名称": p["name"], "kind": p["kind"], "OBJECTID": n}
        features.append(point_feature(lon, lat, props))
    for v in data["villages"]:
        lon, lat = wgs84_to_gcj02(v["lon"], v["lat"])
        props = {
            "id": v["id"],
            "名称": v["name"],
            "所属乡镇": v["town"],
            "户数": str(v["households"]),  # attribute tables often hold numbers as text
            "地区类别": {"east": "东部", "west": "西部"}[v["region"]],
        }
        optional = ("left_behind_children", "elderly", "funding_cap")
        props.update({k: v[k] for k in optional if k in v})
        features.append(point_feature(lon, lat, props))
    return {"type": "FeatureCollection", "features": features}


def test_geojson_import_gives_places_and_villages_that_validate() -> None:
    """A GCJ-02 layer with mixed English/Chinese attributes becomes the scenario's places and
    villages in WGS-84 (within 1 cm of the originals), and the county built from them loads."""
    places, villages, problems = places_and_villages_from_geojson(contract_layer_gcj02(), "gcj02")
    assert problems == []
    data = contract_dict()
    assert [p["id"] for p in places] == [p["id"] for p in data["places"]]
    assert [v["id"] for v in villages] == [v["id"] for v in data["villages"]]
    for got, want in zip([*places, *villages], [*data["places"], *data["villages"]], strict=True):
        assert metres((got["lon"], got["lat"]), (want["lon"], want["lat"])) < 0.01
        assert {k: got[k] for k in got if k not in ("lon", "lat")} == {
            k: want[k] for k in want if k not in ("lon", "lat")
        }
    data["places"], data["villages"] = places, villages
    loaded = parse_scenario(data)
    assert loaded.scenario.villages[1].region == "west"
    assert loaded.scenario.villages[1].households == 250


def test_geojson_import_without_conversion_keeps_wgs84_coordinates() -> None:
    """With the default crs the coordinates are taken as WGS-84, as given; a village can be
    told by ``type: village`` alone with the rest of its fields."""
    layer = {
        "type": "FeatureCollection",
        "features": [
            point_feature(
                104.0,
                30.0,
                {"编号": "V9", "类型": "村", "town": "T1", "households": 10.0, "region": "central"},
            )
        ],
    }
    places, villages, problems = places_and_villages_from_geojson(layer)
    assert (places, problems) == ([], [])
    assert villages == [
        {"id": "V9", "town": "T1", "lon": 104.0, "lat": 30.0, "households": 10, "region": "central"}
    ]


def test_broken_feature_collection_reports_every_problem_with_its_path() -> None:
    """Every problem of a broken layer is reported at once, located by JSON path: not a point,
    missing id, bad coordinates, duplicate id, bad values, unclassifiable, an English field
    and its Chinese alias disagreeing (but not for name), not a feature."""
    layer = {
        "type": "FeatureCollection",
        "features": [
            point_feature(104.1, 30.0, {"id": "T1", "kind": "town"}),
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [[[104, 30], [104.1, 30]]]},
                "properties": {"id": "V1", "town": "T1", "households": 3, "region": "east"},
            },
            point_feature(104.2, 30.1, {"town": "T1", "户数": 5, "region": "west"}),
            point_feature(104.3, 95.0, {"id": "V3", "town": "T1", "households": 5, "region": "x"}),
            point_feature(104.4, 30.2, {"id": "T1", "town": "T1", "户数": -2, "region": "west"}),
            point_feature(104.5, 30.3, {"id": "Q1", "note": "a well"}),
            point_feature(104.6, 30.4, {"id": "S1", "kind": "town", "编号": "S2"}),
            point_feature(
                104.6, 30.4, {"id": "S3", "kind": "town", "name": "Dongpo", "名称": "东坡"}
            ),
            {"type": "Feature", "geometry": None, "properties": {"id": "P1", "kind": "town"}},
            "not a feature",
        ],
    }
    places, villages, problems = places_and_villages_from_geojson(layer, "gcj02")
    assert [(p.path, p.severity) for p in problems] == [
        ("$.features[1].geometry.type", "error"),
        ("$.features[2].properties.id", "error"),
        ("$.features[3].geometry.coordinates", "error"),
        ("$.features[3].properties.region", "error"),
        ("$.features[4].properties.id", "error"),
        ('$.features[4].properties["户数"]', "error"),
        ("$.features[5].properties.kind", "error"),
        ('$.features[6].properties["编号"]', "error"),
        ("$.features[8].geometry", "error"),
        ("$.features[9]", "error"),
    ]
    assert "not a Point" in problems[0].message
    assert problems[1].message == "id is missing"
    assert 'id "T1" is also used by feature 0' in problems[4].message
    assert [(p["id"], p.get("name")) for p in places] == [
        ("T1", None),
        ("S1", None),
        ("S3", "Dongpo"),
    ]
    assert villages == []


def test_geojson_import_refuses_what_is_not_a_feature_collection() -> None:
    """A document that is not a FeatureCollection of features is one located problem."""
    assert places_and_villages_from_geojson([], "wgs84")[2][0].path == "$"
    problems = places_and_villages_from_geojson({"type": "Feature"}, "wgs84")[2]
    assert [p.path for p in problems] == ["$.type", "$.features"]
    with pytest.raises(ValueError):
        places_and_villages_from_geojson({"type": "FeatureCollection", "features": []}, "utm")


def test_shifted_point_outside_china_is_a_warning() -> None:
    """A GCJ-02 point outside China (often lon/lat swapped) is kept unshifted with a warning."""
    layer = {
        "type": "FeatureCollection",
        "features": [point_feature(30.0, 40.0, {"id": "S0", "kind": "county_seat"})],
    }
    places, _, problems = places_and_villages_from_geojson(layer, "gcj02")
    assert [(p.path, p.severity) for p in problems] == [
        ("$.features[0].geometry.coordinates", "warning")
    ]
    assert (places[0]["lon"], places[0]["lat"]) == (30.0, 40.0)


# ----------------------------------------------------------------------------- GeoJSON out


def by_id(collection: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Feature properties by village id."""
    return {f["properties"]["id"]: f["properties"] for f in collection["features"]}


def test_plan_villages_geojson_counts_on_the_contract_county(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    """One WGS-84 point per village with the contract plan's coverage: V3 has one pairing and
    is short of the two cadres required; served, open and unmet-by-reason counts add up."""
    collection = plan_villages_geojson(tiny, tiny_plan)
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == ["V1", "V2", "V3"]
    assert collection["features"][2]["geometry"] == {
        "type": "Point",
        "coordinates": [103.80, 30.10],
    }
    props = by_id(collection)
    assert (props["V3"]["pairings"], props["V3"]["cadres"]) == (1, "C3")
    assert props["V3"]["short_of_min_cadres"] is True
    assert props["V1"]["short_of_min_cadres"] is props["V2"]["short_of_min_cadres"] is False
    counts = {v: (p["needs_total"], p["needs_served"], p["needs_unmet"]) for v, p in props.items()}
    assert counts == {
        "V1": (2, 1, 1),
        "V2": (4, 3, 1),
        "V3": (2, 1, 1),
    }
    assert props["V1"]["unmet_already_aided"] == 1
    assert props["V2"]["unmet_funding_exhausted"] == 1
    assert props["V3"]["unmet_no_provider_in_reach"] == 1
    assert {v: p["funding_yuan"] for v, p in props.items()} == {"V1": 3000, "V2": 800, "V3": 0}
    assert props["V1"]["value_served_share"] == pytest.approx(1.0)  # N6 is held back by H8
    for p in props.values():
        assert sum(p[f"unmet_{r}"] for r in UNMET_REASONS) == p["needs_unmet"]
        assert p["unreachable"] is False
        assert all(not isinstance(value, dict | list) for value in p.values())


def test_plan_villages_geojson_fills_missing_reasons_with_the_evaluator(
    tiny: Scenario, tiny_plan: Plan
) -> None:
    """A plan file without its unmet list still gets every open need's reason (evaluated)."""
    bare = tiny_plan.model_copy(update={"unmet": []})
    assert by_id(plan_villages_geojson(tiny, bare)) == by_id(plan_villages_geojson(tiny, tiny_plan))


def test_plan_villages_geojson_marks_unreachable_villages(tiny_raw: dict[str, Any]) -> None:
    """A village no road reaches is flagged unreachable (and short of cadres)."""
    tiny_raw["roads"] = [r for r in tiny_raw["roads"] if r["to"] != "V3"]
    scenario = Scenario.model_validate(tiny_raw)
    plan = Plan.model_validate({"solver": {"name": "hand", "status": "feasible"}})
    props = by_id(plan_villages_geojson(scenario, plan))
    assert props["V3"]["unreachable"] is True and props["V3"]["short_of_min_cadres"] is True
    assert props["V1"]["unreachable"] is False


def test_write_geojson_is_utf8_readable_chinese_and_atomic(tmp_path: Path) -> None:
    """GeoJSON is written as UTF-8 with Chinese as characters, no temporary file left over."""
    feature = point_feature(104.0, 30.0, {"名称": "东坡村"})
    data = {"type": "FeatureCollection", "features": [feature]}
    path = tmp_path / "villages.geojson"
    path.write_text("old")
    write_geojson(data, path)
    assert "东坡村" in path.read_text(encoding="utf-8")
    assert json.loads(path.read_bytes()) == data
    assert [p.name for p in tmp_path.iterdir()] == ["villages.geojson"]
