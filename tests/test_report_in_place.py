"""A report on a log in place (DuckDB, PostgreSQL) equals the report on the same rows read
here: every section's figures, sentences and tables, both readable maps, the tracer cases
and the HTML page, all but what says where the rows came from (the title's name, the
provenance, and the reader's notes on the file in the data-quality part). The summary and
the throughput (its distribution and its trend by month and by week) are computed where
the log lives and equal the local ones."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from discovery.intended.files import read_intended_journey
from discovery.io import read_table
from discovery.mining.summary import summarize
from discovery.mining.timing import analyse_throughput
from discovery.report import build_report
from discovery.report.html import report_html
from discovery.words import say
from tests.test_in_place import both_routes, duckdb_place, presorted, sample_path

INTENDED = Path(__file__).resolve().parents[1] / "sample_logs" / "hospital_intended.csv"
MADE_AT = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)


def test_a_report_with_stages_on_spark_equals_the_local_one(spark, spark_table):
    """Spark (local[2], slow: the hospital sample's first 120 cases): the report with the
    journey by stage, an intended journey and tracers, computed where the rows live,
    equals the local one. First in this module: Spark's gateway starts by a fork, which is
    safer before this process holds DuckDB connections (tests/test_cross_backend.py)."""
    from discovery.engine.in_place import open_in_place
    from discovery.engine.places import open_place
    from discovery.io.sources import parse_source
    from discovery.lens.stages import suggest_stages
    from discovery.log.event_log import to_event_log
    from tests.test_in_place import first_hospital_cases, rows_of

    raw = first_hospital_cases(120)
    spark_table(rows_of(raw), "ziekenhuis_klein")
    in_place = open_in_place(open_place(parse_source("spark:ziekenhuis_klein"), session=spark))
    local = to_event_log(raw)
    stages = suggest_stages(local)
    ours, theirs = _reports(local, in_place, stages=stages, tracers=2)
    assert theirs.lens is not None and theirs.summary.cases == 120
    assert_same_report(ours, theirs)
    assert dict(theirs.provenance.lines())["Where the rows live"].startswith("Spark:")


@pytest.fixture(scope="module")
def hospital_routes():
    raw = presorted(read_table(sample_path("hospital")))
    return both_routes(raw, duckdb_place(raw, "ziekenhuis"))


def test_the_summary_in_place_equals_the_local_one(hospital_routes):
    local, in_place = hospital_routes
    ours, theirs = summarize(local), summarize(in_place)
    assert theirs.source == "ziekenhuis" and ours.source == "hospital.csv"
    for field in ours.__dataclass_fields__:  # the medians too, to the last bit
        if field != "source":
            assert getattr(theirs, field) == getattr(ours, field), field
    assert theirs.cases == 1500 and theirs.departments > 1  # not two empty logs agreeing


@pytest.mark.parametrize("period", ["month", "week"])
def test_the_throughput_in_place_equals_the_local_one(hospital_routes, period):
    local, in_place = hospital_routes
    ours, theirs = (
        analyse_throughput(local, period=period),
        analyse_throughput(in_place, period=period),
    )
    exact = {"check_exact": True}  # every quantile, median and mean to the last bit
    pd.testing.assert_frame_equal(theirs.per_case, ours.per_case, check_dtype=False, **exact)
    pd.testing.assert_series_equal(theirs.distribution, ours.distribution, **exact)
    pd.testing.assert_frame_equal(theirs.trend, ours.trend, check_dtype=False, **exact)
    assert theirs.median_s == ours.median_s
    assert theirs.median_s == pytest.approx(ours.per_case["throughput_s"].median(), rel=1e-12)
    assert len(theirs.trend) > (40 if period == "week" else 9)
    with pytest.raises(ValueError, match="in place"):
        analyse_throughput(in_place, segment="leeftijdsgroep")


def _reports(local, in_place, **options):
    journey = read_intended_journey(INTENDED)
    kept = {"intended": journey, "made_at": MADE_AT, **options}
    return (
        build_report(local, source=sample_path("hospital"), **kept),
        build_report(in_place, source="ziekenhuis", **kept),
    )


def assert_same_report(ours, theirs) -> None:
    """Every section's figures, sentences and tables, the maps and the tracers equal; the
    data-quality part's sentences say how the rows were read, so only its figures count."""
    for field in ("median_events_per_case", "median_case_duration_s"):  # to the last bit
        assert getattr(theirs.summary, field) == getattr(ours.summary, field), field
    exact = {"check_exact": True}
    mine, found = ours.throughput, theirs.throughput
    pd.testing.assert_series_equal(found.distribution, mine.distribution, **exact)
    pd.testing.assert_frame_equal(found.trend, mine.trend, check_dtype=False, **exact)
    for mine, found in zip(ours.sections(), theirs.sections(), strict=True):
        assert found.key == mine.key
        assert [say(f.label) for f in found.figures] == [say(f.label) for f in mine.figures]
        for figure, expected in zip(found.figures, mine.figures, strict=True):
            value = expected.value
            close = pytest.approx(value, rel=1e-12) if isinstance(value, float) else value
            assert figure.value == close, say(expected.label)
        if mine.key != "quality":
            assert [say(s) for s in found.sentences] == [say(s) for s in mine.sentences], mine.key
        for table, expected in zip(found.tables, mine.tables, strict=True):
            pd.testing.assert_frame_equal(
                table.rows.reset_index(drop=True),
                expected.rows.reset_index(drop=True),
                check_dtype=False,
                rtol=1e-12,
                obj=f"{mine.key}: {say(expected.title)}",
            )
    for mine, found in zip(ours.maps(), theirs.maps(), strict=True):
        for part in ("nodes", "edges", "starts", "ends"):
            pd.testing.assert_frame_equal(
                getattr(found.map, part), getattr(mine.map, part), check_dtype=False, rtol=1e-12
            )
        assert (found.note is None) == (mine.note is None)
    assert [t.trail.case_id for t in theirs.tracers] == [t.trail.case_id for t in ours.tracers]
    for found, mine in zip(theirs.tracers, ours.tracers, strict=True):
        pd.testing.assert_frame_equal(found.trail.events, mine.trail.events, check_dtype=False)
        assert [say(line) for line in found.lines()] == [say(line) for line in mine.lines()]
        pd.testing.assert_frame_equal(found.deviations, mine.deviations, check_dtype=False)


def comparable(page: str) -> str:
    """The page without what says where its rows came from: the title's name, the
    provenance and the data-quality part's notes on reading."""
    page = re.sub(r"<title>.*?</title>|<h1>.*?</h1>", "", page)
    page = re.sub(r'<section id="provenance">.*?</section>', "", page, flags=re.DOTALL)
    quality = page.index('<section id="quality">')
    head, tail = page[:quality], page[quality:]
    return head + re.sub(r"\n<ul><li>.*?</ul>", "", tail, count=1, flags=re.DOTALL)


def test_the_report_in_place_equals_the_local_report(hospital_routes):
    local, in_place = hospital_routes
    ours, theirs = _reports(local, in_place, tracers=4, tracers_by="deviation", seed=7)
    assert theirs.conformance is not None and len(theirs.tracers) == 4
    assert_same_report(ours, theirs)
    assert comparable(report_html(theirs)) == comparable(report_html(ours))
    lines = dict(theirs.provenance.lines())
    assert lines["Source file"] == "ziekenhuis" and "SHA-256" not in " ".join(lines)
    assert lines["Where the rows live"].startswith("DuckDB: analysed where the rows live")
    quality = next(s for s in theirs.sections() if s.key == "quality")
    assert say(quality.sentences[0]) == "counted where the rows live (duckdb)"


def test_tracers_by_variant_are_the_same_cases_here_and_in_place(hospital_routes):
    """One case of each of the most frequent variants, drawn by the MD5 of its id and the
    seed on both routes; another seed draws other cases."""
    local, in_place = hospital_routes
    ours, theirs = _reports(local, in_place, tracers=5, seed=3)
    assert_same_report(ours, theirs)
    other = build_report(local, source=sample_path("hospital"), tracers=5, seed=4)
    drawn = [t.trail.case_id for t in ours.tracers]
    assert [t.trail.case_id for t in other.tracers] != drawn and len(set(drawn)) == 5


def same(found: object, expected: object) -> bool:
    """Equal, floats to 1e-12 of each other (NaN equal to NaN)."""
    if isinstance(found, float) and isinstance(expected, float):
        return found == pytest.approx(expected, rel=1e-12, nan_ok=True)
    if isinstance(found, dict) and isinstance(expected, dict):
        return found.keys() == expected.keys() and all(same(found[k], expected[k]) for k in found)
    if isinstance(found, list | tuple) and isinstance(expected, list | tuple):
        return len(found) == len(expected) and all(map(same, found, expected))
    return found == expected


@pytest.mark.parametrize("name", ["hospital", "complaints", "membership", "mortgage", "permit"])
def test_the_journey_lens_in_place_equals_the_local_one(name):
    """Stages suggested, touchpoints, channels, drop-off, moments of truth, complaints,
    the emotion curve and the segments that stand out: computed where the log lives (a
    row per case comes here, no event) and equal to the local lens."""
    from discovery.lens.journey import analyse_journey
    from discovery.lens.segments import compare_segments, discover_segments

    raw = presorted(read_table(sample_path(name)))
    local, in_place = both_routes(raw, duckdb_place(raw, name))
    ours, theirs = analyse_journey(local), analyse_journey(in_place)
    assert theirs.stage_order == ours.stage_order and len(ours.stage_order.names) > 1
    assert same(theirs.to_dict(), ours.to_dict())
    pd.testing.assert_frame_equal(theirs.cases, ours.cases, check_dtype=False, rtol=1e-12)
    found, expected = discover_segments(in_place, lens=theirs), discover_segments(local, lens=ours)
    assert same(found.to_dict(), expected.to_dict())
    attribute = local.case_attributes[0]
    found = compare_segments(in_place, attribute, lens=theirs)
    assert same(found.to_dict(), compare_segments(local, attribute, lens=ours).to_dict())


def test_a_report_with_stages_in_place_equals_the_local_one(hospital_routes):
    from discovery.lens.stages import suggest_stages

    local, in_place = hospital_routes
    stages = suggest_stages(local)
    assert suggest_stages(in_place) == stages
    ours, theirs = _reports(local, in_place, stages=stages, tracers=2)
    assert theirs.lens is not None and any(s.key == "stages" for s in theirs.sections())
    assert_same_report(ours, theirs)


def test_a_lens_in_place_of_more_cases_than_it_brings_here_says_so(hospital_routes, monkeypatch):
    """The lens of a log in place brings a row per case here: over `CASES_IN_PLACE` cases
    it stops before any come, and says how many there are; a log read here is not held."""
    import discovery.lens._journey_events as journey_events
    from discovery.errors import LogError
    from discovery.lens.journey import analyse_journey

    local, in_place = hospital_routes
    monkeypatch.setattr(journey_events, "CASES_IN_PLACE", 1000)
    with pytest.raises(LogError) as raised:
        analyse_journey(in_place)
    assert "1,500 cases, more than 1,000" in say(raised.value.message)
    assert analyse_journey(local).stages["cases"].iloc[0] > 0


def test_the_workbook_in_place_equals_the_local_one(hospital_routes):
    """Every sheet's cells equal (numbers to 1e-12), but the provenance's lines that say
    where the rows came from and the data-quality part's notes on reading them."""
    import io

    import openpyxl

    from discovery.report.formats import write_report

    local, in_place = hospital_routes
    ours, theirs = _reports(local, in_place, tracers=3)
    notes = {
        say(sentence)
        for report in (ours, theirs)
        for section in report.sections()
        if section.key == "quality"
        for sentence in section.sentences
    }
    where = {"Source file", "Source file SHA-256", "Where the rows live"}

    def cells(report) -> dict[str, list[list[object]]]:
        stream = io.BytesIO()
        write_report(report, stream, "xlsx")
        stream.seek(0)
        book = openpyxl.load_workbook(stream)
        return {
            name: [
                values
                for values in ([cell.value for cell in row] for row in book[name].iter_rows())
                if values[0] not in notes and values[0] not in where
            ]
            for name in book.sheetnames
        }

    found, expected = cells(theirs), cells(ours)
    assert list(found) == list(expected) and "Tracer 3" in found
    assert same(found, expected)  # a month's fitness, summed there, in its last digit


def test_a_filtered_report_in_place_equals_the_local_one(hospital_routes):
    """The log filtered where it lives (a period, then the five most frequent variants)
    gives the report of the same filters here; the provenance lists them alike."""
    from discovery.mining.filters import TimeWindow, VariantSelection, apply_filters

    local, in_place = hospital_routes
    filters = [
        TimeWindow(pd.Timestamp("2025-05-01", tz="UTC"), pd.Timestamp("2025-10-01", tz="UTC")),
        VariantSelection(top=5),
    ]
    ours, theirs = _reports(
        apply_filters(local, filters), apply_filters(in_place, filters), filters=filters, tracers=2
    )
    assert 0 < theirs.summary.cases < 1500
    assert_same_report(ours, theirs)
    assert theirs.provenance.filters == ours.provenance.filters and ours.provenance.filters


def test_a_report_in_place_of_more_cases_than_its_handoffs_bring_here_equals_the_local_one(
    hospital_routes, monkeypatch
):
    """The handoffs in place bring each case's own figures for their first
    `PER_CASE_LIMIT` cases only, but count their figures over cases (handoffs per case,
    share handed over, the ping-pong and rework findings) over every case there: with a
    limit of 50 the report equals the local one, and says nothing of a limit."""
    import discovery.mining.in_place.handoffs as handoffs

    local, in_place = hospital_routes
    monkeypatch.setattr(handoffs, "PER_CASE_LIMIT", 50)
    ours, theirs = _reports(local, in_place, tracers=0)
    assert len(theirs.handoffs.per_case) == 50 and theirs.handoffs.cases == 1500
    assert_same_report(ours, theirs)
    assert not {s.key: s for s in theirs.sections()}["handoffs"].sentences


def test_a_report_without_departments_with_start_rows_folded_in_place_equals_the_local_one():
    """A log without departments whose start and complete rows are folded where it lives
    (tests/test_in_place.py's lifecycle rows): the same report, no department map."""
    import ibis

    from discovery.engine.in_place import open_in_place
    from discovery.engine.places import place_of
    from discovery.log.event_log import to_event_log
    from tests.test_in_place import lifecycle_rows

    rows = lifecycle_rows()
    local = to_event_log(rows)
    in_place = open_in_place(place_of(ibis.memtable(rows), "lifecycle"))
    ours = build_report(local, source=b"rows", made_at=MADE_AT, tracers=2)
    theirs = build_report(in_place, source="lifecycle", made_at=MADE_AT, tracers=2)
    assert theirs.department_map is None and len(theirs.tracers) == 2
    assert_same_report(ours, theirs)
    assert comparable(report_html(theirs)) == comparable(report_html(ours))


def test_the_summary_and_throughput_on_postgres_equal_the_local_ones(postgres, postgres_table):
    """PostgreSQL: the medians, the throughput's quantiles and its trend by month, from the
    order statistics found there, equal pandas' here to the last bit."""
    from discovery.engine.in_place import open_in_place
    from discovery.engine.places import open_place
    from discovery.io.sources import parse_source
    from discovery.log.event_log import to_event_log
    from tests.test_in_place import rows_of

    raw = presorted(read_table(sample_path("hospital")))
    postgres_table(rows_of(raw), "summary_hospital")
    place = open_place(parse_source(postgres.url("summary_hospital"), password=postgres.password))
    local, in_place = to_event_log(raw), open_in_place(place)
    ours, theirs = summarize(local), summarize(in_place)
    for field in ours.__dataclass_fields__:
        if field != "source":
            assert getattr(theirs, field) == getattr(ours, field), field
    mine, found = analyse_throughput(local), analyse_throughput(in_place, cases=False)
    pd.testing.assert_series_equal(found.distribution, mine.distribution, check_exact=True)
    pd.testing.assert_frame_equal(found.trend, mine.trend, check_dtype=False, check_exact=True)
    assert len(found.trend) > 9
