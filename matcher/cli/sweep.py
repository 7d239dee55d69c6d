"""``matcher sweep``: many scenarios × policies, locally or on a Dask cluster, into one CSV
(issue 6). Registered on the main ``matcher`` app by :mod:`matcher.cli.main`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from matcher.cli.common import LangOption, lang_or_exit
from matcher.i18n import Lang, t
from matcher.reports import headline
from matcher.sweep import (
    DEFAULT_POLICIES,
    GenerateSpecError,
    GeneratorSpec,
    Policy,
    PolicyFileError,
    Sweep,
    load_policies,
    make_tasks,
    parse_generate,
)
from matcher.sweep.executors import check_cores, default_workers
from matcher.sweep.summary import FigureSummary, columns, summarise, unit_of

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _usage(message: str) -> typer.Exit:
    err.print(message, style="red", markup=False, soft_wrap=True)
    return typer.Exit(2)


def _figure_label(column: str, lang: Lang) -> str:
    if column.startswith("policy."):
        return headline.figure_label(column.removeprefix("policy."), lang)
    return t("kpi.objective" if column == "objective" else "solver.seconds", lang)


def _mean(figure: FigureSummary, unit: str, lang: Lang) -> str:
    """A figure's mean by its unit, its spread over the runs, the runs meeting the target and
    the mark of a difference within the seeds' spread."""
    if figure.mean is None:
        return "-"
    if unit == "share":
        text = headline.percent(figure.mean)
    elif unit in ("yuan", "count"):
        text = headline.count(figure.mean) if figure.runs == 1 else f"{figure.mean:,.1f}"
    elif unit == "seconds":
        text = f"{figure.mean:,.2f}"
    else:
        text = f"{figure.mean:,.1f}"
    if figure.sd is not None:
        if unit == "share":
            text += " " + t("sweep.sd_pp", lang, sd=f"{100 * figure.sd:.1f}")
        else:
            text += f" ± {figure.sd:,.1f}"
    if figure.met is not None:
        text += " " + t("sweep.met_runs", lang, met=figure.met, runs=figure.runs)
    if figure.within_spread:
        text += " ≈"
    return text


def summary_table(
    rows: list[dict[str, str]], policies: list[Policy], lang: Lang
) -> tuple[Table, list[str]]:
    """The sweep by policy, one column each: runs and failures, each policy figure's mean
    (with its spread and the runs meeting its target), the objective and the seconds; and the
    warnings where a policy's difference from the baseline (the first policy) lies within the
    spread of repeated seeds (marked ≈)."""
    summaries = summarise(rows, policies)
    table = Table(title=t("sweep.title", lang), title_justify="left")
    table.add_column(t("summary.figure", lang))
    for policy in summaries:
        table.add_column(policy.name, justify="right")
    table.add_row(t("sweep.solver", lang), *(p.solver for p in summaries))
    table.add_row(
        t("sweep.runs", lang),
        *(t("sweep.runs_failed", lang, runs=p.runs, failed=p.failed) for p in summaries),
    )
    for column in columns():
        if not any(column in p.figures for p in summaries):
            continue
        unit = unit_of(column)
        cells = [
            _mean(p.figures[column], unit, lang) if column in p.figures else "-" for p in summaries
        ]
        table.add_row(_figure_label(column, lang), *cells)
    warnings = []
    if summaries and any(p.within_spread() for p in summaries[1:]):
        baseline = summaries[0].name
        warnings.append(t("sweep.within_note", lang, baseline=baseline))
        for policy in summaries[1:]:
            found = [c for c in policy.within_spread() if c != "seconds"]
            if found:
                figures = t("list.sep", lang).join(_figure_label(c, lang) for c in found)
                warnings.append(
                    t("sweep.within", lang, policy=policy.name, baseline=baseline, figures=figures)
                )
    return table, warnings


def sweep_command(
    scenarios: Annotated[
        list[Path] | None, typer.Argument(help="Scenario files (JSON or YAML).", show_default=False)
    ] = None,
    generate: Annotated[
        list[str] | None,
        typer.Option(
            help="Generated counties, e.g. villages=300,needs=5000,seeds=1..20 (seeds: a..b "
            "and/or a list; also towns=, region=). Repeat for other sizes.",
            show_default=False,
        ),
    ] = None,
    policies_file: Annotated[
        Path | None,
        typer.Option(
            "--policies",
            help="YAML or JSON file of named policies: solver, time_limit, rounds, overrides "
            "of the scenario policy, scale (cadre_hours, organization_hours, pool_amount). "
            "Default: one policy 'integrated' (auto).",
        ),
    ] = None,
    out_path: Annotated[
        Path, typer.Option("--out", help="The CSV, one row per run; rows already in it are kept.")
    ] = Path("sweep.csv"),
    plans: Annotated[
        Path | None,
        typer.Option(help="Also write each plan here as {scenario}__{policy}.json."),
    ] = None,
    executor: Annotated[
        Literal["local", "dask"],
        typer.Option(
            help="local: a process pool here; dask: the Dask scheduler at --address, or "
            "without it a Dask LocalCluster here tuned for sweeps."
        ),
    ] = "local",
    address: Annotated[
        str | None,
        typer.Option(
            help="With --executor dask: a running scheduler, tcp://HOST:PORT. Start its "
            "workers with DASK_CONFIG set to the folder of matcher/sweep/dask/matcher-sweep.yaml."
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1, help="Processes here, local or a LocalCluster (default: cores ÷ threads)."
        ),
    ] = None,
    threads: Annotated[int, typer.Option(min=1, help="Solver threads of each run.")] = 1,
    time_limit: Annotated[
        float | None,
        typer.Option(min=0.1, help="Seconds of each run, instead of the policies' own."),
    ] = None,
    retry_failed: Annotated[
        bool, typer.Option(help="Run again the runs whose rows hold an error.")
    ] = True,
    oversubscribe: Annotated[
        bool,
        typer.Option("--oversubscribe", help="Here: allow workers × threads beyond the cores."),
    ] = False,
    quiet: Annotated[bool, typer.Option(help="No progress bar.")] = False,
    lang: LangOption = None,
) -> None:
    """Run every scenario × every policy and write one tidy CSV row per run: the evaluator's
    objective, the bound, every KPI, duplicate-aid waste, blind-spot counts, seconds, or the
    error of a run that failed. Re-running skips rows already in the CSV (resumable). Plans
    are not priced for blind-spot fixes in sweeps (use matcher report on a written plan).
    The summary at the end shows each policy figure's mean by policy and says where a
    difference from the first policy is within the spread of repeated seeds."""
    chosen = lang_or_exit(lang)
    specs: list[GeneratorSpec] = []
    for text in generate or []:
        try:
            specs += parse_generate(text)
        except GenerateSpecError as bad:
            raise _usage(f"--generate {bad}") from None
    if not scenarios and not specs:
        raise _usage(t("sweep.nothing_to_run", chosen))
    try:
        policies = list(DEFAULT_POLICIES) if policies_file is None else load_policies(policies_file)
    except PolicyFileError as bad:
        for problem in bad.problems:
            err.print(problem, style="red", markup=False, soft_wrap=True)
        raise typer.Exit(2) from None
    if executor == "local" or not address:  # a pool or a cluster on this machine
        try:
            check_cores(workers or default_workers(threads), threads, oversubscribe)
        except ValueError as bad:
            raise _usage(str(bad)) from None
    if time_limit is not None:
        policies = [p.model_copy(update={"time_limit": time_limit}) for p in policies]
    try:
        tasks = make_tasks(scenarios or [], specs, policies)
        sweep = Sweep(tasks, out_path, retry_failed=retry_failed)
    except ValueError as bad:  # two scenarios with one label, a CSV that is no sweep table
        raise _usage(f"{bad}") from None
    except OSError as error:
        err.print(f"{out_path}: {error}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    err.print(
        t(
            "sweep.plan",
            chosen,
            runs=len(tasks),
            scenarios=len(tasks) // len(policies),
            policies=len(policies),
            skipped=sweep.skipped,
            path=out_path,
            pending=len(sweep.pending),
        ),
        markup=False,
        soft_wrap=True,
    )
    progress = Progress(
        TextColumn(t("sweep.bar", chosen)),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} " + t("sweep.bar_failed", chosen)),
        TimeElapsedColumn(),
        TextColumn(t("sweep.bar_eta", chosen)),
        TimeRemainingColumn(),
        console=err,
        disable=quiet or not sweep.pending,
    )
    bar = progress.add_task("sweep", total=len(sweep.pending), failed=0)
    failed = 0

    def on_row(row: dict[str, Any]) -> None:
        nonlocal failed
        failed += bool(row.get("error"))
        progress.update(bar, advance=1, failed=failed)

    try:
        with progress:
            summary = sweep.run(
                executor,
                address=address,
                workers=workers,
                threads=threads,
                plans=plans,
                oversubscribe=oversubscribe,
                on_row=on_row,
            )
    except OSError as error:  # the scheduler cannot be reached, the CSV cannot be written
        text = t("sweep.could_not_run", chosen, error=error)
        err.print(text, style="red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print(t("sweep.interrupted", chosen, path=out_path), markup=False, soft_wrap=True)
        raise typer.Exit(130) from None
    table, warnings = summary_table(sweep.rows(), policies, chosen)
    out.print(table)
    for warning in warnings:
        out.print(warning, style="yellow", markup=False, soft_wrap=True)
    done = t(
        "sweep.done",
        chosen,
        ran=summary.ran,
        seconds=f"{summary.seconds:,.1f}",
        errors=summary.errors,
        skipped=summary.skipped,
        path=out_path,
    )
    if plans is not None:
        done += t("sweep.plans", chosen, path=plans)
    out.print(done, markup=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``matcher sweep`` to the ``matcher`` app."""
    app.command("sweep")(sweep_command)
