"""A log's events as Ibis tables, and the answers that come back from them as Python."""

from __future__ import annotations

import ibis
import numpy as np
from ibis.expr.types import Table

from discovery.engine._backend import execute, prepared
from discovery.engine._preparation import events_arrow
from discovery.engine.in_place import InPlaceLog, prepared_in_place
from discovery.log.event_log import EventLog


def source(log: EventLog | InPlaceLog, level: str = "activity") -> Table:
    """The log's prepared events, registered once per log: case_id, case_index (the case's
    number in the log's case order, from 1), first, last, order, position, timestamp, begin,
    the levels (activity, department, resource, channel and `level`) as dictionary-encoded
    text with "(none)" for missing values, and at each level the event's neighbours in its
    case (`previous_<level>`, `next_<level>`), with `wait_before` and `wait_after`.

    A log in place gives the same columns computed where it lives (`prepared_in_place`),
    but for `case_index` and `position`, with `order` counted within each case."""
    if isinstance(log, InPlaceLog):
        return prepared_in_place(log, level)
    return prepared(log, level).expression


def steps(log: EventLog | InPlaceLog, level: str = "activity") -> Table:
    """Every event in case order with its neighbours at `level` (no window: the prepared
    events carry them).

    Columns: case_id, case_index, first, order, position, timestamp, begin (start time, else
    timestamp), node (the level's value; "(none)" where empty), target (the node after;
    null at the case's end), wait_before / wait_after (seconds from the previous event's end
    to this event's begin, and from this event's end to the next event's begin, never below
    zero; null at the ends). A log in place has no case_index and position (`source`).
    """
    events = source(log, level)
    return events.select(
        *(column for column in _STEP_COLUMNS if column in events.columns),
        node=events[level],
        target=events[f"next_{level}"],
    )


_STEP_COLUMNS = (
    "case_id",
    "case_index",
    "first",
    "order",
    "position",
    "timestamp",
    "begin",
    "wait_before",
    "wait_after",
)


def events_table(log: EventLog, columns: list[str]) -> Table:
    """The log's events (only `columns`, plus case_index, first, last and order) as an Ibis
    table of their own, for columns the prepared events do not hold."""
    return ibis.memtable(events_arrow(log, columns))


def case_count(log: EventLog) -> int:
    """The number of cases, from the prepared events."""
    return prepared(log, "activity").cases


def case_flags(log: EventLog, matching: Table) -> np.ndarray:
    """For each case of `log`, in case order, whether `matching` (a table with a
    `case_index` column) has a row for it."""
    flags = np.zeros(case_count(log), dtype=bool)
    indexes = execute(matching.select("case_index").distinct())["case_index"]
    flags[indexes.to_numpy(dtype="int64") - 1] = True
    return flags


def distinct_case_ids(table: Table) -> set[str]:
    """The distinct case ids of a table, as text."""
    # tolist() converts in one call, where iterating the column converts value by value
    return set(execute(table.select("case_id").distinct())["case_id"].astype(str).tolist())
