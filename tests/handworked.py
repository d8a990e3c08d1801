"""A tiny log whose every figure is worked out by hand in the tests.

Case 1: Intake(Front) 09:00 → Check(Back) 10:00 → Intake(Front) 12:00 → Decide(Back) 13:00
Case 2: Intake(Front) 09:00 → Decide(Back) 11:00
Case 3: Intake(Front) 10:00 → Check(Back) 10:30 → Check(Back) 12:30 → Decide(Back) 13:30
All on Monday 2024-03-04 (UTC), starts where given; resources r1..r3; segment: case 1
"young", cases 2 and 3 "old".
"""

import pandas as pd

from discovery import to_event_log

ROWS = [
    # case, activity, department, resource, start, end
    ("1", "Intake", "Front", "r1", "08:30", "09:00"),
    ("1", "Check", "Back", "r2", "09:30", "10:00"),
    ("1", "Intake", "Front", "r1", "11:00", "12:00"),
    ("1", "Decide", "Back", "r2", "12:30", "13:00"),
    ("2", "Intake", "Front", "r1", "08:00", "09:00"),
    ("2", "Decide", "Back", "r3", "10:00", "11:00"),
    ("3", "Intake", "Front", "r1", "09:00", "10:00"),
    ("3", "Check", "Back", "r2", "10:00", "10:30"),
    ("3", "Check", "Back", "r3", "12:00", "12:30"),
    ("3", "Decide", "Back", "r2", "13:00", "13:30"),
]


def handworked_log(with_start: bool = True):
    frame = pd.DataFrame(
        ROWS, columns=["case_id", "activity", "department", "resource", "start", "end"]
    )
    frame["segment"] = frame["case_id"].map({"1": "young", "2": "old", "3": "old"})
    frame["start"] = "2024-03-04T" + frame["start"] + ":00Z"
    frame["end"] = "2024-03-04T" + frame["end"] + ":00Z"
    if not with_start:
        frame = frame.drop(columns="start")
    mapping = {"timestamp": "end", **({"start_timestamp": "start"} if with_start else {})}
    return to_event_log(frame, mapping, now=pd.Timestamp("2025-01-01", tz="UTC"))


def many_values_log(values: int, level: str = "activity"):
    """`values` distinct values at `level`: case i (of values - 1) goes from "V<i>" to "End",
    one hour apart; activities "Start" then "Finish" where the level is not the activity.

    Built with `with_events`, which skips the quality checks (they compare every pair of
    labels) so that tens of thousands of values are quick.
    """
    cases = [f"{i:05d}" for i in range(values - 1)]
    first = pd.Timestamp("2024-03-04 09:00", tz="UTC")
    events = pd.DataFrame(
        {
            "case_id": [case for case in cases for _ in range(2)],
            "activity": ["Start", "Finish"] * len(cases),
            "timestamp": [first, first + pd.Timedelta(hours=1)] * len(cases),
            "position": range(2 * len(cases)),
            "row": range(2, 2 * len(cases) + 2),
        }
    )
    events[level] = [name for case in cases for name in (f"V{case}", "End")]
    events["case_id"] = events["case_id"].astype("str")
    frame = events.head(2).drop(columns=["position", "row"])
    mapping = {"timestamp": "timestamp", level: level}
    small = to_event_log(frame, mapping, now=pd.Timestamp("2025-01-01", tz="UTC"))
    return small.with_events(events)
