"""Clean text and bounded numbers in every field (matcher.intake.bounds, the schema's ranges)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from matcher.intake.bounds import (
    MAX_ABS_NUMBER,
    MAX_DEPTH,
    MAX_ISSUES,
    number_problem,
    printable,
    text_problem,
    unsafe_values,
)
from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import canonical_json, parse_scenario
from matcher.scenario import MAX_YUAN
from tests.conftest import contract_dict

BAD_TEXT = {
    "lone surrogate": "x\udc80y",
    "NUL": "N\x00",
    "C1 control": "a\x85b",
    "DEL": "a\x7fb",
    "newline": "a\nb",
    "right-to-left override": "ab\u202ecd",
    "isolate": "\u2066ab\u2069",
    "overlong": "x" * 10_001,
}
BAD_NUMBERS = {
    "400 digits": 10**400,
    "5,000 digits (past Python's int-to-text limit)": 10**5000,
    "above int64": 2**70,
    "huge float": 1e300,
    "negative huge": -(10**16),
}


def _put(path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    data = contract_dict()
    node: Any = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return data


def _refusal(data: object) -> list[tuple[str, str | None, str]]:
    with pytest.raises(ScenarioInvalid) as refused:
        parse_scenario(data)
    problems = refused.value.errors
    for problem in problems:  # whatever was refused, the refusal itself is safe to emit
        json.dumps(problem.to_dict(), ensure_ascii=False).encode("utf-8")
        str(problem).encode("utf-8")
    return [(p.path, p.id, p.message) for p in problems]


TEXT_PLACES = [
    (("name",), "$.name", None),
    (("villages", 0, "name"), "$.villages[0].name", "V1"),
    (("needs", 1, "id"), "$.needs[1].id", None),
    (("needs", 0, "household"), "$.needs[0].household", "N1"),
    (("cadres", 0, "department"), "$.cadres[0].department", "C1"),
    (("needs", 0, "vulnerable"), "$.needs[0].vulnerable[0]", "N1"),
]


@pytest.mark.parametrize("kind", list(BAD_TEXT))
@pytest.mark.parametrize(("where", "path", "item"), TEXT_PLACES)
def test_unclean_text_is_refused_at_its_path_in_any_field(
    kind: str, where: tuple[str | int, ...], path: str, item: str | None
) -> None:
    """Text that is not clean Unicode, holds a control or direction character, or runs past
    10,000 characters is refused wherever it stands, at its path, without repeating it."""
    bad = BAD_TEXT[kind]
    value: object = [bad] if where[-1] == "vulnerable" else bad
    refusals = _refusal(_put(where, value))
    assert len(refusals) == 1
    found_path, found_id, message = refusals[0]
    assert found_path == path
    if where[-1] != "id":
        assert found_id == item
    assert bad not in message


@pytest.mark.parametrize("kind", list(BAD_NUMBERS))
@pytest.mark.parametrize(
    ("where", "path"),
    [
        (("schema_version",), "$.schema_version"),
        (("needs", 0, "cost"), "$.needs[0].cost"),
        (("pools", 0, "amount"), "$.pools[0].amount"),
        (("villages", 0, "funding_cap"), "$.villages[0].funding_cap"),
        (("cadres", 0, "max_villages"), "$.cadres[0].max_villages"),
        (("cadres", 0, "hours"), "$.cadres[0].hours"),
        (("policy", "pairing_shortfall_penalty"), "$.policy.pairing_shortfall_penalty"),
    ],
)
def test_numbers_beyond_every_range_are_refused_before_the_schema(
    kind: str, where: tuple[str | int, ...], path: str
) -> None:
    """A number no field could take (beyond 10^15) is one located refusal, never an
    OverflowError, whichever field holds it."""
    refusals = _refusal(_put(where, BAD_NUMBERS[kind]))
    assert [p for p, _, _ in refusals] == [path]
    assert "no field takes more than" in refusals[0][2]


def test_an_unclean_key_is_refused_without_echoing_it() -> None:
    """Keys are text too: a NUL in a key is located, escaped, and nothing crashes."""
    data = contract_dict()
    data["needs"][0]["i\x00d"] = "x"
    [(path, item, message)] = _refusal(data)
    assert "\x00" not in path and "\\u0000" in path
    assert item == "N1"
    assert "control character U+0000" in message


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    """A document nested far past any scenario's depth is one refusal at the depth limit."""
    deep: object = 1
    for _ in range(MAX_DEPTH * 3):
        deep = [deep]
    data = contract_dict()
    data["policy"] = {"deep": deep}
    refusals = _refusal(data)
    assert any("nested deeper than" in m for _, _, m in refusals)


def test_many_problems_are_capped_then_counted() -> None:
    """A document with thousands of bad values reports the first ones and a count."""
    issues = unsafe_values({"a": ["\x00"] * (MAX_ISSUES + 50)})
    assert len(issues) == MAX_ISSUES + 1
    assert issues[-1].message.startswith("50 more value(s)")


@pytest.mark.parametrize(
    "text", ["村", "三组12号", "C-0001", "a b", "Ünïcödé", "😀", "x" * 10_000, "\u200d"]
)
def test_clean_text_is_kept(text: str) -> None:
    """Ordinary text, Chinese, emoji and inner spaces pass the text rule."""
    assert text_problem(text) is None
    assert printable(text) == text


@pytest.mark.parametrize("number", [0, 1, -1, MAX_ABS_NUMBER, -MAX_ABS_NUMBER, 0.5, 1e15])
def test_numbers_within_range_are_kept(number: float) -> None:
    """Numbers up to 10^15 in size pass this pass; fields then check their own ranges."""
    assert number_problem(number) is None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id", " N1", "white space"),
        ("id", "N1 ", "white space"),
        ("id", "N\u200b1", "U+200B"),
        ("id", "N\u30001", "U+3000"),
        ("household", "H\u200b1", "U+200B"),
    ],
)
def test_ids_are_printable_without_outer_white_space(field: str, value: str, message: str) -> None:
    """An id must look like what it is: no outer white space, nothing invisible inside."""
    data = _put(("needs", 0, field), value)
    refusals = _refusal(data)
    assert [p for p, _, _ in refusals] == [f"$.needs[0].{field}"]
    assert message in refusals[0][2]


@pytest.mark.parametrize(
    ("where", "value", "path"),
    [
        (("needs", 0, "cost"), MAX_YUAN + 1, "$.needs[0].cost"),
        (("pools", 0, "max_per_need"), MAX_YUAN + 1, "$.pools[0].max_per_need"),
        (("horizon", "start"), "9999-12-31", "$.horizon.start"),
        (("aid_records", 0, "date"), "1066-10-14", "$.aid_records[0].date"),
        (("villages", 0, "households"), 10**9, "$.villages[0].households"),
        (("needs", 0, "hours"), 1e6, "$.needs[0].hours"),
        (("policy", "speed_kmh"), 5000, "$.policy.speed_kmh"),
        (("villages", 0, "name"), "名" * 201, "$.villages[0].name"),
    ],
)
def test_each_field_keeps_its_own_range(
    where: tuple[str | int, ...], value: object, path: str
) -> None:
    """Within 10^15, each field still has the range a county could mean (money to 10^12
    yuan, dates 1900–2199, names to 200 characters, ...)."""
    assert path in [p for p, _, _ in _refusal(_put(where, value))]


def test_the_largest_accepted_values_compile_and_hash() -> None:
    """Every field at its largest accepted value still loads, hashes and compiles: the
    bounds are below what the arrays and the canonical hash can hold."""
    from matcher.problem.index import ScenarioIndex

    data = contract_dict()
    for pool in data["pools"]:
        pool.update(amount=MAX_YUAN, max_per_need=None)
    for village in data["villages"]:
        village["funding_cap"] = MAX_YUAN
    for need in data["needs"]:
        need.update(cost=MAX_YUAN, pinned_provider=None)
    loaded = parse_scenario(data)
    assert canonical_json(data)
    problem = ScenarioIndex.build(loaded.scenario).problem
    assert int(problem.need_cost.sum()) == MAX_YUAN * len(data["needs"])
