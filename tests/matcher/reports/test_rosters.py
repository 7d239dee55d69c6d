"""The three lists of 包村联户 (issue 16, items 1 and 2): the plan's naming fields, the pairing
roster, the service list, each provider's own list, their filters, and their printable HTML.

The county is the contract's tiny one with names, posts and household labels added; the plan
is the contract's hand-written optimal plan (tests/data/contract/tiny-plan.json), so that
every figure below is worked out by hand from the county's roads and the policy's defaults
(2 visits of 2 hours per pairing, round trips).
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from matcher.intake.loading import parse_scenario
from matcher.plan import NAMING_FIELDS, Assignment, Pairing, Plan, carries_names, plan_to_json
from matcher.problem.assemble import solution_to_plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.html.rosters import render_rosters
from matcher.reports.rosters import UnknownTown, household_shown, rosters
from matcher.run import solve_scenario
from matcher.scenario import Scenario
from tests.conftest import CONTRACT, contract_dict

NAMES = {"C1": ("王明", "乡镇干部"), "C2": ("李华", "驻村第一书记"), "C3": ("张强", None)}
LABELS = {"N1": "一组3号", "N2": "二组12号", "N8": "二组12号"}


def named_county() -> dict[str, Any]:
    """The contract county with cadre names and posts, household labels and an NGO's name."""
    raw = contract_dict()
    for cadre in raw["cadres"]:
        if cadre["id"] in NAMES:
            cadre["name"], cadre["title"] = NAMES[cadre["id"]]
    for need in raw["needs"]:
        if need["id"] in LABELS:
            need["household_label"] = LABELS[need["id"]]
    raw["organizations"][0]["name"] = "阳光社工"
    raw["pools"][0]["name"] = "农业帮扶资金"
    return raw


@pytest.fixture
def index() -> ScenarioIndex:
    """The named contract county, indexed."""
    return ScenarioIndex.build(parse_scenario(named_county()).scenario)


@pytest.fixture
def plan() -> Plan:
    """The contract's hand-written optimal plan (no naming fields: it predates them)."""
    return Plan.model_validate(json.loads((CONTRACT / "tiny-plan.json").read_text()))


# ------------------------------------------------------------------------ the plan's new fields


def _named_plan(index: ScenarioIndex, solver: str = "cpsat") -> tuple[Plan, Plan]:
    """A plan of the county's decisions without and with the naming fields."""
    run = solve_scenario(index, solver=solver, time_limit=10)
    problem = index.problem
    info = run.plan.solver
    policy = index.scenario.policy
    bare = solution_to_plan(problem, run.result.solution, info, policy)
    named = solution_to_plan(problem, run.result.solution, info, policy, index=index)
    return bare, named


def test_assignments_and_pairings_name_their_parties(index: ScenarioIndex) -> None:
    """Given the index, each assignment names its household (and label), provider and
    village, each pairing its cadre and village, the travel and whether it existed."""
    _, named = _named_plan(index)
    by_need = {a.need: a for a in named.assignments}
    n1 = by_need["N1"]
    assert (n1.household, n1.household_label) == ("H-V1-001", "一组3号")
    assert (n1.provider_name, n1.village_name) == ("王明", "Dongpo")
    n2 = by_need["N2"]
    assert (n2.provider, n2.provider_name) == ("O1", "阳光社工")
    n3 = by_need["N3"]
    assert n3.household_label is None and "household_label" in n3.model_fields_set
    pairs = {(p.cadre, p.village): p for p in named.pairings}
    c1v1 = pairs[("C1", "V1")]
    assert (c1v1.cadre_name, c1v1.village_name, c1v1.minutes, c1v1.existing) == (
        "王明",
        "Dongpo",
        6.0,
        True,
    )
    new = [p for p in named.pairings if (p.cadre, p.village) not in {("C1", "V1"), ("C3", "V3")}]
    assert new and all(p.existing is False for p in new)


def test_a_village_level_need_is_written_with_a_null_household(index: ScenarioIndex) -> None:
    """N7 (a canal, no household) served: ``household`` is written, as null."""
    raw = named_county()
    raw["villages"][1]["funding_cap"] = 20000  # N7 (7,000 yuan) fits the cap now
    roomy = ScenarioIndex.build(parse_scenario(raw).scenario)
    _, named = _named_plan(roomy)
    [n7] = [a for a in named.assignments if a.need == "N7"]
    written = json.loads(plan_to_json(named))
    [n7_json] = [a for a in written["assignments"] if a["need"] == "N7"]
    assert n7.household is None and n7_json["household"] is None
    assert "household" in n7_json and n7_json["household_label"] is None


def test_existing_fields_keep_their_bytes_and_new_ones_come_last(index: ScenarioIndex) -> None:
    """The plan's JSON without the naming keys is byte for byte the plan written without the
    index; in every item the naming keys follow the existing ones, in NAMING_FIELDS order."""
    bare, named = _named_plan(index)
    bare_json, named_json = json.loads(plan_to_json(bare)), json.loads(plan_to_json(named))
    assert bare_json != named_json
    for key, fields in NAMING_FIELDS.items():
        assert named_json[key], key
        for plain, full in zip(bare_json[key], named_json[key], strict=True):
            assert list(full)[: len(plain)] == list(plain)
            assert list(full)[len(plain) :] == list(fields)
            stripped = {k: v for k, v in full.items() if k not in fields}
            assert json.dumps(stripped, ensure_ascii=False) == json.dumps(plain, ensure_ascii=False)
    assert not carries_names(bare) and carries_names(named)


def test_a_plan_without_the_fields_is_written_back_without_them(plan: Plan) -> None:
    """A plan that predates the naming fields (or another program's) round-trips without
    gaining them: absent stays absent, so null keeps its meaning (village-level)."""
    text = plan_to_json(plan)
    for item in [*json.loads(text)["assignments"], *json.loads(text)["pairings"]]:
        assert not set(item) & {f for fs in NAMING_FIELDS.values() for f in fs}
    again = Plan.model_validate(json.loads(text))
    assert plan_to_json(again) == text
    assert not carries_names(plan)


def test_a_solved_plan_names_its_parties(index: ScenarioIndex) -> None:
    """What matcher solve and the API write carries the naming fields."""
    plan = solve_scenario(index, solver="greedy").plan
    assert carries_names(plan)
    assert {a.need: a.household_label for a in plan.assignments}["N1"] == "一组3号"


# ------------------------------------------------------------------------ the pairing roster


def test_the_pairing_roster_lists_every_village_with_its_cadres(
    index: ScenarioIndex, plan: Plan
) -> None:
    """Villages by town (T1 before T2, the places' order), existing pairings first, each cadre
    with name, post, department label, travel and visit hours: 2 × (2 h + round trip)."""
    found = rosters(index, plan)
    assert [(v["town"], v["village"]) for v in found["pairing"]] == [
        ("T1", "V1"),
        ("T2", "V2"),
        ("T2", "V3"),
    ]
    v1 = found["pairing"][0]
    assert (v1["town_name"], v1["village_name"], v1["households"]) == ("East Town", "Dongpo", 300)
    assert (v1["required"], v1["shortfall"]) == (2, 0)
    c1, c2 = v1["cadres"]
    assert (c1["cadre"], c1["name"], c1["title"], c1["department_label"]) == (
        "C1",
        "王明",
        "乡镇干部",
        "农业农村局",
    )
    assert c1["existing"] is True and c1["minutes"] == 6.0
    assert c1["visits"] == 2 and c1["hours"] == pytest.approx(2 * (2 + 2 * 6 / 60))
    # C2 comes from the county seat: 15 + 6 minutes; a new pairing.
    assert (c2["cadre"], c2["existing"], c2["minutes"]) == ("C2", False, 21.0)
    assert c2["department_label"] == "教育局"
    v2 = found["pairing"][1]
    assert [c["cadre"] for c in v2["cadres"]] == ["C1", "C3"]
    assert v2["cadres"][0]["minutes"] == 40.0  # T1 -> S0 -> T2 -> V2: 15 + 18 + 7
    assert all(not v["released"] for v in found["pairing"])


def test_a_released_pairing_and_a_short_village_are_shown(index: ScenarioIndex, plan: Plan) -> None:
    """Without C3-V3 (listed in C3's paired_villages), V3 shows C3 as released, with no
    visits, and that it lacks two cadres."""
    kept = [p for p in plan.pairings if (p.cadre, p.village) != ("C3", "V3")]
    found = rosters(index, plan.model_copy(update={"pairings": kept}))
    v3 = found["pairing"][2]
    assert v3["cadres"] == [] and v3["shortfall"] == 2
    [released] = v3["released"]
    assert (released["cadre"], released["name"], released["existing"]) == ("C3", "张强", True)
    assert released["visits"] is None and released["hours"] is None


# ------------------------------------------------------------------------ the service list


def test_the_service_list_says_for_whom_by_whom_with_which_money(
    index: ScenarioIndex, plan: Plan
) -> None:
    found = rosters(index, plan)
    lines = {s["need"]: s for s in found["service"]}
    assert [s["need"] for s in found["service"]] == ["N1", "N2", "N8", "N3", "N4"]
    n1 = lines["N1"]
    assert (n1["household"], n1["household_label"], n1["village_level"]) == (
        "H-V1-001",
        "一组3号",
        False,
    )
    assert (n1["category"], n1["category_label"]) == ("agri_tech", "农业技术")
    assert (n1["provider_name"], n1["provider_type"], n1["provider_unit"]) == (
        "王明",
        "cadre",
        "农业农村局",
    )
    assert n1["funding"] == [
        {
            "pool": "P-agri",
            "pool_name": "农业帮扶资金",
            "department_label": "农业农村局",
            "amount": 3000,
        }
    ]
    assert n1["yuan"] == 3000 and n1["hours"] == pytest.approx(3 + 12 / 60)
    assert n1["need_hours"] == 3 and n1["submitted"] == "2026-12-02"
    n2 = lines["N2"]
    assert (n2["provider_type"], n2["provider_unit"]) == ("organization", "社会组织")
    assert n2["vulnerable_labels"] == ["留守儿童"]
    assert n2["funding"][0]["department_label"] == "财政局"
    assert household_shown(n2, "zh") == "二组12号"
    assert household_shown(lines["N3"], "zh") == "H-V2-009"  # no label: the id


def test_a_village_level_need_is_said_to_be_one(index: ScenarioIndex, plan: Plan) -> None:
    extra = Assignment(need="N7", provider="C1", funding=[])
    found = rosters(index, plan.model_copy(update={"assignments": [*plan.assignments, extra]}))
    [n7] = [s for s in found["service"] if s["need"] == "N7"]
    assert n7["household"] is None and n7["village_level"] is True
    assert household_shown(n7, "zh") == "村级需求"
    assert household_shown(n7, "en") == "village-level need"


def test_labels_follow_the_language(index: ScenarioIndex, plan: Plan) -> None:
    found = rosters(index, plan, "en")
    n1 = next(s for s in found["service"] if s["need"] == "N1")
    assert (n1["category_label"], n1["provider_unit"]) == (
        "farming techniques",
        "agriculture bureau",
    )
    c1 = next(p for p in found["provider"] if p["provider"] == "C1")
    assert c1["tasks"][0]["what"] == "village contact: 2 visits"


# ------------------------------------------------------------------------ each provider's list


def test_each_provider_has_its_own_list_against_its_hours(index: ScenarioIndex, plan: Plan) -> None:
    """C1: visits to V1 (6 min) and V2 (40 min), then N1: hours against its 24."""
    found = rosters(index, plan)
    sheets = {p["provider"]: p for p in found["provider"]}
    assert [p["provider"] for p in found["provider"]] == ["C2", "C1", "C3", "O1"]  # S0, T1, T2
    c1 = sheets["C1"]
    assert (c1["name"], c1["title"], c1["unit_label"], c1["town"]) == (
        "王明",
        "乡镇干部",
        "农业农村局",
        "T1",
    )
    assert [(t["task"], t["village"], t["need"]) for t in c1["tasks"]] == [
        ("pairing", "V1", None),
        ("pairing", "V2", None),
        ("service", "V1", "N1"),
    ]
    assert c1["tasks"][0]["what"] == "包村联系：走访 2 次"
    assert c1["tasks"][2]["what"] == "农业技术" and c1["tasks"][2]["household_label"] == "一组3号"
    expected = 2 * (2 + 12 / 60) + 2 * (2 + 80 / 60) + 3 + 12 / 60
    assert c1["hours_total"] == pytest.approx(expected, abs=1e-3)
    assert c1["hours_available"] == 24 and c1["hours_left"] == pytest.approx(
        24 - expected, abs=1e-3
    )
    assert (c1["villages"], c1["needs"], c1["yuan"]) == (2, 1, 3000)
    o1 = sheets["O1"]
    assert (o1["provider_type"], o1["unit_label"], o1["villages"], o1["needs"]) == (
        "organization",
        "社会组织",
        0,
        2,
    )
    assert o1["hours_total"] == pytest.approx(4 + 2 + 2 * (14 / 60), abs=1e-3)


# ------------------------------------------------------------------------ filters


@pytest.mark.parametrize("town", ["T2", "West Town", " west town ", "t2"])
def test_a_town_is_found_by_id_or_name(index: ScenarioIndex, plan: Plan, town: str) -> None:
    """West Town: its two villages and their services; every provider based there or with a
    task there, with its whole list (C1 of East Town visits V2)."""
    found = rosters(index, plan, town=town)
    assert found["town"] == "T2"
    assert found["towns"] == [{"town": "T2", "town_name": "West Town"}]
    assert [v["village"] for v in found["pairing"]] == ["V2", "V3"]
    assert {s["need"] for s in found["service"]} == {"N2", "N8", "N3", "N4"}
    assert {p["provider"] for p in found["provider"]} == {"C1", "C2", "C3", "O1"}
    c1 = next(p for p in found["provider"] if p["provider"] == "C1")
    assert len(c1["tasks"]) == 3  # the whole list, V1 included
    east = rosters(index, plan, town="T1")
    assert {p["provider"] for p in east["provider"]} == {"C1", "C2"}


def test_an_unknown_or_ambiguous_town_is_refused(index: ScenarioIndex, plan: Plan) -> None:
    with pytest.raises(UnknownTown, match=r"no town 'Nowhere'.*T2 West Town"):
        rosters(index, plan, town="Nowhere")
    raw = named_county()
    raw["places"][2]["name"] = "East Town"
    twice = ScenarioIndex.build(parse_scenario(raw).scenario)
    with pytest.raises(UnknownTown, match="names 2 places: T1, T2"):
        rosters(twice, plan, town="East Town")
    with pytest.raises(UnknownTown, match="needs the plan's scenario"):
        rosters(None, plan, town="T1")


@pytest.mark.parametrize("kind", ["pairing", "service", "provider"])
def test_a_kind_keeps_one_list(index: ScenarioIndex, plan: Plan, kind: Any) -> None:
    found = rosters(index, plan, kind=kind)
    assert found["kinds"] == [kind]
    for other in ("pairing", "service", "provider"):
        assert bool(found[other]) is (other == kind)


# ------------------------------------------------------------------------ from the plan alone


def test_without_the_scenario_the_plan_names_its_parties(index: ScenarioIndex) -> None:
    """A plan with the naming fields gives the same names, households and travel without
    the scenario; towns, departments and hours available stay empty."""
    _, named = _named_plan(index)
    full, alone = rosters(index, named), rosters(None, named)
    assert alone["complete"] is False and full["complete"] is True
    assert alone["towns"] == [{"town": None, "town_name": None}]
    assert sorted(v["village"] for v in alone["pairing"]) == sorted(
        v["village"] for v in full["pairing"] if v["cadres"]
    )
    pick = ("need", "household", "household_label", "village_level", "provider_name", "yuan")
    by_need = {s["need"]: s for s in full["service"]}
    for line in alone["service"]:
        assert {k: line[k] for k in pick} == {k: by_need[line["need"]][k] for k in pick}  # type: ignore[literal-required]
        assert line["village_name"] == by_need[line["need"]]["village_name"]
        assert line["town"] is None and line["provider_unit"] is None
    paired = {
        (v["village"], c["cadre"]): (c["name"], c["existing"], c["minutes"])
        for v in full["pairing"]
        for c in v["cadres"]
    }
    assert {
        (v["village"], c["cadre"]): (c["name"], c["existing"], c["minutes"])
        for v in alone["pairing"]
        for c in v["cadres"]
    } == paired
    assert all(p["hours_available"] is None for p in alone["provider"])


# ------------------------------------------------------------------------ printable HTML


def test_the_html_prints_a_town_per_page_and_escapes_everything(plan: Plan) -> None:
    raw = named_county()
    raw["cadres"][0]["name"] = '<script>alert("x")</script>王&明'
    raw["places"][1]["name"] = "East <b>Town</b>"
    index = ScenarioIndex.build(Scenario.model_validate(raw))
    html = render_rosters(rosters(index, plan), "zh")
    assert "<script>" not in html and "&lt;script&gt;" in html and "王&amp;明" in html
    assert "East &lt;b&gt;Town&lt;/b&gt;" in html
    # The county seat's page holds the list of C2, based there; then East and West Town.
    assert re.findall(r'class="roster-town" data-town="(\w+)"', html) == ["S0", "T1", "T2"]
    assert re.search(r"\.roster-town \+ \.roster-town \{ break-before: page", html)
    assert "包村名单" in html and 'lang="en">village pairing roster' in html
    assert "联户服务清单" in html and "个人任务单" in html and "一组3号" in html
    assert not re.search(r"(src|href)=|https?://|@import|url\(", html)  # nothing to load
    english = render_rosters(rosters(index, plan, "en"), "en")
    assert "village pairing roster" in english and 'lang="zh">包村名单' in english


def test_the_html_of_one_town_puts_everyone_working_there_on_its_page(
    index: ScenarioIndex, plan: Plan
) -> None:
    html = render_rosters(rosters(index, plan, town="T2", kind="provider"), "zh")
    assert html.count('class="roster-town"') == 1
    for provider in ("C1", "C2", "C3", "O1"):
        assert f'<span class="id">{provider}</span>' in html
    assert "包村名单" not in html  # only the kind asked for


def test_pairings_and_assignments_types_stay_optional() -> None:
    """The naming fields default to None and are not set: old readers' plans validate."""
    p = Pairing(cadre="C1", village="V1")
    a = Assignment(need="N1", provider="C1")
    assert p.model_fields_set == {"cadre", "village"} and p.existing is None
    assert a.model_fields_set == {"need", "provider"} and a.household is None
