"""The sweep's one tidy CSV: one row per run, appended and flushed as each run finishes.

How the columns stay right while rows arrive in any order: the header is the union of the
columns seen so far, in :func:`~matcher.sweep.rows.column_order`. A row whose columns the
header already holds is appended (and synced) at once; a row that brings new columns (the first
full row after error rows, a scenario with other pools) makes the whole file be rewritten
atomically under the wider header. Every row is on disk as soon as its run ends, so a sweep
that is killed resumes from what it wrote; a half-written last line is dropped on reading.
One sweep at a time may write a file.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from matcher.files import write_text_atomic
from matcher.sweep.rows import ERROR, column_order

Key = tuple[str, str]


def cell(value: Any) -> str:
    """A value as CSV text: floats round-trip exactly, None is empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value)


class SweepTable:
    """The rows of a sweep's CSV file, kept in memory and on disk (created empty if missing;
    ``OSError`` when it cannot be written, ``ValueError`` when it is not a sweep table)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.columns: list[str] = []
        self.rows: list[dict[str, str]] = []
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8"):
            pass  # a file that cannot be written fails now, before any run
        self._read()

    def _read(self) -> None:
        text = self.path.read_text(encoding="utf-8")
        torn = bool(text) and not text.endswith("\n")
        if torn:  # a crash while appending: the last line is incomplete
            text = text[: text.rfind("\n") + 1]
        reader = csv.DictReader(io.StringIO(text, newline=""))
        self.columns = list(reader.fieldnames or [])
        if self.columns and not {"scenario", "policy"} <= set(self.columns):
            raise ValueError(f"{self.path}: not a sweep table (no scenario and policy columns)")
        self.rows = [
            {k: v or "" for k, v in row.items() if k is not None}
            for row in reader
            if row.get("scenario") and row.get("policy")
        ]
        if torn:
            self._rewrite()

    @staticmethod
    def key_of(row: Mapping[str, Any]) -> Key:
        """(scenario, policy) of a row."""
        return (str(row["scenario"]), str(row["policy"]))

    def keys(self, *, failed: bool) -> set[Key]:
        """Keys of the rows that failed (``failed=True``) or finished (``False``)."""
        return {self.key_of(r) for r in self.rows if bool(r.get(ERROR)) == failed}

    def drop(self, keys: Iterable[Key]) -> int:
        """Remove the rows of these keys (failed runs about to be retried); how many went."""
        gone = set(keys)
        kept = [r for r in self.rows if self.key_of(r) not in gone]
        dropped = len(self.rows) - len(kept)
        if dropped:
            self.rows = kept
            self._rewrite()
        return dropped

    def append(self, row: Mapping[str, Any]) -> None:
        """Add one row to the file now (rewriting it when the row brings new columns)."""
        text_row = {k: cell(v) for k, v in row.items()}
        self.rows.append(text_row)
        if self.columns and set(text_row) <= set(self.columns):
            with open(self.path, "a", encoding="utf-8", newline="") as file:
                csv.DictWriter(file, self.columns, lineterminator="\n").writerow(text_row)
                file.flush()
                os.fsync(file.fileno())
        else:
            self.columns = column_order([*self.columns, *text_row])
            self._rewrite()

    def _rewrite(self) -> None:
        buffer = io.StringIO(newline="")
        writer = csv.DictWriter(buffer, self.columns, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(self.rows)
        write_text_atomic(self.path, buffer.getvalue())
