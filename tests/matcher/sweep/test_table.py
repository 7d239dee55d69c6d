"""The CSV: a stable superset of columns, row by row on disk, resumable after a crash."""

from __future__ import annotations

from pathlib import Path

from matcher.sweep import SweepTable

from .conftest import read_rows


def test_new_columns_widen_the_header(tmp_path: Path) -> None:
    """An error row first, then a full row: the file is rewritten with every column, in the
    identity-first order, and the error row's missing cells are empty."""
    path = tmp_path / "t.csv"
    table = SweepTable(path)
    table.append({"scenario": "a", "policy": "p", "status": "error", "error": "X: boom"})
    table.append(
        {
            "scenario": "b",
            "policy": "p",
            "status": "feasible",
            "objective": 1.5,
            "kpi.z": 2,
            "kpi.a": None,
            "error": "",
        }
    )
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header == "scenario,policy,status,objective,kpi.a,kpi.z,error"
    rows = read_rows(path)
    assert rows[0]["kpi.z"] == "" and rows[0]["error"] == "X: boom"
    assert rows[1]["objective"] == "1.5" and rows[1]["kpi.a"] == ""
    table.append({"scenario": "c", "policy": "p", "objective": 0.1 + 0.2, "error": ""})
    assert read_rows(path)[2]["objective"] == repr(0.1 + 0.2)  # floats round-trip


def test_keys_and_a_torn_last_line(tmp_path: Path) -> None:
    """A half-written last line (a crash while appending) is dropped on reading."""
    path = tmp_path / "t.csv"
    path.write_text("scenario,policy,error\na,p,\nb,p,X: boom\nc,p", encoding="utf-8")
    table = SweepTable(path)
    assert table.keys(failed=False) == {("a", "p")}
    assert table.keys(failed=True) == {("b", "p")}
    assert path.read_text(encoding="utf-8") == "scenario,policy,error\na,p,\nb,p,X: boom\n"
    assert table.drop({("b", "p")}) == 1
    assert [r["scenario"] for r in read_rows(path)] == ["a"]
