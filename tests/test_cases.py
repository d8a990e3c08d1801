"""The tracer: one case's trail, worked out by hand on tests/handworked.py, then checked
against the handoff report on a sample log; the timeline drawn from it."""

from dataclasses import replace

import pandas as pd
import pytest

from discovery import (
    DEVIATION_NAMES,
    LogError,
    analyse_handoffs,
    case_timeline_figure,
    check_conformance,
    discover_variants,
    find_cases,
    mark_deviations,
    read_event_log,
    read_intended_journey,
    sample_cases,
    trace_case,
)
from discovery.words import say
from tests.conftest import SAMPLE_LOGS
from tests.handworked import handworked_log

HOUR = 3600.0


def labels(trail, language="en"):
    """The deviations marked on each event, named in `language`: "" where none."""
    return tuple(
        "; ".join(say(DEVIATION_NAMES[kind], language) for kind in kinds)
        for kinds in trail.deviations
    )


@pytest.fixture(scope="module")
def log():
    return handworked_log()


@pytest.fixture(scope="module")
def hospital():
    return read_event_log(SAMPLE_LOGS / "hospital.csv")


def test_case_1_step_by_step(log):
    # Intake(Front) 08:30-09:00, Check(Back) 09:30-10:00, Intake(Front) 11:00-12:00,
    # Decide(Back) 12:30-13:00
    trail = trace_case(log, "1")
    events = trail.events
    assert events["step"].tolist() == [1, 2, 3, 4]
    assert events["activity"].tolist() == ["Intake", "Check", "Intake", "Decide"]
    assert events["department"].tolist() == ["Front", "Back", "Front", "Back"]
    assert events["resource"].tolist() == ["r1", "r2", "r1", "r2"]
    assert events["channel"].isna().all()
    assert events["begin"].iloc[0] == pd.Timestamp("2024-03-04 08:30", tz="UTC")
    assert events["end"].iloc[-1] == pd.Timestamp("2024-03-04 13:00", tz="UTC")
    assert events["service_s"].tolist() == [0.5 * HOUR, 0.5 * HOUR, HOUR, 0.5 * HOUR]
    assert events["wait_before_s"].tolist() == [0, 0.5 * HOUR, HOUR, 0.5 * HOUR]
    assert events["handoff"].tolist() == [False, True, True, True]
    assert events["rework"].tolist() == [False, False, True, False]
    assert trail.throughput_s == 4.5 * HOUR  # 08:30 → 13:00
    assert trail.working_s == 2.5 * HOUR
    assert trail.waiting_s == 2 * HOUR
    assert (trail.handoffs, trail.rework_events, trail.n_events) == (3, 1, 4)
    assert trail.departments == ("Front", "Back")
    assert trail.attributes == (("segment", "young"),)
    assert trail.timezone == log.timezone
    assert trail.deviations == () and trail.skipped == ()


def test_case_3_waits_and_a_repeat_within_one_department(log):
    # Intake(Front) 09:00-10:00, Check(Back) 10:00-10:30, Check(Back) 12:00-12:30,
    # Decide(Back) 13:00-13:30
    trail = trace_case(log, "3")
    assert trail.events["wait_before_s"].tolist() == [0, 0, 1.5 * HOUR, 0.5 * HOUR]
    assert trail.events["handoff"].tolist() == [False, True, False, False]
    assert trail.events["rework"].tolist() == [False, False, True, False]
    assert (trail.throughput_s, trail.waiting_s, trail.working_s) == (
        4.5 * HOUR,
        2 * HOUR,
        2.5 * HOUR,
    )
    assert (trail.handoffs, trail.departments) == (1, ("Front", "Back"))


def test_without_start_times_every_gap_is_waiting():
    # case 1 ends at 09:00, 10:00, 12:00, 13:00
    trail = trace_case(handworked_log(with_start=False), "1")
    assert trail.events["wait_before_s"].tolist() == [0, HOUR, 2 * HOUR, HOUR]
    assert trail.events["service_s"].isna().all()
    assert trail.working_s is None
    assert trail.waiting_s == trail.throughput_s == 4 * HOUR


def test_an_unknown_case_is_a_clear_error(log):
    with pytest.raises(LogError, match="there is no case '9' in the log"):
        trace_case(log, "9")


def test_sample_per_variant_on_the_handworked_log(log):
    # three variants of one case each, numbered by sequence on the tie:
    # 1 Intake-Check-Check-Decide (case 3), 2 Intake-Check-Intake-Decide (case 1),
    # 3 Intake-Decide (case 2)
    sample = sample_cases(log, per_variant=2, seed=1)
    assert sample[["variant", "variant_cases", "case_id"]].values.tolist() == [
        [1, 1, "3"],
        [2, 1, "1"],
        [3, 1, "2"],
    ]
    assert sample["throughput_s"].tolist() == [4.5 * HOUR, 4.5 * HOUR, 3 * HOUR]
    assert sample_cases(log, per_variant=0).empty


def test_sample_per_variant_is_reproducible_and_right_on_a_sample_log(hospital):
    sample = sample_cases(hospital, per_variant=2, seed=7)
    assert sample.equals(sample_cases(hospital, per_variant=2, seed=7))
    assert not sample.equals(sample_cases(hospital, per_variant=2, seed=8))
    variants = discover_variants(hospital).variants.set_index("variant")
    per_variant = sample.groupby("variant").size()
    expected = variants["cases"].clip(upper=2)
    assert per_variant.to_dict() == expected.to_dict()  # every variant, min(2, its cases)
    for row in sample.head(12).itertuples():
        trail = trace_case(hospital, row.case_id)
        assert tuple(trail.events["activity"]) == variants.loc[row.variant, "activities"]
        assert row.variant_cases == variants.loc[row.variant, "cases"]
        assert row.throughput_s == trail.throughput_s


def test_trails_agree_with_the_handoff_report_on_a_sample_log(hospital):
    per_case = analyse_handoffs(hospital).per_case.set_index("case_id")
    cases = sample_cases(hospital, per_variant=1, seed=3)["case_id"]
    for case_id in cases.head(15):
        trail = trace_case(hospital, case_id)
        expected = per_case.loc[case_id]
        assert trail.n_events == expected["events"]
        assert trail.throughput_s == expected["throughput_s"]
        assert trail.working_s == pytest.approx(expected["working_s"])
        assert trail.handoffs == expected["handoffs"]
        assert len(trail.departments) == expected["departments"]
        assert trail.rework_events == expected["rework_events"]
        # no step overlaps another in this log, so waiting is throughput minus working
        assert trail.waiting_s == pytest.approx(expected["waiting_s"])
        group = hospital.events.loc[hospital.events["case_id"] == case_id, "leeftijdsgroep"]
        assert trail.attributes == (("leeftijdsgroep", group.iloc[0]),)


def test_find_cases_exact_match_first_then_shorter_ids(log, hospital):
    assert find_cases(log, "2") == ("2",)
    assert find_cases(log, " 2 ") == ("2",)
    assert find_cases(log, "x") == ()
    assert find_cases(log, "") == ("1", "2", "3")
    ids = pd.Series(hospital.events["case_id"].unique())
    containing = sorted(ids[ids.str.contains("P00010")], key=lambda case: (len(case), case))
    assert find_cases(hospital, "p00010") == tuple(containing)  # ignoring case
    assert len(containing) == 6
    assert find_cases(hospital, "P000102") == ("P000102",)
    assert len(find_cases(hospital, "P", limit=5)) == 5


def test_timeline_lanes_bars_waits_and_deviations(log):
    trail = replace(
        trace_case(log, "1"), deviations=((), ("extra_step",), (), ()), skipped=("Triage",)
    )
    figure = case_timeline_figure(trail)
    bars = {trace.name: trace for trace in figure.data if trace.type == "bar"}
    assert list(bars) == ["Step", "Repeated step (rework)", "Deviation"]
    assert list(bars["Step"].text) == ["Intake", "Decide"]
    assert list(bars["Repeated step (rework)"].text) == ["Intake"]
    assert list(bars["Deviation"].text) == ["Check"]
    assert list(bars["Step"].x) == [0.5 * HOUR * 1000, 0.5 * HOUR * 1000]  # milliseconds
    # drawn in the log's zone: 08:30 UTC is 09:30 in Amsterdam
    assert pd.Timestamp(bars["Step"].base[0]) == pd.Timestamp("2024-03-04 09:30")
    assert list(figure.layout.yaxis.categoryarray) == ["Front", "Back"]
    assert [a.text for a in figure.layout.annotations] == ["1 hour", "30 minutes", "30 minutes"]
    assert figure.layout.title.text.startswith(
        "Case 1: 4 steps, throughput 4.5 hours, waiting 2 hours, 3 handoffs"
    )
    assert "Skipped intended steps: Triage" in figure.layout.title.text
    assert "Deviation: extra step" in bars["Deviation"].hovertext[0]


def test_timeline_in_dutch_and_without_start_times():
    trail = trace_case(handworked_log(with_start=False), "3")
    figure = case_timeline_figure(trail, language="nl")
    assert figure.layout.title.text == (
        "Zaak 3: 4 stappen, doorlooptijd 3,5 uur, wachten 3,5 uur, 1 overdracht"
    )
    assert figure.layout.yaxis.title.text == "Afdeling"
    assert figure.layout.separators == ",."  # 1.234,5
    markers = [trace for trace in figure.data if trace.type == "scatter" and trace.mode != "lines"]
    assert sum(len(trace.x) for trace in markers) == 4  # no durations: every step a point


def test_timeline_of_a_long_case_shows_short_steps_as_points(hospital):
    # P000102 lasts 8.7 days; its 11 steps take minutes each, its three longest waits
    # (3.9, 2.8 and 1.4 days) are the only ones above 3% of the case
    trail = trace_case(hospital, "P000102")
    assert trail.events["service_s"].max() < 0.01 * trail.throughput_s
    figure = case_timeline_figure(trail)
    points = [trace for trace in figure.data if trace.type == "scatter" and trace.mode != "lines"]
    assert [list(trace.text) for trace in points] == [[str(step) for step in range(1, 12)]]
    assert [a.text for a in figure.layout.annotations] == ["3.9 days", "2.8 days", "1.4 days"]
    assert figure.layout.yaxis.categoryarray[0] == "Spoedeisende Hulp"


def test_deviations_marked_on_the_events_they_concern(log):
    trail = trace_case(log, "1")  # Intake, Check, Intake (a repeat), Decide
    deviations = pd.DataFrame(
        [
            ("1", "repeated_step", "Intake", "Front", 1),
            ("1", "extra_step", "Check", "Back", 1),
            ("1", "wait_over_norm", "Check → Decide", "Back", 1),
            ("1", "unexpected_department", "Decide", "Front", 1),  # done in Back
            ("1", "skipped_step", "Triage", "Front", 1),
            ("1", "rule_broken", "four eyes", None, 1),  # the whole case: on no event
        ],
        columns=["case_id", "kind", "step", "department", "occurrences"],
    )
    marked = mark_deviations(trail, deviations)
    assert labels(marked) == (
        "",
        "extra step",
        "repeated step",
        "wait over the norm; handled by an unexpected department",
    )
    assert marked.skipped == ("Triage",)
    assert labels(mark_deviations(trail, deviations), "nl")[2] == "herhaalde stap"
    assert marked.events.equals(trail.events) and trail.deviations == ()


def test_deviations_from_conformance_on_a_sample_log(hospital):
    conformance = check_conformance(
        hospital, read_intended_journey(SAMPLE_LOGS / "hospital_intended.csv")
    )
    found = conformance.deviations
    for kind in ("extra_step", "repeated_step", "ended_early", "skipped_step"):
        case_id = found.loc[found["kind"] == kind, "case_id"].iloc[0]
        of_case = found[found["case_id"] == case_id]
        marked = mark_deviations(trace_case(hospital, case_id), of_case)
        events = marked.events.assign(label=list(labels(marked)))
        for step in of_case.loc[of_case["kind"] == "extra_step", "step"]:
            assert events.loc[events["activity"] == step, "label"].str.contains("extra").all()
        repeats = of_case.loc[of_case["kind"] == "repeated_step", "occurrences"].sum()
        assert events["label"].str.contains("repeated step").sum() == repeats
        waits = of_case.loc[of_case["kind"] == "wait_over_norm", "occurrences"].sum()
        assert events["label"].str.contains("wait over the norm").sum() == waits
        if kind == "ended_early":
            assert "ended before the goal" in events["label"].iloc[-1]
        skipped = of_case.loc[of_case["kind"] == "skipped_step", "step"]
        assert marked.skipped == tuple(skipped)
