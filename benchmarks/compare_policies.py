"""Policy comparison: the questions planners ask, answered over generated counties and the
bundled scenario, with means and 95% intervals.

Every county is solved under each policy by a resumable sweep (``matcher.sweep``, local
process pool); this script then reads the sweep's table and answers:

1. siloed vs integrated planning: money and hours the plan spends on duplicate aid, blind-spot
   needs and short villages, households reached, value served (policy documents claim ~30% of
   aid money is wasted on duplication and that blind spots fall ~40% with integrated pools);
2. fairness floor 0 / 0.3 / 0.5: value served against the least-served village's share;
3. regional tilt 1.0 vs 1.3: the central and west share of needs served and of value;
4. +10% cadre hours vs +10% pool money: which buys more value, per county class.

Differences are paired by county (same county, two policies): mean and a Student-t 95%
interval over the generated counties; the bundled demo county is reported on its own row.

    .venv/bin/python benchmarks/compare_policies.py                       # 20 counties, ~10 min
    .venv/bin/python benchmarks/compare_policies.py --seeds 4 --time-limit 3   # a quick look

Writes ``results/compare_policies_runs.csv`` (the sweep's table, one row per run; a re-run
resumes it), ``results/compare_policies.csv`` (the answers), ``results/compare_policies.md``
(the Markdown tables) and ``results/compare_policies.png``.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from scipy import stats

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher.sweep.driver import Sweep  # noqa: E402
from matcher.sweep.policies import parse_policies  # noqa: E402
from matcher.sweep.tasks import GeneratorSpec, make_tasks  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
DEMO = ROOT / "scenarios" / "demo-county.json"
CLASSES = ("east", "central", "west")
# fairness_weight: each unit of value a village falls short of its floor costs one unit of
# objective, so value served in a village under its floor counts double.
FAIRNESS_WEIGHT = 1.0
FLAT = {"east": 1.0, "central": 1.0, "west": 1.0}


def policies(time_limit: float) -> list[dict[str, Any]]:
    """The compared policies; ``integrated`` (auto, DESIGN's default policy) is the baseline."""
    auto = {"solver": "auto", "time_limit": time_limit}
    fair = {"fairness_weight": FAIRNESS_WEIGHT}
    return [
        {"name": "integrated", **auto},
        {"name": "siloed", "solver": "siloed", "time_limit": time_limit},
        {"name": "fairness-0.3", **auto, "overrides": {**fair, "fairness_floor_share": 0.3}},
        {"name": "fairness-0.5", **auto, "overrides": {**fair, "fairness_floor_share": 0.5}},
        {"name": "tilt-1.0", **auto, "overrides": {"region_weights": FLAT}},
        {"name": "cadre-hours+10pct", **auto, "scale": {"cadre_hours": 1.1}},
        {"name": "pool-money+10pct", **auto, "scale": {"pool_amount": 1.1}},
    ]


def number(row: dict[str, str], column: str) -> float:
    """A numeric cell (NaN when empty or missing)."""
    text = row.get(column, "")
    try:
        return float(text)
    except ValueError:
        return math.nan


def interval(values: Sequence[float]) -> tuple[float, float, float, int]:
    """Mean and Student-t 95% interval of the finite values."""
    xs = [v for v in values if math.isfinite(v)]
    n = len(xs)
    if n == 0:
        return math.nan, math.nan, math.nan, 0
    mean = statistics.fmean(xs)
    if n == 1:
        return mean, mean, mean, 1
    half = float(stats.t.ppf(0.975, n - 1)) * statistics.stdev(xs) / math.sqrt(n)
    return mean, mean - half, mean + half, n


Metric = Callable[[dict[str, str]], float]


def column(name: str) -> Metric:
    return lambda row: number(row, name)


def share_central_west(kind: str) -> Metric:
    def metric(row: dict[str, str]) -> float:
        parts = [number(row, f"kpi.{kind}_served_by_region.{r}") for r in CLASSES]
        total = sum(parts)
        return (parts[1] + parts[2]) / total if total > 0 else math.nan

    return metric


def duplicate_money_share(row: dict[str, str]) -> float:
    funded = number(row, "kpi.funding_used") + number(row, "kpi.duplicate_service_yuan")
    return number(row, "kpi.duplicate_service_yuan") / funded if funded > 0 else math.nan


QUESTIONS: list[tuple[str, str, list[str], list[tuple[str, Metric]]]] = [
    (
        "siloed vs integrated",
        "integrated",
        ["siloed"],
        [
            ("duplicate aid spent by the plan (yuan)", column("kpi.duplicate_service_yuan")),
            ("duplicate aid hours spent by the plan", column("kpi.duplicate_service_hours")),
            ("share of the plan's aid money on duplicates", duplicate_money_share),
            ("blind-spot needs (unmet)", column("blind.needs_unmet")),
            ("villages short of cadres", column("blind.villages_short")),
            ("households reached", column("kpi.households_reached")),
            ("value served", column("kpi.value_served")),
        ],
    ),
    (
        "fairness floor",
        "integrated",
        ["fairness-0.3", "fairness-0.5"],
        [
            ("value served", column("kpi.value_served")),
            (
                "least-served reachable village's value share",
                column("kpi.min_reachable_village_value_share"),
            ),
            (
                "reachable villages under 30% of their value",
                column("kpi.reachable_villages_below_30pct_value"),
            ),
            ("village funding Gini", column("kpi.village_funding_gini")),
        ],
    ),
    (
        "regional tilt 1.3 (baseline) vs 1.0",
        "integrated",
        ["tilt-1.0"],
        [
            ("central + west share of needs served", share_central_west("needs")),
            ("needs served", column("kpi.needs_served")),
        ],
    ),
    (
        "+10% cadre hours vs +10% pool money",
        "integrated",
        ["cadre-hours+10pct", "pool-money+10pct"],
        [
            ("objective", column("objective")),
            ("value served", column("kpi.value_served")),
            ("needs served", column("kpi.needs_served")),
        ],
    ),
]


def county_class(scenario: str) -> str:
    """A generated county's class from its label (``gen-…-west``); 'demo' for files."""
    for name in CLASSES:
        if scenario.endswith(f"-{name}"):
            return name
    return "demo"


def answer(rows: list[dict[str, str]]) -> list[dict[str, Any]]:
    """Every question's figures: per policy the baseline level, the policy's level and the
    paired difference, each as mean and 95% interval, for the generated counties (by class
    too for the last question) and for the demo county."""
    by_key = {(r["scenario"], r["policy"]): r for r in rows if not r.get("error")}
    scenarios = sorted({r["scenario"] for r in rows})
    out: list[dict[str, Any]] = []
    for question, base, others, metrics in QUESTIONS:
        groups = {"generated": [s for s in scenarios if county_class(s) != "demo"]}
        groups["demo"] = [s for s in scenarios if county_class(s) == "demo"]
        if question.startswith("+10%"):
            for name in CLASSES:
                groups[f"generated {name}"] = [s for s in scenarios if county_class(s) == name]
        for group, members in groups.items():
            for label, metric in metrics:
                for policy in others:
                    pairs = [
                        (metric(by_key[(s, base)]), metric(by_key[(s, policy)]))
                        for s in members
                        if (s, base) in by_key and (s, policy) in by_key
                    ]
                    if not pairs:
                        continue
                    b = interval([p[0] for p in pairs])
                    v = interval([p[1] for p in pairs])
                    d = interval([p[1] - p[0] for p in pairs])
                    out.append(
                        {
                            "question": question,
                            "counties": group,
                            "metric": label,
                            "baseline": base,
                            "policy": policy,
                            "n": d[3],
                            "baseline_mean": b[0],
                            "policy_mean": v[0],
                            "difference_mean": d[0],
                            "difference_low": d[1],
                            "difference_high": d[2],
                            "relative_change": d[0] / b[0] if b[0] else math.nan,
                        }
                    )
    return out


def fmt(value: float, relative: bool = False) -> str:
    if not math.isfinite(value):
        return "–"
    if relative:
        return f"{value:+.1%}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 1:
        return f"{value:,.2f}"
    return f"{value:.3f}"


def markdown(answers: list[dict[str, Any]]) -> str:
    """One table per question."""
    lines: list[str] = []
    for question, *_ in QUESTIONS:
        mine = [a for a in answers if a["question"] == question]
        if not mine:
            continue
        lines += [
            f"### {question}",
            "",
            "| counties | metric | policy | n | baseline | policy | difference (95% CI) | change |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for a in mine:
            ci = f"{fmt(a['difference_mean'])} ({fmt(a['difference_low'])} … "
            ci += f"{fmt(a['difference_high'])})"
            lines.append(
                f"| {a['counties']} | {a['metric']} | {a['policy']} | {a['n']} | "
                f"{fmt(a['baseline_mean'])} | {fmt(a['policy_mean'])} | {ci} | "
                f"{fmt(a['relative_change'], relative=True)} |"
            )
        lines.append("")
    return "\n".join(lines)


def plot(answers: list[dict[str, Any]], path: Path) -> bool:
    """Four panels: the relative change of each question's metrics with 95% intervals."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    fig, axes = plt.subplots(2, 2, figsize=(14, 9))
    for ax, (question, *_) in zip(axes.flat, QUESTIONS, strict=True):
        mine = [
            a
            for a in answers
            if a["question"] == question
            and a["counties"].startswith("generated")
            and a["baseline_mean"]
            and math.isfinite(a["baseline_mean"])
        ]
        labels = [f"{a['metric']}\n{a['policy']} ({a['counties']})" for a in mine]
        values = [a["difference_mean"] / abs(a["baseline_mean"]) * 100 for a in mine]
        lows = [
            (a["difference_mean"] - a["difference_low"]) / abs(a["baseline_mean"]) * 100
            for a in mine
        ]
        ax.barh(range(len(mine)), values, xerr=lows, color="#2f6f9f", ecolor="#333")
        ax.set_yticks(range(len(mine)), labels, fontsize=7)
        ax.axvline(0, color="#999", linewidth=0.8)
        ax.set_xlabel("change against the baseline, % (95% interval)")
        ax.set_title(question, fontsize=10)
        ax.invert_yaxis()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=20, help="generated counties")
    parser.add_argument("--villages", type=int, default=60)
    parser.add_argument("--needs", type=int, default=1000)
    parser.add_argument("--time-limit", type=float, default=8.0, help="seconds per auto run")
    parser.add_argument("--workers", type=int, default=2, help="processes (1 solver thread each)")
    parser.add_argument("--no-demo", action="store_true", help="leave out the bundled county")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    specs = [
        GeneratorSpec(args.villages, args.needs, seed, region=CLASSES[seed % 3])
        for seed in range(1, args.seeds + 1)
    ]
    files = [] if args.no_demo else [DEMO]
    tasks = make_tasks(files, specs, parse_policies({"policies": policies(args.time_limit)}))
    sweep = Sweep(tasks, args.out / "compare_policies_runs.csv")
    print(f"{len(tasks)} runs, {sweep.skipped} already done", flush=True)
    summary = sweep.run("local", workers=args.workers, threads=1)
    print(f"ran {summary.ran} ({summary.errors} failed) in {summary.seconds:.0f} s", flush=True)
    rows = sweep.rows()
    answers = answer(rows)
    with (args.out / "compare_policies.csv").open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(answers[0]) if answers else ["question"])
        writer.writeheader()
        writer.writerows(answers)
    table = markdown(answers)
    (args.out / "compare_policies.md").write_text(table + "\n", encoding="utf-8")
    plotted = plot(answers, args.out / "compare_policies.png")
    print(table)
    failed = defaultdict(int)
    for row in rows:
        if row.get("error"):
            failed[row["policy"]] += 1
    if failed:
        print(f"failed runs by policy: {dict(failed)}")
    extra = ", .png)" if plotted else ")"
    print("written", args.out / "compare_policies.md", "(and .csv" + extra)
    return answers


if __name__ == "__main__":
    main()
