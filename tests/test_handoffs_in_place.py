"""The handoffs' figures over cases (how many cases, the share of cases handed over, with a
ping-pong or rework, and the mean handoffs per case) count every case of a log in place,
though its `per_case` brings only the first `PER_CASE_LIMIT` cases here: with the limit at
50 the hospital sample's 1,500 cases give, on DuckDB and PostgreSQL (on Spark its first
120), exactly the local route's figures; and the local figures are exactly pandas' share
and mean of `per_case`."""

from __future__ import annotations

import math

import pytest

import discovery.mining.in_place.handoffs as in_place_handoffs
from discovery.engine.in_place import open_in_place
from discovery.engine.places import open_place
from discovery.io import read_table
from discovery.io.sources import parse_source
from discovery.log.event_log import to_event_log
from discovery.mining.handoffs import analyse_handoffs
from discovery.mining.in_place.handoffs import COUNTED
from tests.test_in_place import (
    HANDOFF_PARTS,
    SAMPLES,
    assert_frames_equal,
    duckdb_place,
    first_hospital_cases,
    presorted,
    rows_of,
    sample_path,
)


def assert_same_figures(ours, theirs) -> None:
    """The counts and every share and mean made of them equal to the last bit."""
    assert theirs.counts == ours.counts
    assert theirs.cases == ours.cases
    for column in COUNTED:
        assert theirs.share_of_cases(column) == ours.share_of_cases(column), column
        assert theirs.mean_per_case(column) == ours.mean_per_case(column), column


def test_the_figures_in_place_count_every_case_beyond_the_limit_on_spark(
    spark, spark_table, monkeypatch
):
    """Spark (local[2], slow: the hospital sample's first 120 cases). First in this module:
    Spark's gateway starts by a fork, safer before this process holds DuckDB connections."""
    raw = first_hospital_cases(120)
    spark_table(rows_of(raw), "handoffs_klein")
    place = open_place(parse_source("spark:handoffs_klein"), session=spark)
    _check_limited(to_event_log(raw), open_in_place(place), monkeypatch, cases=120)


@pytest.mark.parametrize("name", SAMPLES)
def test_the_local_figures_are_pandas_share_and_mean_of_every_case(name):
    report = analyse_handoffs(to_event_log(presorted(read_table(sample_path(name)))))
    per_case = report.per_case
    assert report.cases == len(per_case) > 0
    for column in COUNTED:
        assert report.share_of_cases(column) == float((per_case[column] > 0).mean()), column
        assert report.mean_per_case(column) == float(per_case[column].mean()), column
    assert report.share_of_cases("handoffs") > 0 or name == "complaints"


def test_figures_without_cases_are_none():
    local = to_event_log(presorted(read_table(sample_path("hospital"))))
    report = analyse_handoffs(local)
    empty = type(report.counts)(0, dict.fromkeys(COUNTED, 0), dict.fromkeys(COUNTED, 0))
    nothing = type(report)(*(getattr(report, p) for p in HANDOFF_PARTS), counts=empty)
    assert nothing.cases == 0 and nothing.share_of_cases("handoffs") == 0.0
    assert math.isnan(nothing.mean_per_case("handoffs"))


def _check_limited(local, in_place, monkeypatch, cases: int = 1500) -> None:
    monkeypatch.setattr(in_place_handoffs, "PER_CASE_LIMIT", 50)
    ours, theirs = analyse_handoffs(local), analyse_handoffs(in_place)
    assert len(theirs.per_case) == 50 and ours.cases == theirs.cases == cases
    assert_frames_equal(ours.per_case.iloc[:50], theirs.per_case, "the first 50 cases")
    for part in HANDOFF_PARTS[1:]:
        assert_frames_equal(getattr(ours, part), getattr(theirs, part), part)
    assert_same_figures(ours, theirs)
    first = ours.per_case.iloc[:50]  # the figures of the first 50 alone differ: not a subset's
    assert theirs.mean_per_case("handoffs") != float(first["handoffs"].mean())
    assert 0 < theirs.share_of_cases("pingpongs") < 1


@pytest.fixture(scope="module")
def hospital_raw():
    return presorted(read_table(sample_path("hospital")))


def test_the_figures_in_place_count_every_case_beyond_the_limit_on_duckdb(
    hospital_raw, monkeypatch
):
    local = to_event_log(hospital_raw)
    in_place = open_in_place(duckdb_place(hospital_raw, "hospital"))
    assert_same_figures(analyse_handoffs(local), analyse_handoffs(in_place))  # all came back
    _check_limited(local, in_place, monkeypatch)


def test_the_figures_in_place_count_every_case_beyond_the_limit_on_postgres(
    hospital_raw, postgres, postgres_table, monkeypatch
):
    postgres_table(rows_of(hospital_raw), "handoffs_hospital")
    place = open_place(parse_source(postgres.url("handoffs_hospital"), password=postgres.password))
    _check_limited(to_event_log(hospital_raw), open_in_place(place), monkeypatch)
