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
import difflib
import json
import math
import re
import unicodedata
from dataclasses import dataclass

from matcher.scenario import check_pseudonymous
from matcher.workbook.columns import NO, YES, Column, Kind, code_key, without_unit
from matcher.workbook.words import Said, Words, listed, quoted, said

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
    """A cell that cannot be read by its column's kind: what is wrong (in the catalogue's
    words) and the text as found."""

    said: Said
    text: str

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return self.said.message


def column_words(column: Column) -> Words:
    """How a message names a column: its Chinese header without the unit, or its field."""
    return Words(without_unit(column.zh), column.field)


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
    if isinstance(value, dt.time):  # a time of day typed into Excel: 08:30, not 08:30:00
        whole = value.second == 0 and value.microsecond == 0
        return CellText(value.isoformat(timespec="minutes") if whole else value.isoformat())
    if isinstance(value, dt.date):
        return CellText(value.isoformat())
    text = str(value).strip()
    return CellText(text) if text else None


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def read_cell(column: Column, value: object) -> object | CellError | None:
    """The value of a cell for the scenario, a :class:`CellError`, or None for an empty cell
    (the field is then left out and takes its default)."""
    cell = cell_text(value)
    if cell is None or column.kind is Kind.NOTE:
        return None
    if cell.text in _EXCEL_ERRORS:
        return _error(column, cell, "workbook.cell.excel_error")
    return _READERS[column.kind](column, cell)


def _error(
    column: Column, cell: CellText, key: str, part: str | None = None, **params: object
) -> CellError:
    """The error ``key`` of a cell, its column and text (or the ``part`` of it at fault)
    among the fields."""
    text = quoted(cell.text if part is None else part)
    return CellError(said(key, column=column_words(column), text=text, **params), cell.text)


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
    """The code a text stands for (its code, Chinese or English label, or the drop-down's
    ``label code`` form), else the text as it is."""
    if not column.lookup:
        return text
    return column.lookup.get(code_key(text), text)


def _code(column: Column, cell: CellText, text: str) -> str | CellError:
    """The code of one entry of a cell, or the error of an entry that names none of a strict
    column's choices (with the nearest)."""
    code = _alias(column, text)
    if not column.strict or not column.choices or code in column.choices:
        return code
    nearest = nearest_codes(column, text)
    return _error(column, cell, "workbook.cell.not_a_choice", text, nearest=nearest)


def nearest_codes(column: Column, text: str, count: int = 3) -> Words:
    """The choices of ``column`` nearest to ``text`` (all of them when none is near), each as
    a planner would write it: 养老服务 in Chinese, elderly_care (养老服务) in English."""
    wanted = code_key(text)
    scores: dict[str, float] = {}
    for name, code in ((code, code) for code in column.choices):
        scores[code] = difflib.SequenceMatcher(None, wanted, code_key(name)).ratio()
    for name, code in column.aliases:
        if code in scores:
            score = difflib.SequenceMatcher(None, wanted, code_key(name)).ratio()
            scores[code] = max(scores[code], score)
    near = sorted((c for c in scores if scores[c] >= 0.5), key=lambda c: -scores[c])[:count]
    return listed(_code_words(column, code) for code in (near or column.choices))


def _code_words(column: Column, code: str) -> Words:
    found = column.labels.get(code)
    if found is None:
        return Words(f"“{code}”", f'"{code}"')
    return Words(f"“{found[0]}”", f'"{code}" ({found[0]})')


def _read_text(column: Column, cell: CellText) -> object:
    literal = _literal(cell.text)
    if literal is not None:
        return literal
    if cell.rounded:
        return _error(column, cell, "workbook.cell.rounded")
    if _SCIENTIFIC.fullmatch(cell.text):
        return _error(column, cell, "workbook.cell.scientific")
    return _code(column, cell, cell.text)


def _read_household(column: Column, cell: CellText) -> object:
    text = _literal(cell.text)
    text = cell.text if text is None else text
    try:
        check_pseudonymous(_folded(text))
    except ValueError:
        key = "workbook.cell.personal_number" + ("_stored" if cell.number else "")
        return CellError(said(key, column=column_words(column)), text)
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
            return _error(column, cell, "workbook.cell.too_large")
        return int(digits)
    return _error(column, cell, "workbook.cell.not_whole")


def _read_float(column: Column, cell: CellText) -> object:
    text = _folded(cell.text).replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    if _DECIMAL.fullmatch(text):
        number = float(text)
        if math.isfinite(number):
            return number
        return _error(column, cell, "workbook.cell.too_large")
    return _error(column, cell, "workbook.cell.not_number")


def _read_bool(column: Column, cell: CellText) -> object:
    key = _folded(cell.text).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return _error(column, cell, "workbook.cell.not_yes_no")


def _read_date(column: Column, cell: CellText) -> object:
    match = _DATE.fullmatch(_folded(cell.text))
    if match is not None:
        try:
            return dt.date(*(int(part) for part in match.groups())).isoformat()
        except ValueError:
            pass
    key = "workbook.cell.not_date" + ("_number" if cell.number else "")
    return _error(column, cell, key)


def _read_dates(column: Column, cell: CellText) -> object:
    """Dates separated by ; (or a JSON list of them), each read as a DATE cell is."""
    text = cell.text
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            return _error(column, cell, "workbook.cell.not_dates")
    else:
        items = [part.strip() for part in _SEPARATORS.split(text) if part.strip()]
    dates: list[str] = []
    for item in items:
        date = _read_date(column, CellText(item))
        if isinstance(date, CellError):
            return _error(column, cell, "workbook.cell.not_dates", item)
        dates.append(str(date))
    return dates


def _read_list(column: Column, cell: CellText) -> object:
    text = cell.text
    if text.startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            return items  # exact: no other names are read here
        return _error(column, cell, "workbook.cell.not_list")
    values: list[str] = []
    for part in _SEPARATORS.split(text):
        if part.strip():
            code = _code(column, cell, part.strip())
            if isinstance(code, CellError):
                return code
            values.append(code)
    return values


def _read_skills(column: Column, cell: CellText) -> object:
    text = _folded(cell.text)
    if text in (EMPTY, "{}"):
        return {}
    wrong = _error(column, cell, "workbook.cell.not_skills")
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
        written, colon, level = part.partition(":")
        if not colon or not written.strip() or not _LEVEL.fullmatch(level.strip()):
            return wrong
        name = _code(column, cell, written.strip())
        if isinstance(name, CellError):
            return name
        if name in skills:
            return _error(column, cell, "workbook.cell.skill_twice", skill=name)
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
    return _error(column, cell, "workbook.cell.not_pairs")


_READERS = {
    Kind.TEXT: _read_text,
    Kind.HOUSEHOLD: _read_household,
    Kind.INT: _read_int,
    Kind.FLOAT: _read_float,
    Kind.BOOL: _read_bool,
    Kind.DATE: _read_date,
    Kind.DATES: _read_dates,
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
    if kind is Kind.DATES and isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value) or None
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
