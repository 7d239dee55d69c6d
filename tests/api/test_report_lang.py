"""The job page's inline report follows the page's language (issue 16: "Switching the web page
to 中文 leaves the inline report in English"): the page asks for the report in its own
language, and the service answers the stored report or renders it in that language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.web.pages import STATIC
from matcher.i18n import Lang, t
from tests.api.conftest import A, B, settings
from tests.api.test_web import wait_final

PROBLEM = "application/problem+json"


@pytest.fixture(params=["en", "zh"])
def server_lang(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The language the worker renders the stored report in (the server's own)."""
    monkeypatch.setenv("MATCHER_LANG", request.param)
    lang: str = request.param
    return lang


@pytest.fixture
def finished(
    server_lang: str, tmp_path: Path, tiny_raw: dict[str, Any]
) -> Iterator[tuple[TestClient, str]]:
    """A client and the id of a job that solved the tiny county."""
    with TestClient(create_app(settings(tmp_path))) as client:
        body = {"scenario": tiny_raw, "solver": "greedy", "time_limit_seconds": 10}
        job_id = client.post("/v1/plans", json=body, headers=A).json()["id"]
        assert wait_final(client, job_id)["status"] == "succeeded"
        yield client, job_id


def _headings(html: str) -> list[str]:
    return re.findall(r"<h2[^>]*>([^<]+)</h2>", html)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_inline_report_is_in_the_pages_language(
    finished: tuple[TestClient, str], server_lang: str, lang: Lang
) -> None:
    """Switching to 中文 gives the report with lang=zh and Chinese headings; English gives
    English, whichever language the server stored it in."""
    client, job_id = finished
    stored = client.get(f"/v1/plans/{job_id}/report.html", headers=A)
    assert stored.status_code == 200 and f'<html lang="{server_lang}">' in stored.text
    shown = client.get(f"/app/jobs/{job_id}/report.html", params={"lang": lang}, headers=A)
    assert shown.status_code == 200 and shown.headers["content-type"].startswith("text/html")
    assert shown.headers["content-language"] == lang
    html = shown.text
    assert f'<html lang="{lang}">' in html
    headings = _headings(html)
    for key in ("blind.title", "dup.title"):
        assert t(key, lang) in headings, (key, headings)
    chinese = [h for h in headings if re.search(r"[\u4e00-\u9fff]", h)]
    assert len(chinese) == (len(headings) if lang == "zh" else 0) and len(headings) >= 5
    other: Lang = "en" if lang == "zh" else "zh"
    assert t("blind.title", other) not in headings
    assert '<a href="#summary">' in html
    if lang == server_lang:
        assert html == stored.text  # the stored report itself
    again = client.get(f"/app/jobs/{job_id}/report.html", params={"lang": lang}, headers=A)
    assert again.text == html


def test_the_report_route_keeps_the_apis_rules(finished: tuple[TestClient, str]) -> None:
    """Its own county's key only, 404 for an unknown job, 422 for a language it lacks; the
    stored report without a language."""
    client, job_id = finished
    path = f"/app/jobs/{job_id}/report.html"
    assert client.get(path, params={"lang": "zh"}).status_code == 401
    other = client.get(path, params={"lang": "zh"}, headers=B)
    assert other.status_code == 404 and other.headers["content-type"] == PROBLEM
    unknown = client.get("/app/jobs/no-such-job/report.html", params={"lang": "zh"}, headers=A)
    assert unknown.status_code == 404
    assert client.get(path, params={"lang": "fr"}, headers=A).status_code == 422
    stored = client.get(f"/v1/plans/{job_id}/report.html", headers=A).text
    assert client.get(path, headers=A).text == stored


def test_a_job_without_a_plan_has_no_inline_report_yet(
    idle_client: TestClient, tiny_raw: dict[str, Any]
) -> None:
    job_id = idle_client.post("/v1/plans", json={"scenario": tiny_raw}, headers=A).json()["id"]
    answer = idle_client.get(f"/app/jobs/{job_id}/report.html", params={"lang": "zh"}, headers=A)
    assert answer.status_code == 404 and answer.headers["content-type"] == PROBLEM


def test_the_job_page_asks_for_the_report_in_its_language() -> None:
    """job.js fetches the report with the page's language, and again when it changes; every
    call of the pages asks for problems in the page's language."""
    job = (STATIC / "job.js").read_text(encoding="utf-8")
    assert "/report.html?lang=${lang}" in job and "const lang = App.lang();" in job
    assert re.search(
        r"App\.onLanguage\(\(\) => \{\s*if \(reportLang !== null\) showReport\(\);", job
    )
    app = (STATIC / "app.js").read_text(encoding="utf-8")
    assert '"Accept-Language": lang() === "zh" ? "zh-CN" : "en"' in app
