"""Scale (issue 15, item 4): both maps with waits and the variants of 100M events, chunked by
case, against the limit, a hand-written DuckDB query chunked by case doing one map.

    python benchmarks/bench_scale.py [--events 100000000] [--chunk-events 4000000] [--spark]

The dataset is `benchmarks/data/events_<n>/bucket=K/part.parquet` (written once by
`load_data.prepare_dataset`, a bucket of cases at a time). Each route runs in a fresh
process of this script (`--child ROUTE PATH`), one after the other, which reports the
analysis's wall time (imports excluded), and the parent adds the process's wall time and
its peak resident memory. Prints a Markdown table with the targets (ours under 2 minutes
and 4 GB) and the load average before and after each run (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from report import machine, say

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
TARGET_SECONDS = 120
TARGET_MB = 4 * 1024
PACKAGES = ("numpy", "pyarrow", "duckdb", "pyspark")
LABELS = {
    "ours": "**ours: discover_maps_chunked** (activity + department maps with waits, variants)",
    "duckdb": "DuckDB hand-written, chunked by case (activity map with waits: the limit)",
    "spark": "Spark local[2] SQL (activity map with waits, exact percentile)",
    "pm4py": "pm4py from the Parquet files: read, sort, format, performance DFG, variants",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000_000)
    parser.add_argument("--chunk-events", type=int, default=4_000_000)
    parser.add_argument("--spark", action="store_true", help="also Spark local (slow at 100M)")
    parser.add_argument(
        "--pm4py", action="store_true", help="also pm4py's route (in memory: 10M at most)"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="also check ours equal to discover_map/discover_variants in memory (up to 10M)",
    )
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per route")
    parser.add_argument("--child", nargs=2, metavar=("ROUTE", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1], args.chunk_events)
        return
    from load_data import prepare_dataset

    started = time.perf_counter()
    path = prepare_dataset(args.events)
    size = sum(p.stat().st_size for p in path.rglob("*.parquet"))
    routes = [
        "ours",
        "duckdb",
        *(["spark"] if args.spark else []),
        *(["pm4py"] if args.pm4py and args.events <= 10_000_000 else []),
        *(["check"] if args.check else []),
    ]
    runs = {}
    for route in routes:
        say(f"{route} on {args.events:,} events ...")
        runs[route] = _run_child(route, path, args.chunk_events, args.timeout)
        say(f"    {json.dumps(runs[route])}")
    when = time.strftime("%Y-%m-%d %H:%M", time.gmtime())
    print(f"\n## Scale: {args.events:,} events ({when} UTC)\n")
    print(f"Command: `python benchmarks/bench_scale.py {' '.join(sys.argv[1:])}`\n")
    print(f"Dataset: `{path.relative_to(REPO)}`, {size / 1e9:.2f} GB of Parquet.\n")
    print(_table({route: run for route, run in runs.items() if route != "check"}))
    if "check" in runs:
        check = runs["check"]
        said = check.get("problem") or f"{check['equal']} ({float(str(check['seconds'])):.0f} s)"
        print(f"\nOurs equal to the local route in memory (to 1e-9 relative): {said}.")
    print("\n" + machine(PACKAGES))
    print(f"\nTotal run time {time.perf_counter() - started:.0f} s.")


def _run_child(route: str, path: Path, chunk_events: int, timeout: float) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", route, str(path)]
    command += ["--chunk-events", str(chunk_events)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    with subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as child:
        tree_peak = 0
        while child.poll() is None and time.perf_counter() - start < timeout:
            tree_peak = max(tree_peak, _tree_rss(child.pid))
            time.sleep(0.2)
        if child.poll() is None:
            child.kill()
            return {"problem": f"timed out after {timeout:.0f} s"}
        stdout, stderr = child.communicate()
    elapsed = time.perf_counter() - start
    done = subprocess.CompletedProcess(command, child.returncode, stdout, stderr)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        error = [line for line in done.stderr.splitlines() if line.strip()] or ["no output"]
        return {"problem": f"error (exit {done.returncode}): {error[-1][:160]}"}
    found: dict[str, object] = json.loads(lines[-1])
    peak = max(float(str(found["peak_mb"])), tree_peak / 1024)
    return found | {
        "peak_mb": peak,
        "process_seconds": elapsed,
        "load_before": load_before,
        "load_after": os.getloadavg()[0],
    }


def _tree_rss(pid: int) -> int:
    """The resident memory (kB) of a process and its descendants (Spark's JVM), from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    tree, total = {pid}, 0
    for _ in range(4):  # the JVM is a grandchild at most
        tree |= {child for child, parent in parents.items() if parent in tree}
    for member in tree:
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        total += next(
            (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS")), 0
        )
    return total


def _table(runs: dict[str, dict[str, object]]) -> str:
    lines = [
        "| route | analysis s | process s | peak MB | events | cases | activity paths "
        "| target < 120 s | target < 4 GB | load before → after |",
        "|---|--:|--:|--:|--:|--:|--:|---|---|---|",
    ]
    for route, run in runs.items():
        if "problem" in run:
            lines.append(f"| {LABELS[route]} | {run['problem']} | | | | | | | | |")
            continue
        seconds, peak = float(str(run["process_seconds"])), float(str(run["peak_mb"]))
        met = ("met" if seconds < TARGET_SECONDS else "not met") if route == "ours" else ""
        met_mb = ("met" if peak < TARGET_MB else "not met") if route == "ours" else ""
        lines.append(
            f"| {LABELS[route]} | {float(str(run['seconds'])):.1f} | {seconds:.1f} | {peak:,.0f} "
            f"| {_count(run.get('events'))} | {_count(run.get('cases'))} | {run['paths']} "
            f"| {met} | {met_mb} | {run['load_before']:.2f} → {run['load_after']:.2f} |"
        )
    agree = {route: (run.get("paths"), run.get("pairs")) for route, run in runs.items()}
    same = len({value for value in agree.values() if value[0] is not None}) == 1
    medians = {route: run.get("median_sum") for route, run in runs.items()}
    lines += [
        "",
        "- analysis s: from reading the first file to the results in memory (imports excluded);"
        " process s: the fresh process from start to exit; peak MB: its `ru_maxrss`, or the"
        " highest resident memory of it and its children (Spark's JVM) sampled every 0.2 s.",
        "- The activity paths (a case's end included) and their pairs agree over the routes:"
        f" {'yes' if same else 'NO: ' + repr(agree)}. The sums of their median waits in"
        f" seconds: {medians} (ours reads the naive times in Europe/Amsterdam, as the local"
        " route does; the hand-written queries take them as they are, so a wait across a"
        " change of summer time differs by an hour).",
        "- The limit: per chunk of whole cases (the same bucket files), one DuckDB query with"
        " `lead()` over each case counts each (path, wait); one last query merges the counts"
        " and takes each path's count, mean, median and P90 (quantile_cont's definition) from"
        " the cumulative counts. Exact, as ours; one map where ours makes two and the variants.",
    ]
    return "\n".join(lines)


def _count(value: object) -> str:
    return "—" if value is None else f"{int(str(value)):,}"


def _child(route: str, path: str, chunk_events: int) -> None:
    """One route in this fresh process: prints its figures as JSON on the last line."""
    import numpy as np

    start = time.perf_counter()
    if route == "ours":
        from discovery.mining.chunked import discover_maps_chunked

        found = discover_maps_chunked(path, chunk_events=chunk_events)
        activity = found.maps["activity"]
        figures = {
            "events": found.events,
            "cases": found.cases,
            "variants": len(found.variants.variants),
            "paths": len(activity.edges) + len(activity.ends),
            "pairs": int(activity.edges["frequency"].sum() + activity.ends["cases"].sum()),
            "median_sum": round(float(np.nansum(activity.edges["wait_median_s"])), 3),
        }
    elif route == "duckdb":
        figures = _duckdb_limit(path, chunk_events)
    elif route == "pm4py":
        figures = _pm4py(path)
    elif route == "check":
        figures = _check(path, chunk_events)
    else:
        figures = _spark(path)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures | {"seconds": seconds, "peak_mb": peak_mb}))


_CHUNK_QUERY = """
WITH events AS (
    SELECT activity, timestamp,
        lead(activity) OVER w AS next_activity,
        lead(coalesce(start_timestamp, timestamp)) OVER w AS next_begin
    FROM read_parquet($files, file_row_number = true, filename = true)
    WINDOW w AS (PARTITION BY case_id ORDER BY timestamp, filename, file_row_number)
)
SELECT activity AS source, next_activity AS target,
    greatest(epoch_us(next_begin) - epoch_us(timestamp), 0) AS wait_us, count(*) AS n
FROM events GROUP BY ALL
"""

_MERGE_QUERY = """
WITH counted AS (SELECT source, target, wait_us, sum(n) AS n FROM pieces GROUP BY ALL),
running AS (
    SELECT *, sum(n) OVER (PARTITION BY source, target ORDER BY wait_us) AS upto,
        sum(n) OVER (PARTITION BY source, target) AS total
    FROM counted
),
paths AS (
    SELECT source, target, any_value(total) AS frequency,
        sum(wait_us * n) / any_value(total) / 1e6 AS wait_mean_s,
        min(wait_us) FILTER (WHERE upto > floor((total - 1) * 0.5)) / 1e6 AS low50,
        min(wait_us) FILTER (WHERE upto > ceil((total - 1) * 0.5)) / 1e6 AS high50,
        min(wait_us) FILTER (WHERE upto > floor((total - 1) * 0.9)) / 1e6 AS low90,
        min(wait_us) FILTER (WHERE upto > ceil((total - 1) * 0.9)) / 1e6 AS high90,
        any_value(total) - 1 AS last
    FROM running GROUP BY source, target
)
SELECT source, target, frequency, wait_mean_s,
    low50 + (high50 - low50) * (last * 0.5 - floor(last * 0.5)) AS wait_median_s,
    low90 + (high90 - low90) * (last * 0.9 - floor(last * 0.9)) AS wait_p90_s
FROM paths
"""


def _duckdb_limit(path: str, chunk_events: int) -> dict[str, object]:
    """The activity map with waits, per chunk of whole cases, merged exactly in DuckDB."""
    import duckdb
    import pyarrow as pa
    import pyarrow.parquet as pq

    files = sorted(str(file) for file in Path(path).rglob("*.parquet"))
    connection = duckdb.connect()
    pieces, group, rows = [], [], 0
    for k, file in enumerate(files):  # one file per bucket=K folder: whole cases
        group.append(file)
        rows += pq.ParquetFile(file).metadata.num_rows
        if rows >= chunk_events or k == len(files) - 1:
            pieces.append(connection.sql(_CHUNK_QUERY, params={"files": group}).to_arrow_table())
            group, rows = [], 0
    connection.register("pieces", pa.concat_tables(pieces))
    result = connection.sql(_MERGE_QUERY).to_arrow_table()
    return _digest(result.to_pylist())


def _pm4py(path: str) -> dict[str, object]:
    """pm4py's documented route: the table read and sorted (pm4py needs sorted input),
    `format_dataframe`, `discover_performance_dfg` (waits from end to start) and
    `get_variants`."""
    import pm4py
    import pyarrow.parquet as pq

    columns = ["case_id", "activity", "timestamp", "start_timestamp"]
    frame = pq.read_table(path, columns=columns, partitioning=None).to_pandas()
    frame = frame.sort_values(["case_id", "timestamp"], kind="stable", ignore_index=True)
    frame = pm4py.format_dataframe(
        frame,
        case_id="case_id",
        activity_key="activity",
        timestamp_key="timestamp",
        start_timestamp_key="start_timestamp",
    )
    graph, _, ends = pm4py.discover_performance_dfg(frame)
    counts, _, _ = pm4py.discover_dfg(frame)
    variants = pm4py.get_variants(frame)
    return {
        "paths": len(graph) + len(ends),
        "pairs": int(sum(counts.values()) + sum(ends.values())),
        "median_sum": round(sum(float(v["median"]) for v in graph.values()), 3),
        "variants": len(variants),
    }


def _check(path: str, chunk_events: int) -> dict[str, object]:
    """Ours against `discover_map` and `discover_variants` on the events held in memory."""
    import pandas as pd
    import pyarrow.parquet as pq

    from discovery import to_event_log
    from discovery.mining.chunked import discover_maps_chunked
    from discovery.mining.maps import discover_map
    from discovery.mining.variants import discover_variants

    found = discover_maps_chunked(path, chunk_events=chunk_events)
    columns = ["case_id", "activity", "timestamp", "start_timestamp", "department"]
    log = to_event_log(pq.read_table(path, columns=columns, partitioning=None).to_pandas())
    pairs = [(found.variants.variants, discover_variants(log).variants)]
    for level, ours in found.maps.items():
        local = discover_map(log, level)
        pairs += [
            (getattr(ours, part), getattr(local, part))
            for part in ("nodes", "edges", "starts", "ends")
        ]
    for mine, theirs in pairs:
        pd.testing.assert_frame_equal(mine, theirs, check_exact=False, rtol=1e-9, atol=0)
    return {"equal": f"yes, in {found.chunks} chunks", "paths": None}


def _spark(path: str) -> dict[str, object]:
    """The activity map with waits in Spark SQL on local[2], exact `percentile`."""
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.driver.memory", "6g")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.read.parquet(path).createOrReplaceTempView("events")
    query = """
    WITH e AS (
        SELECT activity, timestamp,
            lead(activity) OVER w AS target,
            lead(coalesce(start_timestamp, timestamp)) OVER w AS next_begin
        FROM events WINDOW w AS (PARTITION BY case_id ORDER BY timestamp)
    ), w AS (
        SELECT activity AS source, target,
            greatest(unix_micros(CAST(next_begin AS TIMESTAMP))
                - unix_micros(CAST(timestamp AS TIMESTAMP)), 0) / 1e6 AS wait
        FROM e
    )
    SELECT source, target, count(*) AS frequency, avg(wait) AS wait_mean_s,
        percentile(wait, 0.5) AS wait_median_s, percentile(wait, 0.9) AS wait_p90_s
    FROM w GROUP BY source, target
    """
    rows = [row.asDict() for row in spark.sql(query).collect()]
    spark.stop()
    return _digest(rows)


def _digest(paths: list[dict[str, object]]) -> dict[str, object]:
    """How many paths (a case's end included), pairs, and the sum of the median waits."""
    medians = [float(str(p["wait_median_s"])) for p in paths if p["target"] is not None]
    return {
        "paths": len(paths),
        "pairs": sum(int(str(p["frequency"])) for p in paths),
        "median_sum": round(sum(medians), 3),
    }


if __name__ == "__main__":
    main()
