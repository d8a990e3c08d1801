"""Memory given back: the engine lets go of logs no one holds, `release_memory` returns
what the allocators keep, a session keeps no log in its state and the server at most
`UPLOADS` uploads, and the app cleans up once no session is connected."""

from __future__ import annotations

import gc
import sys
import types

import pyarrow as pa
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from discovery import (
    EventLog,
    discover_map,
    keep_memory_returnable,
    read_event_log,
    release_memory,
)
from discovery.engine import prepared_logs, resident_bytes
from tests.test_app import ROOT, SAMPLES, open_page
from ui.loading import UPLOADS, let_go_of_uploads
from ui.memory import Janitor, _sessions, alive_logs
from ui.state import Upload


def test_release_memory_frees_the_events_of_logs_let_go():
    release_memory()  # what earlier tests let go is freed first, not during this test
    before = pa.total_allocated_bytes()  # other tests' logs, still held
    log = read_event_log(SAMPLES / "hospital.csv")
    discover_map(log)
    discover_map(log, "department")
    held = pa.total_allocated_bytes() - before
    assert held > 0 and any(prepared is log for prepared in prepared_logs())
    del log
    gc.collect()
    release_memory()
    assert pa.total_allocated_bytes() - before < held / 10  # its events were unregistered
    assert resident_bytes() > 0


def test_the_janitor_cleans_once_per_idle_spell_after_the_idle_time():
    connected = [1]
    cleaned: list[float] = []
    janitor = Janitor(lambda: connected[0], lambda: cleaned.append(0.0), idle_s=60)
    assert not janitor.look(0)  # a session is connected
    connected[0] = 0
    assert not janitor.look(10)  # idle from now
    assert not janitor.look(69)
    assert janitor.look(70) and len(cleaned) == 1
    assert not janitor.look(200) and len(cleaned) == 1  # once per idle spell
    connected[0] = 2
    assert not janitor.look(210)
    connected[0] = 0
    assert not janitor.look(220)
    assert janitor.look(280) and len(cleaned) == 2


def test_outside_a_server_no_session_is_connected():
    assert _sessions() == 0


@pytest.fixture
def app(monkeypatch):
    monkeypatch.chdir(ROOT)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()


def reachable_logs(start: object) -> list[EventLog]:
    """The event logs reachable from `start` through references, not counting what is
    reached only through a module (the app's caches are, and are cleared by the janitor):
    what a session's state keeps alive by itself, its pages' globals among it (a widget's
    callback or format function keeps the globals of the page that made it)."""
    modules = {id(module.__dict__) for module in list(sys.modules.values())}
    seen, found, todo = {id(start)}, [], [start]
    while todo:
        item = todo.pop()
        if isinstance(item, EventLog):
            found.append(item)
        for referent in gc.get_referents(item):
            if id(referent) in seen or id(referent) in modules:
                continue
            if isinstance(referent, types.ModuleType | type):
                continue
            seen.add(id(referent))
            todo.append(referent)
    return found


def use_upload(at, number: int) -> None:
    """The session uses upload `number` (a copy of permit.csv named for it) and draws its map."""
    data = (SAMPLES / "permit.csv").read_bytes()
    name = f"memory-{number}.csv"
    at.session_state["app.upload"] = Upload(data, name, None, (), f"memory-{number}")
    at.session_state["app.source"] = "upload"
    at.run()
    open_page(at, "process_map")
    assert any(name in caption.value for caption in at.sidebar.caption)


def uploads_alive() -> set[str]:
    gc.unfreeze()  # what `ui.cache.freeze_kept` froze is not among gc.get_objects()
    gc.collect()
    return {
        found.source
        for found in gc.get_objects()
        if isinstance(found, EventLog) and found.source.startswith("memory-")
    }


def test_a_session_keeps_no_log_in_its_state_and_at_most_two_uploads(app):
    let_go_of_uploads()
    for number in range(4):
        use_upload(app, number)
        assert len(uploads_alive()) <= UPLOADS
        assert f"memory-{number}.csv" in uploads_alive()
    for name in ("overview", "handoffs", "variants", "upload", "process_map"):
        open_page(app, name)
        assert reachable_logs(app.session_state) == [], name
    assert uploads_alive() == {"memory-2.csv", "memory-3.csv"}
    st.cache_resource.clear()  # as the janitor does: then no upload is alive
    let_go_of_uploads()
    assert uploads_alive() == set()


def test_sessions_keep_their_own_uploads_and_share_one_they_both_use(monkeypatch):
    """Four sessions at once each keep theirs (a bound for the whole server made them read
    each other's uploads again); one both use is opened once; a session that goes takes
    what it kept with it."""
    monkeypatch.chdir(ROOT)
    let_go_of_uploads()
    sessions = [AppTest.from_file(str(ROOT / "app.py"), default_timeout=120) for _ in range(4)]
    for number in range(4):
        sessions[number].run()
        use_upload(sessions[number], 20 + number)
    assert uploads_alive() == {f"memory-{20 + number}.csv" for number in range(4)}
    use_upload(sessions[0], 21)  # the second session's upload, in the first too
    assert uploads_alive() == {f"memory-{20 + number}.csv" for number in range(4)}
    shared = [log for log in gc.get_objects() if isinstance(log, EventLog)]
    assert sum(log.source == "memory-21.csv" for log in shared) == 1
    del sessions[1:], shared
    gc.collect()  # the sessions' states are gone: what they alone kept goes too
    assert uploads_alive() == {"memory-20.csv", "memory-21.csv"}


def test_a_log_let_go_is_opened_again_from_the_upload_in_use(app):
    use_upload(app, 10)
    let_go_of_uploads()  # as the janitor does
    st.cache_resource.clear()
    open_page(app, "overview")
    assert "memory-10.csv" in uploads_alive()


def test_alive_logs_counts_the_event_logs_the_process_holds():
    gc.unfreeze()
    gc.collect()
    before = alive_logs()
    log = read_event_log(SAMPLES / "hospital.csv")
    assert alive_logs() == before + 1
    del log
    gc.collect()
    assert alive_logs() == before


def test_keep_memory_returnable_makes_arrow_allocate_from_jemalloc():
    """jemalloc's purge covers every thread's arena (mimalloc's only the caller's heap)."""
    kept = pa.default_memory_pool()
    try:
        assert keep_memory_returnable() == "jemalloc" == pa.default_memory_pool().backend_name
        before = pa.total_allocated_bytes()
        held = pa.array(range(1_000_000))
        assert pa.jemalloc_memory_pool().bytes_allocated() >= held.nbytes
        del held
        assert pa.total_allocated_bytes() <= before
    finally:
        pa.set_memory_pool(kept)


def forgetting_script():
    import streamlit as st
    from streamlit.runtime import Runtime

    from ui.state import forget_replaced_file

    forget_replaced_file("test.file", st.session_state.get("shown"))
    calls = Runtime.instance().uploaded_file_mgr.remove_file.call_args_list
    st.session_state["removed"] = [call.args[1] for call in calls]


def test_a_file_replaced_in_its_uploader_is_let_go_by_streamlit(monkeypatch):
    """Streamlit keeps every file uploaded in a session until it ends; the upload page
    asks its uploaded-file manager to drop the one a new upload replaced (AppTest's
    runtime is a mock that records the call)."""
    monkeypatch.chdir(ROOT)
    at = AppTest.from_function(forgetting_script)
    removed = []
    for shown in ("first", "second", "second", None, "third"):
        at.session_state["shown"] = shown
        at.run()
        assert not at.exception
        removed.append(at.session_state["removed"])
    assert removed == [[], ["first"], [], ["second"], []]


def test_no_watcher_starts_under_apptest(app):
    """AppTest's runtime is a mock: a watcher there saw no session and cleared the caches
    in the middle of a test's runs."""
    from ui.memory import _STARTED

    assert not app.exception and not _STARTED.is_set()
