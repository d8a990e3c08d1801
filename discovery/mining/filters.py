"""Filters as values: build them, combine them, apply them, and say them in words.

Every filter selects whole cases, so a filtered log keeps each kept case's full trail.

>>> recent = TimeWindow(pd.Timestamp("2025-01-01", tz="UTC"), pd.Timestamp("2025-07-01", tz="UTC"))
>>> elderly = CaseAttribute("age_group", ("55+",))
>>> filtered = apply_filters(log, [recent, elderly])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

import numpy as np
import pandas as pd

from discovery.engine import LevelEvents, derived, whole_case_rows
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog, FilteredLog, case_starts
from discovery.mining._map_arrays import CaseKeys
from discovery.mining.in_place.filters import filtered_in_place
from discovery.mining.variants import case_variants
from discovery.words import Duration, Message, Number, message


class Filter(Protocol):
    def keeps(self, log: EventLog) -> np.ndarray:
        """For each case of `log`, in case order, whether this filter keeps it."""
        ...

    def describe(self) -> Message:
        """The filter in words, for reports, as a message (`discovery.words.say`)."""
        ...


Log = TypeVar("Log", EventLog, InPlaceLog)


def apply_filters(log: Log, filters: Sequence[Filter]) -> Log:
    """The log with only the cases every filter keeps (filters combine with AND); the log
    itself where they keep every case. A log in place stays in place (`filtered_in_place`)."""
    if isinstance(log, InPlaceLog):
        return filtered_in_place(log, filters)
    if not filters:
        return log
    keep_case = np.logical_and.reduce([selection.keeps(log) for selection in filters])
    if keep_case.all():
        return log
    # Events are sorted by case: decide per case, then spread to its events.
    return FilteredLog(log, keep_case[LevelEvents.of(log).case])


def kept_case_ids(log: EventLog, selection: Filter) -> set[str]:
    """The ids of the cases `selection` keeps."""
    firsts = np.flatnonzero(case_starts(log.events))  # one event a case: its id once
    ids = log.events["case_id"].iloc[firsts].to_numpy()
    return set(ids[selection.keeps(log)].tolist())


def describe_filters(filters: Sequence[Filter]) -> Message:
    """All filters in one sentence; "all cases" when there are none.

    >>> from discovery.words import say
    >>> say(describe_filters([VariantSelection(top=3), CaseDuration(86400)]), "nl")
    'zaken in de 3 meest voorkomende varianten; en zaken van minstens 1 dag'
    """
    if not filters:
        return message("filter.all_cases")
    described = filters[0].describe()
    for selection in filters[1:]:
        described = message("filter.and", first=described, then=selection.describe())
    return described


def _joined(names: Sequence[str], conjunction: str) -> str | Message:
    """ "A and B and C" ("filter.list.and"), or with "or"."""
    joined: str | Message = names[0] if names else ""
    for name in names[1:]:
        joined = message(f"filter.list.{conjunction}", first=joined, then=name)
    return joined


def _per_case(
    log: EventLog, name: str, compute: Callable[[LevelEvents], np.ndarray], level: str = "activity"
) -> np.ndarray:
    """`compute(events)`, one value per case, for the cases of `log`: found once for the log
    that holds its events (a filter of whole cases is a view of its ancestor's)."""
    holder, rows = whole_case_rows(log)
    events = LevelEvents.of(holder, level)
    values = derived(holder, (name, level), lambda _: compute(events), level)
    return values if rows is None else values[rows[events.bounds_first]]


def _hits(log: EventLog, hit_event: Callable[[LevelEvents], np.ndarray], level: str) -> np.ndarray:
    """For each case of `log`, whether one of its events is a hit (`hit_event(events)`:
    one flag per event of the log that holds `log`'s events)."""
    holder, rows = whole_case_rows(log)
    events = LevelEvents.of(holder, level)
    hit = np.bincount(events.case[hit_event(events)], minlength=len(events.bounds_first)) > 0
    return hit if rows is None else hit[rows[events.bounds_first]]


def _holder_events(log: EventLog, level: str = "activity") -> LevelEvents:
    """The events of the log that holds `log`'s (itself, or a filter's ancestor)."""
    return LevelEvents.of(whole_case_rows(log)[0], level)


def _codes(events: LevelEvents, names: Sequence[str]) -> list[int]:
    """The codes of `names` at the events' level (names the log does not have have none)."""
    wanted = set(names)
    return [code for code, name in enumerate(events.names) if name in wanted]


def _first_begin(events: LevelEvents) -> np.ndarray:
    if not len(events.codes):
        return np.zeros(0, dtype=np.int64)
    return np.minimum.reduceat(events.begin_us, events.bounds_first)


def _last_end(events: LevelEvents) -> np.ndarray:
    if not len(events.codes):
        return np.zeros(0, dtype=np.int64)
    return np.maximum.reduceat(events.end_us, events.bounds_first)


def _span(log: EventLog) -> tuple[np.ndarray, np.ndarray]:
    """Each case's first begin (start time, else timestamp) and last timestamp, in
    microseconds since 1970."""
    return _per_case(log, "first_begin", _first_begin), _per_case(log, "last_end", _last_end)


def _microseconds(moment: pd.Timestamp) -> int:
    """A moment (UTC where it has no zone) in whole microseconds since 1970."""
    return int(pd.Timestamp(moment).value // 1000)


@dataclass(frozen=True)
class TimeWindow:
    """Cases in a period: `contained` in it, `intersecting` it, or `started` in it."""

    start: pd.Timestamp
    end: pd.Timestamp
    mode: Literal["contained", "intersecting", "started"] = "intersecting"

    def keeps(self, log: EventLog) -> np.ndarray:
        first, last = _span(log)
        start, end = _microseconds(self.start), _microseconds(self.end)
        if self.mode == "contained":
            return (first >= start) & (last <= end)
        if self.mode == "intersecting":
            return (first <= end) & (last >= start)
        return (first >= start) & (first <= end)

    def describe(self) -> Message:
        return message(f"filter.time_window.{self.mode}", start=self.start, end=self.end)


def attribute_values(log: EventLog, column: str) -> tuple[str, ...]:
    """The values of `column` as text, sorted, without empty ones: what a CaseAttribute
    filter on it can keep."""
    return tuple(sorted(log.events[column].dropna().astype(str).unique()))


@dataclass(frozen=True)
class CaseAttribute:
    """Cases with (keep) or without (remove) one of `values` in `column`."""

    column: str
    values: tuple[str, ...]
    keep: bool = True

    def keeps(self, log: EventLog) -> np.ndarray:
        if not log.has(self.column):
            raise ValueError(f"the log has no column '{self.column}'")
        column = log.events[self.column]
        values = column.drop_duplicates()
        chosen = values[values.astype(str).isin(self.values)]
        hit_event = column.isin(chosen).to_numpy(bool)
        hit = np.logical_or.reduceat(hit_event, np.flatnonzero(case_starts(log.events)))
        return hit if self.keep else ~hit

    def describe(self) -> Message:
        how = "keep" if self.keep else "remove"
        return message(f"filter.attribute.{how}", column=self.column, values=", ".join(self.values))


@dataclass(frozen=True)
class VariantSelection:
    """The most frequent variants: the `top` k, or as many as cover `coverage` of cases."""

    top: int | None = None
    coverage: float | None = None

    def keeps(self, log: EventLog) -> np.ndarray:
        variants = case_variants(log)
        if self.top is not None:
            return variants.variant <= self.top
        # a variant is needed while the variants before it cover less than asked
        counts = np.bincount(variants.variant)[1:]
        before = (np.cumsum(counts) - counts) / max(len(variants.variant), 1)
        needed = int(np.sum(before < (self.coverage or 1.0) - 1e-12))
        return variants.variant <= needed

    def describe(self) -> Message:
        if self.top is not None:
            return message("filter.variants.top", top=self.top)
        percent = Number((self.coverage or 0.0) * 100, 0)  # a whole percentage, as chosen
        return message("filter.variants.coverage", percent=percent)


@dataclass(frozen=True)
class Endpoints:
    """Cases starting with one of `start` and/or ending with one of `end`."""

    start: tuple[str, ...] = ()
    end: tuple[str, ...] = ()

    def keeps(self, log: EventLog) -> np.ndarray:
        first, last = (
            _per_case(log, "first_code", _first_code),
            _per_case(log, "last_code", _last_code),
        )
        kept = np.ones(len(first), dtype=bool)
        if self.start:
            kept &= np.isin(first, _codes(_holder_events(log), self.start))
        if self.end:
            kept &= np.isin(last, _codes(_holder_events(log), self.end))
        return kept

    def describe(self) -> Message:
        start, end = " / ".join(self.start), " / ".join(self.end)
        if self.start and self.end:
            return message("filter.endpoints.both", start=start, end=end)
        if self.start:
            return message("filter.endpoints.start", start=start)
        if self.end:
            return message("filter.endpoints.end", end=end)
        return message("filter.all_cases")


@dataclass(frozen=True)
class CaseDuration:
    """Cases whose throughput time lies within [minimum_s, maximum_s]."""

    minimum_s: float = 0.0
    maximum_s: float = float("inf")

    def keeps(self, log: EventLog) -> np.ndarray:
        first, last = _span(log)
        seconds = (last - first) / 1_000_000
        kept: np.ndarray = seconds >= self.minimum_s
        if self.maximum_s != float("inf"):
            kept &= seconds <= self.maximum_s
        return kept

    def describe(self) -> Message:
        low = Duration(self.minimum_s)
        if self.maximum_s == float("inf"):
            return message("filter.duration.at_least", low=low)
        return message("filter.duration.between", low=low, high=Duration(self.maximum_s))


@dataclass(frozen=True)
class Follows:
    """Cases where `target` follows `source`: directly, or eventually; kept or removed."""

    source: str
    target: str
    directly: bool = True
    keep: bool = True

    def keeps(self, log: EventLog) -> np.ndarray:
        found = _hits(log, self._hit, "activity")
        return found if self.keep else ~found

    def _hit(self, events: LevelEvents) -> np.ndarray:
        """The events after which `target` follows `source` in their case: the source
        followed directly by the target, or each case's first source where a target comes
        later."""
        source, target = (_codes(events, [name]) or [-1] for name in (self.source, self.target))
        is_source = events.codes == source[0]
        if self.directly:
            hit: np.ndarray = is_source & (events.following == target[0])
            return hit
        cases = len(events.bounds_first)
        first_source = np.full(cases, len(events.codes))
        np.minimum.at(first_source, events.case[is_source], np.flatnonzero(is_source))
        last_target = np.full(cases, -1)
        is_target = events.codes == target[0]
        np.maximum.at(last_target, events.case[is_target], np.flatnonzero(is_target))
        found = first_source < last_target
        hit = np.zeros(len(events.codes), dtype=bool)
        hit[events.bounds_first[found]] = True
        return hit

    def describe(self) -> Message:
        how = "directly" if self.directly else "eventually"
        key = f"filter.follows.{how}" + ("" if self.keep else ".remove")
        return message(key, source=self.source, target=self.target)


@dataclass(frozen=True)
class DepartmentsTouched:
    """Cases that touched any (or all, with `require_all`) of `departments`; or not (keep=False)."""

    departments: tuple[str, ...]
    require_all: bool = False
    keep: bool = True

    def keeps(self, log: EventLog) -> np.ndarray:
        if not log.has("department"):
            raise ValueError("the log has no department column")
        holder, rows = whole_case_rows(log)
        events = LevelEvents.of(holder, "department")
        keys = _case_departments(holder)
        touched = np.isin(keys.key, _codes(events, self.departments))
        counts = np.bincount(keys.case[touched], minlength=len(events.bounds_first))
        needed = len(set(self.departments)) if self.require_all else 1
        hit = counts >= needed
        if rows is not None:
            hit = hit[rows[events.bounds_first]]
        return hit if self.keep else ~hit

    def describe(self) -> Message:
        listed = _joined(self.departments, "and" if self.require_all else "or")
        how = "keep" if self.keep else "remove"
        return message(f"filter.departments.{how}", departments=listed)


def _first_code(events: LevelEvents) -> np.ndarray:
    first: np.ndarray = events.codes[events.bounds_first]
    return first


def _last_code(events: LevelEvents) -> np.ndarray:
    last: np.ndarray = events.codes[np.append(events.bounds_first[1:], len(events.codes)) - 1]
    return last


def _case_departments(log: EventLog) -> CaseKeys:
    """The distinct (case, department) pairs of a log, found once while it is prepared."""
    events = LevelEvents.of(log, "department")
    return derived(
        log,
        ("case_departments",),
        lambda _: CaseKeys.of(events.case, events.codes, len(events.names)),
        "department",
    )
