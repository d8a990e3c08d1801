"""The report as an Excel workbook (openpyxl): one sheet per section, a sheet with the maps
as pictures, one sheet per tracer case; the provenance on the summary sheet.

Cells hold values, not text: counts and numbers are numbers, shares fractions, moments
naive local datetimes (in the report's time zone), months the first day of the month,
each with a number format of its language (a locale tag such as `[$-413]` says which).
Durations are kept simple: a number of days (seconds / 86,400, Excel's own unit of time,
so 1 is one day) with two decimals, the header saying "(days)".

Every text cell is text: a value that begins with `=`, `+`, `-`, `@`, a tab or a carriage
return is written as a string cell (with Excel's quote prefix), never as a live formula
(OWASP CSV injection), and comes back unchanged.

>>> write_xlsx(report, "report.xlsx", "nl")  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterable, Sequence
from numbers import Real
from pathlib import Path
from typing import BinaryIO, NamedTuple

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.drawing.image import Image
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from discovery.mining.findings import DEVIATION_NAMES
from discovery.report._provenance import Provenance
from discovery.report.content import Report, Section, tracer_table
from discovery.report.tables import Cell, Column, Figure, Kind, Table, label_text
from discovery.report.tracers import Tracer
from discovery.viz.dot import dot_to_png, map_dot
from discovery.words import Items, Language, Message, message, say

__all__ = ["number_format", "write_tracer_xlsx", "write_xlsx"]

_LOCALES = {"en": "[$-409]", "nl": "[$-413]", "de": "[$-407]"}
_DATETIMES = {"en": "yyyy-mm-dd hh:mm", "nl": "dd-mm-yyyy hh:mm", "de": "dd.mm.yyyy hh:mm"}
_CODES: dict[Kind, str] = {
    "count": "#,##0",
    "number": "#,##0.00",
    "share": "0.0%",
    "duration": "#,##0.00",
    "month": "mmm yyyy",
}
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_SECONDS_PER_DAY = 86_400
_WIDTH_MIN, _WIDTH_MAX = 8, 60  # characters
_FREEZE_UP_TO = 10  # a header further down would freeze too much of the screen
_ROW_PIXELS = 20  # Excel's default row height (15 points)
_PICTURE_WIDTH = 1_600  # pixels: a wider map is shown smaller
_SHEET_NAME_MAX = 31
_NOT_IN_SHEET_NAMES = str.maketrans({char: " " for char in "[]:*?/\\"})
_BOLD = Font(bold=True)

Value = str | int | float | dt.datetime | None


class _Cell(NamedTuple):
    value: Value
    number_format: str | None = None
    bold: bool = False


class _Row(NamedTuple):
    cells: tuple[_Cell, ...]
    loose: bool = False  # a title or a sentence: runs on to the right, not fitted


class _Sheet(NamedTuple):
    """A sheet laid out: its rows, the header row to freeze under (0: none), and PNG
    pictures by the row they stand on."""

    rows: tuple[_Row, ...]
    frozen: int = 0
    pictures: tuple[tuple[int, bytes], ...] = ()


def write_xlsx(report: Report, target: str | Path | BinaryIO, language: Language = "en") -> None:
    """The report as a workbook written to `target` (a path or a binary stream): the
    sections, the maps, then one sheet per tracer case. The same report gives the same
    bytes (the file is dated `report.provenance.made_at`)."""
    timezone = report.log.timezone
    sheets = [
        (
            say(f"report.sheet.{section.key}", language),
            _section_sheet(section, language, timezone, report.provenance),
        )
        for section in report.sections()
    ]
    sheets.append((say("report.sheet.maps", language), _maps_sheet(report, language)))
    sheets += [
        (say("report.sheet.tracer", language, number=number), _tracer_sheet(tracer, language))
        for number, tracer in enumerate(report.tracers, start=1)
    ]
    _save(_workbook(sheets, report.provenance, language), report.provenance, target)


def write_tracer_xlsx(
    tracer: Tracer,
    provenance: Provenance,
    target: str | Path | BinaryIO,
    language: Language = "en",
) -> None:
    """One tracer case as a workbook (the case explorer's export): its sheet and the
    provenance of the log it comes from."""
    sheets = [
        (say("report.sheet.tracer", language, number=1), _tracer_sheet(tracer, language)),
        (
            say("report.section.provenance", language),
            _Sheet(tuple(_provenance_rows(provenance, language))),
        ),
    ]
    _save(_workbook(sheets, provenance, language), provenance, target)


def number_format(kind: Kind, language: Language) -> str | None:
    """The cell number format of a column kind in `language` (None for text), with the
    language's locale tag; a language without one takes English's.

    >>> number_format("count", "nl"), number_format("datetime", "de")
    ('[$-413]#,##0', '[$-407]dd.mm.yyyy hh:mm')
    """
    if kind == "datetime":
        code = _DATETIMES.get(language, _DATETIMES["en"])
    elif kind in _CODES:
        code = _CODES[kind]
    else:
        return None
    return _LOCALES.get(language, _LOCALES["en"]) + code


# Layout: sections, maps and tracers as rows of cells.


def _section_sheet(
    section: Section, language: Language, timezone: str, provenance: Provenance
) -> _Sheet:
    rows = [_title(section.title, language), _Row(())]
    if section.figures:
        rows += [_figure_row(figure, language, timezone) for figure in section.figures]
        rows.append(_Row(()))
    if section.sentences:
        rows += [_sentence(sentence, language) for sentence in section.sentences]
        rows.append(_Row(()))
    frozen = 0
    for table in section.tables:
        if len(section.tables) == 1 and len(rows) + 2 <= _FREEZE_UP_TO:
            frozen = len(rows) + 2  # under the table's title
        rows += [*_table_rows(table, language, timezone), _Row(())]
    if section.key == "summary":
        rows += _provenance_rows(provenance, language)
    return _Sheet(tuple(rows), frozen)


def _maps_sheet(report: Report, language: Language) -> _Sheet:
    rows = [_title(message("report.section.maps"), language), _Row(())]
    pictures: list[tuple[int, bytes]] = []
    for shown in report.maps():
        notes = () if shown.note is None else (shown.note,)
        rows += [_title(shown.title, language), *(_sentence(note, language) for note in notes)]
        png = dot_to_png(map_dot(shown.map, "frequency", language))
        if png is None:
            rows += [_sentence(message("report.map.missing"), language), _Row(())]
            continue
        pictures.append((len(rows) + 1, png))
        rows += [_Row(())] * (_picture_rows(png) + 1)
    return _Sheet(tuple(rows), pictures=tuple(pictures))


def _tracer_sheet(tracer: Tracer, language: Language) -> _Sheet:
    trail = tracer.trail
    said = tracer.lines()
    rows = [
        _title(message("report.tracer.title", case=trail.case_id), language),
        *(_sentence(sentence, language) for sentence in said),
        _Row(()),
    ]
    checked = bool(trail.deviations)  # marked per event only where a journey was checked
    if not checked:
        rows += [_sentence(message("report.tracer.not_checked"), language), _Row(())]
    elif len(tracer.deviations):
        rows += [*_table_rows(_deviation_table(tracer), language, trail.timezone), _Row(())]
    else:
        rows += [_sentence(message("report.tracer.conforming"), language), _Row(())]
    if checked:
        skipped = (
            message("report.tracer.skipped", steps=Items(trail.skipped))
            if trail.skipped
            else message("report.tracer.none_skipped")
        )
        rows += [_sentence(skipped, language), _Row(())]
    rows += _table_rows(tracer_table(tracer), language, trail.timezone)
    return _Sheet(tuple(rows))


def _deviation_table(tracer: Tracer) -> Table:
    deviations = tracer.deviations
    rows = deviations.assign(kind=[DEVIATION_NAMES[kind] for kind in deviations["kind"]])
    return Table(
        message("report.tracer.deviations"),
        (
            Column("kind", "col.kind"),
            Column("name", "col.step"),
            Column("department", "col.department"),
            Column("occurrences", "col.times", "count"),
        ),
        rows,
    )


def _provenance_rows(provenance: Provenance, language: Language) -> list[_Row]:
    lines = provenance.lines(language)
    return [
        _title(message("report.section.provenance"), language),
        *(_Row((_text(label), _text(value))) for label, value in lines),
    ]


def _title(title: Message, language: Language) -> _Row:
    return _Row((_Cell(_safe(say(title, language)), bold=True),), loose=True)


def _sentence(sentence: Message, language: Language) -> _Row:
    return _Row((_text(say(sentence, language)),), loose=True)


def _figure_row(figure: Figure, language: Language, timezone: str) -> _Row:
    label = say(figure.label, language)
    if figure.kind == "duration":
        label = say("report.duration_unit", language, label=label)
    value = _cell(figure.value, figure.kind, language, timezone)
    return _Row((_text(label), value))


def _table_rows(table: Table, language: Language, timezone: str) -> list[_Row]:
    """A table's title, its bold header, its rows and its note (if any)."""
    header = tuple(_Cell(_safe(_header(column, language)), bold=True) for column in table.columns)
    columns = [
        _column_cells(table.rows[column.name], column.kind, language, timezone)
        for column in table.columns
    ]
    rows = [
        _title(table.title, language),
        _Row(header),
        *(_Row(cells) for cells in zip(*columns, strict=True)),
    ]
    if table.note is not None:
        rows.append(_sentence(table.note, language))
    return rows


def _header(column: Column, language: Language) -> str:
    label = label_text(column, language)
    if column.kind == "duration":
        return say("report.duration_unit", language, label=label)
    return label


# Cells: a value as Excel holds it.


def _cell(value: Cell, kind: Kind, language: Language, timezone: str) -> _Cell:
    """A table value as a cell: a message said, a missing value empty, a number a number
    with the format of its kind, a moment naive local time, a duration days."""
    if isinstance(value, Message):
        return _text(say(value, language))
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return _Cell(None)
    if kind == "text" or (kind not in ("datetime", "month") and not isinstance(value, Real)):
        return _text(str(value))  # text, or an odd value in a column of numbers: kept as seen
    converted: Value
    if kind == "datetime":
        converted = _local(value, timezone)
    elif kind == "month":
        text = str(value)
        converted = dt.datetime(int(text[:4]), int(text[5:7]), 1)
    else:
        number = float(value)  # a Real, checked above
        if not math.isfinite(number):
            return _Cell(None)
        converted = {"count": int(number), "duration": number / _SECONDS_PER_DAY}.get(kind, number)
    return _Cell(converted, number_format(kind, language))


def _column_cells(values: pd.Series, kind: Kind, language: Language, timezone: str) -> list[_Cell]:
    """A table column's cells; a column of moments converted at once (much faster)."""
    if kind != "datetime":
        return [_cell(value, kind, language, timezone) for value in values]
    local = pd.to_datetime(values, utc=True).dt.tz_convert(timezone).dt.tz_localize(None)
    shown = number_format(kind, language)
    return [
        _Cell(None) if pd.isna(moment) else _Cell(moment.to_pydatetime(), shown) for moment in local
    ]


def _text(text: str) -> _Cell:
    return _Cell(_safe(text) or None)


def _safe(text: str) -> str:
    """The text without the control characters a worksheet cannot hold."""
    return ILLEGAL_CHARACTERS_RE.sub("", text) if ILLEGAL_CHARACTERS_RE.search(text) else text


def _local(value: object, timezone: str) -> dt.datetime:
    moment = pd.Timestamp(value)
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    local: dt.datetime = moment.tz_convert(timezone).tz_localize(None).to_pydatetime()
    return local


def _picture(png: bytes) -> Image:
    """A PNG as a sheet's picture, shown at most `_PICTURE_WIDTH` pixels wide (all its
    pixels kept, for zooming in)."""
    picture = Image(io.BytesIO(png))
    scale = min(1.0, _PICTURE_WIDTH / picture.width)
    picture.width, picture.height = round(picture.width * scale), round(picture.height * scale)
    return picture


def _picture_rows(png: bytes) -> int:
    """How many default-height rows a picture covers."""
    return math.ceil(_picture(png).height / _ROW_PIXELS)


# Writing: the laid-out sheets into a workbook, then a zip dated when the report was made.


def _workbook(
    sheets: Sequence[tuple[str, _Sheet]], provenance: Provenance, language: Language
) -> Workbook:
    workbook = Workbook(write_only=True)  # rows streamed to the file: fast, little memory
    taken: set[str] = set()
    for name, sheet in sheets:
        title = _sheet_name(name, taken)
        taken.add(title.casefold())
        _fill(workbook.create_sheet(title), sheet)
    made_at = provenance.made_at.astimezone(dt.UTC).replace(tzinfo=None)
    properties = workbook.properties
    properties.created = properties.modified = made_at
    properties.creator = say("report.made_by", language, version=provenance.version)
    return workbook


def _sheet_name(name: str, taken: set[str]) -> str:
    """An Excel-safe sheet name: no `[]:*?/\\`, no quote at either end, at most 31
    characters, unlike the names `taken` (compared case-blind, as Excel does)."""
    base = _safe(name).translate(_NOT_IN_SHEET_NAMES).strip().strip("'").strip() or "Sheet"
    title, number = base[:_SHEET_NAME_MAX], 1
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
    return title


def _fill(worksheet: WriteOnlyWorksheet, sheet: _Sheet) -> None:
    """The sheet's widths, frozen panes and pictures, then its rows (in that order: a
    streamed sheet takes no settings once its rows are written)."""
    # (openpyxl's stubs give column_dimensions and add_image to Worksheet alone)
    for column_number, width in enumerate(_widths(sheet.rows), start=1):
        worksheet.column_dimensions[get_column_letter(column_number)].width = width  # type: ignore[attr-defined]
    if sheet.frozen:
        worksheet.freeze_panes = f"A{sheet.frozen + 1}"
    for row_number, png in sheet.pictures:
        worksheet.add_image(_picture(png), f"A{row_number}")  # type: ignore[misc]
    for row in sheet.rows:
        worksheet.append([_written(worksheet, cell) for cell in row.cells])


def _written(worksheet: WriteOnlyWorksheet, cell: _Cell) -> SheetCell | None:
    if cell.value is None:
        return None
    target = WriteOnlyCell(worksheet, cell.value)
    if isinstance(cell.value, str):
        target.data_type = "s"  # never a formula ("=...") nor an error code ("#N/A")
        if cell.value.startswith(_FORMULA_STARTS):
            target.quotePrefix = True  # Excel keeps it text when the cell is edited
    if cell.number_format is not None:
        target.number_format = cell.number_format
    if cell.bold:
        target.font = _BOLD
    return target


def _widths(rows: Iterable[_Row]) -> list[float]:
    """Each column's width in characters: its widest fitted cell, within bounds."""
    widths: list[int] = []
    for row in rows:
        if row.loose:
            continue
        for index, cell in enumerate(row.cells):
            if index == len(widths):
                widths.append(_WIDTH_MIN)
            widths[index] = max(widths[index], _shown_length(cell.value) + 2)
    return [min(width, _WIDTH_MAX) for width in widths]


def _shown_length(value: Value) -> int:
    match value:
        case str():
            return max(map(len, value.splitlines())) if "\n" in value else len(value)
        case int():
            return len(f"{value:,}")
        case float():
            return len(f"{value:,.2f}")
        case dt.datetime():
            return 16
    return 0


def _save(workbook: Workbook, provenance: Provenance, target: str | Path | BinaryIO) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()  # not save_workbook: it dates the file now
    data = _dated(buffer.getvalue(), provenance.made_at)
    if isinstance(target, str | Path):
        Path(target).write_bytes(data)
    else:
        target.write(data)


def _dated(archive: bytes, moment: dt.datetime) -> bytes:
    """The zip `archive` with every entry dated `moment` (UTC): equal content, equal bytes."""
    utc = moment.astimezone(dt.UTC)
    stamp = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
    dated = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(dated, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = entry.external_attr
            target.writestr(info, source.read(entry))
    return dated.getvalue()
