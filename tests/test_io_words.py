"""Reading says everything through the catalogue: how a file was read (its notes), why it
cannot be used (errors naming file, row and column) and why a row was rejected, in every
language; nothing of `journey inspect` escapes the pseudo language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator

from discovery import LogError, read_event_log, read_intended_journey
from discovery.io import read_table
from discovery.lens.stages import read_stages
from discovery.words import PSEUDO, say
from tests.test_json import schema
from tests.test_pseudo_locale import ROOT, SAMPLE, journey, outside_catalogue

CSV = (
    "\ufeffzaak;stap;tijdstip;score\n"
    "1;Intake;01-02-2024 10:00;7,5\n"
    "1;Besluit;13-02-2024 11:00\n"  # one field short
    "2;Intake;\n"  # no time: rejected
)


@pytest.fixture
def csv_file(tmp_path: Path) -> Path:
    path = tmp_path / "zaken.csv"
    path.write_bytes(CSV.encode("utf-8"))
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Zaken"
    for row in (
        ["Export van 1 februari"],
        [],
        ["zaak", "stap", "tijdstip"],
        ["1", "Intake", "2024-02-01 10:00"],
        [],
        ["2", "Intake", "2024-02-02 10:00"],
    ):
        sheet.append(row)
    book.create_sheet("Uitleg").append(["alleen tekst"])
    path = tmp_path / "zaken.xlsx"
    book.save(path)
    return path


def test_csv_notes_in_english_dutch_and_german(csv_file):
    notes = read_table(csv_file).notes
    assert [say(note) for note in notes] == [
        "encoding UTF-8 with BOM",
        "delimiter ';' (semicolon)",
        "2 rows had fewer fields than the header (rows 3, 4); the missing fields were left empty",
        "column 'score' uses a decimal comma (e.g. '7,5'); values kept as text",
    ]
    assert [say(note, "nl") for note in notes] == [
        "codering UTF-8 met BOM",
        "scheidingsteken ';' (puntkomma)",
        "2 rijen hadden minder velden dan de kopregel (rijen 3, 4); de ontbrekende velden zijn "
        "leeg gelaten",
        "kolom 'score' gebruikt een decimale komma (bijv. '7,5'); waarden als tekst bewaard",
    ]
    assert [say(note, "de") for note in notes] == [
        "Zeichenkodierung UTF-8 mit BOM",
        "Trennzeichen ';' (Semikolon)",
        "2 Zeilen hatten weniger Felder als die Kopfzeile (Zeilen 3, 4); die fehlenden Felder "
        "blieben leer",
        "Spalte 'score' verwendet ein Dezimalkomma (z. B. '7,5'); Werte als Text behalten",
    ]


def test_workbook_notes_in_dutch_and_german(workbook):
    notes = read_table(workbook).notes
    assert [say(note, "nl") for note in notes] == [
        "werkblad 'Zaken' gekozen: het heeft een kopregel en een kolom met datums/tijden; "
        "andere werkbladen: 'Uitleg'",
        "kopregel gevonden op rij 3; 2 rijen erboven overgeslagen",
        "1 lege rij overgeslagen",
    ]
    assert [say(note, "de") for note in notes] == [
        "Tabellenblatt 'Zaken' gewählt: es hat eine Kopfzeile und eine Datums-/Zeitspalte; "
        "weitere Blätter: 'Uitleg'",
        "Kopfzeile in Zeile 3 gefunden; 2 Zeilen darüber übersprungen",
        "1 leere Zeile übersprungen",
    ]


def test_the_log_adds_its_notes_and_says_why_rows_were_rejected(csv_file):
    quality = read_event_log(csv_file).quality
    dutch = [say(note, "nl") for note in quality.notes]
    assert "case_id ← 'zaak' (uit de kolomkop)" in dutch
    assert dutch[-1] == (
        "Kolom 'tijdstip': datums gelezen met dag eerst (dd-mm-yyyy HH:MM), bepaald uit de "
        "gegevens: rij 3 '13-02-2024 11:00' heeft 13 als dag."
    )
    german = [say(note, "de") for note in quality.notes]
    assert "timestamp ← 'tijdstip' (aus der Überschrift)" in german
    assert quality.rejection_counts() == {"missing timestamp": 1}
    assert quality.rejection_counts("nl") == {"tijdstip ontbreekt": 1}
    assert quality.rejected_text("de").to_dict("records") == [
        {"row": 4, "reason": "Zeitstempel fehlt", "column": "tijdstip", "value": None}
    ]


def test_a_reason_with_its_value_and_its_kind(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("zaak,stap,tijd\n1,A,01-02-2024\n1,B,31-02-2024\n2,A,01-02-2024\n")
    quality = read_event_log(path).quality
    assert quality.rejected_text("nl")["reason"].tolist() == ["onleesbare datum '31-02-2024'"]
    assert quality.rejection_counts("nl") == {"onleesbare datum": 1}
    assert quality.rejection_counts() == {"unparseable date": 1}


def test_an_error_names_file_row_and_column_in_every_language(tmp_path):
    bad = tmp_path / "kapot.csv"
    bad.write_text("zaak;stap\n1;a\n2;b;c;d\n")
    with pytest.raises(LogError) as caught:
        read_table(bad)
    assert str(caught.value).startswith("kapot.csv, row 3: has 4 fields where the header has 2")
    assert caught.value.say("nl") == (
        "kapot.csv, rij 3: heeft 4 velden waar de kopregel er 2 heeft (regel 3 van het "
        "bestand); controleer het scheidingsteken en de aanhalingstekens rond waarden"
    )

    design = tmp_path / "ontwerp.csv"
    design.write_text("stap;activiteit;optioneel\n1;Intake;nee\n2;Besluit;misschien\n")
    with pytest.raises(LogError) as caught:
        read_intended_journey(design)
    assert caught.value.say("nl") == (
        "ontwerp.csv, rij 3, kolom 'optional': 'misschien' is geen ja of nee "
        "(gebruik ja/nee, yes/no, true/false)"
    )
    assert caught.value.say("de").startswith("ontwerp.csv, Zeile 3, Spalte 'optional': ")

    stages = tmp_path / "fasen.csv"
    stages.write_text("activiteit;fase\nIntake;Begin\nBesluit;\n")
    with pytest.raises(LogError, match=r"fasen.csv, row 3, column 'fase': is empty") as caught:
        read_stages(stages)
    assert caught.value.say("nl") == "fasen.csv, rij 3, kolom 'fase': is leeg"


def test_the_command_line_says_errors_and_json_in_the_language_asked(tmp_path, csv_file):
    bad = tmp_path / "leeg.csv"
    bad.write_text("   \n")
    result = journey("inspect", bad, "--language", "nl")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"journey: kan {bad} niet lezen: leeg.csv: bestand is leeg (alleen witruimte)"
    )
    pseudo = journey("inspect", bad, "--language", PSEUDO).stderr.replace(str(bad), " ")
    assert outside_catalogue(pseudo.replace("leeg.csv", " ")) is None

    result = journey("inspect", csv_file, "--json", "--language", "nl")
    report = json.loads(result.stdout)
    Draft202012Validator(schema("inspect")).validate(report)
    assert report["notes"][0] == "codering UTF-8 met BOM"
    assert report["rejected"][0]["reason"] == "tijdstip ontbreekt"
    assert report["rejections_by_reason"] == [
        {"kind": "missing_timestamp", "reason": "tijdstip ontbreekt", "count": 1}
    ]


def test_inspect_in_the_pseudo_language_says_nothing_outside_the_catalogue():
    result = journey("inspect", SAMPLE.relative_to(ROOT), "--language", PSEUDO)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    notes = lines[lines.index("⟦How the file was read⟧") + 1 :]
    assert len(notes) > 10 and all(re.match(r"  - ⟦", note) for note in notes)
    assert [(line, left) for line in lines if (left := outside_catalogue(line))] == []


@pytest.fixture
def app(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)


def upload(at, data: bytes, name: str) -> None:
    """Put `data` in use as the uploaded file `name`, in Dutch."""
    from ui.state import Upload

    at.session_state["app.upload"] = Upload(data, name, None, (), f"test-{name}")
    at.session_state["app.source"] = "upload"
    at.session_state["app.language"] = "nl"
    at.run()
    assert not at.exception, at.exception


def test_the_upload_page_says_notes_and_rejected_rows_in_dutch(app):
    upload(app, CSV.encode("utf-8"), "zaken.csv")
    shown = [str(element.value) for element in app.markdown]
    assert "- codering UTF-8 met BOM" in shown
    assert "- case_id ← 'zaak' (uit de kolomkop)" in shown
    rejected = next(frame.value for frame in app.dataframe if "reden" in frame.value.columns)
    assert list(rejected.columns) == ["rij", "reden", "kolom", "waarde"]
    assert rejected["reden"].tolist() == ["tijdstip ontbreekt"]


def test_a_file_that_cannot_be_used_is_said_in_dutch(app):
    upload(app, b"zaak;stap\n1;a\n2;b;c;d\n", "kapot.csv")
    assert [error.value for error in app.error] == [
        "Dit bestand is niet bruikbaar: kapot.csv, rij 3: heeft 4 velden waar de kopregel er 2 "
        "heeft (regel 3 van het bestand); controleer het scheidingsteken en de aanhalingstekens "
        "rond waarden"
    ]
