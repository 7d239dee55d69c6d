"""The engine on published Generalized Assignment Problem (GAP) instances.

What it measures: how close the ``auto`` solver (or any ``--solver``) comes to the optimal or
best-known cost of the OR-Library / Chu & Beasley / Yagiura GAP instances in
``/work/shared/benchmarks/gap/`` (see its README.md), within a fixed time. For each instance it
reports the GAP cost of the returned plan, the best-known value, the gap in per cent
(``(cost - best) / best * 100`` for minimisation, ``(best - cost) / best * 100`` for
maximisation; so positive = worse than best-known), the jobs left unassigned, the capacity
violation it finds by itself, the seconds and the solver's status. Then the mean gap per
(type, sense). The gap is blank when a job is unassigned ("left infeasible").

How to run::

    .venv/bin/python benchmarks/gap_orlib.py                     # C, D, E with n <= 200
    .venv/bin/python benchmarks/gap_orlib.py --large             # ... plus C, D, E with n >= 400
    .venv/bin/python benchmarks/gap_orlib.py --instances c05100 'd*100' gap1-1 gap12 \\
        --sense both --time-limit 5

``--instances`` takes names or shell-style patterns over the instance names: Yagiura files
(``a05100`` ... ``e801600``, always minimisation), ``gapX-k`` (problem k of ``orlib/gapX.txt``,
X = 1..12; ``--sense`` picks min, max or both, default both) or a whole file ``gap1`` ... ``gap12``.
(``orlib/gapa.txt`` ... ``gapd.txt`` are the same problems as the Yagiura A-D files with n <= 200,
so they are reached by those names.) The time limit is 20 s for n <= 200 and 60 s above, unless
``--time-limit`` is given. Outputs: ``--out`` (default ``benchmarks/results/gap_orlib.csv``) with
one row per (instance, sense); a second CSV next to it with ``_means`` before the suffix
(``gap_orlib_means.csv``: type, sense, instances, solved, mean_gap_pct; the mean is over
instances with every job assigned); and ``--plot`` (default ``benchmarks/results/gap_orlib.png``,
needs matplotlib: ``pip install -e '.[bench]'``; ``--no-plot`` skips it).

The mapping onto :class:`matcher.problem.Problem` (built directly, no scenario): agents are
providers (organisations only: no cadres, no pairings, no departments), capacity ``b[i]``; jobs
are needs, all in one village whose cap never binds, with no cost, pools, pins or households;
every (job, agent) pair is an arc (arcs grouped by need, agents in index order) charging
``a[i][j]`` hours. Every penalty and the fairness terms are 0, so the engine's objective is the
sum of the chosen arcs' values.

The engine maximises and may leave needs unserved, while GAP must assign every job. So every arc
of job j gets value ``M - c[i][j]`` (minimisation) or ``M + c[i][j]`` (maximisation, i.e. the
minimisation of ``-c``), and ``need_value`` is M. Writing ``d[i][j]`` for the cost to minimise
(``c`` or ``-c``), take ``M = 1 + max(0, max d) + sum_j (max_i d[i][j] - min_i d[i][j])``. Why
that is large enough: a plan serving all n jobs is worth at least ``n*M - sum_j max_i d[i][j]``;
a plan leaving the set U (non-empty) unserved is worth at most
``(n - |U|)*M - sum_{j not in U} min_i d[i][j]``. The difference is at least
``sum_{j in U} (M - max_i d[i][j]) - sum_{j not in U} (max_i d[i][j] - min_i d[i][j])
>= (M - max d) - sum_j spread_j >= 1 > 0``. So whenever a full assignment exists (it does for
every instance here) the engine's optimum serves every job, and among full assignments it
maximises ``n*M - sum d``, i.e. it minimises the GAP cost. M > max d also makes every arc value
positive. This M is the smallest of this simple kind; a smaller M keeps the shifted objective
(about n*M) small, which matters because MIP gaps are relative to it.

Nothing is taken from the solver's own objective: the cost is recomputed from
``solution.need_provider`` and the capacities are checked here. ``cost_bound`` is the solver's
proven bound mapped back to a GAP cost (a lower bound for min, an upper bound for max), when it
gives one.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import math
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt

from matcher.problem.arrays import Problem

DATA = Path("/work/shared/benchmarks/gap")
RESULTS = Path(__file__).parent / "results"

Sense = Literal["min", "max"]
IntMatrix = npt.NDArray[np.int64]

SMALL_DEFAULT = tuple(f"{t}{m:02d}{n}" for t in "cde" for m in (5, 10, 20) for n in (100, 200))
"""The default selection: types C, D, E with n <= 200."""

LARGE = tuple(
    f"{t}{m:02d}{n}"
    for t in "cde"
    for m, n in (
        (10, 400),
        (20, 400),
        (40, 400),
        (15, 900),
        (30, 900),
        (60, 900),
        (20, 1600),
        (40, 1600),
        (80, 1600),
    )
)
"""Types C, D, E with n >= 400 (``--large``)."""

ORLIB_FILES = tuple(f"gap{k}" for k in range(1, 13))

COLUMNS = (
    "instance",
    "type",
    "m",
    "n",
    "sense",
    "cost",
    "best_known",
    "gap_pct",
    "unassigned",
    "cap_violation",
    "cost_bound",
    "seconds",
    "time_limit",
    "solver",
    "status",
)


@dataclass(frozen=True, eq=False)
class GapInstance:
    """One GAP problem: m agents, n jobs; ``cost`` and ``weight`` are m x n, ``capacity`` m."""

    name: str
    cost: IntMatrix
    weight: IntMatrix
    capacity: IntMatrix

    @property
    def m(self) -> int:
        """Agents."""
        return int(self.cost.shape[0])

    @property
    def n(self) -> int:
        """Jobs."""
        return int(self.cost.shape[1])

    @property
    def kind(self) -> str:
        """``OR`` for gap1-gap12 problems, else the Yagiura type letter (A-E)."""
        return "OR" if self.name.startswith("gap") else self.name[0].upper()


# ----------------------------------------------------------------------------- parsing


def read_tokens(path: Path) -> IntMatrix:
    """Every whitespace-separated integer of a file (line breaks carry no meaning)."""
    return np.array(path.read_text().split(), dtype=np.int64)


def parse_problem(tokens: IntMatrix, pos: int, name: str) -> tuple[GapInstance, int]:
    """One ``m n c[m][n] a[m][n] b[m]`` block starting at ``tokens[pos]``; returns the problem
    and the position after it."""
    if pos + 2 > len(tokens):
        raise ValueError(f"{name}: file ends before m and n")
    m, n = int(tokens[pos]), int(tokens[pos + 1])
    if m <= 0 or n <= 0:
        raise ValueError(f"{name}: bad sizes m={m}, n={n}")
    pos += 2
    end = pos + 2 * m * n + m
    if end > len(tokens):
        raise ValueError(f"{name}: expected {2 * m * n + m} numbers after m n, file is short")
    cost = tokens[pos : pos + m * n].reshape(m, n).copy()
    weight = tokens[pos + m * n : pos + 2 * m * n].reshape(m, n).copy()
    capacity = tokens[pos + 2 * m * n : end].copy()
    return GapInstance(name, cost, weight, capacity), end


def parse_orlib(path: Path) -> list[GapInstance]:
    """An OR-Library multi-problem file (``P`` then P problems); names ``<stem>-1`` ... ."""
    tokens = read_tokens(path)
    if len(tokens) == 0:
        raise ValueError(f"{path}: empty file")
    count, pos = int(tokens[0]), 1
    problems: list[GapInstance] = []
    for k in range(1, count + 1):
        problem, pos = parse_problem(tokens, pos, f"{path.stem}-{k}")
        problems.append(problem)
    if pos != len(tokens):
        raise ValueError(f"{path}: {len(tokens) - pos} numbers left after {count} problems")
    return problems


def parse_yagiura(path: Path) -> GapInstance:
    """A single-problem file (no leading P), named after the file."""
    tokens = read_tokens(path)
    problem, pos = parse_problem(tokens, 0, path.name)
    if pos != len(tokens):
        raise ValueError(f"{path}: {len(tokens) - pos} numbers left after the problem")
    return problem


def read_best_known(path: Path) -> dict[tuple[str, str], int]:
    """``best_known.csv`` as {(instance, sense): value}."""
    with path.open(newline="") as f:
        return {(r["instance"], r["sense"]): int(r["best_known"]) for r in csv.DictReader(f)}


# ----------------------------------------------------------------------------- the mapping


def objective_coefficients(instance: GapInstance, sense: Sense) -> IntMatrix:
    """The cost to minimise: ``c`` for a minimisation instance, ``-c`` for maximisation."""
    return instance.cost if sense == "min" else -instance.cost


def big_m(instance: GapInstance, sense: Sense) -> int:
    """``1 + max(0, max d) + sum_j (max_i d - min_i d)`` with d the cost to minimise: large
    enough that serving one more job beats any cost saving (module docstring)."""
    d = objective_coefficients(instance, sense)
    spread = int((d.max(axis=0) - d.min(axis=0)).sum())
    return 1 + max(0, int(d.max())) + spread


def build_problem(instance: GapInstance, sense: Sense) -> tuple[Problem, int]:
    """The instance as a compiled :class:`Problem` (every job x agent an arc) and its M."""
    m, n = instance.m, instance.n
    big = big_m(instance, sense)
    d = objective_coefficients(instance, sense)
    arc_need = np.repeat(np.arange(n, dtype=np.int64), m)  # grouped by need
    arc_provider = np.tile(np.arange(m, dtype=np.int64), n)
    n_arcs = m * n
    i64 = np.int64
    empty_int = np.zeros(0, dtype=i64)
    empty_float = np.zeros(0, dtype=np.float64)
    return (
        Problem(
            need_ids=tuple(f"J{j + 1}" for j in range(n)),
            provider_ids=tuple(f"A{i + 1}" for i in range(m)),
            village_ids=("V",),
            pool_ids=(),
            town_ids=("T",),
            department_names=(),
            household_ids=(),
            n_cadres=0,
            need_village=np.zeros(n, dtype=i64),
            need_category=np.zeros(n, dtype=i64),
            need_household=np.full(n, -1, dtype=i64),
            need_hours=np.zeros(n, dtype=np.float64),
            need_cost=np.zeros(n, dtype=i64),
            need_value=np.full(n, float(big), dtype=np.float64),
            need_blocked=np.zeros(n, dtype=np.bool_),
            need_pinned=np.full(n, -1, dtype=i64),
            need_arc_start=np.arange(0, n_arcs + 1, m, dtype=i64),
            need_pool_start=np.zeros(n + 1, dtype=i64),
            need_pool=empty_int.copy(),
            provider_capacity=instance.capacity.astype(np.float64),
            provider_available=np.ones(m, dtype=np.bool_),
            provider_department=np.full(m, -1, dtype=i64),
            provider_max_villages=np.zeros(m, dtype=i64),
            arc_need=arc_need,
            arc_provider=arc_provider,
            arc_minutes=np.zeros(n_arcs, dtype=np.float64),
            arc_travel_hours=np.zeros(n_arcs, dtype=np.float64),
            arc_hours=instance.weight[arc_provider, arc_need].astype(np.float64),
            arc_value=(big - d[arc_provider, arc_need]).astype(np.float64),
            pair_cadre=empty_int.copy(),
            pair_village=empty_int.copy(),
            pair_minutes=empty_float.copy(),
            pair_hours=empty_float.copy(),
            pair_existing=np.zeros(0, dtype=np.bool_),
            existing_pairings=0,
            pool_amount=empty_int.copy(),
            pool_limit=empty_int.copy(),
            pool_department=empty_int.copy(),
            village_cap=np.array([10**12], dtype=i64),
            village_town=np.zeros(1, dtype=i64),
            village_region=np.zeros(1, dtype=i64),
            village_reachable=np.ones(1, dtype=np.bool_),
            village_servable_value=np.array([float(big) * n], dtype=np.float64),
            category_department=np.full(13, -1, dtype=i64),
            min_cadres=0,
            shortfall_penalty=0.0,
            change_penalty=0.0,
            fairness_floor=0.0,
            fairness_weight=0.0,
        ),
        big,
    )


@dataclass(frozen=True)
class Check:
    """An assignment judged against the GAP itself."""

    cost: int  # sum of c over the assigned jobs
    unassigned: int
    cap_violation: int  # sum over agents of max(0, load - capacity)


def check_assignment(instance: GapInstance, agent_of_job: Sequence[int] | IntMatrix) -> Check:
    """GAP cost, unassigned jobs and capacity excess of ``agent_of_job`` (-1 = unassigned)."""
    agents = np.asarray(agent_of_job, dtype=np.int64)
    if agents.shape != (instance.n,):
        raise ValueError(f"expected {instance.n} agents, got shape {agents.shape}")
    if np.any((agents < -1) | (agents >= instance.m)):
        raise ValueError("agent index out of range")
    jobs = np.flatnonzero(agents >= 0)
    chosen = agents[jobs]
    load = np.bincount(chosen, weights=instance.weight[chosen, jobs], minlength=instance.m)
    excess = np.maximum(0.0, load - instance.capacity)
    return Check(
        cost=int(instance.cost[chosen, jobs].sum()),
        unassigned=int(instance.n - len(jobs)),
        cap_violation=round(float(excess.sum())),
    )


def gap_pct(cost: int, best: int, sense: Sense) -> float:
    """Per cent above (min) or below (max) the best-known value; positive is worse."""
    diff = cost - best if sense == "min" else best - cost
    return 100.0 * diff / abs(best) if best else math.nan


# ----------------------------------------------------------------------------- selection


@dataclass(frozen=True)
class Task:
    """One run: a problem and the sense to solve it in."""

    instance: GapInstance
    sense: Sense


def all_names() -> list[str]:
    """Every selectable instance name: the Yagiura files and ``gapX-k`` for gap1-gap12."""
    yagiura = sorted(p.name for p in (DATA / "yagiura").iterdir() if p.is_file())
    orlib = [f"{f}-{k}" for f in ORLIB_FILES for k in range(1, 6)]
    return yagiura + orlib


def select(patterns: Sequence[str], large: bool) -> list[str]:
    """Names matching the patterns, in their order (a bare ``gapX`` means all of its problems);
    ``large`` appends the C/D/E instances with n >= 400."""
    names = all_names()
    chosen: list[str] = []
    for pattern in [*patterns, *(LARGE if large else ())]:
        if pattern in ORLIB_FILES:
            pattern = f"{pattern}-*"
        hits = [n for n in names if fnmatch.fnmatchcase(n, pattern)]
        if not hits:
            raise SystemExit(f"no instance matches {pattern!r}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


def load(name: str) -> GapInstance:
    """An instance by name (``gapX-k`` or a Yagiura file name)."""
    if name.startswith("gap"):
        stem, _, k = name.rpartition("-")
        return parse_orlib(DATA / "orlib" / f"{stem}.txt")[int(k) - 1]
    return parse_yagiura(DATA / "yagiura" / name)


def tasks_for(names: Sequence[str], senses: Sequence[Sense]) -> list[Task]:
    """The runs: gap1-gap12 problems in each of ``senses``, everything else minimised."""
    tasks: list[Task] = []
    for name in names:
        instance = load(name)
        for sense in senses if instance.kind == "OR" else ("min",):
            tasks.append(Task(instance, sense))
    return tasks


# ----------------------------------------------------------------------------- running


def solve_task(
    task: Task, solver: str, time_limit: float, best: dict[tuple[str, str], int]
) -> dict[str, str | int | float]:
    """Build, solve and check one task; one CSV row. A solver error becomes status ``error``
    (its traceback goes to stderr)."""
    from matcher.problem.solution import SolveParams
    from solvers import get_solver

    inst, sense = task.instance, task.sense
    best_value = best.get((inst.name, sense))
    row: dict[str, str | int | float] = {
        "instance": inst.name,
        "type": inst.kind,
        "m": inst.m,
        "n": inst.n,
        "sense": sense,
        "cost": "",
        "best_known": "" if best_value is None else best_value,
        "gap_pct": "",
        "unassigned": "",
        "cap_violation": "",
        "cost_bound": "",
        "seconds": "",
        "time_limit": time_limit,
        "solver": solver,
        "status": "",
    }
    problem, big = build_problem(inst, sense)
    started = time.perf_counter()
    try:
        result = get_solver(solver).solve(
            problem, SolveParams(time_limit=time_limit, seed=0, workers=2)
        )
    except Exception:
        row["seconds"] = round(time.perf_counter() - started, 2)
        row["status"] = "error"
        print(f"--- {inst.name} ({sense}): solver {solver!r} raised:", file=sys.stderr)
        traceback.print_exc()
        return row
    check = check_assignment(inst, result.solution.need_provider)
    row.update(
        cost=check.cost,
        unassigned=check.unassigned,
        cap_violation=check.cap_violation,
        seconds=round(result.seconds, 2),
        status=result.status,
    )
    if result.bound is not None:
        # engine objective <= bound and objective = n*M - sum d, so sum d >= n*M - bound
        bound_d = inst.n * big - result.bound
        row["cost_bound"] = math.ceil(bound_d - 1e-6) if sense == "min" else math.floor(-bound_d)
    if check.unassigned or check.cap_violation:
        row["status"] = f"{result.status}; left infeasible" if check.unassigned else "violated"
    elif best_value is not None:
        row["gap_pct"] = round(gap_pct(check.cost, best_value, sense), 3)
    return row


def type_means(rows: Sequence[dict[str, str | int | float]]) -> list[dict[str, str | int | float]]:
    """Mean gap per (type, sense) over the rows that have a gap."""
    groups: dict[tuple[str, str], list[dict[str, str | int | float]]] = {}
    for row in rows:
        groups.setdefault((str(row["type"]), str(row["sense"])), []).append(row)
    out: list[dict[str, str | int | float]] = []
    for (kind, sense), group in groups.items():
        gaps = [float(r["gap_pct"]) for r in group if r["gap_pct"] != ""]
        out.append(
            {
                "type": kind,
                "sense": sense,
                "instances": len(group),
                "solved": len(gaps),
                "mean_gap_pct": round(sum(gaps) / len(gaps), 3) if gaps else "",
            }
        )
    return out


def print_row(row: dict[str, str | int | float]) -> None:
    """One table line."""
    print(
        f"{row['instance']:<9} {row['type']:<4} {row['m']:>3} {row['n']:>5} {row['sense']:<4}"
        f" {row['cost']!s:>7} {row['best_known']!s:>7} {row['gap_pct']!s:>7}"
        f" {row['unassigned']!s:>6} {row['seconds']!s:>7}  {row['status']}",
        flush=True,
    )


def write_csv(
    path: Path, columns: Sequence[str], rows: Sequence[dict[str, str | int | float]]
) -> None:
    """Rows as CSV (creating the folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)


def plot(path: Path, rows: Sequence[dict[str, str | int | float]]) -> bool:
    """Bar chart of gap % per run (unassigned runs shown as empty bars); False without
    matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    labels = [f"{r['instance']}" + ("" if r["type"] != "OR" else f" {r['sense']}") for r in rows]
    gaps = [float(r["gap_pct"]) if r["gap_pct"] != "" else 0.0 for r in rows]
    palette = {"A": "C0", "B": "C1", "C": "C2", "D": "C3", "E": "C4", "OR": "C5"}
    colours = [palette.get(str(r["type"]), "C7") for r in rows]
    fig, ax = plt.subplots(figsize=(max(6.0, 0.35 * len(rows) + 2), 4.5))
    ax.bar(range(len(rows)), gaps, color=colours)
    for k, r in enumerate(rows):
        if r["gap_pct"] == "":
            ax.annotate("x", (k, 0), ha="center", va="bottom", color="red")
    ax.set_xticks(range(len(rows)), labels, rotation=70, fontsize=8)
    ax.set_ylabel("gap to best-known (%)")
    solver = rows[0]["solver"] if rows else ""
    ax.set_title(f"GAP instances: {solver} vs best-known (x = a job left unassigned)")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return True


def means_path(out: Path) -> Path:
    """``gap_orlib.csv`` -> ``gap_orlib_means.csv``."""
    return out.with_name(f"{out.stem}_means{out.suffix or '.csv'}")


def main(argv: Sequence[str] | None = None) -> int:
    """The command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--instances",
        nargs="+",
        default=list(SMALL_DEFAULT),
        help="names or glob patterns (c05100, 'd*', gap1-1, gap12); default C, D, E with n<=200",
    )
    parser.add_argument("--large", action="store_true", help="add C, D, E with n >= 400")
    parser.add_argument(
        "--sense",
        choices=("min", "max", "both"),
        default="both",
        help="sense(s) for gap1-gap12 problems (the others are always minimised)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=None, help="seconds (default 20 if n<=200, else 60)"
    )
    parser.add_argument("--solver", default="auto")
    parser.add_argument("--out", type=Path, default=RESULTS / "gap_orlib.csv")
    parser.add_argument("--plot", type=Path, default=RESULTS / "gap_orlib.png")
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args(argv)

    senses: list[Sense] = ["min", "max"] if args.sense == "both" else [args.sense]
    tasks = tasks_for(select(args.instances, args.large), senses)
    best = read_best_known(DATA / "best_known.csv")

    print(
        f"{'instance':<9} {'type':<4} {'m':>3} {'n':>5} {'sense':<4} {'cost':>7} {'best':>7}"
        f" {'gap%':>7} {'unasg':>6} {'seconds':>7}  status"
    )
    rows: list[dict[str, str | int | float]] = []
    for task in tasks:
        limit = args.time_limit
        if limit is None:
            limit = 20.0 if task.instance.n <= 200 else 60.0
        row = solve_task(task, args.solver, limit, best)
        rows.append(row)
        print_row(row)

    means = type_means(rows)
    print("\nmean gap % per type")
    for mean in means:
        print(
            f"{mean['type']:<4} {mean['sense']:<4} {mean['mean_gap_pct']!s:>7}"
            f"  ({mean['solved']}/{mean['instances']} with every job assigned)"
        )
    write_csv(args.out, COLUMNS, rows)
    write_csv(means_path(args.out), ("type", "sense", "instances", "solved", "mean_gap_pct"), means)
    print(f"\nwrote {args.out} and {means_path(args.out)}")
    if not args.no_plot and rows:
        if plot(args.plot, rows):
            print(f"wrote {args.plot}")
        else:
            print("matplotlib not installed: no plot (pip install -e '.[bench]')")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
