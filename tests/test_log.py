"""The canonical log on a tiny hand-worked Dutch log: every row accounted for."""

import pandas as pd
import pytest

from discovery.errors import LogError
from discovery.log.event_log import EventLog, as_text, to_event_log
from discovery.words import say

NOW = pd.Timestamp("2024-06-01", tz="UTC")
COLUMNS = ["Zaaknummer", "Stap", "Datum", "Afdeling", "Tevredenheid", "Leeftijd"]
ROWS = [  # source row numbers 2..13 (row 1 is the header)
    ["00123", "Intake", "01-03-2024 09:00", "Balie", "8,5", "55+"],  # 2
    ["00123", "Onderzoek", "01-03-2024 11:00", "Lab", "", "55+"],  # 3
    ["123", "Intake", "13-03-2024 10:00", "Balie", "7", "18-34"],  # 4
    ["123", "Besluit", "14-03-2024 10:00", "Backoffice", "", "18-34"],  # 5
    ["123", "Besluit", "14-03-2024 10:00", "Backoffice", "", "18-34"],  # 6 identical to 5
    ["", "Intake", "01-03-2024 09:00", "Balie", "", "55+"],  # 7 no case
    ["00123", "", "01-03-2024 12:00", "Lab", "", "55+"],  # 8 no activity
    ["00123", "Besluit", "", "Backoffice", "", "55+"],  # 9 no timestamp
    ["00123", "Besluit", "31-02-2024 10:00", "Backoffice", "", "55+"],  # 10 no such date
    ["00123", "besluit ", "02-03-2024 10:00", "Backoffice", "", "55+"],  # 11 label variant
    ["12345678901234567", "Intake", "01-03-2024 08:00", "Balie", "", "35-54"],  # 12
    ["00123", "Onderzoek", "01-03-2024 11:00", "Lab", "6", "55+"],  # 13 same time as 3
]


@pytest.fixture(scope="module")
def log():
    return to_event_log(pd.DataFrame(ROWS, columns=COLUMNS, dtype=object), now=NOW)


def test_every_row_is_used_or_rejected_with_its_reason(log):
    quality = log.quality
    assert quality.rows_read == 12
    assert quality.rows_used == 8
    assert quality.rows_rejected == 4
    assert quality.rows_read == quality.rows_used + quality.rows_rejected
    rejected = quality.rejected.set_index("row")
    assert 6 not in rejected.index  # identical to row 5, but a real event until told otherwise
    assert say(rejected.loc[7, "reason"]) == "missing case id"
    assert rejected.loc[7, "column"] == "Zaaknummer"
    assert say(rejected.loc[8, "reason"]) == "missing activity"
    assert say(rejected.loc[9, "reason"]) == "missing timestamp"
    assert say(rejected.loc[10, "reason"]) == "unparseable date '31-02-2024 10:00'"
    assert rejected.loc[10, "value"] == "31-02-2024 10:00"
    assert quality.rejection_counts()["unparseable date"] == 1


def test_identical_rows_are_kept_and_counted_unless_dropped_as_asked(log):
    assert log.quality.identical_rows == 1
    assert log.quality.duplicates == "keep"
    assert log.events.loc[log.events["case_id"] == "123", "row"].tolist() == [4, 5, 6]
    finding = {f.check: f for f in log.quality.findings}["identical_rows"]
    assert (finding.count, finding.rows, finding.cases) == (1, (6,), ("123",))
    assert "row 6 = row 5" in say(finding.message) and "--drop-duplicates" in say(finding.message)
    assert "rij 6 = rij 5" in say(finding.message, "nl")
    assert log.quality.to_dict()["identical_rows"] == 1

    frame = pd.DataFrame(ROWS, columns=COLUMNS, dtype=object)
    dropped = to_event_log(frame, now=NOW, duplicates="drop")
    quality = dropped.quality
    assert (quality.rows_used, quality.rows_rejected, quality.identical_rows) == (7, 5, 1)
    assert say(quality.rejected.set_index("row").loc[6, "reason"]) == "exact duplicate of row 5"
    assert quality.duplicates == "drop" == quality.to_dict()["duplicates"]
    finding = {f.check: f for f in quality.findings}["identical_rows"]
    assert finding.severity == "info" and "dropped, as asked" in say(finding.message)


def test_identical_rows_rejected_for_another_reason_are_not_counted_as_kept():
    frame = pd.DataFrame(
        {
            "case": ["1", "1", "1", "1"],
            "activity": ["a", "b", "b", "b"],
            "time": ["2024-01-01 08:00", "", "", "2024-01-01 09:00"],
        }
    )
    log = to_event_log(frame, now=NOW)
    assert log.quality.rows_rejected == 2  # rows 3 and 4: no timestamp, one identical to 3
    assert log.quality.identical_rows == 0
    assert "identical_rows" not in {f.check for f in log.quality.findings}


def test_case_ids_are_text_and_never_merged(log):
    assert set(log.events["case_id"]) == {"00123", "123", "12345678901234567"}
    assert log.n_cases == 3


def test_events_sorted_by_case_time_then_source_position(log):
    trail = log.events[log.events["case_id"] == "00123"]
    assert trail["row"].tolist() == [2, 3, 13, 11]
    assert trail["activity"].tolist() == ["Intake", "Onderzoek", "Onderzoek", "besluit "]
    assert trail["timestamp"].iloc[0] == pd.Timestamp("2024-03-01 08:00", tz="UTC")


def test_roles_numbers_and_attributes(log):
    assert log.mapping["department"] == "Afdeling"
    assert log.mapping["score"] == "Tevredenheid"
    scores = log.events.set_index("row")["score"]
    assert scores[2] == 8.5 and scores[13] == 6.0 and pd.isna(scores[3])
    assert log.case_attributes == ("Leeftijd",)
    assert log.activities == ("Besluit", "Intake", "Onderzoek", "besluit ")
    assert log.departments == ("Backoffice", "Balie", "Lab")


def test_warnings_drop_nothing_but_are_reported(log):
    findings = {finding.check: finding for finding in log.quality.findings}
    assert findings["identical_timestamps"].count == 2  # row 13 (same time as 3) and row 6
    assert findings["identical_timestamps"].rows == (13, 6)
    assert "'Besluit' (2) ~ 'besluit ' (1)" in say(findings["activity_label_variants"].message)
    assert findings["single_event_cases"].cases == ("12345678901234567",)
    assert any("decided from the data" in say(note) for note in log.quality.notes)


def test_shuffled_rows_give_the_same_events():
    frame = pd.DataFrame(ROWS, columns=COLUMNS, dtype=object)
    frame.index = range(2, 14)
    shuffled = frame.sample(frac=1, random_state=7)
    a = to_event_log(frame, now=NOW).events
    b = to_event_log(shuffled.reset_index(drop=True), now=NOW).events
    same_columns = ["case_id", "activity", "timestamp", "department", "score"]
    # ties in time keep the order of the file, so compare as multisets per case and time
    key = ["case_id", "timestamp", "activity"]
    pd.testing.assert_frame_equal(
        a[same_columns].sort_values(key).reset_index(drop=True),
        b[same_columns].sort_values(key).reset_index(drop=True),
    )


def test_lifecycle_start_and_complete_become_one_event():
    frame = pd.DataFrame(
        {
            "case": ["c1"] * 6,
            "activity": ["A", "A", "A", "B", "C", "D"],
            "lifecycle": ["SCHEDULE", "START", "COMPLETE", "START", "complete", "suspend"],
            "timestamp": [f"2024-01-01 {h:02d}:00" for h in (8, 9, 10, 11, 12, 13)],
        }
    )
    log = to_event_log(frame, now=NOW)
    assert log.n_events == 4
    assert log.quality.merged_rows == 2
    assert log.quality.rows_used == 6
    a = log.events.set_index("activity").loc["A"]
    assert a["start_timestamp"] == pd.Timestamp("2024-01-01 08:00", tz="UTC")
    assert a["schedule_timestamp"] == pd.Timestamp("2024-01-01 07:00", tz="UTC")
    assert log.events.set_index("activity")["lifecycle"].to_dict() == {
        "A": "complete",
        "B": "start",
        "C": "complete",
        "D": "suspend",
    }
    assert any("start 1, suspend 1" in say(note) for note in log.quality.notes)


def test_excel_floats_and_large_ids_as_text():
    values = pd.Series([123.0, "00123", 12345678901234567, None, 1.5], dtype=object)
    assert as_text(values).tolist()[:3] == ["123", "00123", "12345678901234567"]
    assert pd.isna(as_text(values).iloc[3])
    assert as_text(values).iloc[4] == "1.5"


def test_a_table_with_no_usable_rows_is_a_clear_error():
    frame = pd.DataFrame({"case": ["1", "2"], "activity": ["a", "b"], "date": ["x", "y"]})
    with pytest.raises(LogError, match="no usable rows"):
        to_event_log(frame, {"timestamp": "date"}, now=NOW)


def test_usual_departments_break_ties_by_name():
    from discovery.log.event_log import usual_departments

    frame = pd.DataFrame(
        {
            "case_id": ["1", "1", "2", "2", "3"],
            "activity": ["Intake", "Check", "Intake", "Check", "Check"],
            "timestamp": [f"2024-03-04T0{h}:00:00Z" for h in range(1, 6)],
            "department": ["Front", "Back", "Desk", "Back", None],
        }
    )
    log = to_event_log(frame, now=pd.Timestamp("2025-01-01", tz="UTC"))
    # Intake: Front once, Desk once (a tie: Desk by name); Check: Back twice, one without
    assert usual_departments(log) == {"Intake": "Desk", "Check": "Back"}
    assert usual_departments(None) == {}


def test_a_filtered_log_with_other_events_gives_a_plain_log():
    """A filtered log is a plain value, its parent and the kept mask: other events make a
    log that holds them (`with_events`), whose fields `dataclasses.replace` changes."""
    import dataclasses

    from discovery import CaseAttribute, apply_filters, discover_map
    from discovery.log.event_log import FilteredLog, LoadedLog
    from tests.handworked import handworked_log

    filtered = apply_filters(handworked_log(), [CaseAttribute("segment", ("old",))])
    fewer = filtered.with_events(filtered.events.head(3))
    assert (type(fewer), fewer.n_events, fewer.n_cases) == (LoadedLog, 3, 2)
    assert isinstance(fewer, EventLog) and isinstance(filtered, EventLog)
    renamed = dataclasses.replace(filtered.with_events(filtered.events), source="old.csv")
    assert (renamed.source, renamed.n_events, filtered.source) == ("old.csv", 6, "table")
    assert discover_map(renamed).edges.equals(discover_map(filtered).edges)
    young = dataclasses.replace(filtered, keep=~filtered.keep)  # the other cases
    assert (type(young), young.n_events, young.n_cases) == (FilteredLog, 4, 1)
