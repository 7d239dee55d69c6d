"""GeoJSON in and out: places and villages from a GIS layer, a plan's villages for GIS tools.

Reading: a county's GIS office exports village points from QGIS/ArcGIS or a Chinese map service
as a FeatureCollection whose attribute table uses English field names or Chinese ones
(编号, 名称, 所属乡镇, 户数, 地区类别). :func:`places_and_villages_from_geojson` turns it into the
``places`` and ``villages`` lists of a scenario (DESIGN §3), in WGS-84, and reports every
problem with its JSON path at once, like the scenario loader does. It does not check references
between lists (a village's town): that is the scenario validation's job once the lists are
part of a scenario.

Writing: :func:`plan_villages_geojson` gives one point per village with flat coverage
properties (no nested objects or lists: shapefiles, GeoPackages and QGIS's attribute table take
flat columns only), so a planner can colour a map by what the plan leaves open.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, cast

from matcher.evaluate.evaluator import evaluate
from matcher.files import atomic_path
from matcher.geo.crs import CRS_NAMES, Crs, out_of_china, to_wgs84
from matcher.intake.issues import Issue, json_path
from matcher.plan import UNMET_REASONS, Plan, Unmet
from matcher.problem.index import ScenarioIndex
from matcher.scenario import REGIONS, Scenario

# Chinese attribute names accepted for the scenario's fields.
FIELD_ALIASES: dict[str, str] = {
    "编号": "id",
    "名称": "name",
    "所属乡镇": "town",
    "户数": "households",
    "地区类别": "region",
    "人口": "population",
    "留守儿童": "left_behind_children",
    "老年人": "elderly",
    "资金上限": "funding_cap",
    "类型": "type",
    "种类": "kind",
}
# Chinese values of kind/type and region.
_KIND_VALUES = {
    "县城": "county_seat",
    "县政府驻地": "county_seat",
    "乡镇": "town",
    "镇": "town",
    "乡": "town",
    "村": "village",
    "行政村": "village",
}
_REGION_VALUES = {"东部": "east", "中部": "central", "西部": "west"}
_PLACE_KINDS = ("county_seat", "town")
_VILLAGE_HINTS = ("town", "households", "region")
_COUNTS = ("households", "population", "left_behind_children", "elderly", "funding_cap")
# 7 decimals of a degree is about 1 cm: enough, and keeps files readable.
_COORD_DECIMALS = 7


def _normalise_crs(crs: str) -> Crs:
    name = crs.strip().lower().replace("-", "").replace("_", "")
    if name not in CRS_NAMES:
        raise ValueError(f"unknown coordinate system {crs!r}: use one of {', '.join(CRS_NAMES)}")
    return cast(Crs, name)


class _Feature:
    """One feature's properties by scenario field name, remembering the key each came from
    so that problems point at what the file really says (``$.features[3].properties["户数"]``)."""

    def __init__(self, i: int, properties: Mapping[str, Any], problems: list[Issue]) -> None:
        self.i = i
        self.problems = problems
        self.values: dict[str, Any] = {}
        self.keys: dict[str, str] = {}
        self.id: str | None = None
        for key, value in properties.items():
            field = FIELD_ALIASES.get(str(key).strip(), str(key).strip())
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "":
                continue
            if field in self.values and self.values[field] != value:
                if field == "name":
                    # Layers often carry a pinyin "name" beside the Chinese 名称: not an error;
                    # the scenario's own field name wins.
                    if key == "name":
                        self.values["name"], self.keys["name"] = value, "name"
                    continue
                self.error(
                    str(key), f'"{self.keys[field]}" and "{key}" both give {field}, differently'
                )
                continue
            self.values.setdefault(field, value)
            self.keys.setdefault(field, str(key))

    def path(self, field: str) -> str:
        return json_path(("features", self.i, "properties", self.keys.get(field, field)))

    def error(self, key: str, message: str) -> None:
        path = json_path(("features", self.i, "properties", key))
        self.problems.append(Issue(path, message, self.id))

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Issue(self.path(field), message, self.id))

    def text(self, field: str, required: bool = False) -> str | None:
        value = self.values.get(field)
        if value is None:
            if required:
                self.fail(field, f"{field} is missing")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.fail(field, f"{field} must be text, not {type(value).__name__}")
            return None
        return str(value)

    def count(self, field: str, required: bool = False) -> int | None:
        """A whole number ≥ 0; GIS tools often store 420 as 420.0 or as text "420"."""
        value = self.values.get(field)
        if value is None:
            if required:
                self.fail(field, f"{field} is missing")
            return None
        number: float | None = None
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
        elif isinstance(value, str):
            try:
                number = float(value.replace(",", ""))
            except ValueError:
                number = None
        if number is None or not math.isfinite(number) or number < 0 or number != int(number):
            self.fail(field, f"{field} must be a whole number ≥ 0, not {value!r}")
            return None
        return int(number)

    def choice(self, field: str, aliases: Mapping[str, str]) -> str | None:
        value = self.values.get(field)
        if not isinstance(value, str):
            return None
        return aliases.get(value, value.lower())


def _point(
    feature: Mapping[str, Any], i: int, item_id: str | None
) -> tuple[tuple[float, float] | None, list[Issue]]:
    """The feature's (lon, lat) as given, or the problems that keep it from being a point."""
    geometry = feature.get("geometry")
    if not isinstance(geometry, Mapping):
        where = json_path(("features", i, "geometry"))
        return None, [Issue(where, "a point geometry is needed", item_id)]
    kind = geometry.get("type")
    if kind != "Point":
        where = json_path(("features", i, "geometry", "type"))
        message = f"is {kind!r}, not a Point: export villages and places as points"
        if kind in ("Polygon", "MultiPolygon"):
            message += " (the polygons' centroids or point-on-surface)"
        return None, [Issue(where, message, item_id)]
    where = json_path(("features", i, "geometry", "coordinates"))
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list | tuple)
        or len(coords) < 2
        or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
    ):
        return None, [Issue(where, "coordinates must be [longitude, latitude]", item_id)]
    lon, lat = float(coords[0]), float(coords[1])
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        message = f"[{coords[0]}, {coords[1]}] is not a longitude in [-180, 180] and a latitude"
        return None, [Issue(where, message + " in [-90, 90]", item_id)]
    return (lon, lat), []


def places_and_villages_from_geojson(
    data: object, crs: str = "wgs84"
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[Issue]]:
    """The places and villages of a FeatureCollection of points, in WGS-84, and every problem.

    A feature whose ``kind`` (or ``type``/类型) is ``county_seat`` or ``town`` is a place; one
    with ``type`` ``village`` or with a ``town``, ``households`` or ``region`` is a village.
    Coordinates given in ``crs`` (``wgs84``, ``gcj02`` or ``bd09``) are converted to WGS-84.
    Attributes the scenario has no field for (OBJECTID, Shape_Area, ...) are ignored; an
    English field and its Chinese alias that disagree are an error, except that ``name`` is
    kept over a different 名称 (a pinyin and a Chinese name side by side). Problems
    are errors except a warning for a shifted-system point outside China (not shifted; often
    longitude and latitude swapped). The lists hold the features that could be read: use them
    only when no problem is an error. Raises ``ValueError`` for an unknown ``crs``.
    """
    system = _normalise_crs(crs)
    problems: list[Issue] = []
    places: list[dict[str, Any]] = []
    villages: list[dict[str, Any]] = []
    if not isinstance(data, Mapping):
        return places, villages, [Issue("$", "a GeoJSON FeatureCollection must be an object")]
    if data.get("type") != "FeatureCollection":
        problems.append(Issue("$.type", f"is {data.get('type')!r}, not 'FeatureCollection'"))
    features = data.get("features")
    if not isinstance(features, list):
        problems.append(Issue("$.features", "a FeatureCollection needs a list of features"))
        return places, villages, problems
    first_with_id: dict[str, int] = {}
    for i, feature in enumerate(features):
        if not isinstance(feature, Mapping):
            problems.append(Issue(json_path(("features", i)), "a feature must be an object"))
            continue
        if feature.get("type", "Feature") != "Feature":
            where = json_path(("features", i, "type"))
            problems.append(Issue(where, f"is {feature.get('type')!r}, not 'Feature'"))
        properties = feature.get("properties")
        if properties is None:
            properties = {}
        if not isinstance(properties, Mapping):
            where = json_path(("features", i, "properties"))
            problems.append(Issue(where, "properties must be an object"))
            properties = {}
        f = _Feature(i, properties, problems)
        if "id" not in f.values and isinstance(feature.get("id"), str | int):
            f.values["id"] = feature["id"]  # the GeoJSON feature id, when the table has none
            f.keys["id"] = "id"
        f.id = item_id = f.text("id", required=True)
        if item_id is not None:
            if item_id in first_with_id:
                f.fail("id", f'id "{item_id}" is also used by feature {first_with_id[item_id]}')
            first_with_id.setdefault(item_id, i)
        point, geometry_problems = _point(feature, i, item_id)
        problems.extend(geometry_problems)
        item = _item(f, system, point)
        if item is None:
            continue
        kind, record = item
        (places if kind == "place" else villages).append(record)
    return places, villages, problems


def _item(
    f: _Feature, system: Crs, point: tuple[float, float] | None
) -> tuple[str, dict[str, Any]] | None:
    """The feature as ("place" | "village", scenario item), reporting what is missing."""
    kind = f.choice("kind", _KIND_VALUES) or f.choice("type", _KIND_VALUES)
    if kind in _PLACE_KINDS:
        what = "place"
    elif kind == "village" or any(h in f.values for h in _VILLAGE_HINTS):
        what = "village"
    else:
        message = "is neither a place (kind county_seat or town) nor a village (type village"
        f.fail("kind", message + ", or a town, households and region)")
        return None
    name = f.text("name")
    record: dict[str, Any] = {"id": f.id}
    if name is not None:
        record["name"] = name
    if what == "place":
        record["kind"] = kind
    else:
        record["town"] = f.text("town", required=True)
    if point is not None:
        lon, lat = point
        if system != "wgs84" and out_of_china(lon, lat):
            where = json_path(("features", f.i, "geometry", "coordinates"))
            message = (
                f"[{lon}, {lat}] lies outside China, where {system} equals WGS-84, so it was "
                "not shifted: are longitude and latitude swapped?"
            )
            f.problems.append(Issue(where, message, f.id, severity="warning"))
        lon, lat = to_wgs84(lon, lat, system)
        record["lon"], record["lat"] = round(lon, _COORD_DECIMALS), round(lat, _COORD_DECIMALS)
    if what == "village":
        counts = {c: f.count(c, required=c == "households") for c in _COUNTS}
        region = f.choice("region", _REGION_VALUES)
        if region is None:
            f.fail("region", "region is missing")
        elif region not in REGIONS:
            f.fail("region", f"region must be one of {', '.join(REGIONS)}, not {region!r}")
        record["households"] = counts.pop("households")
        record["region"] = region
        record.update({c: n for c, n in counts.items() if n is not None})
    ok = f.id is not None and point is not None and all(v is not None for v in record.values())
    return (what, record) if ok else None


# ----------------------------------------------------------------------------- plan coverage


def _unmet_of(index: ScenarioIndex, plan: Plan, served: set[str]) -> list[Unmet]:
    """The plan's unmet needs; recomputed by the evaluator when the plan file lacks some (a
    hand-written plan), so that every open need has its reason."""
    listed = {u.need for u in plan.unmet}
    open_needs = {n.id for n in index.scenario.needs if n.id not in served}
    if open_needs <= listed:
        return list(plan.unmet)
    return list(evaluate(index, plan).unmet)


def plan_villages_geojson(scenario: Scenario, plan: Plan) -> dict[str, Any]:
    """The scenario's villages as WGS-84 points with the plan's coverage of each.

    Properties: id, name, town, region, households, pairings (distinct cadres paired), cadres
    (their ids, comma-separated), needs_total / needs_served / needs_unmet, value_served_share
    (of the value H8 leaves servable; null when there is none), funding_yuan, an
    ``unmet_<reason>`` count for every reason of DESIGN §6, unreachable and short_of_min_cadres.
    Needs are placed by the scenario, not by the plan's optional village fields.
    """
    index = ScenarioIndex.build(scenario)
    need_village = {n.id: n.village for n in scenario.needs}
    cadres: dict[str, set[str]] = defaultdict(set)
    for pairing in plan.pairings:
        cadres[pairing.village].add(pairing.cadre)
    served: set[str] = set()
    served_by_village: Counter[str] = Counter()
    value_by_village: dict[str, float] = defaultdict(float)
    funding_by_village: Counter[str] = Counter()
    for a in plan.assignments:
        village = need_village.get(a.need)
        if village is None or a.need in served:
            continue
        served.add(a.need)
        served_by_village[village] += 1
        value_by_village[village] += index.value(index.needs[a.need])
        funding_by_village[village] += sum(line.amount for line in a.funding)
    needs_by_village = Counter(n.village for n in scenario.needs)
    reasons: dict[str, Counter[str]] = defaultdict(Counter)
    for u in _unmet_of(index, plan, served):
        village = need_village.get(u.need)
        if village is not None and u.need not in served:
            reasons[village][u.reason] += 1
    minimum = scenario.policy.min_cadres_per_village
    features = []
    for v in scenario.villages:
        servable = index.village_servable_value.get(v.id, 0.0)
        properties: dict[str, Any] = {
            "id": v.id,
            "name": v.name,
            "town": v.town,
            "region": v.region,
            "households": v.households,
            "pairings": len(cadres[v.id]),
            "cadres": ", ".join(sorted(cadres[v.id])),
            "needs_total": needs_by_village[v.id],
            "needs_served": served_by_village[v.id],
            "needs_unmet": needs_by_village[v.id] - served_by_village[v.id],
            "value_served_share": value_by_village[v.id] / servable if servable > 0 else None,
            "funding_yuan": funding_by_village[v.id],
            **{f"unmet_{r}": reasons[v.id][r] for r in UNMET_REASONS},
            "unreachable": not index.village_reachable.get(v.id, True),
            "short_of_min_cadres": len(cadres[v.id]) < minimum,
        }
        features.append(
            {
                "type": "Feature",
                "id": v.id,
                "geometry": {"type": "Point", "coordinates": [v.lon, v.lat]},
                "properties": properties,
            }
        )
    # "name" is a foreign member (RFC 7946 §6.1) that GDAL/QGIS use as the layer's name.
    return {"type": "FeatureCollection", "name": scenario.name, "features": features}


def write_geojson(data: Mapping[str, Any], path: Path) -> None:
    """Write GeoJSON as UTF-8 with Chinese kept readable, atomically (all or nothing)."""
    text = json.dumps(data, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
