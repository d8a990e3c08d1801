"""`journey inspect` as a user runs it: a real process, real files."""

import json
import subprocess
import sys

import pytest

CSV = (
    "Zaaknummer;Stap;Datum;Afdeling;Tevredenheid\n"
    "00123;Intake;01-03-2024 09:00;Balie;8,5\n"
    "00123;Besluit;13-03-2024 10:00;Backoffice;\n"
    "123;Intake;02-03-2024 10:00;Balie;7\n"
    "123;Intake;02-03-2024 10:00;Balie;7\n"
    "124;Intake;;Balie;\n"
)


def journey(*args):
    return subprocess.run(
        [sys.executable, "-m", "discovery.cli", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def dutch_csv(tmp_path):
    path = tmp_path / "zaken.csv"
    path.write_text(CSV, encoding="cp1252")
    return path


def test_inspect_json_counts_and_quality(dutch_csv):
    result = journey("inspect", dutch_csv, "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)  # parseable: no banner or chatter on stdout
    assert (report["events"], report["cases"], report["activities"]) == (3, 2, 2)
    assert report["rows_read"] == 5
    assert report["rows_rejected"] == 2
    assert report["rows_read"] == report["rows_used"] + report["rows_rejected"]
    reasons = {(r["row"], r["reason"]) for r in report["rejected"]}
    assert reasons == {(5, "exact duplicate of row 4"), (6, "missing timestamp")}
    assert isinstance(report["findings"], list)
    assert report["roles"]["department"] == "Afdeling"


def test_inspect_text_and_explicit_mapping(dutch_csv):
    result = journey("inspect", dutch_csv, "--map", "department=Stap", "--map", "activity=Afdeling")
    assert result.returncode == 0, result.stderr
    assert "cases        2" in result.stdout
    assert "rejected     2" in result.stdout
    assert "activity ← 'Afdeling' (given)" in result.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02\xff\xfe" * 200, "zaken.csv")],
)
def test_unreadable_input_exits_non_zero_without_traceback(tmp_path, content, message):
    path = tmp_path / "zaken.csv"
    path.write_bytes(content)
    result = journey("inspect", path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_unknown_column_in_mapping_is_reported(dutch_csv):
    result = journey("inspect", dutch_csv, "--map", "case_id=Nope")
    assert result.returncode == 2
    assert "'Nope' given for case_id is not in the file" in result.stderr
