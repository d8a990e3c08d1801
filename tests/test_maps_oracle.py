"""pm4py as the oracle for maps and variants on every public log, and order independence."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from discovery import read_event_log, to_event_log
from discovery.io import read_table
from discovery.mining._pm4py import pm4py, to_pm4py
from discovery.mining.maps import discover_map
from discovery.mining.variants import discover_variants
from tests.test_reference_logs import REFERENCE


@pytest.fixture(scope="module", params=sorted(REFERENCE))
def log(request, shared_logs):
    return read_event_log(shared_logs / request.param)


def without_start(log):
    return dataclasses.replace(
        log, events=log.events.drop(columns=["start_timestamp"], errors="ignore")
    )


def assert_same_as_pm4py(log):
    # to_pm4py hands pm4py a table sorted by case, time and source position: pm4py
    # returns wrong pairs on unsorted input
    frame = to_pm4py(log)
    pm = pm4py()
    dfg, starts, ends = pm.discover_dfg(frame)
    performance, _, _ = pm.discover_performance_dfg(frame, perf_aggregation_key="all")
    ours = discover_map(log)
    edges = ours.edges.set_index(["source", "target"])
    assert dict(zip(edges.index, edges["frequency"], strict=True)) == dfg
    assert dict(zip(ours.starts["name"], ours.starts["cases"], strict=True)) == starts
    assert dict(zip(ours.ends["name"], ours.ends["cases"], strict=True)) == ends
    for pair, stats in performance.items():
        assert edges.loc[pair, "wait_mean_s"] == pytest.approx(stats["mean"], rel=1e-9, abs=1e-6)
        assert edges.loc[pair, "wait_median_s"] == pytest.approx(
            stats["median"], rel=1e-9, abs=1e-6
        )
    variants = discover_variants(log).variants
    assert dict(zip(variants["activities"], variants["cases"], strict=True)) == dict(
        pm.get_variants(frame)
    )


def test_map_and_variants_equal_pm4py(log):
    assert_same_as_pm4py(without_start(log))


def test_waits_from_start_times_equal_a_pandas_computation(log):
    """pm4py orders events by start time when it has one, we by completion (DESIGN.md), so
    with start times the oracle is a plain pandas sort-and-shift over the same rule."""
    if "start_timestamp" not in log.events:
        pytest.skip(f"{log.source}: no start times")
    events = log.events.sort_values(["case_id", "timestamp", "position"])
    following = events.shift(-1)
    same_case = events["case_id"] == following["case_id"]
    begin = following["start_timestamp"].fillna(following["timestamp"])
    wait = (np.maximum(begin, events["timestamp"]) - events["timestamp"]).dt.total_seconds()
    pairs = events.assign(target=following["activity"], wait=wait)[same_case]
    expected = pairs.groupby(["activity", "target"])["wait"].agg(["size", "mean", "median"])
    edges = discover_map(log).edges.set_index(["source", "target"]).loc[expected.index]
    np.testing.assert_array_equal(edges["frequency"], expected["size"])
    np.testing.assert_allclose(edges["wait_mean_s"], expected["mean"], rtol=1e-9, atol=1e-6)
    np.testing.assert_allclose(edges["wait_median_s"], expected["median"], rtol=1e-9, atol=1e-6)


def test_a_shuffled_log_gives_the_same_results(shared_logs):
    table = read_table(shared_logs / "receipt.xes.gz")
    original = to_event_log(table)
    ties = [f for f in original.quality.findings if f.check == "identical_timestamps"]
    assert not ties, "the test needs a log without ties in time, where file order decides"
    shuffled = dataclasses.replace(table, frame=table.frame.sample(frac=1, random_state=3))
    again = to_event_log(shuffled)
    a, b = discover_map(original), discover_map(again)
    # sums run in parallel, so means may differ in the last bits
    for part in ("nodes", "edges", "starts", "ends"):
        pd.testing.assert_frame_equal(getattr(a, part), getattr(b, part), rtol=1e-12)
    pd.testing.assert_frame_equal(
        discover_variants(original).variants, discover_variants(again).variants, rtol=1e-12
    )
