"""Sweep throughput: do the executors cost anything?

The same solves (a province of generated counties, by default 100 counties of 300 villages and
5,000 needs, one policy) are run three ways on this machine and timed from start to last row:

- **by hand**: the solves split evenly across one plain process per core, each running its
  share one after another (``run_task`` in a loop, no executor) — the baseline;
- **local**: ``matcher.sweep`` with the local process pool (one worker per core);
- **dask**: ``matcher.sweep`` on a Dask ``LocalCluster`` (one single-threaded worker process
  per core).

Targets (issue 6): local ≥ 90% of the baseline's throughput; Dask within 10% of local.
Every way solves with one solver thread; each county is generated inside the task (workers
receive the spec, not solver objects), so all three do the same work.

    .venv/bin/python benchmarks/sweep_throughput.py                       # 100 × 5,000, greedy
    .venv/bin/python benchmarks/sweep_throughput.py --counties 10 --needs 1000   # a quick look

Prints a table and writes ``results/sweep_throughput.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher.sweep.driver import Sweep  # noqa: E402
from matcher.sweep.policies import parse_policies  # noqa: E402
from matcher.sweep.tasks import GeneratorSpec, make_tasks  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"

_BY_HAND = """
import json, sys, time
from matcher.sweep.policies import parse_policies
from matcher.sweep.run import run_task
from matcher.sweep.tasks import GeneratorSpec, Task
spec = json.loads(sys.argv[1])
policy = parse_policies({"policies": [spec["policy"]]})[0]
errors = 0
for seed in spec["seeds"]:
    row = run_task(Task(GeneratorSpec(spec["villages"], spec["needs"], seed), policy), 1)
    errors += bool(row.get("error"))
print(json.dumps({"errors": errors}))
"""


def by_hand(seeds: list[int], cores: int, villages: int, needs: int, policy: dict) -> float:
    """Wall seconds of ``cores`` plain processes, each solving its share in a loop."""
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
    errors = 0
    for proc in procs:
        out, _ = proc.communicate()
        errors += json.loads(out.strip().splitlines()[-1])["errors"]
    wall = time.monotonic() - started
    if errors:
        raise SystemExit(f"by hand: {errors} failed solves")
    return wall


def swept(
    seeds: list[int], cores: int, villages: int, needs: int, policy: dict, executor: str
) -> float:
    """Wall seconds of a sweep of the same solves on ``executor``."""
    specs = [GeneratorSpec(villages, needs, seed) for seed in seeds]
    tasks = make_tasks([], specs, parse_policies({"policies": [policy]}))
    with tempfile.TemporaryDirectory() as folder:
        sweep = Sweep(tasks, Path(folder) / "sweep.csv")
        if executor == "dask":
            import dask
            from distributed import LocalCluster

            # Dask's nannies start workers with MALLOC_TRIM_THRESHOLD_=65536, which makes glibc
            # hand memory back after every large free: these solves allocate and free a lot, and
            # ran 70% slower per task (measured). glibc's own default threshold is 128 KiB that
            # grows dynamically; 128 MiB keeps the trimming for big spikes only. The statistical
            # profiler samples the running thread's stack every 10 ms under the GIL; it is off
            # here, though no run separated its cost from the noise.
            dask.config.set(
                {
                    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 2**27,
                    "distributed.worker.profile.enabled": False,
                }
            )

            with LocalCluster(
                n_workers=cores,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            ) as cluster:
                started = time.monotonic()
                summary = sweep.run("dask", address=cluster.scheduler_address, threads=1)
                wall = time.monotonic() - started
        else:
            started = time.monotonic()
            summary = sweep.run("local", workers=cores, threads=1)
            wall = time.monotonic() - started
    if summary.errors:
        raise SystemExit(f"{executor}: {summary.errors} failed solves")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counties", type=int, default=100)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--solver", default="greedy")
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, default=RESULTS / "sweep_throughput.csv")
    args = parser.parse_args()
    seeds = list(range(1, args.counties + 1))
    policy = {"name": "integrated", "solver": args.solver, "time_limit": args.time_limit}
    shape = (seeds, args.cores, args.villages, args.needs, policy)
    walls = {"by hand": by_hand(*shape)}
    print(f"by hand: {walls['by hand']:.1f} s", flush=True)
    for executor in ("local", "dask"):
        walls[executor] = swept(*shape, executor=executor)
        print(f"{executor}: {walls[executor]:.1f} s", flush=True)
    base = walls["by hand"]
    print(
        f"\n{args.counties} counties × {args.needs} needs, {args.solver}, {args.cores} cores\n"
        f"{'way':<8} {'wall s':>8} {'solves/s':>9} {'of by hand':>11} {'of local':>9}"
    )
    for way, wall in walls.items():
        print(
            f"{way:<8} {wall:8.1f} {args.counties / wall:9.3f} {base / wall:10.1%} "
            f"{walls['local'] / wall:9.1%}"
        )
    new = not args.out.exists()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(
                ["started", "counties", "villages", "needs", "solver", "cores", "way", "wall_s",
                 "solves_per_s", "share_of_by_hand", "share_of_local"]
            )  # fmt: skip
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for way, wall in walls.items():
            writer.writerow(
                [stamp, args.counties, args.villages, args.needs, args.solver, args.cores, way,
                 round(wall, 2), round(args.counties / wall, 4), round(base / wall, 4),
                 round(walls["local"] / wall, 4)]
            )  # fmt: skip
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
