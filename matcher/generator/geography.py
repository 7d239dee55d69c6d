"""The county's places: the seat, towns on a sunflower around it, villages, roads and the
shortest travel minutes from each place to each village; and Chinese place names."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from matcher.generator.arrays import FloatArray, IntArray
from matcher.generator.calibration import (
    CENTER_LAT,
    CENTER_LON,
    COUNTY_RADIUS_KM,
    KM_PER_DEG_LAT,
    MIN_RADIUS_KM,
    REFERENCE_VILLAGES,
    ROAD_CLASSES,
    UNREACHABLE_SHARE,
    VILLAGE_LINK_SHARE,
)

_NAME_FIRST = (
    "上下大小东西南北新老高长石青白黄金龙凤双马杨柳桃花松竹梅兰清安和平兴福永太丰乐宝云明光红"
)
_VILLAGE_LAST = "坝坪沟湾河山岭林溪塘桥庄寨冲岗田湖堰口坡岩水井园坎垭台峰"
_TOWN_LAST = "水山河江溪阳场坪桥关市滩"


@dataclass(frozen=True)
class _Geography:
    towns: int
    town_xy: FloatArray  # (k, 2) km east/north of the seat
    village_xy: FloatArray  # (V, 2)
    village_town: IntArray  # (V,) 0..k-1
    roads: list[tuple[int, int, float]]  # node indices: 0 seat, 1..k towns, k+1.. villages
    minutes: FloatArray  # (k+1, V) shortest minutes from each place, inf when unreachable


def _lonlat(xy: FloatArray) -> tuple[list[float], list[float]]:
    km_per_deg_lon = 111.320 * math.cos(math.radians(CENTER_LAT))
    lon = np.round(CENTER_LON + xy[:, 0] / km_per_deg_lon, 5)
    lat = np.round(CENTER_LAT + xy[:, 1] / KM_PER_DEG_LAT, 5)
    return lon.tolist(), lat.tolist()


def _names(rng: np.random.Generator, count: int, last: str, suffix: str) -> list[str]:
    """Distinct Chinese place names from syllable lists, three syllables when two run short."""
    names = [a + b for a in _NAME_FIRST for b in last]
    if count > len(names) // 2:
        names += [a + c + b for a in _NAME_FIRST for c in _NAME_FIRST for b in last if a != c]
    picked = rng.choice(len(names), size=count, replace=False)
    return [names[i] + suffix for i in picked.tolist()]


def _road_minutes(km: FloatArray, road_class: npt.NDArray[np.str_]) -> FloatArray:
    speed = np.array([ROAD_CLASSES[c][0] for c in road_class.tolist()])
    detour = np.array([ROAD_CLASSES[c][1] for c in road_class.tolist()])
    minutes: FloatArray = np.maximum(np.round(km * detour / speed * 60.0, 1), 0.1)
    return minutes


def _geography(rng: np.random.Generator, villages: int, towns: int) -> _Geography:
    """Towns on a jittered sunflower around the seat, villages around their town, roads."""
    radius = max(MIN_RADIUS_KM, COUNTY_RADIUS_KM * math.sqrt(villages / REFERENCE_VILLAGES))
    i = np.arange(towns)
    r = np.maximum(radius * 0.85 * np.sqrt((i + 0.5) / towns) + rng.normal(0, 1.0, towns), 4.0)
    theta = i * math.pi * (3 - math.sqrt(5)) + rng.uniform(0, 2 * math.pi) + rng.normal(0, 0.2)
    town_xy = np.column_stack([r * np.cos(theta), r * np.sin(theta)])

    reach = radius / math.sqrt(towns)  # radius of a town's equal share of the county
    village_town = rng.permutation(np.arange(villages) % towns)
    d = reach * 0.9 * (0.12 + 0.88 * np.sqrt(rng.random(villages)))
    phi = rng.uniform(0, 2 * math.pi, villages)
    order = np.lexsort((d, village_town))  # number villages town by town, nearest first
    village_town, d, phi = village_town[order], d[order], phi[order]
    village_xy = town_xy[village_town] + np.column_stack([d * np.cos(phi), d * np.sin(phi)])
    # The west of the county rises into the mountains; remote villages are more often uphill.
    p_mountain = 0.25 - 0.35 * village_xy[:, 0] / radius + 0.2 * (d / reach - 0.5)
    mountain = rng.random(villages) < np.clip(p_mountain, 0.05, 0.75)

    unreachable = np.zeros(villages, bool)
    blind = max(1 if villages >= 30 else 0, round(villages * UNREACHABLE_SHARE))
    if blind:
        weight = d * np.where(mountain, 3.0, 1.0)
        unreachable[rng.choice(villages, size=blind, replace=False, p=weight / weight.sum())] = True

    edges: list[tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.str_]]] = []
    seat_km = np.hypot(town_xy[:, 0], town_xy[:, 1])
    fast = (seat_km > 0.4 * radius) & (rng.random(towns) < 0.5)
    edges.append(
        (np.zeros(towns, np.int64), i + 1, seat_km, np.where(fast, "expressway", "highway"))
    )
    if towns > 1:
        _, near = cKDTree(town_xy).query(town_xy, k=min(3, towns))
        pairs = {(min(a, b), max(a, b)) for a, row in enumerate(near.tolist()) for b in row[1:]}
        ta, tb = (np.array(x, np.int64) for x in zip(*sorted(pairs), strict=True))
        km = np.hypot(*(town_xy[ta] - town_xy[tb]).T)
        edges.append((ta + 1, tb + 1, km, np.full(len(ta), "county")))
    ok = np.flatnonzero(~unreachable)
    slow = np.where(mountain, "mountain", "village")
    edges.append((village_town[ok] + 1, ok + towns + 1, d[ok], slow[ok]))
    if len(ok) > 1:
        _, nearest = cKDTree(village_xy[ok]).query(village_xy[ok], k=2)
        linked = rng.random(len(ok)) < VILLAGE_LINK_SHARE
        pairs = {
            (int(min(ok[a], ok[b])), int(max(ok[a], ok[b])))
            for a, b in zip(np.flatnonzero(linked), nearest[linked, 1], strict=True)
        }
        if pairs:
            va, vb = (np.array(x, np.int64) for x in zip(*sorted(pairs), strict=True))
            km = np.hypot(*(village_xy[va] - village_xy[vb]).T)
            cls = np.where(mountain[va] | mountain[vb], "mountain", "village")
            edges.append((va + towns + 1, vb + towns + 1, km, cls))

    a = np.concatenate([e[0] for e in edges])
    b = np.concatenate([e[1] for e in edges])
    minutes = np.concatenate([_road_minutes(e[2], e[3]) for e in edges])
    nodes = 1 + towns + villages
    graph = coo_array((minutes, (a, b)), shape=(nodes, nodes)).tocsr()
    dist = dijkstra(graph, directed=False, indices=np.arange(towns + 1))[:, towns + 1 :]
    roads = list(zip(a.tolist(), b.tolist(), minutes.tolist(), strict=True))
    return _Geography(towns, town_xy, village_xy, village_town, roads, np.asarray(dist, np.float64))
