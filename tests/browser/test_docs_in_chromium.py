"""The API reference in real headless Chromium, offline (issue 16): ``/docs`` (Swagger UI) and
``/redoc`` render every operation of the service's OpenAPI document from the service's own
assets. Chromium resolves no host name but the loopback address the service listens on, so a
page that reached for a CDN would fail to render or log the failure; each page must load
resources from the service only and log no console error. Screenshots are saved in the test's
tmp_path.

The service runs in-process under uvicorn on a free loopback port (no workers: the pages need
none). ``.ci/run`` installs Chromium when missing; under CI (``CI`` set) a missing browser
fails the test, elsewhere it skips with the reason.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.app import create_app
from api.settings import Settings
from tests.browser.chromium import chromium

WAIT = 60.0  # a guard against hangs, never a speed check
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def service(tmp_path: Path) -> Iterator[str]:
    """The service on a free loopback port, in a thread; its base URL."""
    settings = Settings(
        api_keys="docs-county=docs-key",
        database_url=f"sqlite:///{tmp_path / 'matcher.db'}",
    )
    app = create_app(settings, start_workers=False)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="docs-service", daemon=True)
    thread.start()
    deadline = time.monotonic() + WAIT
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the service did not start"
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)


def _operations(base: str) -> int:
    document = httpx.get(f"{base}/openapi.json", timeout=10).json()
    methods = {"get", "post", "put", "patch", "delete"}
    return sum(1 for item in document["paths"].values() for method in item if method in methods)


def _wait(driver: Any, what: str, check: Callable[[], Any]) -> Any:
    deadline = time.monotonic() + WAIT
    while True:
        with contextlib.suppress(Exception):
            answer = check()
            if answer:
                return answer
        if time.monotonic() > deadline:
            text = driver.execute_script("return document.body.innerText")
            pytest.fail(f"waited {WAIT:g} s for {what}; the page says:\n{text[:2000]}")
        time.sleep(0.1)


def _local_only(driver: Any, base: str) -> None:
    """Every resource the page loaded came from the service, and the console holds no error."""
    loaded = driver.execute_script(
        "return performance.getEntriesByType('resource').map((e) => e.name)"
    )
    assert loaded and all(url.startswith(base + "/") for url in loaded), loaded
    severe = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    assert severe == [], severe


def _shoot(driver: Any, path: Path) -> None:
    width, height = driver.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    driver.set_window_size(max(1280, width), min(max(900, height), 6000))
    driver.save_screenshot(str(path))


def test_swagger_ui_and_redoc_render_every_operation_offline(service: str, tmp_path: Path) -> None:
    operations = _operations(service)
    assert operations >= 15
    with chromium(tmp_path / "profile", flags=[OFFLINE]) as driver:
        driver.set_window_size(1280, 900)

        driver.get(f"{service}/docs")
        count = "return document.querySelectorAll('.opblock').length"
        _wait(driver, "Swagger UI's operations", lambda: driver.execute_script(count) >= operations)
        paths = driver.execute_script(
            "return [...document.querySelectorAll('.opblock-summary-path')]"
            ".map((e) => e.textContent.replace(/\\u200b/g, ''))"
        )
        assert "/v1/plans" in paths and "/v1/plans/{job_id}/events" in paths, paths
        models = "const m = document.querySelector('.models'); return m ? m.innerText : ''"
        _wait(driver, "the schemas section", lambda: "Scenario" in driver.execute_script(models))
        _local_only(driver, service)
        _shoot(driver, tmp_path / "docs.png")

        driver.get(f"{service}/redoc")
        sections = "return document.querySelectorAll('[data-section-id^=\"operation/\"]').length"
        _wait(driver, "ReDoc's operations", lambda: driver.execute_script(sections) >= operations)
        body = driver.execute_script("return document.body.innerText")
        assert "Queue a solve" in body and "Baolian Matcher API" in body
        _local_only(driver, service)
        _shoot(driver, tmp_path / "redoc.png")
