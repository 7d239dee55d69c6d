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
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from pydantic import BaseModel, ValidationError, create_model

from matcher.intake.bounds import unsafe_values
from matcher.intake.issues import Issue, ScenarioInvalid, Severity
from matcher.intake.loading import parse_scenario, pydantic_problems
from matcher.intake.validation import validate_references
from matcher.scenario import (
    AidRecord,
    Cadre,
    Need,
    Organization,
    Place,
    Pool,
    Road,
    Scenario,
    Village,
)
from matcher.workbook.cells import CellError, cell_text, column_words, read_cell
from matcher.workbook.columns import (
    IGNORED_SHEETS,
    SHEETS,
    Column,
    Sheet,
    header_names,
    key_for,
    normalized,
    sheet_for_title,
    without_unit,
)
from matcher.workbook.limits import DEFAULT_LIMITS, Budget, UploadLimits, UploadRefused
from matcher.workbook.places import resolve_places
from matcher.workbook.results import (
    JSON_PATH,
    WORKBOOK,
    ImportResult,
    Key,
    Location,
    Problems,
    path_tokens,
)
from matcher.workbook.words import Said, Words, listed, quoted, said

Rows = Iterator[tuple[int, Sequence[object]]]
# Items from another source (a GeoJSON file's places and villages), by list name.
Extra = Mapping[str, Sequence[Mapping[str, Any]]]
# A lon/lat converter to WGS-84 (for sheets whose coordinates come from a Chinese map service).
Convert = Callable[[float, float], tuple[float, float]]

# The model of each list's items, checked by chunks of this many items before the whole.
_ITEMS: dict[str, type[BaseModel]] = {
    "places": Place,
    "villages": Village,
    "roads": Road,
    "cadres": Cadre,
    "organizations": Organization,
    "pools": Pool,
    "needs": Need,
    "aid_records": AidRecord,
}
_CHUNK = 1_000


@cache
def _chunk_model(name: str) -> type[BaseModel]:
    """A model of some items of the list ``name`` by their index in it: its errors are
    located as in the whole scenario (``needs``, 5, ``level``)."""
    fields: dict[str, Any] = {name: (dict[int, _ITEMS[name]], ...)}  # type: ignore[valid-type]
    return create_model(f"_{name.title()}Chunk", **fields)


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
    """One import: the raw scenario, where each value came from, and the problems found.

    Where each value came from is kept per row, not per cell: the row of each item and, per
    sheet, the column letter and header of each field (:meth:`where` builds the location), so
    a county of 100,000 needs does not hold a million locations. The problems are kept
    within ``limits.max_problems`` (:class:`~matcher.workbook.results.Problems`).
    """

    def __init__(
        self,
        *,
        csv: bool = False,
        extra: Extra | None = None,
        convert: Convert | None = None,
        limits: UploadLimits = DEFAULT_LIMITS,
    ) -> None:
        self.csv = csv
        self.extra = dict(extra or {})
        self.convert = convert
        self.limits = limits
        self.raw: dict[str, Any] = {"schema_version": 1}  # the template's form is version 1
        self.cells: dict[Key, Location] = {}  # settings, by their target
        self.rows: dict[str, array[int]] = {}  # list name -> the row of each item
        self.fields: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}  # list name ->
        # (title, field -> (column letter, header as written))
        self.problems = Problems(limits.max_problems)
        self.budget = Budget(limits)  # rows, cells and characters read
        self.reported: set[tuple[str, int | None, str | None]] = set()
        self.missing_fields: set[tuple[str, str]] = set()
        self.titles: dict[str, str] = {}  # sheet name -> title in the file
        self.settings: dict[Key, Location] = {}  # where each setting was given

    # -- problems

    def report(
        self,
        where: Location,
        message: Said | Callable[[], Said],
        item: str | None = None,
        severity: Severity = "error",
        *,
        pinned: bool = False,
    ) -> None:
        """Note a problem at ``where`` in the catalogue's words (or a function giving them,
        called only when the problem is listed); ``pinned`` for the reason an upload is
        refused."""
        if pinned or self.problems.admits(where):
            words = message if isinstance(message, Said) else message()
            problem = words.issue(str(where), item, severity)
            self.problems.add(where, _with_header(problem, where), pinned=pinned)
        else:
            self.problems.count(severity)  # not listed: its message is not even written
        if severity == "error" and self.problems.errors <= self.limits.max_problems:
            self.reported.add(where.key)  # past the limit, finish() checks nothing more

    def where(self, key: Key) -> Location | None:
        """Where the value at ``key`` came from: a setting's cell, an item's cell
        (``("needs", 5, "level")``) or its id cell, else its row (``("needs", 5)``)."""
        found = self.cells.get(key)
        if found is not None or len(key) not in (2, 3):
            return found
        name, index = str(key[0]), key[1]
        numbers, layout = self.rows.get(name), self.fields.get(name)
        if numbers is None or layout is None or type(index) is not int:
            return None
        if not 0 <= index < len(numbers):
            return None  # an item from another source
        title, fields = layout
        spot = fields.get(str(key[2]) if len(key) == 3 else "id")
        if spot is not None:
            return Location(title, numbers[index], *spot)
        return Location(title, numbers[index]) if len(key) == 2 else None

    # -- sheets

    def read(self, tables: Iterable[Table]) -> None:
        """Read every sheet into the raw scenario, noting where each value came from."""
        for table in tables:
            sheet = sheet_for_title(Path(table.title).stem)
            if sheet is None:
                if normalized(Path(table.title).stem) not in IGNORED_SHEETS:
                    self.report(
                        Location(table.title),
                        said(
                            "workbook.sheet.ignored",
                            sheet=quoted(table.title),
                            sheets=listed(Words(s.zh, s.name) for s in SHEETS),
                        ),
                        severity="warning",
                    )
                continue
            if sheet.name in self.titles:
                self.report(
                    Location(table.title),
                    said(
                        "workbook.sheet.twice",
                        sheet=quoted(table.title),
                        other=quoted(self.titles[sheet.name]),
                        list=sheet.both,
                    ),
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
                said("workbook.sheet.missing", sheet=sheet.both),
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
        """Which column holds which field, from one or two header rows (Chinese, English, in
        either order), and the rows after the headers. The second row is a header row when
        at least half of its cells name columns of the sheet: an English header row under
        the Chinese one, with a remark column or a header of its own among them, is not an
        item."""
        names = {name: column for column in sheet.columns for name in header_names(sheet, column)}
        number, cells = header
        second = next(rows, None)
        if second is not None and _header_like(second[1], names):
            pairs = [(number, cells), second]
        else:
            pairs = [(number, cells)]
            rows = _chain(second, rows)
        columns: dict[int, tuple[Column, str]] = {}
        unknown: dict[int, tuple[int, str]] = {}  # index -> (row, text) of headers not known
        for row_number, row in pairs:
            for index, value in enumerate(row):
                text = cell_text(value)
                if text is None or index in columns:
                    continue
                column = _named(names, text.text)
                if column is None:
                    unknown.setdefault(index, (row_number, text.text))
                    continue
                unknown.pop(index, None)
                first = next((i for i, (c, _) in columns.items() if c is column), None)
                where = Location(table.title, row_number, get_column_letter(index + 1), text.text)
                if first is not None:
                    self.report(
                        where,
                        said(
                            "workbook.column.repeated",
                            header=quoted(text.text),
                            column=column_words(column),
                            letter=get_column_letter(first + 1),
                        ),
                    )
                    continue
                columns[index] = (column, text.text)
        for index, (row_number, written) in unknown.items():
            close = difflib.get_close_matches(normalized(written), list(names), n=1, cutoff=0.7)
            where = Location(table.title, row_number, get_column_letter(index + 1), written)
            if close:
                guess = names[close[0]]
                message = said(
                    "workbook.column.unknown_near",
                    header=quoted(written),
                    near=Words(f"“{guess.zh}”", f'"{guess.field}"'),
                )
            else:
                message = said("workbook.column.unknown", header=quoted(written))
            self.report(where, message, severity="warning")
        present = {column.field for column, _ in columns.values()}
        if not present:
            first_three = sheet.columns[:3]
            self.report(
                Location(table.title, number),
                said(
                    "workbook.column.no_headers",
                    row=number,
                    sheet=sheet.both,
                    examples=Words(
                        "、".join(c.zh for c in first_three) + "……",
                        ", ".join(c.field for c in first_three) + ", ...",
                    ),
                ),
            )
            return None, rows
        for column in sheet.columns:
            if sheet.name in self.extra:
                break  # the other source may give the field; each row missing it is reported
            if column.required and column.field not in present:
                self.missing_fields.add((sheet.name, column.field))
                self.report(
                    Location(table.title, number),
                    said(
                        "workbook.column.missing",
                        column=Words(column.zh, f"{column.field} ({column.zh})"),
                        sheet=sheet.both,
                    ),
                )
        named = {i for _, row in pairs for i, v in enumerate(row) if cell_text(v) is not None}
        return _Layout(columns, frozenset(named), pairs[-1][0]), rows

    def _read_items(self, sheet: Sheet, table: Table, layout: _Layout, rows: Rows) -> None:
        columns = layout.columns
        letters = {position: get_column_letter(position + 1) for position in columns}
        self.fields[sheet.name] = (
            table.title,
            {column.field: (letters[i], header) for i, (column, header) in columns.items()},
        )
        numbers = self.rows[sheet.name] = array("q")
        items: list[dict[str, Any]] = []
        headerless: set[int] = set()
        named = layout.named
        for number, row in rows:
            headerless.update(
                i
                for i, v in enumerate(row)
                if v is not None and i not in named and cell_text(v) is not None
            )
            if all(cell_text(_cell(row, position)) is None for position in columns):
                continue  # a blank row, or one with remarks in unknown columns only
            item: dict[str, Any] = {}
            errors: list[tuple[Location, Said]] = []
            entries = 0
            for position, (column, header) in columns.items():
                value = read_cell(column, row[position] if position < len(row) else None)
                if isinstance(value, CellError):
                    where = Location(table.title, number, letters[position], header)
                    errors.append((where, value.said))
                    item[column.field] = value.text
                elif value is not None:
                    item[column.field] = value
                    if type(value) is list or type(value) is dict:
                        entries += len(value)
            if entries:
                self.budget.entries(entries, table.title, number)
            identity = item.get("id")
            for where, message in errors:
                self.report(where, message, identity if isinstance(identity, str) else None)
            numbers.append(number)
            items.append(item)
        self.raw[sheet.name] = items
        for index in sorted(headerless):
            where = Location(table.title, layout.header_row, get_column_letter(index + 1))
            self.report(where, said("workbook.column.no_header"), severity="warning")
        if not items:
            self._warn_empty_roads(sheet, table)

    def _warn_empty_roads(self, sheet: Sheet, table: Table) -> None:
        if sheet.name == "roads":
            self.report(Location(table.title), said("workbook.roads_empty"), severity="warning")

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
                    self.report(where, said("workbook.setting.no_key"))
                continue
            key = key_for(sheet, key_text.text)
            if key is None and sheet.name != "policy":
                where = Location(title, number, get_column_letter(at["key"] + 1), key_text.text)
                message = said("workbook.setting.unknown", setting=quoted(key_text.text))
                self.report(where, message, severity="warning")
                continue
            target: Key = key.target if key is not None else ("policy", key_text.text)
            where = Location(title, number, get_column_letter(at["value"] + 1), key_text.text)
            first = self.settings.setdefault(target, where)
            if first is not where:
                message = said(
                    "workbook.setting.twice", setting=quoted(key_text.text), first=str(first)
                )
                self.report(where, message)
                continue
            self.cells[target] = where
            if key is None:  # an unknown policy key: the schema says which keys exist
                text = cell_text(value_cell)
                value: object = text.text if text is not None else None
            else:
                value = read_cell(key, value_cell)
            if isinstance(value, CellError):
                self.report(where, value.said)
                value = value.text
            if type(value) is list or type(value) is dict:
                self.budget.entries(len(value), title, number)
            if value is not None:
                _put(self.raw, target, value)

    # -- after reading: names of places, then the schema and reference checks, located

    def resolve_places(self) -> None:
        """Turn the names of towns and villages in references into their ids, reporting
        ambiguous and unknown names at their cells (:mod:`matcher.workbook.places`)."""
        resolve_places(self.raw, self._report_at)

    def _report_at(self, spot: Key, message: Callable[[], Said]) -> None:
        """Report a problem of the value at ``spot`` at its cell, with its item's id, unless
        the cell has a problem already."""
        name, index = str(spot[0]), spot[1]
        where = self.where(spot) or self.where(spot[:2]) or Location(self.title(name))
        if where.key in self.reported:
            return
        items = self.raw.get(name)
        item = items[index] if isinstance(items, list) and type(index) is int else None
        identity = item.get("id") if isinstance(item, dict) else None
        self.report(where, message, identity if isinstance(identity, str) else None)

    def finish(self) -> ImportResult:
        """Check the raw scenario with the schema and the reference checks, locate their
        problems at the cells, and give the result with every problem in the file's order.

        :func:`parse_scenario` holds every problem it finds in memory (a sheet of 200,000
        wrong rows has a million), so the same checks run first part by part
        (:meth:`_checked_by_parts`), each part's problems kept within the limit; the whole
        runs only when its errors are few enough to be listed, and gives the scenario."""
        note = False
        checked: Sequence[Issue] = ()
        scenario = None
        if self._many_errors():
            # The reader's errors are more than are listed: their cells hold text where the
            # checks expect values, so they would only repeat them.
            note = True
        elif (parts := self._checked_by_parts()) is not None:
            self.problems.merge(parts)
        else:
            try:
                loaded = parse_scenario(self.raw)
                checked, scenario = loaded.warnings, loaded.scenario
            except ScenarioInvalid as invalid:
                checked, scenario = invalid.problems, None
        for problem in checked:
            self._add_checked(self.problems, problem)
        problems, locations = self.problems.listed(note)
        errors = any(p.severity == "error" for p in problems)
        return ImportResult(self.raw, problems, locations, None if errors else scenario)

    def _many_errors(self) -> bool:
        return self.problems.errors > self.limits.max_problems

    def _add_checked(self, problems: Problems, problem: Issue) -> None:
        """Add a problem of the scenario checks to ``problems`` at its cell, unless the reader
        reported that cell already (or the column is missing); its message, with the JSON
        paths in it written as cells, only when it is kept."""
        tokens = path_tokens(problem.path)
        where = self._locate(tokens)
        if where.key in self.reported or self._column_missing(tokens):
            return
        if not problems.admits(where):
            problems.count(problem.severity)
            return

        def cells(text: str) -> str:
            return JSON_PATH.sub(lambda m: str(self._locate(path_tokens(m[0]))), text)

        zh = None if problem.message_zh is None else cells(problem.message_zh)
        located = Issue(str(where), cells(problem.message), problem.id, problem.severity, zh)
        problems.add(where, _with_header(located, where))

    def _checked_by_parts(self) -> Problems | None:
        """The problems :func:`parse_scenario` finds in a scenario with errors, found part by
        part in bounded memory: the schema of the list items a chunk at a time, of the rest
        without the lists, and the reference checks on views of the scenario
        (:func:`_reference_views`). None when the whole would find no more errors than are
        listed (then it runs, and gives the scenario), counting those at cells the reader
        reported (the whole finds them too before they are left out), when the scenario
        holds unsafe values (which the whole reports alone, at most 200), or when it is so
        small that the whole cannot find many problems."""
        lists = [v for k, v in self.raw.items() if k in _ITEMS and isinstance(v, list)]
        if sum(_weight(item, fields=True) for items in lists for item in items) <= _VIEW_WEIGHT:
            return None
        found = Problems(self.limits.max_problems)
        errors = 0  # of the whole, listed or not
        for problem in self._schema_problems():
            errors += problem.severity == "error"
            self._add_checked(found, problem)
        for view, real, first in _reference_views(self.raw):
            for problem in validate_references(view):
                tokens = path_tokens(problem.path)
                if len(tokens) >= 2 and tokens[0] in view and type(tokens[1]) is int:
                    span = real.get(str(tokens[0]))
                    if span is None or not span[0] <= tokens[1] < span[1]:
                        continue  # an item that is a stub in this view
                elif not first:
                    continue  # a problem of the top level, found in the first view
                errors += problem.severity == "error"
                self._add_checked(found, problem)
        if errors <= self.limits.max_problems:
            return None
        return None if unsafe_values(self.raw) else found

    def _schema_problems(self) -> Iterator[Issue]:
        """The schema's problems: of each list's items a chunk at a time (their errors, like
        the chunk, are held in memory at once), then of the rest with the lists empty."""
        for name in _ITEMS:
            items = self.raw.get(name)
            if not isinstance(items, list):
                continue
            model = _chunk_model(name)
            for start in range(0, len(items), _CHUNK):
                chunk = {i: items[i] for i in range(start, min(start + _CHUNK, len(items)))}
                try:
                    model.model_validate({name: chunk})
                except ValidationError as error:
                    yield from pydantic_problems(error, self.raw)
        rest = {k: [] if k in _ITEMS and isinstance(v, list) else v for k, v in self.raw.items()}
        try:
            Scenario.model_validate(rest)
        except ValidationError as error:
            for problem in pydantic_problems(error, rest):
                tokens = path_tokens(problem.path)
                if not tokens or tokens[0] not in _ITEMS:
                    yield problem  # the lists' own problems are their items'

    def refused(self, refusal: UploadRefused) -> ImportResult:
        """The result of an upload refused at one of its limits: the refusal first, then the
        problems found before it, and no scenario (what was read is not all there is)."""
        self.report(refusal.where or WORKBOOK, refusal.said, pinned=True)
        problems, locations = self.problems.listed()
        return ImportResult(None, problems, locations)

    def _locate(self, tokens: Key) -> Location:
        for length in range(len(tokens), 0, -1):
            where = self.where(tokens[:length])
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
        """The title of a sheet in the file, or the title it would have: Chinese when the
        file's sheets have their Chinese titles."""
        found = self.titles.get(name)
        if found is not None:
            return found
        if self.csv:
            return f"{name}.csv"
        chinese = {normalized(s.zh) for s in SHEETS}
        if any(normalized(title) in chinese for title in self.titles.values()):
            return next(s.zh for s in SHEETS if s.name == name) if name in _NAMES else name
        return name

    def _column_missing(self, tokens: Key) -> bool:
        return len(tokens) >= 3 and (str(tokens[0]), str(tokens[2])) in self.missing_fields


_NAMES = frozenset(sheet.name for sheet in SHEETS)
_VIEW_WEIGHT = 150_000
"""Problems the reference checks may find in one view of a scenario at most: an item may
have three (its id repeated, its references), and one more for each entry of its lists."""


def _weight(item: object, fields: bool = False) -> int:
    """The most problems the reference checks (and with ``fields`` the schema, one a field)
    can find in an item."""
    if not isinstance(item, dict):
        return 1
    entries = sum(len(v) for v in item.values() if type(v) is list or type(v) is dict)
    return 3 + entries + (len(item) + entries if fields else 0)


def _stub(item: object) -> object:
    if not isinstance(item, dict) or item.keys() <= {"id"}:
        return item  # an item of its id alone is its own stub
    return {"id": item["id"]} if "id" in item else {}


def _reference_views(
    raw: dict[str, Any],
) -> Iterator[tuple[dict[str, Any], dict[str, tuple[int, int]], bool]]:
    """Views of ``raw`` for the reference checks, with the items of some spans of the lists
    as they are and every other item a stub holding its id alone: each check reads an item
    and the ids of the others (references, repeated ids), so a view gives the problems of its
    real items and no others, at most :data:`_VIEW_WEIGHT` of them. Each view comes with its
    spans (list name -> start, stop) and whether it is the first (the top level's problems
    are found in every view). ``raw`` itself when it is small."""
    lists = {name: raw[name] for name in _ITEMS if isinstance(raw.get(name), list)}
    if sum(_weight(item) for items in lists.values() for item in items) <= _VIEW_WEIGHT:
        yield raw, {name: (0, len(items)) for name, items in lists.items()}, True
        return
    stubs = {name: [_stub(item) for item in items] for name, items in lists.items()}

    def view(spans: dict[str, tuple[int, int]]) -> dict[str, Any]:
        seen = dict(raw) | stubs
        for name, (start, stop) in spans.items():
            seen[name] = stubs[name][:start] + lists[name][start:stop] + stubs[name][stop:]
        return seen

    spans: dict[str, tuple[int, int]] = {}
    weight = 0
    first = True
    for name, items in lists.items():
        start = 0
        for index, item in enumerate(items):
            weight += _weight(item)
            if weight >= _VIEW_WEIGHT:
                spans[name] = (start, index + 1)
                yield view(spans), spans, first
                spans, weight, first, start = {}, 0, False, index + 1
        if start < len(items):
            spans[name] = (start, len(items))
    if spans or first:
        yield view(spans), spans, first


def _put(raw: dict[str, Any], target: Key, value: object) -> None:
    """Set a setting's value at its place: ``("horizon", "start")`` is raw["horizon"]["start"]."""
    node = raw
    for part in target[:-1]:
        child = node.setdefault(str(part), {})
        node = child if isinstance(child, dict) else node
    node[str(target[-1])] = value


def _with_header(problem: Issue, where: Location) -> Issue:
    """The problem with the column's header as the planner wrote it, in each language whose
    message does not name it already: ``… [等级]``, ``……【等级】``."""
    if not (where.column and where.header):
        return problem
    header = normalized(where.header)
    message, zh = problem.message, problem.message_zh
    if header not in normalized(message):
        message = f"{message} [{where.header}]"
    if zh is not None and header not in normalized(zh):
        zh = f"{zh}【{where.header}】"
    return replace(problem, message=message, message_zh=zh)


def _cell(row: Sequence[object], index: int | None) -> object:
    return row[index] if index is not None and index < len(row) else None


def _first_filled(rows: Rows) -> tuple[int, Sequence[object]] | None:
    for number, row in rows:
        if any(cell_text(value) is not None for value in row):
            return number, row
    return None


def _named(names: dict[str, Column], text: str) -> Column | None:
    """The column a header cell names: as written, or without its unit ("hours (h)")."""
    return names.get(normalized(text)) or names.get(normalized(without_unit(text)))


def _header_like(row: Sequence[object], names: dict[str, Column]) -> bool:
    """Whether a row is a header row: at least half of its filled cells name columns (a
    data row names none: its cells are ids, numbers and codes)."""
    texts = [text.text for value in row if (text := cell_text(value)) is not None]
    known = sum(1 for text in texts if _named(names, text) is not None)
    return known > 0 and 2 * known >= len(texts)


def _chain(first: tuple[int, Sequence[object]] | None, rest: Rows) -> Rows:
    if first is not None:
        yield first
    yield from rest
