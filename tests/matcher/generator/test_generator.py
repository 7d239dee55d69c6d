"""Tests of the county generator: determinism, validity, calibration and the bundled demo."""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path

import pytest

from matcher.generator import (
    DEMO_NAME,
    DEMO_NEEDS,
    DEMO_SEED,
    DEMO_VILLAGES,
    calibration_figures,
    demo_scenario,
    generate_scenario,
    ledger_duplication,
)
from matcher.prepare.eligibility import blocking_records
from matcher.prepare.network import travel_times
from matcher.scenario import Scenario

DEMO_FILE = Path(__file__).resolve().parents[3] / "scenarios" / "demo-county.json"


@cache
def _demo() -> Scenario:
    return Scenario.model_validate(demo_scenario())


@cache
def _county() -> Scenario:
    return Scenario.model_validate(generate_scenario(villages=300, needs=5000, seed=1))


def test_same_seed_gives_the_same_scenario() -> None:
    """Generation is a pure function of its arguments; another seed gives another county."""
    assert generate_scenario(20, 200, seed=5) == generate_scenario(20, 200, seed=5)
    assert generate_scenario(20, 200, seed=5) != generate_scenario(20, 200, seed=6)


@pytest.mark.parametrize(
    ("villages", "needs", "extra"),
    [
        (1, 0, {}),
        (5, 40, {}),
        (30, 600, {"region": "east"}),
        (60, 900, {"towns": 2, "policy": {"min_cadres_per_village": 1}}),
    ],
)
def test_generated_scenarios_validate_and_cross_reference(
    villages: int, needs: int, extra: dict[str, object]
) -> None:
    """Every size validates against the schema, survives a JSON round trip unchanged and only
    refers to ids that exist (towns, bases, paired villages, road ends, pool villages)."""
    data = generate_scenario(villages, needs, seed=3, **extra)  # type: ignore[arg-type]
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data
    s = Scenario.model_validate(data)
    assert (len(s.villages), len(s.needs)) == (villages, needs)
    assert data["policy"] == extra.get("policy", {})
    places = {p.id for p in s.places}
    village_ids = {v.id for v in s.villages}
    assert all(v.town in places for v in s.villages)
    assert all(c.base in places for c in s.cadres)
    assert all(o.base in places for o in s.organizations)
    assert all(set(o.towns or ()) <= places for o in s.organizations)
    assert all(set(c.paired_villages) <= village_ids for c in s.cadres)
    assert all({r.from_, r.to} <= places | village_ids for r in s.roads or ())
    assert all(set(p.villages or ()) <= village_ids for p in s.pools)
    assert all(n.village in village_ids for n in s.needs)
    assert all(r.village in village_ids for r in s.aid_records)


def test_ids_are_unique_across_places_villages_cadres_and_organisations() -> None:
    """DESIGN §3: a cadre, an organisation, a place and a village never share an id, and every
    list's ids are unique."""
    s = _county()
    shared = [
        *(p.id for p in s.places),
        *(v.id for v in s.villages),
        *(c.id for c in s.cadres),
        *(o.id for o in s.organizations),
    ]
    assert len(shared) == len(set(shared))
    for items in (s.pools, s.needs, s.aid_records):
        assert len({x.id for x in items}) == len(items)
    assert re.fullmatch(r"S0", s.places[0].id) and s.places[0].kind == "county_seat"
    assert all(re.fullmatch(r"T\d{2,}", p.id) for p in s.places[1:])
    assert all(re.fullmatch(r"V\d{3,}", v.id) for v in s.villages)
    assert re.fullmatch(r"C\d{4}", s.cadres[0].id) and re.fullmatch(r"N\d{5}", s.needs[0].id)


def test_household_ids_are_pseudonymous() -> None:
    """Households are named like H-V001-0042: the village and a number, never a long digit run."""
    s = _demo()
    households = [n.household for n in s.needs] + [r.household for r in s.aid_records]
    named = [h for h in households if h is not None]
    assert named and all(re.fullmatch(r"H-V\d{3,}-\d{4}", h) for h in named)
    assert all(n.household is None for n in s.needs if n.category == "infrastructure")


def test_providers_match_the_reported_mix() -> None:
    """About 1.8 cadres per village and 12% of helpers from society (DESIGN §1)."""
    for s in (_demo(), _county()):
        figures = calibration_figures(s)
        assert figures["cadres_per_village"] == pytest.approx(1.8, abs=0.05)
        assert 0.10 <= figures["social_share"] <= 0.14


def test_existing_pairings_respect_the_pairing_rules() -> None:
    """Existing pairings are within the cadre's travel limit and max_villages; an unavailable
    cadre has none; about 5% of cadres are unavailable."""
    s = _county()
    times = travel_times(s)
    for cadre in s.cadres:
        assert len(cadre.paired_villages) <= cadre.max_villages
        assert cadre.available or not cadre.paired_villages
        for village in cadre.paired_villages:
            assert times.lookup(cadre.base, village) <= cadre.max_travel_minutes
    unavailable = sum(not c.available for c in s.cadres) / len(s.cadres)
    assert 0.02 <= unavailable <= 0.09
    assert 1.4 <= calibration_figures(s)["existing_pairings_per_village"] <= 2.2


def test_providers_fall_short_of_the_need_hours() -> None:
    """Deliverable hours (after pairing visits) are 70-90% of need hours plus travel, so blind
    spots exist; need hours stay within 1-8 h."""
    for s in (_demo(), _county()):
        assert 0.7 <= calibration_figures(s)["capacity_ratio"] <= 0.9
        assert all(1 <= n.hours <= 8 for n in s.needs)


def test_pool_money_is_scarce_but_not_absurdly_so() -> None:
    """Pools hold 60-80% of the cost of all needs; P-west admits only central/west villages."""
    for s in (_demo(), _county()):
        assert 0.6 <= calibration_figures(s)["money_ratio"] <= 0.8
        west = next(p for p in s.pools if p.id == "P-west")
        assert west.regions == ("central", "west")
    assert {"P-agri", "P-edu", "P-civil", "P-health", "P-hr", "P-culture", "P-charity"} <= {
        p.id for p in _demo().pools
    }


def test_child_care_follows_left_behind_children() -> None:
    """Villages with many left-behind children per household ask for child care at least twice
    as often as villages with few."""
    for s in (_demo(), _county()):
        figures = calibration_figures(s)
        assert figures["child_care_share_high_lbc"] >= 2 * figures["child_care_share_low_lbc"]


def test_demo_has_exactly_one_unreachable_village() -> None:
    """The demo has one village that no road touches, and the network finds it unreachable;
    about 1 in 100 villages is unreachable in larger counties."""
    s = _demo()
    touched = {r.from_ for r in s.roads or ()} | {r.to for r in s.roads or ()}
    blind = [v.id for v in s.villages if v.id not in touched]
    assert len(blind) == 1
    reachable = travel_times(s).village_reachable
    assert [v.id for v, ok in zip(s.villages, reachable, strict=True) if not ok] == blind
    assert calibration_figures(_county())["unreachable_villages"] == 3


def test_recent_aid_holds_back_a_few_needs() -> None:
    """H8 holds back 3-8% of the needs: ledger records of the same household and category in
    the 30 days before the horizon."""
    for s in (_demo(), _county()):
        blocked = blocking_records(s)
        assert 0.03 <= len(blocked) / len(s.needs) <= 0.08


def test_ledgers_carry_duplicate_aid() -> None:
    """About 30% of ledger money pays a household a second or third time for the same category
    within 30 days, by another provider (DESIGN §1); ledgers cover the 90 days before the
    horizon and needs are submitted inside it."""
    for s in (_demo(), _county()):
        wasted, total = ledger_duplication(s)
        assert total > 0 and 0.2 <= wasted / total <= 0.4
        start = s.horizon.start
        assert all(start - dt.timedelta(days=90) <= r.date < start for r in s.aid_records)
        assert all(n.submitted and start <= n.submitted < s.horizon.end for n in s.needs)
    assert 0.25 <= calibration_figures(_county())["ledger_duplication_share"] <= 0.35


def test_bad_arguments_are_refused() -> None:
    """Sizes below one village, negative needs, too many towns or an unknown region raise."""
    with pytest.raises(ValueError):
        generate_scenario(villages=0)
    with pytest.raises(ValueError):
        generate_scenario(needs=-1)
    with pytest.raises(ValueError):
        generate_scenario(villages=3, towns=4)
    with pytest.raises(ValueError):
        generate_scenario(region="north")


def test_bundled_demo_equals_the_generator_output() -> None:
    """scenarios/demo-county.json is exactly demo_scenario(), so it can be regenerated."""
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    assert data == demo_scenario()
    assert data == generate_scenario(DEMO_VILLAGES, DEMO_NEEDS, DEMO_SEED, DEMO_NAME)
    assert data["name"] == DEMO_NAME
    assert DEMO_FILE.stat().st_size < 400_000
