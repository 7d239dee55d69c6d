"""The days of a scheduled county (``matcher generate --schedule``, DESIGN §9): the same county
with ``policy.schedule`` on, needs submitted over the weeks before and inside the horizon, some
providers' days off, and the official holidays and make-up working days of the horizon.

Its draws come from a generator of their own (seeded from the county's seed), after the county
is made, so a scheduled county is its unscheduled twin plus days: same villages, providers,
needs and ids.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import numpy as np

from matcher.generator.calibration import (
    DAYS_OFF_RANGE,
    DAYS_OFF_SHARE,
    SCHEDULE_SEED_SALT,
    SUBMITTED_WEEKS_BEFORE,
)
from matcher.schedule.calendar import WorkCalendar
from matcher.schedule.official import official_days


def with_days(scenario: dict[str, object], seed: int) -> dict[str, object]:
    """``scenario`` (the generator's JSON-ready dict) with days: a new dict, the given one is
    left as it is."""
    rng = np.random.default_rng([seed, SCHEDULE_SEED_SALT])
    horizon = dict(cast(dict[str, object], scenario["horizon"]))
    start = dt.date.fromisoformat(str(horizon["start"]))
    days = int(str(horizon["days"]))
    official = official_days(start, start + dt.timedelta(days=days))
    horizon["holidays"] = [d.isoformat() for d in official.holidays]
    horizon["workdays"] = [d.isoformat() for d in official.workdays]
    calendar = WorkCalendar(start, days, frozenset(official.holidays), frozenset(official.workdays))

    needs = [dict(n) for n in cast(list[dict[str, object]], scenario["needs"])]
    # Submission days, drawn then sorted so that ids stay in order of submission.
    first = -7 * SUBMITTED_WEEKS_BEFORE
    offsets = np.sort(rng.integers(first, days, len(needs)))
    for need, offset in zip(needs, offsets.tolist(), strict=True):
        need["submitted"] = (start + dt.timedelta(days=offset)).isoformat()

    working = calendar.working_days
    cadres = [dict(c) for c in cast(list[dict[str, object]], scenario["cadres"])]
    orgs = [dict(o) for o in cast(list[dict[str, object]], scenario["organizations"])]
    providers = [*cadres, *orgs]
    away = rng.random(len(providers)) < DAYS_OFF_SHARE
    counts = rng.integers(DAYS_OFF_RANGE[0], DAYS_OFF_RANGE[1] + 1, len(providers))
    for provider, off, count in zip(providers, away.tolist(), counts.tolist(), strict=True):
        if off and working:
            picked = rng.choice(len(working), size=min(count, len(working)), replace=False)
            provider["days_off"] = [working[i].isoformat() for i in sorted(picked.tolist())]
    policy = {**cast(dict[str, object], scenario["policy"]), "schedule": True}
    return {
        **scenario,
        "horizon": horizon,
        "cadres": cadres,
        "organizations": orgs,
        "needs": needs,
        "policy": policy,
    }
