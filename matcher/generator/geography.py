"""The county's places: the seat, towns, villages, roads and the shortest travel minutes from
each place to each village; and Chinese place names.

Three layouts (``--terrain``, :data:`~matcher.generator.calibration.TERRAINS`): the hills'
towns on a sunflower around the seat with villages around their town (also the ``money``
county's); ``valley``: towns as stations along a few long valleys radiating from the seat,
villages strung along the river on slow roads, a few towns cut off; ``plain``: a compact county
on a dense grid of fast roads."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from matcher.generator.arrays import BoolArray, FloatArray, IntArray
from matcher.generator.calibration import (
    CENTER_LAT,
    CENTER_LON,
    COUNTY_RADIUS_KM,
    KM_PER_DEG_LAT,
    MIN_RADIUS_KM,
    PLAIN_GRID_NEIGHBOURS,
    PLAIN_RADIUS_KM,
    PLAIN_ROAD_CLASSES,
    PLAIN_TOWN_LINKS,
    REFERENCE_VILLAGES,
    ROAD_CLASSES,
    UNREACHABLE_SHARE,
    VALLEY_COUNT,
    VALLEY_CROSS_LINKS,
    VALLEY_CUT_TOWN_SHARE,
    VALLEY_MEANDER,
    VALLEY_REACH,
    VALLEY_ROAD_CLASSES,
    VALLEY_SIDE_KM,
    VALLEY_SIDE_SHARE,
    VALLEY_WIDTH_KM,
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


def _road_minutes(
    km: FloatArray,
    road_class: npt.NDArray[np.str_],
    classes: dict[str, tuple[float, float]] = ROAD_CLASSES,
) -> FloatArray:
    """Minutes along roads of straight-line length ``km``: the class's detour and speed."""
    speed = np.array([classes[c][0] for c in road_class.tolist()])
    detour = np.array([classes[c][1] for c in road_class.tolist()])
    minutes: FloatArray = np.maximum(np.round(km * detour / speed * 60.0, 1), 0.1)
    return minutes


def _geography(
    rng: np.random.Generator, villages: int, towns: int, layout: str = "hills"
) -> _Geography:
    """The county's layout: ``hills`` (the default: see :func:`_hills_geography`), ``valley``
    or ``plain``."""
    if layout == "valley":
        return _valley_geography(rng, villages, towns)
    if layout == "plain":
        return _plain_geography(rng, villages, towns)
    return _hills_geography(rng, villages, towns)


def _blind_villages(rng: np.random.Generator, weight: FloatArray) -> BoolArray:
    """UNREACHABLE_SHARE of the villages (one at least from 30 villages) that no road touches,
    drawn with the given weights (remote and uphill villages more often)."""
    villages = len(weight)
    unreachable = np.zeros(villages, bool)
    blind = max(1 if villages >= 30 else 0, round(villages * UNREACHABLE_SHARE))
    if blind:
        unreachable[rng.choice(villages, size=blind, replace=False, p=weight / weight.sum())] = True
    return unreachable


def _assemble(
    edges: list[tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.str_]]],
    classes: dict[str, tuple[float, float]],
    town_xy: FloatArray,
    village_xy: FloatArray,
    village_town: IntArray,
) -> _Geography:
    """The geography of these road edges (km and class): their minutes, and the shortest
    minutes from the seat and each town to each village."""
    towns, villages = len(town_xy), len(village_xy)
    a = np.concatenate([e[0] for e in edges])
    b = np.concatenate([e[1] for e in edges])
    minutes = np.concatenate([_road_minutes(e[2], e[3], classes) for e in edges])
    nodes = 1 + towns + villages
    graph = coo_array((minutes, (a, b)), shape=(nodes, nodes)).tocsr()
    dist = dijkstra(graph, directed=False, indices=np.arange(towns + 1))[:, towns + 1 :]
    roads = list(zip(a.tolist(), b.tolist(), minutes.tolist(), strict=True))
    return _Geography(towns, town_xy, village_xy, village_town, roads, np.asarray(dist, np.float64))


def _hills_geography(rng: np.random.Generator, villages: int, towns: int) -> _Geography:
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


def _county_radius(villages: int) -> float:
    """The hills' county radius in km: the area grows with the village count."""
    return max(MIN_RADIUS_KM, COUNTY_RADIUS_KM * math.sqrt(villages / REFERENCE_VILLAGES))


def _valley_geography(rng: np.random.Generator, villages: int, towns: int) -> _Geography:
    """Towns as stations along VALLEY_COUNT long valleys radiating from the seat; villages
    strung along the river between the stations (some up side valleys); roads that follow each
    valley, a few passes between neighbouring valleys, and VALLEY_CUT_TOWN_SHARE of the towns
    (valley heads) cut off: no road joins them or their villages to the rest of the county."""
    length = _county_radius(villages) * VALLEY_REACH
    count = min(towns, int(np.clip(round(towns / 4), *VALLEY_COUNT)))
    angle = rng.uniform(0, 2 * math.pi) + 2 * math.pi * np.arange(count) / count
    angle += rng.normal(0, 0.25, count)
    town_valley = np.arange(towns) % count
    station = np.arange(towns) // count  # 0 nearest the seat
    stations = np.bincount(town_valley, minlength=count)
    bend = rng.normal(0, VALLEY_MEANDER, count) * stations
    start = 2.0  # km: the first villages begin just outside the seat

    def along(valley: IntArray, s: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Points at ``s`` km up each valley, and the unit normal across the valley there."""
        a = angle[valley] + bend[valley] * s / length
        point = np.column_stack([s * np.cos(a), s * np.sin(a)])
        return point, np.column_stack([-np.sin(a), np.cos(a)])

    seg = (length - start) / stations[town_valley]  # km of valley each town's villages fill
    seg_lo = start + seg * station
    town_s = seg_lo + seg * rng.uniform(0.35, 0.65, towns)
    town_xy, _ = along(town_valley, town_s)

    village_town = rng.permutation(np.arange(villages) % towns)
    s = seg_lo[village_town] + seg[village_town] * rng.random(villages)
    side = rng.random(villages) < VALLEY_SIDE_SHARE
    across = np.where(
        side,
        rng.choice((-1.0, 1.0), villages) * rng.uniform(*VALLEY_SIDE_KM, villages),
        rng.normal(0, VALLEY_WIDTH_KM, villages),
    )
    order = np.lexsort((s, village_town))  # number villages town by town, nearest first
    village_town, s, side, across = village_town[order], s[order], side[order], across[order]
    village_valley = town_valley[village_town]
    axis, normal = along(village_valley, s)
    village_xy = axis + normal * across[:, None]
    unreachable = _blind_villages(rng, s * np.where(side, 3.0, 1.0))

    # nodes: 0 seat, 1..k towns, k+1.. villages; group: -1 seat, else the town
    xy = np.vstack([np.zeros((1, 2)), town_xy, village_xy])
    group = np.concatenate([[-1], np.arange(towns), village_town])
    pairs: list[tuple[int, int, str]] = []
    for j in range(count):
        own_towns = np.flatnonzero(town_valley == j)
        chain_villages = np.flatnonzero((village_valley == j) & ~side & ~unreachable)
        first = own_towns[np.argmin(station[own_towns])]
        pairs.append((0, int(first) + 1, "trunk"))
        by_station = own_towns[np.argsort(station[own_towns])]
        pairs += [(int(a) + 1, int(b) + 1, "valley") for a, b in itertools.pairwise(by_station)]
        # the riverside chain: the seat, the towns and the valley-floor villages by distance
        node = np.concatenate([[0], own_towns + 1, chain_villages + towns + 1])
        key = np.concatenate([[0.0], town_s[own_towns], s[chain_villages]])
        chain = node[np.argsort(key, kind="stable")]
        pairs += [
            (int(a), int(b), "village")
            for a, b in itertools.pairwise(chain)
            if a > towns or b > towns  # town to town is the valley road above
        ]
        # side-valley villages: a mountain road down to the nearest point of the chain
        ups = np.flatnonzero((village_valley == j) & side & ~unreachable)
        if len(ups):
            _, near = cKDTree(xy[chain]).query(village_xy[ups])
            down = zip(ups.tolist(), np.asarray(near).tolist(), strict=True)
            pairs += [(int(chain[n]), v + towns + 1, "mountain") for v, n in down]
    # passes between towns at the same station of neighbouring valleys
    if count > 2:
        for t in range(towns):
            nxt = np.flatnonzero(
                (town_valley == (town_valley[t] + 1) % count) & (station == station[t])
            )
            if len(nxt) and rng.random() < VALLEY_CROSS_LINKS:
                pairs.append((t + 1, int(nxt[0]) + 1, "mountain"))
    # valley heads cut off: every road joining their town group to another group is dropped
    heads = np.array([t for t in range(towns) if station[t] == stations[town_valley[t]] - 1])
    cut_count = min(len(heads), max(1, round(towns * VALLEY_CUT_TOWN_SHARE))) if towns >= 3 else 0
    cut = set(rng.choice(heads, size=cut_count, replace=False).tolist()) if cut_count else set()
    kept = [
        (a, b, c)
        for a, b, c in pairs
        if group[a] == group[b] or not ({int(group[a]), int(group[b])} & cut)
    ]
    va, vb, cls = (np.array(x) for x in zip(*kept, strict=True))
    va, vb = va.astype(np.int64), vb.astype(np.int64)
    km = np.hypot(*(xy[va] - xy[vb]).T)
    edges = [(va, vb, km, cls.astype(np.str_))]
    return _assemble(edges, VALLEY_ROAD_CLASSES, town_xy, village_xy, village_town)


def _plain_geography(rng: np.random.Generator, villages: int, towns: int) -> _Geography:
    """A compact flat county: towns on a sunflower, villages close around their town, every
    village on a grid of paved roads to its PLAIN_GRID_NEIGHBOURS nearest villages, fast roads
    between towns and to the seat, no village without a road."""
    radius = max(MIN_RADIUS_KM / 2, PLAIN_RADIUS_KM * math.sqrt(villages / REFERENCE_VILLAGES))
    i = np.arange(towns)
    r = np.maximum(radius * 0.85 * np.sqrt((i + 0.5) / towns) + rng.normal(0, 0.5, towns), 3.0)
    theta = i * math.pi * (3 - math.sqrt(5)) + rng.uniform(0, 2 * math.pi)
    town_xy = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    reach = radius / math.sqrt(towns)
    village_town = rng.permutation(np.arange(villages) % towns)
    d = reach * 0.95 * (0.1 + 0.9 * np.sqrt(rng.random(villages)))
    phi = rng.uniform(0, 2 * math.pi, villages)
    order = np.lexsort((d, village_town))
    village_town, d, phi = village_town[order], d[order], phi[order]
    village_xy = town_xy[village_town] + np.column_stack([d * np.cos(phi), d * np.sin(phi)])

    edges: list[tuple[IntArray, IntArray, FloatArray, npt.NDArray[np.str_]]] = []
    seat_km = np.hypot(town_xy[:, 0], town_xy[:, 1])
    fast = seat_km > 0.4 * radius
    edges.append(
        (np.zeros(towns, np.int64), i + 1, seat_km, np.where(fast, "expressway", "highway"))
    )
    if towns > 1:
        _, near = cKDTree(town_xy).query(town_xy, k=min(4, towns))
        pairs = {(min(a, b), max(a, b)) for a, row in enumerate(near.tolist()) for b in row[1:]}
        ta, tb = (np.array(x, np.int64) for x in zip(*sorted(pairs), strict=True))
        km = np.hypot(*(town_xy[ta] - town_xy[tb]).T)
        edges.append((ta + 1, tb + 1, km, np.full(len(ta), "county")))
    tree = cKDTree(village_xy)
    links = min(PLAIN_TOWN_LINKS, villages)
    _, near = tree.query(np.vstack([np.zeros((1, 2)), town_xy]), k=links)
    near = np.asarray(near).reshape(towns + 1, links)
    ends = np.repeat(np.arange(towns + 1), links)
    km = np.hypot(*(np.vstack([np.zeros((1, 2)), town_xy])[ends] - village_xy[near.ravel()]).T)
    edges.append((ends, near.ravel() + towns + 1, km, np.full(len(ends), "county")))
    if villages > 1:
        k = min(PLAIN_GRID_NEIGHBOURS + 1, villages)
        _, nearest = tree.query(village_xy, k=k)
        grid = {
            (min(a, int(b)), max(a, int(b)))
            for a, row in enumerate(np.asarray(nearest).tolist())
            for b in row[1:]
        }
        va, vb = (np.array(x, np.int64) for x in zip(*sorted(grid), strict=True))
        km = np.hypot(*(village_xy[va] - village_xy[vb]).T)
        edges.append((va + towns + 1, vb + towns + 1, km, np.full(len(va), "village")))
    return _assemble(edges, PLAIN_ROAD_CLASSES, town_xy, village_xy, village_town)
