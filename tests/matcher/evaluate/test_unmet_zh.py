"""Unmet details in Chinese (issue 16): every open need's ``detail_zh`` names its village by
name with id, the English ``detail`` stays as plans have always carried it, a plan read
without ``detail_zh`` is written back without it, and plan.xlsx shows the Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl

from matcher.evaluate.evaluator import evaluate
from matcher.export import write_plan_xlsx
from matcher.plan import Plan, SolverInfo, Unmet, plan_to_json
from matcher.problem.index import ScenarioIndex
from matcher.scenario import Scenario
from tests.conftest import CONTRACT

CHINESE = re.compile(r"[\u4e00-\u9fff]")
EMPTY = Plan(solver=SolverInfo(name="none", status="feasible"))


def open_needs(raw: dict[str, Any], plan: Plan = EMPTY) -> dict[str, Unmet]:
    """need -> its unmet entry in ``plan`` (the empty plan by default)."""
    return {u.need: u for u in evaluate(Scenario.model_validate(raw), plan).unmet}


def test_every_open_need_names_its_village_in_chinese(tiny_raw: dict[str, Any]) -> None:
    """Each detail_zh is Chinese and names the need's village as 名称（编号）."""
    names = {v["id"]: v["name"] for v in tiny_raw["villages"]}
    unmet = open_needs(tiny_raw)
    assert unmet
    for u in unmet.values():
        assert u.detail_zh is not None and CHINESE.search(u.detail_zh), u
        assert u.village is not None
        assert f"{names[u.village]}（{u.village}）" in u.detail_zh, u


def test_the_english_detail_is_unchanged(tiny_raw: dict[str, Any]) -> None:
    """The English details of the empty plan, byte for byte as before."""
    unmet = open_needs(tiny_raw)
    assert unmet["N5"].detail == "medical level 2: only C4 holds it and C4 is unavailable"
    assert unmet["N6"].detail == (
        "hardship_relief for H-V1-017 by civil_affairs on 2026-11-20 and charity on 2026-11-25"
    )
    assert unmet["N7"].detail == "cost 7000 exceeds village V2's funding cap 5000"
    assert unmet["N1"].detail == (
        "a provider in reach has the hours and the pools can pay; "
        "the objective preferred other needs"
    )
    assert unmet["N7"].detail_zh == "费用 7000 元超过Xiling（V2）的资金上限 5000 元"


def test_categories_and_departments_read_in_chinese(tiny_raw: dict[str, Any]) -> None:
    """N6's aid records name the departments and the category by their Chinese labels."""
    detail = open_needs(tiny_raw)["N6"].detail_zh
    assert detail is not None
    assert "困难救助" in detail and "民政局（2026-11-20）" in detail
    assert "hardship_relief" not in detail and "civil_affairs" not in detail


def test_capacity_names_providers_by_name(tiny_raw: dict[str, Any]) -> None:
    """A named provider reads as 名称（编号） in the Chinese, by id alone in the English."""
    tiny_raw["cadres"][0]["hours"] = 2
    tiny_raw["cadres"][0]["name"] = "张三"
    found = open_needs(tiny_raw)["N1"]
    assert found.reason == "capacity_exhausted"
    assert "(C1)" in found.detail and "张三" not in found.detail
    assert found.detail_zh is not None and "张三（C1）" in found.detail_zh
    assert "农业技术" in found.detail_zh and "agri_tech" not in found.detail_zh


def test_merged_detail_matches_the_merge(tiny: Scenario) -> None:
    """The catalogue's English of a merged need is the merge's own detail."""
    index = ScenarioIndex.build(tiny)
    for merge in index.merged.values():
        for u in evaluate(index, EMPTY).unmet:
            if getattr(u, "merged_into", None) == merge.kept:
                assert u.detail == merge.detail


def test_a_plan_without_detail_zh_is_written_back_without_it(tiny_plan: Plan) -> None:
    """The contract's plan carries no detail_zh: its JSON round trip adds none."""
    raw = json.loads((CONTRACT / "tiny-plan.json").read_text(encoding="utf-8"))
    assert raw["unmet"] and all("detail_zh" not in u for u in raw["unmet"])
    text = plan_to_json(tiny_plan)
    written = json.loads(text)
    assert all("detail_zh" not in u for u in written["unmet"])
    assert [u["detail"] for u in written["unmet"]] == [u["detail"] for u in raw["unmet"]]
    assert plan_to_json(Plan.model_validate(written)) == text


def test_a_plan_with_detail_zh_keeps_it(tiny: Scenario) -> None:
    """The engine's plan writes detail_zh, and reads it back."""
    plan = EMPTY.model_copy(update={"unmet": list(evaluate(tiny, EMPTY).unmet)})
    written = json.loads(plan_to_json(plan))
    assert all(u["detail_zh"] for u in written["unmet"])
    assert Plan.model_validate(written).unmet == plan.unmet


def test_the_workbook_shows_the_chinese_detail(tiny: Scenario, tmp_path: Path) -> None:
    """说明 holds the Chinese, 说明（英文） the English; a plan without detail_zh shows its
    English in 说明."""
    unmet = list(evaluate(tiny, EMPTY).unmet)
    plan = EMPTY.model_copy(update={"unmet": unmet})
    path = tmp_path / "plan.xlsx"
    write_plan_xlsx(plan, path)
    rows = list(openpyxl.load_workbook(path)["unmet"].iter_rows(values_only=True))
    header_zh, header_en = rows[0], rows[1]
    zh_col, en_col = header_en.index("detail"), header_en.index("detail_en")
    assert header_zh[zh_col] == "说明" and header_zh[en_col] == "说明（英文）"
    by_need = {row[0]: row for row in rows[2:] if row[0]}
    for u in unmet:
        assert by_need[u.need][zh_col] == u.detail_zh
        assert by_need[u.need][en_col] == u.detail
    old = EMPTY.model_copy(update={"unmet": [Unmet(need="N1", reason="not_chosen", detail="x")]})
    write_plan_xlsx(old, path)
    row = next(openpyxl.load_workbook(path)["unmet"].iter_rows(min_row=3, values_only=True))
    assert row[zh_col] == "x" and row[en_col] == "x"
