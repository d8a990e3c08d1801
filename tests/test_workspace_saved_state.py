"""A workspace stores events once: analyses of equal events share one event set, which goes
with the last analysis using it; named filter sets are added to a saved analysis; and a
version-1 workspace keeps its analyses openable after the event sets came."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from discovery import (
    CaseDuration,
    ExactVariant,
    TimeWindow,
    VariantSelection,
    apply_filters,
    discover_map,
    read_event_log,
    to_event_log,
)
from discovery.workspace import Workspace, WorkspaceError
from tests.test_workspace import TINY, TINY_MAPPING, assert_same_log
from tests.test_workspace_migrations import FIRST, SECOND, VERSION_1

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "permit.csv"
DAY = 86400.0


@pytest.fixture(scope="module")
def tiny():
    return to_event_log(TINY, TINY_MAPPING)


@pytest.fixture(scope="module")
def permit():
    return read_event_log(SAMPLE)


def event_tables(workspace: Workspace) -> list[str]:
    """The names of the tables holding events in the workspace."""
    with duckdb.connect(str(workspace.path), read_only=True) as connection:
        rows = connection.execute(
            "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'events_%' ORDER BY 1"
        ).fetchall()
    return [row[0] for row in rows]


def test_the_same_log_saved_twice_is_stored_once(tmp_path, permit):
    workspace = Workspace(tmp_path / "ws.duckdb")
    first = workspace.save_analysis(permit, title="Permits", source=SAMPLE)
    assert len(event_tables(workspace)) == 1
    again = read_event_log(SAMPLE)  # read anew: an equal log, not the same object
    second = workspace.save_analysis(again, title="Permits again", source=SAMPLE)
    assert len(event_tables(workspace)) == 1  # one table of events for two analyses
    assert first != second and len(workspace.list_analyses()) == 2
    other = permit.with_events(
        permit.events[permit.events["case_id"] != permit.events["case_id"].iloc[0]]
    )
    workspace.save_analysis(other, title="Without one case")
    assert len(event_tables(workspace)) == 2  # other events: a set of their own


def test_deleting_one_of_two_sharing_analyses_keeps_the_other(tmp_path, permit):
    workspace = Workspace(tmp_path / "ws.duckdb")
    first = workspace.save_analysis(permit, title="First")
    second = workspace.save_analysis(permit, title="Second")
    workspace.delete(first)
    assert event_tables(workspace) != []
    pd.testing.assert_frame_equal(workspace.open_analysis(second).log.events, permit.events)
    with pytest.raises(WorkspaceError):
        workspace.open_analysis(first)
    workspace.delete(second)
    assert event_tables(workspace) == []  # the last one to use them took the events along
    with duckdb.connect(str(workspace.path), read_only=True) as connection:
        assert connection.execute("SELECT count(*) FROM event_sets").fetchall() == [(0,)]


def test_a_named_filter_set_is_added_to_a_saved_analysis(tmp_path, permit):
    workspace = Workspace(tmp_path / "ws.duckdb")
    top = (VariantSelection(top=3),)
    found = workspace.save_analysis(permit, title="Permits", filters={"top three": top})
    before = workspace.get(found)
    start = permit.period[0]
    first_months = (TimeWindow(start, start + pd.Timedelta(days=60)), CaseDuration(0.0, 30 * DAY))
    workspace.save_filters(found, " first months ", first_months)
    workspace.save_filters(found, "one variant", (ExactVariant(("A", "B")),))
    workspace.save_filters(found, "top three", (VariantSelection(top=2),))  # replaced
    opened = workspace.open_analysis(found)
    assert opened.filters == {
        "top three": (VariantSelection(top=2),),
        "first months": first_months,
        "one variant": (ExactVariant(("A", "B")),),
    }
    assert workspace.get(found).updated_at is not None and before.updated_at is None
    # a filter set reapplied gives the figures the filtered log had
    kept = apply_filters(permit, first_months)
    again = apply_filters(opened.log, opened.filters["first months"])
    assert 0 < kept.n_cases < permit.n_cases
    assert discover_map(again, "activity").to_dict() == discover_map(kept, "activity").to_dict()
    assert len(event_tables(workspace)) == 1  # filters are values, never copies of events
    with pytest.raises(WorkspaceError):
        workspace.save_filters(found, "  ", first_months)
    with pytest.raises(WorkspaceError):
        workspace.save_filters("deadbeef", "x", first_months)


def test_a_version_1_workspace_keeps_its_events_where_they_were(tmp_path, tiny):
    """The version-1 file's analyses each keep their tables (named after the analysis),
    now an event set each; deleting one drops its tables only; new saves share sets."""
    path = tmp_path / "workspace_v1.duckdb"
    with gzip.open(VERSION_1, "rb") as packed, open(path, "wb") as file:
        shutil.copyfileobj(packed, file)
    workspace = Workspace(path)
    log = to_event_log(TINY, TINY_MAPPING, now=pd.Timestamp("2026-12-06", tz="UTC"))
    assert_same_log(workspace.open_analysis(FIRST).log, log)
    assert event_tables(workspace) == sorted([f"events_{FIRST}", f"events_{SECOND}"])
    workspace.delete(SECOND)
    assert event_tables(workspace) == [f"events_{FIRST}"]
    assert_same_log(workspace.open_analysis(FIRST).log, log)
    added = [workspace.save_analysis(tiny, title=f"new {n}") for n in (1, 2)]
    assert len(event_tables(workspace)) == 2  # the old set, and one new set for both saves
    assert_same_log(workspace.open_analysis(added[1]).log, tiny)
