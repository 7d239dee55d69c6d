"""Uploads within bounds: what an import may cost before it is refused (issue 15).

A workbook is a zip of XML parts, and a few megabytes of zip can inflate to gigabytes, hold a
million rows or a gigabyte of shared strings. Every import is therefore bounded, by
:class:`UploadLimits`, at three levels, each stopping as soon as a bound is passed with one
located problem, never a traceback:

- the zip, before openpyxl opens it (:func:`open_archive`): the size of its central directory
  and its number of entries, each part's declared size, their total and their compression
  ratio, and only the compression methods Excel writes (stored and deflate);
- the bytes actually inflated, while openpyxl reads them (:class:`GuardedZip`): declared sizes
  can lie, so every part is counted as it is read — a part read whole (styles, relationships)
  and the shared strings, which openpyxl keeps in memory, have bounds of their own — and no
  run of text or markup-free bytes, no row and no shared string may hold more than Excel can
  write, so no single XML node can be large;
- what is read (:class:`Budget`): rows per sheet, and rows, cells and characters in all, the
  same for a folder of CSV files (each file's size bounded too); and the problems reported,
  the first :attr:`UploadLimits.max_problems` located, then one problem counting the rest
  (the scenario checks then run part by part, :meth:`SheetReader.finish
  <matcher.workbook.sheets.SheetReader.finish>`, so that they never hold them all).

The defaults fit a large county with room to spare: 3,000 villages, 100,000 needs and their
ledger of 84,000 aid records, as the template holds them, are 197,000 rows, 1.9 million cells
(list entries counted) and 11 million characters in 92 MB of sheet XML, and import in 490 MB.
Within the defaults an import stays under 1 GB of memory whatever the file holds:
``benchmarks/upload_memory.py`` measures the hostile cases at 90 to 450 MB, and a county of
160,000 needs, 3.0 million cells (just past the limit), imports in 715 MB.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO, Literal, cast

from openpyxl.utils import get_column_letter

from matcher.workbook.results import Location
from matcher.workbook.words import Said, said

MB = 1024 * 1024
EXCEL_ROWS = 1_048_576
"""Rows of an Excel sheet; no sheet written by Excel has a row beyond."""
EXCEL_COLUMNS = 16_384
"""Columns of an Excel sheet (A to XFD)."""
EXCEL_CELL_CHARS = 32_767
"""Characters of an Excel cell; a longer one is refused (it would be a list of 16,000
entries, or a text no field takes)."""
MAX_TEXT_RUN = 1 * MB
"""Bytes of an XML part between two ``<``: a cell holds at most 32,767 characters (at most
about 200 KB of XML), so nothing Excel writes comes near; a longer text node or whitespace run
is refused before the XML parser holds it in memory."""
MAX_NODE_MARKUP = 150_000
"""Tags of one row of a sheet or one shared string, and of whatever lies between two rows
(openpyxl builds each of them whole): a full row of 16,384 cells has about 65,000."""
MAX_WHOLE_MARKUP = 500_000
"""Tags of a part that openpyxl reads whole into a tree (styles, relationships, the workbook
part): a workbook with Excel's maximum of 64,000 cell styles has about 250,000."""
_RATIO_FLOOR = 1 * MB  # parts smaller than this may have any compression ratio
_CHUNK = 64 * 1024
_DIRECTORY_ENTRY = 1024  # bytes of central directory allowed per entry (a real one: ~100)
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
# What lies between "<" and a tag's local name: "/" and a namespace prefix ("</x:row>").
_TAG_START = re.compile(rb"/?(?:[A-Za-z_][\w.\-]*:)?")
_TAG_NAME_END = frozenset(b" \t\r\n/>")
# How a row begins, with or without a namespace prefix: counted by bytes.count, at C speed.
_ROW_STARTS = tuple(
    start + b"row" + end
    for start in (b"<", b":")
    for end in (b" ", b"\t", b"\r", b"\n", b"/", b">")
)


@dataclass(frozen=True)
class UploadLimits:
    """The bounds of one import (workbook or CSV folder). Sizes are in MiB (2**20 bytes).

    The defaults take a county well beyond the largest we know of (100,000 needs, their
    ledger and 3,000 villages: rows twice over, cells 1.5 times) and keep an import under
    1 GB of memory; lower them to bound the service further
    (``api.settings.Settings.upload_limits`` reads them from the environment).
    """

    max_entries: int = 1_000
    """Parts (zip entries) of a workbook, or CSV files of a folder; a workbook has ~30."""
    max_inflated_mb: float = 256.0
    """Uncompressed bytes of all parts together (declared and as inflated), or of all CSV
    files of a folder; the large county's sheets take ~90 MB."""
    max_part_mb: float = 160.0
    """Uncompressed bytes of any one part; the large county's needs sheet takes 52 MB, and
    200,000 needs rows in the template's form about 104 MB."""
    max_whole_part_mb: float = 8.0
    """Uncompressed bytes of a part that openpyxl reads whole (styles, the workbook part,
    relationships): each is a few KB in a workbook saved by Excel."""
    max_shared_strings_mb: float = 32.0
    """Uncompressed bytes of the shared-strings part, which openpyxl keeps in memory; the
    large county's 330,000 distinct texts take 8 MB."""
    max_ratio: float = 100.0
    """Uncompressed / compressed size of any part over 1 MiB; sheet XML compresses ~10:1, a
    zip bomb 1,000:1."""
    max_rows: int = 200_000
    """Rows of any one sheet or CSV file (counting from row 1, headers included); blank rows
    past it are skipped, a row with a value is refused."""
    max_total_rows: int = 400_000
    """Rows with values in all sheets together (each becomes an item held in memory); the
    large county has 194,000."""
    max_cells: int = 3_000_000
    """Cells read in all sheets, each row counted up to its last cell and each entry of a list
    cell (``a;b;c``) as one more; the large county has 1.9 million (an import holds about 250
    bytes for each)."""
    max_chars: int = 30_000_000
    """Characters of text in the cells read, in all sheets (a text used in many cells counts
    each time); the large county has 11 million."""
    max_problems: int = 200
    """Problems listed one by one, in the order of the file; the rest are counted in one."""
    max_csv_mb: float = 64.0
    """Bytes of any one CSV file; the large county's needs.csv takes 8 MB."""

    def __post_init__(self) -> None:
        for name, value in vars(self).items():
            if not value > 0:
                raise ValueError(f"UploadLimits.{name} must be positive, not {value!r}")


DEFAULT_LIMITS = UploadLimits()


class UploadRefused(Exception):
    """An upload past one of its bounds: the problem (in the catalogue's words), at the sheet
    or row where it was found (None while the part's sheet is not known yet; the reader then
    locates it)."""

    def __init__(self, words: Said, where: Location | None = None) -> None:
        super().__init__(words.message)
        self.said = words
        self.where = where

    @property
    def message(self) -> str:
        """The problem in English."""
        return self.said.message

    def at(self, where: Location) -> UploadRefused:
        """The same refusal located at ``where`` unless it has a location already."""
        return self if self.where is not None else UploadRefused(self.said, where)


def _mb(limit: float) -> int:
    return int(limit * MB)


def _size(count: int) -> str:
    """Bytes as people read them: ``2.0 GB``, ``31.5 MB``, ``900 bytes``."""
    for unit, scale in (("GB", 1024**3), ("MB", MB), ("KB", 1024)):
        if count >= scale:
            return f"{count / scale:,.1f} {unit}"
    return f"{count:,} bytes"


# ----------------------------------------------------------------------------- the zip


def _directory_size(file: BinaryIO) -> tuple[int, int] | None:
    """The entry count and byte size of a zip's central directory as its end record states
    them (zip64 too), read before :class:`zipfile.ZipFile` reads the directory into memory;
    None when there is no end record (zipfile then says the file is not a zip)."""
    file.seek(0, io.SEEK_END)
    size = file.tell()
    back = min(size, 22 + 65_535)  # the end record and the longest comment
    file.seek(size - back)
    tail = file.read(back)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory = int.from_bytes(tail[at + 12 : at + 16], "little")
    if entries != 0xFFFF and directory != 0xFFFFFFFF:
        return entries, directory
    locator = tail[at - 20 : at] if at >= 20 else b""
    if not locator.startswith(b"PK\x06\x07"):
        return entries, directory
    file.seek(int.from_bytes(locator[8:16], "little"))
    record = file.read(56)
    if not record.startswith(b"PK\x06\x06") or len(record) < 56:
        return None
    return int.from_bytes(record[32:40], "little"), int.from_bytes(record[40:48], "little")


def open_archive(path: Path, limits: UploadLimits = DEFAULT_LIMITS) -> GuardedZip:
    """The workbook's zip, once its central directory shows nothing past ``limits``: not too
    many entries, no part declaring more than its bound, not too much in all, no absurd
    compression ratio, only stored or deflated parts, nothing encrypted.

    Raises :class:`UploadRefused` for a bound passed, and whatever :class:`zipfile.ZipFile`
    raises (``BadZipFile``, ``OSError``) for a file that is not a zip.
    """
    name = path.name
    with path.open("rb") as file:
        stated = _directory_size(file)
    if stated is not None:
        entries, directory = stated
        if entries > limits.max_entries or directory > limits.max_entries * _DIRECTORY_ENTRY:
            raise UploadRefused(
                said(
                    "workbook.limit.directory",
                    file=name,
                    entries=f"{entries:,}",
                    size=_size(directory),
                    limit=f"{limits.max_entries:,}",
                )
            )
    archive = GuardedZip(path, limits)
    try:
        archive.check_directory()
    except BaseException:
        archive.close()
        raise
    return archive


class GuardedZip(zipfile.ZipFile):
    """A workbook's zip whose parts are counted as openpyxl inflates them: every stream it
    opens is a :class:`_GuardedPart`, and the parts inflated so far are added up."""

    def __init__(self, path: Path, limits: UploadLimits) -> None:
        super().__init__(path)
        self.limits = limits
        self.label = path.name
        self.shared_strings: frozenset[str] = frozenset()
        self._inflated: dict[str, int] = {}  # the most bytes read of each part
        self._total = 0

    def check_directory(self) -> None:
        """Refuse what the central directory declares past the limits, then find the
        shared-strings part the way openpyxl does (by the package's content types)."""
        limits = self.limits
        infos = self.infolist()
        if len(infos) > limits.max_entries:
            raise UploadRefused(
                said(
                    "workbook.limit.parts",
                    file=self.label,
                    parts=f"{len(infos):,}",
                    limit=f"{limits.max_entries:,}",
                )
            )
        for info in infos:
            if info.compress_type not in _METHODS:
                raise UploadRefused(
                    said(
                        "workbook.limit.method",
                        part=info.filename,
                        file=self.label,
                        method=info.compress_type,
                    )
                )
            if info.flag_bits & 0x1:
                raise UploadRefused(
                    said("workbook.limit.encrypted", part=info.filename, file=self.label)
                )
        total = sum(info.file_size for info in infos)
        if total > _mb(limits.max_inflated_mb):
            raise UploadRefused(
                said(
                    "workbook.limit.stated_total",
                    file=self.label,
                    size=_size(total),
                    limit=_size(_mb(limits.max_inflated_mb)),
                )
            )
        for info in infos:
            if info.file_size > _mb(limits.max_part_mb):
                raise UploadRefused(
                    said(
                        "workbook.limit.stated_part",
                        part=info.filename,
                        file=self.label,
                        size=_size(info.file_size),
                        limit=_size(_mb(limits.max_part_mb)),
                    )
                )
            self._check_ratio(info.filename, info.file_size, info.compress_size)
        self.shared_strings = self._shared_strings_parts()  # read through the guard
        for name in self.shared_strings & set(self.NameToInfo):
            size = self.getinfo(name).file_size
            if size > _mb(limits.max_shared_strings_mb):
                raise UploadRefused(
                    said(
                        "workbook.limit.stated_strings",
                        part=name,
                        file=self.label,
                        size=_size(size),
                        limit=_size(_mb(limits.max_shared_strings_mb)),
                    )
                )

    def _shared_strings_parts(self) -> frozenset[str]:
        from openpyxl.packaging.manifest import Manifest
        from openpyxl.xml.constants import ARC_CONTENT_TYPES, SHARED_STRINGS
        from openpyxl.xml.functions import fromstring

        if ARC_CONTENT_TYPES not in self.NameToInfo:
            return frozenset()  # openpyxl says the file is not a workbook
        manifest = Manifest.from_tree(cast(Any, fromstring(self.read(ARC_CONTENT_TYPES))))
        if manifest is None:
            return frozenset()
        return frozenset(part.PartName[1:] for part in manifest.findall(SHARED_STRINGS))

    def _check_ratio(self, part: str, inflated: int, compressed: int) -> None:
        if inflated > _RATIO_FLOOR and inflated > self.limits.max_ratio * max(compressed, 1):
            raise UploadRefused(
                said(
                    "workbook.limit.ratio",
                    part=part,
                    file=self.label,
                    ratio=f"{inflated / max(compressed, 1):,.0f}",
                    compressed=_size(compressed),
                    inflated=_size(inflated),
                    limit=f"{self.limits.max_ratio:,.0f}",
                )
            )

    def open(
        self,
        name: str | zipfile.ZipInfo,
        mode: Literal["r", "w"] = "r",
        pwd: bytes | None = None,
        *,
        force_zip64: bool = False,
    ) -> IO[bytes]:
        """The part as a counted stream (read mode); writing is not guarded."""
        stream = super().open(name, mode, pwd, force_zip64=force_zip64)
        if mode != "r":
            return stream
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        return cast(IO[bytes], _GuardedPart(stream, info, self))

    def counted(self, part: str, seen: int) -> None:
        """Note that ``seen`` bytes of ``part`` were inflated; refuse past the total."""
        before = self._inflated.get(part, 0)
        if seen <= before:
            return
        self._inflated[part] = seen
        self._total += seen - before
        if self._total > _mb(self.limits.max_inflated_mb):
            raise UploadRefused(
                said(
                    "workbook.limit.inflated_total",
                    file=self.label,
                    limit=_size(_mb(self.limits.max_inflated_mb)),
                    part=part,
                )
            )


class _GuardedPart(io.BufferedIOBase):
    """One part as openpyxl reads it, counted: a part read in chunks (a sheet, the shared
    strings) is parsed as a stream; a part read whole is built into a tree at once."""

    def __init__(self, stream: IO[bytes], info: zipfile.ZipInfo, archive: GuardedZip) -> None:
        super().__init__()
        self._stream = stream
        self._info = info
        self._archive = archive
        self._seen = 0
        self._tail = b""  # bytes since the last "<", carried to the next chunk
        self._markup = 0  # tags since the last row or shared string
        self._rows = 0
        limits = archive.limits
        shared = info.filename in archive.shared_strings
        self._limit = _mb(limits.max_shared_strings_mb if shared else limits.max_part_mb)
        self._shared = shared
        # openpyxl builds each shared string, and each row of a sheet, whole: the tags between
        # two of them are bounded (a part in no such role has one bound for all its tags).
        self._boundary = b"si" if shared else b"row"

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self._read_whole()
        data = self._stream.read(size)
        self._count(data)
        self._scan(data)
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)

    def close(self) -> None:
        self._stream.close()
        super().close()

    def _refuse(self, key: str, **params: object) -> UploadRefused:
        what = "workbook.limit.strings_part" if self._shared else "workbook.limit.part"
        part = said(what, part=self._info.filename)
        return UploadRefused(said(key, what=part, **params))

    def _count(self, data: bytes) -> None:
        self._seen += len(data)
        if self._seen > self._limit:
            raise self._refuse(
                "workbook.limit.inflated_part",
                limit=_size(self._limit),
                stated=_size(self._info.file_size),
            )
        self._archive._check_ratio(self._info.filename, self._seen, self._info.compress_size)
        self._archive.counted(self._info.filename, self._seen)

    def _read_whole(self) -> bytes:
        limit = _mb(self._archive.limits.max_whole_part_mb)
        chunks: list[bytes] = []
        seen = markup = 0
        while data := self._stream.read(_CHUNK):
            seen += len(data)
            markup += data.count(b"<")
            if seen > limit:
                raise self._refuse("workbook.limit.whole_part", limit=_size(limit))
            if markup > MAX_WHOLE_MARKUP:
                raise self._refuse("workbook.limit.whole_tags", limit=f"{MAX_WHOLE_MARKUP:,}")
            self._count(data)
            chunks.append(data)
        return b"".join(chunks)

    def _scan(self, data: bytes) -> None:
        """Refuse a run of more than :data:`MAX_TEXT_RUN` bytes without ``<``, a row or shared
        string of more than :data:`MAX_NODE_MARKUP` tags, and more rows than Excel has."""
        buffer = self._tail + data if self._tail else data
        # The buffer starts at the last "<" so far: the run from there to the next "<" may
        # span many chunks; the runs after it lie within this chunk.
        run = buffer.find(b"<", 1)
        if (run if run >= 0 else len(buffer)) > MAX_TEXT_RUN:
            raise self._refuse(
                "workbook.limit.text_run",
                limit=_size(MAX_TEXT_RUN),
                cell=f"{EXCEL_CELL_CHARS:,}",
            )
        cut = buffer.rfind(b"<")
        if cut <= 0:
            self._tail = buffer
        else:
            self._tail = buffer[cut:]
            self._tags(buffer, cut)

    def _tags(self, segment: bytes, end: int) -> None:
        """Count the tags of ``segment[:end]`` (which ends before a ``<``, so no tag is cut)
        between boundary tags (``<row``, ``</row>``, ``<x:row``, ...), and the rows.

        Only the first and the last boundary of the segment are looked for: the tags before
        the first add to those since the last boundary, and those between them (fewer than
        the segment has, a chunk of 16 KB) are checked at once; so a chunk costs the same
        few calls however many rows it holds."""
        first = self._boundary_at(segment, 0, end)
        if first < 0:
            self._markup += segment.count(b"<", 0, end)
            self._check_markup()
        else:
            self._markup += segment.count(b"<", 0, first)
            self._check_markup()
            last = max(first, self._boundary_at(segment, first + 1, end, backward=True))
            if segment.count(b"<", first, last) > MAX_NODE_MARKUP:  # a chunk of megabytes
                while first < last and (after := self._boundary_at(segment, first + 1, end)) > 0:
                    self._markup = segment.count(b"<", first, after)
                    self._check_markup()
                    first = after
            self._markup = segment.count(b"<", last, end)
            self._check_markup()
        if self._boundary == b"row":
            self._rows += sum(segment.count(start, 0, end) for start in _ROW_STARTS)
            if self._rows > EXCEL_ROWS:
                raise self._refuse("workbook.limit.excel_rows", limit=f"{EXCEL_ROWS:,}")

    def _boundary_at(self, segment: bytes, start: int, end: int, backward: bool = False) -> int:
        """Where the first (or last) boundary tag of ``segment[start:end]`` begins (its
        ``<``), or -1; the name alone (``row`` in a text) is no tag."""
        name = self._boundary
        at = segment.rfind(name, start, end) if backward else segment.find(name, start, end)
        while at >= 0:
            after = at + len(name)
            if after < end and segment[after] in _TAG_NAME_END:
                opening = segment.rfind(b"<", max(start, at - 64), at)
                if opening >= 0 and _TAG_START.fullmatch(segment, opening + 1, at):
                    return opening
            at = segment.rfind(name, start, at) if backward else segment.find(name, after, end)
        return -1

    def _check_markup(self) -> None:
        if self._markup > MAX_NODE_MARKUP:
            raise self._refuse(
                "workbook.limit.node_tags",
                limit=f"{MAX_NODE_MARKUP:,}",
                columns=f"{EXCEL_COLUMNS:,}",
            )


# ----------------------------------------------------------------------------- reading


Row = tuple[int, Sequence[object]]


class Budget:
    """What the reading of one import may still take: rows per sheet and in all, cells and
    characters in all. :meth:`rows` passes a sheet's rows on, each trimmed after its last
    value, and raises :class:`UploadRefused` at the row that passes a bound."""

    def __init__(self, limits: UploadLimits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self.rows_read = 0  # with values, in all sheets
        self.cells = 0
        self.chars = 0

    def rows(self, title: str, rows: Iterable[Row]) -> Iterator[Row]:
        """The rows of the sheet ``title``, numbered from 1, within the budget."""
        limits = self.limits
        for number, row in rows:
            last = chars = 0
            for position, value in enumerate(row, 1):
                if value is None:
                    continue
                if type(value) is str:
                    if not value:
                        continue  # an empty CSV field
                    if len(value) > EXCEL_CELL_CHARS:
                        raise UploadRefused(
                            said(
                                "workbook.limit.cell_chars",
                                chars=f"{len(value):,}",
                                limit=f"{EXCEL_CELL_CHARS:,}",
                            ),
                            Location(title, number, get_column_letter(position)),
                        )
                    chars += len(value)
                last = position
            if not last:
                if number > EXCEL_ROWS:
                    raise UploadRefused(
                        said("workbook.limit.past_excel", sheet=title, limit=f"{EXCEL_ROWS:,}"),
                        Location(title),
                    )
                if number <= limits.max_rows:
                    yield number, ()
                continue  # a blank row past the limit is skipped
            if number > limits.max_rows:
                raise UploadRefused(
                    said(
                        "workbook.limit.rows",
                        sheet=title,
                        row=f"{number:,}",
                        limit=f"{limits.max_rows:,}",
                    ),
                    Location(title, number),
                )
            self.rows_read += 1
            self.cells += len(row)
            self.chars += chars
            if self.rows_read > limits.max_total_rows:
                raise UploadRefused(
                    said(
                        "workbook.limit.total_rows",
                        limit=f"{limits.max_total_rows:,}",
                        row=f"{number:,}",
                        sheet=title,
                    ),
                    Location(title, number),
                )
            if self.cells > limits.max_cells:
                raise UploadRefused(
                    said(
                        "workbook.limit.cells",
                        limit=f"{limits.max_cells:,}",
                        row=f"{number:,}",
                        sheet=title,
                    ),
                    Location(title, number),
                )
            if self.chars > limits.max_chars:
                raise UploadRefused(
                    said(
                        "workbook.limit.chars",
                        limit=f"{limits.max_chars:,}",
                        row=f"{number:,}",
                        sheet=title,
                    ),
                    Location(title, number),
                )
            yield number, row if last == len(row) else row[:last]

    def entries(self, count: int, title: str, number: int) -> None:
        """Count the entries of the list cells of a row (``a;b;c`` holds three values, each an
        object in memory) as cells."""
        self.cells += count
        if self.cells > self.limits.max_cells:
            raise UploadRefused(
                said(
                    "workbook.limit.entries",
                    limit=f"{self.limits.max_cells:,}",
                    row=f"{number:,}",
                    sheet=title,
                ),
                Location(title, number),
            )


def csv_size_problem(files: Sequence[Path], limits: UploadLimits) -> UploadRefused | None:
    """Why a folder's CSV files are refused before any is read: too many files, one too
    large, or too much in all."""
    if len(files) > limits.max_entries:
        return UploadRefused(
            said(
                "workbook.limit.csv_files",
                files=f"{len(files):,}",
                limit=f"{limits.max_entries:,}",
            )
        )
    total = 0
    for file in files:
        size = file.stat().st_size
        total += size
        if size > _mb(limits.max_csv_mb):
            return UploadRefused(
                said(
                    "workbook.limit.csv_file",
                    file=file.name,
                    size=_size(size),
                    limit=_size(_mb(limits.max_csv_mb)),
                ),
                Location(file.name),
            )
    if total > _mb(limits.max_inflated_mb):
        return UploadRefused(
            said(
                "workbook.limit.csv_total",
                size=_size(total),
                limit=_size(_mb(limits.max_inflated_mb)),
            )
        )
    return None


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
MAX_CSV_RECORD = 4 * MB
"""Characters of one CSV record (a row, over several lines when a quoted cell holds line
breaks): a row of 256 full cells is less than half of it."""


def csv_records(text: str, name: str) -> Iterator[list[str]]:
    """The records of a CSV file's text, read without copying the text (``io.StringIO``
    would hold it at four bytes a character); a record past :data:`MAX_CSV_RECORD`
    characters, or that the csv module cannot read, is refused at its line."""
    import csv

    pending = 0

    def lines() -> Iterator[str]:
        nonlocal pending
        for match in _LINE.finditer(text):
            line = match[0]
            pending += len(line)
            if pending > MAX_CSV_RECORD:
                raise UploadRefused(
                    said("workbook.limit.csv_record", file=name, limit=f"{MAX_CSV_RECORD:,}"),
                    Location(name, reader.line_num + 1),
                )
            yield line

    reader = csv.reader(lines())
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise UploadRefused(
                said(
                    "workbook.limit.csv_unreadable",
                    file=name,
                    line=f"{reader.line_num:,}",
                    error=str(error),
                ),
                Location(name, reader.line_num),
            ) from None
        pending = 0
        yield record
