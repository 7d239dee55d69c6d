"""Blind-spot fixes: sized exactly, priced by the LP, and confirmed (or refuted) by a
re-solve with the change applied."""

from __future__ import annotations

import math
from typing import Any

import pytest

from matcher.advice.confirm import change_of, confirm_fix
from matcher.advice.whatif import Change, apply_changes
from matcher.problem.index import ScenarioIndex
from matcher.run import FixOptions, RunResult, resolver, solve_scenario
from matcher.scenario import Scenario
from solvers.pricing import resource_prices


def solved(raw: dict[str, Any], confirm: int = 0) -> RunResult:
    return solve_scenario(
        Scenario.model_validate(raw),
        solver="auto",
        time_limit=10,
        fixes=FixOptions(rank=True, confirm=confirm, confirm_seconds=10),
    )


def group(run: RunResult, town: str, category: str) -> dict[str, Any]:
    groups = run.plan.reports["blind_spots"]["unmet_groups"]
    found = [g for g in groups if g["town"] == town and g["category"] == category]
    assert found, (
        f"no unmet group {town}/{category}: {[(g['town'], g['category']) for g in groups]}"
    )
    return found[0]


def test_a_missing_skill_gets_a_team_sized_to_the_need_and_it_serves_it(
    tiny_raw: dict[str, Any],
) -> None:
    """N5 (medical, V3) has no available provider: the top fix is a medical team at the base
    nearest V3 with exactly N5's hours plus the round trip, and the re-solve serves N5."""
    run = solved(tiny_raw, confirm=5)
    medical = group(run, "T2", "medical")
    top = medical["fixes"][0]
    assert top["kind"] == "extra_hours" and top["need_ids"] == ["N5"]
    team = top["changes"][0]
    assert team["skills"] == {"medical": 2} and team["town"] == "T2"
    index = run.index
    minutes = index.times.minutes[list(index.times.base_ids).index(team["target"])][
        list(index.times.village_ids).index("V3")
    ]
    assert team["amount"] == math.ceil(2 * (2 + 2 * minutes / 60)) / 2
    assert team["max_travel_minutes"] == math.ceil(minutes)
    confirmed = top["confirmed"]
    assert confirmed["kept"] and confirmed["needs_served_after"] == 1
    assert confirmed["value_added"] > 0


def test_a_team_an_hour_short_breaks_its_promise(tiny_raw: dict[str, Any]) -> None:
    run = solved(tiny_raw)
    medical = group(run, "T2", "medical")
    fix = medical["fixes"][0]
    short = dict(fix, changes=[dict(fix["changes"][0], amount=fix["changes"][0]["amount"] - 1)])
    broken = confirm_fix(
        run.index, run.plan, run.evaluation, medical, short, 10, resolver("auto"), "auto"
    )
    assert not broken["kept"] and broken["needs_served_after"] == 0
    kept = confirm_fix(
        run.index, run.plan, run.evaluation, medical, fix, 10, resolver("auto"), "auto"
    )
    assert kept["kept"]


def test_a_provider_with_hours_just_out_of_reach_gets_a_longer_travel_limit(
    tiny_raw: dict[str, Any],
) -> None:
    """Make C4 (medical, idle) available but limited to 5 minutes: a longer limit for C4 is a
    fix for N5, sized to C4's minutes to V3."""
    c4 = next(c for c in tiny_raw["cadres"] if c["id"] == "C4")
    c4.update(available=True, max_travel_minutes=5, max_villages=0)
    run = solved(tiny_raw)
    fixes = group(run, "T2", "medical")["fixes"]
    travel = [f for f in fixes if f["kind"] == "longer_travel"]
    assert travel, fixes
    minutes = run.index.minutes(run.index.cadres["C4"], "V3")
    assert travel[0]["changes"][0] == {
        "kind": "longer_travel",
        "target": "C4",
        "amount": float(math.ceil(minutes)),
        "unit": "minutes",
    }
    assert travel[0]["served_by"] == ["C4"]
    assert confirm_fix(
        run.index,
        run.plan,
        run.evaluation,
        group(run, "T2", "medical"),
        travel[0],
        10,
        resolver("auto"),
        "auto",
    )["kept"]


def test_every_fixable_group_gets_a_fix_and_held_back_needs_none(
    tiny_raw: dict[str, Any],
) -> None:
    run = solved(tiny_raw)
    report = run.plan.reports["blind_spots"]
    assert report["fix_pricing"]["lp_converged"]
    for g in report["unmet_groups"]:
        fixable = set(g["reasons"]) - {"already_aided"}
        assert bool(g["fixes"]) == bool(fixable), g


def test_lp_prices_bound_the_change_of_the_lp_optimum(tiny_raw: dict[str, Any]) -> None:
    """A dual price is a supergradient of the LP optimum: changing a provider's hours by Δ
    changes the optimum by at most price × Δ, for Δ up and down."""
    scenario = Scenario.model_validate(tiny_raw)
    base = resource_prices(ScenarioIndex.build(scenario).problem)
    assert base.converged
    problem = ScenarioIndex.build(scenario).problem
    checked = 0
    for p, provider in enumerate(problem.provider_ids):
        price = float(base.hours[p])
        for delta in (1.0, -1.0):
            hours = problem.provider_capacity[p]
            if hours + delta < 0 or not problem.provider_available[p]:
                continue
            changed = apply_changes(scenario, [Change("provider_hours", provider, 0.0)])
            data = changed.model_dump(mode="json", by_alias=True)
            for item in [*data["cadres"], *data["organizations"]]:
                if item["id"] == provider:
                    item["hours"] = hours + delta
            moved = resource_prices(ScenarioIndex.build(Scenario.model_validate(data)).problem)
            assert moved.bound <= base.bound + price * delta + 1e-6, (provider, delta, price)
            checked += 1
    assert checked >= 6


def test_a_village_short_of_pairings_names_the_cadre_base_and_hours(
    tiny_raw: dict[str, Any],
) -> None:
    tiny_raw["policy"] = {**tiny_raw.get("policy", {}), "min_cadres_per_village": 2}
    run = solved(tiny_raw)
    short = run.plan.reports["blind_spots"]["short_villages"]
    assert short
    for village in short:
        if village["why"] == "unreachable":
            continue
        for fix in village["fixes"]:
            cadre = run.index.cadres[fix["cadre"]]
            assert fix["base"] == cadre.base and fix["hours"] > 0
            assert fix["cadre"] not in village["paired_cadres"]
            assert fix["description"].startswith(f"pair {cadre.id} (base {cadre.base}")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (Change("provider_hours", "C99", 1.0), "no provider 'C99'"),
        (Change("village_cap", "V99", 1.0), "no village 'V99'"),
        (Change("extra_funding", "P-none", 1.0), "no pool 'P-none'"),
        (Change("extra_hours", "T9", 1.0, skills={"medical": 1}), "no base 'T9'"),
        (Change("provider_hours", "C1", -1.0), "amount must be 0 or more"),
    ],
)
def test_a_change_naming_nothing_is_refused(
    tiny_raw: dict[str, Any], change: Change, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        apply_changes(Scenario.model_validate(tiny_raw), [change])


def test_changes_round_trip_through_their_json_form() -> None:
    change = Change(
        "extra_funding",
        "P-west",
        900.0,
        categories=("medical",),
        villages=("V3",),
        max_per_need=500,
    )
    assert change_of(change.to_dict()) == change


def test_needs_no_road_reaches_get_a_road_note_and_no_team(tiny_raw: dict[str, Any]) -> None:
    tiny_raw["roads"] = [r for r in tiny_raw["roads"] if "V3" not in (r["from"], r["to"])]
    run = solved(tiny_raw, confirm=5)
    assert not run.index.village_reachable["V3"]
    medical = group(run, "T2", "medical")
    assert [f["kind"] for f in medical["fixes"]] == ["road"]
    road = medical["fixes"][0]
    assert road["need_ids"] == ["N5"] and "V3" in road["description"]
    assert road["changes"] == [] and road["confirmed"] is None


def test_sizing_fixes_ends_at_its_deadline_largest_groups_first(tiny_raw: dict[str, Any]) -> None:
    """Without a deadline every group is sized; with one already past, none is, and the
    report says how many were (fix_pricing.groups_sized) instead of running past the limit."""
    import time

    from matcher.advice.confirm import _prices
    from matcher.advice.fixes import all_group_fixes

    run = solved(tiny_raw)
    groups = run.plan.reports["blind_spots"]["unmet_groups"]
    prices = _prices(run.index, run.result.solution, 5.0, None)
    ranked, sized = all_group_fixes(run.index, run.evaluation, prices, groups)
    assert sized == len(groups) and any(ranked)
    late, none = all_group_fixes(run.index, run.evaluation, prices, groups, time.monotonic() - 1)
    assert none == 0 and not any(late)
