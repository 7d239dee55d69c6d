"""`matcher validate` prints a scenario's problems in the language asked (``--lang``, else
MATCHER_LANG, the locale, Chinese)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from tests.conftest import contract_dict

runner = CliRunner()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """The tiny county with an unknown town, a missing field and a duplicate id."""
    raw = contract_dict()
    raw["villages"][0]["town"] = "T9"
    del raw["needs"][7]["hours"]
    raw["needs"][5]["id"] = raw["needs"][6]["id"]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_validate_lists_the_problems_in_chinese(broken: Path) -> None:
    result = runner.invoke(app, ["validate", str(broken), "--lang", "zh"])
    assert result.exit_code == 1
    assert '错误 $.villages[0].town (V1)：乡镇 "T9" 不是已知的地点' in result.output
    assert "错误 $.needs[7].hours (N8)：缺少必填字段 hours" in result.output
    assert "需求编号 " in result.output and "重复使用" in result.output
    assert "个问题，未求解。" in result.output
    assert "is not a known place" not in result.output


def test_validate_lists_the_problems_in_english_as_before(broken: Path) -> None:
    result = runner.invoke(app, ["validate", str(broken), "--lang", "en"])
    assert result.exit_code == 1
    assert 'error $.villages[0].town (V1): town "T9" is not a known place' in result.output
    assert "error $.needs[7].hours (N8): required field hours is missing" in result.output
    assert "乡镇" not in result.output


def test_without_lang_the_setting_chooses(broken: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCHER_LANG", "zh")
    assert "缺少必填字段 hours" in runner.invoke(app, ["validate", str(broken)]).output
    monkeypatch.setenv("MATCHER_LANG", "en")
    assert "required field hours" in runner.invoke(app, ["validate", str(broken)]).output
