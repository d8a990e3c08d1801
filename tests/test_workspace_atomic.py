"""Saving is atomic and saves at once lose nothing: a process killed mid-save leaves the
workspace as it was (the earlier analyses intact, no half analysis), and threads and
processes saving at the same time each find their analysis saved."""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from discovery import read_event_log
from discovery.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "hospital.csv"

# A child that saves the sample log's events 40 times over (700,000 events) under the title
# "big"; with a KILL_AT statement it kills itself just before running it inside the save.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    import pandas as pd
    from discovery import read_event_log
    from discovery.workspace import Workspace

    path, kill_at, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    log = read_event_log({sample!r})
    big = log.with_events(pd.concat([log.events] * copies, ignore_index=True))

    class Connection:
        def __init__(self, inner):
            self.inner = inner
        def __getattr__(self, name):
            return getattr(self.inner, name)
        def execute(self, statement, *args):
            if kill_at and statement.startswith(kill_at):
                os.kill(os.getpid(), signal.SIGKILL)
            return self.inner.execute(statement, *args)

    class Killed(Workspace):
        def _connect(self, read_only):
            return Connection(super()._connect(read_only))

    print("ready", flush=True)
    Killed(path).save_analysis(big, title="big")
    print("saved", flush=True)
    """
).format(sample=str(SAMPLE))


@pytest.fixture(scope="module")
def log():
    return read_event_log(SAMPLE)


@pytest.fixture
def earlier(tmp_path, log):
    """A workspace holding two analyses, and their ids."""
    workspace = Workspace(tmp_path / "ws.duckdb")
    ids = [workspace.save_analysis(log, title=f"earlier {i}", notes="kept") for i in (1, 2)]
    return workspace, ids


def child(workspace: Workspace, kill_at: str = "", copies: int = 40) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(workspace.path), kill_at, str(copies)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )


def assert_as_before(workspace: Workspace, ids: list[str], log, big: int = 0) -> None:
    """The earlier analyses are listed and reopen equal; only their tables are left; and a
    new save works. With `big`, a complete save of `big` events may be listed too (a kill
    that came after its commit): it must then reopen whole, and it is deleted."""
    listed = workspace.list_analyses()
    done = [a.id for a in listed if a.title == "big"]
    assert big or not done
    for analysis in done:
        assert workspace.open_analysis(analysis).log.n_events == big
    assert sorted(a.id for a in listed) == sorted([*ids, *done])
    assert {a.title for a in listed} - {"big"} == {"earlier 1", "earlier 2"}
    assert event_tables(workspace) == {
        f"{kind}_{key}" for kind in ("events", "rejected") for key in event_sets(workspace)
    }
    for analysis in ids:
        pd.testing.assert_frame_equal(workspace.open_analysis(analysis).log.events, log.events)
    for analysis in done:
        workspace.delete(analysis)
    after = workspace.save_analysis(log, title="after")
    assert workspace.open_analysis(after).log.n_events == log.n_events
    workspace.delete(after)


@pytest.mark.parametrize("kill_at", ["INSERT INTO analyses", "COMMIT"])
def test_a_save_killed_inside_its_transaction_leaves_the_workspace_as_it_was(earlier, log, kill_at):
    """Killed after its events were written (before the analysis row, or just before the
    commit): no half analysis is listed and no table of it is left to clash with."""
    workspace, ids = earlier
    process = child(workspace, kill_at)
    out, err = process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL, err
    assert "ready" in out and "saved" not in out
    assert_as_before(workspace, ids, log)


def test_a_save_killed_after_its_commit_is_kept_whole(earlier, log):
    """Killed after the commit, before the checkpoint: the save is in DuckDB's write-ahead
    log only, which the next use replays (reading included): the analysis is there, whole."""
    workspace, ids = earlier
    process = child(workspace, "CHECKPOINT", copies=1)
    _, err = process.communicate(timeout=300)
    assert process.returncode == -signal.SIGKILL, err
    assert Path(f"{workspace.path}.wal").exists()  # the commit is in the write-ahead log
    listed = {a.title: a for a in workspace.list_analyses()}
    assert set(listed) == {"earlier 1", "earlier 2", "big"}
    assert not Path(f"{workspace.path}.wal").exists()
    reopened = workspace.open_analysis(listed["big"].id).log
    pd.testing.assert_frame_equal(reopened.events, log.events)
    assert_as_before(workspace, ids, log, big=log.n_events)


def event_tables(workspace: Workspace) -> set[str]:
    """The tables of events and rejected rows in the workspace."""
    with workspace._reading() as connection:
        return {
            row[0]
            for row in connection.execute("SELECT table_name FROM duckdb_tables()").fetchall()
            if row[0].startswith(("events_", "rejected_"))
        }


def event_sets(workspace: Workspace) -> set[str]:
    """The keys of the event sets the analyses use, which are all the workspace holds."""
    with workspace._reading() as connection:
        used = {row[0] for row in connection.execute("SELECT events_key FROM analyses").fetchall()}
        held = {row[0] for row in connection.execute("SELECT key FROM event_sets").fetchall()}
    assert used == held
    return used


def holds_write_lock(workspace: Workspace) -> bool:
    descriptor = os.open(f"{workspace.path}.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def test_a_save_killed_by_another_process_while_writing_its_events(earlier, log):
    """SIGKILL from outside while the child writes 700,000 events: at several moments
    after it took the write lock. At least one kill lands mid-save (its analysis is not
    listed); after each, the workspace is as it was, or has the whole analysis."""
    workspace, ids = earlier
    cut_off = 0
    for delay in (0.02, 0.2, 0.5):
        process = child(workspace)
        deadline = time.monotonic() + 120
        while not holds_write_lock(workspace) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.005)
        time.sleep(delay)
        process.kill()
        out, _ = process.communicate(timeout=60)
        assert "ready" in out
        cut_off += not any(a.title == "big" for a in workspace.list_analyses())
        assert_as_before(workspace, ids, log, big=40 * log.n_events)
    assert cut_off >= 1


def test_threads_saving_at_once_lose_nothing(tmp_path, log):
    workspace = Workspace(tmp_path / "ws.duckdb")
    saved: list[str] = []
    errors: list[BaseException] = []

    def save(name: str) -> None:
        try:
            for i in range(3):
                own = Workspace(workspace.path)  # a workspace object per session
                saved.append(own.save_analysis(log, title=f"{name} {i}"))
                own.list_analyses()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=save, args=(f"thread {t}",)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    listed = workspace.list_analyses()
    assert sorted(a.id for a in listed) == sorted(saved) and len(saved) == 12
    assert {a.title for a in listed} == {f"thread {t} {i}" for t in range(4) for i in range(3)}
    assert all(workspace.open_analysis(a).log.n_events == log.n_events for a in saved)


PROCESS = textwrap.dedent(
    """
    import sys
    from discovery import read_event_log
    from discovery.workspace import Workspace

    path, name = sys.argv[1], sys.argv[2]
    log = read_event_log({sample!r})
    for i in range(3):
        print(Workspace(path).save_analysis(log, title=f"{{name}} {{i}}"), flush=True)
        Workspace(path).list_analyses()
    """
).format(sample=str(SAMPLE))


def test_processes_saving_at_once_lose_nothing(tmp_path, log):
    """Three processes (DuckDB lets one write at a time) each save three analyses at
    once; every one is listed and reopens."""
    path = tmp_path / "ws.duckdb"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", PROCESS, str(path), f"process {p}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for p in range(3)
    ]
    saved = []
    for process in processes:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        saved += out.split()
    workspace = Workspace(path)
    listed = workspace.list_analyses()
    assert len(saved) == 9 and sorted(a.id for a in listed) == sorted(saved)
    assert {a.title for a in listed} == {f"process {p} {i}" for p in range(3) for i in range(3)}
    for analysis in saved:
        pd.testing.assert_frame_equal(workspace.open_analysis(analysis).log.events, log.events)
