"""The simulator's planted improvement (discovery.simulate.IMPROVEMENT): only the waits it
names change, by its factor, and ground_truth.json says so."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from discovery.simulate import IMPROVEMENT, simulate
from tests.conftest import SAMPLE_LOGS

TRUTH = json.loads((SAMPLE_LOGS / "ground_truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def logs() -> tuple[pd.DataFrame, pd.DataFrame]:
    plain = simulate("hospital", headers="canonical")
    return plain, simulate("hospital", headers="canonical", improvement=IMPROVEMENT)


def test_ground_truth_documents_the_improvement() -> None:
    planted = TRUTH["improvement"]
    assert (planted["step"], planted["factor"]) == (IMPROVEMENT.step, IMPROVEMENT.factor)
    assert planted["cases_arriving_from"] == IMPROVEMENT.after
    assert planted["bottleneck"] == [
        TRUTH["journeys"]["hospital"]["bottleneck"]["from"],
        TRUTH["journeys"]["hospital"]["bottleneck"]["to"],
    ]


def test_only_the_waits_of_later_cases_change(logs) -> None:
    plain, improved = logs
    assert plain.shape == improved.shape
    other = [c for c in plain.columns if c not in ("start_timestamp", "timestamp")]
    pd.testing.assert_frame_equal(plain[other], improved[other])
    first = plain.groupby("case_id", observed=True)["start_timestamp"].transform("min")
    late = (first >= pd.Timestamp(IMPROVEMENT.after)).to_numpy()
    changed = (plain["start_timestamp"] != improved["start_timestamp"]).to_numpy()
    assert not changed[~late].any()  # earlier cases: the very same times
    # in later cases, the step and what follows it move; what comes before it does not
    order = plain.groupby("case_id", observed=True).cumcount()
    at = plain["activity"].astype(str) == IMPROVEMENT.step
    step_order = order.where(at).groupby(plain["case_id"], observed=True).transform("max")
    before_step = (order < step_order).to_numpy()
    assert not changed[late & before_step].any()
    assert changed[late & at.to_numpy()].all()


def test_the_wait_before_the_step_is_about_halved(logs) -> None:
    plain, improved = logs
    at = (plain["activity"].astype(str) == IMPROVEMENT.step).to_numpy()
    previous_end = plain.groupby("case_id", observed=True)["timestamp"].shift()
    first = plain.groupby("case_id", observed=True)["start_timestamp"].transform("min")
    late = (first >= pd.Timestamp(IMPROVEMENT.after)).to_numpy()
    before = (plain["start_timestamp"] - previous_end)[at & late]
    after = (improved["start_timestamp"] - previous_end)[at & late]
    assert (after / before).median() == pytest.approx(IMPROVEMENT.factor, abs=0.01)
