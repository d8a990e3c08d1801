import pytest

from discovery.mining.bottlenecks import find_bottlenecks
from discovery.words import format_duration, say
from tests.handworked import handworked_log


@pytest.fixture(scope="module")
def bottlenecks():
    return find_bottlenecks(handworked_log())


def test_edges_ranked_by_total_waiting(bottlenecks):
    edges = bottlenecks.edges
    # totals (min): Check→Check 90, Intake→Decide 90, Check→Intake 60, Intake→Check 30,
    # Check→Decide 30; all 300
    assert list(zip(edges["source"], edges["target"], strict=True))[:3] == [
        ("Check", "Check"),
        ("Intake", "Decide"),
        ("Check", "Intake"),
    ]
    assert edges["wait_total_s"].tolist() == [5400, 5400, 3600, 1800, 1800]
    assert edges["share"].iloc[0] == pytest.approx(0.3)
    assert edges["target_department"].iloc[1] == "Back"


def test_activities_ranked_by_waiting_before_them(bottlenecks):
    activities = bottlenecks.activities.set_index("activity")
    assert activities.loc["Check", "wait_total_s"] == 120 * 60
    assert activities.loc["Check", "wait_median_s"] == 30 * 60
    assert activities.loc["Intake", "wait_total_s"] == 60 * 60
    # only the second Intake of case 1 follows another event: the first events wait for nothing
    assert activities.loc["Intake", ["events", "cases"]].tolist() == [1, 1]
    assert activities.loc["Intake", "wait_median_s"] == 60 * 60
    # Check: case 1 waits 30 min, case 3 0 and 90; Decide: 30, 60 and 30 min
    assert activities.loc["Check", ["events", "cases"]].tolist() == [3, 2]
    assert activities.loc["Decide", ["events", "cases", "wait_median_s"]].tolist() == [3, 3, 1800]
    assert activities.loc["Decide", "share"] == pytest.approx(0.4)


def test_sentences_in_english_and_dutch(bottlenecks):
    assert say(bottlenecks.messages()[0], "en") == (
        "Cases wait a median of 1.5 hours between Check (Back) and Check (Back); "
        "1 case, 30% of all waiting time."
    )
    assert say(bottlenecks.messages()[1], "nl") == (
        "Zaken wachten mediaan 45 minuten tussen Intake (Front) en Decide (Back); "
        "2 zaken, 30% van alle wachttijd."
    )
    assert say(bottlenecks.activity_messages()[0], "nl").startswith(
        "Voor Check (Back) wachten zaken"
    )


@pytest.mark.parametrize(
    ("seconds", "en", "nl"),
    [
        (90, "1.5 minutes", "1,5 minuten"),
        (3600, "1 hour", "1 uur"),
        (86400 * 12, "12 days", "12 dagen"),
        (float("nan"), "—", "—"),
    ],
)
def test_durations_in_words(seconds, en, nl):
    assert format_duration(seconds, "en") == en
    assert format_duration(seconds, "nl") == nl
