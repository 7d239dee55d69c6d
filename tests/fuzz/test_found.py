"""Bugs the fuzzer found, each as a minimal reproduction.

Each test states the contract of issue 15 — a located refusal or a clean plan, never an
exception, and in bounded time — for one input that broke it. Those still open are marked
strict xfail: when the library is fixed the test passes, strict xfail turns that into a failure
(XPASS), and the marker goes, together with the bug's entry in :func:`tests.fuzz.known_bug`
(which keeps the fuzz tests and the campaign from reporting it again meanwhile). Those without
a marker were fixed after they were found and stay as regression tests.
"""

from __future__ import annotations

import copy
import csv
import io
import signal
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import openpyxl
import pytest

from matcher.intake.issues import ScenarioInvalid
from matcher.intake.loading import load_scenario, parse_scenario
from matcher.run import solve_scenario
from matcher.workbook import export_scenario_csv, export_scenario_xlsx, import_scenario
from tests.conftest import contract_dict


def _pin_beyond_the_village_cap(data: dict[str, Any]) -> None:
    data["needs"][6]["pinned_provider"] = "C1"  # N7: 7,000 yuan in V2, whose cap is 5,000


def _pin_beyond_the_pools(data: dict[str, Any]) -> None:
    data["needs"][0]["pinned_provider"] = "C1"  # N1: agri_tech in V1 (east): only P-agri pays,
    data["needs"][0]["cost"] = 20_000  # at most 4,000 a need


def _pin_beyond_the_providers_hours(data: dict[str, Any]) -> None:
    data["needs"][0]["pinned_provider"] = "C1"  # C1 has 24 hours
    data["needs"][0]["hours"] = 30


def _two_pins_beyond_the_providers_hours(data: dict[str, Any]) -> None:
    for index in (0, 6):  # N1 in V1 and N7 in V2, 15 hours each plus travel, on C1's 24
        data["needs"][index].update(pinned_provider="C1", hours=15, cost=0)


@pytest.mark.parametrize(
    "change",
    [
        _pin_beyond_the_village_cap,
        _pin_beyond_the_pools,
        _pin_beyond_the_providers_hours,
        _two_pins_beyond_the_providers_hours,
    ],
)
def test_a_pin_that_no_plan_can_keep_is_refused(change: Callable[[dict[str, Any]], None]) -> None:
    data = copy.deepcopy(contract_dict())
    change(data)
    try:
        loaded = parse_scenario(data)
    except ScenarioInvalid as invalid:
        assert any(".pinned_provider" in p.path for p in invalid.errors)
        return
    plan = solve_scenario(loaded.scenario, solver="greedy", time_limit=1.0).plan
    assert plan.violations == []
    assert plan.solver.status in ("optimal", "feasible", "stopped")


@pytest.mark.parametrize("text", ["x: &a [*a]\n", "x: &b {y: *b}\n"])
def test_recursive_yaml_alias_is_refused(text: str, tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text("schema_version: 1\n" + text, encoding="utf-8")
    with pytest.raises(ScenarioInvalid):
        load_scenario(path)


class _Overran(Exception):
    pass


@contextmanager
def _at_most(seconds: float) -> Iterator[None]:
    def overran(signum: int, frame: FrameType | None) -> None:
        raise _Overran(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, overran)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_nested_yaml_aliases_are_refused_in_bounded_time(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = tmp_path / "bomb.yaml"
    path.write_text("schema_version: 1\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with _at_most(3.0), pytest.raises(ScenarioInvalid):
        load_scenario(path)


def test_a_csv_field_beyond_the_csv_limit_is_a_located_problem(tmp_path: Path) -> None:
    """Found by the campaign (seed 0, input #1096): csv.reader's default
    field_size_limit is 131,072 characters, and a longer field raised _csv.Error out of
    import_scenario. Fixed by the bounded CSV reading of matcher/workbook/limits.py."""
    folder = tmp_path / "county"
    export_scenario_csv(contract_dict(), folder)
    needs = folder / "needs.csv"
    lines = needs.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace("N1", "N" + "x" * 131_072, 1)
    needs.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_scenario(folder)
    assert result.scenario is None and result.errors
    assert any(str(where).startswith("needs.csv") for where in result.locations)


def test_a_damaged_sheet_in_a_sound_zip_is_a_problem(tmp_path: Path) -> None:
    """Found by the campaign (seed 0, input #11597): in read-only mode openpyxl parses a
    sheet while its rows are iterated, outside read_workbook's guard around load_workbook, so
    a sheet's XML cut short raised xml.etree.ElementTree.ParseError out of import_scenario.
    Fixed by the guarded reading of matcher/workbook/reading.py and limits.py."""
    sound, damaged = tmp_path / "sound.xlsx", tmp_path / "damaged.xlsx"
    export_scenario_xlsx(contract_dict(), sound)
    with zipfile.ZipFile(sound) as source, zipfile.ZipFile(damaged, "w") as target:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename == "xl/worksheets/sheet9.xml":  # needs
                data = data[: len(data) // 2]
            target.writestr(entry, data)
    result = import_scenario(damaged)
    assert result.scenario is None and result.errors


def _set_cell(path: Path, sheet: str, field: str, value: str) -> None:
    """Set ``field`` of the first item of ``sheet`` (or the setting ``field`` of the policy
    sheet) in an exported workbook (.xlsx) or CSV folder."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        rows = [list(row) for row in book[sheet].iter_rows()]
        if sheet == "policy":
            next(row for row in rows if row[0].value == field)[1].value = value
        else:
            rows[2][[c.value for c in rows[0]].index(field)].value = value  # English: row 1
        book.save(path)
        return
    file = path / f"{sheet}.csv"
    table = list(csv.reader(io.StringIO(file.read_text(encoding="utf-8-sig"))))
    if sheet == "policy":
        next(row for row in table if row and row[0] == field)[1] = value
    else:
        table[2][table[1].index(field)] = value
    with file.open("w", encoding="utf-8", newline="") as target:
        csv.writer(target).writerows(table)


NESTED = "[" * 3000 + "]" * 3000  # 6,000 characters; Excel holds 32,767 in a cell


@pytest.mark.parametrize("form", [".xlsx", ""], ids=["xlsx", "csv"])
@pytest.mark.parametrize(
    ("sheet", "field", "value"),
    [
        ("needs", "level", "9" * 4301),
        ("cadres", "skills", "agri_tech:" + "9" * 4301),
        ("cadres", "skills", '{"agri_tech": ' + NESTED + "}"),
        ("policy", "priority_weights", '{"1": ' + NESTED + "}"),
        ("policy", "priority_weights", '{"1": ' + "9" * 5000 + "}"),
    ],
    ids=["int-digits", "skill-digits", "skills-nested", "json-nested", "json-digits"],
)
def test_a_cell_beyond_pythons_limits_is_a_located_problem(
    sheet: str, field: str, value: str, form: str, tmp_path: Path
) -> None:
    path = tmp_path / f"county{form}"
    if form:
        export_scenario_xlsx(contract_dict(), path, lang="en")  # sheets titled like the lists
    else:
        export_scenario_csv(contract_dict(), path)
    _set_cell(path, sheet, field, value)
    result = import_scenario(path)
    assert result.scenario is None
    assert any(str(where).startswith(sheet) for where in result.locations)
