"""The engine: where the heavy work of the analyses runs, and the only code that knows how.

Analyses work on three substrates, each reached through this package:

- **Ibis expressions** over a log's prepared events (`source`, `steps`, `events_table`),
  written with the vocabulary of `discovery.engine.expressions` and run by `execute` (or
  `case_flags`, `distinct_case_ids`, `materialized`). The backend is DuckDB, embedded;
- **numpy arrays** of the same prepared events (`CaseCodes`, `event_values`), counted with
  `distinct_pairs`, for what arrays do faster than grouped queries;
- **the pandas events of the log** (`EventLog.events`), for small or per-case work.
- **a log in place** (`InPlaceLog`, `open_in_place`): its canonical events as an Ibis
  expression on the backend where its rows live (DuckDB, PostgreSQL, Spark), prepared by
  window functions (`prepared_in_place`) and queried there (`run_in_place`), opened from
  a `Place` (`open_place`: a Parquet folder, a DuckDB file, PostgreSQL read-only, Spark).

Only this package imports ibis or duckdb, so only it knows the backend: the connection,
its lock and the registry of prepared events (`_backend`), preparing a log's events with
their neighbours and waits (`_preparation`), the numpy kernels (`_kernels`), the tables
of a log (`_tables`) and the Ibis vocabulary (`expressions`).

>>> from discovery.engine import execute, steps
>>> pairs = steps(log)  # doctest: +SKIP
>>> execute(pairs.group_by(["node", "target"]).aggregate(n=pairs.count()))  # doctest: +SKIP
"""

from discovery.engine import expressions
from discovery.engine._backend import (
    PREPARED_LIMIT,
    connect,
    derived,
    execute,
    forget,
    materialized,
    prepared_logs,
)
from discovery.engine._kernels import (
    DENSE_CELLS,
    SEEN_CELLS,
    CaseCodes,
    LevelEvents,
    cases_per_key,
    distinct_pairs,
    event_values,
    narrowest_int,
    numbered,
    seen_cells,
    whole_case_rows,
)
from discovery.engine._tables import (
    case_count,
    case_flags,
    distinct_case_ids,
    events_table,
    source,
    steps,
)
from discovery.engine.expressions import Table, case_window, not_below_zero, seconds_between
from discovery.engine.in_place import (
    InPlaceLog,
    InPlaceQuality,
    open_in_place,
    prepared_in_place,
    run_in_place,
)
from discovery.engine.memory import keep_memory_returnable, release_memory, resident_bytes
from discovery.engine.places import (
    Place,
    count_rows,
    fetch_rows,
    open_place,
    place_of,
    require_columns,
)

__all__ = [
    "DENSE_CELLS",
    "PREPARED_LIMIT",
    "SEEN_CELLS",
    "CaseCodes",
    "InPlaceLog",
    "InPlaceQuality",
    "LevelEvents",
    "Place",
    "Table",
    "case_count",
    "case_flags",
    "case_window",
    "cases_per_key",
    "connect",
    "count_rows",
    "derived",
    "distinct_case_ids",
    "distinct_pairs",
    "event_values",
    "events_table",
    "execute",
    "expressions",
    "fetch_rows",
    "forget",
    "keep_memory_returnable",
    "materialized",
    "narrowest_int",
    "not_below_zero",
    "numbered",
    "open_in_place",
    "open_place",
    "place_of",
    "prepared_in_place",
    "prepared_logs",
    "release_memory",
    "require_columns",
    "resident_bytes",
    "run_in_place",
    "seconds_between",
    "seen_cells",
    "source",
    "steps",
    "whole_case_rows",
]
