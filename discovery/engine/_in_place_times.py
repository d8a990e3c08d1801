"""Timestamps of a log in place: a column as stored turned into UTC, as an Ibis expression
that runs on the log's own backend.

The canonical time is a timestamp without zone holding UTC (so that no backend converts it
through its session's zone). Values with a zone are converted to UTC; values without one
are wall-clock times in the log's zone, as the local reader reads them
(`discovery.values.timestamps`): the zone's offsets over the span of the values become one
CASE expression (an autumn hour that occurs twice read as summer time, a spring hour that
does not exist moved to the next valid time). Text is read with the format that
`parse_timestamps` detects on a sample; a value that does not have that shape is unreadable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pandas as pd
from ibis.expr.types import Table, Value

from discovery.values.timestamps import parse_timestamps

UTC = dt.Timestamp(timezone=None, scale=6)
_ZONED = r"(Z|[+-][0-9]{2}:?[0-9]{2})$"
_ISO = r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?)?"
_PATTERN_PARTS = {
    "%d": "[0-9]{1,2}", "%m": "[0-9]{1,2}", "%Y": "[0-9]{4}", "%y": "[0-9]{2}",
    "%H": "[0-9]{1,2}", "%M": "[0-9]{2}", "%S": "[0-9]{2}", "%f": "[0-9]{1,9}",
}  # fmt: skip
_LABEL_CODES = (("yyyy", "%Y"), ("yy", "%y"), ("dd", "%d"), ("mm", "%m"), ("HH", "%H"),
                ("MM", "%M"), ("SS", "%S"), ("ffffff", "%f"))  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """How a column's stored values are read: `kind` "zoned" (a timestamp with zone),
    "naive" (without zone, or a date), "iso" (ISO 8601 text, with or without an offset)
    or "pattern" (text in the strptime `pattern`)."""

    kind: str
    pattern: str | None = None


def reading_of(table: Table, column: str, sample: pd.Series) -> Reading | None:
    """How `column` of `table` is read, decided from its type and a `sample` of its values;
    None when its text has no format the backend can read in one pattern."""
    kind = table[column].type()
    if kind.is_timestamp():
        return Reading("zoned" if kind.timezone is not None else "naive")
    if kind.is_date():
        return Reading("naive")
    if not kind.is_string():
        return None
    text = sample.dropna().astype(str).str.strip()
    formats = parse_timestamps(text[text != ""], column).formats if len(text) else ("iso",)
    if formats == ("iso",):
        return Reading("iso")
    if len(formats) == 1 and formats[0] not in ("excel_serial", "date_cells", "given"):
        return Reading("pattern", _pattern_of(formats[0]))
    return None


def _pattern_of(label: str) -> str:
    """The strptime pattern of a format as `parse_timestamps` describes it ("dd-mm-yyyy HH:MM")."""
    for word, code in _LABEL_CODES:
        label = label.replace(word, code)
    return label


def readable(value: Value, reading: Reading) -> Value:
    """Whether a stored value (not blank) can be read: always, unless it is text without
    the reading's shape."""
    if reading.kind == "iso":
        return value.strip().re_search(_ISO + "(" + _ZONED + ")?$")
    if reading.kind == "pattern" and reading.pattern is not None:
        shape = "".join(
            _PATTERN_PARTS.get(part, re.escape(part))
            for part in re.findall(r"%.|[^%]+", reading.pattern)
        )
        return value.strip().re_search("^" + shape + "$")
    return ibis.literal(True)


def wall_clock(value: Value, reading: Reading) -> tuple[Value, Value]:
    """A readable value as (the UTC time of a value with a zone, the wall-clock time of a
    value without one): one of them null."""
    none = ibis.null().cast(UTC)
    if reading.kind == "zoned":
        return value.cast(UTC), none
    if reading.kind == "naive":
        return none, value.cast(UTC)
    text = value.strip()
    if reading.kind == "pattern" and reading.pattern is not None:
        return none, text.as_timestamp(reading.pattern).cast(UTC)
    zoned = text.re_search(_ZONED)
    aware = text.cast(dt.Timestamp(timezone="UTC")).cast(UTC)
    return ibis.ifelse(zoned, aware, none), ibis.ifelse(
        zoned, none, text.replace("T", " ").cast(UTC)
    )


def localized(wall: Value, first: pd.Timestamp, last: pd.Timestamp, timezone: str) -> Value:
    """Wall-clock times between `first` and `last` read in `timezone`, as UTC: one CASE over
    the stretches of constant offset (`offset_stretches`)."""
    stretches = offset_stretches(first, last, timezone)
    branches = []
    for end, offset_s, fixed in stretches[:-1]:
        branches.append((wall < ibis.literal(end, type=UTC), _shifted(wall, offset_s, fixed)))
    _end, offset_s, fixed = stretches[-1]
    otherwise = _shifted(wall, offset_s, fixed)
    return ibis.cases(*branches, else_=otherwise) if branches else otherwise


def _shifted(wall: Value, offset_s: int, fixed: pd.Timestamp | None) -> Value:
    if fixed is not None:
        return ibis.literal(fixed, type=UTC)
    return wall - ibis.interval(seconds=offset_s) if offset_s else wall


_HOUR_NS = 3_600_000_000_000


def offset_stretches(
    first: pd.Timestamp, last: pd.Timestamp, timezone: str
) -> list[tuple[pd.Timestamp, int, pd.Timestamp | None]]:
    """The wall-clock hours from `first` to `last` in stretches: (where the stretch ends,
    its offset in seconds, or the one UTC time every value of it takes: a spring hour that
    does not exist, moved forward as pandas' shift_forward). An hour that occurs twice
    takes the offset of the hour before it (summer time), as the local reader does."""
    hours = pd.date_range(
        first.floor("h"), last.floor("h") + pd.Timedelta(hours=1), freq="h"
    ).as_unit("ns")
    local = hours.tz_localize(timezone, ambiguous=np.ones(len(hours), bool), nonexistent="NaT")
    offsets = (
        hours.asi8 - local.tz_convert("UTC").tz_localize(None).as_unit("ns").asi8
    ) // 1_000_000_000
    gap = local.isna()
    moved = pd.DatetimeIndex(hours[gap]).tz_localize(
        timezone, ambiguous=True, nonexistent="shift_forward"
    )
    fixed = pd.Series(pd.NaT, index=hours, dtype="datetime64[ns]")
    fixed[gap] = moved.tz_convert("UTC").tz_localize(None)
    stretches: list[tuple[pd.Timestamp, int, pd.Timestamp | None]] = []
    for hour, offset, is_gap, at in zip(hours, offsets, gap, fixed, strict=True):
        key = (0, at) if is_gap else (int(offset), None)
        end = hour + pd.Timedelta(hours=1)
        if stretches and (stretches[-1][1], stretches[-1][2]) == key:
            stretches[-1] = (end, *key)
        else:
            stretches.append((end, *key))
    return stretches
