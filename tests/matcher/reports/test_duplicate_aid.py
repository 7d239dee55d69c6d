"""The duplicate-aid report costed (DESIGN §6): waste by department pair, village, category and
town, the ledger's share that was duplication, near-duplicates flagged apart from waste, and the
text rendering of the new sections."""

from __future__ import annotations

from typing import Any

import pytest

from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex
from matcher.reports.duplicate_aid import duplicate_aid_report
from matcher.reports.near_duplicates import RELATED_CATEGORIES
from matcher.reports.text import render_duplicate_aid
from matcher.scenario import CATEGORIES, Scenario


def record(rid: str, provider: str, date: str, **fields: Any) -> dict[str, Any]:
    """An aid record of H-V2-004's child care, 100 yuan and 1 hour, unless fields differ."""
    base = {
        "id": rid,
        "household": "H-V2-004",
        "village": "V2",
        "category": "child_care",
        "provider": provider,
        "cost": 100,
        "hours": 1,
        "date": date,
    }
    return {**base, **fields}


def report_of(raw: dict[str, Any], records: list[dict[str, Any]], plan: Plan) -> dict[str, Any]:
    """The duplicate-aid report of the tiny county with these ledger records."""
    raw["aid_records"] = records
    report: dict[str, Any] = duplicate_aid_report(
        ScenarioIndex.build(Scenario.model_validate(raw)), plan
    )
    return report


# --- costing -------------------------------------------------------------------------------


def test_ledger_share_of_waste_on_a_hand_made_ledger(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """R1 (education, 500 yuan, 2 h) then R2 (O1, 300 yuan, 1 h) five days later: waste is R2's
    300 yuan and 1 h; R3 (another household, 200 yuan, 1 h) is in no group. Ledger 1000 yuan
    and 4 h: 30% of its money and 25% of its hours were duplication. With R2 by the same
    provider as R1 (a scheduled repeat), nothing is waste."""
    records = [
        record("R1", "education", "2026-11-01", cost=500, hours=2),
        record("R2", "O1", "2026-11-06", cost=300),
        record("R3", "education", "2026-11-02", household="H-V2-009", cost=200),
    ]
    totals = report_of(tiny_raw, records, tiny_plan)["totals"]
    assert (totals["ledger_yuan"], totals["ledger_hours"]) == (1000, 4.0)
    assert (totals["group_yuan"], totals["group_hours"]) == (800, 3.0)
    assert (totals["waste_yuan"], totals["waste_hours"]) == (300, 1.0)
    assert totals["waste_share_of_ledger_yuan"] == pytest.approx(0.3)
    assert totals["waste_share_of_ledger_hours"] == pytest.approx(0.25)
    assert (totals["households"], totals["villages"], totals["village_level_groups"]) == (1, 1, 0)

    records[1]["provider"] = "education"
    totals = report_of(tiny_raw, records, tiny_plan)["totals"]
    assert (totals["groups"], totals["waste_yuan"], totals["waste_share_of_ledger_yuan"]) == (
        0,
        0,
        0.0,
    )


def test_waste_by_town(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """A group in V2 and one in V3 both count under town T2; V1's contract group under T1. The
    towns' waste adds up to the total."""
    records = [
        *tiny_raw["aid_records"],  # A1, A2: the contract group in V1 (T1), waste 500 yuan
        record("R1", "education", "2026-11-01"),
        record("R2", "O1", "2026-11-03", cost=40),
        record("R3", "civil_affairs", "2026-11-01", household="H-V3-002", village="V3",
               category="elderly_care"),
        record("R4", "C3", "2026-11-02", household="H-V3-002", village="V3",
               category="elderly_care", cost=60),
    ]  # fmt: skip
    report = report_of(tiny_raw, records, tiny_plan)
    by_town = report["by_town"]
    assert list(by_town) == ["T1", "T2"]  # biggest waste first
    assert by_town["T1"] == {"groups": 1, "records": 2, "waste_yuan": 500, "waste_hours": 1.0}
    assert by_town["T2"] == {"groups": 2, "records": 4, "waste_yuan": 100, "waste_hours": 2.0}
    assert sum(t["waste_yuan"] for t in by_town.values()) == report["totals"]["waste_yuan"]
    # C3 is a civil_affairs cadre: V3's group is one department sending two providers.
    assert report["by_department_pair"]["civil_affairs|civil_affairs"]["waste_yuan"] == 60
    assert set(report["by_village"]) == {"V1", "V2", "V3"}


def test_contract_totals_gain_the_new_keys_and_keep_the_old(
    tiny: Scenario, tiny_plan: Plan, tiny_expected: dict[str, Any]
) -> None:
    """The contract group's figures are unchanged; no near-duplicate, no merge in it."""
    report = duplicate_aid_report(ScenarioIndex.build(tiny), tiny_plan)
    (expected,) = tiny_expected["duplicate_aid_groups"]
    totals = report["totals"]
    assert (totals["waste_yuan"], totals["waste_hours"]) == (
        expected["waste_yuan"],
        expected["waste_hours"],
    )
    assert (totals["near_duplicate_groups"], totals["needs_merged"]) == (0, 0)
    assert report["by_town"] == {
        "T1": {"groups": 1, "records": 2, "waste_yuan": 500, "waste_hours": 1.0}
    }


# --- near-duplicates -----------------------------------------------------------------------


def test_relation_table_pairs_are_sorted_known_and_explained() -> None:
    """Each related pair is two different known categories, sorted, with a reason."""
    for (a, b), why in RELATED_CATEGORIES.items():
        assert a in CATEGORIES and b in CATEGORIES and a < b
        assert len(why) > 20


def test_related_categories_by_different_providers_are_a_near_duplicate(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """Child care by O1 and education by the education department for one household ten days
    apart: a near-duplicate group, flagged with its money and hours and not counted as waste.
    Culture instead of education is unrelated: no group."""
    records = [
        record("R1", "O1", "2026-11-01", cost=300, hours=2),
        record("R2", "education", "2026-11-11", category="education", cost=200),
    ]
    report = report_of(tiny_raw, records, tiny_plan)
    near = report["near_duplicates"]
    (group,) = near["groups"]
    assert group["category_pair"] == "child_care|education"
    assert group["relation"] == RELATED_CATEGORIES[("child_care", "education")]
    assert (group["records"], group["providers"]) == (["R1", "R2"], ["O1", "education"])
    assert group["departments"] == ["O1", "education"]
    assert [d["category"] for d in group["details"]] == ["child_care", "education"]
    assert (group["total_yuan"], group["total_hours"]) == (500, 3.0)
    assert (group["overlap_yuan"], group["overlap_hours"]) == (200, 1.0)
    assert group["needs"] == ["N2"]  # H-V2-004's open child-care need
    assert near["counted_as_waste"] is False
    assert near["totals"] == {
        "groups": 1,
        "records": 2,
        "households": 1,
        "total_yuan": 500,
        "total_hours": 3.0,
        "overlap_yuan": 200,
        "overlap_hours": 1.0,
        "share_of_ledger_yuan": 1.0,
    }
    assert near["by_category_pair"]["child_care|education"]["groups"] == 1
    assert report["totals"]["near_duplicate_groups"] == 1
    assert report["groups"] == [] and report["totals"]["waste_yuan"] == 0  # not waste

    records[1]["category"] = "culture"
    near = report_of(tiny_raw, records, tiny_plan)["near_duplicates"]
    assert near["groups"] == [] and near["totals"]["groups"] == 0


def test_related_categories_by_one_provider_are_no_near_duplicate(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """One provider giving child care and education is one coordinated service, not two silos."""
    records = [
        record("R1", "O1", "2026-11-01"),
        record("R2", "O1", "2026-11-11", category="education"),
    ]
    assert report_of(tiny_raw, records, tiny_plan)["near_duplicates"]["groups"] == []
    records[1]["provider"] = "C2"
    assert len(report_of(tiny_raw, records, tiny_plan)["near_duplicates"]["groups"]) == 1


@pytest.mark.parametrize(("second", "grouped"), [("2026-12-01", True), ("2026-12-02", False)])
def test_near_duplicates_use_the_duplicate_window(
    tiny_raw: dict[str, Any], tiny_plan: Plan, second: str, grouped: bool
) -> None:
    """Medical then elderly care 30 days apart is a near-duplicate (inclusive window); 31 days
    apart it is not."""
    records = [
        record("R1", "health", "2026-11-01", household="H-V3-002", village="V3",
               category="medical"),
        record("R2", "civil_affairs", second, household="H-V3-002", village="V3",
               category="elderly_care"),
    ]  # fmt: skip
    groups = report_of(tiny_raw, records, tiny_plan)["near_duplicates"]["groups"]
    assert [g["category_pair"] for g in groups] == (["elderly_care|medical"] if grouped else [])
    if grouped:
        assert groups[0]["needs"] == ["N4", "N5"]  # H-V3-002's elderly-care and medical needs


def test_an_exact_and_a_near_duplicate_are_reported_apart(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """Child care by O1 and by C2, and education by the education department: the child-care
    pair is waste (an exact group); the three records are a near-duplicate group beside it,
    whose figures stay out of the waste."""
    records = [
        record("R1", "O1", "2026-11-01"),
        record("R2", "C2", "2026-11-02", cost=50),
        record("R3", "education", "2026-11-03", category="education", cost=70),
    ]
    report = report_of(tiny_raw, records, tiny_plan)
    assert [g["records"] for g in report["groups"]] == [["R1", "R2"]]
    assert report["totals"]["waste_yuan"] == 50
    (near,) = report["near_duplicates"]["groups"]
    assert near["records"] == ["R1", "R2", "R3"] and near["overlap_yuan"] == 120


# --- text ----------------------------------------------------------------------------------


def test_text_shows_town_near_duplicates_and_merges(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """The rendering has the town tallies, the near-duplicate group and the merged submission;
    each section says "none" when empty; in Chinese the same sections by their Chinese
    titles, with categories by their labels."""
    contract_records = list(tiny_raw["aid_records"])
    empty = "\n".join(render_duplicate_aid(report_of(tiny_raw, [], tiny_plan), "en"))
    assert "Near-duplicates (related categories, not counted as waste): 0" in empty
    assert "Duplicate submissions merged before solving: 0" in empty
    assert "- paid twice in the ledgers: none" in empty

    tiny_raw["needs"].append(
        {"id": "N9", "village": "V2", "household": "H-V2-004", "category": "child_care",
         "hours": 1}
    )  # fmt: skip
    records = [
        record("R1", "O1", "2026-10-20"),  # before H8's window: N2 and N9 stay servable
        record("R2", "education", "2026-10-30", category="education"),
        *contract_records,
    ]
    report = report_of(tiny_raw, records, tiny_plan)
    names = ScenarioIndex.build(Scenario.model_validate(tiny_raw)).name_of
    text = "\n".join(render_duplicate_aid(report, "en", names=names))
    assert "By town" in text and "East Town (T1)" in text
    assert "Near-duplicates (related categories, not counted as waste): 1" in text
    assert "child care + education" in text
    assert "Duplicate submissions merged before solving: 1" in text
    assert any(line.split()[:3] == ["N2", "N9", "H-V2-004"] for line in text.splitlines() if line)
    assert "1 more groups in related categories" in text  # the story: related, not waste
    assert "1 submissions merged into 1 needs kept" in text

    chinese = "\n".join(render_duplicate_aid(report, "zh", names=names))
    assert "按乡镇" in chinese and "East Town (T1)" in chinese
    assert "相关类别的近似重复（不计为浪费）：1 组" in chinese and "儿童关爱 + 教育帮扶" in chinese
    assert "求解前合并的重复申报：1 组" in chinese
    assert "另有 1 组相关类别的帮扶" in chinese
