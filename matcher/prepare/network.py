"""Travel times from provider bases to villages (DESIGN §3), and between villages (§9).

With roads: the road graph is built and checked with networkx, and shortest paths in minutes
are computed with ``scipy.sparse.csgraph.dijkstra`` from the distinct bases only (a county has
a few dozen bases and thousands of nodes, so this is the cheap direction). Without roads: the
haversine great-circle rule, exactly as DESIGN §3 writes it. Unreachable pairs are ``inf``,
never an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy.sparse import coo_array, csr_array
from scipy.sparse.csgraph import dijkstra

from matcher.scenario import Cadre, Organization, Scenario

EARTH_RADIUS_KM = 6371.0088

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class TravelTimes:
    """One-way minutes from each distinct base to each village (``inf`` if unreachable)."""

    base_ids: tuple[str, ...]
    village_ids: tuple[str, ...]
    minutes: FloatArray  # shape (bases, villages)
    village_reachable: npt.NDArray[np.bool_]  # some place (town or county seat) reaches it
    by_roads: bool

    def lookup(self, base: str, village: str) -> float:
        """Minutes from a base to a village, ``inf`` when unreachable."""
        return float(self.minutes[self.base_ids.index(base), self.village_ids.index(village)])


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km on a sphere of radius 6371.0088 km."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, a)))


def road_graph(scenario: Scenario) -> nx.Graph:
    """The undirected road graph; parallel roads keep their shortest minutes."""
    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(p.id for p in scenario.places)
    graph.add_nodes_from(v.id for v in scenario.villages)
    for road in scenario.roads or ():
        if road.from_ == road.to:
            continue
        current = graph.get_edge_data(road.from_, road.to)
        if current is None or road.minutes < current["minutes"]:
            graph.add_edge(road.from_, road.to, minutes=road.minutes)
    return graph


def road_matrix(scenario: Scenario) -> tuple[dict[str, int], csr_array]:
    """The road graph as a sparse matrix of minutes, with each node's row."""
    graph = road_graph(scenario)
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = list(graph.edges(data="minutes"))
    rows = np.array([index[u] for u, _, _ in edges], dtype=np.int64)
    cols = np.array([index[v] for _, v, _ in edges], dtype=np.int64)
    # A zero-minute road must stay an edge of the sparse matrix: give it a negligible weight.
    weights = np.array([max(float(m), 1e-12) for _, _, m in edges])
    matrix = coo_array((weights, (rows, cols)), shape=(len(nodes), len(nodes))).tocsr()
    return index, matrix


def _coordinates(scenario: Scenario) -> dict[str, tuple[float, float]]:
    coords = {p.id: (p.lon, p.lat) for p in scenario.places}
    coords.update({v.id: (v.lon, v.lat) for v in scenario.villages})
    return coords


def provider_bases(scenario: Scenario) -> tuple[str, ...]:
    """The distinct bases of cadres and organisations, in first-seen order."""
    seen: dict[str, None] = {}
    providers: tuple[Cadre | Organization, ...] = (*scenario.cadres, *scenario.organizations)
    for provider in providers:
        seen.setdefault(provider.base, None)
    return tuple(seen)


def travel_times(scenario: Scenario) -> TravelTimes:
    """Base-to-village travel minutes by the rule DESIGN §3 gives for this scenario."""
    bases = provider_bases(scenario)
    village_ids = tuple(v.id for v in scenario.villages)
    if scenario.roads is None:
        return _haversine_times(scenario, bases, village_ids)
    return _road_times(scenario, bases, village_ids)


def _haversine_times(
    scenario: Scenario, bases: tuple[str, ...], village_ids: tuple[str, ...]
) -> TravelTimes:
    coords = _coordinates(scenario)
    factor = scenario.policy.detour_factor / scenario.policy.speed_kmh * 60.0
    minutes = np.empty((len(bases), len(village_ids)))
    for i, base in enumerate(bases):
        lon1, lat1 = coords[base]
        for j, village in enumerate(scenario.villages):
            minutes[i, j] = haversine_km(lon1, lat1, village.lon, village.lat) * factor
    return TravelTimes(bases, village_ids, minutes, np.ones(len(village_ids), np.bool_), False)


def _road_times(
    scenario: Scenario, bases: tuple[str, ...], village_ids: tuple[str, ...]
) -> TravelTimes:
    index, matrix = road_matrix(scenario)
    sources = np.array([index[b] for b in bases], dtype=np.int64)
    columns = np.array([index[v] for v in village_ids], dtype=np.int64)
    if len(sources):
        dist = dijkstra(matrix, directed=False, indices=sources)
        minutes = np.asarray(dist[:, columns], dtype=np.float64)
    else:
        minutes = np.empty((0, len(village_ids)))
    minutes[minutes < 1e-9] = 0.0
    places = [index[p.id] for p in scenario.places]
    if places:
        from_places = dijkstra(matrix, directed=False, indices=np.array(places, dtype=np.int64))
        reachable = np.isfinite(from_places[:, columns]).any(axis=0)
    else:
        reachable = np.zeros(len(village_ids), np.bool_)
    return TravelTimes(bases, village_ids, minutes, reachable, True)


def village_minutes(scenario: Scenario) -> FloatArray:
    """One-way minutes between every two villages (``inf`` if unreachable), by the same rule
    as :func:`travel_times`: what a route's legs between stops take (DESIGN §9)."""
    villages = scenario.villages
    if scenario.roads is None:
        lon = np.radians(np.array([v.lon for v in villages], dtype=np.float64))
        lat = np.radians(np.array([v.lat for v in villages], dtype=np.float64))
        dlat = lat[None, :] - lat[:, None]
        dlon = lon[None, :] - lon[:, None]
        a = (
            np.sin(dlat / 2) ** 2
            + np.cos(lat[:, None]) * np.cos(lat[None, :]) * np.sin(dlon / 2) ** 2
        )
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))
        factor = scenario.policy.detour_factor / scenario.policy.speed_kmh * 60.0
        return np.asarray(km * factor, dtype=np.float64)
    index, matrix = road_matrix(scenario)
    columns = np.array([index[v.id] for v in villages], dtype=np.int64)
    if not len(columns):
        return np.empty((0, 0))
    dist = dijkstra(matrix, directed=False, indices=columns)
    minutes = np.asarray(dist[:, columns], dtype=np.float64)
    minutes[minutes < 1e-9] = 0.0
    return minutes
