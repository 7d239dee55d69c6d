"""A plan's schedule exported for the people who do the work (DESIGN §9; issue 17, item 4):
the workbook's 日程 and 个人日程 sheets (Chinese headers above the English field names, read
back with openpyxl), their CSV files, and one iCalendar file per provider (RFC 5545, parsed
back with the icalendar library: every stop an event at its times, Beijing time, with stable
UIDs), through the functions and through ``matcher export --ics``.

The county and plan are the tiny scheduled ones of tests/data/schedule (hand-written routes).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import openpyxl
import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.export import SCHEDULE_SHEETS, schedule_tables, write_plan_csv, write_plan_xlsx
from matcher.export.ics import (
    UnknownProvider,
    file_name,
    plan_key,
    provider_ics,
    write_schedule_ics,
)
from matcher.plan import Plan, read_plan, write_plan
from matcher.problem.index import ScenarioIndex
from tests.conftest import CONTRACT
from tests.matcher.reports.test_schedule_reports import (
    SCHEDULED,
    scheduled_index,
    scheduled_plan,
)

BEIJING = ZoneInfo("Asia/Shanghai")
STAMP = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def index() -> ScenarioIndex:
    return scheduled_index()


@pytest.fixture
def plan() -> Plan:
    return scheduled_plan()


def _rows(path: Path, sheet: str) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [list(r) for r in workbook[sheet].iter_rows(values_only=True)]


# ------------------------------------------------------------------------------ the workbook


def test_the_workbook_has_the_two_schedule_sheets(
    index: ScenarioIndex, plan: Plan, tmp_path: Path
) -> None:
    book = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan, book, index)
    names = openpyxl.load_workbook(book).sheetnames
    assert names[-2:] == ["日程", "个人日程"] == list(SCHEDULE_SHEETS.values())

    stops = _rows(book, "日程")
    assert stops[0] == [
        "服务者编号",
        "服务者",
        "日期",
        "星期",
        "当日顺序",
        "乡镇",
        "村代码",
        "村",
        "到达时间",
        "离开时间",
        "是否走访",
        "需求编号",
        "服务对象及需求",
        "当日路途（分钟）",
        "当日工时",
    ]
    assert stops[1][:5] == ["provider", "provider_name", "date", "weekday", "order"]
    body = stops[2:]
    assert len(body) == 12  # one row per stop
    # 李华 (C2) first (based at the county seat), his day of 12-03 in its order.
    assert body[0][:13] == [
        "C2",
        "李华",
        "2026-12-03",
        "周四",
        1,
        "清水镇",
        "V2",
        "西岭村",
        "08:55",
        "10:55",
        "否",
        "N3",
        "二组7号：教育帮扶",
    ]
    assert body[1][4:11] == [2, "福市镇", "V1", "福市村", "11:41", "13:41", "是"]
    assert body[0][13:] == [92, 5.5333]
    ngo = next(r for r in body if r[0] == "O1")
    assert (ngo[11], ngo[12]) == ("N2；N8", "二组12号：儿童关爱；二组12号：心理健康")


def test_each_person_has_their_own_list_in_order(
    index: ScenarioIndex, plan: Plan, tmp_path: Path
) -> None:
    book = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan, book, index)
    rows = _rows(book, "个人日程")
    assert rows[0][:4] == ["服务者编号", "姓名/名称", "服务者类型", "驻地"]
    assert "响应期限" in rows[0] and "逾期工作日" in rows[0] and "服务对象" in rows[0]
    body = rows[2:]
    assert len(body) == 15  # 10 visits and 5 needs
    by_person = [r for r in body if r[0] == "C3"]
    assert [(r[4], r[6], r[11], r[12], r[14]) for r in by_person] == [
        ("2026-12-03", 1, "西岭村", "包村走访", None),
        ("2026-12-03", 2, "高山村", "包村走访", None),
        ("2026-12-10", 1, "西岭村", "包村走访", None),
        ("2026-12-21", 1, "高山村", "包村走访", None),
        ("2026-12-21", 1, "高山村", "养老服务", "N4"),
    ]
    n4 = by_person[-1]
    header = rows[1]
    assert dict(zip(header, n4, strict=True)) == {
        "provider": "C3",
        "name": "张强",
        "provider_type": "干部",
        "base_name": "清水镇",
        "date": "2026-12-21",
        "weekday": "周一",
        "order": 1,
        "arrive": "09:10",
        "depart": "14:10",
        "town_name": "清水镇",
        "village": "V3",
        "village_name": "高山村",
        "task": "养老服务",
        "for_whom": "三组2号",
        "need": "N4",
        "need_hours": 3,
        "due": "2026-12-09",
        "late_days": 8,
        "day_hours": 6.3333,
    }


def test_csv_files_and_a_plan_without_a_schedule(
    index: ScenarioIndex, plan: Plan, tmp_path: Path
) -> None:
    written = write_plan_csv(plan, tmp_path / "csv", index)
    names = [p.name for p in written]
    assert names[-2:] == ["schedule.csv", "provider_schedule.csv"]
    with open(written[-2], encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][2] == "日期" and rows[1][2] == "date" and len(rows) == 14
    unscheduled = read_plan(CONTRACT / "tiny-plan.json")
    assert schedule_tables(unscheduled, index) == {}
    book = tmp_path / "plain.xlsx"
    write_plan_xlsx(unscheduled, book, index)
    assert "日程" not in openpyxl.load_workbook(book).sheetnames


def test_without_the_scenario_the_sheets_say_so(plan: Plan, tmp_path: Path) -> None:
    tables = schedule_tables(plan)
    assert [t.title for t in tables.values()] == ["日程", "个人日程"]
    assert all(t.note and "仅据方案文件生成" in t.note for t in tables.values())
    assert len(tables["schedule"].rows) == 12


# ------------------------------------------------------------------------- the calendar files


def _events(path: Path) -> list[icalendar.cal.Component]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return list(calendar.walk("VEVENT"))


def test_one_calendar_per_provider_parses_back_to_the_plans_stops(
    index: ScenarioIndex, plan: Plan, tmp_path: Path
) -> None:
    written = write_schedule_ics(plan, tmp_path / "ics", index, stamp=STAMP)
    assert sorted(p.name for p in written) == ["C1.ics", "C2.ics", "C3.ics", "O1.ics"]
    assert plan.schedule is not None
    uids: set[str] = set()
    for path in written:
        provider = path.stem
        raw = path.read_bytes()
        assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
        calendar = icalendar.Calendar.from_ical(raw)
        assert str(calendar["version"]) == "2.0"
        assert [str(z["tzid"]) for z in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
        expected = [
            (route.date, order, stop)
            for route in plan.schedule
            if route.provider == provider
            for order, stop in enumerate(route.stops, 1)
        ]
        events = _events(path)
        assert len(events) == len(expected)
        for event, (day, order, stop) in zip(events, expected, strict=True):
            start, end = event.decoded("dtstart"), event.decoded("dtend")
            assert start.tzinfo is not None and str(start.tzinfo) == "Asia/Shanghai"
            assert start == dt.datetime.combine(
                dt.date.fromisoformat(day), dt.time.fromisoformat(stop.arrive), BEIJING
            )
            assert end == dt.datetime.combine(
                dt.date.fromisoformat(day), dt.time.fromisoformat(stop.depart), BEIJING
            )
            assert b"TZID=Asia/Shanghai" in event.to_ical()
            uid = str(event["uid"])
            assert uid == f"{plan_key(plan)}-{provider}-{day}-{order}@baolian-matcher"
            uids.add(uid)
            description = str(event["description"])
            for need in stop.needs:
                assert need in description
    assert len(uids) == 12

    by_uid = {str(e["uid"]): e for p in written for e in _events(p)}
    key = plan_key(plan)
    c1 = by_uid[f"{key}-C1-2026-12-04-1@baolian-matcher"]
    assert str(c1["summary"]) == "走访 西岭村"
    assert str(c1["location"]) == "西岭村，清水镇"
    ngo = by_uid[f"{key}-O1-2026-12-09-1@baolian-matcher"]
    assert str(ngo["summary"]) == "服务 西岭村：儿童关爱、心理健康"
    assert str(ngo["description"]).splitlines() == [
        "当天第 1 站（共 1 站），08:37 到达，14:37 离开",
        "N2 二组12号：儿童关爱（4 小时、期限 2026-12-08）",
        "N8 二组12号：心理健康（2 小时、期限 2026-12-10）",
    ]
    visit = by_uid[f"{key}-C1-2026-12-03-1@baolian-matcher"]
    assert str(visit["summary"]) == "走访、服务 福市村：农业技术"
    assert "包村走访（2 小时）" in str(visit["description"])


def test_uids_are_stable_so_a_new_file_updates_the_events(
    index: ScenarioIndex, plan: Plan, tmp_path: Path
) -> None:
    first = write_schedule_ics(plan, tmp_path / "a", index, stamp=STAMP)
    again = write_schedule_ics(plan, tmp_path / "b", index)
    assert [[str(e["uid"]) for e in _events(p)] for p in first] == [
        [str(e["uid"]) for e in _events(p)] for p in again
    ]
    # A plan naming its scenario's hash is keyed by it: a new plan of the same scenario
    # updates the same days' events.
    hashed = plan.model_copy(deep=True)
    hashed.scenario.sha256 = "ABCDEF0123456789" + "0" * 48
    assert plan_key(hashed) == "abcdef0123456789"
    other = hashed.model_copy(deep=True)
    other.assignments = other.assignments[:2]
    assert plan_key(other) == plan_key(hashed)


def test_one_providers_file_in_english_and_unknown_providers(
    index: ScenarioIndex, plan: Plan
) -> None:
    text = provider_ics(plan, "C2", index, "en", stamp=STAMP).decode("utf-8")
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert [str(e["summary"]) for e in events] == [
        "Service 西岭村: education",
        "Visit 福市村",
        "Visit 福市村",
    ]
    assert "X-WR-CALNAME:Schedule · 李华" in text
    # C4 is in the scenario without a stop: an empty calendar. X9 is nowhere.
    empty = icalendar.Calendar.from_ical(provider_ics(plan, "C4", index))
    assert list(empty.walk("VEVENT")) == []
    with pytest.raises(UnknownProvider):
        provider_ics(plan, "X9", index)
    with pytest.raises(UnknownProvider):
        provider_ics(plan, "C4")  # without the scenario only the schedule's providers


def test_file_names_are_safe_and_distinct() -> None:
    assert file_name("C0001") == "C0001.ics"
    odd = file_name("../村/干部 1")
    assert "/" not in odd and ".." not in odd.removesuffix(".ics") and odd.endswith(".ics")
    assert odd != file_name("../村/干部_1") and odd != file_name("___/干部 1")


# ---------------------------------------------------------------------------- the command


def test_matcher_export_ics(plan: Plan, tmp_path: Path) -> None:
    runner = CliRunner()
    plan_file = tmp_path / "plan.json"
    write_plan(plan, plan_file)
    folder = tmp_path / "calendars"
    result = runner.invoke(
        app, ["export", str(plan_file), "--ics", str(folder), "--scenario", str(SCHEDULED)]
    )
    assert result.exit_code == 0, result.output
    assert "4 calendar file(s)" in result.output
    assert sorted(p.name for p in folder.iterdir()) == ["C1.ics", "C2.ics", "C3.ics", "O1.ics"]
    assert str(_events(folder / "C3.ics")[1]["location"]) == "高山村，清水镇"
    # A plan without a schedule: nothing to write, said so.
    plain = runner.invoke(
        app, ["export", str(CONTRACT / "tiny-plan.json"), "--ics", str(tmp_path / "none")]
    )
    assert plain.exit_code == 1 and "no schedule" in plain.output
    # A scenario is not a plan.
    refused = runner.invoke(app, ["export", str(SCHEDULED), "--ics", str(tmp_path / "x")])
    assert refused.exit_code == 2


def test_a_stop_without_a_readable_time_is_left_out(
    index: ScenarioIndex, plan: Plan, tmp_path: Path
) -> None:
    broken = plan.model_copy(deep=True)
    assert broken.schedule is not None
    broken.schedule[0].date = "3 December"  # C1's first day
    broken.schedule[1].stops[0].depart = "later"  # C1's second day
    written = write_schedule_ics(broken, tmp_path, index)
    c1 = next(p for p in written if p.name == "C1.ics")
    assert [str(e["uid"]).split("-", 1)[1] for e in _events(c1)] == [
        "C1-2026-12-10-1@baolian-matcher",
        "C1-2026-12-11-1@baolian-matcher",
    ]
