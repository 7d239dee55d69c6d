"""Re-planning from the new-plan page in real headless Chromium (issue 16, item 6): the page
offers the county's finished plans as the earlier plan, enables the change limit only with
one, labels both in Chinese, and submits them as ``previous_plan_id`` and ``max_changes``; the
job records them and its plan keeps to the limit.

Uses the server and browser of :mod:`tests.browser.test_pages_in_chromium` (skipped without
Chromium, except under CI).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from tests.browser.test_pages_in_chromium import (
    DEMO,
    KEY,
    WAIT,
    Browser,
    Server,
    browser,
    server,
)

__all__ = ["browser", "server"]  # the fixtures, imported for pytest


def _final(server: Server, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 2 * WAIT
    with server.api() as api:
        while time.monotonic() < deadline:
            job: dict[str, Any] = api.get(f"/v1/plans/{job_id}").json()
            if job["status"] in ("succeeded", "failed", "stopped"):
                return job
            time.sleep(0.2)
    raise AssertionError(f"job {job_id} not final{server.logs()}")


def _options(b: Browser) -> list[list[str]]:
    found: list[list[str]] = b.js(
        "return Array.from(document.querySelectorAll('#previous-plan option'))"
        ".map(o => [o.value, o.textContent]);"
    )
    return found


def test_a_planner_re_plans_from_an_earlier_plan(
    browser: Browser, server: Server, tmp_path: Path
) -> None:
    from selenium.webdriver.support.ui import Select

    b = browser
    scenario = json.loads(DEMO.read_text(encoding="utf-8"))
    with server.api() as api:
        first = api.post(
            "/v1/plans", json={"scenario": scenario, "solver": "greedy", "label": "第一稿"}
        )
    assert first.status_code == 202, first.text
    old_id = first.json()["id"]
    assert _final(server, old_id)["status"] == "succeeded"

    b.open("/app/")
    b.wait("the key form", lambda: b.find("#key-gate").is_displayed())
    b.find("#key-input").send_keys(KEY)
    b.find("#key-form button[type=submit]").click()
    b.wait("the job list", lambda: b.find("#page").is_displayed())

    upload = tmp_path / "county.json"
    upload.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    b.open("/app/new")
    b.wait("the upload form", lambda: b.find("#file").is_enabled())
    b.find("#file").send_keys(str(upload))
    b.wait("the import's success", lambda: b.find("#import-ok").is_displayed())
    b.wait("the earlier plans", lambda: len(_options(b)) == 2)
    options = _options(b)
    assert options[0][0] == "" and options[1][0] == old_id
    assert "第一稿" in options[1][1] and old_id[:8] in options[1][1]
    assert not b.find("#max-changes").is_enabled()  # no limit without an earlier plan
    b.shoot("replan-options")

    b.find("[data-lang=zh]").click()
    b.wait("the Chinese labels", lambda: b.text("[data-i18n='new.previous']") == "原方案")
    assert b.text("[data-i18n='new.max_changes']") == "最多调整项数"
    assert _options(b)[0][1] == "无：重新编制"
    b.shoot("replan-options-zh")

    Select(b.find("#previous-plan")).select_by_value(old_id)
    b.wait("the change limit", lambda: b.find("#max-changes").is_enabled())
    b.find("#max-changes").send_keys("3")
    Select(b.find("#solver")).select_by_value("auto")
    limit = b.find("#time-limit")
    limit.clear()
    limit.send_keys("5")
    b.find("#submit").click()
    b.wait("the job page", lambda: "/app/jobs/" in b.driver.current_url)
    new_id = str(b.driver.current_url.rsplit("/", 1)[-1])

    job = _final(server, new_id)
    assert job["status"] == "succeeded", job["outcome"]
    assert job["previous_plan_id"] == old_id and job["max_changes"] == 3
    assert job["outcome"]["changes_from_previous"] <= 3
    b.read_console()
    errors = [e for e in b.console if e.get("level") == "SEVERE"]
    assert errors == [], errors
