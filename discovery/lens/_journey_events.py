"""The engine work behind the journey lens: one pass over the events, then small tables per
case, per case and touchpoint, per case and stage, that the lens modules share."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

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
from discovery.engine.in_place import InPlaceLog, in_case_order, run_in_place
from discovery.errors import LogError
from discovery.log.event_log import EventLog
from discovery.mining.in_place.handoffs import PER_CASE_LIMIT
from discovery.mining.summary import summarize
from discovery.words import Count, message

TRUE_WORDS = ("1", "1.0", "true", "yes", "y", "ja", "j", "waar", "x")
NUMBER = r"^[+-]?[0-9]+([.][0-9]+)?$"
"""A score stored as text, read in place: digits with one decimal point or comma."""


CASES_IN_PLACE = PER_CASE_LIMIT
"""The most cases whose rows (one per case, per case and touchpoint, per case and stage)
the lens of a log in place brings here (`require_few_cases`): as many as the handoffs in
place give per case, which the segments compare (1,000,000)."""


def require_few_cases(log: EventLog | InPlaceLog, cases: int) -> None:
    """For a log in place of more than `CASES_IN_PLACE` cases: a LogError saying so (its
    lens would bring that many rows here), before any of them come."""
    if isinstance(log, InPlaceLog) and cases > CASES_IN_PLACE:
        said = message("lens.error.too_many_cases", cases=Count(cases), limit=Count(CASES_IN_PLACE))
        raise LogError(said, file=log.source)


class KnownLog(Protocol):
    """What the lens asks of a log besides its events: a log here (`EventLog`) or the facts
    of a log in place (`LogFacts`)."""

    @property
    def n_cases(self) -> int: ...
    @property
    def activities(self) -> tuple[str, ...]: ...
    @property
    def event_attributes(self) -> tuple[str, ...]: ...
    @property
    def case_attributes(self) -> tuple[str, ...]: ...


@dataclass(frozen=True)
class LogFacts:
    """A log in place as the lens knows it: counted where it lives (`facts_of`)."""

    n_cases: int
    activities: tuple[str, ...]
    event_attributes: tuple[str, ...]
    case_attributes: tuple[str, ...]
    last_event: pd.Timestamp


def facts_of(log: EventLog | InPlaceLog) -> KnownLog:
    """The log itself, or for a log in place its facts, asked where it lives (the summary's
    two queries and its activities)."""
    if not isinstance(log, InPlaceLog):
        return log
    summary = summarize(log)
    names = log.events.activity.name("value").as_table().distinct()
    activities = tuple(sorted(str(a) for a in run_in_place(names)["value"].dropna()))
    return LogFacts(
        summary.cases,
        activities,
        summary.event_attributes,
        summary.case_attributes,
        summary.last_event,
    )


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
    log: EventLog | InPlaceLog,
    stage_index: Mapping[str, int],
    complaint_activities: tuple[str, ...],
    complaint_column: str | None,
    organisation_column: str | None,
    *,
    last_event: pd.Timestamp | None = None,
) -> JourneyEvents:
    """Run the lens's queries: one window pass over the events, then groupings. A log in
    place is queried where it lives: its rows per case (and per case and touchpoint, per
    case and stage) come here, not its events. `last_event`: the log's last moment, where
    known."""
    optional = ["department", "channel", "score", "start_timestamp"]
    columns = ["activity", *(c for c in optional if log.has(c))]
    columns += [c for c in (complaint_column, organisation_column) if c and c not in columns]
    table = in_place_table(log) if isinstance(log, InPlaceLog) else events_table(log, columns)
    annotated = _annotated(
        log, table, stage_index, complaint_activities, complaint_column, organisation_column
    )
    if last_event is None:
        last_event = _last_event(log)
    with _kept(log, annotated) as ev:
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
    if isinstance(log, InPlaceLog):  # keyed by case id there: numbered here
        cases, visits, stage_visits = _numbered(cases, visits, stage_visits)
    return JourneyEvents(
        cases=cases,
        visits=visits,
        stage_visits=stage_visits,
        mix=mix,
        scores=scores.sort_values("activity").reset_index(drop=True),
        switches=switches,
        log_end=last_event,
    )


def _last_event(log: EventLog | InPlaceLog) -> pd.Timestamp:
    if isinstance(log, InPlaceLog):
        return summarize(log).last_event
    return log.period[1]


@contextmanager
def _kept(log: EventLog | InPlaceLog, annotated: Table) -> Iterator[Table]:
    """The annotated events, computed once into a table of our own here; a log in place's
    stay an expression where it lives (a read-only server takes no table of ours), but
    for Spark's cache: Spark would compute their windows again for each query, and the
    cache is released once the lens's queries are done."""
    if isinstance(log, InPlaceLog):
        if log.place.backend != "pyspark":
            yield annotated
            return
        with annotated.cache() as cached:
            yield cached
        return
    with materialized(annotated) as ev:
        yield ev


def in_place_table(log: InPlaceLog) -> Table:
    """The events of a log in place with `case_index` (its case id: numbering the cases
    there would take a window over all events, which Spark computes in one partition)
    and `order` (the event's place in its case)."""
    events = log.events.mutate(case_index=log.events.case_id)
    window = expr.window(group_by=events.case_id, order_by=in_case_order(log, events))
    return events.mutate(order=expr.row_number().over(window))


def _numbered(
    cases: pd.DataFrame, visits: pd.DataFrame, stage_visits: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The frames of a log in place, keyed by case id, keyed by `case_index` as the local
    log numbers its cases: from 1, in the order of the case ids as text by code point."""
    ids = sorted(str(case) for case in cases["case_index"])
    number = pd.Series(range(1, len(ids) + 1), index=ids, dtype="int64")

    def renumbered(frame: pd.DataFrame) -> pd.DataFrame:
        keys = frame["case_index"].astype(str).map(number).astype("int64")
        return frame.assign(case_index=keys.to_numpy())

    return renumbered(cases), renumbered(visits), renumbered(stage_visits)


def _annotated(
    log: EventLog | InPlaceLog,
    table: Table,
    stage_index: Mapping[str, int],
    complaint_activities: tuple[str, ...],
    complaint_column: str | None,
    organisation_column: str | None,
) -> Table:
    """Each event with its stage, whether it is a complaint, and the wait before it. A log
    in place gets its stages by one CASE (a read-only server takes no table of ours)."""
    if isinstance(log, InPlaceLog):
        staged = [(table.activity == activity, int(n)) for activity, n in stage_index.items()]
        stage = expr.cases(*staged, else_=None) if staged else expr.null("int64")
        joined = table.mutate(stage=stage.cast("int64"))
    else:
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

    score = _score(log, joined) if log.has("score") else expr.null("float64")
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


def _score(log: EventLog | InPlaceLog, table: Table) -> expr.Value:
    """The score as a number: a log here has read it; a log in place may hold it as text
    (digits with a decimal point or comma; other text counts as no score)."""
    score = table.score
    if not isinstance(log, InPlaceLog) or not score.type().is_string():
        return score.cast("float64")
    text = score.strip().replace(",", ".")
    return expr.ifelse(text.re_search(NUMBER), text, expr.null("string")).cast("float64")


def _cases(ev: Table) -> pd.DataFrame:
    scored = ev.score.notnull()
    cases = ev.group_by("case_index").aggregate(
        case_id=ev.case_id.min(),  # one per case: min works on every backend
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


def typical_positions(log: EventLog | InPlaceLog) -> pd.DataFrame:
    """Per activity (the index): `position`, its typical place in a case (the median, over
    the cases that do it, of its first occurrence's rank among the case's distinct
    activities, scaled to 0..1), and `cases` that do it. A log in place: where it lives."""
    table = source(log)
    case = "case_id" if isinstance(log, InPlaceLog) else "case_index"
    firsts = table.group_by([case, "activity"]).aggregate(first=table.order.min())
    window = expr.window(group_by=firsts[case], order_by=firsts["first"])
    whole = expr.window(group_by=firsts[case])
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
