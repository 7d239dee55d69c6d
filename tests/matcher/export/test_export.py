"""Plan export: the tables, the Excel workbook and the CSV files (issue 7, part 2)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from matcher.export import SHEETS, plan_tables, write_plan_csv, write_plan_xlsx
from matcher.export.plan_tables import Table
from matcher.intake.loading import load_scenario
from matcher.plan import DuplicateService, FundingLine, Plan
from matcher.run import solve_scenario
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def demo_plan() -> Plan:
    """A greedy plan of the demo county (solved once for the module: about a second)."""
    scenario = load_scenario(ROOT / "scenarios" / "demo-county.json").scenario
    return solve_scenario(scenario, solver="greedy", time_limit=None).plan


def as_text(value: Any) -> str:
    """A cell as the CSV file writes it (empty for None)."""
    return "" if value is None else str(value)


def table_rows(table: Table) -> list[list[Any]]:
    """A table's data rows as the workbook reads them back: empty text as an empty cell, and
    floats to the 15-16 digits Excel keeps."""

    def cell(v: Any) -> Any:
        if isinstance(v, float):
            return pytest.approx(v, rel=1e-14)
        return None if v == "" else v

    return [[cell(v) for v in row] for row in table.rows]


def test_workbook_has_every_sheet_with_both_header_rows_and_all_rows(
    demo_plan: Plan, tmp_path: Path
) -> None:
    """The demo plan's workbook opens in openpyxl with every sheet in order; row 1 holds the
    Chinese headers, row 2 the English field names, both bold and frozen, with an autofilter;
    the data rows are exactly the plan's assignments, pairings, unmet needs, report groups."""
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(demo_plan, path)
    tables = plan_tables(demo_plan)
    workbook = openpyxl.load_workbook(path)
    # The plan's own sheets first; roster sheets may follow (tests/matcher/export/test_rosters).
    assert workbook.sheetnames[: len(SHEETS)] == list(SHEETS)
    reports = demo_plan.reports
    expected_rows = {
        "assignments": len(demo_plan.assignments),
        "pairings": len(demo_plan.pairings),
        "unmet": len(demo_plan.unmet),
        "funding_by_pool": len(demo_plan.kpis["funding_by_pool"]),
        "duplicate_aid_groups": len(reports["duplicate_aid"]["groups"]),
        "short_villages": len(reports["blind_spots"]["short_villages"]),
        "unmet_groups": len(reports["blind_spots"]["unmet_groups"]),
        "duplicate_services": 0,
    }
    assert all(expected_rows[name] > 0 for name in expected_rows if name != "duplicate_services")
    for name in SHEETS:
        ws = workbook[name]
        table = tables[name]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert rows[0] == table.header_zh and rows[1] == table.header_en
        assert all(cell.font.b for cell in ws[1]) and all(cell.font.b for cell in ws[2])
        assert ws.freeze_panes == "A3"
        last_column = get_column_letter(len(table.columns))
        assert ws.auto_filter.ref == f"A2:{last_column}{2 + len(table.rows)}"
        data = rows[2 : 2 + len(table.rows)]
        assert data == table_rows(table)
        if name in expected_rows:
            assert len(table.rows) == expected_rows[name]


def test_workbook_stores_numbers_as_numbers_with_formats(demo_plan: Plan, tmp_path: Path) -> None:
    """Minutes, hours and yuan are numeric cells (yuan with a thousands format, shares as %),
    ids stay text."""
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(demo_plan, path)
    workbook = openpyxl.load_workbook(path)
    ws = workbook["assignments"]
    first = demo_plan.assignments[0]
    assert ws["A3"].value == first.need and ws["A3"].data_type == "s"
    assert ws["E3"].value == pytest.approx(first.travel_minutes)
    assert isinstance(ws["F3"].value, float) and ws["F3"].data_type == "n"
    assert ws["G1"].value == "资金合计（元）" and ws["G3"].number_format == "#,##0"
    kpis = {row[0].value: row[2] for row in workbook["kpis"].iter_rows(min_row=3)}
    assert kpis["needs_served_share"].number_format == "0.0%"
    assert kpis["needs_served"].value == demo_plan.kpis["needs_served"]
    assert (
        kpis["funding_by_pool.P-agri.left"].value
        == demo_plan.kpis["funding_by_pool"]["P-agri"]["left"]
    )
    reasons = demo_plan.kpis["unmet_by_reason"]
    assert kpis["unmet_by_reason.capacity_exhausted"].value == reasons["capacity_exhausted"]


def test_empty_duplicate_services_sheet_says_why(demo_plan: Plan, tmp_path: Path) -> None:
    """A joint plan has no duplicate services: the sheet keeps its headers and says why."""
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(demo_plan, path)
    ws = openpyxl.load_workbook(path)["duplicate_services"]
    assert ws.max_row == 3
    assert str(ws["A3"].value).startswith("none:")


def test_csv_files_have_a_bom_and_read_back_to_the_same_rows(
    demo_plan: Plan, tmp_path: Path
) -> None:
    """One CSV per sheet, each starting with the UTF-8 byte-order mark, reading back (with
    utf-8-sig) to both header rows and every data row, Chinese included."""
    folder = tmp_path / "csv"
    written = write_plan_csv(demo_plan, folder)
    assert [p.name for p in written][: len(SHEETS)] == [f"{name}.csv" for name in SHEETS]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in written)
    for name, table in plan_tables(demo_plan).items():
        path = folder / f"{name}.csv"
        assert path.read_bytes().startswith(b"\xef\xbb\xbf")
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == table.header_zh and rows[1] == table.header_en
        assert rows[2:] == [[as_text(v) for v in row] for row in table.rows]
    summary = (folder / "summary.csv").read_text(encoding="utf-8-sig")
    assert "情景名称" in summary and "演示县" in summary
    assert "福" in (folder / "short_villages.csv").read_text(encoding="utf-8-sig")


def test_chinese_text_survives_in_the_workbook(demo_plan: Plan, tmp_path: Path) -> None:
    """The scenario's Chinese name and village names read back unchanged from the workbook."""
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(demo_plan, path)
    workbook = openpyxl.load_workbook(path)
    summary = {row[0]: row[2] for row in workbook["summary"].iter_rows(values_only=True)}
    assert summary["scenario_name"] == demo_plan.scenario.name
    assert "演示县" in str(summary["scenario_name"])
    names = [row[1] for row in workbook["short_villages"].iter_rows(min_row=3, values_only=True)]
    expected = [v["name"] for v in demo_plan.reports["blind_spots"]["short_villages"]]
    assert names == expected and all(str(n).endswith("村") for n in names)


def test_tables_come_from_the_plan_file_alone(tiny_plan: Plan) -> None:
    """A hand-written plan without KPIs, reports or village fields still exports: pools from
    the assignments' funding, money on a village-less row, notes where a report is missing."""
    tables = plan_tables(tiny_plan)
    assert list(tables) == list(SHEETS)
    assert tables["funding_by_pool"].rows == [
        ["P-agri", None, 3000, None, 1],
        ["P-west", None, 800, None, 1],
    ]
    assert tables["funding_by_village"].rows == [[None, 3800, 2, 5]]
    assert tables["funding_by_village"].note is not None
    assert tables["assignments"].rows[0] == [
        "N1",
        None,
        None,
        "C1",
        6,
        3.2,
        3000,
        "P-agri 3000",
    ]
    assert tables["unmet"].rows[1][3:5] == ["already_aided", "近期已获帮扶（避免重复）"]
    assert tables["duplicate_aid_groups"].note == "the plan file has no duplicate-aid report"
    assert tables["short_villages"].rows == [] and tables["unmet_groups"].rows == []


def test_siloed_duplicate_services_are_listed(tiny_plan: Plan) -> None:
    """A duplicate service of a siloed plan is a row with its cost and funding lines as text."""
    service = DuplicateService(
        need="N6",
        provider="C3",
        why="already_aided",
        hours=2.5,
        funding=[FundingLine(pool="P-west", amount=600), FundingLine(pool="P-agri", amount=400)],
    )
    plan = tiny_plan.model_copy(update={"duplicate_services": [service]})
    table = plan_tables(plan)["duplicate_services"]
    assert table.note is None
    funding = "P-west 600; P-agri 400"
    assert table.rows == [
        ["N6", "C3", None, "already_aided", None, None, None, None, 2.5, 1000, funding]
    ]


def test_text_that_looks_like_a_formula_stays_text(tiny_plan: Plan, tmp_path: Path) -> None:
    """A detail starting with "=" is stored as text, never as a formula Excel would run;
    control characters Excel cannot store are dropped."""
    plan = tiny_plan.model_copy(deep=True)
    plan.unmet[0].detail = '=HYPERLINK("http://example.invalid")\x07'
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan, path)
    cell = openpyxl.load_workbook(path)["unmet"]["F3"]
    assert cell.data_type == "s"
    assert cell.value == '=HYPERLINK("http://example.invalid")'


def test_a_failed_write_leaves_the_previous_workbook(
    tiny_plan: Plan, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writes are atomic: a crash while saving leaves the old file intact and no temporary."""
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(tiny_plan, path)
    before = path.read_bytes()

    real_save = openpyxl.Workbook.save

    def crash(self: openpyxl.Workbook, filename: str) -> None:
        real_save(self, io.BytesIO())  # closes the write-only sheets as a real save would
        Path(filename).write_bytes(b"PK half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        write_plan_xlsx(tiny_plan, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan.xlsx"]
