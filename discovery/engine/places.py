"""Places: where a log's rows live (a Parquet folder, a DuckDB file, PostgreSQL, Spark),
opened as an Ibis table that nothing has read yet.

>>> from discovery.engine import expressions as expr
>>> place = place_of(expr.memtable({"case": ["1"]}), "memory")
>>> place.backend, place.shown
('duckdb', 'memory')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ibis.common.exceptions import IbisError
from ibis.expr.types import Table

Backend = Literal["duckdb", "postgres", "pyspark"]


@dataclass(frozen=True)
class Place:
    """The rows as stored (a table or a read-only query), said with credentials masked."""

    table: Table
    shown: str
    backend: str


def place_of(table: Table, shown: str) -> Place:
    """Any Ibis table as a place; its backend's name as Ibis gives it ("duckdb" for a memtable)."""
    return Place(table=table, shown=shown, backend=_backend_name(table))


def _backend_name(table: Table) -> str:
    try:
        return str(table._find_backend(use_default=True).name)
    except IbisError:  # a table no one backend can run (two backends mixed) is still a place
        return "duckdb"
