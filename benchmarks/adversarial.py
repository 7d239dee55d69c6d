"""Counties of adversarial shape against the time limit: does every stage stay inside it?

Each shape starts from a generated county and bends one thing to its extreme:

- ``one_village``: every need in one village (one village's caps, pairings and reports);
- ``one_household``: one household submitting the same category 40,000 times (the merged
  duplicate submissions, the duplicate-aid report);
- ``every_skill``: one organisation holding every skill at level 3 with hours to serve all
  (one provider's arcs, schedule and report lines);
- ``no_roads``: 50,000 needs and no road list (travel by great-circle distance, all reachable).

For each shape and solver, ``matcher solve FILE --time-limit L`` runs as its own process and its
wall time from start to exit is compared with ``L + max(1 s, 3%)`` (DESIGN §7: the limit bounds
the whole command). Then, in this process, a solve is stopped ``--stop-after`` seconds into
its search and the time until it returns its plan is measured (target: within 2 s); a stop
during the preparation before the search is measured too, and reported beside it. Figures go to
``benchmarks/results/adversarial.csv``; compare them within one run.

    .venv/bin/python benchmarks/adversarial.py [--limit 30] [--solvers auto,greedy]
                                               [--shapes one_village,one_household,...]
"""

from __future__ import annotations

import argparse
import copy
import csv
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from matcher.generator import generate_scenario
from matcher.intake.loading import parse_scenario
from matcher.problem.index import ScenarioIndex
from matcher.run import FixOptions, prepare_after_search, solve_scenario

RESULTS = Path(__file__).parent / "results"
ROOT = Path(__file__).resolve().parents[1]

Shape = Callable[[], dict[str, Any]]


def one_village() -> dict[str, Any]:
    """20,000 needs, all in the county's first village."""
    data = generate_scenario(villages=300, needs=20_000, seed=11)
    village = data["villages"][0]["id"]
    for need in data["needs"]:
        need["village"] = village
    for record in data["aid_records"]:
        record["village"] = village
    return data


def one_household() -> dict[str, Any]:
    """5,000 ordinary needs plus one household's 40,000 submissions of one category."""
    data = generate_scenario(villages=300, needs=5_000, seed=12)
    first = data["needs"][0]
    copies = []
    for i in range(40_000):
        need = copy.deepcopy(first)
        need["id"] = f"DUP{i:05d}"
        need["household"] = "H-flood"
        copies.append(need)
    data["needs"].extend(copies)
    return data


def every_skill() -> dict[str, Any]:
    """20,000 needs and one organisation with every skill, reaching every village."""
    data = generate_scenario(villages=300, needs=20_000, seed=13)
    skills = {c: 3 for c in ("agri_tech", "e_commerce", "employment", "infrastructure",
                             "child_care", "education", "elderly_care", "medical",
                             "mental_health", "culture", "dispute_mediation",
                             "policy_service", "hardship_relief")}  # fmt: skip
    data["organizations"] = [
        {
            "id": "O-ALL",
            "name": "全能服务队",
            "kind": "ngo",
            "base": data["places"][0]["id"],
            "skills": skills,
            "hours": 99_999,
            "max_travel_minutes": 99_999,
            "towns": None,
        }
    ]
    return data


def no_roads() -> dict[str, Any]:
    """50,000 needs over 300 villages with no road list."""
    data = generate_scenario(villages=300, needs=50_000, seed=14)
    data.pop("roads", None)
    return data


SHAPES: dict[str, Shape] = {
    "one_village": one_village,
    "one_household": one_household,
    "every_skill": every_skill,
    "no_roads": no_roads,
}


def run_command(path: Path, solver: str, limit: float, folder: Path) -> dict[str, Any]:
    """``matcher solve`` in its own process: wall seconds from start to exit, and the plan's
    own ``seconds``."""
    out = folder / f"{path.stem}-{solver}.json"
    command = [sys.executable, "-m", "matcher", "solve", str(path), "--solver", solver,
               "--time-limit", str(limit), "--out", str(out), "--quiet"]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.monotonic() - started
    plan = json.loads(out.read_text()) if out.exists() else {}
    solver_info = plan.get("solver") or {}
    return {
        "wall_seconds": round(wall, 2),
        "plan_seconds": solver_info.get("seconds"),
        "status": solver_info.get("status"),
        "exit": done.returncode,
        "error": done.stderr.strip().splitlines()[-1] if done.returncode > 1 else "",
    }


def _stop_in(seconds: float, stop: threading.Event) -> list[float]:
    """Set ``stop`` ``seconds`` from now, in a thread; the list receives the moment it did."""
    asked: list[float] = []

    def ask() -> None:
        time.sleep(seconds)
        asked.append(time.monotonic())
        stop.set()

    threading.Thread(target=ask, daemon=True).start()
    return asked


def stop_latency(data: dict[str, Any], solver: str, limit: float, after: float) -> dict[str, float]:
    """Seconds from a stop request until the solve returns its plan.

    ``prepare_seconds``: what a run does before its search (travel times, the compiled
    problem, what the plan needs that the scenario alone decides). ``stop_seconds``: a stop
    ``after`` seconds into the search of a prepared scenario (DELETE on a running job).
    ``stop_in_prepare_seconds``: a stop half-way through the preparation, which the run
    finishes before it can stop (it needs the problem for any plan)."""
    scenario = parse_scenario(data).scenario
    started = time.monotonic()
    index = ScenarioIndex.build(scenario)
    prepare_after_search(index)
    prepare = time.monotonic() - started

    stop = threading.Event()
    asked = _stop_in(after, stop)
    solve_scenario(index, solver=solver, time_limit=limit, stop=stop, fixes=FixOptions(True))
    during_search = time.monotonic() - asked[0] if asked else 0.0

    stop = threading.Event()
    asked = _stop_in(prepare / 2, stop)
    solve_scenario(scenario, solver=solver, time_limit=limit, stop=stop, fixes=FixOptions(True))
    during_prepare = time.monotonic() - asked[0] if asked else 0.0
    return {
        "prepare_seconds": round(prepare, 2),
        "stop_seconds": round(during_search, 2),
        "stop_in_prepare_seconds": round(during_prepare, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=float, default=30.0, help="--time-limit of each run")
    parser.add_argument("--solvers", default="auto,greedy")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--stop-after", type=float, default=3.0)
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="adversarial-") as tmp:
        folder = Path(tmp)
        for name in args.shapes.split(","):
            data = SHAPES[name]()
            path = folder / f"{name}.json"
            path.write_text(json.dumps(data, ensure_ascii=False))
            for solver in args.solvers.split(","):
                result = run_command(path, solver, args.limit, folder)
                allowed = args.limit + max(1.0, 0.03 * args.limit)
                stop = stop_latency(data, solver, 10 * args.limit, args.stop_after)
                row = {
                    "shape": name,
                    "needs": len(data["needs"]),
                    "solver": solver,
                    "limit": args.limit,
                    **result,
                    "within_limit": result["wall_seconds"] <= allowed,
                    **stop,
                    "stop_within_2s": stop["stop_seconds"] <= 2.0,
                }
                rows.append(row)
                print(", ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    with (RESULTS / "adversarial.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
