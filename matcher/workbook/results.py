"""What an import reports: each problem's :class:`Location` in the file, and the result.

A location is what a planner can act on: the sheet, the row and the column letter as Excel
shows them (``needs!G8``), which can be typed into Excel's Name Box to jump to the cell.
"""

from __future__ import annotations

import heapq
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

from matcher.i18n import t
from matcher.intake.issues import Issue, Severity, errors_of, warnings_of
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
    sheet = -1 if where == WORKBOOK else _sheet_position(where.sheet)
    column = column_index_from_string(where.column) if where.column else 0
    return (sheet, where.row or 0, column)


@lru_cache(maxsize=1024)
def _sheet_position(title: str) -> int:
    found = sheet_for_title(Path(title).stem)
    return SHEETS.index(found) if found else len(SHEETS)


MAX_MESSAGE = 1_000
"""Characters of a message; a longer one (a header of a thousand characters quoted in it) is
cut."""


class Problems:
    """The problems of one import in bounded memory: the first ``limit`` in the order of the
    file (:func:`problem_order`, then the order found) are kept, the others only counted, so a
    sheet of a million wrong rows costs no more than one of two hundred. A problem added with
    ``pinned`` (the reason an upload was refused) is always listed, first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.errors = 0  # errors added, listed or not (the pinned ones aside)
        self._pinned: list[tuple[Location, Issue]] = []
        # A max-heap of the kept problems by (order, sequence), as negated keys.
        self._kept: list[tuple[tuple[int, int, int], int, Location, Issue]] = []
        self._added = 0
        self._more: dict[Severity, int] = {"error": 0, "warning": 0}

    def admits(self, where: Location) -> bool:
        """Whether a problem at ``where`` would be kept (else :meth:`count` it): a caller
        can then skip writing the message of one that would not."""
        if len(self._kept) < self.limit:
            return True
        sheet, row, column = problem_order(where)
        return (-sheet, -row, -column) > self._kept[0][0]

    def count(self, severity: Severity) -> None:
        """Count a problem that is not kept (:meth:`admits` said no)."""
        self._more[severity] += 1
        if severity == "error":
            self.errors += 1

    def add(self, where: Location, problem: Issue, *, pinned: bool = False) -> None:
        """Keep ``problem`` at ``where`` if it is among the first, else count it."""
        if len(problem.message) > MAX_MESSAGE:
            problem = replace(problem, message=problem.message[: MAX_MESSAGE - 1] + "…")
        if problem.message_zh is not None and len(problem.message_zh) > MAX_MESSAGE:
            problem = replace(problem, message_zh=problem.message_zh[: MAX_MESSAGE - 1] + "…")
        if pinned:
            self._pinned.append((where, problem))
            return
        if problem.severity == "error":
            self.errors += 1
        sheet, row, column = problem_order(where)
        entry = ((-sheet, -row, -column), -self._added, where, problem)
        self._added += 1
        if len(self._kept) < self.limit:
            heapq.heappush(self._kept, entry)
            return
        dropped = heapq.heappushpop(self._kept, entry)
        self._more[dropped[3].severity] += 1

    def merge(self, other: Problems) -> None:
        """Add the problems of ``other``: those it kept, in their order, and its count."""
        for _, _, where, problem in sorted(other._kept, reverse=True):
            self.add(where, problem)
        for severity, count in other._more.items():
            self._more[severity] += count
        self.errors += other._more["error"]

    @property
    def unlisted(self) -> int:
        """Problems counted but not kept."""
        return sum(self._more.values())

    def listed(self, note: bool = False) -> tuple[tuple[Issue, ...], tuple[Location, ...]]:
        """The problems and their locations: the pinned ones, the first in the order of the
        file, then one counting the rest (with ``note``: saying that the sheets are checked
        as a whole once the listed ones are corrected)."""
        pairs = list(self._pinned)
        pairs += [(where, problem) for _, _, where, problem in sorted(self._kept, reverse=True)]
        if self.unlisted:
            errors, warnings = self._more["error"], self._more["warning"]
            key = "workbook.more_problems" + ("_whole" if note else "")
            message = t(key, "en", more=f"{self.unlisted:,}", errors=f"{errors:,}",
                        warnings=f"{warnings:,}", limit=f"{self.limit:,}")  # fmt: skip
            message_zh = t(key, "zh", more=f"{self.unlisted:,}", errors=f"{errors:,}",
                           warnings=f"{warnings:,}", limit=f"{self.limit:,}")  # fmt: skip
            severity: Severity = "error" if errors else "warning"
            problem = Issue(str(WORKBOOK), message, severity=severity, message_zh=message_zh)
            pairs.append((WORKBOOK, problem))
        return tuple(p for _, p in pairs), tuple(w for w, _ in pairs)
