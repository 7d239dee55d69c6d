"""Headless Chromium for the browser tests: Debian's ``chromium`` and ``chromium-driver``,
driven by Selenium, with a fresh profile and the console logged.

``.ci/run`` installs Chromium when missing; under CI (``CI`` set) a missing browser fails the
test, elsewhere it skips with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
FLAGS = (
    "--headless",
    "--no-sandbox",  # root in a container
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # this machine's network refuses Google's hosts
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)


def missing(reason: str) -> None:
    """Fail under CI, skip elsewhere: a browser test must never pass without a browser."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests: see .ci/chromium.sh)")
    pytest.skip(f"{reason}; install Debian's chromium and chromium-driver to run it")


@contextmanager
def chromium(profile: Path, flags: Iterable[str] = ()) -> Iterator[Any]:
    """A Selenium driver of headless Chromium with ``flags`` added; quit on leaving."""
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing("selenium is not installed")
    binary = next((found for name in CHROMIUM if (found := shutil.which(name))), None)
    driver_path = shutil.which("chromedriver")
    if binary is None or driver_path is None:
        missing("Chromium or chromedriver is not on PATH")
    assert binary is not None and driver_path is not None
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in (*FLAGS, *flags, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(driver_path))
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
