"""The demo county's HTML report in real headless Chromium (Debian's ``chromium`` and
``chromium-driver``, driven by Selenium): the map and tables are there, a header click sorts,
and the page logs no console error, in English and in Chinese (the default): the policy
figures lead, with their targets, and the Chinese page shows labels and names, not codes.
A full-page screenshot is saved in the test's tmp_path.

``.ci/run`` installs Chromium when missing; under CI (``CI`` set) a missing browser fails the
test, elsewhere it skips with the reason.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from matcher.i18n import t
from matcher.intake.loading import load_scenario
from matcher.reports.html import render_html
from matcher.run import solve_scenario
from tests.browser.chromium import chromium
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo-county.json"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, logging the console."""
    with chromium(tmp_path / "profile", ["--window-size=1400,1000"]) as driver:
        yield driver


def _column(driver: Any, table: str, column: int) -> list[str]:
    script = (
        "return Array.from(document.querySelectorAll(arguments[0] + ' tbody tr'))"
        ".map(r => r.cells[arguments[1]].textContent.trim());"
    )
    values: list[str] = driver.execute_script(script, f"#{table}", column)
    return values


def _numbers(values: list[str]) -> list[float]:
    return [float(v.replace(",", "")) for v in values]


def test_demo_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    """The demo report shows 30 village circles, roads, filled tables; sorting works on every
    header without a console error; the screenshot is saved."""
    run = solve_scenario(load_scenario(DEMO).scenario, solver="greedy", time_limit=30)
    page = tmp_path / "report.html"
    page.write_text(render_html(run.index, run.plan, run.evaluation, lang="en"), encoding="utf-8")
    browser.get(page.as_uri())

    count = browser.execute_script
    assert count("return document.querySelectorAll('#county-map circle.village').length") == 30
    assert count("return document.querySelectorAll('#county-map line.road').length") == 45
    assert count("return document.querySelectorAll('.card').length") >= 8
    blind = run.plan.reports["blind_spots"]
    duplicate = run.plan.reports["duplicate_aid"]
    for table, rows in (
        ("tbl-unmet-groups", len(blind["unmet_groups"])),
        ("tbl-short-villages", len(blind["short_villages"])),
        ("tbl-duplicate-groups", len(duplicate["groups"])),
        ("tbl-held-back", len(duplicate["held_back"])),
    ):
        assert rows > 0, table
        assert count(f"return document.querySelectorAll('#{table} tbody tr').length") == rows

    width, height = count(
        "const e = document.documentElement; return [e.scrollWidth, e.scrollHeight];"
    )
    clip = {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
    )
    png = tmp_path / "report.png"
    png.write_bytes(base64.b64decode(shot["data"]))
    assert png.stat().st_size > 20_000

    # Needs (column 2): first click largest first, second click smallest first.
    header = browser.find_element("css selector", "#tbl-unmet-groups thead th:nth-child(3)")
    before = _numbers(_column(browser, "tbl-unmet-groups", 2))
    header.click()
    after = _numbers(_column(browser, "tbl-unmet-groups", 2))
    assert header.get_attribute("aria-sort") == "descending"
    assert after == sorted(before, reverse=True) and after != before
    header.click()
    assert _numbers(_column(browser, "tbl-unmet-groups", 2)) == sorted(before)
    assert header.get_attribute("aria-sort") == "ascending"
    # Town (column 0), text: ascending first.
    browser.find_element("css selector", "#tbl-unmet-groups thead th:nth-child(1)").click()
    towns = _column(browser, "tbl-unmet-groups", 0)
    assert len(set(towns)) > 1
    assert count(
        "const c = new Intl.Collator(undefined, {numeric: true, sensitivity: 'base'});"
        "return arguments[0].every((t, i, all) => i === 0 || c.compare(all[i - 1], t) <= 0);",
        towns,
    )

    # Every header of every table, twice: nothing may throw.
    clicked = count(
        "const ths = document.querySelectorAll('table.sortable thead th');"
        "ths.forEach(th => { th.click(); th.click(); }); return ths.length;"
    )
    assert clicked > 50

    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == []


def test_chinese_report_in_chromium(browser: Any, tmp_path: Path) -> None:
    """The demo's page in Chinese: ``lang="zh"``; the first seven cards are the policy
    figures, each with its target, styled met (green) or short (red) as the plan says; the
    duplicate groups show categories and departments by their Chinese labels; the solver's
    section comes last, its details collapsed; sorting works and nothing logs an error."""
    run = solve_scenario(load_scenario(DEMO).scenario, solver="greedy", time_limit=30)
    page = tmp_path / "report-zh.html"
    page.write_text(render_html(run.index, run.plan, run.evaluation, lang="zh"), encoding="utf-8")
    browser.get(page.as_uri())
    script = browser.execute_script

    assert script("return document.documentElement.lang") == "zh"
    cards = script(
        "return Array.from(document.querySelectorAll('#summary .card')).map(c => ["
        "c.dataset.key, c.className, c.querySelector('.note').textContent, "
        "getComputedStyle(c).borderLeftColor]);"
    )
    figures = run.plan.kpis["policy_figures"]
    assert [c[0] for c in cards[:7]] == [f"policy.{f['key']}" for f in figures]
    colours = {"good": "rgb(26, 127, 55)", "bad": "rgb(180, 35, 24)"}
    for (_, css, note, colour), figure in zip(cards, figures, strict=False):
        if figure["met"] is None:
            continue
        tone = "good" if figure["met"] else "bad"
        assert tone in css.split() and colour == colours[tone], figure["key"]
        assert note.startswith("目标 ≥ "), note
    assert script("return document.querySelector('#summary h2').textContent") == "政策指标"

    groups = script(
        "return Array.from(document.querySelectorAll('#tbl-duplicate-groups tbody tr'))"
        ".map(r => [r.cells[2].textContent, r.cells[5].textContent]);"
    )
    categories = {label for label, _ in groups}
    assert categories and all("_" not in c for c in categories)
    assert "农业技术" in categories or "困难救助" in categories
    assert any("民政局" in departments or "农业农村局" in departments for _, departments in groups)

    sections = script(
        "return Array.from(document.querySelectorAll('main > section')).map(s => s.id);"
    )
    assert sections[-1] == "solver" and sections[0] == "summary"
    assert script("return document.querySelector('#solver details').open") is False
    solver = script("return document.querySelector('#solver').innerText")
    assert t("solver.section", "zh") in solver

    clicked = script(
        "const ths = document.querySelectorAll('table.sortable thead th');"
        "ths.forEach(th => { th.click(); th.click(); }); return ths.length;"
    )
    assert clicked > 50
    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == []
