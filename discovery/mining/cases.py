"""One case's trail for the tracer: its steps in order, the waits between them, its totals."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from discovery.engine import execute, source
from discovery.engine import expressions as expr
from discovery.engine.in_place import InPlaceLog
from discovery.errors import LogError
from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE
from discovery.mining.in_place.cases import sample_in_place
from discovery.mining.in_place.choices import bring_case_here
from discovery.mining.variants import case_sequences, discover_variants
from discovery.words import message

TRAIL_COLUMNS = [
    "step", "activity", "department", "resource", "channel", "begin", "end",
    "service_s", "wait_before_s", "handoff", "rework",
]  # fmt: skip


@dataclass(frozen=True)
class CaseTrail:
    """The trail of one case through the organisation.

    `events`, one row per event in case order: `step` (1 = first), `activity`,
    `department`, `resource`, `channel` (None where the log has no such column; an event
    without a department is in department "(none)", as on the maps), `begin` (start time,
    else the timestamp) and `end` (the timestamp), both UTC; `service_s` (end − begin; NaN
    where the log has no start times), `wait_before_s` (from the previous event's end to
    this event's begin, never below zero; 0 for the first event), `handoff` (the department
    differs from the previous event's) and `rework` (the activity was done before in this
    case).

    Totals: `throughput_s` (first begin to last end), `waiting_s` (the waits between
    steps), `working_s` (the service times; None without start times), `handoffs`, and
    `departments` (those touched, in order of first visit).

    `deviations`: empty, or per event the kinds of deviation marked on it (none where the
    event follows the intended journey; `DEVIATION_NAMES` names them); `skipped`: intended
    steps the case never did.
    """

    case_id: str
    events: pd.DataFrame
    throughput_s: float
    waiting_s: float
    working_s: float | None
    handoffs: int
    departments: tuple[str, ...]
    timezone: str
    attributes: tuple[tuple[str, str], ...] = ()
    deviations: tuple[tuple[str, ...], ...] = ()
    skipped: tuple[str, ...] = ()

    @property
    def n_events(self) -> int:
        return len(self.events)

    @property
    def rework_events(self) -> int:
        return int(self.events["rework"].sum())


def trace_case(
    log: EventLog | InPlaceLog, case_id: str, attributes: tuple[str, ...] | None = None
) -> CaseTrail:
    """The trail of case `case_id`; `mark_deviations` adds its deviations from the intended
    journey. In place, the case's events come here first (`bring_case_here`), with the case
    attributes `attributes` where known (the unfiltered log's), else those found there.

    >>> trail = trace_case(log, "1")  # doctest: +SKIP
    >>> trail.events[["activity", "department", "wait_before_s"]]  # doctest: +SKIP
    """
    if isinstance(log, InPlaceLog):
        log, case_id = bring_case_here(log, case_id, attributes), str(case_id)
    table = source(log, "activity")
    frame = execute(table.filter(table.case_id == case_id).order_by(table.order))
    if frame.empty:
        raise LogError(message("log.error.no_case", case=str(case_id)), file=log.source)
    has_start = log.has("start_timestamp")
    begin, end = _utc(frame["begin"]), _utc(frame["timestamp"])
    events = pd.DataFrame(
        {
            "step": range(1, len(frame) + 1),
            "activity": frame["activity"].astype(str),
            **{
                column: (frame[column].astype(str) if column in frame else None)
                for column in ("department", "resource", "channel")
            },
            "begin": begin,
            "end": end,
            "service_s": (end - begin).dt.total_seconds() if has_start else float("nan"),
            "wait_before_s": (begin - end.shift()).dt.total_seconds().clip(lower=0).fillna(0.0),
        }
    )
    departments = events["department"] if log.has("department") else None
    events["handoff"] = (
        (departments != departments.shift()) & departments.shift().notna()
        if departments is not None
        else False
    )
    events["rework"] = events["activity"].duplicated()
    first = log.events.iloc[int(frame["order"].iloc[0])]
    return CaseTrail(
        case_id=case_id,
        events=events[TRAIL_COLUMNS],
        throughput_s=(end.max() - begin.min()).total_seconds(),
        waiting_s=float(events["wait_before_s"].sum()),
        working_s=float(events["service_s"].sum()) if has_start else None,
        handoffs=int(events["handoff"].sum()),
        departments=tuple(departments.drop_duplicates()) if departments is not None else (),
        timezone=log.timezone,
        attributes=tuple(
            (name, "" if pd.isna(first[name]) else str(first[name])) for name in log.case_attributes
        ),
    )


def mark_deviations(trail: CaseTrail, deviations: pd.DataFrame) -> CaseTrail:
    """The trail with its deviations from the intended journey marked on its events.

    `deviations`: the case's rows of `Conformance.deviations` (kind, step, department,
    occurrences). Extra steps and steps in the wrong order mark the events of that step;
    repeated steps its repeats; an unexpected department the step's events done elsewhere
    than `department`; a wait over the norm the step's `occurrences` longest waits (a norm
    between two steps, "A → B", marks B); ending early the last event; skipped steps go to
    `skipped`. Rules broken concern the whole case and are not marked on an event.
    """
    events = trail.events
    kinds: list[tuple[str, ...]] = [()] * len(events)
    for row in deviations.itertuples():  # one row per deviation of one case: a handful
        step = str(row.step).split(" → ")[-1]
        of_step = events["activity"] == step
        marked = {
            "extra_step": of_step,
            "wrong_order": of_step,
            "repeated_step": of_step & events["rework"],
            "unexpected_department": of_step
            & (events["department"] != row.department)
            & (events["department"] != NO_VALUE),  # as conformance: no department is no deviation
            "wait_over_norm": events.index.isin(
                events.loc[of_step, "wait_before_s"].nlargest(int(row.occurrences)).index
            ),
            "ended_early": events.index == events.index[-1],
        }.get(row.kind)
        if marked is not None:
            for position in np.flatnonzero(np.asarray(marked, dtype=bool)):
                kinds[position] = (*kinds[position], row.kind)
    skipped = deviations.loc[deviations["kind"] == "skipped_step", "step"].astype(str)
    return replace(
        trail,
        deviations=tuple(kinds),
        skipped=tuple(dict.fromkeys([*trail.skipped, *skipped])),
    )


def _utc(values: pd.Series) -> pd.Series:
    values = pd.to_datetime(values)
    return values.dt.tz_localize("UTC") if values.dt.tz is None else values.dt.tz_convert("UTC")


def sample_cases(log: EventLog | InPlaceLog, per_variant: int = 3, seed: int = 0) -> pd.DataFrame:
    """Up to `per_variant` cases drawn at random from each variant, the same for the same seed.

    Columns: `variant` (numbered as in `discover_variants`), `variant_cases`, `case_id`,
    `throughput_s`; ordered by variant, then by the draw. The draw orders each variant's
    cases by a hash of the seed and the case id, so it needs no pass over the cases in
    Python and gives the same sample on every run.
    """
    if isinstance(log, InPlaceLog):
        return sample_in_place(log, per_variant, seed)
    cases = case_sequences(log)
    draw = (cases.case_id + expr.literal(f"\x1f{seed}")).hash()
    window = expr.window(group_by=cases.activities, order_by=[draw, cases.case_id])
    ranked = cases.mutate(draw_rank=expr.row_number().over(window))
    frame = execute(ranked.filter(ranked.draw_rank < per_variant))
    variants = discover_variants(log).variants
    number = dict(zip(variants["activities"], variants["variant"], strict=True))
    size = dict(zip(variants["activities"], variants["cases"], strict=True))
    keys = frame["activities"].map(tuple)
    sample = pd.DataFrame(
        {
            "variant": keys.map(number).astype("int64"),
            "variant_cases": keys.map(size).astype("int64"),
            "case_id": frame["case_id"].astype(str),
            "throughput_s": frame["throughput"].astype(float),
            "draw_rank": frame["draw_rank"],
        }
    )
    sample = sample.sort_values(["variant", "draw_rank"]).drop(columns="draw_rank")
    return sample.reset_index(drop=True)


def find_cases(log: EventLog, text: str, limit: int = 20) -> tuple[str, ...]:
    """Case ids containing `text` (ignoring case): an exact match first, then shorter ids,
    then alphabetically; at most `limit`.

    >>> find_cases(log, "12")  # doctest: +SKIP
    ('12', '112', '120', ...)
    """
    wanted = text.strip().lower()
    table = source(log, "activity")
    ids = table.select("case_id").distinct()
    lowered = ids.case_id.lower()
    found = ids.filter(lowered.contains(wanted)).order_by(
        [(lowered != wanted), ids.case_id.length(), ids.case_id]
    )
    return tuple(execute(found.limit(limit))["case_id"].astype(str))
