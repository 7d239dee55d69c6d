"""Time and memory of each pipeline stage on generated counties of growing size.

Prints a table and writes ``benchmarks/results/stages.csv`` (and ``stages.png`` when matplotlib
is installed: ``pip install -e '.[bench]'``). Stages: generate, validate (parse + every check),
travel times, compile, greedy, siloed, evaluate, reports. Figures are wall seconds on this
machine; compare ratios within one run, not across machines.

    .venv/bin/python benchmarks/stages.py [--sizes 30x600,300x5000,300x20000] [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matcher.evaluate.evaluator import evaluate
from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.prepare.network import travel_times
from matcher.problem.compile import compile_problem
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import SolveParams
from matcher.reports import build_reports
from matcher.run import finish_plan
from solvers.greedy import GreedySolver
from solvers.siloed import SiloedSolver

RESULTS = Path(__file__).parent / "results"


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """Run ``fn`` twice: once timed, once under tracemalloc (which slows Python several-fold);
    return its value, wall seconds and peak traced MiB."""
    started = time.perf_counter()
    value = fn()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return value, seconds, peak / 2**20


def measure(villages: int, needs: int, seed: int) -> list[dict[str, Any]]:
    """Every stage's seconds and peak memory on one generated county."""
    rows: list[dict[str, Any]] = []

    def row(stage: str, seconds: float, mib: float, **extra: Any) -> None:
        rows.append(
            {
                "villages": villages,
                "needs": needs,
                "stage": stage,
                "seconds": round(seconds, 4),
                "peak_mib": round(mib, 1),
                **extra,
            }
        )

    raw, s, m = timed(lambda: generate_scenario(villages=villages, needs=needs, seed=seed))
    row("generate", s, m)
    loaded, s, m = timed(lambda: parse_scenario(raw))
    row("validate", s, m)
    scenario = loaded.scenario
    times, s, m = timed(lambda: travel_times(scenario))
    row("travel_times", s, m)
    problem, s, m = timed(lambda: compile_problem(scenario, times))
    row("compile", s, m, arcs=problem.n_arcs, pairing_arcs=len(problem.pair_cadre))
    index = ScenarioIndex.build(scenario, times)
    object.__setattr__(index, "problem", problem)  # the cached property, filled: compile once
    for solver in (GreedySolver(), SiloedSolver()):
        result, s, m = timed(lambda solver=solver: solver.solve(problem, SolveParams()))
        row(solver.name, s, m)
    plan, _ = finish_plan(index, problem, result, 0.0)
    evaluation, s, m = timed(lambda: evaluate(index, plan))
    row("evaluate", s, m, violations=len(evaluation.violations))
    _, s, m = timed(lambda: build_reports(index, plan, evaluation))
    row("reports", s, m)
    return rows


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """A grouped bar chart of seconds per stage and size; False without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = sorted({(r["villages"], r["needs"]) for r in rows}, key=lambda x: x[1])
    stages = list(dict.fromkeys(r["stage"] for r in rows))
    fig, ax = plt.subplots(figsize=(9, 4))
    width = 0.8 / len(sizes)
    for i, (v, n) in enumerate(sizes):
        values = [
            next(r["seconds"] for r in rows if r["stage"] == st and r["needs"] == n)
            for st in stages
        ]
        ax.bar([j + i * width for j in range(len(stages))], values, width, label=f"{v}x{n}")
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(stages))], stages, rotation=20)
    ax.set_ylabel("seconds")
    ax.set_yscale("log")
    ax.legend(title="villages x needs")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return True


def main() -> None:
    """Measure every size and write the CSV (and plot)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="30x600,300x5000,300x20000")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    for size in args.sizes.split(","):
        villages, needs = (int(x) for x in size.split("x"))
        rows += measure(villages, needs, args.seed)
    RESULTS.mkdir(exist_ok=True)
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with (RESULTS / "stages.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)
    print(f"{'size':>12} {'stage':>13} {'seconds':>9} {'peak MiB':>9}")
    for r in rows:
        size = f"{r['villages']}x{r['needs']}"
        print(f"{size:>12} {r['stage']:>13} {r['seconds']:9.3f} {r['peak_mib']:9.1f}")
    print(f"written {RESULTS / 'stages.csv'}")
    if plot(rows, RESULTS / "stages.png"):
        print(f"written {RESULTS / 'stages.png'}")


if __name__ == "__main__":
    main()
