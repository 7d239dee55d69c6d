"""Reading a scenario file and turning it into a validated :class:`~matcher.scenario.Scenario`.

Every problem of a file is reported at once, never a traceback: pydantic's errors (types, ranges,
enums, dates, personal data) are converted to :class:`~matcher.intake.issues.Issue`\\ s with a JSON
path, a plain message and the id of the item they belong to, and the reference checks of
:mod:`matcher.intake.validation` run on the same raw document in the same pass. Only when the schema
is satisfied do the checks that need travel times run
(:func:`matcher.intake.validation.validate_service`).
"""

from __future__ import annotations

import difflib
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

from matcher.intake.bounds import MAX_DEPTH, printable, unsafe_values
from matcher.intake.issues import Issue, ScenarioInvalid, json_path
from matcher.intake.validation import (
    describe_value,
    enclosing_id,
    validate_references,
    validate_service,
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
        raise ScenarioInvalid([Issue("$", f"file not found: {path}")]) from None
    except IsADirectoryError:
        raise ScenarioInvalid([Issue("$", f"{path} is a folder, not a scenario file")]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise ScenarioInvalid([Issue("$", f"cannot read {path}: {reason}")]) from None
    if path.suffix.lower() in YAML_SUFFIXES:
        document = _parse_yaml(decode_utf8(data))
    else:
        document = parse_json_bytes(data)
    top_level = _top_level_problem(document)
    if top_level is not None:
        raise ScenarioInvalid([top_level])
    return document


_TOO_DEEP = Issue("$", "the file is nested too deeply to be a scenario")


def _line_column(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    return data.count(b"\n", 0, offset) + 1, offset - line_start + 1


def decode_utf8(data: bytes, what: str = "the file") -> str:
    """Bytes as UTF-8 text (a byte-order mark dropped), or one problem naming the line and
    column of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = _line_column(data, error.start)
        raise ScenarioInvalid(
            [
                Issue(
                    "$",
                    f"{what} is not UTF-8 text (a byte at line {line}, column {column} is not "
                    "UTF-8; it may be saved as GBK); save it as UTF-8",
                )
            ]
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


def parse_json_bytes(data: bytes, what: str = "the file") -> object:
    """One JSON document from bytes, or one problem at ``$`` saying why not: not UTF-8, a
    syntax error (line and column), a key given twice, nested too deeply. Integers too long
    for any field are kept as :class:`LongNumber` for the bounds check to refuse with their
    path. The reader of scenario files and of the API's request bodies."""
    text = decode_utf8(data, what)
    try:
        return json.loads(text, parse_int=_read_int, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as error:
        message = (
            f"{what} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        )
        raise ScenarioInvalid([Issue("$", message)]) from None
    except _DuplicateKey as repeated:
        message = f'{what} gives the key "{printable(repeated.key)}" twice in one object'
        raise ScenarioInvalid([Issue("$", message)]) from None
    except RecursionError:
        raise ScenarioInvalid(
            [Issue("$", f"{what} is nested too deeply to be a scenario")]
        ) from None


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
        raise ScenarioInvalid([Issue("$", _yaml_message(error))]) from None
    except yaml.YAMLError as error:
        raise ScenarioInvalid([Issue("$", f"the file is not valid YAML: {error}")]) from None
    except RecursionError:
        raise ScenarioInvalid([_TOO_DEEP]) from None
    return _string_keys(document)


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    def at(mark: yaml.Mark | None) -> str:
        return f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""

    if error.problem is None:
        return (
            f"the file is not valid YAML: {error.context or 'syntax error'}{at(error.context_mark)}"
        )
    message = f"the file is not valid YAML: {error.problem}{at(error.problem_mark)}"
    if error.context is not None:
        message += f" ({error.context}{at(error.context_mark).replace(' at', ' that starts at')})"
    return message


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
                Issue(
                    "$",
                    f"the file's aliases expand to {size:,} values, more than any county "
                    f"holds (at most {MAX_EXPANDED_VALUES:,}); write the values out",
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
        raise ScenarioInvalid(
            [Issue("$", "the file holds a YAML alias inside its own anchor: it refers to itself")]
        )
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
        return Issue("$", "the file is empty; a scenario is an object with schema_version 1")
    return Issue(
        "$",
        f"a scenario must be an object (with schema_version, places, villages, ...), "
        f"not {describe_value(document)}",
    )


# ----------------------------------------------------------------------------- parsing


def parse_scenario(data: object) -> LoadedScenario:
    """Validate parsed data as a scenario: the scenario and its warnings, or every problem.

    Raises :class:`ScenarioInvalid` carrying all problems (errors and warnings, in document
    order) when there is at least one error: the schema's errors and the reference checks'
    together, and the pinned-provider checks once the schema is satisfied.
    """
    top_level = _top_level_problem(data)
    if top_level is not None or not isinstance(data, dict):
        raise ScenarioInvalid([top_level or Issue("$", "a scenario must be an object")])
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
        problems.append(
            Issue(json_path(loc), _message(detail, loc, is_key), enclosing_id(raw, loc))
        )
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
    if not loc:
        return "the scenario"
    last = loc[-1]
    parent = loc[-2] if len(loc) > 1 else ""
    if isinstance(last, int):
        return f"{parent}[{last}]"
    if parent in _MAPPINGS:
        return f"{parent}.{last}"
    return str(last)


def _bound(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _message(detail: ErrorDetails, loc: tuple[str | int, ...], is_key: bool) -> str:
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    label = _label(loc)
    private = any(part in _PRIVATE_FIELDS for part in loc if isinstance(part, str))
    value = detail.get("input")
    shown = "the value given" if private else describe_value(value)

    if is_key:
        parent = _label(loc[:-1])
        expected = ctx.get("expected", "")
        return f'"{loc[-1]}" is not a valid key of {parent}; use one of {expected}'
    if kind == "missing":
        return f"required field {label} is missing"
    if kind == "extra_forbidden":
        model = _MODELS.get(str(loc[0])) if loc else None
        fields = [f.alias or n for n, f in model.model_fields.items()] if model else []
        close = difflib.get_close_matches(label, fields, n=1, cutoff=0.75)
        hint = f'; did you mean "{close[0]}"?' if close else ""
        return f'unknown field "{label}"{hint}'
    if kind == "string_type":
        quote = " (write it in quotes)" if isinstance(value, int | float) and not private else ""
        return f"{label} must be text, not {shown}{quote}"
    if kind == "string_too_short":
        return f"{label} must not be empty"
    if kind == "string_too_long":
        return f"{label} must be at most {ctx.get('max_length')} characters long"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"{label} must be a whole number, not {shown}"
    if kind == "int_parsing_size":
        return f"{label} is too large: {shown}"
    if kind in ("float_type", "float_parsing"):
        return f"{label} must be a number, not {shown}"
    if kind in ("bool_type", "bool_parsing"):
        return f"{label} must be true or false, not {shown}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, name = bounds[kind]
        return f"{label} must be {words} {_bound(ctx.get(name))}, not {shown}"
    if kind in ("literal_error", "enum"):
        return f"{label} must be one of {ctx.get('expected', '')}, not {shown}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f'{label} must be a date written like "2026-12-01", not {shown}'
    if kind in ("tuple_type", "list_type"):
        return f"{label} must be a list, not {shown}"
    if kind == "dict_type":
        return f"{label} must be an object (key: value pairs), not {shown}"
    if kind in ("model_type", "model_attributes_type"):
        return f"{label} must be an object with named fields, not {shown}"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "finite_number":
        return f"{label} must be a finite number"
    return f"{label}: {detail['msg']}"


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
