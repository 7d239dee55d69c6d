"""Plans with days at county scale (DESIGN §9, issue 17): how soon a valid schedule comes, how
good it is against upper bounds, how many needs it serves on time, and what routes save.

For each size it generates a scheduled county (``generate_scenario(..., schedule=True)``, the
same as ``matcher generate --schedule``: one month, December 2026, needs submitted over the 3
weeks before and inside it, ~10% of providers with 1-3 days off), computes two upper bounds
once, then runs each solver in a fresh subprocess (so that peak memory is that run's alone)
through :func:`matcher.run.solve_scenario` (solve, schedule, evaluate, reports) with
``workers=2`` and ``seed=0``, and records the evaluator's figures of the written plan.

The bounds:

- ``bound_unscheduled``: the LP bound of the same county with ``policy.schedule`` off (the
  solvers' own bound). The brief's reference. It is not a proven bound on a scheduled plan:
  routes share travel, so a scheduled plan may charge less than one round trip per need;
  a scheduled plan above it would show that (none has been).
- ``bound_relaxed``: a proven one. The LP bound of the scheduled county's compiled problem
  (arcs only to providers with a working day after submission whose day holds the need and
  one round trip; hours capped at ``daily_hours`` × working days; each arc's value less the
  lateness of the provider's first day for the need) with all travel dropped from hours and
  objective: every scheduled plan keeps its rules (its routes last at least their work), and
  its objective is at most that value less travel and its true lateness.

Run by hand (about 5 minutes on 2 cores; it is no test)::

    .venv/bin/python benchmarks/schedule_scale.py
    .venv/bin/python benchmarks/schedule_scale.py --sizes 300x5000 --solvers greedy
    .venv/bin/python benchmarks/schedule_scale.py --replot   # the PNG again from the CSV

Columns (CSV):

- ``villages``, ``needs``, ``seed``; ``solver``, ``time_limit`` (bounds the whole run);
- ``status``, ``violations`` (of the evaluator, i.e. ``matcher check``: should be 0);
- ``wall_s``: seconds from the call to the evaluated plan with its reports: for ``greedy``,
  the seconds to the first valid schedule; ``schedule_s``: the scheduler's own part;
- ``objective``: the evaluator's; ``bound_unscheduled``, ``bound_relaxed`` and the
  objective as a per cent of each;
- ``served``, ``dropped_by_schedule`` (needs the solver gave that fit no day);
- ``on_time_share``, ``late_needs``, ``response_p50``, ``response_p90`` (working days from
  submission to service), ``open_past_due``; ``on_time_share_new``: the on-time share of the
  needs submitted inside the horizon (the backlog submitted before it is mostly due already);
- ``routes``, ``stops_per_route``, ``route_travel_h``, ``route_hours_saved`` (against one
  round trip per stop), ``saved_vs_one_trip_per_need_h`` (against one round trip per
  served need and visit, the unscheduled way of counting);
- ``peak_mb``: the subprocess's peak resident memory (``VmHWM``).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.scale import Size, parse_sizes, peak_rss_mb

RESULTS = Path(__file__).parent / "results"
DEFAULT_SIZES = "300x5000,300x20000"
DEFAULT_SOLVERS = "greedy,auto"


def default_time_limit(needs: int) -> float:
    """The targets of issue 17: 30 s for 5,000 needs, 120 s for 20,000."""
    return 30.0 if needs <= 5000 else 120.0


# ----------------------------------------------------------------------------- child process


def child(argv: list[str]) -> None:
    """One solve in this (fresh) process; prints its figures as one JSON line."""
    parser = argparse.ArgumentParser(prog="schedule_scale.py --child")
    parser.add_argument("scenario", type=Path)
    parser.add_argument("solver")
    parser.add_argument("time_limit", type=float)
    args = parser.parse_args(argv)

    from matcher.intake.loading import load_scenario
    from matcher.run import solve_scenario

    started = time.monotonic()
    scenario = load_scenario(args.scenario).scenario
    run = solve_scenario(
        scenario, solver=args.solver, time_limit=args.time_limit, seed=0, started=started
    )
    wall = time.monotonic() - started
    plan, kpis = run.plan, run.plan.kpis
    stats = plan.solver.stats or {}
    routes = plan.schedule or []
    stops = sum(len(r.stops) for r in routes)
    index = run.index
    minutes = {(a.provider, a.need): a.travel_minutes or 0.0 for a in plan.assignments}
    one_trip_each = 2 * sum(minutes.values()) / 60
    for pairing in plan.pairings:
        one_trip_each += 2 * (pairing.minutes or 0.0) / 60 * len(pairing.visit_dates or [])
    start = scenario.horizon.start
    new = [a for a in plan.assignments if (index.needs[a.need].submitted or start) >= start]
    on_time_new = _on_time(index, new)
    record = {
        "solver": args.solver,
        "status": plan.solver.status,
        "violations": len(run.evaluation.violations),
        "wall_s": round(wall, 2),
        "schedule_s": stats.get("schedule_seconds"),
        "objective": run.evaluation.objective,
        "served": kpis.get("needs_served"),
        "dropped_by_schedule": stats.get("schedule_dropped_needs"),
        "on_time_share": kpis.get("on_time_share"),
        "on_time_share_new": on_time_new,
        "late_needs": kpis.get("late_needs"),
        "response_p50": kpis.get("response_working_days_median"),
        "response_p90": kpis.get("response_working_days_p90"),
        "open_past_due": kpis.get("needs_open_past_due"),
        "routes": len(routes),
        "stops_per_route": round(stops / len(routes), 3) if routes else None,
        "route_travel_h": kpis.get("route_travel_hours"),
        "route_hours_saved": kpis.get("route_hours_saved"),
        "saved_vs_one_trip_per_need_h": round(
            one_trip_each - float(kpis.get("route_travel_hours") or 0.0), 2
        ),
        "peak_mb": round(peak_rss_mb(), 1),
    }
    print(json.dumps(record), flush=True)


def _on_time(index: Any, assignments: list[Any]) -> float | None:
    """The share of ``assignments`` served on or before their deadline."""
    from matcher.schedule.calendar import WorkCalendar, late

    if not assignments:
        return None
    calendar = WorkCalendar.of(index.scenario)
    policy = index.scenario.policy
    on_time = sum(
        late(index.needs[a.need], dt.date.fromisoformat(a.date), calendar, policy) == 0
        for a in assignments
    )
    return round(on_time / len(assignments), 4)


def run_child(scenario: Path, solver: str, time_limit: float) -> dict[str, Any]:
    """Run :func:`child` in a fresh interpreter; its JSON figures, or a crash's status."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child"]
    command += [str(scenario), solver, repr(time_limit)]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=3 * time_limit + 300, check=False
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode == 0 and lines:
        result: dict[str, Any] = json.loads(lines[-1])
        return result
    sys.stderr.write(f"--- {solver} failed (exit {done.returncode}):\n{done.stderr}\n")
    return {"solver": solver, "status": "crashed"}


# ----------------------------------------------------------------------------- bounds


def bounds(raw: dict[str, Any]) -> tuple[float, float]:
    """(LP bound without days, proven LP bound of the scheduled county without travel)."""
    from matcher.intake.loading import parse_scenario
    from matcher.problem.compile import compile_problem
    from solvers.linear_model import build_linear_model
    from solvers.lp_bound import solve_lp

    plain = {**raw, "policy": {**raw["policy"], "schedule": False}}
    problem = compile_problem(parse_scenario(plain).scenario)
    unscheduled = solve_lp(problem, build_linear_model(problem)).bound
    scenario = parse_scenario(raw).scenario
    days = compile_problem(scenario)
    visits = scenario.policy.visits_per_pairing * scenario.policy.visit_hours
    travel = scenario.policy.travel_penalty_per_hour * days.arc_travel_hours
    relaxed = dataclasses.replace(
        days,
        arc_hours=days.need_hours[days.arc_need],
        arc_value=days.arc_value + travel,  # value less the least lateness, no travel
        arc_travel_hours=0.0 * days.arc_travel_hours,
        pair_hours=0.0 * days.pair_hours + visits,
    )
    return unscheduled, solve_lp(relaxed, build_linear_model(relaxed)).bound


# ----------------------------------------------------------------------------- main

FIELDS = (
    "villages",
    "needs",
    "seed",
    "solver",
    "time_limit",
    "status",
    "violations",
    "wall_s",
    "schedule_s",
    "objective",
    "bound_unscheduled",
    "pct_of_unscheduled",
    "bound_relaxed",
    "pct_of_relaxed",
    "served",
    "dropped_by_schedule",
    "on_time_share",
    "on_time_share_new",
    "late_needs",
    "response_p50",
    "response_p90",
    "open_past_due",
    "routes",
    "stops_per_route",
    "route_travel_h",
    "route_hours_saved",
    "saved_vs_one_trip_per_need_h",
    "peak_mb",
)


def measure(
    size: Size, seed: int, solvers: list[str], limit: float | None, work: Path
) -> list[dict[str, Any]]:
    """One scheduled county: its bounds, and every solver on it in its own process."""
    from matcher.generator import generate_scenario

    raw = generate_scenario(size.villages, size.needs, seed=seed, schedule=True)
    path = work / f"scheduled-{size.villages}x{size.needs}-seed{seed}.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    began = time.perf_counter()
    unscheduled, relaxed = bounds(raw)
    print(
        f"# {size.villages} x {size.needs}: bounds {unscheduled:,.1f} (no days), "
        f"{relaxed:,.1f} (proven, no travel) in {time.perf_counter() - began:.1f} s",
        flush=True,
    )
    rows = []
    for solver in solvers:
        time_limit = limit if limit is not None else default_time_limit(size.needs)
        result = run_child(path, solver, time_limit)
        objective = result.get("objective")
        row = {
            "villages": size.villages,
            "needs": size.needs,
            "seed": seed,
            "time_limit": time_limit,
            **result,
            "bound_unscheduled": round(unscheduled, 2),
            "bound_relaxed": round(relaxed, 2),
            "pct_of_unscheduled": None
            if objective is None
            else round(100 * objective / unscheduled, 2),
            "pct_of_relaxed": None if objective is None else round(100 * objective / relaxed, 2),
        }
        rows.append(row)
        print(json.dumps({k: row.get(k) for k in FIELDS}, ensure_ascii=False), flush=True)
    return rows


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """Objective against both bounds, and the on-time shares, per county and solver."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    labels = [f"{r['needs']:,}\n{r['solver']}" for r in rows]
    figure, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    x = range(len(rows))
    left.bar(
        [i - 0.2 for i in x],
        [r.get("pct_of_unscheduled") or 0 for r in rows],
        0.4,
        label="% of LP bound without days",
    )
    left.bar(
        [i + 0.2 for i in x],
        [r.get("pct_of_relaxed") or 0 for r in rows],
        0.4,
        label="% of proven bound (no travel)",
    )
    left.set_xticks(list(x), labels)
    left.set_ylim(50, 110)
    left.set_title("objective of the scheduled plan")
    left.legend(fontsize=8, loc="upper center", ncol=2)
    right.bar(
        [i - 0.2 for i in x],
        [100 * (r.get("on_time_share") or 0) for r in rows],
        0.4,
        label="all served needs",
    )
    right.bar(
        [i + 0.2 for i in x],
        [100 * (r.get("on_time_share_new") or 0) for r in rows],
        0.4,
        label="submitted inside the month",
    )
    right.set_xticks(list(x), labels)
    right.set_title("served on time (%)")
    right.set_ylim(0, 115)
    right.legend(fontsize=8, loc="upper center", ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return True


def _numbers(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row with its figures as numbers (blank: None)."""
    out: dict[str, Any] = {}
    for key, text in row.items():
        try:
            out[key] = int(text) if text.isdigit() else float(text) if text else None
        except ValueError:
            out[key] = text
    return out


def main(argv: list[str]) -> None:
    """Measure every size and write the CSV (and the plot)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES)
    parser.add_argument("--solvers", default=DEFAULT_SOLVERS)
    parser.add_argument("--time-limit", type=float, default=None)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=RESULTS / "schedule_scale.csv")
    parser.add_argument("--plot", type=Path, default=RESULTS / "schedule_scale.png")
    parser.add_argument("--replot", action="store_true", help="Only draw the plot of --out.")
    args = parser.parse_args(argv)
    if args.replot:
        with args.out.open(encoding="utf-8") as handle:
            read = [_numbers(row) for row in csv.DictReader(handle)]
        plot(read, args.plot)
        return
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as work:
        for size in parse_sizes(args.sizes):
            rows += measure(size, args.seed, args.solvers.split(","), args.time_limit, Path(work))
            args.out.parent.mkdir(parents=True, exist_ok=True)
            with args.out.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, FIELDS, extrasaction="ignore")
                writer.writeheader()
                writer.writerows(rows)
    print(f"# wrote {args.out}" + (f" and {args.plot}" if plot(rows, args.plot) else ""))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
    else:
        main(sys.argv[1:])
