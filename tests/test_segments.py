"""Segment comparison: hand-worked KPIs, the planted slow segments of the sample logs, and
no flags on random splits of the cases."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discovery import LogError, read_event_log, to_event_log
from discovery.segments import compare_segments, segment_values
from tests.journey_log import DAY, STAGES, journey_log

SAMPLES = Path(__file__).resolve().parents[1] / "sample_logs"
TRUTH = json.loads((SAMPLES / "ground_truth.json").read_text())["journeys"]


@pytest.fixture(scope="module")
def comparison():
    return compare_segments(
        journey_log(), "segment", stages=STAGES, goals=["Decide"], timeout_days=10, min_cases=1
    )


def test_kpis_per_segment(comparison):
    kpis = comparison.kpis.set_index("segment")
    assert kpis.loc["young", ["cases", "completed", "open", "abandoned"]].tolist() == [3, 2, 0, 1]
    assert kpis.loc["old", ["cases", "completed", "open", "abandoned"]].tolist() == [2, 1, 1, 0]
    assert kpis.loc["young", "drop_off_rate"] == pytest.approx(1 / 3)
    assert kpis.loc["old", "drop_off_rate"] == 0.0  # D is open, E completed
    assert kpis.loc["young", "throughput_median_s"] == 4.5 * DAY  # A 4 days, B 5 days
    assert kpis.loc["old", "throughput_median_s"] == 2 * DAY
    assert kpis.loc["young", "score_mean"] == pytest.approx(14 / 3)  # A 8, B 4, C 2
    # handoffs: A Front→Back→Field→Back 3, B and C 1; D 0, E Front→Front→Back 1
    assert kpis.loc["young", "handoffs_per_case"] == pytest.approx(5 / 3)
    assert kpis.loc["old", "handoffs_per_case"] == 0.5


def test_stage_times_per_segment(comparison):
    times = comparison.stage_times.set_index(["segment", "stage"])
    assert times.loc[("young", "Assess"), "cases"] == 3
    assert times.loc[("young", "Assess"), "time_median_s"] == DAY  # 2, 1, 0 days
    assert times.loc[("old", "Close"), "wait_median_s"] == DAY  # E: Complaint → Decide
    assert ("old", "Assess") not in times.index


def test_two_segments_are_compared_once(comparison):
    tests = comparison.tests
    assert set(tests["segment"]) == {"old"}  # the first of two, against the other
    throughput = tests[tests["measure"] == "throughput"].iloc[0]
    assert (throughput["value"], throughput["rest_value"]) == (2 * DAY, 4.5 * DAY)
    assert throughput["effect"] == pytest.approx(2 / 4.5)
    drop = tests[tests["measure"] == "drop_off"].iloc[0]
    assert (drop["cases"], drop["rest_cases"], drop["value"]) == (1, 3, 0.0)
    assert drop["effect"] == pytest.approx(-1 / 3)
    assert not comparison.tests["highlighted"].any()


def test_numeric_attribute_is_cut_into_groups():
    log = journey_log()
    ages = {"A": 20, "B": 30, "C": 40, "D": 50, "E": 60}
    events = log.events.assign(age=log.events["case_id"].map(ages))
    values = segment_values(dataclasses.replace(log, events=events), "age")
    assert values.to_dict() == {"A": "20", "B": "30", "C": "40", "D": "50", "E": "60"}
    rows = [(f"c{i:02d}", "Apply", f"2024-01-{i + 1:02d}", 20 + i) for i in range(12)]
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "timestamp", "age"])
    values = segment_values(to_event_log(frame), "age", bins=2)
    assert values.value_counts().to_dict() == {"20–25": 6, "26–31": 6}


@pytest.mark.parametrize("name", ["hospital", "permit", "membership", "complaints", "mortgage"])
def test_planted_slow_segment_is_found(name):
    truth = TRUTH[name]["slow_segment"]
    log = read_event_log(SAMPLES / f"{name}.csv")
    comparison = compare_segments(log, truth["attribute"])
    found = comparison.differences
    step = found[(found["measure"] == "step_wait") & (found["where"] == truth["step"])]
    # other segments may show as faster: the slow one is in the rest they are compared with
    step = step[step["effect"] > 1]
    assert step["segment"].tolist() == [truth["value"]]
    assert step["effect"].iloc[0] == pytest.approx(truth["realised_factor"], abs=0.01)
    assert step["p_adjusted"].iloc[0] < 1e-6
    # the planted step is the only step where a segment waits much longer
    slower = found[(found["measure"] == "step_wait") & (found["effect"] > 1)]
    assert slower["where"].tolist() == [truth["step"]]


def test_random_splits_flag_nothing():
    log = read_event_log(SAMPLES / "permit.csv")
    cases = log.events["case_id"].unique()
    significant = 0
    for seed in range(10):
        rng = np.random.default_rng(seed)
        split = dict(zip(cases, rng.choice(["left", "right"], len(cases)), strict=True))
        events = log.events.assign(fake=log.events["case_id"].map(split))
        comparison = compare_segments(dataclasses.replace(log, events=events), "fake")
        assert len(comparison.tests) > 20
        assert comparison.differences.empty, comparison.differences
        significant += int(comparison.tests["significant"].any())
    # Holm keeps the chance of any false flag per comparison at 5%
    assert significant <= 2


def test_sepsis_age_groups(shared_logs):
    log = read_event_log(shared_logs / "sepsis.csv")
    comparison = compare_segments(log, "Age")
    kpis = comparison.kpis
    assert len(kpis) == 4  # a numeric attribute: four groups of about equal size
    assert kpis["cases"].sum() == log.n_cases
    assert (kpis["completed"] + kpis["open"] + kpis["abandoned"] == kpis["cases"]).all()
    assert comparison.tests["p_adjusted"].between(0, 1).all()
    assert (comparison.tests["p_adjusted"] >= comparison.tests["p_value"]).all()


def test_unknown_attribute_is_a_clear_error():
    with pytest.raises(LogError, match="no column 'region'; its case attributes: segment"):
        compare_segments(journey_log(), "region", stages=STAGES)
