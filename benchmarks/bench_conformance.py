"""Conformance benchmark: our per-variant conformance against pm4py's alignments on the whole log.

    python benchmarks/bench_conformance.py [--cases 100000] [--noise 0] [--timeout 600]
                                           [--sample 5000]

A simulated permit log (`--cases` cases, cached as Parquet in `benchmarks/data/`) is checked
against a 15-step intended journey: the sample journey table `permit_intended.csv` (13 steps,
with alternatives, a repeatable run and optional steps) plus the two steps of the planted
ping-pong detour as optional steps. `--noise p` swaps two neighbouring activities in a
share p of the cases and drops one event in another (independent) share p, for a log with
many more variants. Times, in one process after pm4py is imported:
`check_conformance` (alignments once per variant, spread to cases, plus departments and
wait norms from the events), and once more (as for a filtered log: its variants are
aligned already); pm4py's `fitness_alignments` and
`conformance_diagnostics_alignments` on the whole log (pm4py's dataframe of the same
events). A pm4py route that runs past `--timeout` seconds is stopped and timed on the first
`--sample` cases instead, and its time extrapolated by cases (labelled as such). Prints a
Markdown table, whether the log fitness agrees, the target and the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from report import machine, say

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = HERE / "data"
sys.path.insert(0, str(REPO))

from discovery import read_event_log  # noqa: E402
from discovery.intended.conformance import check_conformance  # noqa: E402
from discovery.intended.files import read_intended_journey  # noqa: E402
from discovery.intended.model import IntendedJourney, Step  # noqa: E402
from discovery.mining import _pm4py  # noqa: E402
from discovery.simulate import simulate, write_events  # noqa: E402

PACKAGES = ("pm4py", "duckdb", "ibis-framework", "pandas")
TARGET_S = 10.0
DETOUR = (
    Step("Advies teruggelegd bij Bouw- en Woningtoezicht", "Bouw- en Woningtoezicht", True),
    Step("Aanvullend advies Ruimtelijke Ordening", "Ruimtelijke Ordening", True),
)


class _TimedOut(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--noise", type=float, default=0.0, help="share of cases perturbed")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per pm4py route")
    parser.add_argument("--sample", type=int, default=5_000, help="cases timed after a timeout")
    args = parser.parse_args()
    started = time.perf_counter()
    noise = f"_noise{args.noise:g}" if args.noise else ""
    path = DATA / f"permit_{args.cases}_cases{noise}.parquet"
    if not path.exists():
        say(f"writing {path.name} ...")
        frame = simulate("permit", n_cases=args.cases, headers="canonical")
        write_events(perturbed(frame, args.noise) if args.noise else frame, path)
    clock = time.perf_counter()
    log = read_event_log(path)
    read_s = time.perf_counter() - clock
    journey = fifteen_steps()
    say("importing pm4py ...")
    _pm4py.pm4py()
    say("ours: check_conformance ...")
    clock = time.perf_counter()
    ours = check_conformance(log, journey)
    ours_s = time.perf_counter() - clock
    clock = time.perf_counter()
    check_conformance(log, journey)
    again_s = time.perf_counter() - clock
    net = journey.net()
    native = _pm4py.petri_net(net.places, net.transitions, net.arcs, net.initial, net.final)
    frame = _pm4py.to_pm4py(log)
    rows = [
        ("ours", "check_conformance (per variant, with departments and norms)", ours_s, ""),
        ("ours", "check_conformance again", again_s, "variants already aligned"),
    ]
    fitness = {}
    for name, call in (
        ("fitness_alignments", lambda df: _fitness(df, native)),
        ("conformance_diagnostics_alignments", lambda df: _diagnostics(df, native)),
    ):
        say(f"pm4py: {name} ...")
        seconds, how, value = _timed(call, frame, args, log.n_cases)
        rows.append(("pm4py", f"{name} (whole log)", seconds, how))
        if value is not None:
            fitness[name] = value
    variants = int(ours.cases["variant"].nunique())
    print(f"\n## Conformance benchmark ({time.strftime('%Y-%m-%d')})\n")
    command = f"python benchmarks/bench_conformance.py --cases {args.cases}"
    print(f"Command: `{command}{f' --noise {args.noise:g}' if args.noise else ''}`\n")
    perturbation = f" ({args.noise:.0%} of cases with a swap, {args.noise:.0%} with a drop)"
    print(
        f"Log: simulated permit journey{perturbation if args.noise else ''}, "
        f"{log.n_cases:,} cases, {log.n_events:,} events, "
        f"{variants:,} variants; read in {read_s:.1f} s (not in the times below). "
        f"Intended journey: {len(journey.steps)} steps.\n"
    )
    print("| route | what | seconds | note |\n|---|---|---:|---|")
    for route, what, seconds, note in rows:
        print(f"| {route} | {what} | {seconds:.2f} | {note} |")
    print("\nLog fitness:")
    print(f"- ours {ours.fitness:.12f}")
    for name, value in fitness.items():
        agrees = "agrees" if abs(value - ours.fitness) < 1e-9 else "DIFFERS"
        print(f"- pm4py {name} {value:.12f} ({agrees})")
    met = "met" if ours_s < TARGET_S else "NOT met"
    print(f"\nTarget: ours under {TARGET_S:.0f} s at {log.n_cases:,} cases: {met}.")
    print(f"Conforming cases: {ours.conforming_cases:,}; fitting cases: "
          f"{int((ours.cases['fitness'] == 1).sum()):,}.")  # fmt: skip
    print("\n" + machine(PACKAGES))
    print(f"\nTotal run time {time.perf_counter() - started:.0f} s (including writing data).")


def fifteen_steps() -> IntendedJourney:
    """The permit journey table with the ping-pong detour allowed as two optional steps."""
    base = read_intended_journey(REPO / "sample_logs" / "permit_intended.csv")
    steps = list(base.steps)
    after = base.activities.index("Advies Ruimtelijke Ordening") + 1
    steps[after:after] = DETOUR
    return dataclasses.replace(base, steps=tuple(steps), name="permit, 15 steps")


def perturbed(frame: pd.DataFrame, share: float, seed: int = 7) -> pd.DataFrame:
    """The log with two neighbouring activities swapped in a share of the cases, and one
    event dropped in another share (times stay in place, so the order stays valid)."""
    rng = np.random.default_rng(seed)
    codes, _ = pd.factorize(frame["case_id"])
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    lengths = np.diff(np.r_[starts, len(frame)])
    swapped = (rng.random(len(starts)) < share) & (lengths >= 2)
    rows = starts[swapped] + (rng.random(swapped.sum()) * (lengths[swapped] - 1)).astype(int)
    activity = frame["activity"].astype(str).to_numpy().copy()
    activity[rows], activity[rows + 1] = activity[rows + 1], activity[rows].copy()
    dropped = (rng.random(len(starts)) < share) & (lengths >= 2)
    gone = starts[dropped] + (rng.random(dropped.sum()) * lengths[dropped]).astype(int)
    out = frame.assign(activity=activity)
    return out.drop(index=out.index[gone]).reset_index(drop=True)


def _fitness(frame, native) -> float:
    return _pm4py.pm4py().fitness_alignments(frame, *native, multi_processing=False)["log_fitness"]


def _diagnostics(frame, native) -> float:
    aligned = _pm4py.pm4py().conformance_diagnostics_alignments(
        frame, *native, multi_processing=False
    )
    return 1 - sum(a["cost"] for a in aligned) / sum(a["bwc"] for a in aligned)


def _timed(call, frame, args, cases: int) -> tuple[float, str, float | None]:
    """Seconds for the whole log; after a timeout, the time on a sample scaled by cases."""

    def stop(*_):
        raise _TimedOut

    previous = signal.signal(signal.SIGALRM, stop)
    signal.alarm(args.timeout)
    clock = time.perf_counter()
    try:
        value = call(frame)
        return time.perf_counter() - clock, "", value
    except _TimedOut:
        pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    key = "case:concept:name"
    kept = frame[key].drop_duplicates().head(args.sample)
    sample = frame[frame[key].isin(kept)]
    clock = time.perf_counter()
    call(sample)
    seconds = (time.perf_counter() - clock) * cases / len(kept)
    note = f"extrapolated from {len(kept):,} cases (stopped after {args.timeout} s)"
    return seconds, note, None


if __name__ == "__main__":
    main()
