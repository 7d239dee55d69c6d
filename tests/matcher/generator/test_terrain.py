"""Tests of the county shapes (``generate_scenario(terrain=...)``, ``--terrain``): each shape
is a valid, repeatable county whose measured figures differ from the hills' the way its
description says (scenarios/README.md, "County shapes")."""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest
from scipy.sparse.csgraph import dijkstra

from matcher.generator import generate_scenario
from matcher.generator.arrivals import generate_arrivals
from matcher.generator.calibration import TERRAINS
from matcher.generator.figures import calibration_figures, terrain_figures
from matcher.generator.terrain import SHAPES
from matcher.intake.loading import parse_scenario
from matcher.prepare.network import road_matrix
from matcher.scenario import Scenario

VILLAGES, NEEDS, SEED = 120, 1500, 4


@cache
def _data(terrain: str) -> dict[str, object]:
    return generate_scenario(VILLAGES, NEEDS, seed=SEED, terrain=terrain)


@cache
def _county(terrain: str) -> Scenario:
    return parse_scenario(_data(terrain)).scenario


@cache
def _figures(terrain: str) -> dict[str, float]:
    return {**terrain_figures(_county(terrain)), **calibration_figures(_county(terrain))}


def _from_seat(s: Scenario) -> dict[str, float]:
    """Shortest road minutes from the county seat to every town and village."""
    index, matrix = road_matrix(s)
    dist = dijkstra(matrix, directed=False, indices=index["S0"])
    return {node: float(dist[i]) for node, i in index.items()}


@pytest.mark.parametrize("terrain", TERRAINS)
def test_each_terrain_is_a_valid_repeatable_county(terrain: str) -> None:
    """Every shape parses without problems, has the asked sizes, and a seed gives one county."""
    s = _county(terrain)
    assert (len(s.villages), len(s.needs)) == (VILLAGES, NEEDS)
    assert generate_scenario(20, 150, seed=2, terrain=terrain) == generate_scenario(
        20, 150, seed=2, terrain=terrain
    )
    assert all(1 <= n.hours <= 8 for n in s.needs)
    assert all(c.skills for c in s.cadres)


@pytest.mark.parametrize("villages", [1, 2, 5, 30])
@pytest.mark.parametrize("terrain", TERRAINS)
def test_small_counties_of_every_terrain_parse(terrain: str, villages: int) -> None:
    """Tiny counties (one village, one or two towns) still give a valid scenario."""
    parse_scenario(generate_scenario(villages, 10 * villages, seed=1, terrain=terrain))


def test_hills_is_the_default_and_an_unknown_terrain_is_refused() -> None:
    """``terrain="hills"`` draws exactly what the generator draws without it (the bundled
    demo's test checks the file itself); an unknown shape raises."""
    assert generate_scenario(40, 300, seed=9, terrain="hills") == generate_scenario(40, 300, seed=9)
    with pytest.raises(ValueError, match="terrain"):
        generate_scenario(terrain="desert")
    assert tuple(SHAPES) == TERRAINS


def test_arrivals_take_the_terrain() -> None:
    """A month of arrivals (``--arrivals --terrain``) is drawn on the county of that shape."""
    month = generate_arrivals(20, 100, seed=1, terrain="valley")
    county = generate_scenario(20, 100, seed=1, terrain="valley", schedule=True)
    assert month["county"]["roads"] == county["roads"]
    assert month["county"]["roads"] != generate_arrivals(20, 100, seed=1)["county"]["roads"]


def test_valley_is_far_and_plain_is_near() -> None:
    """Villages are much further from the seat in the valley county, nearer on the plain."""
    medians = {}
    for terrain in ("hills", "valley", "plain"):
        s = _county(terrain)
        minutes = _from_seat(s)
        medians[terrain] = float(np.median([minutes[v.id] for v in s.villages]))
    assert medians["valley"] > 1.3 * medians["hills"]
    assert medians["plain"] < 0.7 * medians["hills"]
    assert _figures("plain")["p90_minutes"] < _figures("hills")["median_minutes"]
    assert _figures("plain")["reachable_need_share"] >= _figures("hills")["reachable_need_share"]
    assert _figures("valley")["reachable_need_share"] < _figures("hills")["reachable_need_share"]


def test_valley_has_towns_no_road_reaches() -> None:
    """At least one town (and its villages) is joined to the seat by no road, yet its own
    villages have roads to it: only providers based there can serve them."""
    s = _county("valley")
    minutes = _from_seat(s)
    cut = {p.id for p in s.places if p.kind == "town" and np.isinf(minutes[p.id])}
    assert cut
    touched = {r.from_ for r in s.roads or ()} | {r.to for r in s.roads or ()}
    cut_villages = [v for v in s.villages if v.town in cut and v.id in touched]
    assert cut_villages and all(np.isinf(minutes[v.id]) for v in cut_villages)
    plain = _county("plain")
    assert not any(np.isinf(_from_seat(plain)[p.id]) for p in plain.places)


def test_valley_hours_bind_harder_and_skills_and_pools_are_narrow() -> None:
    """Need hours outrun provider hours more than in the hills; some towns' providers lack
    whole skill families; the department pools admit only some villages."""
    assert _figures("valley")["hours_ratio"] > 1.15 * _figures("hills")["hours_ratio"]
    assert _figures("valley")["capacity_ratio"] < 0.7
    s = _county("valley")
    by_base: dict[str, set[str]] = {}
    for c in s.cadres:
        by_base.setdefault(c.base, set()).update(c.skills)
    assert any("medical" not in skills or "education" not in skills for skills in by_base.values())
    pools = {p.id: p for p in s.pools}
    assert pools["P-agri"].villages and len(pools["P-agri"].villages) < VILLAGES
    assert pools["P-west"].categories is not None


def test_money_binds_rather_than_hours() -> None:
    """The money county has the hills' geography, pools under half of what needs cost and
    hours to spare."""
    money, hills = _figures("money"), _figures("hills")
    assert money["money_ratio"] < 0.5 and money["money_ratio"] < hills["money_ratio"]
    assert money["capacity_ratio"] > 1.0 > hills["capacity_ratio"]
    assert _data("money")["roads"] == _data("hills")["roads"]
    assert sum(n.cost > 0 for n in _county("money").needs) > sum(
        n.cost > 0 for n in _county("hills").needs
    )
