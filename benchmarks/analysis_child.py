"""One measurement of `bench_analysis.py`, run in a fresh process so peaks never mix.

    python benchmarks/analysis_child.py WHAT PATH

Loads the log with `read_event_log` (timed on its own as the load), then times one set of
analyses with `time.perf_counter()`, each step and all together, and prints the seconds,
the peak resident memory (`ru_maxrss`) and the size of the activity map (edges and their
total frequency, to check that the routes agree) as JSON on the last line of stdout.
Libraries may print banners before that line; the parent reads only the last one.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

Steps = dict[str, Callable[[], object]]


@dataclass(frozen=True)
class Route:
    """A way to analyse a loaded log: untimed preparation, then the timed steps.

    `prepare(log)` returns the steps to time (name -> call) and a function that reads the
    activity map's edge count and total frequency from the steps' results.
    """

    label: str
    prepare: Callable[[object], tuple[Steps, Callable[[dict[str, object]], tuple[int, int]]]]


def _ours(log, levels_only: bool) -> tuple[Steps, Callable[[dict[str, object]], tuple[int, int]]]:
    from discovery.engine import connect, source
    from discovery.mining.bottlenecks import find_bottlenecks
    from discovery.mining.handoffs import analyse_handoffs
    from discovery.mining.maps import discover_map
    from discovery.mining.variants import discover_variants

    connect()  # connecting to DuckDB, untimed as for the hand-written query
    computed: dict[str, object] = {}

    def activity_map() -> object:
        computed["map"] = discover_map(log, "activity")
        return computed["map"]

    # the one-time cost of a log: its events registered in DuckDB, reused by every analysis
    steps: Steps = {"register": lambda: source(log), "activity map": activity_map}
    if log.has("department"):
        steps["department map"] = lambda: discover_map(log, "department")
    if not levels_only:
        steps["variants"] = lambda: discover_variants(log)
        steps["handoffs"] = lambda: analyse_handoffs(log)
        # as the app does: the bottlenecks reuse the activity map already computed
        steps["bottlenecks"] = lambda: find_bottlenecks(log, computed["map"])

    def edges(results: dict[str, object]) -> tuple[int, int]:
        frame = results["activity map"].edges  # type: ignore[attr-defined]
        return len(frame), int(frame["frequency"].sum())

    return steps, edges


def _pm4py(log) -> tuple[Steps, Callable[[dict[str, object]], tuple[int, int]]]:
    import pm4py

    from discovery.mining._pm4py import to_pm4py

    frame = to_pm4py(log)  # sorted by case, time and position; XES keys
    steps: Steps = {
        "discover_dfg": lambda: pm4py.discover_dfg(frame),
        "discover_performance_dfg": lambda: pm4py.discover_performance_dfg(frame),
        "get_variants": lambda: pm4py.get_variants(frame),
    }

    def edges(results: dict[str, object]) -> tuple[int, int]:
        graph = results["discover_dfg"][0]  # type: ignore[index]
        return len(graph), int(sum(graph.values()))

    return steps, edges


DFG_SQL = """
with steps as (
    select
        case_id,
        activity as source,
        lead(activity) over w as target,
        (epoch_us(lead(timestamp) over w) - epoch_us(timestamp)) / 1e6 as wait_s
    from events
    window w as (partition by case_id order by timestamp, position)
)
select
    source,
    target,
    count(*) as frequency,
    count(distinct case_id) as cases,
    median(wait_s) as wait_median_s,
    avg(wait_s) as wait_mean_s,
    quantile_cont(wait_s, 0.9) as wait_p90_s,
    sum(wait_s) as wait_total_s
from steps
where target is not null
group by source, target
"""


def _duckdb(log) -> tuple[Steps, Callable[[dict[str, object]], tuple[int, int]]]:
    import duckdb
    import pyarrow as pa

    events = log.events
    connection = duckdb.connect()

    def register() -> None:
        table = pa.table(
            {
                "case_id": pa.array(events["case_id"].astype(str), pa.string()),
                "activity": pa.array(events["activity"].astype(str), pa.string()),
                "timestamp": pa.array(events["timestamp"], pa.timestamp("us", tz="UTC")),
                "position": pa.array(events["position"], pa.int64()),
            }
        )
        connection.register("events", table)

    steps: Steps = {
        "register": register,
        "activity DFG query": lambda: connection.sql(DFG_SQL).df(),
    }

    def edges(results: dict[str, object]) -> tuple[int, int]:
        frame = results["activity DFG query"]
        return len(frame), int(frame["frequency"].sum())  # type: ignore[index]

    return steps, edges


# The limit for the full analysis (issue 14, target 3): the five results as a competent
# analyst writes them by hand in DuckDB, sharing one sort of the events by case and time.
STEPS_SQL = """
create or replace temp table steps as
select
    case_id, activity, department, timestamp, position,
    lead(activity) over w as next_activity,
    lead(department) over w as next_department,
    lag(department) over w as previous_department,
    lag(department, 2) over w as department_before,
    greatest((epoch_us(lead("begin") over w) - epoch_us(timestamp)) / 1e6, 0) as wait_s
from events
window w as (partition by case_id order by timestamp, position)
"""


def _map_sql(level: str) -> list[str]:
    """The directly-follows pairs of `level` with their waits, and its nodes."""
    return [
        f"""select {level} as source, next_{level} as target, count(*) as frequency,
               count(distinct case_id) as cases, median(wait_s) as wait_median_s,
               avg(wait_s) as wait_mean_s, quantile_cont(wait_s, 0.9) as wait_p90_s,
               sum(wait_s) as wait_total_s
           from steps where next_{level} is not null group by all""",
        f"""select {level} as name, count(*) as events, count(distinct case_id) as cases
           from events group by all""",
    ]


FIVE_SQL = {
    "activity map": _map_sql("activity"),
    "department map": _map_sql("department"),
    "variants": [
        """select path, count(*) as cases, median(seconds) as throughput_median_s,
               avg(seconds) as throughput_mean_s
           from (
               select case_id,
                   string_agg(activity, chr(31) order by timestamp, position) as path,
                   (epoch_us(max(timestamp)) - epoch_us(min("begin"))) / 1e6 as seconds
               from events group by case_id
           ) group by path order by cases desc""",
    ],
    "handoffs": [
        """select department as source, next_department as target, count(*) as handoffs,
               count(distinct case_id) as cases
           from steps where next_department <> department group by all""",
        """select least(department, previous_department) as first,
               greatest(department, previous_department) as second,
               count(*) as occurrences, count(distinct case_id) as cases
           from steps
           where department = department_before and department <> previous_department
           group by all""",
        """select case_id, count(*) filter (where department <> previous_department) as handoffs,
               count(*) - count(distinct activity) as rework_events
           from steps group by case_id""",
    ],
    "bottlenecks": [
        """select next_activity as activity, count(*) as events, count(distinct case_id) as cases,
               median(wait_s) as wait_median_s, sum(wait_s) as wait_total_s
           from steps where next_activity is not null group by all
           order by wait_total_s desc""",
    ],
}


def _duckdb_full(log) -> tuple[Steps, Callable[[dict[str, object]], tuple[int, int]]]:
    import duckdb
    import pyarrow as pa

    events = log.events
    connection = duckdb.connect()
    begin = events["start_timestamp"] if "start_timestamp" in events else events["timestamp"]
    department = events["department"] if "department" in events else events["activity"]

    def register() -> None:
        # the loaded columns as they are (categories stay dictionary-encoded): no copies
        frame = events[["case_id", "activity", "position"]].assign(
            department=department,
            timestamp=events["timestamp"].dt.as_unit("us"),
            begin=begin.fillna(events["timestamp"]).dt.as_unit("us"),
        )
        table = pa.Table.from_pandas(frame, preserve_index=False)
        connection.register("events", table)
        connection.execute(STEPS_SQL)  # the one sort every result shares

    steps: Steps = {"register and sort": register}
    for name, queries in FIVE_SQL.items():
        steps[name] = lambda queries=queries: [connection.sql(q).df() for q in queries]

    def edges(results: dict[str, object]) -> tuple[int, int]:
        frame = results["activity map"][0]  # type: ignore[index]
        return len(frame), int(frame["frequency"].sum())

    return steps, edges


ROUTES = {
    "ours-full": Route("ours full", lambda log: _ours(log, levels_only=False)),
    "duckdb-full": Route("duckdb hand-written, five results", _duckdb_full),
    "ours-maps": Route("ours maps", lambda log: _ours(log, levels_only=True)),
    "pm4py": Route("pm4py dfg+perf+variants", _pm4py),
    "duckdb": Route("duckdb hand-written", _duckdb),
}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("route", choices=sorted(ROUTES))
    parser.add_argument("path")
    args = parser.parse_args(argv)
    from discovery import read_event_log

    start = time.perf_counter()
    log = read_event_log(args.path)
    result: dict[str, object] = {
        "load_seconds": time.perf_counter() - start,
        "load_peak_mb": _peak_mb(),
        "events": log.n_events,
    }
    start = time.perf_counter()
    steps, edges = ROUTES[args.route].prepare(log)
    result["prepare_seconds"] = time.perf_counter() - start
    timings, outputs = {}, {}
    start = time.perf_counter()
    for name, step in steps.items():
        begun = time.perf_counter()
        outputs[name] = step()
        timings[name] = time.perf_counter() - begun
        print(f"{name}: {timings[name]:.2f} s", file=sys.stderr, flush=True)
    result["seconds"] = time.perf_counter() - start
    result["steps"] = timings
    result["edges"], result["frequency"] = edges(outputs)
    result["peak_mb"] = _peak_mb()
    sys.stdout.flush()
    print("\n" + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
