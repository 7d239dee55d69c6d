"""Writing the template and exporting a scenario as a workbook or a folder of CSV files.

Both write the same form: a sheet per list, row 1 the Chinese headers, row 2 the English field
names, one row per item in the notation of :mod:`matcher.workbook.cells`; ``scenario`` and
``policy`` as key/value rows. The template is that form filled with one example row per sheet
(from the demo county), with drop-down lists, and a README sheet that explains the units and
the notation in Chinese and English. Importing an export gives back an equal scenario.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from matcher.files import atomic_path
from matcher.intake.loading import parse_scenario
from matcher.scenario import Scenario
from matcher.workbook.cells import Written, format_cell
from matcher.workbook.columns import README_SHEET, SHEETS, Column, Kind, Sheet
from matcher.workbook.readme import readme_rows

# One consistent example row per sheet, taken from the demo county (the organisation moved to
# the example's only town so that every reference resolves).
EXAMPLE: dict[str, Any] = {
    "schema_version": 1,
    "name": "示例县 2026年12月 (Example County, December 2026)",
    "horizon": {"start": "2026-12-01", "days": 31},
    "places": [{"id": "T01", "name": "福市镇", "kind": "town", "lon": 103.92877, "lat": 29.98551}],
    "villages": [
        {"id": "V001", "name": "小园村", "town": "T01", "lon": 103.91136, "lat": 30.01964,
         "households": 117, "population": 477, "left_behind_children": 8, "elderly": 97,
         "region": "west", "funding_cap": 4000}
    ],
    "roads": [{"from": "T01", "to": "V001", "minutes": 14.4}],
    "cadres": [
        {"id": "C0003", "department": "agriculture", "base": "T01",
         "skills": {"agri_tech": 2, "infrastructure": 1}, "hours": 24, "max_travel_minutes": 75,
         "max_villages": 2, "paired_villages": ["V001"], "available": True}
    ],
    "organizations": [
        {"id": "O001", "name": "城关阳光儿童关爱服务中心", "kind": "ngo", "base": "T01",
         "skills": {"child_care": 1, "education": 3}, "hours": 170, "max_travel_minutes": 90,
         "towns": ["T01"]}
    ],
    "pools": [
        {"id": "P-civil", "name": "民政局帮扶资金", "department": "civil_affairs", "amount": 41000,
         "categories": ["elderly_care", "hardship_relief", "dispute_mediation", "policy_service"],
         "villages": None, "regions": None, "max_per_need": 5000}
    ],
    "needs": [
        {"id": "N00159", "village": "V001", "household": "H-V001-0011",
         "category": "hardship_relief", "skill": "hardship_relief", "level": 1, "hours": 1.5,
         "cost": 2460, "priority": 2, "vulnerable": ["low_income"], "submitted": "2026-12-10",
         "pinned_provider": None}
    ],
    "aid_records": [
        {"id": "A000122", "household": "H-V001-0023", "village": "V001",
         "category": "elderly_care", "provider": "civil_affairs", "cost": 0, "hours": 2.5,
         "date": "2026-09-30"}
    ],
    "policy": {},
}  # fmt: skip

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FIELD_FONT = Font(bold=True, color="595959")
_WHOLE_RANGES: dict[tuple[str, str], tuple[int, int]] = {
    ("needs", "level"): (1, 3),
    ("needs", "priority"): (1, 5),
}
_TEXT_KINDS = frozenset({Kind.TEXT, Kind.HOUSEHOLD, Kind.LIST, Kind.SKILLS, Kind.DATE})


def write_template(path: Path) -> None:
    """Write the empty-but-for-an-example workbook that planners fill in Excel."""
    export_scenario_xlsx(EXAMPLE, path)


def export_scenario_xlsx(scenario: Scenario | Mapping[str, Any], path: Path) -> None:
    """Write a scenario in the template's form; :func:`~matcher.workbook.import_scenario` of
    the file gives back an equal scenario. A mapping is validated first (raises
    :class:`~matcher.intake.issues.ScenarioInvalid`)."""
    book = Workbook()
    readme = book.active
    assert readme is not None  # a new workbook has one sheet
    readme.title = README_SHEET
    _write_readme(readme)
    for sheet, rows in sheet_rows(_dumped(scenario), csv=False).items():
        _write_sheet(book.create_sheet(sheet.name), sheet, rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp:
        book.save(tmp)


def export_scenario_csv(scenario: Scenario | Mapping[str, Any], folder: Path) -> None:
    """Write a scenario as one CSV file per sheet (UTF-8 with BOM, so that Excel shows Chinese
    correctly), in the template's form. A ``roads.csv`` left from an earlier export is removed
    when the scenario has no roads, so that the folder reads back as this scenario."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = sheet_rows(_dumped(scenario), csv=True)
    for sheet in SHEETS:
        file = folder / f"{sheet.name}.csv"
        if sheet not in tables:
            file.unlink(missing_ok=True)
            continue
        with atomic_path(file) as tmp, tmp.open("x", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerows(_header_rows(sheet))
            writer.writerows([_csv_text(value) for value in row] for row in tables[sheet])


def sheet_rows(data: Mapping[str, Any], *, csv: bool) -> dict[Sheet, list[list[Written]]]:
    """The data rows of each sheet for a JSON-ready scenario (no ``roads`` sheet when the
    scenario has no road network: that is how a workbook says ``roads: null``)."""
    tables: dict[Sheet, list[list[Written]]] = {}
    for sheet in SHEETS:
        if sheet.key_value:
            tables[sheet] = [_setting_row(key, data, csv=csv) for key in sheet.keys]
        elif sheet.name != "roads" or data.get("roads") is not None:
            tables[sheet] = [
                [format_cell(column, item.get(column.field), csv=csv) for column in sheet.columns]
                for item in data.get(sheet.name) or ()
            ]
    return tables


def _dumped(scenario: Scenario | Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(scenario, Scenario):
        scenario = parse_scenario(dict(scenario)).scenario
    return scenario.model_dump(mode="json", by_alias=True)


def _setting_row(key: Column, data: Mapping[str, Any], *, csv: bool) -> list[Written]:
    value: Any = data
    for part in key.target:
        value = value.get(part) if isinstance(value, Mapping) else None
    note = f"{key.zh} ({key.unit})" if key.unit else key.zh
    return [key.field, format_cell(key, value, csv=csv), note]


def _header_rows(sheet: Sheet) -> list[list[str]]:
    return [[column.zh for column in sheet.columns], [column.field for column in sheet.columns]]


def _csv_text(value: Written) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


# ----------------------------------------------------------------------------- xlsx


def _put(worksheet: Worksheet, row: int, column: int, value: Written) -> None:
    """Set a cell so that it reads back exactly: numbers with every digit, text never taken
    for a formula."""
    if value is None:
        return
    cell = worksheet.cell(row=row, column=column)
    if isinstance(value, int | float):
        # openpyxl writes numbers with 16 significant digits, which changes some floats (and
        # integers beyond 2**53): write Python's shortest exact form into a number cell instead.
        cell.value = repr(value)
        cell.data_type = "n"
    else:
        cell.value = value
        cell.data_type = "s"


def _write_sheet(worksheet: Worksheet, sheet: Sheet, rows: list[list[Written]]) -> None:
    for row_number, header in enumerate(_header_rows(sheet), 1):
        for column_number, text in enumerate(header, 1):
            _put(worksheet, row_number, column_number, text)
            cell = worksheet.cell(row=row_number, column=column_number)
            cell.font = Font(bold=True) if row_number == 1 else _FIELD_FONT
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(horizontal="center")
    for row_number, row in enumerate(rows, 3):
        for column_number, value in enumerate(row, 1):
            _put(worksheet, row_number, column_number, value)
    worksheet.freeze_panes = "B3" if not sheet.key_value else "A3"
    for position, column in enumerate(sheet.columns, 1):
        letter = get_column_letter(position)
        dimension = worksheet.column_dimensions[letter]
        dimension.width = _width(sheet, column)
        if column.kind in _TEXT_KINDS and not sheet.key_value:
            dimension.number_format = "@"  # typed ids keep their digits and leading zeros
        validation = _validation(sheet, column)
        if validation is not None:
            validation.add(f"{letter}3:{letter}1048576")
            worksheet.add_data_validation(validation)


def _width(sheet: Sheet, column: Column) -> float:
    if sheet.key_value:
        return {"key": 28.0, "value": 44.0}.get(column.field, 30.0)
    wide = {Kind.SKILLS: 32.0, Kind.LIST: 24.0, Kind.HOUSEHOLD: 16.0}
    return max(wide.get(column.kind, 10.0), len(column.field) + 2.0, 2.0 * len(column.zh) + 2.0)


def _validation(sheet: Sheet, column: Column) -> DataValidation | None:
    """The drop-down list (or number range) Excel offers for a column, if any."""
    bounds = _WHOLE_RANGES.get((sheet.name, column.field))
    if bounds is not None:
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(bounds[0]),
            formula2=str(bounds[1]),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=f"{column.zh} {column.field}",
            error=f"请填写 {bounds[0]}-{bounds[1]} 的整数 / a whole number {bounds[0]}-{bounds[1]}",
        )
    if not column.choices or column.kind not in (Kind.TEXT, Kind.BOOL):
        return None
    return DataValidation(
        type="list",
        formula1='"' + ",".join(column.choices) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if column.strict else "warning",
        errorTitle=f"{column.zh} {column.field}",
        error="请从列表中选择 / choose a value from the list",
    )


def _write_readme(worksheet: Worksheet) -> None:
    for row_number, row in enumerate(readme_rows(), 1):
        for column_number, text in enumerate(row, 1):
            _put(worksheet, row_number, column_number, text or None)
        if row and row[0].startswith("#"):
            first = worksheet.cell(row=row_number, column=1)
            first.value = row[0].lstrip("# ")
            first.font = Font(bold=True, size=12)
    for letter, width in zip("ABCD", (30.0, 22.0, 60.0, 60.0), strict=True):
        worksheet.column_dimensions[letter].width = width
