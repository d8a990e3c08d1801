"""Filters as values: build them, combine them, apply them, and say them in words.

Every filter selects whole cases, so a filtered log keeps each kept case's full trail.

>>> recent = TimeWindow(pd.Timestamp("2025-01-01", tz="UTC"), pd.Timestamp("2025-07-01", tz="UTC"))
>>> elderly = CaseAttribute("age_group", ("55+",))
>>> filtered = apply_filters(log, [recent, elderly])  # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from ibis.expr.types import Table

from discovery.engine import (
    distinct_case_ids,
    register_subset,
    seconds_between,
    source,
)
from discovery.findings import Language, format_duration
from discovery.log import EventLog
from discovery.variants import case_sequences


class Filter(Protocol):
    def case_ids(self, log: EventLog) -> set[str]:
        """The cases this filter keeps."""
        ...

    def describe(self, language: Language = "en") -> str:
        """The filter in words, for reports."""
        ...


def apply_filters(log: EventLog, filters: Sequence[Filter]) -> EventLog:
    """The log with only the cases every filter keeps (filters combine with AND); the log
    itself where they keep every case."""
    if not filters:
        return log
    kept: set[str] | None = None
    for selection in filters:
        cases = selection.case_ids(log)
        kept = cases if kept is None else kept & cases
    # Events are sorted by case: decide per case, then spread to its events.
    case_id = log.events["case_id"]
    first = (case_id != case_id.shift()).to_numpy(bool)
    cases = pa.array(case_id[first], pa.string())
    keep_case = pc.is_in(cases, value_set=pa.array(list(kept), pa.string()))
    keep_case = keep_case.to_numpy(zero_copy_only=False)
    if keep_case.all():
        return log
    keep_event = keep_case[first.cumsum() - 1]
    filtered = dataclasses.replace(log, events=log.events[keep_event].reset_index(drop=True))
    register_subset(log, filtered, keep_event)
    return filtered


def describe_filters(filters: Sequence[Filter], language: Language = "en") -> str:
    """All filters in one sentence; "all cases" when there are none."""
    if not filters:
        return "all cases" if language == "en" else "alle zaken"
    joiner = "; and " if language == "en" else "; en "
    return joiner.join(selection.describe(language) for selection in filters)


def _all_ids(log: EventLog) -> set[str]:
    return set(log.events["case_id"].unique())


def _span(log: EventLog) -> Table:
    events = source(log)
    return events.group_by(events.case_id).aggregate(
        first=events.begin.min(), last=events.timestamp.max()
    )


def _date(moment: pd.Timestamp) -> str:
    return f"{moment:%d-%m-%Y}"


@dataclass(frozen=True)
class TimeWindow:
    """Cases in a period: `contained` in it, `intersecting` it, or `started` in it."""

    start: pd.Timestamp
    end: pd.Timestamp
    mode: Literal["contained", "intersecting", "started"] = "intersecting"

    def case_ids(self, log: EventLog) -> set[str]:
        span = _span(log)
        start, end = ibis.literal(self.start), ibis.literal(self.end)
        condition = {
            "contained": (span["first"] >= start) & (span["last"] <= end),
            "intersecting": (span["first"] <= end) & (span["last"] >= start),
            "started": (span["first"] >= start) & (span["first"] <= end),
        }[self.mode]
        return distinct_case_ids(span.filter(condition))

    def describe(self, language: Language = "en") -> str:
        period = f"{_date(self.start)} – {_date(self.end)}"
        words = {
            "en": {"contained": "cases entirely within", "intersecting": "cases active in",
                   "started": "cases started in"},
            "nl": {"contained": "zaken geheel binnen", "intersecting": "zaken actief in",
                   "started": "zaken gestart in"},
        }  # fmt: skip
        return f"{words[language][self.mode]} {period}"


@dataclass(frozen=True)
class CaseAttribute:
    """Cases with (keep) or without (remove) one of `values` in `column`."""

    column: str
    values: tuple[str, ...]
    keep: bool = True

    def case_ids(self, log: EventLog) -> set[str]:
        if self.column not in log.events:
            raise ValueError(f"the log has no column '{self.column}'")
        events = log.events
        values = events[self.column].drop_duplicates()
        chosen = values[values.astype(str).isin(self.values)]
        hit = set(events.loc[events[self.column].isin(chosen), "case_id"].unique())
        return hit if self.keep else _all_ids(log) - hit

    def describe(self, language: Language = "en") -> str:
        listed = ", ".join(self.values)
        if language == "nl":
            return f"zaken {'met' if self.keep else 'zonder'} {self.column} = {listed}"
        return f"cases {'with' if self.keep else 'without'} {self.column} = {listed}"


@dataclass(frozen=True)
class VariantSelection:
    """The most frequent variants: the `top` k, or as many as cover `coverage` of cases."""

    top: int | None = None
    coverage: float | None = None

    def case_ids(self, log: EventLog) -> set[str]:
        cases = case_sequences(log)
        counted = cases.group_by(cases.activities).aggregate(n=cases.count())
        counted = counted.mutate(key=counted.activities.join("\x1f"))
        # by frequency, ties by the sequence: the order of discover_variants
        order = [ibis.desc(counted.n), counted.key]
        ranked = counted.mutate(
            rank=ibis.row_number().over(order_by=order),
            before=counted.n.sum().over(ibis.cumulative_window(order_by=order)) - counted.n,
        )
        if self.top is not None:
            chosen = ranked.filter(ranked["rank"] < self.top)
        else:
            # a variant is needed while the variants before it cover less than asked
            total = ranked.n.sum().over(ibis.window())
            covered = ranked.before / total
            chosen = ranked.filter(covered < (self.coverage or 1.0) - 1e-12)
        return distinct_case_ids(cases.semi_join(chosen, "activities"))

    def describe(self, language: Language = "en") -> str:
        if self.top is not None:
            if language == "nl":
                return f"zaken in de {self.top} meest voorkomende varianten"
            return f"cases in the {self.top} most frequent variants"
        share = f"{self.coverage:.0%}"
        if language == "nl":
            return f"zaken in de meest voorkomende varianten die samen {share} van de zaken dekken"
        return f"cases in the most frequent variants covering {share} of cases"


@dataclass(frozen=True)
class Endpoints:
    """Cases starting with one of `start` and/or ending with one of `end`."""

    start: tuple[str, ...] = ()
    end: tuple[str, ...] = ()

    def case_ids(self, log: EventLog) -> set[str]:
        events = source(log)
        kept = _all_ids(log)
        if self.start:
            kept &= distinct_case_ids(
                events.filter(events["first"] & events.activity.isin(self.start))
            )
        if self.end:
            kept &= distinct_case_ids(
                events.filter(events["last"] & events.activity.isin(self.end))
            )
        return kept

    def describe(self, language: Language = "en") -> str:
        parts = []
        if self.start:
            verb = "beginnend met" if language == "nl" else "starting with"
            parts.append(f"{verb} {' / '.join(self.start)}")
        if self.end:
            verb = "eindigend met" if language == "nl" else "ending with"
            parts.append(f"{verb} {' / '.join(self.end)}")
        noun = "zaken" if language == "nl" else "cases"
        return f"{noun} {(' en ' if language == 'nl' else ' and ').join(parts)}"


@dataclass(frozen=True)
class CaseDuration:
    """Cases whose throughput time lies within [minimum_s, maximum_s]."""

    minimum_s: float = 0.0
    maximum_s: float = float("inf")

    def case_ids(self, log: EventLog) -> set[str]:
        span = _span(log)
        seconds = seconds_between(span["first"], span["last"])
        condition = seconds >= self.minimum_s
        if self.maximum_s != float("inf"):
            condition &= seconds <= self.maximum_s
        return distinct_case_ids(span.filter(condition))

    def describe(self, language: Language = "en") -> str:
        low = format_duration(self.minimum_s, language)
        if self.maximum_s == float("inf"):
            return f"{'zaken van minstens' if language == 'nl' else 'cases lasting at least'} {low}"
        high = format_duration(self.maximum_s, language)
        if language == "nl":
            return f"zaken met een doorlooptijd tussen {low} en {high}"
        return f"cases lasting between {low} and {high}"


@dataclass(frozen=True)
class Follows:
    """Cases where `target` follows `source`: directly, or eventually; kept or removed."""

    source: str
    target: str
    directly: bool = True
    keep: bool = True

    def case_ids(self, log: EventLog) -> set[str]:
        events = source(log)
        if self.directly:
            hits = events.filter(
                (events.activity == self.source) & (events.next_activity == self.target)
            )
        else:
            per_case = events.group_by(events.case_id).aggregate(
                first_source=events.order.min(where=events.activity == self.source),
                last_target=events.order.max(where=events.activity == self.target),
            )
            hits = per_case.filter(per_case.first_source < per_case.last_target)
        found = distinct_case_ids(hits)
        return found if self.keep else _all_ids(log) - found

    def describe(self, language: Language = "en") -> str:
        if language == "nl":
            how = "direct" if self.directly else "ooit"
            verb = "met" if self.keep else "zonder"
            return f"zaken {verb} {self.source} {how} gevolgd door {self.target}"
        how = "directly" if self.directly else "eventually"
        verb = "where" if self.keep else "except where"
        return f"cases {verb} {self.source} is {how} followed by {self.target}"


@dataclass(frozen=True)
class DepartmentsTouched:
    """Cases that touched any (or all, with `require_all`) of `departments`; or not (keep=False)."""

    departments: tuple[str, ...]
    require_all: bool = False
    keep: bool = True

    def case_ids(self, log: EventLog) -> set[str]:
        if "department" not in log.events:
            raise ValueError("the log has no department column")
        events = source(log)
        touched = events.filter(events.department.isin(self.departments))
        counts = touched.group_by(touched.case_id).aggregate(n=touched.department.nunique())
        needed = len(set(self.departments)) if self.require_all else 1
        hit = distinct_case_ids(counts.filter(counts.n >= needed))
        return hit if self.keep else _all_ids(log) - hit

    def describe(self, language: Language = "en") -> str:
        listed = (" en " if language == "nl" else " and ").join(self.departments)
        if not self.require_all:
            listed = (" of " if language == "nl" else " or ").join(self.departments)
        if language == "nl":
            return f"zaken die {'wel' if self.keep else 'niet'} langs {listed} gingen"
        return f"cases that {'went' if self.keep else 'did not go'} through {listed}"
