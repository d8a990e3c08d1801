"""Filters as values: build them, combine them, apply them, and say them in words.

Every filter selects whole cases, so a filtered log keeps each kept case's full trail.

>>> recent = TimeWindow(pd.Timestamp("2025-01-01", tz="UTC"), pd.Timestamp("2025-07-01", tz="UTC"))
>>> elderly = CaseAttribute("age_group", ("55+",))
>>> filtered = apply_filters(log, [recent, elderly])  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import pandas as pd

from discovery.engine import Table, case_count, case_flags, seconds_between, source
from discovery.engine import expressions as expr
from discovery.log.event_log import EventLog, FilteredLog, case_starts
from discovery.mining.variants import case_variants
from discovery.words import Duration, Message, Number, message


class Filter(Protocol):
    def keeps(self, log: EventLog) -> np.ndarray:
        """For each case of `log`, in case order, whether this filter keeps it."""
        ...

    def describe(self) -> Message:
        """The filter in words, for reports, as a message (`discovery.words.say`)."""
        ...


def apply_filters(log: EventLog, filters: Sequence[Filter]) -> EventLog:
    """The log with only the cases every filter keeps (filters combine with AND); the log
    itself where they keep every case."""
    if not filters:
        return log
    keep_case = np.logical_and.reduce([selection.keeps(log) for selection in filters])
    if keep_case.all():
        return log
    # Events are sorted by case: decide per case, then spread to its events.
    return FilteredLog(log, keep_case[case_starts(log.events).cumsum() - 1])


def kept_case_ids(log: EventLog, selection: Filter) -> set[str]:
    """The ids of the cases `selection` keeps."""
    ids = log.events["case_id"].to_numpy()[case_starts(log.events)]
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


def _span(log: EventLog) -> Table:
    events = source(log)
    return events.group_by(events.case_index).aggregate(
        first=events.begin.min(), last=events.timestamp.max()
    )


@dataclass(frozen=True)
class TimeWindow:
    """Cases in a period: `contained` in it, `intersecting` it, or `started` in it."""

    start: pd.Timestamp
    end: pd.Timestamp
    mode: Literal["contained", "intersecting", "started"] = "intersecting"

    def keeps(self, log: EventLog) -> np.ndarray:
        span = _span(log)
        start, end = expr.literal(self.start), expr.literal(self.end)
        condition = {
            "contained": (span["first"] >= start) & (span["last"] <= end),
            "intersecting": (span["first"] <= end) & (span["last"] >= start),
            "started": (span["first"] >= start) & (span["first"] <= end),
        }[self.mode]
        return case_flags(log, span.filter(condition))

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
        events = source(log)
        kept = np.ones(case_count(log), dtype=bool)
        if self.start:
            starts = events.filter(events["first"] & events.activity.isin(self.start))
            kept &= case_flags(log, starts)
        if self.end:
            ends = events.filter(events["last"] & events.activity.isin(self.end))
            kept &= case_flags(log, ends)
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
        span = _span(log)
        seconds = seconds_between(span["first"], span["last"])
        condition = seconds >= self.minimum_s
        if self.maximum_s != float("inf"):
            condition &= seconds <= self.maximum_s
        return case_flags(log, span.filter(condition))

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
        events = source(log)
        if self.directly:
            hits = events.filter(
                (events.activity == self.source) & (events.next_activity == self.target)
            )
        else:
            per_case = events.group_by(events.case_index).aggregate(
                first_source=events.order.min(where=events.activity == self.source),
                last_target=events.order.max(where=events.activity == self.target),
            )
            hits = per_case.filter(per_case.first_source < per_case.last_target)
        found = case_flags(log, hits)
        return found if self.keep else ~found

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
        events = source(log)
        touched = events.filter(events.department.isin(self.departments))
        counts = touched.group_by(touched.case_index).aggregate(n=touched.department.nunique())
        needed = len(set(self.departments)) if self.require_all else 1
        hit = case_flags(log, counts.filter(counts.n >= needed))
        return hit if self.keep else ~hit

    def describe(self) -> Message:
        listed = _joined(self.departments, "and" if self.require_all else "or")
        how = "keep" if self.keep else "remove"
        return message(f"filter.departments.{how}", departments=listed)
