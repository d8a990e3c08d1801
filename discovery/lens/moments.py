"""Moments of truth: touchpoints whose experience most changes the outcome of the journey.

For every touchpoint and every kind of experience there, cases are split in two: those with
the experience (exposed) and the others that reached the touchpoint. The outcome rates of
the two groups are compared: the relative risk (exposed rate / other rate) is the effect
size, Fisher's exact test gives the p-value, Holm's method adjusts it for the number of
tests. A moment of truth is a comparison with both groups at least `min_group` cases,
an adjusted p-value below `alpha`, and a relative risk of at least `min_ratio`.

Experiences at a touchpoint: `long_wait` (the wait before its first occurrence is above the
touchpoint's 75th percentile), `repeated` (it occurs more than once), `low_score` (the
score given there is at or below the touchpoint's 25th percentile).
Outcomes: `drop_off` (the case was abandoned; open cases left out), `complaint` (a complaint
after the touchpoint; cases that complained before it left out), `long_throughput` (a
completed case took longer than the 75th percentile of completed cases), `low_score` (the
case's last score, given after the touchpoint, is at or below the 25th percentile of
last scores).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery.lens._journey_events import JourneyEvents
from discovery.lens._stats import fisher_exact, holm, relative_risk
from discovery.lens.findings import moment_message
from discovery.lens.stages import Stages

MOMENT_COLUMNS = [
    "touchpoint", "stage", "exposure", "threshold", "outcome", "outcome_threshold",
    "exposed_cases", "exposed_rate", "other_cases", "other_rate", "relative_risk",
    "p_value", "p_adjusted", "message",
]  # fmt: skip


CASE_COLUMNS = ["case_index", "complaint_order", "throughput_s", "last_score", "last_score_order"]


@dataclass(frozen=True)
class MomentsOfTruth:
    """`moments`: the moments of truth, strongest effect first: touchpoint, stage,
    exposure, threshold (seconds for long_wait, a score for low_score, NaN for repeated),
    outcome, outcome_threshold (seconds or score, NaN otherwise), exposed_cases,
    exposed_rate, other_cases, other_rate, relative_risk, p_value, p_adjusted, message
    (a `discovery.words.Message`: `say` puts it into words). `tested`: every comparison
    made, in the same columns (without a message)."""

    moments: pd.DataFrame
    tested: pd.DataFrame


def find_moments(
    events: JourneyEvents,
    outcome: pd.Series,
    stages: Stages,
    complaint_activities: Sequence[str],
    *,
    min_group: int = 20,
    alpha: float = 0.05,
    min_ratio: float = 1.5,
) -> MomentsOfTruth:
    """Compare outcome rates between exposed and other cases at every touchpoint."""
    cases = events.cases[CASE_COLUMNS].assign(outcome=outcome.to_numpy())
    visits = events.visits.merge(cases, on="case_index")
    touchpoints = pd.Categorical(visits["activity"])
    codes = np.asarray(touchpoints.codes)
    results = _outcomes(visits, cases, complaint_activities)
    parts = [
        _counts(codes, touchpoints.categories, exposure, result)
        for exposure in _exposures(visits, codes, len(touchpoints.categories))
        for result in results
    ]
    if not parts:
        empty = pd.DataFrame(columns=MOMENT_COLUMNS)
        return MomentsOfTruth(empty, empty)
    counts = pd.concat(parts, ignore_index=True)
    keys = ["touchpoint", "exposure", "threshold", "outcome", "outcome_threshold"]
    tested = counts[
        (counts["exposed_cases"] >= min_group)
        & (counts["other_cases"] >= min_group)
        & (counts["exposed_hits"] + counts["other_hits"] > 0)
    ].copy()
    tested["exposed_rate"] = tested["exposed_hits"] / tested["exposed_cases"]
    tested["other_rate"] = tested["other_hits"] / tested["other_cases"]
    tested["relative_risk"] = [
        relative_risk(int(a), int(n), int(b), int(m))
        for a, n, b, m in tested[["exposed_hits", "exposed_cases", "other_hits", "other_cases"]]
        .to_numpy()
        .tolist()
    ]
    tested["p_value"] = [
        fisher_exact([[a, n - a], [b, m - b]])
        for a, n, b, m in tested[["exposed_hits", "exposed_cases", "other_hits", "other_cases"]]
        .to_numpy()
        .tolist()
    ]
    tested["p_adjusted"] = holm(tested["p_value"])
    tested["stage"] = tested["touchpoint"].map(stages.stage_of)
    tested = tested.sort_values(keys).sort_values("relative_risk", ascending=False, kind="stable")
    chosen = tested[
        (tested["p_adjusted"] < alpha)
        & (tested["relative_risk"] >= min_ratio)
        & (tested["exposed_rate"] > tested["other_rate"])
    ].copy()
    chosen["message"] = [
        moment_message(
            row.exposure, row.touchpoint, row.threshold, row.outcome, row.outcome_threshold,
            row.exposed_rate, row.other_rate, int(row.exposed_cases),
        )
        for row in chosen.itertuples()
    ]  # fmt: skip
    tested = tested.assign(message=None)
    return MomentsOfTruth(
        chosen[MOMENT_COLUMNS].reset_index(drop=True),
        tested[MOMENT_COLUMNS].reset_index(drop=True),
    )


@dataclass(frozen=True)
class _Split:
    """Per visit: whether it takes part (`included`) and which side it is on (`flag`);
    `threshold` per touchpoint code, or one value."""

    name: str
    included: np.ndarray
    flag: np.ndarray
    threshold: np.ndarray | float


def _counts(codes: np.ndarray, names: pd.Index, exposure: _Split, outcome: _Split) -> pd.DataFrame:
    """Per touchpoint: exposed and other cases in the outcome's population, and hits."""
    size = len(names)
    used = exposure.included & outcome.included
    exposed, hit = used & exposure.flag, used & outcome.flag
    total = np.bincount(codes[used], minlength=size)
    exposed_cases = np.bincount(codes[exposed], minlength=size)
    return pd.DataFrame(
        {
            "touchpoint": names,
            "exposure": exposure.name,
            "threshold": exposure.threshold,
            "outcome": outcome.name,
            "outcome_threshold": outcome.threshold,
            "exposed_cases": exposed_cases,
            "exposed_hits": np.bincount(codes[exposed & hit], minlength=size),
            "other_cases": total - exposed_cases,
            "other_hits": np.bincount(codes[used & ~exposure.flag & hit], minlength=size),
        }
    )


def _exposures(visits: pd.DataFrame, codes: np.ndarray, size: int) -> list[_Split]:
    wait = visits["wait_s"].to_numpy(float)
    long = _per_touchpoint(visits["wait_s"], codes, size, 0.75)
    waited = ~np.isnan(wait) & (long[codes] > 0)
    score = visits["score_mean"].to_numpy(float)
    low = _per_touchpoint(visits["score_mean"], codes, size, 0.25)
    highest = _per_touchpoint(visits["score_mean"], codes, size, 1.0)
    scored = ~np.isnan(score) & (low[codes] < highest[codes])
    repeated = visits["occurrences"].to_numpy() > 1
    return [
        _Split("long_wait", waited, wait > long[codes], long),
        _Split("repeated", np.ones(len(visits), bool), repeated, np.nan),
        _Split("low_score", scored, score <= low[codes], low),
    ]


def _per_touchpoint(values: pd.Series, codes: np.ndarray, size: int, q: float) -> np.ndarray:
    """The q-quantile of `values` per touchpoint code (NaN where it has none)."""
    quantiles = values.groupby(codes).quantile(q)
    per_code: np.ndarray = quantiles.reindex(range(size)).to_numpy(float)
    return per_code


def _outcomes(
    visits: pd.DataFrame, cases: pd.DataFrame, complaint_activities: Sequence[str]
) -> list[_Split]:
    outcome = visits["outcome"].to_numpy()
    splits = [_Split("drop_off", outcome != "open", outcome == "abandoned", np.nan)]
    complaint = visits["complaint_order"]
    if complaint.notna().any():
        not_before = complaint.isna() | (complaint > visits["first_order"])
        eligible = not_before & ~visits["activity"].isin(complaint_activities)
        splits.append(
            _Split("complaint", eligible.to_numpy(), complaint.notna().to_numpy(), np.nan)
        )
    done = cases.loc[cases["outcome"] == "completed", "throughput_s"]
    if len(done):
        long = float(done.quantile(0.75))
        slow = (visits["throughput_s"] > long).to_numpy()
        splits.append(_Split("long_throughput", outcome == "completed", slow, long))
    last_scores = cases["last_score"].dropna()
    if len(last_scores):
        low = float(last_scores.quantile(0.25))
        later = (visits["last_score_order"] > visits["first_order"]).to_numpy()
        splits.append(_Split("low_score", later, (visits["last_score"] <= low).to_numpy(), low))
    return splits
