"""The intended-journey check in place (issue 15, item 5): a log left where it lives is
checked against its intended journey with the same result as the local check (every case's
fitness and deviations, the log's fitness, the ranking and the JSON), on DuckDB, on a real
PostgreSQL (read-only: no table of ours may be made there) and on Spark local; alignment
runs once per variant, so a log with twenty times the cases aligns as many traces.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from ibis.backends.duckdb import Backend as DuckDBBackend

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
    """Every figure of the two checks equal: counts, the ranking's medians and time costs
    exactly; every case's row, every deviation, each deviation's cases (`cases_with`, all
    and the first five), each case's deviations, the months, the departments and the JSON,
    with a month's mean fitness (a sum of floats, added up in another order there) to
    1e-12 relative."""
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
    for figure in ("n_cases", "conforming_cases", "approximate_cases", "fitting_cases"):
        assert getattr(in_place, figure) == getattr(local, figure), figure
    for by in ("cases", "time"):
        pd.testing.assert_frame_equal(
            in_place.ranking(by), local.ranking(by), check_dtype=False, check_exact=True
        )
    pd.testing.assert_frame_equal(
        in_place.by_department(), local.by_department(), check_dtype=False, check_exact=True
    )
    months, expected = in_place.over_time(), local.over_time()
    pd.testing.assert_frame_equal(
        months.drop(columns="fitness"), expected.drop(columns="fitness"), check_dtype=False
    )
    assert months["fitness"].tolist() == pytest.approx(expected["fitness"].tolist(), rel=1e-12)
    ranking = local.ranking()
    chosen = pd.concat([ranking.head(4), ranking.groupby("kind").head(1)]).drop_duplicates()
    for row in chosen.itertuples():  # the most common, and the first of every kind
        for top in (None, 5):
            pd.testing.assert_frame_equal(
                in_place.cases_with(row.kind, row.step, top),
                local.cases_with(row.kind, row.step, top),
                check_dtype=False,
                rtol=1e-12,
                obj=f"cases_with({row.kind}, {row.step}, {top})",
            )
    cases = local.cases
    some = [*cases["case_id"].head(3), *cases.loc[cases["conforming"], "case_id"].head(2)]
    for case_id in some:
        pd.testing.assert_frame_equal(
            in_place.case_deviations(case_id),
            local.case_deviations(case_id).reset_index(drop=True),
            check_dtype=False,
            obj=case_id,
        )
    assert_same_json(in_place.to_dict("nl"), local.to_dict("nl"))


def assert_same_json(found: object, expected: object) -> None:
    """Equal JSON, floats to 1e-12 relative (a month's mean fitness)."""
    if isinstance(expected, dict):
        assert isinstance(found, dict) and found.keys() == expected.keys()
        for key in expected:
            assert_same_json(found[key], expected[key])
    elif isinstance(expected, list):
        assert isinstance(found, list) and len(found) == len(expected)
        for one, other in zip(found, expected, strict=True):
            assert_same_json(one, other)
    elif isinstance(expected, float):
        assert found == pytest.approx(expected, rel=1e-12)
    else:
        assert found == expected


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


def copies_of(raw, times: int):
    """`times` copies of the log's rows, each copy's cases under new ids: as many times
    the cases, the same variants."""
    rows = rows_of(raw)
    case = detect_roles(raw.frame, known=raw.roles)["case_id"]
    copies = pd.concat(
        [rows.assign(**{case: rows[case].astype(str) + f"-{copy}"}) for copy in range(times)]
    )
    return type(raw)(copies, raw.source, raw.format, raw.sheet, raw.notes, raw.roles)


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
    monkeypatch.setattr(conformance_module, "_ALIGNED", {})
    large = check_conformance(open_in_place(duckdb_place(copies_of(raw, 20), "large")), journey)
    variants = len(small.variants)
    assert aligned == [variants, variants]
    assert large.n_cases == 20 * small.n_cases
    assert large.fitness == pytest.approx(small.fitness, rel=1e-12)


def test_no_table_of_cases_comes_back_from_where_the_log_lives(monkeypatch):
    """Every row DuckDB hands back, counted: the check and every figure the intended page,
    the command line and the report ask (the ranking both ways, the months, the
    departments, the messages, the JSON, the ten longest cases of a deviation and one
    case's deviations) bring back as many rows for twenty copies of the hospital log as for
    the log itself, query by query, and fewer in all than the log has cases; one of them is
    the variant table."""
    results: list[int] = []
    execute = DuckDBBackend.execute

    def counting(self, expression, *args, **kwargs):
        result = execute(self, expression, *args, **kwargs)
        results.append(len(result) if isinstance(result, pd.DataFrame | pd.Series) else 1)
        return result

    monkeypatch.setattr(DuckDBBackend, "execute", counting)
    raw = presorted(read_table(sample_path("hospital")))
    journey = journey_of("hospital")

    def rows_back(log) -> tuple[list[int], Conformance]:
        results.clear()
        checked = check_conformance(log, journey)
        checked.ranking("cases"), checked.ranking("time"), checked.messages()
        checked.over_time(), checked.by_department(), checked.to_dict("en")
        assert 0 < checked.conforming_cases < checked.n_cases
        top = checked.ranking().iloc[0]
        longest = checked.cases_with(top["kind"], top["step"], top=10)
        assert len(longest) == 10
        assert len(checked.case_deviations(longest["case_id"].iloc[0])) > 0
        return list(results), checked

    small, one = rows_back(open_in_place(duckdb_place(raw, "one")))
    large, twenty = rows_back(open_in_place(duckdb_place(copies_of(raw, 20), "twenty")))
    assert twenty.n_cases == 20 * one.n_cases
    assert large == small  # query by query, as many rows for twenty times the cases
    assert len(twenty.variants) in large and sum(large) < one.n_cases


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


def test_a_log_in_place_filtered_to_no_case_is_a_value_error_as_here():
    """A filtered log in place keeps its parent's quality counts: its emptiness shows in
    the variant table, and the check refuses it as the local check refuses an empty log."""
    raw = presorted(read_table(sample_path("hospital")))
    log = open_in_place(duckdb_place(raw, "hospital"))
    none = replace(log, events=log.events.filter(log.events.case_id == "no such case"))
    with pytest.raises(ValueError, match="no cases"):
        check_conformance(none, journey_of("hospital"))
