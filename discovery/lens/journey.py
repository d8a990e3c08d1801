"""The customer-journey lens: the journey stage by stage, its touchpoints and channels,
the emotion curve, moments of truth, drop-off and complaint journeys.

>>> lens = analyse_journey(log)  # doctest: +SKIP
>>> lens.stages[["stage", "cases", "time_median_s", "wait_median_s"]]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine.in_place import InPlaceLog
from discovery.lens._journey_events import (
    JourneyEvents,
    KnownLog,
    LogFacts,
    facts_of,
    journey_events,
    require_few_cases,
)
from discovery.lens.complaints import (
    ComplaintJourneys,
    analyse_complaints,
    detect_complaint_activities,
    detect_complaint_column,
)
from discovery.lens.dropoff import DropOff, analyse_dropoff, default_goals
from discovery.lens.emotion import EmotionCurve, emotion_curve
from discovery.lens.moments import MomentsOfTruth, find_moments
from discovery.lens.stages import Stages, suggest_stages
from discovery.log.event_log import EventLog
from discovery.log.schema import normalize_header
from discovery.words import Language

ORGANISATION_HEADERS = ("organisation", "organization", "organisatie", "party", "partij")
DEFAULT_TIMEOUT_DAYS = 30.0


@dataclass(frozen=True)
class JourneyLens:
    """The journey as customers live it.

    `stages` (journey order): stage, activities (those assigned), cases (that reach it),
    share (of all cases), events, time_median_s / time_mean_s (per case from its first start
    in the stage to its last end there), waited_cases, wait_median_s / wait_mean_s (before
    the stage's first event, from the end of the case's previous event; cases starting in the
    stage have no wait), touchpoints, departments, channels (names, most events first).
    `touchpoints`: activity, stage, events, cases, share, wait_median_s (before its first
    occurrence), departments, channels (most events first), organisation (its most frequent),
    external (another organisation's, or marked external), score_mean.
    `channels`: activity, channel, events, share (of the touchpoint's events with a channel).
    `channel_switches`: source, target, occurrences, cases — the channel changes between
    consecutive events of a case that have a channel. `cases`: case_id, outcome,
    throughput_s, last_activity, channel_switches, complained, score_mean.
    `external`: activity, organisation, events, cases — touchpoints with other organisations.
    `unstaged`: activities of the log without a stage; `not_in_log`: activities named in the
    stages that the log does not have (a typo in a stage file shows here).
    """

    stage_order: Stages
    stages: pd.DataFrame
    touchpoints: pd.DataFrame
    channels: pd.DataFrame
    channel_switches: pd.DataFrame
    external: pd.DataFrame
    cases: pd.DataFrame
    emotion: EmotionCurve
    dropoff: DropOff
    moments: MomentsOfTruth
    complaints: ComplaintJourneys | None
    unstaged: tuple[str, ...]
    not_in_log: tuple[str, ...] = ()
    events: JourneyEvents | None = field(default=None, repr=False, compare=False)

    @property
    def switches_per_case(self) -> float:
        return float(self.cases["channel_switches"].mean()) if len(self.cases) else 0.0

    def to_dict(self, language: Language = "en") -> dict[str, JSONValue]:
        """JSON-ready: stages, touchpoints, channel_switches, external, emotion, dropoff,
        moments_of_truth, complaints, unstaged, not_in_log; the moments of truth and the
        touchpoints before complaints each said in `language` as its `sentence`."""
        complaints = self.complaints
        return to_json_dict(
            {
                "stages": self.stages,
                "touchpoints": self.touchpoints,
                "channel_switches": {
                    "per_case": self.switches_per_case,
                    "cases_with_switch": (self.cases["channel_switches"] > 0).sum(),
                    "most_common": self.channel_switches.head(10),
                },
                "external": self.external,
                "emotion": {
                    "scale": self.emotion.scale,
                    "by_stage": self.emotion.by_stage,
                    "by_touchpoint": self.emotion.by_touchpoint,
                },
                "dropoff": self.dropoff.to_dict(),
                "moments_of_truth": self.moments.moments,
                "complaints": None
                if complaints is None
                else {
                    "activities": complaints.activities,
                    "cases": complaints.cases,
                    "share": complaints.share,
                    "handling_median_s": complaints.handling_median_s,
                    "handling_mean_s": complaints.handling_mean_s,
                    "cases_with_loop": complaints.cases_with_loop,
                    "loops": complaints.loops,
                    "preceding": complaints.preceding,
                },
                "unstaged": self.unstaged,
                "not_in_log": self.not_in_log,
            },
            language,
        )


def analyse_journey(
    log: EventLog | InPlaceLog,
    stages: Stages | None = None,
    *,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    complaint_activities: Sequence[str] | None = None,
    external_activities: Sequence[str] = (),
    own_organisation: str | None = None,
    min_group: int = 20,
    alpha: float = 0.05,
) -> JourneyLens:
    """The journey lens of a log.

    `stages`: default `suggest_stages(log)`. `goals`: activities that complete a case
    (default: the log's usual end activities, see `default_goals`). `timeout_days`: a case
    not completed whose last event is at most this long before the log's end is still open.
    `complaint_activities`: default those named complaint/klacht/bezwaar/objection.
    `external_activities`: touchpoints of other organisations, besides those whose
    organisation column (organisation/organisatie/party) differs from `own_organisation`
    (default: the organisation with the most events). `min_group`, `alpha`: the smallest
    groups compared and the significance level for moments of truth and complaints.

    A log in place (`InPlaceLog`) is queried where it lives: what comes here is a row per
    case (and per case and touchpoint, per case and stage), never its events; a log of
    more than `CASES_IN_PLACE` cases is a LogError (filter it first).
    """
    facts = facts_of(log)
    require_few_cases(log, facts.n_cases)
    stages = stages if stages is not None else suggest_stages(log, cases=facts.n_cases)
    complaints = (
        tuple(complaint_activities)
        if complaint_activities is not None
        else detect_complaint_activities(facts)
    )
    organisation = organisation_column(facts)
    events = journey_events(
        log,
        stages.positions(),
        complaints,
        detect_complaint_column(facts),
        organisation,
        last_event=facts.last_event if isinstance(facts, LogFacts) else None,
    )
    goals = tuple(goals) if goals is not None else default_goals(events)
    dropoff = analyse_dropoff(events, stages, step_order(events, stages), goals, timeout_days)
    touchpoints = _touchpoints(events, stages, facts.n_cases, external_activities, own_organisation)
    channels = _channels(events)
    cases = pd.DataFrame(
        {
            "case_id": events.cases["case_id"],
            "outcome": dropoff.per_case["outcome"],
            "throughput_s": events.cases["throughput_s"],
            "last_activity": events.cases["last_activity"],
            "channel_switches": events.cases["channel_switches"],
            "complained": events.cases["complaint_order"].notna(),
            "score_mean": events.cases["score_mean"],
        }
    )
    external = touchpoints.loc[
        touchpoints["external"], ["activity", "organisation", "events", "cases"]
    ]
    return JourneyLens(
        stage_order=stages,
        stages=_stage_table(events, stages, facts.n_cases, touchpoints),
        touchpoints=touchpoints,
        channels=channels,
        channel_switches=events.switches,
        external=external.reset_index(drop=True),
        cases=cases,
        emotion=emotion_curve(events, stages),
        dropoff=dropoff,
        moments=find_moments(
            events,
            dropoff.per_case["outcome"],
            stages,
            complaints,
            min_group=min_group,
            alpha=alpha,
        ),
        complaints=analyse_complaints(events, complaints, min_group=min_group, alpha=alpha),
        unstaged=tuple(a for a in facts.activities if stages.stage_of(a) is None),
        not_in_log=tuple(a for a, _ in stages.assignments if a not in facts.activities),
        events=events,
    )


def organisation_column(log: KnownLog) -> str | None:
    """The column naming the organisation of each event, where the log has one."""
    for column in (*log.event_attributes, *log.case_attributes):
        if normalize_header(column) in ORGANISATION_HEADERS:
            return column
    return None


def step_order(events: JourneyEvents, stages: Stages) -> list[str]:
    """Activities in journey order: by stage, then by typical place within the case
    (median rank of the first occurrence); activities without a stage last."""
    visits = events.visits
    rank = visits.groupby("case_index")["first_order"].rank(method="first")
    position = rank.groupby(visits["activity"]).median()
    index = stages.positions()
    keys = {a: (index.get(a, len(stages.names)), position[a], a) for a in position.index}
    return sorted(keys, key=keys.__getitem__)


def _named_counts(mix: pd.DataFrame, kind: str) -> pd.Series:
    """Per activity: the values of `kind`, most events first, as a tuple."""
    part = mix[mix["kind"] == kind]
    return part.groupby("activity", sort=False)["value"].agg(tuple)


def _touchpoints(
    events: JourneyEvents,
    stages: Stages,
    n_cases: int,
    external_activities: Sequence[str],
    own_organisation: str | None,
) -> pd.DataFrame:
    visits = events.visits
    grouped = visits.groupby("activity")
    table = pd.DataFrame(
        {
            "events": grouped["occurrences"].sum(),
            "cases": grouped.size(),
            "wait_median_s": grouped["wait_s"].median(),
        }
    )
    table.index.name = "activity"
    order = step_order(events, stages)
    table = table.reindex(order).reset_index()
    table.insert(1, "stage", table["activity"].map(stages.mapping))
    table["share"] = table["cases"] / n_cases if n_cases else 0.0
    empty = pd.Series(dtype=object)
    for kind, column in (("department", "departments"), ("channel", "channels")):
        values = _named_counts(events.mix, kind)
        table[column] = table["activity"].map(values if len(values) else empty)
        table[column] = table[column].map(lambda v: v if isinstance(v, tuple) else ())
    organisations = events.mix[events.mix["kind"] == "organisation"]
    own = own_organisation
    if own is None and not organisations.empty:
        totals = organisations.groupby("value")["events"].sum().sort_index()
        own = str(totals.sort_values(ascending=False, kind="stable").index[0])
    main = organisations.drop_duplicates("activity").set_index("activity")["value"]
    table["organisation"] = table["activity"].map(main)
    other = organisations[organisations["value"] != own]["activity"].unique()
    table["external"] = table["activity"].isin([*other, *external_activities])
    scores = events.scores.set_index("activity")
    table["score_mean"] = table["activity"].map(scores["total"] / scores["n"])
    return table[TOUCHPOINT_COLUMNS]


TOUCHPOINT_COLUMNS = [
    "activity", "stage", "events", "cases", "share", "wait_median_s", "departments",
    "channels", "organisation", "external", "score_mean",
]  # fmt: skip


def _channels(events: JourneyEvents) -> pd.DataFrame:
    part = events.mix[events.mix["kind"] == "channel"]
    table = part.rename(columns={"value": "channel"})[["activity", "channel", "events"]]
    table = table.assign(
        share=table["events"] / table.groupby("activity")["events"].transform("sum")
    )
    return table.reset_index(drop=True)


def _names_by_events(part: pd.DataFrame) -> pd.Series:
    """Per stage: the values of `part` (stage, value, events), most events first."""
    totals = part.groupby(["stage", "value"], as_index=False)["events"].sum()
    totals = totals.sort_values("value").sort_values("events", ascending=False, kind="stable")
    return totals.groupby("stage", sort=False)["value"].agg(tuple)


def _stage_table(
    events: JourneyEvents, stages: Stages, n_cases: int, touchpoints: pd.DataFrame
) -> pd.DataFrame:
    visits = events.stage_visits
    grouped = visits.groupby("stage")
    table = pd.DataFrame(
        {
            "cases": grouped.size(),
            "events": grouped["events"].sum(),
            "time_median_s": grouped["time_s"].median(),
            "time_mean_s": grouped["time_s"].mean(),
            "waited_cases": grouped["wait_s"].count(),
            "wait_median_s": grouped["wait_s"].median(),
            "wait_mean_s": grouped["wait_s"].mean(),
        }
    ).reindex(range(len(stages.names)))
    table.insert(0, "stage", list(stages.names))
    table.insert(1, "activities", [stages.activities(name) for name in stages.names])
    for column in ("cases", "events", "waited_cases"):
        table[column] = table[column].fillna(0).astype("int64")
    table.insert(3, "share", table["cases"] / n_cases if n_cases else 0.0)
    mix = events.mix.assign(stage=events.mix["activity"].map(stages.mapping))
    lanes = {
        "touchpoints": touchpoints.rename(columns={"activity": "value"}),
        "departments": mix[mix["kind"] == "department"],
        "channels": mix[mix["kind"] == "channel"],
    }
    for column, part in lanes.items():
        table[column] = table["stage"].map(_names_by_events(part))
        table[column] = table[column].map(lambda v: v if isinstance(v, tuple) else ())
    return table.reset_index(drop=True)
