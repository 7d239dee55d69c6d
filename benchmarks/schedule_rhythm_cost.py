"""What the rhythm costs (DESIGN §9, issue 17): the same counties planned without days and with
days (twice-monthly visits, the 3-working-day response, daily routes), paired differences with
Student-t 95% intervals, and how many more cadre hours the 3-day promise would take.

Part 1, over ``--counties`` generated counties (``generate_scenario(villages, needs, seed=s,
schedule=True)``): each county is solved twice by ``matcher.run.solve_scenario`` (``auto``,
``--time-limit`` s, seed 0): once as generated (``policy.schedule`` on) and once with only
``policy.schedule`` turned off, so both plans see the same needs, providers and money. The
differences (scheduled - unscheduled) of value served, needs served, travel hours (one round
trip per need and visit without days; the routes' travel with days) and objective are averaged
with 95% intervals; the scheduled plan's late needs and on-time shares are reported as they are
(an unscheduled plan has no days, so "late" is the scheduled plan's count).

Part 2, on the first ``--scale-counties`` counties: cadre and organisation ``hours`` are
multiplied by each factor of ``--factors`` (schedule on) until the on-time share of needs
*submitted inside the horizon* served on time (of all of them, served or not) reaches
``--target`` (needs submitted weeks before the month
are already due when it starts and late whatever the plan does, so the share over all served
needs cannot reach 95%; both shares are recorded). The factor and the extra hours it takes
are the answer; when no factor reaches the target the highest share is reported.

    .venv/bin/python benchmarks/schedule_rhythm_cost.py                  # 20 counties, ~15 min
    .venv/bin/python benchmarks/schedule_rhythm_cost.py --counties 3 --scale-counties 1 \
        --time-limit 3                                                    # a quick look

Writes ``results/schedule_rhythm_cost.csv`` (one row per solve), ``.md`` (the tables) and
``.png`` (when matplotlib is installed).
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import math
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.compare_policies import interval  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
FIELDS = (
    "seed",
    "villages",
    "needs",
    "run",
    "factor",
    "schedule",
    "provider_hours",
    "status",
    "violations",
    "wall_s",
    "objective",
    "value_served",
    "needs_served",
    "travel_hours",
    "late_needs",
    "on_time_share",
    "on_time_share_new",
    "on_time_of_new_needs",
    "response_p50",
    "response_p90",
    "open_past_due",
)


def scaled(raw: dict[str, Any], factor: float, schedule: bool) -> dict[str, Any]:
    """The county with its providers' monthly ``hours`` × ``factor`` and ``policy.schedule``."""
    out = copy.deepcopy(raw)
    out["policy"] = {**out["policy"], "schedule": schedule}
    for kind in ("cadres", "organizations"):
        for provider in out[kind]:
            provider["hours"] = round(float(provider["hours"]) * factor, 2)
    return out


def provider_hours(raw: dict[str, Any]) -> float:
    """All cadres' and organisations' monthly hours."""
    return sum(float(p["hours"]) for kind in ("cadres", "organizations") for p in raw[kind])


def on_time_new(index: Any, plan: Any) -> tuple[float | None, float | None]:
    """Of the needs submitted on or after the horizon's start: the on-time share of those
    served, and the share of all of them (served or not) served on time."""
    from benchmarks.schedule_scale import _on_time

    start = index.scenario.horizon.start
    if not plan.assignments or not plan.assignments[0].date:
        return None, None
    new = [a for a in plan.assignments if (index.needs[a.need].submitted or start) >= start]
    submitted = sum(1 for n in index.scenario.needs if (n.submitted or start) >= start)
    share = _on_time(index, new)
    if share is None or not submitted:
        return share, None
    return share, round(share * len(new) / submitted, 4)


def solve(raw: dict[str, Any], time_limit: float, workers: int) -> dict[str, Any]:
    """One solve, evaluated: the figures of :data:`FIELDS` it gives."""
    from matcher.intake.loading import parse_scenario
    from matcher.run import solve_scenario

    began = time.monotonic()
    scenario = parse_scenario(raw).scenario
    run = solve_scenario(scenario, solver="auto", time_limit=time_limit, seed=0, workers=workers)
    kpis = run.plan.kpis
    new_share, new_of_all = on_time_new(run.index, run.plan)
    return {
        "status": run.plan.solver.status,
        "violations": len(run.evaluation.violations),
        "wall_s": round(time.monotonic() - began, 2),
        "objective": round(run.evaluation.objective, 2),
        "value_served": kpis.get("value_served"),
        "needs_served": kpis.get("needs_served"),
        "travel_hours": kpis.get("travel_hours"),
        "late_needs": kpis.get("late_needs"),
        "on_time_share": kpis.get("on_time_share"),
        "on_time_share_new": new_share,
        "on_time_of_new_needs": new_of_all,
        "response_p50": kpis.get("response_working_days_median"),
        "response_p90": kpis.get("response_working_days_p90"),
        "open_past_due": kpis.get("needs_open_past_due"),
    }


def number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def paired_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Scheduled - unscheduled per county, mean and 95% interval, per metric."""
    by_seed: dict[int, dict[bool, dict[str, Any]]] = {}
    for row in rows:
        if row["run"] == "paired":
            by_seed.setdefault(int(row["seed"]), {})[bool(int(float(row["schedule"])))] = row
    pairs = [p for p in by_seed.values() if True in p and False in p]
    out = []
    for metric in ("value_served", "needs_served", "travel_hours", "objective"):
        off = [number(p[False].get(metric)) for p in pairs]
        on = [number(p[True].get(metric)) for p in pairs]
        diff = [b - a for a, b in zip(off, on, strict=True)]
        pct = [100 * (b - a) / a for a, b in zip(off, on, strict=True) if a]
        mean, low, high, n = interval(diff)
        pmean, plow, phigh, _ = interval(pct)
        out.append(
            {
                "metric": metric,
                "unscheduled": statistics.fmean(off) if off else math.nan,
                "scheduled": statistics.fmean(on) if on else math.nan,
                "diff": mean,
                "low": low,
                "high": high,
                "pct": pmean,
                "pct_low": plow,
                "pct_high": phigh,
                "counties": n,
            }
        )
    for metric in (
        "late_needs",
        "on_time_share",
        "on_time_share_new",
        "on_time_of_new_needs",
        "response_p90",
    ):
        values = [number(p[True].get(metric)) for p in pairs]
        mean, low, high, n = interval(values)
        out.append(
            {
                "metric": f"{metric} (scheduled)",
                "unscheduled": math.nan,
                "scheduled": mean,
                "diff": math.nan,
                "low": low,
                "high": high,
                "pct": math.nan,
                "pct_low": math.nan,
                "pct_high": math.nan,
                "counties": n,
            }
        )
    return out


def fmt(value: Any, digits: int = 1) -> str:
    x = number(value)
    return "" if math.isnan(x) else f"{x:,.{digits}f}"


def markdown(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    """The two tables."""
    lines = [
        f"## Scheduled vs unscheduled ({args.counties} counties of {args.villages} villages x "
        f"{args.needs} needs, auto {args.time_limit:g} s)",
        "",
        "| metric | unscheduled (mean) | scheduled (mean) | difference (95% CI) | "
        "difference % (95% CI) | counties |",
        "|---|---|---|---|---|---|",
    ]
    for r in paired_table(rows):
        digits = 3 if "share" in r["metric"] or "on_time" in r["metric"] else 1
        diff = (
            ""
            if math.isnan(r["diff"])
            else f"{fmt(r['diff'])} ({fmt(r['low'])} to {fmt(r['high'])})"
        )
        if math.isnan(r["diff"]):
            diff = f"({fmt(r['low'], digits)} to {fmt(r['high'], digits)})"
        pct = (
            ""
            if math.isnan(r["pct"])
            else f"{fmt(r['pct'])}% ({fmt(r['pct_low'])} to {fmt(r['pct_high'])})"
        )
        lines.append(
            f"| {r['metric']} | {fmt(r['unscheduled'], digits)} | "
            f"{fmt(r['scheduled'], digits)} | {diff} | {pct} | {r['counties']} |"
        )
    lines += [
        "",
        f"## Hours for {100 * args.target:.0f}% on time (needs submitted inside the month)",
        "",
        "| seed | factor | provider hours | extra hours | new needs served on time | "
        "on time (served new) | on time (all served) | late needs | needs served | "
        "value served |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    base_hours: dict[int, float] = {}
    for r in rows:
        if r["run"] == "scale" and number(r["factor"]) == 1.0:
            base_hours[int(r["seed"])] = number(r["provider_hours"])
    for r in rows:
        if r["run"] != "scale":
            continue
        extra = number(r["provider_hours"]) - base_hours.get(int(r["seed"]), math.nan)
        lines.append(
            f"| {r['seed']} | {fmt(r['factor'], 2)} | {fmt(r['provider_hours'], 0)} | "
            f"{fmt(extra, 0)} | {fmt(r['on_time_of_new_needs'], 3)} | "
            f"{fmt(r['on_time_share_new'], 3)} | "
            f"{fmt(r['on_time_share'], 3)} | {r['late_needs']} | {r['needs_served']} | "
            f"{fmt(r['value_served'])} |"
        )
    return "\n".join(lines) + "\n"


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """On-time share (new needs) against the hours factor, one line per county."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axis = plt.subplots(figsize=(6, 4))
    seeds = sorted({int(r["seed"]) for r in rows if r["run"] == "scale"})
    for seed in seeds:
        mine = [r for r in rows if r["run"] == "scale" and int(r["seed"]) == seed]
        mine.sort(key=lambda r: number(r["factor"]))
        axis.plot(
            [number(r["factor"]) for r in mine],
            [number(r["on_time_of_new_needs"]) for r in mine],
            marker="o",
            label=f"county {seed}",
        )
    axis.axhline(0.95, color="grey", linestyle="--", linewidth=1)
    axis.set_xlabel("cadre and organisation hours (x the county's)")
    axis.set_ylabel("needs submitted in the month served on time")
    axis.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    return True


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--villages", type=int, default=60)
    parser.add_argument("--needs", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scale-counties", type=int, default=5)
    parser.add_argument("--factors", default="1.25,1.5,2,3,4")
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--skip-paired", action="store_true")
    parser.add_argument("--out", type=Path, default=RESULTS / "schedule_rhythm_cost.csv")
    parser.add_argument(
        "--from-csv", action="store_true", help="Only write the tables and plot of --out."
    )
    args = parser.parse_args(argv)
    if args.from_csv:
        with args.out.open(encoding="utf-8") as handle:
            read: list[dict[str, Any]] = list(csv.DictReader(handle))
        finish(read, args)
        return

    from matcher.generator import generate_scenario

    rows: list[dict[str, Any]] = []

    def record(row: dict[str, Any]) -> None:
        rows.append(row)
        print(json.dumps({k: row.get(k) for k in FIELDS}), flush=True)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(handle, FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)

    counties = {
        s: generate_scenario(args.villages, args.needs, seed=s, schedule=True)
        for s in range(max(args.counties, args.scale_counties))
    }
    common = {"villages": args.villages, "needs": args.needs}
    if not args.skip_paired:
        for seed in range(args.counties):
            for schedule in (False, True):
                county = scaled(counties[seed], 1.0, schedule)
                figures = solve(county, args.time_limit, args.workers)
                record(
                    {
                        "seed": seed,
                        **common,
                        "run": "paired",
                        "factor": 1.0,
                        "schedule": int(schedule),
                        "provider_hours": provider_hours(county),
                        **figures,
                    }
                )
    factors = [1.0] + [float(f) for f in args.factors.split(",")]
    for seed in range(args.scale_counties):
        for factor in factors:
            county = scaled(counties[seed], factor, True)
            figures = solve(county, args.time_limit, args.workers)
            record(
                {
                    "seed": seed,
                    **common,
                    "run": "scale",
                    "factor": factor,
                    "schedule": 1,
                    "provider_hours": provider_hours(county),
                    **figures,
                }
            )
            if number(figures["on_time_of_new_needs"]) >= args.target:
                break
    finish(rows, args)


def finish(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """Write the Markdown tables and the plot of ``rows`` beside ``args.out``."""
    md = markdown(rows, args)
    args.out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    drawn = plot(rows, args.out.with_suffix(".png"))
    print(f"# wrote {args.out}, .md" + (", .png" if drawn else ""))


if __name__ == "__main__":
    main(sys.argv[1:])
