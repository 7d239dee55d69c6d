"""What is found before the search (structural unmet reasons, the ledger's part of the
duplicate-aid report, the vectorised hours left) gives exactly what finding it after would."""

from __future__ import annotations

import numpy as np

from matcher.evaluate.evaluator import evaluate
from matcher.evaluate.unmet import HoursLeft, prepare_unmet, structural_reasons
from matcher.evaluate.usage import plan_usage
from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.plan import Plan, SolverInfo
from matcher.prepare.eligibility import HOURS_TOLERANCE
from matcher.problem.index import ScenarioIndex
from matcher.reports.duplicate_aid import duplicate_aid_report, ledger_part
from matcher.run import prepare_after_search, solve_scenario


def _county() -> ScenarioIndex:
    return ScenarioIndex.build(
        parse_scenario(generate_scenario(villages=20, needs=400, seed=3)).scenario
    )


def test_prepared_index_evaluates_like_a_fresh_one() -> None:
    """A plan evaluated on an index prepared before the search has the same unmet reasons and
    reports as on a fresh index that finds everything afterwards."""
    prepared = _county()
    prepare_after_search(prepared)
    plan = solve_scenario(prepared, solver="greedy").plan
    fresh = ScenarioIndex.build(prepared.scenario)
    assert not fresh._memo  # nothing found yet: the comparison is not of one cache with itself
    got, expected = evaluate(prepared, plan), evaluate(fresh, plan)
    assert [u.model_dump() for u in got.unmet] == [u.model_dump() for u in expected.unmet]
    assert duplicate_aid_report(prepared, plan) == duplicate_aid_report(fresh, plan)


def test_structural_reasons_are_found_once_per_index() -> None:
    """The second call returns the very same mapping: no second pass over the needs."""
    index = _county()
    prepare_unmet(index)
    first = structural_reasons(index)
    assert first, "a generated county has needs no plan can serve"
    assert structural_reasons(index) is first
    assert ledger_part(index) is ledger_part(index)


def test_the_plans_own_parts_still_follow_the_plan() -> None:
    """Shared ledger parts, but merged submissions and capacity reasons are the plan's: an
    empty plan and a solved plan differ there."""
    index = _county()
    solved = solve_scenario(index, solver="greedy").plan
    empty = Plan(solver=SolverInfo(name="none", status="feasible"))
    a, b = evaluate(index, solved), evaluate(index, empty)
    assert len(b.unmet) > len(a.unmet)
    reasons_a = {u.reason for u in a.unmet}
    reasons_b = {u.reason for u in b.unmet}
    assert "not_chosen" in reasons_b and reasons_a != reasons_b


def test_hours_left_matches_a_need_by_need_check() -> None:
    """The one-pass reduction over arcs equals checking each need's arcs on its own."""
    index = _county()
    plan = solve_scenario(index, solver="greedy").plan
    hours = HoursLeft(index, plan_usage(index, plan))
    problem = index.problem
    checked = 0
    for need in index.scenario.needs:
        n = index.need_position[need.id]
        arcs = list(problem.arcs_of(n))
        if not arcs:
            continue
        left = hours.left[problem.arc_provider[arcs]]
        fits = bool(np.any(left + HOURS_TOLERANCE >= problem.arc_hours[arcs]))
        assert hours.of(need) == (fits, float(left.max()))
        checked += 1
    assert checked > 100
