"""One entry point for every format: look at the file, then hand it to its reader."""

from __future__ import annotations

from pathlib import Path

from discovery.errors import LogError
from discovery.io._gzip import read_gzip_head
from discovery.io._safety import (
    GZIP_MAGIC,
    OLE_MAGIC,
    PARQUET_MAGIC,
    ZIP_MAGIC,
    Format,
    KiB,
    check_file,
    guarded,
    read_head,
    suffixes,
)
from discovery.io._table import RawTable
from discovery.io.csv import read_csv
from discovery.io.excel import read_excel
from discovery.io.parquet import read_parquet
from discovery.io.xes import read_xes
from discovery.words import message


@guarded("table")
def read_table(path: str | Path, *, sheet: str | None = None, name: str | None = None) -> RawTable:
    """Read a CSV, Excel, XES or Parquet file, whichever it is, into a RawTable.

    The format is decided from the content (magic bytes) and the extension of `name`
    (the file's original name, for uploads kept in temporary files) or of `path`.
    `sheet` picks an Excel sheet; other formats ignore it. Every problem with the input
    is a LogError naming the file.

    >>> raw = read_table("/tmp/upload-1234", name="export.csv")  # doctest: +SKIP
    >>> raw.format, raw.source  # doctest: +SKIP
    ('csv', 'export.csv')
    """
    file, shown = check_file(path, name)
    kind = detect_format(file, shown)
    if kind == "xlsx":
        return read_excel(file, sheet=sheet, name=shown)
    if kind == "xes":
        return read_xes(file, name=shown)
    if kind == "parquet":
        return read_parquet(file, name=shown)
    return read_csv(file, name=shown)


_EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb")


def detect_format(path: Path, shown: str) -> Format:
    """Decide the format from the magic bytes, then from the name's extension.

    Binary formats are recognised by content whatever their name; text is XES when the
    name ends in .xes (or the text starts like XML), else CSV.
    """
    head = read_head(path, 8)
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return "xlsx"
    ends = suffixes(shown)
    if head.startswith(GZIP_MAGIC):
        inner = ends[-2] if len(ends) >= 2 and ends[-1] == ".gz" else ""
        if inner == ".xes":
            return "xes"
        if inner in (".csv", ".tsv", ".txt"):
            return "csv"
        return "xes" if _looks_like_xml(read_gzip_head(path, shown, 4 * KiB)) else "csv"
    last = ends[-1] if ends else ""
    if last in _EXCEL_SUFFIXES:
        raise LogError(message("io.error.named_excel", suffix=last), file=shown)
    if last == ".parquet":
        raise LogError(message("io.error.named_parquet"), file=shown)
    if last == ".xes" or _looks_like_xml(read_head(path, 4 * KiB)):
        return "xes"
    return "csv"


def _looks_like_xml(head: bytes) -> bool:
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text.startswith((b"<?xml", b"<log"))
