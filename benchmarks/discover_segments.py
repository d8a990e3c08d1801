"""How long finding the segments that stand out takes, and what it finds.

    python benchmarks/discover_segments.py [LOG ...] [--cases N]

LOG is a sample log name (hospital, permit, membership, complaints, mortgage), a file name
in ../shared/logs, or a path; default: the five samples, sepsis.csv, PermitLog.xes.gz and
bpic2012.xes.gz, then the simulated permit journey with N cases (default 100,000) and nine
random case attributes beside its planted one. Prints per log: the time to read it, of
`analyse_journey` and of `discover_segments` (the lens's stages), the attributes tested,
the number of tests, and the first differences found.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from discovery import (  # noqa: E402
    EventLog,
    analyse_journey,
    discover_segments,
    read_event_log,
    to_event_log,
)
from discovery.simulate import simulate  # noqa: E402
from discovery.words import say  # noqa: E402

SAMPLES = REPO / "sample_logs"
SHARED = REPO.parent / "shared" / "logs"
DEFAULT = ["hospital", "permit", "membership", "complaints", "mortgage", "sepsis.csv",
           "PermitLog.xes.gz", "bpic2012.xes.gz"]  # fmt: skip


def _path(name: str) -> Path:
    if (SAMPLES / f"{name}.csv").exists():
        return SAMPLES / f"{name}.csv"
    return SHARED / name if (SHARED / name).exists() else Path(name)


def simulated(n_cases: int) -> EventLog:
    """The permit journey with `n_cases` cases, its planted segment, and nine random case
    attributes (2 to 6 categories, or numbers)."""
    frame = simulate("permit", n_cases=n_cases, seed=7, headers="canonical")
    rng = np.random.default_rng(3)
    cases = frame["case_id"].unique()
    for i in range(9):
        values = (
            rng.choice([f"v{k}" for k in range(2 + i % 5)], len(cases))
            if i < 6
            else rng.normal(50, 10, len(cases)).round(1)
        )
        frame[f"random_{i}"] = frame["case_id"].map(dict(zip(cases, values, strict=True)))
    return to_event_log(frame)


def show(name: str, log: EventLog, read_s: float) -> None:
    started = time.perf_counter()
    lens = analyse_journey(log)
    lens_s = time.perf_counter() - started
    started = time.perf_counter()
    found = discover_segments(log, stages=lens.stage_order)
    found_s = time.perf_counter() - started
    print(
        f"## {name}: {log.n_cases:,} cases, {log.n_events:,} events; read {read_s:.2f} s, "
        f"analyse_journey {lens_s:.2f} s, discover_segments {found_s:.2f} s"
    )
    skipped = found.attributes[~found.attributes["tested"]]["reason"].value_counts()
    print(
        f"{len(found.tested)} attributes tested, {len(found.tests):,} tests, "
        f"{len(found.differences)} differences; not tested: {skipped.to_dict()}"
    )
    for difference in found.differences["message"].head(5):
        print(f"- {say(difference)}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="*", default=DEFAULT)
    parser.add_argument("--cases", type=int, default=100_000, help="simulated cases (0: none)")
    arguments = parser.parse_args()
    for name in arguments.logs:
        path = _path(name)
        if not path.exists():
            print(f"## {name}: {path} not present, skipped\n")
            continue
        started = time.perf_counter()
        log = read_event_log(path)
        show(name, log, time.perf_counter() - started)
    if arguments.cases:
        started = time.perf_counter()
        log = simulated(arguments.cases)
        show("simulated permit + 9 random attributes", log, time.perf_counter() - started)


if __name__ == "__main__":
    main()
