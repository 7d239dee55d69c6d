"""Every scenario problem in Chinese as well as English: the words of ``validate``, ``import``
and the API come from the message catalogue (matcher.i18n.messages, the ``intake.`` keys), the
English side kept word for word as it was."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from matcher.intake.bounds import MAX_DEPTH, unsafe_values
from matcher.intake.issues import Issue, ScenarioInvalid
from matcher.intake.loading import (
    TRANSLATED_KINDS,
    load_scenario,
    parse_json_bytes,
    parse_scenario,
    pydantic_words,
)
from matcher.scenario import Scenario
from tests.conftest import contract_dict

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _refused(data: object) -> tuple[Issue, ...]:
    with pytest.raises(ScenarioInvalid) as refused:
        parse_scenario(data)
    return refused.value.problems


def _read(path: Path) -> Issue:
    with pytest.raises(ScenarioInvalid) as refused:
        load_scenario(path)
    [problem] = refused.value.problems
    return problem


def _assert_chinese(problem: Issue) -> None:
    """Chinese words of its own, not the English copied, and the English still there."""
    chinese = problem.text("zh")
    assert problem.message_zh is not None, problem.message
    assert _HAN.search(chinese), chinese
    assert chinese != problem.message
    assert problem.to_dict("zh")["message"] == chinese
    assert problem.to_dict("zh")["message_en"] == problem.message
    assert problem.to_dict()["message"] == problem.message and "message_en" not in problem.to_dict()


def _many_errors(raw: dict[str, Any]) -> dict[str, Any]:
    """The tiny county with one problem of nearly every kind the checks find."""
    raw["nmae"] = "typo of name"  # unknown top-level field (a warning), with a suggestion
    raw["name"] = 5  # not text
    raw["places"][2]["kind"] = "city"  # not one of the allowed values
    raw["villages"][0]["town"] = "T9"  # unknown place
    raw["villages"][1]["lon"] = float("nan")  # not finite
    raw["villages"][2]["households"] = -3  # below its bound
    raw["roads"][0]["to"] = "X9"  # unknown road end
    raw["roads"][1]["to"] = raw["roads"][1]["from"]  # a loop (a warning)
    raw["cadres"][0]["base"] = "T9"  # unknown base
    raw["cadres"][0]["skills"] = {"agri_tech": 5}  # above its bound
    raw["cadres"][1]["max_villages"] = "two"  # not a whole number
    raw["cadres"][2]["hours"] = "many"  # not a number
    raw["cadres"][2]["nmae"] = "x"  # unknown field of an item
    raw["cadres"][3]["paired_villages"] = ["V9"]  # unknown paired village
    raw["organizations"][0]["id"] = "C1"  # the id of a cadre too
    raw["organizations"][0]["towns"] = ["T9"]  # unknown town
    raw["pools"][0]["villages"] = ["V9"]  # unknown village
    raw["pools"][1]["amount"] = 1.5  # not a whole number
    raw["needs"][0]["category"] = "cooking"  # not a category
    raw["needs"][1]["village"] = "V9"  # unknown village
    raw["needs"][2]["submitted"] = "2026-13-45"  # not a date
    raw["needs"][3]["household"] = "13812345678"  # a phone number
    raw["needs"][4]["pinned_provider"] = "Z9"  # unknown provider
    raw["needs"][5]["id"] = raw["needs"][6]["id"]  # an id used twice
    del raw["needs"][7]["hours"]  # a required field missing
    raw["aid_records"][0]["date"] = 86400  # a date as a number
    raw["aid_records"][1]["id"] = " A2"  # an id with a space around it
    raw["policy"] = {"priority_weights": {"9": 1.0}, "round_trip": "maybe"}  # bad key; not bool
    return raw


def test_a_scenario_with_many_kinds_of_error_is_refused_in_chinese_and_english(
    tiny_raw: dict[str, Any],
) -> None:
    """Each problem has its Chinese words; its English is unchanged (spot checks)."""
    problems = _refused(_many_errors(tiny_raw))
    assert len(problems) >= 25
    for problem in problems:
        _assert_chinese(problem)
    by_path = {p.path: p for p in problems}
    town = by_path["$.villages[0].town"]
    assert town.message == 'town "T9" is not a known place'
    assert town.text("zh") == '乡镇 "T9" 不是已知的地点'
    assert town.line("zh") == '$.villages[0].town (V1)：乡镇 "T9" 不是已知的地点'
    missing = by_path["$.needs[7].hours"]
    assert (missing.message, missing.text("zh")) == (
        "required field hours is missing",
        "缺少必填字段 hours",
    )
    assert by_path["$.needs[1].village"].text("zh") == '引用了不存在的村 "V9"'
    assert by_path["$.villages[2].households"].text("zh") == "households 必须不小于 0，不能是 -3"
    assert (
        by_path["$.needs[0].category"]
        .text("zh")
        .startswith("category 必须是 'agri_tech'、'e_commerce'、")
    )
    assert by_path["$.name"].text("zh") == "name 必须是文本，不能是 5（请加引号）"
    assert by_path["$.nmae"].text("zh") == '未知的顶层字段 "nmae"，已忽略；是否应为 "name"？'
    assert by_path["$.nmae"].message == (
        'unknown top-level field "nmae" is ignored; did you mean "name"?'
    )
    assert by_path["$.needs[3].household"].text("zh") == (
        "户编号必须是化名：此编号看似手机号或身份证号"
    )
    assert by_path["$.villages[1].lon"].text("zh") == "lon 为 NaN（非数）；请填写有限的数"


def test_every_english_message_is_the_catalogues_english(tiny_raw: dict[str, Any]) -> None:
    """The English words come from the catalogue too: the same key said in English gives the
    message, so the two languages cannot drift apart."""
    problems = _refused(_many_errors(tiny_raw))
    duplicate = next(p for p in problems if "used twice" in p.message)
    assert duplicate.message == (
        f'need id "{duplicate.id}" is used twice: $.needs[5] has it too; ids must be unique '
        "within needs"
    )
    assert duplicate.text("zh") == (
        f'需求编号 "{duplicate.id}" 重复使用：$.needs[5] 也用了它；needs 中的编号必须唯一'
    )
    shared = next(p for p in problems if "also the id of" in p.message)
    assert shared.text("zh").startswith('社会组织编号 "C1" 同时是一个干部的编号')


def test_pins_no_plan_can_keep_are_refused_in_chinese(tiny_raw: dict[str, Any]) -> None:
    """A pin to an organisation without the skill, in another town, too far and held back
    by recent aid; two pins over their cadre's hours; a pin its village's cap cannot pay."""
    tiny_raw["needs"][5]["pinned_provider"] = "O1"  # N6: hardship_relief in V1 (town T1)
    for index in (0, 6):
        tiny_raw["needs"][index].update(pinned_provider="C1", hours=15, cost=0)
    problems = _refused(tiny_raw)
    for problem in problems:
        _assert_chinese(problem)
    texts = [p.text("zh") for p in problems]
    assert '指定服务者 "O1" 不具备此需求所要求的技能：困难救助' in texts
    assert '指定服务者 "O1" 只服务乡镇 T2，而村 V1 位于乡镇 T1' in texts
    assert '指定服务者 "O1" 距村 V1 39.0 分钟，超出其 30 分钟的路程上限' in texts
    assert any(t.startswith("同一户同一类别近期已获帮扶（帮扶记录 A1、A2）") for t in texts)
    assert any(t.startswith('指定给 "C1" 的需求连同路程共需') and "（H4）" in t for t in texts)
    over = next(p for p in problems if p.id == "N1")
    assert (
        "(N1 15.2 h, N7 16.3 h)" in over.message
        and "（N1 15.2 小时、N7 16.3 小时）" in over.text("zh")
    )


def test_a_pin_its_money_cannot_pay_is_refused_in_chinese(tiny_raw: dict[str, Any]) -> None:
    """N7 costs 7,000 yuan in V2, whose cap is 5,000 (H6)."""
    tiny_raw["needs"][6]["pinned_provider"] = "C1"
    [problem] = _refused(tiny_raw)
    _assert_chinese(problem)
    assert problem.text("zh").startswith("此指定需求费用 7000 元，但")
    assert "只能支付其中 5000 元（H5、H6）" in problem.text("zh")


@pytest.mark.parametrize(
    ("content", "suffix", "english"),
    [
        (b'{"a": }', ".json", "the file is not valid JSON: Expecting value at line 1, column 7"),
        (b'{"a": 1, "a": 2}', ".json", 'the file gives the key "a" twice in one object'),
        (b'{"a": "\xb2\xe2"}', ".json", "the file is not UTF-8 text (a byte at line 1, column"),
        (b"[1, 2]", ".json", "a scenario must be an object (with schema_version, places"),
        (b"", ".yaml", "the file is empty; a scenario is an object with schema_version 1"),
        (b"a: [1\nb: 2\n", ".yaml", "the file is not valid YAML: "),
        (b"a: &x [*x]\n", ".yaml", "the file holds a YAML alias inside its own anchor"),
        (b"[" * (MAX_DEPTH + 5) + b"]" * (MAX_DEPTH + 5), ".yaml", "the file is nested too"),
    ],
)
def test_a_file_that_cannot_be_read_says_so_in_chinese(
    tmp_path: Path, content: bytes, suffix: str, english: str
) -> None:
    """Syntax errors, encodings, repeated keys, empty files, aliases and nesting."""
    path = tmp_path / f"county{suffix}"
    path.write_bytes(content)
    problem = _read(path)
    assert problem.message.startswith(english)
    _assert_chinese(problem)


def test_a_missing_file_and_a_folder_say_so_in_chinese(tmp_path: Path) -> None:
    missing = _read(tmp_path / "nowhere.json")
    assert missing.text("zh") == f"找不到文件：{tmp_path / 'nowhere.json'}"
    folder = _read(tmp_path)
    assert folder.text("zh") == f"{tmp_path} 是文件夹，不是情景文件"


def test_the_request_body_is_named_as_such_in_both_languages() -> None:
    """The API's reader names the body, not a file: 请求体 in Chinese."""
    with pytest.raises(ScenarioInvalid) as refused:
        parse_json_bytes(b'{"a": 1,}', "the request body")
    [problem] = refused.value.problems
    assert problem.message.startswith("the request body is not valid JSON: ")
    assert problem.text("zh").startswith("请求体不是有效的 JSON：第 1 行第 9 列")


def test_values_no_field_accepts_are_named_in_chinese() -> None:
    """Unclean text, a key with a control character, a number past every bound."""
    problems = unsafe_values({"a": "x\x00y", "b\u202e": 1, "c": 10**20})
    texts = {p.path: p.text("zh") for p in problems}
    assert texts["$.a"] == "文本第 2 个字符是控制字符 U+0000"
    assert texts['$["b\\\\u202e"]'] == "键第 2 个字符是文字方向控制符 U+202E"
    assert texts["$.c"] == "21 位的数字超出了所有字段的取值范围（任何字段都不超过 10^15）"
    for problem in problems:
        _assert_chinese(problem)


def _errors(data: dict[str, Any]) -> list[Any]:
    with pytest.raises(ValidationError) as failed:
        Scenario.model_validate(data)
    return list(failed.value.errors(include_url=False))


def test_the_common_kinds_of_schema_error_are_in_the_catalogue(tiny_raw: dict[str, Any]) -> None:
    """The kinds the scenario's fields can raise are said in Chinese; a kind the catalogue does
    not know falls back on pydantic's English (and no Chinese is pretended)."""
    common = {
        "missing",
        "extra_forbidden",
        "string_type",
        "string_too_short",
        "string_too_long",
        "int_type",
        "int_parsing",
        "int_from_float",
        "float_type",
        "float_parsing",
        "bool_type",
        "bool_parsing",
        "greater_than",
        "greater_than_equal",
        "less_than_equal",
        "literal_error",
        "enum",
        "tuple_type",
        "dict_type",
        "model_type",
        "value_error",
        "finite_number",
    }
    assert common <= TRANSLATED_KINDS
    seen = {e["type"] for e in _errors(_many_errors(contract_dict()))}
    assert {kind for kind in seen if not kind.startswith("date")} <= TRANSLATED_KINDS
    unknown = {"type": "made_up_kind", "loc": ("name",), "msg": "Something", "input": 1}
    assert pydantic_words(unknown, ("name",)) is None  # type: ignore[arg-type]
    with pytest.raises(ScenarioInvalid) as refused:
        parse_scenario({**tiny_raw, "horizon": {"start": "2026-12-01", "days": 1.5}})
    [problem] = refused.value.errors
    assert problem.message == "days must be a whole number, not 1.5"
    assert problem.text("zh") == "days 必须是整数，不能是 1.5"


def test_an_issue_said_in_both_languages_is_plain_json(tiny_raw: dict[str, Any]) -> None:
    """What the API and the worker store: strings only, in either language."""
    for problem in _refused(_many_errors(tiny_raw)):
        for lang in ("zh", "en"):
            json.dumps(problem.to_dict(lang), ensure_ascii=False)
