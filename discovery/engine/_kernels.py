"""Numpy kernels: a log's prepared events as arrays, and the counts arrays do faster than
grouped queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, cast

import numpy as np
import pyarrow as pa

from discovery.engine._backend import derived, prepared
from discovery.engine._preparation import dictionary, microseconds
from discovery.log.event_log import EventLog, FilteredLog

DENSE_CELLS = 1 << 22
"""Up to this many (case, code) cells (32 MiB of counts), `distinct_pairs` counts in one
dense array; beyond it, by sorting."""

SEEN_CELLS = 1 << 26
"""Up to this many (case, key) cells (64 MiB of flags), the distinct pairs of one array are
marked in one array of flags (no count needed, no sort); beyond it, found by sorting."""


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
        table = prepared(log, level).table
        column = dictionary(table[level])
        codes = column.indices.to_numpy(zero_copy_only=False)
        starts = table["first"].to_numpy()
        if "kept" in table.column_names:
            kept = table["kept"].to_numpy()
            codes, starts = codes[kept], starts[kept]
        bounds = np.append(np.flatnonzero(starts), len(codes))
        return cls(codes, bounds, cast(list[str], column.dictionary.to_pylist()))

    @property
    def cases(self) -> int:
        return len(self.bounds) - 1

    @cached_property
    def case(self) -> np.ndarray:
        """Each event's case, numbered from 0 in case order."""
        return np.repeat(np.arange(self.cases, dtype=np.int32), np.diff(self.bounds))

    @cached_property
    def first(self) -> np.ndarray:
        """Whether each event is its case's first."""
        first = np.zeros(len(self.codes), dtype=bool)
        first[self.bounds[:-1]] = True
        return first

    def distinct_per_case(self) -> np.ndarray:
        """How many different codes each case has: the (case, code) cells seen marked in
        one array of flags where it has at most `SEEN_CELLS` cells, else by sorting."""
        seen = seen_cells(self.case, self.codes, self.cases, len(self.names))
        if seen is not None:
            distinct: np.ndarray = seen.sum(axis=1)
            return distinct
        case, _, _ = distinct_pairs(self.case, self.codes)
        return np.bincount(case, minlength=self.cases)

    def repeats(self) -> tuple[np.ndarray, np.ndarray]:
        """Per code: in how many cases it occurs more than once, and how many times it
        occurs again after its first time in a case, summed over the cases."""
        size = len(self.names)
        keys = self.case.astype(np.int64) * size + self.codes
        keys.sort()  # in place: nearly sorted already, as events come case by case
        again = keys[1:] == keys[:-1]  # an occurrence after the first of its (case, code)
        first_again = again.copy()
        first_again[1:] &= ~again[:-1]
        repeated = keys[1:]
        return (
            np.bincount(repeated[first_again] % size, minlength=size),
            np.bincount(repeated[again] % size, minlength=size),
        )


def distinct_pairs(
    case: np.ndarray, codes: np.ndarray, dense_cells: int = DENSE_CELLS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (case, code) pairs, in that order, and how often each occurs: counted
    in one dense array of cases × codes where that has at most `dense_cells` cells (a few
    milliseconds per million events), else by sorting the keys case × size + code, which
    are nearly sorted already because events come case by case. Both far cheaper than a
    distinct count per group.

    >>> distinct_pairs(np.array([0, 0, 1]), np.array([2, 2, 0]))
    (array([0, 1]), array([2, 0]), array([2, 1]))
    """
    if not len(codes):
        return codes, codes, codes
    size = int(codes.max()) + 1
    keys = case.astype(np.int64) * size + codes
    cells = (int(case.max()) + 1) * size
    if cells <= dense_cells:
        counts = np.bincount(keys, minlength=cells)
        distinct = np.flatnonzero(counts)
        return distinct // size, distinct % size, counts[distinct]
    keys = np.sort(keys, kind="stable")
    starts = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
    distinct = keys[starts]
    return distinct // size, distinct % size, np.diff(np.append(starts, len(keys)))


def event_values(log: EventLog, column: str, rows: np.ndarray | None = None) -> np.ndarray:
    """Each event's `column` of the prepared events, in the log's order; times as
    microseconds since 1970. `rows` (a mask over the log's events) keeps some events
    first, in Arrow: text becomes Python objects only for those."""
    table = prepared(log, "activity").table
    values = table[column]
    if "kept" in table.column_names:
        values = values.filter(table["kept"])
    if rows is not None:
        values = values.filter(pa.array(rows))
    if pa.types.is_timestamp(values.type):
        return microseconds(values)
    return values.to_numpy()


def whole_case_rows(log: EventLog) -> tuple[EventLog, np.ndarray | None]:
    """The log whose prepared events hold `log`'s, and which of their rows are `log`'s
    (None: all of them): a filter of whole cases is a view of its first ancestor that is
    not one (`_preparation.kept_cases`), itself for any other log."""
    keeps = []
    while isinstance(log, FilteredLog) and log.whole_cases:
        keeps.append(log.keep)
        log = log.parent
    rows: np.ndarray | None = None
    for keep in reversed(keeps):
        if rows is None:
            rows = keep
        else:
            rows = rows.copy()
            rows[rows] = keep
    return log, rows


@dataclass(frozen=True)
class LevelEvents:
    """One level of a log's events as arrays, in the log's order (case by case), for maps
    computed without a query.

    `codes`: each event's value as a code into `names` ("(none)" for missing values);
    `following`: the code of the next event in its case, `len(names)` at a case's last
    event; `first`: whether the event is its case's first; `case`: its case, numbered from
    0; `end_us` / `begin_us`: its timestamp and begin (start time, else timestamp) in
    microseconds since 1970.
    """

    names: list[str]
    codes: np.ndarray
    following: np.ndarray
    first: np.ndarray
    case: np.ndarray
    end_us: np.ndarray
    begin_us: np.ndarray

    @classmethod
    def of(cls, log: EventLog, level: str = "activity") -> LevelEvents:
        """The arrays of `log` at `level`: a filter of whole cases takes its rows of its
        ancestor's arrays, which are computed once while that log's events are prepared."""
        holder, rows = whole_case_rows(log)
        if isinstance(holder, FilteredLog):  # some events of cases: from its parent's arrays
            events = LevelEvents.of(holder.parent, level).select(holder.keep)
        else:
            shared = derived(holder, ("case_events",), _case_events, level)  # at every level
            events = derived(holder, ("level_events", level), _level_events(level, shared), level)
        return events if rows is None else events.subset(rows)

    def select(self, keep: np.ndarray) -> LevelEvents:
        """The events `keep` marks, some of each case maybe: first, last and the following
        event found afresh among them (a case without any is gone)."""
        case = self.case[keep]
        first = np.ones(len(case), dtype=bool)
        first[1:] = case[1:] != case[:-1]
        last = np.append(first[1:], True) if len(first) else first
        codes = self.codes[keep]
        following = _following(codes, last, len(self.names))
        case = np.cumsum(first, dtype=np.int32) - 1
        return LevelEvents(
            self.names, codes, following, first, case, self.end_us[keep], self.begin_us[keep]
        )

    def subset(self, rows: np.ndarray) -> LevelEvents:
        """The events `rows` marks, whole cases of these (cases numbered afresh)."""
        case = np.cumsum(rows[self.bounds_first], dtype=np.int32) - 1
        return LevelEvents(
            self.names,
            self.codes[rows],
            self.following[rows],
            self.first[rows],
            case[self.case[rows]],
            self.end_us[rows],
            self.begin_us[rows],
        )

    @cached_property
    def bounds_first(self) -> np.ndarray:
        """Where each case's events begin."""
        return np.flatnonzero(self.first)

    @property
    def cases(self) -> int:
        return int(self.case[-1]) + 1 if len(self.case) else 0


@dataclass(frozen=True)
class _CaseEvents:
    """What the arrays of the events are at every level: see `LevelEvents`."""

    first: np.ndarray
    last: np.ndarray
    case: np.ndarray
    bounds_first: np.ndarray
    end_us: np.ndarray
    begin_us: np.ndarray


def _case_events(table: pa.Table) -> _CaseEvents:
    first = table["first"].to_numpy()
    case = np.cumsum(first, dtype=np.int32) - 1  # int32: half the memory of a 64-bit copy
    end_us, begin_us = (microseconds(table[name]) for name in ("timestamp", "begin"))
    return _CaseEvents(
        first, table["last"].to_numpy(), case, np.flatnonzero(first), end_us, begin_us
    )


def _level_events(level: str, shared: _CaseEvents) -> Callable[[pa.Table], LevelEvents]:
    def compute(table: pa.Table) -> LevelEvents:
        column = dictionary(table[level])
        codes = column.indices.to_numpy(zero_copy_only=False)  # as narrow as the level
        names = cast(list[str], column.dictionary.to_pylist())
        following = _following(codes, shared.last, len(names))
        events = LevelEvents(
            names, codes, following, shared.first, shared.case, shared.end_us, shared.begin_us
        )
        events.__dict__["bounds_first"] = shared.bounds_first  # the cached property, shared
        return events

    return compute


def _following(codes: np.ndarray, last: np.ndarray, size: int) -> np.ndarray:
    """The code of each event's next event in its case, `size` at a case's last event, in
    the narrowest of int16 and int32 that holds `size`."""
    following = np.roll(codes, -1).astype(np.int16 if size < 1 << 15 else np.int32)
    following[last] = size
    return following


def narrowest_int(size: int) -> type[np.signedinteger[Any]]:
    """The narrowest of int16 and int32 that holds numbers below `size`: for arrays kept
    while a log is in use, to keep little memory."""
    return np.int16 if size <= 1 << 15 else np.int32


def numbered(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each key's number among the distinct keys (as narrow as they allow), and the
    distinct keys in order.

    >>> numbered(np.array([7, 3, 7]))
    (array([1, 0, 1], dtype=int16), array([3, 7]))
    """
    if len(keys) and int(keys.max()) < DENSE_CELLS:
        distinct = np.flatnonzero(np.bincount(keys))
        number = np.zeros(int(keys.max()) + 1, dtype=narrowest_int(len(distinct)))
        number[distinct] = np.arange(len(distinct))
        return number[keys], distinct
    found, inverse = np.unique(keys, return_inverse=True)
    return inverse.astype(narrowest_int(len(found))), found


def cases_per_key(case: np.ndarray, key: np.ndarray, size: int) -> np.ndarray:
    """In how many distinct cases each key below `size` occurs, given each occurrence's
    `case` (numbered from 0): the (case, key) cells seen marked in one array of flags where
    it has at most `SEEN_CELLS` cells, else by sorting (`distinct_pairs`).

    >>> cases_per_key(np.array([0, 0, 1]), np.array([1, 1, 1]), 3)
    array([0, 2, 0])
    """
    if not len(key):
        return np.zeros(size, dtype=np.int64)
    seen = seen_cells(case, key, int(case.max()) + 1, size)
    if seen is None:
        return np.bincount(distinct_pairs(case, key)[1], minlength=size)
    counted: np.ndarray = seen.sum(axis=0)
    return counted


def seen_cells(case: np.ndarray, key: np.ndarray, cases: int, size: int) -> np.ndarray | None:
    """Which (case, key) cells occur, as a `cases` × `size` array of flags (one byte a
    cell: no count, no sort); None where that would have more than `SEEN_CELLS` cells.

    >>> seen_cells(np.array([0, 0, 1]), np.array([1, 1, 0]), 2, 2).tolist()
    [[False, True], [True, False]]
    """
    if cases * size > SEEN_CELLS:
        return None
    seen = np.zeros((cases, size), dtype=bool)
    seen[case, key] = True
    return seen
