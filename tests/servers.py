"""Real servers for the tests: a throwaway PostgreSQL cluster and a Spark `local[2]` session.

`python3 dev.py test` installs Debian's postgresql and openjdk-17-jre-headless; without them
`start_postgres` and `start_spark` raise `Unavailable`, which the fixtures in conftest.py turn
into a skip with the reason. The loaders put a log's source rows (a pandas or Arrow frame)
into the server as a table.

    cluster = start_postgres()
    load_postgres(cluster, frame, "events")   # COPY, as the cluster's superuser
    cluster.url("events")                     # postgresql://journey@127.0.0.1:PORT/journey?table=events
    stop_postgres(cluster)                    # the server stopped, its folder removed
"""

from __future__ import annotations

import contextlib
import io
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.csv

DEBIAN_POSTGRES = Path("/usr/lib/postgresql")  # Debian's versions, each with a bin/
PREFIX = "journey-pg-"  # the clusters' temporary folders
startup: dict[str, float] = {}  # seconds each server took to start, "postgres" and "spark"
_scratch: dict[int, str] = {}  # each Spark session's scratch folder, removed when it stops


class Unavailable(Exception):
    """The programs a server needs are not installed: the tests that need it skip."""


@dataclass(frozen=True)
class PostgresCluster:
    """A running cluster on 127.0.0.1: `admin` is its superuser (for loading), `user` a login
    that may read every table in `database` but change nothing, both with a password."""

    port: int
    folder: Path
    host: str = "127.0.0.1"
    database: str = "journey"
    admin: str = "journey_admin"
    admin_password: str = field(default="", repr=False)
    user: str = "journey"
    password: str = field(default="", repr=False)

    def url(self, table: str | None = None, *, user: str | None = None) -> str:
        """The SOURCE for the CLI, without a password (give it in JOURNEY_DB_PASSWORD)."""
        url = f"postgresql://{user or self.user}@{self.host}:{self.port}/{self.database}"
        return url if table is None else f"{url}?table={table}"

    def connect(self, *, admin: bool = False) -> Any:
        """A psycopg connection as the reading user, or as the superuser."""
        import psycopg

        return psycopg.connect(
            host=self.host,
            port=self.port,
            dbname=self.database,
            user=self.admin if admin else self.user,
            password=self.admin_password if admin else self.password,
            autocommit=True,
        )


def postgres_programs() -> Path:
    """The folder with initdb and pg_ctl: Debian's newest, else the PATH's."""
    folders = sorted(DEBIAN_POSTGRES.glob("*/bin"), key=lambda p: int(p.parent.name))
    found = [f for f in folders if (f / "initdb").exists()]
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    if initdb is None:
        raise Unavailable(
            "PostgreSQL's initdb is not installed: `python3 dev.py test` installs Debian's "
            "postgresql (apt-get install -y postgresql)"
        )
    return Path(initdb).resolve().parent


def start_postgres() -> PostgresCluster:
    """initdb into a new temporary folder, start the server on a free port of 127.0.0.1, make
    the database and the reading user. As root, the server runs as the `postgres` user (or
    `nobody`): PostgreSQL refuses to run as root."""
    programs = postgres_programs()
    begun = time.perf_counter()
    owner = _server_user()
    _remove_orphans(owner, programs)
    for attempt in range(3):  # another process may take the free port before the server does
        try:
            cluster = _start_postgres(programs, owner)
            break
        except RuntimeError:
            if attempt == 2:
                raise
    startup["postgres"] = time.perf_counter() - begun
    return cluster


def _start_postgres(programs: Path, owner: pwd.struct_passwd | None) -> PostgresCluster:
    folder = Path(tempfile.mkdtemp(prefix=PREFIX))
    (folder / "tests.pid").write_text(str(os.getpid()))
    cluster = PostgresCluster(
        port=_free_port(),
        folder=folder,
        admin_password=secrets.token_urlsafe(16),
        password=secrets.token_urlsafe(16),
    )
    try:
        (folder / "admin.pw").write_text(cluster.admin_password)
        if owner is not None:
            for path in [folder, folder / "admin.pw"]:
                os.chown(path, owner.pw_uid, owner.pw_gid)
        _as(owner, programs / "initdb", "-D", folder / "data", "-U", cluster.admin,
            f"--pwfile={folder / 'admin.pw'}", "--auth=scram-sha-256", "--no-locale",
            "--encoding=UTF8", "--no-sync")  # fmt: skip
        options = (
            f"-p {cluster.port} -c listen_addresses={cluster.host} -k {folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c timezone=UTC"
        )
        _as(owner, programs / "pg_ctl", "start", "-w", "-D", folder / "data",
            "-l", folder / "server.log", "-o", options)  # fmt: skip
        _create_database(cluster)
    except RuntimeError as error:
        log = folder / "server.log"
        said = log.read_text()[-2000:] if log.exists() else ""
        _remove(folder, owner, programs)
        raise RuntimeError(f"{error}{said}") from None
    except BaseException:
        _remove(folder, owner, programs)
        raise
    return cluster


def stop_postgres(cluster: PostgresCluster) -> None:
    """Stop the server at once and remove its folder."""
    _remove(cluster.folder, _server_user(), postgres_programs())


def load_postgres(cluster: PostgresCluster, frame: pd.DataFrame | pa.Table, name: str) -> str:
    """Put `frame` into table `name` (replaced if there) by one COPY; return the name.
    Columns keep their types: text, bigint, double precision, boolean, date, timestamp, or
    timestamptz for times with a zone."""
    from psycopg import sql

    table = _plain(frame)
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(f.name), sql.SQL(_postgres_type(f.type)))
        for f in table.schema
    )
    text = io.BytesIO()
    pyarrow.csv.write_csv(table, text, pyarrow.csv.WriteOptions(include_header=False))
    with cluster.connect(admin=True) as connection:
        connection.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE TABLE {} ({})").format(sql.Identifier(name), columns))
        copy = sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(sql.Identifier(name))
        with connection.cursor().copy(copy) as writer:
            writer.write(text.getvalue())
    return name


def start_spark() -> Any:
    """A Spark session in `local[2]`: no UI, two shuffle partitions, time zone UTC, its
    warehouse and scratch files in a temporary folder."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        raise Unavailable(
            "Java is not installed: `python3 dev.py test` installs Debian's "
            "openjdk-17-jre-headless, which Spark needs"
        )
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise Unavailable(f"pyspark is not installed ({error}): pip install -e '.[dev]'") from None
    begun = time.perf_counter()
    scratch = tempfile.mkdtemp(prefix="journey-spark-")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    settings = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.sql.session.timeZone": "UTC",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.warehouse.dir": f"{scratch}/warehouse",
        "spark.local.dir": scratch,
    }
    builder = SparkSession.builder.master("local[2]").appName("journey-tests")
    for key, value in settings.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()  # a session already running is taken as it is
    session.sparkContext.setLogLevel("ERROR")
    _scratch[id(session)] = scratch
    startup["spark"] = time.perf_counter() - begun
    return session


def stop_spark(session: Any) -> None:
    """Stop the session and remove the scratch folder `start_spark` made for it."""
    session.stop()
    shutil.rmtree(_scratch.pop(id(session), ""), ignore_errors=True)


def load_spark(session: Any, frame: pd.DataFrame | pa.Table, name: str) -> str:
    """Put `frame` into Spark as the temporary view `name` (replaced if there), which
    `session.table(name)` and `ibis.pyspark.connect(session).table(name)` read."""
    session.createDataFrame(_plain(frame)).createOrReplaceTempView(name)
    return name


def _plain(frame: pd.DataFrame | pa.Table) -> pa.Table:
    """An Arrow table with no dictionary (categorical) columns."""
    table = (
        frame if isinstance(frame, pa.Table) else pa.Table.from_pandas(frame, preserve_index=False)
    )
    fields = [
        pa.field(f.name, f.type.value_type) if pa.types.is_dictionary(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


def _postgres_type(kind: pa.DataType) -> str:
    checks = [
        (pa.types.is_boolean, "boolean"),
        (pa.types.is_integer, "bigint"),
        (pa.types.is_floating, "double precision"),
        (pa.types.is_date, "date"),
        (lambda t: pa.types.is_string(t) or pa.types.is_large_string(t), "text"),
        (pa.types.is_null, "text"),  # a column with nothing in it
    ]
    if pa.types.is_timestamp(kind):
        return "timestamptz" if kind.tz else "timestamp"
    for check, name in checks:
        if check(kind):
            return name
    raise TypeError(f"no PostgreSQL column type for Arrow's {kind}")


def _server_user() -> pwd.struct_passwd | None:
    """Whom the server runs as: None (this user) unless this is root."""
    if os.geteuid() != 0:
        return None
    for name in ["postgres", "nobody"]:
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise Unavailable("running as root with neither a `postgres` nor a `nobody` user")


def _as(owner: pwd.struct_passwd | None, *command: object) -> None:
    """Run a server program (as `owner`), failing with what it said."""
    ids = {} if owner is None else {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, cwd="/", **ids
    )
    if done.returncode != 0:
        raise RuntimeError(f"{Path(str(command[0])).name} failed:\n{done.stdout}{done.stderr}")


def _create_database(cluster: PostgresCluster) -> None:
    import psycopg
    from psycopg import sql

    admin = dict(host=cluster.host, port=cluster.port, user=cluster.admin)
    with psycopg.connect(
        **admin, dbname="postgres", password=cluster.admin_password, autocommit=True
    ) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cluster.database)))
        connection.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(cluster.user), sql.Literal(cluster.password)
            )
        )
    with cluster.connect(admin=True) as connection:
        connection.execute(
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {}"
            ).format(sql.Identifier(cluster.user))
        )


def _remove(folder: Path, owner: pwd.struct_passwd | None, programs: Path) -> None:
    if (folder / "data" / "postmaster.pid").exists():
        with contextlib.suppress(RuntimeError):  # it had stopped: the folder goes all the same
            _as(owner, programs / "pg_ctl", "stop", "-m", "immediate", "-w", "-D", folder / "data")
    shutil.rmtree(folder, ignore_errors=True)


def _remove_orphans(owner: pwd.struct_passwd | None, programs: Path) -> None:
    """Stop and remove the clusters of test runs that were killed before they could."""
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        try:
            os.kill(int((folder / "tests.pid").read_text()), 0)
        except ProcessLookupError:
            _remove(folder, owner, programs)
        except (OSError, ValueError):
            continue  # being made, or not ours


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
