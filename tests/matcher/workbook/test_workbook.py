"""Workbooks and CSV folders: the template, lossless round trips and located problems."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import BaseModel

from matcher.intake.issues import ScenarioInvalid
from matcher.scenario import (
    CATEGORIES,
    REGIONS,
    AidRecord,
    Cadre,
    Need,
    Organization,
    Place,
    Policy,
    Pool,
    Road,
    Scenario,
    Village,
)
from matcher.workbook import (
    ImportResult,
    export_scenario_csv,
    export_scenario_xlsx,
    import_scenario,
    write_template,
)
from matcher.workbook.cells import CellError, format_cell, read_cell
from matcher.workbook.columns import (
    CODES_TITLE,
    DEPARTMENTS,
    POLICY_KEYS,
    README_TITLE,
    SHEETS,
    Column,
    Kind,
    Sheet,
)
from matcher.workbook.writing import EXAMPLE
from tests.conftest import DATA, ROOT, contract_dict

DEMO = ROOT / "scenarios" / "demo-county.json"
PLANNER_CSV = DATA / "workbooks" / "planner-csv"
BY_NAME: dict[str, Sheet] = {sheet.name: sheet for sheet in SHEETS}
ZH: dict[str, str] = {sheet.name: sheet.zh for sheet in SHEETS}  # the sheets' titles


def _demo() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEMO.read_text(encoding="utf-8"))
    return data


def _letter(sheet: str, field: str) -> str:
    """The column letter of a field in the exported form of a sheet."""
    fields = [column.field for column in BY_NAME[sheet].columns]
    return openpyxl.utils.get_column_letter(fields.index(field) + 1)


def _choices(book: openpyxl.Workbook, formula: str) -> list[str]:
    """The choices of a list validation: written in the formula, or in a range of a sheet."""
    if formula.startswith('"'):
        return formula.strip('"').split(",")
    title, cells = formula.rsplit("!", 1)
    first, last = cells.replace("$", "").split(":")
    rows = book[title.strip("'")][f"{first}:{last}"]
    return [str(row[0].value) for row in rows]


def _cells(result: ImportResult) -> set[tuple[str, int | None, str | None]]:
    return {(where.sheet, where.row, where.column) for where in result.locations}


def _edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    book = openpyxl.load_workbook(path)
    change(book)
    book.save(path)


def _odd_county() -> dict[str, Any]:
    """The tiny county with every value that a naive workbook would change: nulls beside empty
    lists, empty and padded text, formula-like and number-like ids, floats that need 17
    digits, integers beyond 2**53, list items holding separators, Chinese names of codes used
    as plain text, no skills, no roads."""
    data = contract_dict()
    data["name"] = ""
    data["roads"] = None
    data["places"].append(
        {"id": "007", "name": "=SUM(A1)", "kind": "town", "lon": 0.1 + 0.2, "lat": -1e-7}
    )
    data["villages"][0]["name"] = "  东坡 "
    data["villages"][1]["name"] = '"quoted"'
    data["organizations"].append(
        {"id": "O2", "name": None, "kind": "volunteer", "base": "S0", "skills": {},
         "hours": 1 / 3, "max_travel_minutes": 12.5, "towns": []}
    )  # fmt: skip
    data["pools"].append(
        {"id": "P-none", "department": "农业农村局", "amount": 10**12 - 1, "categories": [],
         "villages": [], "regions": None, "max_per_need": None}
    )  # fmt: skip
    data["cadres"][3]["skills"] = {}
    data["needs"][0]["hours"] = 0.1 + 0.2
    data["needs"][1]["vulnerable"] = ["left_behind_child", "a;b", "留守儿童"]
    data["needs"][2]["household"] = "+H-1"
    data["aid_records"][0]["hours"] = 1e-9
    data["policy"] = {"visit_hours": 2.675, "allow_repeat_aid": True, "region_weights": {"west": 2}}
    return data


# ----------------------------------------------------------------------------- the template


def test_template_has_every_sheet_both_header_rows_and_drop_down_lists(tmp_path: Path) -> None:
    """The template opens with openpyxl: an instructions sheet, then one sheet per list titled
    in Chinese with Chinese headers in row 1 and field names in row 2 (bold, frozen), an
    example row, drop-down lists for categories, regions, place and organisation kinds,
    departments and yes/no (each code shown with its Chinese label, from the codes sheet at
    the end)."""
    path = tmp_path / "template.xlsx"
    write_template(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [README_TITLE["zh"], *(s.zh for s in SHEETS), CODES_TITLE["zh"]]
    lists: dict[tuple[str, str], list[str]] = {}
    for sheet in SHEETS:
        worksheet = book[sheet.zh]
        assert [c.value for c in worksheet[1]] == [column.zh for column in sheet.columns]
        assert [c.value for c in worksheet[2]] == [column.field for column in sheet.columns]
        assert worksheet["A1"].font.bold and worksheet["A2"].font.bold
        assert worksheet.freeze_panes in ("A3", "B3")
        assert worksheet.max_row >= 3  # the example
        for validation in worksheet.data_validations.dataValidation:
            if validation.type == "list":
                assert validation.formula1 is not None
                if validation.formula1.startswith("OFFSET("):
                    continue  # the names of the places or villages sheet (test_names.py)
                letter = str(validation.sqref).split(":")[0].rstrip("0123456789")
                lists[(sheet.name, letter)] = _choices(book, validation.formula1)
    codes = [choice.rsplit(" ", 1)[-1] for choice in lists[("needs", _letter("needs", "category"))]]
    assert codes == list(CATEGORIES) and len(CATEGORIES) == 13
    assert lists[("needs", _letter("needs", "category"))][6] == "养老服务 elderly_care"
    assert (
        lists[("needs", _letter("needs", "skill"))]
        == lists[("needs", _letter("needs", "category"))]
    )
    assert lists[("aid_records", _letter("aid_records", "category"))][0] == "农业技术 agri_tech"
    assert lists[("villages", _letter("villages", "region"))] == [
        "东部 east",
        "中部 central",
        "西部 west",
    ]
    assert [c.split()[-1] for c in lists[("villages", _letter("villages", "region"))]] == list(
        REGIONS
    )
    assert lists[("places", _letter("places", "kind"))] == ["县城 county_seat", "乡镇 town"]
    assert [c.split()[-1] for c in lists[("organizations", _letter("organizations", "kind"))]] == [
        "enterprise", "ngo", "volunteer", "cooperative"
    ]  # fmt: skip
    departments = [c.split()[-1] for c in lists[("cadres", _letter("cadres", "department"))]]
    assert departments == list(DEPARTMENTS)
    assert {"agriculture", "civil_affairs", "health", "finance", "charity"} <= set(departments)
    assert lists[("cadres", _letter("cadres", "available"))] == ["是", "否"]
    readme = " ".join(str(v) for row in book[README_TITLE["zh"]].values for v in row if v)
    for words in ("分钟", "minutes", "小时", "hours", "元", "yuan", "2026-12-01", "agri_tech:3"):
        assert words in readme


def test_template_as_it_is_imports_as_a_valid_scenario(tmp_path: Path) -> None:
    """Importing the untouched template (only its example rows) gives a valid scenario with no
    problem at all: the example is the one written into it."""
    path = tmp_path / "template.xlsx"
    write_template(path)
    result = import_scenario(path)
    assert result.problems == ()
    assert result.ok
    assert result.scenario == Scenario.model_validate(EXAMPLE)


def test_columns_are_exactly_the_fields_of_the_models() -> None:
    """Every field of every list item has one column, required exactly when the model says so,
    and the policy sheet knows every policy setting: nothing can be lost for want of a column."""
    models: dict[str, type[BaseModel]] = {
        "places": Place, "villages": Village, "roads": Road, "cadres": Cadre,
        "organizations": Organization, "pools": Pool, "needs": Need, "aid_records": AidRecord,
    }  # fmt: skip
    assert {sheet.name for sheet in SHEETS if not sheet.key_value} == set(models)
    for name, model in models.items():
        sheet = BY_NAME[name]
        fields = {f.alias or field: f for field, f in model.model_fields.items()}
        assert [c.field for c in sheet.columns] == list(fields), sheet.name
        for column in sheet.columns:
            assert column.required == fields[column.field].is_required(), column.field
    assert [key.field for key in BY_NAME["policy"].keys] == list(Policy.model_fields)


# ----------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["demo", "tiny", "odd"])
@pytest.mark.parametrize("form", ["xlsx", "csv"])
def test_round_trip_gives_back_an_equal_scenario(tmp_path: Path, name: str, form: str) -> None:
    """scenario → workbook (or CSV folder) → scenario is lossless: the demo county, the
    contract county (nulls, a pinned need, optional fields left out) and a county of odd
    values all come back equal, with no problem."""
    data = {"demo": _demo, "tiny": contract_dict, "odd": _odd_county}[name]()
    original = Scenario.model_validate(data)
    target = tmp_path / ("county.xlsx" if form == "xlsx" else "county")
    (export_scenario_xlsx if form == "xlsx" else export_scenario_csv)(original, target)
    result = import_scenario(target)
    assert result.problems == ()
    assert result.raw is not None
    assert Scenario.model_validate(result.raw) == original
    assert result.scenario == original


def test_round_trip_keeps_the_notation_of_nulls_and_empty_lists(tmp_path: Path) -> None:
    """An empty cell is null (or the default), ``[]`` an explicitly empty list, ``""`` empty
    text; a scenario without roads has no roads sheet, one with ``roads: []`` an empty sheet
    (imported with a warning that no village can be reached)."""
    data = _odd_county()
    export_scenario_xlsx(data, tmp_path / "odd.xlsx")
    book = openpyxl.load_workbook(tmp_path / "odd.xlsx")
    assert ZH["roads"] not in book.sheetnames
    pools = book[ZH["pools"]]
    assert pools[f"{_letter('pools', 'categories')}5"].value == "[]"
    assert pools[f"{_letter('pools', 'regions')}5"].value is None
    assert book[ZH["scenario"]]["B4"].value == '""'
    raw = import_scenario(tmp_path / "odd.xlsx").raw
    assert raw is not None and "roads" not in raw
    assert raw["pools"][2]["categories"] == [] and "regions" not in raw["pools"][2]

    data["roads"] = []
    data["needs"][7]["pinned_provider"] = None  # no road reaches its village any more
    export_scenario_csv(data, tmp_path / "no-roads")
    result = import_scenario(tmp_path / "no-roads")
    assert result.scenario == Scenario.model_validate(data)
    assert [(p.path, p.severity) for p in result.problems] == [("roads.csv", "warning")]


def test_csv_files_are_utf8_with_bom(tmp_path: Path) -> None:
    """Exported CSV files start with a UTF-8 BOM, so that Excel shows the Chinese headers."""
    export_scenario_csv(contract_dict(), tmp_path)
    for sheet in SHEETS:
        data = (tmp_path / f"{sheet.name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data[3:].decode("utf-8").startswith(sheet.columns[0].zh)


def test_planner_typed_csv_folder_imports(tmp_path: Path) -> None:
    """A CSV folder as a planner types it (Chinese headers only, columns in another order,
    Chinese names of categories, departments and regions, full-width colons and semicolons,
    2026/12/2 dates, needs.csv saved as GBK, no policy sheet) is the contract county; the GBK
    file is read with a warning."""
    result = import_scenario(PLANNER_CSV)
    assert result.scenario == Scenario.model_validate(contract_dict())
    assert [(p.path, p.severity) for p in result.problems] == [("needs.csv", "warning")]
    assert "GBK" in result.problems[0].message


# ----------------------------------------------------------------------------- layouts


Rows = list[list[object]]


def _rewrite(book: openpyxl.Workbook, change: Callable[[Rows], Rows]) -> None:
    """Replace the rows of every list sheet by ``change(rows)`` (as many rows or more)."""
    for sheet in SHEETS:
        if sheet.key_value:
            continue
        worksheet: Worksheet = book[sheet.zh]
        rows: Rows = [list(row) for row in worksheet.iter_rows(values_only=True)]
        for number, row in enumerate(change(rows), 1):
            for column, value in enumerate(row, 1):
                worksheet.cell(row=number, column=column).value = value  # type: ignore[assignment]


@pytest.mark.parametrize("keep", ["chinese", "english"])
def test_one_header_row_in_either_language_imports(tmp_path: Path, keep: str) -> None:
    """A workbook with only the Chinese header row (and Chinese sheet titles), or only the
    English one (and English sheet titles), imports to the same scenario."""
    path = tmp_path / "tiny.xlsx"
    export_scenario_xlsx(contract_dict(), path)

    def one_header(book: openpyxl.Workbook) -> None:
        for sheet in SHEETS:
            worksheet = book[sheet.zh]
            worksheet.delete_rows(2 if keep == "chinese" else 1)
            if keep == "english":
                worksheet.title = sheet.name

    _edit(path, one_header)
    result = import_scenario(path)
    assert result.problems == ()
    assert result.scenario == Scenario.model_validate(contract_dict())


def test_shuffled_columns_and_blank_rows_still_import(tmp_path: Path) -> None:
    """Columns in any order and blank rows between items change nothing."""
    path = tmp_path / "tiny.xlsx"
    export_scenario_xlsx(contract_dict(), path)

    def shuffle(rows: Rows) -> Rows:
        order = list(range(len(rows[0])))
        order = order[1::2] + order[::2]
        shuffled = [[row[i] for i in order] for row in rows]
        return [*shuffled[:3], [None] * len(order), *shuffled[3:]]

    _edit(path, lambda book: _rewrite(book, shuffle))
    result = import_scenario(path)
    assert result.problems == ()
    assert result.scenario == Scenario.model_validate(contract_dict())


def test_unknown_columns_and_sheets_are_ignored_with_a_warning(tmp_path: Path) -> None:
    """A remarks column and an extra sheet are reported as warnings, a row with only a remark
    is no item; the scenario still loads."""
    path = tmp_path / "tiny.xlsx"
    export_scenario_xlsx(contract_dict(), path)

    after = openpyxl.utils.get_column_letter(len(BY_NAME["needs"].columns) + 1)

    def extra(book: openpyxl.Workbook) -> None:
        needs = book[ZH["needs"]]
        needs[f"{after}1"] = "备注"  # the column after the last of the needs sheet
        needs[f"{after}3"] = "电话联系过"
        needs[f"{after}12"] = "共8条"  # a remark alone on a row is not an item
        book.create_sheet("统计")["A1"] = "合计"

    _edit(path, extra)
    result = import_scenario(path)
    assert result.ok
    assert [(p.path, p.severity) for p in result.problems] == [
        (f"需求清单!{after}1", "warning"),
        ("统计", "warning"),
    ]


def test_missing_sheet_and_missing_column_are_one_problem_each(tmp_path: Path) -> None:
    """A required sheet that is missing, or a required column, is reported once, not once per
    row; an optional sheet (aid_records) may be left out."""
    path = tmp_path / "tiny.xlsx"
    export_scenario_xlsx(contract_dict(), path)

    def remove(book: openpyxl.Workbook) -> None:
        del book[ZH["villages"]]
        del book[ZH["aid_records"]]
        hours = openpyxl.utils.column_index_from_string(_letter("cadres", "hours"))
        book[ZH["cadres"]].delete_cols(hours)

    _edit(path, remove)
    result = import_scenario(path)
    assert [p.path for p in result.problems] == ["行政村", "干部!1:1"]
    assert "villages" in result.problems[0].message
    assert "hours" in result.problems[1].message


def test_places_and_villages_from_another_source_join_the_sheets(tmp_path: Path) -> None:
    """Villages given by another source (a GeoJSON file) fill the cells their rows leave
    empty, by id, and stand in for a missing sheet; ``convert`` moves only the sheets' own
    coordinates (the other source's are already WGS-84)."""
    tiny = contract_dict()
    path = tmp_path / "tiny.xlsx"
    export_scenario_xlsx(tiny, path)

    def drop_coordinates(book: openpyxl.Workbook) -> None:
        del book[ZH["places"]]
        lon = openpyxl.utils.column_index_from_string(_letter("villages", "lon"))
        book[ZH["villages"]].delete_cols(lon, 2)

    _edit(path, drop_coordinates)
    points = [{"id": v["id"], "lon": v["lon"], "lat": v["lat"]} for v in tiny["villages"]]
    result = import_scenario(path, extra={"places": tiny["places"], "villages": points})
    assert result.problems == ()
    assert result.scenario == Scenario.model_validate(tiny)

    export_scenario_xlsx(tiny, path)
    shifted = import_scenario(path, convert=lambda lon, lat: (lon + 0.001, lat))
    assert shifted.scenario is not None
    assert shifted.scenario.villages[0].lon == pytest.approx(tiny["villages"][0]["lon"] + 0.001)
    assert shifted.scenario.places[0].lon == pytest.approx(tiny["places"][0]["lon"] + 0.001)


# ----------------------------------------------------------------------------- problems


def test_ten_deliberate_errors_yield_exactly_ten_located_problems(tmp_path: Path) -> None:
    """The exported demo county with ten cells broken by hand reports exactly those ten cells,
    each with its sheet, Excel row and column letter, the field, and the item's id; and the
    raw scenario is still returned for inspection."""
    path = tmp_path / "demo.xlsx"
    export_scenario_xlsx(_demo(), path)

    def break_ten(book: openpyxl.Workbook) -> None:
        needs = book[ZH["needs"]]
        needs[f"{_letter('needs', 'category')}3"] = "agri_tek"  # not a category
        needs[f"{_letter('needs', 'level')}4"] = 4  # levels are 1-3
        needs[f"{_letter('needs', 'hours')}5"] = -2  # hours must be positive
        needs[f"{_letter('needs', 'village')}6"] = "V999"  # no such village
        needs[f"{_letter('needs', 'id')}8"] = "N00001"  # the id of row 3
        needs[f"{_letter('needs', 'submitted')}9"] = "2026-13-45"  # no such date
        needs[f"{_letter('needs', 'household')}10"] = 13812345678  # a phone number, as a number
        book[ZH["aid_records"]][f"{_letter('aid_records', 'household')}3"] = "11010519900101123X"
        book[ZH["villages"]][f"{_letter('villages', 'lon')}4"] = "东经103.9"  # not a number
        book[ZH["cadres"]][f"{_letter('cadres', 'skills')}5"] = "agri_tech=3"  # not skill:level

    _edit(path, break_ten)
    result = import_scenario(path)
    expected = {
        ("needs", 3, _letter("needs", "category"), "category", "N00001"),
        ("needs", 4, _letter("needs", "level"), "level", "N00002"),
        ("needs", 5, _letter("needs", "hours"), "hours", "N00003"),
        ("needs", 6, _letter("needs", "village"), "village", "N00004"),
        ("needs", 8, _letter("needs", "id"), "id", "N00001"),
        ("needs", 9, _letter("needs", "submitted"), "submitted", "N00007"),
        ("needs", 10, _letter("needs", "household"), "household", "N00008"),
        ("aid_records", 3, _letter("aid_records", "household"), "household", "A000001"),
        ("villages", 4, _letter("villages", "lon"), "lon", "V002"),
        ("cadres", 5, _letter("cadres", "skills"), "skills", "C0003"),
    }
    assert len(result.problems) == 10
    assert all(p.severity == "error" for p in result.problems)
    found = set()
    for problem, where in zip(result.problems, result.locations, strict=True):
        assert problem.path == f"{where.sheet}!{where.column}{where.row}"
        spot = (where.sheet, where.row, where.column)
        field = next(f for s, r, c, f, _ in expected if (ZH[s], r, c) == spot)
        assert field in problem.message or (field == "id" and "used twice" in problem.message)
        found.add((where.sheet, where.row, where.column, field, problem.id))
    expected = {(ZH[s], r, c, f, i) for s, r, c, f, i in expected}
    assert found == expected
    assert not result.ok and result.scenario is None
    assert result.raw is not None and result.raw["needs"][7]["household"] == "13812345678"
    level = next(p for p in result.problems if p.path.endswith(f"{_letter('needs', 'level')}4"))
    assert str(level) == "需求清单!F4 (N00002): level must be at most 3, not 4 [等级]"
    duplicate = next(p for p in result.problems if "used twice" in p.message)
    assert "需求清单!A3" in duplicate.message and "$." not in duplicate.message


def test_big_numbers_stored_as_numbers_keep_every_digit(tmp_path: Path) -> None:
    """A household typed as the number 13812345678 is refused without printing it, and the raw
    scenario holds all its digits (not 1.38e10); an 18-digit ID-card number that Excel stored
    as a float is refused too; an id of more than 15 digits stored as a number is reported
    as rounded; one in scientific notation in a CSV file as lost."""
    path = tmp_path / "tiny.xlsx"
    export_scenario_xlsx(contract_dict(), path)
    household, identity = _letter("needs", "household"), _letter("needs", "id")

    def numbers(book: openpyxl.Workbook) -> None:
        needs = book[ZH["needs"]]
        needs[f"{household}3"] = 13812345678
        needs[f"{household}4"] = 1.10105199001011e17
        needs[f"{identity}5"] = 1234567890123456.0

    _edit(path, numbers)
    result = import_scenario(path)
    assert [str(p.path) for p in result.problems] == [
        f"需求清单!{household}3",
        f"需求清单!{household}4",
        f"需求清单!{identity}5",
    ]
    assert result.raw is not None
    assert result.raw["needs"][0]["household"] == "13812345678"
    for problem in result.problems[:2]:
        assert "pseudonymous" in problem.message
        assert "1381234" not in problem.message and "e+" not in problem.message
    assert "15 digits" in result.problems[2].message

    folder = tmp_path / "csv"
    export_scenario_csv(contract_dict(), folder)
    lines = (folder / "needs.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("H-V1-001", "1.38123E+10")
    (folder / "needs.csv").write_text("\n".join(lines), encoding="utf-8-sig")
    (problem,) = import_scenario(folder).problems
    assert problem.path == f"needs.csv!{household}3" and "scientific notation" in problem.message


def test_settings_are_located_at_their_value_cells(tmp_path: Path) -> None:
    """A misspelt policy key is reported at its row with a suggestion, a bad value at its value
    cell, and a setting given twice at its second row."""
    path = tmp_path / "tiny.xlsx"
    export_scenario_xlsx(contract_dict(), path)

    def settings(book: openpyxl.Workbook) -> None:
        policy = book[ZH["policy"]]
        policy.append(["visit_hour", 3])
        policy.append(["min_cadres_per_village", 1])
        policy["B5"] = -1  # visit_hours, the third setting
        book[ZH["scenario"]]["B6"] = "next month"  # horizon.days

    _edit(path, settings)
    result = import_scenario(path)
    messages = {str(p.path): p.message for p in result.problems}
    first, second = f"政策参数!B{3 + len(POLICY_KEYS)}", f"政策参数!B{4 + len(POLICY_KEYS)}"
    assert set(messages) == {"基本信息!B6", "政策参数!B5", first, second}
    assert "whole number" in messages["基本信息!B6"]
    assert "visit_hours" in messages["政策参数!B5"] and "at least 0" in messages["政策参数!B5"]
    assert 'did you mean "visit_hours"' in messages[first]
    assert "twice" in messages[second]


def test_a_file_that_is_not_a_workbook_is_one_problem(tmp_path: Path) -> None:
    """A damaged .xlsx, an old .xls, a missing path and a lone CSV file are each reported as one
    problem at ``workbook``, never a traceback."""
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip file")
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    (tmp_path / "needs.csv").write_text("id\n", encoding="utf-8")
    for name in ("broken.xlsx", "old.xls", "missing.xlsx", "needs.csv"):
        result = import_scenario(tmp_path / name)
        assert result.raw is None
        assert [p.path for p in result.problems] == ["workbook"], name


# ----------------------------------------------------------------------------- cells

_TEXT = Column("id", "编号")
_LIST = Column("towns", "服务乡镇", Kind.LIST, nullable=True)
_SKILLS = next(c for c in BY_NAME["cadres"].columns if c.field == "skills")
_CATEGORY = next(c for c in BY_NAME["needs"].columns if c.field == "category")


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        (Column("a", "a", Kind.BOOL), "是", True),
        (Column("a", "a", Kind.BOOL), "No", False),
        (Column("a", "a", Kind.BOOL), 1, True),
        (Column("a", "a", Kind.INT), "1,200", 1200),
        (Column("a", "a", Kind.INT), "１２", 12),
        (Column("a", "a", Kind.INT), 3.0, 3),
        (Column("a", "a", Kind.FLOAT), "4.5", 4.5),
        (Column("a", "a", Kind.DATE), "2026/12/1", "2026-12-01"),
        (Column("a", "a", Kind.DATE), "2026年12月1日", "2026-12-01"),
        (_LIST, "T1；T2、T3, T4", ["T1", "T2", "T3", "T4"]),
        (_LIST, "[]", []),
        (_SKILLS, "agri_tech：3；医疗卫生:2", {"agri_tech": 3, "medical": 2}),
        (_SKILLS, "[]", {}),
        (_CATEGORY, "儿童关爱", "child_care"),
        (_TEXT, 7, "7"),
        (_TEXT, '""', ""),
    ],
)
def test_a_cell_is_read_by_its_column_kind(column: Column, cell: object, value: object) -> None:
    """Cells in the forms planners type are read as the scenario's values."""
    assert read_cell(column, cell) == value


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        (Column("a", "a", Kind.INT), "12.5"),
        (Column("a", "a", Kind.FLOAT), "nan"),
        (Column("a", "a", Kind.BOOL), "maybe"),
        (Column("a", "a", Kind.DATE), 46357),
        (_SKILLS, "agri_tech"),
        (_SKILLS, "agri_tech:3; agri_tech:2"),
        (_LIST, "[1, 2]"),
    ],
)
def test_a_cell_that_does_not_fit_its_kind_is_an_error(column: Column, cell: object) -> None:
    """A cell that cannot be read is an error naming the field, not a guess."""
    error = read_cell(column, cell)
    assert isinstance(error, CellError) and column.field in error.message


@pytest.mark.parametrize("csv_form", [False, True])
def test_every_written_cell_reads_back_as_its_value(csv_form: bool) -> None:
    """format_cell then read_cell is the identity on the values a scenario can hold (text
    that looks like notation or a formula included)."""
    cases: list[tuple[Column, object]] = [
        (_TEXT, text) for text in ("", " x", "=1+1", '"q"', "[]", "1E+5", "-3", "@a", "007")
    ] + [
        (_LIST, ["a;b", " c"]),
        (_LIST, []),
        (_LIST, ["[x"]),
        (_CATEGORY, "儿童关爱"),
        (Column("a", "a", Kind.FLOAT), 0.1 + 0.2),
        (Column("a", "a", Kind.INT), 10**18 + 1),
        (Column("a", "a", Kind.JSON), {"1": 1.5}),
    ]
    for column, value in cases:
        written = format_cell(column, value, csv=csv_form)
        if csv_form and isinstance(written, str):
            assert written[:1] not in ("=", "+", "-", "@"), value
        cell: object = written
        if csv_form and written is not None:  # a CSV cell is text
            cell = repr(written) if isinstance(written, float) else str(written)
        assert read_cell(column, cell) == value, (value, written)


def test_export_of_an_invalid_dict_is_refused(tmp_path: Path) -> None:
    """Exporting a dict validates it first: an invalid scenario is not written."""
    data = copy.deepcopy(contract_dict())
    data["needs"][0]["level"] = 9
    with pytest.raises(ScenarioInvalid, match="level"):
        export_scenario_xlsx(data, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()
