"""Planners' data in and out on the command line: import, template, export (issue: Excel,
CSV, GeoJSON). Registered on the main ``matcher`` app by :mod:`matcher.cli.main`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from matcher.cli.common import err, load_or_exit, out, print_problems, read_plan_or_exit
from matcher.files import write_text_atomic
from matcher.geo.crs import Crs
from matcher.intake.issues import Issue, errors_of


def _converter(crs: Crs) -> Callable[[float, float], tuple[float, float]]:
    """lon/lat in ``crs`` to WGS-84, the system the travel rule uses."""
    from matcher.geo import to_wgs84

    return lambda lon, lat: to_wgs84(lon, lat, crs)


def import_command(
    source: Annotated[Path, typer.Argument(help="A workbook (.xlsx) or a folder of CSV files.")],
    out_path: Annotated[Path, typer.Option("--out", help="Where to write the scenario JSON.")],
    geojson: Annotated[
        Path | None, typer.Option(help="Places and villages from a GeoJSON FeatureCollection.")
    ] = None,
    crs: Annotated[
        Crs, typer.Option(help="Coordinate system of the source's lon/lat (gcj02 for 高德/腾讯).")
    ] = "wgs84",
    max_rows: Annotated[
        int | None, typer.Option(min=1, help="Rows of any one sheet (default 200,000).")
    ] = None,
    max_cells: Annotated[
        int | None, typer.Option(min=1, help="Cells of all sheets (default 3,000,000).")
    ] = None,
    max_problems: Annotated[
        int | None, typer.Option(min=1, help="Problems listed one by one (default 200).")
    ] = None,
) -> None:
    """Build a scenario from planners' sheets; every problem located, nothing written on error.

    The file is read within bounds (matcher.workbook.limits.UploadLimits, as the API does);
    --max-rows, --max-cells and --max-problems raise or lower three of them."""
    from dataclasses import replace

    from matcher.workbook import import_scenario
    from matcher.workbook.limits import DEFAULT_LIMITS

    problems: list[Issue] = []
    extra: dict[str, list[dict[str, Any]]] = {}
    if geojson is not None:
        from matcher.geo import places_and_villages_from_geojson

        data = json.loads(geojson.read_text(encoding="utf-8"))
        places, villages, geo_problems = places_and_villages_from_geojson(data, crs)
        problems += geo_problems
        extra = {"places": places, "villages": villages}
    # The sheets' own coordinates come in the same system; GeoJSON points are converted as read.
    limits = replace(
        DEFAULT_LIMITS,
        max_rows=max_rows or DEFAULT_LIMITS.max_rows,
        max_cells=max_cells or DEFAULT_LIMITS.max_cells,
        max_problems=max_problems or DEFAULT_LIMITS.max_problems,
    )
    convert = None if crs == "wgs84" else _converter(crs)
    result = import_scenario(source, extra=extra, convert=convert, limits=limits)
    problems += result.problems

    print_problems(problems)
    errors = errors_of(problems)
    if result.raw is None or errors:
        err.print(f"[red]{source}: {len(errors)} problem(s); nothing was written.[/red]")
        raise typer.Exit(1)
    write_text_atomic(out_path, json.dumps(result.raw, ensure_ascii=False, indent=1) + "\n")
    out.print(f"scenario written to {out_path}")


def template_command(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="Where to write the empty workbook.")],
) -> None:
    """Write the planners' workbook template (Chinese and English headers, validation lists)."""
    from matcher.workbook import write_template

    write_template(xlsx)
    out.print(f"template written to {xlsx}")


def _is_plan(data: object) -> bool:
    return isinstance(data, dict) and "solver" in data and "assignments" in data


def export_command(
    source: Annotated[Path, typer.Argument(help="A plan file, or a scenario file.")],
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write a workbook.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write CSV files to a folder.")] = None,
    geojson: Annotated[
        Path | None, typer.Option(help="Write the plan's villages as GeoJSON (needs --scenario).")
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            help="The plan's scenario: names, towns and hours for the rosters, and --geojson."
        ),
    ] = None,
) -> None:
    """Export a plan (assignments, pairings, funding, unmet needs, duplicate aid, KPIs) or a
    scenario (in the template's form) to Excel or CSV; a plan's villages to GeoJSON."""

    if xlsx is None and csv is None and geojson is None:
        err.print("[red]say where to write: --xlsx FILE, --csv DIR or --geojson FILE[/red]")
        raise typer.Exit(2)
    try:
        data = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        data = None  # a YAML scenario or an unreadable file: the scenario loader says which
    if _is_plan(data):
        from matcher.export import write_plan_csv, write_plan_xlsx

        plan = read_plan_or_exit(source)
        index = None
        if scenario is not None:
            from matcher.problem.index import ScenarioIndex

            index = ScenarioIndex.build(load_or_exit(scenario).scenario)
        if xlsx is not None:
            write_plan_xlsx(plan, xlsx, index)
            out.print(f"plan workbook written to {xlsx}")
        if csv is not None:
            csv.mkdir(parents=True, exist_ok=True)
            write_plan_csv(plan, csv, index)
            out.print(f"plan CSV files written to {csv}")
        if geojson is not None:
            if index is None:
                err.print("[red]--geojson needs --scenario, the plan's scenario file[/red]")
                raise typer.Exit(2)
            from matcher.geo import plan_villages_geojson, write_geojson

            write_geojson(plan_villages_geojson(index.scenario, plan), geojson)
            out.print(f"villages GeoJSON written to {geojson}")
        return
    from matcher.workbook import export_scenario_csv, export_scenario_xlsx

    loaded = load_or_exit(source)
    if geojson is not None:
        err.print("[red]--geojson exports a plan's villages; give a plan file[/red]")
        raise typer.Exit(2)
    if xlsx is not None:
        export_scenario_xlsx(loaded.scenario, xlsx)
        out.print(f"scenario workbook written to {xlsx}")
    if csv is not None:
        csv.mkdir(parents=True, exist_ok=True)
        export_scenario_csv(loaded.scenario, csv)
        out.print(f"scenario CSV files written to {csv}")


def register(app: typer.Typer) -> None:
    """Add the data commands to the ``matcher`` app."""
    app.command("import")(import_command)
    app.command("template")(template_command)
    app.command("export")(export_command)
