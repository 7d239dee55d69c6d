"""What households do, whatever the plan: close needs by their fate, and answer how it went.

- A need whose fate closes it (``duplicate``, ``done_by_others``) is closed on its day with that
  reason when it is still ``open``, ``assigned`` or ``started`` then (a need resolved first
  stays resolved).
- A resolved need's household answers the satisfaction call with probability
  :data:`ANSWER_SHARE`; the answer (1-5) is drawn from :data:`ON_TIME_ANSWERS` when the need
  was responded to by its deadline (mean 4.5) and from :data:`LATE_ANSWERS` otherwise (mean
  3.6). It is posted as a ``feedback`` event the day the need is resolved.

The draws are made once per need from the replay's seed (:class:`Answers`), so every policy
replayed with one seed meets the same households: the same uniform numbers, turned into an
answer by whether that policy was on time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from matcher.generator.arrivals import Fate
from matcher.register.memory import MemoryRegister
from matcher.register.model import NeedEvent, RegisteredNeed
from matcher.scenario import Need, Policy
from matcher.schedule.calendar import WorkCalendar, due

ANSWER_SHARE = 0.7
# P(1..5): on time mean 4.49; late mean 3.56.
ON_TIME_ANSWERS = (0.01, 0.02, 0.07, 0.27, 0.63)
LATE_ANSWERS = (0.05, 0.12, 0.25, 0.38, 0.20)
ANSWERS_SEED_SALT = 2020


def close_by_fate(register: MemoryRegister, day: dt.date, fates: Mapping[str, Fate]) -> int:
    """Close the needs whose fate closes them on ``day``; how many were closed."""
    closed = 0
    for need in register.needs():
        fate = fates.get(need.id)
        if fate is None or fate.close_on != day or fate.close_reason is None:
            continue
        if need.status in ("open", "assigned", "started"):
            register.post(need.id, NeedEvent("closed", day, reason=fate.close_reason))
            closed += 1
    return closed


def _score(u: float, table: tuple[float, ...]) -> int:
    return 1 + int(np.searchsorted(np.cumsum(table), u, side="right").clip(0, len(table) - 1))


@dataclass(frozen=True)
class Answers:
    """Each need's two uniform draws: whether the household answers, and what."""

    draws: dict[str, tuple[float, float]]

    @staticmethod
    def of(needs: Iterable[Need], seed: int) -> Answers:
        """The draws of ``needs`` (in arrival order) from ``seed``."""
        ids = [n.id for n in needs]
        u = np.random.default_rng([seed, ANSWERS_SEED_SALT]).random((len(ids), 2))
        return Answers({i: (float(a), float(b)) for i, (a, b) in zip(ids, u.tolist(), strict=True)})

    def answer(self, need: RegisteredNeed, calendar: WorkCalendar, policy: Policy) -> int | None:
        """The household's satisfaction with a resolved need, or None when it did not answer."""
        u_answer, u_score = self.draws.get(need.id, (1.0, 0.0))
        if u_answer >= ANSWER_SHARE:
            return None
        responded = next(e.at for e in need.history if e.type in ("started", "resolved"))
        deadline = due(need.need, calendar, policy)
        on_time = deadline is None or responded <= deadline
        return _score(u_score, ON_TIME_ANSWERS if on_time else LATE_ANSWERS)

    def ask(
        self, register: MemoryRegister, need: RegisteredNeed, calendar: WorkCalendar, policy: Policy
    ) -> None:
        """Post the household's ``feedback`` on a just-resolved need, if it answers."""
        score = self.answer(need, calendar, policy)
        if score is not None:
            at = need.history[-1].at
            register.post(need.id, NeedEvent("feedback", at, satisfaction=score))
