"""The files `bench_load.py` reads: one simulated log per size, written once in each format.

Files are cached in `benchmarks/data/` (git-ignored) as `events_<n>.<csv|parquet|xlsx|xes>`
and reused while they exist; delete them to regenerate. Each is written to a temporary name
first, so an interrupted run never leaves half a file behind. `prepare_dataset` writes
`events_<n>/bucket=K/part.parquet`, a hive-partitioned dataset written a bucket of cases at
a time, for sizes that do not fit in memory (100M events: `bench_scale.py`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent / "data"
FORMATS = ("csv", "xlsx", "xes", "parquet")
XES_KEYS = {
    "case_id": "case:concept:name",
    "activity": "concept:name",
    "timestamp": "time:timestamp",
    "resource": "org:resource",
    "department": "org:group",
}
EXCEL_MAX_ROWS = 1_048_576


def path_for(n_events: int, fmt: str) -> Path:
    return DATA / f"events_{n_events}.{fmt}"


def prepare(n_events: int, formats: tuple[str, ...] = FORMATS) -> dict[str, Path]:
    """Write whichever of the files for `n_events` are missing; return every path."""
    DATA.mkdir(parents=True, exist_ok=True)
    paths = {fmt: path_for(n_events, fmt) for fmt in formats}
    missing = [fmt for fmt, path in paths.items() if not path.exists()]
    if not missing:
        return paths
    frame = _timed(f"simulating {n_events:,} events", lambda: _simulate(n_events))
    for fmt in missing:
        _timed(f"writing {paths[fmt].name}", lambda fmt=fmt: _write(frame, fmt, paths[fmt]))
    return paths


def dataset_path(n_events: int) -> Path:
    return DATA / f"events_{n_events}"


def prepare_dataset(n_events: int) -> Path:
    """The hive-partitioned Parquet dataset of `n_events` events, written if missing."""
    from discovery.simulate import write_dataset

    path = dataset_path(n_events)
    if not path.exists():
        _timed(f"writing {path.name}/ a bucket at a time", lambda: write_dataset(n_events, path))
    return path


def _simulate(n_events: int) -> pd.DataFrame:
    """Exactly `n_events` events of the hospital journey, canonical columns, fixed seed."""
    from discovery.simulate import simulate_events

    return simulate_events(n_events)


def _write_simulated(frame: pd.DataFrame, path: Path) -> None:
    """The simulator's own writer for CSV (ISO times, `,`) and Parquet."""
    from discovery.simulate import write_events

    write_events(frame, path)


def _write(frame: pd.DataFrame, fmt: str, path: Path) -> None:
    partial = path.with_suffix(".partial" + path.suffix)
    writers: dict[str, Callable[[pd.DataFrame, Path], None]] = {
        "csv": _write_simulated,
        "parquet": _write_simulated,
        "xlsx": _write_xlsx,
        "xes": _write_xes,
    }
    writers[fmt](frame, partial)
    partial.replace(path)


def _write_xlsx(frame: pd.DataFrame, path: Path) -> None:
    """openpyxl in write-only mode (streams rows; the fastest writer in the venv)."""
    from openpyxl import Workbook

    if len(frame) >= EXCEL_MAX_ROWS:
        raise ValueError(f"{len(frame):,} rows do not fit on one Excel sheet")
    book = Workbook(write_only=True)
    sheet = book.create_sheet("events")
    sheet.append(list(frame.columns))
    columns = []
    for name in frame.columns:
        values = frame[name]
        if pd.api.types.is_datetime64_any_dtype(values):
            columns.append(values.dt.to_pydatetime().tolist())
        elif pd.api.types.is_float_dtype(values):
            columns.append([None if pd.isna(x) else float(x) for x in values])
        else:
            columns.append(values.astype(str).tolist())
    for row in zip(*columns, strict=True):
        sheet.append(row)
    book.save(path)


def _write_xes(frame: pd.DataFrame, path: Path) -> None:
    """rustxes.export_xes from a polars frame with the standard XES keys."""
    import polars as pl
    import rustxes

    table = frame[list(XES_KEYS)].rename(columns=XES_KEYS)
    text = [key for key in table.columns if key != "time:timestamp"]
    table = table.astype(dict.fromkeys(text, str))
    # rustxes reads the raw integers as nanoseconds, whatever the column's unit says
    time = pl.col("time:timestamp").cast(pl.Datetime("ns")).dt.replace_time_zone("UTC")
    rustxes.export_xes(pl.from_pandas(table).with_columns(time), str(path))


def _timed(what: str, action: Callable[[], object]):
    print(f"  {what} ...", end="", file=sys.stderr, flush=True)
    start = time.perf_counter()
    result = action()
    print(f" {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    return result
