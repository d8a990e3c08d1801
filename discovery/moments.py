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
from typing import Literal

import numpy as np
import pandas as pd
from scipy import stats

from discovery._journey_events import JourneyEvents
from discovery._stats import holm, relative_risk
from discovery.journey_findings import moment_sentence
from discovery.stages import Stages

Exposure = Literal["long_wait", "repeated", "low_score"]
MomentOutcome = Literal["drop_off", "complaint", "long_throughput", "low_score"]
MOMENT_COLUMNS = [
    "touchpoint", "stage", "exposure", "threshold", "outcome", "outcome_threshold",
    "exposed_cases", "exposed_rate", "other_cases", "other_rate", "relative_risk",
    "p_value", "p_adjusted", "sentence_en", "sentence_nl",
]  # fmt: skip


@dataclass(frozen=True)
class MomentsOfTruth:
    """`moments`: the moments of truth, strongest effect first: touchpoint, stage,
    exposure, threshold (seconds for long_wait, a score for low_score, NaN for repeated),
    outcome, outcome_threshold (seconds or score, NaN otherwise), exposed_cases,
    exposed_rate, other_cases, other_rate, relative_risk, p_value, p_adjusted,
    sentence_en, sentence_nl. `tested`: every comparison made, in the same columns."""

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
    cases = events.cases.assign(outcome=outcome.to_numpy())
    visits = events.visits.merge(cases, on="case_index", suffixes=("", "_case"))
    exposures = _exposures(visits)
    outcomes = _outcomes(visits, cases, complaint_activities)
    pairs = exposures.merge(outcomes, on="row")
    if pairs.empty:
        empty = pd.DataFrame(columns=MOMENT_COLUMNS)
        return MomentsOfTruth(empty, empty)
    pairs["hit_exposed"] = pairs["exposed"] & pairs["hit"]
    pairs["hit_other"] = ~pairs["exposed"] & pairs["hit"]
    keys = ["touchpoint", "exposure", "threshold", "outcome", "outcome_threshold"]
    counts = pairs.groupby(keys, dropna=False).agg(
        exposed_cases=("exposed", "sum"),
        exposed_hits=("hit_exposed", "sum"),
        total=("exposed", "size"),
        other_hits=("hit_other", "sum"),
    )
    counts = counts.reset_index()
    counts["other_cases"] = counts["total"] - counts["exposed_cases"]
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
        float(stats.fisher_exact([[a, n - a], [b, m - b]]).pvalue)
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
    for language in ("en", "nl"):
        chosen[f"sentence_{language}"] = [
            moment_sentence(
                row.exposure, row.touchpoint, row.threshold, row.outcome,
                row.outcome_threshold, row.exposed_rate, row.other_rate,
                int(row.exposed_cases), language,
            )
            for row in chosen.itertuples()
        ]  # fmt: skip
    tested = tested.assign(sentence_en="", sentence_nl="")
    return MomentsOfTruth(
        chosen[MOMENT_COLUMNS].reset_index(drop=True),
        tested[MOMENT_COLUMNS].reset_index(drop=True),
    )


def _exposures(visits: pd.DataFrame) -> pd.DataFrame:
    """Rows: row (visit), touchpoint, exposure, threshold, exposed."""
    parts = []
    waited = visits[visits["wait_s"].notna()]
    threshold = waited.groupby("activity")["wait_s"].transform(lambda s: s.quantile(0.75))
    keep = threshold > 0
    parts.append(
        _exposure(waited[keep], "long_wait", threshold[keep], waited["wait_s"] > threshold)
    )
    parts.append(_exposure(visits, "repeated", np.nan, visits["occurrences"] > 1))
    scored = visits[visits["score_mean"].notna()]
    low = scored.groupby("activity")["score_mean"].transform(lambda s: s.quantile(0.25))
    varied = low < scored.groupby("activity")["score_mean"].transform("max")
    parts.append(_exposure(scored[varied], "low_score", low[varied], scored["score_mean"] <= low))
    return pd.concat(parts, ignore_index=True)


def _exposure(visits: pd.DataFrame, name: str, threshold, exposed: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": visits.index,
            "touchpoint": visits["activity"].to_numpy(),
            "exposure": name,
            "threshold": threshold if np.isscalar(threshold) else threshold.to_numpy(),
            "exposed": exposed.reindex(visits.index).to_numpy(bool),
        }
    )


def _outcomes(
    visits: pd.DataFrame, cases: pd.DataFrame, complaint_activities: Sequence[str]
) -> pd.DataFrame:
    """Rows: row (visit), outcome, outcome_threshold, hit — only for the visits whose case
    belongs to the outcome's population."""
    parts = []
    closed = visits["outcome"] != "open"
    parts.append(_outcome(visits[closed], "drop_off", np.nan, visits["outcome"] == "abandoned"))
    complaint = visits["complaint_order"]
    not_before = complaint.isna() | (complaint > visits["first_order"])
    eligible = not_before & ~visits["activity"].isin(complaint_activities)
    if complaint.notna().any():
        parts.append(_outcome(visits[eligible], "complaint", np.nan, complaint.notna()))
    done = cases.loc[cases["outcome"] == "completed", "throughput_s"]
    if len(done):
        long = float(done.quantile(0.75))
        completed = visits["outcome"] == "completed"
        parts.append(
            _outcome(visits[completed], "long_throughput", long, visits["throughput_s"] > long)
        )
    last_scores = cases["last_score"].dropna()
    if len(last_scores):
        low = float(last_scores.quantile(0.25))
        later = visits["last_score_order"] > visits["first_order"]
        parts.append(_outcome(visits[later], "low_score", low, visits["last_score"] <= low))
    return pd.concat(parts, ignore_index=True)


def _outcome(visits: pd.DataFrame, name: str, threshold: float, hit: pd.Series) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "row": visits.index,
            "outcome": name,
            "outcome_threshold": threshold,
            "hit": hit.reindex(visits.index).to_numpy(bool),
        }
    )
