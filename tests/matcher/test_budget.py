"""The time limit shared among a run's stages (matcher.budget, matcher.run)."""

from __future__ import annotations

import threading
import time

from matcher.budget import MIN_RESERVE, Budget, after_search_seconds, fix_pricing_budget
from matcher.reports import render_text
from matcher.reports.shapes import stored_reports
from matcher.run import FixOptions, solve_scenario
from matcher.scenario import Scenario


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
