"""One test per hard rule H1-H8: the evaluator accepts it kept and flags it broken."""

from __future__ import annotations

from typing import Any

from matcher.evaluate.evaluator import evaluate
from matcher.plan import Assignment, FundingLine, Pairing, Plan
from matcher.scenario import Scenario


def rules_broken(raw: dict[str, Any], plan: Plan) -> dict[str, list[str]]:
    """Rule -> messages of a plan evaluated against a raw scenario."""
    evaluation = evaluate(Scenario.model_validate(raw), plan)
    found: dict[str, list[str]] = {}
    for v in evaluation.violations:
        found.setdefault(v.rule, []).append(v.message)
    return found


def test_optimal_plan_keeps_every_rule(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """The contract's optimal plan breaks none of H1-H8."""
    assert rules_broken(tiny_raw, tiny_plan) == {}


def test_h1_need_served_twice(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H1: serving N3 a second time is flagged; once is fine."""
    tiny_plan.assignments.append(Assignment(need="N3", provider="C2"))
    assert rules_broken(tiny_raw, tiny_plan)["H1"] == ["N3 is served 2 times"]


def test_h1_pinned_need_by_another_provider(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H1: N8 is pinned to O1; serving it by another provider is flagged."""
    tiny_raw["cadres"][1]["skills"]["mental_health"] = 2
    for a in tiny_plan.assignments:
        if a.need == "N8":
            a.provider = "C2"
    assert any(
        "pinned to O1 but served by C2" in m for m in rules_broken(tiny_raw, tiny_plan)["H1"]
    )


def test_h2_provider_without_the_skill(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H2: N3 (education level 2) by C1, who has no education skill, is flagged."""
    for a in tiny_plan.assignments:
        if a.need == "N3":
            a.provider = "C1"
    assert rules_broken(tiny_raw, tiny_plan)["H2"] == [
        "N3 by C1: needs education level 2, has no education"
    ]


def test_h2_level_too_low(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H2: C2 holding education at level 1 cannot serve N3's level 2."""
    tiny_raw["cadres"][1]["skills"]["education"] = 1
    assert "H2" in rules_broken(tiny_raw, tiny_plan)


def test_h3_beyond_travel_limit(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H3: with C2's limit cut to 20 min, serving N3 in V2 (25 min) is flagged."""
    tiny_raw["cadres"][1]["max_travel_minutes"] = 20
    messages = rules_broken(tiny_raw, tiny_plan)["H3"]
    assert messages == ["N3 by C2: village V2 is 25 min away (limit 20)"]


def test_h3_outside_the_organisations_towns(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H3: O1 serves only T2's villages; limited to T1 it may not serve N2 in V2."""
    tiny_raw["organizations"][0]["towns"] = ["T1"]
    messages = rules_broken(tiny_raw, tiny_plan)["H3"]
    assert any("outside the organisation's towns" in m for m in messages)


def test_h4_hours_exceeded(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H4: with 10 hours, C3's service (4.33 h) and two pairings (11.13 h) do not fit."""
    tiny_raw["cadres"][2]["hours"] = 10
    assert rules_broken(tiny_raw, tiny_plan)["H4"] == ["C3 needs 15.47 h > its 10 h"]


def test_h4_unavailable_cadre_has_work(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H4: an unavailable cadre may have no pairing and no assignment."""
    tiny_raw["cadres"][1]["available"] = False
    assert rules_broken(tiny_raw, tiny_plan)["H4"] == ["C2 is unavailable but has work"]


def test_h5_cost_not_funded_in_full(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H5: N2 costs 800; funding 700 of it is flagged."""
    for a in tiny_plan.assignments:
        if a.need == "N2":
            a.funding = [FundingLine(pool="P-west", amount=700)]
    assert rules_broken(tiny_raw, tiny_plan)["H5"] == ["N2 costs 800 yuan, funded 700"]


def test_h5_pool_amount_exceeded(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H5: a pool may not pay more than its amount in total."""
    tiny_raw["pools"][0]["amount"] = 2000
    tiny_raw["pools"][0]["max_per_need"] = None
    assert rules_broken(tiny_raw, tiny_plan)["H5"] == ["P-agri pays 3000 > its amount 2000"]


def test_h6_village_cap_exceeded(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H6: with V2's cap at 500, funding N2's 800 yuan is flagged."""
    tiny_raw["villages"][1]["funding_cap"] = 500
    assert rules_broken(tiny_raw, tiny_plan)["H6"] == ["V2 funded 800 > its cap 500"]


def test_h7_too_many_pairings(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H7: C2 may pair one village; a second pairing is flagged."""
    tiny_plan.pairings.append(Pairing(cadre="C2", village="V2"))
    assert rules_broken(tiny_raw, tiny_plan)["H7"] == ["C2 has 2 pairings > max_villages 1"]


def test_h7_pairing_listed_twice(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H7: a pairing is listed once."""
    tiny_plan.pairings.append(Pairing(cadre="C1", village="V1"))
    assert rules_broken(tiny_raw, tiny_plan)["H7"] == ["C1-V1 pairing is listed 2 times"]


def test_h8_repeat_of_recent_aid(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H8: education aid to H-V2-009 ten days before the horizon holds N3 back."""
    tiny_raw["aid_records"].append(
        {
            "id": "A9",
            "household": "H-V2-009",
            "village": "V2",
            "category": "education",
            "provider": "education",
            "cost": 0,
            "hours": 1,
            "date": "2026-11-21",
        }
    )
    assert rules_broken(tiny_raw, tiny_plan)["H8"] == [
        "N3 repeats recent aid: education by education on 2026-11-21"
    ]


def test_h8_allow_repeat_aid_lifts_it(tiny_raw: dict[str, Any], tiny_broken_plan: Plan) -> None:
    """H8: with policy.allow_repeat_aid, serving N6 despite A1 and A2 is allowed."""
    tiny_raw["policy"] = {"allow_repeat_aid": True}
    assert "H8" not in rules_broken(tiny_raw, tiny_broken_plan)


def test_h8_window_boundary(tiny_raw: dict[str, Any], tiny_plan: Plan) -> None:
    """H8: a record exactly 30 days before the start counts; 31 days before does not."""
    record = {
        "id": "A9",
        "household": "H-V2-009",
        "village": "V2",
        "category": "education",
        "provider": "education",
        "date": "2026-11-01",
    }
    tiny_raw["aid_records"].append(record)
    assert "H8" in rules_broken(tiny_raw, tiny_plan)
    record["date"] = "2026-10-31"
    assert "H8" not in rules_broken(tiny_raw, tiny_plan)
