"""Memory a server keeps after reading many large logs (issue 16, part 4).

    python benchmarks/bench_memory.py [--events 1000000] [--logs 8] [--keep 4]

One process reads `--logs` different logs of `--events` events one after the other (the
simulated Parquet log of `load_data.py`, its case ids marked per log so that no two are
alike), maps each at the activity and department levels and counts its handoffs, keeping
only the last `--keep` alive, as the app's cache of uploads does. It prints the resident
memory after each log, after letting every log go, and after `discovery.release_memory`
(with how long that took): the memory freed but kept by Arrow's allocator and the C heap,
and what giving it back leaves.
"""

from __future__ import annotations

import argparse
import gc
import time

from report import machine, say

PACKAGES = ("pandas", "pyarrow", "duckdb")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--logs", type=int, default=8)
    parser.add_argument("--keep", type=int, default=4, help="logs kept alive, the newest")
    args = parser.parse_args(argv)
    import pandas as pd
    from load_data import prepare

    from discovery import analyse_handoffs, discover_map, release_memory, to_event_log
    from discovery.engine import resident_bytes

    def mb() -> str:
        return f"{resident_bytes() / 2**20:,.0f}"

    raw = pd.read_parquet(prepare(args.events, ("parquet",))["parquet"])
    print(f"\n## Memory after reading {args.logs} logs of {args.events:,} events\n")
    print(
        f"Command: `python benchmarks/bench_memory.py --events {args.events} "
        f"--logs {args.logs} --keep {args.keep}`\n"
    )
    print("| moment | resident MB |\n|---|--:|")
    print(f"| the raw table read once, nothing analysed | {mb()} |")
    kept: list[object] = []
    for number in range(args.logs):
        say(f"log {number + 1} ...")
        log = to_event_log(raw.assign(case_id=raw["case_id"].astype(str) + f"-{number}"))
        discover_map(log, "activity")
        discover_map(log, "department")
        analyse_handoffs(log)
        kept = [*kept, log][-args.keep :]
        del log
        gc.collect()
        print(f"| log {number + 1} read and analysed ({len(kept)} kept) | {mb()} |")
    kept.clear()
    del raw
    gc.collect()
    print(f"| every log let go, garbage collected | {mb()} |")
    started = time.perf_counter()
    released = release_memory()
    seconds = time.perf_counter() - started
    print(
        f"| after `release_memory()` ({seconds:.2f} s, {released / 2**20:,.0f} MB back) | {mb()} |"
    )
    print("\n" + machine(PACKAGES))


if __name__ == "__main__":
    main()
