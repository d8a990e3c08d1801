"""Places: where a log's rows live (a Parquet folder, a DuckDB file, PostgreSQL, Spark),
opened as an Ibis table that nothing has read yet.

Every PostgreSQL transaction is read-only (`default_transaction_read_only`), a DuckDB file
is opened read-only, and a query must be one SELECT, run as a subquery. Problems are
`LogError`s naming the source with its password masked.

>>> from discovery.engine import expressions as expr
>>> place = place_of(expr.memtable({"case": ["1"]}), "memory")
>>> place.backend, place.shown
('duckdb', 'memory')
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, quote_plus

import ibis
from ibis.common.exceptions import IbisError
from ibis.expr.types import Table

from discovery.engine._place_errors import reason_of, said_as_log_error
from discovery.errors import LogError
from discovery.io.sources import MASK, SourceSpec, masked
from discovery.words import message

if TYPE_CHECKING:
    import pandas as pd

Backend = Literal["duckdb", "postgres", "pyspark"]
READ_ONLY = "-c default_transaction_read_only=on"
CONNECT_TIMEOUT_S = 10
SPARK_MASTER = "local[2]"
_SPARK_SETTINGS = {"spark.ui.showConsoleProgress": "false", "spark.sql.session.timeZone": "UTC"}
_HIVE_PART = re.compile(r"^[^=/]+=[^/]*$")


@dataclass(frozen=True)
class Place:
    """The rows as stored (a table or a read-only query), said with credentials masked."""

    table: Table
    shown: str
    backend: str


def place_of(table: Table, shown: str) -> Place:
    """Any Ibis table as a place; its backend's name as Ibis gives it ("duckdb" for a memtable)."""
    return Place(table=table, shown=shown, backend=_backend_name(table))


def open_place(spec: SourceSpec, *, session: Any = None) -> Place:
    """Open `spec` where it lives; nothing is read but the names and types of its columns.
    Spark runs on `session`, else on a `local[2]` session of this process.

    >>> place = open_place(parse_source("duckdb:zorg.duckdb?table=events"))  # doctest: +SKIP
    >>> place.backend  # doctest: +SKIP
    'duckdb'
    """
    if spec.kind == "parquet":
        return _parquet(spec)
    if spec.kind == "duckdb":
        return _duckdb(spec)
    if spec.kind == "postgresql":
        return _postgres(spec)
    if spec.kind == "spark":
        return _spark(spec, session)
    raise LogError(message("place.error.file"), file=spec.shown)


def count_rows(place: Place) -> int:
    """How many rows the place holds, counted where it lives."""
    with said_as_log_error(place.shown):
        return int(place.table.count().to_pyarrow().as_py())


def fetch_rows(place: Place, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """The place's rows (or only `columns`) brought here as a pandas frame."""
    table = place.table if columns is None else place.table.select(*columns)
    with said_as_log_error(place.shown):
        return table.to_pyarrow().to_pandas()


def require_columns(place: Place, names: Sequence[str]) -> None:
    """A `LogError` naming the first of `names` the place has no column for."""
    for name in names:
        if name not in place.table.columns:
            known = ", ".join(place.table.columns)
            said = message("place.error.no_column", column=name, known=known)
            raise LogError(said, file=place.shown)


def _backend_name(table: Table) -> str:
    try:
        return str(table._find_backend(use_default=True).name)
    except IbisError:  # a table no one backend can run (two backends mixed) is still a place
        return "duckdb"


def _parquet(spec: SourceSpec) -> Place:
    folder = Path(spec.location)
    pattern = str(folder / "**" / "*.parquet") if folder.is_dir() else spec.location
    hive = folder.is_dir() and _is_hive(folder)
    if folder.is_dir() and next(folder.rglob("*.parquet"), None) is None:
        raise LogError(message("place.error.no_parquet", path=spec.location), file=spec.shown)
    with said_as_log_error(spec.shown, reading=spec.location):
        con = ibis.duckdb.connect()
        table = con.read_parquet(pattern, hive_partitioning=hive)
    return Place(table=table, shown=spec.shown, backend="duckdb")


def _is_hive(folder: Path) -> bool:
    """Whether the folder's first level has `key=value` folders (hive partitioning)."""
    return any(part.is_dir() and _HIVE_PART.match(part.name) for part in folder.iterdir())


def _duckdb(spec: SourceSpec) -> Place:
    if not Path(spec.location).is_file():
        raise LogError(message("place.error.no_path", path=spec.location), file=spec.shown)
    with Path(spec.location).open("rb") as file:
        if file.read(12)[8:12] != b"DUCK":  # every DuckDB database file says so there
            raise LogError(message("place.error.not_duckdb"), file=spec.shown)
    with said_as_log_error(spec.shown, reading=spec.table):
        con = ibis.duckdb.connect(spec.location, read_only=True)
        if spec.query is not None:
            query = _select_only(spec.query, "duckdb", spec.shown)
            relation = con.con.sql(query)  # its columns (Ibis 12's way needs an older DuckDB)
            types = con.compiler.type_mapper
            schema = {
                name: types.from_string(str(kind))
                for name, kind in zip(relation.columns, relation.types, strict=True)
            }
            table = con.sql(query, schema=schema, dialect="duckdb")
        else:
            table = con.table(str(spec.table))
    return Place(table=table, shown=spec.shown, backend="duckdb")


def _postgres(spec: SourceSpec) -> Place:
    from urllib.parse import unquote, urlsplit

    url = urlsplit(spec.location)
    options = dict(spec.options)
    with said_as_log_error(spec.shown, spec.password, reading=spec.table):
        con = ibis.postgres.connect(
            host=url.hostname,
            port=url.port or 5432,
            user=unquote(url.username) if url.username else None,
            password=spec.password,
            database=unquote(url.path.lstrip("/")),
            schema=options.get("schema"),
            options=READ_ONLY,
            connect_timeout=CONNECT_TIMEOUT_S,
            **({"sslmode": options["sslmode"]} if "sslmode" in options else {}),
        )
        if spec.query is not None:
            query = _select_only(spec.query, "postgres", spec.shown)
            table = con.sql(query, schema=_query_schema(con, query), dialect="postgres")
        else:
            table = con.table(str(spec.table), database=options.get("schema"))
    return Place(table=table, shown=spec.shown, backend="postgres")


def _query_schema(con: Any, query: str) -> ibis.Schema:
    """The columns of `query`, from its result's description (Ibis's own way makes a
    temporary view, which a read-only transaction refuses)."""
    with con.con.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({query}) AS journey_query LIMIT 0")
        columns = [(column.name, column.type_code) for column in cursor.description]
        oids = sorted({oid for _, oid in columns})
        types = "SELECT oid, format_type(oid, NULL) FROM pg_type WHERE oid = ANY(%s)"
        cursor.execute(types, (oids,))
        names = dict(cursor.fetchall())
    mapper = con.compiler.type_mapper
    return ibis.schema({name: mapper.from_string(names[oid]) for name, oid in columns})


def _select_only(query: str, dialect: str, shown: str) -> str:
    """`query` if it is one SELECT (or UNION, ...) that changes nothing, else a `LogError`."""
    import sqlglot
    from sqlglot import expressions as sql

    writes = (
        sql.Insert,
        sql.Update,
        sql.Delete,
        sql.Merge,
        sql.Create,
        sql.Drop,
        sql.Alter,
        sql.Command,
    )
    try:
        statements = [one for one in sqlglot.parse(query, read=dialect) if one is not None]
    except sqlglot.errors.ParseError as error:
        reason = str(error).splitlines()[0]
        raise LogError(message("place.error.query_syntax", reason=reason), file=shown) from None
    if len(statements) != 1 or not isinstance(statements[0], sql.Query):
        raise LogError(message("place.error.not_select"), file=shown)
    if any(isinstance(node, writes) for node in statements[0].walk()):
        raise LogError(message("place.error.not_select"), file=shown)
    return query.strip().rstrip(";")


def _spark(spec: SourceSpec, session: Any) -> Place:
    location = spec.location
    with said_as_log_error(spec.shown, reading=location or None):
        if session is None:
            from pyspark.sql import SparkSession

            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # a local session stays here
            builder = SparkSession.builder.master(SPARK_MASTER).appName("journey")
            builder = builder.config("spark.driver.extraJavaOptions", _quiet_java())
            for key, value in _SPARK_SETTINGS.items():
                builder = builder.config(key, value)
            session = builder.getOrCreate()
            session.sparkContext.setLogLevel("ERROR")  # its warnings are not the user's
        con = ibis.pyspark.connect(session)
        if spec.query is not None:
            table = con.sql(_select_only(spec.query, "spark", spec.shown), dialect="spark")
        elif _is_path(location):
            table = con.read_parquet(location)
        else:
            database, _, name = location.rpartition(".")
            table = con.table(name, database=database or None)
    return Place(table=table, shown=spec.shown, backend="pyspark")


_LOG4J = """rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %m%n
"""


def _quiet_java() -> str:
    """Java options for a local Spark whose log shows errors only (its start-up warnings
    and stack traces are not the user's concern; ours say what went wrong)."""
    import tempfile

    settings = Path(tempfile.gettempdir()) / "journey-log4j2.properties"
    if not settings.exists() or settings.read_text() != _LOG4J:
        settings.write_text(_LOG4J)
    return f"-Dlog4j2.configurationFile={settings.as_uri()}"


def _is_path(location: str) -> bool:
    """A Spark location is a path when it has a folder separator, a scheme or exists here."""
    return "/" in location or "\\" in location or Path(location).exists()


def masked_error(error: BaseException, passwords: Iterable[str | None] = ()) -> str:
    """`error`'s kind and the first line of its text (at most 300 characters), with each
    of `passwords` (as written, or URL-encoded), a URL's password and a `password=`
    setting masked as `***`, as the sources mask them (`SourceSpec.shown`): an error nobody
    foresaw while a log in place is analysed may quote the connection or a value sent.

    >>> masked_error(ValueError("cannot reach postgresql://ana:geheim@db/zorg"))
    'ValueError: cannot reach postgresql://ana:***@db/zorg'
    >>> masked_error(ValueError('invalid input syntax for type bigint: "geheim"'), ["geheim"])
    'ValueError: invalid input syntax for type bigint: "***"'
    """
    text = str(error)
    secrets = {password for password in passwords if password}
    written = {form for password in secrets for form in _forms(password)}
    for password in sorted(written, key=len, reverse=True):  # the longest first
        text = text.replace(password, MASK)
    reason = reason_of(Exception(masked(text)), None) if text.strip() else ""
    kind = type(error).__name__
    return f"{kind}: {reason}" if reason else kind


def _forms(password: str) -> set[str]:
    return {password, quote(password, safe=""), quote_plus(password, safe="")}
