"""The quick speed check `python3 dev.py test` runs after the tests (issue 14, target 5).

    .venv/bin/python benchmarks/quick.py            # compare with benchmarks/quick_ratios.json
    .venv/bin/python benchmarks/quick.py --update   # store this machine's ratios as the baseline

At 100,000 simulated events, each measurement the best of three fresh processes, it prints
four ratios of ours to the limit (what the hardware allows: pyarrow or a hand-written DuckDB
query) and warns where one is more than 30 % worse than the ratio stored in the repo. A
ratio, not seconds: it holds across machines. It never fails the build: it is a warning
for the person who made the change, not a timed test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from load_data import prepare  # noqa: E402

BASELINE = HERE / "quick_ratios.json"
EVENTS = 100_000
RUNS = 3
WORSE = 1.30  # a ratio more than 30 % above its baseline is a regression

TIMED = """
import sys, time
{setup}
started = time.perf_counter()
{work}
print(time.perf_counter() - started)
"""
OURS_LOAD = ("from discovery import read_event_log", "read_event_log(sys.argv[1])")
PYARROW_LOAD = ("import pyarrow.parquet as pq", "pq.read_table(sys.argv[1])")
DUCKDB_CSV = ("import duckdb", "duckdb.sql(f\"select * from read_csv('{sys.argv[1]}')\").arrow()")
ANALYSIS = """
import sys, time
sys.path.insert(0, {here!r})
from analysis_child import ROUTES
from discovery import read_event_log
log = read_event_log(sys.argv[1])
steps, _ = ROUTES[{route!r}].prepare(log)
started = time.perf_counter()
for step in steps.values():
    step()
print(time.perf_counter() - started)
"""
COLD_LIMIT = """
import sys, duckdb
sys.path.insert(0, {here!r})
from analysis_child import DFG_SQL
events = duckdb.sql(f"select *, row_number() over () as position from read_csv('{{sys.argv[1]}}')")
duckdb.sql(DFG_SQL).fetchall()  # as bench_cold_map: tuples, no pandas
"""


def _seconds(code: str, path: Path) -> float:
    """The best of RUNS fresh processes, each printing the seconds of its timed part."""
    best = float("inf")
    for _ in range(RUNS):
        done = subprocess.run(
            [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
        )
        best = min(best, float(done.stdout.strip().splitlines()[-1]))
    return best


def _wall(command: list[str]) -> float:
    """The best of RUNS wall times of a whole command in a fresh process (start-up included)."""
    best = float("inf")
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        best = min(best, time.perf_counter() - started)
    return best


def measure() -> dict[str, tuple[float, float]]:
    """Each check's (ours, the limit) seconds."""
    paths = prepare(EVENTS, ("csv", "parquet"))
    csv, parquet = paths["csv"], paths["parquet"]
    here = str(HERE)
    return {
        "journey map, cold, CSV": (
            _wall([sys.executable, "-m", "discovery.cli", "map", str(csv), "--json"]),
            _wall([sys.executable, "-c", COLD_LIMIT.format(here=here), str(csv)]),
        ),
        "load Parquet (vs pyarrow)": (
            _seconds(TIMED.format(setup=OURS_LOAD[0], work=OURS_LOAD[1]), parquet),
            _seconds(TIMED.format(setup=PYARROW_LOAD[0], work=PYARROW_LOAD[1]), parquet),
        ),
        "load CSV (vs DuckDB read_csv)": (
            _seconds(TIMED.format(setup=OURS_LOAD[0], work=OURS_LOAD[1]), csv),
            _seconds(TIMED.format(setup=DUCKDB_CSV[0], work=DUCKDB_CSV[1]), csv),
        ),
        "full analysis (vs five DuckDB queries)": (
            _seconds(ANALYSIS.format(here=here, route="ours-full"), parquet),
            _seconds(ANALYSIS.format(here=here, route="duckdb-full"), parquet),
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="store these ratios as baseline")
    args = parser.parse_args(argv)
    measured = measure()
    ratios = {name: ours / limit for name, (ours, limit) in measured.items()}
    stored = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    print(f"Quick speed check at {EVENTS:,} events (best of {RUNS} fresh processes):")
    worse = []
    for name, (ours, limit) in measured.items():
        ratio, baseline = ratios[name], stored.get(name)
        line = f"  {name:<40} ours {ours:6.2f} s  limit {limit:6.2f} s  ratio {ratio:5.2f}×"
        if baseline is not None:
            line += f"  (stored {baseline:.2f}×)"
            if ratio > baseline * WORSE:
                worse.append(name)
        print(line)
    for name in worse:
        print(f"WARNING: {name} is {ratios[name] / stored[name] - 1:.0%} worse than stored")
    if args.update:
        BASELINE.write_text(json.dumps({k: round(v, 2) for k, v in ratios.items()}, indent=2))
        print(f"stored as the baseline in {BASELINE.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
