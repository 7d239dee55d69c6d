"""Geography in and out: Chinese map coordinate systems and GeoJSON layers of a county."""

from matcher.geo.crs import (
    CRS_NAMES,
    Crs,
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    to_wgs84,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)
from matcher.geo.geojson import (
    places_and_villages_from_geojson,
    plan_villages_geojson,
    write_geojson,
)

__all__ = [
    "CRS_NAMES",
    "Crs",
    "bd09_to_gcj02",
    "bd09_to_wgs84",
    "gcj02_to_bd09",
    "gcj02_to_wgs84",
    "places_and_villages_from_geojson",
    "plan_villages_geojson",
    "to_wgs84",
    "wgs84_to_bd09",
    "wgs84_to_gcj02",
    "write_geojson",
]
