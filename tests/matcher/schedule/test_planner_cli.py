"""The command line of DESIGN §9: ``generate --schedule`` and ``solve --calendar cn``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from matcher.cli import app
from matcher.generator import generate_scenario
from matcher.plan import read_plan

runner = CliRunner()


def test_generate_schedule_writes_a_scheduled_county(tmp_path: Path) -> None:
    out = tmp_path / "county.json"
    result = runner.invoke(
        app, ["generate", "--villages", "5", "--needs", "40", "--schedule", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["policy"] == {"schedule": True}


def test_calendar_cn_fills_the_official_days_before_solving(tmp_path: Path) -> None:
    """October 2026 with --calendar cn: no route on the National Day holidays, and the
    make-up Saturday 10 October is a working day."""
    county = tmp_path / "october.json"
    data = generate_scenario(8, 120, seed=2, start="2026-10-01", schedule=True)
    data["horizon"] = {"start": "2026-10-01", "days": 31}  # as typed: no holidays
    county.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    plan_path = tmp_path / "plan.json"
    result = runner.invoke(
        app,
        [
            "solve",
            str(county),
            "--calendar",
            "cn",
            "--solver",
            "greedy",
            "--quiet",
            "--no-fixes",
            "--out",
            str(plan_path),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "added 5 official holidays and 1 make-up working days" in result.output
    dates = {r.date for r in read_plan(plan_path).schedule or []}
    assert dates and not dates & {"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06"}
    # Checked against the same official days, the plan keeps every rule; against the file as
    # typed, a route on the make-up Saturday is on no working day.
    checked = runner.invoke(
        app, ["check", str(county), str(plan_path), "--calendar", "cn", "--lang", "en"]
    )
    assert checked.exit_code == 0, checked.output
    assert "0 violation(s)" in checked.output
    if "2026-10-10" in dates:
        typed = runner.invoke(app, ["check", str(county), str(plan_path), "--lang", "en"])
        assert typed.exit_code == 1 and "H10" in typed.output


def test_calendar_cn_warns_of_years_without_make_up_days(tmp_path: Path) -> None:
    county = tmp_path / "january.json"
    data = generate_scenario(5, 40, seed=2, start="2027-01-01", schedule=True)
    county.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "solve",
            str(county),
            "--calendar",
            "cn",
            "--solver",
            "greedy",
            "--quiet",
            "--no-fixes",
            "--out",
            str(tmp_path / "plan.json"),
            "--lang",
            "zh",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "2027 年的调休上班日尚未收录" in result.output


def test_calendar_takes_cn_only(tmp_path: Path) -> None:
    result = runner.invoke(app, ["solve", "x.json", "--calendar", "us", "--lang", "en"])
    assert result.exit_code == 2
    assert "--calendar takes cn only, not us" in result.output
