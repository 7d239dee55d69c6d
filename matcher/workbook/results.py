"""What an import reports: each problem's :class:`Location` in the file, and the result.

A location is what a planner can act on: the sheet, the row and the column letter as Excel
shows them (``needs!G8``), which can be typed into Excel's Name Box to jump to the cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from matcher.intake.issues import Issue, errors_of, warnings_of
from matcher.scenario import Scenario
from matcher.workbook.columns import SHEETS, sheet_for_title

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Location:
    """Where a value sits in the planner's file: sheet, row and column as Excel shows them."""

    sheet: str  # the tab's title, or the CSV file's name ("needs.csv"); "workbook" for the file
    row: int | None = None  # 1-based, as Excel numbers rows
    column: str | None = None  # the column letter
    header: str | None = None  # the column's header as written (the key, in key/value sheets)

    def __str__(self) -> str:
        """``needs!G8`` for a cell, ``needs!8:8`` for a row, ``needs`` for a sheet: each can be
        typed into Excel's Name Box to jump there."""
        if self.row is None:
            return self.sheet
        if self.column is None:
            return f"{self.sheet}!{self.row}:{self.row}"
        return f"{self.sheet}!{self.column}{self.row}"

    @property
    def key(self) -> tuple[str, int | None, str | None]:
        """The spot without its header, to tell whether two problems are at one cell."""
        return (self.sheet, self.row, self.column)


WORKBOOK = Location("workbook")


@dataclass(frozen=True)
class ImportResult:
    """What an import found: the raw scenario (also when it has errors, for inspection), every
    problem located at its cell (``Issue.path`` is the :class:`Location`, e.g. ``needs!G8``),
    and the validated scenario when there is no error."""

    raw: dict[str, Any] | None
    problems: tuple[Issue, ...]
    locations: tuple[Location, ...] = ()  # one per problem, in the same order
    scenario: Scenario | None = None

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The problems that stop the import: nothing may be written."""
        return errors_of(self.problems)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The problems that do not stop it."""
        return warnings_of(self.problems)

    @property
    def ok(self) -> bool:
        """Whether the import gave a valid scenario."""
        return self.scenario is not None and not self.errors


JSON_PATH = re.compile(r'\$(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])+')
_TOKEN = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def path_tokens(path: str) -> Key:
    """``$.cadres[2].skills.medical`` as ``("cadres", 2, "skills", "medical")``."""
    tokens: list[str | int] = []
    for name, index, quoted in _TOKEN.findall(path):
        tokens.append(int(index) if index else (name or quoted.replace('\\"', '"')))
    return tuple(tokens)


def problem_order(where: Location) -> tuple[int, int, int]:
    """Problems in the order of the file: sheet by sheet, row by row, column by column."""
    found = sheet_for_title(Path(where.sheet).stem)
    sheet = -1 if where == WORKBOOK else SHEETS.index(found) if found else len(SHEETS)
    column = column_index_from_string(where.column) if where.column else 0
    return (sheet, where.row or 0, column)
