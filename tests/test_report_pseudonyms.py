"""Pseudonymised reports leak nothing: known case ids, staff names and a patient-name column
appear in no output file of any format: not in the XLSX's XML parts (shared strings
included), not in the HTML, not in the PDF's text, not in the tracer exports."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from discovery import pseudonymise, read_event_log, read_key, sample_tracers
from discovery.report import provenance, tracer_bytes

KNOWN = ["PAT-778812", "PAT-778813", "PAT-778814", "Anna Bakker", "Kees Verhoeven", "Jan de Vries"]
CSV = """patientnummer,activiteit,tijdstip,medewerker,afdeling,naam
PAT-778812,Aanmelding,2025-03-01 08:00,Anna Bakker,Balie,Jan de Vries
PAT-778812,Onderzoek,2025-03-01 09:30,Kees Verhoeven,Kliniek,Jan de Vries
PAT-778812,Aanmelding,2025-03-01 10:00,Anna Bakker,Balie,Jan de Vries
PAT-778813,Aanmelding,2025-03-02 08:00,Anna Bakker,Balie,Marie Jansen
PAT-778813,Onderzoek,2025-03-02 11:00,Kees Verhoeven,Kliniek,Marie Jansen
PAT-778814,Aanmelding,2025-03-03 08:00,Kees Verhoeven,Balie,Piet Smit
PAT-778814,Ontslag,not a date,Anna Bakker,Kliniek,Piet Smit
"""
KNOWN += ["Marie Jansen", "Piet Smit"]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("pseudonyms")
    log, key = folder / "export.csv", folder / "key.txt"
    log.write_text(CSV, encoding="utf-8")
    key.write_text("ab" * 32 + "\n")
    return log, key


def _leaks(text: str) -> list[str]:
    forms = {
        form for name in KNOWN for form in (name, html.escape(name), name.replace(" ", "\xa0"))
    }
    return sorted(form for form in forms if form in text)


def _xlsx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:  # every part: sheets, shared strings, properties
        return "\n".join(
            archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
        )


def _pdf_text(path: Path) -> str:
    done = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


READERS = {"xlsx": _xlsx_text, "html": lambda path: path.read_text("utf-8"), "pdf": _pdf_text}


@pytest.mark.parametrize("format", ["xlsx", "html", "pdf"])
def test_no_known_id_or_name_in_any_report(files, tmp_path, format):
    if format == "pdf" and shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian's poppler-utils) is missing: dev.py test installs it")
    log, key = files
    out = tmp_path / f"report.{format}"
    done = subprocess.run(
        [
            sys.executable, "-m", "discovery.cli", "report", str(log), "--format", format,
            "-o", str(out), "--key-file", str(key), "--pseudonymise-column", "naam",
            "--language", "nl", "--tracers", "3",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = READERS[format](out)
    assert _leaks(text) == []
    assert "P-" in text  # the pseudonyms are there instead (a report with no cases would pass)
    assert _leaks(done.stdout + done.stderr) == []


@pytest.mark.parametrize("format", ["xlsx", "html", "pdf"])
def test_no_known_id_or_name_in_a_tracer_export(files, tmp_path, format):
    if format == "pdf" and shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian's poppler-utils) is missing: dev.py test installs it")
    path, key = files
    log = pseudonymise(read_event_log(path), read_key(key), ["naam"])
    for number, tracer in enumerate(sample_tracers(log, count=3)):
        out = tmp_path / f"case{number}.{format}"
        out.write_bytes(tracer_bytes(tracer, provenance(log, source=path), format, "en"))
        text = READERS[format](out)
        assert _leaks(text) == [] and tracer.trail.case_id in text.replace("\u2011", "-")
