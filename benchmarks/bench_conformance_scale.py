"""The intended-journey check in place at scale (issue 15, item 5): a log of many events and
a small one with the same variants align in the same time, and only the variant table
comes back from where the log lives.

    python benchmarks/bench_conformance_scale.py [--events 100000000] [--small 1000000]
        [--spread 0] [--data /tmp/conformance] [--journey sample_logs/hospital_intended.csv]

Each log is the simulator's hospital log as hive-partitioned Parquet
(`python -m discovery.simulate --events N --out FOLDER`, written when missing), opened in
place on DuckDB as `journey conformance` opens a Parquet folder over the local limit
(`open_place`, `open_in_place`), and checked against the hospital's intended journey.
`--spread K` renames "Behandeling" in each case to one of K names picked by the case id's
hash (a view, the files unchanged), so that the log has up to K times the variants.

Each log runs in a fresh process of this script (`--child`), with no alignment kept from
before, and reports: the time to open it, to get the variant table from the server, to
align the variants here, and to count the per-case figures there (the conforming cases,
the ranking both ways, the months, the departments, the 1,000 longest cases of the most
common deviation and one case's deviations); the rows DuckDB handed back in all (and the
largest result); its peak resident memory. The load average is printed before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from report import machine, say

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PACKAGES = ("duckdb", "ibis-framework", "pm4py")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--small", type=int, default=1_000_000, help="events of the small log")
    parser.add_argument("--spread", type=int, default=0, help="names for 'Behandeling' (0: as is)")
    parser.add_argument("--data", type=Path, default=Path("/tmp/conformance"))
    parser.add_argument(
        "--journey", type=Path, default=REPO / "sample_logs" / "hospital_intended.csv"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(_check(args.child, args.journey, args.spread)))
        return
    started = time.perf_counter()
    runs = {}
    for events in (args.small, args.events):
        folder = args.data / f"events_{events}"
        if not folder.exists():
            say(f"writing {events:,} events to {folder} ...")
            subprocess.run(
                [sys.executable, "-m", "discovery.simulate", "--events", str(events),
                 "--out", str(folder)],
                cwd=REPO, check=True, stdout=subprocess.DEVNULL,
            )  # fmt: skip
        say(f"checking {events:,} events in place ...")
        runs[events] = _run_child(folder, args.journey, args.spread)
        say(f"    {json.dumps(runs[events])}")
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    print(f"\n## Conformance in place: {args.small:,} and {args.events:,} events ({when} UTC)\n")
    print(f"Command: `python benchmarks/bench_conformance_scale.py {' '.join(sys.argv[1:])}`\n")
    print(_table(runs))
    print("\n" + machine(PACKAGES))
    print(f"\nTotal run time {time.perf_counter() - started:.0f} s.")


def _run_child(folder: Path, journey: Path, spread: int) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", str(folder), "--journey", str(journey)]
    command += ["--spread", str(spread)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    load_before = os.getloadavg()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        error = [line for line in done.stderr.splitlines() if line.strip()] or ["no output"]
        return {"problem": f"error (exit {done.returncode}): {error[-1][:200]}"}
    found: dict[str, object] = json.loads(lines[-1])
    return found | {
        "process_seconds": time.perf_counter() - start,
        "load_before": " ".join(f"{x:.1f}" for x in load_before),
        "load_after": " ".join(f"{x:.1f}" for x in os.getloadavg()),
    }


def _check(folder: Path, journey_file: Path, spread: int) -> dict[str, object]:
    """One log, checked in place in this fresh process: its figures as a dict."""
    import resource

    import ibis
    from ibis.backends.duckdb import Backend

    from discovery.engine.in_place import open_in_place
    from discovery.engine.places import open_place, place_of
    from discovery.intended import conformance as module
    from discovery.intended.files import read_intended_journey
    from discovery.io.sources import parse_source

    rows: list[int] = []
    execute = Backend.execute

    def counting(self, expression, *args, **kwargs):  # type: ignore[no-untyped-def]
        result = execute(self, expression, *args, **kwargs)
        rows.append(len(result) if hasattr(result, "columns") or hasattr(result, "dtype") else 1)
        return result

    Backend.execute = counting  # type: ignore[method-assign]
    timed: dict[str, float] = {}

    def timing(name, function):  # type: ignore[no-untyped-def]
        def timed_call(*args, **kwargs):  # type: ignore[no-untyped-def]
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                timed[name] = timed.get(name, 0.0) + time.perf_counter() - start

        return timed_call

    module.variants_in_place = timing("variants", module.variants_in_place)
    module._align = timing("align", module._align)
    journey = read_intended_journey(journey_file)
    start = time.perf_counter()
    place = open_place(parse_source(str(folder)))
    if spread:
        table = place.table
        renamed = ibis.ifelse(
            table.activity == "Behandeling",
            table.activity + " " + (table.case_id.hash().abs() % spread).cast("string"),
            table.activity,
        )
        place = place_of(table.mutate(activity=renamed), place.shown)
    log = open_in_place(place)
    opened = time.perf_counter() - start
    rows_opening, rows[:] = sum(rows), []
    start = time.perf_counter()
    checked = module.check_conformance(log, journey, time_limit=None, budget=None)
    check_s = time.perf_counter() - start
    rows_check = list(rows)
    start = time.perf_counter()
    conforming = checked.conforming_cases
    ranking = checked.ranking("cases")
    checked.ranking("time"), checked.over_time(), checked.by_department(), checked.messages()
    top = ranking.iloc[0]
    longest = checked.cases_with(top["kind"], top["step"], top=1000)
    checked.case_deviations(str(longest["case_id"].iloc[0]))
    figures_s = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "events": log.quality.rows_used,
        "cases": checked.n_cases,
        "variants": len(checked.variants),
        "conforming": conforming,
        "fitness": checked.fitness,
        "open_s": opened,
        "variant_table_s": timed["variants"],
        "align_s": timed["align"],
        "check_s": check_s,
        "figures_s": figures_s,
        "rows_back_check": sum(rows_check),
        "rows_back_figures": sum(rows) - sum(rows_check),
        "largest_result": max(rows),
        "rows_back_opening": rows_opening,
        "peak_mb": peak_kb / 1024,
    }


def _table(runs: dict[int, dict[str, object]]) -> str:
    lines = [
        "| events | cases | variants | open s | variant table s | align s | check s "
        "| per-case figures s | rows back: check + figures (largest) | peak MB "
        "| load before → after |",
        "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for events, run in runs.items():
        if "problem" in run:
            lines.append(f"| {events:,} | {run['problem']} |" + " |" * 9)
            continue

        def f(name: str, run: dict[str, object] = run) -> float:
            return float(str(run[name]))

        lines.append(
            f"| {int(f('events')):,} | {int(f('cases')):,} | {int(f('variants')):,} "
            f"| {f('open_s'):.1f} | {f('variant_table_s'):.1f} | {f('align_s'):.2f} "
            f"| {f('check_s'):.1f} | {f('figures_s'):.1f} "
            f"| {int(f('rows_back_check')):,} + {int(f('rows_back_figures')):,} "
            f"({int(f('largest_result')):,}) | {f('peak_mb'):,.0f} "
            f"| {run['load_before']} → {run['load_after']} |"
        )
    lines += [
        "",
        "- variant table s: the one query whose rows are the variants (each case's sequence"
        " found there); align s: the alignments here, none kept from before; check s: the whole"
        " `check_conformance` (these two, the usual departments, the expressions built);"
        " per-case figures s: the figures counted there afterwards.",
        "- rows back: every row DuckDB handed back during the check and the figures (opening"
        " the log, its roles and quality counts, is not counted); largest: the largest single"
        " result. peak MB: the process's `ru_maxrss` (DuckDB runs in it).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
