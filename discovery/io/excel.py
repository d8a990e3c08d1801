"""Reading Excel workbooks with python-calamine; cells keep their types.

Text stays text, numbers stay numbers (a column of whole numbers becomes Int64: Excel
stores 123 as 123.0), dates and times become datetimes (naive, as shown in the sheet),
empty cells are missing. The header may sit below title lines; the frame's index is the
Excel row number. Legacy .xls workbooks are read by calamine too; a password-protected
workbook (an OLE2 container, like .xls) is refused with a clear message.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from python_calamine import CalamineSheet, CalamineWorkbook

from discovery.errors import LogError
from discovery.io._names import clean_headers
from discovery.io._safety import OLE_MAGIC, ZIP_MAGIC, check_file, guarded, read_head
from discovery.io._sheet import HEADER_SCAN_ROWS, find_header_row, has_date_column, is_empty
from discovery.io._table import RawTable
from discovery.io._zip import check_xlsx_zip
from discovery.words import Count, Message, message

PROBE_ROWS = HEADER_SCAN_ROWS + 50
_SAFE_INT = 2**53

Cell = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta  # calamine's


@guarded("excel")
def list_sheets(path: str | Path, *, name: str | None = None) -> list[str]:
    """The names of a workbook's sheets, in order.

    >>> list_sheets("export.xlsx")  # doctest: +SKIP
    ['Summary', 'Events']
    """
    file, shown = check_file(path, name)
    with _open_workbook(file, shown) as workbook:
        return list(workbook.sheet_names)


@guarded("excel")
def read_excel(path: str | Path, *, sheet: str | None = None, name: str | None = None) -> RawTable:
    """Read one sheet of a workbook: `sheet` by name, else the first that looks like a log.

    >>> raw = read_excel("export.xlsx")  # doctest: +SKIP
    >>> raw.sheet, raw.frame.index[0]  # doctest: +SKIP
    ('Events', 4)
    """
    file, shown = check_file(path, name)
    notes: list[Message] = []
    if read_head(file, 8).startswith(OLE_MAGIC):
        notes.append(message("io.note.legacy_xls"))
    with _open_workbook(file, shown) as workbook, _no_cycle_collection():
        sheets = _Sheets(workbook, shown)
        chosen, why = _choose_sheet(sheets, sheet)
        rows = sheets.rows(chosen)
        header = find_header_row(rows)
        if header is None:
            raise LogError(message("io.error.sheet_empty", sheet=chosen), file=shown)
        frame, table_notes = _frame(rows, header)
        del rows
    notes.append(why)
    if frame.empty:
        raise LogError(message("io.error.sheet_no_rows", sheet=chosen), file=shown)
    notes.extend(table_notes)
    return RawTable(frame=frame, source=shown, format="xlsx", sheet=chosen, notes=tuple(notes))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of cell objects are made.

    Cells hold no reference cycles; without this, collection passes take ~40% of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _open_workbook(file: Path, shown: str) -> CalamineWorkbook:
    head = read_head(file, 8)
    ole = head.startswith(OLE_MAGIC)
    if head.startswith(ZIP_MAGIC):
        check_xlsx_zip(file, shown)
    elif not ole:
        raise LogError(message("io.error.not_excel"), file=shown)
    try:
        return CalamineWorkbook.from_path(str(file))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine errors and Rust panics alike
        if ole:
            raise LogError(message("io.error.protected"), file=shown) from None
        said = message("io.error.excel_unreadable", reason=str(exc))
        raise LogError(said, file=shown) from None


class _Sheets:
    """A workbook's sheets, each parsed once (calamine parses a whole sheet on access)."""

    def __init__(self, workbook: CalamineWorkbook, shown: str) -> None:
        self.workbook = workbook
        self.shown = shown
        self.names = list(workbook.sheet_names)
        self._loaded: dict[str, CalamineSheet] = {}

    def rows(self, sheet: str, limit: int | None = None) -> list[list[Cell]]:
        """The sheet's cells from A1, row by row (at most `limit` rows)."""
        try:
            if sheet not in self._loaded:
                self._loaded[sheet] = self.workbook.get_sheet_by_name(sheet)
            return self._loaded[sheet].to_python(skip_empty_area=False, nrows=limit)
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine errors and Rust panics alike
            said = message("io.error.sheet_unreadable", sheet=sheet, reason=str(exc))
            raise LogError(said, file=self.shown) from None


def _choose_sheet(sheets: _Sheets, sheet: str | None) -> tuple[str, Message]:
    """The sheet to read and a note saying why."""
    names, shown = sheets.names, sheets.shown

    def note(key: str, chosen: str, **why: Message) -> Message:
        """The note `key`, naming the other sheets, or saying there are none."""
        rest = ", ".join(f"'{n}'" for n in names if n != chosen)
        if not rest:
            return message(f"{key}_only", sheet=chosen, **why)
        return message(key, sheet=chosen, others=rest, **why)

    if sheet is not None:
        if sheet not in names:
            listed = ", ".join(f"'{n}'" for n in names)
            said = message("io.error.no_such_sheet", sheet=sheet, sheets=listed)
            raise LogError(said, file=shown)
        return sheet, note("io.note.sheet_asked", sheet)
    first_with_data = None
    for candidate in names:
        try:
            probe = sheets.rows(candidate, PROBE_ROWS)
        except LogError:
            continue  # e.g. a chart sheet
        header = find_header_row(probe)
        if header is None:
            continue
        first_with_data = first_with_data or candidate
        if len(probe) > header + 1 and has_date_column(probe[header + 1 :]):
            why = message("io.sheet.has_dates")
            return candidate, note("io.note.sheet_chosen", candidate, why=why)
    if first_with_data is None:
        raise LogError(message("io.error.no_sheet_data"), file=shown)
    why = message("io.sheet.first_with_data")
    return first_with_data, note("io.note.sheet_chosen", first_with_data, why=why)


def _frame(rows: list[list[Cell]], header: int) -> tuple[pd.DataFrame, list[Message]]:
    """The table below the header row, indexed by Excel row number."""
    notes = []
    if header:
        notes.append(message("io.note.header_row", row=str(header + 1), count=Count(header)))
    head = rows[header]
    data = rows[header + 1 :]
    grid = np.empty((len(data), len(head)), dtype=object)
    grid[:] = data if data else grid
    empty = (grid == "") | pd.isna(grid)
    used = [i for i in range(len(head)) if not is_empty(head[i]) or not empty[:, i].all()]
    names, renames = clean_headers([head[i] for i in used], label=lambda k: _letter(used[k]))
    notes.extend(renames)
    frame = pd.DataFrame(
        {name: _typed(grid[:, i], empty[:, i]) for name, i in zip(names, used, strict=True)}
    )
    frame.index = pd.RangeIndex(header + 2, header + 2 + len(data))
    blank = empty[:, used].all(axis=1)
    if blank.any():
        frame = frame[~blank]
        notes.append(message("io.note.empty_rows", count=Count(int(blank.sum()))))
    return frame, notes


def _typed(values: np.ndarray, empty: np.ndarray) -> pd.Series:
    """One column with empty cells missing and, where all values agree, a proper dtype."""
    if empty.any():
        values = values.copy()
        values[empty] = None
    series = pd.Series(values, dtype=object)
    kinds = set(map(type, values[~empty].tolist()))
    if kinds == {str} or not kinds:
        return series.astype("str")
    if kinds <= {float, int}:
        numbers = series.astype("float64")
        whole = numbers.dropna()
        if (whole == np.floor(whole)).all() and (whole.abs() < _SAFE_INT).all():
            return numbers.astype("Int64")
        return numbers
    if kinds <= {dt.datetime, dt.date}:
        return pd.to_datetime(series)
    if kinds == {bool}:
        return series.astype("boolean")
    return series


def _letter(index: int) -> str:
    """Excel column letter: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
