"""The solvers at county scale: how near the LP bound each one gets within its time, how soon it
has a first plan, and how much memory it takes.

For each size it generates a county with :func:`matcher.generator.generate_scenario` (seed
``--seed``, default 1), computes the LP relaxation's proven upper bound once with no time limit
(:func:`solvers.lp_bound.solve_lp`), then runs every solver in a fresh subprocess (so that peak
memory is that run's alone) which loads the scenario file and calls
:func:`matcher.run.solve_scenario` with ``workers=2``, ``seed=0`` and the size's time limit. It
prints one table row per run as it ends, rewrites the CSV after each size, and at the end draws
the PNG (needs matplotlib: ``pip install -e '.[bench]'``) and says, per size, whether ``auto``
met its target and whether it did at least as well as every other solver.

The full default run takes 20+ minutes (four sizes, four solvers, up to 120 s each, plus LP
bounds): it is a script to run by hand on a quiet machine, never a test::

    .venv/bin/python benchmarks/scale.py                        # everything below, by default
    .venv/bin/python benchmarks/scale.py --sizes 1000 --solvers greedy,auto --time-limit 5 \\
        --out /tmp/scale.csv --plot /tmp/scale.png

Options: ``--sizes`` needs per county, comma-separated, default ``1000,5000,20000,50000`` (300
villages, 1,000 villages from 50,000 needs; ``VILLAGESxNEEDS`` such as ``300x5000`` sets them);
``--solvers`` default ``greedy,cpsat,highs,auto``; ``--time-limit`` seconds for every run,
otherwise 30 s up to 5,000 needs, 60 s up to 20,000 and 120 s above; ``--seed`` the generator's;
``--out`` the CSV (default ``benchmarks/results/scale.csv``); ``--plot`` the PNG (default
``benchmarks/results/scale.png``).

The targets for ``auto`` (objective as a share of the LP bound, at the given time limit):
5,000 needs ≥ 98.5% at 30 s, 20,000 ≥ 98% at 60 s, 50,000 ≥ 96.5% at 120 s with a peak under
4 GiB. A run with another time limit is still judged against them, and the verdict says so.

Columns (CSV names; the printed table abbreviates them):

- ``needs``, ``villages``, ``seed``: the generated county;
- ``solver``; ``time_limit``: seconds given to ``solve_scenario`` (it bounds the whole run,
  travel times and compile included, not only the search);
- ``status``: the plan's status after evaluation (``error`` if the evaluator found a broken
  rule); ``crashed`` or ``timeout`` when the subprocess failed or overran (details in ``error``);
- ``objective``: the evaluator's objective of the returned plan (never a solver's claim);
- ``lp_bound``, ``lp_seconds``, ``lp_converged``: the LP relaxation's safe dual bound (a proven
  upper bound on any plan's objective), the seconds it took, and whether column generation
  reached the LP optimum of the whole model (if not, the bound is valid but looser);
- ``pct_of_lp``: objective / LP bound × 100 (100 is optimal at best; blank if the bound is ≤ 0);
- ``solver_bound``: the bound the solver proved, as kept on the plan (blank when it has none);
  ``discarded_bound``: a solver "bound" below the evaluator's objective, which the run dropped;
- ``first_plan_s``: seconds from the start of the ``solve_scenario`` call to the solver's first
  progress event (its first plan), blank if it reported none;
- ``wall_s``: seconds of the whole ``solve_scenario`` call (index, solve, evaluation, reports);
- ``peak_mb``: the subprocess's peak resident memory in MiB (``VmHWM``: the whole process,
  scenario loading included; not ``ru_maxrss``, which on Linux keeps the parent's peak across
  the exec);
- ``violations``: hard rules the evaluator found broken (should be 0);
- ``error``: the last line of a crashed subprocess's traceback (the whole of it goes to stderr).
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"
DEFAULT_SIZES = "1000,5000,20000,50000"
DEFAULT_SOLVERS = "greedy,cpsat,highs,auto"
AUTO = "auto"
PEAK_LIMIT_MB = 4096.0
"""The 50,000-needs target's memory limit, 4 GiB in MiB."""


@dataclass(frozen=True)
class Target:
    """What ``auto`` must reach on a county of this many needs."""

    pct: float  # objective / LP bound, per cent, at least
    seconds: float  # within this time limit
    peak_mb: float | None = None  # and below this peak memory, when set


TARGETS: dict[int, Target] = {
    5000: Target(98.5, 30.0),
    20000: Target(98.0, 60.0),
    50000: Target(96.5, 120.0, PEAK_LIMIT_MB),
}


@dataclass(frozen=True)
class Size:
    """One county to generate."""

    villages: int
    needs: int


def parse_sizes(text: str) -> list[Size]:
    """``1000,5000`` or ``300x5000``: needs alone get 300 villages, 1,000 from 50,000 needs."""
    sizes = []
    for part in text.split(","):
        part = part.strip().replace("_", "")
        if "x" in part:
            villages, needs = (int(x) for x in part.split("x"))
        else:
            needs = int(part)
            villages = 1000 if needs >= 50000 else 300
        sizes.append(Size(villages, needs))
    return sizes


def default_time_limit(needs: int) -> float:
    """30 s up to 5,000 needs, 60 s up to 20,000, 120 s above."""
    if needs <= 5000:
        return 30.0
    if needs <= 20000:
        return 60.0
    return 120.0


# ----------------------------------------------------------------------------- child process


def peak_rss_mb() -> float:
    """This process's peak resident memory in MiB: ``VmHWM`` where /proc has it (the process's
    own address space only), else ``ru_maxrss``, which may include a parent's peak before exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child(argv: list[str]) -> None:
    """One solve in this (fresh) process; prints its figures as one JSON line."""
    parser = argparse.ArgumentParser(prog="scale.py --child")
    parser.add_argument("scenario", type=Path)
    parser.add_argument("solver")
    parser.add_argument("time_limit", type=float)
    args = parser.parse_args(argv)

    from matcher.intake.loading import load_scenario
    from matcher.problem.solution import Progress
    from matcher.run import solve_scenario

    scenario = load_scenario(args.scenario).scenario
    first: list[float] = []
    started = time.monotonic()

    def on_progress(_: Progress) -> None:
        if not first:
            first.append(time.monotonic() - started)

    run = solve_scenario(
        scenario,
        solver=args.solver,
        time_limit=args.time_limit,
        seed=0,
        workers=2,
        on_progress=on_progress,
        started=started,
    )
    wall = time.monotonic() - started
    info = run.plan.solver
    stats = info.stats or {}
    record = {
        "solver": args.solver,
        "status": info.status,
        "objective": run.evaluation.objective,
        "solver_bound": info.bound,
        "discarded_bound": stats.get("bound_discarded"),
        "first_plan_s": first[0] if first else None,
        "wall_s": wall,
        "peak_mb": peak_rss_mb(),
        "violations": len(run.evaluation.violations),
    }
    print(json.dumps(record), flush=True)


def run_child(scenario: Path, solver: str, time_limit: float) -> dict[str, Any]:
    """Run :func:`child` in a fresh interpreter; its JSON figures, or a crash's status."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child"]
    command += [str(scenario), solver, repr(time_limit)]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=3 * time_limit + 300, check=False
        )
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "error": f"no result after {3 * time_limit + 300:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode == 0 and lines:
        result: dict[str, Any] = json.loads(lines[-1])
        return result
    sys.stderr.write(f"--- {solver} failed (exit {done.returncode}):\n{done.stderr}\n")
    tail = [line for line in done.stderr.strip().splitlines() if line.strip()]
    return {"status": "crashed", "error": tail[-1] if tail else f"exit {done.returncode}"}


# ----------------------------------------------------------------------------- measuring


@dataclass(frozen=True)
class LpFigures:
    """The LP bound of one county."""

    bound: float
    seconds: float
    converged: bool


def lp_bound(raw: dict[str, object]) -> LpFigures:
    """The LP relaxation's proven bound of a generated county, with no time limit."""
    from matcher.intake.loading import parse_scenario
    from matcher.problem.compile import compile_problem
    from solvers.linear_model import build_linear_model
    from solvers.lp_bound import solve_lp

    problem = compile_problem(parse_scenario(raw).scenario)
    lp = solve_lp(problem, build_linear_model(problem))
    return LpFigures(lp.bound, lp.seconds, lp.converged)


def pct(objective: float | None, bound: float) -> float | None:
    """objective / bound in per cent; None without an objective or a positive bound."""
    if objective is None or bound <= 0:
        return None
    return 100 * objective / bound


def measure(
    size: Size, seed: int, solvers: list[str], time_limit: float, work: Path
) -> list[dict[str, Any]]:
    """Generate one county, bound it, and run every solver on it in its own process."""
    from matcher.generator import generate_scenario

    started = time.perf_counter()
    raw = generate_scenario(villages=size.villages, needs=size.needs, seed=seed)
    path = work / f"county-{size.villages}x{size.needs}-seed{seed}.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    generated = time.perf_counter() - started
    lp = lp_bound(raw)
    del raw
    print(
        f"# {size.villages} villages x {size.needs} needs: generated in {generated:.1f} s; "
        f"LP bound {lp.bound:,.2f} in {lp.seconds:.1f} s "
        f"({'converged' if lp.converged else 'NOT converged: a looser bound'})",
        flush=True,
    )
    rows = []
    for solver in solvers:
        result = run_child(path, solver, time_limit)
        row: dict[str, Any] = {
            "needs": size.needs,
            "villages": size.villages,
            "seed": seed,
            "solver": solver,
            "time_limit": time_limit,
            "status": result.get("status"),
            "objective": result.get("objective"),
            "lp_bound": lp.bound,
            "lp_seconds": round(lp.seconds, 2),
            "lp_converged": lp.converged,
            "pct_of_lp": pct(result.get("objective"), lp.bound),
            "solver_bound": result.get("solver_bound"),
            "discarded_bound": result.get("discarded_bound"),
            "first_plan_s": result.get("first_plan_s"),
            "wall_s": result.get("wall_s"),
            "peak_mb": result.get("peak_mb"),
            "violations": result.get("violations"),
            "error": result.get("error"),
        }
        rows.append(row)
        print(table_row(row), flush=True)
        objective = row["objective"]
        if objective is not None and objective > lp.bound + 1e-6 * max(1.0, abs(lp.bound)):
            print(f"  ! objective {objective:,.2f} above the LP bound: check the bound", flush=True)
        if row["discarded_bound"] is not None:
            print(f"  ! discarded solver bound {row['discarded_bound']:,.2f}", flush=True)
        if row["error"]:
            print(f"  ! {row['error']}", flush=True)
    return rows


# ----------------------------------------------------------------------------- output

COLUMNS = (
    ("needs", 6),
    ("vill", 5),
    ("solver", 7),
    ("limit", 6),
    ("status", 9),
    ("objective", 14),
    ("LP bound", 14),
    ("% LP", 7),
    ("solver bound", 14),
    ("1st s", 6),
    ("wall s", 7),
    ("peak MB", 8),
    ("viol", 5),
)


def table_header() -> str:
    """The printed table's header."""
    return " ".join(f"{name:>{width}}" for name, width in COLUMNS)


def _fmt(value: Any, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def table_row(row: dict[str, Any]) -> str:
    """One run as a printed table row."""
    cells = (
        str(row["needs"]),
        str(row["villages"]),
        row["solver"],
        _fmt(row["time_limit"], "g"),
        str(row["status"]),
        _fmt(row["objective"], ",.1f"),
        _fmt(row["lp_bound"], ",.1f"),
        _fmt(row["pct_of_lp"], ".2f"),
        _fmt(row["solver_bound"], ",.1f"),
        _fmt(row["first_plan_s"], ".2f"),
        _fmt(row["wall_s"], ".1f"),
        _fmt(row["peak_mb"], ".0f"),
        _fmt(row["violations"], "d"),
    )
    return " ".join(f"{cell:>{width}}" for cell, (_, width) in zip(cells, COLUMNS, strict=True))


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    """Per size: did ``auto`` meet its target, and is it at least as good as every other solver."""
    lines = []
    for needs in dict.fromkeys(r["needs"] for r in rows):
        runs = {r["solver"]: r for r in rows if r["needs"] == needs}
        auto = runs.get(AUTO)
        if auto is None:
            continue
        label = f"{auto['villages']}x{needs}"
        ok = auto["status"] in ("optimal", "feasible", "stopped") and auto["violations"] == 0
        target = TARGETS.get(needs)
        if target is None:
            lines.append(f"{label}: no target for auto at this size")
        else:
            share, peak = auto["pct_of_lp"], auto["peak_mb"]
            met = ok and share is not None and share >= target.pct
            text = f"{_fmt(share, '.2f')}% of LP, target >= {target.pct}%"
            if target.peak_mb is not None:
                met = met and peak is not None and peak < target.peak_mb
                text += f"; peak {_fmt(peak, '.0f')} MB, target < {target.peak_mb:.0f} MB"
            note = ""
            if auto["time_limit"] != target.seconds:
                note = (
                    f" (the target is at {target.seconds:g} s; "
                    f"this run had {auto['time_limit']:g} s)"
                )
            lines.append(f"{label}: auto target {'MET' if met else 'NOT met'}: {text}{note}")
        others = {s: r for s, r in runs.items() if s != AUTO}
        if not others:
            continue
        objective = auto["objective"] if ok else None
        behind = []
        for solver, other in others.items():
            theirs = other["objective"]
            if theirs is None or other["violations"]:
                continue
            if objective is None or objective < theirs - 1e-6 * max(1.0, abs(theirs)):
                behind.append(f"{solver} {theirs:,.1f}")
        if behind:
            mine = "no valid plan" if objective is None else f"{objective:,.1f}"
            lines.append(f"{label}: auto ({mine}) is BEHIND {', '.join(behind)}")
        else:
            lines.append(f"{label}: auto >= every other solver ({', '.join(others)})")
    return lines


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Every run, one row each."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


def plot(rows: list[dict[str, Any]], path: Path) -> bool:
    """Grouped bars of objective / LP bound per size and solver with auto's targets, and peak
    memory with the 4 GiB limit; False without matplotlib. The share axis starts a little below
    the lowest target or non-negative share; a bar below it is labelled at the axis' foot."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    sizes = list(dict.fromkeys((r["villages"], r["needs"]) for r in rows))
    solvers = list(dict.fromkeys(r["solver"] for r in rows))
    width = 0.8 / len(solvers)
    bars: dict[str, tuple[list[float], list[float], list[float]]] = {}
    for i, solver in enumerate(solvers):
        xs, shares, peaks = [], [], []
        for j, (_, needs) in enumerate(sizes):
            row = next((r for r in rows if r["needs"] == needs and r["solver"] == solver), None)
            if row is not None:
                xs.append(j - 0.4 + (i + 0.5) * width)
                shares.append(math.nan if row["pct_of_lp"] is None else row["pct_of_lp"])
                peaks.append(math.nan if row["peak_mb"] is None else row["peak_mb"])
        bars[solver] = (xs, shares, peaks)
    low = min(
        [y for _, ys, _ in bars.values() for y in ys if y >= 0] + [t.pct for t in TARGETS.values()]
    )
    bottom = max(0.0, math.floor(low) - 2)

    fig, (ax, mem) = plt.subplots(2, 1, figsize=(10, 7), sharex=True, height_ratios=(2, 1))
    for solver, (xs, shares, peaks) in bars.items():
        drawn = ax.bar(xs, shares, width, label=solver)
        labels = ["" if math.isnan(y) or y < bottom else f"{y:.1f}" for y in shares]
        ax.bar_label(drawn, labels=labels, fontsize=7, padding=1)
        for x, y in zip(xs, shares, strict=True):
            text = "no plan" if math.isnan(y) else f"{y:.0f}%" if y < bottom else ""
            if text:
                ax.annotate(
                    text,
                    (x, bottom),
                    xytext=(0, 3),
                    textcoords="offset points",
                    ha="center",
                    va="bottom",
                    rotation=90,
                    fontsize=7,
                )
        mem.bar(xs, peaks, width, label=solver)
    for j, (_, needs) in enumerate(sizes):
        target = TARGETS.get(needs)
        if target is None:
            continue
        ax.hlines(target.pct, j - 0.45, j + 0.45, colors="black", linestyles="--")
        ax.annotate(
            f"auto target {target.pct:g}% at {target.seconds:g} s",
            (j, target.pct),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            fontsize=7,
        )
        if target.peak_mb is not None:
            mem.hlines(target.peak_mb, j - 0.45, j + 0.45, colors="black", linestyles="--")
            mem.annotate(
                "auto < 4 GiB",
                (j, target.peak_mb),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                fontsize=7,
            )
    ax.set_ylim(bottom, 101.5)
    ax.set_ylabel("objective / LP bound (%)")
    ax.legend(title="solver", fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    seeds = ", ".join(str(s) for s in dict.fromkeys(r["seed"] for r in rows))
    ax.set_title(f"Objective as a share of the LP bound (generator seed {seeds})")
    mem.set_ylabel("peak MiB")
    limits = {(r["needs"], r["time_limit"]) for r in rows}
    labels = [
        f"{v}x{n}\n{', '.join(f'{t:g} s' for m, t in sorted(limits) if m == n)}" for v, n in sizes
    ]
    mem.set_xticks(range(len(sizes)), labels)
    mem.set_xlabel("villages x needs, time limit")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def main() -> None:
    """Measure every size, print the table and verdicts, write the CSV and plot."""
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="needs (or VxN), comma-separated")
    parser.add_argument("--solvers", default=DEFAULT_SOLVERS, help="comma-separated")
    parser.add_argument("--time-limit", type=float, help="seconds for every run")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.csv")
    parser.add_argument("--plot", type=Path, default=RESULTS / "scale.png")
    args = parser.parse_args()
    sizes = parse_sizes(args.sizes)
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    rows: list[dict[str, Any]] = []
    print(table_header(), flush=True)
    with tempfile.TemporaryDirectory(prefix="scale-") as work:
        for size in sizes:
            limit = args.time_limit
            if limit is None:
                limit = default_time_limit(size.needs)
            rows += measure(size, args.seed, solvers, limit, Path(work))
            write_csv(rows, args.out)
    print()
    for line in verdicts(rows):
        print(line)
    print(f"written {args.out}")
    if plot(rows, args.plot):
        print(f"written {args.plot}")


if __name__ == "__main__":
    main()
