"""The backend: one embedded DuckDB connection, its lock, and the events it holds prepared.

Each log's events are prepared once per set of levels (`_preparation`) and registered with
the connection; the registry keeps the `PREPARED_LIMIT` most recently used and drops the
least recently used beyond it, to be prepared again when asked for. Every use of the
connection holds one lock: Streamlit runs each session in its own thread.
"""

from __future__ import annotations

import contextlib
import itertools
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from ibis.expr.types import Table

from discovery.engine._preparation import (
    kept_cases,
    kept_events,
    prepare_events,
    prepared_levels,
)
from discovery.log.event_log import EventLog, FilteredLog

PREPARED_LIMIT = 16
"""How many prepared event tables the engine keeps (one per log and set of levels). Beyond
it the least recently used is dropped; it is prepared again when next asked for."""


@dataclass(frozen=True)
class Prepared:
    """A log's events as the engine holds them: the Arrow `table` the numpy kernels read,
    and the Ibis `expression` over it, registered with the connection as `name`."""

    log: EventLog  # kept referenced, so that its id is not reused while registered
    table: pa.Table
    name: str
    expression: Table

    @property
    def cases(self) -> int:
        first = self.table["first"]
        if "kept" in self.table.column_names:
            first = pc.and_(first, self.table["kept"])
        return pc.sum(first).as_py() or 0


_LOCK = threading.RLock()  # one connection must not be used by two threads at once
_connection: ibis.BaseBackend | None = None
_PREPARED: dict[tuple[int, tuple[str, ...]], Prepared] = {}  # least recently used first
_NAMES = itertools.count()


def connection() -> ibis.BaseBackend:
    """The shared in-process DuckDB connection, opened on first use."""
    global _connection
    with _LOCK:
        if _connection is None:
            _connection = ibis.duckdb.connect()
        return _connection


def connect() -> None:
    """Open the connection now rather than at its first use (to time work apart from it)."""
    connection()


def prepared(log: EventLog, level: str = "activity") -> Prepared:
    """The log's events prepared for an analysis at `level`: from the registry, else
    prepared now (a filtered log's from its parent's) and registered."""
    levels = prepared_levels(log, level)
    key = (id(log), levels)
    with _LOCK:  # look up and register as one step: sessions share the registry
        if key in _PREPARED:
            _PREPARED[key] = _PREPARED.pop(key)  # most recently used last
            return _PREPARED[key]
        if isinstance(log, FilteredLog):
            parent = prepared(log.parent, level).table
            if log.whole_cases:
                return _register(key, log, kept_cases(parent, log.keep))
            return _register(key, log, kept_events(parent, log.keep, levels))
        return _register(key, log, prepare_events(log, levels))


def _register(key: tuple[int, tuple[str, ...]], log: EventLog, table: pa.Table) -> Prepared:
    # Registered as Arrow directly: ibis.memtable would decode the dictionaries to text.
    name = f"events_{next(_NAMES)}"
    with _LOCK:
        connection().con.register(name, table)
        if len(_PREPARED) >= PREPARED_LIMIT:
            evicted = _PREPARED.pop(next(iter(_PREPARED)))
            connection().con.unregister(evicted.name)
        registered = connection().table(name)
        if "kept" in table.column_names:
            registered = registered.filter(registered.kept).drop("kept")
        _PREPARED[key] = Prepared(log, table, name, registered)
        return _PREPARED[key]


def forget(log: EventLog) -> None:
    """Drop the log's prepared events (a log needed for one analysis only)."""
    with _LOCK:
        for key in [key for key in _PREPARED if key[0] == id(log)]:
            connection().con.unregister(_PREPARED.pop(key).name)


def prepared_logs() -> list[EventLog]:
    """The logs whose events the engine holds prepared, least recently used first (a log
    prepared at several sets of levels once, at its most recent use)."""
    latest: dict[int, EventLog] = {}
    with _LOCK:
        for entry in reversed(_PREPARED.values()):
            latest.setdefault(id(entry.log), entry.log)
    return list(reversed(latest.values()))


def execute(expression: Table) -> pd.DataFrame:
    """Run an expression; the (small) result comes back as pandas."""
    with _LOCK:
        return connection().execute(expression)


@contextlib.contextmanager
def materialized(expression: Table) -> Iterator[Table]:
    """The expression computed once into a temporary table, dropped afterwards."""
    name = f"tmp_{next(_NAMES)}"
    with _LOCK:
        table = connection().create_table(name, expression, temp=True)
    try:
        yield table
    finally:
        with _LOCK:
            connection().con.execute(f'DROP TABLE IF EXISTS "{name}"')
