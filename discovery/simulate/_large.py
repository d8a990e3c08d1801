"""Large logs for benchmarks: exactly n events of one journey, written as CSV or Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from ._engine import SEED, run
from ._registry import get_journey
from ._spec import Journey

_PILOT_CASES = 2000


def simulate_events(
    n_events: int, journey: str | Journey = "hospital", seed: int = SEED
) -> pd.DataFrame:
    """Exactly `n_events` events (canonical columns); the last case may be cut short.

    >>> len(simulate_events(1000))
    1000
    """
    spec = get_journey(journey)
    pilot, _ = run(spec, _PILOT_CASES, seed)
    n_cases = int(n_events * _PILOT_CASES / len(pilot) * 1.02) + 50
    while True:
        frame, _ = run(spec, n_cases, seed)
        if len(frame) >= n_events:
            break
        n_cases = int(n_cases * 1.05) + 50
    out = frame.iloc[:n_events].reset_index(drop=True)
    out["case_id"] = out["case_id"].cat.remove_unused_categories()
    return out


def _csv_ready(table: pa.Table) -> pa.Table:
    """Text for dictionary columns and whole seconds for times, so the CSV reads naturally."""
    for i, field in enumerate(table.schema):
        if pa.types.is_dictionary(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.string()))
        elif pa.types.is_timestamp(field.type):
            table = table.set_column(i, field.name, table.column(i).cast(pa.timestamp("s")))
    return table


def write_events(frame: pd.DataFrame, path: Path | str) -> Path:
    """Write a log as `.csv` (ISO times, `,`) or `.parquet`, chosen by the file's suffix."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    if target.suffix == ".parquet":
        pq.write_table(table, target)
    elif target.suffix == ".csv":
        pa_csv.write_csv(_csv_ready(table), target)
    else:
        raise ValueError(f"{target}: write .csv or .parquet")
    return target
