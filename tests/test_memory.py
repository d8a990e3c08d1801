"""Memory given back: the engine lets go of logs no one holds, `release_memory` returns
what the allocators keep, and the app cleans up once no session is connected."""

from __future__ import annotations

import gc

import pyarrow as pa

from discovery import discover_map, read_event_log, release_memory
from discovery.engine import prepared_logs, resident_bytes
from tests.test_app import SAMPLES
from ui.memory import Janitor, _sessions


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
