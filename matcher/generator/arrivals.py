"""A month of arriving needs for ``matcher replay`` (``matcher generate --arrivals``, DESIGN §10).

The county is :func:`~matcher.generator.county.generate_scenario`'s with its days (DESIGN §9:
official holidays and make-up working days, providers' days off), which the loop's calendar and
deadlines run on; ``policy.schedule`` (plans that give each service a day and a route) is off
unless asked for, because the generator's need hours are a month's effort (median about 6 h),
so with the round trip most needs fit no single 8-hour working day and the §9 planner would
leave them ``no_day_available``. Its needs keep their villages, categories, households, hours,
costs and priorities, and are given an arrival day instead of the scheduled county's
submission dates:

- arrivals fall on the horizon's working days only, with a weekly rhythm (more on Mondays,
  fewer on Fridays, :data:`WEEKDAY_RHYTHM`). Given the month's total, counts per village ×
  category × day drawn this way are exactly independent Poisson counts (rate: the generator's
  village need mix × the day's rhythm) conditioned on their sum, so the month holds exactly the
  requested number of needs;
- ids are renumbered in arrival order, and ``submitted`` is the arrival day;
- each need has a hidden *fate* the simulation uses and no planner sees: how many visits it
  takes (:data:`SECOND_VISIT_SHARE` need a second one), and whether the household closes it
  (:data:`DUPLICATE_SHARE` were duplicates, closed ``duplicate`` the working day after they
  arrive; :data:`DONE_BY_OTHERS_SHARE` are done by someone else, closed ``done_by_others``
  2 to 10 working days after, if not resolved by then).

The file: ``{"schema": "baolian-arrivals/1", "county": {scenario without needs}, "arrivals":
[{the need's scenario fields, "fate": {"visits": 1 or 2, "close": null or {"reason", "on"}}}]}``.
The draws come from a generator of their own, seeded from ``seed``, so a seed always gives the
same month.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np

from matcher.generator.county import HORIZON_DAYS, HORIZON_START, generate_scenario
from matcher.scenario import Need, Scenario
from matcher.schedule.calendar import WorkCalendar

SCHEMA = "baolian-arrivals/1"
ARRIVALS_SEED_SALT = 1010  # keeps these draws apart from the county's and its days'
# Relative arrival rates Monday..Sunday (a weekend day counts only when it is a make-up
# working day): township offices collect more requests after the weekend.
WEEKDAY_RHYTHM = (1.25, 1.05, 1.0, 0.95, 0.75, 0.75, 0.75)
SECOND_VISIT_SHARE = 0.15
DUPLICATE_SHARE = 0.03
DONE_BY_OTHERS_SHARE = 0.05
DONE_BY_OTHERS_WORKING_DAYS = (2, 10)  # inclusive range after arrival

CloseFate = Literal["duplicate", "done_by_others"]


@dataclass(frozen=True)
class Fate:
    """What will happen to a need whatever the plan: its visits and a household's close."""

    visits: int = 1
    close_reason: CloseFate | None = None
    close_on: dt.date | None = None


@dataclass(frozen=True)
class Arrivals:
    """A county without needs, its month's needs in arrival order, and their fates by id."""

    county: Scenario
    needs: tuple[Need, ...]
    fates: dict[str, Fate]


def _arrival_days(rng: np.random.Generator, calendar: WorkCalendar, count: int) -> list[dt.date]:
    working = calendar.working_days
    if not working:
        raise ValueError("the horizon has no working day for needs to arrive on")
    rates = np.array([WEEKDAY_RHYTHM[d.weekday()] for d in working])
    picked = np.sort(rng.choice(len(working), size=count, p=rates / rates.sum()))
    return [working[i] for i in picked.tolist()]


def _fate_json(rng: np.random.Generator, calendar: WorkCalendar, day: dt.date) -> dict[str, Any]:
    visits = 2 if rng.random() < SECOND_VISIT_SHARE else 1
    u = rng.random()
    lo, hi = DONE_BY_OTHERS_WORKING_DAYS
    after = int(rng.integers(lo, hi + 1))
    close: dict[str, str] | None = None
    if u < DUPLICATE_SHARE:
        on = calendar.add_working_days(day, 1)
        close = None if on is None else {"reason": "duplicate", "on": on.isoformat()}
    elif u < DUPLICATE_SHARE + DONE_BY_OTHERS_SHARE:
        on = calendar.add_working_days(day, after)
        close = None if on is None else {"reason": "done_by_others", "on": on.isoformat()}
    return {"visits": visits, "close": close}


def generate_arrivals(
    villages: int = 30,
    needs: int = 600,
    seed: int = 0,
    name: str | None = None,
    *,
    schedule: bool = False,
    start: str = HORIZON_START,
    days: int = HORIZON_DAYS,
    terrain: str = "hills",
) -> dict[str, Any]:
    """The arrivals file of a generated county (JSON-ready, module docstring), identical for
    identical arguments. The county always has its days (holidays, days off); ``schedule``
    turns ``policy.schedule`` on (module docstring); ``terrain`` is the county's shape
    (:func:`~matcher.generator.county.generate_scenario`)."""
    county = generate_scenario(
        villages, needs, seed, name, start=start, days=days, schedule=True, terrain=terrain
    )
    county["policy"] = {**cast(dict[str, Any], county["policy"]), "schedule": schedule}
    scenario = Scenario.model_validate(county)
    calendar = WorkCalendar.of(scenario)
    rng = np.random.default_rng([seed, ARRIVALS_SEED_SALT])
    rows = [dict(n) for n in cast(list[dict[str, Any]], county["needs"])]
    arrival = _arrival_days(rng, calendar, len(rows))
    order = rng.permutation(len(rows))  # which generated need arrives n-th
    width = max(5, len(str(len(rows))))
    out: list[dict[str, Any]] = []
    for i, (k, day) in enumerate(zip(order.tolist(), arrival, strict=True)):
        row = {**rows[k], "id": f"N{i + 1:0{width}d}", "submitted": day.isoformat()}
        row.pop("pinned_provider", None)
        row["fate"] = _fate_json(rng, calendar, day)
        out.append(row)
    standing = {k: v for k, v in county.items() if k != "needs"}
    return {"schema": SCHEMA, "county": standing, "arrivals": out}


def _fate_of(data: Mapping[str, Any] | None) -> Fate:
    if not data:
        return Fate()
    close = data.get("close")
    if not close:
        return Fate(int(data.get("visits", 1)))
    reason = close["reason"]
    if reason not in ("duplicate", "done_by_others"):
        raise ValueError(f"fate close reason must be duplicate or done_by_others, not {reason!r}")
    return Fate(int(data.get("visits", 1)), reason, dt.date.fromisoformat(close["on"]))


def arrivals_of(data: Mapping[str, Any]) -> Arrivals:
    """An arrivals file from its JSON (``ValueError`` when it is not one, or a need has no
    ``submitted``). Needs are put in arrival order (``submitted``, then file order)."""
    if data.get("schema") != SCHEMA:
        raise ValueError(f"schema: expected {SCHEMA!r}, got {data.get('schema')!r}")
    county = Scenario.model_validate({**data["county"], "needs": []})
    needs: list[Need] = []
    fates: dict[str, Fate] = {}
    for row in data.get("arrivals", ()):
        need = Need.model_validate({k: v for k, v in row.items() if k != "fate"})
        if need.submitted is None:
            raise ValueError(f"arrival {need.id} has no submitted (its arrival day)")
        if need.id in fates:
            raise ValueError(f"arrival {need.id} is listed twice")
        needs.append(need)
        fates[need.id] = _fate_of(row.get("fate"))
    needs.sort(key=lambda n: cast(dt.date, n.submitted))
    return Arrivals(county, tuple(needs), fates)


def read_arrivals(text: str) -> Arrivals:
    """An arrivals file from its text."""
    return arrivals_of(json.loads(text))
