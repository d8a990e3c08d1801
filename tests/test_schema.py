import pandas as pd
import pytest

from discovery.errors import LogError
from discovery.log.schema import detect_roles, normalize_header


def roles_of(headers, **given):
    return dict(detect_roles(pd.DataFrame(columns=headers), given or None).columns)


def test_dutch_headers():
    roles = roles_of(
        [
            "Patiëntnummer",
            "Activiteit",
            "Starttijd",
            "Eindtijd",
            "Medewerker",
            "Afdeling",
            "Kanaal",
            "Tevredenheid",
            "Leeftijdsgroep",
            "Kosten",
        ]
    )
    assert roles == {
        "case_id": "Patiëntnummer",
        "activity": "Activiteit",
        "timestamp": "Eindtijd",
        "start_timestamp": "Starttijd",
        "resource": "Medewerker",
        "department": "Afdeling",
        "channel": "Kanaal",
        "score": "Tevredenheid",
        "cost": "Kosten",
    }


@pytest.mark.parametrize(
    ("case", "activity", "time"),
    [
        ("Zaaknummer", "Stap", "Datum"),
        ("Dossiernummer", "Handeling", "Tijdstip"),
        ("Klantnummer", "Activiteit", "Datum/tijd"),
        ("Case ID", "Activity", "Timestamp"),
        ("case:concept:name", "concept:name", "time:timestamp"),
    ],
)
def test_required_roles_from_headers(case, activity, time):
    roles = roles_of([time, "Behandelaar", activity, case])
    assert (roles["case_id"], roles["activity"], roles["timestamp"]) == (case, activity, time)
    assert roles["resource"] == "Behandelaar"


def test_english_headers_with_start_and_complete():
    roles = roles_of(
        [
            "Case ID",
            "Activity",
            "Start Timestamp",
            "Complete Timestamp",
            "Resource",
            "Team",
            "Channel",
            "NPS",
            "Age group",
        ]
    )
    assert roles["start_timestamp"] == "Start Timestamp"
    assert roles["timestamp"] == "Complete Timestamp"
    assert roles["department"] == "Team"
    assert roles["score"] == "NPS"
    assert "Age group" not in roles.values()


def test_explicit_mapping_overrides_detection():
    roles = roles_of(["Zaaknummer", "Stap", "Datum", "Intern nr"], case_id="Intern nr")
    assert roles["case_id"] == "Intern nr"
    assert roles["activity"] == "Stap"


def test_roles_from_values_when_headers_say_nothing():
    frame = pd.DataFrame(
        {
            "a": ["c1", "c1", "c2", "c2", "c3", "c3"],
            "b": ["x", "y", "x", "z", "x", "y"],
            "c": ["01-01-2024", "02-01-2024", "03-01-2024", "13-01-2024", "01-02-2024", "2-2-2024"],
        }
    )
    mapping = detect_roles(frame)
    assert dict(mapping.columns) == {"case_id": "a", "activity": "b", "timestamp": "c"}
    assert set(mapping.found_by.values()) == {"values"}


def test_missing_role_and_unknown_column_are_clear_errors():
    with pytest.raises(LogError, match="no column found for timestamp") as error:
        detect_roles(pd.DataFrame({"Zaak": ["1"], "Stap": ["a"], "Opmerking": ["x"]}))
    assert str(error.value).endswith(
        "Say which column holds the timestamp: in the app in the role boxes, "
        "on the command line with --map timestamp=<column>."
    )
    with pytest.raises(LogError, match="'Nope' given for case_id is not in the file"):
        detect_roles(pd.DataFrame(columns=["Zaak", "Stap", "Datum"]), {"case_id": "Nope"})


def test_normalize_header():
    assert normalize_header(" Patiënt-nr. ") == "patientnr"


def test_case_id_is_an_identifier_not_a_segment():
    roles = roles_of(["complaint_id", "activity", "timestamp", "customer_type"])
    assert roles["case_id"] == "complaint_id"
    roles = roles_of(["Klantnummer (CRM)", "Klanttype", "Stap", "Datum"])
    assert roles["case_id"] == "Klantnummer (CRM)"


@pytest.mark.parametrize("header", ["Behandeld door", "User_ID", "Uitgevoerd door"])
def test_resource_headers_with_spaces_and_underscores(header):
    frame = pd.DataFrame(
        {
            "Zaak": ["1", "1"],
            "Stap": ["a", "b"],
            "Datum": ["2024-01-01", "2024-01-02"],
            header: ["Piet", "Anna"],
        }
    )
    assert detect_roles(frame)["resource"] == header


def test_header_words_are_written_as_normalize_header_leaves_them():
    from discovery.log.schema import HEADER_WORDS

    unreachable = [w for words in HEADER_WORDS.values() for w in words if normalize_header(w) != w]
    assert unreachable == []
