"""Passing a :class:`~solvers.linear_model.LinearModel` (or part of one) to HiGHS.

All HiGHS users (the LP bound, the ``highs`` MIP and the neighbourhood sub-MIPs) go through these
helpers, so options such as the thread count, the seed and the silenced log are set in one place.
"""

from __future__ import annotations

import os
import sys
import threading
import time

import highspy
import numpy as np
import scipy.sparse as sp

from matcher.problem.arrays import BoolArray, FloatArray


def _finite(values: FloatArray) -> FloatArray:
    inf = highspy.kHighsInf
    return np.where(np.isposinf(values), inf, np.where(np.isneginf(values), -inf, values))


_quiet_done = False
_quiet_lock = threading.Lock()


def _first_highs() -> highspy.Highs:
    """HiGHS prints a copyright banner to stdout (C level) when the first instance is made,
    before any option can silence it; the CLI's stdout must stay ours, so that one
    construction runs with file descriptor 1 pointed at /dev/null."""
    global _quiet_done
    with _quiet_lock:
        if _quiet_done:
            return highspy.Highs()
        _quiet_done = True
        return _silently_constructed()


def _silently_constructed() -> highspy.Highs:
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            h = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return h


def new_highs(seed: int = 0, threads: int = 1) -> highspy.Highs:
    """A silent HiGHS instance that maximises, deterministic for a seed and a thread count."""
    h = _first_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", int(seed) % (2**31 - 1))
    h.setOptionValue("threads", max(1, int(threads)))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    return h


def add_rows(h: highspy.Highs, lo: FloatArray, hi: FloatArray) -> None:
    """Add empty rows with these bounds (the columns bring their coefficients)."""
    empty = np.zeros(0, dtype=np.int32)
    h.addRows(len(lo), _finite(lo), _finite(hi), 0, empty, empty, np.zeros(0))


def add_columns(
    h: highspy.Highs,
    matrix: sp.csc_array,
    cost: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    integral: BoolArray | None = None,
) -> None:
    """Add columns (``matrix`` has one row per row already in ``h``)."""
    n = matrix.shape[1]
    if n == 0:
        return
    m = sp.csc_array(matrix)
    m.sort_indices()
    first = h.getNumCol()
    h.addCols(
        n,
        np.asarray(cost, dtype=np.float64),
        _finite(np.asarray(lo, dtype=np.float64)),
        _finite(np.asarray(hi, dtype=np.float64)),
        int(m.nnz),
        m.indptr[:-1].astype(np.int32),
        m.indices.astype(np.int32),
        m.data.astype(np.float64),
    )
    if integral is not None:
        ints = np.flatnonzero(integral).astype(np.int32)
        if len(ints):
            kinds = np.full(len(ints), highspy.HighsVarType.kInteger)
            h.changeColsIntegrality(len(ints), first + ints, kinds)


STOP_GRACE = 0.2
"""Seconds HiGHS gets to end after a stop's ``cancelSolve`` before the run is abandoned."""
LATE_GRACE = 2.0
"""The same after its deadline: the time limit holds within this much more."""


def run(
    h: highspy.Highs, stop: threading.Event | None = None, deadline: float | None = None
) -> bool:
    """``h.run()``, cancelled as soon as ``stop`` is set or the ``time.perf_counter()``
    ``deadline`` passes (HiGHS checks its own time limit only now and then, for example not
    inside presolve; it releases the GIL while it solves, so it can be cancelled from here).

    Whether the run finished: after a stop (or its deadline), HiGHS gets :data:`STOP_GRACE`
    (:data:`LATE_GRACE`) seconds to notice the cancel, and is then left to end in its own
    thread — the caller's stop is honoured at once, and an abandoned ``h`` must not be touched
    again (False)."""
    if stop is None and deadline is None:
        h.run()
        return True
    if stop is not None and stop.is_set():
        return False
    done = threading.Event()

    def solve() -> None:
        try:
            h.run()
        finally:
            done.set()

    solver = threading.Thread(target=solve, name="highs-run", daemon=True)
    solver.start()
    while not done.wait(0.05):
        late = deadline is not None and time.perf_counter() >= deadline
        stopped = stop is not None and stop.is_set()
        if late or stopped:
            h.cancelSolve()
            # A stop is honoured at once; a deadline waits longer, so that a HiGHS busy in
            # presolve rarely leaves a run behind that competes for the cores.
            return done.wait(STOP_GRACE if stopped else LATE_GRACE)
    return True
