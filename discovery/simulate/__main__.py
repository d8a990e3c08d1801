"""Command line: `python -m discovery.simulate` writes the sample logs; with `--events` a large log.

python -m discovery.simulate                       # sample_logs/ (committed)
python -m discovery.simulate --events 1000000 --out benchmarks/data/large.parquet
python -m discovery.simulate --events 100000000 --out benchmarks/data/events_100000000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ._dataset import write_dataset
from ._engine import SEED
from ._large import simulate_events, write_events
from ._registry import JOURNEYS
from ._samples import write_sample_logs


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m discovery.simulate", description=__doc__)
    parser.add_argument("--events", type=int, help="write a large log with this many events")
    parser.add_argument(
        "--out",
        help="folder for the sample logs; for --events the .csv/.parquet file, or a folder"
        " for a hive-partitioned Parquet dataset (bucket=K/part.parquet)",
    )
    parser.add_argument("--journey", default="hospital", choices=sorted(JOURNEYS))
    parser.add_argument("--seed", type=int, default=SEED)
    return parser


def main(argv: list[str] | None = None) -> None:
    """Run the command line."""
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    if args.events is None:
        sizes = write_sample_logs(args.out or "sample_logs", args.seed)
        for name, size in sizes.items():
            print(f"{name:28} {size:>10,} bytes")
    elif args.out and not Path(args.out).suffix:
        data = write_dataset(args.events, args.out, args.journey, args.seed)
        print(
            f"{data.folder}: {data.events:,} events, {data.cases:,} cases in {data.buckets:,}"
            f" buckets, {data.size_bytes / 1e9:.2f} GB ({args.journey}, seed {args.seed})"
        )
    else:
        out = args.out or "benchmarks/data/large.parquet"
        frame = simulate_events(args.events, args.journey, args.seed)
        path = write_events(frame, out)
        cases = frame["case_id"].nunique()
        print(f"{path}: {len(frame):,} events, {cases:,} cases ({args.journey}, seed {args.seed})")
    print(f"done in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
