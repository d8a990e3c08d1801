"""Writing a simulated log as its journey prescribes: CSV, XLSX and the intended-journey table."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell

from ._spec import Journey

FIXED_TIME = (2026, 3, 1, 0, 0, 0)
_TIME_COLUMNS = ("start_timestamp", "timestamp")

Value = str | float | datetime | None  # a value as the sheet takes it


def _score_text(score: pd.Series, journey: Journey) -> pd.Series:
    """Scores as text: one decimal (with the log's decimal sign) for half points, else whole."""
    halves = any(s.score and s.score.resolution < 1 for s in journey.steps)
    if halves:
        text = score.map(lambda x: f"{x:.1f}".replace(".", journey.log.decimal))
    else:
        text = score.map(lambda x: f"{x:.0f}")
    return text.where(score.notna(), "")


def csv_table(frame: pd.DataFrame, journey: Journey) -> pd.DataFrame:
    """The canonical frame as the text table the CSV holds, with the log's headers."""
    out = frame.copy()
    for column in _TIME_COLUMNS:
        if column in out:
            out[column] = out[column].dt.strftime(journey.log.date_format)
    out["score"] = _score_text(out["score"], journey)
    return out.rename(columns=journey.log.columns)


def csv_text(frame: pd.DataFrame, journey: Journey) -> str:
    """The CSV file's content."""
    table = csv_table(frame, journey)
    text: str = table.to_csv(index=False, sep=journey.log.delimiter, lineterminator="\n")
    return text


def write_csv(frame: pd.DataFrame, journey: Journey, path: Path) -> None:
    """Write the log as CSV (UTF-8, `\\n` line ends)."""
    path.write_text(csv_text(frame, journey), encoding="utf-8", newline="")


def _rows(frame: pd.DataFrame) -> list[list[Value]]:
    columns: list[list[Value]] = []
    for name in frame.columns:
        values = frame[name]
        if name in _TIME_COLUMNS:
            columns.append(list(values.dt.to_pydatetime()))
        elif name == "score":
            columns.append([None if np.isnan(x) else float(x) for x in values])
        else:
            columns.append(values.astype(str).tolist())
    return [list(row) for row in zip(*columns, strict=True)]


def xlsx_bytes(frame: pd.DataFrame, journey: Journey) -> bytes:
    """The log as an XLSX workbook with real date cells; the same input gives the same bytes."""
    book = Workbook(write_only=True)
    book.properties.creator = "Journey Discovery simulator"
    book.properties.created = datetime(*FIXED_TIME)
    sheet = book.create_sheet(journey.log.sheet)
    for letter, width in zip("ABCDEFGHIJ", (14, 34, 18, 18, 24, 22, 16, 12, 14, 16), strict=False):
        sheet.column_dimensions[letter].width = width
    if journey.log.title:
        sheet.append([journey.log.title])
    sheet.append([journey.log.columns[c] for c in frame.columns])
    times = [i for i, c in enumerate(frame.columns) if c in _TIME_COLUMNS]
    for row in _rows(frame):
        cells: list[Value | Cell] = list(row)
        for i in times:
            cell = WriteOnlyCell(sheet, value=row[i])
            cell.number_format = journey.log.excel_date_format
            cells[i] = cell
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return _normalise_zip(buffer.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Fix the zip entry times and the document's modification time, for reproducible files."""
    out = io.BytesIO()
    stamp = "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*FIXED_TIME).encode()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, content)
    return out.getvalue()


def write_xlsx(frame: pd.DataFrame, journey: Journey, path: Path) -> None:
    """Write the log as XLSX."""
    path.write_bytes(xlsx_bytes(frame, journey))


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _hours(norm: float | None) -> str:
    if norm is None:
        return ""
    return f"{norm:g}"


def intended_table(journey: Journey) -> pd.DataFrame:
    """The intended journey as a plain table, one row per intended step, in order."""
    steps = [s for s in journey.steps if s.intended]
    return pd.DataFrame(
        {
            "step": range(1, len(steps) + 1),
            "activity": [s.activity for s in steps],
            "department": [s.department for s in steps],
            "optional": [_yes(s.share < 1) for s in steps],
            "may_repeat": [_yes(s.may_repeat) for s in steps],
            "parallel_group": [s.parallel_group for s in steps],
            "alternative_group": [s.alternative_group for s in steps],
            "goal": [_yes(s.goal) for s in steps],
            "max_wait_hours": [_hours(s.norm_hours) for s in steps],
        }
    )


def intended_text(journey: Journey) -> str:
    """The intended-journey CSV's content (comma-separated, English headers)."""
    text: str = intended_table(journey).to_csv(index=False, lineterminator="\n")
    return text
