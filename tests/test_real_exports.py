"""Real logs as a stranger's export would bring them: fewer columns, Dutch headers and dates,
shuffled rows, an Excel workbook. Rows that look identical are real events and are kept."""

import pandas as pd
import pytest

from discovery import discover_map, read_event_log
from discovery.words import say
from tests.test_reference_logs import REFERENCE

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def hospital_workbook(shared_logs, tmp_path_factory):
    """BPI 2011 as a hospital system exports it: four columns, Dutch headers, dates as Excel
    date cells (no time of day), in an .xlsx workbook."""
    raw = pd.read_csv(
        shared_logs / "hospital.csv.gz",
        usecols=["case_id", "activity", "timestamp", "group"],
        dtype=str,
        keep_default_na=False,
    )
    export = pd.DataFrame(
        {
            "Patiëntnummer": raw["case_id"],
            "Activiteit": raw["activity"],
            "Datum": pd.to_datetime(raw["timestamp"], format="ISO8601"),
            "Afdeling": raw["group"],
        }
    )
    path = tmp_path_factory.mktemp("export") / "ziekenhuis_export.xlsx"
    export.to_excel(path, index=False, engine="openpyxl")
    return path, export


def test_a_four_column_hospital_workbook_keeps_every_event(hospital_workbook):
    path, export = hospital_workbook
    log = read_event_log(path)
    expected = REFERENCE["hospital.csv.gz"]
    assert log.mapping["department"] == "Afdeling"
    assert log.n_events == expected["events"] == 150_291
    assert log.quality.rows_rejected == 0
    # counted independently: rows equal to an earlier one in all four cells
    identical = int(export.duplicated().sum())
    assert identical > 20_000
    assert log.quality.identical_rows == identical
    finding = {f.check: f for f in log.quality.findings}["identical_rows"]
    assert finding.count == identical and "kept as separate events" in say(finding.message)
    # with date-only times the file's order breaks the ties, as in the published figures
    edges = discover_map(log).edges
    assert len(edges) == expected["edges"]
    assert int(edges["frequency"].sum()) == expected["total"]


def test_dropping_identical_rows_is_an_explicit_choice(hospital_workbook):
    path, export = hospital_workbook
    log = read_event_log(path, duplicates="drop")
    identical = int(export.duplicated().sum())
    assert log.n_events == 150_291 - identical
    assert log.quality.rejection_counts() == {"exact duplicate": identical}
    assert log.quality.rows_read == log.quality.rows_used + log.quality.rows_rejected


@pytest.fixture(scope="module")
def sepsis_dutch_csv(shared_logs, tmp_path_factory):
    """Sepsis as a Dutch CSV with five columns: semicolons, day-first dates, Dutch headers."""
    raw = pd.read_csv(shared_logs / "sepsis.csv", dtype=str, keep_default_na=False)
    moments = pd.to_datetime(raw["time:timestamp"], format="ISO8601", utc=True)
    export = pd.DataFrame(
        {
            "Zaaknummer": raw["case:concept:name"],
            "Activiteit": raw["concept:name"],
            "Tijdstip": moments.dt.tz_convert("Europe/Amsterdam").dt.strftime("%d-%m-%Y %H:%M:%S"),
            "Afdeling": raw["org:group"],
            "Leeftijd": raw["Age"],
        }
    )
    folder = tmp_path_factory.mktemp("sepsis")
    export.to_csv(folder / "sepsis_nl.csv", sep=";", index=False, encoding="cp1252")
    shuffled = export.sample(frac=1, random_state=11)
    shuffled.to_csv(folder / "sepsis_nl_shuffled.csv", sep=";", index=False, encoding="cp1252")
    return folder, export


def test_a_five_column_dutch_csv_keeps_every_event_and_the_published_map(sepsis_dutch_csv):
    folder, export = sepsis_dutch_csv
    log = read_event_log(folder / "sepsis_nl.csv")
    expected = REFERENCE["sepsis.csv"]
    assert log.n_events == expected["events"]
    assert log.n_cases == expected["cases"]
    assert log.quality.rows_rejected == 0
    assert log.quality.identical_rows == int(export.duplicated().sum()) > 0
    edges = discover_map(log).edges
    assert len(edges) == expected["edges"]
    assert int(edges["frequency"].sum()) == expected["total"]


def test_shuffled_rows_give_the_same_events(sepsis_dutch_csv):
    folder, _ = sepsis_dutch_csv
    log = read_event_log(folder / "sepsis_nl.csv")
    shuffled = read_event_log(folder / "sepsis_nl_shuffled.csv")
    assert shuffled.n_events == log.n_events
    assert shuffled.quality.identical_rows == log.quality.identical_rows
    key = ["case_id", "timestamp", "activity"]
    pd.testing.assert_frame_equal(
        shuffled.events[key].sort_values(key).reset_index(drop=True),
        log.events[key].sort_values(key).reset_index(drop=True),
    )
