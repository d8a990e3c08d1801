"""Saved analyses: saved, listed with their figures, reopened equal to the original without
the source file, renamed, annotated, deleted; and clear errors for what cannot be used."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discovery import (
    CaseAttribute,
    CaseDuration,
    DepartmentsTouched,
    Endpoints,
    EndsWith,
    Follows,
    FourEyes,
    Precedes,
    StartsWith,
    TimeWindow,
    VariantSelection,
    Within,
    analyse_handoffs,
    analyse_journey,
    apply_filters,
    check_conformance,
    discover_map,
    discover_variants,
    find_bottlenecks,
    journey_from_variant,
    read_event_log,
    read_intended_journey,
    suggest_stages,
    summarize,
    to_event_log,
)
from discovery._json import to_json_value
from discovery.log.event_log import EventLog
from discovery.words import Count, Duration, Items, Number, Share, message, say
from discovery.workspace import SCHEMA_VERSION, Workspace, WorkspaceError, file_sha256
from discovery.workspace import workspace_path as path_of
from discovery.workspace._codec import KINDS, dumps, loads

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "hospital.csv"
INTENDED = ROOT / "sample_logs" / "hospital_intended.csv"
SHARED = ROOT.parent / "shared" / "logs"

# Eight rows, two rejected (no case id; a date that is no date); times in Amsterdam (UTC+1).
TINY = pd.DataFrame(
    {
        "zaak": ["1", "1", "1", "2", "2", None, "3", "3"],
        "stap": ["A", "B", "C", "A", "C", "B", "A", "B"],
        "tijd": [
            "2024-03-01 09:00", "2024-03-01 10:00", "2024-03-02 09:00", "2024-03-03 09:00",
            "2024-03-04 12:00", "2024-03-05 09:00", "2024-03-05 08:00", "geen datum",
        ],
        "afdeling": ["X", "Y", "X", "X", "X", "Y", "Y", "Y"],
        "leeftijd": ["30", "30", "30", "50", "50", "70", "70", "70"],
        "opmerking": ["a", "b", None, "c", "d", "e", "f", "g"],
    }
)  # fmt: skip
TINY_MAPPING = {
    "case_id": "zaak",
    "activity": "stap",
    "timestamp": "tijd",
    "department": "afdeling",
}


@pytest.fixture(scope="module")
def tiny() -> EventLog:
    return to_event_log(TINY, TINY_MAPPING)


@pytest.fixture(scope="module")
def hospital() -> EventLog:
    return read_event_log(SAMPLE)


def assert_same_log(reopened: EventLog, original: EventLog) -> None:
    """Events (values, order, dtypes), mapping, the whole quality report, time zone and
    attributes all equal."""
    pd.testing.assert_frame_equal(reopened.events, original.events)
    assert reopened.mapping == original.mapping
    assert reopened.source == original.source and reopened.timezone == original.timezone
    assert reopened.case_attributes == original.case_attributes
    assert reopened.event_attributes == original.event_attributes
    got, want = reopened.quality, original.quality
    pd.testing.assert_frame_equal(got.rejected, want.rejected)
    for name in ("source", "rows_read", "rows_used", "merged_rows", "duplicates"):
        assert getattr(got, name) == getattr(want, name), name
    assert got.findings == want.findings and got.notes == want.notes
    assert got.identical_rows == want.identical_rows
    assert got.to_dict(language="nl") == want.to_dict(language="nl")


def rounded(value: object) -> object:
    """Floats to 10 significant digits, in nested data: the engine's parallel sums are
    not reproducible to the last bit even on one log (bpic2012's bottleneck shares differ
    in the 17th digit when a map was drawn first)."""
    if isinstance(value, float):
        return float(f"{value:.10g}")
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def results(log: EventLog, journey, stages) -> dict[str, object]:
    """Every analysis's result as data (floats to 10 significant digits)."""
    found = {
        "summary": summarize(log).to_dict(),
        "map": discover_map(log, "activity").to_dict(),
        "variants": discover_variants(log).to_dict(),
        "bottlenecks": find_bottlenecks(log).to_dict(),
        "journey": analyse_journey(log, stages).to_dict(),
        "conformance": check_conformance(log, journey).to_dict(),
    }
    if log.has("department"):
        found["department_map"] = discover_map(log, "department").to_dict()
        handoffs = analyse_handoffs(log)
        found["handoffs"] = {
            field.name: to_json_value(plain(getattr(handoffs, field.name)))
            for field in dataclasses.fields(handoffs)
        }
    return {name: rounded(result) for name, result in found.items()}


def plain(value: object) -> object:
    """A result's field as JSON takes it: a dataclass (the handoffs' counts) as a dict."""
    is_instance = dataclasses.is_dataclass(value) and not isinstance(value, type)
    return dataclasses.asdict(value) if is_instance else value


# --- the tiny log: figures worked out by hand ------------------------------------------


def test_the_tiny_log_is_listed_with_its_figures_worked_out_by_hand(tmp_path, tiny):
    workspace = Workspace(tmp_path)
    assert workspace.path == tmp_path / "workspace.duckdb"
    assert workspace.list_analyses() == ()
    assert not workspace.path.exists()  # listing makes nothing
    found = workspace.save_analysis(tiny, title="  Tiny  ", notes="by hand")
    (saved,) = workspace.list_analyses()
    assert saved.id == found and saved.title == "Tiny" and saved.notes == "by hand"
    assert (saved.events, saved.cases) == (6, 3)
    assert saved.first_event == pd.Timestamp("2024-03-01 08:00", tz="UTC")
    assert saved.last_event == pd.Timestamp("2024-03-05 07:00", tz="UTC")
    assert saved.source_name == "table" and saved.source_sha256 is None
    age = pd.Timestamp.now(tz="UTC") - saved.saved_at
    assert pd.Timedelta(0) <= age < pd.Timedelta(minutes=5)
    assert workspace.get(found) == saved
    assert saved.to_dict()["events"] == 6 and saved.to_dict()["first_event"] == (
        "2024-03-01T08:00:00Z"
    )


def test_the_tiny_log_reopens_equal_with_its_rejected_rows_and_attributes(tmp_path, tiny):
    assert tiny.quality.rows_rejected == 2 and tiny.case_attributes == ("leeftijd",)
    assert tiny.event_attributes == ("opmerking",)
    workspace = Workspace(tmp_path / "ws.duckdb")
    reopened = workspace.open_analysis(workspace.save_analysis(tiny, title="Tiny"))
    assert_same_log(reopened.log, tiny)
    assert list(reopened.log.quality.rejected["row"]) == [7, 9]
    assert reopened.intended is None and reopened.stages is None and reopened.filters == {}


# --- a sample log and a shared one: everything saved with it, every result equal -------


def test_the_sample_log_reopens_with_everything_saved_with_it(tmp_path, hospital):
    journey = read_intended_journey(INTENDED)
    journey = dataclasses.replace(
        journey,
        rules=(Precedes("Triage", "Opname"), Within("Triage", "Beoordeling arts", hours=2)),
    )
    stages = suggest_stages(hospital, journey)
    filters = {
        "recent": (
            TimeWindow(pd.Timestamp("2025-06-01", tz="UTC"), pd.Timestamp("2026-01-01", tz="UTC")),
        ),
        "common and long": (VariantSelection(top=5), CaseDuration(3600.0)),
        "older": [CaseAttribute("leeftijdsgroep", ("75+",))],
    }
    workspace = Workspace(tmp_path / "ws.duckdb")
    found = workspace.save_analysis(
        hospital, title="Hospital", source=SAMPLE, intended=journey, stages=stages, filters=filters
    )
    saved = workspace.get(found)
    assert saved.source_name == "hospital.csv" and saved.source_sha256 == file_sha256(SAMPLE)
    assert len(saved.source_sha256) == 64
    reopened = workspace.open_analysis(found)
    assert_same_log(reopened.log, hospital)
    assert reopened.intended == journey and reopened.intended.rules == journey.rules
    assert reopened.stages == stages
    assert reopened.filters == {name: tuple(chosen) for name, chosen in filters.items()}
    assert results(reopened.log, journey, stages) == results(hospital, journey, stages)
    for name, chosen in reopened.filters.items():
        again, first = apply_filters(reopened.log, chosen), apply_filters(hospital, chosen)
        assert 0 < again.n_cases < hospital.n_cases, name
        pd.testing.assert_frame_equal(again.events, first.events)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sepsis.csv", "bpic2012.xes.gz"])
def test_a_shared_log_reopens_equal_and_gives_equal_results(tmp_path, name):
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/logs holds the public logs)")
    log = read_event_log(path)
    journey = journey_from_variant(discover_variants(log).variants["activities"].iloc[0], log)
    stages = suggest_stages(log)
    workspace = Workspace(tmp_path / "ws.duckdb")
    reopened = workspace.open_analysis(workspace.save_analysis(log, title=name, source=path))
    assert reopened.saved.source_sha256 == file_sha256(path)
    assert_same_log(reopened.log, log)
    assert results(reopened.log, journey, stages) == results(log, journey, stages)


def test_a_column_arrow_cannot_type_comes_back_value_for_value(tmp_path):
    """An Excel-like column of numbers, text and dates: kept value by value."""
    frame = TINY.assign(mixed=[1, "twee", 3.5, pd.Timestamp("2024-01-01"), None, True, 7, "acht"])
    log = to_event_log(frame, TINY_MAPPING)
    assert log.events["mixed"].dtype == object
    workspace = Workspace(tmp_path / "ws.duckdb")
    reopened = workspace.open_analysis(workspace.save_analysis(log, title="mixed"))
    assert_same_log(reopened.log, log)
    assert [type(v) for v in reopened.log.events["mixed"]] == [type(v) for v in log.events["mixed"]]


# --- rename, notes, delete ----------------------------------------------------------------


def test_rename_set_notes_and_delete(tmp_path, tiny):
    workspace = Workspace(tmp_path / "ws.duckdb")
    first = workspace.save_analysis(tiny, title="First")
    second = workspace.save_analysis(tiny, title="Second")
    assert [a.id for a in workspace.list_analyses()] == [second, first]  # latest first
    assert workspace.get(first).updated_at is None and workspace.get(first).process is None
    workspace.rename(first, "Renamed")
    workspace.set_notes(first, "Looked at on Monday")
    workspace.set_process(first, "Permits")
    assert workspace.get(first).title == "Renamed"
    assert workspace.get(first).notes == "Looked at on Monday"
    assert workspace.get(first).process == "Permits"
    assert workspace.get(first).updated_at >= workspace.get(first).saved_at
    assert workspace.get(second).title == "Second" and workspace.get(second).notes == ""
    assert workspace.get(second).updated_at is None
    workspace.delete(first)
    assert [a.id for a in workspace.list_analyses()] == [second]
    with workspace._reading() as connection:
        query = "SELECT table_name FROM duckdb_tables()"
        names = {row[0] for row in connection.execute(query).fetchall()}
        (key,) = connection.execute("SELECT events_key FROM analyses").fetchall()[0]
    assert {"analyses", "workspace_meta", "event_sets"} <= names
    assert {name for name in names if name.startswith(("events_", "rejected_"))} == {
        f"events_{key}",
        f"rejected_{key}",
    }  # the two analyses of one log shared one event set, which the second still uses
    assert_same_log(workspace.open_analysis(second).log, tiny)


# --- what cannot be used: said clearly, in every language ---------------------------------


def test_an_unknown_or_malformed_id_is_said_plainly(tmp_path, tiny):
    workspace = Workspace(tmp_path / "ws.duckdb")
    workspace.save_analysis(tiny, title="Tiny")
    for wrong in ("deadbeef", "x'; DROP TABLE analyses; --", ""):
        with pytest.raises(WorkspaceError) as raised:
            workspace.open_analysis(wrong)
        assert raised.value.message == message("workspace.error.no_analysis", id=wrong)
        for act in (workspace.delete, workspace.get, lambda a: workspace.rename(a, "x")):
            with pytest.raises(WorkspaceError):
                act(wrong)
    assert len(workspace.list_analyses()) == 1
    said = WorkspaceError(message("workspace.error.no_analysis", id="ab12"), file="ws.duckdb")
    assert say("workspace.error.no_analysis", "nl", id="ab12") in said.say("nl")


def test_a_missing_workspace_and_an_empty_title(tmp_path, tiny):
    workspace = Workspace(tmp_path / "none" / "ws.duckdb")
    with pytest.raises(WorkspaceError) as raised:
        workspace.open_analysis("deadbeef")
    assert raised.value.message.key == "workspace.error.missing"
    with pytest.raises(WorkspaceError) as raised:
        workspace.save_analysis(tiny, title="   ")
    assert raised.value.message.key == "workspace.error.title"
    assert not workspace.path.exists()


def test_a_damaged_file_is_said_to_be_damaged(tmp_path, tiny):
    path = tmp_path / "ws.duckdb"
    path.write_bytes(b"this is no database" * 1000)
    for act in (
        lambda w: w.list_analyses(),
        lambda w: w.open_analysis("deadbeef"),
        lambda w: w.save_analysis(tiny, title="x"),
    ):
        with pytest.raises(WorkspaceError) as raised:
            act(Workspace(path))
        assert raised.value.message.key == "workspace.error.damaged"
        assert str(path) in str(raised.value)


def test_a_database_that_is_no_workspace_is_not_taken_for_one(tmp_path, tiny):
    import duckdb

    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as connection:
        connection.execute("CREATE TABLE sales (amount INTEGER)")
    with pytest.raises(WorkspaceError) as raised:
        Workspace(path).save_analysis(tiny, title="x")
    assert raised.value.message.key == "workspace.error.damaged"


def test_a_saved_analysis_whose_events_are_gone_is_said_plainly(tmp_path, tiny):
    """A table dropped by hand (or lost): a WorkspaceError naming the workspace."""
    workspace = Workspace(tmp_path / "ws.duckdb")
    found = workspace.save_analysis(tiny, title="Tiny")
    with workspace._writing() as connection:
        (key,) = connection.execute("SELECT events_key FROM analyses").fetchall()[0]
        connection.execute(f'DROP TABLE "events_{key}"')
    with pytest.raises(WorkspaceError) as raised:
        workspace.open_analysis(found)
    assert raised.value.message.key == "workspace.error.database"
    assert f"events_{key}" in str(raised.value) and str(workspace.path) in str(raised.value)
    assert [a.id for a in workspace.list_analyses()] == [found]  # the listing still works


def test_a_workspace_from_a_newer_version_is_left_alone(tmp_path, tiny):
    workspace = Workspace(tmp_path / "ws.duckdb")
    found = workspace.save_analysis(tiny, title="Tiny")
    with workspace._writing() as connection:
        connection.execute(
            "UPDATE workspace_meta SET value = ? WHERE key = 'schema_version'",
            [str(SCHEMA_VERSION + 1)],
        )
    for act in (workspace.list_analyses, lambda: workspace.open_analysis(found)):
        with pytest.raises(WorkspaceError) as raised:
            act()
        assert raised.value.message == message(
            "workspace.error.newer", found=str(SCHEMA_VERSION + 1), known=str(SCHEMA_VERSION)
        )


def test_a_workspace_busy_for_too_long_says_so(tmp_path, tiny):
    from discovery.workspace._lock import locked

    workspace = Workspace(tmp_path / "ws.duckdb", wait_s=0.2)
    workspace.save_analysis(tiny, title="Tiny")
    with locked(workspace.path, exclusive=True), pytest.raises(WorkspaceError) as raised:
        workspace.list_analyses()
    assert raised.value.message == message("workspace.error.busy", seconds=0)
    assert len(workspace.list_analyses()) == 1


# --- where the workspace is ---------------------------------------------------------------


def test_the_workspace_is_found_from_the_option_the_environment_or_the_home_folder(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("JOURNEY_WORKSPACE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert path_of() == tmp_path / "home" / ".journey" / "workspace.duckdb"
    monkeypatch.setenv("JOURNEY_WORKSPACE", str(tmp_path / "team"))
    assert path_of() == tmp_path / "team" / "workspace.duckdb"
    assert Workspace().path == tmp_path / "team" / "workspace.duckdb"
    assert path_of(tmp_path / "q1.duckdb") == tmp_path / "q1.duckdb"  # the option wins


# --- the values a workspace keeps -----------------------------------------------------------


def test_every_kind_of_value_comes_back_equal():
    values = [
        message("unit.day", count=Count(2), share=Share(0.25), wait=Duration(None)),
        message("x", number=Number(1.5, 2), items=Items(("a", message("y")), "or")),
        (
            TimeWindow(
                pd.Timestamp("2024-01-01", tz="Europe/Amsterdam"), pd.Timestamp("2024-02-01")
            ),
        ),
        (CaseAttribute("a", ("b",), keep=False), VariantSelection(coverage=0.8)),
        (Endpoints(("A",), ()), CaseDuration(0.0, float("inf")), Follows("A", "B", False)),
        (DepartmentsTouched(("X", "Y"), require_all=True),),
        (FourEyes("A", "B"), StartsWith(("A",)), EndsWith(("B", "C"))),
        {"nan": float("nan"), "-inf": float("-inf"), "set": frozenset({3, 1}), "list": [1, (2,)]},
        (np.int64(3), np.float64(2.5), np.bool_(True), pd.Timedelta(seconds=90)),
        journey_from_variant(["A", "B", "A"]),
    ]
    for value in values:
        back = loads(dumps(value))
        assert dumps(back) == dumps(value), value
        if not isinstance(value, dict):  # NaN is no NaN's equal
            assert back == value and type(back) is type(value), value
    assert loads(dumps(pd.NaT)) is pd.NaT
    assert {type(v).__name__ for v in values[2:7] for v in v} <= {
        k.__name__ for k in KINDS.values()
    }


def test_a_value_of_an_unknown_kind_is_neither_written_nor_built():
    @dataclasses.dataclass(frozen=True)
    class Custom:
        x: int

    with pytest.raises(TypeError):
        dumps((Custom(1),))
    with pytest.raises(ValueError):
        loads('{"$kind": "os.system", "fields": {"command": "true"}}')


def test_nothing_is_copied_from_the_source_file(tmp_path, hospital):
    """The source may be gone: reopening needs only the workspace."""
    copy = tmp_path / "copy.csv"
    shutil.copy(SAMPLE, copy)
    log = read_event_log(copy)
    workspace = Workspace(tmp_path / "ws.duckdb")
    found = workspace.save_analysis(log, title="copy", source=copy)
    copy.unlink()
    assert_same_log(workspace.open_analysis(found).log, log)
