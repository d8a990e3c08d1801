import pandas as pd
import pytest

from discovery.mining.timing import WorkingHours, analyse_throughput, time_between
from tests.handworked import handworked_log

HOUR = 3600


@pytest.fixture(scope="module")
def log():
    return handworked_log()


def test_throughput_per_case_distribution_trend_and_segments(log):
    result = analyse_throughput(log, segment="segment")
    per_case = result.per_case.set_index("case_id")["throughput_s"]
    assert per_case.to_dict() == {"1": 4.5 * HOUR, "2": 3 * HOUR, "3": 4.5 * HOUR}
    assert result.median_s == 4.5 * HOUR
    assert result.distribution[0.5] == 4.5 * HOUR
    assert result.trend["cases"].tolist() == [3]
    assert result.trend["period"].iloc[0] == pd.Timestamp("2024-03-01")
    segments = result.by_segment.set_index("segment")
    assert segments.loc["old", "cases"] == 2
    assert segments.loc["old", "median_s"] == 3.75 * HOUR
    assert segments.loc["young", "mean_s"] == 4.5 * HOUR


def test_time_between_two_activities(log):
    table = time_between(log, "Intake", "Decide").set_index("case_id")
    assert table["seconds"].to_dict() == {"1": 4 * HOUR, "2": 2 * HOUR, "3": 3.5 * HOUR}
    assert time_between(log, "Decide", "Intake").empty


def test_working_hours_skip_nights_and_weekends():
    calendar = WorkingHours(9, 17)
    # Friday 16:00 → Monday 10:00 Amsterdam (UTC+1): one hour on Friday, one on Monday
    start = pd.Series([pd.Timestamp("2024-03-08 15:00", tz="UTC")])
    end = pd.Series([pd.Timestamp("2024-03-11 09:00", tz="UTC")])
    assert calendar.seconds_between(start, end, "Europe/Amsterdam").iloc[0] == 2 * HOUR
    # Saturday to Sunday: nothing; 20:00 to 08:00 next weekday: nothing
    weekend = pd.Series([pd.Timestamp("2024-03-09 10:00", tz="UTC")])
    sunday = pd.Series([pd.Timestamp("2024-03-10 15:00", tz="UTC")])
    assert calendar.seconds_between(weekend, sunday, "Europe/Amsterdam").iloc[0] == 0
    holiday = WorkingHours(9, 17, holidays=("2024-03-11",))
    assert holiday.seconds_between(start, end, "Europe/Amsterdam").iloc[0] == 1 * HOUR


def test_throughput_in_working_hours(log):
    result = analyse_throughput(log, calendar=WorkingHours(9, 17))
    # case 2: 09:00 → 12:00 Amsterdam, all within office hours
    assert result.per_case.set_index("case_id").loc["2", "throughput_s"] == 3 * HOUR
