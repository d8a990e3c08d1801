"""`journey inspect` as a user runs it: a real process, real files."""

import json
import re

import pytest

from tests.journey_cli import journey

CSV = (
    "Zaaknummer;Stap;Datum;Afdeling;Tevredenheid\n"
    "00123;Intake;01-03-2024 09:00;Balie;8,5\n"
    "00123;Besluit;13-03-2024 10:00;Backoffice;\n"
    "123;Intake;02-03-2024 10:00;Balie;7\n"
    "123;Intake;02-03-2024 10:00;Balie;7\n"
    "124;Intake;;Balie;\n"
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
    assert (report["events"], report["cases"], report["activities"]) == (4, 2, 2)
    assert report["rows_read"] == 5
    assert report["rows_rejected"] == 1
    assert report["rows_read"] == report["rows_used"] + report["rows_rejected"]
    reasons = {(r["row"], r["reason"]) for r in report["rejected"]}
    assert reasons == {(6, "missing timestamp")}
    # row 5 is identical to row 4: kept as a second event of case "123", and said so
    assert (report["identical_rows"], report["duplicates"]) == (1, "keep")
    checks = [finding["check"] for finding in report["findings"]]
    assert checks == ["identical_rows", "identical_timestamps"]
    assert report["roles"]["department"] == "Afdeling"


def test_drop_duplicates_rejects_identical_rows_as_asked(dutch_csv):
    result = journey("inspect", dutch_csv, "--json", "--drop-duplicates")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert (report["events"], report["rows_rejected"], report["duplicates"]) == (3, 2, "drop")
    reasons = {(r["row"], r["reason"]) for r in report["rejected"]}
    assert reasons == {(5, "exact duplicate of row 4"), (6, "missing timestamp")}
    assert [finding["check"] for finding in report["findings"]] == [
        "identical_rows",
        "single_event_cases",
    ]
    text = journey("inspect", dutch_csv, "--drop-duplicates").stdout
    assert "identical    1 (dropped: --drop-duplicates)" in text


def test_inspect_text_and_explicit_mapping(dutch_csv):
    result = journey("inspect", dutch_csv, "--map", "department=Stap", "--map", "activity=Afdeling")
    assert result.returncode == 0, result.stderr
    assert "cases        2" in result.stdout
    assert "rejected     1" in result.stdout
    assert "identical    1 (kept as events)" in result.stdout
    assert "activity ← 'Afdeling' (given)" in result.stdout


def test_inspect_text_in_dutch_and_the_languages_offered(dutch_csv):
    result = journey("inspect", dutch_csv, "--language", "nl")
    assert result.returncode == 0, result.stderr
    assert "zaken        2" in result.stdout and "afgewezen    1" in result.stdout
    assert "identiek     1 (als gebeurtenissen gehouden)" in result.stdout
    assert "rij 6: tijdstip ontbreekt" in result.stdout  # the reason said in Dutch too
    assert "1 rij is in elke kolom gelijk aan een eerdere rij (bijv. rij 5 = rij 4)" in (
        result.stdout
    )
    unknown = journey("inspect", dutch_csv, "--language", "xx")
    assert unknown.returncode == 2 and "choose from en, " in unknown.stderr
    offered = journey("inspect", "--help").stdout
    assert "--language {en," in offered and "qps" not in offered  # the pseudo one is hidden
    pseudo = journey("inspect", dutch_csv, "--language", "qps")
    assert pseudo.returncode == 0 and "⟦cases⟧" in pseudo.stdout


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


@pytest.fixture
def handworked_csv(tmp_path):
    from tests.handworked import ROWS

    lines = ["case,activity,department,resource,start,end"]
    lines += [f"{c},{a},{d},{r},2024-03-04T{s}:00Z,2024-03-04T{e}:00Z" for c, a, d, r, s, e in ROWS]
    path = tmp_path / "handworked.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_map_json_has_nodes_edges_start_and_end(handworked_csv):
    result = journey("map", handworked_csv, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    nodes = {node["name"]: (node["events"], node["cases"]) for node in data["nodes"]}
    assert nodes == {"Intake": (4, 3), "Check": (3, 2), "Decide": (3, 3)}
    edge = next(e for e in data["edges"] if (e["source"], e["target"]) == ("Intake", "Decide"))
    assert (edge["frequency"], edge["cases"]) == (2, 2)
    assert (edge["wait_median_s"], edge["wait_mean_s"], edge["wait_p90_s"]) == (2700, 2700, 3420)
    assert data["start"] == {"Intake": 3} and data["end"] == {"Decide": 3}


def test_map_of_departments_and_simplified(handworked_csv):
    data = json.loads(journey("map", handworked_csv, "--level", "department", "--json").stdout)
    assert {(e["source"], e["target"]) for e in data["edges"]} == {
        ("Front", "Back"),
        ("Back", "Front"),
        ("Back", "Back"),
    }
    reduced = json.loads(journey("map", handworked_csv, "--paths", "0.2", "--json").stdout)
    assert len(reduced["edges"]) == 3


def test_variants_and_bottlenecks_json(handworked_csv):
    variants = json.loads(journey("variants", handworked_csv, "--json").stdout)["variants"]
    assert [v["activities"] for v in variants][-1] == ["Intake", "Decide"]
    assert sum(v["cases"] for v in variants) == 3
    assert variants[0]["share"] == pytest.approx(1 / 3)
    found = json.loads(journey("bottlenecks", handworked_csv, "--json", "--language", "nl").stdout)
    assert found["edges"][0]["sentence"].startswith("Zaken wachten mediaan 1,5 uur tussen Check")


def test_unknown_level_is_a_clear_error(handworked_csv):
    result = journey("map", handworked_csv, "--level", "nope")
    assert result.returncode == 2
    assert "no column 'nope'" in result.stderr


def test_lens_json_finds_the_planted_drop_off_and_segment():
    from tests.conftest import SAMPLE_LOGS

    truth = json.loads((SAMPLE_LOGS / "ground_truth.json").read_text())["journeys"]["hospital"]
    result = journey(
        "lens",
        SAMPLE_LOGS / "hospital.csv",
        "--segment",
        truth["slow_segment"]["attribute"],
        "--json",
    )
    assert result.returncode == 0, result.stderr
    lens = json.loads(result.stdout)
    assert {"stages", "dropoff", "moments_of_truth", "segments"} <= lens.keys()
    dropoff = lens["dropoff"]
    assert dropoff["completed"] + dropoff["open"] + dropoff["abandoned"] == truth["n_cases"]
    step = next(row for row in dropoff["by_step"] if row["step"] == truth["drop_off"]["activity"])
    assert step["drop_rate"] == pytest.approx(truth["drop_off"]["realised"], abs=0.01)
    highlighted = {(row["segment"], row["where"]) for row in lens["segments"]["differences"]}
    assert (truth["slow_segment"]["value"], truth["slow_segment"]["step"]) in highlighted


def test_lens_text_in_dutch_and_clear_errors(tmp_path):
    from tests.conftest import SAMPLE_LOGS

    text = journey("lens", SAMPLE_LOGS / "permit.csv", "--language", "nl")
    assert text.returncode == 0, text.stderr
    assert "Uitval:" in text.stdout and "haken af bij Legesnota verstuurd" in text.stdout
    assert not re.search(r"\bnan\b", text.stdout)  # missing durations read "—"
    unknown = journey("lens", SAMPLE_LOGS / "permit.csv", "--segment", "nope")
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    stages = tmp_path / "stages.csv"
    stages.write_text("activity,stage\nIntake,\n")
    bad = journey("lens", SAMPLE_LOGS / "permit.csv", "--stages", stages)
    assert bad.returncode == 2 and "stages.csv" in bad.stderr


def test_help_in_the_language_asked_for():
    main = journey("--help", "--language", "nl")
    assert main.returncode == 0, main.stderr
    assert "Journey Discovery: de echte klantreis uit eventlogs." in main.stdout
    assert "samenvatting en rapport over de datakwaliteit" in main.stdout
    mapping = journey("map", "--help", "--language", "nl").stdout
    assert "aandeel knopen dat blijft, 0-1" in mapping and "opties:" in mapping
    assert '"%d-%m-%Y %H:%M"' in mapping  # argparse's %% still comes out as one %
    german = " ".join(journey("conformance", "-h", "--language=de").stdout.split())
    assert "(0: kein Limit; Standard 10)" in german  # the default in the text, unwrapped
    english = journey("map", "--help").stdout
    assert "share of nodes to keep, 0-1" in english and "options:" in english
