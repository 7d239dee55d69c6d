"""Reading the sheets of a scenario, whichever file they came from.

Each sheet is read row by row, every cell as text first and then by its column's kind
(:mod:`matcher.workbook.cells`), collecting every problem rather than stopping at the first. While
reading, each value's cell is remembered under its place in the scenario (``("needs", 5,
"level")``), so the problems that :func:`matcher.intake.loading.parse_scenario` finds afterwards
(ranges, enums, references, duplicate ids, pinned providers) are reported at the cell the planner
typed, ``needs!G8``, not at a JSON path. A problem that the reader reported for a cell is not
repeated by the schema check of the same cell.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from matcher.intake.issues import Issue, ScenarioInvalid, Severity
from matcher.intake.loading import parse_scenario
from matcher.workbook.cells import CellError, cell_text, read_cell
from matcher.workbook.columns import (
    IGNORED_SHEETS,
    SHEETS,
    Column,
    Sheet,
    header_names,
    key_for,
    normalized,
    sheet_for_title,
)
from matcher.workbook.results import (
    JSON_PATH,
    WORKBOOK,
    ImportResult,
    Key,
    Location,
    path_tokens,
    problem_order,
)

Rows = Iterator[tuple[int, Sequence[object]]]
# Items from another source (a GeoJSON file's places and villages), by list name.
Extra = Mapping[str, Sequence[Mapping[str, Any]]]
# A lon/lat converter to WGS-84 (for sheets whose coordinates come from a Chinese map service).
Convert = Callable[[float, float], tuple[float, float]]


@dataclass(frozen=True)
class _Layout:
    """The columns of a sheet: which index holds which field (and its header as written),
    which indices have any header, and the row number of the last header row."""

    columns: dict[int, tuple[Column, str]]
    named: frozenset[int]
    header_row: int


@dataclass(frozen=True)
class Table:
    """One sheet as found in the file: its title and its rows, numbered from 1."""

    title: str
    rows: Iterable[tuple[int, Sequence[object]]]


class SheetReader:
    """One import: the raw scenario, where each value came from, and the problems found."""

    def __init__(
        self, *, csv: bool = False, extra: Extra | None = None, convert: Convert | None = None
    ) -> None:
        self.csv = csv
        self.extra = dict(extra or {})
        self.convert = convert
        self.raw: dict[str, Any] = {"schema_version": 1}  # the template's form is version 1
        self.cells: dict[Key, Location] = {}
        self.found: list[tuple[Location, Issue]] = []
        self.reported: set[tuple[str, int | None, str | None]] = set()
        self.missing_fields: set[tuple[str, str]] = set()
        self.titles: dict[str, str] = {}  # sheet name -> title in the file
        self.settings: dict[Key, Location] = {}  # where each setting was given

    # -- problems

    def report(
        self, where: Location, message: str, item: str | None = None, severity: Severity = "error"
    ) -> None:
        self.found.append((where, Issue(str(where), _with_header(message, where), item, severity)))
        if severity == "error":
            self.reported.add(where.key)

    # -- sheets

    def read(self, tables: Iterable[Table]) -> None:
        """Read every sheet into the raw scenario, noting where each value came from."""
        for table in tables:
            sheet = sheet_for_title(Path(table.title).stem)
            if sheet is None:
                if normalized(Path(table.title).stem) not in IGNORED_SHEETS:
                    names = ", ".join(s.name for s in SHEETS)
                    self.report(
                        Location(table.title),
                        f'sheet "{table.title}" is not part of a scenario and is ignored; '
                        f"the sheets are {names}",
                        severity="warning",
                    )
                continue
            if sheet.name in self.titles:
                self.report(
                    Location(table.title),
                    f'"{table.title}" and "{self.titles[sheet.name]}" are both the sheet '
                    f"{sheet.name}; keep one",
                )
                continue
            self.titles[sheet.name] = table.title
            self._read_sheet(sheet, table)
        self._check_missing_sheets()

    def _check_missing_sheets(self) -> None:
        for sheet in SHEETS:
            if sheet.name in self.titles or sheet.name in self.extra or not sheet.required:
                continue
            if sheet.name == "scenario" and "horizon" in self.raw:
                continue  # its settings were given in the policy sheet
            self.report(
                Location(self.title(sheet.name)),
                f"the sheet {sheet.name} ({sheet.zh}) is missing; a scenario needs it "
                "(the template has every sheet)",
            )

    def _read_sheet(self, sheet: Sheet, table: Table) -> None:
        rows = iter(table.rows)
        header = _first_filled(rows)
        if header is None:
            if not sheet.key_value:
                self.raw[sheet.name] = []
                self._warn_empty_roads(sheet, table)
            return
        layout, data = self._layout(sheet, table, header, rows)
        if layout is None:
            return
        if sheet.key_value:
            self._read_settings(sheet, table.title, layout.columns, data)
        else:
            self._read_items(sheet, table, layout, data)

    def _layout(
        self, sheet: Sheet, table: Table, header: tuple[int, Sequence[object]], rows: Rows
    ) -> tuple[_Layout | None, Rows]:
        """Which column holds which field, from one or two header rows (Chinese, English), and
        the rows after the headers."""
        names = {name: column for column in sheet.columns for name in header_names(sheet, column)}
        number, cells = header
        second = next(rows, None)
        if second is not None and _all_headers(second[1], names):
            pairs = [(number, cells), second]
        else:
            pairs = [(number, cells)]
            rows = _chain(second, rows)
        columns: dict[int, tuple[Column, str]] = {}
        unknown: dict[int, str] = {}
        for row_number, row in pairs:
            for index, value in enumerate(row):
                text = cell_text(value)
                if text is None or index in columns:
                    continue
                column = names.get(normalized(text.text))
                if column is None:
                    unknown.setdefault(index, text.text)
                    continue
                unknown.pop(index, None)
                first = next((i for i, (c, _) in columns.items() if c is column), None)
                where = Location(table.title, row_number, get_column_letter(index + 1), text.text)
                if first is not None:
                    self.report(
                        where,
                        f'column "{text.text}" repeats the column {column.field} '
                        f"(column {get_column_letter(first + 1)}); remove one",
                    )
                    continue
                columns[index] = (column, text.text)
        for index, written in unknown.items():
            close = difflib.get_close_matches(normalized(written), list(names), n=1, cutoff=0.7)
            hint = f'; did you mean "{names[close[0]].field}"?' if close else ""
            where = Location(table.title, number, get_column_letter(index + 1), written)
            message = f'unknown column "{written}" is ignored{hint}'
            self.report(where, message, severity="warning")
        present = {column.field for column, _ in columns.values()}
        if not present:
            self.report(
                Location(table.title, number),
                f"row {number} names no column of the sheet {sheet.name}: the first row must "
                f"hold the headers ({', '.join(c.zh for c in sheet.columns[:3])}, ... or "
                f"{', '.join(c.field for c in sheet.columns[:3])}, ...)",
            )
            return None, rows
        for column in sheet.columns:
            if sheet.name in self.extra:
                break  # the other source may give the field; each row missing it is reported
            if column.required and column.field not in present:
                self.missing_fields.add((sheet.name, column.field))
                self.report(
                    Location(table.title, number),
                    f"the column {column.field} ({column.zh}) is missing from the sheet "
                    f"{sheet.name}; it is required",
                )
        named = {i for _, row in pairs for i, v in enumerate(row) if cell_text(v) is not None}
        return _Layout(columns, frozenset(named), pairs[-1][0]), rows

    def _read_items(self, sheet: Sheet, table: Table, layout: _Layout, rows: Rows) -> None:
        columns = layout.columns
        items: list[dict[str, Any]] = []
        headerless: set[int] = set()
        for number, row in rows:
            headerless.update(
                i for i, v in enumerate(row) if i not in layout.named and cell_text(v) is not None
            )
            if all(cell_text(_cell(row, position)) is None for position in columns):
                continue  # a blank row, or one with remarks in unknown columns only
            index = len(items)
            item: dict[str, Any] = {}
            errors: list[tuple[Location, str]] = []
            self.cells[(sheet.name, index)] = Location(table.title, number)
            for position, (column, header) in columns.items():
                where = Location(table.title, number, get_column_letter(position + 1), header)
                self.cells[(sheet.name, index, column.field)] = where
                if column.field == "id":
                    self.cells[(sheet.name, index)] = where
                value = read_cell(column, row[position] if position < len(row) else None)
                if isinstance(value, CellError):
                    errors.append((where, value.message))
                    item[column.field] = value.text
                elif value is not None:
                    item[column.field] = value
            identity = item.get("id")
            for where, message in errors:
                self.report(where, message, identity if isinstance(identity, str) else None)
            items.append(item)
        self.raw[sheet.name] = items
        for index in sorted(headerless):
            where = Location(table.title, layout.header_row, get_column_letter(index + 1))
            message = "this column has values but no header; it is ignored"
            self.report(where, message, severity="warning")
        if not items:
            self._warn_empty_roads(sheet, table)

    def _warn_empty_roads(self, sheet: Sheet, table: Table) -> None:
        if sheet.name == "roads":
            self.report(
                Location(table.title),
                "the roads sheet has no rows, so no village can be reached; delete the sheet "
                "to use straight-line distances instead",
                severity="warning",
            )

    def _read_settings(
        self,
        sheet: Sheet,
        title: str,
        columns: dict[int, tuple[Column, str]],
        rows: Rows,
    ) -> None:
        at = {column.field: position for position, (column, _) in columns.items()}
        if "key" not in at or "value" not in at:
            return  # reported as a missing column
        if sheet.name == "policy":
            self.raw.setdefault("policy", {})
        for number, row in rows:
            key_cell = _cell(row, at.get("key"))
            value_cell = _cell(row, at.get("value"))
            key_text = cell_text(key_cell)
            if key_text is None:
                if cell_text(value_cell) is not None:
                    where = Location(title, number, get_column_letter(at["key"] + 1))
                    self.report(where, "this value has no key; name the setting in this cell")
                continue
            key = key_for(sheet, key_text.text)
            if key is None and sheet.name != "policy":
                where = Location(title, number, get_column_letter(at["key"] + 1), key_text.text)
                message = f'unknown setting "{key_text.text}" is ignored'
                self.report(where, message, severity="warning")
                continue
            target: Key = key.target if key is not None else ("policy", key_text.text)
            where = Location(title, number, get_column_letter(at["value"] + 1), key_text.text)
            first = self.settings.setdefault(target, where)
            if first is not where:
                self.report(where, f"the setting {key_text.text} is given twice (also at {first})")
                continue
            self.cells[target] = where
            if key is None:  # an unknown policy key: the schema says which keys exist
                text = cell_text(value_cell)
                value: object = text.text if text is not None else None
            else:
                value = read_cell(key, value_cell)
            if isinstance(value, CellError):
                self.report(where, value.message)
                value = value.text
            if value is not None:
                _put(self.raw, target, value)

    # -- after reading: the schema and reference checks, located

    def finish(self) -> ImportResult:
        """Check the raw scenario with the schema and the reference checks, locate their
        problems at the cells, and give the result with every problem in the file's order."""
        try:
            loaded = parse_scenario(self.raw)
            checked, scenario = loaded.warnings, loaded.scenario
        except ScenarioInvalid as invalid:
            checked, scenario = invalid.problems, None
        for problem in checked:
            tokens = path_tokens(problem.path)
            where = self._locate(tokens)
            if where.key in self.reported or self._column_missing(tokens):
                continue
            message = JSON_PATH.sub(lambda m: str(self._locate(path_tokens(m[0]))), problem.message)
            message = _with_header(message, where)
            self.found.append((where, Issue(str(where), message, problem.id, problem.severity)))
        self.found.sort(key=lambda pair: problem_order(pair[0]))
        errors = any(p.severity == "error" for _, p in self.found)
        return ImportResult(
            self.raw,
            tuple(p for _, p in self.found),
            tuple(w for w, _ in self.found),
            None if errors else scenario,
        )

    def _locate(self, tokens: Key) -> Location:
        for length in range(len(tokens), 0, -1):
            where = self.cells.get(tokens[:length])
            if where is not None:
                return where
        if not tokens:
            return WORKBOOK
        first = str(tokens[0])
        name = "scenario" if first in ("horizon", "name", "schema_version") else first
        if name in {sheet.name for sheet in SHEETS}:
            return Location(self.title(name))
        return WORKBOOK

    def title(self, name: str) -> str:
        """The title of a sheet in the file, or the title it would have."""
        return self.titles.get(name, f"{name}.csv" if self.csv else name)

    def _column_missing(self, tokens: Key) -> bool:
        return len(tokens) >= 3 and (str(tokens[0]), str(tokens[2])) in self.missing_fields


def _put(raw: dict[str, Any], target: Key, value: object) -> None:
    """Set a setting's value at its place: ``("horizon", "start")`` is raw["horizon"]["start"]."""
    node = raw
    for part in target[:-1]:
        child = node.setdefault(str(part), {})
        node = child if isinstance(child, dict) else node
    node[str(target[-1])] = value


def _with_header(message: str, where: Location) -> str:
    """The message with the column's header as the planner wrote it, unless it names it."""
    if where.column and where.header and normalized(where.header) not in normalized(message):
        return f"{message} [{where.header}]"
    return message


def _cell(row: Sequence[object], index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else None


def _first_filled(rows: Rows) -> tuple[int, Sequence[object]] | None:
    for number, row in rows:
        if any(cell_text(value) is not None for value in row):
            return number, row
    return None


def _all_headers(row: Sequence[object], names: dict[str, Column]) -> bool:
    texts = [text.text for value in row if (text := cell_text(value)) is not None]
    return bool(texts) and all(normalized(text) in names for text in texts)


def _chain(first: tuple[int, Sequence[object]] | None, rest: Rows) -> Rows:
    if first is not None:
        yield first
    yield from rest
