"""The report's content: the same figures as the library for the same log and filters, a
hand-worked small log, tracer cases drawn reproducibly by variant and by deviation kind."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from discovery import (
    VariantSelection,
    apply_filters,
    check_conformance,
    discover_variants,
    find_bottlenecks,
    journey_from_variant,
    read_event_log,
    read_intended_journey,
    suggest_stages,
    summarize,
)
from discovery.report import build_report, cell_text, sample_tracers, tracer_table
from discovery.report.tables import ROW_LIMIT, Column, Table
from discovery.words import message, say

HOSPITAL = "sample_logs/hospital.csv"
INTENDED = "sample_logs/hospital_intended.csv"
MADE_AT = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)

# Case 1 bounces Front → Back → Front (a ping-pong, two handoffs, Intake done twice); case 2
# goes Front → Back and repeats Check there (one handoff, rework); case 3 stays in Front.
SMALL = (
    "case,activity,timestamp,department\n"
    "1,Intake,2024-03-01 08:00,Front\n"
    "1,Check,2024-03-01 10:00,Back\n"
    "1,Intake,2024-03-01 11:00,Front\n"
    "2,Intake,2024-03-02 08:00,Front\n"
    "2,Check,2024-03-02 09:00,Back\n"
    "2,Check,2024-03-02 13:00,Back\n"
    "3,Intake,2024-03-03 08:00,Front\n"
    "3,Close,2024-03-03 08:30,Front\n"
)


@pytest.fixture(scope="module")
def hospital():
    return read_event_log(HOSPITAL)


@pytest.fixture(scope="module")
def journey():
    return read_intended_journey(INTENDED)


@pytest.fixture(scope="module")
def conformance(hospital, journey):
    return check_conformance(hospital, journey)


@pytest.fixture(scope="module")
def report(hospital, journey, conformance):
    return build_report(
        hospital,
        source=HOSPITAL,
        intended=journey,
        intended_source=INTENDED,
        conformance=conformance,
        tracers_by="deviation",
        made_at=MADE_AT,
    )


def _section(report, key):
    return next(section for section in report.sections() if section.key == key)


def test_sections_in_order_with_the_stages_only_when_given(report, hospital):
    keys = [section.key for section in report.sections()]
    assert keys == [
        "summary", "findings", "bottlenecks", "handoffs", "pingpong", "variants",
        "deviations", "conformance", "quality",
    ]  # fmt: skip
    staged = build_report(hospital, source=HOSPITAL, stages=suggest_stages(hospital), tracers=0)
    assert [s.key for s in staged.sections()].index("stages") == 6
    stages = _section(staged, "stages").tables[0].rows
    assert stages["cases"].iloc[0] == summarize(hospital).cases  # every case starts at stage 1


def test_summary_and_tables_are_the_librarys_figures(report, hospital):
    summary = summarize(hospital)
    figures = {say(f.label): f.value for f in _section(report, "summary").figures}
    assert figures["Cases"] == summary.cases == 1500
    assert figures["Events"] == summary.events
    assert figures["Variants (different paths)"] == len(discover_variants(hospital).variants)
    pd.testing.assert_frame_equal(
        _section(report, "bottlenecks").tables[0].rows, find_bottlenecks(hospital).edges
    )
    variants = _section(report, "variants").tables[0].rows
    assert list(variants["cases"]) == list(discover_variants(hospital).variants["cases"])
    assert variants["path"].iloc[0] == " → ".join(variants["activities"].iloc[0])


def test_filters_give_the_filtered_logs_figures_and_their_words(hospital):
    top = VariantSelection(top=1)
    filtered = apply_filters(hospital, [top])
    report = build_report(filtered, source=HOSPITAL, filters=[top], tracers=0)
    assert report.summary.cases == summarize(filtered).cases < summarize(hospital).cases
    assert report.provenance.filters == (top.describe(),)


def test_deviations_are_ranked_by_time_cost_with_their_names(report, conformance):
    rows = _section(report, "deviations").tables[0].rows
    expected = conformance.ranking(by="time")
    assert list(rows["cases"]) == list(expected["cases"])
    assert say(rows["kind"].iloc[0], "nl") == say(f"deviation.{expected['kind'].iloc[0]}", "nl")
    months = _section(report, "conformance").tables[0].rows
    assert months["cases"].sum() == conformance.n_cases


def test_without_an_intended_journey_the_report_says_so(hospital):
    report = build_report(hospital, source=HOSPITAL, tracers=2)
    section = _section(report, "deviations")
    assert section.tables == () and section.sentences == (message("report.no_intended"),)
    assert len(report.tracers) == 2 and report.conformance is None


def test_a_small_log_worked_by_hand(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text(SMALL)
    log = read_event_log(path)
    report = build_report(log, source=path, tracers=3, made_at=MADE_AT)
    matrix = _section(report, "handoffs").tables[0].rows.set_index("department")
    assert matrix.loc["Front", "Back"] == 2 and matrix.loc["Back", "Front"] == 1
    pingpong, _, rework = _section(report, "pingpong").tables
    assert pingpong.rows[["first", "second", "cases"]].values.tolist() == [["Back", "Front", 1]]
    assert rework.rows[["activity", "cases", "repeats"]].values.tolist() == [
        ["Check", 1, 1],
        ["Intake", 1, 1],  # case 1 comes back to Intake: rework too
    ]
    said = [say(finding) for finding in report.findings]
    assert "67% of cases are handed over between departments at least once" in said[-4]
    assert said[-1] == "3 different paths; the most frequent covers 33% of cases."
    # each variant has one case: the tracers are those three, in variant order
    assert sorted(t.trail.case_id for t in report.tracers) == ["1", "2", "3"]
    trail = tracer_table(report.tracers[0])
    assert trail.rows["wait_before_s"].iloc[0] == 0.0


def test_tracers_by_variant_come_from_the_variants_in_order(hospital):
    tracers = sample_tracers(hospital, count=4, by="variant", seed=3)
    variants = discover_variants(hospital).variants
    for number, found in enumerate(tracers, 1):
        activities = tuple(found.trail.events["activity"])
        assert activities == variants["activities"].iloc[number - 1]
        assert say(found.reason).startswith(f"drawn from variant {number} (")
    again = sample_tracers(hospital, count=4, by="variant", seed=3)
    assert [t.trail.case_id for t in again] == [t.trail.case_id for t in tracers]


def test_tracers_by_deviation_cover_every_kind_first_and_have_it(hospital, conformance):
    tracers = sample_tracers(hospital, conformance, count=6, by="deviation", seed=11)
    kinds = conformance.ranking()["kind"].unique()
    ids = [t.trail.case_id for t in tracers]
    assert len(set(ids)) == len(ids) == min(6, len(conformance.ranking()))
    drawn_kinds = [t.reason.params["kind"].key.removeprefix("deviation.") for t in tracers]
    assert drawn_kinds[: len(kinds)] == list(dict.fromkeys(drawn_kinds))[: len(kinds)]
    assert set(drawn_kinds[: min(6, len(kinds))]) == set(kinds[: min(6, len(kinds))])
    for found, kind in zip(tracers, drawn_kinds, strict=True):
        assert kind in set(found.deviations["kind"])  # the case has the deviation it stands for
    again = sample_tracers(hospital, conformance, count=6, by="deviation", seed=11)
    assert [t.trail.case_id for t in again] == ids
    other = sample_tracers(hospital, conformance, count=6, by="deviation", seed=12)
    assert [t.trail.case_id for t in other] != ids


def test_tracers_by_deviation_need_a_conformance_check(hospital):
    with pytest.raises(ValueError, match="intended journey"):
        sample_tracers(hospital, by="deviation")


def test_a_long_table_is_cut_and_says_so():
    rows = pd.DataFrame({"n": range(ROW_LIMIT + 5)})
    table = Table(message("report.section.variants"), (Column("n", "col.cases", "count"),), rows)
    assert len(table.rows) == ROW_LIMIT and table.total_rows == ROW_LIMIT + 5
    assert say(table.note, "nl") == "De eerste 10.000 van 10.005 rijen staan hier."


def test_cells_are_said_in_the_language():
    moment = pd.Timestamp("2025-03-01 07:30", tz="UTC")
    assert cell_text(1234, "count", "nl", "UTC") == "1.234"
    assert cell_text(0.126, "share", "nl", "UTC") == "13%"
    assert cell_text(3.2 * 86400, "duration", "nl", "UTC") == "3,2 dagen"
    assert cell_text(moment, "datetime", "nl", "Europe/Amsterdam") == "1 mrt 2025, 08:30:00"
    assert cell_text("2025-03", "month", "nl", "UTC") == "mrt 2025"
    assert cell_text(float("nan"), "duration", "nl", "UTC") == ""
    assert cell_text(message("yes"), "text", "nl", "UTC") == "ja"


def test_without_deviations_the_tracers_by_deviation_are_drawn_by_variant(hospital):
    """The log's most frequent variant as the intended journey, checked on its own cases:
    no deviation to draw from, so the tracers come from the variants, and say so."""
    top = apply_filters(hospital, [VariantSelection(top=1)])
    variant = discover_variants(top).variants["activities"].iloc[0]
    conformance = check_conformance(top, journey_from_variant(variant, top))
    assert conformance.deviations.empty
    tracers = sample_tracers(top, conformance, count=3, by="deviation", seed=5)
    assert len(tracers) == 1  # one variant: one case drawn from it
    assert say(tracers[0].reason).startswith("drawn from variant 1 (")
