"""The bureaucracy lens: handoffs, ping-pong, rework, waiting and working, per case and overall."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery.engine import (
    CaseCodes,
    Table,
    cases_per_key,
    event_values,
    execute,
    numbered,
    source,
)
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.mining._working_time import with_working_time
from discovery.mining.in_place.handoffs import case_counts, handoffs_in_place
from discovery.mining.variants import case_throughputs


@dataclass(frozen=True)
class CaseCounts:
    """Over every case of a log: how many `cases`, and for each column of `COUNTED` how
    many cases have more than 0 (`positive`) and its sum (`total`); whole numbers, so that a
    share or mean made of them is divided once, exactly as pandas' mean of the column."""

    cases: int
    positive: Mapping[str, int]
    total: Mapping[str, int]


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
    `counts`: over every case, the cases with more than 0 and the sum of each column of
    `COUNTED` (events, departments, handoffs, pingpongs, resource_pingpongs, rework_events),
    of which `cases`, `share_of_cases` and `mean_per_case` are made: of a log in place too,
    whose `per_case` holds its first `PER_CASE_LIMIT` cases only.
    """

    per_case: pd.DataFrame
    matrix: pd.DataFrame
    pingpong: pd.DataFrame
    resource_pingpong: pd.DataFrame
    rework: pd.DataFrame
    waiting_by_department: pd.DataFrame
    counts: CaseCounts

    @property
    def cases(self) -> int:
        """How many cases: every case of the log, also in place."""
        return self.counts.cases

    def share_of_cases(self, column: str) -> float:
        """Share of cases with at least one (handoff, pingpong, rework event, ...: a column
        of `COUNTED`), over every case; 0 without cases."""
        return self.counts.positive[column] / self.cases if self.cases else 0.0

    def mean_per_case(self, column: str) -> float:
        """Mean (handoffs, pingpongs, rework events, ...: a column of `COUNTED`) per case,
        over every case, its whole sum divided once; NaN without cases."""
        return self.counts.total[column] / self.cases if self.cases else float("nan")

    def square_matrix(self) -> pd.DataFrame:
        """`matrix` as a table: handoffs from each department (rows) to each (columns),
        every department that hands over or receives, alphabetically; 0 where none."""
        departments = sorted({*self.matrix["source"], *self.matrix["target"]})
        table = self.matrix.pivot_table(
            index="source", columns="target", values="handoffs", fill_value=0
        )
        return table.reindex(index=departments, columns=departments, fill_value=0)


def analyse_handoffs(log: EventLog | InPlaceLog) -> HandoffReport:
    """Handoffs between departments, ping-pong, rework and flow efficiency, per case and
    overall. In place, `per_case` holds at most `PER_CASE_LIMIT` cases (the first by id);
    the figures over cases (`counts`) count every case there."""
    if isinstance(log, InPlaceLog):
        per_case, matrix, pingpong, resource, rework, waiting, counts = handoffs_in_place(log)
        return HandoffReport(
            per_case, matrix, pingpong, resource, rework, waiting, CaseCounts(*counts)
        )
    activities = CaseCodes.of(log, "activity")
    levels = {
        level: CaseCodes.of(log, level) for level in ("department", "resource") if log.has(level)
    }
    visits = {level: _Visits.of(codes) for level, codes in levels.items()}
    per_case = _per_case(log, activities, levels, visits)
    if "department" in visits:
        matrix = _handoff_matrix(visits["department"])
        pingpong = _pingpong(visits["department"])
        waiting = _waiting_by_department(source(log, "department"))
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
        rework=_rework(activities),
        waiting_by_department=waiting,
        counts=CaseCounts(*case_counts(per_case)),
    )


@dataclass(frozen=True)
class _Visits:
    """Consecutive events of a case at the same value collapsed into one visit: each
    visit's case, value code, and the code of the visit before (-1 for a case's first)."""

    codes: CaseCodes
    case: np.ndarray
    value: np.ndarray
    before: np.ndarray

    @classmethod
    def of(cls, codes: CaseCodes) -> _Visits:
        starts = codes.first.copy()
        starts[1:] |= codes.codes[1:] != codes.codes[:-1]
        case, value = codes.case[starts], codes.codes[starts].astype(np.int32)
        before = np.where(codes.first[starts], -1, np.roll(value, 1))
        return cls(codes, case, value, before)

    @property
    def moves(self) -> np.ndarray:
        """Visits that follow another visit in their case."""
        return self.before >= 0

    @property
    def bounces(self) -> np.ndarray:
        """Visits back to the value of the visit before the one before (A → B → A)."""
        back = np.zeros(len(self.value), dtype=bool)
        back[2:] = (self.value[2:] == self.value[:-2]) & (self.case[2:] == self.case[:-2])
        return back


def _handoff_matrix(visits: _Visits) -> pd.DataFrame:
    moves = visits.moves
    frame = _pair_counts(visits, visits.before[moves], visits.value[moves], visits.case[moves])
    frame.columns = ["source", "target", "handoffs", "cases"]
    return _ranked(frame, "handoffs", ["source", "target"])


PINGPONG_COLUMNS = ["first", "second", "occurrences", "cases"]


def _pingpong(visits: _Visits) -> pd.DataFrame:
    bounces = visits.bounces
    value, before = visits.value[bounces], visits.before[bounces]
    # each pair in alphabetical order of the names
    rank = np.argsort(np.argsort(visits.codes.names))
    swap = rank[value] > rank[before]
    first, second = np.where(swap, before, value), np.where(swap, value, before)
    frame = _pair_counts(visits, first, second, visits.case[bounces])
    frame.columns = PINGPONG_COLUMNS
    return _ranked(frame, "cases", ["first", "second"])


def _pair_counts(
    visits: _Visits, first: np.ndarray, second: np.ndarray, case: np.ndarray
) -> pd.DataFrame:
    """Occurrences and cases of each (first, second) pair of codes, with their names."""
    size = len(visits.codes.names)
    ids, pairs = numbered(first.astype(np.int64) * size + second)
    names = np.asarray(visits.codes.names, dtype=object)
    return pd.DataFrame(
        {
            "first": names[pairs // size],
            "second": names[pairs % size],
            "occurrences": np.bincount(ids, minlength=len(pairs)),
            "cases": cases_per_key(case, ids, len(pairs)),
        }
    )


def _rework(activities: CaseCodes) -> pd.DataFrame:
    """Activities done more than once in a case: in how many cases, and how many repeats."""
    cases, repeats = activities.repeats()
    frame = pd.DataFrame({"activity": activities.names, "cases": cases, "repeats": repeats})
    frame = frame[frame["cases"] > 0]
    return _ranked(frame, "cases", ["activity"])


def _waiting_by_department(events: Table) -> pd.DataFrame:
    waits = events.filter(events.wait_before.notnull())
    waiting_us = (waits.wait_before * 1_000_000).round().cast("int64").sum()  # exact
    table = execute(waits.group_by(waits.department).aggregate(waiting_us=waiting_us))
    table["waiting_s"] = table.pop("waiting_us").astype("float64") / 1_000_000
    total = table["waiting_s"].sum()
    table["share"] = table["waiting_s"] / total if total else 0.0
    return _ranked(table, "waiting_s", ["department"])


def _per_case(
    log: EventLog,
    activities: CaseCodes,
    levels: dict[str, CaseCodes],
    visits: dict[str, _Visits],
) -> pd.DataFrame:
    n = activities.cases
    frame = pd.DataFrame({"case_id": event_values(log, "case_id", activities.first)})
    frame["events"] = np.diff(activities.bounds)
    frame["departments"] = (
        levels["department"].distinct_per_case() if "department" in levels else np.zeros(n, int)
    )
    for column, level, counted in (
        ("handoffs", "department", "moves"),
        ("pingpongs", "department", "bounces"),
        ("resource_pingpongs", "resource", "bounces"),
    ):
        if level in visits:
            chosen = getattr(visits[level], counted)
            frame[column] = np.bincount(visits[level].case[chosen], minlength=n)
        else:
            frame[column] = 0
    frame["rework_events"] = frame["events"] - activities.distinct_per_case()
    frame["throughput_s"] = case_throughputs(log)
    working_s = None
    if log.has("start_timestamp"):
        working = event_values(log, "timestamp") - event_values(log, "begin")
        working_s = np.add.reduceat(working, activities.bounds[:-1]) / 1_000_000 if n else working
    return with_working_time(frame, working_s)[PER_CASE_COLUMNS]


PER_CASE_COLUMNS = [
    "case_id", "events", "departments", "handoffs", "pingpongs", "resource_pingpongs",
    "rework_events", "throughput_s", "working_s", "waiting_s", "flow_efficiency",
]  # fmt: skip


def _ranked(frame: pd.DataFrame, by: str, keys: list[str]) -> pd.DataFrame:
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)
