"""The one error type users see: a problem with their input, said in their terms."""

from __future__ import annotations


class LogError(ValueError):
    """An input that cannot be used, naming the file, and where known the row and column.

    >>> str(LogError("no timestamp column found", file="export.csv", column="datum"))
    "export.csv, column 'datum': no timestamp column found"
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column

    def __str__(self) -> str:
        where = [part for part in (self.file,) if part]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message
