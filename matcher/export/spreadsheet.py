"""Writing a plan's tables as an Excel workbook or as CSV files, atomically.

The workbook is what a county office opens: one sheet per table of
:func:`~matcher.export.plan_tables.plan_tables`, a bold frozen Chinese header row above the
English field names, numbers stored as numbers (with yuan, share and hour formats), widths that
fit the text, and an autofilter on every table. The CSV files are the same tables for scripts
and for Excel alike: UTF-8 with a byte-order mark, which Excel needs to read Chinese as UTF-8
rather than the system's GBK code page.

Every file is written beside its target under a temporary name and then renamed over it, so a
crash or a full disk never leaves half a workbook where the last good one was.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as Cell_
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.dimensions import ColumnDimension, DimensionHolder
from openpyxl.worksheet.filters import AutoFilter

from matcher.export.plan_tables import SHARE, Cell, Table, plan_tables, share_rows
from matcher.export.roster_tables import roster_tables
from matcher.export.schedule_tables import schedule_tables
from matcher.files import atomic_path
from matcher.i18n import Lang
from matcher.plan import Plan
from matcher.problem.index import ScenarioIndex

_BOLD = Font(bold=True)
_NOTE = Font(italic=True, color="666666")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_FIELD_FILL = PatternFill("solid", fgColor="F2F2F2")
# Column widths in Excel's character units: measured on the first rows only (a 20,000-row sheet
# need not be scanned to size its columns), capped so that a long detail text stays readable.
_WIDTH_SAMPLE_ROWS = 500
_MIN_WIDTH, _MAX_WIDTH = 6, 60
_KEY_VALUE_SHEETS = ("summary", "kpis")


def _clean(value: Cell) -> Cell:
    """A value Excel can store: no control characters (openpyxl refuses them), no NaN."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _display_width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, float):
        text = f"{value:,.2f}"
    elif isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
    else:
        text = str(value)
    # Chinese characters take two columns of Excel's width unit.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _widths(table: Table) -> list[int]:
    widths = []
    for j in range(len(table.columns)):
        sample: list[Cell] = [table.header_zh[j], table.header_en[j]]
        sample += [row[j] for row in table.rows[:_WIDTH_SAMPLE_ROWS]]
        widest = max(_display_width(v) for v in sample)
        widths.append(min(_MAX_WIDTH, max(_MIN_WIDTH, widest + 2)))
    return widths


def _cell(ws: WriteOnlyWorksheet, value: Cell, number_format: str | None = None) -> Cell_ | Cell:
    """A value as written: a styled cell only where needed (cells cost time on big sheets)."""
    value = _clean(value)
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value)
        # openpyxl stores a string starting with "=" as a formula; ids and details are text.
        cell.data_type = "s"
        return cell
    if number_format is not None and isinstance(value, int | float):
        cell = WriteOnlyCell(ws, value)
        cell.number_format = number_format
        return cell
    return value


def _header(ws: WriteOnlyWorksheet, labels: Sequence[str], fill: PatternFill) -> list[Cell_]:
    cells = []
    for label in labels:
        cell = WriteOnlyCell(ws, _clean(label))
        cell.font, cell.fill = _BOLD, fill
        cells.append(cell)
    return cells


def _write_sheet(ws: WriteOnlyWorksheet, name: str, table: Table) -> None:
    # Sheet-wide settings must come before the first row in write-only mode. openpyxl gives a
    # write-only sheet these two attributes at run time; its type stubs do not declare them.
    dimensions: DimensionHolder[str, ColumnDimension] = ws.column_dimensions  # type: ignore[attr-defined]
    auto_filter: AutoFilter = ws.auto_filter  # type: ignore[attr-defined]
    for j, width in enumerate(_widths(table), start=1):
        dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "A3"
    auto_filter.ref = f"A2:{get_column_letter(len(table.columns))}{2 + len(table.rows)}"
    ws.append(_header(ws, table.header_zh, _HEADER_FILL))
    ws.append(_header(ws, table.header_en, _FIELD_FILL))
    shares = share_rows(table) if name in _KEY_VALUE_SHEETS else set()
    formats = [c.number_format for c in table.columns]
    for i, row in enumerate(table.rows):
        row_formats = formats if i not in shares else [*formats[:-1], SHARE]
        ws.append([_cell(ws, v, f) for v, f in zip(row, row_formats, strict=True)])
    if table.note:
        note = WriteOnlyCell(ws, _clean(table.note))
        note.data_type = "s"
        note.font = _NOTE
        if table.rows:
            ws.append([])  # a blank row keeps the note out of the table Excel sorts and filters
        ws.append([note])


def _all_tables(
    plan: Plan, index: ScenarioIndex | None, lang: Lang
) -> list[tuple[str, str, Table]]:
    """Every table as (CSV file name, sheet name, table): the plan's tables under their
    English names, then the rosters (:mod:`matcher.export.roster_tables`) under their Chinese
    ones when the plan names its parties or the scenario is given."""
    found = [(name, name, table) for name, table in plan_tables(plan).items()]
    found += [(key, table.title, table) for key, table in roster_tables(plan, index, lang).items()]
    # DESIGN §9: a plan with a schedule adds 日程 and 个人日程 (schedule_tables).
    found += [
        (key, table.title, table) for key, table in schedule_tables(plan, index, lang).items()
    ]
    return found


def write_plan_xlsx(
    plan: Plan, path: Path, index: ScenarioIndex | None = None, lang: Lang = "zh"
) -> None:
    """Write the plan's tables as one Excel workbook (one sheet per table), atomically.

    Row 1 holds the Chinese headers and row 2 the English field names, both bold and frozen;
    data start at row 3. A table's note (why it is empty, how to read it) follows the data,
    after a blank row, or stands in row 3 of an empty table. The roster sheets (包村名单,
    联户服务清单, 个人任务单) follow when the plan names its parties or ``index`` (the plan's
    scenario) is given; ``lang`` is the language of their labels (categories, departments).
    A plan with a schedule (DESIGN §9) adds 日程 (one row per stop) and 个人日程 (each
    provider's days in order).
    """
    workbook = Workbook(write_only=True)
    workbook.properties.title = plan.scenario.name or "plan"
    workbook.properties.creator = "Baolian Matcher"
    for name, sheet, table in _all_tables(plan, index, lang):
        ws = workbook.create_sheet(title=sheet)
        assert isinstance(ws, WriteOnlyWorksheet)
        _write_sheet(ws, name, table)
    with atomic_path(path) as tmp:
        workbook.save(tmp)


def _csv_text(value: Cell) -> str:
    return "" if value is None else str(value)


def write_plan_csv(
    plan: Plan, folder: Path, index: ScenarioIndex | None = None, lang: Lang = "zh"
) -> list[Path]:
    """Write one CSV per table into ``folder`` (created if missing), each atomically; returns
    the files written, in sheet order.

    UTF-8 with a byte-order mark so that Excel shows Chinese; both header rows first, as in the
    workbook. Empty cells are empty strings; notes of empty tables stay out of the files, which
    hold nothing but the table. The rosters, as in :func:`write_plan_xlsx`, are
    ``pairing_roster.csv``, ``service_list.csv`` and ``provider_tasks.csv``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, _, table in _all_tables(plan, index, lang):
        target = folder / f"{name}.csv"
        with atomic_path(target) as tmp, open(tmp, "x", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(table.header_zh)
            writer.writerow(table.header_en)
            writer.writerows([_csv_text(v) for v in row] for row in table.rows)
        written.append(target)
    return written
