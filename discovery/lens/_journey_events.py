"""The engine work behind the journey lens: one pass over the events, then small tables per
case, per case and touchpoint, per case and stage, that the lens modules share."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from discovery.engine import (
    Table,
    case_window,
    events_table,
    execute,
    materialized,
    not_below_zero,
    seconds_between,
    source,
)
from discovery.engine import expressions as expr
from discovery.log.event_log import EventLog

TRUE_WORDS = ("1", "1.0", "true", "yes", "y", "ja", "j", "waar", "x")


@dataclass(frozen=True)
class JourneyEvents:
    """Per-case and per-touchpoint tables (small: one row per case, or per case and
    touchpoint), and the log's last moment.

    `cases`: case_index, case_id, begin, end, throughput_s, events, last_activity,
    last_stage (index, -1 where unstaged), last_wait_s (wait before the last event; NaN
    for a one-event case), complaint_order (order of its first complaint event; NaN without),
    complaint_activity, complaint_begin, score_mean, score_min, last_score,
    last_score_order, channel_switches.
    `visits`: case_index, activity, first_order, occurrences, score_mean, wait_s (wait
    before its first occurrence; NaN where that is the case's first event).
    `stage_visits`: case_index, stage (index), begin, end, time_s, events, first_order, wait_s.
    `mix`: activity, kind ("department", "channel", "organisation"), value, events.
    `scores`: activity, n, total, squares (scores of the touchpoint's events).
    `switches`: source, target, occurrences, cases (channel switches between
    consecutive events that have a channel).
    """

    cases: pd.DataFrame
    visits: pd.DataFrame
    stage_visits: pd.DataFrame
    mix: pd.DataFrame
    scores: pd.DataFrame
    switches: pd.DataFrame
    log_end: pd.Timestamp


def journey_events(
    log: EventLog,
    stage_index: Mapping[str, int],
    complaint_activities: tuple[str, ...],
    complaint_column: str | None,
    organisation_column: str | None,
) -> JourneyEvents:
    """Run the lens's queries: one window pass over the events, then groupings."""
    optional = ["department", "channel", "score", "start_timestamp"]
    columns = ["activity", *(c for c in optional if log.has(c))]
    columns += [c for c in (complaint_column, organisation_column) if c and c not in columns]
    table = events_table(log, columns)
    annotated = _annotated(
        log, table, stage_index, complaint_activities, complaint_column, organisation_column
    )
    with materialized(annotated) as ev:
        cases = _cases(ev)
        switches, per_case = _switches(ev)
        cases["channel_switches"] = cases["case_index"].map(per_case).fillna(0).astype("int64")
        visits = _visits(ev)
        stage_visits = _stage_visits(ev)
        mix = _mix(ev)
        scored = ev.filter(ev.score.notnull())
        scores = execute(
            scored.group_by("activity").aggregate(
                n=scored.count(),
                total=scored.score.sum(),
                squares=(scored.score * scored.score).sum(),
            )
        )
    return JourneyEvents(
        cases=cases,
        visits=visits,
        stage_visits=stage_visits,
        mix=mix,
        scores=scores.sort_values("activity").reset_index(drop=True),
        switches=switches,
        log_end=log.period[1],
    )


def _annotated(
    log: EventLog,
    table: Table,
    stage_index: Mapping[str, int],
    complaint_activities: tuple[str, ...],
    complaint_column: str | None,
    organisation_column: str | None,
) -> Table:
    """Each event with its stage, whether it is a complaint, and the wait before it."""
    stages = expr.memtable(
        pd.DataFrame(
            {"stage_activity": list(stage_index), "stage": list(stage_index.values())}
        ).astype({"stage_activity": "str", "stage": "int64"})
    )
    joined = table.left_join(stages, table.activity == stages.stage_activity)
    begin = (
        joined.start_timestamp.fill_null(joined.timestamp)
        if log.has("start_timestamp")
        else joined.timestamp
    )
    complaint = joined.activity.isin(list(complaint_activities) or [""])
    if complaint_column:
        flag = joined[complaint_column].cast("string").strip().lower()
        complaint |= flag.isin(list(TRUE_WORDS)).fill_null(False)
    window = case_window(joined)

    def text(column: str | None) -> expr.Value:
        present = column is not None and log.has(column)
        return joined[column].cast("string") if present else expr.null("string")

    score = joined.score.cast("float64") if log.has("score") else expr.null("float64")
    annotated = joined.select(
        "case_id",
        "case_index",
        "order",
        "activity",
        "timestamp",
        department=text("department"),
        channel=text("channel"),
        organisation=text(organisation_column),
        stage=joined.stage.fill_null(-1),
        begin=begin,
        score=score,
        is_complaint=complaint,
        previous_end=joined.timestamp.lag().over(window),
    )
    return annotated.mutate(
        wait_before=not_below_zero(seconds_between(annotated.previous_end, annotated.begin))
    )


def _cases(ev: Table) -> pd.DataFrame:
    scored = ev.score.notnull()
    cases = ev.group_by("case_index").aggregate(
        case_id=ev.case_id.arbitrary(),
        begin=ev.begin.min(),
        end=ev.timestamp.max(),
        throughput_s=seconds_between(ev.begin.min(), ev.timestamp.max()),
        events=ev.count(),
        last_activity=ev.activity.argmax(ev.order),
        last_stage=ev.stage.argmax(ev.order),
        last_wait_s=ev.wait_before.fill_null(-1).argmax(ev.order),
        complaint_order=ev.order.min(where=ev.is_complaint),
        complaint_activity=ev.activity.argmin(ev.order, where=ev.is_complaint),
        complaint_begin=ev.begin.min(where=ev.is_complaint),
        score_mean=ev.score.mean(),
        score_min=ev.score.min(),
        last_score=ev.score.argmax(ev.order, where=scored),
        last_score_order=ev.order.max(where=scored),
    )
    frame = execute(cases).sort_values("case_index").reset_index(drop=True)
    frame["last_wait_s"] = frame["last_wait_s"].where(frame["last_wait_s"] >= 0)
    for column in ("begin", "end", "complaint_begin"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


def _switches(ev: Table) -> tuple[pd.DataFrame, pd.Series]:
    with_channel = ev.filter(ev.channel.notnull())
    previous = with_channel.channel.lag().over(case_window(with_channel))
    pairs = with_channel.select("case_index", source=previous, target=with_channel.channel)
    moves = pairs.filter(pairs.source.notnull() & (pairs.source != pairs.target))
    table = execute(
        moves.group_by(["source", "target"]).aggregate(
            occurrences=moves.count(), cases=moves.case_index.nunique()
        )
    )
    table = table.sort_values(["source", "target"]).sort_values(
        "occurrences", ascending=False, kind="stable"
    )
    per_case = execute(moves.group_by("case_index").aggregate(n=moves.count()))
    return table.reset_index(drop=True), per_case.set_index("case_index")["n"]


def _visits(ev: Table) -> pd.DataFrame:
    frame = _with_first_wait(
        ev,
        ["case_index", "activity"],
        first_order=ev.order.min(),
        occurrences=ev.count(),
        score_mean=ev.score.mean(),
    )
    return frame.sort_values(["case_index", "first_order"]).reset_index(drop=True)


def _stage_visits(ev: Table) -> pd.DataFrame:
    staged = ev.filter(ev.stage >= 0)
    frame = _with_first_wait(
        staged,
        ["case_index", "stage"],
        begin=staged.begin.min(),
        end=staged.timestamp.max(),
        time_s=seconds_between(staged.begin.min(), staged.timestamp.max()),
        events=staged.count(),
        first_order=staged.order.min(),
    )
    return frame.sort_values(["case_index", "stage"]).reset_index(drop=True)


def _with_first_wait(table: Table, keys: list[str], **figures: expr.Value) -> pd.DataFrame:
    """`figures` per group of `keys`, and `wait_s`: the wait before the group's first event
    (by order), NaN where that event has none. argmin skips nulls, so while aggregating a
    missing wait stands in as -1 (waits are never negative)."""
    first_wait = table.wait_before.fill_null(-1).argmin(table.order)
    frame = execute(table.group_by(keys).aggregate(**figures, wait_s=first_wait))
    frame["wait_s"] = frame["wait_s"].where(frame["wait_s"] >= 0)
    return frame


def _mix(ev: Table) -> pd.DataFrame:
    parts = []
    for kind in ("department", "channel", "organisation"):
        present = ev.filter(ev[kind].notnull())
        counts = execute(
            present.group_by(["activity", present[kind].name("value")]).aggregate(
                events=present.count()
            )
        )
        counts.insert(1, "kind", kind)
        parts.append(counts)
    mix = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    if mix.empty:
        return pd.DataFrame(columns=["activity", "kind", "value", "events"])
    mix = mix.sort_values(["activity", "kind", "value"])
    return mix.sort_values(
        ["activity", "kind", "events"], ascending=[True, True, False], kind="stable"
    ).reset_index(drop=True)


def typical_positions(log: EventLog) -> pd.DataFrame:
    """Per activity (the index): `position`, its typical place in a case (the median, over
    the cases that do it, of its first occurrence's rank among the case's distinct
    activities, scaled to 0..1), and `cases` that do it."""
    table = source(log)
    firsts = table.group_by(["case_index", "activity"]).aggregate(first=table.order.min())
    window = expr.window(group_by=firsts.case_index, order_by=firsts["first"])
    whole = expr.window(group_by=firsts.case_index)
    ranked = firsts.select(
        "activity",
        rank=expr.row_number().over(window).cast("float64"),
        size=firsts.count().over(whole).cast("float64"),
    )
    scaled = ranked.select(
        "activity", position=expr.ifelse(ranked.size > 1, ranked["rank"] / (ranked.size - 1), 0.0)
    )
    medians = execute(
        scaled.group_by("activity").aggregate(
            position=scaled.position.median(), cases=scaled.count()
        )
    )
    return medians.set_index("activity").sort_index()
