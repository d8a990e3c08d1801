"""Very large logs as a hive-partitioned Parquet dataset, written a bucket of cases at a time.

`write_dataset(100_000_000, "benchmarks/data/events_100000000")` writes
`bucket=0/part.parquet`, `bucket=1/part.parquet`, ...: each bucket is one run of the
simulator with its own seed, so every case lies in one bucket, and only one bucket's
events are ever in memory.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ._engine import SEED, run
from ._registry import get_journey
from ._spec import Journey

BUCKET_EVENTS = 1_000_000
"""Events per bucket (one file each): about 40 MB of memory while it is simulated."""

_PILOT_CASES = 2000


@dataclass(frozen=True)
class Dataset:
    """What `write_dataset` wrote: its folder, events, cases, buckets and bytes on disk."""

    folder: Path
    events: int
    cases: int
    buckets: int
    size_bytes: int


def write_dataset(
    n_events: int,
    folder: Path | str,
    journey: str | Journey = "hospital",
    seed: int = SEED,
    bucket_events: int = BUCKET_EVENTS,
) -> Dataset:
    """Write exactly `n_events` events as `folder/bucket=K/part.parquet`, a bucket at a
    time (the last case of a bucket may be cut short). Case ids end in `-K`, unique over
    the buckets; rows are in case order, then time. Written to a temporary folder first.

    >>> write_dataset(3000, tmp / "events", bucket_events=1000).buckets  # doctest: +SKIP
    3
    """
    spec = get_journey(journey)
    target = Path(folder)
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    pilot, _ = run(spec, _PILOT_CASES, seed)
    per_case = len(pilot) / _PILOT_CASES
    written = cases = bucket = 0
    while written < n_events:
        quota = min(bucket_events, n_events - written)
        frame = _bucket(spec, quota, per_case, seed + bucket + 1, bucket)
        part = partial / f"bucket={bucket}" / "part.parquet"
        part.parent.mkdir(parents=True)
        table = pa.Table.from_pandas(frame, preserve_index=False)
        pq.write_table(table, part, row_group_size=1 << 20)
        written += len(frame)
        cases += frame["case_id"].nunique()
        bucket += 1
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    size = sum(path.stat().st_size for path in target.rglob("*.parquet"))
    return Dataset(target, written, cases, bucket, size)


def _bucket(spec: Journey, quota: int, per_case: float, seed: int, bucket: int) -> pd.DataFrame:
    """`quota` events of one run, in case order then time, case ids ending in `-bucket`."""
    n_cases = int(quota / per_case * 1.02) + 50
    while True:
        frame, _ = run(spec, n_cases, seed)
        if len(frame) >= quota:
            break
        n_cases = int(n_cases * 1.05) + 50
    order = frame["case_id"].cat.codes.argsort(kind="stable")  # codes follow arrival
    frame = frame.take(order[:quota]).reset_index(drop=True)
    case_id = frame["case_id"].cat.remove_unused_categories()
    frame["case_id"] = case_id.cat.rename_categories(
        [f"{name}-{bucket}" for name in case_id.cat.categories]
    )
    return frame
