"""The compiled problem: the arrays solvers see, checked on the contract county."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.problem.compile import compile_problem
from matcher.scenario import Scenario


def test_arcs_are_exactly_the_eligible_need_provider_pairs(tiny: Scenario) -> None:
    """H2 (skill and level), H3 (travel, towns) and availability decide the arcs, nearest
    first: N2 (child care in V2) by O1 at 7 min then C2 at 25; N5 (medical 2) by nobody, as C4
    is unavailable; N7 (agri_tech in V2) by C1 only."""
    p = compile_problem(tiny)

    def arcs(need: str) -> list[tuple[str, float]]:
        n = p.need_ids.index(need)
        return [(p.provider_ids[p.arc_provider[a]], float(p.arc_minutes[a])) for a in p.arcs_of(n)]

    assert arcs("N2") == [("O1", 7.0), ("C2", 25.0)]
    assert arcs("N5") == []
    assert arcs("N7") == [("C1", 40.0)]


def test_arc_hours_and_values_follow_the_round_trip_rule(tiny: Scenario) -> None:
    """N4 by C3 at 40 min: 3 h + 2 x 40/60 h of travel; value 3120 less 10 per travel hour."""
    p = compile_problem(tiny)
    a = next(iter(p.arcs_of(p.need_ids.index("N4"))))
    assert p.arc_hours[a] == pytest.approx(3 + 80 / 60)
    assert p.arc_value[a] == pytest.approx(3120 - 10 * 80 / 60)


def test_held_back_needs_keep_their_arcs_but_are_flagged(tiny: Scenario) -> None:
    """N6 is held back by recent aid (H8): flagged, and its arcs stay for the siloed solver."""
    p = compile_problem(tiny)
    n6 = p.need_ids.index("N6")
    assert bool(p.need_blocked[n6]) and p.need_blocked.sum() == 1
    assert len(p.arcs_of(n6)) == 1
    assert p.village_servable_value[p.village_ids.index("V1")] == pytest.approx(400)


def test_pairings_pools_and_caps(tiny: Scenario) -> None:
    """Pairing arcs only for available cadres within their limits; existing pairings marked;
    each need's admitting pools; per-need pool limits and village caps."""
    p = compile_problem(tiny)
    pairs = {
        (p.provider_ids[c], p.village_ids[v]): bool(e)
        for c, v, e in zip(p.pair_cadre, p.pair_village, p.pair_existing, strict=True)
    }
    assert pairs == {
        ("C1", "V1"): True,
        ("C1", "V2"): False,
        ("C2", "V1"): False,
        ("C2", "V2"): False,
        ("C3", "V1"): False,
        ("C3", "V2"): False,
        ("C3", "V3"): True,
    }
    assert p.existing_pairings == 2
    pools = {p.need_ids[n]: [p.pool_ids[q] for q in p.pools_of(n)] for n in range(p.n_needs)}
    assert pools["N1"] == ["P-agri"] and pools["N7"] == ["P-agri", "P-west"]
    assert pools["N6"] == []
    assert list(p.pool_limit) == [4000, 6000]
    assert list(p.village_cap) == [200000, 5000, 200000]
    assert np.array_equal(p.provider_max_villages, [2, 1, 2, 0, 0])
