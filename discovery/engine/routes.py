"""Routes: which way a SOURCE is opened, here or where it lives.

The rule, the same for the command line and the app:

- a file (CSV, Excel, XES, Parquet) is read here (`read_event_log`);
- a Parquet folder or glob, or a DuckDB table or query, is counted where it lives, then
  read here as a usual `EventLog` when it holds at most `local_limit` rows, else left in
  place (`InPlaceLog`);
- a PostgreSQL table or query and a Spark table or path stay in place, whatever their size.

A log read here has the same quality report as an uploaded file, with the source shown
masked; `bring_here` reads a small in-place log here when asked.

>>> log = open_source("duckdb:zorg.duckdb?table=events")  # doctest: +SKIP
>>> open_source("postgresql://ana@db/zorg?table=events").place.backend  # doctest: +SKIP
'postgres'
"""

from __future__ import annotations

from collections.abc import Mapping

from discovery.engine.in_place import InPlaceLog, open_in_place
from discovery.engine.places import Place, count_rows, fetch_rows, open_place, require_columns
from discovery.errors import LogError
from discovery.io import RawTable
from discovery.io.sources import parse_source
from discovery.log.event_log import Duplicates, EventLog, read_event_log, to_event_log
from discovery.log.schema import ColumnMapping
from discovery.values.timestamps import DEFAULT_TIMEZONE
from discovery.words import Count, message

LOCAL_LIMIT = 5_000_000
"""Rows of a Parquet dataset or DuckDB table read here; more stay where they live."""


def open_source(
    text: str,
    *,
    query: str | None = None,
    password: str | None = None,
    mapping: Mapping[str, str] | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    local_limit: int = LOCAL_LIMIT,
) -> EventLog | InPlaceLog:
    """The log `text` names (see `discovery.io.sources.parse_source`), opened by the rule
    of this module: here when it is a file, or a Parquet dataset or DuckDB table of at most
    `local_limit` rows; in place otherwise (always for PostgreSQL and Spark)."""
    spec = parse_source(text, query=query, password=password)
    if spec.kind == "file":
        return read_event_log(spec.location, mapping, timezone=timezone)
    place = open_place(spec)
    require_columns(place, list((mapping or {}).values()))  # a missing one named at once
    if spec.kind in ("parquet", "duckdb") and count_rows(place) <= local_limit:
        return read_here(place, mapping, timezone)
    return open_in_place(place, mapping, timezone=timezone)


def bring_here(log: InPlaceLog, *, local_limit: int = LOCAL_LIMIT) -> EventLog:
    """The rows of an in-place log read here as a usual `EventLog` (its roles and zone), for
    the analyses that run only here; a `LogError` when it holds more than `local_limit`."""
    rows = log.quality.rows_read
    if rows > local_limit:
        said = message("routes.error.too_many", rows=Count(rows), limit=Count(local_limit))
        raise LogError(said, file=log.source)
    return read_here(log.place, log.mapping, log.timezone)


def read_here(
    place: Place,
    mapping: Mapping[str, str] | ColumnMapping | None,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    date_format: str | None = None,
    duplicates: Duplicates = "keep",
) -> EventLog:
    """The place's rows brought here and read as a file's rows are (row numbers from 1, a
    note saying where they came from), so the quality report and every analysis work."""
    frame = fetch_rows(place)
    frame.index = frame.index + 1  # row numbers as a user counts them
    note = message("source.note.read", rows=Count(len(frame)), backend=place.backend)
    raw = RawTable(frame=frame, source=place.shown, format="dataframe", notes=(note,))
    return to_event_log(
        raw, mapping, timezone=timezone, date_format=date_format, duplicates=duplicates
    )
