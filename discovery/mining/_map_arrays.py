"""A process map's counts and waits from arrays: one log's events found once, and a filter
of whole cases of it computed from them by keeping its rows (no query, no copy of events).

Counts, totals and means are summed in the events' order (the log's canonical order) and
quantiles are taken from the values sorted, so that they depend neither on the order of
the source's rows nor on the number of threads.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from discovery.engine import (
    LevelEvents,
    derived,
    distinct_pairs,
    narrowest_int,
    numbered,
    seen_cells,
    whole_case_rows,
)
from discovery.log.event_log import EventLog, FilteredLog


@dataclass(frozen=True)
class CaseKeys:
    """The distinct (case, key) pairs of some events: `case`, `key` (keys below `size`)."""

    case: np.ndarray
    key: np.ndarray
    size: int

    @classmethod
    def of(cls, case: np.ndarray, key: np.ndarray, size: int) -> CaseKeys:
        """The distinct pairs of each event's `case` and `key`, case by case."""
        if not len(key):
            return cls(case, key, size)
        seen = seen_cells(case, key, int(case[-1]) + 1, size)
        if seen is None:
            cases, key, _ = distinct_pairs(case, key.astype(np.int64))
        else:
            cases, key = np.divmod(np.flatnonzero(seen), size)
        return cls(cases.astype(np.int32), key.astype(narrowest_int(size)), size)

    def cases(self, kept_case: np.ndarray | None = None) -> np.ndarray:
        """How many cases have each key; of the cases `kept_case` marks, where given."""
        key = self.key
        if kept_case is not None:  # the pairs come case by case: spread each case's flag
            key = key[np.repeat(kept_case, self.per_case)]
        return np.bincount(key, minlength=self.size)

    @cached_property
    def per_case(self) -> np.ndarray:
        """How many keys each case has (every case has one at least)."""
        return np.bincount(self.case)


@dataclass(frozen=True)
class Groups:
    """Values in microseconds in groups numbered below `size`, held sorted: `ordered` (by
    group, then value), each one's `group` and, to take some cases' values (`subset`), its
    `case`. Count, total, mean and quantiles in seconds per group, NaN for an empty group;
    totals are summed exactly (in microseconds), so they depend on no order."""

    size: int
    ordered: np.ndarray
    group: np.ndarray
    case: np.ndarray | None = None

    @classmethod
    def of(
        cls, group: np.ndarray, values: np.ndarray, size: int, case: np.ndarray | None = None
    ) -> Groups:
        """The groups of `values`; with each one's `case` (numbered from 0) where given."""
        if not len(values):
            return cls(size, values, group, case)
        low = int(values.min())
        value_bits = int(values.max() - low).bit_length()
        case_bits = 0 if case is None else int(case.max()).bit_length()
        group_bits = max(size - 1, 1).bit_length()
        if group_bits + value_bits + case_bits <= 63:
            # one sort of (group, value[, case]) keys, which hold what they are sorted for
            keys = (group.astype(np.int64) << value_bits) | (values - low)
            keys = np.sort(keys if case is None else (keys << case_bits) | case)
            ordered_case = None
            if case is not None:
                ordered_case = (keys & ((1 << case_bits) - 1)).astype(np.int32)
                keys >>= case_bits
            ordered_group = (keys >> value_bits).astype(narrowest_int(size))
            ordered = (keys & ((1 << value_bits) - 1)) + low
            return cls(size, ordered, ordered_group, ordered_case)
        if group_bits + value_bits <= 63:  # one sort of (group, value) keys
            order = np.argsort((group.astype(np.int64) << value_bits) | (values - low))
        else:
            order = np.lexsort((values, group))
        ordered_case = None if case is None else case[order].astype(np.int32)
        return cls(size, values[order], group[order].astype(narrowest_int(size)), ordered_case)

    def subset(self, kept_case: np.ndarray) -> Groups:
        """The values of the cases `kept_case` marks, still ordered without sorting again."""
        if self.case is None:
            raise ValueError("only the groups made with their cases can be subset")
        kept = kept_case[self.case]
        return Groups(self.size, self.ordered[kept], self.group[kept])

    @cached_property
    def count(self) -> np.ndarray:
        return np.bincount(self.group, minlength=self.size)

    def total(self) -> np.ndarray:
        total = np.full(self.size, np.nan)
        present = np.flatnonzero(self.count)
        if len(present):
            start = np.cumsum(self.count[present]) - self.count[present]
            total[present] = np.add.reduceat(self.ordered, start) / 1_000_000
        return total

    def mean(self) -> np.ndarray:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean: np.ndarray = self.total() / self.count
        return mean

    def quantile(self, q: float) -> np.ndarray:
        """Per group, as DuckDB's quantile_cont (`interpolated`)."""
        result = np.full(self.size, np.nan)
        count = self.count
        present = np.flatnonzero(count)
        if not len(present):
            return result
        count = count[present]
        start = np.cumsum(count) - count
        below, above = quantile_positions(count, q)
        result[present] = interpolated(
            self.ordered[start + below], self.ordered[start + above], count, q
        )
        return result


def quantile_positions(count: np.ndarray, q: float) -> tuple[np.ndarray, np.ndarray]:
    """Where the q-quantile of `count` sorted values (each count at least 1) lies: the
    positions (from 0) of the values below and above it, floor and ceil of (count - 1) * q
    computed in floating point, as DuckDB's quantile_cont computes them."""
    position = (np.asarray(count, dtype=np.int64) - 1).astype(np.float64) * q
    return np.floor(position).astype(np.int64), np.ceil(position).astype(np.int64)


def interpolated(
    low_us: np.ndarray, high_us: np.ndarray, count: np.ndarray, q: float
) -> np.ndarray:
    """The q-quantile in seconds of groups of `count` values (each count at least 1), from
    their values in whole microseconds at `quantile_positions`: as DuckDB's quantile_cont,
    lo * (1 - d) + hi * d with d the fraction of (count - 1) * q, the first product and the
    sum rounded once (a fused multiply-add, as DuckDB's build computes it), lo itself where
    d is 0. The one definition of every median and quantile of the local, chunked and
    in-place routes: at q = 0.5 it is also pandas' median (the mean of the two middle
    values, (lo + hi) / 2 rounded once)."""
    position = (np.asarray(count, dtype=np.int64) - 1).astype(np.float64) * q
    fraction = position - np.floor(position)
    low = np.asarray(low_us, dtype=np.int64) / 1_000_000
    high = np.asarray(high_us, dtype=np.int64) / 1_000_000
    value = low.copy()
    between = fraction != 0
    rest = 1.0 - fraction[between]
    value[between] = _fused(low[between], rest, high[between] * fraction[between])
    return value


def _fused(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    """a * b + c rounded once, element by element (exact where b is a half)."""
    halves = b == 0.5
    fused = np.empty(len(a))
    fused[halves] = a[halves] * 0.5 + c[halves]  # the product is exact: one rounding
    rest = np.flatnonzero(~halves)
    fused[rest] = [
        float(Fraction(x) * Fraction(y) + Fraction(z))
        for x, y, z in zip(a[rest].tolist(), b[rest].tolist(), c[rest].tolist(), strict=True)
    ]
    return fused


@dataclass(frozen=True)
class MapEvents:
    """A log's events at one level, arranged for its map: the events (`LevelEvents`), each
    event's (node, next node) `pair`, numbered below `len(pair_nodes)`, each pair's nodes
    as `pair_nodes` (node * (len(names) + 1) + next node, next node `len(names)` at a
    case's end), the events `followed` by another in their case, the distinct (case, node)
    and (case, pair) keys, the wait after each followed event and, where the log has start
    times, each event's service time, as `Groups`."""

    events: LevelEvents
    pair: np.ndarray
    pair_nodes: np.ndarray
    followed: np.ndarray
    node_cases: CaseKeys
    pair_cases: CaseKeys
    waits: Groups
    service: Groups | None

    @classmethod
    def of(cls, log: EventLog, level: str) -> tuple[MapEvents, np.ndarray | None]:
        """The map events of the log holding `log`'s prepared events (computed once while
        they are kept), and which of them are `log`'s (None: all)."""
        holder, rows = whole_case_rows(log)
        with_service = log.has("start_timestamp")
        if isinstance(holder, FilteredLog):  # some events of cases, for one map: not kept
            return cls.found(holder, level, with_service, for_filters=False), rows
        found = derived(
            holder, ("map_events", level), lambda _: cls.found(holder, level, with_service), level
        )
        return found, rows

    @classmethod
    def found(
        cls, log: EventLog, level: str, with_service: bool, for_filters: bool = True
    ) -> MapEvents:
        """The map events of `log`; `for_filters`: ready for the maps of filters of it."""
        events = LevelEvents.of(log, level)
        size = len(events.names)
        pair, pair_nodes = numbered(events.codes.astype(np.int64) * (size + 1) + events.following)
        followed = events.following < size
        wait = np.maximum(np.roll(events.begin_us, -1) - events.end_us, 0)
        service = events.end_us - events.begin_us
        cases, wait_cases = (events.case, events.case[followed]) if for_filters else (None, None)
        return cls(
            events,
            pair,
            pair_nodes,
            followed,
            CaseKeys.of(events.case, events.codes, size),
            CaseKeys.of(events.case, pair, len(pair_nodes)),
            Groups.of(pair[followed], wait[followed], len(pair_nodes), wait_cases),
            Groups.of(events.codes, service, size, cases) if with_service else None,
        )
