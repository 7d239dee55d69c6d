"""The schedule's calendar and route map (DESIGN §9; issue 17, item 4) in real headless
Chromium: the calendar's cells list each day's stops by name, the route map shows the first
provider's first day in order, clicking a calendar cell or choosing a provider and a day draws
that route (base → stops → base, numbered in order, the stops listed beside it), the job
page's message scrolls the report to its calendar, and the page logs no console error. A
screenshot of the section is saved in the test's tmp_path.

The report is the tiny scheduled county's with its hand-written routes (tests/data/schedule).
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from matcher.reports.html import render_html
from tests.browser.chromium import chromium
from tests.matcher.reports.test_schedule_reports import scheduled_index, scheduled_plan


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    """A headless Chromium with a fresh profile, logging the console."""
    with chromium(tmp_path / "profile", ["--window-size=1400,1000"]) as driver:
        yield driver


def _drawn(driver: Any) -> dict[str, Any]:
    """What the route map shows now: provider, date, stops in order, legs, listed stops."""
    found: dict[str, Any] = driver.execute_script(
        "const svg = document.getElementById('route-map');"
        "return {provider: svg.getAttribute('data-provider'),"
        " date: svg.getAttribute('data-date'),"
        " stops: Array.from(svg.querySelectorAll('g.route-stop')).map(g =>"
        "   [g.getAttribute('data-order'), g.getAttribute('data-village')]),"
        " legs: svg.querySelectorAll('path.route-leg').length,"
        " back: svg.querySelectorAll('path.route-leg.back').length,"
        " base: svg.querySelectorAll('rect.route-base').length,"
        " listed: Array.from(document.querySelectorAll('#route-stops li b'))"
        "   .map(b => b.textContent),"
        " caption: document.getElementById('route-caption').textContent,"
        " selected: Array.from(document.querySelectorAll('td.cal-day.selected')).map(c =>"
        "   c.getAttribute('data-provider') + ' ' + c.getAttribute('data-date'))};"
    )
    return found


def test_calendar_and_route_map_in_chromium(browser: Any, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render_html(scheduled_index(), scheduled_plan(), lang="zh"), encoding="utf-8")
    browser.get(page.as_uri())
    run = browser.execute_script

    # The calendar: a cell per route, each day's stops in order by village name.
    assert run("return document.querySelectorAll('td.cal-day').length") == 10
    cell = run(
        "return Array.from(document.querySelectorAll("
        '\'td.cal-day[data-provider="C2"][data-date="2026-12-03"] li\'))'
        ".map(li => li.textContent);"
    )
    assert cell == ["西岭村1项", "福市村走访"]
    assert run("return document.querySelectorAll('td.off').length") == 1  # 王明's day off

    # The first provider's first day, drawn in the page itself.
    first = _drawn(browser)
    assert (first["provider"], first["date"]) == ("C2", "2026-12-03")
    assert first["stops"] == [["1", "V2"], ["2", "V1"]]
    assert (first["legs"], first["back"], first["base"]) == (3, 1, 1)
    assert first["listed"] == ["西岭村", "福市村"]

    # A calendar cell draws its day: 张强 (C3) on 12-03, two visits.
    browser.find_element(
        "css selector", 'td.cal-day[data-provider="C3"][data-date="2026-12-03"]'
    ).click()
    clicked = _drawn(browser)
    assert (clicked["provider"], clicked["date"]) == ("C3", "2026-12-03")
    assert clicked["stops"] == [["1", "V2"], ["2", "V3"]]
    assert clicked["listed"] == ["西岭村", "高山村"]
    assert clicked["selected"] == ["C3 2026-12-03"]
    assert clicked["caption"] == "张强：2026-12-03 周四，2 个站点，路途 94 分钟，共 5.6 小时"

    # Choosing a provider and a day: 阳光社工 (O1) has one day, one stop for two needs.
    run(
        "const s = document.getElementById('route-provider'); s.value = 'O1';"
        "s.dispatchEvent(new Event('change'));"
    )
    chosen = _drawn(browser)
    assert (chosen["provider"], chosen["date"], chosen["stops"]) == (
        "O1",
        "2026-12-09",
        [["1", "V2"]],
    )
    assert run("return document.getElementById('route-day').options.length") == 1
    run(
        "const s = document.getElementById('route-provider'); s.value = 'C1';"
        "s.dispatchEvent(new Event('change'));"
        "const d = document.getElementById('route-day'); d.value = '3';"
        "d.dispatchEvent(new Event('change'));"
    )
    last = _drawn(browser)
    assert (last["provider"], last["date"], last["stops"]) == ("C1", "2026-12-11", [["1", "V2"]])

    # The job page asks the report to show its calendar: it scrolls there.
    run("window.scrollTo(0, 0); window.postMessage({matcher: 'show', section: 'schedule'}, '*');")
    top = run(
        "return new Promise(done => setTimeout(() =>"
        " done(document.getElementById('schedule').getBoundingClientRect().top), 200));"
    )
    assert abs(top) < 60

    rect = run(
        "const r = document.getElementById('schedule').getBoundingClientRect();"
        "return [r.width, r.height, r.top + window.scrollY];"
    )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": rect[2], "width": 1400, "height": rect[1], "scale": 1},
        },
    )
    png = tmp_path / "schedule.png"
    png.write_bytes(base64.b64decode(shot["data"]))
    assert png.stat().st_size > 20_000

    errors = [e for e in browser.get_log("browser") if e.get("level") == "SEVERE"]
    assert errors == []
