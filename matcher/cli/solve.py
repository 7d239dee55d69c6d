"""The planner's commands: validate, solve, check, report, compare and diff (DESIGN §7)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from matcher.cli.common import (
    SUMMARY_ROWS,
    PlanArg,
    ScenarioArg,
    command_started,
    err,
    evaluate_files,
    fmt,
    kpi_cell,
    load_or_exit,
    out,
    read_plan_or_exit,
    summary_table,
    write_html,
)
from matcher.files import write_text_atomic
from matcher.plan import Plan, write_plan
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Progress


def validate(scenario: ScenarioArg) -> None:
    """Check a scenario: exit 0, or 1 with every problem listed (path, id, message)."""
    loaded = load_or_exit(scenario)
    s = loaded.scenario
    out.print(
        f"{scenario}: valid ({len(s.villages)} villages, {len(s.cadres)} cadres, "
        f"{len(s.organizations)} organisations, {len(s.pools)} pools, {len(s.needs)} needs, "
        f"{len(s.aid_records)} aid records; {len(loaded.warnings)} warning(s))"
    )


def solve(
    scenario: ScenarioArg,
    solver: Annotated[str, typer.Option(help="greedy, siloed, cpsat, highs or auto.")] = "auto",
    time_limit: Annotated[
        float, typer.Option(help="Seconds for the whole command, reading to writing.")
    ] = 30.0,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same plan).")] = 0,
    workers: Annotated[int, typer.Option(help="Solver threads.")] = 2,
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the plan.")] = Path(
        "plan.json"
    ),
    quiet: Annotated[bool, typer.Option(help="No progress line.")] = False,
    previous: Annotated[
        Path | None,
        typer.Option("--from", help="A previous plan to start from (re-planning)."),
    ] = None,
    max_changes: Annotated[
        int | None,
        typer.Option(help="With --from: most assignments and pairings that may change."),
    ] = None,
    rounds: Annotated[
        int | None,
        typer.Option(help="auto: stop after this many search rounds (repeatable plans)."),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html", help="Also write the plan's report as one self-contained HTML page."
        ),
    ] = None,
    fixes: Annotated[
        bool,
        typer.Option(
            help="Rank fixes for every blind spot by LP prices (10% of the time limit, "
            "at most 15 s)."
        ),
    ] = True,
    confirm_fixes: Annotated[
        int,
        typer.Option(
            min=0,
            help="Confirm the top fix of this many of the largest unmet groups by re-solving "
            "with it applied (each --confirm-seconds, beyond the time limit).",
        ),
    ] = 0,
    confirm_seconds: Annotated[
        float, typer.Option(help="Seconds of each confirming re-solve.")
    ] = 10.0,
) -> None:
    """Solve a scenario, print the evaluator's summary and write the plan."""
    from matcher.run import FixOptions, check_options, solve_scenario

    started = command_started()
    try:
        check_options(solver, previous=previous is not None, max_changes=max_changes)
    except ValueError as refused:
        err.print(str(refused), style="red", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    loaded = load_or_exit(scenario)
    before = read_plan_or_exit(previous) if previous is not None else None
    with err.status("solving…", spinner="dots") as status:

        def progress(event: Progress) -> None:
            if not quiet:
                bound = "-" if event.bound is None else f"{event.bound:,.1f}"
                status.update(
                    f"solving… {event.seconds:5.1f} s  incumbent {event.objective:,.1f}  "
                    f"bound {bound}  {event.message}"
                )

        run = solve_scenario(
            loaded.scenario,
            solver=solver,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            on_progress=progress,
            started=started,
            previous=before,
            max_changes=max_changes,
            rounds=rounds,
            fixes=FixOptions(
                rank=fixes or confirm_fixes > 0,
                confirm=confirm_fixes,
                confirm_seconds=confirm_seconds,
            ),
            html=html is not None,
        )
    write_plan(run.plan, out_path)
    out.print(summary_table(run.plan, f"{loaded.scenario.name or scenario}"))
    out.print(f"plan written to {out_path}")
    if html is not None:
        write_html(html, run.index, run.plan, run.evaluation)
    reason = run.plan.solver.stats.get("reason") if run.plan.solver.stats else None
    if run.plan.solver.status in ("error", "infeasible") and reason:
        err.print(f"[red]{run.plan.solver.status}: {reason}[/red]")
    if run.plan.solver.status == "error":
        raise typer.Exit(1)
    if run.plan.violations:
        err.print(f"[red]{len(run.plan.violations)} rule violation(s): see the plan file[/red]")
        raise typer.Exit(1)


def check(scenario: ScenarioArg, plan: PlanArg) -> None:
    """Recompute H1-H8 and the objective of a plan; exit 1 if any rule is broken."""
    _, read, evaluation = evaluate_files(scenario, plan)
    for violation in evaluation.violations:
        out.print(f"[red]{violation.rule}[/red] {violation.message}", soft_wrap=True)
    stated = read.solver.objective
    out.print(
        f"objective {evaluation.objective:,.3f}"
        + (f" (the plan states {stated:,.3f})" if stated is not None else "")
    )
    out.print(f"{len(evaluation.violations)} violation(s)")
    if evaluation.violations:
        raise typer.Exit(1)


def report(
    scenario: ScenarioArg,
    plan: PlanArg,
    html: Annotated[
        Path | None,
        typer.Option(
            "--html",
            help="Write the reports, with KPIs, a map and charts, as one self-contained HTML "
            "page to this file instead of printing them as text.",
        ),
    ] = None,
    fixes: Annotated[
        bool, typer.Option(help="Rank fixes for every blind spot by LP prices.")
    ] = True,
    confirm_fixes: Annotated[
        int,
        typer.Option(
            min=0,
            help="Confirm the top fix of this many of the largest unmet groups by re-solving.",
        ),
    ] = 0,
    confirm_seconds: Annotated[
        float, typer.Option(help="Seconds of each confirming re-solve.")
    ] = 10.0,
    solver: Annotated[str, typer.Option(help="Solver of the confirming re-solves.")] = "auto",
) -> None:
    """Print the duplicate-aid and blind-spot reports of a plan (recomputed), with ranked
    fixes for its blind spots, or write them as an HTML page with --html."""
    from matcher.reports import render_text
    from matcher.reports.shapes import stored_reports
    from matcher.run import FixOptions, report_plan

    index, read, evaluation = evaluate_files(scenario, plan)
    options = FixOptions(
        rank=fixes or confirm_fixes > 0, confirm=confirm_fixes, confirm_seconds=confirm_seconds
    )
    reported = report_plan(index, read, evaluation, fixes=options, solver=solver)
    if html is not None:
        write_html(html, index, reported, evaluation)
        return
    out.print(render_text(stored_reports(reported.reports)), soft_wrap=True, markup=False)


def compare(
    scenario: ScenarioArg,
    solvers: Annotated[str, typer.Option(help="Comma-separated solver names.")] = (
        "greedy,siloed,cpsat"
    ),
    time_limit: Annotated[float, typer.Option(help="Seconds per solver.")] = 30.0,
    seed: Annotated[int, typer.Option()] = 0,
    workers: Annotated[int, typer.Option()] = 2,
    csv: Annotated[Path | None, typer.Option(help="Also write the table as CSV.")] = None,
) -> None:
    """Run several solvers on one scenario with the same time limit; one table of figures."""
    from matcher.run import solve_scenario
    from solvers import SOLVERS

    names = [n.strip() for n in solvers.split(",") if n.strip()]
    unknown = [n for n in names if n not in SOLVERS]
    if unknown:
        err.print(f"[red]unknown solver(s) {', '.join(unknown)}; choose from {', '.join(SOLVERS)}")
        raise typer.Exit(2)
    loaded = load_or_exit(scenario)
    index = ScenarioIndex.build(loaded.scenario)  # travel times and problem, once for all
    plans: list[Plan] = []
    for name in names:
        with err.status(f"{name}…"):
            run = solve_scenario(
                index, solver=name, time_limit=time_limit, seed=seed, workers=workers
            )
        plans.append(run.plan)
    table = Table(title=f"{loaded.scenario.name or scenario}: {time_limit:g} s each")
    table.add_column("figure")
    for name in names:
        table.add_column(name, justify="right")
    notes = [str((p.solver.stats or {}).get("reason", "")) for p in plans]
    rows: list[tuple[str, list[str]]] = [
        ("status", [p.solver.status for p in plans]),
        *([("solver note", notes)] if any(notes) else []),
        ("bound", [fmt(p.solver.bound) for p in plans]),
        ("gap", [fmt(p.solver.gap) for p in plans]),
        ("seconds", [fmt(p.solver.seconds) for p in plans]),
    ]
    rows += [
        (label, [kpi_cell(p.kpis, k, share) for p in plans]) for k, label, share in SUMMARY_ROWS
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    out.print(table)
    if csv is not None:
        lines = ["figure," + ",".join(names)]
        lines += [
            f"{label}," + ",".join(c.replace(",", "") for c in cells) for label, cells in rows
        ]
        write_text_atomic(csv, "\n".join(lines) + "\n")
        out.print(f"table written to {csv}")


def diff_plans(
    plan_a: Annotated[Path, typer.Argument(help="The first plan (A).")],
    plan_b: Annotated[Path, typer.Argument(help="The plan compared with A (B).")],
    scenario: Annotated[
        Path | None,
        typer.Option(help="The plans' scenario: needs' values, households, money per village."),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the full diff as JSON here.")
    ] = None,
) -> None:
    """Compare two plans: needs, households, pairings, money, hours and KPIs, A against B."""
    from matcher.reports.diff import plan_diff, render_diff_text

    a, b = read_plan_or_exit(plan_a), read_plan_or_exit(plan_b)
    index = ScenarioIndex.build(load_or_exit(scenario).scenario) if scenario is not None else None
    result = plan_diff(a, b, index)
    out.print(f"A = {plan_a}\nB = {plan_b}", soft_wrap=True, markup=False)
    out.print(render_diff_text(result, SUMMARY_ROWS), soft_wrap=True, markup=False)
    if json_out is not None:
        try:
            write_text_atomic(json_out, json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        except OSError as error:
            err.print(f"{json_out}: cannot write the diff: {error}", style="red", markup=False)
            raise typer.Exit(1) from None
        out.print(f"diff written to {json_out}", markup=False)
