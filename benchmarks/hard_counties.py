"""The counties of issue 19 against their targets: how near the LP bound each solver gets
within the county's time limit, and whether the whole ``matcher solve`` command keeps that limit.

The targets (each county is run with ``auto``, and with ``greedy``, ``highs`` and ``cpsat`` for
comparison where they finish):

============================  ========  =====  =============================================
county (``--counties`` name)  villages  limit  target for ``auto``
============================  ========  =====  =============================================
``generated-5k``              300       30 s   ≥ 99.0% of the LP bound (5,000 needs, hills)
``valley-5k``                 300       30 s   ≥ 98.5% (5,000 needs, ``--terrain valley``)
``valley-20k``                300       60 s   ≥ 98.5% (20,000 needs, valley)
``generated-50k``             1,000     120 s  ≥ 98.0% and peak memory under 4 GB (4,096 MiB,
                                               as in ``scale.py``) (50,000 needs, hills)
============================  ========  =====  =============================================

and for every run of every solver: wall time of the whole process ≤ limit + max(1 s, 3%).

How, per county: the scenario is made by the real command ``matcher generate --terrain T
--villages V --needs N --seed S --out FILE`` into the work folder (``--work``, default a
temporary folder; a file already there is reused, so a second run over the same ``--work``
skips generating). The LP relaxation's safe dual bound, the reference of the "% of LP bound"
column, is computed once with no time limit exactly as ``scale.py`` does
(:func:`solvers.lp_bound.solve_lp` on ``compile_problem(load_scenario(FILE).scenario)``),
but in a child process of this script (``--lp-child``) rather than in this one, and kept
beside the scenario as ``FILE.lp.json`` (reused while the scenario's SHA-256 matches). Then
every solver runs as the real command::

    python -m matcher solve FILE --solver S --time-limit L --seed 0 --workers 2 --out PLAN --quiet

(``python -m matcher``, whose ``sys.argv[0]`` is ``__main__.py``, is one of the two program
names :func:`matcher.cli.common.command_started` treats as a process start, so the command's
own clock starts when the package is imported and library imports count within the limit; the
``matcher`` script is the other.) This script measures the **wall seconds from spawn to exit**
(``time.monotonic()`` around ``Popen`` and ``os.wait4``), which also counts the interpreter's
start before that import, and the child's **peak resident memory** from ``os.wait4``'s
``ru_maxrss`` (KiB on Linux): that child's own figure, not a sum with anything else (the
largest of it and of any children it waited for, and the solvers use threads, not processes,
so it is the whole solve's). One caveat of Linux: a
child's ``ru_maxrss`` is at least its parent's peak when it was spawned (``exec`` keeps the
old address space's high-water mark), which is why this script imports nothing of the
package, computes the LP bound in a child and reads only the solver section of a plan: its
own peak (printed at the end, some 20 MiB) stays far below any solver's. A run still going
limit + 120 s after its start is killed and recorded as ``timeout``.

Nothing is re-evaluated: a plan's ``solver.objective`` is already the evaluator's objective
(:func:`matcher.run._solver_info` takes ``evaluation.objective``, never the solver's claim),
and its ``solver.bound`` is the solver's proven bound as the run kept it (dropped, with
``stats.bound_discarded``, when it was below that objective). ``stats.bound_kind`` says
which bound it is (``lp``: the LP relaxation's; ``mip``: branch and bound's; others as solvers
add them).

Output: one row per run as it ends, the CSV ``--out`` (default
``benchmarks/results/hard_counties.csv``) and the markdown table ``--md`` (default
``benchmarks/results/hard_counties.md``), both rewritten after every run. The markdown's
columns: county, needs, limit, solver, status, objective, LP bound, % of LP bound, reported
bound and its kind, % of reported bound, wall s, overrun s (wall − limit), allowed overrun
(max(1 s, 3% of the limit)), peak MiB, and for ``auto`` rows the verdict (target met, or
missed by how many points / MiB); then one line saying whether every wall time held. The CSV
adds the villages, terrain, seed, exit code, the plan's own ``seconds`` (from the package's
import to the end of the solve), the LP's seconds and convergence, and from ``solver.stats``:
``lp_seconds``, ``lp_converged``, ``fix_seconds``, ``lns_rounds``, ``seconds_total`` (the
search's), ``bound_discarded``.

The full run takes about 20 minutes on 2 cores (greedy, auto, highs, cpsat at 30 s on the two
5k counties and 60 s on valley-20k, greedy and auto at 120 s on generated-50k: 14 minutes of
limits, plus generating, the four LP bounds and highs/cpsat overrunning): a script to run by
hand on a quiet machine, never a test::

    .venv/bin/python benchmarks/hard_counties.py --work /tmp/hard      # everything, reusable
    .venv/bin/python benchmarks/hard_counties.py --counties valley-5k --solvers greedy,auto \\
        --scale 0.1 --time-limit 3 --out /tmp/hard.csv --md /tmp/hard.md   # a quick check

Options: ``--counties`` comma-separated names from the table above (default all);
``--solvers`` (default ``greedy,auto,highs,cpsat``); ``--time-limit`` seconds for every run
instead of each county's (the verdict then says the limit differed from the target's);
``--skip-solver-over N`` skips ``highs`` and ``cpsat`` on counties of more than N needs
(default 20,000: they do not finish in time at 50,000; such rows say ``skipped``); ``--seed``
the generator's (default 1); ``--work``, ``--out``, ``--md``; and ``--scale F``, for checks
only, multiplies every county's villages and needs by F (``0.1``: 30 × 500 instead of 300 ×
5,000; the verdict says the county was not the target's).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).parent / "results"
DEFAULT_SOLVERS = "greedy,auto,highs,cpsat"
AUTO = "auto"
EXACT = frozenset({"highs", "cpsat"})
"""Solvers ``--skip-solver-over`` leaves out of large counties."""
KILL_AFTER = 120.0
"""Seconds past its limit after which a run is killed and recorded as ``timeout``."""
PLAN_HEAD = 1 << 20
"""Bytes of a plan read to find its solver section (the whole file only if it is not there)."""
STATS = (
    "first_plan_seconds",
    "lp_seconds",
    "lp_converged",
    "fix_seconds",
    "lns_rounds",
    "seconds_total",
)


@dataclass(frozen=True)
class County:
    """One county of the targets table."""

    name: str
    terrain: str
    villages: int
    needs: int
    limit: float  # seconds
    target_pct: float  # auto's objective / LP bound, per cent, at least
    peak_mib: float | None = None  # and auto's peak below this, when set


COUNTIES: dict[str, County] = {
    c.name: c
    for c in (
        County("generated-5k", "hills", 300, 5000, 30.0, 99.0),
        County("valley-5k", "valley", 300, 5000, 30.0, 98.5),
        County("valley-20k", "valley", 300, 20000, 60.0, 98.5),
        County("generated-50k", "hills", 1000, 50000, 120.0, 98.0, 4096.0),
    )
}


def allowed_overrun(limit: float) -> float:
    """How far past its limit a command may end: max(1 s, 3% of the limit)."""
    return max(1.0, 0.03 * limit)


def matcher_command(*args: str) -> list[str]:
    """A ``matcher`` command as a process start (``python -m matcher``, this interpreter)."""
    return [sys.executable, "-m", "matcher", *args]


# ----------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Finished:
    """One child process, measured from this side."""

    wall: float  # seconds from spawn to exit
    peak_mib: float  # ru_maxrss from wait4
    exit_code: int
    timed_out: bool


def run_process(command: list[str], log: Path, kill_after: float | None) -> Finished:
    """Run ``command`` (stdout and stderr to ``log``), kill it after ``kill_after`` seconds,
    and measure its wall time and peak memory with ``os.wait4``."""
    log.parent.mkdir(parents=True, exist_ok=True)
    killed = threading.Event()
    with log.open("wb") as sink:
        started = time.monotonic()
        proc = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, cwd=ROOT)

        def kill() -> None:
            killed.set()
            proc.send_signal(signal.SIGKILL)

        timer = None
        if kill_after is not None:
            timer = threading.Timer(kill_after, kill)
            timer.daemon = True
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen won't signal
        if timer is not None:
            timer.cancel()
    return Finished(wall, usage.ru_maxrss / 1024, proc.returncode, killed.is_set())


def last_line(log: Path) -> str:
    """The last non-blank line of a log (a traceback's message)."""
    try:
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        return ""
    return lines[-1].strip() if lines else ""


# ----------------------------------------------------------------------------- counties


@dataclass(frozen=True)
class Sized:
    """A county as run: the table's, or scaled down for a check."""

    county: County
    villages: int
    needs: int
    seed: int
    scale: float

    @property
    def label(self) -> str:
        return self.county.name if self.scale == 1 else f"{self.county.name}×{self.scale:g}"

    @property
    def stem(self) -> str:
        c = self.county
        return f"{c.terrain}-{self.villages}x{self.needs}-seed{self.seed}"


def sized(county: County, scale: float, seed: int) -> Sized:
    """The county at ``scale`` (villages and needs, at least 1 each)."""
    villages = max(1, round(county.villages * scale))
    needs = max(1, round(county.needs * scale))
    return Sized(county, villages, needs, seed, scale)


def generate(size: Sized, work: Path) -> Path:
    """The county's scenario file in ``work``, made by ``matcher generate`` unless there."""
    path = work / f"{size.stem}.json"
    if path.exists():
        print(f"# {size.label}: reusing {path}", flush=True)
        return path
    command = matcher_command(
        "generate",
        "--terrain",
        size.county.terrain,
        "--villages",
        str(size.villages),
        "--needs",
        str(size.needs),
        "--seed",
        str(size.seed),
        "--out",
        str(path),
    )
    log = work / "logs" / f"{size.stem}-generate.log"
    done = run_process(command, log, kill_after=None)
    if done.exit_code != 0 or not path.exists():
        raise SystemExit(f"matcher generate failed ({done.exit_code}): {last_line(log)}")
    print(f"# {size.label}: generated {path} in {done.wall:.1f} s", flush=True)
    return path


@dataclass(frozen=True)
class LpFigures:
    """The LP bound of one county."""

    bound: float
    seconds: float
    converged: bool
    peak_mib: float | None


def lp_child(argv: list[str]) -> None:
    """``--lp-child FILE``: the LP relaxation's proven bound, no time limit, as one JSON line
    (the Problem built as ``scale.py``'s child loads the scenario)."""
    from matcher.intake.loading import load_scenario
    from matcher.problem.compile import compile_problem
    from solvers.linear_model import build_linear_model
    from solvers.lp_bound import solve_lp

    problem = compile_problem(load_scenario(Path(argv[0])).scenario)
    lp = solve_lp(problem, build_linear_model(problem))
    print(json.dumps({"bound": lp.bound, "seconds": lp.seconds, "converged": lp.converged}))


def sha256_file(path: Path) -> str:
    """The file's SHA-256, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def lp_bound(scenario: Path, work: Path) -> LpFigures:
    """The county's LP bound: from ``FILE.lp.json`` if it is of this scenario, else computed
    by :func:`lp_child` in a fresh process and kept there."""
    cache = scenario.with_suffix(".lp.json")
    sha = sha256_file(scenario)
    if cache.exists():
        kept = json.loads(cache.read_text(encoding="utf-8"))
        if kept.get("scenario_sha256") == sha:
            return LpFigures(kept["bound"], kept["seconds"], kept["converged"], None)
    log = work / "logs" / f"{scenario.stem}-lp.log"
    command = [sys.executable, str(Path(__file__).resolve()), "--lp-child", str(scenario)]
    done = run_process(command, log, kill_after=None)
    lines = [x for x in log.read_text(errors="replace").splitlines() if x.startswith("{")]
    if done.exit_code != 0 or not lines:
        raise SystemExit(f"the LP bound of {scenario} failed: {last_line(log)}")
    found = json.loads(lines[-1])
    cache.write_text(json.dumps({**found, "scenario_sha256": sha}) + "\n", encoding="utf-8")
    return LpFigures(found["bound"], found["seconds"], found["converged"], done.peak_mib)


# ----------------------------------------------------------------------------- plans


def _skip_space(text: str, pos: int) -> int:
    while text[pos] in " \t\r\n":
        pos += 1
    return pos


def _top_level_value(text: str, key: str) -> Any:
    """The value of ``key`` in the JSON object ``text`` begins, decoding the top-level members
    one by one up to it; raises ValueError or IndexError if ``text`` ends first."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if text[pos] != "{":
        raise ValueError("not an object")
    pos += 1
    while True:
        pos = _skip_space(text, pos)
        if text[pos] == "}":
            return None
        name, pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, pos)
        if text[pos] != ":":
            raise ValueError("no colon")
        value, pos = decoder.raw_decode(text, _skip_space(text, pos + 1))
        if name == key:
            return value
        pos = _skip_space(text, pos)
        if text[pos] == ",":
            pos += 1


def read_solver(plan: Path) -> dict[str, Any] | None:
    """A plan file's ``solver`` section, from its first MiB (it comes second, after the
    scenario's reference) so that this process stays small; the whole file otherwise."""
    with plan.open(encoding="utf-8") as handle:
        head = handle.read(PLAN_HEAD)
    try:
        found = _top_level_value(head, "solver")
    except (ValueError, IndexError):
        found = json.loads(plan.read_text(encoding="utf-8")).get("solver")
    return found if isinstance(found, dict) else None


# ----------------------------------------------------------------------------- runs


def pct(value: float | None, bound: float | None) -> float | None:
    """value / bound in per cent; None without a value or a positive bound."""
    if value is None or bound is None or bound <= 0:
        return None
    return 100 * value / bound


def run_solver(
    size: Sized, scenario: Path, lp: LpFigures, solver: str, limit: float, work: Path
) -> dict[str, Any]:
    """``matcher solve`` with ``solver``, measured, and its plan's solver section read."""
    plan = work / "plans" / f"{size.stem}-{solver}-{limit:g}s.json"
    plan.parent.mkdir(parents=True, exist_ok=True)
    plan.unlink(missing_ok=True)  # never read an earlier run's plan
    command = matcher_command(
        "solve",
        str(scenario),
        "--solver",
        solver,
        "--time-limit",
        repr(limit),
        "--seed",
        "0",
        "--workers",
        "2",
        "--out",
        str(plan),
        "--quiet",
    )
    log = work / "logs" / f"{size.stem}-{solver}-{limit:g}s.log"
    done = run_process(command, log, kill_after=limit + KILL_AFTER)
    info = read_solver(plan) if plan.exists() and not done.timed_out else None
    stats: dict[str, Any] = (info or {}).get("stats") or {}
    if done.timed_out:
        status, error = "timeout", f"killed {KILL_AFTER:g} s past the limit"
    elif info is None:
        status, error = "crashed", last_line(log) or f"exit {done.exit_code}"
    else:
        status, error = str(info.get("status")), ""
        if done.exit_code != 0:
            error = last_line(log)
    objective = None if info is None else info.get("objective")
    bound = None if info is None else info.get("bound")
    row: dict[str, Any] = {
        **run_fields(size, lp, solver, limit),
        "status": status,
        "exit": done.exit_code,
        "objective": objective,
        "pct_of_lp": pct(objective, lp.bound),
        "bound": bound,
        "bound_kind": stats.get("bound_kind"),
        "pct_of_bound": pct(objective, bound),
        "plan_seconds": None if info is None else info.get("seconds"),
        "wall_s": round(done.wall, 3),
        "overrun_s": round(done.wall - limit, 3),
        "allowed_overrun_s": allowed_overrun(limit),
        "wall_held": done.wall <= limit + allowed_overrun(limit),
        "peak_mib": round(done.peak_mib, 1),
        **{key: stats.get(key) for key in STATS},
        "bound_discarded": stats.get("bound_discarded"),
        "verdict": "",
        "error": error,
    }
    if solver == AUTO:
        row["verdict"] = verdict(row, size)
    return row


def skipped_row(size: Sized, lp: LpFigures, solver: str, limit: float, over: int) -> dict[str, Any]:
    """A solver left out of a county too large for it."""
    return {
        **run_fields(size, lp, solver, limit),
        "status": "skipped",
        "error": f"more than {over:,} needs (--skip-solver-over)",
    }


def run_fields(size: Sized, lp: LpFigures, solver: str, limit: float) -> dict[str, Any]:
    """What every row says of its run: the county, the solver, the limit and the LP bound."""
    return {
        "county": size.label,
        "terrain": size.county.terrain,
        "villages": size.villages,
        "needs": size.needs,
        "seed": size.seed,
        "limit": limit,
        "solver": solver,
        "lp_bound": lp.bound,
        "lp_bound_seconds": round(lp.seconds, 2),
        "lp_bound_converged": lp.converged,
    }


def verdict(row: dict[str, Any], size: Sized) -> str:
    """``auto``'s target: met, or missed by how much; with what differed from the target's run."""
    county = size.county
    share = row["pct_of_lp"]
    ok = row["status"] in ("optimal", "feasible", "stopped")
    missed = []
    if not ok:
        missed.append(f"status {row['status']}")
    if share is None:
        missed.append("no share of the LP bound")
    elif share < county.target_pct:
        missed.append(f"{county.target_pct - share:.2f} points below {county.target_pct:g}%")
    if county.peak_mib is not None and row["peak_mib"] >= county.peak_mib:
        missed.append(
            f"peak {row['peak_mib'] - county.peak_mib:,.0f} MiB over {county.peak_mib:,.0f}"
        )
    if missed:
        text = "missed: " + "; ".join(missed)
    else:
        text = f"met (≥ {county.target_pct:g}%"
        if county.peak_mib is not None:
            text += f", peak < {county.peak_mib:,.0f} MiB"
        text += ")"
    notes = []
    if row["limit"] != county.limit:
        notes.append(f"the target is at {county.limit:g} s, this run had {row['limit']:g} s")
    if size.scale != 1:
        notes.append(f"county scaled ×{size.scale:g}, not the target's")
    return text + (f" [{'; '.join(notes)}]" if notes else "")


# ----------------------------------------------------------------------------- output

COLUMNS = (
    ("county", 16),
    ("needs", 6),
    ("limit", 5),
    ("solver", 6),
    ("status", 8),
    ("objective", 13),
    ("LP bound", 13),
    ("% LP", 6),
    ("bound (kind)", 18),
    ("% bnd", 6),
    ("wall s", 7),
    ("over", 6),
    ("allow", 5),
    ("peak MiB", 8),
)


def _fmt(value: Any, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def bound_cell(row: dict[str, Any]) -> str:
    """The reported bound and its kind."""
    if row.get("bound") is None:
        return "-"
    kind = row.get("bound_kind")
    return f"{row['bound']:,.1f}" + (f" ({kind})" if kind else "")


def cells(row: dict[str, Any]) -> list[str]:
    """One run's cells, in :data:`COLUMNS` order."""
    return [
        str(row["county"]),
        f"{row['needs']:,}",
        f"{row['limit']:g}",
        str(row["solver"]),
        str(row["status"]),
        _fmt(row.get("objective"), ",.1f"),
        _fmt(row.get("lp_bound"), ",.1f"),
        _fmt(row.get("pct_of_lp"), ".2f"),
        bound_cell(row),
        _fmt(row.get("pct_of_bound"), ".2f"),
        _fmt(row.get("wall_s"), ".2f"),
        _fmt(row.get("overrun_s"), "+.2f"),
        _fmt(row.get("allowed_overrun_s"), ".1f"),
        _fmt(row.get("peak_mib"), ",.0f"),
    ]


def table_header() -> str:
    """The printed table's header."""
    return " ".join(f"{name:>{width}}" for name, width in COLUMNS)


def table_row(row: dict[str, Any]) -> str:
    """One run as a printed row (the verdict on the next line)."""
    line = " ".join(
        f"{cell:>{width}}" for cell, (_, width) in zip(cells(row), COLUMNS, strict=True)
    )
    if row.get("verdict"):
        line += f"\n{'':>16} auto: {row['verdict']}"
    if row.get("error"):
        line += f"\n{'':>16} ! {row['error']}"
    return line


def walls_line(rows: list[dict[str, Any]]) -> str:
    """Whether every run's wall time held limit + max(1 s, 3%)."""
    ran = [r for r in rows if r["status"] != "skipped"]
    broke = [r for r in ran if not r.get("wall_held")]
    if not ran:
        return "No run yet."
    if not broke:
        return f"Every wall time held (limit + max(1 s, 3%)): {len(ran)} of {len(ran)} runs."
    listed = ", ".join(
        f"{r['county']} {r['solver']} {r['wall_s']:.2f} s of {r['limit']:g} s "
        f"(+{r['overrun_s']:.2f}, allowed {r['allowed_overrun_s']:.1f})"
        for r in broke
    )
    return f"Wall time NOT held by {len(broke)} of {len(ran)} runs: {listed}."


def write_csv(rows: list[dict[str, Any]], path: Path) -> None:
    """Every run, one row each."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fields = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)


MD_HEADER = (
    "county",
    "needs",
    "limit s",
    "solver",
    "status",
    "objective",
    "LP bound",
    "% of LP bound",
    "reported bound (kind)",
    "% of reported bound",
    "wall s",
    "overrun s",
    "allowed overrun s",
    "peak MiB",
    "verdict",
)


def write_md(rows: list[dict[str, Any]], path: Path, preamble: list[str]) -> None:
    """The markdown table, the wall-time line and the LP bounds' figures."""
    lines = [*preamble, "", "| " + " | ".join(MD_HEADER) + " |"]
    lines.append("|" + "|".join("---" for _ in MD_HEADER) + "|")
    for row in rows:
        shown = cells(row)
        verdict_cell = row.get("verdict") or ""
        if row["status"] == "skipped" or (row.get("error") and not verdict_cell):
            verdict_cell = str(row.get("error") or "")
        lines.append("| " + " | ".join([*shown, verdict_cell.replace("|", "/")]) + " |")
    lines += ["", walls_line(rows), ""]
    counties = {r["county"]: r for r in rows}
    for name, r in counties.items():
        converged = "converged" if r["lp_bound_converged"] else "NOT converged: a looser bound"
        lines.append(
            f"- {name}: {r['villages']:,} villages × {r['needs']:,} needs, {r['terrain']}, "
            f"seed {r['seed']}; LP bound {r['lp_bound']:,.2f} in {r['lp_bound_seconds']:.1f} s "
            f"({converged})"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def own_peak_mib() -> float:
    """This script's own peak resident memory (a floor of every child's ``ru_maxrss``)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run every county's solvers, print and write the table."""
    if sys.argv[1:2] == ["--lp-child"]:
        lp_child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--counties", default=",".join(COUNTIES), help="comma-separated names")
    parser.add_argument("--solvers", default=DEFAULT_SOLVERS, help="comma-separated")
    parser.add_argument("--time-limit", type=float, help="seconds for every run (a quick check)")
    parser.add_argument("--skip-solver-over", type=int, default=20000, help="highs, cpsat")
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--work", type=Path, help="scenarios, plans, logs (default a temp dir)")
    parser.add_argument("--out", type=Path, default=RESULTS / "hard_counties.csv")
    parser.add_argument("--md", type=Path, default=RESULTS / "hard_counties.md")
    parser.add_argument("--scale", type=float, default=1.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = [n.strip() for n in args.counties.split(",") if n.strip()]
    unknown = [n for n in names if n not in COUNTIES]
    if unknown:
        parser.error(f"unknown counties {', '.join(unknown)}; known: {', '.join(COUNTIES)}")
    solvers = [s.strip() for s in args.solvers.split(",") if s.strip()]
    if args.scale <= 0:
        parser.error("--scale must be positive")

    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    preamble = [
        f"# Hard counties (issue 19), {stamp}",
        "",
        f"`benchmarks/hard_counties.py` on {os.cpu_count()} cores, generator seed {args.seed}, "
        f"solver seed 0, 2 workers; wall s is `matcher solve`'s process from spawn to exit, "
        f"peak its `ru_maxrss`.",
    ]
    if args.time_limit is not None:
        preamble.append(f"Every limit set to {args.time_limit:g} s (`--time-limit`).")
    if args.scale != 1:
        preamble.append(f"Counties scaled ×{args.scale:g} (`--scale`): not the targets' counties.")
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="hard-counties-") as temporary:
        work = args.work if args.work is not None else Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        print(table_header(), flush=True)
        for name in names:
            size = sized(COUNTIES[name], args.scale, args.seed)
            scenario = generate(size, work)
            lp = lp_bound(scenario, work)
            note = "converged" if lp.converged else "NOT converged: a looser bound"
            peak = "" if lp.peak_mib is None else f", peak {lp.peak_mib:,.0f} MiB"
            print(
                f"# {size.label}: {size.villages} villages x {size.needs} needs; LP bound "
                f"{lp.bound:,.2f} in {lp.seconds:.1f} s ({note}{peak})",
                flush=True,
            )
            limit = size.county.limit if args.time_limit is None else args.time_limit
            for solver in solvers:
                if solver in EXACT and size.needs > args.skip_solver_over:
                    row = skipped_row(size, lp, solver, limit, args.skip_solver_over)
                else:
                    row = run_solver(size, scenario, lp, solver, limit, work)
                rows.append(row)
                print(table_row(row), flush=True)
                write_csv(rows, args.out)
                write_md(rows, args.md, preamble)
    print()
    print(walls_line(rows))
    print(f"this script's own peak: {own_peak_mib():.0f} MiB")
    print(f"written {args.out} and {args.md}")


if __name__ == "__main__":
    main()
