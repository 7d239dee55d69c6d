"""A broken hard rule, as every rule function of the evaluator reports it.

Its own module so that the rules of DESIGN §4 (:mod:`matcher.evaluate.rules`) and those of
§9 (:mod:`matcher.evaluate.schedule_rules`) share one shape without importing each other.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matcher.evaluate.usage import PlanUsage
    from matcher.plan import Plan
    from matcher.problem.index import ScenarioIndex


@dataclass(frozen=True)
class Violation:
    """A broken hard rule, with the ids it concerns."""

    rule: str
    message: str
    need: str | None = None
    provider: str | None = None
    village: str | None = None
    pool: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Plain data for JSON."""
        return asdict(self)


Rule = Callable[["ScenarioIndex", "Plan", "PlanUsage"], list[Violation]]
