"""The Ibis vocabulary the analyses write their queries in.

Analyses build expressions on a log's prepared events (`discovery.engine.source`,
`steps`) with the methods of `Table` and `Value` and the few constructs here, and run them
with `discovery.engine.execute`. They never import ibis themselves.

>>> from discovery.engine import expressions as expr
>>> expr.memtable({"step": ["Intake"], "limit_s": [3600.0]}).columns
('step', 'limit_s')
"""

from __future__ import annotations

import ibis
from ibis.expr.builders import LegacyWindowBuilder as Window
from ibis.expr.types import Table, Value

__all__ = [
    "Table",
    "Value",
    "Window",
    "case_window",
    "cases",
    "ifelse",
    "literal",
    "memtable",
    "not_below_zero",
    "null",
    "row_number",
    "seconds_between",
    "window",
]

memtable = ibis.memtable  # a small table of our own (a journey's norms, a stage list)
cases = ibis.cases  # one CASE: a small mapping where no table may be made (a read-only server)
literal = ibis.literal
null = ibis.null
ifelse = ibis.ifelse
window = ibis.window
row_number = ibis.row_number


def seconds_between(start: Value, end: Value) -> Value:
    """Seconds from `start` to `end`, exact to the microsecond (whole microseconds, divided
    once), on every backend."""
    return end.delta(start, unit="microsecond") / 1_000_000


def not_below_zero(seconds: Value) -> Value:
    """Negative values as zero, nulls kept (DuckDB's GREATEST would turn them into zero)."""
    return ibis.ifelse(seconds < 0, 0, seconds)


def case_window(events: Table) -> Window:
    """Each case's events in order: timestamp, then position in the source."""
    return ibis.window(group_by=events.case_index, order_by=events.order)
