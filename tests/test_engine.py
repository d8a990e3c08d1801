"""The engine, through its public names: the array counts against plain Python counting,
the registry of prepared events (its limit, eviction and re-preparing), threads querying at
once on their own cursors, and filtered logs of filtered logs against pandas."""

import dataclasses
import gc
import threading
import weakref
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import ibis
import numpy as np
import pandas as pd
import pytest

from discovery import (
    CaseAttribute,
    DepartmentsTouched,
    analyse_handoffs,
    analyse_journey,
    apply_filters,
    discover_map,
    discover_variants,
    engine,
    read_event_log,
)
from discovery.log.event_log import FilteredLog
from tests.conftest import SAMPLE_LOGS
from tests.handworked import handworked_log


@pytest.mark.parametrize("dense", [True, False])
def test_distinct_pairs_count_each_case_and_code_once(dense):
    dense_cells = engine.DENSE_CELLS if dense else 0  # 0: the sorting route
    rng = np.random.default_rng(7)
    case = np.sort(rng.integers(0, 500, 20_000))
    codes = rng.integers(0, 130, 20_000).astype(np.int16)
    expected = Counter(zip(case.tolist(), codes.tolist(), strict=True))
    got_case, got_code, got_n = engine.distinct_pairs(case, codes, dense_cells)
    assert list(zip(got_case.tolist(), got_code.tolist(), strict=True)) == sorted(expected)
    assert got_n.tolist() == [expected[key] for key in sorted(expected)]
    empty = engine.distinct_pairs(case[:0], codes[:0], dense_cells)
    assert [len(part) for part in empty] == [0, 0, 0]


HAND = handworked_log()


def renamed(log, mark):
    """The log with `mark` after each activity's name: logs whose maps tell them apart."""
    return log.with_events(
        log.events.assign(activity=log.events["activity"].astype("str") + f" {mark}")
    )


def assert_same(got, expected, where="result"):
    """Two results (frozen dataclasses) equal field by field, at any depth, tables exactly."""
    if dataclasses.is_dataclass(expected):
        for field in dataclasses.fields(expected):
            value, wanted = getattr(got, field.name), getattr(expected, field.name)
            assert_same(value, wanted, f"{where}.{field.name}")
    elif isinstance(expected, pd.DataFrame):
        pd.testing.assert_frame_equal(got, expected, obj=where)
    elif isinstance(expected, pd.Series):
        pd.testing.assert_series_equal(got, expected, obj=where)
    elif isinstance(expected, tuple | list):
        assert len(got) == len(expected), where
        for number, (value, wanted) in enumerate(zip(got, expected, strict=True)):
            assert_same(value, wanted, f"{where}[{number}]")
    elif isinstance(expected, dict):
        assert got.keys() == expected.keys(), where
        for key, wanted in expected.items():
            assert_same(got[key], wanted, f"{where}[{key!r}]")
    else:
        assert got == expected or (got != got and expected != expected), where  # NaN is NaN


def test_prepared_events_beyond_the_limit_are_dropped_oldest_first_and_prepared_again():
    logs = [renamed(HAND, i) for i in range(engine.PREPARED_LIMIT + 2)]
    maps = [discover_map(log) for log in logs]
    prepared = engine.prepared_logs()
    assert len(prepared) == engine.PREPARED_LIMIT
    assert all(got is log for got, log in zip(prepared, logs[2:], strict=True))

    again = discover_map(logs[0])  # dropped: prepared afresh, dropping the now oldest
    assert set(again.nodes["name"]) == {"Intake 0", "Check 0", "Decide 0"}
    assert_same(again, maps[0])
    prepared = engine.prepared_logs()
    assert all(got is log for got, log in zip(prepared, [*logs[3:], logs[0]], strict=True))
    assert_same(discover_map(logs[1]), maps[1])


def test_a_log_used_again_is_kept_before_one_used_less_recently():
    logs = [renamed(HAND, i) for i in range(engine.PREPARED_LIMIT + 1)]
    for log in logs[:-1]:
        discover_map(log)
    discover_map(logs[0])  # now the most recently used
    discover_map(logs[-1])  # one more than the limit: the least recently used goes
    prepared = engine.prepared_logs()
    assert any(log is logs[0] for log in prepared)
    assert not any(log is logs[1] for log in prepared)


def test_a_log_let_go_is_not_kept_alive_by_its_prepared_events():
    """The app's caches bound how many logs it keeps; the engine must not keep more: a log
    no one refers to any more goes, and its prepared events with it."""
    kept, let_go = renamed(HAND, "kept"), renamed(HAND, "let go")
    for log in (kept, let_go):
        discover_map(log)
        discover_map(log, "resource")
    gone = weakref.ref(let_go)
    del log, let_go
    gc.collect()
    assert gone() is None
    prepared = engine.prepared_logs()
    assert any(log is kept for log in prepared)
    assert len(prepared) == len({id(log) for log in prepared})
    assert set(discover_map(kept).nodes["name"]) == {"Intake kept", "Check kept", "Decide kept"}


def test_forget_drops_only_that_logs_prepared_events():
    kept, forgotten = handworked_log(), handworked_log()
    discover_map(kept)
    discover_map(forgotten, "resource")
    engine.forget(forgotten)
    prepared = engine.prepared_logs()
    assert any(log is kept for log in prepared)
    assert not any(log is forgotten for log in prepared)


def test_a_filtered_log_whose_parent_was_dropped_is_prepared_again_from_it():
    log = handworked_log()
    old = apply_filters(log, [CaseAttribute("segment", ("old",))])
    expected = discover_map(old)
    others = [renamed(HAND, i) for i in range(engine.PREPARED_LIMIT)]  # kept: they fill it
    for other in others:
        discover_map(other)
    assert not any(prepared is log or prepared is old for prepared in engine.prepared_logs())
    assert_same(discover_map(old), expected)
    # by hand: cases 2 and 3; Intake → Decide (case 2), Intake → Check → Check → Decide
    assert expected.edges[["source", "target", "frequency"]].values.tolist() == [
        ["Check", "Check", 1],
        ["Check", "Decide", 1],
        ["Intake", "Check", 1],
        ["Intake", "Decide", 1],
    ]


def analyses(log):
    """Maps at two levels, variants and handoffs: the engine's three kinds of work."""
    return (
        discover_map(log, "activity"),
        discover_map(log, "department"),
        discover_variants(log),
        analyse_handoffs(log),
    )


def test_threads_computing_maps_of_logs_and_filtered_logs_at_once_agree_with_one_thread():
    """The app runs each session in its own thread; they share one connection and registry."""
    sample = read_event_log(SAMPLE_LOGS / "hospital.csv")
    elderly = [CaseAttribute("leeftijdsgroep", ("75+",))]

    def logs():  # new objects each time: every thread prepares its own log's events
        fresh = [renamed(sample, i) for i in range(3)]
        return [*fresh, *(apply_filters(log, elderly) for log in fresh)]

    expected = [analyses(log) for log in logs()]  # one thread
    for _ in range(2):
        with ThreadPoolExecutor(max_workers=6) as pool:
            results = list(pool.map(analyses, logs()))
        for got, wanted in zip(results, expected, strict=True):
            for result, truth in zip(got, wanted, strict=True):
                assert_same(result, truth)


def pandas_log(log, case_ids):
    """A log of its own holding only the events of `case_ids`, selected with pandas."""
    events = log.events
    return log.with_events(events[events["case_id"].isin(case_ids)].reset_index(drop=True))


def test_a_filter_of_a_filtered_log_equals_filtering_once_with_both():
    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    events = log.events
    elderly = CaseAttribute("leeftijdsgroep", ("75+",))
    department = events["department"].value_counts().index[2]
    touched = DepartmentsTouched((department,))
    twice = apply_filters(apply_filters(log, [elderly]), [touched])
    once = apply_filters(log, [elderly, touched])
    # by pandas: the cases of the age group that have an event in the department
    old = set(events.loc[events["leeftijdsgroep"] == "75+", "case_id"])
    there = set(events.loc[events["department"] == department, "case_id"])
    oracle = pandas_log(log, old & there)
    assert 0 < oracle.n_cases < len(old) < log.n_cases

    assert isinstance(twice.parent, FilteredLog)
    for filtered in (twice, once):
        assert (filtered.n_cases, filtered.n_events) == (oracle.n_cases, oracle.n_events)
        pd.testing.assert_frame_equal(filtered.events, oracle.events)
        for result, truth in zip(analyses(filtered), analyses(oracle), strict=True):
            assert_same(result, truth)


def test_some_events_of_a_filtered_log_and_a_filter_of_those_agree_with_pandas():
    """A filtered log of a filtered log, not whole cases (as the map's detail slider), and a
    case filter on top of that."""
    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    elderly = apply_filters(log, [CaseAttribute("leeftijdsgroep", ("75+",))])
    common = elderly.events["activity"].value_counts().index[:4]
    keep = elderly.events["activity"].isin(common).to_numpy()
    partial = FilteredLog(elderly, keep, whole_cases=False)
    oracle = log.with_events(elderly.events[keep].reset_index(drop=True))
    assert (partial.n_cases, partial.n_events) == (oracle.n_cases, oracle.n_events)
    for result, truth in zip(analyses(partial), analyses(oracle), strict=True):
        assert_same(result, truth)

    department = oracle.events["department"].value_counts().index[0]
    touched = [DepartmentsTouched((department,))]
    there = set(oracle.events.loc[oracle.events["department"] == department, "case_id"])
    for result, truth in zip(
        analyses(apply_filters(partial, touched)), analyses(pandas_log(oracle, there)), strict=True
    ):
        assert_same(result, truth)


def test_a_query_built_before_its_log_is_dropped_still_runs():
    """A session builds a query on a log's events while others prepare more logs than the
    limit (the app's sessions share the registry): the query still runs, and right."""
    log = renamed(HAND, "first")
    pairs = engine.steps(log)
    query = pairs.group_by(["node", "target"]).aggregate(n=pairs.count())
    others = [renamed(HAND, i) for i in range(engine.PREPARED_LIMIT + 2)]  # kept: they fill it
    for other in others:
        discover_map(other)
    assert not any(prepared is log for prepared in engine.prepared_logs())
    counted = engine.execute(query)
    # by hand: Intake → Check in cases 1 and 3, Check → Intake in 1, Intake → Decide in 1
    # and 2, Check → Check and Check → Decide in 3; each case ends at Decide
    assert {
        (node, None if pd.isna(target) else target): n
        for node, target, n in counted.itertuples(index=False)
    } == {
        ("Intake first", "Check first"): 2,
        ("Check first", "Intake first"): 1,
        ("Intake first", "Decide first"): 2,
        ("Check first", "Check first"): 1,
        ("Check first", "Decide first"): 1,
        ("Decide first", None): 3,
    }


def test_a_map_from_arrays_registers_nothing_with_duckdb():
    """A map is computed from arrays: its log's events are registered with DuckDB only
    when a query first reads them."""
    from discovery.engine._backend import connection, let_go

    def registered():
        views = "select count(*) from duckdb_views() where view_name like 'events_%'"
        return connection().con.execute(views).fetchall()[0][0]

    log = renamed(HAND, "arrays only")
    let_go()  # earlier tests' tables no query refers to: unregistered now, not meanwhile
    before = registered()
    discover_map(log, "activity")
    assert registered() == before
    engine.source(log)
    assert registered() == before + 1


def test_a_dropped_logs_events_are_let_go_once_no_query_holds_them():
    """Dropped entries stay registered only while a query on them lives (no leak)."""
    from discovery.engine._backend import connection  # what is registered is not public

    def registered():
        views = "select count(*) from duckdb_views() where view_name like 'events_%'"
        return connection().con.execute(views).fetchall()[0][0]

    logs = [renamed(HAND, i) for i in range(engine.PREPARED_LIMIT + 2)]
    held = engine.steps(logs[0])
    for log in logs[1:]:
        engine.source(log)  # registered when a query first asks for it
    engine.forget(logs[-1])  # one fewer prepared: the limit less one, and the one held
    assert registered() == engine.PREPARED_LIMIT
    del held
    engine.forget(logs[-2])
    assert registered() == engine.PREPARED_LIMIT - 2


def test_threads_asking_for_one_new_log_at_once_agree_with_one_thread():
    """Sessions prepare outside the lock, so several may prepare the same log at once."""
    sample = read_event_log(SAMPLE_LOGS / "hospital.csv")
    expected = analyses(renamed(sample, "once"))
    shared = renamed(sample, "once")
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(analyses, [shared] * 6))
    for got in results:
        for result, truth in zip(got, expected, strict=True):
            assert_same(result, truth)


def journeys(log):
    """The journey lens: the analysis that queries DuckDB (a temporary table among them)."""
    return analyse_journey(log, goals=["Ontslag"], min_group=5)


def test_threads_analysing_different_logs_at_once_agree_with_each_alone():
    """Each thread queries on its own cursor, with the prepared tables it reads registered
    there: four logs analysed at once give what each gives alone, whatever the threads."""
    sample = read_event_log(SAMPLE_LOGS / "hospital.csv")
    logs = [renamed(sample, f"log {number}") for number in range(4)]
    alone = [(journeys(log), analyses(log)) for log in logs]
    for workers in (2, 4):
        with ThreadPoolExecutor(max_workers=workers) as pool:
            together = list(pool.map(lambda log: (journeys(log), analyses(log)), logs))
        for (lens, results), (lens_alone, results_alone) in zip(together, alone, strict=True):
            assert_same(lens, lens_alone)
            for result, truth in zip(results, results_alone, strict=True):
                assert_same(result, truth)


def test_two_queries_run_inside_duckdb_at_the_same_time():
    """Two threads' queries meet inside DuckDB: each calls a function that waits until the
    other's query calls it too. With one lock around every query the second query could
    not start while the first waits, and the meeting would time out."""
    from discovery.engine._backend import connection  # the database the cursors share

    meeting = threading.Barrier(2, timeout=20)
    calls = []

    def wait_for_the_other(value: int) -> int:
        calls.append(threading.get_ident())
        meeting.wait()
        return value

    @ibis.udf.scalar.builtin(name="journey_test_meet")
    def meet(value: int) -> int:  # the function above, as DuckDB knows it
        ...

    def query(log):
        pairs = engine.steps(log).limit(1)  # one row: one call per query
        return engine.execute(pairs.select(met=meet(ibis.literal(1))))["met"].tolist()

    database = connection().con  # a function is the database's, seen from every cursor
    database.create_function("journey_test_meet", wait_for_the_other, ["INTEGER"], "INTEGER")
    try:
        logs = [renamed(HAND, "meets"), renamed(HAND, "is met")]
        with ThreadPoolExecutor(max_workers=2) as pool:
            assert list(pool.map(query, logs)) == [[1], [1]]
    finally:
        database.remove_function("journey_test_meet")
    assert len(calls) == 2 and not meeting.broken
