"""Against a routing library used directly (DESIGN §9, issue 17): one county's month planned by
the engine's decomposition (``matcher solve --solver auto``: assignment, then each provider's
days and routes) and by PyVRP (https://pyvrp.org) as ONE prize-collecting VRP with time
windows, same time limit, both scored by one function.

The encoding for PyVRP (``encode``), and where it is not the engine's problem:

- Time is one axis over the month in minutes; calendar day ``d`` of the horizon is
  ``[d, d + 1) × 1,440``. Travel between locations is the scenario's minutes
  (``matcher.prepare.network``: base to village, village to village shortest paths).
- Vehicles: one per provider-day, from and back to the provider's base (one depot per
  provider), on days it works only, leaving no earlier than ``policy.day_start``. H4 (the
  month's ``hours``, shared by all of a provider's routes) cannot be said in PyVRP, where
  every vehicle is on its own. It is encoded as a budget of shifts: the provider's hours
  (capped at its days × ``daily_hours``) are cut into shifts of ``--shift-hours`` (at most its
  ``daily_hours``; the last one shorter), placed on working days spread evenly over its month.
  Every PyVRP plan keeps H4 and H10 that way, but it cannot choose *which* days a provider
  works, which the engine can: that is the encoding's largest handicap, and why two shift
  lengths are run. A third variant (``--shift-hours 0``) gives every provider a full vehicle
  on every working day, lets PyVRP ignore H4, and then drops whole routes (least worth per
  minute first, :func:`trim_hours`) until each provider is within its hours: the most freedom
  PyVRP can be given, with a repair step after it.
- Needs: optional clients, ``service_duration`` = the need's hours. Lateness has no soft
  window in PyVRP, so each need is up to ``len(--tiers) + 1`` mutually exclusive copies (a
  client group), one per lateness tier: the copy for "late by a..b working days" has the time
  window of the days on which the need would be that late (never before its ``submitted``
  day) and the prize ``value(n) - late_penalty_per_day × (a + b) / 2`` (the middle of the
  tier; the last tier ends with the month). The score below counts the true lateness.
- Eligibility (expertise, H3's travel limit, H8, the day filter of the compiled problem: the
  compiled problem's arcs, exactly) by routing profiles: clients stand at one location per
  (village, set of eligible providers), and a provider's profile makes every location it may
  not serve unreachable. Travel cost: ``travel_penalty_per_hour`` per hour of distance (prizes
  are scaled so that a minute of travel costs one unit).
- Pairing visits: the engine's own pairings (the pairings its plan keeps, each with
  ``visits_per_pairing`` visits), so the two plans do the same visits: one optional client per
  visit with a prize far above any need's, ``policy.visit_hours`` long, reachable by the
  paired cadre only, visit ``k`` in the ``k``-th part of the month, parts at least
  ``visit_min_gap_days`` apart (so H9 holds without being checked).
- Not encoded: money (pools, H5; in these counties hours bind, not money: see
  ``compare_policies``; ``pyvrp_unfunded_*`` counts what a greedy funding pass cannot pay),
  duplicate aid, pinned needs (H1), the pairing choice itself (taken from the engine).

Both plans are scored by :func:`score` from (provider, day, ordered stops), identically:
needs served, value served (``value(n)`` of DESIGN §5, as the compiled problem gives it),
route travel hours, late needs and late working days, on-time shares (all served needs and
those submitted inside the month), visits made, and ``shared_objective`` = value -
``travel_penalty_per_hour`` × travel hours - ``late_penalty_per_day`` × late days, the terms of
the §9 objective both plans have (no money, no pairing or shortfall terms), plus the rule
checks this needs (route over its day, provider over its hours, ineligible or early service).
The engine's own evaluator objective is reported beside it.

    .venv/bin/python benchmarks/schedule_vs_routing.py                   # ~3 minutes
    .venv/bin/python benchmarks/schedule_vs_routing.py --villages 20 --needs 300 --time-limit 10

Writes ``results/schedule_vs_routing.csv`` and ``.md`` (and ``.png`` with matplotlib).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "benchmarks" / "results"
DAY = 1_440  # time units (minutes) in a calendar day
UNIT = 1  # time units in a minute
BIG = 10**6  # an unreachable location's distance and duration
VISIT_PRIZE_FACTOR = 3.0  # a visit's prize, × the largest need value


# ----------------------------------------------------------------------------- shared scoring


@dataclasses.dataclass(frozen=True)
class RouteWork:
    """One provider's route on one day: its stops in order, each (village, needs, visit)."""

    provider: int
    day: dt.date
    stops: tuple[tuple[int, tuple[int, ...], bool], ...]


@dataclasses.dataclass(frozen=True)
class ScoringData:
    """What :func:`score` reads: travel, limits, needs' figures and the rules' inputs."""

    from_base: Sequence[Sequence[float]]  # provider -> minutes to each village (one way)
    between: Sequence[Sequence[float]]  # village -> village minutes
    limit: Sequence[float]  # provider -> minutes of one day's route
    capacity: Sequence[float]  # provider -> minutes of all its routes (H4)
    provider_days: Sequence[frozenset[dt.date]]
    need_village: Sequence[int]
    need_minutes: Sequence[float]
    need_value: Sequence[float]
    need_submitted: Sequence[dt.date]
    need_new: Sequence[bool]  # submitted inside the horizon
    eligible: frozenset[tuple[int, int]]  # (need, provider)
    late: Callable[[int, dt.date], int]  # late(n) on a day, in working days
    visit_minutes: float
    travel_penalty_per_hour: float
    late_penalty_per_day: float


def merge_stops(
    visits: Sequence[tuple[int, int | None]],
) -> tuple[tuple[int, tuple[int, ...], bool], ...]:
    """(village, need or None for a visit) in route order as stops: consecutive entries of one
    village share a stop (DESIGN §9: several needs, and a visit, of one village on one route)."""
    stops: list[tuple[int, list[int], bool]] = []
    for village, need in visits:
        if not stops or stops[-1][0] != village:
            stops.append((village, [], False))
        v, needs, _ = stops[-1]
        if need is None:
            stops[-1] = (v, needs, True)
        else:
            needs.append(need)
    return tuple((v, tuple(n), visit) for v, n, visit in stops)


def route_minutes(data: ScoringData, route: RouteWork) -> tuple[float, float]:
    """(duration, travel) of a route in minutes: base, its stops in order, base."""
    travel = work = 0.0
    at: int | None = None
    for village, needs, visit in route.stops:
        p = route.provider
        travel += data.from_base[p][village] if at is None else data.between[at][village]
        at = village
        work += data.visit_minutes if visit else 0.0
        work += sum(data.need_minutes[n] for n in needs)
    if at is not None:
        travel += data.from_base[route.provider][at]
    return travel + work, travel


def score(data: ScoringData, routes: Sequence[RouteWork]) -> dict[str, Any]:
    """The shared figures of a plan given as routes (see the module's docstring)."""
    travel = 0.0
    late_needs = late_days = visits = 0
    served: list[int] = []
    on_time = on_time_new = served_new = 0
    over_day = ineligible = bad_day = 0
    used: dict[int, float] = defaultdict(float)
    for route in routes:
        p = route.provider
        for _, needs, visit in route.stops:
            visits += int(visit)
            for n in needs:
                served.append(n)
                ineligible += int((n, p) not in data.eligible)
                bad_day += int(route.day < data.need_submitted[n])
                late = data.late(n, route.day)
                late_days += late
                late_needs += int(late > 0)
                on_time += int(late == 0)
                if data.need_new[n]:
                    served_new += 1
                    on_time_new += int(late == 0)
        minutes, legs = route_minutes(data, route)
        travel += legs
        bad_day += int(route.day not in data.provider_days[p])
        over_day += int(minutes > data.limit[p] + 1e-6)
        used[p] += minutes
    over_hours = sum(1 for p, m in used.items() if m > data.capacity[p] + 1e-6)
    value = sum(data.need_value[n] for n in served)
    travel_hours = travel / 60.0
    objective = (
        value - data.travel_penalty_per_hour * travel_hours - data.late_penalty_per_day * late_days
    )
    return {
        "needs_served": len(served),
        "duplicate_services": len(served) - len(set(served)),
        "value_served": round(value, 2),
        "travel_hours": round(travel_hours, 2),
        "late_needs": late_needs,
        "late_days": late_days,
        "on_time_share": round(on_time / len(served), 4) if served else None,
        "on_time_share_new": round(on_time_new / served_new, 4) if served_new else None,
        "visits": visits,
        "routes": sum(1 for r in routes if r.stops),
        "shared_objective": round(objective, 2),
        "over_day": over_day,
        "over_hours": over_hours,
        "ineligible": ineligible,
        "bad_day": bad_day,
    }


def trim_hours(data: ScoringData, routes: Sequence[RouteWork]) -> tuple[list[RouteWork], int]:
    """``routes`` with whole routes dropped until every provider keeps H4: each time the
    route of least worth per minute (value less lateness, a visit worth the most valuable
    need's value × ``VISIT_PRIZE_FACTOR``), and the count dropped."""
    top = VISIT_PRIZE_FACTOR * max(data.need_value, default=0.0)

    def worth(route: RouteWork) -> float:
        total = 0.0
        for _, needs, visit in route.stops:
            total += top if visit else 0.0
            total += sum(
                data.need_value[n] - data.late_penalty_per_day * data.late(n, route.day)
                for n in needs
            )
        minutes, travel = route_minutes(data, route)
        total -= data.travel_penalty_per_hour * travel / 60.0
        return total / max(minutes, 1e-9)

    by_provider: dict[int, list[RouteWork]] = defaultdict(list)
    for route in routes:
        by_provider[route.provider].append(route)
    kept: list[RouteWork] = []
    dropped = 0
    for p, mine in by_provider.items():
        mine = sorted(mine, key=worth)
        used = sum(route_minutes(data, r)[0] for r in mine)
        while mine and used > data.capacity[p] + 1e-6:
            used -= route_minutes(data, mine.pop(0))[0]
            dropped += 1
        kept += mine
    return kept, dropped


# ----------------------------------------------------------------------------- the county


def scoring_data(index: Any) -> ScoringData:
    """:class:`ScoringData` of an indexed scheduled scenario."""
    from matcher.problem.days import village_minutes_of
    from matcher.schedule.calendar import submitted
    from matcher.schedule.days import ProviderDays, WorkingRanks, deadlines

    scenario, problem = index.scenario, index.problem
    policy = scenario.policy
    days = ProviderDays.of(scenario)
    due = deadlines(scenario, days.calendar)
    ranks = WorkingRanks(days.calendar)
    base_row = {b: i for i, b in enumerate(index.times.base_ids)}
    minutes = index.times.minutes
    start = scenario.horizon.start
    capacity = [
        min(60.0 * p.hours, float(days.limit_minutes[i]) * len(days.days[i]))
        for i, p in enumerate(index.providers)
    ]
    return ScoringData(
        from_base=[minutes[base_row[p.base]].tolist() for p in index.providers],
        between=village_minutes_of(index).tolist(),
        limit=days.limit_minutes.tolist(),
        capacity=capacity,
        provider_days=[frozenset(d) for d in days.days],
        need_village=problem.need_village.tolist(),
        need_minutes=(60.0 * problem.need_hours).tolist(),
        need_value=problem.need_value.tolist(),
        need_submitted=[submitted(n, days.calendar) for n in scenario.needs],
        need_new=[(n.submitted or start) >= start for n in scenario.needs],
        eligible=frozenset(
            zip(problem.arc_need.tolist(), problem.arc_provider.tolist(), strict=True)
        ),
        late=lambda n, day: ranks.late(due[n], day),
        visit_minutes=60.0 * policy.visit_hours,
        travel_penalty_per_hour=policy.travel_penalty_per_hour,
        late_penalty_per_day=policy.late_penalty_per_day,
    )


def engine_routes(index: Any, plan: Any) -> list[RouteWork]:
    """The routes of an engine plan as :class:`RouteWork`."""
    problem = index.problem
    provider = {pid: i for i, pid in enumerate(problem.provider_ids)}
    village = {vid: i for i, vid in enumerate(problem.village_ids)}
    need = {nid: i for i, nid in enumerate(problem.need_ids)}
    return [
        RouteWork(
            provider[r.provider],
            dt.date.fromisoformat(r.date),
            tuple(
                (village[s.village], tuple(need[n] for n in s.needs), bool(s.visit))
                for s in r.stops
            ),
        )
        for r in plan.schedule or []
    ]


# ----------------------------------------------------------------------------- PyVRP


@dataclasses.dataclass
class Encoding:
    """A PyVRP instance and how to read its solutions back."""

    data: Any
    clients: list[tuple[int, int | None]]  # client -> (village, need or None for a visit)
    vehicles: list[tuple[int, dt.date]]  # vehicle type -> (provider, day)
    shift_minutes: float
    tiers: int


def tier_bounds(breaks: Sequence[int], horizon_working_days: int) -> list[tuple[int, int]]:
    """Lateness tiers [a, b] in working days: 0, then (previous break, break], then the rest."""
    tiers = [(0, 0)]
    low = 1
    for b in breaks:
        if b >= low:
            tiers.append((low, b))
            low = b + 1
    tiers.append((low, max(low, horizon_working_days)))
    return tiers


def encode(
    index: Any, pairings: Sequence[tuple[int, int]], shift_hours: float, breaks: Sequence[int]
) -> Encoding:
    """The county as one PyVRP ``ProblemData`` (see the module's docstring)."""
    import pyvrp

    from matcher.problem.days import village_minutes_of
    from matcher.schedule.calendar import clock_minutes, submitted
    from matcher.schedule.days import ProviderDays, WorkingRanks, deadlines

    scenario, problem = index.scenario, index.problem
    policy = scenario.policy
    days = ProviderDays.of(scenario)
    calendar = days.calendar
    due = deadlines(scenario, calendar)
    ranks = WorkingRanks(calendar)
    working = calendar.working_days
    start = calendar.start
    n_providers = problem.n_providers
    base_row = {b: i for i, b in enumerate(index.times.base_ids)}
    between = village_minutes_of(index)
    # Prize units per objective unit, so that a minute of travel costs one unit.
    penalty = policy.travel_penalty_per_hour
    scale = 60.0 / penalty if penalty > 0 else 6.0

    # Locations: one depot per provider (its base), then one per (village, eligible set),
    # then one per (village, visiting cadre).
    location_village: list[int] = [-1] * n_providers
    location_base: list[int] = [base_row[p.base] for p in index.providers]
    allowed: list[set[int]] = [{p} for p in range(n_providers)]
    key_location: dict[tuple[int, frozenset[int]], int] = {}

    def location(village: int, providers: frozenset[int]) -> int:
        key = (village, providers)
        if key not in key_location:
            key_location[key] = len(location_village)
            location_village.append(village)
            location_base.append(-1)
            for p in providers:
                allowed[p].add(key_location[key])
        return key_location[key]

    clients: list[Any] = []
    meta: list[tuple[int, int | None]] = []
    groups: list[Any] = []
    tiers = tier_bounds(breaks, len(working))
    for n in range(problem.n_needs):
        arcs = problem.arcs_of(n)
        if problem.need_blocked[n] or len(arcs) == 0:
            continue
        village = int(problem.need_village[n])
        loc = location(village, frozenset(problem.arc_provider[arcs].tolist()))
        first = submitted(scenario.needs[n], calendar)
        value = float(problem.need_value[n])
        members = []
        for low, high in tiers:
            dates = [d for d in working if d >= first and low <= ranks.late(due[n], d) <= high]
            prize = value - policy.late_penalty_per_day * (low + high) / 2
            if not dates or prize <= 0:
                continue
            members.append(len(clients))
            clients.append(
                pyvrp.Client(
                    location=loc,
                    service_duration=math.ceil(UNIT * 60 * float(problem.need_hours[n]) - 1e-9),
                    tw_early=(dates[0] - start).days * DAY,
                    tw_late=(dates[-1] - start).days * DAY + DAY - 1,
                    prize=round(scale * prize),
                    required=False,
                    group=len(groups),
                )
            )
            meta.append((village, n))
        if members:
            groups.append(pyvrp.ClientGroup(members, required=False))
    visit_prize = round(scale * VISIT_PRIZE_FACTOR * float(problem.need_value.max()))
    k = policy.visits_per_pairing
    part = calendar.days / max(1, k)
    gap = policy.visit_min_gap_days / 2
    for cadre, village in pairings:
        loc = location(village, frozenset({cadre}))
        for i in range(k):
            low = i * part + (gap if i > 0 else 0.0)
            high = (i + 1) * part - (gap if i < k - 1 else 0.0)
            clients.append(
                pyvrp.Client(
                    location=loc,
                    service_duration=math.ceil(UNIT * 60 * policy.visit_hours - 1e-9),
                    tw_early=round(low * DAY),
                    tw_late=round(high * DAY) - 1,
                    prize=visit_prize,
                    required=False,
                )
            )
            meta.append((village, None))

    # Travel between locations in minutes, a profile per provider: distances rounded (the
    # travel cost), durations rounded up so that a route PyVRP finds within its shift is
    # within it by the scenario's exact minutes too.
    n_loc = len(location_village)
    lv = np.array(location_village)
    vv = np.flatnonzero(lv >= 0)
    exact = np.full((n_loc, n_loc), float(BIG))
    exact[np.ix_(vv, vv)] = UNIT * between[np.ix_(lv[vv], lv[vv])]
    for p in range(n_providers):
        row = UNIT * index.times.minutes[location_base[p]][lv[vv]]
        exact[p, vv] = row
        exact[vv, p] = row
        exact[p, p] = 0.0
    distances, durations = [], []
    for p in range(n_providers):
        mask = np.zeros(n_loc, dtype=bool)
        mask[list(allowed[p])] = True
        mine = np.where(mask[:, None] & mask[None, :], exact, float(BIG))
        np.fill_diagonal(mine, 0.0)
        distances.append(np.rint(mine).astype(np.int64))
        durations.append(np.ceil(mine - 1e-9).astype(np.int64))

    # Vehicles: a budget of shifts per provider on days spread over its month.
    day_start = UNIT * clock_minutes(policy.day_start)
    vehicle_types = []
    vehicles: list[tuple[int, dt.date]] = []
    shift_cap = 60.0 * shift_hours
    for p, provider in enumerate(index.providers):
        mine_days = days.days[p]
        limit = float(days.limit_minutes[p])
        if not mine_days or provider.hours <= 0:
            continue
        shift = min(limit, shift_cap) if shift_cap > 0 else limit
        budget = min(60.0 * provider.hours, limit * len(mine_days))
        count = min(len(mine_days), math.ceil(budget / shift - 1e-9))
        if shift_cap <= 0:  # every working day, a full day each (H4 left to trim_hours)
            count, budget = len(mine_days), limit * len(mine_days)
        for i in range(count):
            length = min(shift, budget - shift * i)  # the last shift takes what is left
            day = mine_days[min(len(mine_days) - 1, int((i + 0.5) * len(mine_days) / count))]
            early = (day - start).days * DAY + day_start
            units = math.floor(UNIT * length + 1e-9)
            vehicle_types.append(
                pyvrp.VehicleType(
                    num_available=1,
                    start_depot=p,
                    end_depot=p,
                    tw_early=early,
                    tw_late=early + units,
                    shift_duration=units,
                    unit_distance_cost=1,
                    profile=p,
                )
            )
            vehicles.append((p, day))
    locations = [pyvrp.Location(0.0, 0.0) for _ in range(n_loc)]
    depots = [pyvrp.Depot(location=p) for p in range(n_providers)]
    data = pyvrp.ProblemData(
        locations, clients, depots, vehicle_types, distances, durations, groups=groups
    )
    return Encoding(data, meta, vehicles, shift_cap, len(tiers))


def solve_pyvrp(
    encoding: Encoding, seconds: float, seed: int
) -> tuple[list[RouteWork], dict[str, Any]]:
    """PyVRP's best solution within ``seconds`` as routes, and its own figures."""
    import pyvrp
    from pyvrp.stop import MaxRuntime

    began = time.monotonic()
    result = pyvrp.solve(encoding.data, MaxRuntime(seconds), seed=seed, display=False)
    wall = time.monotonic() - began
    best = result.best
    routes = []
    for route in best.routes():
        provider, day = encoding.vehicles[route.vehicle_type()]
        order = [
            encoding.clients[a.idx] for a in route.schedule() if a.is_client()
        ]  # (village, need | None)
        routes.append(RouteWork(provider, day, merge_stops(order)))
    return routes, {
        "feasible": bool(best.is_feasible()),
        "wall_s": round(wall, 2),
        "iterations": result.num_iterations,
        "pyvrp_cost": result.cost(),
    }


def unfunded(index: Any, needs: Sequence[int]) -> tuple[int, float]:
    """Served needs a greedy pass (highest value first, its pools in order) cannot pay for."""
    problem = index.problem
    left = problem.pool_amount.astype(np.float64).copy()
    count, value = 0, 0.0
    for n in sorted(needs, key=lambda n: -float(problem.need_value[n])):
        cost = float(problem.need_cost[n])
        for pool in problem.pools_of(n).tolist():
            pay = min(cost, float(problem.pool_limit[pool]), left[pool])
            left[pool] -= pay
            cost -= pay
        if cost > 1e-9:
            count += 1
            value += float(problem.need_value[n])
    return count, round(value, 2)


# ----------------------------------------------------------------------------- main

FIELDS = (
    "method",
    "villages",
    "cadres",
    "organizations",
    "needs",
    "seed",
    "time_limit",
    "shift_hours",
    "clients",
    "vehicle_types",
    "wall_s",
    "feasible",
    "trimmed_routes",
    "evaluator_objective",
    "evaluator_violations",
    "shared_objective",
    "value_served",
    "needs_served",
    "travel_hours",
    "late_needs",
    "late_days",
    "on_time_share",
    "on_time_share_new",
    "visits",
    "routes",
    "over_day",
    "over_hours",
    "ineligible",
    "bad_day",
    "duplicate_services",
    "unfunded_needs",
    "unfunded_value",
)


def table(rows: list[dict[str, Any]]) -> str:
    """The Markdown table of the runs."""
    cols = (
        ("method", "method"),
        ("shift_hours", "shift h"),
        ("trimmed_routes", "routes trimmed"),
        ("feasible", "PyVRP feasible"),
        ("wall_s", "seconds"),
        ("shared_objective", "shared objective"),
        ("evaluator_objective", "evaluator objective"),
        ("value_served", "value served"),
        ("needs_served", "needs served"),
        ("travel_hours", "travel h"),
        ("late_needs", "late needs"),
        ("late_days", "late days"),
        ("on_time_share", "on time"),
        ("on_time_share_new", "on time (new)"),
        ("visits", "visits"),
        ("routes", "routes"),
        ("over_day", "over day"),
        ("over_hours", "over hours"),
        ("unfunded_needs", "unfunded"),
    )
    cols = (("seed", "seed"), ("time_limit", "limit s"), *cols)
    lines = ["| " + " | ".join(c[1] for c in cols) + " |", "|" + "---|" * len(cols)]
    for row in rows:
        cells = []
        for key, _ in cols:
            v = row.get(key)
            if isinstance(v, float):
                cells.append(f"{v:,.3f}" if key.startswith("on_time") else f"{v:,.1f}")
            else:
                cells.append("" if v is None else str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _numbers(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row with its figures as numbers (blank: None)."""
    out: dict[str, Any] = {}
    for key, text in row.items():
        try:
            out[key] = int(text) if text.lstrip("-").isdigit() else float(text) if text else None
        except ValueError:
            out[key] = text
    return out


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    labels = [
        r["method"]
        + (
            ""
            if r["method"] == "engine"
            else f"\n{r['shift_hours']:g} h shifts"
            if r["shift_hours"]
            else "\nall days, trimmed"
        )
        + f"\nseed {r['seed']}, {float(r['time_limit']):g} s"
        for r in rows
    ]
    figure, (left, right) = plt.subplots(1, 2, figsize=(max(9.0, 1.4 * len(rows)), 4.5))
    left.bar(labels, [r["shared_objective"] for r in rows], color="tab:blue")
    left.set_title("shared objective (value - travel - lateness)")
    right.bar(labels, [100 * (r["on_time_share"] or 0) for r in rows], color="tab:green")
    right.set_title("served needs on time (%)")
    for axis in (left, right):
        axis.tick_params(axis="x", labelsize=6)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return True


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--villages", type=int, default=34)  # ~61 cadres (1.8 per village)
    parser.add_argument("--needs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--shift-hours",
        default="8,4,0",
        help="PyVRP shift lengths to run; 0: every working day in full, H4 by trim_hours",
    )
    parser.add_argument("--tiers", default="2,5", help="lateness tier breaks (working days)")
    parser.add_argument("--out", type=Path, default=RESULTS / "schedule_vs_routing.csv")
    parser.add_argument("--append", action="store_true", help="Keep the rows already in --out.")
    args = parser.parse_args(argv)
    earlier: list[dict[str, Any]] = []
    if args.append and args.out.exists():
        with args.out.open(encoding="utf-8") as handle:
            earlier = [_numbers(row) for row in csv.DictReader(handle)]

    from matcher.generator import generate_scenario
    from matcher.intake.loading import parse_scenario
    from matcher.run import solve_scenario

    raw = generate_scenario(args.villages, args.needs, seed=args.seed, schedule=True)
    scenario = parse_scenario(raw).scenario
    common = {
        "villages": len(scenario.villages),
        "cadres": len(scenario.cadres),
        "organizations": len(scenario.organizations),
        "needs": len(scenario.needs),
        "seed": args.seed,
        "time_limit": args.time_limit,
    }
    began = time.monotonic()
    run = solve_scenario(
        scenario, solver="auto", time_limit=args.time_limit, seed=0, workers=args.workers
    )
    engine_wall = time.monotonic() - began
    index = run.index
    data = scoring_data(index)
    routes = engine_routes(index, run.plan)
    figures = score(data, routes)
    served = [n for r in routes for _, ns, _ in r.stops for n in ns]
    rows: list[dict[str, Any]] = [
        {
            "method": "engine",
            **common,
            "wall_s": round(engine_wall, 2),
            "feasible": not run.evaluation.violations,
            "evaluator_objective": round(run.evaluation.objective, 2),
            "evaluator_violations": len(run.evaluation.violations),
            **figures,
            **dict(zip(("unfunded_needs", "unfunded_value"), unfunded(index, served), strict=True)),
        }
    ]
    print(json.dumps(rows[-1]), flush=True)
    village = {vid: i for i, vid in enumerate(index.problem.village_ids)}
    provider = {pid: i for i, pid in enumerate(index.problem.provider_ids)}
    pairings = [(provider[p.cadre], village[p.village]) for p in run.plan.pairings if p.visit_dates]
    breaks = [int(b) for b in args.tiers.split(",") if b]
    for shift in [float(s) for s in args.shift_hours.split(",")]:
        began = time.monotonic()
        encoding = encode(index, pairings, shift, breaks)
        encode_s = time.monotonic() - began
        routes, own = solve_pyvrp(encoding, args.time_limit, args.seed)
        trimmed = 0
        if shift <= 0:
            routes, trimmed = trim_hours(data, routes)
        figures = score(data, routes)
        served = [n for r in routes for _, ns, _ in r.stops for n in ns]
        rows.append(
            {
                "method": "pyvrp",
                **common,
                "shift_hours": shift,
                "clients": len(encoding.clients),
                "vehicle_types": len(encoding.vehicles),
                "wall_s": round(encode_s + own["wall_s"], 2),
                "feasible": own["feasible"],
                "trimmed_routes": trimmed,
                **figures,
                **dict(
                    zip(("unfunded_needs", "unfunded_value"), unfunded(index, served), strict=True)
                ),
            }
        )
        print(json.dumps(rows[-1] | {"iterations": own["iterations"]}), flush=True)
    rows = earlier + rows
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    md = (
        f"## Engine vs PyVRP ({common['villages']} villages, {common['cadres']} cadres, "
        f"{common['organizations']} organisations, {common['needs']} needs, one month; "
        "each row's seed and time limit)\n\n" + table(rows)
    )
    args.out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    drawn = plot(rows, args.out.with_suffix(".png"))
    print(f"# wrote {args.out}, .md" + (", .png" if drawn else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
