import datetime as dt

import pandas as pd
import pytest

from discovery.errors import LogError
from discovery.values.timestamps import parse_timestamps
from discovery.words import say


def utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def parse(values, **kwargs):
    return parse_timestamps(pd.Series(values, dtype=object), "datum", **kwargs)


def test_dutch_day_first_is_decided_from_a_day_above_12_and_reported():
    result = parse(["01-02-2024 09:30", "13-02-2024 10:00"])
    # Amsterdam is UTC+1 in winter.
    assert list(result.values) == [utc("2024-02-01 08:30"), utc("2024-02-13 09:00")]
    assert "decided from the data" in say(result.notes[0])
    assert "'13-02-2024 10:00'" in say(result.notes[0])


def test_month_first_is_decided_from_the_data():
    result = parse(["02/13/2024", "03/01/2024"])
    assert list(result.values) == [utc("2024-02-12 23:00"), utc("2024-02-29 23:00")]
    assert "month-first" in say(result.notes[0])


def test_undecidable_order_is_read_day_first_and_said_so():
    result = parse(["01/02/2024", "03/04/2024"])
    assert result.values.iloc[0] == utc("2024-01-31 23:00")
    assert "cannot be told from the data" in say(result.notes[0])


def test_contradicting_day_and_month_order_is_an_error_naming_rows():
    with pytest.raises(LogError) as error:
        parse_timestamps(
            pd.Series(["13/01/2024", "01/13/2024"], index=[2, 3]), "datum", source="x.csv"
        )
    message = str(error.value)
    assert "x.csv" in message and "'datum'" in message
    assert "row 2" in message and "row 3" in message


def test_iso_with_and_without_zone():
    result = parse(["2024-07-01T10:00:00+02:00", "2024-07-01 10:00", "2024-07-01T08:00:00Z"])
    assert list(result.values) == [utc("2024-07-01 08:00")] * 3


def test_dates_without_time_and_seconds_and_fractions():
    result = parse(["01-03-2024", "01-03-2024 10:00:01", "13-03-2024 10:00:01.5"])
    assert list(result.values) == [
        utc("2024-02-29 23:00"),
        utc("2024-03-01 09:00:01"),
        utc("2024-03-13 09:00:01.5"),
    ]
    assert any("mixes date formats" in say(note) for note in result.notes)


def test_excel_serials_date_cells_and_text_in_one_column():
    result = parse([dt.datetime(2024, 5, 1, 12), 45123.5, "2024-01-01", None])
    assert result.values.iloc[0] == utc("2024-05-01 10:00")
    # 45123.5 is 2023-07-16 12:00 in Excel's calendar, summer time in Amsterdam.
    assert result.values.iloc[1] == utc("2023-07-16 10:00")
    assert result.values.iloc[2] == utc("2023-12-31 23:00")
    assert pd.isna(result.values.iloc[3])


def test_impossible_and_garbage_dates_are_not_guessed():
    result = parse(["31-02-2024 10:00", "garbage", "01-03-2024 10:00"])
    assert pd.isna(result.values.iloc[0]) and pd.isna(result.values.iloc[1])
    assert result.values.iloc[2] == utc("2024-03-01 09:00")


def test_other_timezone_and_given_format():
    result = parse(["2024-01-01 12:00"], timezone="UTC")
    assert result.values.iloc[0] == utc("2024-01-01 12:00")
    given = parse(["2024|01|05"], date_format="%Y|%m|%d")
    assert given.values.iloc[0] == utc("2024-01-04 23:00")


def test_summer_time_gaps_and_repeats_are_counted():
    result = parse(["31-03-2024 02:30", "27-10-2024 02:30"])
    assert result.values.iloc[0] == utc("2024-03-31 01:00")
    assert result.values.iloc[1] == utc("2024-10-27 00:30")
    assert any("skipped" in say(note) for note in result.notes)
    assert any("occurs twice" in say(note) for note in result.notes)


def test_a_process_started_after_reading_times_starts(tmp_path):
    """Reading text times opens an in-memory DuckDB database; a child forked afterwards
    (PySpark starts Java so, with a preexec_fn) must not free it: that crashed the child."""
    import subprocess
    import sys

    parse_timestamps(pd.Series(["13-02-2024 09:30", "14-02-2024 10:00"]), "datum")
    marker = tmp_path / "started"
    code = f"open({str(marker)!r}, 'w').close()"
    subprocess.run([sys.executable, "-c", code], preexec_fn=lambda: None, check=True, timeout=60)
    assert marker.exists()
