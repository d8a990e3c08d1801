"""Spark local[2] next to DuckDB (issue 15, item 4): both maps with waits and the variants.

    python benchmarks/bench_spark.py [--events 10000000] [--route auto|ours|ibis]

The events are the simulated log that `load_data.prepare` writes as one Parquet file
(`benchmarks/data/events_<n>.parquet`). Each engine reads that file where it lies, in a
fresh process of its own: DuckDB (embedded, `read_parquet`) and Spark in `local[2]` mode
(`spark.read.parquet`, 8 GB driver memory, two shuffle partitions, UI off). The same
results are computed on each: the activity map and the department map (directly-follows
pairs with count, cases, wait median, mean and P90) with their nodes, and the variants
(cases, throughput median and mean per path).

Routes: `ours` opens the file as a Place (`discovery.engine.places`), the log in place
(`discovery.engine.in_place.open_in_place`) and calls the public analyses on it
(`discover_map`, `discover_variants`), which run where the rows live. `ibis` runs the
hand-written Ibis expressions below, the same expressions on both engines. `auto` (the
default) takes `ours` when the in-place analyses exist (`discovery.mining.in_place`), else
`ibis`. Medians and P90 are exact on both (DuckDB `quantile_cont`, Spark `percentile`,
both linear interpolation). Prints one Markdown table: each step's seconds on each engine
and the ratio, whether the two engines' results are equal, and the machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from report import machine, say

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
ENGINES = ("duckdb", "spark", "local")  # local: route ours only
SHOWN = {"duckdb": "DuckDB", "spark": "Spark local[2]", "local": "local route"}
RESULTS = ("activity map", "department map", "variants")
PACKAGES = ("duckdb", "pyspark", "ibis-framework", "pyarrow")
SPARK_SETTINGS = {
    "spark.driver.memory": "8g",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--route", choices=("auto", "ours", "ibis"), default="auto")
    parser.add_argument("--child", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--path", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    route = args.route
    if route == "auto":
        route = "ours" if importlib.util.find_spec("discovery.mining.in_place") else "ibis"
    if args.child:
        _child(args.child, route, Path(args.path), Path(args.out))
        return
    from load_data import prepare

    path = prepare(args.events, ("parquet",))["parquet"]
    engines = ENGINES if route == "ours" else ENGINES[:2]
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-spark-") as folder:
        times = {}
        for engine in engines:
            say(f"{engine}: {route} route on {path.name} ...")
            times[engine] = _run_child(engine, route, path, Path(folder) / engine)
            say(f"    {json.dumps(times[engine])}")
        equal = {name: _same(Path(folder), name, engines) for name in RESULTS}
    print(f"\n## Spark local[2] next to DuckDB ({time.strftime('%Y-%m-%d %H:%M')} UTC)\n")
    print(f"Command: `python benchmarks/bench_spark.py {' '.join(sys.argv[1:])}`\n")
    label = "ours (in-place analyses)" if route == "ours" else "hand-written Ibis expressions"
    print(
        f"{args.events:,} events, route: {label}. Load average (1 min) at the start "
        f"{load:.1f}, at the end {os.getloadavg()[0]:.1f}, on this machine's cores.\n"
    )
    print(_table(times, equal, engines))
    print("\n" + machine(PACKAGES))


def _run_child(engine: str, route: str, path: Path, out: Path) -> dict[str, float]:
    out.mkdir()
    command = [sys.executable, __file__, "--child", engine, "--route", route]
    command += ["--path", str(path), "--out", str(out)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        sys.exit(f"{engine} failed:\n{done.stderr[-4000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _child(engine: str, route: str, path: Path, out: Path) -> None:
    """Time each step on `engine`; write each result as Parquet to `out`."""
    sys.path.insert(0, str(REPO))
    times: dict[str, float] = {}

    def timed(step: str, work: Callable[[], Any]) -> Any:
        began = time.perf_counter()
        result = work()
        times[step] = time.perf_counter() - began
        return result

    events = timed("start-up and open", lambda: _open(engine, route, path))
    steps = _ours(events) if route == "ours" else _hand_written(events)
    for name, work in steps.items():
        frame = timed(name, work)
        frame.to_parquet(out / f"{name}.parquet", index=False)
    times["three results"] = sum(times[name] for name in RESULTS)
    print(json.dumps(times))


def _open(engine: str, route: str, path: Path) -> Any:
    """The events as an Ibis table on `engine` (route ibis), or the log in place (ours)."""
    import ibis

    if engine == "local":  # the file read into memory, analysed by DuckDB and numpy
        from discovery import read_event_log

        return read_event_log(path, timezone="UTC")
    if engine == "duckdb":
        table = ibis.duckdb.connect().read_parquet(path)
    else:
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.master("local[2]").appName("bench-spark")
        for key, value in SPARK_SETTINGS.items():
            builder = builder.config(key, value)
        session = builder.getOrCreate()
        session.sparkContext.setLogLevel("ERROR")
        table = ibis.pyspark.connect(session).read_parquet(str(path))
    if route == "ibis":
        return table
    from discovery.engine.in_place import open_in_place
    from discovery.engine.places import place_of

    return open_in_place(place_of(table, str(path)), timezone="UTC")


def _ours(log: Any) -> dict[str, Callable[[], Any]]:
    """The public analyses on the log in place, as tables to compare."""
    import pandas as pd

    from discovery import discover_map, discover_variants

    def map_of(level: str) -> pd.DataFrame:
        found = discover_map(log, level)
        nodes = found.nodes.rename(columns={"name": "source", "cases": "cases_at_node"})
        return _sorted(found.edges.merge(nodes, on="source", how="left"))

    def variants() -> pd.DataFrame:
        table = discover_variants(log).variants
        return _sorted(table.assign(activities=table.activities.map(" > ".join)))

    return {
        "activity map": lambda: map_of("activity"),
        "department map": lambda: map_of("department"),
        "variants": variants,
    }


def _hand_written(events: Any) -> dict[str, Callable[[], Any]]:
    """Both maps and the variants as Ibis expressions, the same on every engine: each
    case's events in order of time (then start, then activity), the wait before the next
    event from this one's end to the next one's start (never below zero)."""
    import ibis

    events = events.mutate(begin=events.start_timestamp.coalesce(events.timestamp))
    order = ibis.window(group_by="case_id", order_by=["timestamp", "begin", "activity"])
    steps = events.mutate(
        next_activity=events.activity.lead().over(order),
        next_department=events.department.lead().over(order),
        rank=ibis.row_number().over(order),
        wait_s=ibis.greatest(
            events.begin.lead().over(order).epoch_seconds() - events.timestamp.epoch_seconds(),
            0,
        ).cast("float64"),
    )

    def map_of(level: str) -> Any:
        pairs = steps.filter(steps[f"next_{level}"].notnull())
        edges = pairs.group_by(source=pairs[level], target=pairs[f"next_{level}"]).aggregate(
            frequency=pairs.count(),
            cases=pairs.case_id.nunique(),
            wait_median_s=pairs.wait_s.quantile(0.5),
            wait_mean_s=pairs.wait_s.mean(),
            wait_p90_s=pairs.wait_s.quantile(0.9),
        )
        nodes = events.group_by(source=events[level]).aggregate(
            events=events.count(), cases_at_node=events.case_id.nunique()
        )
        return _sorted(edges.left_join(nodes, "source").drop("source_right").to_pandas())

    def variants() -> Any:
        # Spark has no ordered string_agg in Ibis: the steps collected as "rank|activity"
        # texts, sorted (the rank padded to 6 digits), then the rank cut off again
        keyed = steps.rank.cast("string").lpad(6, "0").concat("|", steps.activity)
        cases = steps.group_by("case_id").aggregate(
            path=keyed.collect().sort().map(lambda step: step.substr(7)).join(" > "),
            seconds=(
                steps.timestamp.max().epoch_seconds() - steps.begin.min().epoch_seconds()
            ).cast("float64"),
        )
        table = cases.group_by("path").aggregate(
            cases=cases.count(),
            throughput_median_s=cases.seconds.quantile(0.5),
            throughput_mean_s=cases.seconds.mean(),
        )
        return _sorted(table.to_pandas())

    return {
        "activity map": lambda: map_of("activity"),
        "department map": lambda: map_of("department"),
        "variants": variants,
    }


def _sorted(frame: Any) -> Any:
    return frame.sort_values(list(frame.columns[:2])).reset_index(drop=True)


def _same(folder: Path, name: str, engines: tuple[str, ...]) -> bool:
    """Whether every engine gave the first one's table (floats to 1e-6 relative)."""
    import pandas as pd

    first, *others = (pd.read_parquet(folder / engine / f"{name}.parquet") for engine in engines)
    for engine, other in zip(engines[1:], others, strict=True):
        try:
            pd.testing.assert_frame_equal(first, other, check_dtype=False, rtol=1e-6)
        except AssertionError as error:
            say(f"{name}: {engine} differs from {engines[0]}: {str(error)[:500]}")
            return False
    return True


def _table(
    times: dict[str, dict[str, float]], equal: dict[str, bool], engines: tuple[str, ...]
) -> str:
    header = " | ".join(f"{SHOWN[engine]} (s)" for engine in engines)
    rows = [
        f"| step | {header} | Spark ÷ DuckDB | same result |",
        "|---|" + "---:|" * (len(engines) + 1) + "---|",
    ]
    for step in ["start-up and open", *RESULTS, "three results"]:
        seconds = " | ".join(f"{times[engine][step]:.2f}" for engine in engines)
        ratio = times["spark"][step] / times["duckdb"][step]
        same = "yes" if equal.get(step, all(equal.values())) else "NO"
        same = "" if step == "start-up and open" else same
        rows.append(f"| {step} | {seconds} | {ratio:.1f}x | {same} |")
    return "\n".join(rows)


if __name__ == "__main__":
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    main()
