"""The checks pydantic cannot make: references between lists, ids, and pinned providers.

The reference checks read the *raw* document (dicts and lists as parsed from JSON or YAML), so
they run in the same pass as pydantic and a file with a type error and a dangling reference
reports both. Each check skips whatever it cannot read (a missing field, a number where an id
belongs): pydantic reports those. :func:`validate_service` runs on a validated scenario and asks
whether each pinned provider can actually serve its need, by the rules of
:mod:`matcher.prepare.eligibility` that the solvers and the evaluator use.

Every check returns a list of :class:`~matcher.intake.issues.Issue`; none raises.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from matcher.intake.issues import Issue, json_path
from matcher.intake.pinned import check_pinned_can_serve, check_pins_fit
from matcher.scenario import Scenario

RawScenario = Mapping[str, Any]

# The lists of a scenario whose items have ids, and the word for one item.
ID_LISTS: dict[str, str] = {
    "places": "place",
    "villages": "village",
    "cadres": "cadre",
    "organizations": "organisation",
    "pools": "pool",
    "needs": "need",
    "aid_records": "aid record",
}
# Lists that share one id space (DESIGN §3): a place, a village, a cadre and an organisation
# never share an id.
SHARED_ID_LISTS: tuple[str, ...] = ("places", "villages", "cadres", "organizations")

TOP_LEVEL_FIELDS: tuple[str, ...] = tuple(
    field.alias or name for name, field in Scenario.model_fields.items()
)


# ----------------------------------------------------------------------------- raw helpers


def describe_value(value: object, limit: int = 40) -> str:
    """A short rendering of a value for a message: JSON-like, cut to ``limit`` characters."""
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("-" if value < 0 else "") + "infinity"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = "a value that cannot be shown"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label_id(value: object) -> str | None:
    """An item's id as a label for a problem: a string, or a number written as a string."""
    if isinstance(value, str):
        return value or None
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def items(raw: RawScenario, key: str) -> Iterator[tuple[int, Mapping[str, Any]]]:
    """The (index, item) pairs of a top-level list whose items are objects; nothing otherwise."""
    value = raw.get(key)
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict):
                yield index, item


def enclosing_id(raw: RawScenario, loc: Sequence[str | int]) -> str | None:
    """The id of the top-level list item that a location lies in, looked up in the raw data."""
    if len(loc) < 2 or not isinstance(loc[0], str) or not isinstance(loc[1], int):
        return None
    value = raw.get(loc[0])
    if isinstance(value, list) and 0 <= loc[1] < len(value):
        item = value[loc[1]]
        if isinstance(item, Mapping):
            return label_id(item.get("id"))
    return None


def _text(item: Mapping[str, Any], field: str) -> str | None:
    value = item.get(field)
    return value if isinstance(value, str) else None


def _text_list(item: Mapping[str, Any], field: str) -> Iterator[tuple[int, str]]:
    value = item.get(field)
    if isinstance(value, list):
        for index, entry in enumerate(value):
            if isinstance(entry, str):
                yield index, entry


# Lists a scenario may leave out (or set to null): then they are empty.
_OPTIONAL_LISTS = frozenset({"roads", "organizations", "pools", "aid_records"})


def known_ids(raw: RawScenario, *keys: str) -> set[str] | None:
    """The ids of the items of some lists, or None when one of the lists cannot be read.

    A list that is missing (when required) or not a list at all leaves its ids unknown, and the
    checks that would look ids up in it stay silent: the schema reports the list itself, and a
    dangling-reference error for every use of its ids would bury that one real problem.
    """
    ids: set[str] = set()
    for key in keys:
        value = raw.get(key)
        if value is None and key in _OPTIONAL_LISTS:
            continue
        if not isinstance(value, list):
            return None
        for item in value:
            if isinstance(item, dict) and (item_id := label_id(item.get("id"))) is not None:
                ids.add(item_id)
    return ids


def _suggest(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return f'; did you mean "{close[0]}"?' if close else ""


# ----------------------------------------------------------------------------- reference checks


def check_schema_version(raw: RawScenario) -> list[Issue]:
    """schema_version must be present and be 1, the only version this package reads."""
    path = json_path(("schema_version",))
    if "schema_version" not in raw:
        return [
            Issue(path, 'schema_version is missing; a scenario starts with "schema_version": 1')
        ]
    value = raw["schema_version"]
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        if value == 1:
            return []
        return [
            Issue(
                path,
                f"schema_version is {describe_value(value)}, but this version of Baolian Matcher "
                "reads only schema_version 1",
            )
        ]
    return [Issue(path, f"schema_version must be the number 1, not {describe_value(value)}")]


def check_unknown_fields(raw: RawScenario) -> list[Issue]:
    """Top-level fields the schema does not know are ignored, with a warning each."""
    problems = []
    for key in raw:
        name = str(key)
        if name not in TOP_LEVEL_FIELDS:
            problems.append(
                Issue(
                    json_path((name,)),
                    f'unknown top-level field "{name}" is ignored'
                    + _suggest(name, TOP_LEVEL_FIELDS),
                    severity="warning",
                )
            )
    return problems


def check_finite_numbers(raw: RawScenario) -> list[Issue]:
    """Every number is finite: NaN and infinity (YAML's .nan and .inf) are refused."""
    problems: list[Issue] = []

    def report(loc: tuple[str | int, ...], value: float) -> None:
        problems.append(
            Issue(
                json_path(loc),
                f"{_field_name(loc)} is {describe_value(value)}; write a finite number",
                enclosing_id(raw, loc),
            )
        )

    # Tuples of the path are built for containers only: a scenario has tens of thousands of
    # scalar leaves and this check must stay cheap. A container shared through YAML aliases is
    # visited once, and nesting deeper than any scenario field is left to the schema.
    seen: set[int] = set()

    def walk(entries: Iterable[tuple[str | int, object]], loc: tuple[str | int, ...]) -> None:
        for key, value in entries:
            if isinstance(value, float):
                if not math.isfinite(value):
                    report((*loc, key), value)
            elif isinstance(value, dict | list) and id(value) not in seen and len(loc) < 8:
                seen.add(id(value))
                children = (
                    ((str(k), v) for k, v in value.items())
                    if isinstance(value, dict)
                    else enumerate(value)
                )
                walk(children, (*loc, key))

    walk(((str(k), v) for k, v in raw.items()), ())
    return problems


def _field_name(loc: Sequence[str | int]) -> str:
    for key in reversed(loc):
        if isinstance(key, str):
            return key
    return "the value"


def check_duplicate_ids(raw: RawScenario) -> list[Issue]:
    """Ids are unique within each list; every repeat after the first is an error."""
    problems = []
    for key, noun in ID_LISTS.items():
        first: dict[str, int] = {}
        for index, item in items(raw, key):
            item_id = _text(item, "id")
            if item_id is None:
                continue
            if item_id in first:
                where = json_path((key, first[item_id]))
                problems.append(
                    Issue(
                        json_path((key, index, "id")),
                        f'{noun} id "{item_id}" is used twice: {where} has it too; '
                        f"ids must be unique within {key}",
                        item_id,
                    )
                )
            else:
                first[item_id] = index
    return problems


def check_shared_ids(raw: RawScenario) -> list[Issue]:
    """A place, a village, a cadre and an organisation never share an id (DESIGN §3)."""
    problems = []
    owner: dict[str, tuple[str, int]] = {}
    for key in SHARED_ID_LISTS:
        firsts: dict[str, int] = {}
        for index, item in items(raw, key):
            item_id = _text(item, "id")
            if item_id is None:
                continue
            if item_id in owner:
                other, other_index = owner[item_id]
                problems.append(
                    Issue(
                        json_path((key, index, "id")),
                        f'{ID_LISTS[key]} id "{item_id}" is also the id of a {ID_LISTS[other]} '
                        f"({json_path((other, other_index))}); places, villages, cadres and "
                        "organisations must have different ids",
                        item_id,
                    )
                )
            firsts.setdefault(item_id, index)
        for item_id, index in firsts.items():
            owner.setdefault(item_id, (key, index))
    return problems


def check_village_towns(raw: RawScenario) -> list[Issue]:
    """Each village's town is a place of the scenario."""
    places = known_ids(raw, "places")
    if places is None:
        return []
    problems = []
    for index, village in items(raw, "villages"):
        town = _text(village, "town")
        if town is not None and town not in places:
            problems.append(
                Issue(
                    json_path(("villages", index, "town")),
                    f'town "{town}" is not a known place',
                    _text(village, "id"),
                )
            )
    return problems


def check_road_ends(raw: RawScenario) -> list[Issue]:
    """Both ends of each road are places or villages."""
    nodes = known_ids(raw, "places", "villages")
    if nodes is None:
        return []
    problems = []
    for index, road in items(raw, "roads"):
        for end in ("from", "to"):
            node = _text(road, end)
            if node is not None and node not in nodes:
                problems.append(
                    Issue(
                        json_path(("roads", index, end)),
                        f'road {end} "{node}" is not a place or village',
                    )
                )
    return problems


def check_road_loops(raw: RawScenario) -> list[Issue]:
    """A road from a node to itself is ignored, with a warning."""
    problems = []
    for index, road in items(raw, "roads"):
        start = _text(road, "from")
        if start is not None and start == _text(road, "to"):
            problems.append(
                Issue(
                    json_path(("roads", index)),
                    f'road runs from "{start}" to itself and is ignored',
                    severity="warning",
                )
            )
    return problems


def check_bases(raw: RawScenario) -> list[Issue]:
    """Each cadre's and organisation's base is a place or village."""
    nodes = known_ids(raw, "places", "villages")
    if nodes is None:
        return []
    problems = []
    for key in ("cadres", "organizations"):
        for index, provider in items(raw, key):
            base = _text(provider, "base")
            if base is not None and base not in nodes:
                problems.append(
                    Issue(
                        json_path((key, index, "base")),
                        f'base "{base}" is not a place or village',
                        _text(provider, "id"),
                    )
                )
    return problems


def check_paired_villages(raw: RawScenario) -> list[Issue]:
    """A cadre's paired_villages name known villages, each at most once."""
    villages = known_ids(raw, "villages")
    if villages is None:
        return []
    problems = []
    for index, cadre in items(raw, "cadres"):
        seen: set[str] = set()
        for position, village in _text_list(cadre, "paired_villages"):
            path = json_path(("cadres", index, "paired_villages", position))
            if village not in villages:
                problems.append(
                    Issue(
                        path,
                        f'paired village "{village}" is not a known village',
                        _text(cadre, "id"),
                    )
                )
            elif village in seen:
                problems.append(
                    Issue(
                        path,
                        f'paired village "{village}" is listed twice; a pairing is listed once',
                        _text(cadre, "id"),
                    )
                )
            seen.add(village)
    return problems


def check_organization_towns(raw: RawScenario) -> list[Issue]:
    """An organisation's towns name places of the scenario."""
    places = known_ids(raw, "places")
    if places is None:
        return []
    problems = []
    for index, organization in items(raw, "organizations"):
        for position, town in _text_list(organization, "towns"):
            if town not in places:
                problems.append(
                    Issue(
                        json_path(("organizations", index, "towns", position)),
                        f'town "{town}" is not a known place',
                        _text(organization, "id"),
                    )
                )
    return problems


def check_pool_villages(raw: RawScenario) -> list[Issue]:
    """A pool's villages name villages of the scenario."""
    villages = known_ids(raw, "villages")
    if villages is None:
        return []
    problems = []
    for index, pool in items(raw, "pools"):
        for position, village in _text_list(pool, "villages"):
            if village not in villages:
                problems.append(
                    Issue(
                        json_path(("pools", index, "villages", position)),
                        f'village "{village}" is not a known village',
                        _text(pool, "id"),
                    )
                )
    return problems


def _check_item_villages(raw: RawScenario, key: str) -> list[Issue]:
    villages = known_ids(raw, "villages")
    if villages is None:
        return []
    problems = []
    for index, item in items(raw, key):
        village = _text(item, "village")
        if village is not None and village not in villages:
            problems.append(
                Issue(
                    json_path((key, index, "village")),
                    f'village "{village}" is not a known village',
                    _text(item, "id"),
                )
            )
    return problems


def check_need_villages(raw: RawScenario) -> list[Issue]:
    """Each need's village is a village of the scenario."""
    return _check_item_villages(raw, "needs")


def check_aid_record_villages(raw: RawScenario) -> list[Issue]:
    """Each aid record's village is a village of the scenario."""
    return _check_item_villages(raw, "aid_records")


def check_pinned_providers(raw: RawScenario) -> list[Issue]:
    """A need's pinned_provider is a cadre or an organisation of the scenario."""
    providers = known_ids(raw, "cadres", "organizations")
    if providers is None:
        return []
    problems = []
    for index, need in items(raw, "needs"):
        provider = _text(need, "pinned_provider")
        if provider is not None and provider not in providers:
            problems.append(
                Issue(
                    json_path(("needs", index, "pinned_provider")),
                    f'pinned_provider "{provider}" is not a known cadre or organisation',
                    _text(need, "id"),
                )
            )
    return problems


REFERENCE_CHECKS: tuple[Callable[[RawScenario], list[Issue]], ...] = (
    check_schema_version,
    check_unknown_fields,
    check_finite_numbers,
    check_duplicate_ids,
    check_shared_ids,
    check_village_towns,
    check_road_ends,
    check_road_loops,
    check_bases,
    check_paired_villages,
    check_organization_towns,
    check_pool_villages,
    check_need_villages,
    check_aid_record_villages,
    check_pinned_providers,
)


def validate_references(raw: RawScenario) -> list[Issue]:
    """Every check of the raw document, in one list (errors and warnings)."""
    return [problem for check in REFERENCE_CHECKS for problem in check(raw)]


# ----------------------------------------------------------------------------- service checks


SERVICE_CHECKS: tuple[Callable[[Scenario], list[Issue]], ...] = (
    check_pinned_can_serve,
    check_pins_fit,
)


def validate_service(scenario: Scenario) -> list[Issue]:
    """Every check that needs the validated scenario and its travel times."""
    return [problem for check in SERVICE_CHECKS for problem in check(scenario)]
