"""Pseudonyms: keyed HMAC-SHA256 codes for case ids, resources and chosen columns."""

import hashlib
import hmac
import json
from dataclasses import replace

import pandas as pd
import pytest

from discovery import (
    LogError,
    discover_map,
    discover_variants,
    new_key,
    pseudonym,
    pseudonymise,
    read_event_log,
    read_key,
)
from discovery.log.pseudonyms import DIGITS
from tests.journey_cli import journey

HOSPITAL = "sample_logs/hospital.csv"
KEY = bytes(range(32))
CSV = (
    "case;activity;time;resource;ward\n"
    "C1;Intake;2024-03-04 09:00;Anna;North\n"
    "C1;Decide;2024-03-04 10:00;Bram;North\n"
    "C2;Intake;2024-03-04 09:30;Anna;\n"
    "C2;Decide;2024-03-04 11:00;;\n"
)


@pytest.fixture(scope="module")
def hospital():
    return read_event_log(HOSPITAL)


def test_pseudonym_is_the_hmac_sha256_by_hand():
    digest = hmac.new(KEY, b"P000102", hashlib.sha256).hexdigest()
    assert pseudonym("P000102", KEY) == "P-" + digest[:10].upper()
    assert DIGITS == 10
    assert pseudonym("P000102", KEY, prefix="R", digits=6) == "R-" + digest[:6].upper()


def test_same_key_same_pseudonyms_across_files(tmp_path):
    first, second = tmp_path / "q1.csv", tmp_path / "q2.csv"
    first.write_text(CSV, encoding="utf-8")
    second.write_text(CSV.replace("C2", "C9"), encoding="utf-8")
    one = pseudonymise(read_event_log(first), KEY).events
    two = pseudonymise(read_event_log(second), KEY).events
    assert set(one["case_id"]) & set(two["case_id"]) == {pseudonym("C1", KEY)}
    assert set(one["resource"].dropna()) == {pseudonym("Anna", KEY), pseudonym("Bram", KEY)}
    again = pseudonymise(read_event_log(first), KEY).events
    pd.testing.assert_frame_equal(one, again)
    other = pseudonymise(read_event_log(first), new_key()).events
    assert not set(other["case_id"]) & set(one["case_id"])


def test_missing_stays_missing_and_named_columns_are_replaced(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(CSV, encoding="utf-8")
    log = read_event_log(path)
    events = pseudonymise(log, KEY, ["ward"]).events
    assert events["resource"].isna().sum() == log.events["resource"].isna().sum() == 1
    assert events["ward"].isna().sum() == 2
    assert set(events["ward"].dropna()) == {pseudonym("North", KEY)}
    with pytest.raises(LogError, match="no column 'nope'"):
        pseudonymise(log, KEY, ["nope"])
    with pytest.raises(LogError, match="'timestamp' cannot be pseudonymised"):
        pseudonymise(log, KEY, ["timestamp"])


def test_rejected_values_of_replaced_columns_are_pseudonymised(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(CSV, encoding="utf-8")
    log = read_event_log(path)
    rejected = pd.DataFrame(
        {"row": [7, 8], "reason": [None, None], "column": ["resource", "time"],
         "value": ["Anna", "garbage"]}
    )  # fmt: skip
    log = replace(log, quality=replace(log.quality, rejected=rejected))
    values = pseudonymise(log, KEY).quality.rejected["value"].tolist()
    assert values == [pseudonym("Anna", KEY), "garbage"]


def test_structure_kept_and_no_original_id_left(hospital):
    hidden = pseudonymise(hospital, KEY, ["leeftijdsgroep"])
    original, after = discover_map(hospital), discover_map(hidden)
    assert original.to_dict() == after.to_dict()
    variants = discover_variants(hospital).variants[["activities", "cases"]]
    assert sorted(map(tuple, variants.values)) == sorted(
        map(tuple, discover_variants(hidden).variants[["activities", "cases"]].values)
    )
    assert (hidden.n_cases, hidden.n_events) == (hospital.n_cases, hospital.n_events)
    secrets = set(hospital.events["case_id"]) | set(hospital.events["resource"].dropna())
    text = set(hidden.events.astype(str).to_numpy().ravel())
    assert not secrets & text
    assert hidden.events["case_id"].is_monotonic_increasing


def test_a_collision_lengthens_the_pseudonyms_of_that_log(hospital, monkeypatch):
    import discovery.log.pseudonyms as module

    monkeypatch.setattr(module, "DIGITS", 2)  # 1,500 cases in 256 codes: must collide
    events = pseudonymise(hospital, KEY).events
    lengths = events["case_id"].str.len() - 2
    assert lengths.nunique() == 1 and lengths.iloc[0] > 2
    assert events["case_id"].nunique() == hospital.n_cases
    first = hospital.events["case_id"].iloc[0]
    code = events.loc[hospital.events.index[0], "case_id"]
    assert code == pseudonym(first, KEY, digits=lengths.iloc[0])


def test_cli_with_key_file_shows_no_ids_and_no_key(hospital, tmp_path):
    key_file = tmp_path / "key.txt"
    key_file.write_text(KEY.hex() + "\n", encoding="utf-8")
    result = journey("variants", HOSPITAL, "--pseudonymise", "--key-file", key_file, "--json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)
    assert not any(case in result.stdout for case in set(hospital.events["case_id"]))
    assert KEY.hex() not in result.stderr and result.stderr == ""
    cases = journey("inspect", HOSPITAL, "--pseudonymise", "--key-file", key_file, "--json")
    assert not any(case in cases.stdout for case in set(hospital.events["case_id"]))


def test_cli_without_key_file_prints_a_new_key_once():
    result = journey("inspect", HOSPITAL, "--pseudonymise", "--json", "--language", "nl")
    assert result.returncode == 0, result.stderr
    assert "--key-file" in result.stderr and "Bewaar" in result.stderr
    key = result.stderr.split(": ", 1)[1].split()[0]
    assert len(bytes.fromhex(key)) == 32
    assert result.stderr.count(key) == 1


@pytest.mark.parametrize("content", ["not hex at all", "abcd", ""])
def test_malformed_key_file_is_a_clear_message(tmp_path, content):
    key_file = tmp_path / "sleutel.key"
    key_file.write_text(content, encoding="utf-8")
    with pytest.raises(LogError, match="not a key file"):
        read_key(key_file)
    result = journey("variants", HOSPITAL, "--pseudonymise", "--key-file", key_file)
    assert result.returncode == 2
    assert str(key_file) in result.stderr and "not a key file" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_key_file_is_named(tmp_path):
    missing = tmp_path / "gone.key"
    with pytest.raises(LogError, match="key file not found") as error:
        read_key(missing)
    assert str(missing) in str(error.value)
    assert read_key_roundtrip(tmp_path) == KEY


def read_key_roundtrip(tmp_path):
    path = tmp_path / "k.key"
    path.write_text(KEY.hex(), encoding="utf-8")
    return read_key(path)
