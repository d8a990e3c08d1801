"""The workspace's tables, version by version: each migration takes a workspace from the
version before it to its own, in one transaction, and is never changed once released (a
file written by an older version is brought up to date by the migrations after its own).

`workspace_meta` holds `schema_version`. Each saved analysis is a row of `analyses`; its
events are an event set (a row of `event_sets`, from version 4), which analyses of equal
events share: two tables named after the set's key, `events_<key>` (the canonical events,
as the log holds them) and `rejected_<key>` (the rows the quality report rejected).
`workspace_access` holds the hash of each role's password (`access`), if any.
"""

from __future__ import annotations

import duckdb

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "migrate", "version_of"]

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the first workspace.
    (
        "CREATE TABLE workspace_meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
        """CREATE TABLE analyses (
            id VARCHAR PRIMARY KEY,
            title VARCHAR NOT NULL,
            notes VARCHAR NOT NULL,
            saved_at TIMESTAMPTZ NOT NULL,
            source_name VARCHAR,
            source_sha256 VARCHAR,
            events BIGINT NOT NULL,
            cases BIGINT NOT NULL,
            first_event TIMESTAMPTZ,
            last_event TIMESTAMPTZ,
            log_json VARCHAR NOT NULL,
            quality_json VARCHAR NOT NULL,
            intended_json VARCHAR NOT NULL,
            stages_json VARCHAR NOT NULL,
            filters_json VARCHAR NOT NULL
        )""",
    ),
    # 2: a process tag (saved analyses of one process, month by month) and when a title or
    # the notes last changed.
    (
        "ALTER TABLE analyses ADD COLUMN process VARCHAR",
        "ALTER TABLE analyses ADD COLUMN updated_at TIMESTAMPTZ",
    ),
    # 3: a password per role (editor, viewer), as its scrypt hash; no row: no password.
    (
        """CREATE TABLE workspace_access (
            role VARCHAR PRIMARY KEY,
            password_hash VARCHAR NOT NULL,
            set_at TIMESTAMPTZ NOT NULL
        )""",
    ),
    # 4: events stored once. Analyses share event sets (`event_sets`, tables `events_<key>`
    # and `rejected_<key>`), keyed by a digest of their content; `analyses.events_key`
    # names an analysis's set. The tables saved before keep their names: their key is the
    # id of the analysis that made them.
    (
        """CREATE TABLE event_sets (
            key VARCHAR PRIMARY KEY,
            events BIGINT NOT NULL,
            saved_at TIMESTAMPTZ NOT NULL
        )""",
        "ALTER TABLE analyses ADD COLUMN events_key VARCHAR",
        "UPDATE analyses SET events_key = id",
        "INSERT INTO event_sets SELECT id, events, saved_at FROM analyses",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def version_of(connection: duckdb.DuckDBPyConnection) -> int:
    """The schema version of an open workspace; 0 for an empty database."""
    tables = connection.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'workspace_meta'"
    ).fetchall()
    if not tables[0][0]:
        return 0
    rows = connection.execute(
        "SELECT value FROM workspace_meta WHERE key = 'schema_version'"
    ).fetchall()
    return int(rows[0][0]) if rows else 0


def migrate(connection: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Brings the workspace up to `target`, each version in a transaction of its own;
    returns the version it had. Never goes down: a newer workspace is left alone."""
    found = version_of(connection)
    for version in range(found + 1, target + 1):
        connection.execute("BEGIN TRANSACTION")
        try:
            for statement in MIGRATIONS[version - 1]:
                connection.execute(statement)
            connection.execute(
                "INSERT OR REPLACE INTO workspace_meta VALUES ('schema_version', ?)",
                [str(version)],
            )
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return found
