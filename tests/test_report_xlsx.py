"""The Excel report, opened with openpyxl as a user's Excel would open it: every sheet
present, no formula cell (hostile labels come back as text), numbers as numbers with the
language's formats, the library's figures, the maps as pictures, the same cells for the same
inputs, and the case explorer's tracer workbook."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from discovery import (
    discover_map,
    discover_variants,
    find_bottlenecks,
    read_event_log,
    summarize,
)
from discovery.report import Report, build_report
from discovery.report.xlsx import _cell, _sheet_name, number_format, write_tracer_xlsx, write_xlsx
from discovery.viz import dot
from discovery.words import message, say
from tests.hospital_report import HOSPITAL, REPORT_MADE_AT, build_hospital_report

SAMPLES = Path(__file__).resolve().parents[1] / "sample_logs"
DAY = 86_400
NO_GRAPHVIZ = "Graphviz's dot program is not installed, so the maps cannot be drawn"

FORMULA = '=HYPERLINK("http://evil.example","click")'
COMMAND = "+cmd|' /C calc'!A0"
RESOURCE = "@SUM(1+1)"
DEPARTMENT = "-2+3"


def hospital_report() -> Report:
    report: Report = build_hospital_report(read_event_log(HOSPITAL))
    return report


def opened(data: bytes) -> Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def written(report: Report, language: str) -> bytes:
    stream = io.BytesIO()
    write_xlsx(report, stream, language)
    return stream.getvalue()


@pytest.fixture(scope="module")
def report() -> Report:
    return hospital_report()


@pytest.fixture(scope="module")
def files(report: Report) -> dict[str, bytes]:
    return {language: written(report, language) for language in ("en", "nl", "de")}


@pytest.fixture(scope="module")
def books(files: dict[str, bytes]) -> dict[str, Workbook]:
    return {language: opened(data) for language, data in files.items()}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    """A workbook of a log whose labels are formulas: four cases through the same three
    steps in two departments."""
    path = tmp_path_factory.mktemp("hostile") / "log.csv"
    steps = [(FORMULA, DEPARTMENT, RESOURCE), (COMMAND, "Desk", "Ann"), ("Close", DEPARTMENT, "Bo")]
    with path.open("w", newline="", encoding="utf-8") as stream:
        rows = csv.writer(stream)
        rows.writerow(["case", "activity", "timestamp", "department", "resource"])
        for case in range(1, 5):
            for hour, (activity, department, resource) in enumerate(steps, start=9):
                rows.writerow(
                    [f"C{case}", activity, f"2024-03-0{case} {hour}:00", department, resource]
                )
    log = read_event_log(path)
    return opened(written(build_report(log, source=path, made_at=REPORT_MADE_AT), "en"))


def en(key: str) -> str:
    return say(key, "en")


def values(sheet: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()]


def table(sheet: Worksheet, title: str) -> list[dict[str, object]]:
    """The rows under the table titled `title`, by header, down to the first empty row."""
    rows = list(sheet.iter_rows())
    for at, row in enumerate(rows[:-1]):
        header = [cell.value for cell in rows[at + 1]]
        if row[0].value == title and header[0] is not None:
            found = []
            for data in rows[at + 2 :]:
                if all(cell.value is None for cell in data):
                    break
                found.append(dict(zip(header, (cell.value for cell in data), strict=False)))
            return found
    raise AssertionError(f"no table {title!r} on sheet {sheet.title!r}")


def figure(sheet: Worksheet, label: str) -> openpyxl.cell.cell.Cell:
    """The value cell beside the figure labelled `label`."""
    for row in sheet.iter_rows(max_col=2):
        if row[0].value == label:
            return row[1]
    raise AssertionError(f"no figure {label!r} on sheet {sheet.title!r}")


def text_cells(book: Workbook) -> dict[str, list[openpyxl.cell.cell.Cell]]:
    return {
        sheet.title: [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "s"]
        for sheet in book.worksheets
    }


@pytest.mark.parametrize("language", ["en", "nl"])
def test_every_sheet_is_there_in_order(
    books: dict[str, Workbook], report: Report, language: str
) -> None:
    expected = [say(f"report.sheet.{section.key}", language) for section in report.sections()]
    expected.append(say("report.sheet.maps", language))
    expected += [
        say("report.sheet.tracer", language, number=n) for n in range(1, len(report.tracers) + 1)
    ]
    assert len(report.tracers) == 5
    assert books[language].sheetnames == expected
    summary = books[language][expected[0]]
    assert summary["A1"].value == say("report.section.summary", language)
    assert summary["A1"].font.bold


def test_no_cell_is_a_formula(books: dict[str, Workbook], hostile: Workbook) -> None:
    for book in (*books.values(), hostile):
        for sheet in book.worksheets:
            formulas = [
                c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"
            ]
            assert formulas == [], sheet.title


def test_formula_like_labels_come_back_as_the_same_text(hostile: Workbook) -> None:
    texts = {title: {cell.value for cell in cells} for title, cells in text_cells(hostile).items()}
    variants = say("report.sheet.variants", "en")
    assert f"{FORMULA} → {COMMAND} → Close" in texts[variants]  # a path beginning with "="
    for title in (
        say("report.sheet.bottlenecks", "en"),
        say("report.sheet.tracer", "en", number=1),
    ):
        assert {FORMULA, COMMAND, DEPARTMENT} <= texts[title], title
    assert RESOURCE in texts[say("report.sheet.tracer", "en", number=1)]
    risky = [
        cell
        for cells in text_cells(hostile).values()
        for cell in cells
        if str(cell.value).startswith(("=", "+", "-", "@"))
    ]
    assert risky and all(cell.quotePrefix for cell in risky)  # Excel keeps them text on edit


@pytest.mark.parametrize(
    ("language", "tag", "moment"),
    [
        ("en", "[$-409]", "yyyy-mm-dd hh:mm"),
        ("nl", "[$-413]", "dd-mm-yyyy hh:mm"),
        ("de", "[$-407]", "dd.mm.yyyy hh:mm"),
    ],
)
def test_numbers_are_numbers_with_the_language_formats(
    books: dict[str, Workbook], report: Report, language: str, tag: str, moment: str
) -> None:
    summary = books[language][say("report.sheet.summary", language)]
    cases = figure(summary, say("metric.cases", language))
    assert (cases.value, cases.number_format) == (report.summary.cases, f"{tag}#,##0")
    assert cases.data_type == "n"
    conformance = figure(summary, say("metric.conformance", language))
    assert conformance.value == pytest.approx(report.conformance.conformance_rate)
    assert conformance.number_format == f"{tag}0.0%"
    throughput = figure(
        summary,
        say("report.duration_unit", language, label=say("metric.throughput", language)),
    )
    assert throughput.value == pytest.approx(report.throughput.median_s / DAY)  # in days
    assert throughput.number_format == f"{tag}#,##0.00"
    first = figure(summary, say("report.figure.first_event", language))
    local = report.summary.first_event.tz_convert(report.log.timezone).tz_localize(None)
    assert first.value == local.to_pydatetime()  # naive, in the report's time zone
    assert first.number_format == f"{tag}{moment}"
    months = books[language][say("report.sheet.conformance", language)]
    month = table(months, say("report.section.conformance_months", language))[0]
    assert month[say("report.column.month", language)] == dt.datetime(2025, 3, 1)


def test_formats_of_a_language_without_its_own_take_english() -> None:
    assert number_format("share", "qps") == "[$-409]0.0%"
    assert number_format("text", "nl") is None


def test_the_figures_are_the_librarys(books: dict[str, Workbook], report: Report) -> None:
    log = report.log
    book = books["en"]
    summary, expected = book[say("report.sheet.summary", "en")], summarize(log)
    for key, value in (
        ("metric.cases", expected.cases),
        ("metric.events", expected.events),
        ("report.figure.activities", expected.activities),
        ("report.figure.departments", expected.departments),
    ):
        assert figure(summary, say(key, "en")).value == value, key

    waits = table(
        book[say("report.sheet.bottlenecks", "en")], say("report.table.waits_between", "en")
    )
    edges = find_bottlenecks(log, discover_map(log, "activity")).edges
    assert [row[en("col.source")] for row in waits] == list(edges["source"])
    assert [row[en("col.frequency")] for row in waits] == list(edges["frequency"])
    median = say("report.duration_unit", "en", label=say("col.median_wait", "en"))
    assert [row[median] for row in waits] == pytest.approx(list(edges["wait_median_s"] / DAY))

    variants = table(book[say("report.sheet.variants", "en")], say("report.section.variants", "en"))
    library = discover_variants(log).variants
    assert [row[en("col.cases")] for row in variants] == list(library["cases"])
    assert [row[en("col.share")] for row in variants] == pytest.approx(list(library["share"]))
    paths = [" → ".join(steps) for steps in library["activities"]]
    assert [row[en("col.path")] for row in variants] == paths


def test_the_summary_carries_the_provenance(books: dict[str, Workbook], report: Report) -> None:
    for language in ("en", "nl"):
        rows = [row[:2] for row in values(books[language][say("report.sheet.summary", language)])]
        title = rows.index((say("report.section.provenance", language), None))
        assert rows[title + 1 :] == report.provenance.lines(language)


def test_the_maps_are_pictures(books: dict[str, Workbook]) -> None:
    if shutil.which("dot") is None:
        pytest.skip(NO_GRAPHVIZ)
    maps = books["nl"][say("report.sheet.maps", "nl")]
    assert len(maps._images) == 2  # the process map and the department map


def test_without_graphviz_the_maps_sheet_says_so(
    report: Report, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dot.shutil, "which", lambda program: None)
    maps = opened(written(report, "en"))[say("report.sheet.maps", "en")]
    assert maps._images == []
    assert [row[0] for row in values(maps)].count(say("report.map.missing", "en")) == 2


def test_the_same_inputs_give_the_same_workbook(files: dict[str, bytes]) -> None:
    again = written(hospital_report(), "en")
    first, second = opened(files["en"]), opened(again)
    assert first.sheetnames == second.sheetnames
    for sheet in first.worksheets:
        assert values(sheet) == values(second[sheet.title]), sheet.title
    assert (
        first.properties.created == first.properties.modified == REPORT_MADE_AT.replace(tzinfo=None)
    )
    assert again == files["en"]  # even the bytes: every zip entry is dated made_at


def test_a_tracer_sheet_shows_the_case(books: dict[str, Workbook], report: Report) -> None:
    tracer = report.tracers[0]
    trail = tracer.trail
    sheet = books["en"][say("report.sheet.tracer", "en", number=1)]
    column = [row[0] for row in values(sheet)]
    assert column[0] == say("report.tracer.title", "en", case=trail.case_id)
    assert say("report.tracer.why", "en", reason=tracer.reason) in column
    steps = table(sheet, say("report.table.trail", "en", case=trail.case_id))
    assert [row[en("col.activity")] for row in steps] == list(trail.events["activity"])
    waits = say("report.duration_unit", "en", label=say("col.wait_before", "en"))
    assert [row[waits] for row in steps] == pytest.approx(list(trail.events["wait_before_s"] / DAY))
    begin = trail.events["begin"].dt.tz_convert(trail.timezone).dt.tz_localize(None)
    assert [row[en("col.begin")] for row in steps] == list(begin.dt.to_pydatetime())
    assert steps[0][en("col.handoff")] is None  # no handoff: an empty cell, not an empty text
    deviations = table(sheet, say("report.tracer.deviations", "en"))
    assert len(deviations) == len(tracer.deviations)


def test_the_tracer_workbook_holds_the_case_and_its_provenance(report: Report) -> None:
    tracer = report.tracers[2]
    stream = io.BytesIO()
    write_tracer_xlsx(tracer, report.provenance, stream, "nl")
    book = opened(stream.getvalue())
    tracer_sheet, provenance = book.worksheets
    assert book.sheetnames == [
        say("report.sheet.tracer", "nl", number=1),
        say("report.section.provenance", "nl"),
    ]
    assert tracer_sheet["A1"].value == say("report.tracer.title", "nl", case=tracer.trail.case_id)
    lines = [row[:2] for row in values(provenance)]
    assert lines[0][0] == say("report.section.provenance", "nl")
    assert lines[1:] == report.provenance.lines("nl")  # the source's SHA-256 among them


def test_sheet_names_are_safe_for_excel() -> None:
    taken = {"summary"}
    assert _sheet_name("Summary", taken) == "Summary (2)"
    assert _sheet_name("'a/b[c]:d*e?f\\g'", set()) == "a b c  d e f g"
    long = _sheet_name("x" * 40, {"x" * 31})
    assert (len(long), long.endswith(" (2)")) == (31, True)


def test_cells_keep_values_and_drop_what_excel_cannot_hold() -> None:
    assert _cell(float("inf"), "duration", "en", "UTC").value is None
    assert _cell(pd.NA, "count", "en", "UTC").value is None
    assert _cell("", "text", "en", "UTC").value is None  # empty, not an empty text
    assert _cell("a\x01b", "text", "en", "UTC").value == "ab"  # a control character dropped
    assert _cell("3 or so", "count", "en", "UTC").value == "3 or so"  # odd values stay seen
    assert _cell(message("yes"), "text", "nl", "UTC").value == say("yes", "nl")
    noon = _cell(pd.Timestamp("2024-07-01 10:00", tz="UTC"), "datetime", "nl", "Europe/Amsterdam")
    assert noon == (dt.datetime(2024, 7, 1, 12, 0), "[$-413]dd-mm-yyyy hh:mm", False)
