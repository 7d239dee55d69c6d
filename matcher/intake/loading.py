"""Reading a scenario file and turning it into a validated :class:`~matcher.scenario.Scenario`.

Every problem of a file is reported at once, never a traceback: pydantic's errors (types, ranges,
enums, dates, personal data) are converted to :class:`~matcher.intake.issues.Issue`\\ s with a JSON
path, a plain message and the id of the item they belong to, and the reference checks of
:mod:`matcher.intake.validation` run on the same raw document in the same pass. Only when the schema
is satisfied do the checks that need travel times run
(:func:`matcher.intake.validation.validate_service`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from matcher.i18n import t
from matcher.intake.bounds import MAX_DEPTH, printable, unsafe_values
from matcher.intake.issues import Both, Issue, ScenarioInvalid, Words, json_path, words
from matcher.intake.validation import (
    enclosing_id,
    suggest,
    validate_references,
    validate_service,
    value_words,
)
from matcher.scenario import (
    AidRecord,
    Cadre,
    Horizon,
    Need,
    Organization,
    Place,
    Policy,
    Pool,
    Road,
    Scenario,
    Village,
)

YAML_SUFFIXES = (".yaml", ".yml")

# The model of each part of a scenario, to suggest a field name for a misspelt one.
_MODELS: dict[str, type[BaseModel]] = {
    "horizon": Horizon,
    "places": Place,
    "villages": Village,
    "roads": Road,
    "cadres": Cadre,
    "organizations": Organization,
    "pools": Pool,
    "needs": Need,
    "aid_records": AidRecord,
    "policy": Policy,
}

# Fields whose values are never repeated in a message: they may hold personal data.
_PRIVATE_FIELDS = frozenset({"household", "household_label"})


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario and the warnings found while loading it."""

    scenario: Scenario
    warnings: tuple[Issue, ...] = ()


# ----------------------------------------------------------------------------- reading


def read_document(path: Path) -> object:
    """The parsed content of a scenario file: YAML for .yaml/.yml, JSON otherwise.

    Raises :class:`ScenarioInvalid` with one problem at ``$`` when the file cannot be read, is
    not UTF-8, has a syntax error (with its line and column) or does not hold an object.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioInvalid([Issue.said("$", "intake.file_not_found", file=path)]) from None
    except IsADirectoryError:
        raise ScenarioInvalid([Issue.said("$", "intake.is_folder", file=path)]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ScenarioInvalid(
            [Issue.said("$", "intake.cannot_read", file=path, reason=reason)]
        ) from None
    if path.suffix.lower() in YAML_SUFFIXES:
        document = _parse_yaml(decode_utf8(data))
    else:
        document = parse_json_bytes(data)
    top_level = _top_level_problem(document)
    if top_level is not None:
        raise ScenarioInvalid([top_level])
    return document


THE_FILE = words("intake.the_file")
"""What a message calls the document it reads, unless told otherwise."""

_TOO_DEEP = Issue.said("$", "intake.too_deep", what=THE_FILE)

_WHAT = {"the file": THE_FILE, "the request body": words("intake.the_request_body")}


def _what(what: str | Words) -> str | Words | Both:
    """The words for the document a message names: known ones in both languages."""
    if isinstance(what, Words):
        return what
    return _WHAT.get(what, what)


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode_utf8(data: bytes, what: str | Words = THE_FILE) -> str:
    """Bytes as UTF-8 text (a byte-order mark dropped), or one problem naming the line and
    column of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _line_column(data, error.start)
        raise ScenarioInvalid(
            [Issue.said("$", "intake.not_utf8", what=_what(what), line=line, column=column)]
        ) from None


class LongNumber(int):
    """An integer literal longer than any field could take, kept as a stand-in so that the
    bounds check refuses it at its path (Python refuses to read ints of 4,300+ digits)."""

    digits: int

    def __new__(cls, literal: str) -> LongNumber:
        number = super().__new__(cls, -(10**16) if literal.startswith("-") else 10**16)
        number.digits = len(literal.lstrip("-"))
        return number


_LONGEST_INT_LITERAL = 30


def _read_int(literal: str) -> int:
    return int(literal) if len(literal) <= _LONGEST_INT_LITERAL else LongNumber(literal)


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # JSON leaves a repeated key's meaning open (most readers keep the last): refuse it.
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def parse_json_bytes(data: bytes, what: str | Words = THE_FILE) -> object:
    """One JSON document from bytes, or one problem at ``$`` saying why not: not UTF-8, a
    syntax error (line and column), a key given twice, nested too deeply. Integers too long
    for any field are kept as :class:`LongNumber` for the bounds check to refuse with their
    path. The reader of scenario files and of the API's request bodies."""
    text = decode_utf8(data, what)
    named = _what(what)
    try:
        return json.loads(text, parse_int=_read_int, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        problem = Issue.said(
            "$",
            "intake.not_json",
            what=named,
            reason=_json_reason(error.msg),
            line=error.lineno,
            column=error.colno,
        )
        raise ScenarioInvalid([problem]) from None
    except _DuplicateKey as repeated:
        problem = Issue.said("$", "intake.duplicate_key", what=named, name=printable(repeated.key))
        raise ScenarioInvalid([problem]) from None
    except RecursionError:
        raise ScenarioInvalid([Issue.said("$", "intake.too_deep", what=named)]) from None


# The JSON reader's own words (json.decoder), said in Chinese too.
_JSON_REASONS = {
    "Expecting value": "intake.json.expecting_value",
    "Expecting ',' delimiter": "intake.json.expecting_comma",
    "Expecting ':' delimiter": "intake.json.expecting_colon",
    "Expecting property name enclosed in double quotes": "intake.json.expecting_name",
    "Extra data": "intake.json.extra_data",
    "Unterminated string starting at": "intake.json.unterminated",
    "Invalid control character at": "intake.json.control",
    "Invalid \\escape": "intake.json.escape",
    "Invalid \\uXXXX escape": "intake.json.u_escape",
    "Illegal trailing comma before end of object": "intake.json.trailing_comma_object",
    "Illegal trailing comma before end of array": "intake.json.trailing_comma_array",
}


def _json_reason(reason: str) -> str | Words:
    key = _JSON_REASONS.get(reason)
    return reason if key is None else words(key)


class _YamlLoader(yaml.SafeLoader):
    """PyYAML's safe loader, with no traceback for a value it cannot construct.

    An impossible date (2026-02-30) stays text, so the schema reports it with its path; any
    other value that fails to construct becomes a syntax-style error with its line.
    """

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, AttributeError):
            return self.construct_scalar(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as error:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"cannot read this {node.tag.rsplit(':', 1)[-1]} value ({error})",
                node.start_mark,
            ) from error


_YamlLoader.add_constructor("tag:yaml.org,2002:timestamp", _YamlLoader.construct_yaml_timestamp)


def _parse_yaml(text: str) -> object:
    try:
        document = yaml.load(text, Loader=_YamlLoader)  # a safe loader: plain data only
    except yaml.MarkedYAMLError as error:
        detail = _yaml_detail(error)
        raise ScenarioInvalid([Issue.said("$", "intake.yaml_invalid", detail=detail)]) from None
    except yaml.YAMLError as error:
        raise ScenarioInvalid([Issue.said("$", "intake.yaml_invalid", detail=str(error))]) from None
    except RecursionError:
        raise ScenarioInvalid([_TOO_DEEP]) from None
    return _string_keys(document)


def _yaml_detail(error: yaml.MarkedYAMLError) -> Both:
    """What PyYAML found wrong and where: its own words (English), the place in each
    language (`` at line 3, column 5``; ``第 3 行第 5 列，``)."""

    def at(mark: yaml.Mark | None) -> str:
        return f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""

    def where(mark: yaml.Mark | None) -> str:
        if mark is None:
            return ""
        return t("intake.yaml_where", "zh", line=mark.line + 1, column=mark.column + 1)

    if error.problem is None:
        what = error.context or "syntax error"
        return Both(
            f"{where(error.context_mark)}，{what}".lstrip("，"), what + at(error.context_mark)
        )
    en = f"{error.problem}{at(error.problem_mark)}"
    zh = f"{where(error.problem_mark)}，{error.problem}".lstrip("，")
    if error.context is not None:
        en += f" ({error.context}{at(error.context_mark).replace(' at', ' that starts at')})"
        start = where(error.context_mark)
        zh += f"（{error.context}" + (f"，始于{start}）" if start else "）")
    return Both(zh, en)


MAX_EXPANDED_VALUES = 5_000_000
"""Values a YAML document may hold once its aliases are expanded (a county of 100,000 needs
holds about 1.5 million): past it, a few hundred bytes of nested aliases would make every
later stage walk billions of values."""


class _Shape:
    """What :func:`_string_keys` learns of a YAML document while converting it."""

    def __init__(self) -> None:
        self.memo: dict[int, tuple[object, int]] = {}  # node id -> (converted, expanded size)
        self.open: set[int] = set()  # nodes being converted: met again, the node holds itself


def _string_keys(value: object, shape: _Shape | None = None, depth: int = 0) -> object:
    """YAML reads ``1: 2.0`` with a number key; JSON keys are always text, so make them text.

    A node that YAML anchors and aliases is converted once and stays shared, so converting
    costs the document's own size. But a node that contains itself, a document nested past
    :data:`~matcher.intake.bounds.MAX_DEPTH`, or aliases that expand past
    :data:`MAX_EXPANDED_VALUES` are refused: what comes after walks the expansion.
    """
    shape = _Shape() if shape is None else shape
    converted, size = _convert(value, shape, depth)
    if size > MAX_EXPANDED_VALUES:
        raise ScenarioInvalid(
            [
                Issue.said(
                    "$",
                    "intake.aliases_expand",
                    size=f"{size:,}",
                    limit=f"{MAX_EXPANDED_VALUES:,}",
                )
            ]
        )
    return converted


def _convert(value: object, shape: _Shape, depth: int) -> tuple[object, int]:
    if not isinstance(value, dict | list):
        return value, 1
    key = id(value)
    done = shape.memo.get(key)
    if done is not None:
        return done
    if key in shape.open:
        raise ScenarioInvalid([Issue.said("$", "intake.alias_self")])
    if depth > MAX_DEPTH:
        raise ScenarioInvalid([_TOO_DEEP])
    shape.open.add(key)
    size = 1
    converted: object
    if isinstance(value, dict):
        entries = {}
        for name, entry in value.items():
            entries[_text_key(name)], entry_size = _convert(entry, shape, depth + 1)
            size = min(size + entry_size, MAX_EXPANDED_VALUES + 1)
        converted = entries
    else:
        items = []
        for entry in value:
            item, entry_size = _convert(entry, shape, depth + 1)
            items.append(item)
            size = min(size + entry_size, MAX_EXPANDED_VALUES + 1)
        converted = items
    shape.open.discard(key)
    shape.memo[key] = (converted, size)
    return converted, size


def _text_key(key: object) -> object:
    return str(key) if isinstance(key, int) and not isinstance(key, bool) else key


def _top_level_problem(document: object) -> Issue | None:
    if isinstance(document, dict):
        return None
    if document is None:
        return Issue.said("$", "intake.file_empty")
    return Issue.said("$", "intake.not_object", value=value_words(document))


# ----------------------------------------------------------------------------- parsing


def parse_scenario(data: object) -> LoadedScenario:
    """Validate parsed data as a scenario: the scenario and its warnings, or every problem.

    Raises :class:`ScenarioInvalid` carrying all problems (errors and warnings, in document
    order) when there is at least one error: the schema's errors and the reference checks'
    together, and the pinned-provider checks once the schema is satisfied.
    """
    top_level = _top_level_problem(data)
    if top_level is not None or not isinstance(data, dict):
        raise ScenarioInvalid([top_level or Issue.said("$", "intake.must_be_object")])
    unsafe = unsafe_values(data)
    if unsafe:  # the schema and the checks below must never see such values
        raise ScenarioInvalid(unsafe)
    problems: list[Issue] = []
    scenario: Scenario | None = None
    failure: ValidationError | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        failure = error
        problems.extend(pydantic_problems(error, data))
    problems.extend(validate_references(data))
    if scenario is not None:
        problems.extend(validate_service(scenario))
    if failure is not None and not any(p.severity == "error" for p in problems):
        # Never refuse a scenario without saying why: fall back on every schema error.
        problems.extend(pydantic_problems(failure, data, skip_reported=False))
    problems = _in_document_order(list(dict.fromkeys(problems)), data)
    if scenario is None or any(p.severity == "error" for p in problems):
        raise ScenarioInvalid(problems)
    return LoadedScenario(scenario, tuple(problems))


def load_scenario(path: Path) -> LoadedScenario:
    """Read and validate a scenario file (JSON, or YAML by suffix)."""
    return parse_scenario(read_document(path))


_PATH_TOKEN = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]')


def _in_document_order(problems: list[Issue], raw: Mapping[str, Any]) -> list[Issue]:
    """Sort by top-level field (as the file has them) and list index; stable otherwise."""
    order = {str(key): position for position, key in enumerate(raw)}

    def key(problem: Issue) -> tuple[int, int]:
        tokens = _PATH_TOKEN.findall(problem.path)
        if not tokens:
            return (-1, -1)
        name = tokens[0][0] or tokens[0][2]
        index = int(tokens[1][1]) if len(tokens) > 1 and tokens[1][1] else -1
        return (order.get(name, len(order)), index)

    return sorted(problems, key=key)


# ----------------------------------------------------------------------------- pydantic errors


def pydantic_problems(
    error: ValidationError, raw: Mapping[str, Any], *, skip_reported: bool = True
) -> list[Issue]:
    """pydantic's errors as problems: JSON path, plain message, and the enclosing item's id.

    Errors that a reference check reports better are left out: schema_version (one clear
    message), non-finite numbers, and the skill of a need that only inherits its category.
    """
    problems = []
    for detail in error.errors(include_url=False):
        loc: tuple[str | int, ...] = tuple(detail["loc"])
        if skip_reported and _reported_elsewhere(detail, loc, raw):
            continue
        is_key = bool(loc) and loc[-1] == "[key]"
        if is_key:
            loc = (*loc[:-2], str(loc[-2]))
        path, owner = json_path(loc), enclosing_id(raw, loc)
        phrase = pydantic_words(detail, loc, is_key)
        if phrase is None:  # a kind the catalogue does not know: pydantic's own English
            problems.append(Issue(path, f"{_label(loc)}: {detail['msg']}", owner))
        else:
            problems.append(Issue.of(path, phrase, id=owner))
    return problems


def _reported_elsewhere(
    detail: ErrorDetails, loc: tuple[str | int, ...], raw: Mapping[str, Any]
) -> bool:
    if loc[:1] == ("schema_version",):
        return True
    value = detail.get("input")
    return isinstance(value, float) and not math.isfinite(value)


# Fields that map keys to values: an entry is named with its field (``skills.medical``).
_MAPPINGS = frozenset({"skills", "priority_weights", "region_weights"})


def _label(loc: Sequence[str | int]) -> str:
    """How a message names the place of an error: the field, ``list[i]`` for a list entry,
    ``skills.medical`` for a mapping entry."""
    found = _label_words(loc)
    return found if isinstance(found, str) else found.text("en")


def _label_words(loc: Sequence[str | int]) -> str | Words:
    if not loc:
        return words("intake.the_scenario")
    last = loc[-1]
    parent = loc[-2] if len(loc) > 1 else ""
    if isinstance(last, int):
        return f"{parent}[{last}]"
    if parent in _MAPPINGS:
        return f"{parent}.{last}"
    return str(last)


def _bound(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _expected(ctx: Mapping[str, Any]) -> Both:
    """pydantic's list of allowed values (``'a', 'b' or 'c'``), and in Chinese joined with
    、(``'a'、'b'、'c'``)."""
    en = str(ctx.get("expected", ""))
    quoted = re.findall(r"'[^']*'", en)
    return Both("、".join(quoted) if quoted else en, en)


# pydantic's kinds of error that each catalogue message says (the others are below).
_PLAIN_KINDS: dict[str, str] = {
    "missing": "intake.field.missing",
    "string_too_short": "intake.field.empty",
    "finite_number": "intake.field.finite",
}
_VALUE_KINDS: dict[str, str] = {
    "int_type": "intake.field.whole_number",
    "int_parsing": "intake.field.whole_number",
    "int_from_float": "intake.field.whole_number",
    "int_parsing_size": "intake.field.too_large",
    "float_type": "intake.field.number",
    "float_parsing": "intake.field.number",
    "bool_type": "intake.field.bool",
    "bool_parsing": "intake.field.bool",
    "tuple_type": "intake.field.list",
    "list_type": "intake.field.list",
    "dict_type": "intake.field.object",
    "model_type": "intake.field.model",
    "model_attributes_type": "intake.field.model",
}
_BOUND_KINDS: dict[str, tuple[str, str]] = {
    "greater_than_equal": ("intake.field.at_least", "ge"),
    "greater_than": ("intake.field.more_than", "gt"),
    "less_than_equal": ("intake.field.at_most", "le"),
    "less_than": ("intake.field.less_than", "lt"),
}
TRANSLATED_KINDS: frozenset[str] = frozenset(
    {
        *_PLAIN_KINDS,
        *_VALUE_KINDS,
        *_BOUND_KINDS,
        "extra_forbidden",
        "string_type",
        "string_too_long",
        "too_long",
        "literal_error",
        "enum",
        "value_error",
    }
)
"""pydantic's kinds of error said in both languages (dates too: every ``date*`` and
``datetime*`` kind); any other is said in pydantic's own English."""

# The scenario's own checks (matcher.scenario), recognised by their English words.
_VALUE_ERRORS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"an id must not begin or end with white space\Z"), "intake.field.id_spaces"),
    (
        re.compile(
            r"an id must be printable text; it holds U\+(?P<code>[0-9A-F]+) \(invisible or a "
            r"control character\)\Z"
        ),
        "intake.field.id_hidden",
    ),
    (re.compile(r"household ids must be pseudonymous: .*\Z"), "intake.field.personal"),
    (
        re.compile(r"a date must be written as YYYY-MM-DD, not a number\Z"),
        "intake.field.date_number",
    ),
    (
        re.compile(
            r"a date must lie between (?P<first>\S+) and (?P<last>\S+), not (?P<value>.+)\Z"
        ),
        "intake.field.date_range",
    ),
)


def _value_error(text: str) -> Words | Both:
    for pattern, key in _VALUE_ERRORS:
        found = pattern.match(text)
        if found is not None:
            phrase = words(key, **found.groupdict())
            if phrase.text("en") == text:
                return phrase
    return Both(text, text)


def pydantic_words(
    detail: ErrorDetails, loc: tuple[str | int, ...], is_key: bool = False
) -> Words | Both | None:
    """The catalogue's words for one of pydantic's errors at ``loc`` (already turned into a
    document location), or None for a kind the catalogue does not say. ``is_key``: the error
    is about a mapping's key (``loc`` ends with that key)."""
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    label = _label_words(loc)
    private = any(part in _PRIVATE_FIELDS for part in loc if isinstance(part, str))
    value = detail.get("input")
    shown = words("intake.value.private") if private else value_words(value)

    if is_key:
        return words(
            "intake.field.bad_key",
            name=loc[-1],
            parent=_label_words(loc[:-1]),
            expected=_expected(ctx),
        )
    if kind in _PLAIN_KINDS:
        return words(_PLAIN_KINDS[kind], label=label)
    if kind == "extra_forbidden":
        model = _MODELS.get(str(loc[0])) if loc else None
        fields = [f.alias or n for n, f in model.model_fields.items()] if model else []
        return words("intake.field.extra", label=label, hint=suggest(str(label), fields))
    if kind == "string_type":
        quote = (
            words("intake.field.quote_it") if isinstance(value, int | float) and not private else ""
        )
        return words("intake.field.text", label=label, value=shown, quote=quote)
    if kind == "string_too_long":
        return words("intake.field.too_long", label=label, limit=ctx.get("max_length"))
    if kind == "too_long":
        return words("intake.field.too_many", label=label, limit=ctx.get("max_length"))
    if kind in _VALUE_KINDS:
        return words(_VALUE_KINDS[kind], label=label, value=shown)
    if kind in _BOUND_KINDS:
        key, name = _BOUND_KINDS[kind]
        return words(key, label=label, bound=_bound(ctx.get(name)), value=shown)
    if kind in ("literal_error", "enum"):
        return words("intake.field.one_of", label=label, expected=_expected(ctx), value=shown)
    if kind.startswith("date") or kind.startswith("datetime"):
        return words("intake.field.date", label=label, value=shown)
    if kind == "value_error":
        return _value_error(str(ctx.get("error", detail["msg"])))
    return None


# ----------------------------------------------------------------------------- hashing


def canonical_json(data: object) -> bytes:
    """One byte string per JSON value: keys sorted, no spaces, UTF-8 text, no NaN."""
    return json.dumps(
        data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def scenario_sha256(scenario: Scenario) -> str:
    """The hex sha256 of the scenario's canonical JSON, with every default filled in.

    The same scenario written with other whitespace or key order, or with defaults left out,
    hashes the same; unknown top-level fields are ignored, as the scenario ignores them.
    """
    dumped = scenario.model_dump(mode="json", by_alias=True)
    return hashlib.sha256(canonical_json(dumped)).hexdigest()
