"""Duplicate submissions (one household's need of one category submitted twice) are merged
before solving: the kept need is offered to solvers, the merged ones are not, and a plan that
serves one anyway breaks no hard rule but is flagged by the duplicate-aid report."""

from __future__ import annotations

from typing import Any

import pytest

from matcher.evaluate.evaluator import evaluate
from matcher.plan import Assignment, Plan
from matcher.prepare.merging import duplicate_submissions
from matcher.problem.compile import compile_problem
from matcher.problem.index import ScenarioIndex
from matcher.reports.duplicate_aid import duplicate_aid_report
from matcher.run import solve_scenario
from matcher.scenario import Scenario


def need(nid: str, **fields: Any) -> dict[str, Any]:
    """A 1-hour, free child-care need of H-V2-004 (the household of N2) unless fields differ."""
    base = {
        "id": nid,
        "village": "V2",
        "household": "H-V2-004",
        "category": "child_care",
        "hours": 1,
        "priority": 2,
        "submitted": "2026-12-07",
    }
    return {**base, **fields}


def merges_of(raw: dict[str, Any]) -> list[tuple[str, tuple[str, ...]]]:
    """(kept, merged) of every merge of a scenario dict."""
    return [
        (m.kept, m.merged)
        for m in ScenarioIndex.build(Scenario.model_validate(raw)).merged.values()
    ]


def test_the_contract_county_has_no_duplicate_submission(tiny: Scenario) -> None:
    """H-V2-004 and H-V3-002 have two needs each but of different categories: nothing merges,
    so the contract's figures stay as they are."""
    assert duplicate_submissions(tiny) == ()
    problem = compile_problem(tiny)
    assert all(len(problem.arcs_of(n)) > 0 for n in range(4))  # N1-N4 keep their arcs


def test_a_second_submission_is_merged_into_the_more_valuable_one(
    tiny_raw: dict[str, Any],
) -> None:
    """N9 repeats N2 (same household and category) with a lower priority: merged into N2. Of
    another household it is a need of its own."""
    tiny_raw["needs"].append(need("N9"))
    assert merges_of(tiny_raw) == [("N2", ("N9",))]
    tiny_raw["needs"][-1]["household"] = "H-V2-005"
    assert merges_of(tiny_raw) == []


@pytest.mark.parametrize(
    ("n9", "kept"),
    [
        ({"priority": 4, "vulnerable": ["left_behind_child"], "hours": 5}, "N9"),  # most hours
        ({"priority": 4, "vulnerable": ["left_behind_child"], "hours": 4}, "N2"),  # earlier
        (
            {"priority": 4, "vulnerable": ["left_behind_child"], "hours": 4, "submitted": None},
            "N2",
        ),  # undated last
        (
            {
                "priority": 4,
                "vulnerable": ["left_behind_child"],
                "hours": 4,
                "submitted": "2026-12-01",
            },
            "N9",
        ),  # earliest
        ({"priority": 5}, "N9"),  # higher value
    ],
)
def test_the_kept_need_by_value_then_hours_then_submission(
    tiny_raw: dict[str, Any], n9: dict[str, Any], kept: str
) -> None:
    """The kept need has the highest value, then the most hours, then the earliest date."""
    tiny_raw["needs"].append(need("N9", **n9))
    ((found, merged),) = merges_of(tiny_raw)
    assert found == kept
    assert merged == (("N2",) if kept == "N9" else ("N9",))


def test_village_level_needs_are_not_merged(tiny_raw: dict[str, Any]) -> None:
    """Two agri_tech needs of village V2 without a household may be two canals: not merged."""
    tiny_raw["needs"].append(need("N9", household=None, category="agri_tech"))
    assert merges_of(tiny_raw) == []


def test_a_pinned_need_is_kept_and_never_merged(tiny_raw: dict[str, Any]) -> None:
    """N8 (mental_health of H-V2-004) is pinned to O1: a more valuable repeat of it is merged
    into N8, and a second pinned repeat stays a need of its own."""
    tiny_raw["needs"].append(need("N9", category="mental_health", priority=5))
    assert merges_of(tiny_raw) == [("N8", ("N9",))]
    tiny_raw["needs"][-1]["pinned_provider"] = "O1"
    assert merges_of(tiny_raw) == []


def test_needs_held_back_by_recent_aid_are_not_merged(tiny_raw: dict[str, Any]) -> None:
    """A repeat of N6 is held back by A1 and A2 like N6: both stay already_aided, unmerged."""
    tiny_raw["needs"].append(
        need("N9", village="V1", household="H-V1-017", category="hardship_relief")
    )
    assert merges_of(tiny_raw) == []
    unmet = {u.need: u.reason for u in evaluate(Scenario.model_validate(tiny_raw), _empty()).unmet}
    assert unmet["N6"] == unmet["N9"] == "already_aided"


def _empty() -> Plan:
    return Plan.model_validate({"solver": {"name": "none", "status": "feasible"}})


def test_the_compiled_problem_offers_a_merged_need_no_arc(tiny_raw: dict[str, Any]) -> None:
    """N9 has arcs (O1, C2) as a need of its own and none once it repeats N2."""
    tiny_raw["needs"].append(need("N9", household="H-V2-005"))
    problem = compile_problem(Scenario.model_validate(tiny_raw))
    assert len(problem.arcs_of(8)) == 2
    tiny_raw["needs"][-1]["household"] = "H-V2-004"
    problem = compile_problem(Scenario.model_validate(tiny_raw))
    assert len(problem.arcs_of(8)) == 0


@pytest.mark.parametrize("solver", ["greedy", "siloed", "cpsat", "highs"])
def test_solvers_do_not_serve_a_merged_need(tiny_raw: dict[str, Any], solver: str) -> None:
    """Every solver serves N9 as another household's need and leaves it open once it repeats N2:
    unmet ``not_chosen`` with ``merged_into`` N2, and the report lists the merge."""
    tiny_raw["needs"].append(need("N9", household="H-V2-005"))
    run = solve_scenario(Scenario.model_validate(tiny_raw), solver=solver, time_limit=20)
    assert "N9" in {a.need for a in run.plan.assignments}

    tiny_raw["needs"][-1]["household"] = "H-V2-004"
    run = solve_scenario(Scenario.model_validate(tiny_raw), solver=solver, time_limit=20)
    assert "N9" not in {a.need for a in run.plan.assignments}
    (unmet,) = [u for u in run.plan.unmet if u.need == "N9"]
    assert unmet.reason == "not_chosen"
    assert unmet.detail == "merged into N2: the same household and category submitted twice"
    assert unmet.model_dump()["merged_into"] == "N2"
    merged = run.plan.reports["duplicate_aid"]["merged_submissions"]
    (merge,) = merged["merges"]
    assert (merge["kept"], merge["merged"], merge["household"]) == ("N2", ["N9"], "H-V2-004")
    assert (merge["village"], merge["category"], merge["town"]) == ("V2", "child_care", "T2")
    assert merged["totals"]["needs_merged"] == 1 and merged["served_in_plan"] == []


def test_a_plan_serving_a_merged_need_is_flagged_not_a_violation(
    tiny_raw: dict[str, Any], tiny_plan: Plan
) -> None:
    """The contract plan with N9 (a repeat of N2, served by O1) served by C2 too: H1-H8 hold,
    the report flags N9 as served twice; without that assignment nothing is flagged."""
    tiny_raw["needs"].append(need("N9"))
    index = ScenarioIndex.build(Scenario.model_validate(tiny_raw))
    merged = duplicate_aid_report(index, tiny_plan)["merged_submissions"]
    assert merged["served_in_plan"] == [] and "none" in merged["note"]

    tiny_plan.assignments.append(Assignment(need="N9", provider="C2", travel_minutes=25))
    evaluation = evaluate(index, tiny_plan)
    assert evaluation.violations == ()
    assert "N9" not in {u.need for u in evaluation.unmet}
    merged = duplicate_aid_report(index, tiny_plan)["merged_submissions"]
    (flag,) = merged["served_in_plan"]
    assert (flag["need"], flag["kept"], flag["provider"]) == ("N9", "N2", "C2")
    assert flag["kept_served_by"] == "O1" and flag["served_twice"] is True
    assert flag["hours"] == pytest.approx(1 + 50 / 60, abs=1e-4)
    assert merged["totals"]["served_twice"] == 1
