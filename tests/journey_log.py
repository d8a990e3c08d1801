"""A tiny journey log with channels, scores, another organisation, a complaint, a drop-out
and an open case; every figure of the lens on it is worked out by hand in the tests.

One time per event (UTC), January 2024; stages Apply = {Apply}, Assess = {Check, Visit},
Close = {Decide}; "Complaint filed" has no stage. Goal: Decide.

A: Apply 01 10:00 web → Check 02 10:00 phone → Visit 04 10:00 desk (Field, Partner)
   → Decide 05 10:00 letter, score 8
B: Apply 01 12:00 web → Check 03 12:00 web → Check 04 12:00 phone → Decide 06 12:00
   letter, score 4
C: Apply 02 09:00 app → Check 03 09:00 phone, score 2          (stops: abandoned)
D: Apply 20 09:00 web                                          (recent: open)
E: Apply 18 10:00 phone → Complaint filed 19 10:00 phone → Decide 20 10:00 letter, score 6
Departments: Apply and Complaint filed Front, Check and Decide Back, Visit Field.
Segment: A, B, C "young"; D, E "old". The log ends at 20 10:00.
"""

import pandas as pd

from discovery import to_event_log
from discovery.lens.stages import Stages

ROWS = [
    # case, activity, day, time, channel, score
    ("A", "Apply", 1, "10:00", "web", None),
    ("A", "Check", 2, "10:00", "phone", None),
    ("A", "Visit", 4, "10:00", "desk", None),
    ("A", "Decide", 5, "10:00", "letter", 8),
    ("B", "Apply", 1, "12:00", "web", None),
    ("B", "Check", 3, "12:00", "web", None),
    ("B", "Check", 4, "12:00", "phone", None),
    ("B", "Decide", 6, "12:00", "letter", 4),
    ("C", "Apply", 2, "09:00", "app", None),
    ("C", "Check", 3, "09:00", "phone", 2),
    ("D", "Apply", 20, "09:00", "web", None),
    ("E", "Apply", 18, "10:00", "phone", None),
    ("E", "Complaint filed", 19, "10:00", "phone", None),
    ("E", "Decide", 20, "10:00", "letter", 6),
]
DEPARTMENTS = {"Apply": "Front", "Complaint filed": "Front", "Check": "Back", "Decide": "Back",
               "Visit": "Field"}  # fmt: skip
STAGES = Stages.from_pairs(
    [("Apply", "Apply"), ("Check", "Assess"), ("Visit", "Assess"), ("Decide", "Close")]
)
DAY = 86400


def journey_log():
    frame = pd.DataFrame(ROWS, columns=["case", "activity", "day", "time", "channel", "score"])
    frame["timestamp"] = [f"2024-01-{d:02d}T{t}:00Z" for d, t in zip(frame["day"], frame["time"],
                                                                        strict=True)]  # fmt: skip
    frame["department"] = frame["activity"].map(DEPARTMENTS)
    frame["organisation"] = ["Partner" if a == "Visit" else "Own" for a in frame["activity"]]
    frame["segment"] = frame["case"].map(lambda c: "young" if c in "ABC" else "old")
    frame = frame.drop(columns=["day", "time"])
    mapping = {"case_id": "case", "timestamp": "timestamp", "score": "score"}
    return to_event_log(frame, mapping, now=pd.Timestamp("2025-01-01", tz="UTC"))
