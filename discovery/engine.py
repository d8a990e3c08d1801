"""The analytical engine: the event table as Ibis expressions, run by embedded DuckDB.

Queries are written once as Ibis expressions over the canonical columns; only this
module knows which backend runs them, so the same analyses can later run elsewhere.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import pandas as pd
from ibis.expr.types import Table

from discovery.log import EventLog

_backend = None


def backend() -> ibis.BaseBackend:
    """The shared in-process DuckDB connection."""
    global _backend
    if _backend is None:
        _backend = ibis.duckdb.connect()
    return _backend


def events_table(log: EventLog, columns: list[str]) -> Table:
    """The log's events (only `columns`, plus order columns) as an Ibis table."""
    wanted = list(dict.fromkeys(["case_id", "timestamp", "position", *columns]))
    return ibis.memtable(log.events[wanted])


def execute(expression: Table) -> pd.DataFrame:
    """Run an expression; the (small) result comes back as pandas."""
    return backend().execute(expression)


@ibis.udf.scalar.builtin
def epoch_us(moment: dt.timestamp) -> dt.int64:
    """Microseconds since 1970 (DuckDB's epoch_us): exact, where seconds as floats are not."""


def seconds_between(start: ibis.Value, end: ibis.Value) -> ibis.Value:
    """Seconds from `start` to `end`, exact to the microsecond."""
    return (epoch_us(end) - epoch_us(start)) / 1_000_000


def case_window(events: Table) -> ibis.Window:
    """Each case's events in order: timestamp, then position in the source."""
    return ibis.window(group_by=events.case_id, order_by=[events.timestamp, events.position])


def with_waits(events: Table) -> Table:
    """Events with `wait`: seconds from the end of the case's previous event to this event's
    start (its timestamp where it has none), never below zero; null for a case's first event."""
    window = case_window(events)
    begin = (
        events.start_timestamp.fill_null(events.timestamp)
        if "start_timestamp" in events.columns
        else events.timestamp
    )
    previous_end = events.timestamp.lag().over(window)
    wait = ibis.greatest(seconds_between(previous_end, begin), 0)
    return events.mutate(wait=wait)
