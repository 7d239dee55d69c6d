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

from matcher.intake.issues import Issue, Words, json_path, words
from matcher.intake.pinned import check_pinned_can_serve, check_pins_fit
from matcher.intake.schedule_checks import check_schedule_fields
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
    described = value_words(value, limit)
    return described if isinstance(described, str) else described.text("en")


def value_words(value: object, limit: int = 40) -> str | Words:
    """:func:`describe_value` for a message in either language: the value's JSON as it is,
    or the words for what cannot be shown (an object, a list, NaN, infinity)."""
    if isinstance(value, Mapping):
        return words("intake.value.object")
    if isinstance(value, list | tuple):
        return words("intake.value.list")
    if isinstance(value, float) and not math.isfinite(value):
        if math.isnan(value):
            return words("intake.value.nan")
        return words("intake.value.minus_infinity" if value < 0 else "intake.value.infinity")
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return words("intake.value.unshowable")
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


def suggest(word: str, choices: Sequence[str]) -> str | Words:
    """'; did you mean "x"?' for the closest of ``choices``, or nothing."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return words("intake.did_you_mean", close=close[0]) if close else ""


# ----------------------------------------------------------------------------- reference checks


def check_schema_version(raw: RawScenario) -> list[Issue]:
    """schema_version must be present and be 1, the only version this package reads."""
    path = json_path(("schema_version",))
    if "schema_version" not in raw:
        return [Issue.said(path, "intake.schema_version_missing")]
    value = raw["schema_version"]
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        if value == 1:
            return []
        return [Issue.said(path, "intake.schema_version_unread", value=value_words(value))]
    return [Issue.said(path, "intake.schema_version_not_one", value=value_words(value))]


def check_unknown_fields(raw: RawScenario) -> list[Issue]:
    """Top-level fields the schema does not know are ignored, with a warning each."""
    problems = []
    for key in raw:
        name = str(key)
        if name not in TOP_LEVEL_FIELDS:
            problems.append(
                Issue.said(
                    json_path((name,)),
                    "intake.unknown_top_field",
                    severity="warning",
                    name=name,
                    hint=suggest(name, TOP_LEVEL_FIELDS),
                )
            )
    return problems


def check_finite_numbers(raw: RawScenario) -> list[Issue]:
    """Every number is finite: NaN and infinity (YAML's .nan and .inf) are refused."""
    problems: list[Issue] = []

    def report(loc: tuple[str | int, ...], value: float) -> None:
        problems.append(
            Issue.said(
                json_path(loc),
                "intake.not_finite",
                id=enclosing_id(raw, loc),
                field=_field_name(loc),
                value=value_words(value),
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


def _field_name(loc: Sequence[str | int]) -> str | Words:
    for key in reversed(loc):
        if isinstance(key, str):
            return key
    return words("intake.the_value")


def check_duplicate_ids(raw: RawScenario) -> list[Issue]:
    """Ids are unique within each list; every repeat after the first is an error."""
    problems = []
    for key in ID_LISTS:
        first: dict[str, int] = {}
        for index, item in items(raw, key):
            item_id = _text(item, "id")
            if item_id is None:
                continue
            if item_id in first:
                where = json_path((key, first[item_id]))
                problems.append(
                    Issue.said(
                        json_path((key, index, "id")),
                        "intake.duplicate_id",
                        id=item_id,
                        noun=words(f"intake.noun.{key}"),
                        item=item_id,
                        where=where,
                        list=key,
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
                    Issue.said(
                        json_path((key, index, "id")),
                        "intake.shared_id",
                        id=item_id,
                        noun=words(f"intake.noun.{key}"),
                        item=item_id,
                        other=words(f"intake.noun.{other}"),
                        where=json_path((other, other_index)),
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
                Issue.said(
                    json_path(("villages", index, "town")),
                    "intake.town_unknown",
                    id=_text(village, "id"),
                    town=town,
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
                    Issue.said(
                        json_path(("roads", index, end)),
                        "intake.road_end_unknown",
                        end=words(f"intake.road_end.{end}"),
                        node=node,
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
                Issue.said(
                    json_path(("roads", index)),
                    "intake.road_loop",
                    severity="warning",
                    start=start,
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
                    Issue.said(
                        json_path((key, index, "base")),
                        "intake.base_unknown",
                        id=_text(provider, "id"),
                        base=base,
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
                    Issue.said(
                        path,
                        "intake.paired_village_unknown",
                        id=_text(cadre, "id"),
                        village=village,
                    )
                )
            elif village in seen:
                problems.append(
                    Issue.said(
                        path, "intake.paired_village_twice", id=_text(cadre, "id"), village=village
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
                    Issue.said(
                        json_path(("organizations", index, "towns", position)),
                        "intake.town_unknown",
                        id=_text(organization, "id"),
                        town=town,
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
                    Issue.said(
                        json_path(("pools", index, "villages", position)),
                        "intake.village_unknown",
                        id=_text(pool, "id"),
                        village=village,
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
                Issue.said(
                    json_path((key, index, "village")),
                    "intake.village_unknown",
                    id=_text(item, "id"),
                    village=village,
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
                Issue.said(
                    json_path(("needs", index, "pinned_provider")),
                    "intake.pinned_unknown",
                    id=_text(need, "id"),
                    provider=provider,
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
    check_schedule_fields,
)


def validate_service(scenario: Scenario) -> list[Issue]:
    """Every check that needs the validated scenario and its travel times."""
    return [problem for check in SERVICE_CHECKS for problem in check(scenario)]
