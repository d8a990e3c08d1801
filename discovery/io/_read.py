"""One entry point for every format: look at the file, then hand it to its reader."""

from __future__ import annotations

from pathlib import Path

from discovery.io._safety import check_file, detect_format, guarded
from discovery.io._table import RawTable
from discovery.io.csv import read_csv
from discovery.io.excel import read_excel
from discovery.io.parquet import read_parquet
from discovery.io.xes import read_xes


@guarded("a table")
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
