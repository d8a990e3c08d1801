"""The bureaucracy lens: handoffs, ping-pong, rework, waiting and working, per case and overall."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import ibis
import pandas as pd
from ibis.expr.types import Table

from discovery.engine import (
    case_window,
    events_table,
    execute,
    materialized,
    seconds_between,
    with_waits,
)
from discovery.log import EventLog


@dataclass(frozen=True)
class HandoffReport:
    """Where cases are passed around.

    `per_case`: case_id, events, departments, handoffs, pingpongs, resource_pingpongs,
    rework_events, throughput_s, working_s, waiting_s, flow_efficiency (working / throughput;
    working and flow efficiency only where the log has start times).
    `matrix`: source, target, handoffs, cases — department to department, self excluded.
    `pingpong`: first, second, occurrences, cases — a pair of departments (in alphabetical
    order) a case bounced between: A → B → A or B → A → B; each bounce is one occurrence.
    `resource_pingpong`: the same between resources.
    `rework`: activity, cases, repeats — activities done more than once in a case.
    `waiting_by_department`: department, waiting_s, share — time cases waited before the
    department's events, from the end of the previous event.
    """

    per_case: pd.DataFrame
    matrix: pd.DataFrame
    pingpong: pd.DataFrame
    resource_pingpong: pd.DataFrame
    rework: pd.DataFrame
    waiting_by_department: pd.DataFrame

    @property
    def cases(self) -> int:
        return len(self.per_case)

    def share_of_cases(self, column: str) -> float:
        """Share of cases with at least one (handoff, pingpong, rework event, ...)."""
        return float((self.per_case[column] > 0).mean()) if self.cases else 0.0


def analyse_handoffs(log: EventLog) -> HandoffReport:
    """Handoffs between departments, ping-pong, rework and flow efficiency, per case and overall."""
    has_start = "start_timestamp" in log.events
    wanted = [
        c for c in ("activity", "department", "resource", "start_timestamp") if c in log.events
    ]
    events = events_table(log, wanted)
    with contextlib.ExitStack() as stack:
        visits = {
            column: stack.enter_context(materialized(_visits(events, column)))
            for column in ("department", "resource")
            if column in log.events
        }
        per_case = _per_case(events, has_start, visits)
        if "department" in visits:
            matrix, pingpong = (
                _handoff_matrix(visits["department"]),
                _pingpong(visits["department"]),
            )
            waiting = _waiting_by_department(events)
        else:
            matrix = pd.DataFrame(columns=["source", "target", "handoffs", "cases"])
            pingpong = pd.DataFrame(columns=PINGPONG_COLUMNS)
            waiting = pd.DataFrame(columns=["department", "waiting_s", "share"])
        resource_pingpong = (
            _pingpong(visits["resource"])
            if "resource" in visits
            else pd.DataFrame(columns=PINGPONG_COLUMNS)
        )
    return HandoffReport(
        per_case=per_case,
        matrix=matrix,
        pingpong=pingpong,
        resource_pingpong=resource_pingpong,
        rework=_rework(events),
        waiting_by_department=waiting,
    )


def _visits(events: Table, column: str) -> Table:
    """Consecutive events of a case at the same value collapsed into one visit."""
    known = events.filter(events[column].notnull())
    window = case_window(known)
    previous = known[column].lag().over(window)
    marked = known.mutate(value=known[column], new=previous.isnull() | (previous != known[column]))
    visits = marked.filter(marked.new)
    window = case_window(visits)
    return visits.mutate(
        before=visits.value.lag().over(window),
        before_that=visits.value.lag(2).over(window),
    )


def _handoff_matrix(visits: Table) -> pd.DataFrame:
    moves = visits.filter(visits.before.notnull())
    matrix = moves.group_by(source=moves.before, target=moves.value).aggregate(
        handoffs=moves.count(), cases=moves.case_id.nunique()
    )
    return _ranked(execute(matrix), "handoffs", ["source", "target"])


PINGPONG_COLUMNS = ["first", "second", "occurrences", "cases"]


def _pingpong(visits: Table) -> pd.DataFrame:
    bounces = visits.filter(visits.before_that == visits.value)
    first = ibis.least(bounces.value, bounces.before)
    second = ibis.greatest(bounces.value, bounces.before)
    pairs = bounces.group_by(first=first, second=second).aggregate(
        occurrences=bounces.count(), cases=bounces.case_id.nunique()
    )
    return _ranked(execute(pairs), "cases", ["first", "second"])


def _rework(events: Table) -> pd.DataFrame:
    counts = events.group_by([events.case_id, events.activity]).aggregate(n=events.count())
    repeated = counts.filter(counts.n > 1)
    rework = repeated.group_by(repeated.activity).aggregate(
        cases=repeated.count(), repeats=(repeated.n - 1).sum()
    )
    return _ranked(execute(rework), "cases", ["activity"])


def _waiting_by_department(events: Table) -> pd.DataFrame:
    waits = with_waits(events)
    waits = waits.filter(waits.wait.notnull() & waits.department.notnull())
    table = execute(waits.group_by(waits.department).aggregate(waiting_s=waits.wait.sum()))
    total = table["waiting_s"].sum()
    table["share"] = table["waiting_s"] / total if total else 0.0
    return _ranked(table, "waiting_s", ["department"])


def _per_case(events: Table, has_start: bool, visits: dict[str, Table]) -> pd.DataFrame:
    begin = events.start_timestamp.fill_null(events.timestamp) if has_start else events.timestamp
    columns = events.columns
    marked = events.mutate(begin=begin, working=seconds_between(begin, events.timestamp))
    cases = marked.group_by(marked.case_id).aggregate(
        events=marked.count(),
        departments=marked.department.nunique() if "department" in columns else ibis.literal(0),
        activities=marked.activity.nunique(),
        throughput_s=seconds_between(marked.begin.min(), marked.timestamp.max()),
        working_s=marked.working.sum(),
    )
    frame = execute(cases)
    frame["rework_events"] = frame["events"] - frame.pop("activities")
    for column in ("department", "resource"):
        table = visits.get(column)
        moves = None if table is None else table.filter(table.before.notnull())
        bounces = None if table is None else table.filter(table.before_that == table.value)
        prefix = "" if column == "department" else "resource_"
        if column == "department":
            frame["handoffs"] = _count_per_case(moves, frame["case_id"])
        frame[f"{prefix}pingpongs"] = _count_per_case(bounces, frame["case_id"])
    if has_start:
        frame["waiting_s"] = (frame["throughput_s"] - frame["working_s"]).clip(lower=0)
        efficiency = frame["working_s"] / frame["throughput_s"]
        frame["flow_efficiency"] = efficiency.where(frame["throughput_s"] > 0).clip(upper=1)
    else:
        frame["working_s"] = float("nan")
        frame["waiting_s"] = frame["throughput_s"].astype(float)
        frame["flow_efficiency"] = float("nan")
    return frame[PER_CASE_COLUMNS].sort_values("case_id").reset_index(drop=True)


PER_CASE_COLUMNS = [
    "case_id", "events", "departments", "handoffs", "pingpongs", "resource_pingpongs",
    "rework_events", "throughput_s", "working_s", "waiting_s", "flow_efficiency",
]  # fmt: skip


def _count_per_case(rows: Table | None, cases: pd.Series) -> pd.Series:
    """Rows per case, 0 for cases without any (and everywhere when `rows` is None)."""
    if rows is None:
        return pd.Series(0, index=cases.index)
    counts = execute(rows.group_by(rows.case_id).aggregate(n=rows.count()))
    lookup = dict(zip(counts["case_id"], counts["n"], strict=True))
    return cases.map(lookup).fillna(0).astype("int64")


def _ranked(frame: pd.DataFrame, by: str, keys: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
