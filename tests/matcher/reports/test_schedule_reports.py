"""The schedule's outputs for the people who do the work (DESIGN §9; issue 17, item 4): the
response figures, the histogram, the open needs past due, the calendar and the route map, in
the text and the HTML report.

The county is tests/data/schedule/tiny-scheduled.json (the contract county with Chinese names
and the schedule on) and the plan its hand-written ten routes (tiny-scheduled-plan.json); the
figures below are counted by hand in that folder's README. Only the plan's fields and the
scenario are read: no scheduler is needed.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest

from matcher.intake.loading import load_scenario, parse_scenario
from matcher.plan import Plan, read_plan
from matcher.problem.index import ScenarioIndex
from matcher.reports import render_text
from matcher.reports.html import render_html
from matcher.reports.schedule import ScheduleStop, schedule_view, stop_summary
from tests.conftest import CONTRACT, DATA

SCHEDULED = DATA / "schedule" / "tiny-scheduled.json"
SCHEDULED_PLAN = DATA / "schedule" / "tiny-scheduled-plan.json"


def scheduled_raw() -> dict[str, Any]:
    """The tiny scheduled county as raw data."""
    data: dict[str, Any] = json.loads(SCHEDULED.read_text(encoding="utf-8"))
    return data


def scheduled_index() -> ScenarioIndex:
    """The tiny scheduled county, indexed."""
    return ScenarioIndex.build(load_scenario(SCHEDULED).scenario)


def scheduled_plan() -> Plan:
    """The hand-written plan of its days (ten routes)."""
    return read_plan(SCHEDULED_PLAN)


@pytest.fixture
def index() -> ScenarioIndex:
    return scheduled_index()


@pytest.fixture
def plan() -> Plan:
    return scheduled_plan()


# ------------------------------------------------------------------------------ the figures


def test_the_figures_are_those_counted_by_hand(index: ScenarioIndex, plan: Plan) -> None:
    view = schedule_view(index, plan, "zh", kpis={})
    assert view["complete"] is True
    assert (view["served_dated"], view["on_time"], view["late_needs"]) == (5, 3, 2)
    assert view["on_time_share"] == pytest.approx(0.6)
    assert view["response_median"] == 2.0
    assert view["response_p90"] == pytest.approx(8.2)  # 0, 1, 2, 4, 11: linear between ranks
    assert [(b["label"], b["needs"]) for b in view["histogram"]] == [
        ("0", 1),
        ("1", 1),
        ("2", 1),
        ("3", 0),
        ("4–5", 1),
        ("6–10", 0),
        ("＞10", 1),
    ]
    assert [(n["need"], n["due"], n["overdue_days"]) for n in view["past_due"]] == [
        ("N5", "2026-11-25", 4)
    ]
    n5 = view["past_due"][0]
    assert (n5["village_name"], n5["household_label"], n5["category_label"]) == (
        "高山村",
        "三组2号",
        "医疗卫生",
    )
    assert (view["routes"], view["stops"], view["visits"]) == (10, 12, 10)
    assert view["route_travel_hours"] == pytest.approx(520 / 60, abs=1e-3)
    assert len(view["working_days"]) == 23  # December 2026, Monday to Friday
    # Providers by the town of their base (S0, T1, T2), cadres before organisations.
    assert [p["provider"] for p in view["providers"]] == ["C2", "C1", "C3", "O1"]
    c1 = view["providers"][1]
    assert (c1["name"], c1["town_name"], c1["days_off"]) == ("王明", "福市镇", ["2026-12-07"])
    n4 = view["providers"][2]["days"][2]["stops"][0]["needs"][0]
    assert (n4["need"], n4["due"], n4["late_days"], n4["response_days"]) == (
        "N4",
        "2026-12-09",
        8,
        11,
    )


def test_the_evaluators_figures_are_shown_when_the_plan_has_them(
    index: ScenarioIndex, plan: Plan
) -> None:
    kpis = {
        "on_time_share": 0.25,
        "late_needs": 7,
        "response_working_days_median": 1.5,
        "response_working_days_p90": 3.0,
        "route_travel_hours": 12.5,
        "route_hours_saved": -2e-16,
    }
    view = schedule_view(index, plan, "en", kpis=kpis)
    assert (view["on_time_share"], view["late_needs"]) == (0.25, 7)
    assert (view["response_median"], view["response_p90"]) == (1.5, 3.0)
    assert view["route_travel_hours"] == 12.5
    assert view["route_hours_saved"] == 0.0 and str(view["route_hours_saved"]) == "0.0"


def test_a_stop_says_what_it_is_in_a_few_words(index: ScenarioIndex, plan: Plan) -> None:
    zh = schedule_view(index, plan, "zh", kpis={})
    summaries = [s["summary"] for p in zh["providers"] for d in p["days"] for s in d["stops"]]
    assert "走访 福市村" in summaries
    assert "服务 西岭村：教育帮扶" in summaries  # 李华's N3, no visit
    assert "走访、服务 福市村：农业技术" in summaries  # 王明's visit and N1
    assert "服务 西岭村：儿童关爱、心理健康" in summaries  # 阳光社工's N2 and N8
    en = schedule_view(index, plan, "en", kpis={})
    stop = en["providers"][3]["days"][0]["stops"][0]
    assert stop_summary(stop, "en") == "Service 西岭村: child care, mental health"
    ngo = zh["providers"][3]["days"][0]["stops"][0]
    twice: ScheduleStop = {**ngo, "needs": [ngo["needs"][0], ngo["needs"][0]], "visit": True}
    assert stop_summary(twice, "zh") == "走访、服务 西岭村：儿童关爱×2"


def test_without_the_scenario_the_plan_names_what_it_can(plan: Plan) -> None:
    named = plan.model_copy(deep=True)
    for a in named.assignments:
        a.provider_name = {"C1": "王明", "C2": "李华", "C3": "张强", "O1": "阳光社工"}[a.provider]
        a.village_name = {"V1": "福市村", "V2": "西岭村", "V3": "高山村"}[a.village or "V2"]
    named.assignments[0].village = "V1"
    named.assignments[0].village_name = "福市村"
    view = schedule_view(None, named, "zh", kpis={"needs_open_past_due": 1})
    assert view["complete"] is False and view["histogram"] == [] and view["past_due"] == []
    assert view["past_due_count"] == 1 and view["on_time_share"] is None
    names = {p["provider"]: p["name"] for p in view["providers"]}
    assert names == {"C1": "王明", "C2": "李华", "C3": "张强", "O1": "阳光社工"}
    text = render_text({}, "zh", schedule=view)
    assert "仅据方案文件生成" in text and "王明 (C1)" in text


# -------------------------------------------------------------------------------- the text


def test_the_text_report_shows_the_figures_and_each_persons_days(
    index: ScenarioIndex, plan: Plan
) -> None:
    view = schedule_view(index, plan, "zh", kpis={})
    text = render_text({}, "zh", schedule=view)
    assert text.startswith("日程：走访与服务的日期和顺序")
    assert "按时响应：60.0%（5 项已服务需求中 3 项在 3 个工作日内响应，2 项逾期）" in text
    assert "响应工作日：中位数 2.0，第 90 百分位 8.2" in text
    assert "已过期限仍未服务的需求：1" in text
    assert re.search(r"N5\s+高山村\s+三组2号\s+医疗卫生\s+2026-11-20\s+2026-11-25\s+4", text)
    # The histogram: one line per bin, in order.
    bins = re.findall(r"^  (0|1|2|3|4–5|6–10|＞10)\s+(\d+)", text, re.M)
    assert bins == [("0", "1"), ("1", "1"), ("2", "1"), ("3", "0"), ("4–5", "1"), ("6–10", "0"),
                    ("＞10", "1")]  # fmt: skip
    # Each person's days by name, stops in order with village names, not ids.
    assert "李华 (C2)：2 天，3 个站点，8.2 小时" in text
    assert "2026-12-03 周四  1.西岭村 08:55 1项 → 2.福市村 11:41 走访" in text
    assert "2026-12-21 周一  1.高山村 09:10 走访 1项" in text
    assert not re.search(r"\d\.V\d", text)
    english = render_text({}, "en", schedule=schedule_view(index, plan, "en", kpis={}))
    assert "responded on time: 60.0% (3 of 5 served needs within 3 working days; 2 late)" in (
        english
    )
    assert "2026-12-03 Thu  1.西岭村 08:55 1 need(s) → 2.福市村 11:41 visit" in english


def test_a_plan_without_a_schedule_renders_as_before(index: ScenarioIndex) -> None:
    plan = read_plan(CONTRACT / "tiny-plan.json")
    assert render_text({}, "zh") == render_text({}, "zh", schedule=None)
    html = render_html(index, plan, lang="zh")
    assert 'id="schedule"' not in html and 'href="#schedule"' not in html
    assert "route-data" not in html


# -------------------------------------------------------------------------------- the page


class _Cells(HTMLParser):
    """The calendar's cells: (provider, date) → the stops' texts, and the day-off cells."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str], list[str]] = {}
        self.off: list[str] = []
        self._cell: tuple[str, str] | None = None
        self._in_li = False
        self._in_off = False
        self._row: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "tr" and a.get("data-provider"):
            self._row = a["data-provider"]
        if tag == "td" and "cal-day" in (a.get("class") or ""):
            self._cell = (a["data-provider"] or "", a["data-date"] or "")
            self.cells[self._cell] = []
        if tag == "td" and a.get("class") == "off":
            self._in_off = True
        if tag == "li" and self._cell is not None:
            self._in_li = True
            self.cells[self._cell].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._in_li = False
        if tag == "td":
            self._cell = None
            self._in_off = False

    def handle_data(self, data: str) -> None:
        if self._in_li and self._cell is not None:
            self.cells[self._cell][-1] += data
        if self._in_off and self._row is not None:
            self.off.append(f"{self._row} {data}")


def _section(html: str) -> str:
    found = re.search(r'<section id="schedule".*?</section>', html, re.S)
    assert found is not None
    return found.group(0)


def test_the_page_shows_the_figures_and_the_histogram(index: ScenarioIndex, plan: Plan) -> None:
    html = render_html(index, plan, lang="zh")
    assert '<a href="#schedule">日程</a>' in html
    section = _section(html)
    assert re.search(r'data-key="on_time_share">.*?<div class="value">60\.0%</div>', section)
    assert "5 项已服务需求中 3 项在 3 个工作日内响应" in section
    bins = re.findall(r'<rect class="bin( late)?" data-bin="([^"]+)" data-needs="(\d+)"', section)
    assert [(b, int(n), bool(late)) for late, b, n in bins] == [
        ("0", 1, False),
        ("1", 1, False),
        ("2", 1, False),
        ("3", 0, False),
        ("4–5", 1, True),
        ("6–10", 0, True),
        ("＞10", 1, True),
    ]
    past_due = re.search(r'<table id="tbl-past-due".*?</table>', section, re.S)
    assert past_due is not None and 'data-rows="1"' in past_due.group(0)
    assert "高山村 (V3)" in past_due.group(0) and "2026-11-25" in past_due.group(0)
    # The rosters still close the page; the schedule comes before them.
    assert html.index('id="schedule"') < html.index('id="rosters"')


def test_the_calendar_lists_each_days_stops_by_name(index: ScenarioIndex, plan: Plan) -> None:
    section = _section(render_html(index, plan, lang="zh"))
    parser = _Cells()
    parser.feed(section)
    cells = parser.cells
    assert len(cells) == 10  # one cell per route
    assert cells["C2", "2026-12-03"] == ["西岭村1项", "福市村走访"]
    assert cells["C1", "2026-12-03"] == ["福市村走访1项"]
    assert cells["O1", "2026-12-09"] == ["西岭村2项"]
    assert cells["C3", "2026-12-03"] == ["西岭村走访", "高山村走访"]
    assert "C1 休" in parser.off  # 王明's day off
    # One table per town of the bases, in the scenario's order, and per week.
    towns = re.findall(r'<div class="cal-town" data-town="([^"]*)"><h4>([^<]+)</h4>', section)
    assert towns == [("S0", "城关镇（1 人）"), ("T1", "福市镇（1 人）"), ("T2", "清水镇（2 人）")]
    weeks = re.findall(r'<table class="calendar" data-week="([^"]+)"', section)
    assert weeks == ["2026-12-01", "2026-12-07", "2026-12-01", "2026-12-07", "2026-12-01",
                     "2026-12-07", "2026-12-21"]  # fmt: skip
    header = re.search(
        r'<th scope="col" data-date="2026-12-03">([^<]+)<span class="wd">(.+?)<', section
    )
    assert header is not None and header.groups() == ("12-03", "周四")


def test_the_route_map_draws_the_first_day_in_order(index: ScenarioIndex, plan: Plan) -> None:
    section = _section(render_html(index, plan, lang="zh"))
    svg = re.search(r'<svg id="route-map".*?</svg>', section, re.S)
    assert svg is not None
    drawn = svg.group(0)
    assert 'data-provider="C2" data-date="2026-12-03"' in drawn
    stops = re.findall(
        r'<g class="route-stop[^"]*" data-order="(\d+)" data-village="([^"]+)"', drawn
    )
    assert stops == [("1", "V2"), ("2", "V1")]
    # Base → V2 → V1 → base: three legs, the last one dashed (the way back), and the base.
    assert drawn.count('<path class="route-leg') == 3
    assert drawn.count('class="route-leg back"') == 1
    assert drawn.count('<rect class="route-base"') == 1
    assert "驻地：城关镇" in drawn
    # The stops beside the map, in order, with the needs by household.
    listed = re.search(r'<ol class="route-stops" id="route-stops">(.*?)</ol>', section, re.S)
    assert listed is not None
    assert re.findall(r'<li data-village="([^"]+)"><b>([^<]+)</b>', listed.group(1)) == [
        ("V2", "西岭村"),
        ("V1", "福市村"),
    ]
    assert "N3 二组7号：教育帮扶" in listed.group(1)
    # Every route travels to the script in order, with names.
    block = re.search(r'<script type="application/json" id="route-data">(.*?)</script>', section)
    assert block is not None
    data = json.loads(block.group(1))
    assert list(data["providers"]) == ["C2", "C1", "C3", "O1"]
    c3 = data["providers"]["C3"]["days"]  # [date, weekday, travel, hours, stops]
    assert [d[0] for d in c3] == ["2026-12-03", "2026-12-10", "2026-12-21"]
    assert c3[0][:4] == ["2026-12-03", "周四", 94, 5.6]
    assert [s[0] for s in c3[0][4]] == ["V2", "V3"]
    assert c3[2][4][0] == ["V3", "09:10", "14:10", 1, "走访、服务 高山村：养老服务",
                           ["N4 三组2号：养老服务"]]  # fmt: skip
    assert data["points"]["V3"][2] == "高山村" and data["providers"]["C3"]["base"] == "T2"


def test_names_are_escaped_everywhere(plan: Plan) -> None:
    raw = scheduled_raw()
    raw["villages"][1]["name"] = '西岭</script><img src=x onerror="alert(1)">'
    index = ScenarioIndex.build(parse_scenario(raw).scenario)
    section = _section(render_html(index, plan, lang="zh"))
    assert "<img src=x" not in section
    assert section.count("</script>") == 2  # the JSON block's and the script's own
    block = re.search(r'id="route-data">(.*?)</script>', section)
    assert block is not None
    assert json.loads(block.group(1))["points"]["V2"][2] == raw["villages"][1]["name"]


def test_the_english_page(index: ScenarioIndex, plan: Plan) -> None:
    section = _section(render_html(index, plan, lang="en"))
    assert "Schedule: the days and order of visits and services" in section
    assert "3 of 5 served needs within 3 working days; 2 late" in section
    parser = _Cells()
    parser.feed(section)
    assert parser.cells["C2", "2026-12-03"] == ["西岭村1 need(s)", "福市村visit"]
    assert "C1 off" in parser.off


def test_a_plan_breaking_the_rules_still_renders(index: ScenarioIndex, plan: Plan) -> None:
    """A plan from another program may name a day or a time nobody can read (H10 broken):
    the outputs show what they can and never fail."""
    broken = plan.model_copy(deep=True)
    assert broken.schedule is not None
    broken.schedule[0].date = "3 December"
    broken.schedule[1].stops[0].arrive = "9 o'clock"
    broken.schedule[2].stops[0].village = "V99"
    view = schedule_view(index, broken, "zh", kpis={})
    assert "3 December" not in view["working_days"]
    html = render_html(index, broken, lang="zh")
    assert 'id="route-map"' in html
    text = render_text({}, "zh", schedule=view)
    assert "V99" in text
