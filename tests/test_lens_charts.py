"""The lens's charts show its figures as they are, with their names in the language asked
for; on the tiny journey log of tests/journey_log.py, worked out by hand there."""

import dataclasses

import pandas as pd
import pytest

from discovery.lens.dropoff import NO_STAGE
from discovery.lens.journey import analyse_journey
from discovery.viz.lens_charts import emotion_figure, funnel_figure, scale_name
from tests.handworked import handworked_log
from tests.journey_log import STAGES, journey_log


@pytest.fixture(scope="module")
def lens():
    return analyse_journey(journey_log(), STAGES, goals=["Decide"], timeout_days=10, min_group=1)


def test_funnel_by_stage_splits_the_cases_that_reach_each_stage(lens):
    figure = funnel_figure(lens.dropoff, "stage", "nl")
    # Apply: 5 reach it, D is still open there; Assess: A, B, C, of whom C dropped out at
    # Check; Close: A, B and E, all completed
    assert [trace.name for trace in figure.data] == ["verder of afgerond", "nog open", "afgehaakt"]
    assert [list(trace.y) for trace in figure.data] == [["Apply", "Assess", "Close"]] * 3
    assert [list(trace.x) for trace in figure.data] == [[4, 2, 3], [1, 0, 0], [0, 1, 0]]
    assert figure.layout.separators == ",."


def test_funnel_by_step_in_journey_order(lens):
    figure = funnel_figure(lens.dropoff, "step")
    went_on, still_open, abandoned = figure.data
    assert list(went_on.y) == ["Apply", "Check", "Visit", "Decide", "Complaint filed"]
    assert list(abandoned.x) == [0, 1, 0, 0, 0]  # C stopped at Check
    assert list(still_open.x) == [1, 0, 0, 0, 0]  # D, silent for less than 10 days
    assert went_on.name == "went on or completed" and figure.layout.separators == ".,"


def test_funnel_names_the_cases_whose_last_step_has_no_stage(lens):
    by_stage = pd.DataFrame(
        {"stage": ["Apply", NO_STAGE], "reached": [5, 1], "abandoned": [0, 1], "open": [0, 0]}
    )
    dropoff = dataclasses.replace(lens.dropoff, by_stage=by_stage)
    assert list(funnel_figure(dropoff, "stage", "nl").data[0].y) == ["Apply", "(geen fase)"]
    assert list(funnel_figure(dropoff, "stage", "en").data[2].x) == [0, 1]


def test_emotion_curve_per_touchpoint_with_its_band(lens):
    figure = emotion_figure(lens.emotion, "nl")
    line = next(trace for trace in figure.data if trace.mode == "lines+markers")
    # C scored Check 2; E's complaint counts as the worst score (2); Decide: 8, 4 and 6
    assert list(line.x) == ["Check", "Complaint filed", "Decide"]
    assert list(line.y) == [2.0, 2.0, 6.0]
    assert line.name == "gemiddelde score" == figure.layout.yaxis.title.text
    high, low = (trace for trace in figure.data if trace.mode == "lines")
    assert list(low.x) == ["Decide"] and low.name == "95%-interval"  # three scores: a band
    assert list(high.y) == [pytest.approx(10.968275)]
    assert list(low.y) == [pytest.approx(1.031725)]
    assert figure.layout.separators == ",."


def test_no_emotion_curve_without_scores_or_complaints():
    figure = emotion_figure(analyse_journey(handworked_log()).emotion)
    assert not figure.data


def test_scale_names():
    assert scale_name("score") == "mean score"
    assert scale_name("share without complaint", "nl") == "aandeel zonder klacht"
