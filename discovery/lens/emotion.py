"""The emotion curve: how customers feel per touchpoint and per stage, with 95% intervals.

Signals: every score in the log (satisfaction, NPS, sentiment) at the touchpoint where it
was given; a complaint counts as a negative signal: one per complaining case, at the
touchpoint of its first complaint event, with the value of the worst score seen in the log.
A complaint that opens its case (a log of complaint handling) is the subject of the case,
not a signal within it, and is not counted. A log without scores but with complaints gets
a curve of the share of cases at each touchpoint that did not raise their complaint there
(1 = no complaints).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd

from discovery.lens._journey_events import JourneyEvents
from discovery.lens._stats import mean_interval
from discovery.lens.stages import Stages

Scale = Literal["score", "share without complaint"]
CURVE_COLUMNS = ["scores", "complaints", "signals", "mean", "ci_low", "ci_high"]


@dataclass(frozen=True)
class EmotionCurve:
    """`by_touchpoint`: activity, stage, scores (scored events), complaints (cases whose
    first complaint, raised after the case's first event, is here), signals, mean, ci_low,
    ci_high (Student t, 95%).
    `by_stage`: stage, and the same columns, for the stage's touchpoints together; stages
    in journey order. `scale` says what the mean measures; `worst` is the value a complaint
    counts as (the lowest score in the log). Empty tables where the log has neither scores
    nor complaints."""

    by_touchpoint: pd.DataFrame
    by_stage: pd.DataFrame
    scale: Scale | None
    worst: float | None

    @property
    def available(self) -> bool:
        return self.scale is not None


def emotion_curve(events: JourneyEvents, stages: Stages) -> EmotionCurve:
    """Mean signal per touchpoint and per stage with its confidence interval."""
    cases = events.cases
    raised_later = cases["complaint_begin"] > cases["begin"]
    complaints = cases.loc[raised_later, "complaint_activity"].value_counts()
    scored = events.scores.set_index("activity")
    if not scored.empty:
        worst = float(events.cases["score_min"].min())
        table = pd.DataFrame(index=sorted(set(scored.index) | set(complaints.index)))
        table["scores"] = scored["n"].reindex(table.index).fillna(0)
        table["complaints"] = complaints.reindex(table.index).fillna(0)
        table["signals"] = table["scores"] + table["complaints"]
        table["total"] = scored["total"].reindex(table.index).fillna(0) + (
            table["complaints"] * worst
        )
        table["squares"] = scored["squares"].reindex(table.index).fillna(0) + (
            table["complaints"] * worst**2
        )
        scale: Scale | None = "score"
    elif not complaints.empty:
        worst = None
        reached = events.visits.groupby("activity").size()
        table = pd.DataFrame(index=reached.index.sort_values())
        table["scores"] = 0
        table["complaints"] = complaints.reindex(table.index).fillna(0)
        table["signals"] = reached.reindex(table.index)
        table["total"] = table["signals"] - table["complaints"]
        table["squares"] = table["total"]
        scale = "share without complaint"
    else:
        empty = pd.DataFrame(columns=["activity", "stage", *CURVE_COLUMNS])
        return EmotionCurve(empty, empty.drop(columns="activity"), None, None)
    table.index.name = "activity"
    table["stage"] = table.index.map(stages.stage_of)
    by_touchpoint = _with_interval(table.reset_index())
    sums = table.groupby("stage")[["scores", "complaints", "signals", "total", "squares"]].sum()
    sums = sums.reindex([s for s in stages.names if s in sums.index])
    sums.index.name = "stage"
    by_stage = _with_interval(sums.reset_index())
    return EmotionCurve(
        by_touchpoint[["activity", "stage", *CURVE_COLUMNS]],
        by_stage[["stage", *CURVE_COLUMNS]],
        scale,
        worst,
    )


def _with_interval(table: pd.DataFrame) -> pd.DataFrame:
    table = table.copy()
    mean, low, high = mean_interval(table["signals"], table["total"], table["squares"])
    table["mean"], table["ci_low"], table["ci_high"] = mean, low, high
    for column in ("scores", "complaints", "signals"):
        table[column] = table[column].astype("int64")
    return table
