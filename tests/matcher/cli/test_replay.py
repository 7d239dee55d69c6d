"""``matcher generate --arrivals``, ``matcher replay`` and ``matcher service-kpis`` end to end
on a tiny county."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from matcher.cli import app
from matcher.generator.arrivals import generate_arrivals

runner = CliRunner()


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny county generated and replayed under first-come and daily; the folder."""
    folder = tmp_path_factory.mktemp("replay")
    arrivals = folder / "county.json"
    made = runner.invoke(
        app,
        [
            *("generate", "--arrivals", "--villages", "6", "--needs", "60", "--seed", "2"),
            *("--out", str(arrivals)),
        ],
    )
    assert made.exit_code == 0, made.output
    result = runner.invoke(
        app,
        [
            *("replay", str(arrivals), "--policy", "first-come", "--policy", "daily"),
            *("--time-limit-per-day", "0.5", "--seed", "1", "--lang", "en"),
            *("--out", str(folder / "r.csv"), "--register-out", str(folder / "registers")),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Operating policies compared: county" in result.output
    assert "daily re-plan" in result.output
    return folder


def test_generate_arrivals_writes_the_generator_file(replayed: Path) -> None:
    """The CLI writes exactly what :func:`generate_arrivals` returns for its options."""
    written = json.loads((replayed / "county.json").read_text(encoding="utf-8"))
    assert written == json.loads(json.dumps(generate_arrivals(6, 60, seed=2)))


def test_replay_writes_one_row_per_policy_and_each_register(replayed: Path) -> None:
    """One CSV row per policy of the county, and both register files."""
    with (replayed / "r.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["policy"] for r in rows] == ["first-come", "daily"]
    assert all(r["county"] == "county" and r["received"] == "60" for r in rows)
    for policy in ("first-come", "daily"):
        assert (replayed / "registers" / f"county.{policy}.register.json").exists()


def test_service_kpis_prints_the_replays_figures(replayed: Path) -> None:
    """`matcher service-kpis --json` on an exported register gives the replay's figures; the
    tables show them with Chinese labels."""
    with (replayed / "r.csv").open(encoding="utf-8") as handle:
        rows = {r["policy"]: r for r in csv.DictReader(handle)}
    for policy, row in rows.items():
        path = replayed / "registers" / f"county.{policy}.register.json"
        result = runner.invoke(app, ["service-kpis", str(path), "--json"])
        assert result.exit_code == 0, result.output
        kpis = json.loads(result.output)
        assert kpis["all"]["received"] == int(row["received"])
        assert kpis["all"]["resolved"] == int(row["resolved"])
        assert kpis["publishes"] == int(row["publishes"])
        for key in ("on_time_share", "resolution_rate"):
            assert kpis["all"][key] == pytest.approx(float(row[key]))
    path = replayed / "registers" / "county.daily.register.json"
    table = runner.invoke(app, ["service-kpis", str(path), "--lang", "zh"])
    assert table.exit_code == 0, table.output
    share = float(rows["daily"]["on_time_share"])
    assert "按时响应率" in table.output and f"{100 * share:.1f}%" in table.output
    assert "分类别" in table.output
    narrow = runner.invoke(app, ["service-kpis", str(path), "--json", "--from", "2026-12-20"])
    assert json.loads(narrow.output)["all"]["received"] < int(rows["daily"]["received"])


def test_bad_input_is_refused_without_a_traceback(replayed: Path) -> None:
    """An unknown policy exits 2; a file that is not an arrivals or register file exits 1."""
    arrivals = str(replayed / "county.json")
    bad = runner.invoke(app, ["replay", arrivals, "--policy", "fastest", "--lang", "en"])
    assert bad.exit_code == 2 and "unknown policy fastest" in bad.output
    wrong = runner.invoke(app, ["service-kpis", arrivals, "--lang", "en"])
    assert wrong.exit_code == 1 and "not a readable register file" in wrong.output
    date = runner.invoke(app, ["service-kpis", arrivals, "--from", "12/20", "--lang", "en"])
    assert date.exit_code == 2
