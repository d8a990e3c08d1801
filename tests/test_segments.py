"""Segment comparison: hand-worked KPIs, the planted slow segments of the sample logs, and
no flags on random splits of the cases."""

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from discovery import EventLog, LogError, read_event_log, to_event_log
from discovery.lens._segment_tests import _mann_whitney
from discovery.lens.findings import difference_message
from discovery.lens.segments import compare_segments, discover_segments, segment_values
from discovery.lens.stages import Stages
from discovery.words import say
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


def test_stage_times_as_a_stage_by_segment_table_in_journey_order():
    # the stages out of alphabetical order: Start (Apply), Assess (Check, Visit), Close
    stages = Stages.from_pairs(
        [("Apply", "Start"), ("Check", "Assess"), ("Visit", "Assess"), ("Decide", "Close")]
    )
    compared = compare_segments(
        journey_log(), "segment", stages=stages, goals=["Decide"], timeout_days=10, min_cases=1
    )
    assert compared.stage_order == stages
    table = compared.by_stage("time_median_s")
    assert list(table.index) == ["Start", "Assess", "Close"]
    assert list(table.columns) == ["old", "young"]
    assert table.loc["Assess", "young"] == DAY  # 2, 1, 0 days
    assert pd.isna(table.loc["Assess", "old"])  # no old case is assessed
    assert compared.by_stage("wait_median_s").loc["Close", "old"] == DAY


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


def test_leading_segment_is_that_of_the_first_highlighted_difference(comparison):
    assert comparison.segments == ("old", "young")
    assert comparison.leading_segment == "old"  # nothing highlighted: the first segment
    tests = comparison.tests.copy()  # old is tested first; then young, then old flagged
    tests.loc[1, ["segment", "highlighted"]] = ["young", True]
    tests.loc[2, "highlighted"] = True
    flagged = dataclasses.replace(comparison, tests=tests)
    assert flagged.differences["segment"].tolist() == ["young", "old"]
    assert flagged.leading_segment == "young"


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
    with pytest.raises(LogError, match="no column 'region'; its case attributes: segment"):
        discover_segments(journey_log(), stages=STAGES, attributes=["segment", "region"])


def test_rank_sum_mann_whitney_is_scipys():
    rng = np.random.default_rng(1)
    values = np.concatenate([rng.integers(0, 30, 60), rng.integers(5, 40, 45)]).astype(float)
    a, b = values[:60], values[60:]
    ranks = stats.rankdata(values)
    _, counts = np.unique(values, return_counts=True)
    ties = float((counts.astype(float) ** 3 - counts).sum())
    expected = stats.mannwhitneyu(a, b, alternative="two-sided").pvalue
    assert _mann_whitney(a, b, ranks[:60].sum(), ties) == pytest.approx(expected, rel=1e-12)
    assert _mann_whitney(np.ones(20), np.ones(30), 25.5 * 20, 50.0**3 - 50) == 1.0


def split_log(waits_slow: list[float], waits_fast: list[float], **columns) -> EventLog:
    """Cases with two events (Apply, then Decide after the given hours); case i of the
    slow ones has kind "slow", the others "fast"; `columns` adds case attributes (a list of
    one value per case, slow cases first)."""
    rows = []
    hours = [*waits_slow, *waits_fast]
    for i, wait in enumerate(hours):
        start = pd.Timestamp("2024-01-01", tz="UTC") + pd.Timedelta(hours=i)
        extra = {name: values[i] for name, values in columns.items()}
        kind = "slow" if i < len(waits_slow) else "fast"
        for activity, time in (("Apply", start), ("Decide", start + pd.Timedelta(hours=wait))):
            rows.append({"case_id": f"c{i:03d}", "activity": activity, "timestamp": time,
                         "kind": kind, **extra})  # fmt: skip
    return to_event_log(pd.DataFrame(rows), now=pd.Timestamp("2025-01-01", tz="UTC"))


TWO_STAGES = Stages.from_pairs([("Apply", "Start"), ("Decide", "End")])


def test_discovery_by_hand():
    # 30 slow cases wait 47, 48 or 49 hours before Decide, 30 fast ones 23, 24 or 25 hours:
    # medians 48 and 24 hours, ratio 2; the groups do not overlap, so U = 30 * 30
    slow, fast = [47.0, 48.0, 49.0] * 10, [23.0, 24.0, 25.0] * 10
    n = len(slow) + len(fast)
    log = split_log(
        slow, fast,
        opened=list(pd.date_range("2024-01-01", periods=n, tz="UTC")),
        number=list(range(1000, 1000 + n)),
        note=[f"note {i}" for i in range(n)],
        country=["NL"] * n,
        copy=["s"] * 30 + ["f"] * 30,
        rare=["x"] * 3 + ["y"] * (n - 3),
    )  # fmt: skip
    found = discover_segments(log, stages=TWO_STAGES, goals=["Decide"])
    reasons = {row.pop("attribute"): row for row in found.to_dict()["attributes"]}
    assert reasons == {
        "kind": {"segments": 2, "tested": True, "reason": None, "same_as": None},
        "opened": {"segments": n, "tested": False, "reason": "dates", "same_as": None},
        "number": {"segments": n, "tested": False, "reason": "ids", "same_as": None},
        "note": {"segments": n, "tested": False, "reason": "too_many_values", "same_as": None},
        "country": {"segments": 1, "tested": False, "reason": "one_value", "same_as": None},
        "copy": {"segments": 2, "tested": False, "reason": "same_segments", "same_as": "kind"},
        "rare": {"segments": 2, "tested": False, "reason": "small_segments", "same_as": None},
    }
    assert found.tested == ("kind",)
    # kind: "fast" (the first of two) against the rest, 7 tests: throughput, drop-off (no
    # case dropped out: p = 1), handoffs (none: p = 1), time in stage Start and in End (one
    # event each: 0, p = 1), wait before stage End and before Decide; no scores in the log
    assert len(found.tests) == 7
    tests = found.tests.set_index(["measure", "where"], drop=False)
    assert set(tests["segment"]) == {"fast"}
    wait = tests.loc[("step_wait", "Decide")]
    assert (wait["value"], wait["rest_value"]) == (24 * 3600, 48 * 3600)
    assert wait["effect"] == 0.5
    expected = stats.mannwhitneyu(fast, slow, alternative="two-sided").pvalue
    assert wait["p_value"] == pytest.approx(expected, rel=1e-12)
    # Holm over all tests of all attributes: the smallest p times the number of tests
    smallest = found.tests["p_value"].min()
    assert found.tests["p_adjusted"].min() == pytest.approx(smallest * len(found.tests))
    # the wait before stage End is the wait before Decide: said once, by the step
    reported = found.differences
    assert set(zip(reported["measure"], reported["where"].fillna(""), strict=True)) == {
        ("throughput", ""),
        ("step_wait", "Decide"),
    }
    sentences = {
        m: say(text) for m, text in zip(reported["measure"], reported["message"], strict=True)
    }
    assert sentences["step_wait"] == (
        "Cases with kind fast wait shorter before Decide: a median of 1 day, against 2 days "
        "for the other cases."
    )
    dutch = {
        m: say(text, "nl") for m, text in zip(reported["measure"], reported["message"], strict=True)
    }
    assert dutch["step_wait"] == (
        "Zaken met kind fast wachten korter voor Decide: mediaan 1 dag, tegen 2 dagen bij "
        "de andere zaken."
    )
    assert found.to_dict()["differences"][0].keys() >= {
        "attribute", "segment", "measure", "where", "value", "rest_value", "effect",
        "p_value", "p_adjusted", "sentence",
    }  # fmt: skip
    assert found.to_dict("nl")["differences"][0]["sentence"] == dutch[reported["measure"][0]]


def test_slower_segment_is_said_with_its_ratio():
    assert say(difference_message("age", "75+", "step_wait", "Opname", 3.8 * 3600, 2 * 3600)) == (
        "Cases with age 75+ wait 1.9× longer before Opname: a median of 3.8 hours, against "
        "2 hours for the other cases."
    )
    dutch = say(difference_message("age", "75+", "step_wait", "Opname", 3.8 * 3600, 2 * 3600), "nl")
    assert dutch == (
        "Zaken met age 75+ wachten 1,9× zo lang voor Opname: mediaan 3,8 uur, tegen 2 uur bij "
        "de andere zaken."
    )
    assert say(difference_message("region", "(none)", "drop_off", None, 0.3, 0.1)) == (
        "Cases without region drop out more often: 30%, against 10% for the other cases."
    )


@pytest.fixture(scope="module")
def discovered():
    return {
        name: discover_segments(read_event_log(SAMPLES / f"{name}.csv"))
        for name in ("hospital", "permit", "membership", "complaints", "mortgage")
    }


@pytest.mark.parametrize("name", ["hospital", "permit", "membership", "complaints", "mortgage"])
def test_planted_slow_segment_is_found_without_asking(name, discovered):
    truth = TRUTH[name]["slow_segment"]
    found = discovered[name]
    assert found.tested == (truth["attribute"],)
    first = found.differences.iloc[0]  # the planted segment comes first
    assert (first["attribute"], first["segment"], first["measure"], first["where"]) == (
        truth["attribute"], truth["value"], "step_wait", truth["step"],
    )  # fmt: skip
    assert first["effect"] == pytest.approx(truth["realised_factor"], abs=0.01)
    ratio = f"{first['effect']:.1f}".removesuffix(".0")  # 1.95 reads 2×
    assert f"wait {ratio}× longer before {truth['step']}:" in say(first["message"])
    assert f"wachten {ratio.replace('.', ',')}× zo lang voor {truth['step']}:" in (
        say(first["message"], "nl")
    )


def with_random_attributes(log: EventLog, seed: int) -> EventLog:
    """Ten case attributes drawn at random, independent of everything in the case: two to
    six categories, or numbers (cut into four groups)."""
    rng = np.random.default_rng(seed)
    cases = log.events["case_id"].unique()
    events = log.events.copy()
    for i in range(10):
        if i < 7:
            values = rng.choice([f"v{k}" for k in range(2 + i % 5)], len(cases))
        else:
            values = rng.normal(40, 12, len(cases)).round(1)
        events[f"random_{i}"] = events["case_id"].map(dict(zip(cases, values, strict=True)))
    names = tuple(f"random_{i}" for i in range(10))
    return dataclasses.replace(log, events=events,
                               case_attributes=(*log.case_attributes, *names))  # fmt: skip


@pytest.mark.parametrize("name", ["hospital", "permit", "membership", "complaints", "mortgage"])
def test_ten_random_attributes_highlight_nothing(name):
    truth = TRUTH[name]["slow_segment"]
    log = with_random_attributes(read_event_log(SAMPLES / f"{name}.csv"), seed=11)
    found = discover_segments(log)
    assert len(found.tested) == 11
    random = found.tests[found.tests["attribute"].str.startswith("random_")]
    assert len(random) > 200  # every random segment was tested at every place
    assert not random["significant"].any(), random[random["significant"]]
    first = found.differences.iloc[0]  # and the planted segment still shows, first
    assert (first["attribute"], first["segment"], first["where"]) == (
        truth["attribute"], truth["value"], truth["step"],
    )  # fmt: skip


def test_sepsis_attributes_are_tested_together(shared_logs):
    log = read_event_log(shared_logs / "sepsis.csv")
    found = discover_segments(log)
    reasons = found.attributes.set_index("attribute")["reason"]
    assert reasons["Diagnose"] == "too_many_values"  # 146 codes
    assert reasons["DiagnosticLiquor"] == "small_segments"  # 5 cases with True, 1,045 False
    # 24 case attributes: all but Diagnose, DiagnosticLiquor and DiagnosticOther (10 True)
    assert "Age" in found.tested and len(found.tested) == 21
    assert len(found.tests) > 500
    assert (found.tests["p_adjusted"] >= found.tests["p_value"]).all()
    assert found.differences["highlighted"].all()


def test_segment_filter_keeps_exactly_the_cases_of_a_segment():
    from discovery import NO_VALUE, apply_filters, segment_filter, to_event_log

    ages = {f"c{i}": (str(20 + i) if i < 12 else None) for i in range(14)}  # 12 ages, 2 none
    frame = pd.DataFrame(
        [
            (case, activity, f"2024-01-{day:02d} 10:00", age)
            for case, age in ages.items()
            for day, activity in ((1, "Intake"), (2, "Besluit"))
        ],
        columns=["case", "activity", "time", "age"],
    )
    log = to_event_log(frame, now=pd.Timestamp("2025-01-01", tz="UTC"))
    segments = segment_values(log, "age")
    assert segments.nunique() == 5  # 12 ages in 4 groups of 3, and the cases without one
    for segment in segments.unique():
        kept = apply_filters(log, [segment_filter(log, "age", segment)])
        assert set(kept.events["case_id"]) == set(segments.index[segments == segment])
        rest = apply_filters(log, [segment_filter(log, "age", segment, rest=True)])
        assert set(rest.events["case_id"]) == set(segments.index[segments != segment])
    assert set(apply_filters(log, [segment_filter(log, "age", NO_VALUE)]).events["case_id"]) == {
        "c12",
        "c13",
    }


def test_segments_from_the_lens_equal_those_computed_afresh():
    from discovery import analyse_journey

    log = read_event_log(Path(__file__).resolve().parents[1] / "sample_logs" / "hospital.csv")
    lens = analyse_journey(log)
    assert lens.events is not None  # the lens keeps its journey events for reuse
    reused, afresh = (
        discover_segments(log, lens=lens),
        discover_segments(log, stages=lens.stage_order),
    )
    pd.testing.assert_frame_equal(reused.tests, afresh.tests)
    one = compare_segments(log, "leeftijdsgroep", lens=lens)
    pd.testing.assert_frame_equal(one.tests, compare_segments(log, "leeftijdsgroep").tests)
