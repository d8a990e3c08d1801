"""Checking an .xlsx (a zip) for bombs before any Excel parser sees it.

The declared sizes are summed and their ratios checked first; then every member's compressed
bytes are inflated once, counting, so that a member whose declared size lies is caught before
the parser inflates it for real. Only stored and deflated members are accepted. While a
sheet is inflated its rows and cells are counted, and a sheet beyond Excel's own limits
(1,048,576 rows, 16,384 columns) is refused there and then, long before a parser would hold
it in memory.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from discovery.errors import LogError
from discovery.io._safety import (
    EXCEL_MAX_COLUMNS,
    EXCEL_MAX_ROWS,
    MAX_SHEET_CELLS,
    MAX_XLSX_RATIO,
    MAX_XLSX_UNPACKED_BYTES,
    XLSX_RATIO_FLOOR_BYTES,
    MiB,
)
from discovery.words import Count, message

MAX_MEMBERS = 10_000
_CHUNK = 1 * MiB
_LOCAL_HEADER = struct.Struct("<4s22xHH")
_SHEET = re.compile(r"xl/worksheets/[^/]+\.xml", re.IGNORECASE)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')
_ROOT = re.compile(rb"<(\w+:)?worksheet[\s>]")
_ROW_NUMBER = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="(\d+)"')
_WIDE_REFERENCE = re.compile(rb' r="([A-Z]{2})\d')  # columns AA to ZZ
_WIDER_REFERENCE = re.compile(rb' r="([A-Z]{3,})\d')  # columns AAA and beyond


def check_xlsx_zip(path: Path, shown: str) -> None:
    """Raise LogError unless `path` is a workbook zip within the size and ratio limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        said = message("io.error.zip_damaged", reason=str(exc))
        raise LogError(said, file=shown) from None
    names = {info.filename for info in members}
    if not names & {"xl/workbook.xml", "xl/workbook.bin"}:
        raise LogError(message("io.error.zip_not_workbook"), file=shown)
    if len(members) > MAX_MEMBERS:
        raise LogError(message("io.error.zip_parts", count=Count(len(members))), file=shown)
    total = sum(info.file_size for info in members)
    if total > MAX_XLSX_UNPACKED_BYTES:
        limit = Count(MAX_XLSX_UNPACKED_BYTES)
        said = message("io.error.zip_too_large", size=Count(total), limit=limit)
        raise LogError(said, file=shown)
    for info in members:
        _check_ratio(info.file_size, info.compress_size, info.filename, shown)
    with path.open("rb") as handle:
        for info in members:
            _check_member(handle, info, shown)


def _check_ratio(size: int, packed: int, member: str, shown: str) -> None:
    if size > XLSX_RATIO_FLOOR_BYTES and size > MAX_XLSX_RATIO * max(packed, 1):
        ratio = Count(size // max(packed, 1))
        raise LogError(message("io.error.zip_ratio", part=member, ratio=ratio), file=shown)


def _check_member(handle: BinaryIO, info: zipfile.ZipInfo, shown: str) -> None:
    """Inflate one member's raw bytes, counting, and compare with its declared size."""
    if info.flag_bits & 0x1:
        raise LogError(message("io.error.zip_encrypted"), file=shown)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise LogError(message("io.error.zip_method", part=info.filename), file=shown)
    handle.seek(info.header_offset)
    signature, name_len, extra_len = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise LogError(message("io.error.zip_damaged_header"), file=shown)
    handle.seek(name_len + extra_len, 1)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    sheet = _SheetSize(info.filename, shown) if _SHEET.fullmatch(info.filename) else None
    produced = 0
    while left > 0:
        chunk = handle.read(min(left, _CHUNK))
        if not chunk:
            break
        left -= len(chunk)
        while chunk:
            if inflater is None:
                produced += len(chunk)
                if sheet is not None:
                    sheet.feed(chunk)
                break
            try:
                out = inflater.decompress(chunk, _CHUNK)
            except zlib.error:
                said = message("io.error.zip_part_damaged", part=info.filename)
                raise LogError(said, file=shown) from None
            if sheet is not None:
                sheet.feed(out)
            produced += len(out)
            if produced > info.file_size:
                raise LogError(message("io.error.zip_part_bomb", part=info.filename), file=shown)
            chunk = inflater.unconsumed_tail
    if inflater is not None:
        produced += len(inflater.flush())
    if produced != info.file_size:
        raise LogError(message("io.error.zip_part_size", part=info.filename), file=shown)


class _SheetSize:
    """Counts a sheet's rows and cells as its XML streams by, and refuses it as soon as it
    goes beyond what Excel can hold, or spans more cells than can be laid out in memory.

    Rows: the row elements seen, or the highest row number a row declares, whichever is
    larger. Columns: the sheet's declared dimension; the widest cell reference ("XFD1");
    the cells of a row that spans pieces of XML, and of the rows within a piece on average.
    A reader lays a sheet out as rows times its widest column, so a lone cell far to the
    right of a long table (a 400 KB file) would ask for hundreds of gigabytes: refused too.
    A tag split between two pieces is counted once: each piece is read with the last bytes
    of the one before, fewer than the tag has.
    """

    def __init__(self, member: str, shown: str) -> None:
        self.member, self.shown = member, shown
        self.rows = 0
        self.columns = 1
        self.open_cells = 0  # cells of the row still open at the end of the last piece
        self.tail = b""
        self.row_tag = b""
        self.cell_tags: tuple[bytes, ...] = ()

    def feed(self, piece: bytes) -> None:
        text = self.tail + piece
        if not self.row_tag:
            self._start(text)
        cells_from = max(len(self.tail) - len(self.cell_tags[0]) + 1, 0)
        self.tail = text[-(len(self.row_tag) - 1) :]
        self._widest_reference(text)
        first = text.find(self.row_tag)
        if first < 0:
            self.open_cells += self._cells(text, cells_from, len(text))
            self._check(self.rows, self.open_cells)
            return
        self.open_cells += self._cells(text, cells_from, first)
        self._check(self.rows, self.open_cells)
        started = text.count(self.row_tag)
        last = text.rfind(self.row_tag)
        if started > 1:
            self._check(self.rows, self._cells(text, first, last) // (started - 1))
        self.open_cells = self._cells(text, last, len(text))
        self.rows += started
        numbered = _ROW_NUMBER.match(text, last)
        if numbered:
            self.rows = max(self.rows, int(numbered.group(1)))
        self._check(self.rows, max(self.open_cells, self.columns))

    def _start(self, text: bytes) -> None:
        root = _ROOT.search(text)
        prefix = (root.group(1) if root else None) or b""
        self.row_tag = b"<" + prefix + b"row"
        self.cell_tags = (b"<" + prefix + b"c ", b"<" + prefix + b"c>")
        dimension = _DIMENSION.search(text, 0, 4096)
        if dimension:
            rows, columns = int(dimension.group(2)), _column_number(dimension.group(1))
            self._check(rows, columns, dimension.group(0).decode())

    def _cells(self, text: bytes, start: int, end: int) -> int:
        return sum(text.count(tag, start, end) for tag in self.cell_tags)

    def _widest_reference(self, text: bytes) -> None:
        """The widest column a cell reference in `text` names (columns past Z only: a
        search that finds nothing in an ordinary log costs about as much as a count)."""
        if _WIDE_REFERENCE.search(text):
            widest = max(_WIDE_REFERENCE.findall(text))  # two letters each: by the alphabet
            self.columns = max(self.columns, _column_number(widest))
        if _WIDER_REFERENCE.search(text):
            widest = max(_WIDER_REFERENCE.findall(text), key=lambda ref: (len(ref), ref))
            self.columns = max(self.columns, _column_number(widest))
        self._check(self.rows, self.columns)

    def _check(self, rows: int, columns: int, declared: str | None = None) -> None:
        """Refuse the sheet beyond the limits; `declared` is the size it declares, if that
        is what is checked."""
        size = {"dimension": declared} if declared else {}
        said = "_declared" if declared else ""
        if rows > EXCEL_MAX_ROWS:
            limit = Count(EXCEL_MAX_ROWS)
            key = f"io.error.sheet_rows{said}"
            raise LogError(message(key, part=self.member, limit=limit, **size), file=self.shown)
        if columns > EXCEL_MAX_COLUMNS:
            limit = Count(EXCEL_MAX_COLUMNS)
            key = f"io.error.sheet_columns{said}"
            raise LogError(message(key, part=self.member, limit=limit, **size), file=self.shown)
        if rows * columns > MAX_SHEET_CELLS:
            said_cells = message(
                "io.error.sheet_cells",
                part=self.member,
                rows=Count(rows),
                columns=Count(columns),
                limit=Count(MAX_SHEET_CELLS),
            )
            raise LogError(said_cells, file=self.shown)


def _column_number(letters: bytes) -> int:
    """Excel column letters as a number: A → 1, XFD → 16,384."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number
