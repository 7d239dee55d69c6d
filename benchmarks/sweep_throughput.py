"""Sweep throughput: do the executors cost anything?

The same solves (a province of generated counties, by default 100 counties of 300 villages and
5,000 needs, one policy) are run three ways on this machine and timed from start to last row:

- **by hand**: the solves split evenly across one plain process per core, each running its
  share one after another (``run_task`` in a loop, no executor) — the baseline;
- **local**: ``matcher.sweep`` with the local process pool (one worker per core);
- **dask**: ``matcher.sweep`` on a Dask ``LocalCluster`` (one single-threaded worker process
  per core, with the sweep settings of ``matcher/sweep/dask/matcher-sweep.yaml``), started
  inside the clock as ``matcher sweep --executor dask`` does without ``--address`` (its start
  is also printed apart: an existing cluster would not pay it).

Targets (issue 6): local ≥ 90% of the baseline's throughput; Dask within 10% of local.
Every way solves with one solver thread; each county is generated inside the task (workers
receive the spec, not solver objects), so all three do the same work.

Machines here are shared and their speed drifts by tens of percent within minutes, so two
designs are measured (``--design both``, the default):

- **rounds**: the counties are split into ``--rounds`` blocks and each block is run all three
  ways back to back on all cores, the order rotating from block to block; each way starts cold
  on every block (new processes, a new cluster). Throughput is counties over the summed wall
  seconds of a way; the median of the per-block ratios is printed too.
- **paired**: local, then Dask, each runs all the counties on half the cores while by hand
  runs the same counties on the other half at the same time, so both meet the same drift.

The mean seconds inside a task (from the rows) tell executor overhead (wall) apart from slower
solving (task).

    .venv/bin/python benchmarks/sweep_throughput.py                       # 100 × 5,000, greedy
    .venv/bin/python benchmarks/sweep_throughput.py --counties 10 --needs 1000 --rounds 2
    .venv/bin/python benchmarks/sweep_throughput.py --design paired   # ~5 minutes

Prints a table and appends to ``results/sweep_throughput.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher.sweep.dask_settings import local_cluster  # noqa: E402
from matcher.sweep.driver import Sweep  # noqa: E402
from matcher.sweep.policies import parse_policies  # noqa: E402
from matcher.sweep.tasks import GeneratorSpec, make_tasks  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
WAYS = ("by hand", "local", "dask")
COLUMNS = [
    "started", "design", "counties", "villages", "needs", "solver", "cores", "way", "wall_s",
    "solves_per_s", "share_of_by_hand", "share_of_local", "rounds", "task_s_mean",
    "block_share_of_local_median", "cluster_start_s",
]  # fmt: skip

_BY_HAND = """
import json, sys, time
from matcher.sweep.policies import parse_policies
from matcher.sweep.run import run_task, settle_heap
from matcher.sweep.tasks import GeneratorSpec, Task
settle_heap()  # as every executor's worker process does
spec = json.loads(sys.argv[1])
policy = parse_policies({"policies": [spec["policy"]]})[0]
errors, seconds = 0, []
for seed in spec["seeds"]:
    row = run_task(Task(GeneratorSpec(spec["villages"], spec["needs"], seed), policy), 1)
    errors += bool(row.get("error"))
    seconds.append(row["seconds"])
print(json.dumps({"errors": errors, "seconds": seconds}))
"""


@dataclass(frozen=True)
class Timing:
    """One way's run of one block: wall seconds and each task's own seconds."""

    wall: float
    task_seconds: list[float]
    cluster_start: float = 0.0


def by_hand(
    seeds: list[int], cores: int, villages: int, needs: int, policy: dict[str, Any]
) -> Timing:
    """``cores`` plain processes, each solving its share in a loop."""
    shares = [seeds[i::cores] for i in range(cores)]
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                _BY_HAND,
                json.dumps(
                    {"seeds": share, "villages": villages, "needs": needs, "policy": policy}
                ),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for share in shares
        if share
    ]
    errors, seconds = 0, []
    for proc in procs:
        out, _ = proc.communicate()
        answer = json.loads(out.strip().splitlines()[-1])
        errors += answer["errors"]
        seconds += answer["seconds"]
    wall = time.monotonic() - started
    if errors:
        raise SystemExit(f"by hand: {errors} failed solves")
    return Timing(wall, seconds)


def swept(
    seeds: list[int], cores: int, villages: int, needs: int, policy: dict[str, Any], executor: str
) -> Timing:
    """A sweep of the same solves on ``executor``."""
    specs = [GeneratorSpec(villages, needs, seed) for seed in seeds]
    tasks = make_tasks([], specs, parse_policies({"policies": [policy]}))
    cluster_start = 0.0
    with tempfile.TemporaryDirectory() as folder:
        sweep = Sweep(tasks, Path(folder) / "sweep.csv")
        if executor == "dask":
            # The LocalCluster that `matcher sweep --executor dask` starts without --address.
            # Its start counts, as the pool's start counts for local.
            started = time.monotonic()
            with local_cluster(cores) as address:
                cluster_start = time.monotonic() - started
                summary = sweep.run("dask", address=address, threads=1)
                wall = time.monotonic() - started
        else:
            started = time.monotonic()
            summary = sweep.run("local", workers=cores, threads=1)
            wall = time.monotonic() - started
        seconds = [float(row["seconds"]) for row in sweep.rows()]
    if summary.errors:
        raise SystemExit(f"{executor}: {summary.errors} failed solves")
    return Timing(wall, seconds, cluster_start)


def paired(way: Callable[[], Timing], baseline: Callable[[], Timing]) -> tuple[Timing, Timing]:
    """``way`` and ``baseline`` at the same time, each on its half of the cores: both meet the
    same drift of the machine's speed, so their ratio is free of it."""
    out: dict[str, Timing] = {}
    threads = [
        threading.Thread(target=lambda: out.__setitem__("way", way())),
        threading.Thread(target=lambda: out.__setitem__("baseline", baseline())),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return out["way"], out["baseline"]


def blocks_of(seeds: list[int], rounds: int) -> list[list[int]]:
    """``rounds`` consecutive blocks of nearly equal size."""
    size, extra = divmod(len(seeds), rounds)
    out, at = [], 0
    for i in range(rounds):
        step = size + (i < extra)
        out.append(seeds[at : at + step])
        at += step
    return [block for block in out if block]


def append_rows(path: Path, rows: list[dict[str, object]]) -> None:
    """Append to the CSV; an older file with fewer columns is rewritten with blanks first."""
    old: list[dict[str, str]] = []
    if path.exists():
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.DictReader(f)
            if reader.fieldnames != COLUMNS:
                old = list(reader)
    path.parent.mkdir(parents=True, exist_ok=True)
    rewrite = bool(old) or not path.exists()
    with path.open("w" if rewrite else "a", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, restval="")
        if rewrite:
            writer.writeheader()
            writer.writerows(old)
        writer.writerows(rows)


def rounds_design(
    args: argparse.Namespace, seeds: list[int], policy: dict[str, Any]
) -> list[dict[str, Any]]:
    """Blocks run all three ways back to back on all cores, in rotating order."""
    cores, villages, needs = args.cores, args.villages, args.needs
    runs: dict[str, Callable[[list[int]], Timing]] = {
        "by hand": lambda block: by_hand(block, cores, villages, needs, policy),
        "local": lambda block: swept(block, cores, villages, needs, policy, "local"),
        "dask": lambda block: swept(block, cores, villages, needs, policy, "dask"),
    }
    timings: dict[str, list[Timing]] = {way: [] for way in WAYS}
    for number, block in enumerate(blocks_of(seeds, args.rounds)):
        order = WAYS[number % 3 :] + WAYS[: number % 3]
        for way in order:
            timings[way].append(runs[way](block))
        print(
            f"block {number + 1} ({len(block)} counties, {' → '.join(order)}): "
            + ", ".join(f"{way} {timings[way][-1].wall:.1f} s" for way in WAYS),
            flush=True,
        )
    walls = {way: sum(t.wall for t in timings[way]) for way in WAYS}
    tasks = {way: statistics.fmean(s for t in timings[way] for s in t.task_seconds) for way in WAYS}
    block_share = {
        way: statistics.median(
            local.wall / mine.wall
            for local, mine in zip(timings["local"], timings[way], strict=True)
        )
        for way in WAYS
    }
    cluster = sum(t.cluster_start for t in timings["dask"])
    base = walls["by hand"]
    print(
        f"\nrounds: {args.counties} counties × {args.needs} needs, {args.solver}, {cores} cores, "
        f"{len(timings['local'])} rounds (of Dask's wall, {cluster:.1f} s was starting "
        "its clusters)\n"
        f"{'way':<8} {'wall s':>8} {'solves/s':>9} {'of by hand':>11} {'of local':>9} "
        f"{'block median':>13} {'task s':>7}"
    )
    for way in WAYS:
        wall = walls[way]
        print(
            f"{way:<8} {wall:8.1f} {args.counties / wall:9.3f} {base / wall:10.1%} "
            f"{walls['local'] / wall:9.1%} {block_share[way]:13.1%} {tasks[way]:7.2f}"
        )
    return [
        {
            "design": "rounds", "cores": cores, "way": way, "wall_s": round(walls[way], 2),
            "solves_per_s": round(args.counties / walls[way], 4),
            "share_of_by_hand": round(base / walls[way], 4),
            "share_of_local": round(walls["local"] / walls[way], 4),
            "rounds": len(timings[way]), "task_s_mean": round(tasks[way], 3),
            "block_share_of_local_median": round(block_share[way], 4),
            "cluster_start_s": round(cluster, 2) if way == "dask" else "",
        }
        for way in WAYS
    ]  # fmt: skip


def paired_design(
    args: argparse.Namespace, seeds: list[int], policy: dict[str, Any]
) -> list[dict[str, Any]]:
    """Local, then Dask, each on half the cores while by hand runs the same counties on the
    other half."""
    half, villages, needs = max(1, args.cores // 2), args.villages, args.needs
    results: dict[str, tuple[Timing, Timing]] = {}
    for way in ("local", "dask"):
        results[way] = paired(
            lambda: swept(seeds, half, villages, needs, policy, way),  # noqa: B023
            lambda: by_hand(seeds, half, villages, needs, policy),
        )
        mine, base = results[way]
        print(f"paired {way}: {mine.wall:.1f} s against by hand {base.wall:.1f} s", flush=True)
    share = {way: base.wall / mine.wall for way, (mine, base) in results.items()}
    print(
        f"\npaired: {args.counties} counties × {args.needs} needs, {args.solver}, "
        f"{half} core(s) each, side by side\n"
        f"{'way':<8} {'wall s':>8} {'by hand s':>10} {'of by hand':>11} {'of local':>9} "
        f"{'task s':>7} {'by hand task s':>15}"
    )
    rows = []
    for way, (mine, base) in results.items():
        task = statistics.fmean(mine.task_seconds)
        base_task = statistics.fmean(base.task_seconds)
        print(
            f"{way:<8} {mine.wall:8.1f} {base.wall:10.1f} {share[way]:10.1%} "
            f"{share[way] / share['local']:9.1%} {task:7.2f} {base_task:15.2f}"
        )
        rows.append(
            {
                "design": "paired",
                "cores": half,
                "way": way,
                "wall_s": round(mine.wall, 2),
                "solves_per_s": round(args.counties / mine.wall, 4),
                "share_of_by_hand": round(share[way], 4),
                "share_of_local": round(share[way] / share["local"], 4),
                "task_s_mean": round(task, 3),
                "cluster_start_s": round(mine.cluster_start, 2) if way == "dask" else "",
            }
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--solver", default="greedy")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--rounds", type=int, default=5, help="blocks, each run all three ways")
    parser.add_argument(
        "--design",
        choices=["rounds", "paired", "both"],
        default="both",
        help="rounds: all cores, one way at a time; paired: a way beside by hand",
    )
    parser.add_argument("--out", type=Path, default=RESULTS / "sweep_throughput.csv")
    args = parser.parse_args()
    seeds = list(range(1, args.counties + 1))
    policy = {"name": "integrated", "solver": args.solver, "time_limit": args.time_limit}
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    rows: list[dict[str, Any]] = []
    if args.design in ("rounds", "both"):
        rows += rounds_design(args, seeds, policy)
    if args.design in ("paired", "both"):
        rows += paired_design(args, seeds, policy)
    shape = {
        "started": stamp, "counties": args.counties, "villages": args.villages,
        "needs": args.needs, "solver": args.solver,
    }  # fmt: skip
    append_rows(args.out, [{**shape, **row} for row in rows])
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
