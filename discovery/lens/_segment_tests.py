"""The measurements segments are compared on, gathered once per log, and the tests of one
segmentation of the cases against them.

Every measurement is a sample: one value per case and place (a case's throughput time, its
wait before a step, ...). The samples are ranked once per place; the Mann-Whitney U test of
a segment against the rest then needs only the sum of its ranks, so testing another
attribute costs one pass over the samples, not one sort per segment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery.engine.in_place import InPlaceLog
from discovery.lens._journey_events import facts_of, journey_events, require_few_cases
from discovery.lens._stats import mann_whitney, normal_cdf, rank, two_proportions
from discovery.lens.complaints import detect_complaint_activities, detect_complaint_column
from discovery.lens.dropoff import analyse_dropoff, default_goals
from discovery.lens.journey import JourneyLens, step_order
from discovery.lens.stages import Stages
from discovery.log.event_log import EventLog
from discovery.mining.handoffs import analyse_handoffs

MIN_RATIO = 1.25
MIN_RATE_POINTS = 0.05
MIN_COHEN_D = 0.3
EXACT_BELOW = 9  # scipy's Mann-Whitney is exact (no normal approximation) for a side this small


@dataclass(frozen=True)
class Place:
    """One measure at one place: a value per case (`case_index` → `values`)."""

    measure: str  # throughput, drop_off, score, handoffs, stage_time, stage_wait, step_wait
    where: str | None  # the stage or step; None for case measures
    unit: str  # "seconds" (median ratio), "share" (rate difference), "mean" (Cohen's d)
    case_index: np.ndarray
    values: np.ndarray
    ranks: np.ndarray  # average ranks of `values` (empty for rates)
    ties: float  # Σ(t³ - t) over the groups of tied values


@dataclass(frozen=True)
class Samples:
    """Everything segments are compared on. `cases`: case_index, case_id, throughput_s,
    score_mean, outcome, handoffs (one row per case)."""

    cases: pd.DataFrame
    stage_visits: pd.DataFrame  # case_index, stage (name), time_s, wait_s
    places: tuple[Place, ...]


def gather_samples(
    log: EventLog | InPlaceLog,
    stages: Stages,
    goals: Sequence[str] | None,
    timeout_days: float,
    lens: JourneyLens | None = None,
) -> Samples:
    """The measurements of each case, at each place, ranked. With the log's `lens` (on
    `stages`), its journey events and drop-off are used rather than computed again."""
    if lens is not None and lens.events is not None:
        events, dropoff = lens.events, lens.dropoff
    else:
        facts = facts_of(log)
        require_few_cases(log, facts.n_cases)
        complaints = detect_complaint_activities(facts)
        complained = detect_complaint_column(facts)
        events = journey_events(log, stages.positions(), complaints, complained, None)
        goals = tuple(goals) if goals is not None else default_goals(events)
        dropoff = analyse_dropoff(events, stages, step_order(events, stages), goals, timeout_days)
    handoffs = analyse_handoffs(log).per_case.set_index("case_id")["handoffs"]
    cases = events.cases[["case_index", "case_id", "throughput_s", "score_mean"]].assign(
        outcome=dropoff.per_case["outcome"].to_numpy()
    )
    cases["handoffs"] = cases["case_id"].map(handoffs).fillna(0)
    names = dict(enumerate(stages.names))
    stage_visits = events.stage_visits.assign(stage=events.stage_visits["stage"].map(names))
    stage_visits = stage_visits[["case_index", "stage", "time_s", "wait_s"]]
    return Samples(cases, stage_visits, tuple(_places(cases, stage_visits, events.visits, stages)))


def restricted(samples: Samples, case_index: np.ndarray) -> Samples:
    """The samples of some of the cases only (ranked anew)."""
    keep = pd.Index(case_index)
    places = []
    for place in samples.places:
        inside = keep.get_indexer(place.case_index) >= 0
        places.append(_place(place.measure, place.where, place.unit,
                             place.case_index[inside], place.values[inside]))  # fmt: skip
    cases = samples.cases[samples.cases["case_index"].isin(keep)]
    stage_visits = samples.stage_visits[samples.stage_visits["case_index"].isin(keep)]
    return Samples(cases, stage_visits, tuple(places))


def _place(
    measure: str,
    where: str | None,
    unit: str,
    case_index: pd.Series | np.ndarray,
    values: pd.Series | np.ndarray,
) -> Place:
    case_index = np.asarray(case_index, dtype=np.int64)
    values = np.asarray(values, dtype=float)
    if unit == "share" or len(values) == 0:
        return Place(measure, where, unit, case_index, values, np.empty(0), 0.0)
    _, counts = np.unique(values, return_counts=True)
    ties = float((counts.astype(float) ** 3 - counts).sum())
    return Place(measure, where, unit, case_index, values, rank(values), ties)


def _places(
    cases: pd.DataFrame, stage_visits: pd.DataFrame, visits: pd.DataFrame, stages: Stages
) -> list[Place]:
    completed = cases[cases["outcome"] == "completed"]
    closed = cases[cases["outcome"] != "open"]
    scored = cases[cases["score_mean"].notna()]
    places = [
        _place("throughput", None, "seconds", completed["case_index"], completed["throughput_s"]),
        _place("drop_off", None, "share", closed["case_index"],
               closed["outcome"] == "abandoned"),
        _place("score", None, "mean", scored["case_index"], scored["score_mean"]),
        _place("handoffs", None, "mean", cases["case_index"], cases["handoffs"]),
    ]  # fmt: skip
    by_stage = dict(tuple(stage_visits.groupby("stage")))
    for stage in stages.names:
        part = by_stage.get(stage, stage_visits.iloc[:0])
        places.append(_place("stage_time", stage, "seconds", part["case_index"], part["time_s"]))
        waited = part[part["wait_s"].notna()]
        places.append(
            _place("stage_wait", stage, "seconds", waited["case_index"], waited["wait_s"])
        )
    waited = visits[visits["wait_s"].notna()]
    for activity, part in waited.groupby("activity"):
        places.append(_place("step_wait", activity, "seconds", part["case_index"], part["wait_s"]))
    return places


def segment_tests(
    samples: Samples,
    segment_of_case: pd.Series,
    compared: Sequence[str],
    min_cases: int,
) -> pd.DataFrame:
    """One row per compared segment and place where the segment and the rest each have at
    least `min_cases` cases: measure, where, segment, cases, rest_cases, value, rest_value,
    unit, effect, p_value, meaningful. `segment_of_case` maps case_index to segment."""
    names = sorted(segment_of_case.unique())
    codes_of = pd.Series(np.arange(len(names)), index=names)
    by_case = segment_of_case.map(codes_of)
    rows: list[dict[str, object]] = []
    coded = []
    for place in samples.places:
        codes = by_case.reindex(place.case_index).to_numpy()
        sizes = np.bincount(codes, minlength=len(names)) if len(codes) else np.zeros(len(names))
        rank_sums = (
            np.bincount(codes, weights=place.ranks, minlength=len(names))
            if len(place.ranks)
            else None
        )
        coded.append((place, codes, sizes, rank_sums))
    for segment in compared:
        code = int(codes_of[segment])
        for place, codes, sizes, rank_sums in coded:
            n_a, n_b = int(sizes[code]), len(codes) - int(sizes[code])
            if n_a < min_cases or n_b < min_cases:
                continue
            inside = codes == code
            a, b = place.values[inside], place.values[~inside]
            if place.unit == "share":
                rows.append(_rate_row(place, segment, a, b))
                continue
            assert rank_sums is not None  # a measure that is not a rate is ranked
            p = _mann_whitney(a, b, rank_sums[code], place.ties)
            rows.append(_row(place, segment, a, b, p))
    return pd.DataFrame(rows)


def _mann_whitney(a: np.ndarray, b: np.ndarray, rank_sum: float, ties: float) -> float:
    """Two-sided p-value of the Mann-Whitney U test from the ranks of a among a and b: the
    normal approximation with tie and continuity correction, as scipy computes it (scipy
    itself where a side is small enough for its exact test)."""
    n_a, n_b = len(a), len(b)
    if n_a < EXACT_BELOW or n_b < EXACT_BELOW:
        return mann_whitney(a, b)
    n = n_a + n_b
    u = rank_sum - n_a * (n_a + 1) / 2
    u = max(u, n_a * n_b - u)
    spread = np.sqrt(n_a * n_b / 12 * ((n + 1) - ties / (n * (n - 1))))
    if spread == 0:  # every value the same
        return 1.0
    z = (u - n_a * n_b / 2 - 0.5) / spread
    return min(1.0, 2 * normal_cdf(-z))


def _row(place: Place, segment: str, a: np.ndarray, b: np.ndarray, p: float) -> dict[str, object]:
    if place.unit == "seconds":
        value, rest = float(np.median(a)), float(np.median(b))
        effect = value / rest if rest > 0 else (1.0 if value == 0 else float("inf"))
        meaningful = effect >= MIN_RATIO or effect <= 1 / MIN_RATIO
    else:
        value, rest = float(a.mean()), float(b.mean())
        spread = ((a - value) ** 2).sum() + ((b - rest) ** 2).sum()
        pooled = np.sqrt(spread / (len(a) + len(b) - 2)) if len(a) + len(b) > 2 else 0.0
        effect = (value - rest) / pooled if pooled > 0 else 0.0
        meaningful = abs(effect) >= MIN_COHEN_D
    return _record(place, segment, len(a), len(b), value, rest, effect, p, meaningful)


def _rate_row(place: Place, segment: str, a: np.ndarray, b: np.ndarray) -> dict[str, object]:
    hits_a, hits_b = int(a.sum()), int(b.sum())
    value, rest = hits_a / len(a), hits_b / len(b)
    p = two_proportions(hits_a, len(a), hits_b, len(b))
    meaningful = abs(value - rest) >= MIN_RATE_POINTS
    return _record(place, segment, len(a), len(b), value, rest, value - rest, p, meaningful)


def _record(
    place: Place,
    segment: str,
    n_a: int,
    n_b: int,
    value: float,
    rest: float,
    effect: float,
    p: float,
    meaningful: bool,
) -> dict[str, object]:
    return {
        "measure": place.measure, "where": place.where, "segment": segment, "cases": n_a,
        "rest_cases": n_b, "value": value, "rest_value": rest, "unit": place.unit,
        "effect": effect, "p_value": p, "meaningful": bool(meaningful),
    }  # fmt: skip
