"""A Parquet dataset read a chunk of whole cases at a time, each chunk in the log's order
(case, time, row) as arrays: times in UTC microseconds, text as codes into its labels.

A dataset partitioned by case (`bucket=K/` folders, as `discovery.simulate.write_dataset`
writes) is read a few buckets at a time with Arrow; any other dataset is split into
ranges of a hash of the case id, each read with DuckDB.
"""

from __future__ import annotations

import glob
import math
import os
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from discovery.errors import LogError
from discovery.log.event_log import as_text
from discovery.log.ordering import canonical_order
from discovery.log.schema import NO_VALUE
from discovery.values.timestamps import parse_timestamps
from discovery.words import message

CHUNK_EVENTS = 4_000_000
"""Events per chunk, about: a few hundred MB while one chunk is worked on."""

CASE_PARTITION = "bucket"
"""The hive partition key that holds whole cases (`bucket=K/`)."""


@dataclass(frozen=True)
class Chunk:
    """Whole cases in the log's order. `first`: each event is its case's first; `end_us`,
    `begin_us`: its timestamp and begin (start time, else timestamp) in UTC microseconds;
    `text`: per level, each event's label (missing: "(none)") as a code into its labels."""

    first: np.ndarray
    end_us: np.ndarray
    begin_us: np.ndarray
    text: dict[str, tuple[np.ndarray, list[str]]]

    @property
    def bounds(self) -> np.ndarray:
        """Where each case's events begin."""
        return np.flatnonzero(self.first)


def parquet_files(location: str) -> list[str]:
    """The Parquet files of a folder (searched through), a glob or one file, sorted."""
    path = Path(location)
    if path.is_dir():
        return sorted(str(p) for p in path.rglob("*.parquet"))
    return sorted(glob.glob(location, recursive=True)) if glob.has_magic(location) else [location]


def case_units(files: list[str]) -> list[list[str]] | None:
    """The files grouped by their `bucket=K` folder (each group whole cases), or None
    where some file lies in no such folder."""
    units: dict[str, list[str]] = {}
    for name in files:
        parts = [p for p in Path(name).parts if p.startswith(CASE_PARTITION + "=")]
        if not parts:
            return None
        units.setdefault(parts[-1], []).append(name)
    return list(units.values())


def read_chunks(
    location: str,
    columns: Mapping[str, str],
    *,
    chunk_events: int = CHUNK_EVENTS,
    timezone: str,
) -> Iterator[Chunk]:
    """The dataset's events a chunk of whole cases at a time. `columns`: role → the
    dataset's column, for case_id, activity, timestamp and optionally start_timestamp and
    other levels (such as department)."""
    files = _checked(location, columns)
    units = case_units(files)
    if units is None:
        tables: Iterator[pa.Table] = _hash_ranges(files, columns, chunk_events)
    else:
        tables = _bucket_groups(units, list(dict.fromkeys(columns.values())), chunk_events)
    yield from _ahead(_chunk(table, columns, timezone) for table in tables)


def _ahead(chunks: Iterator[Chunk]) -> Iterator[Chunk]:
    """The chunks, the next one read in a thread while the caller works on this one (Arrow
    and numpy let go of Python's lock for most of both)."""
    if (os.cpu_count() or 1) < 2:
        yield from chunks
        return
    with ThreadPoolExecutor(1) as pool:
        coming = pool.submit(next, chunks, None)
        while (chunk := coming.result()) is not None:
            coming = pool.submit(next, chunks, None)
            yield chunk


def _checked(location: str, columns: Mapping[str, str]) -> list[str]:
    """The dataset's files, once it is clear that there are some and that the first has
    the columns (else a `LogError` naming them)."""
    files = [name for name in parquet_files(location) if Path(name).is_file()]
    if not files:
        raise LogError(message("chunked.error.no_files"), file=location)
    known = pq.read_schema(files[0]).names
    for role, name in columns.items():
        if name not in known:
            said = message(
                "chunked.error.no_column", column=name, role=role, known=", ".join(known)
            )
            raise LogError(said, file=location)
    return files


def _rows(files: list[str]) -> int:
    return sum(pq.ParquetFile(name).metadata.num_rows for name in files)


def _bucket_groups(
    units: list[list[str]], names: list[str], chunk_events: int
) -> Iterator[pa.Table]:
    group: list[str] = []
    rows = 0
    for unit in units:
        group, rows = [*group, *unit], rows + _rows(unit)
        if rows >= chunk_events:
            yield pa.concat_tables([pq.read_table(f, columns=names) for f in group])
            group, rows = [], 0
    if group:
        yield pa.concat_tables([pq.read_table(f, columns=names) for f in group])


def _hash_ranges(
    files: list[str], columns: Mapping[str, str], chunk_events: int
) -> Iterator[pa.Table]:
    import duckdb

    parts = max(1, math.ceil(_rows(files) / chunk_events))
    connection = duckdb.connect()
    selected = ", ".join(_quoted(name) for name in dict.fromkeys(columns.values()))
    case = _quoted(columns["case_id"])
    query = (
        f"SELECT {selected} FROM read_parquet($files, filename = true,"
        " file_row_number = true, union_by_name = true)"
        f" WHERE hash(CAST({case} AS VARCHAR)) % $parts = $part"
        " ORDER BY filename, file_row_number"
    )
    for part in range(parts):
        parameters = {"files": files, "parts": parts, "part": part}
        yield connection.sql(query, params=parameters).to_arrow_table()
    connection.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _chunk(table: pa.Table, columns: Mapping[str, str], timezone: str) -> Chunk:
    """A table's events as a chunk: rows without case, activity or readable timestamp left
    out, as the log's checks reject them; in the log's order."""
    case, case_labels = _codes(table[columns["case_id"]])
    activity, activity_labels = _codes(table[columns["activity"]])
    end = _utc(table[columns["timestamp"]], columns["timestamp"], timezone)
    used = (case < len(case_labels)) & (activity < len(activity_labels)) & (end != _NAT)
    begin = end
    if "start_timestamp" in columns:
        start = _utc(table[columns["start_timestamp"]], columns["start_timestamp"], timezone)
        begin = np.where(start == _NAT, end, start)
    text = {"activity": (activity, [str(label) for label in activity_labels.to_pylist()])}
    for role, name in columns.items():
        if role not in ("case_id", "activity", "timestamp", "start_timestamp"):
            codes, labels = _codes(table[name])
            text[role] = (codes, [*(str(label) for label in labels.to_pylist()), NO_VALUE])
    if not used.all():
        case, end, begin = case[used], end[used], begin[used]
        text = {role: (codes[used], labels) for role, (codes, labels) in text.items()}
    order = canonical_order(_case_runs(case), end)
    if order is not None:
        case, end, begin = case[order], end[order], begin[order]
        text = {role: (codes[order], labels) for role, (codes, labels) in text.items()}
    first = np.ones(len(case), dtype=bool)
    first[1:] = case[1:] != case[:-1]
    return Chunk(first, end, begin, text)


_NAT = np.iinfo(np.int64).min


def _case_runs(case: np.ndarray) -> np.ndarray:
    """Case numbers that rise through the rows where each case's rows are together (so
    that rows in order of time within each case need no sort), else `case` itself."""
    change = np.flatnonzero(case[1:] != case[:-1])
    if len(case) and len(change) + 1 == np.count_nonzero(np.bincount(case)):
        runs = np.zeros(len(case), dtype=np.int32)
        runs[change + 1] = 1
        return np.cumsum(runs, dtype=np.int32)
    return case


def _codes(column: pa.ChunkedArray[Any]) -> tuple[np.ndarray, pa.Array[Any]]:
    """Each value's code into the labels as the log reads them (`as_text`: 1.0 reads "1",
    blank text is missing), and the labels (text); missing values get code `len(labels)`."""
    if not pa.types.is_dictionary(column.type):
        column = pc.dictionary_encode(column)
    if not column.num_chunks:
        return np.zeros(0, dtype=np.int32), pa.array([], pa.string())
    indices, values = _one_dictionary(column)
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        text = cast(pa.StringArray, values)  # or large: the stubs know one at a time
        empty = pc.equal(pc.utf8_length(text), pa.scalar(0))
        blank = pc.or_(pc.utf8_is_space(text), empty)  # null only where the text is
        named = ~np.asarray(
            blank.to_numpy(zero_copy_only=False), bool
        ) & values.is_valid().to_numpy(zero_copy_only=False)
        if named.all():  # as usual: the dictionary's own codes, its text unchanged
            return indices.astype(np.int32), values
        read = pd.Series(values.to_pylist(), dtype=object).where(named)
    else:
        read = as_text(pd.Series(values.to_pandas(), dtype=object))
        named = read.notna().to_numpy()
    labels, number = np.unique(read[named].to_numpy(dtype=str), return_inverse=True)
    renumber = np.full(len(read) + 1, len(labels), dtype=np.int32)
    renumber[np.flatnonzero(named)] = number
    return renumber[indices], pa.array(labels.tolist(), pa.string())


def _one_dictionary(column: pa.ChunkedArray[Any]) -> tuple[np.ndarray, pa.Array[Any]]:
    """A dictionary column's codes into one dictionary of its distinct values (missing:
    the dictionary's length). Chunks read from one file repeat its dictionary: each
    distinct dictionary is hashed once (Arrow's `unify_dictionaries` hashes every chunk's)."""
    distinct: list[pa.Array[Any]] = []
    which: list[int] = []
    for chunk in column.chunks:
        assert isinstance(chunk, pa.DictionaryArray)  # the stubs say a plain Array
        if not distinct or not chunk.dictionary.equals(distinct[-1]):
            distinct.append(chunk.dictionary)
        which.append(len(distinct) - 1)
    encoded = pc.dictionary_encode(pa.concat_arrays(distinct))
    assert isinstance(encoded, pa.DictionaryArray)  # the stubs say a plain Array
    values = encoded.dictionary
    into = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    starts = np.cumsum([0, *(len(d) for d in distinct)])
    parts = []
    for chunk, k in zip(column.chunks, which, strict=True):
        assert isinstance(chunk, pa.DictionaryArray)
        transposed = np.append(into[starts[k] : starts[k + 1]], len(values))
        missing = starts[k + 1] - starts[k]
        parts.append(transposed[chunk.indices.fill_null(missing).to_numpy(zero_copy_only=False)])
    return np.concatenate(parts), values


def _utc(column: pa.ChunkedArray[Any], name: str, timezone: str) -> np.ndarray:
    """A column of times as UTC microseconds (missing: `_NAT`); times without a zone are
    read in `timezone` as the log reads them."""
    if pa.types.is_timestamp(column.type) and column.type.tz is not None:
        ticks = column.cast(pa.timestamp("us", "UTC")).cast(pa.int64())
        return np.asarray(ticks.fill_null(pa.scalar(_NAT, pa.int64())).to_numpy())
    series = column.to_pandas()
    ticks = parse_timestamps(series, name, timezone=timezone).values.array.asi8
    return np.where(ticks == _NAT, _NAT, ticks // 1000)
