"""What a SOURCE string names: a file, a Parquet folder or glob, a DuckDB table, a
PostgreSQL table or query, a Spark path or table. Parsing only; nothing is opened.

>>> spec = parse_source("postgresql://ana:geheim@db:5432/zorg?table=events")
>>> spec.kind, spec.location, spec.table
('postgresql', 'postgresql://ana@db:5432/zorg', 'events')
>>> spec.shown
'postgresql://ana:***@db:5432/zorg?table=events'
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from discovery.errors import LogError
from discovery.words import message

SourceKind = Literal["file", "parquet", "duckdb", "postgresql", "spark"]
PASSWORD_VARIABLE = "JOURNEY_DB_PASSWORD"
MASK = "***"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(//)?")
_GLOB = re.compile(r"[*?\[]")
_POSTGRES_SCHEMES = ("postgresql", "postgres")
_POSTGRES_KEYS = ("table", "query", "schema", "sslmode")
_SHOWN_QUERY = 60  # characters of a query shown in a source's name


@dataclass(frozen=True)
class SourceSpec:
    """A parsed SOURCE; `location` never holds a password, `shown` masks it.

    `options` are the extra connection settings a URL gave (PostgreSQL's `schema`, `sslmode`).
    """

    kind: SourceKind
    location: str
    table: str | None = None
    query: str | None = None
    password: str | None = field(default=None, repr=False)
    options: tuple[tuple[str, str], ...] = ()

    @property
    def shown(self) -> str:
        """The source for messages, reports and JSON: `postgresql://ana:***@db/zorg?table=t`."""
        if self.kind in ("file", "parquet"):
            return self.location
        where = self.location if self.kind == "postgresql" else f"{self.kind}:{self.location}"
        if self.password and self.kind == "postgresql":
            where = where.replace("@", f":{MASK}@", 1)
        parts = [f"{key}={value}" for key, value in self.options]
        if self.table is not None:
            parts.insert(0, f"table={self.table}")
        if self.query is not None:
            short = " ".join(self.query.split())
            short = short if len(short) <= _SHOWN_QUERY else short[: _SHOWN_QUERY - 1] + "…"
            parts.append(f"query={short}")
        return f"{where}?{'&'.join(parts)}" if parts else where


def parse_source(text: str, *, query: str | None = None, password: str | None = None) -> SourceSpec:
    """What `text` names. The password is `password`, else $JOURNEY_DB_PASSWORD, else the
    URL's; without one, libpq's PGPASSWORD and ~/.pgpass still apply.

    >>> parse_source("duckdb:events.duckdb?table=events").table
    'events'
    >>> parse_source("spark:warehouse.events").location
    'warehouse.events'
    """
    text = text.strip()
    if not text:
        raise LogError(message("source.error.empty"))
    scheme = _SCHEME.match(text)
    name = scheme.group(1).lower() if scheme else ""
    if scheme and len(name) > 1:  # one letter is a Windows drive (C:\...), not a scheme
        if name in _POSTGRES_SCHEMES:
            return _postgresql(text, query, password)
        if name == "duckdb":
            return _duckdb(text[scheme.end() :], query)
        if name == "spark":
            return _spark(text[scheme.end() :], query)
        if scheme.group(2) or not Path(text).exists():  # not a file named `notes:v2.csv`
            raise LogError(message("source.error.scheme", scheme=name), file=masked(text))
    if query is not None:
        raise LogError(message("source.error.query_not_database"), file=text)
    path = Path(text)
    if path.is_dir() or (_GLOB.search(text) and not path.exists()):  # `export[1].csv` is a file
        return SourceSpec(kind="parquet", location=text)
    return SourceSpec(kind="file", location=text)


def _duckdb(rest: str, query: str | None) -> SourceSpec:
    path, _, params = rest.partition("?")
    given = _params(params, ("table", "query"), f"duckdb:{rest}")
    table, query = _table_or_query(given, query, f"duckdb:{path}")
    if not path:
        raise LogError(message("source.error.no_path", kind="duckdb"), file=f"duckdb:{rest}")
    return SourceSpec(kind="duckdb", location=path, table=table, query=query)


def _spark(rest: str, query: str | None) -> SourceSpec:
    if not rest and query is None:
        raise LogError(message("source.error.no_path", kind="spark"), file="spark:")
    return SourceSpec(kind="spark", location=rest, query=query)


def _postgresql(text: str, query: str | None, password: str | None) -> SourceSpec:
    try:
        url = urlsplit(text)
        port = url.port
    except ValueError:
        raise LogError(message("source.error.port"), file=masked(text)) from None
    user = unquote(url.username) if url.username else None
    given_password = unquote(url.password) if url.password is not None else None
    password = password or os.environ.get(PASSWORD_VARIABLE) or given_password
    host = url.hostname or ""
    database = unquote(url.path.lstrip("/"))
    address = f"{host}:{port}" if port is not None else host
    at = f"{quote(user, safe='')}@" if user else ""
    location = f"postgresql://{at}{address}/{quote(database, safe='')}"
    shown = SourceSpec("postgresql", location, password=password).shown
    if not host:
        raise LogError(message("source.error.no_host"), file=shown)
    if not database:
        raise LogError(message("source.error.no_database"), file=shown)
    given = _params(url.query, _POSTGRES_KEYS, shown)
    table, query = _table_or_query(given, query, shown)
    options = tuple((key, given[key]) for key in ("schema", "sslmode") if key in given)
    return SourceSpec("postgresql", location, table, query, password or None, options)


def _params(text: str, known: tuple[str, ...], shown: str) -> dict[str, str]:
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError:
        raise LogError(message("source.error.parameters", text=text), file=shown) from None
    given: dict[str, str] = {}
    for key, value in pairs:
        if key not in known:
            said = message("source.error.parameter", name=key, known=", ".join(known))
            raise LogError(said, file=shown)
        if not value.strip():
            raise LogError(message("source.error.empty_parameter", name=key), file=shown)
        given[key] = value.strip()
    return given


def _table_or_query(
    given: dict[str, str], query: str | None, shown: str
) -> tuple[str | None, str | None]:
    table, query = given.get("table"), query or given.get("query")
    if table is not None and query is not None:
        raise LogError(message("source.error.table_and_query"), file=shown)
    if table is None and query is None:
        raise LogError(message("source.error.no_table"), file=shown)
    return table, query


def masked(text: str) -> str:
    """`text` with any password in a URL's user part masked (for errors before parsing).

    >>> masked("postgresql://ana:geheim@db/zorg")
    'postgresql://ana:***@db/zorg'
    """
    return re.sub(r"(//[^/@:]*:)[^/@]*@", rf"\1{MASK}@", text)
