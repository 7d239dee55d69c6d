"""The planners' path on the command line: template → import → solve → export (issue 7)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from matcher.cli import app
from matcher.geo import to_wgs84
from matcher.intake.loading import load_scenario
from matcher.scenario import Scenario
from tests.conftest import CONTRACT, ROOT

runner = CliRunner()
DEMO = ROOT / "scenarios" / "demo-county.json"


def invoke(*args: str | Path) -> str:
    """Run the CLI, assert success, return its output."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_template_imports_as_a_valid_scenario(tmp_path: Path) -> None:
    """The empty template with its example rows imports to a scenario that validates."""
    template = tmp_path / "template.xlsx"
    invoke("template", "--xlsx", template)
    out = tmp_path / "from-template.json"
    invoke("import", template, "--out", out)
    invoke("validate", out)


def test_demo_through_a_workbook_solve_and_export(tmp_path: Path) -> None:
    """Scenario → workbook → scenario is lossless; the plan exports to xlsx, CSV and GeoJSON."""
    book = tmp_path / "demo.xlsx"
    invoke("export", DEMO, "--xlsx", book)
    imported = tmp_path / "demo.json"
    invoke("import", book, "--out", imported)
    assert load_scenario(imported).scenario == load_scenario(DEMO).scenario
    plan = tmp_path / "plan.json"
    invoke("solve", imported, "--solver", "greedy", "--out", plan, "--quiet")
    invoke(
        "export",
        plan,
        "--xlsx",
        tmp_path / "plan.xlsx",
        "--csv",
        tmp_path / "plan-csv",
        "--geojson",
        tmp_path / "villages.geojson",
        "--scenario",
        imported,
    )
    sheets = openpyxl.load_workbook(tmp_path / "plan.xlsx", read_only=True).sheetnames
    assert {"summary", "kpis", "assignments", "pairings", "unmet", "duplicate_aid_groups"} <= set(
        sheets
    )
    with (tmp_path / "plan-csv" / "assignments.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    served = json.loads(plan.read_text())["assignments"]
    assert len(rows) == 2 + len(served)  # Chinese and English header rows, then one per need
    villages = json.loads((tmp_path / "villages.geojson").read_text(encoding="utf-8"))
    assert len(villages["features"]) == len(load_scenario(DEMO).scenario.villages)


def test_broken_workbook_writes_nothing_and_locates_the_problem(tmp_path: Path) -> None:
    """A level of 4 in the needs sheet: exit 1, the cell named, no scenario file written."""
    book = tmp_path / "tiny.xlsx"
    invoke("export", CONTRACT / "tiny-county.json", "--xlsx", book)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["需求清单"]  # the needs sheet, titled in Chinese
    headers = [cell.value for cell in sheet[2]]
    column = headers.index("level") + 1
    sheet.cell(row=3, column=column, value=4)
    workbook.save(book)
    out = tmp_path / "tiny.json"
    result = runner.invoke(app, ["import", str(book), "--out", str(out)])
    assert result.exit_code == 1
    letter = openpyxl.utils.get_column_letter(column)
    assert f"需求清单!{letter}3" in result.output
    assert not out.exists()


def test_gcj02_coordinates_are_converted_to_wgs84(tmp_path: Path) -> None:
    """--crs gcj02: every place and village of the sheets comes back in WGS-84."""
    book = tmp_path / "tiny.xlsx"
    invoke("export", CONTRACT / "tiny-county.json", "--xlsx", book)
    out = tmp_path / "tiny.json"
    invoke("import", book, "--out", out, "--crs", "gcj02")
    original = Scenario.model_validate(json.loads((CONTRACT / "tiny-county.json").read_text()))
    converted = load_scenario(out).scenario
    for before, after in zip(original.villages, converted.villages, strict=True):
        assert (after.lon, after.lat) == to_wgs84(before.lon, before.lat, "gcj02")
        assert (after.lon, after.lat) != (before.lon, before.lat)


def test_import_with_the_official_calendar_adds_the_national_day(tmp_path: Path) -> None:
    """A workbook of an October 2026 county imports with --calendar cn: 1-7 October's weekday
    holidays and the make-up Saturday 10 October are written, days typed in the book kept."""
    demo = json.loads(DEMO.read_text(encoding="utf-8"))
    demo["horizon"] = {"start": "2026-10-01", "days": 31, "holidays": ["2026-10-20"]}
    county = tmp_path / "october.json"
    county.write_text(json.dumps(demo, ensure_ascii=False), encoding="utf-8")
    book = tmp_path / "october.xlsx"
    invoke("export", county, "--xlsx", book)
    out = tmp_path / "imported.json"
    result = runner.invoke(
        app, ["import", str(book), "--out", str(out), "--calendar", "cn", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "official holidays" in result.output
    horizon = json.loads(out.read_text(encoding="utf-8"))["horizon"]
    assert {"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-20"} <= set(horizon["holidays"])
    assert horizon["workdays"] == ["2026-10-10"]
    refused = runner.invoke(app, ["import", str(book), "--out", str(out), "--calendar", "us"])
    assert refused.exit_code == 2
