"""``matcher sweep``: many scenarios × policies, locally or on a Dask cluster, into one CSV
(issue 6). Registered on the main ``matcher`` app by :mod:`matcher.cli.main`."""

from __future__ import annotations

import math
from collections import defaultdict
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

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _usage(message: str) -> typer.Exit:
    err.print(message, style="red", markup=False, soft_wrap=True)
    return typer.Exit(2)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _mean(values: list[float], digits: int = 1) -> str:
    return f"{sum(values) / len(values):,.{digits}f}" if values else "-"


def summary_table(rows: list[dict[str, str]], policies: list[Policy]) -> Table:
    """Rows by policy: runs, failed runs, mean objective and mean seconds of finished runs."""
    by_policy: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        by_policy[row["policy"]].append(row)
    table = Table(title="sweep by policy", title_justify="left")
    for name, justify in (
        ("policy", "left"),
        ("solver", "left"),
        ("runs", "right"),
        ("failed", "right"),
        ("mean objective", "right"),
        ("mean seconds", "right"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for policy in policies:
        group = by_policy.get(policy.name, [])
        fine = [r for r in group if not r.get("error")]
        objectives = [v for r in fine if (v := _number(r.get("objective", ""))) is not None]
        seconds = [v for r in fine if (v := _number(r.get("seconds", ""))) is not None]
        table.add_row(
            policy.name,
            policy.solver,
            str(len(group)),
            str(len(group) - len(fine)),
            _mean(objectives),
            _mean(seconds, 2),
        )
    return table


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
) -> None:
    """Run every scenario × every policy and write one tidy CSV row per run: the evaluator's
    objective, the bound, every KPI, duplicate-aid waste, blind-spot counts, seconds, or the
    error of a run that failed. Re-running skips rows already in the CSV (resumable). Plans
    are not priced for blind-spot fixes in sweeps (use matcher report on a written plan)."""
    specs: list[GeneratorSpec] = []
    for text in generate or []:
        try:
            specs += parse_generate(text)
        except GenerateSpecError as bad:
            raise _usage(f"--generate {bad}") from None
    if not scenarios and not specs:
        raise _usage("give scenario files, --generate SPEC, or both")
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
        f"{len(tasks)} runs ({len(tasks) // len(policies)} scenarios × {len(policies)} "
        f"policies); {sweep.skipped} already in {out_path}, {len(sweep.pending)} to run",
        markup=False,
        soft_wrap=True,
    )
    progress = Progress(
        TextColumn("sweep"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[failed]} failed"),
        TimeElapsedColumn(),
        TextColumn("ETA"),
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
        err.print(f"the sweep could not run: {error}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print(
            f"interrupted; the rows written so far are in {out_path}: run the same command "
            "again to go on",
            markup=False,
            soft_wrap=True,
        )
        raise typer.Exit(130) from None
    out.print(summary_table(sweep.rows(), policies))
    out.print(
        f"{summary.ran} run(s) in {summary.seconds:,.1f} s, {summary.errors} failed "
        f"(their rows hold the error); {summary.skipped} skipped; table: {out_path}"
        + (f"; plans: {plans}" if plans is not None else ""),
        markup=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add ``matcher sweep`` to the ``matcher`` app."""
    app.command("sweep")(sweep_command)
