"""The provenance record: SHA-256 checked with hashlib, counts against the quality report of a
hand-made CSV (one unparseable date, one row identical to an earlier one), filters in Dutch."""

from __future__ import annotations

import dataclasses
import datetime as dt
import doctest
import hashlib
import importlib.metadata

import pytest

from discovery.log.event_log import read_event_log
from discovery.mining.filters import CaseDuration, VariantSelection
from discovery.report import FileFingerprint, fingerprint, provenance
from discovery.report import _provenance as provenance_module

# Row 3 repeats row 2; row 5 has an unparseable date.
CSV = (
    "case,activity,timestamp\n"
    "1,A,2024-03-01 08:00\n"
    "1,B,2024-03-01 09:00\n"
    "1,B,2024-03-01 09:00\n"
    "2,A,2024-03-02 08:00\n"
    "2,B,not a date\n"
    "3,A,2024-03-03 08:00\n"
)
MADE_AT = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture
def sample(tmp_path):
    path = tmp_path / "sample.csv"
    path.write_bytes(CSV.encode())
    return path


def test_sha256_of_a_file_is_hashlibs(sample, monkeypatch):
    monkeypatch.setattr(provenance_module, "_CHUNK", 7)  # streamed in many pieces
    found = fingerprint(sample)
    assert found == FileFingerprint("sample.csv", hashlib.sha256(sample.read_bytes()).hexdigest())


def test_sha256_of_bytes_is_hashlibs_and_named_by_the_log(sample):
    data = CSV.encode()
    log = read_event_log(sample)
    record = provenance(log, source=data)
    assert record.source == FileFingerprint("sample.csv", hashlib.sha256(data).hexdigest())
    assert record.source == provenance(log, source=sample).source
    assert fingerprint(b"", "empty.csv").sha256 == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize(
    ("duplicates", "used", "rejected"),
    [("keep", 5, 1), ("drop", 4, 2)],  # 6 rows read; dropping rejects the identical row too
)
def test_counts_are_the_quality_reports(sample, duplicates, used, rejected):
    log = read_event_log(sample, duplicates=duplicates)
    record = provenance(log, source=sample, made_at=MADE_AT)
    quality = log.quality
    assert (record.rows_read, record.rows_used, record.rows_rejected) == (6, used, rejected)
    assert (record.rows_read, record.rows_used, record.rows_rejected) == (
        quality.rows_read,
        quality.rows_used,
        quality.rows_rejected,
    )
    assert (record.duplicates, record.identical_rows) == (duplicates, 1)
    said = dict(record.lines("en"))
    assert said["Rows"] == f"6 read, {used} used, {rejected} rejected"
    kept = "kept as an event" if duplicates == "keep" else "dropped"
    assert said["Identical rows"] == f"1 row identical to an earlier row, {kept}"


def test_mapping_timezone_and_time(sample):
    log = read_event_log(sample, timezone="UTC")
    record = provenance(log, source=sample, made_at=MADE_AT)
    assert record.mapping == (
        ("case_id", "case", "header"),
        ("activity", "activity", "header"),
        ("timestamp", "timestamp", "header"),
    )
    assert record.timezone == "UTC"
    data = record.to_dict()
    assert data["made_at"] == "2025-01-02T03:04:05Z"
    assert data["mapping"][0] == {"role": "case_id", "column": "case", "found_by": "header"}
    said = dict(record.lines("en"))
    assert said["Made at"] == "2 Jan 2025, 03:04:05 UTC"
    assert said["Times shown in time zone"] == "UTC"


def test_filters_said_in_dutch(sample, tmp_path):
    journey = tmp_path / "journey.yaml"
    journey.write_bytes(b"steps: [A, B]\n")
    log = read_event_log(sample)
    filters = [VariantSelection(top=3), CaseDuration(86400)]
    record = provenance(log, source=sample, filters=filters, intended=journey, made_at=MADE_AT)
    assert record.to_dict("nl")["filters"] == [
        "zaken in de 3 meest voorkomende varianten",
        "zaken van minstens 1 dag",
    ]
    said = dict(record.lines("nl"))
    assert (
        said["Filters"] == "zaken in de 3 meest voorkomende varianten; en zaken van minstens 1 dag"
    )
    assert said["Beoogde klantreis"] == "journey.yaml"
    assert (
        said["SHA-256 van de beoogde klantreis"] == hashlib.sha256(b"steps: [A, B]\n").hexdigest()
    )
    unfiltered = dict(provenance(log, source=sample).lines("nl"))
    assert unfiltered["Filters"] == "alle zaken"
    assert unfiltered["Beoogde klantreis"] == "(geen)"
    assert "SHA-256 van de beoogde klantreis" not in unfiltered


def test_every_label_is_in_every_language(sample):
    record = provenance(read_event_log(sample), source=sample, intended=FileFingerprint("j", "0"))
    for language in ("en", "nl", "de"):
        labels = [label for label, _ in record.lines(language)]
        assert len(set(labels)) == len(labels) == 11
        assert not any(label.startswith("provenance.") for label in labels)


def test_the_same_inputs_give_the_same_record_apart_from_made_at(sample):
    log = read_event_log(sample)
    filters = [VariantSelection(top=3)]
    first = provenance(read_event_log(sample), source=sample, filters=filters)
    second = provenance(log, source=CSV.encode(), filters=filters, intended=None)
    assert first != dataclasses.replace(second, made_at=MADE_AT)
    assert dataclasses.replace(first, made_at=MADE_AT) == dataclasses.replace(
        second, made_at=MADE_AT
    )
    first_dict, second_dict = first.to_dict("nl"), second.to_dict("nl")
    first_dict.pop("made_at"), second_dict.pop("made_at")
    assert first_dict == second_dict


def test_version_is_the_installed_distributions(sample):
    record = provenance(read_event_log(sample), source=sample)
    assert record.version == importlib.metadata.version("journey-discovery")


def test_version_falls_back_to_pyproject(monkeypatch):
    def missing(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", missing)
    assert provenance_module.software_version() == "0.1.0"


def test_doctests():
    assert doctest.testmod(provenance_module).failed == 0
