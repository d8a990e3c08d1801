"""Event counts and label warnings of every public log in ../shared/logs, against the figures
published in its README: what `read_event_log` keeps, with rows identical to an earlier row
kept (the default) and dropped. Last, BPI 2011 as a four-column Excel export (case,
activity, date, department), the copy `tests/test_real_exports.py` reads.

    .venv/bin/python benchmarks/reference_counts.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from discovery import read_event_log  # noqa: E402
from tests.test_reference_logs import REFERENCE  # noqa: E402

LOGS = ROOT.parent / "shared" / "logs"


def main() -> int:
    if not LOGS.is_dir():
        print(f"{LOGS} is not here: the public logs are needed")
        return 1
    print("| log | published events | rows read | events kept | identical rows | events with "
          "--drop-duplicates | cases (published) | label warnings |")  # fmt: skip
    print("|---|--:|--:|--:|--:|--:|--:|---|")
    for name, expected in sorted(REFERENCE.items()):
        log = read_event_log(LOGS / name)
        quality = log.quality
        dropped = read_event_log(LOGS / name, duplicates="drop") if quality.identical_rows else log
        labels = [f.message.split(": ", 1)[-1] for f in quality.findings if "label" in f.check]
        merged = f" ({log.n_events:,} after merging lifecycles)" if quality.merged_rows else ""
        print(
            f"| {name} | {expected['events']:,} | {quality.rows_read:,} | "
            f"{quality.rows_used:,}{merged} | {quality.identical_rows:,} | "
            f"{dropped.quality.rows_used:,} | {log.n_cases:,} ({expected['cases']:,}) | "
            f"{' '.join(labels) or '—'} |"
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bpi2011_four_columns.xlsx"
        raw = pd.read_csv(
            LOGS / "hospital.csv.gz",
            usecols=["case_id", "activity", "timestamp", "group"],
            dtype=str,
            keep_default_na=False,
        )
        raw["timestamp"] = pd.to_datetime(raw["timestamp"], format="ISO8601")
        raw.to_excel(path, index=False, engine="openpyxl")
        log = read_event_log(path)
        dropped = read_event_log(path, duplicates="drop")
        print(
            f"| hospital.csv.gz as 4-column .xlsx | 150,291 | {log.quality.rows_read:,} | "
            f"{log.n_events:,} | {log.quality.identical_rows:,} | {dropped.n_events:,} | "
            f"{log.n_cases:,} (1,143) | — |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
