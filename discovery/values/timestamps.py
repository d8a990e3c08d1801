"""Turning a column of dates as users write them into UTC timestamps.

Time-zone policy: times with a zone or offset are converted to UTC; times without one
are wall-clock times in the log's zone (default Europe/Amsterdam) and converted to UTC
from there. In the autumn hour that occurs twice, the first (summer-time) reading is
taken; a spring time that does not exist is moved forward to the next valid minute.
Both are counted and reported. Everything is stored in UTC.

Day-first or month-first is decided from the data (a day above 12 settles it) and the
decision is reported; where nothing settles it, day-first (the Dutch convention) is
taken and the report says so.

DuckDB reads the text here (its casts and strptime are fast and strict about real dates),
on a connection of its own that lives for one call (a cursor on one in-memory database): it
is a parser, like pandas', and not the substrate of the analyses. Those run through
`discovery.engine`, which sits above the log and is the only code that knows their backend.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from discovery.errors import LogError
from discovery.words import Count, Message, chain, message

DEFAULT_TIMEZONE = "Europe/Amsterdam"

_ISO = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$"
)
_YMD = re.compile(r"^(\d{4})([/.])(\d{1,2})\2(\d{1,2})(?P<time>(?:[ T].*)?)$")
_DMY = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})(?P<time>(?:[ T].*)?)$")
_TIME = {
    "": "",
    "hm": " %H:%M",
    "hms": " %H:%M:%S",
    "hmsf": " %H:%M:%S.%f",
}
_TIME_SHAPE = re.compile(r"^[ T]+(\d{1,2})[:.](\d{2})(?:[:.](\d{2})(?:[.,](\d{1,9}))?)?$")
_ZONE_SUFFIX = r"(?:Z|[+-]\d{2}:?\d{2})$"
# Excel serial day numbers from 1950 to 2100; 1899-12-30 is day 0 (Excel's leap-year bug).
_EXCEL_SERIAL_RANGE = (18_264, 73_051)
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_MAX_SHAPES = 20


@dataclass(frozen=True)
class ParsedTimes:
    """A parsed timestamp column: UTC values (NaT where missing or unparseable) and how:
    the formats found (kinds: "datetime_with_zone", "datetime", "date_cells",
    "excel_serial", "iso", "given" for the `date_format` given; or patterns such as
    "dd-mm-yyyy HH:MM") and notes (messages: `discovery.words.say` puts them in a language)."""

    values: pd.Series
    formats: tuple[str, ...]
    notes: tuple[Message, ...]


def parse_timestamps(
    raw: pd.Series,
    column: str,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    date_format: str | None = None,
    source: str | None = None,
) -> ParsedTimes:
    """Parse a column of dates to UTC; missing and unparseable values become NaT.

    `raw` may hold text, datetimes, or Excel serial numbers (mixed, as spreadsheets do).
    `date_format` (strptime, e.g. "%d-%m-%Y %H:%M") overrides detection.

    >>> parse_timestamps(pd.Series(["13-02-2024 09:30"]), "datum").values.iloc[0]
    Timestamp('2024-02-13 08:30:00+0000', tz='UTC')
    """
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        return ParsedTimes(raw.dt.tz_convert("UTC"), ("datetime_with_zone",), ())
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values, zone_notes = _localize(raw, timezone, column)
        return ParsedTimes(values, ("datetime",), zone_notes)
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return ParsedTimes(_from_excel_serial(raw, timezone, column), ("excel_serial",), ())

    if raw.dtype != object:
        return _parse_text_column(raw, column, timezone, date_format, source)
    result = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns, UTC]")
    kinds = raw.map(_kind_of)
    formats: list[str] = []
    notes: list[Message] = []
    extra: Sequence[Message]
    for kind, part in raw.groupby(kinds, sort=False):
        if kind == "missing":
            continue
        if kind == "datetime":
            parsed = pd.to_datetime(part.map(_naive), errors="coerce")
            values, extra = _localize(parsed, timezone, column)
            formats.append("date_cells")
        elif kind == "number":
            values, extra = _from_excel_serial(part.astype(float), timezone, column), ()
            formats.append("excel_serial")
        else:
            values, used, extra = _parse_text(
                part.astype(str).str.strip(), column, timezone, date_format, source
            )
            formats.extend(used)
        result.loc[values.index] = values
        notes.extend(extra)
    return ParsedTimes(result, tuple(formats), (*notes, *_mixed(formats, column, date_format)))


def _parse_text_column(
    raw: pd.Series, column: str, timezone: str, date_format: str | None, source: str | None
) -> ParsedTimes:
    """A column of text: missing where empty or blank, the rest parsed shape by shape."""
    if not pd.api.types.is_string_dtype(raw.dtype):  # categories, say
        raw = raw.astype("str")
    missing = blank_text(raw)
    filled = raw[~missing] if missing.any() else raw
    values, formats, notes = _parse_text(_stripped(filled), column, timezone, date_format, source)
    if missing.any():
        values = values.reindex(raw.index)
    return ParsedTimes(values, tuple(formats), (*notes, *_mixed(formats, column, date_format)))


def blank_text(values: pd.Series) -> np.ndarray:
    """Where a column of text is missing, empty or only white space (in Arrow: no copies)."""
    if not any(_chunk_may_be_blank(chunk) for chunk in _chunks(values)):  # usual, at a glance
        return np.zeros(len(values), dtype=bool)
    text = pa.array(values.array, from_pandas=True)
    empty = pc.equal(pc.utf8_length(text), pa.scalar(0))
    blank = pc.fill_null(pc.or_(pc.utf8_is_space(text), empty), pa.scalar(True))
    mask: np.ndarray = blank.to_numpy(zero_copy_only=False)
    return mask


def _chunk_may_be_blank(chunk: pa.Array[Any]) -> bool:
    """False only when no value of `chunk` is missing, empty or starts with white space:
    each value's first byte is printable ASCII other than a space (read from Arrow's
    buffers with numpy, about ten times faster than testing every value for white space)."""
    edges = _edge_bytes(chunk)
    return edges is None or not _all_printable(edges[0])


def _stripped(text: pd.Series) -> pd.Series:
    """`text` without white space around its values; copied only when a value may have some
    (its first or last byte is not printable ASCII: a space, a tab, or perhaps a no-break
    space), which a CSV of ten million dates rarely has."""
    for chunk in _chunks(text):
        edges = _edge_bytes(chunk)
        if edges is None or not (_all_printable(edges[0]) and _all_printable(edges[1])):
            return text.str.strip()
    return text


def _chunks(text: pd.Series) -> list[pa.Array[Any]]:
    """The Arrow chunks of a column of text (no copies where it is held in Arrow)."""
    array = pa.array(text.array, from_pandas=True)
    return array.chunks if isinstance(array, pa.ChunkedArray) else [array]


def _edge_bytes(chunk: pa.Array[Any]) -> tuple[np.ndarray, np.ndarray] | None:
    """The first and the last byte of each value of a chunk of text, read from Arrow's
    buffers; None when not known that way (not text, a value missing or empty)."""
    if chunk.type not in (pa.string(), pa.large_string()) or chunk.null_count:
        return None
    empty = np.empty(0, dtype=np.uint8)
    if not len(chunk):
        return empty, empty
    _validity, offset_buffer, data_buffer = chunk.buffers()
    if data_buffer is None or offset_buffer is None or not data_buffer.size:
        return None
    offset_type = np.int32 if chunk.type == pa.string() else np.int64
    offsets = np.frombuffer(memoryview(offset_buffer), dtype=offset_type)
    bounds = offsets[chunk.offset : chunk.offset + len(chunk) + 1].astype(np.int64)
    starts, ends = bounds[:-1], bounds[1:]
    if (ends <= starts).any():  # an empty value
        return None
    data = np.frombuffer(memoryview(data_buffer), dtype=np.uint8)
    return data[starts], data[ends - 1]


def _all_printable(first_or_last: np.ndarray) -> bool:
    return not ((first_or_last <= ord(" ")) | (first_or_last >= 0x7F)).any()


def _mixed(formats: list[str], column: str, date_format: str | None) -> tuple[Message, ...]:
    """The note on a column with more than one format, if it has."""
    if len(formats) < 2:
        return ()
    said = chain([_format_label(found, date_format) for found in formats], "io.list")
    return (message("dates.note.mixed_formats", column=column, formats=said),)


def _format_label(found: str, date_format: str | None) -> str | Message:
    """A format found, as said in the note on mixed formats: a pattern ("dd-mm-yyyy HH:MM")
    is itself; "iso", "excel_serial", "date_cells" and "given" (the format given) are words."""
    if found == "iso":
        return message("dates.format.iso")
    if found == "excel_serial":
        return message("dates.format.excel_serial")
    if found == "date_cells":
        return message("dates.format.date_cells")
    if found == "given":
        return message("dates.format.given", format=date_format)
    return found


def _kind_of(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return "missing"
    if isinstance(value, dt.datetime | dt.date | pd.Timestamp):
        return "datetime"
    if isinstance(value, int | float | np.number) and not isinstance(value, bool):
        return "number"
    if isinstance(value, str) and not value.strip():
        return "missing"
    return "text"


def _naive(value: object) -> object:
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return pd.Timestamp(value).tz_convert(None)
    return value


def _parse_text(
    text: pd.Series, column: str, timezone: str, date_format: str | None, source: str | None
) -> tuple[pd.Series, list[str], list[Message]]:
    """Parse text dates shape by shape; returns values, formats used and notes.

    A format is a pattern ("dd-mm-yyyy HH:MM"), "iso", "excel_serial" or "given" (the
    `date_format` given; see `_format_label`)."""
    if date_format:
        parsed = _strptime(text, date_format)
        values, zone_notes = _localize(parsed, timezone, column)
        return values, ["given"], list(zone_notes)

    result = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns, UTC]")
    remaining = text
    tried: set[str] = set()
    used: list[str] = []
    notes: list[Message] = []
    dayfirst: bool | None = None
    while len(remaining) and len(tried) < _MAX_SHAPES:
        example = _next_example(remaining, tried)
        if example is None:
            break
        tried.add(_shape(example))
        if _ISO.match(example):
            values, extra = _parse_iso(remaining, column, timezone)
            label = "iso"
        elif _as_serial(example):
            numbers = pd.to_numeric(remaining.str.replace(",", "."), errors="coerce")
            values, extra = _from_excel_serial(numbers, timezone, column), ()
            label = "excel_serial"
        else:
            fmt, decided, extra_notes = _strptime_format(
                example, remaining, dayfirst, column, source
            )
            if fmt is None:
                continue
            dayfirst = decided if decided is not None else dayfirst
            parsed = _strptime(remaining, fmt)
            values, extra = _localize(parsed, timezone, column)
            extra = (*extra_notes, *extra)
            label = _describe(fmt)
        found = values.notna().to_numpy()
        if not found.any():
            continue
        if found.all() and remaining is text:  # the usual case: one shape, all of it read
            result = values.astype("datetime64[ns, UTC]")
        else:
            result.loc[values.index[found]] = values[found]
        remaining = remaining[~found]
        used.append(label)
        notes.extend(extra)
    return result, used, notes


def _shape(text: str) -> str:
    return re.sub(r"\d", "9", text)


def _next_example(remaining: pd.Series, tried: set[str]) -> str | None:
    """A value of the most common date shape not tried yet."""
    example: str  # the values are text
    if not tried:
        example = remaining.iloc[0]
        return example
    shapes = remaining.str.replace(r"\d", "9", regex=True)
    for shape, _count in shapes.value_counts().items():
        if shape not in tried:
            example = remaining[shapes == shape].iloc[0]
            return example
    return None


def _as_serial(text: str) -> bool:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return False
    return _EXCEL_SERIAL_RANGE[0] <= number <= _EXCEL_SERIAL_RANGE[1]


def _parse_iso(
    text: pd.Series, column: str, timezone: str
) -> tuple[pd.Series, tuple[Message, ...]]:
    """ISO 8601 text: values with a zone or offset converted, the others read as local time."""
    zoned_query = f"SELECT text, regexp_matches(text, '{_ZONE_SUFFIX}') AS zoned FROM dates"
    query = (
        "SELECT zoned, CASE WHEN zoned THEN TRY_CAST(text AS TIMESTAMPTZ) END AS aware, "
        f"CASE WHEN NOT zoned THEN TRY_CAST(text AS TIMESTAMP) END AS naive FROM ({zoned_query})"
    )
    dates = _as_arrow(text)
    with _connection() as connection:  # closed before localizing: DuckDB's memory goes first
        connection.execute("SET TimeZone = 'UTC'")
        connection.register("dates", dates)
        zoned_any = _may_have_zone(dates["text"]) and bool(
            connection.sql(f"SELECT bool_or(zoned) FROM ({zoned_query})").fetchall()[0][0]
        )
        if zoned_any:
            parsed = connection.execute(query).df()
        else:
            naive = connection.sql("SELECT TRY_CAST(text AS TIMESTAMP) AS t FROM dates")
            wall = naive.to_arrow_table()["t"].to_numpy()
    if not zoned_any:
        local, notes = _localize(pd.Series(wall, index=text.index, copy=False), timezone, column)
        return local.astype("datetime64[ns, UTC]"), notes
    parsed.index = text.index
    zoned = parsed["zoned"].astype(bool)
    local, notes = _localize(parsed["naive"].where(~zoned), timezone, column)
    aware = pd.to_datetime(parsed["aware"], utc=True).astype("datetime64[ns, UTC]")
    return aware.where(zoned, local.astype("datetime64[ns, UTC]")), notes


def _may_have_zone(text: pa.ChunkedArray[Any]) -> bool:
    """False only when no value can end in `_ZONE_SUFFIX`: none ends in "Z", and none has a
    "+" or "-" 5 bytes from its end ("+0100"), or 6 with ":" 3 from its end ("+01:00").
    Read from the bytes of Arrow's text buffers with numpy (about 0.005 s for a million
    values, against 0.05 s for the regular expression); a value too short to hold a suffix,
    or a missing one, can only make it True (the regular expression then decides)."""
    return any(_chunk_may_have_zone(chunk) for chunk in text.chunks if len(chunk))


def _chunk_may_have_zone(chunk: pa.Array[Any]) -> bool:
    if chunk.type not in (pa.string(), pa.large_string()):
        return True
    _validity, offset_buffer, data_buffer = chunk.buffers()
    if data_buffer is None or offset_buffer is None or not data_buffer.size:
        return True
    offset_type = np.int32 if chunk.type == pa.string() else np.int64
    offsets = np.frombuffer(memoryview(offset_buffer), dtype=offset_type)
    ends = offsets[chunk.offset + 1 : chunk.offset + len(chunk) + 1].astype(np.int64)
    data = np.frombuffer(memoryview(data_buffer), dtype=np.uint8)
    before = [data[np.clip(ends - back, 0, len(data) - 1)] for back in range(7)]
    sign = (before[5] == ord("+")) | (before[5] == ord("-"))
    sign_colon = ((before[6] == ord("+")) | (before[6] == ord("-"))) & (before[3] == ord(":"))
    return bool((before[1] == ord("Z")).any() or sign.any() or sign_colon.any())


_DATABASE: list[duckdb.DuckDBPyConnection] = []  # one in-memory database, made on first use
_DATABASE_LOCK = threading.Lock()


def _connection() -> duckdb.DuckDBPyConnection:
    """A connection of its own for one call: a cursor on an in-memory database kept for the
    process (opening a database costs about 0.015 s, a cursor 0.0002 s). Its registered
    tables and settings are its own, and go when it is closed."""
    with _DATABASE_LOCK:
        if not _DATABASE:
            _DATABASE.append(duckdb.connect())
        return _DATABASE[0].cursor()


_INHERITED: list[duckdb.DuckDBPyConnection] = []  # the parent's, never touched in a child


def _forget_database() -> None:
    """In a forked child: open a database of its own when next needed. The parent's is
    kept, not freed: closing it there crashes the child (PySpark forks to start Java)."""
    _INHERITED.extend(_DATABASE)
    _DATABASE.clear()


os.register_at_fork(after_in_child=_forget_database)


def _strptime_format(
    example: str, text: pd.Series, dayfirst: bool | None, column: str, source: str | None
) -> tuple[str | None, bool | None, tuple[Message, ...]]:
    """The strptime format of `example`'s shape, deciding day/month order from `text`."""
    if match := _YMD.match(example):
        time = _time_format(match.group("time"))
        sep = match.group(2)
        return (None if time is None else f"%Y{sep}%m{sep}%d{time}"), None, ()
    match = _DMY.match(example)
    if not match:
        return None, None, ()
    time = _time_format(match.group("time"))
    if time is None:
        return None, None, ()
    sep, year = match.group(2), "%Y" if len(match.group(4)) == 4 else "%y"
    day_first = f"%d{sep}%m{sep}{year}{time}"
    month_first = f"%m{sep}%d{sep}{year}{time}"
    if dayfirst is not None:
        return (day_first if dayfirst else month_first), dayfirst, ()
    as_day_first = _strptime(text, day_first)
    as_month_first = _strptime(text[as_day_first.isna()], month_first)
    day_evidence = text[as_day_first.dt.day > 12]
    month_evidence = text[as_month_first.index[as_month_first.notna()]]
    if len(day_evidence) and len(month_evidence):
        said = message(
            "dates.error.mixed_order",
            day_row=str(day_evidence.index[0]),
            day_value=str(day_evidence.iloc[0]),
            month_row=str(month_evidence.index[0]),
            month_value=str(month_evidence.iloc[0]),
        )
        raise LogError(said, file=source, column=column)
    if len(month_evidence):
        return month_first, False, (_decided(column, month_first, month_evidence, as_month_first),)
    if len(day_evidence):
        return day_first, True, (_decided(column, day_first, day_evidence, as_day_first),)
    note = message("dates.note.undecided", column=column, format=_describe(day_first))
    return day_first, True, (note,)


def _as_arrow(text: pd.Series) -> pa.Table:
    """Text as a one-column Arrow table named `text`, for DuckDB, without Python objects."""
    return pa.table({"text": pa.array(text.astype("string[pyarrow]").array)})


def _decided(column: str, fmt: str, evidence: pd.Series, parsed: pd.Series) -> Message:
    """The note saying which date order was taken and the row that settled it."""
    order = "dates.day_first" if fmt.index("%d") < fmt.index("%m") else "dates.month_first"
    row = evidence.index[0]
    return message(
        "dates.note.decided",
        column=column,
        order=message(order),
        format=_describe(fmt),
        row=str(row),
        value=str(evidence.iloc[0]),
        day=str(parsed[row].day),
    )


def _strptime(text: pd.Series, fmt: str) -> pd.Series:
    """Parse text with a strptime format (DuckDB's: fast, and strict about real dates)."""
    with _connection() as connection:
        connection.register("dates", _as_arrow(text))
        query = "SELECT try_strptime(text, $fmt) AS t FROM dates"
        parsed = connection.execute(query, {"fmt": fmt}).df()["t"]
    parsed.index = text.index
    return parsed.where(parsed.dt.year >= 1000).astype("datetime64[ns]")


def _time_format(time: str) -> str | None:
    if not time.strip():
        return ""
    match = _TIME_SHAPE.match(time)
    if not match:
        return None
    body = time.lstrip(" T")
    sep = body[len(match.group(1))]
    fmt = f"%H{sep}%M" + (f"{sep}%S" if match.group(3) else "")
    if match.group(4):
        fmt += body[len(body) - len(match.group(4)) - 1] + "%f"
    return time[: len(time) - len(body)] + fmt


def _describe(fmt: str) -> str:
    for code, word in (("%d", "dd"), ("%m", "mm"), ("%Y", "yyyy"), ("%y", "yy"), ("%H", "HH")):
        fmt = fmt.replace(code, word)
    return fmt.replace("%M", "MM").replace("%S", "SS").replace("%f", "ffffff")


def _localize(
    naive: pd.Series, timezone: str, column: str
) -> tuple[pd.Series, tuple[Message, ...]]:
    """Read naive wall-clock times in `timezone` and convert them to UTC."""
    typed = pd.api.types.is_datetime64_any_dtype(naive.dtype)
    values = naive if typed else pd.to_datetime(naive, errors="coerce")  # typed: no copy
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        return values.dt.tz_convert("UTC"), ()
    ticks = values.to_numpy().astype("datetime64[ns]").view("int64")  # ours to change
    rest = ticks != _NO_OFFSET  # NaT is the smallest integer
    offsets = _hour_offsets(ticks, rest, timezone)
    if offsets is not None:  # NaT's hour lies before the first: never known
        first, offset = offsets
        padded = np.concatenate(([_NO_OFFSET], offset, [_NO_OFFSET]))  # hours outside: unknown
        for block in range(0, len(ticks), _BLOCK):  # a block at a time: no copies of it all
            part, unread = ticks[block : block + _BLOCK], rest[block : block + _BLOCK]
            hour = part // _HOUR
            hour -= first - 1
            np.clip(hour, 0, len(padded) - 1, out=hour)
            shift = padded.take(hour)
            known = shift != _NO_OFFSET
            np.subtract(part, shift, out=part, where=known)
            unread &= ~known
    shifted = doubled = 0
    if rest.any():
        unmoved = pd.Series(ticks[rest].view("datetime64[ns]"))  # as read: not moved above
        ticks[rest], shifted, doubled = _localize_exactly(unmoved, timezone)
    notes = []
    for key, count in (("dates.note.spring", shifted), ("dates.note.autumn", doubled)):
        if count:  # `times` as Python writes it, `count` picks the plural form
            notes.append(message(key, column=column, times=str(count), count=Count(count)))
    utc = pd.Series(ticks.view("datetime64[ns]"), index=naive.index, copy=False)  # ours
    utc = utc.dt.tz_localize("UTC")
    return utc, tuple(notes)


_HOUR = 3_600_000_000_000  # nanoseconds
_MAX_HOURS = 1_000_000  # 114 years of hours: a table of offsets at most this long
_NO_OFFSET = np.iinfo("int64").min
_BLOCK = 1 << 20  # times moved to UTC a million at a time


def _hour_offsets(
    ticks: np.ndarray, valid: np.ndarray, timezone: str
) -> tuple[int, np.ndarray] | None:
    """Per wall-clock hour from the first of the `valid` `ticks` (naive nanoseconds) to the
    last: the zone's offset (nanoseconds) where one offset holds for the whole hour,
    `_NO_OFFSET` where it changes (a time that is doubled, skipped, or a change of offset
    within the hour). None when there are no times or the span is too long: a table of
    offsets per hour then costs more than it saves."""
    if not valid.any():
        return None
    lowest = ticks.min(initial=np.iinfo("int64").max, where=valid)
    highest = ticks.max(initial=_NO_OFFSET, where=valid)
    first, last = int(lowest // _HOUR), int(highest // _HOUR)
    if last - first > _MAX_HOURS:
        return None
    starts = pd.DatetimeIndex(np.arange(first, last + 2, dtype="int64") * _HOUR)
    wall = starts.asi8
    utc = starts.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT").asi8
    offset = np.where(utc == _NO_OFFSET, _NO_OFFSET, wall - utc)
    steady = (offset[:-1] == offset[1:]) & (offset[:-1] != _NO_OFFSET)
    return first, np.where(steady, offset[:-1], _NO_OFFSET)


def _localize_exactly(values: pd.Series, timezone: str) -> tuple[np.ndarray, int, int]:
    """Naive times (none missing) read in `timezone` as UTC nanoseconds: an autumn time that
    occurs twice as the first (summer-time) reading, a spring time that does not exist
    moved forward; with how many were moved (spring) and how many were doubled (autumn)."""
    ambiguous = np.ones(len(values), dtype=bool)
    local = values.dt.tz_localize(timezone, ambiguous=ambiguous, nonexistent="shift_forward")
    strict = values.dt.tz_localize(timezone, ambiguous="NaT", nonexistent="NaT")
    unclear = strict.isna()
    shifted = int((unclear & (local.dt.tz_localize(None) != values)).sum())
    doubled = int(unclear.sum()) - shifted
    utc: np.ndarray = local.dt.tz_convert("UTC").array.asi8
    return utc, shifted, doubled


def _from_excel_serial(numbers: pd.Series, timezone: str, column: str) -> pd.Series:
    plausible = numbers.between(*_EXCEL_SERIAL_RANGE)
    days = numbers.where(plausible)
    naive = _EXCEL_EPOCH + pd.to_timedelta(days * 86_400, unit="s").dt.round("s")
    return _localize(naive, timezone, column)[0]
