"""Saving a log in a workspace and reopening it, against reading its file again (issue 16).

    python benchmarks/bench_workspace.py [--events 1000000] [--format csv] [--repeat 3]

Reads the simulated log of `load_data.py` (`--events` events, Parquet or CSV), saves it in a new
workspace in a temporary folder, and reopens it `--repeat` times (each a fresh log, as the
app or `journey map ws:ID` gets it). Prints the best and worst of each step, the time of
reading the file again for comparison, the workspace file's size, and checks that every
reopened log's events equal the original's.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from report import machine, say

PACKAGES = ("pandas", "pyarrow", "duckdb")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import pandas as pd
    from load_data import prepare

    from discovery import read_event_log
    from discovery.workspace import Workspace

    source = prepare(args.events, (args.format,))[args.format]
    reads, saves, opens = [], [], []
    with tempfile.TemporaryDirectory() as folder:
        workspace = Workspace(Path(folder) / "workspace.duckdb")
        for _ in range(args.repeat):
            say("reading the file ...")
            started = time.perf_counter()
            log = read_event_log(source)
            reads.append(time.perf_counter() - started)
        for number in range(args.repeat):
            say(f"saving {number + 1} ...")
            started = time.perf_counter()
            found = workspace.save_analysis(log, title=f"bench {number}", source=source)
            saves.append(time.perf_counter() - started)
        for _ in range(args.repeat):
            say("reopening ...")
            started = time.perf_counter()
            opened = workspace.open_analysis(found).log
            opens.append(time.perf_counter() - started)
            pd.testing.assert_frame_equal(opened.events, log.events)
            del opened
        size = workspace.path.stat().st_size / 2**20  # the log saved `repeat` times, stored once

    def span(times: list[float]) -> str:
        return f"{min(times):.2f} | {max(times):.2f}"

    print(f"\n## Workspace: save and reopen a log of {args.events:,} events\n")
    command = f"python benchmarks/bench_workspace.py --events {args.events} --format {args.format}"
    print(f"Command: `{command}`\n")
    print("| step | best s | worst s |\n|---|--:|--:|")
    print(f"| read the {args.format} file (`read_event_log`) | {span(reads)} |")
    print(f"| save it in the workspace (SHA-256 of the file included) | {span(saves)} |")
    print(f"| reopen it from the workspace (events equal: checked) | {span(opens)} |")
    saved = f"the log saved {args.repeat} times, its events stored once"
    print(f"\nWorkspace file: {size:,.1f} MB ({saved}).\n\n" + machine(PACKAGES))


if __name__ == "__main__":
    main()
