"""The time limit shared among a run's stages (matcher.budget, matcher.run)."""

from __future__ import annotations

import threading
import time

import pytest

from matcher.budget import (
    MIN_RESERVE,
    Budget,
    after_search_seconds,
    fix_pricing_budget,
    read_prices_seconds,
)
from matcher.reports import render_text
from matcher.reports.shapes import stored_reports
from matcher.run import FixOptions, solve_scenario
from matcher.scenario import Scenario
from solvers.pricing import resource_prices


def test_the_search_gets_what_the_later_stages_leave() -> None:
    """A 10 s limit with 3 s to be spent after the search leaves about 7 s to search, never
    less than 0.05 s, and no limit means none."""
    budget = Budget(time.monotonic(), 10.0)
    search = budget.for_search(3.0)
    assert search is not None and 6.5 < search <= 7.0
    assert Budget(time.monotonic() - 20, 10.0).for_search(3.0) == 0.05
    assert Budget(time.monotonic(), None).for_search(3.0) is None
    assert Budget(time.monotonic(), 10.0).fits(5.0)
    assert not Budget(time.monotonic(), 10.0).fits(11.0)


def test_predictions_grow_with_the_county() -> None:
    """Later stages are predicted per need (with a floor), fix pricing a tenth of the limit."""
    assert after_search_seconds(100) == MIN_RESERVE == 1.0
    assert after_search_seconds(50_000, html=True) > after_search_seconds(50_000) > 5
    assert fix_pricing_budget(30) == 3.0 and fix_pricing_budget(1000) == 15.0


def test_fixes_that_do_not_fit_the_limit_are_skipped_and_say_why(tiny: Scenario) -> None:
    """Kept: with room, fixes are ranked. Broken limit: with 0.3 s for the whole run, ranking
    fixes (0.5 s of pricing alone) would overrun it: the report says so instead."""
    roomy = solve_scenario(tiny, solver="greedy", time_limit=30, fixes=FixOptions(rank=True))
    report = stored_reports(roomy.plan.reports)["blind_spots"]
    assert "fix_pricing" in report and "fixes_skipped" not in report
    tight = solve_scenario(tiny, solver="greedy", time_limit=0.3, fixes=FixOptions(rank=True))
    report = stored_reports(tight.plan.reports)["blind_spots"]
    assert "fix_pricing" not in report
    assert "time limit left" in report["fixes_skipped"]
    assert all("fixes" not in group for group in report["unmet_groups"])
    assert "Fixes: not ranked" in render_text(stored_reports(tight.plan.reports), "en")


def test_a_stopped_run_ranks_no_fixes(tiny: Scenario) -> None:
    """A stop asked before the end skips the fixes: the plan comes back at once."""
    stop = threading.Event()
    stop.set()
    run = solve_scenario(
        tiny, solver="greedy", time_limit=30, stop=stop, fixes=FixOptions(rank=True)
    )
    report = stored_reports(run.plan.reports)["blind_spots"]
    assert report["fixes_skipped"] == "the run was stopped before its fixes were ranked"


def test_auto_hands_its_lp_to_the_fixes(tiny: Scenario) -> None:
    """Kept: auto's LP duals price the fixes, so the fixes solve no LP of their own (their
    pricing reports auto's LP seconds) and the search keeps the tenth of the limit that a
    second solve needs. Broken: with a change limit auto's LP is another model, so it hands
    nothing over and the fixes solve their own."""
    run = solve_scenario(tiny, solver="auto", time_limit=30, fixes=FixOptions(rank=True))
    handed = run.result.lp_prices
    assert handed is not None and handed.converged
    pricing = stored_reports(run.plan.reports)["blind_spots"]["fix_pricing"]
    assert pricing["lp_seconds"] == round(handed.seconds, 3)
    assert float(run.result.stats["lp_seconds"]) == handed.seconds
    assert read_prices_seconds(len(tiny.needs)) < fix_pricing_budget(30) / 10
    limited = solve_scenario(tiny, solver="auto", time_limit=30, previous=run.plan, max_changes=0)
    assert limited.result.lp_prices is None


def test_prices_read_from_a_solved_lp_are_the_lp_s_own(tiny: Scenario) -> None:
    """The prices read off auto's duals equal those of the pricing LP solved from scratch:
    both are the LP optimum's (the tiny county's LP has one), and both bound the same."""
    run = solve_scenario(tiny, solver="auto", time_limit=30)
    problem = run.problem
    read = run.result.lp_prices
    assert read is not None
    solved = resource_prices(problem, run.result.solution)
    assert read.bound == pytest.approx(solved.bound, rel=1e-9)
    for name in ("hours", "pool", "cap", "need", "pairing"):
        assert getattr(read, name) == pytest.approx(getattr(solved, name), abs=1e-6), name


def test_every_stage_of_a_run_is_timed(tiny: Scenario) -> None:
    """The plan says where its time went, stage by stage, from the command's start: the
    stages add up to the run's seconds (no stage is missing or counted twice)."""
    started = time.monotonic() - 0.5  # as a command that spent 0.5 s reading its file
    run = solve_scenario(
        tiny, solver="greedy", time_limit=30, started=started, fixes=FixOptions(rank=True)
    )
    stats = run.plan.solver.stats or {}
    stages = {k: float(v) for k, v in stats.items() if k.startswith("stage_")}
    names = ("read", "compile", "search", "schedule", "evaluate", "reports", "fixes")
    assert set(stages) == {f"stage_{name}_s" for name in names}
    assert stages["stage_read_s"] >= 0.5
    assert all(seconds >= 0 for seconds in stages.values())
    assert sum(stages.values()) == pytest.approx(run.plan.solver.seconds, abs=0.05)
