"""Monitoring month by month (discovery.compare.monitor): a tiny log over three months
worked out by hand, logs merged with overlapping cases, the simulator's planted improvement,
and threshold breaches marked in exactly the months that breach."""

from __future__ import annotations

import json
from functools import cache

import pandas as pd
import pytest

from discovery import EventLog, to_event_log
from discovery.compare.monitor import Thresholds, merge_logs, monitor_log, monitor_logs
from discovery.errors import LogError
from discovery.intended.files import read_intended_journey
from discovery.intended.model import IntendedJourney, Step, WaitNorm
from discovery.simulate import IMPROVEMENT, simulate
from tests.conftest import SAMPLE_LOGS

HOUR = 3600.0
TRUTH = json.loads((SAMPLE_LOGS / "ground_truth.json").read_text(encoding="utf-8"))

# Times in Europe/Amsterdam (the log's zone); department X for Start, Y for Check and End.
# c5 starts 1 March 00:30 local, which is 28 February in UTC: it belongs to March.
# c6 stops after Start and is silent 17 days before the log's end (timeout 10 days).
CASES = {
    "c1": ("2025-01-10 08:00", [("Start", 0), ("End", 2)]),
    "c2": ("2025-01-20 08:00", [("Start", 0), ("End", 4)]),
    "c3": ("2025-02-10 08:00", [("Start", 0), ("End", 6)]),
    "c4": ("2025-02-11 08:00", [("Start", 0), ("Check", 1), ("Start", 2), ("End", 10)]),
    "c5": ("2025-03-01 00:30", [("Start", 0), ("End", 1)]),
    "c6": ("2025-03-03 08:00", [("Start", 0)]),
    "c7": ("2025-03-20 08:00", [("Start", 0), ("End", 3)]),
}
JOURNEY = IntendedJourney(
    steps=(Step("Start"), Step("End", goal=True, max_wait_hours=5)),
    norms=(WaitNorm("Start", "End", 5),),
)


def tiny_log(cases: dict[str, tuple[str, list[tuple[str, float]]]] = CASES) -> EventLog:
    rows = [
        (case, activity, "X" if activity == "Start" else "Y",
         pd.Timestamp(day) + pd.Timedelta(hours=hours))
        for case, (day, events) in cases.items() for activity, hours in events
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "department", "timestamp"])
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    return to_event_log(frame, now=pd.Timestamp("2026-01-01", tz="UTC"))


def tiny_monitor():
    return monitor_log(tiny_log(), journey=JOURNEY, timeout_days=10, top=1)


def test_months_of_a_tiny_log_worked_out_by_hand() -> None:
    months = tiny_monitor().months.set_index("month")
    assert list(months.index) == ["2025-01", "2025-02", "2025-03"]
    assert months["cases"].tolist() == [2, 2, 3]  # c5 in March, by local time
    # handoffs X → Y: 1 each; c4 X → Y → X → Y: 3; c6 none
    assert months["handoffs"].tolist() == pytest.approx([1.0, 2.0, 2 / 3])
    assert months["completed"].tolist() == [2, 2, 2]
    assert months["abandoned"].tolist() == [0, 0, 1]
    assert months["drop_off"].tolist() == pytest.approx([0.0, 0.0, 1 / 3])
    # conforming: waits within 5 h, no extra step, End reached: c1 c2 | none (c3 waits
    # 6 h, c4 has Check and a second Start) | c5 c7 (c6 never reaches End)
    assert months["conforming"].tolist() == [2, 0, 2]
    assert months["conformance"].tolist() == pytest.approx([1.0, 0.0, 2 / 3])


def test_waits_and_norms_of_the_tiny_log() -> None:
    monitor = tiny_monitor()
    # End has 24 h of waiting before it, Check and Start (c4's second) 1 h each
    assert monitor.places == ("End", "Start → End")
    waits = monitor.waits.set_index(["place", "month"])["wait_median_s"]
    assert waits["End"].tolist() == [3 * HOUR, 7 * HOUR, 2 * HOUR]  # (2, 4) (6, 8) (1, 3)
    # first Start's end to first End: (2, 4) (6, 10) (1, 3); c6 has no End
    assert waits["Start → End"].tolist() == [3 * HOUR, 8 * HOUR, 2 * HOUR]
    assert monitor.waits.set_index(["place", "month"])["waits"]["End"].tolist() == [2, 2, 2]
    assert monitor.norm_of("End") == 5 * HOUR
    assert monitor.norm_of("Start → End") == 5 * HOUR
    assert set(monitor.norms["kind"]) == {"step", "between"}


def test_breaches_are_exactly_the_months_over_each_threshold() -> None:
    limits = Thresholds(min_conformance=0.5, max_handoffs=1.5, max_wait_days=5 / 24,
                        max_drop_off=0.2)  # fmt: skip
    found = tiny_monitor().breaches(limits)
    assert list(found.itertuples(index=False, name=None)) == [
        ("2025-02", "conformance", None, 0.0, 0.5),
        ("2025-02", "handoffs", None, 2.0, 1.5),
        ("2025-02", "wait", "End", 7 * HOUR, pytest.approx(5 * HOUR)),
        ("2025-02", "wait", "Start → End", 8 * HOUR, pytest.approx(5 * HOUR)),
        ("2025-03", "drop_off", None, pytest.approx(1 / 3), 0.2),
    ]
    assert tiny_monitor().breaches(Thresholds()).empty
    # at the very value there is no breach: only over it
    assert tiny_monitor().breaches(Thresholds(max_handoffs=2.0)).empty


def test_without_a_journey_there_is_no_conformance_nor_norm() -> None:
    monitor = monitor_log(tiny_log(), timeout_days=10, top=3)
    assert monitor.months["conformance"].isna().all()
    assert monitor.norms.empty
    assert monitor.places == ("End", "Check", "Start")  # ties by name
    assert monitor.breaches(Thresholds(min_conformance=0.9)).empty


def test_an_empty_month_is_shown_empty() -> None:
    cases = {k: v for k, v in CASES.items() if k not in ("c3", "c4")}
    monitor = monitor_log(tiny_log(cases), journey=JOURNEY, timeout_days=10, top=1)
    february = monitor.months.set_index("month").loc["2025-02"]
    assert february["cases"] == 0 and pd.isna(february["handoffs"])
    waits = monitor.waits.set_index(["place", "month"])
    assert waits.loc[("End", "2025-02"), "waits"] == 0
    assert monitor.breaches(Thresholds(max_handoffs=0.1))["month"].tolist() == [
        "2025-01",
        "2025-03",
    ]


def test_logs_merged_count_an_overlapping_case_once_from_the_log_reaching_furthest() -> None:
    early = {k: CASES[k] for k in ("c1", "c2", "c3")}
    early["c4"] = ("2025-02-11 08:00", [("Start", 0), ("Check", 1)])  # export cut it short
    late = {k: CASES[k] for k in ("c3", "c4", "c5", "c6", "c7")}
    merged, overlap = merge_logs([tiny_log(early), tiny_log(late)])
    assert overlap == 2 and merged.n_cases == 7
    assert merged.n_events == tiny_log().n_events
    together = monitor_logs([tiny_log(early), tiny_log(late)], journey=JOURNEY,
                            timeout_days=10, top=1)  # fmt: skip
    whole = tiny_monitor()
    pd.testing.assert_frame_equal(together.months, whole.months)
    pd.testing.assert_frame_equal(together.waits, whole.waits)
    assert together.overlap_cases == 2


def test_nothing_to_monitor_is_said() -> None:
    with pytest.raises(LogError):
        merge_logs([])


@cache
def improved() -> EventLog:
    return to_event_log(simulate("hospital", headers="canonical", improvement=IMPROVEMENT))


def test_the_planted_improvement_shows_from_its_month_on() -> None:
    planted = TRUTH["improvement"]
    journey = read_intended_journey(SAMPLE_LOGS / "hospital_intended.csv")
    monitor = monitor_log(improved(), journey=journey)
    step = planted["step"]
    assert step in monitor.places
    assert monitor.norm_of(step) == 24 * HOUR  # hospital_intended.csv: max_wait_hours 24
    waits = monitor.waits[monitor.waits["place"] == step].set_index("month")["wait_median_s"]
    first = planted["cases_arriving_from"][:7]
    before, after = waits[waits.index < first], waits[waits.index >= first]
    assert len(before) == 6 and len(after) == 6
    assert before.min() > after.max() * 1.5  # every month before above every month after
    ratio = after.median() / before.median()
    assert ratio == pytest.approx(planted["factor"], abs=0.1)
    breached = monitor.breaches(Thresholds(max_wait_days=2.5))
    assert breached.loc[breached["place"] == step, "month"].tolist() == list(before.index)


def test_without_the_improvement_no_month_drops() -> None:
    plain = to_event_log(simulate("hospital", headers="canonical"))
    monitor = monitor_log(plain)
    waits = monitor.waits[monitor.waits["place"] == IMPROVEMENT.step]["wait_median_s"]
    assert waits.min() > 0.6 * waits.max()
