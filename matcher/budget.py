"""How a run's time limit is shared among its stages (DESIGN §7: the limit bounds the whole
command, from reading the scenario to the written plan and reports).

The search is the one stage that can use any time it gets; the others cost what their size
makes them cost. So the solver gets the limit less what has been spent already and less the
predicted cost of every stage still to come, and a stage that is optional (ranking fixes)
starts only if its prediction fits in what is left. Predictions are seconds per 1,000 needs,
measured by ``benchmarks/stages.py`` on generated counties (``/tmp/stagetime``-style runs of
5,000 to 50,000 needs on this project's 2-core machines), with a margin: evaluating a plan
and its unmet reasons ~0.05, the reports ~0.03, assembling and writing the plan ~0.04, the
HTML page ~0.025, sizing fixes ~0.1. With ``policy.schedule`` on (DESIGN §9), planning the days
and routes of the solution comes between the search and the evaluation, and the evaluation
checks routes: ~0.2 together, measured at 20,000 needs (``benchmarks/schedule_scale.py``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

# Seconds per 1,000 needs of each stage after the search (see the module's docstring).
EVALUATE_PER_1000 = 0.08
REPORTS_PER_1000 = 0.04
WRITE_PER_1000 = 0.05
HTML_PER_1000 = 0.04
FIX_SIZING_PER_1000 = 0.12
SCHEDULE_PER_1000 = 0.25
READ_PRICES_PER_1000 = 0.02
MIN_RESERVE = 1.0  # seconds kept back whatever the size: process exit, file system, noise


def fix_pricing_budget(time_limit: float | None) -> float:
    """Seconds of the time limit kept for pricing the plan's resources (blind-spot fixes):
    a tenth of the limit, between 0.5 and 15 s; 60 s without a limit."""
    if time_limit is None:
        return 60.0
    return max(0.5, min(15.0, 0.1 * time_limit))


def read_prices_seconds(n_needs: int) -> float:
    """Predicted seconds of taking the resource prices the solver handed over (``auto``
    prices its own LP; the fixes then need no LP of their own): naming each price by its
    provider, pool, village or need, with a margin."""
    return max(0.1, READ_PRICES_PER_1000 * n_needs / 1000)


def after_search_seconds(n_needs: int, *, html: bool = False) -> float:
    """Predicted seconds of what every run does after its search: evaluate the plan, build
    the reports, assemble and write the plan (and the HTML page when asked for)."""
    per_1000 = EVALUATE_PER_1000 + REPORTS_PER_1000 + WRITE_PER_1000
    if html:
        per_1000 += HTML_PER_1000
    return max(MIN_RESERVE, per_1000 * n_needs / 1000)


def schedule_seconds(n_needs: int) -> float:
    """Predicted seconds of planning a solution's days and routes (DESIGN §9) and of checking
    them in the evaluation, with ``policy.schedule`` on."""
    return SCHEDULE_PER_1000 * n_needs / 1000


def writing_seconds(n_needs: int, *, html: bool = False) -> float:
    """Predicted seconds of assembling and writing the plan (and the HTML page), with the
    reserve for process exit and noise: what the stages before it (fixes) must leave."""
    return MIN_RESERVE + (WRITE_PER_1000 + (HTML_PER_1000 if html else 0.0)) * n_needs / 1000


def fix_sizing_seconds(n_needs: int) -> float:
    """Predicted seconds of sizing the fixes of every blind spot (after their pricing)."""
    return FIX_SIZING_PER_1000 * n_needs / 1000


@dataclass(frozen=True)
class Budget:
    """A time limit counted from ``started`` (``time.monotonic()``); no limit when None."""

    started: float
    limit: float | None

    def spent(self) -> float:
        """Seconds since the start."""
        return time.monotonic() - self.started

    def left(self) -> float | None:
        """Seconds left of the limit (negative once overrun), None without a limit."""
        return None if self.limit is None else self.limit - self.spent()

    def fits(self, seconds: float) -> bool:
        """Whether a stage predicted to take ``seconds`` ends within the limit."""
        left = self.left()
        return left is None or seconds <= left

    def ends_before(self, reserved: float) -> float | None:
        """The ``time.monotonic()`` moment a stage must end by so that ``reserved`` seconds of
        later stages still end within the limit (None without a limit)."""
        return None if self.limit is None else self.started + self.limit - reserved

    def for_search(self, reserved: float) -> float | None:
        """Seconds the search may take so that ``reserved`` seconds of later stages still end
        within the limit (at least 0.05 s: a solver always returns some plan)."""
        left = self.left()
        return None if left is None else max(0.05, left - reserved)
