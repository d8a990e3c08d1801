"""The raw table every reader returns, before roles are mapped."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

from discovery.words import Message

SourceFormat = Literal["csv", "xlsx", "xes", "parquet", "dataframe"]


@dataclass(frozen=True)
class RawTable:
    """A table as read from a file, with where each row came from.

    `frame` holds the user's columns with values as read: text, numbers, datetimes.
    Its index is the row number a user sees in the source (the spreadsheet row, the
    CSV line of the record, the position of the event in an XES file), so every
    message can point at the row. `notes` records the decisions made while reading
    (encoding, delimiter, header row, sheet), as messages (`discovery.words.say` puts
    them in a language). `roles` gives the
    column of each role where the format itself says so (XES).
    """

    frame: pd.DataFrame
    source: str
    format: SourceFormat
    sheet: str | None = None
    notes: tuple[Message, ...] = ()
    roles: dict[str, str] = field(default_factory=dict)

    @property
    def rows_read(self) -> int:
        return len(self.frame)
