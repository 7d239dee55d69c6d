"""Every solver on the same scenarios: zero violations, and the order of quality between them."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.problem.score import score
from matcher.run import RunResult, solve_scenario
from solvers import SOLVERS

from ..conftest import contract_dict


def _variant(change: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    raw = contract_dict()
    change(raw)
    return raw


def _set(path: list[str | int], value: object) -> Callable[[dict[str, Any]], None]:
    def change(raw: dict[str, Any]) -> None:
        target: Any = raw
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _unpin(raw: dict[str, Any]) -> None:
    raw["needs"][7]["pinned_provider"] = None


def _add_record(raw: dict[str, Any]) -> None:
    raw["aid_records"].append(
        {
            "id": "A9",
            "household": "H-V2-009",
            "village": "V2",
            "category": "education",
            "provider": "education",
            "date": "2026-11-21",
        }
    )


# The contract county and variants that make each rule bind (the rule tests' scenarios).
SCENARIOS: dict[str, dict[str, Any]] = {
    "contract": contract_dict(),
    "h3-short-travel": _variant(_set(["cadres", 1, "max_travel_minutes"], 20)),
    "h3-org-area": _variant(
        lambda raw: (_set(["organizations", 0, "towns"], ["T1"])(raw), _unpin(raw))
    ),
    "h4-few-hours": _variant(_set(["cadres", 2, "hours"], 10)),
    "h4-unavailable": _variant(_set(["cadres", 1, "available"], False)),
    "h5-small-pool": _variant(_set(["pools", 0, "amount"], 2000)),
    "h6-low-cap": _variant(_set(["villages", 1, "funding_cap"], 500)),
    "h7-one-village": _variant(_set(["cadres", 0, "max_villages"], 1)),
    "h8-recent-aid": _variant(_add_record),
    "repeat-aid-allowed": _variant(_set(["policy"], {"allow_repeat_aid": True})),
    "fairness": _variant(_set(["policy"], {"fairness_floor_share": 0.9, "fairness_weight": 2})),
    "no-roads": _variant(lambda raw: raw.pop("roads")),
    "one-way": _variant(_set(["policy"], {"round_trip": False, "min_cadres_per_village": 3})),
    "generated": generate_scenario(villages=8, needs=80, seed=5),
}


def _solve(raw: dict[str, Any], solver: str, seconds: float = 10) -> RunResult:
    # parse_scenario validates cross-references too: every variant must be a valid scenario.
    return solve_scenario(
        parse_scenario(copy.deepcopy(raw)).scenario, solver=solver, time_limit=seconds
    )


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
@pytest.mark.parametrize("solver", sorted(SOLVERS))
def test_every_solver_keeps_every_rule(solver: str, scenario: str) -> None:
    """Whatever binds, no solver returns a plan the evaluator rejects."""
    run = _solve(SCENARIOS[scenario], solver)
    assert run.evaluation.violations == (), [v.message for v in run.evaluation.violations]
    assert run.plan.solver.status in ("optimal", "feasible")
    # The solvers' array score and the evaluator agree on every plan.
    assert score(run.problem, run.result.solution) == pytest.approx(run.evaluation.objective)


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_greedy_and_siloed_never_beat_cpsat(scenario: str) -> None:
    """CP-SAT proves optimality on these small counties; no heuristic plan scores higher."""
    exact = _solve(SCENARIOS[scenario], "cpsat")
    assert exact.plan.solver.status == "optimal"
    best = exact.evaluation.objective
    for heuristic in ("greedy", "siloed"):
        assert _solve(SCENARIOS[scenario], heuristic).evaluation.objective <= best + 1e-6
    bound = exact.plan.solver.bound
    assert bound is not None and bound >= best - 1e-6


def test_siloed_duplicates_and_blind_spots_that_integrated_planning_avoids() -> None:
    """On a generated county the siloed status quo wastes aid on duplicates and leaves needs
    open that the integrated CP-SAT plan serves; CP-SAT plans no duplicate at all."""
    raw = generate_scenario(villages=20, needs=300, seed=1)
    siloed = _solve(raw, "siloed")
    exact = _solve(raw, "cpsat", seconds=6)
    assert siloed.plan.kpis["duplicate_service_yuan"] > 0
    assert siloed.plan.kpis["duplicates_in_plan"] > 0
    # Only a household that submitted one category twice can be served twice (DESIGN §6).
    keys = Counter((n["household"] or n["village"], n["category"]) for n in raw["needs"])
    assert exact.plan.kpis["duplicates_in_plan"] <= sum(1 for c in keys.values() if c > 1)
    assert exact.plan.kpis["duplicate_service_yuan"] == 0
    siloed_open = {u.need for u in siloed.plan.unmet if u.reason != "already_aided"}
    exact_open = {u.need for u in exact.plan.unmet if u.reason != "already_aided"}
    assert len(exact_open) < len(siloed_open)
    assert len(siloed_open - exact_open) >= 0.1 * len(siloed_open)
    assert (
        exact.plan.kpis["households_reached_share"] > siloed.plan.kpis["households_reached_share"]
    )
    assert exact.evaluation.objective > siloed.evaluation.objective
