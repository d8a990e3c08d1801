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
import ibis.expr.datatypes as dt
from ibis.expr.builders import LegacyWindowBuilder as Window
from ibis.expr.types import Table, Value

__all__ = [
    "Table",
    "Value",
    "Window",
    "case_window",
    "epoch_us",
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
literal = ibis.literal
null = ibis.null
ifelse = ibis.ifelse
window = ibis.window
row_number = ibis.row_number


@ibis.udf.scalar.builtin  # type: ignore[untyped-decorator]
def epoch_us(moment: dt.timestamp) -> dt.int64:
    """Microseconds since 1970 (DuckDB's epoch_us): exact, where seconds as floats are not."""


def seconds_between(start: Value, end: Value) -> Value:
    """Seconds from `start` to `end`, exact to the microsecond."""
    return (epoch_us(end) - epoch_us(start)) / 1_000_000


def not_below_zero(seconds: Value) -> Value:
    """Negative values as zero, nulls kept (DuckDB's GREATEST would turn them into zero)."""
    return ibis.ifelse(seconds < 0, 0, seconds)


def case_window(events: Table) -> Window:
    """Each case's events in order: timestamp, then position in the source."""
    return ibis.window(group_by=events.case_index, order_by=events.order)
