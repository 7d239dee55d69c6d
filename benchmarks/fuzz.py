"""Fuzzing campaign: many mutated scenarios through the whole path, intake to evaluation.

The CI test (``tests/fuzz/test_fuzz_pipeline.py``) lets Hypothesis draw a few hundred inputs;
this script draws as many as asked with plain ``random.Random``, from the same kit
(:mod:`tests.fuzz`: base counties, mutations, drivers), on several processes. Input ``i`` of
seed ``s`` is always the same case (its generator is seeded with ``"s:i"``), whichever worker
runs it, so any one can be replayed.

Each input ends as one of:

- ``refused``: the library refused it, every error located (JSON path or sheet/cell) with a
  message, all of it printable and serialisable as UTF-8;
- ``solved``: it loaded and the greedy plan keeps H1–H8 (by the plan's own list and by the
  evaluator), has a good status, writes as strict JSON that reads back with no violation, and
  its reports render;
- ``skipped``: the kit could not build it (a value openpyxl will not save, say);
- a finding: ``crash`` (an exception escaped the library), ``hang`` (it ran past
  ``--timeout``), ``violation`` (a plan breaking a rule, or with a bad status), ``refusal`` (a
  refusal not located or not printable), ``output`` (a plan or report that does not write),
  ``inconsistent`` (an import accepted what ``parse_scenario`` refuses).

Findings are grouped by signature (the exception type and the library line it came from, or
the rules a plan broke); the first three of each are saved under ``OUT/cases/`` as the case
(JSON: leg, base, mutations), the built input and the traceback. Findings of a known, reported
bug (``tests.fuzz.known_bug``, each with a strict-xfail test in ``tests/fuzz/test_found.py``)
are counted apart. ``OUT/figures.json`` holds every count; the exit status is 1 when there is a
finding that is not known.

Usage (about 30 minutes for 100,000 inputs on two shared cores)::

    .venv/bin/python benchmarks/fuzz.py --inputs 100000 --seed 0 --workers 2 --out /tmp/fuzz
    .venv/bin/python benchmarks/fuzz.py --replay /tmp/fuzz/cases/crash-0001234.json
    .venv/bin/python benchmarks/fuzz.py --replay 1234 --seed 0     # the same, by its index
    .venv/bin/python benchmarks/fuzz.py --inputs 3000 --legs workbook,csv   # imports only
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import random
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz import (  # noqa: E402
    LEG_WEIGHTS,
    LEGS,
    Case,
    Finding,
    Unusable,
    build,
    known_bug,
    random_case,
    run_case,
)

FINDINGS = ("crash", "hang", "violation", "refusal", "output", "inconsistent")
OUTCOMES = ("refused", "solved", "skipped", *FINDINGS)
SAVED_PER_SIGNATURE = 3
LIBRARY = ("matcher", "solvers", "api")


class Hang(BaseException):
    """An input ran past the time limit (a BaseException, so no ``except Exception`` in the
    library swallows it)."""


Legs = tuple[str, ...]


def case_for(seed: int, index: int, legs: Legs = ()) -> Case:
    """Input ``index`` of campaign ``seed`` (on ``legs`` only, if given, in their usual
    proportions): the same case on any worker and any run."""
    weights = {leg: w for leg, w in LEG_WEIGHTS.items() if leg in legs} if legs else None
    return random_case(random.Random(f"{seed}:{index}"), weights)


@dataclass
class Tally:
    """Counts of a stretch of inputs, merged into the campaign's."""

    outcomes: Counter[str] = field(default_factory=Counter)
    by_leg: Counter[str] = field(default_factory=Counter)  # "leg outcome"
    known: Counter[str] = field(default_factory=Counter)
    signatures: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    slowest: list[tuple[float, int, str]] = field(default_factory=list)

    def merge(self, other: Tally) -> None:
        self.outcomes.update(other.outcomes)
        self.by_leg.update(other.by_leg)
        self.known.update(other.known)
        for signature, entry in other.signatures.items():
            mine = self.signatures.setdefault(signature, {**entry, "count": 0})
            mine["count"] += entry["count"]
            mine["first"] = min(mine["first"], entry["first"])
        self.seconds += other.seconds
        self.slowest = sorted(self.slowest + other.slowest, reverse=True)[:10]


def _library_frame(error: BaseException) -> str:
    """The innermost frame of the library (matcher, solvers, api) in the traceback."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        try:
            relative = Path(frame.filename).relative_to(ROOT)
        except ValueError:
            continue
        if relative.parts[0] in LIBRARY:
            return f"{relative}:{frame.lineno} in {frame.name}"
    return f"{frames[-1].filename}:{frames[-1].lineno}" if frames else "?"


def classify(error: BaseException) -> tuple[str, str]:
    """The outcome of an input that raised ``error`` and the signature of its group."""
    if isinstance(error, Hang):
        return "hang", "hang"
    if isinstance(error, Finding):
        data = error.data if isinstance(error.data, dict) else {}
        rules = sorted({str(v.get("rule")) for v in data.get("violations") or ()})
        detail = ",".join(rules) or str(error).split(":", 2)[1].strip()[:60]
        return error.kind, f"{error.kind}: {detail}"
    return "crash", f"{type(error).__name__} at {_library_frame(error)}"


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang


def _save(folder: Path, outcome: str, index: int, case: Case, error: BaseException) -> None:
    """Keep a reproduction: the case, the traceback and the built input."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = folder / f"{outcome}-{index:07d}"
    record = {
        "index": index,
        "outcome": outcome,
        "known": known_bug(error),
        "case": case.to_dict(),
        "error": f"{type(error).__name__}: {error}"[:2000],
        "traceback": "".join(traceback.format_exception(error))[-6000:],
    }
    stem.with_suffix(".json").write_text(json.dumps(record, indent=1, ensure_ascii=False))
    with tempfile.TemporaryDirectory() as scratch:
        try:
            built = build(case, Path(scratch))
        except (Unusable, RecursionError):
            return
        if isinstance(built, Path):
            target = folder / f"{stem.name}-input{built.suffix}"
            if built.is_dir():
                shutil.copytree(built, target, dirs_exist_ok=True)
            else:
                shutil.copyfile(built, target)
        else:
            try:
                text = json.dumps(built, ensure_ascii=True, indent=1)
            except (ValueError, RecursionError):
                return
            (folder / f"{stem.name}-input.json").write_text(text)


Job = tuple[int, int, int, float, str, Legs]


def run_stretch(job: Job) -> Tally:
    """Inputs ``start`` to ``stop`` of campaign ``seed`` (a worker's unit of work)."""
    seed, start, stop, timeout, out, legs = job
    tally = Tally()
    cases = Path(out) / "cases"
    # openpyxl warns of what the mutations do on purpose (a sheet title over 31 characters).
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        _run(seed, start, stop, timeout, cases, tally, legs)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return tally


def _run(
    seed: int, start: int, stop: int, timeout: float, cases: Path, tally: Tally, legs: Legs
) -> None:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
        folder = Path(scratch)
        for index in range(start, stop):
            case = case_for(seed, index, legs)
            began = time.perf_counter()
            error: BaseException | None = None
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                outcome = run_case(case, folder)
            except Unusable:
                outcome = "skipped"
            except (Exception, Hang) as raised:
                error = raised
                outcome, signature = classify(raised)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            seconds = time.perf_counter() - began
            tally.seconds += seconds
            tally.slowest = sorted([*tally.slowest, (seconds, index, case.leg)], reverse=True)[:10]
            tally.outcomes[outcome] += 1
            tally.by_leg[f"{case.leg} {outcome}"] += 1
            if error is None:
                continue
            known = known_bug(error)
            if known is not None:
                tally.known[known] += 1
            entry = tally.signatures.setdefault(
                signature,
                {"outcome": outcome, "known": known, "count": 0, "first": index,
                 "error": f"{type(error).__name__}: {error}"[:300]},
            )  # fmt: skip
            entry["count"] += 1
            digest = hashlib.sha1(signature.encode()).hexdigest()[:8]
            saved = list(cases.glob(f"*-{digest}-???????.json")) if cases.exists() else []
            if len(saved) < SAVED_PER_SIGNATURE and entry["count"] <= SAVED_PER_SIGNATURE:
                _save(cases, f"{outcome}-{digest}", index, case, error)


def _stretches(
    seed: int, inputs: int, size: int, timeout: float, out: Path, legs: Legs
) -> Iterator[Job]:
    for start in range(0, inputs, size):
        yield seed, start, min(inputs, start + size), timeout, str(out), legs


def _line(done: int, total: int, tally: Tally, began: float) -> str:
    o = tally.outcomes
    findings = sum(o[f] for f in FINDINGS)
    rate = done / max(1e-9, time.monotonic() - began)
    return (
        f"{done:>9,}/{total:,}  refused {o['refused']:,}  solved {o['solved']:,}  "
        f"skipped {o['skipped']:,}  crashes {o['crash'] + o['hang']:,}  "
        f"violations {o['violation']:,}  findings {findings:,} "
        f"(known {sum(tally.known.values()):,})  {rate:,.0f}/s"
    )


def campaign(
    inputs: int,
    seed: int,
    workers: int,
    out: Path,
    *,
    timeout: float = 60.0,
    size: int = 200,
    legs: Legs = (),
) -> dict[str, Any]:
    """Run ``inputs`` inputs of campaign ``seed`` (on ``legs`` only, if given) on ``workers``
    processes, print progress, write ``out/figures.json`` and return its content."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "cases", ignore_errors=True)
    tally = Tally()
    began = time.monotonic()
    jobs = list(_stretches(seed, inputs, size, timeout, out, legs))
    done = 0
    step = max(size, inputs // 20)
    shown = 0
    if workers <= 1:
        results: Iterator[Tally] = map(run_stretch, jobs)
        pool = None
    else:
        pool = multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=50)
        results = pool.imap_unordered(run_stretch, jobs)
    try:
        for part in results:
            tally.merge(part)
            done += sum(part.outcomes.values())
            if done - shown >= step or done == inputs:
                shown = done
                print(_line(done, inputs, tally, began), flush=True)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    wall = time.monotonic() - began
    o = tally.outcomes
    figures: dict[str, Any] = {
        "inputs": inputs,
        "seed": seed,
        "workers": workers,
        "legs": list(legs or LEGS),
        "wall_seconds": round(wall, 1),
        "input_seconds": round(tally.seconds, 1),
        **{outcome: o[outcome] for outcome in OUTCOMES},
        "crashes": o["crash"] + o["hang"],
        "violations": o["violation"],
        "known": dict(tally.known),
        "unknown_findings": sum(
            entry["count"] for entry in tally.signatures.values() if entry["known"] is None
        ),
        "by_leg": {
            leg: {k.split()[1]: v for k, v in sorted(tally.by_leg.items()) if k.split()[0] == leg}
            for leg in LEGS
        },
        "signatures": dict(sorted(tally.signatures.items(), key=lambda kv: -kv[1]["count"])),
        "slowest": [
            {"seconds": round(s, 2), "index": i, "leg": leg} for s, i, leg in tally.slowest
        ],
    }
    (out / "figures.json").write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")
    return figures


def _summary(figures: dict[str, Any]) -> str:
    lines = [
        f"inputs {figures['inputs']:,} (seed {figures['seed']}, {figures['workers']} workers, "
        f"{figures['wall_seconds']:,} s)",
        f"  refused {figures['refused']:,}  solved {figures['solved']:,}  "
        f"skipped {figures['skipped']:,}",
        f"  crashes {figures['crashes']:,}  violations {figures['violations']:,}  other "
        f"findings {sum(figures[k] for k in ('refusal', 'output', 'inconsistent')):,}  "
        f"(not known: {figures['unknown_findings']:,})",
    ]
    for leg, counts in figures["by_leg"].items():
        if not counts:
            continue
        shown = "  ".join(f"{k} {v:,}" for k, v in counts.items())
        lines.append(f"  {leg:<9} {shown}")
    for signature, entry in figures["signatures"].items():
        known = f" [known: {entry['known']}]" if entry["known"] else ""
        lines.append(f"  {entry['count']:>7,} × {signature}{known} (first: #{entry['first']})")
    return "\n".join(lines)


def replay(target: str, seed: int, legs: Legs = ()) -> int:
    """Run one case (a saved reproduction, or an index of campaign ``seed``) and let its
    exception, if any, show its traceback."""
    path = Path(target)
    if path.suffix == ".json" and path.exists():
        case = Case.from_dict(json.loads(path.read_text(encoding="utf-8"))["case"])
    else:
        case = case_for(seed, int(target), legs)
    print(case)
    with tempfile.TemporaryDirectory(prefix="fuzz-replay-") as scratch:
        print(run_case(case, Path(scratch)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per input")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "fuzz")
    parser.add_argument(
        "--legs", default="", help=f"only these legs, comma-separated ({', '.join(LEGS)})"
    )
    parser.add_argument("--replay", help="a saved case (.json) or an input index to run alone")
    args = parser.parse_args(argv)
    legs = tuple(leg for leg in args.legs.split(",") if leg)
    unknown = set(legs) - set(LEGS)
    if unknown:
        parser.error(f"unknown legs {', '.join(sorted(unknown))}; choose from {', '.join(LEGS)}")
    if args.replay is not None:
        return replay(args.replay, args.seed, legs)
    figures = campaign(
        args.inputs, args.seed, args.workers, args.out, timeout=args.timeout, legs=legs
    )
    print(_summary(figures))
    print(f"figures: {args.out / 'figures.json'}; reproductions: {args.out / 'cases'}")
    return 1 if figures["unknown_findings"] else 0


if __name__ == "__main__":
    sys.exit(main())
