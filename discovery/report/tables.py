"""What a report shows, as data every renderer (Excel, HTML, PDF) lays out its own way.

A `Table` keeps its values as values: counts and numbers as numbers, shares as fractions,
durations in seconds, moments as UTC timestamps, texts as strings or `Message`s. Each
`Column` says which `kind` its values are, so that Excel sets a number format and HTML says
the value in the report's language (`cell_text`).

>>> table = Table(message("report.sheet.variants"), (Column("cases", "col.cases", "count"),),
...               pd.DataFrame({"cases": [1234]}))
>>> cell_text(table.rows["cases"][0], "count", "nl", "UTC")
'1.234'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, TypeAlias

import pandas as pd

from discovery.words import (
    Language,
    Message,
    format_count,
    format_datetime,
    format_duration,
    format_month,
    format_number,
    format_share,
    message,
    say,
)

__all__ = ["Cell", "Column", "Figure", "Kind", "Table", "cell_text", "label_text"]

Kind = Literal["text", "count", "number", "share", "duration", "datetime", "month"]
"""How a column's values are shown: `duration` in seconds, `datetime` a UTC moment,
`month` a "YYYY-MM" text."""
Cell: TypeAlias = str | Message | int | float | pd.Timestamp | None
ROW_LIMIT = 10_000
"""Rows a report table shows at most; a note says how many more there are."""


@dataclass(frozen=True)
class Column:
    """A column of a report table: the frame's column `name`, its header (a catalogue key
    or a message, or a plain `text` such as a department's name) and how its values show."""

    name: str
    label: str | Message
    kind: Kind = "text"
    text: bool = False  # the label is the data's own text (a department), not a key


@dataclass(frozen=True)
class Table:
    """A titled table: `rows` holds one column per `Column`; `note` says what to know
    (such as the rows left out), `total_rows` is how many rows there were before the cut."""

    title: Message
    columns: tuple[Column, ...]
    rows: pd.DataFrame
    note: Message | None = None
    total_rows: int = field(default=-1)

    def __post_init__(self) -> None:
        total = len(self.rows) if self.total_rows < 0 else self.total_rows
        object.__setattr__(self, "total_rows", total)
        if len(self.rows) > ROW_LIMIT:
            object.__setattr__(self, "rows", self.rows.head(ROW_LIMIT))
        if self.note is None and total > len(self.rows):
            note = message("report.rows_cut", shown=len(self.rows), total=total)
            object.__setattr__(self, "note", note)


@dataclass(frozen=True)
class Figure:
    """One headline figure: its label, its value and how the value shows."""

    label: Message
    value: Cell
    kind: Kind = "count"


def label_text(column: Column, language: Language) -> str:
    """A column's header in `language` (a data label such as a department stays as it is)."""
    if column.text and isinstance(column.label, str):
        return column.label
    return say(column.label, language)


def cell_text(value: Cell, kind: Kind, language: Language, timezone: str) -> str:
    """A value as text in `language`, moments in `timezone`; a missing value is empty."""
    if isinstance(value, Message):
        return say(value, language)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    match kind:
        case "count":
            return format_count(int(value), language)
        case "number":
            return format_number(float(value), language, 2)
        case "share":
            return format_share(float(value), language)
        case "duration":
            return format_duration(float(value), language)
        case "datetime":
            moment = pd.Timestamp(value).tz_convert(timezone).tz_localize(None)
            return format_datetime(moment, language)
        case "month":
            return format_month(pd.Timestamp(f"{value}-01"), language)
    return str(value)
