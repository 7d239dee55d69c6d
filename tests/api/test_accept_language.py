"""Problem documents in Chinese for a caller whose ``Accept-Language`` prefers it (issue 16):
``title``, ``detail`` and every listed problem's ``message`` from the message catalogue, the
English kept in ``message_en``, and ``Content-Language`` saying which. Without the header
nothing changes: the same English, word for word."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problem_details import _PHRASES, accepted_lang, in_chinese
from tests.api.conftest import A, settings
from tests.conftest import ROOT

PROBLEM = "application/problem+json"
ZH = {**A, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}
_HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "en"),
        ("", "en"),
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh-Hans", "zh"),
        ("zh-Hans-CN", "zh"),
        ("ZH-cn", "zh"),
        ("en", "en"),
        ("en-GB", "en"),
        ("en;q=0.5, zh;q=0.9", "zh"),
        ("zh;q=0.5, en;q=0.9", "en"),
        ("zh, en", "zh"),
        ("en, zh", "en"),
        ("fr-FR, zh;q=0.3", "zh"),
        ("fr, de", "en"),
        ("*", "en"),
        ("zh;q=0, en;q=0.1", "en"),
        ("zh;q=0", "en"),
        ("zh;q=oops", "en"),
        ("zhx, en", "en"),
        ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
    ],
)
def test_the_accepted_language_follows_the_q_values(header: str | None, lang: str) -> None:
    """Chinese for any zh tag, English for en, by weight and then order; English otherwise."""
    assert accepted_lang(header) == lang


def _broken(tiny_raw: dict[str, Any]) -> dict[str, Any]:
    tiny_raw["villages"][0]["town"] = "T9"
    del tiny_raw["needs"][7]["hours"]
    tiny_raw["cadres"][1]["hours"] = -1
    tiny_raw["nmae"] = "x"  # a warning
    return tiny_raw


def _is_chinese(text: str) -> bool:
    return bool(_HAN.search(text))


def test_a_scenario_validated_in_chinese_gets_chinese_problems(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    answer = idle_client.post("/v1/scenarios/validate", json=_broken(tiny_raw), headers=ZH)
    assert answer.status_code == 422 and answer.headers["content-type"] == PROBLEM
    assert answer.headers["content-language"] == "zh"
    assert "accept-language" in answer.headers["vary"].lower()
    body = answer.json()
    assert body["title"] == "情景无效"
    assert body["detail"] == "3 个问题；未保存任何内容"
    assert body["type"] == "/problems/scenario-invalid"  # the kind is not translated
    messages = {e["path"]: e for e in body["errors"]}
    assert messages["$.villages[0].town"]["message"] == '乡镇 "T9" 不是已知的地点'
    assert messages["$.villages[0].town"]["message_en"] == 'town "T9" is not a known place'
    assert messages["$.needs[7].hours"]["message"] == "缺少必填字段 hours"
    assert messages["$.cadres[1].hours"]["message"] == "hours 必须大于 0，不能是 -1"
    for item in body["errors"] + body["warnings"]:
        assert _is_chinese(item["message"]) and item["message"] != item["message_en"]


def test_without_the_header_the_problems_are_the_same_english(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    answer = idle_client.post("/v1/scenarios/validate", json=_broken(tiny_raw), headers=A)
    assert answer.status_code == 422 and answer.headers["content-language"] == "en"
    body = answer.json()
    assert body["title"] == "The scenario is not valid"
    assert body["detail"] == "3 problem(s); nothing was stored"
    town = next(e for e in body["errors"] if e["path"] == "$.villages[0].town")
    assert town == {
        "path": "$.villages[0].town",
        "message": 'town "T9" is not a known place',
        "id": "V1",
        "severity": "error",
    }
    english = {**A, "Accept-Language": "en-GB,en;q=0.9,zh;q=0.5"}
    assert idle_client.post("/v1/scenarios/validate", json=tiny_raw, headers=english).json() == (
        body
    )


def test_a_plan_request_with_a_broken_scenario_is_refused_in_chinese(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    """POST /v1/plans: the problems at their paths under ``$.scenario``, in Chinese."""
    answer = idle_client.post("/v1/plans", json={"scenario": _broken(tiny_raw)}, headers=ZH)
    assert answer.status_code == 422 and answer.headers["content-language"] == "zh"
    body = answer.json()
    assert body["title"] == "情景无效"
    town = next(e for e in body["errors"] if e["path"] == "$.scenario.villages[0].town")
    assert town["message"] == '乡镇 "T9" 不是已知的地点'
    too_long = idle_client.post(
        "/v1/plans", json={"scenario": tiny_raw, "time_limit_seconds": 10**6}, headers=ZH
    )
    assert too_long.status_code == 422 and too_long.json()["title"] == "请求无效"
    assert _is_chinese(too_long.json()["errors"][0]["message"])


def test_the_input_checks_answer_in_chinese(idle_client: TestClient) -> None:
    """A body that is not JSON, values no field takes, unclean text in the query."""
    json_type = {**ZH, "Content-Type": "application/json"}
    broken = idle_client.post("/v1/scenarios/validate", content=b'{"a": }', headers=json_type)
    assert broken.status_code == 422 and broken.headers["content-language"] == "zh"
    assert broken.json()["title"] == "请求体不是有效的 JSON"
    assert broken.json()["detail"] == "请求体不是有效的 JSON：第 1 行第 7 列，此处应有一个值"
    assert broken.json()["errors"][0]["message_en"] == (
        "the request body is not valid JSON: Expecting value at line 1, column 7"
    )
    not_utf8 = idle_client.post(
        "/v1/scenarios/validate", content=b'{"a": "\xff"}', headers=json_type
    )
    assert not_utf8.status_code == 400 and not_utf8.json()["title"] == "请求体不是 UTF-8 文本"
    assert not_utf8.json()["detail"].startswith("请求体不是 UTF-8 文本（第 1 行第 8 列")
    unsafe = idle_client.post("/v1/scenarios/validate", json={"a": 10**20}, headers=ZH)
    assert unsafe.json()["title"] == "请求无效"
    assert unsafe.json()["detail"] == "1 个值不被任何字段接受；未保存任何内容"
    assert unsafe.json()["errors"][0]["message"].startswith("21 位的数字超出了")
    unclean = idle_client.get("/v1/plans", params={"cursor": "a\x00b"}, headers=ZH)
    assert unclean.status_code == 422
    assert unclean.json()["detail"].startswith("请求含有不干净的文本")
    assert unclean.json()["errors"][0]["message"] == "查询参数第 2 个字符是控制字符 U+0000"
    english = idle_client.get("/v1/plans", params={"cursor": "a\x00b"}, headers=A).json()
    assert english["errors"][0]["message"] == (
        "the query parameter holds a control character U+0000 at character 2"
    )


def test_the_http_errors_have_chinese_titles(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    """401, 404, 409, 415 and FastAPI's own 422, in Chinese; the same in English without."""
    unauthorised = idle_client.get("/v1/plans", headers={"Accept-Language": "zh"})
    assert (unauthorised.status_code, unauthorised.json()["title"]) == (401, "未授权")
    assert unauthorised.json()["detail"] == "缺少 X-API-Key 请求头"
    missing = idle_client.get("/v1/plans/no-such-job", headers=ZH)
    assert (missing.status_code, missing.json()["title"]) == (404, "未找到")
    assert missing.json()["detail"] == "此密钥下没有作业 no-such-job"
    assert idle_client.get("/v1/plans/no-such-job", headers=A).json()["detail"] == (
        "no job no-such-job for this key"
    )
    job_id = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).json()["id"]
    no_plan = idle_client.get(f"/v1/plans/{job_id}/kpis", headers=ZH)
    assert (no_plan.status_code, no_plan.json()["title"]) == (409, "该作业还没有方案")
    assert no_plan.json()["detail"] == f"作业 {job_id} 目前排队中；运行之后才有方案"
    plain = idle_client.post(
        "/v1/plans", content=b"hello", headers={**ZH, "Content-Type": "text/plain"}
    )
    assert (plain.status_code, plain.json()["title"]) == (415, "不支持的媒体类型")
    assert plain.json()["detail"].endswith("而不是 text/plain")
    bad_query = idle_client.get("/v1/plans", params={"limit": "many"}, headers=ZH)
    assert bad_query.status_code == 422 and bad_query.json()["title"] == "请求无效"
    assert bad_query.json()["detail"] == "请求中有 1 个问题"
    item = bad_query.json()["errors"][0]
    assert (
        _is_chinese(item["message"])
        and item["message_en"]
        == "Input should be a valid integer, unable to parse string as an integer"
    )
    unknown = idle_client.get("/v1/no-such-route", headers=ZH)
    assert (unknown.status_code, unknown.json()["title"]) == (404, "未找到")
    assert unknown.headers["content-language"] == "zh"


def test_413_and_429_have_chinese_titles(tmp_path: Path, tiny_raw: dict[str, Any]) -> None:
    app = create_app(settings(tmp_path, max_body_mb=0.001), start_workers=False)
    with TestClient(app) as client:
        big = client.post("/v1/plans", json={"scenario": tiny_raw, "pad": "x" * 5000}, headers=ZH)
        assert (big.status_code, big.json()["title"]) == (413, "请求体过大")
        assert big.json()["detail"] == "请求体超过了 1,048 字节的上限"
    app = create_app(settings(tmp_path, tenant_queue_limit=1), start_workers=False)
    with TestClient(app) as client:
        assert client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).status_code == 202
        full = client.post("/v1/plans", json={"scenario": tiny_raw, "seed": 2}, headers=ZH)
        assert (full.status_code, full.json()["title"]) == (429, "求解队列已满")
        assert re.fullmatch(
            r"已有 1 个作业在排队，达到本县的上限；请 \d+ 秒后重试", full.json()["detail"]
        )
        english = client.post("/v1/plans", json={"scenario": tiny_raw, "seed": 3}, headers=A)
        assert english.json()["title"] == "The solve queue is full"
        assert "your county's limit" in english.json()["detail"]


def _titles_in_the_code() -> set[str]:
    """Every literal title given to ApiProblem or problem_response in ``api/``."""
    found = set()
    for path in sorted((ROOT / "api").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = (
                node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            )
            position = {"ApiProblem": 2, "problem_response": 2}.get(name)
            if position is None:
                continue
            given = next((k.value for k in node.keywords if k.arg == "title"), None)
            if given is None and len(node.args) > position:
                given = node.args[position]
            if isinstance(given, ast.Constant) and isinstance(given.value, str):
                found.add(given.value)
    return found


def test_every_title_the_api_answers_with_has_chinese_words() -> None:
    """A new title without catalogue words fails here (add it to the ``api.title.`` keys)."""
    titles = _titles_in_the_code() | set(_PHRASES.values())
    assert len(titles) >= 15, "the scan found the titles"
    assert {title for title in titles if not _is_chinese(in_chinese(title))} == set()


def test_the_english_titles_are_unchanged() -> None:
    """The catalogue gives back the very words the API answered before it had Chinese."""
    assert _PHRASES == {
        400: "Bad request",
        401: "Unauthorised",
        403: "Forbidden",
        404: "Not found",
        405: "Method not allowed",
        406: "Not acceptable",
        409: "Conflict",
        413: "Request body too large",
        415: "Unsupported media type",
        422: "Unprocessable content",
        429: "Too many requests",
        500: "Internal server error",
        503: "Service unavailable",
    }
    assert in_chinese("some words the catalogue does not have") == (
        "some words the catalogue does not have"
    )
