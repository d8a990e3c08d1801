"""Numpy kernels: a log's prepared events as arrays, and the counts arrays do faster than
grouped queries."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import cast

import numpy as np
import pandas as pd
import pyarrow as pa

from discovery.engine._backend import derived, prepared
from discovery.engine._preparation import dictionary, microseconds
from discovery.log.event_log import EventLog, FilteredLog

DENSE_CELLS = 1 << 22
"""Up to this many (case, code) cells (32 MiB of counts), `distinct_pairs` counts in one
dense array; beyond it, by sorting."""


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


def event_values(log: EventLog, column: str) -> np.ndarray:
    """Each event's `column` of the prepared events, in the log's order; times as
    microseconds since 1970."""
    table = prepared(log, "activity").table
    values = table[column]
    if "kept" in table.column_names:
        values = values.filter(table["kept"])
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
        following = np.where(last, len(self.names), np.roll(codes, -1)).astype(np.int32)
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
        codes = column.indices.to_numpy(zero_copy_only=False).astype(np.int32)
        names = cast(list[str], column.dictionary.to_pylist())
        following = np.where(shared.last, len(names), np.roll(codes, -1)).astype(np.int32)
        events = LevelEvents(
            names, codes, following, shared.first, shared.case, shared.end_us, shared.begin_us
        )
        events.__dict__["bounds_first"] = shared.bounds_first  # the cached property, shared
        return events

    return compute
