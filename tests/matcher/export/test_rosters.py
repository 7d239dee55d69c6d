"""The roster sheets of the plan workbook and CSV files (issue 16, item 2): 包村名单,
联户服务清单 and 个人任务单, with Chinese headers above the English field names, written with
the scenario or when the plan names its parties itself; the contract county's rows by hand."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from matcher.export import ROSTER_SHEETS, SHEETS, roster_tables, write_plan_csv, write_plan_xlsx
from matcher.intake.loading import parse_scenario
from matcher.plan import Plan
from matcher.problem.assemble import solution_to_plan
from matcher.problem.index import ScenarioIndex
from matcher.run import solve_scenario
from tests.conftest import CONTRACT
from tests.matcher.reports.test_rosters import named_county

ROSTER_NAMES = ["包村名单", "联户服务清单", "个人任务单"]


@pytest.fixture
def index() -> ScenarioIndex:
    """The contract county with names, posts and household labels."""
    return ScenarioIndex.build(parse_scenario(named_county()).scenario)


@pytest.fixture
def plan() -> Plan:
    """The contract's hand-written optimal plan (without naming fields)."""
    return Plan.model_validate(json.loads((CONTRACT / "tiny-plan.json").read_text()))


def _rows(path: Path, sheet: str) -> list[list[object]]:
    workbook = openpyxl.load_workbook(path)
    return [list(r) for r in workbook[sheet].iter_rows(values_only=True)]


def test_the_workbook_has_the_roster_sheets_with_the_scenario(
    index: ScenarioIndex, plan: Plan, tmp_path: Path
) -> None:
    """After the plan's own sheets: three Chinese-named sheets, Chinese headers in row 1,
    field names in row 2 (bold, frozen), then the contract county's rows."""
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan, path, index)
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == [*SHEETS, *ROSTER_NAMES]
    assert list(ROSTER_SHEETS.values()) == ROSTER_NAMES
    for name in ROSTER_NAMES:
        ws = workbook[name]
        assert (
            ws.freeze_panes == "A3"
            and all(c.font.b for c in ws[1])
            and all(c.font.b for c in ws[2])
        )

    pairing = _rows(path, "包村名单")
    assert pairing[0][:6] == ["乡镇代码", "乡镇", "村代码", "村", "户数", "干部编号"]
    assert pairing[1][:6] == ["town", "town_name", "village", "village_name", "households", "cadre"]
    # East Town's Dongpo: C1 王明 (乡镇干部, 农业农村局), existing, 6 minutes, 2 visits of
    # 2 h + 12 min of travel each.
    assert pairing[2] == [
        "T1",
        "East Town",
        "V1",
        "Dongpo",
        300,
        "C1",
        "王明",
        "乡镇干部",
        "农业农村局",
        "原有结对",
        6,
        2,
        pytest.approx(4.4),
        0,
    ]
    assert pairing[3][5:10] == ["C2", "李华", "驻村第一书记", "教育局", "新增结对"]
    assert [r[2] for r in pairing[2:]] == ["V1", "V1", "V2", "V2", "V3"]

    service = _rows(path, "联户服务清单")
    assert service[0][4:8] == ["户", "户编号", "需求编号", "类别"]
    assert service[1][4:8] == ["for_whom", "household", "need", "category"]
    n1 = dict(zip(service[1], service[2], strict=True))
    assert (n1["for_whom"], n1["household"], n1["need"], n1["category"]) == (
        "一组3号",
        "H-V1-001",
        "N1",
        "农业技术",
    )
    assert (n1["provider_name"], n1["provider_type"], n1["provider_unit"]) == (
        "王明",
        "干部",
        "农业农村局",
    )
    assert (n1["yuan"], n1["funding"], n1["submitted"]) == (
        3000,
        "农业帮扶资金 3,000",
        "2026-12-02",
    )
    assert [r[6] for r in service[2:]] == ["N1", "N2", "N8", "N3", "N4"]

    tasks = _rows(path, "个人任务单")
    header = tasks[1]
    c1 = [dict(zip(header, r, strict=True)) for r in tasks[2:] if r[0] == "C1"]
    assert [t["task"] for t in c1] == ["包村联系：走访 2 次", "包村联系：走访 2 次", "农业技术"]
    assert c1[2]["for_whom"] == "一组3号" and c1[0]["for_whom"] is None
    assert {t["hours_available"] for t in c1} == {24}
    assert c1[0]["hours_total"] == pytest.approx(4.4 + 2 * (2 + 80 / 60) + 3.2, abs=1e-3)


def test_a_plan_without_names_and_no_scenario_has_no_roster_sheets(
    plan: Plan, tmp_path: Path
) -> None:
    """Rosters of ids alone would be the assignments sheet again: none are written."""
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan, path)
    assert openpyxl.load_workbook(path).sheetnames == list(SHEETS)
    assert roster_tables(plan) == {}


def test_a_plan_that_names_its_parties_has_rosters_without_the_scenario(
    index: ScenarioIndex, tmp_path: Path
) -> None:
    """A plan the engine wrote with its naming fields exports its rosters alone, with names
    and household labels, and a note that towns and departments need the scenario."""
    run = solve_scenario(index, solver="cpsat", time_limit=10)
    named = solution_to_plan(
        index.problem, run.result.solution, run.plan.solver, index.scenario.policy, index=index
    )
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(named, path)
    assert openpyxl.load_workbook(path).sheetnames == [*SHEETS, *ROSTER_NAMES]
    service = _rows(path, "联户服务清单")
    lines = {r[6]: dict(zip(service[1], r, strict=True)) for r in service[2:] if r and r[6]}
    assert lines["N1"]["for_whom"] == "一组3号" and lines["N1"]["provider_name"] == "王明"
    assert lines["N1"]["village_name"] == "Dongpo" and lines["N1"]["town"] is None
    assert any("仅据方案文件生成" in str(r[0]) for r in service if r)


def test_csv_files_of_the_rosters(index: ScenarioIndex, plan: Plan, tmp_path: Path) -> None:
    """pairing_roster.csv, service_list.csv and provider_tasks.csv after the plan's own files,
    UTF-8 with a byte-order mark, both header rows, the same rows as the sheets."""
    folder = tmp_path / "csv"
    written = write_plan_csv(plan, folder, index)
    assert [p.name for p in written] == [
        *(f"{name}.csv" for name in SHEETS),
        "pairing_roster.csv",
        "service_list.csv",
        "provider_tasks.csv",
    ]
    tables = roster_tables(plan, index)
    for key, table in tables.items():
        data = (folder / f"{key}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        with open(folder / f"{key}.csv", encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0] == table.header_zh and rows[1] == table.header_en
        assert len(rows) == 2 + len(table.rows)
    assert "一组3号" in (folder / "service_list.csv").read_text(encoding="utf-8-sig")


def test_english_labels_in_the_sheets_when_asked(index: ScenarioIndex, plan: Plan) -> None:
    """The labels follow ``lang``; the headers stay Chinese over field names."""
    table = roster_tables(plan, index, "en")["service_list"]
    assert table.header_zh[7] == "类别"
    assert table.rows[0][7] == "farming techniques" and table.rows[0][11] == "cadre"
