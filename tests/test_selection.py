"""The cases behind a node, a path or one variant, on the hand-worked log (tests/handworked.py).

Waits before each event, worked out by hand (end of the previous event to this one's start):
case 1: Check 30 min, Intake 60 min, Decide 30 min; case 2: Decide 60 min;
case 3: Check 0, Check 90 min, Decide 30 min.
"""

import pytest

from discovery import apply_filters, kept_case_ids
from discovery.mining.selection import ExactVariant, cases_at_node, cases_on_edge
from discovery.words import say
from tests.handworked import handworked_log


@pytest.fixture(scope="module")
def log():
    return handworked_log()


def rows(frame):
    return [tuple(record) for record in frame.itertuples(index=False)]


def test_cases_at_an_activity_with_their_wait_before_it(log):
    assert rows(cases_at_node(log, "activity", "Check")) == [("3", 2, 5400.0), ("1", 1, 1800.0)]
    # the first Intake of a case has no wait before it; ties in wait go by case id
    assert rows(cases_at_node(log, "activity", "Intake")) == [
        ("1", 2, 3600.0),
        ("2", 1, 0.0),
        ("3", 1, 0.0),
    ]


def test_cases_at_a_department(log):
    frame = cases_at_node(log, "department", "Back")
    assert list(frame["case_id"]) == ["3", "1", "2"]
    assert list(frame["events"]) == [3, 2, 1]


def test_unknown_node_gives_no_cases(log):
    assert cases_at_node(log, "activity", "Nowhere").empty


def test_cases_along_an_activity_path_with_their_wait_on_it(log):
    assert rows(cases_on_edge(log, "activity", "Intake", "Decide")) == [
        ("2", 1, 3600.0),
        ("1", 1, 1800.0),
    ]
    assert rows(cases_on_edge(log, "activity", "Check", "Check")) == [("3", 1, 5400.0)]


def test_cases_along_a_department_path(log):
    # case 1 goes Front → Back twice (30 min each), case 2 once (60 min), case 3 once (0)
    assert rows(cases_on_edge(log, "department", "Front", "Back")) == [
        ("1", 2, 3600.0),
        ("2", 1, 3600.0),
        ("3", 1, 0.0),
    ]


def test_exact_variant_keeps_only_that_sequence(log):
    assert kept_case_ids(log, ExactVariant(("Intake", "Decide"))) == {"2"}
    assert kept_case_ids(log, ExactVariant(("Intake", "Check", "Check", "Decide"))) == {"3"}
    assert kept_case_ids(log, ExactVariant(("Intake",))) == set()
    kept = apply_filters(log, [ExactVariant(("Intake", "Check", "Intake", "Decide"))])
    assert set(kept.events["case_id"]) == {"1"}
    assert len(kept.events) == 4


def test_exact_variant_in_words():
    variant = ExactVariant(("Intake", "Decide"))
    assert say(variant.describe()) == "cases following exactly Intake → Decide"
    assert say(variant.describe(), "nl") == "zaken met precies de volgorde Intake → Decide"
