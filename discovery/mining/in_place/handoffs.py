"""Handoffs, ping-pong, rework and flow efficiency in place: visits (a case's consecutive
events at one value) and their bounces found by window functions where the log lives."""

from __future__ import annotations

import pandas as pd

from discovery.engine import Table
from discovery.engine import expressions as expr
from discovery.engine.in_place import InPlaceLog, prepared_in_place, run_in_place, text_key
from discovery.mining._working_time import with_working_time
from discovery.mining.in_place._frames import as_float, as_int, as_text, ranked

PER_CASE_LIMIT = 1_000_000
"""At most this many cases' rows come back in `per_case` (the first by case id); the
figures over cases (`CaseCounts`) count every case all the same."""
PINGPONG_COLUMNS = ["first", "second", "occurrences", "cases"]
COUNTED = ["events", "departments", "handoffs", "pingpongs", "resource_pingpongs", "rework_events"]
"""The columns of `per_case` whose share of cases and mean per case the report gives."""
CaseCounts = tuple[int, dict[str, int], dict[str, int]]
"""Over every case: how many cases, and for each column of `COUNTED` how many cases have
more than 0 and its sum (whole numbers, so the shares and means made of them are exact)."""
HandoffFrames = tuple[
    pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame, CaseCounts
]


def case_counts(per_case: pd.DataFrame) -> CaseCounts:
    """The `CaseCounts` of cases all in `per_case`."""
    return (
        len(per_case),
        {column: int((per_case[column] > 0).sum()) for column in COUNTED},
        {column: int(per_case[column].sum()) for column in COUNTED},
    )


def handoffs_in_place(log: InPlaceLog) -> HandoffFrames:
    """The frames of `HandoffReport` (per_case, matrix, pingpong, resource_pingpong, rework,
    waiting_by_department) and its `CaseCounts`, computed where the log lives. `per_case` is
    the one result that grows with the log: the rows of the first `PER_CASE_LIMIT` cases by
    case id come back; where there are that many, the counts over every case are found
    there by one more query (else from `per_case`, which then holds every case)."""
    events = prepared_in_place(log, "activity")
    visits = {
        level: _visits(prepared_in_place(log, level), level)
        for level in ("department", "resource")
        if log.has(level)
    }
    empty_pairs = pd.DataFrame(columns=PINGPONG_COLUMNS)
    if "department" in visits:
        matrix = _matrix(visits["department"])
        pingpong = _pingpong(log, visits["department"])
        waiting = _waiting_by_department(events)
    else:
        matrix = pd.DataFrame(columns=["source", "target", "handoffs", "cases"])
        pingpong = empty_pairs
        waiting = pd.DataFrame(columns=["department", "waiting_s", "share"])
    resource = _pingpong(log, visits["resource"]) if "resource" in visits else empty_pairs
    per_case, counts = _per_case(log, events, visits)
    return per_case, matrix, pingpong, resource, _rework(events), waiting, counts


def _visits(events: Table, level: str) -> Table:
    """A case's consecutive events at one value as one visit: case_id, value, before (the
    visit before's value, null at a case's first) and bounced (back to the value of the
    visit before the one before: A → B → A)."""
    starts = events.filter(events.first | (events[level] != events[f"previous_{level}"]))
    window = expr.window(group_by=starts.case_id, order_by=starts.order)
    value = starts[level]
    before, twice = value.lag().over(window), value.lag(2).over(window)
    return starts.select(
        "case_id", value=value, before=before, bounced=(value == twice).fill_null(False)
    )


def _matrix(visits: Table) -> pd.DataFrame:
    moves = visits.filter(visits.before.notnull())
    frame = run_in_place(
        moves.group_by(source=moves.before, target=moves.value).aggregate(
            handoffs=moves.count(), cases=moves.case_id.nunique()
        )
    )
    frame = as_int(as_text(frame, ["source", "target"]), ["handoffs", "cases"])
    return ranked(frame, "handoffs", ["source", "target"])


def _pingpong(log: InPlaceLog, visits: Table) -> pd.DataFrame:
    bounces = visits.filter(visits.bounced)
    value, before = bounces.value, bounces.before
    value_first = text_key(log, value) < text_key(log, before)
    frame = run_in_place(
        bounces.group_by(
            first=expr.ifelse(value_first, value, before),
            second=expr.ifelse(value_first, before, value),
        ).aggregate(occurrences=bounces.count(), cases=bounces.case_id.nunique())
    )
    frame = as_int(as_text(frame, ["first", "second"]), ["occurrences", "cases"])
    return ranked(frame[PINGPONG_COLUMNS], "cases", ["first", "second"])


def _rework(events: Table) -> pd.DataFrame:
    done = events.group_by(["case_id", "activity"]).aggregate(times=events.count())
    again = done.filter(done.times > 1)
    frame = run_in_place(
        again.group_by("activity").aggregate(cases=again.count(), repeats=(again.times - 1).sum())
    )
    frame = as_int(as_text(frame, ["activity"]), ["cases", "repeats"])
    return ranked(frame, "cases", ["activity"])


def _waiting_by_department(events: Table) -> pd.DataFrame:
    waits = events.filter(events.wait_before.notnull())
    table = run_in_place(
        waits.group_by("department").aggregate(waiting_us=waits.wait_before_us.sum())
    )
    table["waiting_s"] = table.pop("waiting_us").astype("float64") / 1_000_000  # summed exactly
    table = as_float(as_text(table, ["department"]), ["waiting_s"])
    total = table["waiting_s"].sum()
    table["share"] = table["waiting_s"] / total if total else 0.0
    return ranked(table, "waiting_s", ["department"])


def _per_case(
    log: InPlaceLog, events: Table, visits: dict[str, Table]
) -> tuple[pd.DataFrame, CaseCounts]:
    has = log.has
    working = events.timestamp.delta(events.begin, unit="microsecond")
    cases = events.group_by("case_id").aggregate(
        events=events.count(),
        departments=events.department.nunique() if has("department") else expr.literal(0),
        activities=events.activity.nunique(),
        first_begin=events.begin.min(),
        last_end=events.timestamp.max(),
        working_us=working.sum(),
    )
    for column, level, counted in (
        ("handoffs", "department", "before"),
        ("pingpongs", "department", "bounced"),
        ("resource_pingpongs", "resource", "bounced"),
    ):
        if level not in visits:
            cases = cases.mutate(**{column: expr.literal(0)})
            continue
        chosen = visits[level]
        chosen = chosen.filter(
            chosen[counted].notnull() if counted == "before" else chosen[counted]
        )
        counts = chosen.group_by("case_id").aggregate(**{column: chosen.count()})
        cases = cases.left_join(counts, "case_id").drop("case_id_right")
        cases = cases.mutate(**{column: cases[column].fill_null(0)})
    cases = cases.mutate(
        throughput_us=cases.last_end.delta(cases.first_begin, unit="microsecond"),
        rework_events=cases.events - cases.activities,
    )
    first = cases.order_by("case_id").limit(PER_CASE_LIMIT)  # ordered again below, by code point
    frame = run_in_place(first.drop("first_begin", "last_end", "rework_events"))
    frame = as_text(frame, ["case_id"]).sort_values("case_id").reset_index(drop=True)
    counts = ["events", "departments", "handoffs", "pingpongs", "resource_pingpongs"]
    frame = as_int(frame, [*counts, "activities", "throughput_us", "working_us"])
    frame["rework_events"] = frame["events"] - frame.pop("activities")
    frame["throughput_s"] = frame.pop("throughput_us") / 1_000_000
    working_s = frame.pop("working_us") / 1_000_000
    frame = with_working_time(frame, working_s if has("start_timestamp") else None)
    frame = frame[[
        "case_id", *counts, "rework_events", "throughput_s", "working_s", "waiting_s",
        "flow_efficiency",
    ]]  # fmt: skip
    return frame, case_counts(frame) if len(frame) < PER_CASE_LIMIT else _counted(cases)


def _counted(cases: Table) -> CaseCounts:
    """The `CaseCounts` of every case, counted where the log lives."""
    found = run_in_place(
        cases.aggregate(
            _cases=cases.count(),
            **{f"positive_{c}": cases.count(where=cases[c] > 0) for c in COUNTED},
            **{f"total_{c}": cases[c].sum() for c in COUNTED},
        )
    ).iloc[0]
    whole = {name: 0 if pd.isna(value) else int(value) for name, value in found.items()}
    return (
        whole["_cases"],
        {c: whole[f"positive_{c}"] for c in COUNTED},
        {c: whole[f"total_{c}"] for c in COUNTED},
    )
