"""The planners' web pages in real headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium) against a real ``matcher serve`` on a free loopback
port over SQLite in tmp_path, one worker, one solver thread.

One planner's session, step by step: enter the key; upload a broken workbook and see the
problem located (sheet, row, column); upload the demo county's workbook, submit it (greedy),
watch the progress reach the end and read the report in its frame (the map's SVG); submit a
long job with policy overrides and stop it (status ``stopped``, its best plan kept); compare
the two plans (KPI rows, needs gained and lost); switch to Chinese; the job list at laptop and
tablet widths. Screenshots of every page are saved in the test's tmp_path (``*.png``); the
browser's console must hold no error but the answers the test provokes on purpose (the
broken workbook's 422).

``.ci/run`` installs Chromium when missing; under CI (``CI`` set) a missing browser fails the
test, elsewhere it skips with the reason.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from matcher.workbook import export_scenario_xlsx
from tests.browser.chromium import chromium
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo-county.json"
TENANT, KEY = "browser-county", "browser-secret-key"
LAPTOP = (1280, 900)
TABLET = (768, 1024)
WAIT = 60.0  # a guard against hangs, never a speed check
# The broken workbook's cell: 干部!G3, the cadres sheet (titled in Chinese, as the template's), is
# the first cadre's hours (after id, name, title, department, base, skills).
BROKEN_SHEET, BROKEN_ROW, BROKEN_COLUMN = "干部", 3, "G"


# ---------------------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A ``matcher serve`` child process in its own session."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def logs(self) -> str:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return "\n\nserver log:\n" + "\n".join(text.splitlines()[-40:])

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers={"X-API-Key": KEY}, timeout=10.0)


def _launch(tmp_path: Path, port: int) -> Server:
    log = tmp_path / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
    env.update(
        MATCHER_API_KEYS=f"{TENANT}={KEY}",
        MATCHER_DATABASE_URL=f"sqlite:///{tmp_path / 'matcher.db'}",
        MATCHER_WORKERS="1",
        MATCHER_SOLVER_THREADS="1",  # modest CPU use on a shared machine
        PYTHONUNBUFFERED="1",
    )
    command = [sys.executable, "-m", "matcher", "serve", "--host", "127.0.0.1"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--log-level", "warning"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Server(process, f"http://127.0.0.1:{port}", log)


def _healthy(server: Server) -> bool:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            if "address already in use" in server.logs().lower():
                return False
            pytest.fail(f"the server exited while starting{server.logs()}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"{server.url}/v1/health", timeout=2.0).status_code == 200:
                return True
        time.sleep(0.2)
    pytest.fail(f"the server did not answer /v1/health in {WAIT:g} s{server.logs()}")


def _stop(server: Server) -> None:
    """SIGTERM to the server alone (it stops its workers), then SIGKILL to anything of its
    process group that is left."""
    if server.process.poll() is None:
        server.process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(15)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.process.pid, signal.SIGKILL)  # workers a crash left behind
    with contextlib.suppress(subprocess.TimeoutExpired):
        server.process.wait(5)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """``matcher serve`` on a free loopback port (another process may take the port between
    the probe and the bind: then try another)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the server's workers use PR_SET_PDEATHSIG (Linux)")
    for _ in range(3):
        running = _launch(tmp_path, _free_port())
        if _healthy(running):
            break
        _stop(running)
    else:
        pytest.fail("the server could not bind a free port")
    try:
        yield running
    finally:
        _stop(running)


# ---------------------------------------------------------------------------- the browser


@dataclass
class Browser:
    """The driver, the console entries read so far, and where screenshots go."""

    driver: Any
    url: str
    shots: Path
    console: list[dict[str, Any]] = field(default_factory=list)

    def open(self, path: str) -> None:
        self.read_console()
        self.driver.get(self.url + path)

    def read_console(self) -> None:
        """Keep the console's new entries (reading the log empties it)."""
        self.console.extend(self.driver.get_log("browser"))

    def wait(self, what: str, check: Callable[[], Any], timeout: float = WAIT) -> Any:
        """``check()``'s first truthy answer; fails with ``what`` and the page's text after
        ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(Exception):
                answer = check()
                if answer:
                    return answer
            if time.monotonic() > deadline:
                self.shoot("failure")
                body = self.js("return document.body.innerText")
                pytest.fail(f"waited {timeout:g} s for {what}; the page says:\n{body[:3000]}")
            time.sleep(0.1)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def find(self, css: str) -> Any:
        return self.driver.find_element("css selector", css)

    def text(self, css: str) -> str:
        found: str = self.js(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;",
            css,
        )
        return found

    def size(self, width_height: tuple[int, int]) -> None:
        self.driver.set_window_size(*width_height)

    def shoot(self, name: str) -> Path:
        """A full-page screenshot (beyond the window's height), saved as ``name``.png."""
        width, height = self.js(
            "const e = document.documentElement; return [e.scrollWidth, e.scrollHeight];"
        )
        clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot",
            {"format": "png", "captureBeyondViewport": True, "clip": clip},
        )
        path = self.shots / f"{name}.png"
        path.write_bytes(base64.b64decode(shot["data"]))
        return path


@pytest.fixture
def browser(tmp_path: Path, server: Server) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile, logging the console, on the server."""
    size = f"--window-size={LAPTOP[0]},{LAPTOP[1]}"
    with chromium(tmp_path / "profile", ["--lang=en-GB", size]) as driver:
        shots = tmp_path / "screenshots"
        shots.mkdir()
        yield Browser(driver, server.url, shots)


# ---------------------------------------------------------------------------- the files


@pytest.fixture
def workbooks(tmp_path: Path) -> tuple[Path, Path]:
    """The demo county's workbook, and a copy with one cell broken (a negative hours)."""
    good = tmp_path / "demo-county.xlsx"
    export_scenario_xlsx(json.loads(DEMO.read_text(encoding="utf-8")), good)
    book = openpyxl.load_workbook(good)
    sheet = book[BROKEN_SHEET]
    assert sheet[f"{BROKEN_COLUMN}2"].value == "hours"  # row 2: the English field names
    sheet[f"{BROKEN_COLUMN}{BROKEN_ROW}"] = -5
    broken = tmp_path / "demo-county-broken.xlsx"
    book.save(broken)
    return good, broken


# ---------------------------------------------------------------------------- the steps


def _enter_key(b: Browser) -> None:
    b.open("/app/")
    b.wait("the key form", lambda: b.find("#key-gate").is_displayed())
    b.shoot("01-key")
    b.find("#key-input").send_keys(KEY)
    b.find("#key-form button[type=submit]").click()
    b.wait("the job list", lambda: b.find("#page").is_displayed())
    b.wait("the empty list's note", lambda: b.find("#list-empty").is_displayed())


def _upload(b: Browser, workbook: Path) -> None:
    b.open("/app/new")
    b.wait("the upload form", lambda: b.find("#file").is_enabled())
    b.find("#file").send_keys(str(workbook))


def _problem_cells(b: Browser) -> list[list[str]]:
    rows: list[list[str]] = b.js(
        "return Array.from(document.querySelectorAll('#import-result .problems-table tbody tr'))"
        ".map(r => Array.from(r.cells).map(c => c.textContent.trim()));"
    )
    return rows


def _submit(b: Browser, solver: str, seconds: int, **policy: str) -> str:
    """Fill in the options and submit; the new job's id (from the page it opens)."""
    from selenium.webdriver.support.ui import Select

    b.wait("the import's success", lambda: b.find("#import-ok").is_displayed())
    assert b.find("#submit").is_enabled()
    b.wait("the solver list", lambda: "greedy" in b.text("#solver"))
    Select(b.find("#solver")).select_by_value(solver)
    for css, value in (("#time-limit", str(seconds)), *policy.items()):
        box = b.find(css)
        box.clear()
        box.send_keys(value)
    b.find("#submit").click()
    b.wait("the job page", lambda: "/app/jobs/" in b.driver.current_url)
    return str(b.driver.current_url.rsplit("/", 1)[-1])


def _status(b: Browser) -> str | None:
    found: str | None = b.js(
        "const e = document.querySelector('#job-status .badge');return e ? e.dataset.status : null;"
    )
    return found


def _report_has_map(b: Browser) -> bool:
    frame = b.wait("the report frame", lambda: (f := b.find("#report")).is_displayed() and f)
    b.driver.switch_to.frame(frame)
    try:
        b.wait("the report's map", lambda: b.find("#county-map circle.village"))
        villages = _count(b, "#county-map circle.village")
    finally:
        b.driver.switch_to.default_content()
    return villages == 30


def _count(b: Browser, css: str) -> int:
    found: int = b.js("return document.querySelectorAll(arguments[0]).length", css)
    return found


def _fits(b: Browser, table: str) -> bool:
    """Neither the page nor the table's scrolling frame is wider than the window."""
    fits: bool = b.js(
        "const t = document.querySelector(arguments[0]); const w = t.parentElement;"
        "return document.documentElement.scrollWidth <= window.innerWidth"
        " && w.scrollWidth <= w.clientWidth;",
        table,
    )
    return fits


def test_a_planner_goes_from_a_workbook_to_a_report_and_a_comparison(
    browser: Browser, server: Server, workbooks: tuple[Path, Path]
) -> None:
    b = browser
    good, broken = workbooks
    _enter_key(b)
    b.shoot("02-list-empty")

    # A broken workbook: the problem at its sheet, row and column; nothing submitted.
    _upload(b, broken)
    b.wait("the located problem", lambda: _problem_cells(b))
    rows = _problem_cells(b)
    assert len(rows) == 1, rows
    cell, sheet, row, column, item, message = rows[0]
    assert (cell, sheet, row, column) == (
        f"{BROKEN_SHEET}!{BROKEN_COLUMN}{BROKEN_ROW}",
        BROKEN_SHEET,
        str(BROKEN_ROW),
        BROKEN_COLUMN,
    )
    assert item == "C0001" and "hours" in message and "-5" in message
    assert not b.find("#submit").is_enabled()  # the options wait for a good file
    b.shoot("03-upload-broken")

    # The demo workbook, solved by greedy: progress to the end, the report in its frame.
    _upload(b, good)
    b.wait("the import's success", lambda: b.find("#import-ok").is_displayed())
    assert "30" in b.text("#import-result .counts")
    b.shoot("04-upload-good")
    first = _submit(b, "greedy", 20)
    b.wait("the greedy job's end", lambda: _status(b) == "succeeded")
    b.wait("the full meter", lambda: b.find("#meter").get_attribute("aria-valuenow") == "100")
    assert b.text("#p-objective") not in ("", "–")
    assert b.text("#p-elapsed") not in ("", "–")  # greedy proves no bound: gap stays –
    assert not b.find("#stop").is_displayed()
    assert _report_has_map(b)
    for button in ("#download-json", "#download-xlsx"):
        assert b.find(button).is_displayed()
    b.shoot("05-job-succeeded")

    # A long job with policy overrides, stopped once it has a plan: `stopped`, plan kept.
    _upload(b, good)
    second = _submit(
        b,
        "auto",
        120,
        **{"#min-cadres": "3", "#tilt": "1.5", "#fairness-floor": "0.4"},
    )
    b.wait("the long job's progress", lambda: _status(b) == "running")
    b.wait("an incumbent", lambda: b.text("#p-objective") not in ("", "–"))
    b.shoot("06-job-running")
    b.find("#stop").click()
    b.wait("the stopped job", lambda: _status(b) == "stopped")
    assert "stopped" in b.text("#event-log") or "Stop" in b.text("#event-log")
    assert _report_has_map(b)
    b.shoot("07-job-stopped")
    with server.api() as api:
        blind = api.get(f"/v1/plans/{second}/reports/blind-spots").json()
        assert blind["min_cadres_per_village"] == 3  # the override reached the solve
        blind = api.get(f"/v1/plans/{first}/reports/blind-spots").json()
        assert blind["min_cadres_per_village"] == 2

    # The two plans compared: KPIs side by side, needs gained and lost.
    b.open(f"/app/compare?a={first}&b={second}")
    b.wait("the KPI table", lambda: _count(b, "#kpis tbody tr"))
    kpis = b.js(
        "return Array.from(document.querySelectorAll('#kpis tbody tr')).map(r => r.dataset.kpi);"
    )
    assert {"objective", "households_reached", "needs_served"} <= set(kpis)
    gained = b.text("[data-summary=needs_gained] .card-value")
    lost = b.text("[data-summary=needs_lost] .card-value")
    with server.api() as api:
        diff = api.get(f"/v1/plans/{second}/diff", params={"against": first}).json()
    assert gained == str(diff["summary"]["needs_gained"])
    assert lost == str(diff["summary"]["needs_lost"])
    b.shoot("08-compare")

    # In Chinese: the labels change, the figures stay.
    b.find("[data-lang=zh]").click()
    assert b.text("nav a[href='/app/compare']") == "方案对比"
    assert b.text("#kpis h2") == "指标对照"
    assert b.js("return document.documentElement.lang") == "zh-CN"
    assert b.text("[data-summary=needs_gained] .card-value") == gained
    b.shoot("09-compare-zh")
    b.open(f"/app/jobs/{second}")
    b.wait("the stopped job in Chinese", lambda: b.text("#job-status .badge") == "已停止")
    assert _report_has_map(b)
    assert b.text("#result h2") == "方案结果"
    assert "求解器" in b.text("#job-meta") or "时限" in b.text("#job-meta")
    b.shoot("10-job-zh")
    b.open("/app/new")
    b.wait("the upload form in Chinese", lambda: b.text("#step-options h1") == "2 求解设置")
    b.shoot("11-upload-zh")

    # The list remembers the language; both jobs with status and households reached.
    b.open("/app/")
    b.wait("both jobs", lambda: _count(b, "#jobs tbody tr") == 2)
    b.wait("households reached", lambda: "/" in b.text(f"#jobs tr[data-id='{first}'] .households"))
    statuses = b.js(
        "return Array.from(document.querySelectorAll('#jobs tbody tr')).map(r => r.dataset.status);"
    )
    assert statuses == ["stopped", "succeeded"]  # newest first
    assert b.text("#jobs thead th") == "情景"
    b.shoot("12-list-zh")
    b.find("[data-lang=en]").click()
    b.size(TABLET)
    b.shoot("13-list-tablet")
    assert _fits(b, "#jobs"), "the job list is wider than a tablet"
    b.open(f"/app/compare?a={first}&b={second}")
    b.wait("the KPI table", lambda: _count(b, "#kpis tbody tr"))
    b.shoot("14-compare-tablet")
    assert _fits(b, "#kpis table"), "the KPI table is wider than a tablet"
    b.size(LAPTOP)

    b.read_console()
    severe = [e for e in b.console if e.get("level") == "SEVERE"]
    expected = [
        e
        for e in severe
        if "/v1/scenarios/import" in e.get("message", "") and "422" in e.get("message", "")
    ]
    assert len(expected) == 1, severe  # the broken workbook's answer, logged by Chromium
    assert [e for e in severe if e not in expected] == []
