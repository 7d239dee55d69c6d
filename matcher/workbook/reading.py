"""Importing a scenario from a workbook (.xlsx) or a folder of CSV files.

Opening the file is done here: the workbook in openpyxl's read-only mode with cached values
(never formulas), the CSV files as UTF-8 or GBK. The sheets themselves are read by
:class:`matcher.workbook.sheets.SheetReader`, the same way for both: every cell as text first,
every problem located at its sheet, row and column.

Every import is bounded by :class:`~matcher.workbook.limits.UploadLimits`: the zip is checked
before openpyxl opens it and counted as it inflates, the rows, cells and characters read are
counted, and an upload past a limit is refused with one located problem.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from matcher.workbook.limits import (
    DEFAULT_LIMITS,
    Budget,
    UploadLimits,
    UploadRefused,
    csv_records,
    csv_size_problem,
    open_archive,
)
from matcher.workbook.results import WORKBOOK, ImportResult, Location
from matcher.workbook.sheets import Convert, Extra, SheetReader, Table
from matcher.workbook.words import Said, said

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def import_scenario(
    path: Path,
    *,
    extra: Extra | None = None,
    convert: Convert | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """A scenario from a workbook file or a folder of CSV files, whichever ``path`` is.

    ``extra`` holds items from another source by list name (the places and villages of a
    GeoJSON file, already in WGS-84): an item with the id of a sheet row fills the cells that
    row leaves empty, others are added, and a sheet they supply may be missing. ``convert``
    turns the sheets' own lon/lat into WGS-84 (they may come from a GCJ-02 map service).
    ``limits`` bound what the import may read (see :class:`UploadLimits`).
    """
    if path.is_dir():
        return read_csv_folder(path, extra=extra, convert=convert, limits=limits)
    if not path.exists():
        return _failed(said("workbook.file.not_found", path=str(path)))
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path, extra=extra, convert=convert, limits=limits)
    if suffix == ".xls":
        return _failed(said("workbook.file.old_xls", file=path.name))
    if suffix == ".csv":
        return _failed(said("workbook.file.lone_csv", file=path.name))
    return _failed(said("workbook.file.unknown_kind", file=path.name))


def read_workbook(
    path: Path,
    *,
    extra: Extra | None = None,
    convert: Convert | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """A scenario from an .xlsx workbook with one sheet per list (see the template); ``extra``,
    ``convert`` and ``limits`` as for :func:`import_scenario`."""
    try:
        book = _open_workbook(path, limits)
    except UploadRefused as refused:
        return _failed(refused.said)
    except OSError as error:
        return _failed(
            said("workbook.file.unreadable", path=str(path), error=str(error.strerror or error))
        )
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as error:
        return _failed(said("workbook.file.not_xlsx", file=path.name, error=str(error)))
    except Exception as error:  # a damaged file is a problem to report, never a traceback
        return _failed(said("workbook.file.damaged", file=path.name, error=type(error).__name__))
    try:
        reader = SheetReader(extra=extra, convert=convert, limits=limits)
        tables = (Table(s.title, _sheet_rows(s, reader.budget)) for s in book.worksheets)
        return _import(reader, tables)
    finally:
        book.close()


class _Sheet(ReadOnlyWorksheet):
    """A read-only sheet that is not parsed for its stated dimensions when the workbook is
    opened: they are reset and every row read anyway, and a sheet that states none would be
    parsed to its end once more, before the first row is read."""

    def _get_size(self) -> None:
        pass


class _Reader(ExcelReader):
    """openpyxl's reader (``openpyxl.load_workbook``) in read-only mode, with :class:`_Sheet`
    sheets and no chartsheets (they hold no data; their charts would be parsed)."""

    def read_worksheets(self) -> None:
        sheets: list[object] = self.wb._sheets  # type: ignore[attr-defined]
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _Sheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state or "visible"
            sheets.append(worksheet)


def _open_workbook(path: Path, limits: UploadLimits) -> Workbook:
    """The workbook in read-only mode, its zip checked first and every part counted as
    openpyxl inflates it (``openpyxl.load_workbook`` with a guarded zip)."""
    archive = open_archive(path, limits)
    try:
        reader = _Reader(path, read_only=True, data_only=True, keep_links=False)
        reader.archive.close()
        reader.archive = archive
        reader.read()
    except BaseException:
        archive.close()
        raise
    return reader.wb


def _sheet_rows(sheet: Any, budget: Budget) -> Iterator[tuple[int, Sequence[object]]]:
    """A read-only sheet's rows within the budget; a limit passed or a damaged sheet stops
    them with a problem at the sheet."""
    title = str(sheet.title)
    try:
        sheet.reset_dimensions()  # some writers state wrong dimensions; read every cell
        yield from budget.rows(title, enumerate(sheet.iter_rows(values_only=True), 1))
    except UploadRefused as refused:
        raise refused.at(Location(title)) from None
    except Exception as error:  # a damaged sheet is a problem to report, never a traceback
        raise UploadRefused(
            said(
                "workbook.file.sheet_damaged", sheet=title, error=f"{type(error).__name__}: {error}"
            ),
            Location(title),
        ) from None


def read_csv_folder(
    path: Path,
    *,
    extra: Extra | None = None,
    convert: Convert | None = None,
    limits: UploadLimits = DEFAULT_LIMITS,
) -> ImportResult:
    """A scenario from a folder of CSV files named like the sheets (``needs.csv``, ...), in
    UTF-8 with or without BOM; GBK files are read too, with a warning. ``extra``, ``convert``
    and ``limits`` as for :func:`import_scenario` (each file is bounded by
    ``limits.max_csv_mb``, all of them by ``limits.max_inflated_mb``)."""
    if not path.is_dir():
        return _failed(said("workbook.file.no_folder", path=str(path)))
    files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and p.is_file())
    if not files:
        return _failed(said("workbook.file.no_csv", path=str(path)))
    refused = csv_size_problem(files, limits)
    if refused is not None:
        return _failed(refused.said, refused.where or WORKBOOK)
    reader = SheetReader(csv=True, extra=extra, convert=convert, limits=limits)
    return _import(reader, _csv_tables(files, reader, reader.budget))


def _csv_tables(files: list[Path], reader: SheetReader, budget: Budget) -> Iterator[Table]:
    """The CSV files as tables, each decoded only when the one before has been read."""
    for file in files:
        text = _decode(file, reader)
        if text is not None:
            records = csv_records(text, file.name)
            yield Table(file.name, budget.rows(file.name, enumerate(records, 1)))


def _import(reader: SheetReader, tables: Iterator[Table]) -> ImportResult:
    try:
        reader.read(tables)
    except UploadRefused as refused:
        return reader.refused(refused)
    _convert_coordinates(reader)
    _merge_extra(reader)
    reader.resolve_places()
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
                where = reader.where((name, index, "lon")) or Location(reader.title(name))
                reader.report(where, said("workbook.file.crs", error=str(error)))


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


def _failed(message: Said, where: Location = WORKBOOK) -> ImportResult:
    return ImportResult(None, (message.issue(str(where)),), (where,))


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
        reader.report(Location(file.name), said("workbook.file.not_text"))
        return None
    reader.report(Location(file.name), said("workbook.file.gbk"), severity="warning")
    return text
