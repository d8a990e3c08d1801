"""The mining and conformance charts show their results as they are, with their names in the
language asked for; on the hand-worked log (tests/handworked.py) and a three-case log over
two months, worked out by hand here.

Two months (no start times; all at 09:00 UTC, 10:00 in Amsterdam, so in the same month there):
  a: Intake 10 Jan → Decide 12 Jan                      2 days, follows Intake → Decide
  b: Intake 20 Jan → Check 20 Jan 21:00 → Decide 21 Jan  1 day, Check is an extra step
  c: Intake 3 Feb → Decide 7 Feb                        4 days, follows Intake → Decide
"""

import pandas as pd
import pytest

from discovery import (
    IntendedJourney,
    Step,
    analyse_handoffs,
    analyse_throughput,
    check_conformance,
    conformance_trend_figure,
    department_waiting_figure,
    discover_variants,
    handoff_matrix_figure,
    throughput_trend_figure,
    to_event_log,
    variant_coverage_figure,
)
from tests.handworked import handworked_log

TWO_MONTHS = [
    ("a", "Intake", "2024-01-10T09:00:00Z"),
    ("a", "Decide", "2024-01-12T09:00:00Z"),
    ("b", "Intake", "2024-01-20T09:00:00Z"),
    ("b", "Check", "2024-01-20T21:00:00Z"),
    ("b", "Decide", "2024-01-21T09:00:00Z"),
    ("c", "Intake", "2024-02-03T09:00:00Z"),
    ("c", "Decide", "2024-02-07T09:00:00Z"),
]


@pytest.fixture(scope="module")
def two_months():
    frame = pd.DataFrame(TWO_MONTHS, columns=["case_id", "activity", "timestamp"])
    return to_event_log(frame, {"timestamp": "timestamp"}, now=pd.Timestamp("2025-01-01", tz="UTC"))


@pytest.fixture(scope="module")
def handoffs():
    return analyse_handoffs(handworked_log())


def test_throughput_trend_is_the_median_in_days_per_month(two_months):
    figure = throughput_trend_figure(analyse_throughput(two_months), "nl")
    (line,) = figure.data
    assert [pd.Timestamp(moment) for moment in line.x] == [
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-02-01"),
    ]
    assert list(line.y) == [1.5, 4.0]  # January: a 2 days and b 1 day; February: c 4 days
    assert line.mode == "lines+markers"
    assert figure.layout.xaxis.title.text == "maand"
    assert figure.layout.yaxis.title.text == "dagen"
    assert figure.layout.separators == ",."


def test_variant_coverage_adds_up_the_variants_to_all_cases():
    figure = variant_coverage_figure(discover_variants(handworked_log()), "nl")
    (line,) = figure.data
    # three cases, each its own path: a third of the cases per variant
    assert list(line.x) == [1, 2, 3]
    assert list(line.y) == pytest.approx([100 / 3, 200 / 3, 100])
    assert figure.layout.xaxis.title.text == "variant"
    assert figure.layout.yaxis.title.text == "% Cumulatief aandeel zaken"
    assert list(figure.layout.yaxis.range) == [0, 101]
    assert figure.layout.separators == ",."


def test_handoff_matrix_counts_from_rows_to_columns(handoffs):
    figure = handoff_matrix_figure(handoffs, "nl")
    (heatmap,) = figure.data
    # Front → Back: case 1 twice, cases 2 and 3 once; Back → Front: case 1 once
    assert list(heatmap.x) == list(heatmap.y) == ["Back", "Front"]
    assert heatmap.z.tolist() == [[0, 1], [4, 0]]
    assert figure.layout.xaxis.title.text == "naar" and figure.layout.xaxis.side == "top"
    assert figure.layout.yaxis.title.text == "van"
    assert figure.layout.coloraxis.colorbar.title.text == "overdrachten"
    assert figure.layout.height == 120 + 50 * 2
    assert figure.layout.separators == ",."


def test_department_waiting_is_each_departments_share_of_the_wait(handoffs):
    figure = department_waiting_figure(handoffs, "nl")
    (bars,) = figure.data
    # waits before Back's events: 30 + 30 (case 1), 60 (case 2), 0 + 90 + 30 (case 3) = 240
    # minutes; before Front's: 60 (case 1's second Intake); 300 minutes in all
    assert dict(zip(bars.y, bars.x, strict=True)) == pytest.approx({"Back": 80.0, "Front": 20.0})
    assert bars.orientation == "h"
    assert figure.layout.xaxis.title.text == "% aandeel wachttijd"
    assert figure.layout.yaxis.title.text == "afdeling"
    assert figure.layout.yaxis.categoryorder == "total ascending"
    assert figure.layout.height == 60 + 32 * 2
    assert figure.layout.separators == ",."


def test_conformance_trend_is_the_share_of_conforming_cases_per_month(two_months):
    journey = IntendedJourney(steps=(Step("Intake"), Step("Decide", goal=True)))
    figure = conformance_trend_figure(check_conformance(two_months, journey), "nl")
    (line,) = figure.data
    assert list(line.x) == ["2024-01", "2024-02"]
    assert list(line.y) == [50.0, 100.0]  # January: a follows, b has an extra Check
    assert figure.layout.xaxis.title.text == "maand"
    assert figure.layout.yaxis.title.text == "zaken zonder afwijking (%)"
    assert figure.layout.separators == ",."


def test_the_charts_speak_english_by_default(two_months, handoffs):
    assert throughput_trend_figure(analyse_throughput(two_months)).layout.separators == ".,"
    assert handoff_matrix_figure(handoffs).layout.xaxis.title.text == "to"
