"""A log that stays where it lives: its canonical events as an Ibis expression on the
place's own backend (DuckDB, PostgreSQL, Spark), and the queries on it run there.

The canonical events: `case_id` (text), `activity`, `timestamp` (UTC, a timestamp without
zone), where mapped `start_timestamp`, `resource`, `department`, `channel` (text), `score`,
`cost`, `lifecycle` (as stored: no start and complete events are merged in place), then the
user's other columns under their own names. Rows without a case, an activity or a readable time
are left out and counted per reason in `InPlaceQuality`.

Order within a case (no source position exists in place): timestamp, then activity,
resource, department and channel compared as text by code point (UTF-8 bytes), a missing
value first. On a log where no two events of a case share a time this is the local
reader's order; `InPlaceQuality.tied_events` says how many events share their case and time.

>>> log = open_in_place(place_of(expr.memtable(frame), "memory"))  # doctest: +SKIP
>>> run_in_place(log.events.count())  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
from ibis.expr.types import Table, Value

from discovery.engine._in_place_lifecycle import folded, transitions
from discovery.engine._in_place_times import (
    UTC,
    Reading,
    localized,
    readable,
    reading_of,
    wall_clock,
)
from discovery.engine.places import Place
from discovery.errors import LogError
from discovery.log.schema import NO_VALUE, ColumnMapping, Role, detect_roles
from discovery.values.timestamps import DEFAULT_TIMEZONE
from discovery.words import message

UTC_TIME = UTC
"""The canonical time's type: a timestamp without zone, holding UTC."""
SAMPLE_ROWS = 2_000
"""Rows read to detect the roles and the timestamps' format."""
TEXT_ROLES: tuple[Role, ...] = ("activity", "resource", "department", "channel")
TIE_BREAK: tuple[str, ...] = ("activity", "resource", "department", "channel")
"""The columns that order a case's events sharing a time, after the timestamp."""


@dataclass(frozen=True)
class InPlaceQuality:
    """Every row read is used or counted under one reason (in this order: a missing case,
    a missing activity, a missing time, a time that cannot be read); `tied_events`: events
    that share their case and time with another (ordered by `TIE_BREAK`); `merged_rows`:
    used rows folded into another event (a start or schedule into its complete)."""

    rows_read: int
    rows_used: int
    missing_case_id: int
    missing_activity: int
    missing_timestamp: int
    unreadable_timestamp: int
    tied_events: int
    merged_rows: int = 0

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - self.rows_used


@dataclass(frozen=True)
class InPlaceLog:
    """A log in place: where it lives, its roles, its zone, its canonical `events` (an Ibis
    expression on the place's backend) and its quality counts. A filtered log keeps its
    parent's place, mapping and quality, with fewer `events`."""

    place: Place
    mapping: ColumnMapping
    timezone: str
    events: Table
    quality: InPlaceQuality
    filters: tuple[Any, ...] = field(default=())

    def has(self, column: str) -> bool:
        return column in self.events.columns

    @property
    def source(self) -> str:
        return self.place.shown


def run_in_place(expression: Table | Value) -> pd.DataFrame:
    """Run an expression on its own backend (the log's place); the small result as pandas
    (a scalar as a one-cell frame named `value`)."""
    if isinstance(expression, Table):
        frame: pd.DataFrame = expression.to_pandas()
        return frame
    return pd.DataFrame({"value": [expression.to_pandas()]})


def open_in_place(
    place: Place,
    mapping: Mapping[str, str] | ColumnMapping | None = None,
    *,
    timezone: str = DEFAULT_TIMEZONE,
) -> InPlaceLog:
    """The log at `place`: roles detected on a sample of rows (`detect_roles`, English and
    Dutch headers) unless given, times read as `discovery.values.timestamps` reads them,
    and the quality counts computed where the rows live."""
    _utc_session(place)
    table = place.table
    sample = run_in_place(table.limit(SAMPLE_ROWS))
    given: Mapping[str, str] | None = (
        dict(mapping.columns.items()) if isinstance(mapping, ColumnMapping) else mapping
    )
    roles = detect_roles(sample, given, source=place.shown)
    readings = {
        role: _reading(place, roles[role], sample)
        for role in ("timestamp", "start_timestamp")
        if role in roles
    }
    raw = table.select(
        **{f"_raw_{role}": table[column] for role, column in roles.columns.items()},
        **{c: table[c] for c in table.columns if c not in set(roles.columns.values())},
    )
    checked = _checked(raw, roles, readings, timezone)
    events = checked.filter(checked._reason == 0).drop("_reason")
    if "lifecycle" in roles and "start_timestamp" not in roles:
        present = set(run_in_place(transitions(events))["lifecycle"])
        events = folded(events, lambda table: _in_case_order(place.backend, table), present)
    return InPlaceLog(place, roles, timezone, events, _quality(checked, events))


def _utc_session(place: Place) -> None:
    """Sessions in UTC, so that no backend reads a time through a local zone; PostgreSQL's
    floats as text in their shortest digits (`_text`), whatever the server's setting."""
    backend = place.table._find_backend(use_default=True)
    if place.backend == "postgres":
        backend.raw_sql("SET TIME ZONE 'UTC'")
        backend.raw_sql("SET extra_float_digits = 1")
    elif place.backend == "pyspark":
        backend._session.conf.set("spark.sql.session.timeZone", "UTC")


def _reading(place: Place, column: str, sample: pd.DataFrame) -> Reading:
    if place.backend == "pyspark" and _spark_instants(place, column):
        return Reading("zoned")
    reading = reading_of(place.table, column, sample[column])
    if reading is None:
        said = message("inplace.error.time_format", column=column)
        raise LogError(said, file=place.shown, column=column)
    return reading


def _spark_instants(place: Place, column: str) -> bool:
    """Whether a Spark column holds instants (TIMESTAMP, which Ibis names a timestamp
    without zone as it names TIMESTAMP_NTZ): asked of Spark's own schema, nothing run."""
    backend = place.table._find_backend(use_default=True)
    schema = backend._session.sql(ibis.to_sql(place.table, dialect="pyspark")).schema
    return bool(schema[column].dataType.typeName() == "timestamp")


def _text(value: Value) -> Value:
    """A value as text, missing where empty or blank; a float as the local reader writes it
    (`discovery.log.event_log.as_text`) on every backend, whatever its own text of floats
    (PostgreSQL "85", Spark "1.0E-5"): a whole number as an integer (123.0 → "123"), any
    other by Python's repr (85.5 → "85.5", 1e-05 → "1e-05"), NaN missing."""
    if value.type().is_floating():
        text = _float_text(value.cast(dt.float64))
    else:
        text = value.cast(dt.string)
    return ibis.ifelse(text.strip() == "", ibis.null(dt.string), text)


EXACT_WHOLE = 2.0**63
"""Below this a whole float is an exact int64 on every backend (every float from 2**52 up is
whole); from it up its text is its shortest digits padded with zeros."""


def _float_text(value: Value) -> Value:
    """Python's text of a float (`_text`): whole ones below `EXACT_WHOLE` through int64, the
    rest from the backend's own shortest digits (`_python_text`); in this order, as a larger
    value would overflow int64 in the fourth branch."""
    text = value.cast(dt.string)
    return ibis.cases(
        (value.isnull() | value.isnan(), ibis.null(dt.string)),
        (value.isinf(), ibis.ifelse(value > 0, "inf", "-inf")),
        (value.abs() >= EXACT_WHOLE, _python_text(text, whole=True)),
        (value == value.floor(), value.cast(dt.int64).cast(dt.string)),
        else_=_python_text(text, whole=False),
    )


def _python_text(text: Value, *, whole: bool) -> Value:
    """A finite float's text in any backend's form ("-85.5", "1e-05", "2.5e+20", "1.0E-5",
    "2.5E20") as Python writes it from the same digits: positional where the exponent is
    from -4 to 15, else d.ddde±XX; a `whole` value as its digits padded with zeros (2.5e22 →
    "25000000000000000000000": int() gives the same where those digits are exact; 1e23 is
    "99999999999999991611392" to int())."""
    sign = text.re_extract(r"^(-?)", 1).fill_null("")
    integer = text.re_extract(r"^-?([0-9]*)", 1).fill_null("")
    fraction = text.re_extract(r"^-?[0-9]*\.([0-9]*)", 1).fill_null("")
    exponent = text.re_extract(r"[eE]\+?(-?[0-9]+)$", 1).fill_null("")
    power = ibis.ifelse(exponent == "", 0, exponent.cast(dt.int64))
    joined = integer.concat(fraction)
    leading = joined.re_replace(r"^0+", "")
    digits = leading.re_replace(r"0+$", "")
    point = integer.length() + power - (joined.length() - leading.length())  # 0.DIGITS × 10^point
    point = point.cast(dt.int32)  # PostgreSQL's repeat takes no bigint
    count = digits.length().cast(dt.int32)
    zeros = ibis.literal("0")
    padded = digits.concat(zeros.repeat(ibis.greatest(point - count, 0).cast(dt.int32)))
    if whole:
        return sign.concat(padded)
    positional = ibis.cases(
        (point <= 0, ibis.literal("0.").concat(zeros.repeat(-point), digits)),
        (point >= count, padded.concat(".0")),
        else_=digits.substr(0, point).concat(".", digits.substr(point)),
    )
    after = ibis.ifelse(count > 1, ibis.literal(".").concat(digits.substr(1)), "")
    size = (point - 1).abs().cast(dt.string)
    scientific = digits.substr(0, 1).concat(
        after,
        ibis.ifelse(point - 1 < 0, "e-", "e+"),
        ibis.ifelse(size.length() < 2, ibis.literal("0").concat(size), size),
    )
    return sign.concat(ibis.ifelse((point - 1 >= -4) & (point - 1 < 16), positional, scientific))


def _checked(
    raw: Table, roles: ColumnMapping, readings: dict[str, Reading], timezone: str
) -> Table:
    """The rows with their canonical columns and `_reason` (0: used; 1-4: missing case,
    missing activity, missing time, unreadable time)."""
    texts = {"case_id": _text(raw["_raw_case_id"])}
    texts |= {role: _text(raw[f"_raw_{role}"]) for role in TEXT_ROLES if role in roles}
    parts: dict[str, Value] = {}
    for role, reading in readings.items():
        stored = raw[f"_raw_{role}"]
        blank = _text(stored).isnull() if stored.type().is_string() else stored.isnull()
        ok = ~blank & readable(stored, reading)
        aware, wall = wall_clock(stored, reading)  # read only where readable: strict parsers
        parts |= {f"_{role}_blank": blank, f"_{role}_ok": ok}
        parts |= {f"_{role}_aware": ibis.ifelse(ok, aware, ibis.null(UTC))}
        parts |= {f"_{role}_wall": ibis.ifelse(ok, wall, ibis.null(UTC))}
    table = raw.mutate(**texts, **parts)
    times = {
        role: ibis.ifelse(
            table[f"_{role}_ok"],
            ibis.coalesce(table[f"_{role}_aware"], _local(table, f"_{role}_wall", timezone)),
            ibis.null(UTC),
        )
        for role in readings
    }
    reason = ibis.cases(
        (table.case_id.isnull(), 1),
        (table.activity.isnull(), 2),
        (table._timestamp_blank, 3),
        (~table._timestamp_ok, 4),
        else_=0,
    )
    kept_as_stored = {  # score, cost, lifecycle: under their role's name, as stored
        role: table[f"_raw_{role}"] for role in roles.columns if role not in (*texts, *times)
    }
    canonical = ["case_id", "activity", "timestamp", *times, *texts, *kept_as_stored]
    others = {
        (f"{c} (original)" if c in canonical else c): table[c]
        for c in raw.columns
        if not c.startswith("_raw_")
    }
    return table.select(
        *dict.fromkeys(c for c in canonical if c in texts),
        **times,
        **kept_as_stored,
        **others,
        _reason=reason,
    ).relocate("case_id", "activity", "timestamp")


def _local(table: Table, column: str, timezone: str) -> Value:
    """Wall-clock times read in `timezone`: the span found first (one small query)."""
    span = run_in_place(table.aggregate(first=table[column].min(), last=table[column].max()))
    first, last = span["first"].iloc[0], span["last"].iloc[0]
    if pd.isna(first):
        return table[column]
    return localized(table[column], pd.Timestamp(first), pd.Timestamp(last), timezone)


def _quality(checked: Table, events: Table) -> InPlaceQuality:
    counts = run_in_place(
        checked.aggregate(
            rows_read=checked.count(),
            **{f"r{k}": (checked._reason == k).sum() for k in range(5)},
        )
    ).iloc[0]
    used = run_in_place(events.count())["value"].iloc[0]
    same = events.group_by(["case_id", "timestamp"]).aggregate(n=events.count())
    tied = run_in_place(same.filter(same.n > 1).n.sum())["value"].iloc[0]
    return InPlaceQuality(
        rows_read=int(counts["rows_read"]),
        rows_used=int(counts["r0"]),
        missing_case_id=int(counts["r1"]),
        missing_activity=int(counts["r2"]),
        missing_timestamp=int(counts["r3"]),
        unreadable_timestamp=int(counts["r4"]),
        tied_events=0 if pd.isna(tied) else int(tied),
        merged_rows=int(counts["r0"]) - int(used),
    )


def text_key(log: InPlaceLog, value: Value) -> Value:
    """A text value in a form its backend compares by code point: PostgreSQL's collation
    may order text otherwise, its bytes in UTF-8 do not."""
    return _text_key(log.place.backend, value)


def _text_key(backend: str, value: Value) -> Value:
    return _convert_to(value, "UTF8") if backend == "postgres" else value


@ibis.udf.scalar.builtin(name="convert_to")  # type: ignore[untyped-decorator]
def _convert_to(value: dt.string, encoding: dt.string) -> dt.binary:
    """PostgreSQL's convert_to: text as bytes in an encoding."""


@ibis.udf.scalar.builtin  # type: ignore[untyped-decorator]
def md5(value: dt.string) -> dt.string:
    """The MD5 digest of text in hexadecimal (md5 in DuckDB, PostgreSQL and Spark alike)."""


def in_case_order(log: InPlaceLog, events: Table) -> list[Any]:
    """The keys that order a case's events: timestamp, then `TIE_BREAK` and the lifecycle
    transition by code point."""
    return _in_case_order(log.place.backend, events)


def _in_case_order(backend: str, events: Table) -> list[Any]:
    ties = [
        ibis.asc(_text_key(backend, events[c]), nulls_first=True)
        for c in (*TIE_BREAK, "lifecycle")
        if c in events
    ]
    return [events.timestamp, *ties]


def prepared_in_place(log: InPlaceLog, level: str = "activity") -> Table:
    """The events with what the local prepared events hold (`_preparation.prepare_events`),
    by window functions per case: case_id, order (the event's place in its case, from 0),
    first, last, timestamp, begin (start time, else timestamp), the levels (activity,
    department, resource, channel and `level`, "(none)" where missing), at `level` only
    (fewer windows: PostgreSQL computes each) `previous_<level>` / `next_<level>` (null at
    the case's first / last event), and
    `wait_before` / `wait_after` in seconds (exact to the microsecond, never below zero,
    null at the ends), with `wait_before_us` / `wait_after_us` in whole microseconds."""
    if not log.has(level):
        raise ValueError(f"the log has no column '{level}'")
    events = log.events
    levels = sorted({*(c for c in TIE_BREAK if c in events), level})
    begin = (
        ibis.coalesce(events.start_timestamp, events.timestamp)
        if "start_timestamp" in events
        else events.timestamp
    )
    named = events.mutate(begin=begin, **{c: events[c].fill_null(NO_VALUE) for c in levels})
    window = ibis.window(group_by=named.case_id, order_by=in_case_order(log, named))
    previous_end, next_begin = named.timestamp.lag().over(window), named.begin.lead().over(window)
    ordered = named.mutate(
        order=ibis.row_number().over(window),
        **{f"previous_{level}": named[level].lag().over(window)},
        **{f"next_{level}": named[level].lead().over(window)},
        wait_before_us=_not_below_zero(named.begin.delta(previous_end, unit="microsecond")),
        wait_after_us=_not_below_zero(next_begin.delta(named.timestamp, unit="microsecond")),
    )
    prepared = ordered.mutate(
        first=ordered.order == 0,
        last=ordered[f"next_{level}"].isnull(),
        wait_before=ordered.wait_before_us.cast(dt.float64) / 1_000_000,
        wait_after=ordered.wait_after_us.cast(dt.float64) / 1_000_000,
    )
    return _kept_on_spark(log, level, prepared)


SPARK_KEPT = 4
"""On Spark, the prepared events of this many (log, level) pairs are kept (cached by Spark,
in memory and on disk); beyond them the least recently used is let go, and Ibis releases
Spark's copy once no query holds it."""
_SPARK_KEPT: dict[tuple[int, str], tuple[Table, Table]] = {}
_SPARK_LOCK = threading.Lock()


def _kept_on_spark(log: InPlaceLog, level: str, prepared: Table) -> Table:
    """On Spark, `prepared` cached once per (log, level): an analysis runs several queries
    on the same events, and Spark would compute their windows again for each; elsewhere
    (DuckDB, a read-only PostgreSQL that takes no table of ours) the expression itself."""
    if log.place.backend != "pyspark":
        return prepared
    key = (id(log.events), level)
    with _SPARK_LOCK:
        kept = _SPARK_KEPT.pop(key, None)
        if kept is None or kept[0] is not log.events:
            kept = (log.events, prepared.cache())
        _SPARK_KEPT[key] = kept  # the most recently used last
        while len(_SPARK_KEPT) > SPARK_KEPT:  # let go: Ibis releases it once unused
            del _SPARK_KEPT[next(iter(_SPARK_KEPT))]
        return kept[1]


def _not_below_zero(value: Value) -> Value:
    return ibis.ifelse(value < 0, 0, value)


SEPARATOR = "\x1f"
"""Between the activities of a case's sequence as one text (`case_sequences_in_place`)."""


def case_sequences_in_place(log: InPlaceLog) -> Table:
    """Per case: case_id, `sequence` (its activities in order, joined by `SEPARATOR`),
    first_begin, last_end and `throughput_us` (first begin to last timestamp, in whole
    microseconds). Spark orders no collected list: there the (order, activity) pairs are
    collected and sorted."""
    events = prepared_in_place(log, "activity")
    if log.place.backend == "pyspark":
        steps = ibis.struct({"order": events.order, "activity": events.activity}).collect()
        ordered = steps.sort().map(lambda step: step.activity)
    else:
        ordered = events.activity.collect(order_by=events.order)
    cases = events.group_by("case_id").aggregate(
        sequence=ordered.join(SEPARATOR),
        first_begin=events.begin.min(),
        last_end=events.timestamp.max(),
    )
    return cases.mutate(throughput_us=cases.last_end.delta(cases.first_begin, unit="microsecond"))
