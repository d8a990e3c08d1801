"""Lifecycle transitions folded in place, as the local reader folds them
(`discovery.log.lifecycle.merge_lifecycle`): per case and activity in the case's order, the
k-th start (and the k-th schedule) belongs to the k-th complete when it comes before it;
the pair is one event with `start_timestamp` (and `schedule_timestamp`). A row without a
transition counts as complete; every other row stays an event of its own."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
from ibis.expr.types import Table

_FOLDED = {"start": "start_timestamp", "schedule": "schedule_timestamp"}


def transitions(events: Table) -> Table:
    """The distinct transitions of `events` (lower case; none is "complete"), as
    `lifecycle`: a small table to ask which kinds there are to fold."""
    return events.select(lifecycle=_transition(events)).distinct()


def _transition(events: Table) -> Any:
    transition = events.lifecycle.strip().lower()
    return ibis.ifelse(transition.isnull() | (transition == ""), "complete", transition)


def folded(events: Table, order: Callable[[Table], list[Any]], present: set[str]) -> Table:
    """`events` (with `lifecycle`) with start and schedule rows folded into their complete;
    `order(table)`: the keys that order a case's events of a table; `present`: the
    transitions there are (`transitions`): a kind not there adds no column, as locally."""
    marked = events.mutate(lifecycle=_transition(events))
    in_case = ibis.window(group_by=marked.case_id, order_by=order(marked))
    marked = marked.mutate(_at=ibis.row_number().over(in_case))
    nth = ibis.window(
        group_by=[marked.case_id, marked.activity, marked.lifecycle], order_by=marked._at
    )
    marked = marked.mutate(_k=ibis.row_number().over(nth))
    completes = marked.filter(marked.lifecycle == "complete").select(
        "case_id", "activity", "_k", "_at"
    )
    result = marked
    for kind, column in _FOLDED.items():
        if kind not in present:
            continue
        rows = marked.filter(marked.lifecycle == kind).select(
            "case_id", "activity", "_k", _from=marked._at, **{column: marked.timestamp}
        )
        pairs = completes.join(rows, ["case_id", "activity", "_k"])
        pairs = pairs.filter(pairs._from < pairs._at)
        timed = pairs.select(_case=pairs.case_id, _pos=pairs._at, **{column: pairs[column]})
        result = result.left_join(
            timed, [result.case_id == timed._case, result._at == timed._pos]
        ).drop("_case", "_pos")
        gone = pairs.select(_case=pairs.case_id, _pos=pairs._from)
        result = result.anti_join(gone, [result.case_id == gone._case, result._at == gone._pos])
    return result.drop("_at", "_k")
