"""Seeded simulator of realistic customer and patient journeys with planted ground truth.

>>> log = simulate("hospital", n_cases=50, seed=1)
>>> list(log.columns)[:4]
['patiëntnummer', 'activiteit', 'starttijd', 'eindtijd']

Run `python -m discovery.simulate` to rewrite the sample logs in `sample_logs/`, or
`python -m discovery.simulate --events 1000000 --out benchmarks/data/large.parquet` for a
large log for benchmarks; with a folder for `--out` (no suffix) it writes a hive-partitioned
Parquet dataset a bucket of cases at a time (`write_dataset`), for logs that do not fit in memory.
"""

from __future__ import annotations

import pandas as pd

from ._dataset import Dataset, write_dataset
from ._engine import SEED, Headers, run, to_log_headers
from ._improvement import IMPROVEMENT
from ._large import simulate_events, write_events
from ._registry import JOURNEYS, get_journey
from ._samples import sample_files, write_sample_logs
from ._spec import Improvement, Journey

__all__ = [
    "IMPROVEMENT",
    "JOURNEYS",
    "SEED",
    "Dataset",
    "Improvement",
    "Journey",
    "sample_files",
    "simulate",
    "simulate_events",
    "write_dataset",
    "write_events",
    "write_sample_logs",
]


def simulate(
    journey: str | Journey,
    n_cases: int | None = None,
    seed: int = SEED,
    *,
    headers: Headers = "log",
    improvement: Improvement | None = None,
) -> pd.DataFrame:
    """Simulate a journey: one row per event, sorted as the log is written.

    `n_cases` defaults to the size of the committed sample log. With `headers="log"` the
    columns carry the journey's own (English or Dutch) headers, with `"canonical"` the
    canonical names (`case_id`, `activity`, `start_timestamp`, `timestamp`, ...).
    `improvement` (such as `IMPROVEMENT`, documented in sample_logs/ground_truth.json)
    shortens one step's wait from a date on and changes nothing else.
    """
    spec = get_journey(journey)
    frame, _ = run(spec, spec.n_cases if n_cases is None else n_cases, seed, improvement)
    return to_log_headers(frame, spec) if headers == "log" else frame
