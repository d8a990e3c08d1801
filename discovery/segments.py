"""Segments and personas side by side: KPIs per segment and the differences that matter.

Each segment is compared with all other cases together (one against the rest; with two
segments, one comparison). Durations, scores and handoffs are tested with the Mann-Whitney
U test, the drop-off rate with the two-proportion z-test; p-values are adjusted with Holm's
method over every comparison made, so noise across many measures is not flagged. A
difference is highlighted when it is significant (adjusted p below `alpha`) *and* large
enough to matter: medians of durations at least 25% apart (ratio ≥ 1.25 or ≤ 0.8), drop-off
rates at least 5 percentage points apart, mean scores and handoffs at least 0.3 pooled
standard deviations apart (Cohen's d). Groups smaller than `min_cases` are not tested.

>>> comparison = compare_segments(log, "age_group")  # doctest: +SKIP
>>> comparison.differences[["segment", "measure", "where", "sentence_en"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery._journey_events import journey_events
from discovery._stats import holm, mann_whitney, two_proportions
from discovery.complaints import detect_complaint_activities, detect_complaint_column
from discovery.dropoff import analyse_dropoff, default_goals, records
from discovery.errors import LogError
from discovery.handoffs import analyse_handoffs
from discovery.journey import DEFAULT_TIMEOUT_DAYS, step_order
from discovery.journey_findings import segment_sentence
from discovery.log import EventLog
from discovery.stages import Stages, suggest_stages

MIN_RATIO = 1.25
MIN_RATE_POINTS = 0.05
MIN_COHEN_D = 0.3
MAX_PLAIN_VALUES = 10
TEST_COLUMNS = [
    "measure", "where", "segment", "cases", "rest_cases", "value", "rest_value", "unit",
    "effect", "p_value", "p_adjusted", "significant", "meaningful", "highlighted",
    "sentence_en", "sentence_nl",
]  # fmt: skip


@dataclass(frozen=True)
class SegmentComparison:
    """`kpis`: segment, cases, completed, open, abandoned, drop_off_rate (abandoned / not
    open), throughput_median_s (completed cases), score_mean, handoffs_per_case.
    `stage_times`: segment, stage, cases, time_median_s, wait_median_s.
    `tests`: measure (throughput, drop_off, score, handoffs, stage_time, stage_wait,
    step_wait), where (the stage or step; None for case measures), segment, cases,
    rest_cases, value / rest_value (median for durations, rate, or mean), unit ("seconds",
    "share", "mean"), effect (ratio of medians for durations; difference for rates;
    Cohen's d for scores and handoffs), p_value, p_adjusted (Holm), significant,
    meaningful, highlighted, sentence_en, sentence_nl; highlighted first.
    """

    attribute: str
    kpis: pd.DataFrame
    stage_times: pd.DataFrame
    tests: pd.DataFrame

    @property
    def differences(self) -> pd.DataFrame:
        """The highlighted differences: significant and large enough to matter."""
        return self.tests[self.tests["highlighted"]].reset_index(drop=True)

    def to_dict(self) -> dict:
        return {
            "attribute": self.attribute,
            "kpis": records(self.kpis),
            "stage_times": records(self.stage_times),
            "differences": records(self.differences),
            "tests": len(self.tests),
        }


def segment_values(log: EventLog, attribute: str, bins: int = 4) -> pd.Series:
    """Each case's segment (indexed by case_id): its first non-empty value of `attribute`.
    A numeric attribute with more than ten values is cut into `bins` groups of about equal
    size, named by the values in them ("34–52"); cases without a value are in segment "(none)"."""
    if not log.has(attribute):
        known = ", ".join(log.case_attributes) or "none"
        raise LogError(f"the log has no column '{attribute}'; its case attributes: {known}")
    values = log.events[["case_id", attribute]].dropna().drop_duplicates("case_id")
    values = values.set_index("case_id")[attribute]
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.notna().all() and numbers.nunique() > MAX_PLAIN_VALUES:
        group = pd.Series(pd.qcut(numbers, bins, labels=False, duplicates="drop"), numbers.index)
        ranges = numbers.groupby(group).agg(["min", "max"])
        labels = {
            g: f"{r['min']:g}" if r["min"] == r["max"] else f"{r['min']:g}–{r['max']:g}"
            for g, r in ranges.iterrows()
        }
        values = group.map(labels)
    else:
        values = values.astype(str)
    cases = pd.Index(log.events["case_id"].unique())
    return values.reindex(cases).fillna("(none)")


def compare_segments(
    log: EventLog,
    attribute: str,
    *,
    stages: Stages | None = None,
    segments: Sequence[str] | None = None,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    alpha: float = 0.05,
    min_cases: int = 20,
    bins: int = 4,
) -> SegmentComparison:
    """KPIs per segment of `attribute` and tested differences; `segments` limits the
    comparison to those values (cases of other segments are left out). A log without cases
    (filters that keep none) is a ValueError."""
    if log.n_events == 0:
        raise ValueError("the log has no cases to compare segments of")
    stages = stages if stages is not None else suggest_stages(log)
    complaints = detect_complaint_activities(log)
    events = journey_events(log, stages.positions(), complaints, detect_complaint_column(log), None)
    goals = tuple(goals) if goals is not None else default_goals(events)
    dropoff = analyse_dropoff(events, stages, step_order(events, stages), goals, timeout_days)
    handoffs = analyse_handoffs(log).per_case.set_index("case_id")["handoffs"]
    cases = events.cases[["case_index", "case_id", "throughput_s", "score_mean"]].assign(
        outcome=dropoff.per_case["outcome"].to_numpy()
    )
    cases["segment"] = cases["case_id"].map(segment_values(log, attribute, bins))
    cases["handoffs"] = cases["case_id"].map(handoffs).fillna(0)
    if segments is not None:
        cases = cases[cases["segment"].isin([str(s) for s in segments])]
    names = dict(enumerate(stages.names))
    stage_visits = events.stage_visits.assign(stage=events.stage_visits["stage"].map(names))
    by_case = cases.set_index("case_index")["segment"]
    stage_visits = stage_visits[stage_visits["case_index"].isin(by_case.index)]
    stage_visits["segment"] = stage_visits["case_index"].map(by_case)
    visits = events.visits[events.visits["case_index"].isin(by_case.index)]
    visits = visits.assign(segment=visits["case_index"].map(by_case))
    tests = _tests(cases, stage_visits, visits, stages, min_cases)
    if not tests.empty:
        tests["p_adjusted"] = holm(tests["p_value"])
        tests["significant"] = tests["p_adjusted"] < alpha
        tests["highlighted"] = tests["significant"] & tests["meaningful"]
        for language in ("en", "nl"):
            tests[f"sentence_{language}"] = [
                segment_sentence(
                    attribute, r.segment, r.measure, r.where, r.value, r.rest_value, r.unit,
                    language,
                )
                for r in tests.itertuples()
            ]  # fmt: skip
        tests = tests.sort_values("p_adjusted", kind="stable").sort_values(
            "highlighted", ascending=False, kind="stable"
        )
    return SegmentComparison(
        attribute=attribute,
        kpis=_kpis(cases),
        stage_times=_stage_times(stage_visits, stages),
        tests=tests.reindex(columns=TEST_COLUMNS).reset_index(drop=True),
    )


def _kpis(cases: pd.DataFrame) -> pd.DataFrame:
    grouped = cases.groupby("segment")
    table = pd.DataFrame({"cases": grouped.size()})
    for outcome in ("completed", "open", "abandoned"):
        table[outcome] = grouped["outcome"].agg(lambda s, o=outcome: int((s == o).sum()))
    table["drop_off_rate"] = table["abandoned"] / (table["cases"] - table["open"])
    completed = cases[cases["outcome"] == "completed"]
    table["throughput_median_s"] = completed.groupby("segment")["throughput_s"].median()
    table["score_mean"] = grouped["score_mean"].mean()
    table["handoffs_per_case"] = grouped["handoffs"].mean()
    return table.reset_index()


def _stage_times(stage_visits: pd.DataFrame, stages: Stages) -> pd.DataFrame:
    grouped = stage_visits.groupby(["segment", "stage"])
    table = grouped.agg(
        cases=("case_index", "size"), time_median_s=("time_s", "median"),
        wait_median_s=("wait_s", "median"),
    ).reset_index()  # fmt: skip
    order = {name: i for i, name in enumerate(stages.names)}
    table = table.sort_values(["segment", "stage"], key=lambda c: c.map(order) if c.name ==
                              "stage" else c)  # fmt: skip
    return table.reset_index(drop=True)


def _tests(
    cases: pd.DataFrame,
    stage_visits: pd.DataFrame,
    visits: pd.DataFrame,
    stages: Stages,
    min_cases: int,
) -> pd.DataFrame:
    segments = sorted(cases["segment"].unique())
    compared = segments[:1] if len(segments) == 2 else segments
    rows: list[dict] = []
    completed = cases[cases["outcome"] == "completed"]
    closed = cases[cases["outcome"] != "open"]
    scored = cases[cases["score_mean"].notna()]
    for segment in compared:
        rows += _durations(completed, "throughput_s", "throughput", None, segment, min_cases)
        rows += _rate(closed, segment, min_cases)
        rows += _means(scored, "score_mean", "score", segment, min_cases)
        rows += _means(cases, "handoffs", "handoffs", segment, min_cases)
        for stage in stages.names:
            part = stage_visits[stage_visits["stage"] == stage]
            rows += _durations(part, "time_s", "stage_time", stage, segment, min_cases)
            waited = part[part["wait_s"].notna()]
            rows += _durations(waited, "wait_s", "stage_wait", stage, segment, min_cases)
        for activity, part in visits[visits["wait_s"].notna()].groupby("activity"):
            rows += _durations(part, "wait_s", "step_wait", activity, segment, min_cases)
    return pd.DataFrame(rows)


def _split(frame: pd.DataFrame, column: str, segment: str) -> tuple[np.ndarray, np.ndarray]:
    inside = frame["segment"] == segment
    return (
        frame.loc[inside, column].to_numpy(float),
        frame.loc[~inside, column].to_numpy(float),
    )


def _row(measure, where, segment, a, b, value, rest, unit, effect, p, meaningful) -> dict:
    return {
        "measure": measure, "where": where, "segment": segment, "cases": len(a),
        "rest_cases": len(b), "value": value, "rest_value": rest, "unit": unit,
        "effect": effect, "p_value": p, "meaningful": bool(meaningful),
    }  # fmt: skip


def _durations(frame, column, measure, where, segment, min_cases) -> list[dict]:
    a, b = _split(frame, column, segment)
    if len(a) < min_cases or len(b) < min_cases:
        return []
    value, rest = float(np.median(a)), float(np.median(b))
    ratio = value / rest if rest > 0 else (1.0 if value == 0 else float("inf"))
    meaningful = ratio >= MIN_RATIO or ratio <= 1 / MIN_RATIO
    p = mann_whitney(a, b)
    return [_row(measure, where, segment, a, b, value, rest, "seconds", ratio, p, meaningful)]


def _means(frame, column, measure, segment, min_cases) -> list[dict]:
    a, b = _split(frame, column, segment)
    if len(a) < min_cases or len(b) < min_cases:
        return []
    value, rest = float(a.mean()), float(b.mean())
    spread = ((a - value) ** 2).sum() + ((b - rest) ** 2).sum()
    pooled = np.sqrt(spread / (len(a) + len(b) - 2)) if len(a) + len(b) > 2 else 0.0
    d = (value - rest) / pooled if pooled > 0 else 0.0
    p = mann_whitney(a, b)
    return [_row(measure, None, segment, a, b, value, rest, "mean", d, p, abs(d) >= MIN_COHEN_D)]


def _rate(closed: pd.DataFrame, segment: str, min_cases: int) -> list[dict]:
    inside = closed["segment"] == segment
    abandoned = closed["outcome"] == "abandoned"
    n_a, n_b = int(inside.sum()), int((~inside).sum())
    if n_a < min_cases or n_b < min_cases:
        return []
    hits_a, hits_b = int((inside & abandoned).sum()), int((~inside & abandoned).sum())
    value, rest = hits_a / n_a, hits_b / n_b
    p = two_proportions(hits_a, n_a, hits_b, n_b)
    row = _row("drop_off", None, segment, range(n_a), range(n_b), value, rest, "share",
               value - rest, p, abs(value - rest) >= MIN_RATE_POINTS)  # fmt: skip
    return [row]
