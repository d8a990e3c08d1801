"""The intended-journey check in place (issue 15, item 5): a log left where it lives is
checked against its intended journey with the same result as the local check (every case's
fitness and deviations, the log's fitness, the ranking and the JSON), on DuckDB, on a real
PostgreSQL (read-only: no table of ours may be made there) and on Spark local; alignment
runs once per variant, so a log with twenty times the cases aligns as many traces.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from discovery.engine.in_place import open_in_place
from discovery.engine.places import open_place
from discovery.intended import conformance as conformance_module
from discovery.intended.conformance import Conformance, check_conformance
from discovery.intended.files import read_intended_journey
from discovery.intended.model import check_against_log, journey_from_variant
from discovery.intended.rules import EndsWith, FourEyes, Precedes, Within
from discovery.io import read_table
from discovery.io.sources import parse_source
from discovery.log.event_log import to_event_log
from discovery.log.schema import detect_roles
from tests.test_in_place import duckdb_place, presorted, rows_of, sample_path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["hospital", "membership", "mortgage", "permit", "complaints"]
HOSPITAL_RULES = (
    Precedes("Triage", "Opname verpleegafdeling"),
    Within("Aanmelding SEH", "Triage", hours=0.25),
    FourEyes("Ontslagbesluit", "Ontslag"),
    EndsWith(("Ontslagbrief verstuurd",)),
)


def journey_of(name: str):
    return read_intended_journey(ROOT / "sample_logs" / f"{name}_intended.csv")


def assert_same_conformance(local: Conformance, in_place: Conformance) -> None:
    """Every case's row, every deviation, the log's fitness and bounds, the ranking and the
    JSON of the two checks: equal (floats to 1e-9 relative)."""
    for part in ("cases", "deviations"):
        pd.testing.assert_frame_equal(
            getattr(in_place, part),
            getattr(local, part),
            check_dtype=False,
            rtol=1e-9,
            obj=part,
        )
    assert in_place.fitness == pytest.approx(local.fitness, rel=1e-12)
    assert in_place.fitness_bounds == pytest.approx(local.fitness_bounds, rel=1e-12)
    pd.testing.assert_frame_equal(in_place.ranking(), local.ranking(), check_dtype=False)
    assert in_place.to_dict("nl") == local.to_dict("nl")


@pytest.mark.parametrize("name", SAMPLES)
def test_conformance_in_place_equals_the_local_check_on_duckdb(name):
    raw = presorted(read_table(sample_path(name)))
    local = to_event_log(raw)
    in_place = open_in_place(duckdb_place(raw, name))
    journey = journey_of(name)
    expected = check_conformance(local, journey)
    assert 0 < expected.conforming_cases < expected.n_cases  # a check that can tell them apart
    assert_same_conformance(expected, check_conformance(in_place, journey))


def test_rules_departments_and_waits_are_checked_in_place():
    raw = presorted(read_table(sample_path("hospital")))
    local = to_event_log(raw)
    in_place = open_in_place(duckdb_place(raw, "hospital"))
    journey = journey_of("hospital")
    expected = check_conformance(local, journey, rules=HOSPITAL_RULES)
    kinds = set(expected.deviations["kind"])
    assert {"rule_broken", "wait_over_norm"} <= kinds  # the parts below are really exercised
    assert_same_conformance(expected, check_conformance(in_place, journey, rules=HOSPITAL_RULES))


def test_alignment_runs_once_per_variant_however_many_cases(monkeypatch):
    """Twenty copies of the hospital log (new case ids) have twenty times the cases and the
    same variants: the in-place check aligns the same traces, as many as there are variants."""
    aligned: list[int] = []
    align = conformance_module._pm4py.align_traces

    def counting(net, traces, *args, **kwargs):
        aligned.append(len(traces))
        return align(net, traces, *args, **kwargs)

    monkeypatch.setattr(conformance_module._pm4py, "align_traces", counting)
    monkeypatch.setattr(conformance_module, "_ALIGNED", {})  # no alignments kept from before
    raw = presorted(read_table(sample_path("hospital")))
    journey = journey_of("hospital")
    small = check_conformance(open_in_place(duckdb_place(raw, "small")), journey)
    rows = rows_of(raw)
    case = detect_roles(raw.frame, known=raw.roles)["case_id"]
    copies = pd.concat(
        [rows.assign(**{case: rows[case].astype(str) + f"-{copy}"}) for copy in range(20)]
    )
    monkeypatch.setattr(conformance_module, "_ALIGNED", {})
    large_raw = type(raw)(copies, raw.source, raw.format, raw.sheet, raw.notes, raw.roles)
    large = check_conformance(open_in_place(duckdb_place(large_raw, "large")), journey)
    variants = small.cases["variant"].nunique()
    assert aligned == [variants, variants]
    assert large.n_cases == 20 * small.n_cases
    assert large.fitness == pytest.approx(small.fitness, rel=1e-12)


def test_conformance_in_place_on_a_read_only_postgresql(postgres, postgres_table):
    raw = presorted(read_table(sample_path("hospital")))
    postgres_table(rows_of(raw), "opnames")
    spec = parse_source(postgres.url("opnames"), password=postgres.password)
    in_place = open_in_place(open_place(spec))
    journey = journey_of("hospital")
    expected = check_conformance(to_event_log(raw), journey, rules=HOSPITAL_RULES)
    assert_same_conformance(expected, check_conformance(in_place, journey, rules=HOSPITAL_RULES))


def test_conformance_in_place_on_spark(spark, spark_table):
    raw = presorted(read_table(sample_path("permit")))
    spark_table(rows_of(raw), "vergunningen")
    in_place = open_in_place(open_place(parse_source("spark:vergunningen"), session=spark))
    journey = journey_of("permit")
    expected = check_conformance(to_event_log(raw), journey)
    assert_same_conformance(expected, check_conformance(in_place, journey))


def test_steps_the_log_lacks_are_found_in_place_as_here():
    """`check_against_log` counts a log in place's activities where it lives: the same
    counts, and the same closest names for a step the log lacks."""
    raw = presorted(read_table(sample_path("hospital")))
    journey = journey_from_variant(["Aanmelding SEH", "Triagee", "Ontslag"])
    expected = check_against_log(journey, to_event_log(raw))
    assert expected["events"].tolist()[1] == 0 and "Triage" in expected["closest"].iloc[1]
    in_place = open_in_place(duckdb_place(raw, "hospital"))
    pd.testing.assert_frame_equal(check_against_log(journey, in_place), expected)
