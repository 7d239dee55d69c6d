"""The notation of one cell: how a value is written into a cell and read back from it.

Every cell is first turned into text (:func:`cell_text`) so that nothing depends on how Excel
happened to store it: a household id typed as a number keeps all its digits, and one that
Excel has already rounded (it keeps 15 significant digits) is detected, never silently
accepted. The text is then read by the column's kind (:func:`read_cell`), and every value the
writer produces (:func:`format_cell`) reads back to the same value, which makes the round trip
scenario → workbook → scenario lossless.

The notation, which the template's README sheet explains to planners:

- an empty cell leaves the field out, so its default applies: ``null`` for ``funding_cap``,
  ``household``, ``pinned_provider``, ``towns`` (the whole county), a pool's ``categories``,
  ``villages`` and ``regions`` (no restriction) ...; ``[]`` for ``paired_villages`` and
  ``vulnerable``; 1 for ``level`` and ``priority``; 0 for ``cost``;
- ``[]`` is an explicitly empty list (``towns`` = ``[]``: serves no town) or no skills;
- a text cell that is a JSON string literal (``""``, ``"  padded  "``) is that exact string;
  the writer uses it only for the empty string and for text that plain cells would change;
- lists are separated by ``;`` (also ``；``, ``、`` or ``,``), or written as a JSON list;
- skills are ``agri_tech:3; policy_service:2`` (a full-width ``：`` is fine);
- yes/no cells take 是/否, yes/no, true/false, y/n or 1/0; dates are ISO ``2026-12-01``.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass

from matcher.scenario import check_pseudonymous
from matcher.workbook.columns import NO, YES, Column, Kind

EMPTY = "[]"
_SEPARATORS = re.compile(r"[;；、,，]")
_SEPARATOR_CHARS = frozenset(";；、,，")
_INTEGER = re.compile(r"[+-]?\d+(?:\.0*)?")
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_SCIENTIFIC = re.compile(r"[+-]?\d(?:\.\d+)?[eE]\+?\d+")
_DATE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
_TRUE = frozenset({"是", "yes", "y", "true", "t", "1", "对", "√"})
_FALSE = frozenset({"否", "no", "n", "false", "f", "0", "不", "×"})
# Excel keeps 15 significant digits; a whole number at or above this was rounded on entry.
_EXACT_LIMIT = 1e15
_EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"})


@dataclass(frozen=True)
class CellText:
    """A non-empty cell as text, and what the text cannot show about how it was stored."""

    text: str
    number: bool = False  # the cell held a number, not text
    rounded: bool = False  # a whole number of more than 15 digits: Excel changed its last digits


@dataclass(frozen=True)
class CellError:
    """A cell that cannot be read by its column's kind: the message and the text as found."""

    message: str
    text: str


def cell_text(value: object) -> CellText | None:
    """A cell's value as text (None when empty): numbers without losing a digit, dates as ISO."""
    if value is None:
        return None
    if isinstance(value, bool):
        return CellText("true" if value else "false")
    if isinstance(value, int):
        # Excel keeps 15 significant digits: a stored whole number this large was typed longer.
        return CellText(str(value), number=True, rounded=abs(value) >= _EXACT_LIMIT)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return CellText(str(int(value)), number=True, rounded=abs(value) >= _EXACT_LIMIT)
        return CellText(repr(value), number=True)
    if isinstance(value, dt.datetime):
        moment = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
        return CellText(moment)
    if isinstance(value, dt.date | dt.time):
        return CellText(value.isoformat())
    text = str(value).strip()
    return CellText(text) if text else None


def _shown(text: str, limit: int = 40) -> str:
    return json.dumps(text if len(text) <= limit else text[: limit - 1] + "…", ensure_ascii=False)


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def read_cell(column: Column, value: object) -> object | CellError | None:
    """The value of a cell for the scenario, a :class:`CellError`, or None for an empty cell
    (the field is then left out and takes its default)."""
    cell = cell_text(value)
    if cell is None or column.kind is Kind.NOTE:
        return None
    if cell.text in _EXCEL_ERRORS:
        return CellError(f"{column.field} holds the Excel error {cell.text}", cell.text)
    return _READERS[column.kind](column, cell)


def _literal(text: str) -> str | None:
    """The string a JSON string literal stands for (``""``, ``" padded "``), else None."""
    if len(text) >= 2 and text[0] == '"' and text[-1] == '"':
        try:
            decoded = json.loads(text)
        except json.JSONDecodeError:
            return None
        return decoded if isinstance(decoded, str) else None
    return None


def _alias(column: Column, text: str) -> str:
    if not column.aliases:
        return text
    key = _folded(text).casefold()
    for name, code in column.aliases:
        if key == name.casefold():
            return code
    if column.strict and column.choices:
        for code in column.choices:
            if key == code.casefold():
                return code
    return text


def _read_text(column: Column, cell: CellText) -> object:
    literal = _literal(cell.text)
    if literal is not None:
        return literal
    if cell.rounded:
        return CellError(
            f"{column.field} is a number of more than 15 digits, so Excel has already changed "
            "its last digits; format the column as Text (文本) and type the value again",
            cell.text,
        )
    if _SCIENTIFIC.fullmatch(cell.text):
        return CellError(
            f"{column.field} {_shown(cell.text)} is a number in scientific notation: its digits "
            "are lost; format the column as Text (文本) and type the value again",
            cell.text,
        )
    return _alias(column, cell.text)


def _read_household(column: Column, cell: CellText) -> object:
    text = _literal(cell.text)
    text = cell.text if text is None else text
    try:
        check_pseudonymous(_folded(text))
    except ValueError as error:
        stored = " (the cell holds it as a number)" if cell.number else ""
        return CellError(f"{error}{stored}", text)
    return _read_text(column, cell)


_LONGEST_NUMBER = 30  # digits: more than any field takes, less than Python's int() refuses
_LEVEL = re.compile(r"\d{1,%d}" % _LONGEST_NUMBER)  # noqa: UP031 (a regex's braces)


def _read_int(column: Column, cell: CellText) -> object:
    text = _folded(cell.text).replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if _INTEGER.fullmatch(text):
        digits = text.split(".", 1)[0]
        if len(digits.lstrip("+-")) > _LONGEST_NUMBER:  # past any field's range (and int())
            return CellError(f"{column.field} is too large: {_shown(cell.text)}", cell.text)
        return int(digits)
    return CellError(f"{column.field} must be a whole number, not {_shown(cell.text)}", cell.text)


def _read_float(column: Column, cell: CellText) -> object:
    text = _folded(cell.text).replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if _DECIMAL.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return number
        return CellError(f"{column.field} is too large: {_shown(cell.text)}", cell.text)
    return CellError(f"{column.field} must be a number, not {_shown(cell.text)}", cell.text)


def _read_bool(column: Column, cell: CellText) -> object:
    key = _folded(cell.text).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return CellError(
        f"{column.field} must be 是 or 否 (yes or no), not {_shown(cell.text)}", cell.text
    )


def _read_date(column: Column, cell: CellText) -> object:
    match = _DATE.fullmatch(_folded(cell.text))
    if match is not None:
        try:
            return dt.date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            pass
    hint = " (the cell holds a number; format it as a date or as text)" if cell.number else ""
    return CellError(
        f'{column.field} must be a date written like "2026-12-01", not {_shown(cell.text)}{hint}',
        cell.text,
    )


def _read_list(column: Column, cell: CellText) -> object:
    text = cell.text
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            return items  # exact: no other names are read here
        return CellError(
            f'{column.field} must be items separated by ";" or a JSON list of text, '
            f"not {_shown(text)}",
            text,
        )
    parts = (part.strip() for part in _SEPARATORS.split(text))
    return [_alias(column, part) for part in parts if part]


def _read_skills(column: Column, cell: CellText) -> object:
    text = _folded(cell.text)
    if text in (EMPTY, "{}"):
        return {}
    wrong = CellError(
        f'{column.field} must be skill:level pairs like "agri_tech:3; policy_service:2", '
        f"not {_shown(cell.text)}",
        cell.text,
    )
    if text.startswith("{"):
        try:
            table = json.loads(text)
        except (json.JSONDecodeError, RecursionError, ValueError):  # too deep, too long a number
            return wrong
        return table if isinstance(table, dict) else wrong
    skills: dict[str, int] = {}
    for part in _SEPARATORS.split(text):
        if not part.strip():
            continue
        name, colon, level = part.partition(":")
        name = _alias(column, name.strip())
        if not colon or not name or not _LEVEL.fullmatch(level.strip()):
            return wrong
        if name in skills:
            return CellError(f"{column.field} lists the skill {name} twice", cell.text)
        skills[name] = int(level)
    return skills


def _read_json(column: Column, cell: CellText) -> object:
    text = _folded(cell.text)
    if text.startswith("{"):
        try:
            table = json.loads(text)
        except (json.JSONDecodeError, RecursionError, ValueError):  # too deep, too long a number
            table = None
        if isinstance(table, dict):
            return table
    else:
        pairs = [part.partition(":") for part in _SEPARATORS.split(text) if part.strip()]
        if pairs and all(colon and _DECIMAL.fullmatch(v.strip()) for _, colon, v in pairs):
            return {key.strip(): float(v) for key, _, v in pairs}
    return CellError(
        f'{column.field} must be a JSON object like {{"1": 1, "2": 2}} or pairs like "1:1; 2:2", '
        f"not {_shown(cell.text)}",
        cell.text,
    )


_READERS = {
    Kind.TEXT: _read_text,
    Kind.HOUSEHOLD: _read_household,
    Kind.INT: _read_int,
    Kind.FLOAT: _read_float,
    Kind.BOOL: _read_bool,
    Kind.DATE: _read_date,
    Kind.LIST: _read_list,
    Kind.SKILLS: _read_skills,
    Kind.JSON: _read_json,
}


# ----------------------------------------------------------------------------- writing

Written = str | int | float | None


def _plain(text: str, *, csv: bool) -> bool:
    """Whether text reads back as itself from a plain cell (else it is written as JSON)."""
    if not text or text != text.strip() or _literal(text) is not None:
        return False
    if _SCIENTIFIC.fullmatch(text) or text in _EXCEL_ERRORS:
        return False
    # In a CSV file Excel would run =, +, - and @ as a formula: such text goes in quotes.
    return not (csv and text[0] in "=+-@")


def format_cell(column: Column, value: object, *, csv: bool = False) -> Written:
    """The cell that holds ``value`` (a JSON-ready scenario value) so that :func:`read_cell`
    gives it back; numbers stay numbers, None is an empty cell."""
    if value is None or column.kind is Kind.NOTE:
        return None
    kind = column.kind
    if kind in (Kind.TEXT, Kind.HOUSEHOLD, Kind.DATE):
        text = str(value)
        plain = _plain(text, csv=csv) and _alias(column, text) == text
        return text if plain else json.dumps(text, ensure_ascii=False)
    if kind is Kind.BOOL:
        return YES if value else NO
    if kind is Kind.INT and isinstance(value, int):
        return value
    if kind is Kind.FLOAT and isinstance(value, int | float):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < _EXACT_LIMIT else number
    if kind is Kind.LIST and isinstance(value, list | tuple):
        return _format_list(column, [str(item) for item in value], csv=csv)
    if kind is Kind.SKILLS and isinstance(value, dict):
        return "; ".join(f"{name}:{level}" for name, level in value.items()) or EMPTY
    return json.dumps(value, ensure_ascii=False)


def _format_list(column: Column, items: list[str], *, csv: bool) -> str | None:
    if not items:
        return EMPTY if column.nullable else None
    plain = all(
        _plain(item, csv=csv)
        and not _SEPARATOR_CHARS.intersection(item)
        and _alias(column, item) == item
        for item in items
    )
    plain = plain and not items[0].startswith("[")
    return "; ".join(items) if plain else json.dumps(items, ensure_ascii=False)
