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
from discovery.io._names import clean_headers
from discovery.io._safety import GZIP_MAGIC, MiB, check_file, guarded, read_head, suffixes
from discovery.io._sniff import DELIMITERS, sniff_delimiter, sniff_encoding
from discovery.io._table import RawTable
from discovery.values.numbers import detect_decimal
from discovery.words import Count, Message, message

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

SAMPLE_BYTES = 1 * MiB
_BLOCK = 16 * MiB

Opener = Callable[[], io.RawIOBase | io.BufferedReader]


@guarded("csv")
def read_csv(path: str | Path, *, name: str | None = None) -> RawTable:
    """Read a CSV (or .csv.gz, .tsv, .txt) file with every value as text.

    >>> raw = read_csv("export.csv")  # doctest: +SKIP
    >>> [say(note) for note in raw.notes]  # doctest: +SKIP
    ['encoding UTF-8 with BOM', "delimiter ';' (semicolon)", ...]
    """
    file, shown = check_file(path, name)
    notes: list[Message] = []
    if read_head(file, 2) == GZIP_MAGIC:
        opener: Opener = lambda: open_bounded(file, shown)  # noqa: E731
        notes.append(message("io.note.gzip"))
    else:
        opener = lambda: file.open("rb")  # noqa: E731
    with opener() as stream:
        sample = read_up_to(stream, SAMPLE_BYTES + 1)
    whole = len(sample) <= SAMPLE_BYTES
    sample = sample[:SAMPLE_BYTES]
    if not sample:
        raise LogError(message("io.error.empty_decompressed"), file=shown)
    encoding, label, text = sniff_encoding(sample, whole, shown)
    if not text.strip():
        raise LogError(message("io.error.whitespace"), file=shown)
    if not whole:
        text = text[: text.rfind("\n") + 1] or text
    delimiter = sniff_delimiter(text, suffixes(shown))
    notes.append(message("io.note.encoding", encoding=label))
    if delimiter:
        called = message(f"io.delimiter.{DELIMITERS[delimiter]}")
        notes.append(message("io.note.delimiter", delimiter=delimiter, name=called))
    else:
        notes.append(message("io.note.no_delimiter"))
        delimiter = "\x1f"  # a control character that never appears: one column
    header = next(pycsv.reader(io.StringIO(text), delimiter=delimiter))
    names, renames = clean_headers(header)
    notes.extend(renames)
    try:
        frame, read_notes = _read(opener, encoding, delimiter, names, shown)
    except _NotUtf8:
        notes = [
            message("io.note.encoding_late") if note.key == "io.note.encoding" else note
            for note in notes
        ]
        frame, read_notes = _read(opener, "cp1252", delimiter, names, shown)
    if frame.empty:
        raise LogError(message("io.error.no_data_rows"), file=shown)
    notes.extend(read_notes)
    notes.extend(_decimal_notes(frame))
    return RawTable(frame=frame, source=shown, format="csv", notes=tuple(notes))


def _read(
    opener: Opener, encoding: str, delimiter: str, names: list[str], shown: str
) -> tuple[pd.DataFrame, list[Message]]:
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
) -> tuple[pd.DataFrame, list[Message]]:
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
        column_types=dict.fromkeys(columns, pa.large_string()),  # as pandas holds text
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
    notes: list[Message] = []
    if counter is not None and counter.lines - 1 > len(frame):  # else no line breaks in values
        embedded = sum(pc.sum(pc.count_substring(col, "\n")).as_py() or 0 for col in table.columns)
        embedded += sum(name.count("\n") for name in names)
        notes += _line_notes(counter.lines, len(frame), embedded)
    return frame, notes


def _read_slow(
    opener: Opener, encoding: str, delimiter: str, names: list[str], shown: str
) -> tuple[pd.DataFrame, list[Message]]:
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
                        said = message(
                            "io.error.too_many_fields",
                            fields=str(len(fields)),
                            width=str(width),
                            line=str(reader.line_num),
                        )
                        raise LogError(said, file=shown, row=row)
                    trimmed.append(row)
                    fields = fields[:width]
                elif len(fields) < width:
                    short.append(row)
                    fields = fields + [""] * (width - len(fields))
                rows.append([value or None for value in fields])
                index.append(row)
        except (pycsv.Error, UnicodeDecodeError) as exc:
            said = message("io.error.csv_syntax", line=str(reader.line_num), reason=str(exc))
            raise LogError(said, file=shown) from None
        lines = reader.line_num
    frame = pd.DataFrame(rows, columns=names, index=pd.Index(index), dtype="str")
    notes = []
    if short:
        notes.append(message("io.note.short_rows", count=Count(len(short)), rows=_rows(short)))
    if trimmed:
        listed = _rows(trimmed)
        notes.append(message("io.note.trimmed_rows", count=Count(len(trimmed)), rows=listed))
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


def _line_notes(lines: int, rows: int, embedded: int) -> list[Message]:
    """Explain why the file has more lines than rows + header, if it does."""
    blank = lines - 1 - rows - embedded
    notes = []
    if embedded > 0:
        notes.append(
            message(
                "io.note.line_breaks", count=Count(embedded), lines=Count(lines), rows=Count(rows)
            )
        )
    if blank > 0:
        notes.append(message("io.note.blank_lines", count=Count(blank)))
    return notes


def _decimal_notes(frame: pd.DataFrame) -> list[Message]:
    notes = []
    for column in frame.columns:
        values = frame[column].iloc[:50_000].dropna()
        if detect_decimal(values) == ",":
            example = values[values.str.contains(",", regex=False)].iloc[0]
            notes.append(message("io.note.decimal_comma", column=column, example=example))
    return notes


def _rows(rows: list[int], shown: int = 5) -> Message:
    """ "row 3" or "rows 3, 4, 5, 6, 7, ..." (row numbers as the file has them)."""
    listed = ", ".join(str(r) for r in rows[:shown]) + (", ..." if len(rows) > shown else "")
    return message("io.rows", count=Count(len(rows)), rows=listed)
