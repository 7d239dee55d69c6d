"""Running HiGHS under a stop: the caller's stop is honoured even when HiGHS is slow to see it
(solvers.highs_backend.run)."""

from __future__ import annotations

import threading
from typing import Any

from solvers.highs_backend import run


class SlowHighs:
    """A stand-in for highspy.Highs whose run ignores cancelSolve until it is released."""

    def __init__(self, listens: bool) -> None:
        self.listens = listens
        self.release = threading.Event()
        self.cancelled = threading.Event()
        self.ended = threading.Event()

    def run(self) -> None:
        if self.listens:
            self.cancelled.wait()
        else:
            self.release.wait()
        self.ended.set()

    def cancelSolve(self) -> None:
        self.cancelled.set()


def _run(h: SlowHighs, stop: threading.Event) -> bool:
    fake: Any = h
    return run(fake, stop)


def test_a_highs_that_heeds_the_cancel_finishes_its_run() -> None:
    """Kept: HiGHS sees the cancel and ends; the run counts as finished, h may be read."""
    h, stop = SlowHighs(listens=True), threading.Event()
    threading.Timer(0.1, stop.set).start()
    assert _run(h, stop) is True
    assert h.cancelled.is_set() and h.ended.is_set()


def test_a_highs_deaf_to_the_cancel_is_left_behind_and_the_stop_honoured() -> None:
    """Broken HiGHS (busy in presolve): the run returns unfinished while HiGHS is still
    running in its own thread, so the caller never touches it and returns its best plan."""
    h, stop = SlowHighs(listens=False), threading.Event()
    threading.Timer(0.1, stop.set).start()
    assert _run(h, stop) is False
    assert h.cancelled.is_set() and not h.ended.is_set()
    h.release.set()
    assert h.ended.wait(5)


def test_a_stop_before_the_run_starts_nothing() -> None:
    """A stop already set: HiGHS is not started."""
    h, stop = SlowHighs(listens=True), threading.Event()
    stop.set()
    assert _run(h, stop) is False and not h.ended.is_set()
