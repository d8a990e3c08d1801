"""The counts behind the maps and the variants of a Parquet dataset too large to hold,
computed a chunk of whole cases at a time and merged exactly.

Counts add; totals are summed exactly in integer microseconds; the waits, service times
and throughputs are kept as exact multisets (`Multiset`: each distinct value once with
its count), from which medians and P90s are selected at the end by the local route's
definition. Nothing is approximate, and memory holds one chunk plus the distinct values.

>>> scanned = scan_chunked("benchmarks/data/events_100000000")  # doctest: +SKIP
>>> scanned.levels["department"].node_events  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from discovery.engine._chunks import CHUNK_EVENTS, Chunk, parquet_files, read_chunks
from discovery.engine._kernels import cases_per_key, numbered
from discovery.engine._multiset import Multiset, Steps
from discovery.log.schema import ROLES, detect_roles
from discovery.values.timestamps import DEFAULT_TIMEZONE

__all__ = [
    "CHUNK_EVENTS",
    "END",
    "ChunkedLog",
    "LevelTotals",
    "Multiset",
    "VariantTotals",
    "scan_chunked",
]

END = (1 << 32) - 1
"""The target of a pair that ends its case (`LevelTotals.pairs`)."""


def _grown(array: np.ndarray, size: int) -> np.ndarray:
    return (
        array if len(array) >= size else np.append(array, np.zeros(size - len(array), array.dtype))
    )


@dataclass
class Labels:
    """Labels numbered in the order first seen, over all chunks."""

    names: list[str] = field(default_factory=list)
    number: dict[str, int] = field(default_factory=dict)

    def codes(self, local: np.ndarray, labels: list[str]) -> np.ndarray:
        """A chunk's codes into `labels` as codes into these names."""
        lookup = np.empty(len(labels), dtype=np.int32)
        for i, label in enumerate(labels):
            lookup[i] = self.number.setdefault(label, len(self.number))
            if lookup[i] == len(self.names):
                self.names.append(label)
        codes: np.ndarray = lookup[local]
        return codes


@dataclass(frozen=True)
class ChunkTimes:
    """What every level of a chunk shares: each event's `case` (from 0) and whether it is
    its case's `last`, the `waits` after the events followed in their case (never below
    zero) and each event's `service` time, in microseconds."""

    case: np.ndarray
    last: np.ndarray
    waits: Steps
    service: Steps

    @classmethod
    def of(cls, chunk: Chunk) -> ChunkTimes:
        last = np.append(chunk.first[1:], True)
        wait = np.maximum(np.roll(chunk.begin_us, -1) - chunk.end_us, 0)[~last]
        case = np.cumsum(chunk.first, dtype=np.int32) - 1
        return cls(case, last, Steps.of(wait), Steps.of(chunk.end_us - chunk.begin_us))


@dataclass
class LevelTotals:
    """One level's counts over the chunks. By node code (into `labels.names`):
    `node_events`, `node_cases`, `starts` (cases starting there) and `service` (end minus
    begin, microseconds, where the log has start times). By pair (numbered as found, its
    nodes in `pairs` as source << 32 | target, target `END` where the case ends):
    `frequency`, `pair_cases` and `waits` (microseconds, never below zero)."""

    labels: Labels = field(default_factory=Labels)
    node_events: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    node_cases: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    starts: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    pair_number: dict[int, int] = field(default_factory=dict)
    frequency: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    pair_cases: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    waits: Multiset = field(default_factory=Multiset)
    service: Multiset | None = None

    @property
    def pairs(self) -> np.ndarray:
        return np.array(list(self.pair_number), dtype=np.int64)

    def add(self, chunk: Chunk, codes: np.ndarray, times: ChunkTimes) -> None:
        """Add one chunk's events at this level (`codes` into `labels.names`)."""
        size = len(self.labels.names)
        case, last = times.case, times.last
        self.node_events = _grown(self.node_events, size)
        self.node_events += np.bincount(codes, minlength=size)
        self.node_cases = _grown(self.node_cases, size)
        self.node_cases += cases_per_key(case, codes, size)
        self.starts = _grown(self.starts, size)
        self.starts += np.bincount(codes[chunk.first], minlength=size)
        following = np.roll(codes, -1).astype(np.int64)
        following[last] = size  # small keys: counted without a sort
        local, keys = numbered(codes.astype(np.int64) * (size + 1) + following)
        source, target = np.divmod(keys, size + 1)
        target[target == size] = END
        found = [
            self.pair_number.setdefault(k, len(self.pair_number))
            for k in ((source << 32) | target).tolist()
        ]
        pair = np.asarray(found, dtype=np.int32)[local]
        count = len(self.pair_number)
        self.frequency = _grown(self.frequency, count)
        self.frequency += np.bincount(pair, minlength=count)
        self.pair_cases = _grown(self.pair_cases, count)
        self.pair_cases += cases_per_key(case, pair, count)
        self.waits.add(pair[~last], times.waits)
        if self.service is not None:
            self.service.add(codes, times.service)


@dataclass
class VariantTotals:
    """Variants over the chunks: each one's activity codes (int32 bytes) → its number,
    `cases` per number, and each case's `throughput` (microseconds from its first begin to
    its last timestamp) by number."""

    number: dict[bytes, int] = field(default_factory=dict)
    cases: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    throughput: Multiset = field(default_factory=Multiset)

    def add(self, chunk: Chunk, codes: np.ndarray) -> None:
        """Add one chunk's cases, given its events' activity `codes`."""
        bounds = chunk.bounds
        data = np.ascontiguousarray(codes, dtype=np.int32)
        offsets = np.append(bounds, len(data)).astype(np.int64) * 4
        sequences = pa.LargeBinaryArray.from_buffers(
            pa.large_binary(),
            len(bounds),
            [None, pa.py_buffer(offsets), pa.py_buffer(data)],  # type: ignore[arg-type]  # stubs: no ndarray
        )
        encoded = pc.dictionary_encode(sequences)
        assert isinstance(encoded, pa.DictionaryArray)  # the stubs say a plain Array
        found = [
            self.number.setdefault(v, len(self.number)) for v in encoded.dictionary.to_pylist()
        ]
        variant = np.asarray(found, dtype=np.int64)[encoded.indices.to_numpy()]
        self.cases = _grown(self.cases, len(self.number))
        self.cases += np.bincount(variant, minlength=len(self.number))
        last = np.maximum.reduceat(chunk.end_us, bounds)
        self.throughput.add(variant, last - np.minimum.reduceat(chunk.begin_us, bounds))

    def sequences(self, names: list[str]) -> list[tuple[str, ...]]:
        """Each variant's activities, by number."""
        return [tuple(names[c] for c in np.frombuffer(key, dtype=np.int32)) for key in self.number]


@dataclass(frozen=True)
class ChunkedLog:
    """What `scan_chunked` found: per level its `LevelTotals`, the `variants` (codes into
    `activities`), and how many events, cases and chunks."""

    levels: dict[str, LevelTotals]
    variants: VariantTotals
    activities: list[str]
    events: int
    cases: int
    chunks: int


def scan_chunked(
    location: str,
    levels: tuple[str, ...] = ("activity", "department"),
    *,
    columns: Mapping[str, str] | None = None,
    chunk_events: int = CHUNK_EVENTS,
    timezone: str = DEFAULT_TIMEZONE,
) -> ChunkedLog:
    """The counts of the maps at `levels` and the variants of a Parquet dataset (a folder,
    glob or file), a chunk of whole cases at a time. `columns`: role → the dataset's
    column, where given; other roles are found as the local route finds them, from the
    headers and values of the first file's first rows (`detect_roles`)."""
    roles = _roles(location, levels, columns or {})
    totals = {level: LevelTotals() for level in dict.fromkeys(("activity", *levels))}
    if "start_timestamp" in roles:
        for level_totals in totals.values():
            level_totals.service = Multiset()
    variants = VariantTotals()
    events = cases = chunks = 0
    for chunk in read_chunks(location, roles, chunk_events=chunk_events, timezone=timezone):
        if not len(chunk.first):
            continue
        times = ChunkTimes.of(chunk)
        for level, level_totals in totals.items():
            codes = level_totals.labels.codes(*chunk.text[level])
            level_totals.add(chunk, codes, times)
            if level == "activity":
                variants.add(chunk, codes)
        events, cases, chunks = events + len(times.case), cases + len(chunk.bounds), chunks + 1
    kept = {level: totals[level] for level in levels}
    names = totals["activity"].labels.names
    return ChunkedLog(kept, variants, names, events, cases, chunks)


def _roles(location: str, levels: tuple[str, ...], given: Mapping[str, str]) -> dict[str, str]:
    """Role → column: the case, activity, timestamp, start time where found, and `levels`
    (a level that is no role, or not found, by its own name)."""
    files = [file for file in parquet_files(location) if Path(file).is_file()]
    wanted = ("case_id", "activity", "timestamp", "start_timestamp", *levels)
    if not files:  # read_chunks says so
        return {role: given.get(role, role) for role in wanted if role != "start_timestamp"}
    rows = next(pq.ParquetFile(files[0]).iter_batches(batch_size=_SAMPLE_ROWS), None)
    if rows is None:
        sample = pq.read_schema(files[0]).empty_table()
    else:
        sample = pa.Table.from_batches([rows])
    as_roles: dict[str, str] = {role: column for role, column in given.items() if role in ROLES}
    detected = detect_roles(sample.to_pandas(), as_roles, source=location).columns
    found = {str(role): column for role, column in detected.items()} | dict(given)
    roles = {role: found[role] for role in wanted if role in found}
    return roles | {level: level for level in levels if level not in roles}


_SAMPLE_ROWS = 1000
