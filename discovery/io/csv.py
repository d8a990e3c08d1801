"""Reading CSV exports: encoding and delimiter sniffed, every value kept as text.

The encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252) and the
delimiter (`,` `;` tab `|`) are decided on the first megabyte and recorded in the notes.
Values stay text ("00123" stays "00123"); empty cells are missing. Rows are numbered as a
spreadsheet shows them: the header is row 1, the first data row is row 2.

Rows with too few fields are kept, padded with missing values, and noted; rows with more
non-empty fields than the header stop the read with an error naming the row and line,
since their values would land in the wrong columns.
"""

from __future__ import annotations

import csv as pycsv
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from discovery.errors import LogError
from discovery.io._gzip import open_bounded, read_up_to
from discovery.io._names import clean_headers, plural
from discovery.io._safety import GZIP_MAGIC, MiB, check_file, guarded, read_head, suffixes
from discovery.io._sniff import DELIMITERS, sniff_delimiter, sniff_encoding
from discovery.io._table import RawTable
from discovery.values.numbers import detect_decimal

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

SAMPLE_BYTES = 1 * MiB
_BLOCK = 16 * MiB

Opener = Callable[[], io.RawIOBase | io.BufferedReader]


@guarded("CSV")
def read_csv(path: str | Path, *, name: str | None = None) -> RawTable:
    """Read a CSV (or .csv.gz, .tsv, .txt) file with every value as text.

    >>> raw = read_csv("export.csv")  # doctest: +SKIP
    >>> raw.notes  # doctest: +SKIP
    ('encoding UTF-8 with BOM', "delimiter ';' (semicolon)", ...)
    """
    file, shown = check_file(path, name)
    notes: list[str] = []
    if read_head(file, 2) == GZIP_MAGIC:
        opener: Opener = lambda: open_bounded(file, shown)  # noqa: E731
        notes.append("gzip-compressed; decompressed within the size limits")
    else:
        opener = lambda: file.open("rb")  # noqa: E731
    with opener() as stream:
        sample = read_up_to(stream, SAMPLE_BYTES + 1)
    whole = len(sample) <= SAMPLE_BYTES
    sample = sample[:SAMPLE_BYTES]
    if not sample:
        raise LogError("file is empty (it decompresses to 0 bytes)", file=shown)
    encoding, label, text = sniff_encoding(sample, whole, shown)
    if not text.strip():
        raise LogError("file is empty (only whitespace)", file=shown)
    if not whole:
        text = text[: text.rfind("\n") + 1] or text
    delimiter = sniff_delimiter(text, suffixes(shown))
    notes.append(f"encoding {label}")
    if delimiter:
        notes.append(f"delimiter '{delimiter}' ({DELIMITERS[delimiter]})")
    else:
        notes.append("no delimiter found; read as a single column")
        delimiter = "\x1f"  # a control character that never appears: one column
    header = next(pycsv.reader(io.StringIO(text), delimiter=delimiter))
    names, renames = clean_headers(header)
    notes.extend(renames)
    try:
        frame, read_notes = _read(opener, encoding, delimiter, names, shown)
    except _NotUtf8:
        notes = [
            "encoding Windows-1252 (cp1252): the first megabyte was UTF-8 but later text is not"
            if note.startswith("encoding")
            else note
            for note in notes
        ]
        frame, read_notes = _read(opener, "cp1252", delimiter, names, shown)
    if frame.empty:
        raise LogError("has a header but no data rows", file=shown)
    notes.extend(read_notes)
    notes.extend(_decimal_notes(frame))
    return RawTable(frame=frame, source=shown, format="csv", notes=tuple(notes))


def _read(
    opener: Opener, encoding: str, delimiter: str, names: list[str], shown: str
) -> tuple[pd.DataFrame, list[str]]:
    try:
        return _read_fast(opener, encoding, delimiter, names)
    except _Malformed:
        return _read_slow(opener, encoding, delimiter, names, shown)


class _NotUtf8(Exception):
    pass


class _Malformed(Exception):
    pass


def _read_fast(
    opener: Opener, encoding: str, delimiter: str, names: list[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Read with pyarrow; raise _Malformed when some rows have the wrong number of fields."""
    columns = [f"c{i}" for i in range(len(names))]
    invalid: list[pacsv.InvalidRow] = []

    def on_invalid(row: pacsv.InvalidRow) -> Literal["skip"]:
        invalid.append(row)
        return "skip"

    read_options = pacsv.ReadOptions(column_names=columns, encoding=encoding, block_size=_BLOCK)
    parse_options = pacsv.ParseOptions(
        delimiter=delimiter,
        newlines_in_values=True,
        invalid_row_handler=on_invalid,
    )
    convert_options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(columns, pa.string()),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )
    with opener() as raw:
        counter = _LineCounter(raw) if encoding != "utf-16" else None
        stream = raw if counter is None else counter
        try:
            table = pacsv.read_csv(
                stream,  # type: ignore[arg-type]  # any binary file object; the stubs say IO
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            if "UTF8" in str(exc) or isinstance(exc, UnicodeDecodeError):
                raise _NotUtf8 from None
            raise _Malformed from None
    if invalid:
        raise _Malformed
    table = table.slice(1).rename_columns(names)
    frame = table.to_pandas()
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    notes: list[str] = []
    if counter is not None:
        embedded = sum(pc.sum(pc.count_substring(col, "\n")).as_py() or 0 for col in table.columns)
        embedded += sum(name.count("\n") for name in names)
        notes += _line_notes(counter.lines, len(frame), embedded)
    return frame, notes


def _read_slow(
    opener: Opener, encoding: str, delimiter: str, names: list[str], shown: str
) -> tuple[pd.DataFrame, list[str]]:
    """Read record by record, to pad short rows and name the line of a long one."""
    width = len(names)
    pycsv.field_size_limit(max(pycsv.field_size_limit(), 256 * MiB))
    rows: list[list[str | None]] = []
    index: list[int] = []
    short: list[int] = []
    trimmed: list[int] = []
    blank = 0
    with opener() as raw:
        text = io.TextIOWrapper(
            io.BufferedReader(raw) if isinstance(raw, io.RawIOBase) else raw,
            encoding="utf-8-sig" if encoding == "utf8" else encoding,
            newline="",
        )
        reader = pycsv.reader(text, delimiter=delimiter)
        try:
            next(reader)
            for fields in reader:
                if not fields:
                    blank += 1
                    continue
                row = len(rows) + 2
                if len(fields) > width:
                    if any(value.strip() for value in fields[width:]):
                        raise LogError(
                            f"has {len(fields)} fields where the header has {width} "
                            f"(line {reader.line_num} of the file); check the delimiter "
                            "and the quotes around values",
                            file=shown,
                            row=row,
                        )
                    trimmed.append(row)
                    fields = fields[:width]
                elif len(fields) < width:
                    short.append(row)
                    fields = fields + [""] * (width - len(fields))
                rows.append([value or None for value in fields])
                index.append(row)
        except (pycsv.Error, UnicodeDecodeError) as exc:
            raise LogError(
                f"could not be read as CSV near line {reader.line_num} ({exc})", file=shown
            ) from None
        lines = reader.line_num
    frame = pd.DataFrame(rows, columns=names, index=pd.Index(index), dtype="str")
    notes = []
    if short:
        notes.append(
            f"{plural(len(short), 'row')} had fewer fields than the header ({_rows(short)}); "
            "the missing fields were left empty"
        )
    if trimmed:
        notes.append(
            f"{plural(len(trimmed), 'row')} had extra empty fields at the end ({_rows(trimmed)}); "
            "they were dropped"
        )
    embedded = lines - 1 - len(rows) - blank
    notes += _line_notes(lines, len(rows), max(embedded, 0))
    return frame, notes


class _LineCounter(io.RawIOBase):
    """Passes a stream through, counting its lines."""

    def __init__(self, raw: io.RawIOBase | io.BufferedIOBase) -> None:
        super().__init__()
        self._raw = raw
        self._newlines = 0
        self._last = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        count = self._raw.readinto(buffer) or 0
        if count:
            view = memoryview(buffer)[:count]
            self._newlines += view.tobytes().count(b"\n")
            self._last = view[-1:].tobytes()
        return count

    @property
    def lines(self) -> int:
        return self._newlines + int(self._last not in (b"\n", b""))


def _line_notes(lines: int, rows: int, embedded: int) -> list[str]:
    """Explain why the file has more lines than rows + header, if it does."""
    blank = lines - 1 - rows - embedded
    notes = []
    if embedded > 0:
        notes.append(
            f"{plural(embedded, 'line break')} inside quoted values: the file's {lines:,} "
            f"lines hold {rows:,} data rows; row numbers count rows (the header is row 1), "
            "not lines"
        )
    if blank > 0:
        notes.append(
            f"{plural(blank, 'blank line')} skipped; row numbers count rows (the header is "
            "row 1), not lines"
        )
    return notes


def _decimal_notes(frame: pd.DataFrame) -> list[str]:
    notes = []
    for column in frame.columns:
        values = frame[column].iloc[:50_000].dropna()
        if detect_decimal(values) == ",":
            example = values[values.str.contains(",", regex=False)].iloc[0]
            notes.append(
                f"column '{column}' uses a decimal comma (e.g. '{example}'); values kept as text"
            )
    return notes


def _rows(rows: list[int], shown: int = 5) -> str:
    listed = ", ".join(str(r) for r in rows[:shown])
    return f"row{'s' if len(rows) > 1 else ''} {listed}" + (", ..." if len(rows) > shown else "")
