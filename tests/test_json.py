"""One JSON convention (discovery/_json.py) and the schemas of every `journey ... --json`."""

import hashlib
import json
from importlib.resources import files

import numpy as np
import pandas as pd
import pytest
from jsonschema import Draft202012Validator

from discovery._json import SCHEMA_VERSION, records, to_json_value
from discovery.cli import COMMANDS, EXIT_INTERNAL, json_text, main
from discovery.log.event_log import read_event_log
from discovery.words import say
from tests.conftest import SAMPLE_LOGS

SAMPLES = ["complaints", "hospital", "membership", "mortgage", "permit"]


def schema(command: str) -> dict:
    return json.loads((files("discovery") / "schemas" / f"{command}.schema.json").read_text())


def test_values_become_plain_json_by_hand():
    value = {
        "nan": float("nan"),
        "inf": np.float64(np.inf),
        "minus_inf": -np.inf,
        "nat": pd.NaT,
        "na": pd.NA,
        "utc": pd.Timestamp("2024-03-01 08:00", tz="UTC"),
        "amsterdam": pd.Timestamp("2024-03-01 09:00", tz="Europe/Amsterdam"),  # UTC+1 in March
        "summer": pd.Timestamp("2024-07-01 10:30:15.5", tz="Europe/Amsterdam"),  # UTC+2
        "naive": np.datetime64("2024-03-01T08:00"),  # taken as UTC
        "wait": pd.Timedelta(hours=1, minutes=30),
        "numpy_wait": np.timedelta64(90, "s"),
        "int64": np.int64(7),
        "float32": np.float32(0.5),
        "bool": np.bool_(True),
        "steps": ("Intake", np.str_("Check")),
        "nested": [(1, np.int32(2)), {"x": np.float64("nan")}],
        "array": np.array([1.5, np.nan]),
        np.int64(3): "key made text",
    }
    assert to_json_value(value) == {
        "nan": None,
        "inf": None,
        "minus_inf": None,
        "nat": None,
        "na": None,
        "utc": "2024-03-01T08:00:00Z",
        "amsterdam": "2024-03-01T08:00:00Z",
        "summer": "2024-07-01T08:30:15.500000Z",
        "naive": "2024-03-01T08:00:00Z",
        "wait": 5400.0,
        "numpy_wait": 90.0,
        "int64": 7,
        "float32": 0.5,
        "bool": True,
        "steps": ["Intake", "Check"],
        "nested": [[1, 2], {"x": None}],
        "array": [1.5, None],
        "3": "key made text",
    }
    plain = to_json_value(value)
    types = [type(plain[key]) for key in ("int64", "float32", "bool", "wait", "steps")]
    assert types == [int, float, bool, float, list]
    json.dumps(plain, allow_nan=False)  # nothing left that JSON cannot say


def test_records_keep_columns_and_clean_every_cell():
    frame = pd.DataFrame(
        {
            "step": ["A", "B"],
            "cases": np.array([3, 4], dtype="int64"),
            "wait_s": [np.inf, 1.5],
            "at": pd.to_datetime(["2024-03-01 08:00", None], utc=True),
            "activities": [("A", "B"), ()],
            "score": pd.array([1, None], dtype="Int64"),
        }
    )
    assert records(frame) == [
        {
            "step": "A",
            "cases": 3,
            "wait_s": None,
            "at": "2024-03-01T08:00:00Z",
            "activities": ["A", "B"],
            "score": 1,
        },
        {"step": "B", "cases": 4, "wait_s": 1.5, "at": None, "activities": [], "score": None},
    ]
    assert records(frame.iloc[:0]) == []


def test_a_value_without_a_json_form_fails_loudly():
    with pytest.raises(TypeError, match="object"):
        to_json_value(object())


def test_a_stray_nan_in_the_cli_output_fails_loudly(monkeypatch, capsys):
    assert json.loads(json_text({"cases": 3})) == {"schema_version": SCHEMA_VERSION, "cases": 3}
    assert json_text({"cases": 3}).startswith('{\n  "schema_version": ')  # first, indented
    monkeypatch.setitem(COMMANDS, "variants", lambda log, args: {"fitness": float("nan")})
    assert main(["variants", str(SAMPLE_LOGS / "permit.csv"), "--json"]) == EXIT_INTERNAL
    out, err = capsys.readouterr()
    assert out == "" and "JSON cannot" in err and "Traceback" not in err


ACTIONS = ("workspace",)  # commands of several actions, each its own kind of document


def test_every_command_has_a_valid_schema_of_this_version():
    shipped = (files("discovery") / "schemas").iterdir()
    names = sorted(path.name.removesuffix(".schema.json") for path in shipped)
    assert sorted([*COMMANDS, *ACTIONS]) == names
    for command in names:
        found = schema(command)
        Draft202012Validator.check_schema(found)
        assert found["properties"]["schema_version"]["const"] == SCHEMA_VERSION
        assert found["additionalProperties"] is False
        if command in COMMANDS:  # one kind of document: every field always there
            assert set(found["required"]) == set(found["properties"])


def run(capsys, *args) -> dict:
    assert main([*map(str, args), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def check(command: str, data: dict) -> None:
    assert data["schema_version"] == SCHEMA_VERSION
    errors = [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in Draft202012Validator(schema(command)).iter_errors(data)
    ]
    assert not errors, "\n".join(errors[:10])


@pytest.mark.parametrize("command", ["inspect", "map", "variants", "bottlenecks", "lens"])
@pytest.mark.parametrize("sample", SAMPLES)
def test_output_matches_its_schema_on_every_sample(capsys, command, sample):
    check(command, run(capsys, command, SAMPLE_LOGS / f"{sample}.csv"))


@pytest.mark.parametrize("sample", SAMPLES)
def test_conformance_matches_its_schema_on_every_sample(capsys, sample):
    intended = SAMPLE_LOGS / f"{sample}_intended.csv"
    data = run(capsys, "conformance", SAMPLE_LOGS / f"{sample}.csv", "--intended", intended)
    check("conformance", data)


def test_other_forms_of_output_match_their_schemas(capsys, tmp_path):
    hospital = SAMPLE_LOGS / "hospital.csv"
    compared = run(capsys, "lens", hospital, "--segment", "leeftijdsgroep")
    check("lens", compared)
    assert compared["segments"]["attribute"] == "leeftijdsgroep"
    check("map", run(capsys, "map", hospital, "--level", "department"))
    check("map", run(capsys, "map", hospital, "--activities", "0.5", "--paths", "0.5"))
    check("bottlenecks", run(capsys, "bottlenecks", hospital, "--language", "nl"))
    # rejected rows (their raw values), warnings and a date-only file
    path = tmp_path / "zaken.csv"
    path.write_text(
        "zaak;stap;datum\n1;Intake;01-03-2024\n1;Intake;01-03-2024\n2;Intake;\n;Besluit;02-03-2024\n"
    )
    report = run(capsys, "inspect", path)
    check("inspect", report)
    assert report["rows_rejected"] == 2 and report["findings"]
    assert report["first_event"].endswith("Z")


def test_report_json_is_the_file_and_its_provenance(capsys, tmp_path):
    hospital = SAMPLE_LOGS / "hospital.csv"
    intended = SAMPLE_LOGS / "hospital_intended.csv"
    out = tmp_path / "rapport.html"
    data = run(
        capsys, "report", hospital, "--intended", intended, "-o", out, "--top-variants", "2",
        "--language", "nl",
    )  # fmt: skip
    check("report", data)
    assert (data["report"], data["format"]) == (str(out), "html") and out.exists()
    provenance = data["provenance"]
    assert provenance["source"]["sha256"] == hashlib.sha256(hospital.read_bytes()).hexdigest()
    assert provenance["intended"]["name"] == "hospital_intended.csv"
    assert provenance["filters"] == ["zaken in de 2 meest voorkomende varianten"]


def structure(data: object) -> object:
    """`data` with every text replaced by "": what must not change with the language."""
    if isinstance(data, dict):
        return {key: structure(value) for key, value in data.items()}
    if isinstance(data, list):
        return [structure(value) for value in data]
    return "" if isinstance(data, str) else data


def texts(data: object) -> list[str]:
    """Every text in `data`, in order."""
    if isinstance(data, dict):
        return [text for value in data.values() for text in texts(value)]
    if isinstance(data, list):
        return [text for value in data for text in texts(value)]
    return [data] if isinstance(data, str) else []


@pytest.mark.parametrize("command", ["inspect", "bottlenecks", "lens"])
@pytest.mark.parametrize("sample", ["hospital", "permit"])
def test_each_language_gives_the_same_keys_only_other_texts(capsys, command, sample):
    path = SAMPLE_LOGS / f"{sample}.csv"
    english = run(capsys, command, path)
    for language in ("nl", "de"):
        said = run(capsys, command, path, "--language", language)
        check(command, said)
        assert structure(said) == structure(english)
        assert texts(said) != texts(english)  # the sentences are said in the language


def test_every_document_is_the_same_in_every_language_but_its_texts(capsys, tmp_path):
    path = tmp_path / "zaken.csv"
    path.write_text(
        "zaak;stap;datum\n1;Intake;01-03-2024\n1;Intake;01-03-2024\n2;Intake;\n;Besluit;02-03-2024\n"
        "3;Intake;31-02-2024\n"
    )
    english = run(capsys, "inspect", path)
    german = run(capsys, "inspect", path, "--language", "de")
    dutch = run(capsys, "inspect", path, "--language", "nl")
    assert structure(german) == structure(dutch) == structure(english)
    kinds = [row["kind"] for row in english["rejections_by_reason"]]
    assert sorted(kinds) == ["missing_case_id", "missing_timestamp", "unparseable_date"]
    assert [row["kind"] for row in german["rejections_by_reason"]] == kinds
    findings = read_event_log(path).quality.findings
    assert english["findings"] and [finding["sentence"] for finding in german["findings"]] == [
        say(found.message, "de") for found in findings
    ]
    assert german["findings"][0]["sentence"] != english["findings"][0]["sentence"]


def test_the_schemas_catch_a_removed_renamed_or_retyped_field(capsys):
    data = run(capsys, "variants", SAMPLE_LOGS / "permit.csv")
    validator = Draft202012Validator(schema("variants"))
    assert validator.is_valid(data)
    first = data["variants"][0]
    for broken in (
        {k: v for k, v in first.items() if k != "share"},  # removed
        {**{k: v for k, v in first.items() if k != "cases"}, "n_cases": first["cases"]},  # renamed
        {**first, "cases": str(first["cases"])},  # retyped
        {**first, "throughput_median_s": None},  # null where a number is promised
    ):
        assert not validator.is_valid({**data, "variants": [broken]})
    assert not validator.is_valid({**data, "extra": 1})
    assert not validator.is_valid({**data, "schema_version": "1.0"})


def test_comparison_and_lens_dicts_are_strict_json():
    from discovery.intended.comparison import compare_journey
    from discovery.intended.files import read_intended_journey
    from discovery.lens.journey import analyse_journey
    from discovery.log.event_log import read_event_log

    log = read_event_log(SAMPLE_LOGS / "permit.csv")
    comparison = compare_journey(log, read_intended_journey(SAMPLE_LOGS / "permit_intended.csv"))
    json.dumps(comparison.to_dict(), allow_nan=False)  # its edges were not cleaned before
    json.dumps(analyse_journey(log).to_dict(), allow_nan=False)


def test_intended_journeys_and_stages_are_strict_json():
    from discovery import IntendedJourney, Stages
    from discovery.intended.model import Step, WaitNorm

    journey = IntendedJourney(
        steps=(Step("Intake", "Balie", max_wait_hours=float("nan")), Step("Besluit")),
        norms=(WaitNorm("Intake", "Besluit", np.float64(48.0)),),
        name="zorgpad",
    )
    data = journey.to_dict()
    assert data["steps"][0]["max_wait_hours"] is None  # an empty norm cell, not NaN
    assert data["norms"] == [{"source": "Intake", "target": "Besluit", "max_hours": 48.0}]
    json.dumps(data, allow_nan=False)
    stages = Stages.from_pairs([("Intake", "Aanmelding"), ("Besluit", "Afronding")])
    assert stages.to_dict() == {
        "stages": [
            {"stage": "Aanmelding", "activities": ["Intake"]},
            {"stage": "Afronding", "activities": ["Besluit"]},
        ]
    }


def test_a_broken_rule_is_named_by_its_id_and_said_in_the_language(capsys, tmp_path):
    from tests.handworked import ROWS
    from tests.test_rules import JOURNEY_WITH_RULES

    columns = ["case_id", "activity", "department", "resource", "start", "end"]
    frame = pd.DataFrame(ROWS, columns=columns)
    frame["start_timestamp"] = "2024-03-04T" + frame.pop("start") + ":00Z"
    frame["timestamp"] = "2024-03-04T" + frame.pop("end") + ":00Z"
    log = tmp_path / "zaken.csv"
    frame.to_csv(log, index=False)
    journey = tmp_path / "ontwerp.yaml"
    journey.write_text(JOURNEY_WITH_RULES, encoding="utf-8")
    data = run(capsys, "conformance", log, "--intended", journey, "--language", "nl")
    check("conformance", data)
    # as in test_rules: case 2 skips Check (rule 0), case 1 decides 3.5 h after its first
    # Intake (rule 1), r2 checks and decides in cases 1 and 3 (rule 2); ends_with holds
    broken = {
        row["step"]: (row["cases"], row["description"])
        for row in data["deviations"]
        if row["kind"] == "rule_broken"
    }
    assert broken == {
        "rule:0": (1, "Check gaat vooraf aan Decide"),
        "rule:1": (1, "Decide binnen 3 uur na Intake"),
        "rule:2": (2, "vier ogen: Check en Decide door verschillende medewerkers"),
    }
    others = [row for row in data["deviations"] if row["kind"] != "rule_broken"]
    assert others and all(row["description"] is None for row in others)
    english = run(capsys, "conformance", log, "--intended", journey)
    said = {row["step"]: row["description"] for row in english["deviations"]}
    assert said["rule:1"] == "Decide within 3 hours of Intake"
