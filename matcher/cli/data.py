"""Planners' data in and out on the command line: import, template, export (issue: Excel,
CSV, GeoJSON). Registered on the main ``matcher`` app by :mod:`matcher.cli.main`."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from matcher.cli.common import (
    LangOption,
    err,
    lang_or_exit,
    load_or_exit,
    out,
    print_problems,
    read_plan_or_exit,
    say,
    say_official_days,
)
from matcher.files import write_text_atomic
from matcher.geo.crs import Crs
from matcher.i18n import Lang, t
from matcher.intake.issues import Issue, errors_of
from matcher.scenario import Scenario

if TYPE_CHECKING:
    from matcher.plan import Plan
    from matcher.problem.index import ScenarioIndex


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
    calendar: Annotated[
        str | None,
        typer.Option(
            "--calendar",
            help="cn: write China's official holidays and make-up working days of the horizon "
            "into the scenario's horizon.holidays and horizon.workdays (plans with days).",
        ),
    ] = None,
    lang: LangOption = None,
) -> None:
    """Build a scenario from planners' sheets; every problem located, nothing written on error.

    Sheets may have their Chinese or English titles and headers; codes may be written as
    codes or labels, towns and villages by id or by name. Problems are printed in --lang.
    The file is read within bounds (matcher.workbook.limits.UploadLimits, as the API does);
    --max-rows, --max-cells and --max-problems raise or lower three of them."""
    from dataclasses import replace

    from matcher.workbook import import_scenario
    from matcher.workbook.limits import DEFAULT_LIMITS

    chosen = lang_or_exit(lang)
    if calendar is not None and calendar != "cn":
        say(t("cli.calendar_unknown", chosen, value=calendar), error=True, style="red")
        raise typer.Exit(2)
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

    print_problems(problems, chosen)
    errors = errors_of(problems)
    if result.raw is None or errors:
        say(
            t("workbook.import.failed", chosen, path=source, count=len(errors)),
            error=True,
            style="red",
        )
        raise typer.Exit(1)
    raw = result.raw
    if calendar is not None and result.scenario is not None:
        raw = _with_official_days(raw, result.scenario, chosen)
    write_text_atomic(out_path, json.dumps(raw, ensure_ascii=False, indent=1) + "\n")
    say(t("workbook.import.written", chosen, path=out_path))


def _with_official_days(raw: dict[str, Any], scenario: Scenario, lang: Lang) -> dict[str, Any]:
    """``import --calendar cn``: the imported scenario with China's official days of its
    horizon added to the days typed in the workbook, said on stderr."""
    from matcher.schedule.official import with_official_days

    filled, found = with_official_days(scenario)
    say_official_days(found, lang)
    days = {
        key: [d.isoformat() for d in getattr(filled.horizon, key)]
        for key in ("holidays", "workdays")
    }
    return {**raw, "horizon": {**raw["horizon"], **days}}


def template_command(
    xlsx: Annotated[Path, typer.Option("--xlsx", help="Where to write the empty workbook.")],
    lang: LangOption = None,
) -> None:
    """Write the planners' workbook template: sheets titled in --lang (Chinese by default),
    Chinese and English headers, drop-down lists that show each code with its label, and
    an instructions sheet."""
    from matcher.workbook import write_template

    chosen = lang_or_exit(lang)
    write_template(xlsx, lang=chosen)
    say(t("workbook.template.written", chosen, path=xlsx))


def _is_plan(data: object) -> bool:
    return isinstance(data, dict) and "solver" in data and "assignments" in data


def export_command(
    source: Annotated[Path, typer.Argument(help="A plan file, or a scenario file.")],
    xlsx: Annotated[Path | None, typer.Option("--xlsx", help="Write a workbook.")] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write CSV files to a folder.")] = None,
    geojson: Annotated[
        Path | None, typer.Option(help="Write the plan's villages as GeoJSON (needs --scenario).")
    ] = None,
    ics: Annotated[
        Path | None,
        typer.Option(
            "--ics",
            help="Write one iCalendar file per provider of the plan's schedule to a folder.",
        ),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            help="The plan's scenario: names, towns and hours for the rosters, and --geojson."
        ),
    ] = None,
) -> None:
    """Export a plan (assignments, pairings, funding, unmet needs, duplicate aid, KPIs) or a
    scenario (in the template's form) to Excel or CSV; a plan's villages to GeoJSON; a plan's
    schedule (DESIGN §9) as one iCalendar file per provider with --ics."""

    if xlsx is None and csv is None and geojson is None and ics is None:
        err.print(
            "[red]say where to write: --xlsx FILE, --csv DIR, --geojson FILE or --ics DIR[/red]"
        )
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
        if ics is not None:
            _export_ics(plan, ics, index)
        return
    from matcher.workbook import export_scenario_csv, export_scenario_xlsx

    loaded = load_or_exit(source)
    if geojson is not None:
        err.print("[red]--geojson exports a plan's villages; give a plan file[/red]")
        raise typer.Exit(2)
    if ics is not None:
        err.print("[red]--ics exports a plan's schedule; give a plan file[/red]")
        raise typer.Exit(2)
    if xlsx is not None:
        export_scenario_xlsx(loaded.scenario, xlsx)
        out.print(f"scenario workbook written to {xlsx}")
    if csv is not None:
        csv.mkdir(parents=True, exist_ok=True)
        export_scenario_csv(loaded.scenario, csv)
        out.print(f"scenario CSV files written to {csv}")


def _export_ics(plan: Plan, folder: Path, index: ScenarioIndex | None) -> None:
    """One iCalendar file per provider of the plan's schedule; exit 1 when it has none."""
    from matcher.export.ics import write_schedule_ics

    if plan.schedule is None:
        err.print(
            "[red]the plan has no schedule (its scenario's policy.schedule is off): "
            "nothing to write for --ics[/red]"
        )
        raise typer.Exit(1)
    written = write_schedule_ics(plan, folder, index)
    out.print(f"{len(written)} calendar file(s) written to {folder}")


def register(app: typer.Typer) -> None:
    """Add the data commands to the ``matcher`` app."""
    app.command("import")(import_command)
    app.command("template")(template_command)
    app.command("export")(export_command)
