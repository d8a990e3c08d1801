"""Two logs or two periods compared (discovery.compare): a tiny log worked out by hand,
a log against itself, the planted improvement, and random splits of a log without one."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pandas as pd
import pytest

from discovery import EventLog, to_event_log
from discovery.compare.logs import compare_logs, compare_periods
from discovery.simulate import IMPROVEMENT, simulate
from discovery.words import say
from tests.conftest import SAMPLE_LOGS

HOUR = 3600
TRUTH = json.loads((SAMPLE_LOGS / "ground_truth.json").read_text(encoding="utf-8"))

# Four cases a month apart on each side: Start (department X) at 08:00 local, End (Y)
# hours later. Throughput and the wait before End: a 1, 2, 3, 4 h; b 5, 6, 7, 8 h. Case b4
# starts twice (rework), half an hour apart, so its wait before End is 7.5 h.
A_ROWS = [(f"a{i}", f"2025-01-0{5 + i}", [("Start", 0), ("End", i)]) for i in range(1, 5)]
B_ROWS = [
    *((f"b{i}", f"2025-02-0{2 + i}", [("Start", 0), ("End", 4 + i)]) for i in range(1, 4)),
    ("b4", "2025-02-06", [("Start", 0), ("Start", 0.5), ("End", 8)]),
]


def tiny_log(rows: list) -> object:
    events = [
        (case, activity, "X" if activity == "Start" else "Y",
         pd.Timestamp(f"{day} 08:00") + pd.Timedelta(hours=hours))
        for case, day, steps in rows for activity, hours in steps
    ]  # fmt: skip
    frame = pd.DataFrame(events, columns=["case_id", "activity", "department", "timestamp"])
    frame["timestamp"] = frame["timestamp"].dt.strftime("%Y-%m-%d %H:%M")
    return to_event_log(frame, now=pd.Timestamp("2026-01-01", tz="UTC"))


def kpi(comparison, name: str, where: str | None = None) -> pd.Series:
    table = comparison.kpis
    rows = table[(table["name"] == name) & (table["where"].fillna("") == (where or ""))]
    assert len(rows) == 1, f"{name} {where}: {len(rows)} rows"
    return rows.iloc[0]


def test_deltas_of_a_tiny_log_worked_out_by_hand() -> None:
    comparison = compare_logs(tiny_log(A_ROWS), tiny_log(B_ROWS), min_cases=1)
    assert comparison.cases == (4, 4)
    throughput = kpi(comparison, "throughput")
    assert (throughput["a"], throughput["b"]) == (2.5 * HOUR, 6.5 * HOUR)  # medians
    assert throughput["delta"] == 4 * HOUR and throughput["effect"] == pytest.approx(2.6)
    # every b above every a, no ties: the exact Mann-Whitney p is 2 / C(8, 4)
    assert throughput["p_value"] == pytest.approx(2 / 70)
    wait = kpi(comparison, "step_wait", "End")
    assert (wait["a"], wait["b"]) == (2.5 * HOUR, 6.5 * HOUR)
    assert wait["p_value"] == pytest.approx(2 / 70)
    rework = kpi(comparison, "rework")
    assert (rework["a"], rework["b"], rework["delta"]) == (0, 0.25, 0.25)
    # two-proportion z-test: pooled 1/8, z = 0.25 / sqrt(1/8 * 7/8 * (1/4 + 1/4))
    z = 0.25 / np.sqrt(1 / 8 * 7 / 8 * 0.5)
    assert rework["p_value"] == pytest.approx(2 * (1 - 0.5 * (1 + _erf(z / np.sqrt(2)))), rel=1e-6)
    handoffs = kpi(comparison, "handoffs")  # X → Y once in every case
    assert (handoffs["a"], handoffs["b"], handoffs["effect"]) == (1, 1, 0)
    assert kpi(comparison, "pingpong")["b"] == 0
    # Holm: the two smallest p-values (2/70 each) times the number of tests
    tests = len(comparison.kpis)
    assert throughput["p_adjusted"] == pytest.approx(min(1.0, 2 / 70 * tests))
    assert not comparison.kpis["significant"].any()  # 4 cases a side: too few to be sure


def _erf(x: float) -> float:
    from math import erf

    return erf(x)


def test_a_split_of_one_log_is_the_two_logs_compared() -> None:
    both = tiny_log([*A_ROWS, *B_ROWS])
    split = compare_periods(both, pd.Timestamp("2025-02-01"), min_cases=1)
    apart = compare_logs(tiny_log(A_ROWS), tiny_log(B_ROWS), min_cases=1)
    assert split.cases == (4, 4)
    columns = ["name", "where", "a", "b", "delta", "p_value"]
    pd.testing.assert_frame_equal(split.kpis[columns], apart.kpis[columns])
    assert say(split.names[0]) == "before 2025-02-01"


@cache
def improved_log() -> EventLog:
    """The hospital log with the planted improvement (sample_logs/ground_truth.json)."""
    frame = simulate(TRUTH["improvement"]["journey"], improvement=IMPROVEMENT, headers="canonical")
    return to_event_log(frame)


@pytest.fixture(scope="module")
def improved() -> EventLog:
    return improved_log()


@pytest.fixture(scope="module")
def unchanged() -> EventLog:
    return to_event_log(simulate("hospital", headers="canonical"))


def test_a_log_compared_with_itself_shows_nothing_significant(unchanged) -> None:
    comparison = compare_logs(unchanged, unchanged)
    assert len(comparison.kpis) > 10
    assert not comparison.kpis["significant"].any()
    assert (comparison.kpis["delta"] == 0).all()
    assert comparison.highlighted.empty
    assert [m.key for m in comparison.sentences()] == ["compare.nothing"]
    assert set(comparison.edges["status"]) == {"both"}
    assert (comparison.edges["frequency_ratio"] == 1).all()


def test_the_planted_improvement_shows_first_with_its_size(improved) -> None:
    planted = TRUTH["improvement"]
    comparison = compare_periods(improved, pd.Timestamp(planted["cases_arriving_from"]))
    first = comparison.highlighted.iloc[0]
    assert (first["name"], first["where"]) == ("step_wait", planted["step"])
    assert first["improved"] and first["significant"]
    assert first["effect"] == pytest.approx(planted["factor"], rel=0.10)
    assert first["effect"] == pytest.approx(planted["realised_factor"], abs=0.01)
    sentence = say(comparison.sentences()[0], "en")
    assert sentence.startswith(f"The wait before {planted['step']} fell from a median of")
    assert say(comparison.sentences()[0], "nl").startswith(f"De wachttijd voor {planted['step']}")
    edge = comparison.edges.set_index(["source", "target"]).loc[tuple(planted["bottleneck"])]
    assert edge["wait_ratio"] == pytest.approx(planted["factor"], rel=0.10)


def test_the_same_split_without_the_improvement_shows_no_such_change(unchanged) -> None:
    comparison = compare_periods(
        unchanged, pd.Timestamp(TRUTH["improvement"]["cases_arriving_from"])
    )
    shown = comparison.highlighted
    assert not ((shown["name"] == "step_wait") & (shown["where"] == "Ontslag")).any()


def test_ten_random_splits_of_a_log_without_a_change_highlight_nothing(unchanged) -> None:
    first, last = unchanged.period
    rng = np.random.default_rng(16)
    span = (last - first).total_seconds()
    for fraction in rng.uniform(0.2, 0.8, size=10):
        moment = first + pd.Timedelta(seconds=span * fraction)
        comparison = compare_periods(unchanged, moment)
        assert comparison.highlighted.empty, (moment, comparison.highlighted[["name", "where"]])
