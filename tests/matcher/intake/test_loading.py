"""Reading scenario files, converting schema errors into problems, and the canonical hash."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from matcher.intake.issues import Issue, ScenarioInvalid, json_path
from matcher.intake.loading import (
    LoadedScenario,
    canonical_json,
    load_scenario,
    parse_scenario,
    read_document,
    scenario_sha256,
)
from matcher.scenario import Scenario
from tests.conftest import CONTRACT, contract_dict

TINY = CONTRACT / "tiny-county.json"


def _invalid(data: object) -> ScenarioInvalid:
    with pytest.raises(ScenarioInvalid) as raised:
        parse_scenario(data)
    return raised.value


def _read_problem(path: Path) -> Issue:
    with pytest.raises(ScenarioInvalid) as raised:
        read_document(path)
    (problem,) = raised.value.problems
    assert problem.path == "$"
    return problem


# ----------------------------------------------------------------------------- problems


def test_problem_string_and_dict() -> None:
    """A problem prints as path (id): message, and is plain data for the API."""
    problem = Issue("$.cadres[3].base", 'base "T99" is not a place or village', "C0004")
    assert str(problem) == '$.cadres[3].base (C0004): base "T99" is not a place or village'
    assert problem.to_dict() == {
        "path": "$.cadres[3].base",
        "message": 'base "T99" is not a place or village',
        "id": "C0004",
        "severity": "error",
    }
    assert str(Issue("$", "the file is empty")) == "$: the file is empty"


def test_scenario_invalid_carries_errors_and_warnings() -> None:
    """ScenarioInvalid keeps every problem, and splits them into errors and warnings."""
    error = Issue("$.needs", "required field needs is missing")
    warning = Issue("$.notes", "unknown top-level field", severity="warning")
    invalid = ScenarioInvalid([error, warning])
    assert invalid.problems == (error, warning)
    assert invalid.errors == (error,)
    assert invalid.warnings == (warning,)
    assert "1 error and 1 warning" in str(invalid)


def test_json_path_brackets_keys_that_are_not_names() -> None:
    """Names take a dot, indices and other keys take brackets."""
    assert json_path(("cadres", 3, "hours")) == "$.cadres[3].hours"
    assert json_path(("policy", "priority_weights", "1")) == '$.policy.priority_weights["1"]'
    assert json_path(()) == "$"


# ----------------------------------------------------------------------------- reading


def test_reads_json_and_yaml_alike(tmp_path: Path) -> None:
    """A .yaml, .yml or .YAML file holding the same structure reads as the same data."""
    data = contract_dict()
    for name in ("s.yaml", "s.yml", "S.YAML"):
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        assert read_document(path) == data
    assert read_document(TINY) == data


def test_missing_file_directory_and_empty_file(tmp_path: Path) -> None:
    """A missing file, a folder and an empty file are problems at $, not tracebacks."""
    assert "not found" in _read_problem(tmp_path / "nope.json").message
    assert "folder" in _read_problem(tmp_path).message
    (tmp_path / "empty.yaml").write_text("")
    assert "empty" in _read_problem(tmp_path / "empty.yaml").message


def test_json_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    """A JSON syntax error names its line and column."""
    path = tmp_path / "s.json"
    path.write_text('{\n  "schema_version": 1\n  "name": "x"\n}\n')
    message = _read_problem(path).message
    assert "not valid JSON" in message and "line 3, column 3" in message


def test_yaml_syntax_error_gives_line_and_column(tmp_path: Path) -> None:
    """A YAML syntax error names its line and column."""
    path = tmp_path / "s.yaml"
    path.write_text("schema_version: 1\nplaces: [a, b\nneeds: []\n")
    message = _read_problem(path).message
    assert "not valid YAML" in message and "line 3" in message


def test_yaml_refuses_python_tags(tmp_path: Path) -> None:
    """Only plain data is read from YAML: a python tag is a problem, never executed."""
    path = tmp_path / "s.yaml"
    path.write_text("schema_version: !!python/object/apply:os.system ['true']\n")
    assert "line 1" in _read_problem(path).message


def test_top_level_must_be_an_object(tmp_path: Path) -> None:
    """A list or a number at the top level is a problem at $, from a file or from data."""
    path = tmp_path / "s.json"
    path.write_text("[1, 2]")
    assert "must be an object" in _read_problem(path).message
    not_objects: list[object] = [[], 3, "scenario", None]
    for data in not_objects:
        (problem,) = _invalid(data).problems
        assert problem.path == "$"


def test_byte_order_mark_is_accepted_and_gbk_is_refused(tmp_path: Path) -> None:
    """A UTF-8 file with a BOM (Windows Notepad) reads; a GBK file is refused with advice."""
    text = TINY.read_text(encoding="utf-8").replace("Tiny County", "小县")
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    document = read_document(path)
    assert isinstance(document, dict) and document["name"].startswith("小县")
    path.write_bytes(text.encode("gbk"))
    assert "UTF-8" in _read_problem(path).message


def test_deep_nesting_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    """A pathologically nested file is refused with a problem at $."""
    path = tmp_path / "s.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    assert _read_problem(path).path == "$"


def test_yaml_number_keys_become_text(tmp_path: Path) -> None:
    """YAML reads `1: 2` with a number key; it is read as "1", as JSON would have it."""
    data = contract_dict()
    data["policy"] = {"priority_weights": {1: 3, 5: 20}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    loaded = load_scenario(path)
    assert loaded.scenario.policy.priority_weight(1) == 3.0
    assert loaded.scenario.policy.priority_weight(5) == 20.0


def test_yaml_impossible_date_is_reported_at_its_path(tmp_path: Path) -> None:
    """An unquoted impossible YAML date (2026-02-30) is a schema error at its field."""
    text = yaml.safe_dump(contract_dict()).replace("'2026-12-01'", "2026-02-30")
    path = tmp_path / "s.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioInvalid) as raised:
        load_scenario(path)
    assert [p.path for p in raised.value.problems] == ["$.horizon.start"]


def test_yaml_anchors_and_aliases_load(tmp_path: Path) -> None:
    """YAML anchors let a planner reuse a skill set; the aliases load as copies."""
    data = contract_dict()
    data["cadres"][1]["skills"] = data["cadres"][0]["skills"]  # dumped as an anchor and alias
    text = yaml.safe_dump(data)
    assert "*id001" in text
    path = tmp_path / "s.yaml"
    path.write_text(text)
    cadres = load_scenario(path).scenario.cadres
    assert cadres[1].skills == cadres[0].skills


# ----------------------------------------------------------------------------- schema errors


def test_schema_errors_have_paths_ids_and_plain_messages(tiny_raw: dict[str, Any]) -> None:
    """pydantic's errors come out with a JSON path, the enclosing item's id and plain words."""
    tiny_raw["cadres"][2]["hours"] = "many"
    tiny_raw["villages"][1]["region"] = "north"
    tiny_raw["needs"][4]["level"] = 7
    tiny_raw["policy"]["speed_kmh"] = 0
    problems = {p.path: p for p in _invalid(tiny_raw).problems}
    assert problems["$.cadres[2].hours"].id == "C3"
    assert problems["$.cadres[2].hours"].message == 'hours must be a number, not "many"'
    assert problems["$.villages[1].region"].id == "V2"
    assert '"north"' in problems["$.villages[1].region"].message
    assert problems["$.needs[4].level"].message == "level must be at most 3, not 7"
    assert problems["$.policy.speed_kmh"].id is None
    assert problems["$.policy.speed_kmh"].message == "speed_kmh must be more than 0, not 0"


def test_unknown_item_field_is_an_error_with_a_suggestion(tiny_raw: dict[str, Any]) -> None:
    """Items forbid unknown fields (a typo would be lost); the likely name is suggested."""
    tiny_raw["needs"][0]["pinned_providr"] = "C1"
    (problem,) = _invalid(tiny_raw).problems
    assert (problem.path, problem.id) == ("$.needs[0].pinned_providr", "N1")
    assert '"pinned_provider"' in problem.message


def test_unknown_skill_is_reported_at_the_key(tiny_raw: dict[str, Any]) -> None:
    """A skill that is not a category is reported at skills.<name>."""
    tiny_raw["cadres"][0]["skills"]["cooking"] = 2
    (problem,) = _invalid(tiny_raw).problems
    assert (problem.path, problem.id) == ("$.cadres[0].skills.cooking", "C1")


def test_bad_category_is_reported_once(tiny_raw: dict[str, Any]) -> None:
    """A need's unknown category is reported once, not again for the skill copied from it."""
    tiny_raw["needs"][2]["category"] = "cooking"
    assert [p.path for p in _invalid(tiny_raw).problems] == ["$.needs[2].category"]


def test_household_value_is_never_echoed(tiny_raw: dict[str, Any]) -> None:
    """A household given as a number (an unquoted phone number in YAML) is refused without
    repeating it."""
    tiny_raw["needs"][0]["household"] = 13812345678
    (problem,) = _invalid(tiny_raw).problems
    assert problem.path == "$.needs[0].household"
    assert "13812345678" not in str(problem)


def test_schema_version_error_is_clear_and_single(tiny_raw: dict[str, Any]) -> None:
    """schema_version 2 gives one plain error, not pydantic's 'Input should be 1'."""
    tiny_raw["schema_version"] = 2
    (problem,) = _invalid(tiny_raw).problems
    assert problem.path == "$.schema_version"
    assert "reads only schema_version 1" in problem.message


def test_id_that_is_a_number_labels_the_problem(tiny_raw: dict[str, Any]) -> None:
    """An id written as a number is refused and still labels the problem."""
    tiny_raw["needs"][0]["id"] = 7
    (problem,) = _invalid(tiny_raw).problems
    assert (problem.path, problem.id) == ("$.needs[0].id", "7")
    assert "quotes" in problem.message


def test_load_scenario_returns_scenario_and_warnings(tmp_path: Path) -> None:
    """load_scenario gives the validated scenario and the warnings of the file."""
    data = contract_dict()
    data["comment"] = "draft"
    path = tmp_path / "s.json"
    path.write_text(json.dumps(data))
    loaded = load_scenario(path)
    assert isinstance(loaded, LoadedScenario)
    assert isinstance(loaded.scenario, Scenario)
    assert [w.path for w in loaded.warnings] == ["$.comment"]


# ----------------------------------------------------------------------------- hashing


def test_canonical_json_is_sorted_compact_utf8() -> None:
    """Keys sorted, no spaces, Chinese kept as UTF-8, NaN refused."""
    assert (
        canonical_json({"b": 1, "a": [1, 2], "名": "县"}) == '{"a":[1,2],"b":1,"名":"县"}'.encode()
    )
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def _sha(data: dict[str, Any]) -> str:
    return scenario_sha256(parse_scenario(data).scenario)


def test_sha256_ignores_key_order_whitespace_and_omitted_defaults(tmp_path: Path) -> None:
    """Reordered keys, other whitespace, YAML, and defaults written out all hash the same."""
    data = contract_dict()
    reference = _sha(data)

    reordered = {key: data[key] for key in reversed(list(data))}
    reordered["cadres"] = [dict(reversed(list(c.items()))) for c in data["cadres"]]
    assert _sha(reordered) == reference

    spaced = tmp_path / "spaced.json"
    spaced.write_text(json.dumps(data, indent=7, sort_keys=True))
    assert scenario_sha256(load_scenario(spaced).scenario) == reference
    as_yaml = tmp_path / "s.yaml"
    as_yaml.write_text(yaml.safe_dump(data))
    assert scenario_sha256(load_scenario(as_yaml).scenario) == reference

    explicit = contract_dict()
    for need in explicit["needs"]:
        need.setdefault("skill", need["category"])
        need.setdefault("level", 1)
        need.setdefault("vulnerable", [])
        need.setdefault("pinned_provider", None)
    for cadre in explicit["cadres"]:
        cadre.setdefault("available", True)
        cadre.setdefault("paired_villages", [])
        cadre["hours"] = float(cadre["hours"])
    explicit["policy"] = {"speed_kmh": 40.0, "priority_weights": {"5": 16}}
    assert _sha(explicit) == reference

    ignored = contract_dict()
    ignored["comment"] = "unknown fields are ignored, and so is their content"
    assert _sha(ignored) == reference


def test_sha256_changes_when_a_value_changes() -> None:
    """Any change of a value changes the hash: an hour, a date, a policy setting."""
    reference = _sha(contract_dict())
    changes: list[dict[str, Any]] = [contract_dict() for _ in range(3)]
    changes[0]["cadres"][0]["hours"] = 25
    changes[1]["aid_records"][0]["date"] = "2026-11-21"
    changes[2]["policy"]["allow_repeat_aid"] = True
    hashes = {_sha(data) for data in changes}
    assert reference not in hashes and len(hashes) == 3
    assert len(reference) == 64 and int(reference, 16) >= 0


@pytest.mark.parametrize("text", ["x: &a [*a]\n", "x: &b {y: *b}\n"])
def test_a_yaml_alias_inside_its_own_anchor_is_refused(text: str, tmp_path: Path) -> None:
    """A node that contains itself is one located refusal, not a RecursionError."""
    path = tmp_path / "scenario.yaml"
    path.write_text("schema_version: 1\n" + text, encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as refused:
        load_scenario(path)
    assert "refers to itself" in refused.value.errors[0].message


def test_yaml_aliases_that_expand_past_any_county_are_refused(tmp_path: Path) -> None:
    """Nine levels of ten aliases each (10^9 values from 300 bytes) are refused at once,
    where walking the expansion would take hours."""
    lines = ["a0: &a0 [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]"]
    for level in range(1, 10):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ScenarioInvalid) as refused:
        load_scenario(path)
    assert "expand to" in refused.value.errors[0].message
