"""Saved analyses in a workspace on disk: a DuckDB database file.

Each analysis keeps its log's canonical events and the rows its quality report rejected
as an event set, stored once: analyses of equal events (the same file read with the same
mapping, saved twice) share one set, keyed by a digest of its content, and the set goes
when the last analysis using it is deleted. Filters are kept as values and applied on
reopening, never as copies of events. With them: the column mapping, the rest of the
quality report, the time zone, the case and event attributes, the source file's name and
SHA-256, the intended journey and its rules, the stages, named filter sets, a title and
notes. Reopening rebuilds an equal log without reading the source file again.

Saving is one transaction: a save that is cut off (a crash, a killed process) leaves the
workspace as it was, with no half analysis. DuckDB lets one process write a file at a time,
so the file is opened only while it is used, under a lock beside it (`_lock`): saves wait
for each other, readers share.

A workspace may have passwords (`access`): then a `Workspace` does nothing until `unlock`
has been given one, and one unlocked by the viewer's password lists and opens but refuses
to save, rename, delete or set passwords. It keeps the role, never the password; when the
passwords change it is locked again.

>>> workspace = Workspace("/tmp/journey/workspace.duckdb")  # doctest: +SKIP
>>> found = workspace.save_analysis(log, title="Hospital, Q1")  # doctest: +SKIP
>>> workspace.open_analysis(found).log.n_events  # doctest: +SKIP
17531
>>> workspace.set_password("viewer", "read only")  # doctest: +SKIP
>>> Workspace("/tmp/journey/workspace.duckdb").unlock("read only")  # doctest: +SKIP
'viewer'
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from discovery._json import JSONValue, to_json_dict
from discovery.intended.model import IntendedJourney
from discovery.lens.stages import Stages
from discovery.log.event_log import EventLog, LoadedLog, with_log_text
from discovery.log.quality import QualityReport
from discovery.mining.filters import Filter
from discovery.words import message
from discovery.workspace._codec import dumps, loads
from discovery.workspace._lock import WAIT_S, LockTimeout, locked
from discovery.workspace._schema import SCHEMA_VERSION, migrate, version_of
from discovery.workspace._tables import (
    Column,
    content_key,
    from_arrow,
    rejected_from_arrow,
    rejected_to_arrow,
    to_arrow,
)
from discovery.workspace.access import Role, check_password, hash_password, may, role_of
from discovery.workspace.errors import WorkspaceError

__all__ = [
    "ENVIRONMENT",
    "OpenedAnalysis",
    "SavedAnalysis",
    "Workspace",
    "file_sha256",
    "workspace_path",
]

ENVIRONMENT = "JOURNEY_WORKSPACE"  # the workspace's folder (or its .duckdb file)
FILE_NAME = "workspace.duckdb"
_ID = re.compile(r"[0-9a-z]{4,32}")
_FIGURES = (
    "id, title, notes, saved_at, source_name, source_sha256, events, cases, "
    "first_event, last_event, process, updated_at"
)
_SAVED = (
    "title, notes, saved_at, source_name, source_sha256, events, cases, first_event, "
    "last_event, log_json, quality_json, intended_json, stages_json, filters_json, process, "
    "events_key"
)


def workspace_path(given: str | Path | None = None) -> Path:
    """The workspace file: `given`, else the environment variable JOURNEY_WORKSPACE, else
    ~/.journey/workspace.duckdb. A folder (anything not ending in .duckdb) holds the file
    `workspace.duckdb`.

    >>> workspace_path("/data/team").as_posix(), workspace_path("/data/q1.duckdb").as_posix()
    ('/data/team/workspace.duckdb', '/data/q1.duckdb')
    """
    chosen = given if given is not None else os.environ.get(ENVIRONMENT) or "~/.journey"
    path = Path(chosen).expanduser()
    return path if path.suffix == ".duckdb" else path / FILE_NAME


def file_sha256(path: str | Path) -> str:
    """The SHA-256 of a file's bytes, as 64 hex digits."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class SavedAnalysis:
    """A saved analysis as the workspace lists it: its id, title and notes, when it was
    saved (UTC), the source file's name and SHA-256, and the log's figures: events, cases,
    and its first and last moment (UTC); its process tag, and when its title, notes or tag
    last changed (None: never)."""

    id: str
    title: str
    notes: str
    saved_at: pd.Timestamp
    source_name: str | None
    source_sha256: str | None
    events: int
    cases: int
    first_event: pd.Timestamp | None
    last_event: pd.Timestamp | None
    process: str | None = None
    updated_at: pd.Timestamp | None = None

    def to_dict(self) -> dict[str, JSONValue]:
        return to_json_dict(vars(self))


@dataclass(frozen=True)
class OpenedAnalysis:
    """A saved analysis reopened: its listing (`saved`), the log rebuilt, and what was saved
    with it: the intended journey (with its rules), the stages, named filter sets."""

    saved: SavedAnalysis
    log: EventLog
    intended: IntendedJourney | None = None
    stages: Stages | None = None
    filters: Mapping[str, tuple[Filter, ...]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.saved.id

    @property
    def title(self) -> str:
        return self.saved.title


class Workspace:
    """Saved analyses in one DuckDB file (`workspace_path`); the file is made on the first
    save. `wait_s`: how long an operation waits for another process's save. With passwords
    set, `unlock` it first (`role` says what it may do)."""

    def __init__(self, path: str | Path | None = None, *, wait_s: float = WAIT_S) -> None:
        self.path = workspace_path(path)
        self.wait_s = wait_s
        self._unlocked: tuple[Role, dict[Role, str]] | None = None  # the role, for these hashes

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    def save_analysis(
        self,
        log: EventLog,
        *,
        title: str,
        notes: str = "",
        source: str | Path | None = None,
        source_name: str | None = None,
        source_sha256: str | None = None,
        intended: IntendedJourney | None = None,
        stages: Stages | None = None,
        filters: Mapping[str, Sequence[Filter]] | None = None,
        process: str | None = None,
    ) -> str:
        """Saves `log` (the events it holds: a filtered log's kept events) with what goes
        with it, in one transaction; returns the new analysis's id. `source` is the file the
        log was read from, for its name and SHA-256 (or give `source_name` and
        `source_sha256`, say for an upload). `process` tags analyses of one process."""
        title = _title(title, self.path)
        if source is not None:
            source_name = source_name or Path(source).name
            source_sha256 = source_sha256 or file_sha256(source)
        events, columns = to_arrow(log.events)
        rejected, rejected_dtypes = rejected_to_arrow(log.quality.rejected)
        first, last = log.period if log.n_events else (None, None)
        described = {
            "source": log.source,
            "timezone": log.timezone,
            "case_attributes": log.case_attributes,
            "event_attributes": log.event_attributes,
            "mapping": log.mapping,
            "columns": tuple((c.name, c.dtype, c.kept) for c in columns),
            "rejected_dtypes": rejected_dtypes,
        }
        named = {str(name): tuple(chosen) for name, chosen in (filters or {}).items()}
        key = content_key(events, columns, rejected)
        row = [
            title,
            notes,
            pd.Timestamp.now(tz="UTC"),
            source_name or log.source,
            source_sha256,
            log.n_events,
            log.n_cases,
            first,
            last,
            dumps(described),
            dumps(_quality_fields(log.quality)),
            dumps(intended),
            dumps(stages),
            dumps(named),
            (process.strip() or None) if process else None,
            key,
        ]
        with self._writing() as connection:
            while True:  # a new id, unused (ids are random: a clash is all but impossible)
                found = secrets.token_hex(4)
                if not _exists(connection, found):
                    break
            connection.execute("BEGIN TRANSACTION")
            try:
                if not _stored(connection, key):
                    _store_events(connection, key, events, rejected, row[2])
                connection.execute(
                    f"INSERT INTO analyses (id, {_SAVED}) VALUES "
                    f"({', '.join('?' * (len(row) + 1))})",
                    [found, *row],
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("CHECKPOINT")
        return found

    def list_analyses(self) -> tuple[SavedAnalysis, ...]:
        """Every saved analysis, the latest saved first; none where there is no workspace."""
        if not self.path.exists():
            return ()
        with self._reading() as connection:
            rows = connection.execute(
                f"SELECT {_FIGURES} FROM analyses ORDER BY saved_at DESC, id"
            ).fetchall()
        return tuple(_saved(row) for row in rows)

    def get(self, analysis: str) -> SavedAnalysis:
        """The listing of one saved analysis (its figures, without reading its events)."""
        with self._reading() as connection:
            return _saved(self._row(connection, analysis, _FIGURES))

    def open_analysis(self, analysis: str) -> OpenedAnalysis:
        """The saved analysis with its log rebuilt from the workspace alone."""
        with self._reading() as connection:
            row = self._row(
                connection,
                analysis,
                f"{_FIGURES}, events_key, log_json, quality_json, intended_json, stages_json, "
                "filters_json",
            )
            figures = len(_FIGURES.split(","))
            key = row[figures]
            events = connection.sql(f'FROM "events_{key}"').to_arrow_table()
            rejected = connection.sql(f'FROM "rejected_{key}"').to_arrow_table()
        described, quality, intended, stages, filters = (loads(t) for t in row[figures + 1 :])
        columns = tuple(Column(*column) for column in described["columns"])
        log = LoadedLog(
            events=with_log_text(from_arrow(events, columns)),  # older workspaces saved text
            mapping=described["mapping"],
            quality=QualityReport(
                rejected=rejected_from_arrow(rejected, described["rejected_dtypes"]), **quality
            ),
            source=described["source"],
            timezone=described["timezone"],
            case_attributes=described["case_attributes"],
            event_attributes=described["event_attributes"],
        )
        del events, rejected
        return OpenedAnalysis(_saved(row[:figures]), log, intended, stages, filters)

    def rename(self, analysis: str, title: str) -> None:
        """Gives a saved analysis another title."""
        self._update(analysis, "title", _title(title, self.path))

    def set_notes(self, analysis: str, notes: str) -> None:
        """Replaces a saved analysis's notes."""
        self._update(analysis, "notes", notes)

    def set_process(self, analysis: str, process: str | None) -> None:
        """Tags a saved analysis with the process it belongs to (None: no tag)."""
        self._update(analysis, "process", (process.strip() or None) if process else None)

    def save_filters(self, analysis: str, name: str, filters: Sequence[Filter]) -> None:
        """Keeps `filters` as the saved analysis's filter set `name` (replacing a set of that
        name), in one transaction."""
        name = _title(name, self.path)
        with self._writing(create=False) as connection:
            connection.execute("BEGIN TRANSACTION")
            try:
                (text,) = self._row(connection, analysis, "filters_json")
                named = {**loads(text), name: tuple(filters)}
                connection.execute(
                    "UPDATE analyses SET filters_json = ?, updated_at = ? WHERE id = ?",
                    [dumps(named), pd.Timestamp.now(tz="UTC"), analysis],
                )
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise

    def delete(self, analysis: str) -> None:
        """Removes a saved analysis, and its events when no other analysis uses them.

        The file barely shrinks in place: DuckDB keeps the freed blocks in the file and
        reuses them for the next saves, so it grows no further than its largest content.
        Neither the CHECKPOINT after a delete nor VACUUM gives that space back to the disk;
        only copying the database into a new file (`COPY FROM DATABASE`) does. Measured with
        two logs of 1M events (benchmarks/bench_workspace_space.py): 38.3 MB; one deleted,
        38.0 MB (after VACUUM too); saved again, 38.3 MB."""
        with self._writing(create=False) as connection:
            (key,) = self._row(connection, analysis, "events_key")
            connection.execute("BEGIN TRANSACTION")
            try:
                connection.execute("DELETE FROM analyses WHERE id = ?", [analysis])
                used = connection.execute(
                    "SELECT count(*) FROM analyses WHERE events_key = ?", [key]
                ).fetchall()
                if not used[0][0]:
                    connection.execute(f'DROP TABLE "events_{key}"')
                    connection.execute(f'DROP TABLE "rejected_{key}"')
                    connection.execute("DELETE FROM event_sets WHERE key = ?", [key])
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("CHECKPOINT")

    @property
    def protected(self) -> bool:
        """Whether the workspace has a password."""
        if not self.path.exists():
            return False
        with self._reading(need=None) as connection:
            return bool(_hashes(connection))

    @property
    def role(self) -> Role | None:
        """What this object may do: "editor" where there is no password, else the role its
        password gave (`unlock`); None while locked, or since the passwords changed."""
        if not self.path.exists():
            return "editor"
        with self._reading(need=None) as connection:
            return self._role(_hashes(connection))

    def unlock(self, password: str) -> Role:
        """The role `password` gives, kept by this object for what it does next ("editor"
        where there is no password); a WorkspaceError when it is no password of the
        workspace's."""
        if not self.path.exists():
            return "editor"
        with self._reading(need=None) as connection:
            hashes = _hashes(connection)
        if not hashes:
            return "editor"
        self._unlocked = None
        found = role_of(password, hashes)
        if found is None:
            raise WorkspaceError(message("workspace.error.wrong_password"), file=str(self.path))
        self._unlocked = (found, hashes)
        return found

    def set_password(self, role: Role, password: str | None) -> None:
        """Sets (None: removes) the password of `role`; an editor's act. A viewer's password
        needs an editor's first, and differs from it; removing the editor's removes both,
        and the workspace is open to everyone again. This object stays the editor."""
        if password is not None and not password:
            raise WorkspaceError(message("workspace.error.empty_password"), file=str(self.path))
        stored = None if password is None else hash_password(password)
        with self._writing(create=password is not None) as connection:
            hashes = _hashes(connection)
            other = hashes.get("editor" if role == "viewer" else "viewer")
            if password is not None and role == "viewer" and other is None:
                said = message("workspace.error.viewer_first")
                raise WorkspaceError(said, file=str(self.path))
            if password is not None and other is not None and check_password(password, other):
                said = message("workspace.error.same_password")
                raise WorkspaceError(said, file=str(self.path))
            if stored is None:
                removed = ["editor", "viewer"] if role == "editor" else [role]
                connection.execute(
                    "DELETE FROM workspace_access WHERE list_contains(?, role)", [removed]
                )
            else:
                connection.execute(
                    "INSERT OR REPLACE INTO workspace_access VALUES (?, ?, ?)",
                    [role, stored, pd.Timestamp.now(tz="UTC")],
                )
            connection.execute("CHECKPOINT")
            hashes = _hashes(connection)
        self._unlocked = ("editor", hashes) if hashes else None

    def _role(self, hashes: dict[Role, str]) -> Role | None:
        if not hashes:
            return "editor"
        if self._unlocked is not None and self._unlocked[1] == hashes:
            return self._unlocked[0]
        return None

    def _allow(self, connection: duckdb.DuckDBPyConnection, need: Role | None) -> None:
        """Nothing where this object may do what needs `need`; else the WorkspaceError
        saying why (locked, or a viewer asked to change something)."""
        if need is None:
            return
        role = self._role(_hashes(connection))
        if role is None:
            raise WorkspaceError(message("workspace.error.locked"), file=str(self.path))
        if not may(role, need):
            raise WorkspaceError(message("workspace.error.viewer"), file=str(self.path))

    def _update(self, analysis: str, column: str, value: str | None) -> None:
        with self._writing(create=False) as connection:
            self._row(connection, analysis, "id")
            connection.execute(
                f"UPDATE analyses SET {column} = ?, updated_at = ? WHERE id = ?",
                [value, pd.Timestamp.now(tz="UTC"), analysis],
            )

    def _row(
        self, connection: duckdb.DuckDBPyConnection, analysis: str, columns: str
    ) -> tuple[Any, ...]:
        """The analysis's row (the `columns` asked for); an error naming the id if none."""
        row = None
        if _ID.fullmatch(analysis):
            query = f"SELECT {columns} FROM analyses WHERE id = ?"
            rows = connection.execute(query, [analysis]).fetchall()
            row = rows[0] if rows else None
        if row is None:
            said = message("workspace.error.no_analysis", id=analysis)
            raise WorkspaceError(said, file=str(self.path))
        return tuple(row)

    @contextmanager
    def _reading(self, need: Role | None = "viewer") -> Iterator[duckdb.DuckDBPyConnection]:
        """The workspace open for reading, brought up to date first where it is older;
        for a role that may do what needs `need` (None: anyone)."""
        if not self.path.exists():
            raise WorkspaceError(message("workspace.error.missing"), file=str(self.path))
        for _ in range(2):
            with self._locked(exclusive=False):
                if not Path(f"{self.path}.wal").exists():
                    connection = self._connect(read_only=True)
                    try:
                        if version_of(connection) == SCHEMA_VERSION:
                            with self._failing():
                                self._allow(connection, need)
                                yield connection
                            return
                        self._check_version(connection)
                    finally:
                        connection.close()
            with self._writing(create=False, need=None):  # migrates, or replays a log
                pass
        raise WorkspaceError(message("workspace.error.damaged", error="?"), file=str(self.path))

    @contextmanager
    def _writing(
        self, create: bool = True, need: Role | None = "editor"
    ) -> Iterator[duckdb.DuckDBPyConnection]:
        """The workspace open for writing (made, with `create`, where there is none),
        migrated to this version's schema; for a role that may do what needs `need`."""
        if not create and not self.path.exists():
            raise WorkspaceError(message("workspace.error.missing"), file=str(self.path))
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._locked(exclusive=True):
            connection = self._connect(read_only=False)
            try:
                self._check_version(connection)
                try:
                    migrate(connection)
                except duckdb.Error as error:
                    raise self._damaged(error) from None
                with self._failing():
                    self._allow(connection, need)
                    yield connection
            finally:
                connection.close()

    @contextmanager
    def _failing(self) -> Iterator[None]:
        """A database error (a table missing, the disk full) as a WorkspaceError naming the
        workspace, never a traceback."""
        try:
            yield
        except duckdb.Error as error:
            said = message("workspace.error.database", error=str(error).splitlines()[0])
            raise WorkspaceError(said, file=str(self.path)) from None

    @contextmanager
    def _locked(self, exclusive: bool) -> Iterator[None]:
        try:
            with locked(self.path, exclusive, self.wait_s):
                yield
        except LockTimeout:
            said = message("workspace.error.busy", seconds=round(self.wait_s))
            raise WorkspaceError(said, file=str(self.path)) from None

    def _connect(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as error:
            raise self._damaged(error) from None

    def _check_version(self, connection: duckdb.DuckDBPyConnection) -> None:
        try:
            found = version_of(connection)
        except duckdb.Error as error:
            raise self._damaged(error) from None
        if found > SCHEMA_VERSION:
            said = message("workspace.error.newer", found=str(found), known=str(SCHEMA_VERSION))
            raise WorkspaceError(said, file=str(self.path))
        if found == 0 and _has_tables(connection):
            raise self._damaged(ValueError("no workspace_meta table"))

    def _damaged(self, error: Exception) -> WorkspaceError:
        said = message("workspace.error.damaged", error=str(error).splitlines()[0])
        return WorkspaceError(said, file=str(self.path))


def _title(title: str, path: Path) -> str:
    title = title.strip()
    if not title:
        raise WorkspaceError(message("workspace.error.title"), file=str(path))
    return title


def _stored(connection: duckdb.DuckDBPyConnection, key: str) -> bool:
    """Whether the workspace holds the event set `key`."""
    found = connection.execute("SELECT count(*) FROM event_sets WHERE key = ?", [key]).fetchall()
    return bool(found[0][0])


def _store_events(
    connection: duckdb.DuckDBPyConnection,
    key: str,
    events: pa.Table,
    rejected: pa.Table,
    saved_at: pd.Timestamp,
) -> None:
    """A new event set (inside the caller's transaction)."""
    connection.register("saved_events", events)
    connection.execute(f'CREATE TABLE "events_{key}" AS FROM saved_events')
    connection.unregister("saved_events")
    connection.register("saved_rejected", rejected)
    connection.execute(f'CREATE TABLE "rejected_{key}" AS FROM saved_rejected')
    connection.unregister("saved_rejected")
    connection.execute("INSERT INTO event_sets VALUES (?, ?, ?)", [key, events.num_rows, saved_at])


def _exists(connection: duckdb.DuckDBPyConnection, analysis: str) -> bool:
    """Whether `analysis` is taken: an analysis's id, or the key of an event set saved
    before version 4 (named after the analysis that made it)."""
    found = connection.execute("SELECT count(*) FROM analyses WHERE id = ?", [analysis]).fetchall()
    if _stored(connection, analysis):
        return True
    tables = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name IN (?, ?)",
        [f"events_{analysis}", f"rejected_{analysis}"],
    ).fetchall()
    return bool(found[0][0]) or bool(tables[0][0])


def _hashes(connection: duckdb.DuckDBPyConnection) -> dict[Role, str]:
    """The stored password hash of each role that has one."""
    rows = connection.execute("SELECT role, password_hash FROM workspace_access").fetchall()
    return {role: stored for role, stored in rows}


def _has_tables(connection: duckdb.DuckDBPyConnection) -> bool:
    found = connection.execute("SELECT count(*) FROM duckdb_tables()").fetchall()
    return bool(found[0][0])


def _quality_fields(quality: QualityReport) -> dict[str, object]:
    """The quality report but its rejected rows (kept as a table of their own)."""
    return {
        "source": quality.source,
        "rows_read": quality.rows_read,
        "rows_used": quality.rows_used,
        "merged_rows": quality.merged_rows,
        "findings": quality.findings,
        "notes": quality.notes,
        "duplicates": quality.duplicates,
        "identical_rows": quality.identical_rows,
    }


def _saved(row: Sequence[Any]) -> SavedAnalysis:
    return SavedAnalysis(
        id=row[0],
        title=row[1],
        notes=row[2],
        saved_at=_utc(row[3]),
        source_name=row[4],
        source_sha256=row[5],
        events=int(row[6]),
        cases=int(row[7]),
        first_event=_utc(row[8]) if row[8] is not None else None,
        last_event=_utc(row[9]) if row[9] is not None else None,
        process=row[10],
        updated_at=_utc(row[11]) if row[11] is not None else None,
    )


def _utc(moment: object) -> pd.Timestamp:
    stamp = pd.Timestamp(moment)
    return stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
