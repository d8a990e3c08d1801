"""How big a workspace file gets as analyses are saved and deleted (issue 16): a log saved
twice is stored once, and what deleting gives back.

    python benchmarks/bench_workspace_space.py [--events 1000000] [--format parquet]

Saves the simulated log of `load_data.py` (`--events` events) in a new workspace, then the
same log again, then a second, different log (the first with its case ids changed); deletes
the second, runs CHECKPOINT and VACUUM, saves the second again, deletes everything, and last
copies the database into a new file (`COPY FROM DATABASE`, DuckDB's way of compacting).
Prints the file's size after each step.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from report import machine, say

PACKAGES = ("pandas", "pyarrow", "duckdb")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    args = parser.parse_args(argv)
    import duckdb
    from load_data import prepare

    from discovery import read_event_log
    from discovery.workspace import Workspace

    say("reading the log ...")
    log = read_event_log(prepare(args.events, (args.format,))[args.format])
    other = log.with_events(log.events.assign(case_id="b-" + log.events["case_id"].astype(str)))
    rows: list[tuple[str, float]] = []
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder) / "workspace.duckdb")

        def measure(step: str) -> None:
            say(step + " ...")
            rows.append((step, workspace.path.stat().st_size / 2**20))

        first = workspace.save_analysis(log, title="first")
        measure("save the log")
        again = workspace.save_analysis(log, title="the same log again")
        measure("save the same log again (stored once)")
        second = workspace.save_analysis(other, title="another log")
        measure("save another log")
        workspace.delete(second)
        measure("delete the other log (then CHECKPOINT)")
        with duckdb.connect(str(workspace.path)) as connection:
            connection.execute("VACUUM")
            connection.execute("CHECKPOINT")
        measure("VACUUM and CHECKPOINT")
        second = workspace.save_analysis(other, title="another log")
        measure("save the other log again (reuses the freed space)")
        for analysis in (first, again, second):
            workspace.delete(analysis)
        measure("delete all three")
        compact = Path(folder) / "compact.duckdb"
        with duckdb.connect(str(workspace.path)) as connection:
            connection.execute(f"ATTACH '{compact}' AS compact")
            connection.execute("COPY FROM DATABASE workspace TO compact")
        rows.append(("copied into a new file (COPY FROM DATABASE)", compact.stat().st_size / 2**20))

    print(f"\n## Workspace file size: saving and deleting a log of {args.events:,} events\n")
    command = f"python benchmarks/bench_workspace_space.py --events {args.events}"
    print(f"Command: `{command}`\n")
    print("| step | file MB |\n|---|--:|")
    for step, size in rows:
        print(f"| {step} | {size:,.1f} |")
    print("\n" + machine(PACKAGES))


if __name__ == "__main__":
    main()
