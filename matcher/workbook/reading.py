"""Importing a scenario from a workbook (.xlsx) or a folder of CSV files.

Opening the file is done here: the workbook in openpyxl's read-only mode with cached values
(never formulas), the CSV files as UTF-8 or GBK. The sheets themselves are read by
:class:`matcher.workbook.sheets.SheetReader`, the same way for both: every cell as text first,
every problem located at its sheet, row and column.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from matcher.intake.issues import Issue
from matcher.workbook.results import WORKBOOK, ImportResult, Location
from matcher.workbook.sheets import Convert, Extra, SheetReader, Table

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def import_scenario(
    path: Path, *, extra: Extra | None = None, convert: Convert | None = None
) -> ImportResult:
    """A scenario from a workbook file or a folder of CSV files, whichever ``path`` is.

    ``extra`` holds items from another source by list name (the places and villages of a
    GeoJSON file, already in WGS-84): an item with the id of a sheet row fills the cells that
    row leaves empty, others are added, and a sheet they supply may be missing. ``convert``
    turns the sheets' own lon/lat into WGS-84 (they may come from a GCJ-02 map service).
    """
    if path.is_dir():
        return read_csv_folder(path, extra=extra, convert=convert)
    if not path.exists():
        return _failed(f"file not found: {path}")
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path, extra=extra, convert=convert)
    if suffix == ".xls":
        return _failed(f"{path.name} is an old .xls workbook; save it as .xlsx (Excel 2007+)")
    if suffix == ".csv":
        return _failed(f"give the folder that holds {path.name} and the other CSV files")
    return _failed(f"{path.name} is neither an .xlsx workbook nor a folder of CSV files")


def read_workbook(
    path: Path, *, extra: Extra | None = None, convert: Convert | None = None
) -> ImportResult:
    """A scenario from an .xlsx workbook with one sheet per list (see the template); ``extra``
    and ``convert`` as for :func:`import_scenario`."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as error:
        return _failed(f"cannot read {path}: {error.strerror or error}")
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        return _failed(f"{path.name} cannot be read as an .xlsx workbook ({error})")
    except Exception as error:  # a damaged file is a problem to report, never a traceback
        return _failed(f"{path.name} is damaged and cannot be read ({type(error).__name__})")
    try:
        tables = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some writers state wrong dimensions; read every cell
            tables.append(Table(sheet.title, enumerate(sheet.iter_rows(values_only=True), 1)))
        return _import(SheetReader(extra=extra, convert=convert), tables)
    finally:
        book.close()


def read_csv_folder(
    path: Path, *, extra: Extra | None = None, convert: Convert | None = None
) -> ImportResult:
    """A scenario from a folder of CSV files named like the sheets (``needs.csv``, ...), in
    UTF-8 with or without BOM; GBK files are read too, with a warning. ``extra`` and
    ``convert`` as for :func:`import_scenario`."""
    if not path.is_dir():
        return _failed(f"folder not found: {path}")
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        return _failed(f"{path} holds no CSV files (places.csv, villages.csv, needs.csv, ...)")
    reader = SheetReader(csv=True, extra=extra, convert=convert)
    tables = []
    for file in files:
        text = _decode(file, reader)
        if text is not None:
            rows = csv.reader(io.StringIO(text, newline=""))
            tables.append(Table(file.name, enumerate(rows, 1)))
    return _import(reader, tables)


def _import(reader: SheetReader, tables: list[Table]) -> ImportResult:
    reader.read(tables)
    _convert_coordinates(reader)
    _merge_extra(reader)
    return reader.finish()


def _convert_coordinates(reader: SheetReader) -> None:
    """The sheets' own lon/lat to WGS-84, when they are in another system."""
    if reader.convert is None:
        return
    for name in ("places", "villages"):
        for index, item in enumerate(reader.raw.get(name, ())):
            lon, lat = item.get("lon"), item.get("lat")
            if not (isinstance(lon, float) and isinstance(lat, float)):
                continue  # a missing or unreadable coordinate is reported as it is
            try:
                item["lon"], item["lat"] = reader.convert(lon, lat)
            except ValueError as error:
                where = reader.cells.get((name, index, "lon"), Location(reader.title(name)))
                reader.report(where, f"lon/lat cannot be converted to WGS-84: {error}")


def _merge_extra(reader: SheetReader) -> None:
    """Items from another source join the sheets' lists: an item with the id of a row
    fills the fields that row leaves empty (the sheet's cells win), others are added."""
    for name, extra_items in reader.extra.items():
        items = reader.raw.setdefault(name, [])
        rows = {item.get("id"): item for item in items if isinstance(item.get("id"), str)}
        for extra_item in extra_items:
            row = rows.get(extra_item.get("id"))
            if row is None:
                items.append(dict(extra_item))
            else:
                for field, value in extra_item.items():
                    row.setdefault(field, value)


def _failed(message: str) -> ImportResult:
    return ImportResult(None, (Issue(str(WORKBOOK), message),), (WORKBOOK,))


def _decode(file: Path, reader: SheetReader) -> str | None:
    """A CSV file's text: UTF-8 (with or without BOM), else GBK with a warning."""
    data = file.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        reader.report(Location(file.name), "this file is neither UTF-8 nor GBK text")
        return None
    reader.report(
        Location(file.name),
        'this file is not UTF-8; it was read as GBK. Save it as "CSV UTF-8" to be sure '
        "that every character is kept",
        severity="warning",
    )
    return text
