"""Event preparation: a log's events as Arrow, with what windows would otherwise compute.

A log's events are prepared once (`prepare_events`): each event gets its case's number,
whether it is its case's first or last, its rank in the log's order, its begin, and, at
each level, its neighbours and the waits before and after it. A filtered log's events are
derived from its parent's prepared table (`kept_cases`, `kept_events`). Nothing here runs
a query: the backend registers what this module prepares.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from discovery.log.event_log import EventLog, as_text
from discovery.log.ordering import firsts_of_cases
from discovery.log.schema import NO_VALUE

SHARED_LEVELS = ("activity", "department", "resource", "channel")
"""The levels prepared with every log that has them, so that one table serves every map."""


def prepared_levels(log: EventLog, level: str) -> tuple[str, ...]:
    """The levels prepared for an analysis at `level`: the shared ones the log has, and it."""
    if not log.has(level):
        raise ValueError(f"the log has no column '{level}'")
    return tuple(sorted({*(c for c in SHARED_LEVELS if log.has(c)), level}))


def events_arrow(log: EventLog, columns: list[str], encoded: tuple[str, ...] = ()) -> pa.Table:
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
            data[column] = _narrowed(_encoded(values))
        elif isinstance(values.dtype, pd.CategoricalDtype):
            data[column] = pa.array(as_text(values))  # looked up in Arrow: `astype` is slow
        else:
            data[column] = pa.array(values)
    first = firsts_of_cases(events["case_id"])
    data["first"] = pa.array(first)
    data["last"] = pa.array(np.append(first[1:], True) if len(first) else first)
    data["case_index"] = pa.array(first.cumsum(dtype="int64"))
    data["order"] = pa.array(np.arange(len(events), dtype="int64"))
    return pa.table(data)


def prepare_events(log: EventLog, levels: tuple[str, ...]) -> pa.Table:
    """The log's events as the engine holds them: case_id, case_index, first, last, order,
    position, timestamp, begin (start time, else timestamp), the `levels` as encoded text,
    and each event's neighbours and waits (see `_with_neighbours`)."""
    has_start = log.has("start_timestamp")
    table = events_arrow(
        log, [*levels, *(["start_timestamp"] if has_start else [])], encoded=levels
    )
    if has_start:
        begin = pc.coalesce(table["start_timestamp"], table["timestamp"])
        table = table.drop_columns("start_timestamp")
    else:
        begin = table["timestamp"]
    return _with_neighbours(table.append_column("begin", begin), levels)


def kept_cases(table: pa.Table, keep: np.ndarray) -> pa.Table:
    """A filtered log's events as a view of its parent's prepared `table`: the same Arrow
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


def kept_events(table: pa.Table, keep: np.ndarray, levels: tuple[str, ...]) -> pa.Table:
    """Some events of the parent's prepared `table`, with each case's first and last
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


def microseconds(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> np.ndarray:
    """A timestamp column as microseconds since 1970 (a read-only view of the column's
    memory where it is one chunk without nulls: no copy)."""
    if isinstance(column, pa.ChunkedArray):
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    return column.to_numpy(zero_copy_only=False).view("int64")


def _encoded(values: pd.Series) -> pa.DictionaryArray[Any, Any]:
    """A text column as dictionary-encoded text, "(none)" for missing values: a categorical's
    own codes and categories where it has them (merged with a "(none)" it holds)."""
    if not isinstance(values.dtype, pd.CategoricalDtype):
        text = pa.array(values, from_pandas=True).cast(pa.string())
        encoded: pa.DictionaryArray[Any, Any] = pc.fill_null(text, NO_VALUE).dictionary_encode()
        return encoded
    labels = [str(label) for label in values.cat.categories]
    codes = values.cat.codes.to_numpy().astype("int32")
    missing = codes < 0
    if missing.any():  # "(none)" in the dictionary only where a value is missing, as above
        if NO_VALUE not in labels:
            labels.append(NO_VALUE)
        codes[missing] = labels.index(NO_VALUE)
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(labels, type=pa.string()))


def dictionary(column: pa.ChunkedArray[Any] | pa.Array[Any]) -> pa.DictionaryArray[Any, Any]:
    """A dictionary-encoded column (a level of the prepared events) as one array."""
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not isinstance(column, pa.DictionaryArray):
        raise TypeError(f"not dictionary-encoded: {column.type}")
    return column


def _combined(table: pa.Table, keep: np.ndarray) -> tuple[pa.Table, np.ndarray]:
    """`table` without its `kept` flag, and which of its rows `keep` keeps: `keep` marks the
    rows of the log the table holds, which are its kept rows where it is a view."""
    if "kept" not in table.column_names:
        return table, keep
    kept = table["kept"].to_numpy().copy()
    kept[kept] = keep
    return table.drop_columns("kept"), kept


def _narrowed(encoded: pa.ChunkedArray[Any] | pa.Array[Any]) -> pa.DictionaryArray[Any, Any]:
    """The same values with the narrowest index type that holds the dictionary: a level
    and its neighbours take a quarter of the memory where it has under 128 values."""
    column = dictionary(encoded)
    for index_type, values in ((pa.int8(), 1 << 7), (pa.int16(), 1 << 15)):
        if len(column.dictionary) <= values:
            indices: pa.Array[Any] = column.indices.cast(index_type)
            return pa.DictionaryArray.from_arrays(indices, column.dictionary)
    return column


def _with_neighbours(table: pa.Table, levels: tuple[str, ...]) -> pa.Table:
    """The events with what windows would otherwise compute in every query: for each level,
    `previous_<level>` and `next_<level>` (null at the case's first / last event), and
    `wait_before` / `wait_after` in seconds (from the previous event's end to this event's
    begin, from this event's end to the next event's begin; never below zero; null at the
    case's ends). Rows are in case order, so neighbours in a case are neighbouring rows."""
    first = table["first"].to_numpy()
    last = table["last"].to_numpy()
    for level in levels:
        column = dictionary(table[level])
        indices = column.indices.to_numpy(zero_copy_only=False)
        for name, shifted, ends in (("previous", 1, first), ("next", -1, last)):
            neighbour = pa.array(np.roll(indices, shifted), mask=ends)
            table = table.append_column(
                f"{name}_{level}", pa.DictionaryArray.from_arrays(neighbour, column.dictionary)
            )
    end, begin = (microseconds(table[name]) for name in ("timestamp", "begin"))
    wait_before = np.maximum(begin - np.roll(end, 1), 0) / 1_000_000
    wait_after = np.maximum(np.roll(begin, -1) - end, 0) / 1_000_000
    table = table.append_column("wait_before", pa.array(wait_before, mask=first))
    return table.append_column("wait_after", pa.array(wait_after, mask=last))
