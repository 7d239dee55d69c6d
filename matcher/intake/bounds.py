"""Clean text and bounded numbers, checked on any parsed document before its schema.

A document that reaches the schema may hold anything JSON or YAML can spell: a 4,000-digit
integer, a lone surrogate (``"x\\udc80y"``), a NUL, a right-to-left override. Such values break
things far from where they entered — int64 arrays, the canonical hash, a PostgreSQL text
column, a terminal — so they are refused here, each at its JSON path, for every string (keys
included) and every number of the document, whatever field it sits in. The schema then checks
each field's own range and form (:mod:`matcher.scenario`).

Messages never repeat the offending text: it may be unprintable, and it may be personal data.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from matcher.intake.issues import Issue, Words, json_path, words

MAX_ABS_NUMBER = 10**15
"""No field accepts a number beyond this (the largest bound is a pool's 10¹² yuan); beyond it
sums overflow int64 and floats lose whole yuan."""
MAX_TEXT_LENGTH = 10_000
"""Characters of any one string; ids (128) and names (200) have tighter limits of their own."""
MAX_DEPTH = 32
"""Nesting of objects and lists; a scenario needs five."""
MAX_ISSUES = 200
"""Problems of this pass reported one by one; more are counted in one last problem."""

# Characters that reorder or hide text: a name with them displays as something else.
_DIRECTION_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


# One C-speed scan finds whether a string needs a closer look (almost none do).
_SUSPECT = re.compile(
    "[\ud800-\udfff\x00-\x1f\x7f-\x9f" + "".join(sorted(_DIRECTION_CONTROLS)) + "]"
)


def text_problem(text: str) -> str | None:
    """Why a string cannot be stored, shown and compared safely, or None when it can: a lone
    surrogate (not Unicode), a control character (C0, C1, DEL), a text-direction control, or
    more than :data:`MAX_TEXT_LENGTH` characters. Position and code point are named; the text
    itself is not repeated. In English; :func:`text_problem_words` in either language."""
    problem = text_problem_words(text)
    return None if problem is None else problem.text("en")


def text_problem_words(text: str) -> Words | None:
    """:func:`text_problem` as catalogue words, to be said in Chinese or English."""
    if len(text) > MAX_TEXT_LENGTH:
        return words("intake.text.too_long", length=f"{len(text):,}", limit=f"{MAX_TEXT_LENGTH:,}")
    if _SUSPECT.search(text) is None:
        return None
    for position, char in enumerate(text, start=1):
        code = f"{ord(char):04X}"
        if 0xD800 <= ord(char) <= 0xDFFF:
            return words("intake.text.surrogate", code=code, position=position)
        if unicodedata.category(char) == "Cc":
            return words("intake.text.control", code=code, position=position)
        if char in _DIRECTION_CONTROLS:
            return words("intake.text.direction", code=code, position=position)
    return None


def printable(text: str) -> str:
    """``text`` with every character :func:`text_problem` objects to written as ``\\uXXXX``:
    safe to print, log and encode whatever it held."""
    out = []
    for char in text[:MAX_TEXT_LENGTH]:
        code = ord(char)
        bad = (
            0xD800 <= code <= 0xDFFF
            or unicodedata.category(char) == "Cc"
            or char in _DIRECTION_CONTROLS
        )
        out.append(f"\\u{code:04x}" if bad else char)
    return "".join(out)


def number_problem(value: int | float) -> str | None:
    """Why a number is beyond every field's range, or None. Non-finite floats are left to the
    schema, which names the field that wants a finite number. In English;
    :func:`number_problem_words` in either language."""
    problem = number_problem_words(value)
    return None if problem is None else problem.text("en")


def number_problem_words(value: int | float) -> Words | None:
    """:func:`number_problem` as catalogue words, to be said in Chinese or English."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if abs(value) > MAX_ABS_NUMBER:
        # str() of a huge int is itself refused (Python's 4,300-digit limit): count by bits,
        # or take the count the JSON reader kept for a literal it would not convert.
        digits = 0
        if isinstance(value, int):
            size_in_bits = abs(value).bit_length()
            exact = size_in_bits < 14_000  # under 4,300 digits: str() may count them
            estimate = len(str(abs(value))) if exact else int(size_in_bits * math.log10(2)) + 1
            digits = getattr(value, "digits", estimate)
        size = (
            words("intake.number.digits", digits=f"{digits:,}")
            if digits
            else words("intake.number.plain")
        )
        return words("intake.number.too_large", size=size)
    return None


def _item_id(item: Mapping[str, Any]) -> str | None:
    value = item.get("id")
    return printable(value) if isinstance(value, str) and value else None


def _walk(
    value: object, loc: tuple[str | int, ...], item: str | None
) -> Iterator[tuple[tuple[str | int, ...], str | None, Words]]:
    # Iterative: a document nested beyond MAX_DEPTH is refused, never a RecursionError.
    stack: list[tuple[object, tuple[str | int, ...], str | None]] = [(value, loc, item)]
    while stack:
        node, where, owner = stack.pop()
        if len(where) > MAX_DEPTH:
            yield where[:MAX_DEPTH], owner, words("intake.nested_deeper", limit=MAX_DEPTH)
            continue
        if isinstance(node, Mapping):
            if len(where) == 2 and isinstance(where[1], int):
                owner = _item_id(node)
            children = []
            for key, child in node.items():
                if not isinstance(key, str):
                    yield where, owner, words("intake.key_not_text")
                    continue
                problem = text_problem_words(key)
                if problem is not None:
                    yield (*where, printable(key)), owner, words("intake.the_key", problem=problem)
                    continue
                children.append((child, (*where, key), owner))
            stack.extend(reversed(children))
        elif isinstance(node, list | tuple):
            stack.extend(
                (child, (*where, i), owner) for i, child in reversed(list(enumerate(node)))
            )
        elif isinstance(node, str):
            problem = text_problem_words(node)
            if problem is not None:
                yield where, owner, words("intake.the_text", problem=problem)
        elif isinstance(node, int | float) and not isinstance(node, bool):
            number = number_problem_words(node)
            if number is not None:
                yield where, owner, number


def _clean_text(text: str) -> bool:
    return len(text) <= MAX_TEXT_LENGTH and _SUSPECT.search(text) is None


def _clean(node: object, depth: int = 0) -> bool:
    """Whether nothing in ``node`` is unsafe: the fast pass, with no paths kept (a county of
    50,000 needs has a million values, and nearly every document is clean). Plain text,
    numbers and booleans inside an object or list are checked inline, without a call each."""
    if depth > MAX_DEPTH:
        return False
    if isinstance(node, dict):
        values: Iterable[object] = node.values()
        for key in node:
            if type(key) is not str or not _clean_text(key):
                return False
    elif isinstance(node, list | tuple):
        values = node
    else:
        return not any(True for _ in _walk(node, (), None))
    for value in values:
        kind = type(value)
        if kind is str:
            if not _clean_text(value):  # type: ignore[arg-type]
                return False
        elif kind is int or kind is float:
            if not -MAX_ABS_NUMBER <= value <= MAX_ABS_NUMBER:  # type: ignore[operator]
                return False
        elif kind is bool or value is None:
            continue
        elif not _clean(value, depth + 1):
            return False
    return True


def unsafe_values(document: object) -> list[Issue]:
    """Every string, key and number of ``document`` that no field could accept, each at its
    JSON path with the id of the list item it lies in; the first :data:`MAX_ISSUES`, then a
    count of the rest."""
    if _clean(document):
        return []
    issues: list[Issue] = []
    more = 0
    for loc, owner, message in _walk(document, (), None):
        if len(issues) < MAX_ISSUES:
            issues.append(Issue.of(json_path(loc), message, id=owner))
        else:
            more += 1
    if more:
        issues.append(Issue.said("$", "intake.more_values", count=f"{more:,}"))
    return issues
