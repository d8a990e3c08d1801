"""Finding the table in a sheet: the header row below any titles, and whether it holds dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

HEADER_SCAN_ROWS = 30
_BENEATH = 50
_TEXT_SHARE = 0.8
_DATE_TEXT = re.compile(r"^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}([ T]\d{1,2}:\d{2}.*)?\s*$")

Row = Sequence[object]


def is_empty(value: object) -> bool:
    """An empty cell, as calamine reports it."""
    return value is None or value == ""


def width(row: Row) -> int:
    """Number of non-empty cells in a row."""
    return sum(not is_empty(v) for v in row)


def find_header_row(rows: Sequence[Row]) -> int | None:
    """Index of the header row: among the first rows, the first whose cells are mostly text
    and which is about as wide as the rows beneath it. None if the rows are all empty.

    >>> find_header_row([["Report"], [], ["case", "activity", "time"], ["1", "a", 3.0]])
    2
    """
    widths = [width(r) for r in rows[: HEADER_SCAN_ROWS + _BENEATH]]
    first = next((i for i, w in enumerate(widths) if w), None)
    for i in range(min(HEADER_SCAN_ROWS, len(widths))):
        if not widths[i]:
            continue
        cells = [v for v in rows[i] if not is_empty(v)]
        text = sum(isinstance(v, str) for v in cells) / len(cells)
        beneath = max(widths[i + 1 : i + 1 + _BENEATH], default=0)
        wide = widths[i] >= 2 or beneath <= 1
        if text >= _TEXT_SHARE and wide and widths[i] >= 0.8 * beneath:
            return i
    return first


def has_date_column(rows: Sequence[Row]) -> bool:
    """Whether some column of these data rows is mostly dates or times (values or text)."""
    if not rows:
        return False
    for column in range(max(len(r) for r in rows)):
        values = [r[column] for r in rows if column < len(r) and not is_empty(r[column])]
        dates = sum(
            isinstance(v, dt.date | dt.time) or (isinstance(v, str) and bool(_DATE_TEXT.match(v)))
            for v in values
        )
        if values and dates >= 0.5 * len(values):
            return True
    return False
