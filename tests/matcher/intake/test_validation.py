"""Validation of scenarios: every problem at once, with its path and id; one test per check."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from matcher.intake.issues import Issue, ScenarioInvalid
from matcher.intake.loading import load_scenario, parse_scenario
from matcher.intake.validation import (
    check_aid_record_villages,
    check_bases,
    check_duplicate_ids,
    check_finite_numbers,
    check_need_villages,
    check_organization_towns,
    check_paired_villages,
    check_pinned_can_serve,
    check_pinned_providers,
    check_pool_villages,
    check_road_ends,
    check_road_loops,
    check_schema_version,
    check_shared_ids,
    check_unknown_fields,
    check_village_towns,
    validate_references,
    validate_service,
)
from matcher.scenario import CATEGORIES, Scenario
from tests.conftest import DATA, contract_dict

BROKEN = DATA / "broken"
BROKEN_FILES = sorted(
    p for p in BROKEN.iterdir() if p.suffix in (".json", ".yaml") and ".expected" not in p.name
)

Key = tuple[str, str | None, str]


def _problems_of(path: Path) -> list[Issue]:
    try:
        return list(load_scenario(path).warnings)
    except ScenarioInvalid as invalid:
        return list(invalid.problems)


def _keys(problems: list[Issue]) -> set[Key]:
    return {(p.path, p.id, p.severity) for p in problems}


def _raw_problems(raw: dict[str, Any]) -> list[Issue]:
    """Every problem parse_scenario reports for raw data (empty when it loads cleanly)."""
    try:
        return list(parse_scenario(raw).warnings)
    except ScenarioInvalid as invalid:
        return list(invalid.problems)


# ----------------------------------------------------------------------------- broken files


@pytest.mark.parametrize("path", BROKEN_FILES, ids=[p.name for p in BROKEN_FILES])
def test_broken_file_reports_exactly_the_expected_problems(path: Path) -> None:
    """Each deliberately broken file fails to load and reports exactly its expected
    (path, id, severity) set."""
    expected = json.loads((BROKEN / f"{path.stem}.expected.json").read_text())
    with pytest.raises(ScenarioInvalid) as raised:
        load_scenario(path)
    assert _keys(list(raised.value.problems)) == {
        (e["path"], e["id"], e["severity"]) for e in expected
    }


@pytest.mark.parametrize("path", BROKEN_FILES, ids=[p.name for p in BROKEN_FILES])
def test_broken_file_messages_are_plain_words(path: Path) -> None:
    """Messages are for a county planner: no pydantic jargon, no traceback, one line each."""
    for problem in _problems_of(path):
        assert problem.message
        assert "Input should" not in problem.message
        assert "Traceback" not in problem.message
        assert "\n" not in problem.message
        assert problem.path.startswith("$")


def test_every_broken_file_has_an_expected_list_and_there_are_enough() -> None:
    """At least eight broken files, each with its NAME.expected.json, and no orphan lists."""
    stems = {p.stem for p in BROKEN_FILES}
    lists = {p.name.removesuffix(".expected.json") for p in BROKEN.glob("*.expected.json")}
    assert stems == lists
    assert len(BROKEN_FILES) >= 8


def test_many_problems_file_mixes_type_errors_and_dangling_references() -> None:
    """One pass reports pydantic's type errors and the cross-reference errors together."""
    messages = [p.message for p in _problems_of(BROKEN / "many-problems.json")]
    assert any("must be a number" in m for m in messages)
    assert any("is not a place or village" in m for m in messages)
    assert any("is used twice" in m for m in messages)
    assert len(messages) >= 5


@pytest.mark.parametrize(
    ("name", "number"),
    [("phone-household.json", "13812345678"), ("id-card-household.json", "11010519491231002X")],
)
def test_personal_numbers_are_refused_and_never_repeated(name: str, number: str) -> None:
    """A household id holding a phone or ID-card number is an error whose message, being sent
    on to logs and browsers, does not repeat the number."""
    problems = _problems_of(BROKEN / name)
    assert problems and all(p.path.endswith(".household") for p in problems)
    assert all(number not in str(p) and "pseudonymous" in p.message for p in problems)


# ----------------------------------------------------------------------------- whole scenario


def test_contract_county_loads_with_no_problems(tiny_raw: dict[str, Any]) -> None:
    """The valid contract county has no error and no warning, by either family of checks."""
    loaded = parse_scenario(tiny_raw)
    assert loaded.warnings == ()
    assert validate_references(tiny_raw) == []
    assert validate_service(loaded.scenario) == []


def test_unknown_top_level_field_warns_but_loads(tiny_raw: dict[str, Any]) -> None:
    """An unknown top-level field is a warning: the scenario loads and the field is ignored."""
    tiny_raw["exported_by"] = "county platform"
    loaded = parse_scenario(tiny_raw)
    assert [(w.path, w.severity) for w in loaded.warnings] == [("$.exported_by", "warning")]
    assert "exported_by" not in loaded.scenario.model_dump()


def test_errors_come_with_warnings_in_one_list(tiny_raw: dict[str, Any]) -> None:
    """A failing scenario carries its warnings too, so nothing has to be run twice."""
    tiny_raw["exported_by"] = "county platform"
    tiny_raw["cadres"][0]["base"] = "T99"
    with pytest.raises(ScenarioInvalid) as raised:
        parse_scenario(tiny_raw)
    assert {p.severity for p in raised.value.problems} == {"error", "warning"}
    assert [p.path for p in raised.value.errors] == ["$.cadres[0].base"]


def test_service_checks_run_alongside_reference_errors(tiny_raw: dict[str, Any]) -> None:
    """When the schema holds, a dangling reference and a pinned provider that cannot serve are
    both reported."""
    tiny_raw["villages"][0]["town"] = "T9"
    tiny_raw["needs"][0]["pinned_provider"] = "C4"  # unavailable
    paths = {p.path for p in _raw_problems(tiny_raw)}
    assert paths == {"$.villages[0].town", "$.needs[0].pinned_provider"}


def test_list_of_wrong_type_does_not_cascade(tiny_raw: dict[str, Any]) -> None:
    """When a list cannot be read, references into it are not reported as dangling."""
    tiny_raw["places"] = {"S0": {}}
    assert {p.path for p in _raw_problems(tiny_raw)} == {"$.places"}


def test_problems_are_in_document_order(tiny_raw: dict[str, Any]) -> None:
    """Problems are sorted by top-level field as the file has them, then by list index."""
    tiny_raw["needs"][3]["village"] = "V9"
    tiny_raw["needs"][1]["hours"] = "two"
    tiny_raw["villages"][2]["town"] = "T9"
    paths = [p.path for p in _raw_problems(tiny_raw)]
    assert paths == ["$.villages[2].town", "$.needs[1].hours", "$.needs[3].village"]


# ----------------------------------------------------------------------------- one check each

Check = Callable[[dict[str, Any]], list[Issue]]


def _found(check: Check, raw: dict[str, Any]) -> set[Key]:
    return _keys(check(raw))


def test_schema_version(tiny_raw: dict[str, Any]) -> None:
    """schema_version 1 is kept; 2, the text "1" or none at all is a clear error."""
    assert check_schema_version(tiny_raw) == []
    for value in (2, "1", None):
        tiny_raw["schema_version"] = value
        (problem,) = check_schema_version(tiny_raw)
        assert problem.path == "$.schema_version" and "1" in problem.message
    tiny_raw["schema_version"] = 2
    assert "reads only schema_version 1" in check_schema_version(tiny_raw)[0].message
    del tiny_raw["schema_version"]
    assert "missing" in check_schema_version(tiny_raw)[0].message


def test_unknown_fields(tiny_raw: dict[str, Any]) -> None:
    """Known top-level fields pass; an unknown one is a warning that suggests the likely name."""
    assert check_unknown_fields(tiny_raw) == []
    tiny_raw["polcy"] = {}
    (problem,) = check_unknown_fields(tiny_raw)
    assert (problem.path, problem.severity) == ("$.polcy", "warning")
    assert '"policy"' in problem.message


def test_finite_numbers(tiny_raw: dict[str, Any]) -> None:
    """Finite numbers pass; NaN or infinity anywhere is an error at its path."""
    assert check_finite_numbers(tiny_raw) == []
    tiny_raw["cadres"][2]["hours"] = float("inf")
    tiny_raw["policy"]["priority_weights"] = {"1": float("nan")}
    assert _found(check_finite_numbers, tiny_raw) == {
        ("$.cadres[2].hours", "C3", "error"),
        ('$.policy.priority_weights["1"]', None, "error"),
    }


@pytest.mark.parametrize(
    "key", ["places", "villages", "cadres", "organizations", "pools", "needs", "aid_records"]
)
def test_duplicate_ids(tiny_raw: dict[str, Any], key: str) -> None:
    """Unique ids pass; a repeated id within a list is reported at the repeat, with the id."""
    assert check_duplicate_ids(tiny_raw) == []
    first = dict(tiny_raw[key][0])
    tiny_raw[key].append(first)
    index = len(tiny_raw[key]) - 1
    (problem,) = check_duplicate_ids(tiny_raw)
    assert (problem.path, problem.id) == (f"$.{key}[{index}].id", first["id"])
    assert f"$.{key}[0]" in problem.message


def test_shared_ids(tiny_raw: dict[str, Any]) -> None:
    """Distinct ids pass; a cadre with a village's id is reported at the cadre."""
    assert check_shared_ids(tiny_raw) == []
    tiny_raw["cadres"][1]["id"] = "V2"
    assert _found(check_shared_ids, tiny_raw) == {("$.cadres[1].id", "V2", "error")}


def test_village_towns(tiny_raw: dict[str, Any]) -> None:
    """A village's town must be a place."""
    assert check_village_towns(tiny_raw) == []
    tiny_raw["villages"][1]["town"] = "V1"
    (problem,) = check_village_towns(tiny_raw)
    assert (problem.path, problem.id) == ("$.villages[1].town", "V2")
    assert '"V1"' in problem.message


def test_road_ends(tiny_raw: dict[str, Any]) -> None:
    """Both ends of a road must be places or villages."""
    assert check_road_ends(tiny_raw) == []
    tiny_raw["roads"][2]["to"] = "V7"
    tiny_raw["roads"][3]["from"] = "C1"
    assert _found(check_road_ends, tiny_raw) == {
        ("$.roads[2].to", None, "error"),
        ("$.roads[3].from", None, "error"),
    }


def test_road_loops(tiny_raw: dict[str, Any]) -> None:
    """A road from a node to itself is a warning, not an error: the scenario still loads."""
    assert check_road_loops(tiny_raw) == []
    tiny_raw["roads"].append({"from": "V1", "to": "V1", "minutes": 0})
    assert _found(check_road_loops, tiny_raw) == {("$.roads[5]", None, "warning")}
    assert parse_scenario(tiny_raw).warnings


def test_bases(tiny_raw: dict[str, Any]) -> None:
    """Cadres and organisations must be based at a place or a village (a village is allowed)."""
    tiny_raw["cadres"][0]["base"] = "V1"
    assert check_bases(tiny_raw) == []
    tiny_raw["cadres"][3]["base"] = "T99"
    tiny_raw["organizations"][0]["base"] = "P-agri"
    problems = check_bases(tiny_raw)
    assert _keys(problems) == {
        ("$.cadres[3].base", "C4", "error"),
        ("$.organizations[0].base", "O1", "error"),
    }
    assert str(problems[0]) == '$.cadres[3].base (C4): base "T99" is not a place or village'


def test_paired_villages(tiny_raw: dict[str, Any]) -> None:
    """Paired villages must be known villages, each listed once."""
    assert check_paired_villages(tiny_raw) == []
    tiny_raw["cadres"][2]["paired_villages"] = ["V3", "V8", "V3"]
    assert _found(check_paired_villages, tiny_raw) == {
        ("$.cadres[2].paired_villages[1]", "C3", "error"),
        ("$.cadres[2].paired_villages[2]", "C3", "error"),
    }


def test_organization_towns(tiny_raw: dict[str, Any]) -> None:
    """An organisation's towns must be places."""
    assert check_organization_towns(tiny_raw) == []
    tiny_raw["organizations"][0]["towns"] = ["V2", "T2"]
    assert _found(check_organization_towns, tiny_raw) == {
        ("$.organizations[0].towns[0]", "O1", "error")
    }


def test_pool_villages(tiny_raw: dict[str, Any]) -> None:
    """A pool's villages must be villages."""
    tiny_raw["pools"][0]["villages"] = ["V1", "V2"]
    assert check_pool_villages(tiny_raw) == []
    tiny_raw["pools"][0]["villages"] = ["V1", "T2"]
    assert _found(check_pool_villages, tiny_raw) == {("$.pools[0].villages[1]", "P-agri", "error")}


def test_need_villages(tiny_raw: dict[str, Any]) -> None:
    """A need's village must be a village."""
    assert check_need_villages(tiny_raw) == []
    tiny_raw["needs"][4]["village"] = "V4"
    assert _found(check_need_villages, tiny_raw) == {("$.needs[4].village", "N5", "error")}


def test_aid_record_villages(tiny_raw: dict[str, Any]) -> None:
    """An aid record's village must be a village."""
    assert check_aid_record_villages(tiny_raw) == []
    tiny_raw["aid_records"][1]["village"] = "v1"
    assert _found(check_aid_record_villages, tiny_raw) == {
        ("$.aid_records[1].village", "A2", "error")
    }


def test_pinned_providers(tiny_raw: dict[str, Any]) -> None:
    """A pinned provider must be a cadre or an organisation (not a place, not a department)."""
    assert check_pinned_providers(tiny_raw) == []
    tiny_raw["needs"][7]["pinned_provider"] = "education"
    assert _found(check_pinned_providers, tiny_raw) == {
        ("$.needs[7].pinned_provider", "N8", "error")
    }


def test_reference_checks_tolerate_malformed_input(tiny_raw: dict[str, Any]) -> None:
    """Items and fields of the wrong type are skipped (pydantic reports them), never a crash."""
    tiny_raw["villages"][0] = "V1"
    tiny_raw["cadres"][0]["base"] = 17
    tiny_raw["cadres"][1]["paired_villages"] = "V2"
    tiny_raw["roads"] = {"from": "S0"}
    tiny_raw["needs"][0] = None
    tiny_raw["organizations"][0]["towns"] = [None, 3]
    tiny_raw["pools"] = None
    assert all(isinstance(p, Issue) for p in validate_references(tiny_raw))
    with pytest.raises(ScenarioInvalid):
        parse_scenario(tiny_raw)


# ----------------------------------------------------------------------------- pinned providers


def _pinned(raw: dict[str, Any], need: int, provider: str) -> set[str]:
    """The messages of check_pinned_can_serve after pinning needs[need] to provider."""
    raw["needs"][need]["pinned_provider"] = provider
    scenario = Scenario.model_validate(raw)
    problems = check_pinned_can_serve(scenario)
    assert {(p.path, p.id) for p in problems} <= {
        (f"$.needs[{need}].pinned_provider", raw["needs"][need]["id"])
    }
    return {p.message for p in problems}


def test_pinned_provider_that_can_serve_passes(tiny_raw: dict[str, Any]) -> None:
    """N8 pinned to O1 (skilled, in its town, 7 minutes away) and N2 pinned to C2 pass."""
    assert _pinned(tiny_raw, 1, "C2") == set()


def test_pinned_provider_unavailable(tiny_raw: dict[str, Any]) -> None:
    """A pinned cadre marked unavailable cannot serve."""
    (message,) = _pinned(tiny_raw, 4, "C4")
    assert "unavailable" in message and '"C4"' in message


def test_pinned_provider_without_the_skill(tiny_raw: dict[str, Any]) -> None:
    """A pinned provider lacking the skill, or holding it below the level, cannot serve."""
    assert _pinned(tiny_raw, 2, "C1") == {
        'pinned_provider "C1" does not hold the skill education that this need asks for'
    }
    fresh = contract_dict()
    fresh["needs"][0]["category"] = "e_commerce"
    (message,) = _pinned(fresh, 0, "C1")
    assert "level 1, below the level 2" in message


def test_pinned_organisation_outside_its_towns(tiny_raw: dict[str, Any]) -> None:
    """An organisation serves only villages of its towns; O1 (T2) pinned in V1 (T1) fails."""
    tiny_raw["organizations"][0]["max_travel_minutes"] = 120
    tiny_raw["needs"][0]["category"] = "child_care"
    tiny_raw["needs"][0]["level"] = 1
    (message,) = _pinned(tiny_raw, 0, "O1")
    assert "serves only the towns T2" in message and "town T1" in message


def test_pinned_provider_too_far(tiny_raw: dict[str, Any]) -> None:
    """C2 (S0, 45 minutes) pinned to a need in V3, 58 minutes away by road, is too far."""
    tiny_raw["needs"][3]["category"] = "education"
    (message,) = _pinned(tiny_raw, 3, "C2")
    assert "58.0 minutes" in message and "45 minutes" in message


def test_pinned_provider_unreachable_by_road(tiny_raw: dict[str, Any]) -> None:
    """With roads given, a village no road reaches cannot be served by a pinned provider."""
    tiny_raw["roads"] = [r for r in tiny_raw["roads"] if r["to"] != "V1"]
    (message,) = _pinned(tiny_raw, 0, "C1")
    assert "cannot reach village V1" in message


def test_pinned_need_held_back_by_recent_aid(tiny_raw: dict[str, Any]) -> None:
    """N6 (H-V1-017, hardship_relief, aided on 20 and 25 November) cannot be served while the
    duplicate rule holds it back, unless the policy allows repeat aid."""
    (message,) = _pinned(tiny_raw, 5, "C3")
    assert "A1, A2" in message
    tiny_raw["policy"]["allow_repeat_aid"] = True
    assert _pinned(tiny_raw, 5, "C3") == set()


def test_pinned_check_skips_unknown_providers_and_bases(tiny_raw: dict[str, Any]) -> None:
    """An unknown pinned provider or an unknown base is left to the reference checks."""
    tiny_raw["cadres"][0]["base"] = "T99"
    assert _pinned(tiny_raw, 0, "C1") == set()
    assert _pinned(tiny_raw, 1, "C77") == set()


# ----------------------------------------------------------------------------- performance


def _big_county(n_needs: int = 5000, n_cadres: int = 500, n_orgs: int = 100) -> dict[str, Any]:
    """A valid county of 500 villages, 600 providers and 5000 needs, every 25th need pinned."""
    towns, villages = 20, 500
    skills = dict.fromkeys(CATEGORIES, 3)
    return {
        "schema_version": 1,
        "horizon": {"start": "2026-12-01", "days": 31},
        "places": [
            {"id": f"T{t}", "kind": "town", "lon": 104 + t / 100, "lat": 30.0} for t in range(towns)
        ],
        "villages": [
            {
                "id": f"V{v}",
                "town": f"T{v % towns}",
                "lon": 104 + (v % 37) / 100,
                "lat": 30 + (v % 41) / 100,
                "households": 100,
                "region": "west",
            }
            for v in range(villages)
        ],
        "roads": [{"from": f"V{v}", "to": f"T{v % towns}", "minutes": 10} for v in range(villages)]
        + [{"from": f"T{t}", "to": f"T{(t + 1) % towns}", "minutes": 12} for t in range(towns)],
        "cadres": [
            {
                "id": f"C{c}",
                "department": "agriculture",
                "base": f"T{c % towns}",
                "skills": skills,
                "hours": 40,
                "max_travel_minutes": 600,
                "paired_villages": [f"V{c % villages}"],
            }
            for c in range(n_cadres)
        ],
        "organizations": [
            {
                "id": f"O{o}",
                "kind": "ngo",
                "base": f"T{o % towns}",
                "skills": skills,
                "hours": 100,
                "max_travel_minutes": 600,
            }
            for o in range(n_orgs)
        ],
        # Enough money for every need: a pinned need no pool could pay would be refused.
        "pools": [{"id": "P-all", "department": "agriculture", "amount": 100 * n_needs}],
        "needs": [
            {
                "id": f"N{n}",
                "village": f"V{n % villages}",
                "household": f"H-{n}",
                "category": CATEGORIES[n % len(CATEGORIES)],
                "hours": 2,
                "cost": 100,
                **({"pinned_provider": f"C{n % n_cadres}"} if n % 25 == 0 else {}),
            }
            for n in range(n_needs)
        ],
        "aid_records": [
            {
                "id": f"A{a}",
                "household": f"H-{a}",
                "village": f"V{a % villages}",
                "category": "culture",
                "provider": "culture_team",
                "date": "2026-11-20",
            }
            for a in range(1, 1000, 2)
            if a % 25  # no pinned need is held back
        ],
    }


def test_a_large_county_validates() -> None:
    """5000 needs and 600 providers, every 25th need pinned, load with no problem at all."""
    loaded = parse_scenario(_big_county())
    assert loaded.warnings == ()
    assert len(loaded.scenario.needs) == 5000


def test_large_county_with_errors_reports_them_all() -> None:
    """A large county with an error in every fifth need reports each one."""
    raw = _big_county()
    for need in raw["needs"][::5]:
        need["village"] = "nowhere"
    with pytest.raises(ScenarioInvalid) as raised:
        parse_scenario(raw)
    assert len(raised.value.errors) == 1000
