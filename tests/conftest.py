from pathlib import Path

import pytest

SHARED_LOGS = Path(__file__).resolve().parents[1].parent / "shared" / "logs"
SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"


@pytest.fixture(scope="session")
def shared_logs() -> Path:
    """The public logs in ../shared/logs; tests that need them skip where it is absent."""
    if not SHARED_LOGS.is_dir():
        pytest.skip(f"{SHARED_LOGS} not present: the public reference logs are not available")
    return SHARED_LOGS


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium, headless; never a downloaded browser."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Debian's chromium is missing ({CHROMIUM}). Run the tests with "
            "`python3 dev.py test`, which installs it (apt-get install -y chromium)."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(autouse=True)
def own_workspace(tmp_path_factory, monkeypatch):
    """No test reads or writes the user's workspace (~/.journey): each has an empty one."""
    monkeypatch.setenv("JOURNEY_WORKSPACE", str(tmp_path_factory.mktemp("workspace")))


@pytest.fixture(scope="session")
def improved_csv(tmp_path_factory) -> str:
    """The hospital log with the simulator's planted improvement (a halved wait after a
    date, `sample_logs/ground_truth.json`), as a CSV with canonical headers."""
    from discovery.simulate import IMPROVEMENT, simulate

    path = tmp_path_factory.mktemp("improved") / "improved.csv"
    simulate("hospital", headers="canonical", improvement=IMPROVEMENT).to_csv(path, index=False)
    return str(path)


# Real servers (tests/servers.py): one throwaway PostgreSQL cluster and one Spark local[2]
# session per test run, started by the first test that asks, stopped after the last, failed
# or not. Without PostgreSQL or Java the tests that use them skip with the reason.


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster on 127.0.0.1 (a `servers.PostgresCluster`): `.url(table)` is the
    SOURCE, `.user`/`.password` a login that reads every table, `.connect()` psycopg."""
    from tests import servers

    try:
        cluster = servers.start_postgres()
    except servers.Unavailable as reason:
        pytest.skip(str(reason))
    try:
        yield cluster
    finally:
        servers.stop_postgres(cluster)


@pytest.fixture(scope="session")
def postgres_table(postgres):
    """`postgres_table(frame, name) -> name`: a pandas/Arrow frame as a table of the cluster."""
    from tests import servers

    return lambda frame, name: servers.load_postgres(postgres, frame, name)


@pytest.fixture(scope="session")
def spark():
    """A SparkSession in local[2] (UI off, two shuffle partitions, time zone UTC)."""
    from tests import servers

    try:
        session = servers.start_spark()
    except servers.Unavailable as reason:
        pytest.skip(str(reason))
    try:
        yield session
    finally:
        servers.stop_spark(session)


@pytest.fixture(scope="session")
def spark_table(spark):
    """`spark_table(frame, name) -> name`: a pandas/Arrow frame as a Spark temporary view."""
    from tests import servers

    return lambda frame, name: servers.load_spark(spark, frame, name)
