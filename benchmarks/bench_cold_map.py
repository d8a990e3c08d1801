"""Cold `journey map`: the command from start to exit, against pm4py's route and the limit.

    python benchmarks/bench_cold_map.py [--sizes 100000,1000000] [--repeat 3]

On `load_data.py`'s simulated CSV (`benchmarks/data/events_<n>.csv`, written when missing),
each route runs in a fresh process `--repeat` times, the routes in turn, and the fastest run
is kept. The parent times a run from start to exit (wall time) and takes its CPU time (user
and system) and peak resident memory from `os.wait4`:

- ours: `python -m discovery.cli map FILE --json`, its output thrown away;
- ours in parts: one child that times importing `discovery.cli`, then `read_event_log`,
  then `discover_map` with its JSON text (the command's own steps, without its arguments);
- pm4py: `pandas.read_csv` + `pm4py.format_dataframe` + `pm4py.discover_dfg` +
  `pm4py.discover_performance_dfg`, its documented route from a CSV;
- the limit: DuckDB's `read_csv` and one window query (`analysis_child.DFG_SQL`: activity
  directly-follows pairs with their frequency, cases, median, mean, P90 and total wait),
  fetched as Python tuples.

Prints a Markdown table (seconds, CPU seconds, peak MB, ratio of the seconds to the limit's,
the activity map's edges and pairs from each route) and whether ours is within `TARGET`× the
limit at 1M events. The machine's load average is printed too: on a shared machine the wall
times vary, the CPU times less.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).resolve()
HERE = SCRIPT.parent
REPO = HERE.parent
TARGET = 2.5  # ours at most this many times the limit, on 1M events (issue 14, target 1)
TARGET_EVENTS = 1_000_000
PACKAGES = ("pandas", "pm4py", "duckdb", "ibis-framework", "pyarrow")


@dataclass(frozen=True)
class Route:
    label: str
    child: str | None  # a child of this script (`--child NAME FILE`); None: the command itself


ROUTES = {
    "ours": Route("**ours: `journey map FILE --json`**", None),
    "parts": Route("ours in parts", "parts"),
    "pm4py": Route(
        "pm4py: read_csv + format_dataframe + discover_dfg + discover_performance_dfg", "pm4py"
    ),
    "limit": Route("the limit: DuckDB read_csv + one window query", "limit"),
}


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system: what the process itself used, whatever the load
    peak_mb: float
    output: dict[str, object]  # the child's last stdout line, where it prints one


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="event counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="fresh runs per route, best kept")
    parser.add_argument("--child", choices=sorted(CHILDREN), help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print("\n" + json.dumps(CHILDREN[args.child](args.path)), flush=True)
        return
    from load_data import prepare
    from report import machine, say

    started = time.perf_counter()
    load = os.getloadavg()
    rows, ratios = [], {}
    for size in (int(size) for size in args.sizes.split(",")):
        path = prepare(size, ("csv",))["csv"]
        tries: dict[str, list[Run]] = {name: [] for name in ROUTES}
        for attempt in range(1, max(args.repeat, 1) + 1):  # in turn, so that load hits all
            for name, route in ROUTES.items():
                tries[name].append(_run(route, path))
                say(f"{size:,} events, run {attempt}: {name} {tries[name][-1].seconds:.2f} s")
        runs = {name: min(found, key=lambda run: run.seconds) for name, found in tries.items()}
        ratios[size] = runs["ours"].seconds / runs["limit"].seconds
        rows += _rows(size, runs)
    print(f"\n## Cold `journey map` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})\n")
    print(f"Command: `{' '.join(['python benchmarks/bench_cold_map.py', *sys.argv[1:]])}`")
    print("\n| events | route | seconds | CPU s | peak MB | ratio to the limit | edges / pairs |")
    print("|--:|---|--:|--:|--:|--:|---|")
    print("\n".join(rows))
    print("\n" + _target(ratios))
    print("\n" + machine(PACKAGES))
    after = os.getloadavg()
    print(
        f"Load average (1 min) {load[0]:.2f} at the start, {after[0]:.2f} at the end; "
        f"total run time {time.perf_counter() - started:.0f} s."
    )


def _run(route: Route, path: Path) -> Run:
    """One fresh process from start to exit: its wall time, peak memory and last line."""
    if route.child is None:  # the command's JSON goes to /dev/null, as in a shell
        command = [sys.executable, "-m", "discovery.cli", "map", str(path), "--json"]
    else:
        command = [sys.executable, str(SCRIPT), "--child", route.child, str(path)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        stdout = out if route.child else subprocess.DEVNULL
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=REPO, env=env, stdout=stdout, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)  # reaped here, with its resource usage
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            err.seek(0)
            raise RuntimeError(f"{command} failed:\n{err.read().decode()[-2000:]}")
        out.seek(0)
        lines = out.read().decode().split("\n")
    last = next((line for line in reversed(lines) if line.strip()), "")
    output = json.loads(last) if route.child else {}  # libraries may print banners before it
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024, output)  # ru_maxrss in KB on Linux


def _rows(size: int, runs: dict[str, Run]) -> list[str]:
    limit = runs["limit"]
    agreed = (limit.output["edges"], limit.output["pairs"])
    rows = []
    for name, run in runs.items():
        label = ROUTES[name].label
        if name == "parts":
            parts = run.output["seconds"]
            label += ": " + ", ".join(f"{part} {s:.2f} s" for part, s in parts.items())  # type: ignore[union-attr]
        edges = ""
        if "edges" in run.output:
            found = (run.output["edges"], run.output["pairs"])
            edges = f"{found[0]} / {found[1]:,} {'✓' if found == agreed else '✗'}"
        rows.append(
            f"| {size:,} | {label} | {run.seconds:.2f} | {run.cpu_seconds:.2f} "
            f"| {run.peak_mb:,.0f} | {run.seconds / limit.seconds:.2f}× | {edges} |"
        )
    return rows


def _target(ratios: dict[int, float]) -> str:
    if TARGET_EVENTS not in ratios:
        return f"target: ours ≤ {TARGET}× the limit at {TARGET_EVENTS:,} events: not measured"
    ratio = ratios[TARGET_EVENTS]
    verdict = "met" if ratio <= TARGET else "not met"
    return (
        f"target: ours ≤ {TARGET}× the limit: {verdict} ({ratio:.2f}× at {TARGET_EVENTS:,} events)"
    )


# The children: each prints one JSON line (the parent times the whole process).


def _parts(path: str) -> dict[str, object]:
    """The command's steps timed apart: importing it, reading the log, the map as JSON."""
    start = time.perf_counter()
    from discovery.cli import json_text

    imported = time.perf_counter()
    from discovery import discover_map, read_event_log

    log = read_event_log(path)
    read = time.perf_counter()
    process_map = discover_map(log, "activity")
    json_text(process_map.to_dict())
    mapped = time.perf_counter()
    edges = process_map.edges
    return {
        "seconds": {"import": imported - start, "read": read - imported, "map": mapped - read},
        "edges": len(edges),
        "pairs": int(edges["frequency"].sum()),
    }


def _pm4py(path: str) -> dict[str, object]:
    import pandas as pd
    import pm4py

    frame = pm4py.format_dataframe(
        pd.read_csv(path), case_id="case_id", activity_key="activity", timestamp_key="timestamp"
    )
    graph, _, _ = pm4py.discover_dfg(frame)
    pm4py.discover_performance_dfg(frame)
    return {"edges": len(graph), "pairs": sum(graph.values())}


def _limit(path: str) -> dict[str, object]:
    import duckdb
    from analysis_child import DFG_SQL

    connection = duckdb.connect()
    quoted = path.replace("'", "''")
    connection.execute(
        "create view events as select case_id, activity, timestamp, "
        f"row_number() over () as position from read_csv('{quoted}')"
    )
    pairs = connection.sql(DFG_SQL).fetchall()  # source, target, frequency, ...
    return {"edges": len(pairs), "pairs": sum(pair[2] for pair in pairs)}


CHILDREN = {"parts": _parts, "pm4py": _pm4py, "limit": _limit}


if __name__ == "__main__":
    main()
