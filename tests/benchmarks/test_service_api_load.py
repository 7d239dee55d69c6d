"""The service-loop API benchmark: its calendar, and one tiny run against its own server with a
SIGKILL on the second day (no timed assertions: only that nothing acknowledged was lost, the
killed re-plans came back, and the row and summary were written)."""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

import pytest

from benchmarks.service_api_load import FIELDS, failed, main, working_days


def test_working_days_skip_weekends_and_holidays_and_keep_make_up_days() -> None:
    horizon = {"start": "2026-12-04", "holidays": ["2026-12-07"], "workdays": ["2026-12-06"]}
    assert working_days(horizon, 3) == [
        dt.date(2026, 12, 4),  # Friday
        dt.date(2026, 12, 6),  # a Sunday made a working day
        dt.date(2026, 12, 8),  # Monday the 7th is a holiday
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers use PR_SET_PDEATHSIG")
def test_a_tiny_run_with_a_kill_loses_nothing(tmp_path: Path) -> None:
    out, summary = tmp_path / "load.csv", tmp_path / "load.md"
    argv = ["--counties", "2", "--villages", "8", "--days", "2", "--needs-per-day", "12"]
    argv += ["--burst", "4", "--clients", "4", "--workers", "1", "--solver", "auto"]
    argv += ["--time-limit", "1", "--kill-day", "2", "--kill-after", "0.3"]
    argv += ["--lease-seconds", "2", "--progress", "0", "--out", str(out)]
    argv += ["--summary", str(summary)]
    row = main(argv)
    assert not failed(row), row["_problems"]
    assert row["kill"] == "yes"
    assert row["needs_accepted"] == 2 * 2 * 12
    assert row["needs_lost"] == row["needs_duplicated"] == row["needs_extra"] == 0
    assert row["events_lost"] == row["events_duplicated"] == 0
    assert row["replans"] == 4 and row["replans_failed"] == 0
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1 and list(rows[0]) == list(FIELDS)
    assert rows[0]["database"] == "sqlite" and rows[0]["needs_lost"] == "0"
    assert "needs lost" in summary.read_text(encoding="utf-8")
