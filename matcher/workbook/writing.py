"""Writing the template and exporting a scenario as a workbook or a folder of CSV files.

Both write the same form: a sheet per list, titled in Chinese (``需求清单``; ``needs`` with
``lang="en"``), two header rows — the Chinese headers and the English field names, the
language of the workbook first — and one row per item in the notation of
:mod:`matcher.workbook.cells`; ``scenario`` and ``policy`` as key/value rows. The template is
that form filled with one example row per sheet (from the demo county), with drop-down lists
that show each code with its Chinese label (``养老服务 elderly_care``, from the ``代码表``
sheet) and only inform when a typed value is not in the list (the importer judges it: codes,
labels and place names are read), and an instructions sheet (``说明``) in the workbook's
language with the other beside it. CSV files keep the lists' names (``needs.csv``). Importing
an export gives back an equal scenario.
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
from matcher.i18n import Lang, t
from matcher.intake.loading import parse_scenario
from matcher.scenario import Scenario
from matcher.workbook.cells import Written, format_cell
from matcher.workbook.columns import (
    CODES_TITLE,
    README_TITLE,
    SHEETS,
    Column,
    Kind,
    Sheet,
)
from matcher.workbook.readme import CODE_TABLES, readme_rows

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
_TEXT_KINDS = frozenset({Kind.TEXT, Kind.HOUSEHOLD, Kind.LIST, Kind.SKILLS, Kind.DATE, Kind.DATES})


def write_template(path: Path, lang: Lang = "zh") -> None:
    """Write the empty-but-for-an-example workbook that planners fill in Excel, its sheets
    titled and its instructions written in ``lang``."""
    export_scenario_xlsx(EXAMPLE, path, lang=lang)


def export_scenario_xlsx(
    scenario: Scenario | Mapping[str, Any], path: Path, lang: Lang = "zh"
) -> None:
    """Write a scenario in the template's form, its sheets titled in ``lang``;
    :func:`~matcher.workbook.import_scenario` of the file gives back an equal scenario (in
    either language). A mapping is validated first (raises
    :class:`~matcher.intake.issues.ScenarioInvalid`)."""
    book = Workbook()
    readme = book.active
    assert readme is not None  # a new workbook has one sheet
    readme.title = README_TITLE[lang]
    _write_readme(readme, lang)
    codes = _Codes(book.create_sheet(CODES_TITLE[lang]), lang)
    for sheet, rows in sheet_rows(_dumped(scenario), csv=False).items():
        worksheet = book.create_sheet(sheet.title(lang), len(book.worksheets) - 1)
        _write_sheet(worksheet, sheet, rows, lang, codes)
    codes.finish()
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


def _header_rows(sheet: Sheet, lang: Lang = "zh") -> list[list[str]]:
    """The two header rows: the Chinese headers and the field names, ``lang``'s first."""
    chinese = [column.zh for column in sheet.columns]
    english = [column.field for column in sheet.columns]
    return [chinese, english] if lang == "zh" else [english, chinese]


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


def _write_sheet(
    worksheet: Worksheet, sheet: Sheet, rows: list[list[Written]], lang: Lang, codes: _Codes
) -> None:
    for row_number, header in enumerate(_header_rows(sheet, lang), 1):
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
        validation = _validation(sheet, column, lang, codes)
        if validation is not None:
            validation.add(f"{letter}3:{letter}1048576")
            worksheet.add_data_validation(validation)


def _width(sheet: Sheet, column: Column) -> float:
    if sheet.key_value:
        return {"key": 28.0, "value": 44.0}.get(column.field, 30.0)
    wide = {Kind.SKILLS: 32.0, Kind.LIST: 24.0, Kind.HOUSEHOLD: 16.0}
    return max(wide.get(column.kind, 10.0), len(column.field) + 2.0, 2.0 * len(column.zh) + 2.0)


# The drop-downs of the columns that name places: the names of the sheet that lists them.
_PLACE_LISTS: dict[tuple[str, str], str] = {
    ("villages", "town"): "places",
    ("needs", "village"): "villages",
    ("aid_records", "village"): "villages",
}
_LIST_ROWS = 20_000  # rows of a places or villages sheet a drop-down offers


def _validation(sheet: Sheet, column: Column, lang: Lang, codes: _Codes) -> DataValidation | None:
    """The drop-down list (or number range) Excel offers for a column, if any. None stops a
    typed value: Excel only warns (a number out of range) or informs (a value not in the
    list), and the importer judges, since it reads more than the list shows (a code, its
    Chinese or English label, a place by name or id)."""
    title = f"{column.zh} {column.field}"
    bounds = _WHOLE_RANGES.get((sheet.name, column.field))
    if bounds is not None:
        low, high = bounds
        return DataValidation(
            type="whole",
            operator="between",
            formula1=str(low),
            formula2=str(high),
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=title,
            error=t("workbook.template.range", lang, low=low, high=high),
        )
    source = _PLACE_LISTS.get((sheet.name, column.field))
    if source is not None:
        formula = _names_of(source, lang)
        message = "workbook.template.place_list"
    elif column.kind is Kind.BOOL and column.choices:
        formula = '"是,否"' if lang == "zh" else '"yes,no"'
        message = "workbook.template.code_list"
    elif column.kind is Kind.TEXT and column.choices:
        formula = codes.range_of(column)
        message = "workbook.template.code_list"
    else:
        return None
    return DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="information",
        errorTitle=title,
        error=t(message, lang),
    )


def _quoted_title(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _names_of(source: str, lang: Lang) -> str:
    """The names column of the places or villages sheet, as far as it is filled."""
    sheet = next(s for s in SHEETS if s.name == source)
    letter = get_column_letter(next(i for i, c in enumerate(sheet.columns, 1) if c.field == "name"))
    names = f"{_quoted_title(sheet.title(lang))}!${letter}$3"
    filled = f"COUNTA({_quoted_title(sheet.title(lang))}!${letter}$3:${letter}${_LIST_ROWS})"
    return f"OFFSET({names},0,0,MAX(1,{filled}),1)"


class _Codes:
    """The ``代码表`` sheet: one column per list of codes that a drop-down shows, each code
    with its Chinese label (``养老服务 elderly_care``); the sheet is protected (no password)
    so that a drop-down cannot be broken by accident."""

    def __init__(self, worksheet: Worksheet, lang: Lang) -> None:
        self.worksheet = worksheet
        self.lang = lang
        self.columns: dict[tuple[str, ...], str] = {}  # the codes -> their column's letter

    def range_of(self, column: Column) -> str:
        """The cells that hold ``column``'s choices, written on first use."""
        letter = self.columns.get(column.choices)
        if letter is None:
            letter = get_column_letter(len(self.columns) + 1)
            self.columns[column.choices] = letter
            head = self.worksheet[f"{letter}1"]
            head.value = _codes_title(column, self.lang)
            head.font = Font(bold=True)
            head.fill = _HEADER_FILL
            for row, code in enumerate(column.choices, 2):
                self.worksheet[f"{letter}{row}"] = column.choice_text(code, self.lang)
            self.worksheet.column_dimensions[letter].width = 34.0
        last = len(column.choices) + 1
        return f"{_quoted_title(self.worksheet.title)}!${letter}$2:${letter}${last}"

    def finish(self) -> None:
        self.worksheet.protection.sheet = True


def _codes_title(column: Column, lang: Lang) -> str:
    """The heading of a list of codes: what they are, in both languages."""
    for key, table in CODE_TABLES:
        if set(table) == set(column.choices):
            return f"{t(key, lang)} / {t(key, 'en' if lang == 'zh' else 'zh')}"
    return f"{column.zh} {column.field}"


def _write_readme(worksheet: Worksheet, lang: Lang) -> None:
    for row_number, row in enumerate(readme_rows(lang), 1):
        for column_number, text in enumerate(row, 1):
            _put(worksheet, row_number, column_number, text or None)
        if row and row[0].startswith("#"):
            first = worksheet.cell(row=row_number, column=1)
            first.value = row[0].lstrip("# ")
            first.font = Font(bold=True, size=12)
    for letter, width in zip("ABCD", (24.0, 70.0, 24.0, 70.0), strict=True):
        worksheet.column_dimensions[letter].width = width
