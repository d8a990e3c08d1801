"""One measurement of `bench_load.py`, run in a fresh process so peaks never mix.

    python benchmarks/load_child.py READER PATH [--columns CASE,ACTIVITY,TIME] [--import-only]

Imports the reader's modules, times one load with `time.perf_counter()`, and prints the
seconds, the peak resident memory (`ru_maxrss`) and the row count as JSON on the last line
of stdout. With `--import-only` it only imports, for the baseline peak. Libraries may print
banners before that line; the parent reads only the last one.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reader:
    """A way to load a log: what it imports, and the load itself (returning row counts)."""

    label: str
    modules: tuple[str, ...]
    load: Callable[[str, tuple[str, str, str]], dict[str, int]]


def _ours(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    from discovery import read_event_log

    log = read_event_log(path)
    return {"rows": log.quality.rows_read, "events": log.n_events, "cases": log.n_cases}


def _formatted(frame, columns: tuple[str, str, str]) -> dict[str, int]:
    """pm4py's documented second step after reading a table: `pm4py.format_dataframe`."""
    import pm4py

    case, activity, timestamp = columns
    frame = pm4py.format_dataframe(
        frame, case_id=case, activity_key=activity, timestamp_key=timestamp
    )
    return _counts(frame)


def _counts(frame) -> dict[str, int]:
    return {
        "rows": len(frame),
        "events": len(frame),
        "cases": int(frame["case:concept:name"].nunique()),
    }


def _pandas_csv(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    import pandas as pd

    return _formatted(pd.read_csv(path), columns)


def _openpyxl_xlsx(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    import pandas as pd

    return _formatted(pd.read_excel(path, engine="openpyxl"), columns)


def _pandas_parquet(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    import pandas as pd

    return _formatted(pd.read_parquet(path), columns)


def _pyarrow_parquet(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    """The limit for Parquet: pyarrow reading the whole file into an Arrow table."""
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return {"rows": table.num_rows, "events": table.num_rows, "cases": 0}


def _duckdb_csv(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    """The limit for CSV: DuckDB's `read_csv` (types sniffed) into an Arrow table."""
    import duckdb

    with duckdb.connect() as connection:
        table = connection.read_csv(path).to_arrow_table()
    return {"rows": table.num_rows, "events": table.num_rows, "cases": 0}


def _pm4py_xes(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    import pm4py

    return _counts(pm4py.read_xes(path))


def _pm4py_xes_iterparse(path: str, columns: tuple[str, str, str]) -> dict[str, int]:
    """The parser pm4py picks when rustxes is not installed (lxml is, so "iterparse")."""
    import pm4py
    from pm4py.util.constants import DEFAULT_XES_PARSER

    return _counts(pm4py.read_xes(path, variant=DEFAULT_XES_PARSER))


READERS = {
    "ours": Reader("ours: read_event_log", ("discovery", "discovery.io"), _ours),
    "pandas-csv": Reader(
        "pandas.read_csv + pm4py.format_dataframe", ("pandas", "pm4py"), _pandas_csv
    ),
    "openpyxl": Reader(
        'pandas.read_excel(engine="openpyxl") + format_dataframe',
        ("pandas", "openpyxl", "pm4py"),
        _openpyxl_xlsx,
    ),
    "pandas-parquet": Reader(
        "pandas.read_parquet + format_dataframe", ("pandas", "pyarrow", "pm4py"), _pandas_parquet
    ),
    "pyarrow-parquet": Reader("pyarrow.parquet.read_table", ("pyarrow.parquet",), _pyarrow_parquet),
    "duckdb-csv": Reader("duckdb read_csv → Arrow", ("duckdb",), _duckdb_csv),
    "pm4py-xes": Reader(
        "pm4py.read_xes (default: rustxes when installed)", ("pm4py", "rustxes"), _pm4py_xes
    ),
    "pm4py-xes-iterparse": Reader(
        'pm4py.read_xes(variant="iterparse") (default without rustxes)',
        ("pm4py", "lxml"),
        _pm4py_xes_iterparse,
    ),
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reader", choices=sorted(READERS))
    parser.add_argument("path", nargs="?", default="")
    parser.add_argument("--columns", default="case_id,activity,timestamp")
    parser.add_argument("--import-only", action="store_true")
    args = parser.parse_args(argv)
    reader = READERS[args.reader]
    for module in reader.modules:
        importlib.import_module(module)
    result: dict[str, object] = {"import_peak_mb": _peak_mb()}
    if not args.import_only:
        columns = tuple(args.columns.split(","))
        start = time.perf_counter()
        counts = reader.load(args.path, columns)  # type: ignore[arg-type]
        result |= {"seconds": time.perf_counter() - start, **counts}
    result["peak_mb"] = _peak_mb()
    sys.stdout.flush()
    print("\n" + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
