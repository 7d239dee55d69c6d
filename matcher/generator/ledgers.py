"""The aid ledgers: departments' and charities' records of the quarter before the horizon,
with calibrated duplicate aid and the recent aid that makes H8 hold needs back."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from matcher.generator.arrays import FloatArray
from matcher.generator.calibration import (
    AID_EVENTS_PER_NEED,
    AID_EXTRA_PROVIDERS,
    AID_FOLLOW_UP_SHARE,
    AID_HOME_SHARE,
    AID_LEDGER_DAYS,
    AID_PAID_SHARE,
    AID_PERSONAL_PROVIDER,
    BLOCKED_NEED_SHARE,
    DUPLICATE_WINDOW_DAYS,
    HOME_TEAM,
    LEDGER_DUPLICATION_SHARE,
    OTHER_TEAMS,
)
from matcher.generator.needs import (
    _draw_categories,
    _draw_costs,
    _draw_households,
    _household_id,
    _Needs,
)
from matcher.generator.providers import _Staff
from matcher.scenario import CATEGORIES


def _aid_records(
    rng: np.random.Generator,
    needs: _Needs,
    weights: FloatArray,
    households: FloatArray,
    village_ids: list[str],
    start: dt.date,
    staffs: Sequence[_Staff],
) -> list[dict[str, object]]:
    """Departments' and charities' ledgers of the AID_LEDGER_DAYS before the horizon.

    An episode is one household (or village) and category: paid by its own department, and in
    a calibrated share of episodes by one or two more providers within 29 days (duplicate aid,
    LEDGER_DUPLICATION_SHARE of the money). BLOCKED_NEED_SHARE of the open needs get an episode
    in the last 30 days, so H8 holds them back. Some single-payer episodes repeat 35+ days apart
    (regular service, not duplication).
    """
    n_random = round(AID_EVENTS_PER_NEED * len(needs.village))
    own = np.flatnonzero(needs.household > 0)
    size = min(len(own), round(BLOCKED_NEED_SHARE * len(needs.village)))
    blocked = np.sort(rng.choice(own, size=size, replace=False))
    rv = rng.choice(len(households), size=n_random, p=households / households.sum())
    rc = _draw_categories(rng, weights, rv)
    village = np.concatenate([rv, needs.village[blocked]])
    category = np.concatenate([rc, needs.category[blocked]])
    household = np.concatenate(
        [_draw_households(rng, households, rv, rc), needs.household[blocked]]
    )
    is_block = np.arange(len(village)) >= n_random
    n = len(village)

    # Duplicated share q of episodes so that extras' money / all money = LEDGER_DUPLICATION_SHARE,
    # with m extras per duplicated episode and follow-ups f of the single-payer episodes.
    m = float(np.dot((1, 2), AID_EXTRA_PROVIDERS))
    s, f = LEDGER_DUPLICATION_SHARE, AID_FOLLOW_UP_SHARE
    q = s * (1 + f) / (m * (1 - s) + s * f)
    extra = np.where(rng.random(n) < q, rng.choice((1, 2), size=n, p=AID_EXTRA_PROVIDERS), 0)
    offset = rng.integers(1, DUPLICATE_WINDOW_DAYS, (n, 2))
    span = np.where(extra >= 1, offset[:, 0], 0)
    span = np.maximum(span, np.where(extra == 2, offset[:, 1], 0))
    first = np.where(
        is_block,
        rng.integers(-DUPLICATE_WINDOW_DAYS, 0, n) - span,
        -AID_LEDGER_DAYS + rng.integers(0, AID_LEDGER_DAYS - span),
    )
    # 35-44 days after the first record, or before it when the ledger ends first: both fit.
    follow = rng.integers(35, 45, n)
    follow = np.where(first + follow <= -1, first + follow, first - follow)
    follow_up = (extra == 0) & (rng.random(n) < f)
    cost = _draw_costs(rng, category, AID_PAID_SHARE)
    factor = rng.uniform(0.6, 1.4, (n, 3))
    hours = rng.integers(1, 7, (n, 4)) * 0.5
    u = rng.random((n, 3, 3)).tolist()

    skilled: dict[str, list[str]] = defaultdict(list)
    for staff in staffs:
        for helper, skills in zip(staff.ids, staff.skills, strict=True):
            for skill in skills:
                skilled[skill].append(helper)
    lines: list[tuple[int, int, int, str, str, int, float]] = []
    for e in range(n):
        cat = CATEGORIES[category[e]]
        teams = [HOME_TEAM[cat], *OTHER_TEAMS[cat]]
        used: list[str] = []
        for j in range(int(extra[e]) + 1):
            u_person, u_which, u_home = u[e][j]
            people = [p for p in skilled[cat] if p not in used]
            if u_person < AID_PERSONAL_PROVIDER and people:
                provider = people[int(u_which * len(people))]
            elif j == 0 and u_home < AID_HOME_SHARE:
                provider = teams[0]
            else:
                left = [t for t in teams if t not in used]
                provider = left[int(u_which * len(left))]
            used.append(provider)
            paid = int(cost[e]) if j == 0 else int(round(cost[e] * factor[e, j] / 10) * 10)
            day = int(first[e]) + (0 if j == 0 else int(offset[e, j - 1]))
            lines.append(
                (day, int(village[e]), int(household[e]), cat, provider, paid, hours[e, j])
            )
        if follow_up[e]:
            paid = int(round(cost[e] * factor[e, 2] / 10) * 10)
            day = int(follow[e])
            lines.append((day, int(village[e]), int(household[e]), cat, used[0], paid, hours[e, 3]))
    lines.sort(key=lambda line: line[:5])
    width = max(6, len(str(len(lines))))
    return [
        {
            "id": f"A{i + 1:0{width}d}",
            "household": _household_id(village_ids[v], h),
            "village": village_ids[v],
            "category": cat,
            "provider": provider,
            "cost": paid,
            "hours": float(spent),
            "date": (start + dt.timedelta(days=day)).isoformat(),
        }
        for i, (day, v, h, cat, provider, paid, spent) in enumerate(lines)
    ]
