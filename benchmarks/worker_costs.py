"""Where a Dask worker's time goes: the figures behind ``matcher/sweep/dask/matcher-sweep.yaml``
and the heap freeze of sweep workers, measured per solve.

1. **Dask settings**: the same generated counties solved on a 2-worker ``LocalCluster`` with
   Dask's defaults and with the sweep settings. Inside each task: involuntary context switches
   (``ru_nivcsw``: the worker preempted), minor page faults, the solving thread's CPU and the
   task's wall seconds; and the CPU of this process (scheduler, nannies, client) per solve.
2. **Heap freeze**: two plain processes solve the same counties side by side, one after
   :func:`matcher.sweep.run.settle_heap`, one without; each reports its CPU seconds, the
   seconds its garbage collections took and how many were full ones, per solve.

    .venv/bin/python benchmarks/worker_costs.py                 # 20 counties of 5,000 needs
    .venv/bin/python benchmarks/worker_costs.py --counties 6 --needs 1000

Prints two tables and appends to ``results/worker_costs.csv``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher.sweep.dask_settings import sweep_worker_settings  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
COLUMNS = ["started", "counties", "villages", "needs", "part", "way", "figure", "value"]

_SOLVE_GC = """
import gc, json, resource, sys, time
from matcher.sweep.policies import parse_policies
from matcher.sweep.run import run_task, settle_heap
from matcher.sweep.tasks import GeneratorSpec, Task
spec = json.loads(sys.argv[1])
if spec["freeze"]:
    settle_heap()
in_gc, started, full = [0.0], [0.0], [0]
def timed(phase, info):
    if phase == "start":
        started[0] = time.perf_counter()
    else:
        in_gc[0] += time.perf_counter() - started[0]
        full[0] += info["generation"] == 2
gc.callbacks.append(timed)
policy = parse_policies({"policies": [{"name": "g", "solver": "greedy"}]})[0]
cpu = time.process_time()
for seed in spec["seeds"]:
    run_task(Task(GeneratorSpec(spec["villages"], spec["needs"], seed), policy), 1)
print(json.dumps({"cpu_s": time.process_time() - cpu, "gc_s": in_gc[0], "full_gcs": full[0],
                  "objects_seen": len(gc.get_objects()), "frozen": gc.get_freeze_count()}))
"""


def measured_solve(villages: int, needs: int, seed: int) -> dict[str, float]:
    """One solve on a Dask worker, with what the worker process went through meanwhile."""
    import resource

    from matcher.sweep.policies import parse_policies
    from matcher.sweep.run import run_task
    from matcher.sweep.tasks import GeneratorSpec, Task

    policy = parse_policies({"policies": [{"name": "g", "solver": "greedy"}]})[0]
    before = resource.getrusage(resource.RUSAGE_SELF)
    wall, thread = time.monotonic(), time.thread_time()
    run_task(Task(GeneratorSpec(villages, needs, seed), policy), 1)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "wall_s": time.monotonic() - wall,
        "thread_cpu_s": time.thread_time() - thread,
        "preempted": after.ru_nivcsw - before.ru_nivcsw,
        "page_faults": after.ru_minflt - before.ru_minflt,
    }


def dask_part(
    seeds: list[int], villages: int, needs: int, settings: dict[str, Any]
) -> dict[str, float]:
    """Mean figures per solve on a fresh 2-worker LocalCluster with ``settings``."""
    import dask
    from distributed import Client, LocalCluster

    with (
        dask.config.set(settings),
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2,
            threads_per_worker=1,
            dashboard_address=None,
            scheduler_kwargs={"dashboard_address": ":0"},
        ) as cluster,
        Client(cluster) as client,  # type: ignore[no-untyped-call]
    ):
        here = os.times()
        futures = [
            client.submit(measured_solve, villages, needs, seed, pure=False) for seed in seeds
        ]
        rows = client.gather(futures)
        there = os.times()
    means = {key: statistics.fmean(row[key] for row in rows) for key in rows[0]}
    means["client_scheduler_cpu_s"] = (there.user - here.user + there.system - here.system) / len(
        seeds
    )
    return means


def gc_part(seeds: list[int], villages: int, needs: int) -> dict[str, dict[str, float]]:
    """The same solves in two plain processes side by side, one with its heap frozen."""
    procs = {
        way: subprocess.Popen(
            [
                sys.executable,
                "-c",
                _SOLVE_GC,
                json.dumps(
                    {"seeds": seeds, "villages": villages, "needs": needs, "freeze": freeze}
                ),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for way, freeze in (("frozen", True), ("not frozen", False))
    }
    out = {}
    for way, proc in procs.items():
        text, _ = proc.communicate()
        answer = json.loads(text.strip().splitlines()[-1])
        answer["cpu_s"] /= len(seeds)
        answer["gc_s"] /= len(seeds)
        answer["full_gcs"] /= len(seeds)
        out[way] = answer
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--counties", type=int, default=20)
    parser.add_argument("--villages", type=int, default=300)
    parser.add_argument("--needs", type=int, default=5000)
    parser.add_argument("--out", type=Path, default=RESULTS / "worker_costs.csv")
    args = parser.parse_args()
    seeds = list(range(1, args.counties + 1))
    shape = (seeds, args.villages, args.needs)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    rows: list[list[Any]] = []

    # The sweep settings first: each LocalCluster's nannies write their environment
    # (MALLOC_TRIM_THRESHOLD_=65536 by default) into this process, and later workers inherit it.
    dask_ways = {"sweep settings": sweep_worker_settings(), "dask defaults": {}}
    figures = {way: dask_part(*shape, settings) for way, settings in dask_ways.items()}
    print(f"\nper solve, {args.counties} counties × {args.needs} needs on 2 Dask workers")
    keys = list(figures["sweep settings"])
    print(f"{'figure':<24}" + "".join(f"{way:>16}" for way in figures))
    for key in keys:
        print(f"{key:<24}" + "".join(f"{figures[way][key]:16.3f}" for way in figures))
        rows += [["dask", way, key, round(figures[way][key], 4)] for way in figures]

    heaps = gc_part(*shape)
    print(f"\nper solve, {args.counties} counties, two plain processes side by side")
    print(f"{'figure':<24}" + "".join(f"{way:>16}" for way in heaps))
    for key in ("cpu_s", "gc_s", "full_gcs", "objects_seen", "frozen"):
        print(f"{key:<24}" + "".join(f"{heaps[way][key]:16.3f}" for way in heaps))
        rows += [["heap", way, key, round(heaps[way][key], 4)] for way in heaps]

    new = not args.out.exists()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        if new:
            writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow([stamp, args.counties, args.villages, args.needs, *row])
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
