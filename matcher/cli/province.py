"""Province runs on the command line (issue 6): ``generate-province`` writes a province's county
files with their envelopes, ``province-summary`` aggregates the sweep's results of them.
Registered on the main ``matcher`` app by :mod:`matcher.cli.main`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn
from rich.table import Table

from matcher.files import write_text_atomic
from matcher.province.generate import BUDGET_SHARE, DEFAULT_TILT

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

_STAGES = {
    "curves": "counties: value of money",
    "files": "counties: files written",
    "checks": "counties: re-solved",
}


def _yuan(value: float) -> str:
    return f"{value:,.0f}"


def _fmt_or_dash(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def _class_table(document: dict[str, Any]) -> Table:
    table = Table(title=f"{document['name']}: envelopes by county class", title_justify="left")
    for column in (
        "class",
        "counties",
        "own pools k¥",
        "envelopes k¥",
        "of budget",
        "¥ per need",
        "value added",
    ):
        table.add_column(column, justify="left" if column == "class" else "right")
    for region, row in document["by_class"].items():
        table.add_row(
            region,
            str(row["counties"]),
            _yuan(row["own_pool_yuan"] / 1000),
            _yuan(row["envelope_yuan"] / 1000),
            f"{100 * row['budget_share']:.1f}%",
            f"{row['envelope_per_need']:.2f}",
            _yuan(row["predicted_value"]),
        )
    return table


def generate_province_command(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for county-NNN.json files.")],
    counties: Annotated[int, typer.Option(min=1, help="Counties in the province.")] = 100,
    villages: Annotated[int, typer.Option(min=1, help="Villages per county.")] = 30,
    needs: Annotated[int, typer.Option(min=0, help="Open needs per county.")] = 600,
    seed: Annotated[int, typer.Option(min=0, help="Province seed (counties' seeds derive).")] = 0,
    budget_yuan: Annotated[
        int | None, typer.Option(min=0, help="Province budget (default: --budget-share).")
    ] = None,
    budget_share: Annotated[
        float,
        typer.Option(min=0, help="Budget as a share of the counties' own pool money."),
    ] = BUDGET_SHARE,
    tilt: Annotated[
        float,
        typer.Option(
            min=0,
            help="Weight of central and western counties' value against eastern ones "
            "(DESIGN's 30% tilt; counted once with the counties' own region weights).",
        ),
    ] = DEFAULT_TILT,
    workers: Annotated[int, typer.Option(min=1, help="Processes.")] = 2,
    verify: Annotated[
        int,
        typer.Option(
            min=0,
            help="Re-solve this many counties (largest envelopes) with and without their "
            "envelope and record predicted against re-solved value added.",
        ),
    ] = 0,
    verify_solver: Annotated[str, typer.Option(help="Solver of the checks.")] = "auto",
    verify_seconds: Annotated[float, typer.Option(help="Seconds per check solve.")] = 20.0,
) -> None:
    """Generate a province: counties of mixed east/central/west class, and a province budget
    split into county envelopes by an LP over each county's value of money; each county file
    carries its envelope as pool P-province. Writes DIR/county-NNN.json and DIR/province.json."""
    from matcher.province.document import PROVINCE_FILE
    from matcher.province.envelopes import build_province, verify_counties

    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(_STAGES.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done)

        try:
            document = build_province(
                counties,
                villages,
                needs,
                seed,
                out_dir,
                budget_yuan=budget_yuan,
                budget_share=budget_share,
                tilt=tilt,
                workers=workers,
                on_progress=progress,
            )
            if verify:
                document = verify_counties(
                    document,
                    out_dir,
                    verify,
                    solver=verify_solver,
                    time_limit=verify_seconds,
                    on_progress=progress,
                )
        except (OSError, ValueError) as error:
            err.print(f"{out_dir}: {error}", style="red", markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
    out.print(_class_table(document))
    lp = document["lp"]
    out.print(
        f"budget {_yuan(document['budget_yuan'])} yuan, allocated "
        f"{_yuan(document['allocated_yuan'])}, left over {_yuan(document['unallocated_yuan'])}; "
        f"province-wide value of one more yuan (LP dual price) {lp['dual_price']:.4f}"
        + ("" if lp["budget_binding"] else " (the budget exceeds what money alone can serve)")
    )
    for check in document.get("verification", []):
        out.print(
            f"check {check['file']} ({check['solver']}): envelope {_yuan(check['envelope_yuan'])}"
            f" yuan, predicted {check['predicted_value']:,.1f}, re-solved "
            f"{check['value_added']:,.1f}, bounds {_fmt_or_dash(check['bound_added'])} "
            f"({check['status']})"
        )
    out.print(f"{counties} county files and {PROVINCE_FILE} written to {out_dir}", markup=False)


# (figure key, label, is a share) of the province summary table, in reading order.
SUMMARY_FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("counties", "counties", False),
    ("envelope_yuan", "envelopes (yuan)", False),
    ("objective", "objective", False),
    ("kpi.needs_served", "needs served", False),
    ("kpi.needs_total", "needs total", False),
    ("needs_served_share", "needs served share", True),
    ("value_served_share", "value served / servable", True),
    ("households_reached_share", "households reached", True),
    ("villages_with_min_cadres_share", "villages with min cadres", True),
    ("social_share_of_served_hours", "social share of service hours", True),
    ("kpi.funding_used", "funding used (yuan)", False),
    ("funding_used_share", "funding used share", True),
    ("duplicate_waste_share_of_ledger_yuan", "duplicate aid share of ledger yuan", True),
    ("households_unreached_share", "households unreached (blind spots)", True),
    ("min_village_value_share", "min village value share", True),
)


# The figures of the table by policy and class, with short labels (80 columns).
CLASS_FIGURES: tuple[tuple[str, str, bool], ...] = (
    ("envelope_yuan", "envelopes", False),
    ("objective", "objective", False),
    ("needs_served_share", "needs", True),
    ("value_served_share", "value", True),
    ("households_reached_share", "households", True),
)


def _cell(figures: dict[str, Any], key: str, share: bool) -> str:
    value = figures.get(key)
    if value is None:
        return "-"
    if share:
        return f"{100 * value:.1f}%"
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:.3f}"


def _summary_tables(summary: dict[str, Any]) -> list[Table]:
    policies = list(summary["by_policy"])
    extra = sorted(
        {
            key
            for figures in summary["by_policy"].values()
            for key in figures
            if key.startswith(("dup.", "blind."))
        }
    )
    rows = [*SUMMARY_FIGURES, *((key, key, False) for key in extra)]
    by_policy = Table(title=f"{summary['province']}: by policy", title_justify="left")
    by_policy.add_column("figure")
    for policy in policies:
        by_policy.add_column(policy, justify="right")
    for key, label, share in rows:
        cells = [_cell(summary["by_policy"][p], key, share) for p in policies]
        if any(c != "-" for c in cells):
            by_policy.add_row(label, *cells)
    by_class = Table(
        title="by policy and county class",
        caption="envelopes in yuan; shares: needs served, value served of servable, "
        "households reached",
        title_justify="left",
        caption_justify="left",
        box=box.SIMPLE_HEAD,
    )
    core = CLASS_FIGURES
    by_class.add_column("policy")
    by_class.add_column("class")
    for _, label, _ in core:
        by_class.add_column(label, justify="right", min_width=len(label))
    for policy, classes in summary["by_policy_class"].items():
        for region, figures in classes.items():
            by_class.add_row(policy, region, *(_cell(figures, k, s) for k, _, s in core))
    return [by_policy, by_class]


def province_summary_command(
    province: Annotated[Path, typer.Argument(help="The province.json of generate-province.")],
    results: Annotated[Path, typer.Argument(help="The sweep's results CSV (county × policy).")],
    json_out: Annotated[
        Path | None, typer.Option("--json", help="Also write the summary as JSON here.")
    ] = None,
) -> None:
    """Aggregate the sweep's per-county results of a province: totals and weighted shares by
    policy and by county class, beside the envelopes."""
    from matcher.province.summary import summarise_province

    try:
        document = json.loads(province.read_text(encoding="utf-8"))
        with results.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, ValueError) as error:
        err.print(f"cannot read the inputs: {error}", style="red", markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    summary = summarise_province(rows, document)
    for table in _summary_tables(summary):
        out.print(table)
    columns = summary["columns"]
    failed = sum(summary["failed_rows"].values())
    out.print(
        f"{summary['rows']} rows (county column {columns['county']}, policy column "
        f"{columns['policy']}); {failed} failed runs left out; "
        f"{summary['unmatched_rows']} not matched to a county; "
        f"envelopes {_yuan(summary['envelopes']['total_yuan'])} of "
        f"{_yuan(summary['budget_yuan'] or 0)} yuan",
        markup=False,
    )
    if json_out is not None:
        write_text_atomic(json_out, json.dumps(summary, ensure_ascii=False, indent=1) + "\n")
        out.print(f"summary written to {json_out}", markup=False)


def register(app: typer.Typer) -> None:
    """Add the province commands to the ``matcher`` app."""
    app.command("generate-province")(generate_province_command)
    app.command("province-summary")(province_summary_command)
