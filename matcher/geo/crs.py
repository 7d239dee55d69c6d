"""Chinese map coordinate systems: WGS-84, GCJ-02 (国测局, "Mars") and BD-09 (百度).

County offices take village locations from Chinese map services: Amap (高德), Tencent and
Tianditu's Chinese layers publish GCJ-02, Baidu publishes BD-09. The travel rule of DESIGN §3
(haversine minutes) needs WGS-84, and a GCJ-02 point read as WGS-84 is off by 100-700 m,
enough to move a village across a travel limit. This module converts between the three.

GCJ-02 is the widely published reverse-engineered algorithm (as in wandergis/coordtransform and
googollee/eviltransform): a shift computed on the Krasovsky 1940 ellipsoid from two sine
polynomials, applied inside mainland China only. BD-09 is Baidu's further offset of GCJ-02, in
the equally well-known published form. Forward transforms are closed formulas; GCJ-02 → WGS-84
has none, so it is solved iteratively to better than 1e-7 degrees (about 1 cm), not by the
common one-step approximation that can be a few metres out.

Every function takes and returns ``(lon, lat)`` in degrees, longitude first as in GeoJSON.
"""

from __future__ import annotations

import math
from typing import Literal, get_args

Crs = Literal["wgs84", "gcj02", "bd09"]
CRS_NAMES: tuple[str, ...] = get_args(Crs)

# Krasovsky 1940 ellipsoid, which the GCJ-02 algorithm uses: semi-major axis and first
# eccentricity squared ((a^2 - b^2) / a^2 with 1/f = 298.3), to the digits the algorithm has.
_A = 6378245.0
_EE = 0.00669342162296594323
_PI = 3.1415926535897932384626
# BD-09's angular constant, as published.
_X_PI = 3.14159265358979324 * 3000.0 / 180.0

# The bounding box outside of which GCJ-02 (and BD-09) are taken to equal WGS-84. It is the box
# of the original published algorithm (googollee/eviltransform's outOfChina) and is only
# approximate: it takes in Mongolia, the Korean peninsula, Japan's west, parts of Southeast
# Asia and India, and it does not follow China's border. Chinese map services shift nothing
# outside China, so a point in a neighbouring country inside the box is converted wrongly;
# counties of mainland China, which are all inside it, are not affected.
CHINA_BOX = (72.004, 137.8347, 0.8293, 55.8271)  # min lon, max lon, min lat, max lat

# The GCJ-02 inverse stops once the forward transform of its answer is this close to the given
# point (degrees, ~0.1 mm), well inside the 1e-7 degree promise; it needs 3-5 steps in practice.
_INVERSE_TOLERANCE = 1e-9
_INVERSE_MAX_STEPS = 30


def out_of_china(lon: float, lat: float) -> bool:
    """True when the point lies outside :data:`CHINA_BOX` (where no shift is applied)."""
    min_lon, max_lon, min_lat, max_lat = CHINA_BOX
    return not (min_lon <= lon <= max_lon and min_lat <= lat <= max_lat)


def _shift_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * _PI) + 20.0 * math.sin(2.0 * x * _PI)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * _PI) + 40.0 * math.sin(y / 3.0 * _PI)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * _PI) + 320.0 * math.sin(y * _PI / 30.0)) * 2.0 / 3.0
    return ret


def _shift_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * _PI) + 20.0 * math.sin(2.0 * x * _PI)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * _PI) + 40.0 * math.sin(x / 3.0 * _PI)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * _PI) + 300.0 * math.sin(x / 30.0 * _PI)) * 2.0 / 3.0
    return ret


def _gcj02_offset(lon: float, lat: float) -> tuple[float, float]:
    """The GCJ-02 shift (degrees of lon, lat) at a WGS-84 point: metres on the Krasovsky
    ellipsoid turned into degrees by the meridian and parallel radii at that latitude."""
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * _PI
    magic = 1.0 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * _PI)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * _PI)
    return d_lon, d_lat


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 to GCJ-02; unchanged outside :data:`CHINA_BOX`."""
    if out_of_china(lon, lat):
        return lon, lat
    d_lon, d_lat = _gcj02_offset(lon, lat)
    return lon + d_lon, lat + d_lat


def gcj02_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to WGS-84 by fixed-point iteration, to better than 1e-7 degrees.

    The shift changes by a few thousandths of a degree per degree, so ``w ← w − (f(w) − g)``
    contracts fast: each step gains two to three digits, five steps at most across China.
    Unchanged outside :data:`CHINA_BOX`.
    """
    if out_of_china(lon, lat):
        return lon, lat
    w_lon, w_lat = lon, lat
    for _ in range(_INVERSE_MAX_STEPS):
        g_lon, g_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = g_lon - lon, g_lat - lat
        if abs(e_lon) < _INVERSE_TOLERANCE and abs(e_lat) < _INVERSE_TOLERANCE:
            break
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
    return w_lon, w_lat


def gcj02_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """GCJ-02 to BD-09 (Baidu's published offset); unchanged outside :data:`CHINA_BOX`."""
    if out_of_china(lon, lat):
        return lon, lat
    z = math.hypot(lon, lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """BD-09 to GCJ-02, the published inverse formula; unchanged outside :data:`CHINA_BOX`.

    The published formula is a one-step inverse of :func:`gcj02_to_bd09`, off by up to about
    2e-6 degrees (0.2 m): far below the accuracy of the BD-09 formula itself and of a village's
    location, and kept so that results agree with every other tool that uses it.
    """
    if out_of_china(lon, lat):
        return lon, lat
    x, y = lon - 0.0065, lat - 0.006
    z = math.hypot(x, y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.cos(theta), z * math.sin(theta)


def wgs84_to_bd09(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 to BD-09 (through GCJ-02)."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: float, lat: float) -> tuple[float, float]:
    """BD-09 to WGS-84 (through GCJ-02, with the exact GCJ-02 inverse)."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat))


def to_wgs84(lon: float, lat: float, crs: Crs) -> tuple[float, float]:
    """A point given in ``crs`` as WGS-84, the system the travel rule measures in."""
    if crs == "wgs84":
        return lon, lat
    if crs == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if crs == "bd09":
        return bd09_to_wgs84(lon, lat)
    raise ValueError(f"unknown coordinate system {crs!r}: use one of {', '.join(CRS_NAMES)}")
