"""Plan stability: how much two runs of the same county differ, and how much a re-plan moves.

Issue 16 item 6: re-solving a county after a small change should not reshuffle people. This
script solves the demo county (``scenarios/demo-county.json``) with ``auto``:

1. twice from scratch, with two seeds (``--seeds A,B``): what differs between the two plans
   that the search did not need to change;
2. after a small change (the cadre plan A gives the most hours loses 30% of those hours),
   from scratch, from plan A (``--from``) and from plan A with ``--max-changes K``: what moves
   against plan A, and what each costs in objective.

"Moved" compares two plans need by need: an *assignment moved* is a need both plans serve,
by another provider or from other pools (``provider_moved`` + ``pools_moved``); ``gained`` and
``lost`` are needs only the second or only the first plan serves; ``pairings_moved`` counts
pairings made or dropped; ``changes`` is re-planning's own measure (``solver.stats.
changes_from_previous``: needs moved to another provider, gained or lost, plus pairings moved).
``changes_*_from_start`` is what each run's search changed from the plan it started from
(``auto``'s ``solver.stats.changes_from_start``; its ``start_objective`` says whether the two
runs started from the same plan): two runs differ only where their searches found better when
the changes between them are at most the two searches' changes together.

    .venv/bin/python benchmarks/plan_stability.py                     # 30 s runs, ~3 minutes
    .venv/bin/python benchmarks/plan_stability.py --time-limit 5 --tag quick

Writes ``results/plan_stability.csv`` (one row per comparison; rows of the same ``--tag`` and
time limit are replaced, others kept, so a "before" and an "after" sit side by side) and
``results/plan_stability.md`` (a table per tag), and prints the table.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from matcher.intake.loading import parse_scenario, read_document  # noqa: E402
from matcher.plan import Plan  # noqa: E402
from matcher.run import RunResult, solve_scenario  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
DEMO = ROOT / "scenarios" / "demo-county.json"
CSV = RESULTS / "plan_stability.csv"
HOURS_CUT = 0.3
"""The small change: the cadre plan A gives the most hours loses this share of them."""

FIELDS = [
    "tag",
    "time_limit",
    "comparison",
    "run_a",
    "run_b",
    "objective_a",
    "objective_b",
    "status_b",
    "served_a",
    "served_b",
    "served_both",
    "assignments_moved",
    "provider_moved",
    "pools_moved",
    "gained",
    "lost",
    "pairings_a",
    "pairings_b",
    "pairings_moved",
    "changes",
    "start_objective_a",
    "start_objective_b",
    "changes_a_from_start",
    "changes_b_from_start",
    "seconds_b",
    "lns_rounds_b",
]


def _funding(assignment: Any) -> tuple[tuple[str, int], ...]:
    return tuple(sorted((line.pool, int(line.amount)) for line in assignment.funding))


def compare(a: Plan, b: Plan) -> dict[str, int]:
    """What differs from plan ``a`` to plan ``b``, need by need and pairing by pairing."""
    by_need_a = {x.need: x for x in a.assignments}
    by_need_b = {x.need: x for x in b.assignments}
    both = by_need_a.keys() & by_need_b.keys()
    provider_moved = sum(1 for n in both if by_need_a[n].provider != by_need_b[n].provider)
    pools_moved = sum(
        1
        for n in both
        if by_need_a[n].provider == by_need_b[n].provider
        and {line.pool for line in by_need_a[n].funding}
        != {line.pool for line in by_need_b[n].funding}
    )
    pairs_a = {(p.cadre, p.village) for p in a.pairings}
    pairs_b = {(p.cadre, p.village) for p in b.pairings}
    gained = len(by_need_b.keys() - by_need_a.keys())
    lost = len(by_need_a.keys() - by_need_b.keys())
    return {
        "served_a": len(by_need_a),
        "served_b": len(by_need_b),
        "served_both": len(both),
        "assignments_moved": provider_moved + pools_moved,
        "provider_moved": provider_moved,
        "pools_moved": pools_moved,
        "gained": gained,
        "lost": lost,
        "pairings_a": len(pairs_a),
        "pairings_b": len(pairs_b),
        "pairings_moved": len(pairs_a ^ pairs_b),
        "changes": provider_moved + gained + lost + len(pairs_a ^ pairs_b),
    }


def busiest_cadre(plan: Plan, cadre_ids: set[str]) -> tuple[str, float]:
    """The cadre the plan gives the most hours of service (ties: the smaller id)."""
    hours: dict[str, float] = {}
    for x in plan.assignments:
        if x.provider in cadre_ids:
            hours[x.provider] = hours.get(x.provider, 0.0) + float(x.hours or 0.0)
    if not hours:
        raise SystemExit("plan A gives no cadre any service: nothing to change")
    return min(hours.items(), key=lambda kv: (-kv[1], kv[0]))


def with_fewer_hours(document: dict[str, Any], cadre: str, hours: float) -> dict[str, Any]:
    """The scenario document with one cadre's hours set to ``hours``."""
    changed = json.loads(json.dumps(document))
    for c in changed["cadres"]:
        if c["id"] == cadre:
            c["hours"] = hours
    return changed


def _solve(document: dict[str, Any], label: str, **options: Any) -> RunResult:
    began = time.monotonic()
    run = solve_scenario(parse_scenario(document).scenario, solver="auto", **options)
    info = run.plan.solver
    print(
        f"  {label}: objective {info.objective:,.2f} ({info.status}) in "
        f"{time.monotonic() - began:.1f} s",
        flush=True,
    )
    return run


def row(
    tag: str,
    time_limit: float,
    comparison: str,
    names: tuple[str, str],
    a: RunResult,
    b: RunResult,
) -> dict[str, Any]:
    """One comparison of run ``b`` against run ``a``, as a CSV row."""
    info_a, info_b = a.plan.solver, b.plan.solver
    stats, stats_a = info_b.stats or {}, info_a.stats or {}
    return {
        "tag": tag,
        "time_limit": time_limit,
        "comparison": comparison,
        "run_a": names[0],
        "run_b": names[1],
        "objective_a": round(info_a.objective or 0.0, 4),
        "objective_b": round(info_b.objective or 0.0, 4),
        "status_b": info_b.status,
        **compare(a.plan, b.plan),
        "start_objective_a": stats_a.get("start_objective", ""),
        "start_objective_b": stats.get("start_objective", ""),
        "changes_a_from_start": stats_a.get("changes_from_start", ""),
        "changes_b_from_start": stats.get("changes_from_start", ""),
        "seconds_b": info_b.seconds,
        "lns_rounds_b": stats.get("lns_rounds", ""),
    }


def measure(
    tag: str,
    time_limit: float,
    seeds: tuple[int, int],
    max_changes: int,
    workers: int,
    scenario: Path = DEMO,
) -> list[dict[str, Any]]:
    """Solve the county twice and re-plan it three ways; the comparisons."""
    document = read_document(scenario)
    common = {"time_limit": time_limit, "workers": workers}
    s1, s2 = seeds
    print(f"{scenario.name}, auto, {time_limit:g} s, seeds {s1} and {s2}:", flush=True)
    first = _solve(document, f"seed {s1}", seed=s1, **common)
    second = _solve(document, f"seed {s2}", seed=s2, **common)
    rows = [row(tag, time_limit, "two seeds", (f"seed {s1}", f"seed {s2}"), first, second)]

    cadres = {c["id"] for c in document["cadres"]}
    cadre, used = busiest_cadre(first.plan, cadres)
    hours = round(used * (1 - HOURS_CUT), 1)
    changed = with_fewer_hours(document, cadre, hours)
    print(f"small change: {cadre} has {hours:g} h (plan A gives it {used:g} h)", flush=True)
    runs = [
        ("re-plan from scratch", "scratch", {}),
        ("re-plan --from A", "--from A", {"previous": first.plan}),
        (
            f"re-plan --from A --max-changes {max_changes}",
            f"--from A --max-changes {max_changes}",
            {"previous": first.plan, "max_changes": max_changes},
        ),
    ]
    for comparison, label, extra in runs:
        again = _solve(changed, label, seed=s1, **common, **extra)
        rows.append(row(tag, time_limit, comparison, (f"seed {s1}", label), first, again))
    return rows


def write(rows: list[dict[str, Any]], path: Path = CSV) -> list[dict[str, Any]]:
    """Replace the rows of the same tag and time limit in ``path``; keep the others. Every
    row now in the file."""
    kept: list[dict[str, Any]] = []
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            keys = {(r["tag"], float(r["time_limit"])) for r in rows}
            kept = [r for r in csv.DictReader(f) if (r["tag"], float(r["time_limit"])) not in keys]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(kept + rows)
    return kept + rows


def markdown(rows: list[dict[str, Any]]) -> str:
    """A table per tag and time limit, in the file's order."""
    keys = list(dict.fromkeys((r["tag"], float(r["time_limit"])) for r in rows))
    parts = []
    for tag, limit in keys:
        mine = [r for r in rows if (r["tag"], float(r["time_limit"])) == (tag, limit)]
        parts += [f"### {tag}, {limit:g} s", "", table(mine), ""]
    return "\n".join(parts)


def table(rows: list[dict[str, Any]]) -> str:
    """The comparisons as a Markdown table."""
    lines = [
        "| comparison | objective A | objective B | moved (provider + pools) | gained / lost "
        "| pairings moved | changes | A, B changed from their start |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        start = f"{r.get('changes_a_from_start', '')}, {r.get('changes_b_from_start', '')}"
        lines.append(
            f"| {r['comparison']} | {float(r['objective_a']):,.2f} | "
            f"{float(r['objective_b']):,.2f} | {r['assignments_moved']} ({r['provider_moved']}"
            f" + {r['pools_moved']}) of {r['served_both']} | {r['gained']} / {r['lost']} | "
            f"{r['pairings_moved']} | {r['changes']} | {start if start != ', ' else '–'} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> list[dict[str, Any]]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds per run")
    parser.add_argument("--seeds", default="1,2", help="the two seeds, e.g. 1,2")
    parser.add_argument("--max-changes", type=int, default=20, help="K of the limited re-plan")
    parser.add_argument("--workers", type=int, default=2, help="solver threads")
    parser.add_argument("--tag", default="current", help="names the rows (e.g. before, after)")
    parser.add_argument("--scenario", type=Path, default=DEMO)
    parser.add_argument("--out", type=Path, default=CSV)
    args = parser.parse_args(argv)
    first, second = (int(s) for s in args.seeds.split(","))
    rows = measure(
        args.tag, args.time_limit, (first, second), args.max_changes, args.workers, args.scenario
    )
    everything = write(rows, args.out)
    args.out.with_suffix(".md").write_text(markdown(everything), encoding="utf-8")
    print(table(rows))
    print("written", args.out, "and", args.out.with_suffix(".md").name)
    return rows


if __name__ == "__main__":
    main()
