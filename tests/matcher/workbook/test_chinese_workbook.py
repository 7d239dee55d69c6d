"""A workbook as a Chinese planner types it: Chinese sheet titles and headers, codes by their
Chinese labels or the drop-down's "label code", towns and villages by name; typos and
ambiguous names reported in Chinese at their cells with the names meant (issue 16)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from matcher.cli import app
from matcher.i18n.codes import CATEGORY, DEPARTMENT, ORGANIZATION_KIND, PLACE_KIND, REGION
from matcher.scenario import Scenario
from matcher.workbook import ImportResult, export_scenario_xlsx, import_scenario, write_template
from matcher.workbook.cells import CellError, read_cell
from matcher.workbook.columns import CODES_TITLE, README_TITLE, SHEETS, Column, Kind, Sheet
from matcher.workbook.writing import EXAMPLE
from tests.conftest import ROOT

DEMO = ROOT / "scenarios" / "demo-county.json"
BY_NAME: dict[str, Sheet] = {sheet.name: sheet for sheet in SHEETS}


def _column(sheet: str, field: str) -> Column:
    return next(column for column in BY_NAME[sheet].columns if column.field == field)


def _letter(sheet: str, field: str) -> str:
    fields = [column.field for column in BY_NAME[sheet].columns]
    return get_column_letter(fields.index(field) + 1)


def _edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def _template(tmp_path: Path, **cells: str) -> Path:
    """The Chinese template with cells of its example rows changed: ``villages__town="福市镇"``
    sets the town of the villages sheet's example (row 3)."""
    path = tmp_path / "模板.xlsx"
    write_template(path)

    def change(book: openpyxl.Workbook) -> None:
        for where, value in cells.items():
            sheet, field = where.split("__")
            book[BY_NAME[sheet].zh][f"{_letter(sheet, field)}3"] = value

    _edit(path, change)
    return path


def _problems(result: ImportResult) -> dict[str, str]:
    """Each problem's cell and its Chinese line."""
    return {problem.path: problem.line("zh") for problem in result.problems}


# ----------------------------------------------------------------------------- by name


def test_a_workbook_typed_in_chinese_imports_as_the_one_with_ids(tmp_path: Path) -> None:
    """The template's example typed as a planner would: the town 福市镇 and the village 小园村
    by name wherever a place is named (a village's town, road ends, bases, paired villages,
    an organisation's towns, the village of a need and of an aid record, also as 福市镇/小园村),
    category 养老服务 and the drop-down's "农业农村局 agriculture": the same scenario as the
    template with ids, with no problem."""
    path = _template(
        tmp_path,
        villages__town="福市镇",
        roads__from="福市镇",
        roads__to="小园村",
        cadres__department="农业农村局 agriculture",
        cadres__base="福市镇",
        cadres__paired_villages="小园村",
        organizations__base="福市镇",
        organizations__towns="福市镇",
        organizations__kind="社会组织",
        pools__categories="养老服务；困难救助 hardship_relief、矛盾调解, policy service",
        needs__village="小园村",
        needs__category="困难救助",
        aid_records__village="福市镇 / 小园村",
        aid_records__category="养老服务",
    )
    result = import_scenario(path)
    assert result.problems == ()
    assert result.scenario == Scenario.model_validate(EXAMPLE)
    assert result.raw is not None and result.raw["aid_records"][0]["category"] == "elderly_care"
    assert result.raw["villages"][0]["town"] == "T01"


def test_the_demo_county_with_every_place_by_name_and_every_code_by_label(
    tmp_path: Path,
) -> None:
    """The demo county exported, then every reference to a town or village rewritten as its
    name and every code as its Chinese label (lists joined by 、): the demo county again."""
    demo: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    names = {item["id"]: item["name"] for item in (*demo["places"], *demo["villages"])}
    path = tmp_path / "demo.xlsx"
    export_scenario_xlsx(demo, path)

    def by_name(book: openpyxl.Workbook) -> None:
        for sheet in SHEETS:
            if sheet.key_value or sheet.zh not in book.sheetnames:
                continue
            worksheet = book[sheet.zh]
            for position, column in enumerate(sheet.columns, 1):
                for (cell,) in worksheet.iter_rows(3, None, position, position):
                    if isinstance(cell.value, str) and cell.value:
                        cell.value = _by_name(column, cell.value, names)

    _edit(path, by_name)
    result = import_scenario(path)
    assert result.problems == ()
    assert result.scenario == Scenario.model_validate(demo)


def _by_name(column: Column, text: str, names: dict[str, str]) -> str:
    if column.refers:
        return "、".join(names.get(part, part) for part in text.split("; "))
    if column.labels and column.kind in (Kind.TEXT, Kind.LIST):
        return "、".join(column.labels.get(part, (part,))[0] for part in text.split("; "))
    return text


# ----------------------------------------------------------------------------- typos


@pytest.mark.parametrize("typed", ["福寺镇", "福市", "福市 镇x"])
def test_a_town_typed_wrong_gets_a_chinese_message_at_its_cell_with_the_nearest(
    tmp_path: Path, typed: str
) -> None:
    """A village's town typed 福寺镇 or 福市: one error, at 行政村!C3, in Chinese, naming the
    town meant (福市镇 with its id); nothing else is reported for the cell."""
    result = import_scenario(_template(tmp_path, villages__town=typed))
    assert not result.ok and result.scenario is None
    cell = f"行政村!{_letter('villages', 'town')}3"
    assert list(_problems(result)) == [cell]
    (problem,) = result.problems
    assert problem.id == "V001" and problem.severity == "error"
    assert problem.text("zh").startswith(
        f"“{typed}” 不是任何乡镇的编号或名称；是否应为 “福市镇”（T01）？"
    )
    assert problem.line("zh").startswith(f"{cell} (V001)：")
    assert "所属乡镇" in problem.text("zh")  # the column as the planner's header names it
    assert 'did you mean "福市镇" (T01)?' in problem.message  # English kept


def test_typos_of_villages_and_codes_name_the_nearest_valid_names(tmp_path: Path) -> None:
    """A need's village 小圆村, its category 养老服 and a cadre's department typed anyhow (a
    department outside the list is allowed): Chinese messages at their cells with 小园村 and
    养老服务; an unknown base with nothing near says so."""
    result = import_scenario(
        _template(
            tmp_path,
            needs__village="小圆村",
            needs__category="养老服",
            cadres__base="城关",
            cadres__department="妇联",
        )
    )
    lines = _problems(result)
    base = f"干部!{_letter('cadres', 'base')}3"
    assert lines == {
        base: f"{base} (C0003)：“城关” 不是任何乡镇或村的编号或名称【驻地】",
        f"需求清单!{_letter('needs', 'village')}3": (
            f"需求清单!{_letter('needs', 'village')}3 (N00159)：“小圆村” 不是任何村的编号或名称；"
            "是否应为 “小园村”（V001，福市镇）？【所属村】"
        ),
        f"需求清单!{_letter('needs', 'category')}3": (
            f"需求清单!{_letter('needs', 'category')}3 (N00159)：类别 “养老服” 不是可选的值；"
            "是否应为 “养老服务”？"
        ),
    }


def test_an_ambiguous_village_name_is_refused_with_its_candidates(tmp_path: Path) -> None:
    """Two villages named 小园村 in two towns: a need of 小园村 is refused at its cell with both
    candidates (id, name, town) and how to tell them apart; 清水镇小园村 and an id resolve."""
    data = json.loads(json.dumps(EXAMPLE))
    data["places"].append(
        {"id": "T02", "name": "清水镇", "kind": "town", "lon": 103.95, "lat": 30.0}
    )
    twin = dict(data["villages"][0], id="V002", town="T02", lon=103.96)
    data["villages"].append(twin)
    data["roads"].append({"from": "T02", "to": "V002", "minutes": 10})
    data["needs"].append(dict(data["needs"][0], id="N2", village="V002"))
    data["needs"].append(dict(data["needs"][0], id="N3", village="V002"))
    path = tmp_path / "twins.xlsx"
    export_scenario_xlsx(data, path)
    village = _letter("needs", "village")

    def names(book: openpyxl.Workbook) -> None:
        needs = book["需求清单"]
        needs[f"{village}3"] = "小园村"
        needs[f"{village}4"] = "清水镇小园村"
        needs[f"{village}5"] = "清水镇/小园村"

    _edit(path, names)
    result = import_scenario(path)
    assert list(_problems(result)) == [f"需求清单!{village}3"]
    (problem,) = result.problems
    assert problem.text("zh") == (
        "名称 “小园村” 对应 2 个村：“小园村”（V001，福市镇）、“小园村”（V002，清水镇）；"
        "请填写编号或带上乡镇名，如 V001或福市镇小园村【所属村】"
    )
    assert '"小园村" (V001, 福市镇), "小园村" (V002, 清水镇)' in problem.message
    assert result.raw is not None
    assert [need["village"] for need in result.raw["needs"]] == ["小园村", "V002", "V002"]

    _edit(path, lambda book: book["需求清单"].__setitem__(f"{village}3", "福市镇 小园村"))
    assert import_scenario(path).scenario == Scenario.model_validate(data)


def test_an_id_wins_over_a_name_and_a_wrong_kind_is_left_to_the_checks(tmp_path: Path) -> None:
    """A village id where a town is wanted is not taken for a name: the scenario's reference
    check reports it at its cell."""
    result = import_scenario(_template(tmp_path, villages__town="V001"))
    assert list(_problems(result)) == [f"行政村!{_letter('villages', 'town')}3"]
    assert "V001" in result.problems[0].message


# ----------------------------------------------------------------------------- titles, headers


def test_english_sheet_titles_and_the_english_template_still_import(tmp_path: Path) -> None:
    """The template written in English has sheets titled like the lists, the field names
    first, an English README and codes sheet; it imports, and so does a Chinese one whose
    sheets were renamed in English."""
    path = tmp_path / "template.xlsx"
    write_template(path, lang="en")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [README_TITLE["en"], *(s.name for s in SHEETS), CODES_TITLE["en"]]
    needs = book["needs"]
    assert [c.value for c in needs[1]][:3] == ["id", "village", "household"]
    assert [c.value for c in needs[2]][:3] == ["编号", "所属村", "户编号"]
    assert book["README"]["A1"].value == "Baolian Matcher scenario workbook"
    assert book["codes"]["A2"].value == "county_seat 县城"
    result = import_scenario(path)
    assert result.problems == ()
    assert result.scenario == Scenario.model_validate(EXAMPLE)

    chinese = tmp_path / "模板.xlsx"
    write_template(chinese)

    def rename(book: openpyxl.Workbook) -> None:
        for sheet in SHEETS:
            book[sheet.zh].title = sheet.name

    _edit(chinese, rename)
    assert import_scenario(chinese).scenario == Scenario.model_validate(EXAMPLE)


def test_an_english_header_row_under_the_chinese_one_is_not_read_as_data(tmp_path: Path) -> None:
    """Row 2 repeating the headers in English, as a planner writes them (Households, Funding
    cap (yuan), Left-behind children) beside a remark column of her own (备注 / Remarks): it
    is a header row, not a village; only the remark column is reported, once, as ignored."""
    path = _template(tmp_path)
    remark = get_column_letter(len(BY_NAME["villages"].columns) + 1)

    def english(book: openpyxl.Workbook) -> None:
        villages = book["行政村"]
        spoken = {
            "households": "Households",
            "funding_cap": "Funding cap (yuan)",
            "left_behind_children": "Left-behind children",
            "id": "ID",
        }
        for cell in villages[2]:
            cell.value = spoken.get(str(cell.value), cell.value)
        villages[f"{remark}1"] = "备注"
        villages[f"{remark}2"] = "Remarks"
        villages[f"{remark}3"] = "路况较差"
        book["政策参数"]["C2"] = "remark"  # the note column's header, in other words

    _edit(path, english)
    result = import_scenario(path)
    assert [(p.path, p.severity) for p in result.problems] == [(f"行政村!{remark}1", "warning")]
    assert result.problems[0].text("zh") == "未知的列 “备注”，已忽略"
    assert result.scenario == Scenario.model_validate(EXAMPLE)


def test_a_second_row_of_data_is_still_data(tmp_path: Path) -> None:
    """A sheet with one header row and data from row 2 (a village named like nothing in the
    headers): row 2 is an item."""
    path = tmp_path / "one-header.xlsx"
    export_scenario_xlsx(EXAMPLE, path)
    _edit(path, lambda book: book["行政村"].delete_rows(2))
    result = import_scenario(path)
    assert result.problems == ()
    assert result.scenario == Scenario.model_validate(EXAMPLE)


# ----------------------------------------------------------------------------- drop-downs


def _list_choices(book: openpyxl.Workbook, formula: str) -> list[str] | None:
    """The choices of a drop-down: written in the formula or in a range of the codes sheet
    (None for the names of a places or villages sheet)."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    if formula.startswith("OFFSET("):
        return None
    title, cells = formula.rsplit("!", 1)
    rows = book[title.strip("'")][cells.replace("$", "")]
    return [str(row[0].value) for row in rows]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_drop_downs_are_bilingual_never_stop_and_read_as_their_codes(
    tmp_path: Path, lang: str
) -> None:
    """Every validation of the template only warns or informs (Excel's "stop" would refuse a
    typed 养老服务 that the importer reads); every choice of every code list shows the code
    with its Chinese label, and reads as the code; place columns offer the names of the
    places or villages sheet."""
    path = tmp_path / f"template-{lang}.xlsx"
    write_template(path, lang="zh" if lang == "zh" else "en")
    book = openpyxl.load_workbook(path)
    assert book[CODES_TITLE["zh" if lang == "zh" else "en"]].protection.sheet
    seen: set[tuple[str, str]] = set()
    for sheet in SHEETS:
        worksheet = book[sheet.zh if lang == "zh" else sheet.name]
        letters = {_letter(sheet.name, c.field): c for c in sheet.columns}
        for validation in worksheet.data_validations.dataValidation:
            assert validation.errorStyle in ("warning", "information")
            assert validation.showErrorMessage and validation.error
            column = letters[str(validation.sqref).split(":")[0].rstrip("0123456789")]
            seen.add((sheet.name, column.field))
            if validation.type != "list":
                continue
            assert validation.formula1 is not None
            choices = _list_choices(book, validation.formula1)
            if choices is None:
                assert column.refers and "!$B$3" in validation.formula1
                continue
            if column.kind is Kind.BOOL:
                assert [read_cell(column, choice) for choice in choices] == [True, False]
                continue
            assert [read_cell(column, choice) for choice in choices] == list(column.choices)
            assert all(column.labels[code][0] in choice for code, choice in zip(
                column.choices, choices, strict=True
            ))  # fmt: skip
    assert {
        ("needs", "category"), ("needs", "skill"), ("needs", "village"), ("needs", "level"),
        ("aid_records", "category"), ("villages", "region"), ("villages", "town"),
        ("places", "kind"), ("organizations", "kind"), ("cadres", "department"),
        ("cadres", "available"), ("pools", "department"),
    } <= seen  # fmt: skip


@pytest.mark.parametrize(
    ("sheet", "field", "table"),
    [
        ("needs", "category", CATEGORY),
        ("villages", "region", REGION),
        ("places", "kind", PLACE_KIND),
        ("organizations", "kind", ORGANIZATION_KIND),
        ("cadres", "department", DEPARTMENT),
    ],
)
def test_a_code_is_read_from_every_form_a_planner_writes(
    sheet: str, field: str, table: dict[str, tuple[str, str]]
) -> None:
    """The code, its Chinese and English labels (any case, spaces for underscores), and the
    drop-down's forms in either order or with the code in brackets all read as the code."""
    column = _column(sheet, field)
    for code, (chinese, english) in table.items():
        forms = (
            code, code.upper(), code.replace("_", " "), chinese, english, english.title(),
            f"{chinese} {code}", f"{code} {chinese}", f"{chinese}（{code}）", f"{chinese}({code})",
        )  # fmt: skip
        for form in forms:
            assert read_cell(column, form) == code, form


def test_a_typo_in_a_list_of_codes_is_an_error_at_its_cell() -> None:
    """A pool's categories with one misspelt: the cell is an error naming the nearest."""
    column = _column("pools", "categories")
    error = read_cell(column, "养老服务；困难救主")
    assert isinstance(error, CellError)
    assert error.said.text("zh") == "可用类别 “困难救主” 不是可选的值；是否应为 “困难救助”？"


# ----------------------------------------------------------------------------- the sheets' words


def test_the_instructions_are_in_the_workbooks_language_with_the_other_beside(
    tmp_path: Path,
) -> None:
    """说明: Chinese first, English beside it; README: the other way round; both explain that
    places may be named and codes typed as labels."""
    zh, en = tmp_path / "zh.xlsx", tmp_path / "en.xlsx"
    write_template(zh)
    write_template(en, lang="en")
    chinese = list(openpyxl.load_workbook(zh)[README_TITLE["zh"]].values)
    english = list(openpyxl.load_workbook(en)[README_TITLE["en"]].values)
    assert chinese[0][:2] == ("包村联户资源匹配 · 场景工作簿", "Baolian Matcher scenario workbook")
    assert english[0][:2] == ("Baolian Matcher scenario workbook", "包村联户资源匹配 · 场景工作簿")
    words = " ".join(str(v) for row in chinese for v in row if v)
    for text in ("福市镇小园村", "编号或名称", "养老服务", "elderly care", "分钟", "minutes"):
        assert text in words
    assert len(chinese) == len(english)


def test_problems_of_cells_and_sheets_read_in_chinese(tmp_path: Path) -> None:
    """A level typed 高 and a missing sheet: Chinese words from the catalogue at the cell and
    the sheet, English kept."""
    path = _template(tmp_path, needs__level="高")
    _edit(path, lambda book: book.remove(book["干部"]))
    result = import_scenario(path)
    lines = _problems(result)
    level = f"需求清单!{_letter('needs', 'level')}3"
    assert lines["干部"] == "干部：缺少工作表 干部 (cadres)，场景必须有它（模板中包含全部工作表）"
    assert lines[level] == f"{level} (N00159)：等级必须是整数，不能是 “高”"
    assert 'level must be a whole number, not "高" [等级]' in str(
        next(p for p in result.problems if p.path == level)
    )


# ----------------------------------------------------------------------------- the command line


def test_the_commands_speak_the_chosen_language(tmp_path: Path) -> None:
    """``matcher template --lang en`` writes the English workbook; ``matcher import --lang zh``
    prints a typo's problem in Chinese with the nearest name and writes nothing."""
    runner = CliRunner()
    english = tmp_path / "template.xlsx"
    result = runner.invoke(app, ["template", "--xlsx", str(english), "--lang", "en"])
    assert result.exit_code == 0 and "template written to" in result.output
    assert openpyxl.load_workbook(english).sheetnames[1] == "scenario"

    path = _template(tmp_path, villages__town="福寺镇")
    out = tmp_path / "county.json"
    result = runner.invoke(app, ["import", str(path), "--out", str(out), "--lang", "zh"])
    assert result.exit_code == 1 and not out.exists()
    output = " ".join(result.output.split())
    assert (
        "错误 行政村!C3 (V001)：“福寺镇” 不是任何乡镇的编号或名称；是否应为 “福市镇”（T01）？"
        in output
    )
    assert "未写入任何文件" in output

    path = _template(tmp_path, villages__town="福市镇", needs__category="养老服务")
    result = runner.invoke(app, ["import", str(path), "--out", str(out), "--lang", "zh"])
    assert result.exit_code == 0 and "场景已写入" in result.output
    imported = json.loads(out.read_text(encoding="utf-8"))
    assert imported["villages"][0]["town"] == "T01"
    assert imported["needs"][0]["category"] == "elderly_care"


# ----------------------------------------------------------------------------- calendars


def test_the_calendar_fields_round_trip_and_read_as_planners_type_them(tmp_path: Path) -> None:
    """DESIGN §9's fields (holidays and make-up workdays, a provider's days off and daily
    hours, a need's respond_by, the schedule policy) come back from an export; days off typed
    2026/12/5、2026年12月6日 and a start of day that Excel stored as a time read as meant."""
    data = json.loads(json.dumps(EXAMPLE))
    data["horizon"] |= {"holidays": ["2026-12-25"], "workdays": ["2026-12-27"]}
    data["cadres"][0] |= {"days_off": ["2026-12-05", "2026-12-06"], "daily_hours": 6.5}
    data["organizations"][0] |= {"days_off": ["2026-12-12"]}
    data["needs"][0]["respond_by"] = "2026-12-20"
    data["policy"] = {"schedule": True, "day_start": "09:00", "late_penalty_per_day": 2.5}
    path = tmp_path / "calendar.xlsx"
    export_scenario_xlsx(data, path)
    assert import_scenario(path).scenario == Scenario.model_validate(data)

    def typed(book: openpyxl.Workbook) -> None:
        book["干部"][f"{_letter('cadres', 'days_off')}3"] = "2026/12/5、2026年12月6日"
        policy = book["政策参数"]
        row = next(r for r in policy.iter_rows(min_row=3) if r[0].value == "day_start")
        row[1].value = dt.time(9, 0)

    _edit(path, typed)
    assert import_scenario(path).scenario == Scenario.model_validate(data)
    _edit(
        path, lambda book: book["干部"].__setitem__(f"{_letter('cadres', 'days_off')}3", "下周一")
    )
    (problem,) = import_scenario(path).problems
    assert problem.text("zh").startswith("休息日应为用“;”分隔的日期")
