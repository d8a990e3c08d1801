"""`journey workspace list|add|show|delete`, and `ws:ID` as every analysis command's
source: the same answers as from the file, and a plain message (no traceback) for a bad
id, a missing workspace or a damaged file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from discovery.cli import main
from discovery.workspace import Workspace, file_sha256
from tests.journey_cli import journey, valid

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "hospital.csv"
INTENDED = ROOT / "sample_logs" / "hospital_intended.csv"


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def saved(tmp_path, capsys) -> tuple[Path, str]:
    """A workspace with the sample log added, and its id."""
    path = tmp_path / "ws.duckdb"
    code, out, err = run(
        capsys, "workspace", "add", SAMPLE, "--title", "Hospital", "--notes", "Q1",
        "--intended", INTENDED, "--process", "Emergency care", "--workspace", path, "--json",
    )  # fmt: skip
    assert code == 0, err
    return path, json.loads(out)["analysis"]["id"]


def test_add_list_show_delete(saved, capsys):
    path, found = saved
    code, out, _ = run(capsys, "workspace", "list", "--workspace", path, "--json")
    listed = json.loads(out)
    assert code == 0 and listed["workspace"] == str(path)
    (analysis,) = listed["analyses"]
    assert analysis["id"] == found and analysis["title"] == "Hospital"
    assert (analysis["events"], analysis["cases"]) == (17531, 1500)
    assert analysis["source_name"] == "hospital.csv"
    assert analysis["source_sha256"] == file_sha256(SAMPLE)
    assert analysis["notes"] == "Q1" and analysis["process"] == "Emergency care"
    assert Workspace(path).open_analysis(found).intended is not None
    code, out, _ = run(capsys, "workspace", "list", "--workspace", path)
    assert code == 0 and found in out and "17,531" in out and "Hospital" in out
    code, out, _ = run(capsys, "workspace", "show", found, "--workspace", path, "--language", "nl")
    assert code == 0 and "17.531" in out and "Notities" in out and file_sha256(SAMPLE) in out
    assert "Proces" in out and "Emergency care" in out
    code, out, _ = run(capsys, "workspace", "delete", found, "--workspace", path)
    assert code == 0 and found in out
    code, out, _ = run(capsys, "workspace", "list", "--workspace", path)
    assert code == 0 and "No saved analyses" in out


def test_every_action_in_json_follows_the_schema(saved, capsys):
    path, found = saved
    documents = []
    for action in (("list",), ("show", found), ("delete", found), ("list",)):
        code, out, err = run(capsys, "workspace", *action, "--workspace", path, "--json")
        assert code == 0, err
        documents.append(valid(json.loads(out), "workspace"))
    assert [document["analyses"][0]["id"] for document in documents[:1]] == [found]
    assert documents[1]["analysis"] == documents[2]["deleted"] == documents[0]["analyses"][0]
    assert documents[3]["analyses"] == []
    with pytest.raises(AssertionError):  # the schema can fail: a field renamed
        valid({**documents[1], "analysis": {**documents[1]["analysis"], "name": "x"}}, "workspace")


@pytest.mark.parametrize(
    "command",
    [
        ("inspect",),
        ("map", "--level", "department"),
        ("variants",),
        ("bottlenecks",),
        ("conformance", "--intended", INTENDED),
        ("lens", "--top", "3"),
        ("map", "--top-variants", "3", "--from", "2025-06-01"),
    ],
    ids=lambda command: " ".join(map(str, command)),
)
def test_an_analysis_from_the_workspace_answers_as_from_the_file(saved, capsys, command):
    path, found = saved
    code, from_file, err = run(capsys, command[0], SAMPLE, *command[1:], "--json")
    assert code == 0, err
    code, from_workspace, err = run(
        capsys, command[0], f"ws:{found}", *command[1:], "--json", "--workspace", path
    )
    assert code == 0, err
    assert json.loads(from_workspace) == json.loads(from_file)


def test_compare_two_saved_analyses(saved, capsys):
    path, found = saved
    code, out, err = run(
        capsys, "compare", f"ws:{found}", f"ws:{found}", "--workspace", path, "--json"
    )
    assert code == 0, err
    assert not any(kpi["significant"] for kpi in json.loads(out)["kpis"])


def test_a_report_from_the_workspace_names_the_source_file_and_its_hash(saved, capsys, tmp_path):
    path, found = saved
    out_file = tmp_path / "report.html"
    code, out, err = run(
        capsys, "report", f"ws:{found}", "--workspace", path, "-o", out_file, "--json"
    )
    assert code == 0, err
    source = json.loads(out)["provenance"]["source"]
    assert source == {"name": "hospital.csv", "sha256": file_sha256(SAMPLE)}


def test_the_workspace_comes_from_the_environment_unless_the_option_names_one(tmp_path):
    env = {"JOURNEY_WORKSPACE": str(tmp_path / "team")}
    added = journey("workspace", "add", SAMPLE, "--title", "From env", "--json", env=env)
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "team" / "workspace.duckdb").exists()
    found = json.loads(added.stdout)["analysis"]["id"]
    mapped = journey("map", f"ws:{found}", "--json", env=env)
    assert mapped.returncode == 0 and json.loads(mapped.stdout)["nodes"]
    elsewhere = journey("map", f"ws:{found}", "--workspace", tmp_path / "other", env=env)
    assert elsewhere.returncode == 2 and "Traceback" not in elsewhere.stderr
    assert str(tmp_path / "other" / "workspace.duckdb") in elsewhere.stderr


def test_what_cannot_be_used_is_said_plainly(saved, tmp_path):
    path, found = saved
    damaged = tmp_path / "damaged.duckdb"
    damaged.write_bytes(b"no database" * 100)
    cases = [
        (("workspace", "show", "deadbeef", "--workspace", path), "no saved analysis"),
        (("map", "ws:deadbeef", "--workspace", path), "no saved analysis"),
        (("workspace", "delete", "x;DROP", "--workspace", path), "no saved analysis"),
        (("map", f"ws:{found}", "--workspace", tmp_path / "none"), "no workspace here"),
        (("workspace", "list", "--workspace", damaged), "damaged"),
        (("inspect", f"ws:{found}", "--workspace", damaged), "damaged"),
        (("workspace", "show", found, "--workspace", path, "--language", "nl"), None),
    ]
    for args, said in cases:
        result = journey(*args)
        assert "Traceback" not in result.stderr, args
        if said is None:
            assert result.returncode == 0, result.stderr
            continue
        assert result.returncode == 2, (args, result.stdout)
        assert said in result.stderr and result.stderr.startswith("journey: "), result.stderr
    nl = journey("workspace", "show", "deadbeef", "--workspace", path, "--language", "nl")
    assert "geen opgeslagen analyse heeft de id deadbeef" in nl.stderr
