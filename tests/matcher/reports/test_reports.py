"""The duplicate-aid and blind-spot reports of DESIGN §6, and their text rendering."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.plan import Plan, read_plan
from matcher.problem.index import ScenarioIndex
from matcher.reports import build_reports, render_text
from matcher.reports.duplicate_aid import duplicate_aid_report
from matcher.scenario import Scenario
from tests.conftest import CONTRACT

_COUNTY: dict[str, Any] = json.loads((CONTRACT / "tiny-county.json").read_text())
_EXPECTED: dict[str, Any] = json.loads((CONTRACT / "tiny-expected.json").read_text())


def county() -> dict[str, Any]:
    """A fresh copy of the contract county, to change per test."""
    return copy.deepcopy(_COUNTY)


def tiny_plan() -> Plan:
    """The contract's optimal plan."""
    return read_plan(CONTRACT / "tiny-plan.json")


def reports_for(data: dict[str, Any], plan: Plan | None = None) -> dict[str, Any]:
    """Both reports for a scenario dict and a plan (the contract plan by default)."""
    index = ScenarioIndex.build(Scenario.model_validate(data))
    plan = plan if plan is not None else tiny_plan()
    return build_reports(index, plan, evaluate(index, plan))


def record(rid: str, provider: str, date: str, **fields: Any) -> dict[str, Any]:
    """An aid record of H-V1-017's hardship relief unless fields say otherwise."""
    base = {
        "id": rid,
        "household": "H-V1-017",
        "village": "V1",
        "category": "hardship_relief",
        "provider": provider,
        "cost": 100,
        "hours": 1,
        "date": date,
    }
    return {**base, **fields}


def groups_of(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The duplicate groups of a scenario dict."""
    index = ScenarioIndex.build(Scenario.model_validate(data))
    groups: list[dict[str, Any]] = duplicate_aid_report(index, tiny_plan())["groups"]
    return groups


# --- duplicate aid -------------------------------------------------------------------------


def test_contract_has_exactly_the_stated_duplicate_group() -> None:
    """The contract county gives one group: H-V1-017, hardship_relief, A1+A2, waste 500 yuan, 1h."""
    report = reports_for(county())["duplicate_aid"]
    assert len(report["groups"]) == 1
    group = report["groups"][0]
    (expected,) = _EXPECTED["duplicate_aid_groups"]
    for key in ("household", "category", "records", "waste_yuan", "waste_hours"):
        assert group[key] == expected[key]
    assert group["village"] == "V1"
    assert group["providers"] == ["civil_affairs", "charity"]
    assert group["departments"] == ["civil_affairs", "charity"]
    assert [d["date"] for d in group["details"]] == ["2026-11-20", "2026-11-25"]
    assert [(d["cost"], d["hours"]) for d in group["details"]] == [(500, 2.0), (500, 1.0)]
    assert group["needs"] == ["N6"]


def test_contract_totals_by_department_pair_village_and_category() -> None:
    """Totals count the one group under the sorted pair, its village and category."""
    report = reports_for(county())["duplicate_aid"]
    totals = report["totals"]
    assert (totals["groups"], totals["records"]) == (1, 2)
    assert (totals["waste_yuan"], totals["waste_hours"]) == (500, 1.0)
    assert totals["ledger_yuan"] == 1300
    assert totals["waste_share_of_ledger_yuan"] == pytest.approx(500 / 1300)
    pair = {"groups": 1, "records": 2, "waste_yuan": 500, "waste_hours": 1.0}
    assert report["by_department_pair"] == {"charity|civil_affairs": pair}
    assert report["by_village"] == {"V1": pair}
    assert report["by_category"] == {"hardship_relief": pair}


def test_record_outside_every_run_is_in_no_group() -> None:
    """A3 (one medical record of H-V3-002, months earlier) belongs to no group."""
    report = reports_for(county())["duplicate_aid"]
    assert all("A3" not in g["records"] for g in report["groups"])


def test_held_back_lists_each_blocked_need_with_its_records() -> None:
    """N6 is held back by H8, and the report names A1 and A2 as the records holding it."""
    report = reports_for(county())["duplicate_aid"]
    assert [h["need"] for h in report["held_back"]] == ["N6"]
    held = report["held_back"][0]
    assert held["records"] == ["A1", "A2"]
    assert held["providers"] == ["civil_affairs", "charity"]
    assert report["totals"]["held_back_needs"] == 1


def test_same_provider_repeat_is_not_a_duplicate() -> None:
    """Two records of one provider inside the window are a scheduled repeat, not duplicate aid."""
    data = county()
    data["aid_records"][1]["provider"] = "civil_affairs"
    assert groups_of(data) == []


@pytest.mark.parametrize(("window", "grouped"), [(5, True), (4, False)])
def test_window_boundary_is_inclusive(window: int, grouped: bool) -> None:
    """Records exactly ``duplicate_window_days`` apart are one group (inclusive, like H8's window
    start); one day further apart they are not. A1 and A2 are 5 days apart."""
    data = county()
    data["policy"] = {"duplicate_window_days": window}
    groups = groups_of(data)
    assert [g["records"] for g in groups] == ([["A1", "A2"]] if grouped else [])


def test_records_further_apart_than_the_window_are_not_a_group() -> None:
    """With the default 30 days, a second provider 31 days after the first is no duplicate."""
    data = county()
    data["aid_records"][1]["date"] = "2026-12-21"  # A1 is 2026-11-20: 31 days
    assert groups_of(data) == []
    data["aid_records"][1]["date"] = "2026-12-20"  # exactly 30 days
    assert [g["records"] for g in groups_of(data)] == [["A1", "A2"]]


def test_a_later_provider_pairs_with_the_nearest_earlier_record() -> None:
    """X on day 0 and day 20, Y on day 40 (window 30): the group is the day-20 and day-40
    records; the day-0 record is outside it."""
    data = county()
    data["aid_records"] = [
        record("R1", "civil_affairs", "2026-10-01"),
        record("R2", "civil_affairs", "2026-10-21"),
        record("R3", "charity", "2026-11-10"),
    ]
    assert [g["records"] for g in groups_of(data)] == [["R2", "R3"]]


def test_village_level_records_group_by_village() -> None:
    """Two providers' records for a village (household null) and category form one group of
    that village; a household's record of the same category in that village is not in it."""
    data = county()
    data["aid_records"] = [
        record(
            "R1", "agriculture", "2026-11-02", household=None, village="V2", category="agri_tech"
        ),
        record("R2", "C1", "2026-11-09", household=None, village="V2", category="agri_tech"),
        record("R3", "O1", "2026-11-05", household="H-V2-004", village="V2", category="agri_tech"),
    ]
    report = reports_for(data)["duplicate_aid"]
    assert len(report["groups"]) == 1
    group = report["groups"][0]
    assert (group["household"], group["village"], group["records"]) == (None, "V2", ["R1", "R2"])
    assert group["needs"] == ["N7"]  # N7 is V2's village-level agri_tech need
    # C1 is a cadre of agriculture: the same department with two providers.
    assert group["departments"] == ["agriculture"]
    assert report["by_department_pair"]["agriculture|agriculture"]["waste_yuan"] == 100
    assert set(report["by_village"]) == {"V2"}


def test_departments_of_cadres_organisations_and_teams() -> None:
    """A cadre counts as its department, an organisation as itself, a team name as itself; the
    waste of each later record goes to its department's pair with the first record's."""
    data = county()
    data["aid_records"] = [
        record("R1", "C3", "2026-11-01", cost=300),
        record("R2", "O1", "2026-11-02", cost=200),
        record("R3", "charity", "2026-11-03", cost=50),
    ]
    report = reports_for(data)["duplicate_aid"]
    (group,) = report["groups"]
    assert group["departments"] == ["civil_affairs", "O1", "charity"]
    assert [d["provider_kind"] for d in group["details"]] == ["cadre", "organization", "team"]
    pairs = report["by_department_pair"]
    assert set(pairs) == {"O1|civil_affairs", "charity|civil_affairs", "O1|charity"}
    assert pairs["O1|civil_affairs"]["waste_yuan"] == 200
    assert pairs["charity|civil_affairs"]["waste_yuan"] == 50
    assert pairs["O1|charity"]["waste_yuan"] == 0
    assert all(p["groups"] == 1 for p in pairs.values())
    assert sum(p["waste_yuan"] for p in pairs.values()) == report["totals"]["waste_yuan"] == 250


def test_plan_duplicates_are_totalled_by_why() -> None:
    """A siloed plan's duplicate services are listed with hours and yuan and totalled by why;
    a plan without them says none, because H1 keeps a plan free of duplicates."""
    none = reports_for(county())["duplicate_aid"]["plan_duplicates"]
    assert none["services"] == [] and "H1" in none["note"]
    plan = tiny_plan()
    plan.duplicate_services = [
        *Plan.model_validate(
            {
                "solver": {"name": "siloed", "status": "feasible"},
                "duplicate_services": [
                    {
                        "need": "N6",
                        "provider": "C3",
                        "why": "already_aided",
                        "funding": [{"pool": "P-west", "amount": 1000}],
                    },
                    {"need": "N2", "provider": "C2", "why": "served_by_other"},
                ],
            }
        ).duplicate_services
    ]
    dup = reports_for(county(), plan)["duplicate_aid"]["plan_duplicates"]
    assert dup["totals"]["services"] == 2
    assert dup["by_why"]["already_aided"]["yuan"] == 1000
    assert dup["by_why"]["served_by_other"]["services"] == 1
    # N6 by C3 from T2: 2 h of work plus 2 x 39 minutes of travel.
    assert dup["by_why"]["already_aided"]["hours"] == pytest.approx(2 + 78 / 60, abs=1e-4)
    assert set(dup["by_department"]) == {"civil_affairs", "education"}


# --- blind spots ---------------------------------------------------------------------------


def test_contract_plan_leaves_v3_one_pairing_short() -> None:
    """Only C3 reaches V3 and it is already paired with it: V3 has 1 pairing of 2."""
    blind = reports_for(county())["blind_spots"]
    assert [v["village"] for v in blind["short_villages"]] == ["V3"]
    v3 = blind["short_villages"][0]
    assert (v3["pairings"], v3["required"], v3["shortfall"]) == (1, 2, 1)
    assert v3["why"] == "too_few_in_reach"
    assert v3["paired_cadres"] == ["C3"]
    assert v3["cadres_in_reach"] == 1
    assert blind["unreachable_villages"] == []
    assert blind["unreached_households"]["total"] == 0


def test_contract_unmet_groups_by_town_and_category() -> None:
    """N5 (T2 x medical, no provider in reach) and N7 (T2 x agri_tech, funding exhausted) are
    groups of their own; N6 (held back) is the T1 hardship group; most value open first."""
    blind = reports_for(county())["blind_spots"]
    groups = {(g["town"], g["category"]): g for g in blind["unmet_groups"]}
    assert set(groups) == {("T2", "medical"), ("T2", "agri_tech"), ("T1", "hardship_relief")}
    assert groups[("T2", "medical")]["need_ids"] == ["N5"]
    assert groups[("T2", "medical")]["reasons"] == {"no_provider_in_reach": 1}
    assert groups[("T2", "agri_tech")]["need_ids"] == ["N7"]
    assert groups[("T2", "agri_tech")]["reasons"] == {"funding_exhausted": 1}
    values = [g["value_open"] for g in blind["unmet_groups"]]
    assert values == sorted(values, reverse=True)
    assert groups[("T2", "medical")]["value_open"] == pytest.approx(100 * 8 * 1.3)
    by_reason = blind["unmet_by_reason"]
    assert by_reason["no_provider_in_reach"]["needs"] == 1
    assert by_reason["funding_exhausted"]["needs"] == 1
    assert by_reason["capacity_exhausted"]["needs"] == 0
    assert blind["totals"]["needs_unmet"] == 3


def test_category_served_by_nobody() -> None:
    """Medical has a servable need (N5) and no served one: a whole category served by nobody.
    Hardship relief is not listed: its only need is held back by recent aid."""
    blind = reports_for(county())["blind_spots"]
    assert [c["category"] for c in blind["categories_served_by_nobody"]] == ["medical"]
    assert blind["categories_served_by_nobody"][0]["providers_in_reach"] == 0


def test_no_pairings_makes_every_village_short_and_every_household_unreached() -> None:
    """With no pairings and nothing served, every village is short and all 670 households are
    unreached; served needs' households are subtracted when the plan serves them."""
    empty = tiny_plan()
    empty.pairings, empty.assignments = [], []
    blind = reports_for(county(), empty)["blind_spots"]
    assert {v["village"] for v in blind["short_villages"]} == {"V1", "V2", "V3"}
    assert all(v["pairings"] == 0 and v["shortfall"] == 2 for v in blind["short_villages"])
    unreached = blind["unreached_households"]
    assert unreached["total"] == unreached["households_total"] == 300 + 250 + 120
    assert unreached["share"] == 1.0
    # Every cadre in reach is free to pair: the plan simply did not choose to.
    assert {v["why"] for v in blind["short_villages"]} == {"not_chosen"}

    served = tiny_plan()
    served.pairings = []
    blind = reports_for(county(), served)["blind_spots"]
    # N1 (H-V1-001), N2 and N8 (H-V2-004), N3 (H-V2-009), N4 (H-V3-002) are served.
    assert blind["unreached_households"]["total"] == 670 - 4
    rows = {r["village"]: r for r in blind["unreached_households"]["villages"]}
    assert rows["V2"]["households_with_served_need"] == 2


def test_short_village_with_busy_cadres_lists_their_hours_left() -> None:
    """C2 reaching V3 (limit 60 > 58 min) with a free slot but 7.77 h left, short of the
    7.87 h a V3 pairing costs: V3 is short because the cadres in reach are busy."""
    data = county()
    data["cadres"][1].update(max_travel_minutes=60, max_villages=2)
    v3 = reports_for(data)["blind_spots"]["short_villages"][0]
    assert v3["village"] == "V3"
    assert v3["why"] == "cadres_busy"
    assert v3["cadres_in_reach"] == 2
    (c2,) = v3["candidates"]
    assert c2["cadre"] == "C2" and c2["pairings_left"] == 1 and not c2["free"]
    assert c2["hours_left"] == pytest.approx(16 - (2 + 50 / 60) - 2 * (2 + 42 / 60), abs=1e-4)
    assert c2["pairing_hours"] == pytest.approx(2 * (2 + 116 / 60), abs=1e-4)

    data["cadres"][1]["hours"] = 20  # now the pairing fits: not chosen
    v3 = reports_for(data)["blind_spots"]["short_villages"][0]
    assert v3["why"] == "not_chosen"
    assert v3["candidates"][0]["free"]


def test_unreachable_and_out_of_reach_villages() -> None:
    """Without its road V3 is unreachable; with its road but cadres' limits too short, nobody
    is in reach."""
    plan = tiny_plan()
    plan.pairings = [p for p in plan.pairings if p.village != "V3"]
    data = county()
    data["roads"] = [r for r in data["roads"] if r["to"] != "V3"]
    blind = reports_for(data, plan)["blind_spots"]
    assert [v["village"] for v in blind["unreachable_villages"]] == ["V3"]
    assert blind["short_villages"][0]["why"] == "unreachable"

    data = county()
    data["cadres"][2]["max_travel_minutes"] = 30
    blind = reports_for(data, plan)["blind_spots"]
    v3 = next(v for v in blind["short_villages"] if v["village"] == "V3")
    assert v3["why"] == "nobody_in_reach" and v3["cadres_in_reach"] == 0


# --- shape and text ------------------------------------------------------------------------


def test_reports_are_plain_json_data() -> None:
    """Both reports survive a JSON round trip unchanged: only dicts, lists, str, numbers, None."""
    reports = reports_for(county())
    assert set(reports) == {"duplicate_aid", "blind_spots"}
    assert json.loads(json.dumps(reports)) == reports


def test_text_mentions_the_group_and_the_short_village() -> None:
    """The text rendering names the duplicate group, its waste and the short village, codes by
    their labels and villages with their names, in English and in Chinese."""
    reports = reports_for(county())
    index = ScenarioIndex.build(Scenario.model_validate(county()))
    text = render_text(reports, "en", names=index.name_of)
    assert "H-V1-017" in text and "A1, A2" in text and "hardship relief" in text
    assert "hardship_relief" not in text  # codes show by their labels
    assert "charity federation + civil affairs bureau" in text  # a department pair
    assert "Gaoshan (V3)" in text and "1 of 2" in text and "too few cadres in reach" in text
    assert "N5" in text and "N7" in text
    assert "\x1b[" not in text  # no colours
    chinese = render_text(reports, "zh", names=index.name_of)
    assert "困难救助" in chinese and "慈善总会 + 民政局" in chinese
    assert "Gaoshan (V3)" in chinese and "1 / 2" in chinese and "可及干部太少" in chinese
    assert chinese.startswith("重复帮扶\n") and "帮扶盲区" in chinese


def test_text_opens_the_duplicate_aid_with_its_story() -> None:
    """The duplicate-aid part opens with the three lines every surface shows: what the ledgers
    paid twice (1 group, 500 yuan), what the plan avoided (N6, held back) and what it spends
    twice (nothing: a joint plan)."""
    reports = reports_for(county())
    lines = render_text(reports, "en").splitlines()
    assert lines[:2] == ["Duplicate aid", "============="]
    ledgers, avoided, spent = lines[2:5]
    assert ledgers.startswith("- paid twice in the ledgers: 1 groups (1 households): 500 yuan")
    assert avoided.startswith("- avoided by this plan: 1: 1 needs held back as aided recently")
    assert spent == "- spent twice by this plan: 0: each need is served once and no service " + (
        "repeats recent aid"
    )
    chinese = render_text(reports, "zh").splitlines()
    assert chinese[2].startswith("- 台账中已重复帮扶：1 组（1 户），首次帮扶之外多花 500 元")
    assert chinese[4].startswith("- 本方案自身的重复支出：0：")


def test_text_renders_partial_reports() -> None:
    """A plan file's reports with a section missing or empty still render."""
    assert "Duplicate aid" in render_text({"duplicate_aid": {}}, "en")
    assert render_text({}, "en") == "No reports.\n"
    assert render_text({}, "zh") == "没有报告。\n"
