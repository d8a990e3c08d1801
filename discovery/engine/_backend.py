"""The backend: one embedded DuckDB database, a cursor per thread, and the events it holds
prepared.

Each log's events are prepared once per set of levels (`_preparation`), and registered with
the shared connection, where queries are built on them, when a query first reads them
(`Prepared.expression`); the registry keeps the
`PREPARED_LIMIT` most recently used and drops the least recently used beyond it, to be
prepared again when asked for; a dropped entry's table stays registered while a query
built on it lives (see `_register`).

Queries run on the calling thread's own cursor (`_cursor`: DuckDB's `cursor()`, a
connection of its own to the same database), so sessions, which Streamlit runs in threads
of their own, query at the same time. DuckDB's registrations of Arrow tables are per
connection (a cursor does not see its parent's), so a query registers the prepared tables
it reads on its cursor for its length (`_registered`: zero-copy, well under a
millisecond). One lock guards the registry and the shared connection's catalogue only.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import queue
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import ibis
import ibis.expr.operations as ops
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
    and the Ibis `expression` over it, registered with the connection as `name` when a
    query first asks for it (a map computed from arrays needs neither Ibis's DuckDB backend
    nor DuckDB: a cold `journey map` loads neither)."""

    owner: weakref.ref[EventLog]  # the log, not kept alive by the engine (see `_register`)
    table: pa.Table
    name: str
    derived: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """Arrays computed once from `table` (`derived`), and the registered `expression`,
    kept and dropped with it."""

    @property
    def expression(self) -> Table:
        with _LOCK:
            if _EXPRESSION not in self.derived:
                self.derived[_EXPRESSION] = _registered_table(self.name, self.table)
            expression: Table = self.derived[_EXPRESSION]
            return expression

    @property
    def cases(self) -> int:
        first = self.table["first"]
        if "kept" in self.table.column_names:
            first = pc.and_(first, self.table["kept"])
        return pc.sum(first).as_py() or 0


_EXPRESSION = ("expression",)  # where a prepared entry keeps its registered expression
_LOCK = threading.RLock()  # the registry and the shared connection's catalogue, not queries
_connection: ibis.BaseBackend | None = None
_THREAD = threading.local()  # each thread's cursor (`_cursor`)
_PREPARED: dict[tuple[int, tuple[str, ...]], Prepared] = {}  # least recently used first
_TABLES: dict[str, pa.Table] = {}  # what is registered with the shared connection, by name
_NAMES = itertools.count()
_UNUSED: queue.SimpleQueue[str] = queue.SimpleQueue()  # dropped tables no query refers to
_GONE: queue.SimpleQueue[tuple[int, tuple[str, ...]]] = queue.SimpleQueue()  # logs let go


def connection() -> ibis.BaseBackend:
    """The shared in-process DuckDB connection, opened on first use: prepared events are
    registered with it and queries built on it; they run on each thread's `_cursor`."""
    global _connection
    with _LOCK:
        if _connection is None:
            _connection = ibis.duckdb.connect()
        return _connection


def _cursor() -> ibis.BaseBackend:
    """The calling thread's own connection to the shared database, opened on its first
    query; it closes with the thread."""
    backend: ibis.BaseBackend | None = getattr(_THREAD, "backend", None)
    if backend is None:
        with _LOCK:
            cursor = connection().con.cursor()
        backend = _THREAD.backend = ibis.duckdb.from_connection(cursor)
    return backend


@contextlib.contextmanager
def _registered(backend: ibis.BaseBackend, expression: Table) -> Iterator[None]:
    """The prepared tables `expression` reads, registered on the thread's cursor while it
    runs (registering Arrow is zero-copy). The expression refers to them, so none of them
    is unregistered from the shared connection meanwhile (see `_register`)."""
    names = {node.name for node in expression.op().find(ops.DatabaseTable)}
    with _LOCK:
        tables = {name: _TABLES[name] for name in names if name in _TABLES}
    for name, table in tables.items():
        backend.con.register(name, table)
    try:
        yield
    finally:
        for name in tables:
            backend.con.unregister(name)


def connect() -> None:
    """Open the connection now rather than at its first use (to time work apart from it)."""
    connection()


def prepared(log: EventLog, level: str = "activity") -> Prepared:
    """The log's events prepared for an analysis at `level`: from the registry, else
    prepared now (a filtered log's from its parent's) and registered.

    Preparing runs outside the lock, so that other sessions' queries go on meanwhile; only
    the look-up and the registration hold it. Two threads asking for the same log at once
    may both prepare it: the first to register wins and the other's table is dropped, so
    the same events are never registered twice (a little work wasted, in a rare case).
    """
    levels = prepared_levels(log, level)
    key = (id(log), levels)
    with _LOCK:
        _drop_gone()
        if key in _PREPARED and _PREPARED[key].owner() is log:
            return _used(key)
    if isinstance(log, FilteredLog):
        parent = prepared(log.parent, level).table  # held here even if dropped meanwhile
        if log.whole_cases:
            return _register(key, log, kept_cases(parent, log.keep))
        return _register(key, log, kept_events(parent, log.keep, levels))
    return _register(key, log, prepare_events(log, levels))


D = TypeVar("D")


def derived(
    log: EventLog, key: Any, compute: Callable[[pa.Table], D], level: str = "activity"
) -> D:
    """`compute(table)` of the log's prepared events at `level`, computed once while they
    are kept (two threads asking at once may both compute it; they agree)."""
    entry = prepared(log, level)
    if key not in entry.derived:
        entry.derived[key] = compute(entry.table)
    value: D = entry.derived[key]
    return value


def _used(key: tuple[int, tuple[str, ...]]) -> Prepared:
    _PREPARED[key] = _PREPARED.pop(key)  # most recently used last
    return _PREPARED[key]


def _register(key: tuple[int, tuple[str, ...]], log: EventLog, table: pa.Table) -> Prepared:
    """Keep the prepared `table` (unless another thread kept the log's meanwhile), dropping
    the least recently used entry beyond the limit; it is registered with DuckDB when a
    query first asks for it (`Prepared.expression`).

    The registry refers to the log weakly: a log the app (or anyone) lets go takes its
    entry with it (`_drop_gone`), so the engine never keeps a log alive; its events are
    then freed like those of a dropped entry. Dropping an entry takes it out of the
    registry but does not unregister its table at once: a query built on it in another
    session (the sessions share the registry) may not have run yet. The table's Ibis node
    stands for every query on it, so its Python references are the pins: when the last
    query on it is gone, a finalizer queues its name, and the next registration
    unregisters it. This needs nothing from the analyses (no pin to take and release
    around each query) and frees the events as soon as no query can read them.
    """
    with _LOCK:
        _drop_gone()
        if key in _PREPARED and _PREPARED[key].owner() is log:  # by another thread meanwhile
            return _used(key)
        _unregister_unused()
        if len(_PREPARED) >= PREPARED_LIMIT:
            del _PREPARED[next(iter(_PREPARED))]
        owner = weakref.ref(log, lambda _, key=key: _GONE.put(key))  # type: ignore[misc]
        _PREPARED[key] = Prepared(owner, table, f"events_{next(_NAMES)}")
        return _PREPARED[key]


def _registered_table(name: str, table: pa.Table) -> Table:
    """`table` registered with the shared connection as `name`, as an Ibis expression
    (the rows it keeps, where it is a view of its parent's); its finalizer queues the name
    to be unregistered once no query refers to it (see `_register`)."""
    # Registered as Arrow directly: ibis.memtable would decode the dictionaries to text.
    connection().con.register(name, table)
    _TABLES[name] = table
    registered = connection().table(name)
    weakref.finalize(registered.op(), _UNUSED.put, name).atexit = False
    if "kept" in table.column_names:
        registered = registered.filter(registered.kept).drop("kept")
    return registered


def _drop_gone() -> None:
    """Drop the entries of logs no one refers to any more (queued as each log went; an
    entry made since for a new log that got the same id stays)."""
    while True:
        try:
            key = _GONE.get_nowait()
        except queue.Empty:
            return
        entry = _PREPARED.get(key)
        if entry is not None and entry.owner() is None:
            del _PREPARED[key]


def _unregister_unused() -> None:
    """Unregister the tables of dropped entries that no query refers to any more."""
    with _LOCK:
        while True:
            try:
                name = _UNUSED.get_nowait()
            except queue.Empty:
                return
            connection().con.unregister(name)
            _TABLES.pop(name, None)


def let_go() -> None:
    """Drop the entries of logs let go, and unregister now every table no query refers
    to (otherwise left for the next registration), so that their events can be freed."""
    with _LOCK:
        _drop_gone()
    gc.collect()  # the dropped entries' Ibis nodes: their finalizers queue the tables
    _unregister_unused()


def forget(log: EventLog) -> None:
    """Drop the log's prepared events (a log needed for one analysis only); their table is
    unregistered once no query refers to it."""
    with _LOCK:
        for key in [key for key, entry in _PREPARED.items() if entry.owner() is log]:
            del _PREPARED[key]
        _unregister_unused()


def prepared_logs() -> list[EventLog]:
    """The logs whose events the engine holds prepared, least recently used first (a log
    prepared at several sets of levels once, at its most recent use)."""
    latest: dict[int, EventLog] = {}
    with _LOCK:
        _drop_gone()
        for entry in reversed(_PREPARED.values()):
            log = entry.owner()
            if log is not None:
                latest.setdefault(id(log), log)
    return list(reversed(latest.values()))


def execute(expression: Table) -> pd.DataFrame:
    """Run an expression on the calling thread's cursor; the (small) result comes back as
    pandas. Other threads' queries run meanwhile. An expression on tables that live
    elsewhere (a log in place: PostgreSQL, Spark, a DuckDB file) runs there."""
    if _lives_elsewhere(expression):
        frame: pd.DataFrame = expression.to_pandas()
        return frame
    backend = _cursor()
    with _registered(backend, expression):
        return backend.execute(expression)


def _lives_elsewhere(expression: Table) -> bool:
    """Whether the expression reads a table of another backend than the engine's own (its
    shared connection, or this thread's cursor, which holds `materialized` tables)."""
    ours = (_connection, getattr(_THREAD, "backend", None))
    tables = expression.op().find(ops.DatabaseTable)
    return any(all(table.source is not backend for backend in ours) for table in tables)


@contextlib.contextmanager
def materialized(expression: Table) -> Iterator[Table]:
    """The expression computed once into a temporary table, dropped afterwards. The table
    is the calling thread's (a temporary table is its connection's): query it there."""
    name = f"tmp_{next(_NAMES)}"
    backend = _cursor()
    with _registered(backend, expression):
        table = backend.create_table(name, expression, temp=True)
    try:
        yield table
    finally:
        backend.con.execute(f'DROP TABLE IF EXISTS "{name}"')
