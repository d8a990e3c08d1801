"""Memory the app gives back once its sessions have ended.

Each session's logs live in the app's caches, shared by all sessions and bounded in
number; a session's state holds keys into them, never a log (`ui.cache.View`). Freed
memory stays with the process (Arrow's allocator and the C heap keep it for reuse), so a
server that read a few large uploads stayed large after every browser was closed. A
watcher thread, one per server, clears the caches when the server has held no session for
`IDLE_S` seconds (`JOURNEY_IDLE_S` in the environment sets another) and gives the memory
back (`discovery.release_memory`), saying in the server's log how much and how many event
logs are still alive (none, unless something outside the caches keeps one). Arrow
allocates from jemalloc in the server (`discovery.keep_memory_returnable`): with its
default, mimalloc, what Arrow's pool threads had allocated stayed resident after every log
was freed. A session whose browser has gone is closed `server.disconnectedSessionTTL`
seconds later (20 in `.streamlit/config.toml`), so that memory is given back within a
minute of the last browser closing; Streamlit 1.67 still refers to the last
closed session (its state, its pages' globals) until another connects, which is why they
must hold no log.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st
from streamlit.logger import get_logger

from discovery import EventLog, keep_memory_returnable, release_memory
from ui.loading import let_go_of_uploads

IDLE_S = float(os.environ.get("JOURNEY_IDLE_S", 15))  # no session this long: clean up
CHECK_S = 5.0  # at most; a third of the idle time where that is shorter
_STARTED = threading.Event()
_LOG = get_logger(__name__)


@dataclass
class Janitor:
    """Decides, at each look, whether the server has been idle long enough to clean up:
    once per idle spell, after `idle_s` seconds without a connected session."""

    sessions: Callable[[], int]
    clean: Callable[[], None]
    idle_s: float = IDLE_S
    idle_since: float | None = None
    cleaned: bool = False

    def look(self, now: float) -> bool:
        """Clean up if it is time; True when it did."""
        if self.sessions():
            self.idle_since, self.cleaned = None, False
            return False
        if self.idle_since is None:
            self.idle_since = now
        if self.cleaned or now - self.idle_since < self.idle_s:
            return False
        self.clean()
        self.cleaned = True
        return True


def watch_memory() -> None:
    """Start the server's watcher, once (later calls do nothing)."""
    if _STARTED.is_set() or not _serving():
        return
    _STARTED.set()
    allocator = keep_memory_returnable()  # what a script's thread freed can be given back
    _LOG.info("Arrow allocates from %s", allocator)
    janitor = Janitor(_sessions, _clean)
    threading.Thread(target=_keep_looking, args=(janitor,), daemon=True).start()


def _serving() -> bool:
    """True in a Streamlit server; not under AppTest, whose runtime is a mock (a watcher
    there cleared the caches in the middle of a test's runs)."""
    from streamlit.runtime import Runtime

    return Runtime.exists() and type(Runtime.instance()) is Runtime


def _keep_looking(janitor: Janitor) -> None:
    while True:
        time.sleep(min(CHECK_S, janitor.idle_s / 3))
        try:
            janitor.look(time.monotonic())
        except Exception:  # never let one failed clean-up end the watching
            _LOG.exception("giving memory back failed; trying again later")


def _sessions() -> int:
    """Sessions the server holds, connected or not yet closed (0 outside a server)."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    return int(Runtime.instance()._session_mgr.num_sessions())  # no public API yet


def _clean() -> None:
    st.cache_resource.clear()  # every cached log and result: no session can ask for them
    let_go_of_uploads()  # what the sessions kept (the last one's state still refers to it)
    dropped = _drop_uploaded_files()
    gc.unfreeze()  # what `ui.cache.freeze_kept` kept out of the collections, collected too
    released = release_memory()
    _LOG.info(
        "no session for %.0f s: caches cleared, uploaded files of %d closed sessions "
        "dropped, %.0f MB given back, %d event logs alive",
        IDLE_S,
        dropped,
        released / 2**20,
        alive_logs(),
    )


def _drop_uploaded_files() -> int:
    """Drop the uploaded files of sessions the server no longer holds; how many sessions.

    Streamlit drops a session's files when it shuts the session down, but a session closed
    because its browser had gone (`server.disconnectedSessionTTL`) expires from its storage
    without being shut down (Streamlit 1.67), and its files stayed for good: every file
    confirmed in it, 116 MB for a 1M-event CSV. Only with the in-memory file manager
    (Streamlit's own); another keeps its files elsewhere."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    runtime = Runtime.instance()
    manager = runtime.uploaded_file_mgr
    stored = getattr(manager, "file_storage", None)  # MemoryUploadedFileManager's, by session
    if not isinstance(stored, dict):
        return 0
    held = {info.session.id for info in runtime._session_mgr.list_sessions()}  # no public API
    gone = [session for session in list(stored) if session not in held]
    for session in gone:
        manager.remove_session_files(session)
    return len(gone)


def alive_logs() -> int:
    """How many event logs the process still holds (after a collection, and with nothing
    frozen: gc.get_objects() leaves out what gc.freeze() froze): none once the caches are
    cleared, unless something outside them keeps one (a session's state, say)."""
    return sum(1 for found in gc.get_objects() if isinstance(found, EventLog))
