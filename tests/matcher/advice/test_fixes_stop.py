"""Sizing fixes ends at the caller's stop as it ends at the deadline: the groups not yet sized
get no fixes, and the pricing summary says how many were."""

from __future__ import annotations

import threading

from matcher.advice.confirm import _prices
from matcher.advice.fixes import all_group_fixes
from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import SolveParams
from matcher.reports import build_reports
from matcher.run import decisions_of
from solvers import get_solver


def test_a_stop_ends_fix_sizing() -> None:
    index = ScenarioIndex.build(
        parse_scenario(generate_scenario(villages=20, needs=800, seed=2)).scenario
    )
    result = get_solver("greedy").solve(index.problem, SolveParams(time_limit=None))
    plan, evaluation = decisions_of(index, index.problem, result)
    groups = build_reports(index, plan, evaluation)["blind_spots"]["unmet_groups"]
    assert len(groups) > 3
    prices = _prices(index, result.solution, 5.0, None)
    _, all_sized = all_group_fixes(index, evaluation, prices, groups)
    stop = threading.Event()
    stop.set()
    ranked, sized = all_group_fixes(index, evaluation, prices, groups, stop=stop)
    assert all_sized == len(groups) and sized == 0
    assert all(fixes == [] for fixes in ranked)
