"""The analytical engine: the event table as Ibis expressions, run by embedded DuckDB.

Queries are written once as Ibis expressions over the canonical columns; only this
module knows which backend runs them, so the same analyses can later run elsewhere.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import ibis
import ibis.expr.datatypes as dt
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from ibis.expr.types import Table

from discovery.log.event_log import EventLog, FilteredLog
from discovery.log.schema import NO_VALUE


@dataclass(frozen=True)
class _Registered:
    log: EventLog  # kept referenced, so that its id is not reused while registered
    table: pa.Table
    name: str
    expression: Table

    @property
    def cases(self) -> int:
        first = self.table["first"]
        if "kept" in self.table.column_names:
            first = pc.and_(first, self.table["kept"])
        return pc.sum(first).as_py() or 0


_backend = None
# One DuckDB connection serves the process; it must not be used by two threads at once
# (Streamlit runs each session in its own thread).
_LOCK = threading.RLock()
# Registered event tables per log, least recently used first.
_SOURCES: dict[tuple[int, tuple[str, ...]], _Registered] = {}
_SOURCES_KEPT = 16
_NAMES = itertools.count()


def backend() -> ibis.BaseBackend:
    """The shared in-process DuckDB connection."""
    global _backend
    with _LOCK:
        if _backend is None:
            _backend = ibis.duckdb.connect()
    return _backend


def events_table(log: EventLog, columns: list[str]) -> Table:
    """The log's events (only `columns`, plus order columns) as an Ibis table."""
    return ibis.memtable(_events_arrow(log, columns))


def _events_arrow(log: EventLog, columns: list[str], encoded: tuple[str, ...] = ()) -> pa.Table:
    """The log's events (only `columns`) as Arrow, with the columns that make windows cheap.

    Adds `case_index` (an integer per case), `first` / `last` (the case's first and last
    event) and `order` (the event's rank in the log's canonical order: case, time, source
    position). Columns in `encoded` go as dictionary-encoded text with "(none)" for
    missing values, which DuckDB groups and shifts faster than plain text.
    """
    events = log.events
    data = {}
    for column in dict.fromkeys(["case_id", "timestamp", "position", *columns]):
        values = events[column]
        if column in ("timestamp", "start_timestamp"):
            data[column] = pa.array(values.astype("datetime64[us, UTC]"))
        elif column in encoded:
            text = pa.array(values, from_pandas=True).cast(pa.string())
            data[column] = _narrowed(pc.fill_null(text, NO_VALUE).dictionary_encode())
        else:
            data[column] = pa.array(values)
    case_id = events["case_id"]
    first = (case_id != case_id.shift()).to_numpy(bool)
    data["first"] = pa.array(first)
    data["last"] = pa.array(np.append(first[1:], True) if len(first) else first)
    data["case_index"] = pa.array(first.cumsum(dtype="int64"))
    data["order"] = pa.array(np.arange(len(events), dtype="int64"))
    return pa.table(data)


def _narrowed(column: pa.DictionaryArray | pa.ChunkedArray) -> pa.DictionaryArray:
    """The same values with the narrowest index type that holds the dictionary: a level
    and its neighbours take a quarter of the memory where it has under 128 values."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    for index_type in (pa.int8(), pa.int16()):
        if len(column.dictionary) <= np.iinfo(index_type.to_pandas_dtype()).max + 1:
            indices = column.indices.cast(index_type)
            return pa.DictionaryArray.from_arrays(indices, column.dictionary)
    return column


def steps(log: EventLog, level: str = "activity") -> Table:
    """Every event in case order with its neighbours at `level` (no window: the registered
    events carry them).

    Columns: case_id, case_index, first, order, position, timestamp, begin (start time, else
    timestamp), node (the level's value; "(none)" where empty), target (the node after;
    null at the case's end), wait_before / wait_after (seconds from the previous event's end
    to this event's begin, and from this event's end to the next event's begin, never below
    zero; null at the ends).
    """
    events = source(log, level)
    return events.select(
        "case_id",
        "case_index",
        "first",
        "order",
        "position",
        "timestamp",
        "begin",
        "wait_before",
        "wait_after",
        node=events[level],
        target=events[f"next_{level}"],
    )


SHARED_LEVELS = ("activity", "department", "resource", "channel")


def source(log: EventLog, level: str = "activity") -> Table:
    """The log's events in the engine, registered once per log: case_id, case_index (the
    case's number in the log's case order, from 1), first, last, order, position,
    timestamp, begin, the levels (activity, department, resource, channel and `level`) as
    dictionary-encoded text with "(none)" for missing values, and each event's neighbours
    in its case (see `_with_neighbours`)."""
    return _registered(log, level).expression


def _registered(log: EventLog, level: str) -> _Registered:
    if not log.has(level):
        raise ValueError(f"the log has no column '{level}'")
    levels = tuple(sorted({*(c for c in SHARED_LEVELS if log.has(c)), level}))
    key = (id(log), levels)
    with _LOCK:  # look up and register as one step: sessions share the cache
        if key in _SOURCES:
            _SOURCES[key] = _SOURCES.pop(key)  # most recently used last
            return _SOURCES[key]
        if isinstance(log, FilteredLog):
            parent = _registered(log.parent, level).table
            if log.whole_cases:
                return _register(key, log, _cases_subset(parent, log.keep))
            return _register(key, log, _events_subset(parent, log.keep, levels))
        has_start = log.has("start_timestamp")
        table = _events_arrow(
            log, [*levels, *(["start_timestamp"] if has_start else [])], encoded=levels
        )
        if has_start:
            begin = pc.coalesce(table["start_timestamp"], table["timestamp"])
            table = table.drop_columns("start_timestamp")
        else:
            begin = table["timestamp"]
        table = _with_neighbours(table.append_column("begin", begin), levels)
        return _register(key, log, table)


def _cases_subset(table: pa.Table, keep: np.ndarray) -> pa.Table:
    """A filtered log's events as a view of its parent's registered `table`: the same Arrow
    buffers with a `kept` flag, so nothing is copied. `keep` marks the parent's events of
    the kept cases; `order` and `case_index` are renumbered as the filtered log's own."""
    table, kept = _combined(table, keep)
    renumbered = {
        "order": np.cumsum(kept, dtype="int64") - 1,
        "case_index": np.cumsum(kept & table["first"].to_numpy(), dtype="int64"),
    }
    for name, values in renumbered.items():
        table = table.set_column(table.schema.get_field_index(name), name, pa.array(values))
    return table.append_column("kept", pa.array(kept))


def _events_subset(table: pa.Table, keep: np.ndarray, levels: tuple[str, ...]) -> pa.Table:
    """Some events of the parent's registered `table`, with each case's first and last
    event and every event's neighbours computed afresh among the kept events."""
    table, kept = _combined(table, keep)
    neighbours = [
        name
        for name in table.column_names
        if name.startswith(("previous_", "next_")) or name in ("wait_before", "wait_after")
    ]
    table = table.drop_columns(neighbours).filter(pa.array(kept))
    case_index = table["case_index"].to_numpy()
    first = np.ones(len(case_index), dtype=bool)
    first[1:] = case_index[1:] != case_index[:-1]
    renumbered = {
        "first": first,
        "last": np.append(first[1:], True) if len(first) else first,
        "case_index": np.cumsum(first, dtype="int64"),
        "order": np.arange(len(first), dtype="int64"),
    }
    for name, values in renumbered.items():
        table = table.set_column(table.schema.get_field_index(name), name, pa.array(values))
    return _with_neighbours(table, levels)


def _combined(table: pa.Table, keep: np.ndarray) -> tuple[pa.Table, np.ndarray]:
    """`table` without its `kept` flag, and which of its rows `keep` keeps: `keep` marks the
    rows of the log the table registers, which are its kept rows where it is a view."""
    if "kept" not in table.column_names:
        return table, keep
    kept = table["kept"].to_numpy().copy()
    kept[kept] = keep
    return table.drop_columns("kept"), kept


def case_count(log: EventLog) -> int:
    """The number of cases, from the registered events."""
    return _registered(log, "activity").cases


def case_flags(log: EventLog, matching: Table) -> np.ndarray:
    """For each case of `log`, in case order, whether `matching` (a table with a
    `case_index` column) has a row for it."""
    flags = np.zeros(case_count(log), dtype=bool)
    indexes = execute(matching.select("case_index").distinct())["case_index"]
    flags[indexes.to_numpy(dtype="int64") - 1] = True
    return flags


@dataclass(frozen=True)
class CaseCodes:
    """One level of a log's events as integer codes, in the log's order (case by case), for
    the counts that arrays do faster than grouped queries.

    `codes`: each event's code; `bounds`: where each case's events begin, plus the number
    of events; `names`: each code's value ("(none)" for missing values).
    """

    codes: np.ndarray
    bounds: np.ndarray
    names: list[str]

    @classmethod
    def of(cls, log: EventLog, level: str = "activity") -> CaseCodes:
        table = _registered(log, level).table
        column = table[level].combine_chunks()
        codes = column.indices.to_numpy(zero_copy_only=False)
        starts = table["first"].to_numpy()
        if "kept" in table.column_names:
            kept = table["kept"].to_numpy()
            codes, starts = codes[kept], starts[kept]
        bounds = np.append(np.flatnonzero(starts), len(codes))
        return cls(codes, bounds, column.dictionary.to_pylist())

    @property
    def cases(self) -> int:
        return len(self.bounds) - 1

    @cached_property
    def case(self) -> np.ndarray:
        """Each event's case, numbered from 0 in case order."""
        return np.repeat(np.arange(self.cases, dtype=np.int64), np.diff(self.bounds))

    @cached_property
    def first(self) -> np.ndarray:
        """Whether each event is its case's first."""
        first = np.zeros(len(self.codes), dtype=bool)
        first[self.bounds[:-1]] = True
        return first

    def distinct_per_case(self) -> np.ndarray:
        """How many different codes each case has."""
        case, _, _ = distinct_pairs(self.case, self.codes)
        return np.bincount(case, minlength=self.cases)

    def per_case_counts(self) -> pd.DataFrame:
        """case, code, n: how often each case has each of its codes."""
        case, code, n = distinct_pairs(self.case, self.codes)
        return pd.DataFrame({"case": case, "code": code, "n": n})


DENSE_CELLS = 1 << 22  # up to this many (case, code) cells (32 MiB of counts): a dense array


def distinct_pairs(case: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct (case, code) pairs, in that order, and how often each occurs: counted
    in one dense array of cases × codes where that is small (a few milliseconds per million
    events), else by sorting the keys case × size + code, which are nearly sorted already
    because events come case by case. Both far cheaper than a distinct count per group."""
    if not len(codes):
        return codes, codes, codes
    size = int(codes.max()) + 1
    keys = case.astype(np.int64) * size + codes
    cells = (int(case.max()) + 1) * size
    if cells <= DENSE_CELLS:
        counts = np.bincount(keys, minlength=cells)
        distinct = np.flatnonzero(counts)
        return distinct // size, distinct % size, counts[distinct]
    keys = np.sort(keys, kind="stable")
    starts = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
    distinct = keys[starts]
    return distinct // size, distinct % size, np.diff(np.append(starts, len(keys)))


def event_values(log: EventLog, column: str) -> np.ndarray:
    """Each event's `column` of the registered events, in the log's order; times as
    microseconds since 1970."""
    table = _registered(log, "activity").table
    values = table[column]
    if "kept" in table.column_names:
        values = values.filter(table["kept"])
    if pa.types.is_timestamp(values.type):
        return _microseconds(values)
    return values.to_numpy()


def _with_neighbours(table: pa.Table, levels: tuple[str, ...]) -> pa.Table:
    """The events with what windows would otherwise compute in every query: for each level,
    `previous_<level>` and `next_<level>` (null at the case's first / last event), and
    `wait_before` / `wait_after` in seconds (from the previous event's end to this event's
    begin, from this event's end to the next event's begin; never below zero; null at the
    case's ends). Rows are in case order, so neighbours in a case are neighbouring rows."""
    first = table["first"].to_numpy()
    last = table["last"].to_numpy()
    for level in levels:
        column = table[level].combine_chunks()
        indices = column.indices.to_numpy(zero_copy_only=False)
        for name, shifted, ends in (("previous", 1, first), ("next", -1, last)):
            neighbour = pa.array(np.roll(indices, shifted), mask=ends)
            table = table.append_column(
                f"{name}_{level}", pa.DictionaryArray.from_arrays(neighbour, column.dictionary)
            )
    end, begin = (_microseconds(table[name]) for name in ("timestamp", "begin"))
    wait_before = np.maximum(begin - np.roll(end, 1), 0) / 1_000_000
    wait_after = np.maximum(np.roll(begin, -1) - end, 0) / 1_000_000
    table = table.append_column("wait_before", pa.array(wait_before, mask=first))
    return table.append_column("wait_after", pa.array(wait_after, mask=last))


def _microseconds(column: pa.ChunkedArray) -> np.ndarray:
    return column.combine_chunks().to_numpy(zero_copy_only=False).view("int64")


def _register(key: tuple[int, tuple[str, ...]], log: EventLog, table: pa.Table) -> _Registered:
    # Registered as Arrow directly: ibis.memtable would decode the dictionaries to text.
    name = f"events_{next(_NAMES)}"
    with _LOCK:
        backend().con.register(name, table)
        if len(_SOURCES) >= _SOURCES_KEPT:
            evicted = _SOURCES.pop(next(iter(_SOURCES)))
            backend().con.unregister(evicted.name)
        registered = backend().table(name)
        if "kept" in table.column_names:
            registered = registered.filter(registered.kept).drop("kept")
        _SOURCES[key] = _Registered(log, table, name, registered)
        return _SOURCES[key]


def forget(log: EventLog) -> None:
    """Drop the log's registered events (a log needed for one analysis only)."""
    with _LOCK:
        for key in [key for key in _SOURCES if key[0] == id(log)]:
            backend().con.unregister(_SOURCES.pop(key).name)


@contextlib.contextmanager
def materialized(expression: Table) -> Iterator[Table]:
    """The expression computed once into a temporary table, dropped afterwards."""
    name = f"tmp_{next(_NAMES)}"
    with _LOCK:
        table = backend().create_table(name, expression, temp=True)
    try:
        yield table
    finally:
        with _LOCK:
            backend().con.execute(f'DROP TABLE IF EXISTS "{name}"')


def execute(expression: Table) -> pd.DataFrame:
    """Run an expression; the (small) result comes back as pandas."""
    with _LOCK:
        return backend().execute(expression)


def distinct_case_ids(table: Table) -> set[str]:
    """The distinct case ids of a table, as text."""
    # tolist() converts in one call, where iterating the column converts value by value
    return set(execute(table.select("case_id").distinct())["case_id"].astype(str).tolist())


@ibis.udf.scalar.builtin
def epoch_us(moment: dt.timestamp) -> dt.int64:
    """Microseconds since 1970 (DuckDB's epoch_us): exact, where seconds as floats are not."""


def seconds_between(start: ibis.Value, end: ibis.Value) -> ibis.Value:
    """Seconds from `start` to `end`, exact to the microsecond."""
    return (epoch_us(end) - epoch_us(start)) / 1_000_000


def not_below_zero(seconds: ibis.Value) -> ibis.Value:
    """Negative values as zero, nulls kept (DuckDB's GREATEST would turn them into zero)."""
    return ibis.ifelse(seconds < 0, 0, seconds)


def case_window(events: Table) -> ibis.Window:
    """Each case's events in order: timestamp, then position in the source."""
    return ibis.window(group_by=events.case_index, order_by=events.order)
