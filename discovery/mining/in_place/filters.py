"""Filters in place: each filter of `discovery.mining.filters` as a condition on a table of
one row per case, all decided where the log lives; the filtered log is the log's events of
the kept cases, still in place.

The filters are told apart by their class names and read by their fields, so this module
needs not import theirs (which hands in-place logs to it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from discovery.engine import Table
from discovery.engine import expressions as expr
from discovery.engine.expressions import Value
from discovery.engine.in_place import (
    SEPARATOR,
    UTC_TIME,
    InPlaceLog,
    case_sequences_in_place,
    prepared_in_place,
    run_in_place,
)
from discovery.mining.in_place.variants import numbered


def filtered_in_place(log: InPlaceLog, filters: Sequence[Any]) -> InPlaceLog:
    """The log with only the cases every filter keeps (filters combine with AND)."""
    if not filters:
        return log
    cases = case_sequences_in_place(log)
    events = prepared_in_place(log, "activity")
    keep: Value = expr.literal(True)
    for selection in filters:
        decide = _CONDITIONS.get(type(selection).__name__)
        if decide is None:
            raise TypeError(f"no in-place form of the filter {type(selection).__name__}")
        flags, condition = decide(selection, log, cases, events)
        if flags is not None:
            cases = cases.left_join(flags, "case_id").drop("case_id_right")
        keep = keep & condition(cases)
    kept = cases.filter(keep).select("case_id")
    return replace(
        log, events=log.events.semi_join(kept, "case_id"), filters=(*log.filters, *filters)
    )


Decided = tuple[Table | None, Callable[[Table], Value]]


def _moment(moment: pd.Timestamp) -> Value:
    """A moment (UTC where it has no zone) as the canonical time: UTC without zone, whole
    microseconds."""
    stamp = pd.Timestamp(moment)
    stamp = stamp.tz_convert("UTC").tz_localize(None) if stamp.tzinfo else stamp
    return expr.literal(stamp.floor("us"), type=UTC_TIME)


def _time_window(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    start, end, mode = _moment(selection.start), _moment(selection.end), selection.mode

    def condition(t: Table) -> Value:
        if mode == "contained":
            return (t.first_begin >= start) & (t.last_end <= end)
        if mode == "intersecting":
            return (t.first_begin <= end) & (t.last_end >= start)
        return (t.first_begin >= start) & (t.first_begin <= end)

    return None, condition


def _flags(events: Table, name: str, hit: Value) -> Table:
    """Per case, whether one of its events is a `hit`, as column `name`."""
    marked = events.mutate(_hit=hit)
    return marked.group_by("case_id").aggregate(**{name: marked._hit.any()})


def _kept(name: str, keep: bool) -> Callable[[Table], Value]:
    def condition(t: Table) -> Value:
        hit = t[name].fill_null(False)
        return hit if keep else ~hit

    return condition


def _attribute(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    if not log.has(selection.column):
        raise ValueError(f"the log has no column '{selection.column}'")
    raw = log.events
    hit = raw[selection.column].cast("string").isin(list(selection.values))
    name = f"_attribute_{id(selection)}"
    return _flags(raw, name, hit.fill_null(False)), _kept(name, selection.keep)


def _variants(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    counts = numbered(run_in_place(cases.group_by("sequence").aggregate(cases=cases.count())))
    if selection.top is not None:
        needed = int(selection.top)
    else:  # a variant is needed while the variants before it cover less than asked
        before = (counts["cases"].cumsum() - counts["cases"]) / max(int(counts["cases"].sum()), 1)
        needed = int((before < (selection.coverage or 1.0) - 1e-12).sum())
    chosen = counts.loc[counts["variant"] <= needed, "sequence"].tolist()
    return None, lambda t: t.sequence.isin(chosen)


def _exact_variant(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    """The cases whose activities, in case order, are exactly the variant's."""
    wanted = SEPARATOR.join(selection.activities)
    if not selection.activities or any(SEPARATOR in a for a in selection.activities):
        return None, lambda t: expr.literal(False)  # no case has no step, nor such a name
    return None, lambda t: t.sequence == wanted


def _endpoints(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    ends = events.filter(events.first | events.last)
    name = f"_ends_{id(selection)}"
    flags = ends.group_by("case_id").aggregate(
        **{
            f"{name}_start": (ends.first & ends.activity.isin(list(selection.start) or [""])).any(),
            f"{name}_end": (ends.last & ends.activity.isin(list(selection.end) or [""])).any(),
        }
    )

    def condition(t: Table) -> Value:
        kept: Value = expr.literal(True)
        if selection.start:
            kept = kept & t[f"{name}_start"].fill_null(False)
        if selection.end:
            kept = kept & t[f"{name}_end"].fill_null(False)
        return kept

    return flags, condition


def _duration(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    def condition(t: Table) -> Value:
        seconds = t.throughput_us.cast("float64") / 1_000_000
        kept = seconds >= float(selection.minimum_s)
        if selection.maximum_s != float("inf"):
            kept = kept & (seconds <= float(selection.maximum_s))
        return kept

    return None, condition


def _follows(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    name = f"_follows_{id(selection)}"
    is_source = events.activity == selection.source
    if selection.directly:
        hit = is_source & (events.next_activity == selection.target).fill_null(False)
        return _flags(events, name, hit), _kept(name, selection.keep)
    no_order = expr.null().cast("int64")
    orders = events.group_by("case_id").aggregate(
        _first_source=expr.ifelse(is_source, events.order, no_order).min(),
        _last_target=expr.ifelse(events.activity == selection.target, events.order, no_order).max(),
    )
    flags = orders.select("case_id", **{name: orders._first_source < orders._last_target})
    return flags, _kept(name, selection.keep)


def _departments(selection: Any, log: InPlaceLog, cases: Table, events: Table) -> Decided:
    if not log.has("department"):
        raise ValueError("the log has no department column")
    wanted = list(dict.fromkeys(selection.departments))
    touched = events.filter(events.department.isin(wanted))
    name = f"_departments_{id(selection)}"
    counts = touched.group_by("case_id").aggregate(**{name: touched.department.nunique()})
    needed = len(wanted) if selection.require_all else 1
    flags = counts.select("case_id", **{name: counts[name] >= needed})
    return flags, _kept(name, selection.keep)


_CONDITIONS: dict[str, Callable[[Any, InPlaceLog, Table, Table], Decided]] = {
    "TimeWindow": _time_window,
    "CaseAttribute": _attribute,
    "VariantSelection": _variants,
    "ExactVariant": _exact_variant,
    "Endpoints": _endpoints,
    "CaseDuration": _duration,
    "Follows": _follows,
    "DepartmentsTouched": _departments,
}
