"""The planner's commands: validate, solve, check, report, compare and diff (DESIGN §7).

Each takes ``--lang zh|en``; what it prints for people comes from the message catalogue in
that language, and its summary opens with the policy figures against their targets.
"""

from __future__ import annotations

import csv as csv_module
import io
import json
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from matcher.cli.common import (
    LangOption,
    PlanArg,
    ScenarioArg,
    command_started,
    err,
    evaluate_files,
    lang_or_exit,
    load_or_exit,
    out,
    print_summary,
    read_plan_or_exit,
    say,
    say_official_days,
    write_html,
)
from matcher.files import write_text_atomic
from matcher.i18n import Lang, label, t
from matcher.plan import Plan, write_plan
from matcher.problem.index import ScenarioIndex
from matcher.problem.solution import Progress
from matcher.reports import headline
from matcher.scenario import Scenario

DEFAULT_COMPARED = "greedy,siloed,auto"
CalendarOption = Annotated[
    str | None,
    typer.Option(
        "--calendar",
        help="cn: add China's official holidays and make-up working days of the horizon to "
        "horizon.holidays and horizon.workdays first (plans with days); give it to check too.",
    ),
]
# Rows of the compare table that are words for people, not figures for scripts: not in the CSV.
SHOWN_ONLY = frozenset({"quality"})


def validate(scenario: ScenarioArg, lang: LangOption = None) -> None:
    """Check a scenario: exit 0, or 1 with every problem listed (path, id, message)."""
    chosen = lang_or_exit(lang)
    loaded = load_or_exit(scenario, chosen)
    s = loaded.scenario
    say(
        t(
            "cli.valid",
            chosen,
            path=scenario,
            villages=len(s.villages),
            cadres=len(s.cadres),
            organizations=len(s.organizations),
            pools=len(s.pools),
            needs=len(s.needs),
            records=len(s.aid_records),
            warnings=len(loaded.warnings),
        )
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
            help="Rank fixes for every blind spot by LP prices (auto's own LP; other solvers "
            "solve it in 10% of the time limit, at most 15 s)."
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
    calendar: CalendarOption = None,
    lang: LangOption = None,
) -> None:
    """Solve a scenario, print the evaluator's summary (policy figures first) and write the
    plan."""
    from matcher.run import FixOptions, check_options, solve_scenario

    started = command_started()
    chosen = lang_or_exit(lang)
    try:
        check_options(solver, previous=previous is not None, max_changes=max_changes)
    except ValueError as refused:
        say(str(refused), error=True, style="red")
        raise typer.Exit(2) from None
    if calendar is not None and calendar != "cn":
        say(t("cli.calendar_unknown", chosen, value=calendar), error=True, style="red")
        raise typer.Exit(2)
    loaded = load_or_exit(scenario, chosen)
    county = loaded.scenario if calendar is None else _with_official_days(loaded.scenario, chosen)
    before = read_plan_or_exit(previous, chosen) if previous is not None else None
    with err.status(t("cli.solving", chosen), spinner="dots") as status:

        def progress(event: Progress) -> None:
            if not quiet:
                bound = "-" if event.bound is None else f"{event.bound:,.1f}"
                status.update(
                    t(
                        "cli.progress",
                        chosen,
                        seconds=f"{event.seconds:5.1f}",
                        objective=f"{event.objective:,.1f}",
                        bound=bound,
                        message=event.message,
                    )
                )

        run = solve_scenario(
            county,
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
    print_summary(run.plan, f"{loaded.scenario.name or scenario}", chosen)
    say(t("cli.plan_written", chosen, path=out_path))
    if html is not None:
        write_html(html, run.index, run.plan, run.evaluation, chosen)
    reason = run.plan.solver.stats.get("reason") if run.plan.solver.stats else None
    if run.plan.solver.status in ("error", "infeasible") and reason:
        status_label = label("plan_status", run.plan.solver.status, chosen)
        say(f"{status_label}: {reason}", error=True, style="red")
    if run.plan.solver.status == "error":
        raise typer.Exit(1)
    if run.plan.violations:
        text = t("cli.violations_see_plan", chosen, count=len(run.plan.violations))
        say(text, error=True, style="red")
        raise typer.Exit(1)


def _with_official_days(county: Scenario, lang: Lang) -> Scenario:
    """``--calendar cn``: the scenario with China's official days of its horizon, said on
    stderr, with a warning for years whose make-up working days are not known yet."""
    from matcher.schedule.official import with_official_days

    filled, found = with_official_days(county)
    say_official_days(found, lang)
    return filled


def check(
    scenario: ScenarioArg,
    plan: PlanArg,
    calendar: CalendarOption = None,
    lang: LangOption = None,
) -> None:
    """Recompute the hard rules (H1-H8, H9-H10 for plans with days) and the objective of a
    plan; exit 1 if any rule is broken."""
    chosen = lang_or_exit(lang)
    if calendar is not None and calendar != "cn":
        say(t("cli.calendar_unknown", chosen, value=calendar), error=True, style="red")
        raise typer.Exit(2)
    prepare = None if calendar is None else partial(_with_official_days, lang=chosen)
    _, read, evaluation = evaluate_files(scenario, plan, chosen, prepare)
    for violation in evaluation.violations:
        out.print(Text.assemble((violation.rule, "red"), " ", violation.message), soft_wrap=True)
    stated = read.solver.objective
    objective = f"{evaluation.objective:,.3f}"
    if stated is None:
        say(t("cli.check_objective", chosen, objective=objective))
    else:
        say(t("cli.check_objective_stated", chosen, objective=objective, stated=f"{stated:,.3f}"))
    say(t("cli.check_violations", chosen, count=len(evaluation.violations)))
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
    lang: LangOption = None,
) -> None:
    """Print the plan's summary (policy figures first) and its duplicate-aid and blind-spot
    reports (recomputed), with fixes for its blind spots, or write them as an HTML page with
    --html."""
    from matcher.reports import render_text
    from matcher.reports.shapes import stored_reports
    from matcher.run import FixOptions, report_plan

    chosen = lang_or_exit(lang)
    index, read, evaluation = evaluate_files(scenario, plan, chosen)
    options = FixOptions(
        rank=fixes or confirm_fixes > 0, confirm=confirm_fixes, confirm_seconds=confirm_seconds
    )
    reported = report_plan(index, read, evaluation, fixes=options, solver=solver)
    if html is not None:
        write_html(html, index, reported, evaluation, chosen)
        return
    reports = stored_reports(reported.reports)
    kpis = {**read.kpis, **evaluation.kpis}
    title = index.scenario.name or str(scenario)
    # The text report opens with the duplicate-aid story: the summary leaves it to it.
    print_summary(reported, title, chosen, kpis, reports.get("duplicate_aid"), story=False)
    schedule = None
    if reported.schedule is not None:  # DESIGN §9: the calendar's part at the end
        from matcher.reports.schedule import schedule_view

        schedule = schedule_view(index, reported, chosen, kpis)
    text = render_text(reports, chosen, names=index.name_of, kpis=kpis, schedule=schedule)
    out.print(text, soft_wrap=True, markup=False)


# --- compare ------------------------------------------------------------------------------

Raw = str | int | float | None
CompareRow = tuple[str, str, list[str], list[Raw]]  # key, label, cells shown, values for CSV


def _policy_rows(plans: list[Plan], lang: Lang) -> tuple[list[CompareRow], dict[str, str]]:
    """The policy figures of each plan (value and met or short), and their targets."""
    rows: list[CompareRow] = []
    targets: dict[str, str] = {}
    figures = [{f["key"]: f for f in headline.policy_figures(p.kpis)} for p in plans]
    keys = next((list(f) for f in figures if f), [])
    for key in keys:
        shown: list[str] = []
        raw: list[Raw] = []
        for found in figures:
            figure = found.get(key)
            if figure is None:
                shown.append("-")
                raw.append(None)
                continue
            word = headline.met_word(figure.get("met"), lang)
            shown.append(headline.figure_value(figure) + (f" {word}" if word else ""))
            raw.append(figure.get("value"))
            targets.setdefault(f"policy.{key}", headline.figure_target(figure))
        rows.append((f"policy.{key}", headline.figure_label(key, lang), shown, raw))
    return rows, targets


def _kpi_rows(plans: list[Plan], lang: Lang) -> list[CompareRow]:
    """The other figures that matter, and what each plan spends twice."""
    by_plan = [{line.key: line for line in headline.other_lines(p.kpis, lang)} for p in plans]
    rows: list[CompareRow] = []
    for key in (
        "needs_served",
        "value_served_share",
        "unreachable_villages",
        "travel_hours",
        "funding_used",
        "violations",
    ):
        lines = [found.get(key) for found in by_plan]
        first = next((line for line in lines if line is not None), None)
        if first is None:
            continue
        shown = [line.value if line is not None else "-" for line in lines]
        raw: list[Raw] = [p.kpis.get(key) for p in plans]
        rows.append((key, first.label, shown, raw))
    stories = [
        headline.duplicate_story(p.kpis, p.reports.get("duplicate_aid") or {}) for p in plans
    ]
    rows.append(
        (
            "duplicate_services",
            t("dup.in_plan", lang),
            [
                t(
                    "compare.spent_twice",
                    lang,
                    count=s.spent_twice,
                    yuan=headline.money(s.plan_yuan),
                )
                for s in stories
            ],
            [s.spent_twice for s in stories],
        )
    )
    return rows


def _solver_rows(plans: list[Plan], lang: Lang) -> list[CompareRow]:
    """Status, how good each plan is in plain words, objective, bound, gap, seconds, notes."""

    def row(
        key: str, name: str, shown: Callable[[Plan], str], raw: Callable[[Plan], Raw]
    ) -> CompareRow:
        return (key, name, [shown(p) for p in plans], [raw(p) for p in plans])

    rows = [
        row(
            "status",
            t("compare.status", lang),
            lambda p: label("plan_status", p.solver.status, lang),
            lambda p: p.solver.status,
        ),
        row(
            "quality",
            t("solver.quality", lang),
            lambda p: headline.quality(p.solver, lang),
            lambda p: p.solver.gap,
        ),
        row(
            "objective",
            t("kpi.objective", lang),
            lambda p: _fmt(p.kpis.get("objective", p.solver.objective)),
            lambda p: p.kpis.get("objective", p.solver.objective),
        ),
        row(
            "bound",
            t("compare.bound", lang),
            lambda p: _fmt(p.solver.bound),
            lambda p: p.solver.bound,
        ),
        row("gap", t("compare.gap", lang), lambda p: _fmt(p.solver.gap), lambda p: p.solver.gap),
        row(
            "seconds",
            t("solver.seconds", lang),
            lambda p: headline.hours(p.solver.seconds),
            lambda p: p.solver.seconds,
        ),
    ]
    if any(headline.solver_note(p.solver) for p in plans):
        rows.append(
            row(
                "note",
                t("solver.note", lang),
                lambda p: headline.solver_note(p.solver),
                lambda p: headline.solver_note(p.solver),
            )
        )
    return rows


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.3f}"
    if isinstance(value, int):
        return f"{value:,}"
    return "-" if value is None else str(value)


def _csv_cell(value: Raw) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


def compare(
    scenario: ScenarioArg,
    solvers: Annotated[str, typer.Option(help="Comma-separated solver names.")] = DEFAULT_COMPARED,
    time_limit: Annotated[float, typer.Option(help="Seconds per solver.")] = 30.0,
    seed: Annotated[int, typer.Option()] = 0,
    workers: Annotated[int, typer.Option()] = 2,
    csv: Annotated[
        Path | None,
        typer.Option(
            help="Also write the table as CSV: one row per figure, its stable key first "
            "(policy.households_reached, needs_served, objective, ...), raw values."
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Run several solvers on one scenario with the same time limit: one table, the policy
    figures first, then the other figures and the solvers' results."""
    from matcher.run import solve_scenario
    from solvers import SOLVERS

    chosen = lang_or_exit(lang)
    names = [n.strip() for n in solvers.split(",") if n.strip()]
    unknown = [n for n in names if n not in SOLVERS]
    if unknown:
        text = t(
            "cli.unknown_solvers", chosen, unknown=", ".join(unknown), known=", ".join(SOLVERS)
        )
        say(text, error=True, style="red")
        raise typer.Exit(2)
    loaded = load_or_exit(scenario, chosen)
    index = ScenarioIndex.build(loaded.scenario)  # travel times and problem, once for all
    plans: list[Plan] = []
    for name in names:
        with err.status(t("cli.solving_with", chosen, solver=name)):
            run = solve_scenario(
                index, solver=name, time_limit=time_limit, seed=seed, workers=workers
            )
        plans.append(run.plan)
    policy, targets = _policy_rows(plans, chosen)
    sections = [
        (t("summary.policy_title", chosen), policy),
        (t("summary.other_title", chosen), _kpi_rows(plans, chosen)),
        (t("solver.section", chosen), _solver_rows(plans, chosen)),
    ]
    title = t(
        "compare.title",
        chosen,
        scenario=loaded.scenario.name or scenario,
        seconds=f"{time_limit:g}",
    )
    table = Table(title=title, title_justify="left")
    table.add_column(t("summary.figure", chosen))
    table.add_column(t("summary.target", chosen), justify="right")
    for name in names:
        table.add_column(name, justify="right")
    for heading, rows in sections:
        table.add_row(Text(heading, style="bold"), "", *([""] * len(names)))
        for key, name, shown, _ in rows:
            table.add_row(f"  {name}", targets.get(key, ""), *shown)
    out.print(table)
    if csv is not None:
        buffer = io.StringIO(newline="")
        writer = csv_module.writer(buffer, lineterminator="\n")
        writer.writerow(["figure", *names])
        for _, rows in sections:
            writer.writerows(
                [key, *(_csv_cell(v) for v in raw)]
                for key, _, _, raw in rows
                if key not in SHOWN_ONLY
            )
        write_text_atomic(csv, buffer.getvalue())
        say(t("cli.table_written", chosen, path=csv))


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
    lang: LangOption = None,
) -> None:
    """Compare two plans: policy figures, needs, households, pairings, money, hours and KPIs,
    A against B."""
    from matcher.reports.diff import plan_diff, render_diff_text

    chosen = lang_or_exit(lang)
    a, b = read_plan_or_exit(plan_a, chosen), read_plan_or_exit(plan_b, chosen)
    index = (
        ScenarioIndex.build(load_or_exit(scenario, chosen).scenario)
        if scenario is not None
        else None
    )
    result = plan_diff(a, b, index)
    say(f"A = {plan_a}\nB = {plan_b}")
    names = index.name_of if index is not None else None
    say(render_diff_text(result, lang=chosen, names=names))
    if json_out is not None:
        try:
            write_text_atomic(json_out, json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        except OSError as error:
            text = t("cli.diff_unwritable", chosen, path=json_out, error=error)
            say(text, error=True, style="red")
            raise typer.Exit(1) from None
        say(t("cli.diff_written", chosen, path=json_out))
