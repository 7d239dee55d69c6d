"""The fuzzing kit: base counties, mutations, and drivers that push one input down the whole
path from intake to evaluation (issue 15, "Fuzzing as a habit").

One input is a :class:`Case`: a leg (how it enters), a base county and lists of
:class:`Mutation`\\ s. A mutation is plain data — an operation's name and two integers that pick
where it applies and what it writes — so Hypothesis can draw and shrink sequences of them
(``tests/fuzz/test_fuzz_pipeline.py``) and ``benchmarks/fuzz.py`` can draw the same ones from
``random.Random`` by the hundred thousand, save a crashing case as JSON and replay it.

The legs:

- ``document``: a Python object as if parsed from JSON, to
  :func:`matcher.intake.loading.parse_scenario`;
- ``file``: the document written as JSON or YAML text, mutated as bytes (truncation, invalid
  UTF-8, repeated keys, long digit strings, deep nesting, ...), to
  :func:`matcher.intake.loading.load_scenario` (the CLI's reader);
- ``workbook``: the base exported by :func:`matcher.workbook.export_scenario_xlsx`, its cells,
  rows and sheets changed with openpyxl, read back by :func:`matcher.workbook.import_scenario`;
- ``csv``: the same through a folder of CSV files.

Every driver ends in one of two outcomes: ``"refused"`` — every error located (a JSON path from
``$``, or a sheet/cell) with a message, all of it safe to print and send as UTF-8 JSON — or
``"solved"`` — the greedy plan keeps H1–H8 by its own account and by the evaluator's, has a
good status, writes as strict JSON that reads back with no violation, and its reports render.
Anything else is a :class:`Finding` (an ``AssertionError``) or an exception escaping the
library. :class:`Unusable` means the kit could not build the input (not the library's fault).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import functools
import io
import json
import math
import random
import re
import shutil
import tempfile
import typing
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import annotated_types
import openpyxl
import yaml
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from matcher.evaluate.evaluator import evaluate
from matcher.generator import generate_scenario
from matcher.intake.issues import Issue, ScenarioInvalid
from matcher.intake.loading import load_scenario, parse_scenario
from matcher.plan import Plan, plan_to_json
from matcher.reports import render_text
from matcher.run import solve_scenario
from matcher.scenario import (
    CATEGORIES,
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
from matcher.workbook import ImportResult, export_scenario_csv, export_scenario_xlsx
from matcher.workbook import import_scenario as import_workbook

T = TypeVar("T")
Doc = Any  # a JSON-like value: dict, list, str, int, float, bool or None
Leg = Literal["document", "file", "workbook", "csv"]
LEGS: tuple[Leg, ...] = ("document", "file", "workbook", "csv")
LEG_WEIGHTS: dict[Leg, float] = {"document": 0.67, "file": 0.27, "workbook": 0.03, "csv": 0.03}
"""How often a random case takes each leg (a workbook input costs ten document inputs)."""
GOOD_STATUSES = ("optimal", "feasible", "stopped")
MAX_ITEMS = 400
"""Items a mutation may grow a document to (all top-level lists together): inputs stay small."""

CONTRACT = Path(__file__).resolve().parent.parent / "data" / "contract" / "tiny-county.json"
LISTS = (
    "places",
    "villages",
    "roads",
    "cadres",
    "organizations",
    "pools",
    "needs",
    "aid_records",
)
MODELS: dict[str, type[BaseModel]] = {
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


class Unusable(Exception):
    """The kit could not build this input (a value openpyxl will not store, say): skip it."""


class Finding(AssertionError):
    """The library answered, but wrongly: ``kind`` is ``violation`` (a plan breaking a rule or
    with a bad status), ``refusal`` (a refusal not located or not printable), ``output`` (a plan
    or report that does not write) or ``inconsistent`` (an import accepted what JSON refuses)."""

    def __init__(self, kind: str, message: str, data: object = None) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.data = data


# ----------------------------------------------------------------------------- bases

GENERATED_SIZES = ((2, 5), (3, 15), (6, 40))
"""(villages, needs) of the generated bases, by base number modulo 3."""


@functools.cache
def _base(number: int) -> str:
    if number == 0:
        return CONTRACT.read_text(encoding="utf-8")
    villages, needs = GENERATED_SIZES[number % len(GENERATED_SIZES)]
    return json.dumps(generate_scenario(villages=villages, needs=needs, seed=number))


def base_document(number: int) -> dict[str, Any]:
    """A fresh copy of base ``number``: 0 is the contract county (3 villages, 8 needs), any
    other a generated county of 2–6 villages and 5–40 needs with that seed."""
    document: dict[str, Any] = json.loads(_base(number))
    return document


# ----------------------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Mutation:
    """One edit: the operation ``op``; ``where`` picks the spot among the candidates (modulo
    their number) and ``what`` the variant or value."""

    op: str
    where: int = 0
    what: int = 0

    def __str__(self) -> str:
        return f"{self.op}@{self.where}:{self.what}"


Op = Callable[[Doc, int, int], Doc]
Slot = tuple[Any, Any]  # (container, key): container[key] is the node


def _pick(items: Sequence[T], index: int) -> T:
    if not items:
        raise LookupError
    return items[index % len(items)]


def _slots(doc: Doc) -> list[Slot]:
    """Every (container, key) of the document, depth first, the root's children first."""
    found: list[Slot] = []
    stack: list[Any] = [doc]
    while stack:
        node = stack.pop()
        pairs: Iterator[tuple[Any, Any]]
        if isinstance(node, dict):
            pairs = iter(list(node.items()))
        elif isinstance(node, list):
            pairs = enumerate(node)
        else:
            continue
        for key, child in pairs:
            found.append((node, key))
            if isinstance(child, dict | list):
                stack.append(child)
    return found


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _items(doc: Doc, *lists: str) -> list[tuple[str, dict[str, Any]]]:
    """The items (objects) of the named top-level lists, with their list's name."""
    if not isinstance(doc, dict):
        return []
    found: list[tuple[str, dict[str, Any]]] = []
    for name in lists or LISTS:
        value = doc.get(name)
        if isinstance(value, list):
            found.extend((name, item) for item in value if isinstance(item, dict))
    return found


def _ids(doc: Doc, *lists: str) -> list[str]:
    return [item["id"] for _, item in _items(doc, *lists) if isinstance(item.get("id"), str)]


def _size(doc: Doc) -> int:
    if not isinstance(doc, dict):
        return 0
    return sum(len(v) for k, v in doc.items() if k in LISTS and isinstance(v, list))


def _horizon(doc: Doc) -> tuple[dt.date, int]:
    try:
        horizon = doc["horizon"]
        return dt.date.fromisoformat(horizon["start"]), int(horizon["days"])
    except (TypeError, KeyError, ValueError, OverflowError):
        return dt.date(2026, 12, 1), 31


NASTY_NUMBERS: tuple[object, ...] = (
    0, -0.0, -1, 1, 0.5, 1e-9, 5e-324, 1e-300, 2.5, 3, 4, 6, 24, 24.000001, 31, 100, 365, 366,
    367, 3660, 3661, 10_000, 100_000, 100_000.001, 10**8, 10**8 + 1, 10**12, 10**12 + 1,
    10**15, 10**15 + 1, 10**30, 2**53 + 1, 2**63 - 1, 2**63, -(2**63), 2**64, 10**400,
    1.7976931348623157e308, -1e308, math.nan, math.inf, -math.inf, 0.1 + 0.2, 1 / 3, -1e-9,
    True, False, "1", "1e3", "",
)  # fmt: skip
OTHER_TYPES: tuple[object, ...] = (
    None, True, False, 0, -1, 1.5, "", " ", "x", [], {}, [1], ["V1"], {"a": 1}, {"id": "X"},
    [[]], [None], "null", "true", "[]",
)  # fmt: skip


def _nasty_text(old: str, what: int) -> str:
    fixed = (
        "", " ", "\t", "\u3000", "x", "\x00", "a\x00b", "\udc80", "a\ud800", "\u202e",
        "ab\u202ecd", "\u200b", "\ufeff", "\u00ad", "e\u0301", "🎉", "𠀀", "东坡村", "Ｃ１",
        "NaN", "null", "None", "true", "=SUM(A1)", "+1", "-1", "@x", "2026-02-30",
        "2026-12-01", "0001-01-01", "9999-12-31", "$", "$.needs[0]", '"', "\\", "\\u0000",
        "a;b", "a,b", "a:b", "{", "[]", "x" * 128, "x" * 129, "x" * 200, "x" * 201,
        "x" * 10_000, "x" * 10_001, "13812345678", "110101199001011234", "H-138-1234-5678",
        "\x85", "\x7f", "a\nb", "a\r\nb", "\u2066x\u2069", "\u061c", "ß", "İ", "ǅ",
    )  # fmt: skip
    derived = (
        old + " ", " " + old, old.upper(), old.lower(), old + "\u200b", old * 2, old[:1],
        "\n" + old, old + "\r\n", unicodedata.normalize("NFKD", old),
        "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in old),
        old + "\u0301", old[::-1],
    )  # fmt: skip
    choices = fixed + derived
    return choices[what % len(choices)]


def _date_value(doc: Doc, what: int) -> object:
    start, days = _horizon(doc)
    fixed: tuple[object, ...] = (
        "1900-01-01", "1899-12-31", "2199-12-31", "2200-01-01", "0001-01-01", "9999-12-31",
        "2024-02-29", "2026-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-1",
        "20261201", "2026/12/01", "2026-12-01T00:00:00", "2026-12-01T10:30:00",
        "2026-12-01T00:00:00Z", "2026-12-01T00:00:00+08:00", "2026-12-01 ", "", "today",
        86400, 0, 20261201, None, "２０２６-１２-０１", "+2026-12-01", "-2026-12-01",
        "2026-W49-1", "2026-335",
    )  # fmt: skip
    offsets = (-3661, -3660, -366, -31, -30, -29, -1, 0, 1, days - 1, days, days + 1, 3660)
    if what % 3 == 0:
        return fixed[what // 3 % len(fixed)]
    try:
        return (start + dt.timedelta(days=offsets[what // 3 % len(offsets)])).isoformat()
    except OverflowError:
        return "9999-12-31"


@functools.cache
def _bounds_of(model: type[BaseModel], name: str) -> tuple[float, ...]:
    """The numeric bounds (ge, gt, le, lt) declared on a model's field, however nested."""
    found: list[float] = []

    def collect(node: object) -> None:
        if isinstance(node, FieldInfo):
            for entry in node.metadata:
                collect(entry)
            collect(node.annotation)
            return
        for attribute in ("ge", "gt", "le", "lt"):
            if isinstance(node, getattr(annotated_types, attribute.capitalize())):
                bound = getattr(node, attribute)
                if _is_number(bound):
                    found.append(bound)
        if typing.get_origin(node) is typing.Annotated:
            for entry in typing.get_args(node)[1:]:
                collect(entry)
        for argument in typing.get_args(node):
            if argument is not node:
                collect(argument)

    info = model.model_fields.get(name)
    if info is None:
        alias = {f.alias: f for f in model.model_fields.values() if f.alias}
        info = alias.get(name)
    if info is not None:
        collect(info)
    return tuple(found)


def _near_bound(bound: float, what: int) -> object:
    tiny = 1 if isinstance(bound, int) else 1e-9
    variants: tuple[object, ...] = (
        bound, bound - tiny, bound + tiny, float(bound), math.nextafter(float(bound), math.inf),
        math.nextafter(float(bound), -math.inf), bound * 2 if bound else 1, -bound,
    )  # fmt: skip
    return variants[what % len(variants)]


# --- the operations (each takes the document, may change it in place, returns the root)


def op_delete_key(doc: Doc, where: int, what: int) -> Doc:
    """Delete one key of any object."""
    container, key = _pick([s for s in _slots(doc) if isinstance(s[0], dict)], where)
    del container[key]
    return doc


def op_retype(doc: Doc, where: int, what: int) -> Doc:
    """Replace any node with a value of another type."""
    container, key = _pick(_slots(doc), where)
    container[key] = copy.deepcopy(_pick(OTHER_TYPES, what))
    return doc


def op_number(doc: Doc, where: int, what: int) -> Doc:
    """Replace a number with a huge, negative, non-finite, tiny or boundary one."""
    slots = [s for s in _slots(doc) if _is_number(s[0][s[1]])] or _slots(doc)
    container, key = _pick(slots, where)
    container[key] = _pick(NASTY_NUMBERS, what)
    return doc


def op_text(doc: Doc, where: int, what: int) -> Doc:
    """Replace a string with unclean, long, look-alike or padded text."""
    slots = [s for s in _slots(doc) if isinstance(s[0][s[1]], str)] or _slots(doc)
    container, key = _pick(slots, where)
    old = container[key] if isinstance(container[key], str) else "x"
    container[key] = _nasty_text(old, what)
    return doc


def op_key(doc: Doc, where: int, what: int) -> Doc:
    """Rename a key of an object to something odd, or add an odd key."""
    dicts = [doc] if isinstance(doc, dict) else []
    dicts += [s[0][s[1]] for s in _slots(doc) if isinstance(s[0][s[1]], dict)]
    target = _pick(dicts, where)
    names = ("foo", "", " id", "id ", "ID", "\udc80", "\x00", "\u202eid", "名字", "from_",
             "skills", "1", "schema_version", "x" * 10_001)  # fmt: skip
    name = _pick(names, what)
    if target and what % 2:
        old = _pick(list(target), what // 2)
        target[name] = target.pop(old)
    else:
        target[name] = _pick(OTHER_TYPES, what // 7)
    return doc


def op_empty(doc: Doc, where: int, what: int) -> Doc:
    """Empty a list or object (or make it null)."""
    slots = [s for s in _slots(doc) if isinstance(s[0][s[1]], list | dict)]
    container, key = _pick(slots, where)
    container[key] = _pick(([], {}, None), what) if what % 2 else type(container[key])()
    return doc


def op_duplicate(doc: Doc, where: int, what: int) -> Doc:
    """Append a copy of a list entry: the same id twice."""
    slots = [s for s in _slots(doc) if isinstance(s[0][s[1]], list) and s[0][s[1]]]
    container, key = _pick(slots, where)
    entries = container[key]
    if _size(doc) < MAX_ITEMS:
        entries.insert(what % (len(entries) + 1), copy.deepcopy(_pick(entries, what)))
    return doc


def op_drop(doc: Doc, where: int, what: int) -> Doc:
    """Remove an item of a top-level list (what refers to it dangles)."""
    name, item = _pick(_items(doc), where)
    doc[name].remove(item)
    return doc


def op_clone(doc: Doc, where: int, what: int) -> Doc:
    """Add 1–60 copies of an item with fresh ids: larger counts, still valid."""
    name, item = _pick(_items(doc), where)
    for copy_number in range(1 + what % 60):
        if _size(doc) >= MAX_ITEMS:
            break
        twin = copy.deepcopy(item)
        if isinstance(twin.get("id"), str):
            twin["id"] = f"{twin['id']}-k{copy_number}"
        doc[name].append(twin)
    return doc


# The fields that name another item, by list.
REFERENCES: dict[str, tuple[str, ...]] = {
    "villages": ("town",),
    "roads": ("from", "to"),
    "cadres": ("base", "paired_villages", "department"),
    "organizations": ("base", "towns"),
    "pools": ("villages", "department"),
    "needs": ("village", "household", "pinned_provider"),
    "aid_records": ("village", "household", "provider"),
}


def op_reference(doc: Doc, where: int, what: int) -> Doc:
    """Point a reference at another id: of the same kind, of another kind, or of nothing."""
    spots = [
        (item, name)
        for list_name, item in _items(doc, *REFERENCES)
        for name in REFERENCES[list_name]
    ]
    item, name = _pick(spots, where)
    known = _ids(doc)
    households = [i["household"] for _, i in _items(doc, "needs", "aid_records")]
    pool = [*known, *(h for h in households if isinstance(h, str)), "NOPE", "", "V404", None]
    value: object = _pick(pool, what)
    if isinstance(item.get(name), list) or name in ("paired_villages", "towns", "villages"):
        old = item.get(name)
        entries = list(old) if isinstance(old, list) else []
        value = [*entries, value] if what % 2 else [value] * (1 + what % 3)
    item[name] = value
    return doc


def op_pin(doc: Doc, where: int, what: int) -> Doc:
    """Pin a need to a provider of the document (or unpin it)."""
    _, need = _pick(_items(doc, "needs"), where)
    providers = _ids(doc, "cadres", "organizations")
    need["pinned_provider"] = _pick([*providers, None], what)
    return doc


def op_date(doc: Doc, where: int, what: int) -> Doc:
    """Set a date (horizon start, need submitted, aid record date) far off, odd or malformed."""
    spots: list[tuple[dict[str, Any], str]] = [(i, "date") for _, i in _items(doc, "aid_records")]
    spots += [(i, "submitted") for _, i in _items(doc, "needs")]
    if isinstance(doc, dict) and isinstance(doc.get("horizon"), dict):
        spots.append((doc["horizon"], "start"))
    item, name = _pick(spots, where)
    item[name] = _date_value(doc, what)
    return doc


def op_bounds(doc: Doc, where: int, what: int) -> Doc:
    """Set a number of an item, the horizon or the policy at one of its field's bounds, just
    inside or just beyond it."""
    spots: list[tuple[dict[str, Any], str, float]] = []
    places = list(_items(doc))
    if isinstance(doc, dict):
        places += [(n, doc[n]) for n in ("horizon", "policy") if isinstance(doc.get(n), dict)]
    for list_name, item in places:
        model = MODELS[list_name]
        names = set(item) | (set(model.model_fields) if list_name == "policy" else set())
        for name in sorted(names):
            spots.extend((item, name, bound) for bound in _bounds_of(model, name))
    item, name, bound = _pick(spots, where)
    if name in ("priority_weights", "region_weights"):
        keys = ("1", "2", "3", "4", "5") if name == "priority_weights" else ("east", "west")
        item[name] = {_pick(keys, what): _near_bound(bound, what // 5)}
    else:
        item[name] = _near_bound(bound, what)
    return doc


def op_policy(doc: Doc, where: int, what: int) -> Doc:
    """Set one policy field to a telling value (bounds, zero, odd types, partial weights)."""
    if not isinstance(doc, dict):
        raise LookupError
    policy = doc.get("policy")
    if not isinstance(policy, dict):
        policy = doc["policy"] = {}
    names = sorted(Policy.model_fields)
    name = _pick(names, where)
    special: tuple[object, ...] = (
        {}, {"1": 0}, {"5": 1_000_000}, {"6": 1}, {"east": 0, "west": 0, "central": 0},
        {"west": 1e6}, {"north": 1}, {"1": -1}, {"1": math.inf}, [], None, "1", True,
    )  # fmt: skip
    bounds = _bounds_of(Policy, name)
    if bounds and what % 3:
        policy[name] = _near_bound(_pick(bounds, what // 3), what // 7)
    else:
        policy[name] = _pick(special, what // 3)
    return doc


def op_horizon(doc: Doc, where: int, what: int) -> Doc:
    """Change the horizon's length (0, 1, 366, 367, ...) or its whole value."""
    if not isinstance(doc, dict):
        raise LookupError
    values: tuple[object, ...] = (1, 2, 7, 365, 366, 367, 0, -1, 3660, 31.0, 31.5)
    if what % 5 == 4:
        doc["horizon"] = _pick(({"start": "2026-12-01"}, {"days": 31}, [], None, "2026"), what)
    elif isinstance(doc.get("horizon"), dict):
        doc["horizon"]["days"] = _pick(values, what)
    return doc


def op_scale(doc: Doc, where: int, what: int) -> Doc:
    """Multiply one numeric field across a whole list (all hours, all costs, ...)."""
    spots = sorted({(n, k) for n, i in _items(doc) for k, v in i.items() if _is_number(v)})
    list_name, name = _pick(spots, where)
    factor = _pick((0, 1e-6, 0.01, 0.5, 2, 10, 1000, 1e6, -1), what)
    for _, item in _items(doc, list_name):
        value = item.get(name)
        if isinstance(value, int | float) and _is_number(value) and math.isfinite(value):
            scaled = value * factor
            item[name] = round(scaled) if isinstance(value, int) else scaled
    return doc


def op_roads(doc: Doc, where: int, what: int) -> Doc:
    """Change the road network: none, empty, loops, zero minutes, duplicates, a cut village."""
    if not isinstance(doc, dict):
        raise LookupError
    roads = doc.get("roads")
    nodes = _ids(doc, "places", "villages")
    variant = what % 8
    if variant == 0:
        doc["roads"] = None
    elif variant == 1:
        doc["roads"] = []
    elif variant == 2:
        doc.pop("roads", None)
    elif variant == 3 and nodes:
        node = _pick(nodes, where)
        doc["roads"] = [*(roads or []), {"from": node, "to": node, "minutes": 0}]
    elif variant == 4 and isinstance(roads, list):
        for road in roads:
            if isinstance(road, dict):
                road["minutes"] = _pick((0, 0.0, 1e-9, 100_000), where)
    elif variant == 5 and isinstance(roads, list):
        doc["roads"] = roads + copy.deepcopy(roads)
    elif variant == 6 and isinstance(roads, list) and nodes:
        cut = _pick(nodes, where)
        doc["roads"] = [r for r in roads if not (isinstance(r, dict) and cut in r.values())]
    elif isinstance(roads, list) and nodes:
        doc["roads"] = [*roads, {"from": _pick(nodes, where), "to": _pick(nodes, what // 8),
                                 "minutes": _pick((0, 1, 59.9, 600), where)}]  # fmt: skip
    return doc


def _set_all(doc: Doc, list_name: str, name: str, value: object) -> None:
    for _, item in _items(doc, list_name):
        item[name] = copy.deepcopy(value)


def op_capacity(doc: Doc, where: int, what: int) -> Doc:
    """Starve or flood a whole resource: every cadre away, every pool empty, every need dear."""
    villages = _ids(doc, "villages")
    changes: tuple[tuple[str, str, object], ...] = (
        ("cadres", "available", False),
        ("cadres", "hours", 1e-9),
        ("cadres", "hours", 100_000),
        ("cadres", "max_travel_minutes", 0),
        ("cadres", "max_villages", 0),
        ("cadres", "max_villages", 10_000),
        ("cadres", "paired_villages", villages),
        ("cadres", "skills", {}),
        ("cadres", "skills", {c: 3 for c in CATEGORIES}),
        ("organizations", "towns", []),
        ("organizations", "hours", 100_000),
        ("organizations", "max_travel_minutes", 100_000),
        ("pools", "amount", 0),
        ("pools", "amount", 10**12),
        ("pools", "max_per_need", 0),
        ("pools", "max_per_need", 1),
        ("pools", "categories", []),
        ("pools", "villages", []),
        ("pools", "regions", []),
        ("villages", "funding_cap", 0),
        ("villages", "funding_cap", 1),
        ("villages", "households", 0),
        ("needs", "cost", 10**12),
        ("needs", "cost", 1),
        ("needs", "level", 3),
        ("needs", "hours", 100_000),
        ("needs", "hours", 1e-9),
        ("needs", "priority", 5),
        ("needs", "household", None),
        ("needs", "vulnerable", ["left_behind_child", "elderly_alone", "disabled"]),
        ("needs", "skill", "medical"),
        ("aid_records", "hours", 100_000),
    )
    list_name, name, value = _pick(changes, what)
    _set_all(doc, list_name, name, value)
    if isinstance(doc, dict) and where % 4 == 0 and isinstance(doc.get("policy"), dict):
        doc["policy"]["allow_repeat_aid"] = bool(where % 8)
    return doc


def op_pile(doc: Doc, where: int, what: int) -> Doc:
    """Pile needs and aid records onto one household and category (duplicate-aid stress)."""
    needs = [i for _, i in _items(doc, "needs")]
    anchor = _pick(needs, where)
    start, _ = _horizon(doc)
    for need in needs[: 1 + what % 12]:
        for name in ("village", "household", "category"):
            if name in anchor:
                need[name] = anchor[name]
        need.pop("skill", None)
    records = doc.setdefault("aid_records", []) if isinstance(doc, dict) else None
    if isinstance(records, list):
        for number in range(what % 5):
            if _size(doc) >= MAX_ITEMS:
                break
            day = start - dt.timedelta(days=_pick((0, 1, 29, 30, 31, 400), number + where))
            records.append(
                {"id": f"A-pile-{number}", "household": anchor.get("household"),
                 "village": anchor.get("village"), "category": anchor.get("category"),
                 "provider": "civil_affairs", "cost": 100 * number, "hours": number,
                 "date": day.isoformat()}
            )  # fmt: skip
    return doc


def op_deep(doc: Doc, where: int, what: int) -> Doc:
    """Replace a node with lists (or objects) nested 2 to 5,000 deep."""
    container, key = _pick(_slots(doc), where)
    depth = _pick((2, 30, 31, 32, 33, 100, 5000), what)
    node: object = container[key]
    for _ in range(depth):
        node = {"a": node} if what % 2 else [node]
    container[key] = node
    return doc


def op_big(doc: Doc, where: int, what: int) -> Doc:
    """Replace a node with a long list (up to 300 entries) or long text."""
    container, key = _pick(_slots(doc), where)
    old = container[key]
    count = _pick((300, 200, 129), what)
    container[key] = [copy.deepcopy(old) for _ in range(count)] if what % 2 else "字" * 9_999
    return doc


def op_top(doc: Doc, where: int, what: int) -> Doc:
    """Replace the whole document, or its schema_version."""
    if what % 2:
        return copy.deepcopy(_pick(([], None, 1, "x", {}, {"schema_version": 1}, True), where))
    if isinstance(doc, dict):
        doc["schema_version"] = _pick((2, "1", 1.0, True, None, 0, -1, [1]), where)
    return doc


DOCUMENT_OPS: dict[str, Op] = {
    # gentle: most results stay valid, so they reach the solver
    "bounds": op_bounds,
    "policy": op_policy,
    "pin": op_pin,
    "clone": op_clone,
    "reference": op_reference,
    "date": op_date,
    "horizon": op_horizon,
    "scale": op_scale,
    "roads": op_roads,
    "capacity": op_capacity,
    "pile": op_pile,
    "drop": op_drop,
    # harsh: mostly refused
    "delete_key": op_delete_key,
    "retype": op_retype,
    "number": op_number,
    "text": op_text,
    "key": op_key,
    "empty": op_empty,
    "duplicate": op_duplicate,
    "deep": op_deep,
    "big": op_big,
    "top": op_top,
}
GENTLE_OPS = tuple(list(DOCUMENT_OPS)[:12])
HARSH_OPS = tuple(list(DOCUMENT_OPS)[12:])


def mutate_document(base: int, edits: tuple[Mutation, ...] | list[Mutation]) -> Doc:
    """Base ``base`` with ``edits`` applied in turn; an edit with nothing to act on (no
    numbers left, say) does nothing."""
    doc: Doc = base_document(base)
    for edit in edits:
        try:
            doc = DOCUMENT_OPS[edit.op](doc, edit.where, edit.what)
        except (LookupError, TypeError, AttributeError, ValueError, RecursionError):
            continue  # nothing of the kind to change in this document (or nested too deep)
    return doc


# ----------------------------------------------------------------------------- text


def serialize(doc: Doc, suffix: str) -> bytes:
    """The document as the bytes of a JSON file (NaN/Infinity allowed) or a YAML file."""
    if suffix in (".yaml", ".yml"):
        for unicode in (True, False):
            try:
                text = yaml.safe_dump(doc, allow_unicode=unicode, sort_keys=False)
                return text.encode("utf-8")
            except (UnicodeEncodeError, yaml.YAMLError):
                continue
        raise Unusable("the document cannot be written as YAML")
    try:
        return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(doc, ensure_ascii=True, indent=1).encode("ascii")
    except (ValueError, RecursionError) as error:  # nested too deep for json.dumps
        raise Unusable(f"the document cannot be written as JSON: {error}") from error


_NUMBER = re.compile(rb"(?<=[:\[,] )-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|(?<=[:\[,])-?\d+")
_KEY = re.compile(rb'(?m)"[A-Za-z_]+": |^ *[A-Za-z_]+: ')
_STRING = re.compile(rb'(?<=: )"[^"\\\n]*"')

DIGITS: tuple[bytes, ...] = (
    b"9" * 16, b"1" + b"0" * 15, b"1" + b"0" * 14 + b"1", b"9" * 30, b"9" * 31, b"-" + b"9" * 31,
    b"9" * 400, b"9" * 4300, b"9" * 4301, b"-" + b"9" * 20_000, b"1e400", b"-1e400", b"1e-400",
    b"1." + b"0" * 400 + b"1", b"0." + b"0" * 500 + b"1", b"1" + b"0" * 400 + b".0", b"NaN",
    b"Infinity", b"-Infinity", b"-0", b"0e0", b"01", b"1.", b".5", b"+1", b"0x10", b"1_000",
    "１".encode(), b"1e", b"--1", b"2e308", b"4.9e-324", b"9007199254740993", b"1E+15",
)  # fmt: skip
BAD_BYTES: tuple[bytes, ...] = (
    b"\xff", b"\xfe", b"\xc3", b"\xc0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80",
    b"\x00", b"\xef\xbb\xbf", b"\r", b"\x1a", b"\xe4\xb8", b"\t", b"\x0c",
)  # fmt: skip
ESCAPES: tuple[bytes, ...] = (
    rb'"\ud800"', rb'"\udc80"', rb'"a\ud800\udc00"', rb'"\u0000"', rb'"\u202e"', rb'"\x41"',
    rb'"\"', rb'"\uZZZZ"', b'"a\nb"', b'"a\tb"', rb'"\u00"', b'"\xe4\xb8\xad"', rb'"\/"',
    rb'"\ud83c\udf89"', b'""', b'" "',
)  # fmt: skip
GARBAGE: tuple[bytes, ...] = (
    b"}",
    b",",
    b"\x00",
    b" {}",
    b"//c",
    b"\n\n",
    b"[",
    b"/*x*/",
    b"\n---\n",
    b"\n...\n",
)
WHOLE: tuple[bytes, ...] = (
    b"", b"null", b"[]", b"1", b'"x"', b"\xef\xbb\xbf", b" ", b"{}", b"\xef\xbb\xbf{}", b"~",
    b"---", b"\x00", b"NaN", b"[" * 100_000, b"{" * 50_000,
)  # fmt: skip
YAML_SNIPPETS: tuple[bytes, ...] = (
    b"x: !!python/object/apply:os.system ['true']\n",
    b"x: !!python/name:os.system\n",
    b"x: &a [*a]\n",
    b"x: &b {y: *b}\n",
    b"a0: &a0 [1, 1, 1]\na1: &a1 [*a0, *a0, *a0]\na2: [*a1, *a1, *a1]\n",
    b"? [a, b]\n: c\n",
    b"1.5: x\n",
    b"null: x\n",
    b"true: x\n",
    b"2026-12-01: x\n",
    b"x: !!binary aGVsbG8=\n",
    b"x: !!timestamp 2026-02-30\n",
    b"x: 2026-12-01 10:00:00\n",
    b"x: !custom y\n",
    b"x: !!float abc\n",
    b"x: !!int 0x\n",
    b"x: .nan\n",
    b"x: 0o17\n",
    b"\tx: 1\n",
    b"<<: {schema_version: 2}\n",
    b"x: !!set {a, b}\n",
    b"x: !!omap [a: 1]\n",
)


def _position(data: bytes, where: int) -> int:
    return where % (len(data) + 1)


def _replace_match(data: bytes, pattern: re.Pattern[bytes], where: int, new: bytes) -> bytes:
    matches = list(pattern.finditer(data))
    if not matches:
        return data
    match = _pick(matches, where)
    return data[: match.start()] + new + data[match.end() :]


def text_truncate(data: bytes, where: int, what: int) -> bytes:
    """Cut the file short."""
    return data[: _position(data, where)]


def text_bad_bytes(data: bytes, where: int, what: int) -> bytes:
    """Insert bytes that are not UTF-8 (or control bytes)."""
    at = _position(data, where)
    return data[:at] + _pick(BAD_BYTES, what) + data[at:]


def text_flip(data: bytes, where: int, what: int) -> bytes:
    """Flip one bit of one byte."""
    if not data:
        return data
    at = where % len(data)
    return data[:at] + bytes([data[at] ^ (1 << what % 8)]) + data[at + 1 :]


def text_repeat_key(data: bytes, where: int, what: int) -> bytes:
    """Give a key twice in one object."""
    matches = list(_KEY.finditer(data))
    if not matches:
        return data
    match = _pick(matches, where)
    key = match.group()
    if key.startswith(b'"'):
        value = _pick((b"null", b"1", b'"x"', b"{}"), what)
        return data[: match.start()] + key + value + b", " + data[match.start() :]
    indent = key[: len(key) - len(key.lstrip(b" "))]
    return data[: match.start()] + key + b"null\n" + indent + data[match.start() :]


def text_digits(data: bytes, where: int, what: int) -> bytes:
    """Replace a number with a long digit string, an overflowing or odd literal."""
    return _replace_match(data, _NUMBER, where, _pick(DIGITS, what))


def text_nest(data: bytes, where: int, what: int) -> bytes:
    """Replace a number with arrays or objects nested deeply."""
    depth = _pick((31, 32, 33, 100, 1000, 100_000), what)
    nested = b"[" * depth + b"0" + b"]" * depth
    if what % 2:
        nested = b'{"a":' * depth + b"0" + b"}" * depth
    return _replace_match(data, _NUMBER, where, nested)


def text_encoding(data: bytes, where: int, what: int) -> bytes:
    """Re-encode the file: GBK, UTF-16/32, Latin-1, with BOMs, with CR line ends."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    variant = what % 9
    if variant == 0:
        return text.encode("gbk", errors="replace")
    if variant == 1:
        return text.encode("utf-16")
    if variant == 2:
        return text.encode("utf-16-le")
    if variant == 3:
        return text.encode("utf-32")
    if variant == 4:
        return text.encode("latin-1", errors="replace")
    if variant == 5:
        return b"\xef\xbb\xbf" + data
    if variant == 6:
        return b"\xef\xbb\xbf\xef\xbb\xbf" + data
    if variant == 7:
        return data.replace(b"\n", b"\r")
    return data.replace(b"\n", b"\r\n")


def text_escape(data: bytes, where: int, what: int) -> bytes:
    """Replace a string value with escapes of lone surrogates, NUL, bad escapes, raw
    control characters."""
    return _replace_match(data, _STRING, where, _pick(ESCAPES, what))


def text_garbage(data: bytes, where: int, what: int) -> bytes:
    """Add junk at an end, or replace the whole file with something that is not a scenario."""
    if what % 3 == 2:
        return _pick(WHOLE, what // 3)
    junk = _pick(GARBAGE, what // 3)
    return data + junk if what % 3 else junk + data


def text_yaml(data: bytes, where: int, what: int) -> bytes:
    """Add a YAML construct: Python tags, recursive and nested aliases, keys that are not
    text, impossible timestamps, merge keys (meaningless, hence refused, in a JSON file)."""
    snippet = _pick(YAML_SNIPPETS, what)
    if where % 2:
        return snippet + data
    return data + (b"" if data.endswith(b"\n") else b"\n") + snippet


TEXT_OPS: dict[str, Callable[[bytes, int, int], bytes]] = {
    "truncate": text_truncate,
    "bad_bytes": text_bad_bytes,
    "flip": text_flip,
    "repeat_key": text_repeat_key,
    "digits": text_digits,
    "nest": text_nest,
    "encoding": text_encoding,
    "escape": text_escape,
    "garbage": text_garbage,
    "yaml": text_yaml,
}


def mutate_bytes(data: bytes, edits: tuple[Mutation, ...] | list[Mutation]) -> bytes:
    """``data`` with the text edits applied in turn."""
    for edit in edits:
        data = TEXT_OPS[edit.op](data, edit.where, edit.what)
    return data


# ----------------------------------------------------------------------------- workbooks

CELL_VALUES: tuple[object, ...] = (
    None, "", " ", "x", "一二三", "是", "否", "=1/0", "=A1", "=SUM(A1:A3)", "#N/A", "#REF!", 0,
    -1, 1, 0.5, 1e308, -1e308, 10**15, 10**20, 2**63, 1e-9, 0.1 + 0.2, True, False,
    dt.datetime(2026, 12, 1), dt.datetime(2026, 12, 1, 10, 30), dt.date(1900, 1, 1),
    dt.date(9999, 12, 31), dt.time(10, 0), dt.timedelta(days=2), "2026-02-30",
    "２０２６年１２月１日", "2026年12月1日", "2026/12/1", "agri_tech:9", "agri_tech:1;medical:2",
    "农业技术:2", "agri_tech", '{"1": 2', '{"1": 1e999}', '{"east": 1}', "[]", "null", "NaN",
    "inf", "-inf", "1,000", "1,000.5", "1e400", "9" * 40, "x" * 10_001, "字" * 32_000, " C1 ",
    "\u202e", "\u200b", "H-13812345678", "V1;V1", "V1;;", ";", "；", "、", "T1,T2", "1.0",
    "12:00", "TRUE", "√", "×", "3.5", "100000", "100000.1", "-0", "0x1F", math.nan, math.inf,
)  # fmt: skip


def _sheet(book: openpyxl.Workbook, where: int) -> Any:
    return _pick(book.worksheets, where)


def cell_set(book: openpyxl.Workbook, where: int, what: int) -> None:
    """Set one cell (headers included) to a random string, number, blank, formula, date,
    huge value or Chinese text."""
    sheet = _sheet(book, where)
    row = 1 + (where // 11) % (sheet.max_row + 1)
    column = 1 + (where // 7) % (sheet.max_column + 1)
    value = _pick(CELL_VALUES, what)
    if where % 13 == 0:  # a value copied from another cell of the sheet
        value = sheet.cell(1 + what % sheet.max_row, 1 + what % sheet.max_column).value
    sheet.cell(row, column).value = value


def cell_rows(book: openpyxl.Workbook, where: int, what: int) -> None:
    """Delete, insert or append rows (blank, junk, a second header)."""
    sheet = _sheet(book, where)
    row = 1 + (where // 11) % (sheet.max_row + 1)
    variant = what % 4
    if variant == 0:
        sheet.delete_rows(row, 1 + what // 4 % 3)
    elif variant == 1:
        sheet.insert_rows(row, 1 + what // 4 % 3)
    elif variant == 2:
        sheet.append([_pick(CELL_VALUES, what // 4 + i) for i in range(sheet.max_column)])
    else:
        sheet.append([c.value for c in sheet[1 + what // 4 % sheet.max_row]])


def cell_columns(book: openpyxl.Workbook, where: int, what: int) -> None:
    """Delete or insert a column, or swap two headers."""
    sheet = _sheet(book, where)
    column = 1 + (where // 7) % (sheet.max_column + 1)
    variant = what % 3
    if variant == 0:
        sheet.delete_cols(column)
    elif variant == 1:
        sheet.insert_cols(column)
    else:
        other = 1 + what // 3 % sheet.max_column
        for row in (1, 2):
            a, b = sheet.cell(row, column), sheet.cell(row, other)
            a.value, b.value = b.value, a.value


def cell_sheets(book: openpyxl.Workbook, where: int, what: int) -> None:
    """Rename, remove, copy or add a sheet; merge cells."""
    sheet = _sheet(book, where)
    variant = what % 5
    if variant == 0:
        titles = ("needs", "需求", "Sheet1", "x" * 31, "needs (2)", "NEEDS", "policy", "配置")
        title = _pick(titles, what // 5)
        if title not in book.sheetnames:
            sheet.title = title
    elif variant == 1 and len(book.worksheets) > 1:
        book.remove(sheet)
    elif variant == 2:
        book.copy_worksheet(sheet)
    elif variant == 3:
        book.create_sheet(_pick(("Sheet", "说明", "villages2", "data"), what // 5))
    elif sheet.max_row >= 3 and sheet.max_column >= 2:
        sheet.merge_cells(start_row=3, start_column=1, end_row=3, end_column=2)


CELL_OPS: dict[str, Callable[[openpyxl.Workbook, int, int], None]] = {
    "cell": cell_set,
    "rows": cell_rows,
    "columns": cell_columns,
    "sheets": cell_sheets,
}
FILE_OPS = ("bytes",)  # applied to the saved file: (where, what) as for text_flip/truncate
WORKBOOK_OPS = (*CELL_OPS, *FILE_OPS)


@functools.cache
def _exported_xlsx(base: int) -> bytes:
    """The export of base ``base``; a generated base's without its README sheet, which the
    import ignores and which costs more to load and save than all the others."""
    with tempfile.TemporaryDirectory(prefix="fuzz-export-") as folder:
        path = Path(folder) / "base.xlsx"
        export_scenario_xlsx(base_document(base), path)
        if base != 0:
            book = openpyxl.load_workbook(path)
            book.remove(book.worksheets[0])
            book.save(path)
        return path.read_bytes()


def _damage(data: bytes, edit: Mutation) -> bytes:
    if edit.what % 2:
        return text_truncate(data, edit.where, edit.what)
    return text_flip(data, edit.where, edit.what)


def write_workbook(case: Case, path: Path) -> None:
    """The mutated workbook of ``case`` at ``path``."""
    book = openpyxl.load_workbook(io.BytesIO(_exported_xlsx(case.base)))
    damage = []
    for edit in case.raw:
        if edit.op in FILE_OPS:
            damage.append(edit)
            continue
        try:
            CELL_OPS[edit.op](book, edit.where, edit.what)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError):
            continue  # a value openpyxl will not store, a sheet too small: skip the edit
    try:
        book.save(path)
    except Exception as error:
        raise Unusable(f"openpyxl cannot save the workbook: {error!r}") from error
    for edit in damage:
        path.write_bytes(_damage(path.read_bytes(), edit))


CSV_OPS = ("cell", "rows", "delete_file", "empty_file", "extra_file", *TEXT_OPS)


def write_csv_folder(case: Case, folder: Path) -> None:
    """The mutated CSV folder of ``case`` in ``folder`` (emptied first)."""
    shutil.rmtree(folder, ignore_errors=True)
    export_scenario_csv(base_document(case.base), folder)
    for edit in case.raw:
        files = sorted(folder.glob("*.csv"))
        if not files:
            break
        target = _pick(files, edit.what)
        what = edit.what // len(files)
        if edit.op == "delete_file":
            target.unlink()
        elif edit.op == "empty_file":
            target.write_bytes(b"")
        elif edit.op == "extra_file":
            (folder / _pick(("extra.csv", "需求.csv", "NEEDS.csv"), what)).write_bytes(
                target.read_bytes()
            )
        elif edit.op in ("cell", "rows"):
            _edit_csv(target, edit.op, edit.where, what)
        else:
            target.write_bytes(TEXT_OPS[edit.op](target.read_bytes(), edit.where, what))


def _edit_csv(path: Path, op: str, where: int, what: int) -> None:
    try:
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return
    if not rows:
        return
    row = where % (len(rows) + 1)
    value = _pick(CELL_VALUES, what)
    text = "" if value is None else str(value)
    if op == "cell":
        while row >= len(rows):
            rows.append([])
        cells = rows[row]
        column = (where // 7) % (len(cells) + 1)
        cells.extend([""] * (column + 1 - len(cells)))
        cells[column] = text
    elif what % 2:
        del rows[row : row + 1]
    else:
        rows.insert(row, [text] * (what % 5))
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


# ----------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    """One fuzz input: the leg, the base, document edits and raw edits (bytes of the file, or
    cells, rows and sheets of the workbook, or the CSV files), and the file's suffix."""

    leg: Leg
    base: int
    edits: tuple[Mutation, ...] = ()
    raw: tuple[Mutation, ...] = ()
    suffix: str = ".json"

    def to_dict(self) -> dict[str, Any]:
        """The case as JSON-ready data (for a reproduction file)."""
        return asdict(self)

    @staticmethod
    def from_dict(data: dict[str, Any]) -> Case:
        """A case read back from :meth:`to_dict`."""
        return Case(
            leg=data["leg"],
            base=int(data["base"]),
            edits=tuple(Mutation(**m) for m in data.get("edits", ())),
            raw=tuple(Mutation(**m) for m in data.get("raw", ())),
            suffix=data.get("suffix", ".json"),
        )


def build(case: Case, folder: Path) -> Doc | Path:
    """The input of ``case``: the document, or the file or CSV folder written in ``folder``;
    :class:`Unusable` when the kit cannot build it."""
    try:
        if case.leg == "document":
            return mutate_document(case.base, case.edits)
        if case.leg == "file":
            data = serialize(mutate_document(case.base, case.edits), case.suffix)
            path = folder / f"scenario{case.suffix}"
            path.write_bytes(mutate_bytes(data, case.raw))
            return path
        if case.leg == "workbook":
            path = folder / "scenario.xlsx"
            write_workbook(case, path)
            return path
        path = folder / "csv"
        write_csv_folder(case, path)
        return path
    except Unusable:
        raise
    except Exception as error:
        raise Unusable(f"cannot build the input: {error!r}") from error


def run_case(case: Case, folder: Path) -> str:
    """Build and drive one case: ``"refused"`` or ``"solved"``, else a :class:`Finding` or the
    library's exception."""
    built = build(case, folder)
    if case.leg == "document":
        return drive_document(built)
    if case.leg == "file":
        return drive_file(built)
    return drive_import(built)


# ----------------------------------------------------------------------------- drivers


def drive_document(document: object) -> str:
    """parse_scenario, then (if it loads) the greedy solve and every check."""
    try:
        loaded = parse_scenario(document)
    except ScenarioInvalid as invalid:
        check_refusal(invalid)
        return "refused"
    check_solved(loaded.scenario)
    return "solved"


def drive_file(path: Path) -> str:
    """load_scenario (the CLI's reader of JSON and YAML bytes), then as a document."""
    try:
        loaded = load_scenario(path)
    except ScenarioInvalid as invalid:
        check_refusal(invalid)
        return "refused"
    check_solved(loaded.scenario)
    return "solved"


def drive_import(path: Path) -> str:
    """import_scenario of a workbook or CSV folder: located problems, or a scenario that also
    loads as JSON and solves."""
    result = import_workbook(path)
    check_import(result)
    if result.scenario is None:
        return "refused"
    dumped = result.scenario.model_dump(mode="json", by_alias=True)
    try:
        parse_scenario(dumped)
    except ScenarioInvalid as invalid:
        raise Finding(
            "inconsistent", f"the import accepted what parse_scenario refuses: {invalid}"
        ) from None
    check_solved(result.scenario)
    return "solved"


def _encodes(problems: tuple[Issue, ...]) -> None:
    json.dumps([p.to_dict() for p in problems], ensure_ascii=False).encode("utf-8")
    for problem in problems:
        str(problem).encode("utf-8")


def check_refusal(invalid: ScenarioInvalid) -> None:
    """A refusal names at least one error, each at a JSON path from ``$`` with a message, and
    all of it prints and serialises as UTF-8."""
    if not invalid.errors:
        raise Finding("refusal", f"refused with no error: {invalid.problems!r}")
    for problem in invalid.errors:
        if not (problem.path.startswith("$") and problem.message.strip()):
            raise Finding("refusal", f"an error without a path or message: {problem!r}")
    try:
        _encodes(invalid.problems)
        str(invalid).encode("utf-8")
    except (UnicodeEncodeError, ValueError, TypeError) as error:
        raise Finding("refusal", f"the problems do not encode: {error!r}") from error


def check_import(result: ImportResult) -> None:
    """An import gives a scenario (and no error), or errors each located at a sheet or cell
    with a message; all of it prints and serialises as UTF-8."""
    if len(result.locations) != len(result.problems):
        raise Finding("refusal", "problems and locations differ in number")
    if result.scenario is None and not result.errors:
        raise Finding("refusal", f"no scenario and no error: {result.problems!r}")
    if result.scenario is not None and result.errors:
        raise Finding("refusal", f"a scenario despite errors: {result.errors!r}")
    for problem, where in zip(result.problems, result.locations, strict=True):
        if not (problem.path and where.sheet and problem.message.strip()):
            raise Finding("refusal", f"a problem without a location or message: {problem!r}")
    try:
        _encodes(result.problems)
    except (UnicodeEncodeError, ValueError, TypeError) as error:
        raise Finding("refusal", f"the problems do not encode: {error!r}") from error


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not JSON")


def check_solved(scenario: Scenario) -> None:
    """The greedy plan of a valid scenario: no violation (its own list and the evaluator's), a
    good status, strict JSON that reads back with no violation, reports that render."""
    run = solve_scenario(scenario, solver="greedy", time_limit=1.0)
    plan = run.plan
    if plan.violations or plan.solver.status not in GOOD_STATUSES:
        raise Finding(
            "violation",
            f"status {plan.solver.status}, violations {plan.violations}",
            {"status": plan.solver.status, "violations": plan.violations},
        )
    evaluation = evaluate(run.index, plan)
    if evaluation.violations:
        found = [v.to_dict() for v in evaluation.violations]
        raise Finding("violation", f"the evaluator finds {found}", {"violations": found})
    try:
        text = plan_to_json(plan)
        reread = Plan.model_validate(json.loads(text, parse_constant=_no_constant))
        text.encode("utf-8")
        render_text(cast(Any, plan.reports)).encode("utf-8")
    except (ValueError, TypeError, UnicodeEncodeError) as error:
        raise Finding("output", f"the plan or its reports do not write: {error!r}") from error
    again = evaluate(run.index, reread)
    if again.violations:
        found = [v.to_dict() for v in again.violations]
        raise Finding("violation", f"the written plan breaks {found}", {"violations": found})


# ----------------------------------------------------------------------------- known bugs


def known_bug(error: BaseException) -> str | None:
    """The name of a known, reported bug that ``error`` is an instance of, or None.

    Each has a strict-xfail reproduction in ``tests/fuzz/test_found.py``; when the library is
    fixed that test passes, fails as XPASS, and its entry here goes with its marker. None is
    open: the five the first campaign found (unkeepable pins, self-referring and exploding YAML
    aliases, cells past Python's number and nesting limits, damaged sheets and huge CSV
    fields) are fixed and their reproductions are regression tests.
    """
    del error  # the next bug found gets its recogniser here
    return None


# ----------------------------------------------------------------------------- random cases


def random_mutation(rng: random.Random, ops: tuple[str, ...] | list[str]) -> Mutation:
    """A mutation of one of ``ops`` with random ``where`` and ``what``."""
    return Mutation(rng.choice(ops), rng.randrange(1 << 20), rng.randrange(1 << 20))


def _count(rng: random.Random, most: int) -> int:
    # Mostly one to three edits: an input with six harsh edits is refused for the first one.
    return min(most, rng.choice((0, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6)))


def random_case(rng: random.Random, legs: dict[Leg, float] | None = None) -> Case:
    """A random case: the leg by ``legs``' weights (by default documents 67%, files 27%,
    workbooks 3%, CSV folders 3%), base 0 (the contract county) a quarter of the time, else
    one of 200 generated counties, and up to six document edits (gentle three times in five)
    or raw edits."""
    weights = legs or LEG_WEIGHTS
    leg = rng.choices(list(weights), list(weights.values()))[0]
    base = 0 if rng.random() < 0.25 else rng.randrange(1, 201)
    edits = tuple(
        random_mutation(rng, GENTLE_OPS if rng.random() < 0.6 else HARSH_OPS)
        for _ in range(_count(rng, 6 if leg == "document" else 3))
    )
    if leg == "document":
        return Case(leg, base, edits)
    if leg == "file":
        # Byte edits break most files: two files in five keep their bytes as written.
        count = 0 if rng.random() < 0.4 else max(1, _count(rng, 3))
        raw = tuple(random_mutation(rng, list(TEXT_OPS)) for _ in range(count))
        suffix = ".yaml" if rng.random() < 0.2 else ".json"
        return Case(leg, base, edits, raw, suffix)
    # Damaged bytes are refused as a whole file: one workbook edit in 21 damages it.
    ops = [*CELL_OPS] * 5 + [*FILE_OPS] if leg == "workbook" else list(CSV_OPS)
    raw = tuple(random_mutation(rng, ops) for _ in range(1 + _count(rng, 5)))
    return Case(leg, base, (), raw)
