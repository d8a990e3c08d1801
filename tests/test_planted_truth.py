"""The planted ground truth of the sample logs is found by the discovery engine."""

import json

import pytest

from discovery import read_event_log
from discovery.mining.bottlenecks import find_bottlenecks
from discovery.mining.handoffs import analyse_handoffs
from tests.conftest import SAMPLE_LOGS

TRUTH = json.loads((SAMPLE_LOGS / "ground_truth.json").read_text(encoding="utf-8"))["journeys"]


@pytest.fixture(scope="module", params=sorted(TRUTH))
def sample(request):
    truth = TRUTH[request.param]
    return truth, read_event_log(SAMPLE_LOGS / truth["files"]["csv"])


def test_planted_bottleneck_ranks_first(sample):
    truth, log = sample
    top = find_bottlenecks(log).edges.iloc[0]
    assert (top["source"], top["target"]) == (
        truth["bottleneck"]["from"],
        truth["bottleneck"]["to"],
    )
    assert top["share"] == pytest.approx(
        truth["bottleneck"]["realised_share_of_total_wait"], abs=0.01
    )


def test_planted_pingpong_is_the_top_pair_at_its_rate(sample):
    truth, log = sample
    report = analyse_handoffs(log)
    top = report.pingpong.iloc[0]
    assert {top["first"], top["second"]} == set(truth["ping_pong"]["departments"])
    assert top["cases"] / report.cases == pytest.approx(truth["ping_pong"]["realised"], abs=0.01)
    assert report.share_of_cases("pingpongs") == pytest.approx(
        truth["ping_pong"]["realised"], abs=0.01
    )


def test_planted_rework_is_detected_at_its_rate(sample):
    truth, log = sample
    report = analyse_handoffs(log)
    rework = report.rework.set_index("activity")
    activity = truth["rework"]["activity"]
    assert rework.loc[activity, "cases"] / report.cases == pytest.approx(
        truth["rework"]["realised"], abs=0.01
    )
    assert rework.index[0] == activity
