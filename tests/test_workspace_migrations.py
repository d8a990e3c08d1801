"""Workspaces written by earlier versions open with this one, everything found.

`data/workspace_v1.duckdb.gz` is a workspace as the first version (schema 1, commit
"Workspace: saved analyses in a DuckDB file") wrote it, gzipped: two analyses of the tiny
log of test_workspace.py (read with `now` = 2026-12-06), the first with an intended journey
and its rule, stages, two named filter sets and notes; the second with a source name and
SHA-256. It is never rewritten: each new schema version must open it.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from discovery import (
    Precedes,
    Stages,
    TimeWindow,
    VariantSelection,
    journey_from_variant,
    to_event_log,
)
from discovery.workspace import SCHEMA_VERSION, Workspace
from discovery.workspace._schema import MIGRATIONS, migrate, version_of
from tests.test_workspace import TINY, TINY_MAPPING, assert_same_log

VERSION_1 = Path(__file__).parent / "data" / "workspace_v1.duckdb.gz"
FIRST, SECOND = "e98a4306", "c2e500d6"


@pytest.fixture
def version_1(tmp_path) -> Path:
    path = tmp_path / "workspace_v1.duckdb"
    with gzip.open(VERSION_1, "rb") as packed, open(path, "wb") as file:
        shutil.copyfileobj(packed, file)
    return path


def schema_version_in(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as connection:
        return version_of(connection)


def test_a_version_1_workspace_opens_with_everything_in_it(version_1):
    assert schema_version_in(version_1) == 1
    workspace = Workspace(version_1)
    listed = {analysis.id: analysis for analysis in workspace.list_analyses()}
    assert set(listed) == {FIRST, SECOND}
    first, second = listed[FIRST], listed[SECOND]
    assert (first.title, first.notes) == ("Tiny, version 1", "Saved by the first version")
    assert (first.events, first.cases) == (6, 3)
    assert first.first_event == pd.Timestamp("2024-03-01 08:00", tz="UTC")
    assert first.last_event == pd.Timestamp("2024-03-05 07:00", tz="UTC")
    assert (second.title, second.source_name, second.source_sha256) == (
        "Tiny again",
        "tiny.csv",
        "0" * 64,
    )
    # what version 1 did not know: no process tag, never changed since saved
    assert [(a.process, a.updated_at) for a in (first, second)] == [(None, None)] * 2
    log = to_event_log(TINY, TINY_MAPPING, now=pd.Timestamp("2026-12-06", tz="UTC"))
    opened = workspace.open_analysis(FIRST)
    assert_same_log(opened.log, log)
    assert_same_log(workspace.open_analysis(SECOND).log, log)
    journey = journey_from_variant(["A", "B", "C"], log)
    assert opened.intended == dataclasses.replace(journey, rules=(Precedes("A", "C"),))
    assert opened.stages == Stages.from_pairs([("A", "Start"), ("B", "Middle"), ("C", "End")])
    march = TimeWindow(pd.Timestamp("2024-03-01", tz="UTC"), pd.Timestamp("2024-03-04", tz="UTC"))
    assert opened.filters == {"top two": (VariantSelection(top=2),), "March": (march,)}
    assert schema_version_in(version_1) == SCHEMA_VERSION  # brought up to date on opening


def test_a_version_1_workspace_takes_new_saves_and_edits(version_1):
    workspace = Workspace(version_1)
    log = to_event_log(TINY, TINY_MAPPING)
    added = workspace.save_analysis(log, title="Added now", process="Tiny")
    workspace.rename(FIRST, "Renamed now")
    workspace.set_process(FIRST, " Tiny ")
    workspace.delete(SECOND)
    listed = {a.id: a for a in workspace.list_analyses()}
    assert {key: (a.title, a.process) for key, a in listed.items()} == {
        added: ("Added now", "Tiny"),
        FIRST: ("Renamed now", "Tiny"),
    }
    assert listed[added].updated_at is None
    assert listed[FIRST].updated_at > listed[FIRST].saved_at


def test_migrations_run_once_each_in_order(tmp_path):
    with duckdb.connect(str(tmp_path / "ws.duckdb")) as connection:
        assert version_of(connection) == 0
        assert migrate(connection, 1) == 0 and version_of(connection) == 1
        assert migrate(connection) == 1 and version_of(connection) == SCHEMA_VERSION
        assert migrate(connection) == SCHEMA_VERSION  # nothing left to do
        assert version_of(connection) == SCHEMA_VERSION == len(MIGRATIONS)


def test_a_released_migration_is_never_changed():
    """Files in the field were made by these statements: change them and those files no
    longer match what the next migrations expect. Add a migration instead."""
    released = {1: "b85b0cd4", 2: "3ebcc0b1", 3: "6bb53d21", 4: "4c1f97fb"}
    for version, prefix in released.items():
        text = "\n".join(MIGRATIONS[version - 1]).encode()
        assert hashlib.sha256(text).hexdigest().startswith(prefix), version
