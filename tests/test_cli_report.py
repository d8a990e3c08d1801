"""`journey report` as a user runs it: a bad request is said clearly, never as a traceback."""

from __future__ import annotations

from tests.journey_cli import journey

HOSPITAL = "sample_logs/hospital.csv"


def test_tracers_by_deviation_without_an_intended_journey_is_said(tmp_path):
    out = tmp_path / "r.xlsx"
    result = journey("report", HOSPITAL, "--tracers-by", "deviation", "-o", out, "--language", "nl")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "Tracerzaken per afwijking hebben een bedoelde klantreis nodig" in result.stderr
    assert not out.exists()


def test_a_report_that_cannot_be_written_names_the_file(tmp_path):
    out = tmp_path / "no such folder" / "r.html"
    result = journey("report", HOSPITAL, "-o", out, "--tracers", "0")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"cannot write {out}" in result.stderr


def test_the_format_comes_from_the_output_files_suffix(tmp_path):
    out = tmp_path / "rapport.pdf"
    result = journey("report", HOSPITAL, "-o", out, "--tracers", "1")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF") and f"Report written to {out}." in result.stdout
