"""The filters every analysis command takes, run as a user runs them: the same figures as
the library's filters, and a clear message for a bad filter."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from discovery import (
    CaseAttribute,
    DepartmentsTouched,
    VariantSelection,
    apply_filters,
    discover_variants,
    read_event_log,
)
from tests.journey_cli import journey

HOSPITAL = "sample_logs/hospital.csv"


@pytest.fixture(scope="module")
def hospital():
    return read_event_log(HOSPITAL)


def _cases(result) -> list[int]:
    assert result.returncode == 0, result.stderr
    return [variant["cases"] for variant in json.loads(result.stdout)["variants"]]


def test_filters_give_the_librarys_figures(hospital):
    found = _cases(
        journey(
            "variants", HOSPITAL, "--json", "--top-variants", "3",
            "--where", "afdeling=Radiologie", "--department", "Spoedeisende Hulp",
        )
    )  # fmt: skip
    filters = [
        CaseAttribute("department", ("Radiologie",)),  # "afdeling" is the file's header
        VariantSelection(top=3),
        DepartmentsTouched(("Spoedeisende Hulp",)),
    ]
    expected = discover_variants(apply_filters(hospital, filters)).variants["cases"]
    assert found == list(expected) and sum(found) < 1500


def test_a_period_keeps_the_cases_active_in_those_days_in_the_logs_zone(hospital):
    found = _cases(
        journey("variants", HOSPITAL, "--json", "--from", "2025-03-01", "--to", "2025-03-31")
    )
    zone = hospital.timezone
    start = pd.Timestamp("2025-03-01").tz_localize(zone)
    end = pd.Timestamp("2025-04-01").tz_localize(zone)
    events = hospital.events
    begins = events["start_timestamp"] if "start_timestamp" in events else events["timestamp"]
    first = begins.groupby(events["case_id"]).min()
    last = events.groupby("case_id")["timestamp"].max()
    active = ((first < end) & (last >= start)).sum()  # worked out apart from the library
    assert sum(found) == active and 0 < active < 1500


def test_minimum_and_maximum_days(hospital):
    found = _cases(journey("variants", HOSPITAL, "--json", "--min-days", "8", "--max-days", "9"))
    events = hospital.events
    begins = events["start_timestamp"] if "start_timestamp" in events else events["timestamp"]
    days = (
        events.groupby("case_id")["timestamp"].max() - begins.groupby(events["case_id"]).min()
    ).dt.total_seconds() / 86400
    assert sum(found) == ((days >= 8) & (days <= 9)).sum() > 0


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--from", "2025-13-01"), "'2025-13-01' is not a date: expected YYYY-MM-DD"),
        (("--where", "afdeling"), "--where afdeling: expected COLUMN=VALUE"),
        (("--where", "kleur=rood"), "--where: the log has no column 'kleur'"),
    ],
)
def test_a_bad_filter_is_said_without_a_traceback(args, said):
    result = journey("map", HOSPITAL, *args)
    assert result.returncode == 2 and said in result.stderr
    assert "Traceback" not in result.stderr


def test_the_filters_are_in_dutch_help():
    result = journey("report", "--help", "--language", "nl")
    assert result.returncode == 0
    assert "houd de zaken van de N meest voorkomende varianten" in result.stdout
