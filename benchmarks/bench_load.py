"""Loading benchmark: our `read_event_log` against the usual pandas / pm4py way, per format.

    python benchmarks/bench_load.py [--sizes 100000,1000000] [--skip-slow]

For each size a simulated log is written once as CSV, XLSX, XES and Parquet (cached in
`benchmarks/data/`), then read by our reader and by the default route of pandas and pm4py;
the real BPIC 2012 log (`../shared/logs/bpic2012.xes.gz`) is read too when present. Every
read runs in a fresh process (`load_child.py`), which reports wall time, peak resident
memory and rows read; a child that only imports the same modules gives the baseline
memory. Prints a Markdown table and the machine it ran on.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from report import machine, say

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CHILD = HERE / "load_child.py"
REAL_LOG = REPO.parent / "shared" / "logs" / "bpic2012.xes.gz"
PEERS = {  # format -> readers to compare with ours; the first is the default route
    "csv": ("pandas-csv",),
    "xlsx": ("openpyxl",),
    "xes": ("pm4py-xes", "pm4py-xes-iterparse"),
    "parquet": ("pandas-parquet",),
}
SLOW = {"openpyxl", "pm4py-xes-iterparse"}  # skipped at 1M events and more with --skip-slow
SLOW_FROM = 1_000_000
REPEAT_UNDER_SECONDS = 60
ENGINES = {"csv": "pyarrow", "xlsx": "calamine", "xes": "rustxes", "xes.gz": "rustxes"}
ENGINES["parquet"] = "pyarrow"
PACKAGES = ("pandas", "pm4py", "rustxes", "python-calamine", "openpyxl", "pyarrow", "duckdb")


@dataclass(frozen=True)
class Cell:
    """One read to measure: a reader on a file, and what it is compared with."""

    fmt: str
    events: str
    reader: str
    path: Path
    default: str


@dataclass(frozen=True)
class Result:
    cell: Cell
    seconds: float | None = None
    peak_mb: float | None = None
    rows: int | None = None
    log_events: int | None = None
    problem: str = ""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="event counts, comma-separated")
    parser.add_argument("--formats", default="csv,xlsx,xes,parquet,real")
    parser.add_argument(
        "--skip-slow", action="store_true", help="skip openpyxl and pm4py iterparse at 1M+"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds per read")
    parser.add_argument(
        "--repeat", type=int, default=3, help="fresh runs per read, best kept (1 if over 60 s)"
    )
    parser.add_argument("--real-log", type=Path, default=REAL_LOG)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    formats = tuple(args.formats.split(","))
    started = time.perf_counter()

    cells, skipped = _plan(sizes, formats, args.skip_slow, args.real_log)
    readers = sorted({cell.reader for cell in cells})
    say(f"import-only baselines for {len(readers)} readers")
    baseline = {reader: _run_child(reader, None, args.timeout) for reader in readers}
    results = []
    for cell in cells:
        say(f"{cell.fmt} {cell.events}: {cell.reader} ...")
        outcome = _best_of(cell, args.repeat, args.timeout)
        results.append(_result(cell, outcome))
        say(f"    {_seconds(results[-1])} s, {_mb(results[-1].peak_mb)} MB")

    print(f"\n## Loading benchmark ({time.strftime('%Y-%m-%d')})\n")
    print(f"Command: `python benchmarks/bench_load.py {' '.join(sys.argv[1:])}`".rstrip() + "\n")
    print(_table(results, baseline))
    for note in skipped:
        print(f"- skipped: {note}")
    print("\n" + machine(PACKAGES))
    print(f"\nTotal run time {time.perf_counter() - started:.0f} s (including writing data).")


def _plan(
    sizes: list[int], formats: tuple[str, ...], skip_slow: bool, real_log: Path
) -> tuple[list[Cell], list[str]]:
    from load_data import prepare

    cells: list[Cell] = []
    skipped: list[str] = []
    wanted = tuple(fmt for fmt in PEERS if fmt in formats)
    for size in sizes:
        say(f"data for {size:,} events")
        paths = prepare(size, wanted)
        for fmt in wanted:
            for reader in ("ours", *PEERS[fmt]):
                if skip_slow and reader in SLOW and size >= SLOW_FROM:
                    skipped.append(f"{reader} on {fmt} with {size:,} events (--skip-slow)")
                    continue
                cells.append(Cell(fmt, f"{size:,}", reader, paths[fmt], PEERS[fmt][0]))
    if "real" in formats:
        if real_log.exists():
            for reader in ("ours", *PEERS["xes"]):
                cells.append(Cell("xes.gz", "BPIC 2012", reader, real_log, PEERS["xes"][0]))
        else:
            skipped.append(f"the real log: {real_log} does not exist")
    return cells, skipped


def _best_of(cell: Cell, repeat: int, timeout: float) -> dict[str, object]:
    """The fastest of up to `repeat` fresh runs; a read slower than a minute runs once."""
    runs = []
    for _ in range(max(repeat, 1)):
        outcome = _run_child(cell.reader, cell.path, timeout)
        if "problem" in outcome:
            return outcome
        runs.append(outcome)
        if float(outcome["seconds"]) > REPEAT_UNDER_SECONDS:  # type: ignore[arg-type]
            break
    return min(runs, key=lambda run: float(run["seconds"]))  # type: ignore[arg-type]


def _run_child(reader: str, path: Path | None, timeout: float) -> dict[str, object]:
    command = [sys.executable, str(CHILD), reader]
    command += [str(path)] if path else ["--import-only"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    try:
        done = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"problem": f"timed out after {timeout:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if done.returncode != 0 or not lines:
        error = [line for line in done.stderr.splitlines() if line.strip()] or ["no output"]
        return {"problem": f"error: {error[-1][:160]}"}
    return json.loads(lines[-1])


def _result(cell: Cell, outcome: dict[str, object]) -> Result:
    if "problem" in outcome:
        return Result(cell, problem=str(outcome["problem"]))
    return Result(
        cell,
        seconds=float(outcome["seconds"]),  # type: ignore[arg-type]
        peak_mb=float(outcome["peak_mb"]),  # type: ignore[arg-type]
        rows=int(outcome["rows"]),  # type: ignore[arg-type]
        log_events=int(outcome["events"]),  # type: ignore[arg-type]
    )


def _table(results: list[Result], baseline: dict[str, dict[str, object]]) -> str:
    header = (
        "| format | events | reader | seconds | peak MB | imports only MB "
        "| speed-up vs default | rows read |"
    )
    lines = [header, "|---|---|---|--:|--:|--:|--:|---|"]
    by_key = {(r.cell.fmt, r.cell.events, r.cell.reader): r for r in results}
    for result in results:
        cell = result.cell
        default = by_key.get((cell.fmt, cell.events, cell.default))
        imports = baseline[cell.reader].get("peak_mb")
        lines.append(
            f"| {cell.fmt} | {cell.events} | {_label(cell)} | {_seconds(result)} "
            f"| {_mb(result.peak_mb)} | {_mb(imports)} | {_speedup(result, default)} "
            f"| {_rows(result, default)} |"
        )
    lines += [
        "",
        "- seconds: wall time of the load alone (imports excluded), the fastest of `--repeat`"
        " fresh processes (one run when a read takes over a minute).",
        "- peak MB: the child's `ru_maxrss`; imports only MB: the peak of a child that only"
        " imports the same modules (the load's own memory is roughly the difference).",
        "- speed-up vs default: seconds of the default route in the same format and size"
        " (pandas / openpyxl / `pm4py.read_xes`) ÷ seconds of this row.",
        "- rows read: ✓ same count as the default route, ✗ different; `→ N events` where our"
        " log has fewer events than rows (lifecycle start/complete pairs merged).",
    ]
    return "\n".join(lines)


def _label(cell: Cell) -> str:
    from load_child import READERS

    if cell.reader == "ours":
        return f"**ours: read_event_log** ({ENGINES[cell.fmt]})"
    return READERS[cell.reader].label


def _seconds(result: Result) -> str:
    return result.problem or f"{result.seconds:.2f}"


def _mb(value: object) -> str:
    return "—" if value is None else f"{float(value):,.0f}"  # type: ignore[arg-type]


def _speedup(result: Result, default: Result | None) -> str:
    if result.seconds is None or default is None or default.seconds is None:
        return "—"
    return f"{default.seconds / result.seconds:.1f}×"


def _rows(result: Result, default: Result | None) -> str:
    if result.rows is None:
        return "—"
    text = f"{result.rows:,}"
    if result.log_events is not None and result.log_events != result.rows:
        text += f" → {result.log_events:,} events"
    if default is None or default.rows is None or default is result:
        return text
    return text + (" ✓" if result.rows == default.rows else f" ✗ (default: {default.rows:,})")


if __name__ == "__main__":
    main()
