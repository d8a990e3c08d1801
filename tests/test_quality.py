"""Each quality warning on a small log built for it; warnings never drop a row."""

import pandas as pd

from discovery import to_event_log
from discovery.quality import find_similar_labels

NOW = pd.Timestamp("2024-06-01", tz="UTC")


def findings(rows, columns=("case", "activity", "start", "end")):
    frame = pd.DataFrame(rows, columns=list(columns))
    mapping = {"timestamp": "end", **({"start_timestamp": "start"} if "start" in columns else {})}
    log = to_event_log(frame, mapping, timezone="UTC", now=NOW)
    assert log.n_events == len(rows)  # warnings drop nothing
    return {finding.check: finding for finding in log.quality.findings}


def test_end_before_start_future_and_old_dates():
    found = findings(
        [
            ("a", "Intake", "2024-01-02 10:00", "2024-01-02 09:00"),  # row 2: ends first
            ("a", "Besluit", "2024-01-03 10:00", "2024-01-03 11:00"),
            ("b", "Intake", "2024-07-01 10:00", "2024-07-01 11:00"),  # row 4: future
            ("c", "Intake", "1900-01-01 10:00", "1900-01-01 11:00"),  # row 5: placeholder
        ]
    )
    assert found["end_before_start"].rows == (2,)
    assert found["future_dates"].rows == (4,) and found["future_dates"].cases == ("b",)
    assert found["old_dates"].rows == (5,)
    assert "before 1990" in found["old_dates"].message


def test_long_cases_stand_out_from_the_rest():
    rows = [(f"c{i}", step, None, f"2023-01-0{d} 10:00") for i in range(8) for step, d in
            (("Intake", 1), ("Besluit", 2))]  # fmt: skip
    rows += [
        ("slow", "Intake", None, "2020-01-01 10:00"),
        ("slow", "Besluit", None, "2023-01-01 10:00"),
    ]
    found = findings(rows)
    assert found["long_cases"].cases == ("slow",)
    assert "single_event_cases" not in found


def test_a_clean_log_has_no_warnings():
    found = findings(
        [
            ("a", "Intake", "2024-01-02 08:00", "2024-01-02 09:00"),
            ("a", "Besluit", "2024-01-03 10:00", "2024-01-03 11:00"),
        ]
    )
    assert found == {}


def test_similar_labels_by_case_spacing_and_one_typo_but_not_digits():
    labels = ["Intake", "intake ", "Beoordeling", "Beoordelnig", "Lab 1", "Lab 2", "Besluit"]
    assert find_similar_labels(labels) == [("Intake", "intake "), ("Beoordeling", "Beoordelnig")]
