"""The daily service loop (DESIGN §10) under four operating policies, over generated counties:
first-come dispatch, siloed dispatch, weekly re-planning and daily re-planning.

Each county is ``generate_arrivals(villages, needs, seed=s)`` (``matcher generate --arrivals``:
needs arriving on the working days of one month, with hidden fates) and is replayed once per
policy by :func:`matcher.replay.replay` (``matcher replay``: the day loop through the register,
re-plans by ``auto`` in ``--time-limit-per-day`` s, households answering from the same seeded
draws under every policy). The paired differences daily − first-come, daily − siloed and
daily − weekly over counties, with Student-t 95% intervals, are reported for the on-time share,
the p90 of response working days, the resolution rate, value served, duplicate aid, travel
hours and assignments changed per publish.

    .venv/bin/python benchmarks/service_loop.py            # 20 × 300 villages × 5,000 needs: hours
    .venv/bin/python benchmarks/service_loop.py --counties 3 --villages 60 --needs 800 \
        --time-limit-per-day 3                              # a quick look, a few minutes

Writes ``results/service_loop.csv`` (one row per county and policy, rewritten after each, so
a long run can be read while it goes; ``--resume`` skips the rows it already holds), ``.md``
(the tables) and ``.png`` (when matplotlib is installed). ``--from-csv`` only redraws them.
"""

from __future__ import annotations

import argparse
import csv
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
POLICIES = ("first-come", "siloed", "weekly", "daily")
BASELINES = ("first-come", "siloed", "weekly")
METRICS = (
    "on_time_share",
    "response_days_p90",
    "resolution_rate",
    "value_served",
    "duplicate_aid",
    "travel_hours",
    "changed_per_publish",
    "changed_share_per_publish",
)
KEYS = ("county", "villages", "needs", "seed", "policy")


def number(value: Any) -> float:
    """A CSV cell as a float (NaN when empty or not a number)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def paired_table(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """daily − baseline per county, mean and 95% interval, per baseline and metric."""
    by_county: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_county.setdefault(str(row["county"]), {})[str(row["policy"])] = row
    out: list[dict[str, Any]] = []
    for baseline in BASELINES:
        pairs = [p for p in by_county.values() if "daily" in p and baseline in p]
        for metric in METRICS:
            base = [number(p[baseline].get(metric)) for p in pairs]
            daily = [number(p["daily"].get(metric)) for p in pairs]
            diff = [d - b for b, d in zip(base, daily, strict=True)]
            mean, low, high, n = interval(diff)
            out.append(
                {
                    "comparison": f"daily − {baseline}",
                    "metric": metric,
                    "baseline": _mean(base),
                    "daily": _mean(daily),
                    "diff": mean,
                    "low": low,
                    "high": high,
                    "counties": n,
                }
            )
    return out


def _mean(values: list[float]) -> float:
    finite = [v for v in values if math.isfinite(v)]
    return statistics.fmean(finite) if finite else math.nan


def policy_means(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each policy's mean of each metric (and of satisfaction and wall seconds) over counties."""
    out = []
    for policy in POLICIES:
        mine = [r for r in rows if r["policy"] == policy]
        if not mine:
            continue
        row: dict[str, Any] = {"policy": policy, "counties": len(mine)}
        for metric in (*METRICS, "satisfaction_mean", "wall_seconds"):
            row[metric] = _mean([number(r.get(metric)) for r in mine])
        out.append(row)
    return out


def fmt(value: Any, digits: int = 3) -> str:
    """A figure for the tables ('' for NaN)."""
    x = number(value)
    return "" if math.isnan(x) else f"{x:,.{digits}f}"


def markdown(rows: list[dict[str, Any]], args: argparse.Namespace) -> str:
    """The tables: each policy's means, then the paired differences."""
    lines = [
        "# The daily service loop: four operating policies",
        "",
        f"{len({r['county'] for r in rows})} generated counties ({args.villages} villages, "
        f"{args.needs} needs arriving over one month), re-plans by `auto` in "
        f"{args.time_limit_per_day} s per day, max changes {args.max_changes}, "
        f"at most {args.max_changes_share} of the published work; "
        "see docs/replay.md for the simulation's assumptions.",
        "",
        "## Means per policy",
        "",
        "| policy | counties | "
        + " | ".join((*METRICS, "satisfaction_mean", "wall_seconds"))
        + " |",
        "|---|---:|" + "---:|" * (len(METRICS) + 2),
    ]
    for row in policy_means(rows):
        cells = [fmt(row[m]) for m in (*METRICS, "satisfaction_mean", "wall_seconds")]
        lines.append(f"| {row['policy']} | {row['counties']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Paired differences (mean and Student-t 95% interval over counties)",
        "",
        "| comparison | metric | baseline | daily | difference | 95% interval | counties |",
        "|---|---|---:|---:|---:|---|---:|",
    ]
    for p in paired_table(rows):
        lines.append(
            f"| {p['comparison']} | {p['metric']} | {fmt(p['baseline'])} | {fmt(p['daily'])} | "
            f"{fmt(p['diff'])} | [{fmt(p['low'])}, {fmt(p['high'])}] | {p['counties']} |"
        )
    return "\n".join(lines) + "\n"


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """One panel per metric: each county's value under each policy, joined by county."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(2, 4, figsize=(14, 6.5))
    counties = sorted({str(r["county"]) for r in rows})
    for axis, metric in zip(axes.flat, METRICS, strict=False):
        for county in counties:
            mine = {r["policy"]: number(r.get(metric)) for r in rows if str(r["county"]) == county}
            xs = [i for i, p in enumerate(POLICIES) if p in mine]
            axis.plot(xs, [mine[POLICIES[i]] for i in xs], marker="o", alpha=0.5, linewidth=1)
        axis.set_xticks(range(len(POLICIES)), POLICIES, fontsize=8)
        axis.set_title(metric, fontsize=9)
    axes.flat[-1].axis("off")
    figure.suptitle("Service loop: each line is one county under the four policies")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return True


def finish(rows: list[dict[str, Any]], args: argparse.Namespace) -> None:
    """Write the Markdown tables and the plot beside ``args.out``."""
    md = markdown(rows, args)
    args.out.with_suffix(".md").write_text(md, encoding="utf-8")
    print(md)
    drawn = plot(rows, args.out.with_suffix(".png"))
    print(f"# wrote {args.out}, .md" + (", .png" if drawn else ""), flush=True)


def write_rows(rows: list[dict[str, Any]], path: Path) -> None:
    """All rows so far as CSV (the county's columns first)."""
    fields = list(KEYS) + [k for k in rows[0] if k not in KEYS]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """The rows of an earlier run."""
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--time-limit-per-day", type=float, default=5.0)
    parser.add_argument("--max-changes", type=int, default=None)
    parser.add_argument(
        "--max-changes-share",
        type=float,
        default=0.05,
        help="Re-plans change at most this share of the published, unstarted work (0.05).",
    )
    parser.add_argument(
        "--no-change-limit",
        action="store_true",
        help="Re-plans change what they like (no --max-changes-share).",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--policies", default=",".join(POLICIES))
    parser.add_argument("--out", type=Path, default=RESULTS / "service_loop.csv")
    parser.add_argument("--resume", action="store_true", help="Keep the rows --out holds.")
    parser.add_argument(
        "--from-csv", action="store_true", help="Only write the tables and plot of --out."
    )
    args = parser.parse_args(argv)
    if args.no_change_limit:
        args.max_changes_share = None
    if args.from_csv:
        finish(read_rows(args.out), args)
        return

    from matcher.generator.arrivals import arrivals_of, generate_arrivals
    from matcher.replay import ReplayOptions, replay
    from matcher.replay.reach import Reach

    rows: list[dict[str, Any]] = read_rows(args.out) if args.resume and args.out.exists() else []
    done = {(str(r["county"]), str(r["policy"])) for r in rows}
    options = ReplayOptions(
        args.time_limit_per_day, args.max_changes, 0, args.workers, args.max_changes_share
    )
    began = time.monotonic()
    for seed in range(args.first_seed, args.first_seed + args.counties):
        county = f"{args.villages}x{args.needs}-s{seed}"
        policies = [p for p in args.policies.split(",") if (county, p) not in done]
        if not policies:
            continue
        arrivals = arrivals_of(generate_arrivals(args.villages, args.needs, seed))
        reach = Reach.of(arrivals.county)
        for policy in policies:
            result = replay(arrivals, policy, options, reach=reach)
            head = {
                "county": county,
                "villages": args.villages,
                "needs": len(arrivals.needs),
                "seed": seed,
                "policy": policy,
            }
            rows.append({**head, **result.figures})
            write_rows(rows, args.out)
            f = result.figures
            print(
                f"[{time.monotonic() - began:7.0f} s] {county} {policy:10s} "
                f"on-time {fmt(f['on_time_share'])} p90 {fmt(f['response_days_p90'], 1)} "
                f"resolution {fmt(f['resolution_rate'])} value {fmt(f['value_served'], 0)} "
                f"dup {f['duplicate_aid']} travel {fmt(f['travel_hours'], 0)} "
                f"changed/publish {fmt(f['changed_per_publish'], 2)} "
                f"({f['wall_seconds']} s)",
                flush=True,
            )
    finish(rows, args)


if __name__ == "__main__":
    main(sys.argv[1:])
