"""Seconds and peak memory of importing hostile workbooks (issue 15, uploads within bounds).

Builds, in a temporary folder, the hostile inputs of the issue's measurement and imports each
with :func:`matcher.workbook.read_workbook` and its default limits (what ``POST
/v1/scenarios/import`` and ``matcher import`` do) in a fresh subprocess, printing its wall
seconds, its peak RSS (``ru_maxrss`` of that child, from ``os.wait4``) and its first problem:

- ``rows``: a needs sheet of 1,048,576 rows, each with a wrong level (1.6 MB of xlsx);
- ``whitespace``: 2 GiB of whitespace in a sheet, deflated to 2 MB; ``whitespace-lying``: the
  same part with its stated size cut to 50 MB in the zip's directory;
- ``shared-strings``: 1 GiB of shared strings (a million strings of 1,008 characters)
  deflated to 2 MB; ``shared-strings-lying``: stating 30 MB, under the limit of 32 MB;
- ``schema``: the largest needs sheet the limits accept (200,000 rows of the template's 12
  columns), each need with five values that only the checks of the whole refuse (a village
  that does not exist; level, hours, cost and priority out of range): a million problems;
- ``references``: 90,000 organisations, each naming 25 towns that are no place and an
  unknown base: 2.3 million problems for the reference checks, within the limits;
- ``items``: the most items the limits take, 400,000 (eight sheets of 49,900 rows of two
  cells), each missing required fields.

``--workbook FILE`` adds a workbook of your own (a large real county, say). ``--tree DIR``
imports with the ``matcher`` package found in DIR instead (e.g. an older version unpacked by
``git archive HEAD matcher | tar -x -C DIR``) to compare. About a minute (``--all`` adds
``schema``, ``references`` and ``items``, about five minutes more):

    .venv/bin/python benchmarks/upload_memory.py [--all | --only rows,schema] [--tree DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
MB = 1024 * 1024

CHILD = """
import json, re, sys, time
from pathlib import Path
from matcher.workbook import read_workbook
started = time.perf_counter()
result = read_workbook(Path(sys.argv[1]))
seconds = time.perf_counter() - started
first = str(result.locations[0]) + ": " + result.problems[0].message if result.problems else "-"
with open("/proc/self/status") as status:  # the high-water mark of this process alone
    hwm = int(re.search(r"VmHWM:\\s+(\\d+)", status.read())[1]) // 1024
print(json.dumps({"seconds": seconds, "problems": len(result.problems), "first": first,
                  "ok": result.ok, "hwm_mb": hwm}))
"""


# ----------------------------------------------------------------------------- workbooks


def _workbook(
    path: Path,
    sheet: Iterator[bytes],
    shared: Iterator[bytes] | None = None,
    title: str = "needs",
    more: dict[str, str] | None = None,
) -> Path:
    """A workbook of the sheet ``title``, whose XML is streamed from ``sheet`` (and shared
    strings from ``shared``), and of the small sheets ``more`` (title: XML of its rows),
    deflated at level 9; one already built is reused."""
    if path.exists():
        return path
    titles = [title, *(more or {})]
    names = [f"xl/worksheets/sheet{n}.xml" for n in range(1, len(titles) + 1)]
    overrides = [("/xl/workbook.xml", f"{OFFICE}.sheet.main+xml")]
    overrides += [(f"/{name}", f"{OFFICE}.worksheet+xml") for name in names]
    if shared is not None:
        overrides.append(("/xl/sharedStrings.xml", f"{OFFICE}.sharedStrings+xml"))
    types = "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in overrides)
    sheets = "".join(
        f'<sheet name="{t}" sheetId="{n}" r:id="rId{n}"/>' for n, t in enumerate(titles, 1)
    )
    rels = "".join(
        f'<Relationship Id="rId{n}" Type="{DOC}/worksheet" Target="{name[3:]}"/>'
        for n, name in enumerate(names, 1)
    )
    small = {
        "[Content_Types].xml": f'<Types xmlns="{TYPES}"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{types}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
        f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>{sheets}'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{RELS}">{rels}</Relationships>',
    }
    for name, rows in zip(names[1:], (more or {}).values(), strict=True):
        small[name] = b"".join(_sheet(iter([rows.encode()]))).decode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in small.items():
            archive.writestr(name, text)
        parts = [(names[0], sheet)]
        if shared is not None:
            parts.append(("xl/sharedStrings.xml", shared))
        for name, chunks in parts:
            with archive.open(name, "w", force_zip64=True) as stream:
                for chunk in chunks:
                    stream.write(chunk)
    return path


def _sheet(rows: Iterator[bytes], between: Iterator[bytes] | None = None) -> Iterator[bytes]:
    yield f'<worksheet xmlns="{MAIN}"><sheetData>'.encode()
    yield from rows
    yield from between or ()
    yield b"</sheetData></worksheet>"


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _batches(count: int, row: Callable[[int], str], first: int = 1) -> Iterator[bytes]:
    for start in range(first, first + count, 10_000):
        stop = min(start + 10_000, first + count)
        yield "".join(row(n) for n in range(start, stop)).encode()


def _header(columns: list[str]) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return (
        '<row r="1">'
        + "".join(_cell(f"{letters[i]}1", c) for i, c in enumerate(columns))
        + "</row>"
    )


def _set_stated_size(path: Path, name: str, size: int) -> None:
    """Make the zip's directory (and the part's local header) state ``size`` bytes for
    ``name``: a lying declared size. Handles zip64 extra fields as zipfile writes them."""
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    at = int.from_bytes(data[end + 16 : end + 20], "little")
    if at == 0xFFFFFFFF:  # zip64: the directory's offset is in the zip64 end record
        record = int.from_bytes(data[end - 12 : end - 4], "little")
        at = int.from_bytes(data[record + 48 : record + 56], "little")
    while data[at : at + 4] == b"PK\x01\x02":
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        extra_length = int.from_bytes(data[at + 30 : at + 32], "little")
        comment = int.from_bytes(data[at + 32 : at + 34], "little")
        if data[at + 46 : at + 46 + length] == name.encode():
            extra = at + 46 + length
            if data[at + 24 : at + 28] == b"\xff\xff\xff\xff":  # sizes in the zip64 field
                field = extra
                while field < extra + extra_length:
                    tag = int.from_bytes(data[field : field + 2], "little")
                    if tag == 1:
                        data[field + 4 : field + 12] = size.to_bytes(8, "little")
                        break
                    field += 4 + int.from_bytes(data[field + 2 : field + 4], "little")
            else:
                data[at + 24 : at + 28] = size.to_bytes(4, "little")
            path.write_bytes(bytes(data))
            return
        at += 46 + length + extra_length + comment
    raise ValueError(f"{name} is not in {path}")


def references_bomb(folder: Path) -> Path:
    """The most problems the checks of the whole can find within the limits: 90,000
    organisations (2.9 million values, under the 3 million cells), each with 25 towns that
    are no place of the scenario (a places sheet of headers only) and an unknown base."""
    columns = ["id", "name", "kind", "base", "skills", "hours", "towns"]
    towns = ";".join(f"T{t}" for t in range(25))

    def row(n: int) -> str:
        values = [f"O{n}", f"org {n}", "ngo", "nowhere", "medical:2", "10", towns]
        cells = "".join(_cell(f"{'ABCDEFG'[i]}{n}", v) for i, v in enumerate(values))
        return f'<row r="{n}">{cells}</row>'

    rows = iter([_header(columns).encode(), *_batches(90_000, row, first=2)])
    places = _header(["id", "name", "kind", "lon", "lat"])
    path = folder / "references.xlsx"
    return _workbook(path, _sheet(rows), title="organizations", more={"places": places})


def items_bomb(folder: Path) -> Path:
    """The most items the limits take: the eight lists' sheets of a header and 49,900 items
    of two cells (an id and one more value), 399,208 rows with values in all (the limit is
    400,000); every item missing required fields."""
    second = {"places": "name", "villages": "name", "roads": "to", "cadres": "department"}
    second |= {"organizations": "name", "pools": "name", "needs": "village"}
    second |= {"aid_records": "village"}
    first = {"roads": "from"}

    def rows(title: str) -> str:
        header = _header([first.get(title, "id"), second[title]])
        body = "".join(
            f'<row r="{n}">{_cell(f"A{n}", f"{title[0]}{n}")}{_cell(f"B{n}", f"x{n}")}</row>'
            for n in range(2, 49_902)
        )
        return header + body

    titles = list(second)
    more = {title: rows(title) for title in titles[1:]}
    sheet = _sheet(iter([rows(titles[0]).encode()]))
    return _workbook(folder / "items.xlsx", sheet, title=titles[0], more=more)


def rows_bomb(folder: Path) -> Path:
    """1,048,576 rows: a header and 1,048,575 needs, each with an id and a wrong level."""
    header = _header(["id", "village", "category", "level"])

    def row(n: int) -> str:
        return f'<row r="{n}">{_cell(f"A{n}", f"N{n}")}{_cell(f"D{n}", "x")}</row>'

    rows = iter([header.encode(), *_batches(1_048_575, row, first=2)])
    return _workbook(folder / "rows.xlsx", _sheet(rows))


def whitespace_bomb(folder: Path) -> Path:
    """2 GiB of whitespace between two rows of a sheet, in about 2 MB of zip."""
    spaces = b" " * (4 * MB)
    between = (spaces for _ in range(512))
    header = iter([_header(["id", "village"]).encode()])
    return _workbook(folder / "whitespace.xlsx", _sheet(header, between))


def shared_strings_bomb(folder: Path) -> Path:
    """1 GiB of shared strings: 1,048,576 strings of 1,008 characters, in about 2 MB."""

    def strings() -> Iterator[bytes]:
        yield f'<sst xmlns="{MAIN}">'.encode()
        item = b"<si><t>" + b"a" * 1_008 + b"</t></si>"  # 1,024 bytes
        for _ in range(1024):
            yield item * 1024
        yield b"</sst>"

    sheet = _sheet(iter([b'<row r="1"><c r="A1" t="s"><v>0</v></c></row>']))
    return _workbook(folder / "shared-strings.xlsx", sheet, strings())


def lying(path: Path, part: str, stated: int) -> Path:
    target = path.with_name(path.stem + "-lying.xlsx")
    target.write_bytes(path.read_bytes())
    _set_stated_size(target, part, stated)
    return target


def schema_bomb(folder: Path) -> Path:
    """The largest needs sheet the default limits take: 200,000 rows (a header and 199,999
    needs) of the template's 12 columns, each need with five values the schema refuses."""
    columns = ["id", "village", "household", "category", "skill", "level", "hours", "cost"]
    columns += ["priority", "vulnerable", "submitted", "pinned_provider"]
    letters = "ABCDEFGHIJKL"

    def row(n: int) -> str:
        values = [f"N{n}", "V-nowhere", f"H{n}", "medical", "medical", "9", "-1", "-5", "99"]
        values += ["low_income", "2026-12-01", "P-nowhere"]
        cells = "".join(_cell(f"{letters[i]}{n}", v) for i, v in enumerate(values) if v)
        return f'<row r="{n}">{cells}</row>'

    rows = iter([_header(columns).encode(), *_batches(199_999, row, first=2)])
    return _workbook(folder / "schema.xlsx", _sheet(rows))


# ----------------------------------------------------------------------------- measuring


def measure(path: Path, tree: Path | None) -> dict[str, object]:
    """Import ``path`` in a fresh process: its seconds, peak RSS and first problem."""
    env = dict(os.environ)
    if tree is not None:
        env["PYTHONPATH"] = str(tree)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path)],
        stdout=subprocess.PIPE,
        env=env,
        text=True,
        cwd=tree,  # "python -c" puts its folder first on sys.path
    )
    assert child.stdout is not None
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
    child.returncode = os.waitstatus_to_exitcode(status)
    report: dict[str, object] = {
        "wall_s": round(time.perf_counter() - started, 1),
        "peak_mb": usage.ru_maxrss // 1024,
    }
    if child.returncode != 0:
        report["first"] = f"the import failed (exit {child.returncode}): a traceback"
        return report
    found = json.loads(output)
    report |= {
        "import_s": round(found["seconds"], 1),
        "hwm_mb": found["hwm_mb"],
        "problems": found["problems"],
        "first": found["first"][:120],
    }
    return report


BUILDERS: dict[str, Callable[[Path], Path]] = {
    "rows": rows_bomb,
    "whitespace": whitespace_bomb,
    "whitespace-lying": lambda folder: lying(
        whitespace_bomb(folder), "xl/worksheets/sheet1.xml", 50 * MB
    ),
    "shared-strings": shared_strings_bomb,
    "shared-strings-lying": lambda folder: lying(
        shared_strings_bomb(folder), "xl/sharedStrings.xml", 30 * MB
    ),
    "schema": schema_bomb,
    "references": references_bomb,
    "items": items_bomb,
}


SLOW = ["schema", "references", "items"]  # a minute or two each, with --all


def build(name: str, folder: Path) -> tuple[Path, float]:
    """Build the input ``name`` in its own process (so that this one stays small: a child
    forked from a large parent starts with the parent's RSS) and return its path."""
    started = time.perf_counter()
    command = [sys.executable, __file__, "--build", name, "--folder", str(folder)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return Path(output.strip()), time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help=f"comma-separated, of {', '.join(BUILDERS)}")
    parser.add_argument("--all", action="store_true", help="add schema and references")
    parser.add_argument("--workbook", type=Path, action="append", default=[])
    parser.add_argument("--tree", type=Path, help="import with the matcher package in DIR")
    parser.add_argument("--build", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:
        print(BUILDERS[args.build](args.folder))
        return
    names = args.only.split(",") if args.only else [n for n in BUILDERS if n not in SLOW]
    if args.all and not args.only:
        names += SLOW
    columns = ("xlsx", 7), ("built", 6), ("import", 7), ("peak RSS", 9), ("VmHWM", 7)
    print(f"{'input':21} " + " ".join(f"{c:>{w}}" for c, w in columns) + "  first problem")
    with tempfile.TemporaryDirectory(prefix="upload-memory-") as folder:
        for name in [*names, *map(str, args.workbook)]:
            path, built = build(name, Path(folder)) if name in BUILDERS else (Path(name), 0.0)
            report = measure(path, args.tree)
            seconds = report.get("import_s", report["wall_s"])
            print(
                f"{path.stem:21} {path.stat().st_size / MB:5.1f}MB {built:5.1f}s {seconds:6}s "
                f"{report['peak_mb']:>6} MB {report.get('hwm_mb', '-'):>4} MB  "
                f"[{report.get('problems', '-')}] {report['first']}",
                flush=True,
            )
        print(
            "peak RSS: ru_maxrss of each import's process (os.wait4); VmHWM: the same as the "
            "process saw it; import: seconds of read_workbook; [n]: problems listed."
        )


if __name__ == "__main__":
    main()
