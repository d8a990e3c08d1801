"""Segments and personas side by side: KPIs per segment and the differences that matter;
and the segments that stand out, found without being asked (`discover_segments`).

Each segment is compared with all other cases together (one against the rest; with two
segments, one comparison). Durations, scores and handoffs are tested with the Mann-Whitney
U test, the drop-off rate with the two-proportion z-test; p-values are adjusted with Holm's
method over every comparison made, so noise across many measures is not flagged. A
difference is highlighted when it is significant (adjusted p below `alpha`) *and* large
enough to matter: medians of durations at least 25% apart (ratio ≥ 1.25 or ≤ 0.8), drop-off
rates at least 5 percentage points apart, mean scores and handoffs at least 0.3 pooled
standard deviations apart (Cohen's d). Groups smaller than `min_cases` are not tested.

>>> comparison = compare_segments(log, "age_group")  # doctest: +SKIP
>>> comparison.differences[["segment", "measure", "where", "message"]]  # doctest: +SKIP
>>> [say(m, "nl") for m in discover_segments(log).differences["message"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine.in_place import InPlaceLog, run_in_place
from discovery.errors import LogError
from discovery.lens._journey_events import in_place_table
from discovery.lens._segment_tests import Samples, gather_samples, restricted, segment_tests
from discovery.lens._stats import holm
from discovery.lens.findings import difference_message, segment_message
from discovery.lens.journey import DEFAULT_TIMEOUT_DAYS, JourneyLens
from discovery.lens.stages import Stages, suggest_stages
from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE
from discovery.mining.filters import CaseAttribute
from discovery.mining.summary import summarize
from discovery.words import Language, message

MAX_PLAIN_VALUES = 10
MAX_SEGMENTS = 12  # an attribute with more segments (after cutting numbers) is not a segment
TEST_COLUMNS = [
    "measure", "where", "segment", "cases", "rest_cases", "value", "rest_value", "unit",
    "effect", "p_value", "p_adjusted", "significant", "meaningful", "highlighted",
    "message",
]  # fmt: skip


@dataclass(frozen=True)
class SegmentComparison:
    """`kpis`: segment, cases, completed, open, abandoned, drop_off_rate (abandoned / not
    open), throughput_median_s (completed cases), score_mean, handoffs_per_case.
    `stage_times`: segment, stage, cases, time_median_s, wait_median_s; `stage_order`:
    the stages compared, in journey order.
    `tests`: measure (throughput, drop_off, score, handoffs, stage_time, stage_wait,
    step_wait), where (the stage or step; None for case measures), segment, cases,
    rest_cases, value / rest_value (median for durations, rate, or mean), unit ("seconds",
    "share", "mean"), effect (ratio of medians for durations; difference for rates;
    Cohen's d for scores and handoffs), p_value, p_adjusted (Holm), significant,
    meaningful, highlighted, message (a `discovery.words.Message`); highlighted first.
    """

    attribute: str
    kpis: pd.DataFrame
    stage_times: pd.DataFrame
    tests: pd.DataFrame
    stage_order: Stages

    @property
    def differences(self) -> pd.DataFrame:
        """The highlighted differences: significant and large enough to matter."""
        return self.tests[self.tests["highlighted"]].reset_index(drop=True)

    @property
    def segments(self) -> tuple[str, ...]:
        """The segments compared, in the order of `kpis`."""
        return tuple(self.kpis["segment"].astype(str))

    @property
    def leading_segment(self) -> str:
        """The segment to look at first: that of the first highlighted difference (the
        strongest), else the first segment. An IndexError when no segment was compared."""
        differences = self.differences
        return str(differences["segment"].iloc[0]) if len(differences) else self.segments[0]

    def by_stage(self, column: Literal["time_median_s", "wait_median_s"]) -> pd.DataFrame:
        """`column` of `stage_times` with a row per stage (in journey order, those some
        segment visits) and a column per segment; NaN where a segment skips a stage."""
        table = self.stage_times.pivot(index="stage", columns="segment", values=column)
        return table.reindex([s for s in self.stage_order.names if s in table.index])

    def to_dict(self, language: Language = "en") -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): attribute, kpis, stage_times, the highlighted
        differences (each said in `language` as its `sentence`), and how many tests were
        made."""
        return to_json_dict(
            {
                "attribute": self.attribute,
                "kpis": self.kpis,
                "stage_times": self.stage_times,
                "differences": self.differences,
                "tests": len(self.tests),
            },
            language,
        )


@dataclass(frozen=True)
class CaseRows:
    """A log in place as its segments need it: a row per case (`events`: case_id and the
    first value of each attribute asked, in case order; by case id as text), its case
    attributes and its number of events."""

    events: pd.DataFrame
    case_attributes: tuple[str, ...]
    n_events: int

    def has(self, column: str) -> bool:
        return column in self.events


def case_rows(
    log: EventLog | InPlaceLog, attributes: Sequence[str] | None = None
) -> EventLog | CaseRows:
    """The log here itself; a log in place as a row per case with the first value of each
    of `attributes` (default: its case attributes), found where it lives. An attribute the
    log lacks is left out (and said missing where asked for)."""
    if not isinstance(log, InPlaceLog):
        return log
    summary = summarize(log)
    asked = summary.case_attributes if attributes is None else tuple(attributes)
    columns = [c for c in dict.fromkeys(asked) if log.has(c)]
    table = in_place_table(log)
    per_case = table.group_by("case_id").aggregate(
        **{
            f"_{n}": table[c].argmin(table.order, where=table[c].notnull())
            for n, c in enumerate(columns)
        }
    )
    frame = run_in_place(per_case).rename(columns={f"_{n}": c for n, c in enumerate(columns)})
    frame["case_id"] = frame["case_id"].astype(str)
    frame = frame.sort_values("case_id").reset_index(drop=True)
    return CaseRows(frame[["case_id", *columns]], summary.case_attributes, summary.events)


def _stages_of(
    log: EventLog | InPlaceLog, stages: Stages | None, lens: JourneyLens | None
) -> Stages:
    if lens is not None:
        return lens.stage_order
    return stages if stages is not None else suggest_stages(log)


def segment_filter(
    log: EventLog | InPlaceLog, attribute: str, segment: str, *, rest: bool = False
) -> CaseAttribute:
    """The filter that keeps the cases of one segment of `attribute`, as `segment_values`
    names them (NO_VALUE: the cases without a value); `rest`: all the other cases. In
    place, each case's first value is found where the log lives (`case_rows`)."""
    rows = case_rows(log, [attribute])
    segments = segment_values(rows, attribute)
    raw = rows.events[["case_id", attribute]].dropna().drop_duplicates("case_id")
    raw = raw.assign(segment=raw["case_id"].map(segments))
    if segment == NO_VALUE:
        values, keep = raw[attribute].astype(str).unique(), False
    else:
        values, keep = raw.loc[raw["segment"] == segment, attribute].astype(str).unique(), True
    return CaseAttribute(attribute, tuple(values), keep=keep != rest)


def segment_values(log: EventLog | CaseRows, attribute: str, bins: int = 4) -> pd.Series:
    """Each case's segment (indexed by case_id): its first non-empty value of `attribute`.
    A numeric attribute with more than ten values is cut into `bins` groups of about equal
    size, named by the values in them ("34–52"); cases without a value are in segment "(none)"."""
    if not log.has(attribute):
        known = ", ".join(log.case_attributes) or message("log.no_attributes")
        raise LogError(message("log.error.no_attribute", attribute=attribute, known=known))
    values = log.events[["case_id", attribute]].dropna().drop_duplicates("case_id")
    values = values.set_index("case_id")[attribute]
    # only where there are enough distinct values to cut: reading numbers from text is slow
    many = values.nunique() > MAX_PLAIN_VALUES
    numbers = pd.to_numeric(values, errors="coerce") if many else values.iloc[:0]
    if many and numbers.notna().all() and numbers.nunique() > MAX_PLAIN_VALUES:
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
    return values.reindex(cases).fillna(NO_VALUE)


def compare_segments(
    log: EventLog | InPlaceLog,
    attribute: str,
    *,
    stages: Stages | None = None,
    lens: JourneyLens | None = None,
    segments: Sequence[str] | None = None,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    alpha: float = 0.05,
    min_cases: int = 20,
    bins: int = 4,
) -> SegmentComparison:
    """KPIs per segment of `attribute` and tested differences; `segments` limits the
    comparison to those values (cases of other segments are left out). `lens`: the log's
    journey lens, whose stages, goals and timeout are then used and whose work is not done
    again. A log without cases (filters that keep none) is a ValueError. A log in place is
    asked where it lives for each case's value (`case_rows`)."""
    rows = case_rows(log, [attribute])
    if rows.n_events == 0:
        raise ValueError("the log has no cases to compare segments of")
    of_case = segment_values(rows, attribute, bins)
    stages = _stages_of(log, stages, lens)
    samples = gather_samples(log, stages, goals, timeout_days, lens)
    cases = samples.cases.assign(segment=samples.cases["case_id"].map(of_case))
    if segments is not None:
        cases = cases[cases["segment"].isin([str(s) for s in segments])]
        samples = restricted(samples, cases["case_index"].to_numpy())
    by_case = cases.set_index("case_index")["segment"]
    names = sorted(by_case.unique())
    compared = names[:1] if len(names) == 2 else names
    tests = segment_tests(samples, by_case, compared, min_cases)
    if not tests.empty:
        tests["p_adjusted"] = holm(tests["p_value"])
        tests = _judged(tests, alpha)
        tests["message"] = [
            segment_message(attribute, r.segment, r.measure, r.where, r.value, r.rest_value, r.unit)
            for r in tests.itertuples()
        ]
    stage_visits = samples.stage_visits.assign(
        segment=samples.stage_visits["case_index"].map(by_case)
    )
    return SegmentComparison(
        attribute=attribute,
        kpis=_kpis(cases),
        stage_times=_stage_times(stage_visits, stages),
        tests=tests.reindex(columns=TEST_COLUMNS).reset_index(drop=True),
        stage_order=stages,
    )


def _judged(tests: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """Significant, highlighted, and the highlighted first (then by adjusted p)."""
    tests["significant"] = tests["p_adjusted"] < alpha
    tests["highlighted"] = tests["significant"] & tests["meaningful"]
    tests = tests.sort_values("p_adjusted", kind="stable")
    return tests.sort_values("highlighted", ascending=False, kind="stable")


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


ATTRIBUTE_COLUMNS = ["attribute", "segments", "tested", "reason", "same_as"]


@dataclass(frozen=True)
class SegmentDiscovery:
    """The segments that stand out, found by testing every case attribute at once.

    `attributes`: attribute, segments (how many, numbers cut into groups, "(none)"
    counted), tested, reason (why an attribute was not tested: "dates", "ids" (whole
    numbers, one per case), "one_value", "too_many_values" (more than 12 segments),
    "small_segments" (fewer than two segments with enough cases), "same_segments" (it
    splits the cases as the attribute named in `same_as` does, which is tested); None
    where tested).
    `tests`: attribute, then the columns of `SegmentComparison.tests`, with p_adjusted by
    Holm's method over every test of every attribute, and `reported`: highlighted and not
    already said by another row (the wait before a stage, where the wait before one of its
    steps says it; of opposite differences at one place by one attribute, the weaker —
    the rest it is compared with holds the stronger one). The messages say a difference
    the short way: "Cases with age 75+ wait 1.9× longer before Admission: ...".
    """

    attributes: pd.DataFrame
    tests: pd.DataFrame

    @property
    def differences(self) -> pd.DataFrame:
        """The differences to report: significant, large enough to matter, said once;
        smallest adjusted p first."""
        reported = self.tests["reported"].astype(bool).to_numpy()
        return self.tests.loc[reported].reset_index(drop=True)

    @property
    def tested(self) -> tuple[str, ...]:
        return tuple(self.attributes.loc[self.attributes["tested"], "attribute"])

    def to_dict(self, language: Language = "en") -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): the attributes, how many tests were made, and
        the differences to report, each said in `language` as its `sentence`."""
        columns = ["attribute", *(c for c in TEST_COLUMNS if c not in ("significant",
                   "meaningful", "highlighted"))]  # fmt: skip
        return to_json_dict(
            {
                "attributes": self.attributes,
                "tests": len(self.tests),
                "differences": self.differences[columns],
            },
            language,
        )


def discover_segments(
    log: EventLog | InPlaceLog,
    *,
    stages: Stages | None = None,
    lens: JourneyLens | None = None,
    attributes: Sequence[str] | None = None,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    alpha: float = 0.05,
    min_cases: int = 20,
    bins: int = 4,
) -> SegmentDiscovery:
    """Test the segments of every case attribute (or of `attributes`) against the rest, as
    `compare_segments` does, with one Holm correction over all the tests of all attributes:
    the more attributes, the stronger a difference must be to show.

    An attribute qualifies with 2 to 12 segments after cutting numbers into `bins` groups;
    dates and ids (whole numbers, a different one per case) are left out. `lens`: as in
    `compare_segments`."""
    per_case = case_rows(log, attributes)
    if per_case.n_events == 0:
        raise ValueError("the log has no cases to find segments in")
    names = tuple(attributes) if attributes is not None else per_case.case_attributes
    for name in (name for name in names if not per_case.has(name)):
        known = ", ".join(per_case.case_attributes) or message("log.no_attributes")
        raise LogError(message("log.error.no_attribute", attribute=name, known=known))
    rows, segmentations = [], {}
    partitions: dict[bytes, str] = {}  # a split of the cases (its codes): its first attribute
    for attribute in names:
        count, reason, segments = _qualified(per_case, attribute, bins, min_cases)
        same_as = None
        if segments is not None:  # a second name for the same split of the cases: once
            same_as = partitions.setdefault(pd.factorize(segments)[0].tobytes(), attribute)
            same_as = None if same_as == attribute else same_as
            reason = None if same_as is None else "same_segments"
        if reason is None:
            segmentations[attribute] = segments
        rows.append((attribute, count, reason is None, reason, same_as))
    table = pd.DataFrame(rows, columns=ATTRIBUTE_COLUMNS)
    tests = pd.DataFrame()
    if segmentations:
        stages = _stages_of(log, stages, lens)
        samples = gather_samples(log, stages, goals, timeout_days, lens)
        tests = _all_tests(samples, segmentations, min_cases)
    if tests.empty:
        columns = ["attribute", *TEST_COLUMNS, "reported"]
        return SegmentDiscovery(table, pd.DataFrame(columns=columns))
    tests["p_adjusted"] = holm(tests["p_value"])
    tests = _judged(tests, alpha)
    assert stages is not None  # the stages of the tests made
    tests["reported"] = tests["highlighted"] & ~_said_elsewhere(tests, stages)
    tests["message"] = [
        difference_message(r.attribute, r.segment, r.measure, r.where, r.value, r.rest_value)
        for r in tests.itertuples()
    ]
    tests = tests.sort_values("reported", ascending=False, kind="stable")
    columns = ["attribute", *TEST_COLUMNS, "reported"]
    return SegmentDiscovery(table, tests.reindex(columns=columns).reset_index(drop=True))


def _qualified(
    log: EventLog | CaseRows, attribute: str, bins: int, min_cases: int
) -> tuple[int, str | None, pd.Series | None]:
    """How many segments the attribute makes, why it is not tested (None: it is), and its
    segment per case_id where it is."""
    column = log.events[attribute]
    if pd.api.types.is_datetime64_any_dtype(column):
        return int(column.nunique()), "dates", None
    distinct = column.dropna().unique()
    if len(distinct) > MAX_SEGMENTS:  # text is left out; numbers are ids, or cut into groups
        if pd.to_numeric(pd.Series(distinct), errors="coerce").isna().any():
            return len(distinct), "too_many_values", None
        values = pd.to_numeric(column.groupby(log.events["case_id"]).first().dropna())
        if values.is_unique and (values == values.round()).all():
            return len(values), "ids", None
    segments = segment_values(log, attribute, bins)
    sizes = segments.value_counts()
    if len(sizes) < 2:
        return len(sizes), "one_value", None
    if len(sizes) > MAX_SEGMENTS:
        return len(sizes), "too_many_values", None
    if (sizes >= min_cases).sum() < 2:
        return len(sizes), "small_segments", None
    return len(sizes), None, segments


def _all_tests(
    samples: Samples, segmentations: dict[str, pd.Series], min_cases: int
) -> pd.DataFrame:
    parts = []
    for attribute, of_case in segmentations.items():
        by_case = pd.Series(
            samples.cases["case_id"].map(of_case).to_numpy(), index=samples.cases["case_index"]
        )
        names = sorted(by_case.unique())
        compared = names[:1] if len(names) == 2 else names
        part = segment_tests(samples, by_case, compared, min_cases)
        if not part.empty:
            parts.append(part.assign(attribute=attribute))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _said_elsewhere(tests: pd.DataFrame, stages: Stages) -> pd.Series:
    """Highlighted rows another highlighted row already says: the wait before a stage where
    the wait before one of its steps is highlighted with the same medians (within 1%), for
    the same attribute and segment; of opposite differences at one place by one attribute,
    those against the strongest (the rest they are compared with holds it)."""
    shown = tests[tests["highlighted"]]
    steps = shown[shown["measure"] == "step_wait"]
    steps = steps.assign(stage=steps["where"].map(stages.stage_of))
    waits = shown[shown["measure"] == "stage_wait"].reset_index()
    pairs = waits.merge(
        steps, left_on=["attribute", "segment", "where"], right_on=["attribute", "segment",
        "stage"], suffixes=("", "_step"),
    )  # fmt: skip
    same = np.isclose(pairs["value"], pairs["value_step"], rtol=0.01) & np.isclose(
        pairs["rest_value"], pairs["rest_value_step"], rtol=0.01
    )
    repeated = pd.Series(tests.index.isin(pairs.loc[same, "index"]), index=tests.index)
    above = shown["value"] > shown["rest_value"]
    for _, group in shown.groupby(["attribute", "measure", "where"], dropna=False):
        strongest = group.index[0]  # sorted by adjusted p
        repeated[group.index[above[group.index] != above[strongest]]] = True
    return repeated
