"""Uploads within bounds (issue 15): hostile workbooks and CSV folders, built on the fly from
the template, each refused with a located problem and never a traceback, in little memory."""

from __future__ import annotations

import re
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from matcher.intake.issues import Issue, Severity
from matcher.scenario import Scenario
from matcher.workbook import ImportResult, Location, import_scenario, sheets, write_template
from matcher.workbook.columns import POLICY_KEYS
from matcher.workbook.limits import (
    MAX_NODE_MARKUP,
    MAX_TEXT_RUN,
    GuardedZip,
    UploadLimits,
    UploadRefused,
)
from matcher.workbook.results import WORKBOOK, Problems
from matcher.workbook.writing import EXAMPLE

SHARED = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MB = 1024 * 1024
# Rows of the needs sheet after the template's two header rows and its example row.
FIRST = 4


# ----------------------------------------------------------------------------- builders


def _template(tmp_path: Path) -> dict[str, bytes]:
    """The parts of the template workbook (its English form: sheets titled like the lists,
    so that problems are located at ``needs!F4``), by name."""
    path = tmp_path / "template.xlsx"
    write_template(path, lang="en")
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _write(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _sheet_part(parts: dict[str, bytes], title: str) -> str:
    """The part holding the sheet ``title``, as the workbook and its relationships say."""
    book = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet name="{title}"[^>]*r:id="(\w+)"', book)
    assert rid is not None
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    target = re.search(rf'Target="/?([^"]+)" Id="{rid[1]}"', rels)
    assert target is not None
    return target[1]


def _with_rows(parts: dict[str, bytes], rows: bytes, title: str = "needs") -> dict[str, bytes]:
    """The parts with ``rows`` (XML) added at the end of the sheet ``title``."""
    name = _sheet_part(parts, title)
    sheet = parts[name]
    assert b"</sheetData>" in sheet
    return {**parts, name: sheet.replace(b"</sheetData>", rows + b"</sheetData>")}


def _text(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _needs(count: int, cell: Callable[[int], str] = lambda n: _text(f"F{n}", "x")) -> bytes:
    """``count`` rows of needs from row :data:`FIRST`, each with an id and ``cell`` (by
    default a level "x", one error each)."""
    rows = (
        f'<row r="{n}">{_text(f"A{n}", f"N{n}")}{cell(n)}</row>'
        for n in range(FIRST, FIRST + count)
    )
    return "".join(rows).encode()


def _declare(path: Path, name: str, size: int) -> None:
    """Make the central directory state ``size`` uncompressed bytes for the part ``name``
    (the local header too): a zip whose declared sizes lie."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    at = int.from_bytes(data[end + 16 : end + 20], "little")
    while data[at : at + 4] == b"PK\x01\x02":
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        extra = int.from_bytes(data[at + 30 : at + 32], "little")
        comment = int.from_bytes(data[at + 32 : at + 34], "little")
        if data[at + 46 : at + 46 + length] == name.encode():
            data[at + 24 : at + 28] = size.to_bytes(4, "little")
            local = int.from_bytes(data[at + 42 : at + 46], "little")
            data[local + 22 : local + 26] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return
        at += 46 + length + extra + comment
    raise AssertionError(f"{name} is not in {path}")


def _import(path: Path, limits: UploadLimits | None = None) -> tuple[ImportResult, float]:
    """The import of ``path`` and its peak traced memory in MiB."""
    tracemalloc.start()
    try:
        result = import_scenario(path, limits=limits or UploadLimits())
        peak = tracemalloc.get_traced_memory()[1] / MB
    finally:
        tracemalloc.stop()
    return result, peak


def _refused(result: ImportResult, where: Location, *words: str) -> None:
    """The import was refused: no raw scenario, the first problem an error at ``where``
    saying ``words``."""
    assert result.raw is None
    assert result.scenario is None and not result.ok
    assert result.locations[0] == where, result.problems[:3]
    first = result.problems[0]
    assert first.severity == "error"
    assert first.path == str(where)
    for word in words:
        assert word in first.message, first.message


# ----------------------------------------------------------------------------- the zip


def test_a_normal_workbook_imports_exactly_as_before(tmp_path: Path) -> None:
    """The template and a copy rebuilt part by part import as a valid scenario with no
    problem, with the default limits: the bounds change nothing for a real workbook."""
    parts = _template(tmp_path)
    for path in (tmp_path / "template.xlsx", _write(tmp_path / "copy.xlsx", parts)):
        result = import_scenario(path)
        assert result.problems == ()
        assert result.scenario == Scenario.model_validate(EXAMPLE)


def test_a_huge_declared_size_is_refused_before_anything_is_inflated(tmp_path: Path) -> None:
    """A part stating 3 GB uncompressed: refused from the central directory alone."""
    path = _write(tmp_path / "huge.xlsx", _template(tmp_path))
    _declare(path, "xl/styles.xml", 3 * 1024**3)
    result, peak = _import(path)
    _refused(result, WORKBOOK, "huge.xlsx states 3.0 GB uncompressed", "256.0 MB")
    assert len(result.problems) == 1
    assert peak < 16


def test_one_part_over_its_limit_and_a_zip_bomb_ratio_are_refused(tmp_path: Path) -> None:
    """A 3 MiB part (over a 2 MiB limit per part), and the same part compressed 3,000 times
    (a zip bomb's ratio, under the default limit of 128 MB per part)."""
    parts = _template(tmp_path)
    rows = b'<row r="4"><c r="A4"><v>1</v></c></row>' + b" " * (3 * MB)
    path = _write(tmp_path / "big.xlsx", _with_rows(parts, rows))
    result, _ = _import(path, UploadLimits(max_part_mb=2))
    _refused(result, WORKBOOK, "xl/worksheets/sheet9.xml", "states 3.0 MB", "2.0 MB per part")
    result, peak = _import(path)
    _refused(result, WORKBOOK, "sheet9.xml", "inflates", "times", "zip bomb")
    assert peak < 16


def test_a_part_that_inflates_past_its_stated_size_is_cut_there(tmp_path: Path) -> None:
    """A part of 8 MiB of whitespace that states 1 KB: what is inflated is never more than
    stated (and the zip's CRC check fails), so it is one problem at the workbook."""
    parts = _template(tmp_path)
    sheet = _sheet_part(parts, "needs")
    path = _write(tmp_path / "liar.xlsx", _with_rows(parts, b" " * (8 * MB)))
    _declare(path, sheet, 1000)
    result, peak = _import(path)
    assert result.raw is None
    assert [w.sheet for w in result.locations][:1] in (["workbook"], ["needs"])
    assert result.problems[0].severity == "error"
    assert peak < 16


def test_every_part_is_counted_as_inflated_whatever_it_states(tmp_path: Path) -> None:
    """The guarded zip counts the bytes openpyxl actually reads from a part, by chunks and
    whole, and refuses past the limit: declared sizes are never trusted alone."""
    path = _write(tmp_path / "parts.xlsx", {"a.xml": b"<a>" + b"<row/>" * 300_000 + b"</a>"})
    archive = GuardedZip(path, UploadLimits(max_part_mb=1, max_ratio=10_000))
    refused = pytest.raises(UploadRefused, match=r"a\.xml inflates to more than 1\.0 MB")
    with archive, archive.open("a.xml") as stream, refused:
        while stream.read(16_384):
            pass
    archive = GuardedZip(path, UploadLimits(max_whole_part_mb=1, max_ratio=10_000))
    with archive, pytest.raises(UploadRefused, match="is read whole and inflates"):
        archive.read("a.xml")


@pytest.mark.parametrize("chunk", [16_384, 64 * MB])
@pytest.mark.parametrize("prefix", ["", "x:"])
def test_tags_are_counted_per_row_whatever_the_reads(
    tmp_path: Path, chunk: int, prefix: str
) -> None:
    """Many small rows pass and one huge row is refused, whether the XML parser reads the
    part in small chunks or at once, with or without a namespace prefix."""
    cell = f"<{prefix}c><{prefix}v>1</{prefix}v></{prefix}c>"
    small = "".join(f'<{prefix}row r="{n}">{cell * 10}</{prefix}row>' for n in range(30_000))
    huge = f'<{prefix}row r="1">{cell * (MAX_NODE_MARKUP // 2)}</{prefix}row>'
    parts = {"small.xml": f"<ws>{small}</ws>".encode(), "huge.xml": f"<ws>{huge}</ws>".encode()}
    path = _write(tmp_path / "tags.xlsx", parts)
    with GuardedZip(path, UploadLimits(max_ratio=10_000)) as archive:
        with archive.open("small.xml") as stream:
            while stream.read(chunk):
                pass
        with archive.open("huge.xml") as stream, pytest.raises(UploadRefused, match="XML tags"):
            while stream.read(chunk):
                pass


def test_too_many_entries_are_refused_before_the_directory_is_read(tmp_path: Path) -> None:
    """More zip entries than the limit: refused from the end record; with a limit above the
    stated count but below the real one (a lying end record), from the directory."""
    parts = _template(tmp_path)
    parts |= {f"xl/media/image{i}.png": b"" for i in range(40)}
    entries = len(parts)  # the template's 20 and the 40 images
    path = _write(tmp_path / "many.xlsx", parts)
    result, _ = _import(path, UploadLimits(max_entries=30))
    _refused(result, WORKBOOK, f"{entries} zip entries", "30 entries")
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    data[end + 8 : end + 12] = (10).to_bytes(2, "little") * 2  # states 10 entries
    path.write_bytes(bytes(data))
    result, _ = _import(path, UploadLimits(max_entries=50))
    _refused(result, WORKBOOK, f"many.xlsx holds {entries} parts", "50")


def test_a_compression_method_excel_does_not_use_is_refused(tmp_path: Path) -> None:
    """bzip2 and lzma inflate without a bound on each read; a workbook uses deflate."""
    path = tmp_path / "bz.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_BZIP2) as archive:
        for name, data in _template(tmp_path).items():
            archive.writestr(name, data)
    result, _ = _import(path)
    _refused(result, WORKBOOK, "compressed with method 12", "deflate")


def test_a_whitespace_run_and_a_huge_row_are_refused_while_streamed(tmp_path: Path) -> None:
    """A run of whitespace longer than any cell (ratio limit lifted so it is inflated), and a
    row of more tags than Excel writes: refused at the sheet, as it is read, before the XML
    parser holds them."""
    parts = _template(tmp_path)
    limits = UploadLimits(max_ratio=100_000)
    run = _write(tmp_path / "run.xlsx", _with_rows(parts, b" " * (MAX_TEXT_RUN + 10)))
    result, peak = _import(run, limits)
    _refused(result, Location("needs"), "sheet9.xml", "whitespace run of more than 1.0 MB")
    assert peak < 16
    cells = b"<c><v>1</v></c>" * (MAX_NODE_MARKUP // 2)
    row = _write(tmp_path / "row.xlsx", _with_rows(parts, b'<row r="4">' + cells + b"</row>"))
    result, peak = _import(row, limits)
    _refused(result, Location("needs"), "sheet9.xml", f"more than {MAX_NODE_MARKUP:,} XML tags")
    assert peak < 32


def _with_shared_strings(parts: dict[str, bytes], strings: list[str]) -> dict[str, bytes]:
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    table = f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">'
    types = parts["[Content_Types].xml"].replace(
        b"</Types>",
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED}" /></Types>'.encode(),
    )
    return {
        **parts,
        "[Content_Types].xml": types,
        "xl/sharedStrings.xml": f"{table}{items}</sst>".encode(),
    }


def test_shared_strings_are_read_and_bounded(tmp_path: Path) -> None:
    """A needs row whose cells are shared strings reads as usual; a shared-strings part over
    its limit is refused before openpyxl holds it in memory (a limit of 50 KB here)."""
    parts = _template(tmp_path)
    strings = ["N900", *(f"filler text {i}" for i in range(5_000))]
    row = b'<row r="4"><c r="A4" t="s"><v>0</v></c><c r="F4" t="s"><v>3</v></c></row>'
    path = _write(tmp_path / "shared.xlsx", _with_rows(_with_shared_strings(parts, strings), row))
    result, _ = _import(path)
    assert "needs!F4" in [p.path for p in result.problems]  # "filler text 2" is no level
    assert result.raw is not None and result.raw["needs"][1]["id"] == "N900"
    result, peak = _import(path, UploadLimits(max_shared_strings_mb=0.05))
    _refused(result, WORKBOOK, "shared strings xl/sharedStrings.xml", "limit of 51.2 KB")
    assert peak < 16


# ----------------------------------------------------------------------------- reading


def test_rows_past_the_limit_stop_the_read_at_that_row(tmp_path: Path) -> None:
    """A needs sheet of 47 rows with a limit of 20: refused at needs!21:21, where the read
    stopped, after the problems of the rows before it; blank rows past the limit (formatted
    cells far below) are skipped."""
    parts = _template(tmp_path)
    path = _write(tmp_path / "rows.xlsx", _with_rows(parts, _needs(44)))
    result, _ = _import(path, UploadLimits(max_rows=20))
    _refused(result, Location("needs", 21), "row 21", "limit of 20 rows per sheet")
    assert [str(w) for w in result.locations[1:]] == [f"needs!F{n}" for n in range(FIRST, 21)]
    blank = b'<row r="900"><c r="A900" s="1" /></row>'
    path = _write(tmp_path / "blank.xlsx", _with_rows(parts, blank))
    rows = 2 + len(POLICY_KEYS)  # the longest sheet of the template: a row per setting
    assert import_scenario(path, limits=UploadLimits(max_rows=rows)).problems == ()


def test_rows_of_all_sheets_together_are_bounded(tmp_path: Path) -> None:
    """Each row with values becomes an item in memory: their total is bounded too."""
    parts = _template(tmp_path)
    assert import_scenario(
        _write(tmp_path / "t.xlsx", parts), limits=UploadLimits(max_total_rows=100)
    ).ok
    path = _write(tmp_path / "rows.xlsx", _with_rows(parts, _needs(100)))
    result, _ = _import(path, UploadLimits(max_total_rows=100))
    _refused(result, result.locations[0], "more than 100 rows with values", "all sheets together")
    assert result.locations[0].sheet == "needs"


def test_cells_and_characters_past_the_limit_stop_the_read(tmp_path: Path) -> None:
    """Cells are counted up to the last value of each row, characters of every text read."""
    parts = _template(tmp_path)
    wide = _write(
        tmp_path / "wide.xlsx", _with_rows(parts, _needs(20, lambda n: _text(f"Z{n}", "x")))
    )
    result, _ = _import(wide, UploadLimits(max_cells=600))
    assert result.locations[0].sheet == "needs" and result.locations[0].row is not None
    _refused(result, result.locations[0], "more than 600 cells")
    long = _write(
        tmp_path / "long.xlsx", _with_rows(parts, _needs(20, lambda n: _text(f"C{n}", "h" * 500)))
    )
    result, _ = _import(long, UploadLimits(max_chars=5_000))
    _refused(result, result.locations[0], "more than 5,000 characters")
    assert result.locations[0].sheet == "needs"


def test_row_numbers_past_excel_s_last_row_are_refused(tmp_path: Path) -> None:
    """A row numbered beyond 1,048,576 cannot come from Excel: the blank rows before it are
    skipped quickly and the sheet is refused, not read for ever."""
    parts = _template(tmp_path)
    row = b'<row r="1100000"><c r="A1100000" s="1" /></row>'
    result = import_scenario(_write(tmp_path / "far.xlsx", _with_rows(parts, row)))  # ~1 s
    _refused(result, Location("needs"), "past row 1,048,576")


def test_a_damaged_sheet_is_one_problem_at_the_sheet(tmp_path: Path) -> None:
    """XML that breaks off inside the needs sheet, or a shared string that does not exist:
    a problem at the sheet, not a traceback."""
    parts = _template(tmp_path)
    broken = _write(tmp_path / "broken.xlsx", _with_rows(parts, b'<row r="4"><c r="A4"><v>1'))
    result, _ = _import(broken)
    _refused(result, Location("needs"), "damaged")
    missing = b'<row r="4"><c r="A4" t="s"><v>99</v></c></row>'
    shared = _with_rows(_with_shared_strings(parts, ["a"]), missing)
    result, _ = _import(_write(tmp_path / "missing.xlsx", shared))
    _refused(result, Location("needs"), "damaged", "IndexError")


def test_only_the_first_problems_are_listed_and_the_rest_counted(tmp_path: Path) -> None:
    """300 unreadable levels: the first 200 in the order of the file, then one problem
    counting the other 100; the checks of the whole (which would add one per missing field)
    wait until these are corrected."""
    parts = _template(tmp_path)
    path = _write(tmp_path / "wrong.xlsx", _with_rows(parts, _needs(300)))
    result, peak = _import(path)
    assert len(result.problems) == 201
    assert [str(w) for w in result.locations[:200]] == [
        f"needs!F{n}" for n in range(FIRST, FIRST + 200)
    ]
    last = result.problems[-1]
    assert result.locations[-1] == WORKBOOK and last.path == "workbook"
    assert last.severity == "error"
    assert last.message.startswith("… and 100 more problems (100 errors, 0 warnings)")
    assert "checked as a whole once these are corrected" in last.message
    assert result.raw is not None and len(result.raw["needs"]) == 301
    assert peak < 64


def _checked_rows(count: int) -> bytes:
    """Needs rows whose values read well but break the schema or the references: every
    second level is out of range, every third village unknown, every seventh id repeated."""

    def row(n: int) -> str:
        values = {
            "A": "N4" if n % 7 == 0 else f"N{n}",
            "B": f"VX{n}" if n % 3 == 0 else "V001",
            "D": "medical",
            "F": "9" if n % 2 == 0 else "1",
            "G": "1",
        }
        return f'<row r="{n}">' + "".join(_text(f"{c}{n}", v) for c, v in values.items()) + "</row>"

    return "".join(row(n) for n in range(FIRST, FIRST + count)).encode()


def test_the_checks_by_parts_find_what_the_whole_finds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More errors than are listed, found by the schema and the reference checks: checked
    part by part (here in views of a dozen items, ids repeated across them), the first 200
    problems and the count of the rest are those of the whole scenario's checks."""
    path = _write(tmp_path / "checked.xlsx", _with_rows(_template(tmp_path), _checked_rows(300)))
    whole = import_scenario(path, limits=UploadLimits(max_problems=100_000))
    assert 250 < len(whole.errors) < 1_000 and whole.raw is not None
    assert any("used twice" in p.message for p in whole.problems[200:])
    monkeypatch.setattr(sheets, "_VIEW_WEIGHT", 40)
    by_parts, _ = _import(path)
    assert by_parts.problems[:200] == whole.problems[:200]
    assert by_parts.locations[:200] == whole.locations[:200]
    more = len(whole.problems) - 200
    assert by_parts.problems[200].message.startswith(f"… and {more:,} more problems")
    assert len(by_parts.problems) == 201 and by_parts.scenario is None


def test_the_whole_is_not_checked_when_it_would_find_too_many_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A needs sheet without its village column: the reader says so once, and the schema's
    "required field village is missing" of each row is left out as said already. The whole
    check would still hold all of them in memory, so it does not run when they are more than
    are listed; the result is the reader's problem, as the whole would give."""
    parts = _template(tmp_path)
    name = _sheet_part(parts, "needs")
    sheet = parts[name].replace("<t>所属村</t>".encode(), b"<t>x</t>")
    sheet = sheet.replace(b"<t>village</t>", b"<t>y</t>")
    rows = "".join(
        f'<row r="{n}">{_text(f"A{n}", f"N{n}")}{_text(f"D{n}", "medical")}'
        f"{_text(f'G{n}', '1')}</row>"
        for n in range(FIRST, FIRST + 60)
    )
    path = _write(tmp_path / "missing.xlsx", _with_rows({**parts, name: sheet}, rows.encode()))
    whole = import_scenario(path)
    monkeypatch.setattr(sheets, "_VIEW_WEIGHT", 40)

    def unused(data: object) -> None:
        raise AssertionError("the whole scenario was checked")

    monkeypatch.setattr(sheets, "parse_scenario", unused)
    result = import_scenario(path, limits=UploadLimits(max_problems=50))
    assert [p for p in result.errors if "village" in p.message] == [
        p for p in whole.errors if "village" in p.message
    ]
    assert any("column village" in p.message for p in result.errors)


def test_list_entries_count_as_cells_and_a_cell_has_excel_s_length(tmp_path: Path) -> None:
    """``a;b;c`` is three values in memory, so three cells of the budget; a cell longer than
    Excel allows is refused at that cell."""
    parts = _template(tmp_path)
    tags = ";".join(["left_behind_child"] * 400)
    lists = _write(
        tmp_path / "lists.xlsx", _with_rows(parts, _needs(5, lambda n: _text(f"J{n}", tags)))
    )
    result, _ = _import(lists, UploadLimits(max_cells=1_500))
    _refused(result, result.locations[0], "more than 1,500 cells", "each entry of a list counted")
    assert result.locations[0].sheet == "needs"
    long = _write(
        tmp_path / "long.xlsx", _with_rows(parts, _needs(1, lambda n: _text(f"C{n}", "h" * 40_000)))
    )
    result, _ = _import(long)
    _refused(result, Location("needs", FIRST, "C"), "40,000 characters", "32,767")


def test_few_problems_are_all_listed_and_a_small_limit_counts_the_rest() -> None:
    """Problems are kept in the order of the file, whatever order they were found in."""
    problems = Problems(limit=3)
    for row in (9, 3, 7, 5, 4):
        where = Location("needs", row, "F")
        problems.add(where, _issue(where, "warning" if row == 9 else "error"))
    issues, locations = problems.listed()
    assert [w.row for w in locations] == [3, 4, 5, None]
    assert issues[-1].message.startswith("… and 2 more problems (1 errors, 1 warnings)")
    assert issues[-1].severity == "error"
    problems = Problems(limit=10)
    problems.add(WORKBOOK, _issue(WORKBOOK, "error", "x" * 5_000))
    (issue,), _ = problems.listed()
    assert len(issue.message) == 1_000 and issue.message.endswith("…")


def _issue(where: Location, severity: Severity, message: str = "wrong") -> Issue:
    return Issue(str(where), message, severity=severity)


# ----------------------------------------------------------------------------- CSV folders


def _csv_folder(tmp_path: Path, rows: int, extra: str = "") -> Path:
    folder = tmp_path / "csv"
    folder.mkdir()
    lines = ["id,village,level"] + [f"N{n},V1,x{extra}" for n in range(rows)]
    (folder / "needs.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_csv_rows_problems_and_file_size_are_bounded_too(tmp_path: Path) -> None:
    """The same row and problem limits for a CSV folder, and each file's size."""
    folder = _csv_folder(tmp_path, 300)
    result, _ = _import(folder, UploadLimits(max_rows=50))
    _refused(result, Location("needs.csv", 51), "row 51", "50 rows per sheet")
    result, _ = _import(folder)
    assert len(result.problems) == 201
    assert result.problems[-1].message.startswith("… and ")
    result, _ = _import(folder, UploadLimits(max_csv_mb=0.001))
    _refused(result, Location("needs.csv"), "needs.csv is", "1.0 KB per CSV file")


def test_a_csv_file_the_csv_module_cannot_read_is_one_located_problem(tmp_path: Path) -> None:
    """A field over the csv module's limit (an unclosed quote runs to the end of the file)."""
    folder = tmp_path / "csv"
    folder.mkdir()
    text = 'id,village\nN1,"' + "v" * 200_000 + "\n"
    (folder / "needs.csv").write_text(text, encoding="utf-8")
    result, _ = _import(folder)
    assert result.raw is None
    assert result.locations[0].sheet == "needs.csv"
    assert "cannot be read as CSV" in result.problems[0].message


def test_csv_lines_end_as_before(tmp_path: Path) -> None:
    """CR, LF and CRLF line ends, and a quoted cell holding a line break, read as before."""
    folder = tmp_path / "csv"
    folder.mkdir()
    text = 'id,village,level\r\nN1,V1,1\rN2,"V\n1",2\nN3,V3,3'
    (folder / "needs.csv").write_text(text, encoding="utf-8", newline="")
    result = import_scenario(folder)
    assert result.raw is not None
    assert [(n["id"], n["village"]) for n in result.raw["needs"]] == [
        ("N1", "V1"), ("N2", "V\n1"), ("N3", "V3")
    ]  # fmt: skip


# ----------------------------------------------------------------------------- settings


def test_the_service_settings_give_the_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    """MATCHER_MAX_UPLOAD_* variables set the limits; the defaults are UploadLimits'."""
    from api.settings import Settings

    assert Settings().upload_limits() == UploadLimits()
    monkeypatch.setenv("MATCHER_MAX_UPLOAD_ROWS", "5000")
    monkeypatch.setenv("MATCHER_MAX_UPLOAD_INFLATED_MB", "64")
    limits = Settings().upload_limits()
    assert (limits.max_rows, limits.max_inflated_mb) == (5_000, 64.0)


def test_the_import_command_reads_within_the_limits(tmp_path: Path) -> None:
    """``matcher import`` uses the same limits, --max-rows and --max-problems changing two."""
    from typer.testing import CliRunner

    from matcher.cli import app

    path = _write(tmp_path / "rows.xlsx", _with_rows(_template(tmp_path), _needs(30)))
    out = tmp_path / "scenario.json"
    args = ["import", str(path), "--out", str(out), "--max-rows", "20", "--max-problems", "5"]
    result = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert result.exit_code == 1 and not out.exists()
    assert "needs!21:21" in result.output and "limit of 20 rows" in result.output
    assert "… and 12 more problems" in " ".join(result.output.split())
