"""The bureaucracy lens: handoffs, ping-pong, rework, waiting and working, per case and overall."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import ibis
import pandas as pd
from ibis.expr.types import Table

from discovery.engine import case_window, execute, materialized, seconds_between, source
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
    An event without a department counts as department "(none)", as on the maps.
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
    events = source(log, "activity")
    levels = [level for level in ("department", "resource") if log.has(level)]
    with contextlib.ExitStack() as stack:
        visits = {
            level: stack.enter_context(materialized(_visits(events, level))) for level in levels
        }
        repeats = stack.enter_context(materialized(_activity_counts(events)))
        per_case = _per_case(events, log.has("start_timestamp"), visits, repeats)
        if "department" in visits:
            matrix = _handoff_matrix(visits["department"])
            pingpong = _pingpong(visits["department"])
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
        rework = _rework(repeats)
    return HandoffReport(
        per_case=per_case,
        matrix=matrix,
        pingpong=pingpong,
        resource_pingpong=resource_pingpong,
        rework=rework,
        waiting_by_department=waiting,
    )


def _visits(events: Table, level: str) -> Table:
    """Consecutive events of a case at the same value collapsed into one visit, with the
    value of the visit before (`before`) and the one before that (`before_that`)."""
    previous = events[f"previous_{level}"]
    visits = events.filter(previous.isnull() | (previous != events[level]))
    return visits.select(
        "case_index",
        value=visits[level],
        before=visits[f"previous_{level}"],
        before_that=visits[level].lag(2).over(case_window(visits)),
    )


def _handoff_matrix(visits: Table) -> pd.DataFrame:
    moves = visits.filter(visits.before.notnull())
    matrix = moves.group_by(source=moves.before, target=moves.value).aggregate(
        handoffs=moves.count(), cases=moves.case_index.nunique()
    )
    return _ranked(execute(matrix), "handoffs", ["source", "target"])


PINGPONG_COLUMNS = ["first", "second", "occurrences", "cases"]


def _pingpong(visits: Table) -> pd.DataFrame:
    bounces = visits.filter(visits.before_that == visits.value)
    first = ibis.least(bounces.value, bounces.before)
    second = ibis.greatest(bounces.value, bounces.before)
    pairs = bounces.group_by(first=first, second=second).aggregate(
        occurrences=bounces.count(), cases=bounces.case_index.nunique()
    )
    return _ranked(execute(pairs), "cases", ["first", "second"])


def _activity_counts(events: Table) -> Table:
    """How often each case does each activity: the basis of rework."""
    return events.group_by([events.case_index, events.activity]).aggregate(n=events.count())


def _rework(counts: Table) -> pd.DataFrame:
    repeated = counts.filter(counts.n > 1)
    rework = repeated.group_by(repeated.activity).aggregate(
        cases=repeated.count(), repeats=(repeated.n - 1).sum()
    )
    return _ranked(execute(rework), "cases", ["activity"])


def _waiting_by_department(events: Table) -> pd.DataFrame:
    waits = events.filter(events.wait_before.notnull())
    table = execute(waits.group_by(waits.department).aggregate(waiting_s=waits.wait_before.sum()))
    total = table["waiting_s"].sum()
    table["share"] = table["waiting_s"] / total if total else 0.0
    return _ranked(table, "waiting_s", ["department"])


def _per_case(
    events: Table, has_start: bool, visits: dict[str, Table], repeats: Table
) -> pd.DataFrame:
    working = seconds_between(events.begin, events.timestamp)
    cases = events.group_by("case_index").aggregate(
        case_id=events.case_id.arbitrary(),
        events=events.count(),
        throughput_s=seconds_between(events.begin.min(), events.timestamp.max()),
        working_s=working.sum(),
    )
    # case_index follows the log's order, which is sorted by case id
    frame = execute(cases).set_index("case_index").sort_index()
    distinct = execute(repeats.group_by("case_index").aggregate(n=repeats.count()))
    frame["rework_events"] = frame["events"] - _per_index(distinct, "n", frame.index)
    department = _visit_counts(visits.get("department"), frame.index, distinct=True)
    frame["departments"] = department["values"]
    frame["handoffs"] = department["moves"]
    frame["pingpongs"] = department["bounces"]
    frame["resource_pingpongs"] = _visit_counts(visits.get("resource"), frame.index)["bounces"]
    if has_start:
        frame["waiting_s"] = (frame["throughput_s"] - frame["working_s"]).clip(lower=0)
        efficiency = frame["working_s"] / frame["throughput_s"]
        frame["flow_efficiency"] = efficiency.where(frame["throughput_s"] > 0).clip(upper=1)
    else:
        frame["working_s"] = float("nan")
        frame["waiting_s"] = frame["throughput_s"].astype(float)
        frame["flow_efficiency"] = float("nan")
    return frame[PER_CASE_COLUMNS].reset_index(drop=True)


PER_CASE_COLUMNS = [
    "case_id", "events", "departments", "handoffs", "pingpongs", "resource_pingpongs",
    "rework_events", "throughput_s", "working_s", "waiting_s", "flow_efficiency",
]  # fmt: skip


def _per_index(table: pd.DataFrame, column: str, cases: pd.Index) -> pd.Series:
    """`column` of a per-case table, zero for the cases it lacks."""
    return table.set_index("case_index")[column].reindex(cases).fillna(0).astype("int64")


def _visit_counts(visits: Table | None, cases: pd.Index, distinct: bool = False) -> pd.DataFrame:
    """Per case: moves between values, bounces (A → B → A) and, with `distinct`, how many
    different values it visited (grouped by case and value first, then by case: DuckDB
    does two plain groupings faster than a distinct count per case); zeros for cases
    without any, and everywhere when `visits` is None."""
    columns = ["moves", "bounces", *(["values"] if distinct else [])]
    if visits is None:
        return pd.DataFrame(0, index=cases, columns=columns)
    keys = [visits.case_index, *([visits.value] if distinct else [])]
    grouped = visits.group_by(keys).aggregate(
        moves=visits.before.notnull().cast("int64").sum(),
        bounces=(visits.before_that == visits.value).fill_null(False).cast("int64").sum(),
    )
    if distinct:
        grouped = grouped.group_by("case_index").aggregate(
            moves=grouped.moves.sum(), bounces=grouped.bounces.sum(), values=grouped.count()
        )
    table = execute(grouped).set_index("case_index")[columns]
    return table.reindex(cases).fillna(0).astype("int64")


def _ranked(frame: pd.DataFrame, by: str, keys: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
