"""The analytical engine: the event table as Ibis expressions, run by embedded DuckDB.

Queries are written once as Ibis expressions over the canonical columns; only this
module knows which backend runs them, so the same analyses can later run elsewhere.
"""

from __future__ import annotations

import ibis
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


def case_window(events: Table) -> ibis.Window:
    """Each case's events in order: timestamp, then position in the source."""
    return ibis.window(group_by=events.case_id, order_by=[events.timestamp, events.position])
