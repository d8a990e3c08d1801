"""Giving memory back to the operating system once logs are let go.

A log let go is freed, but its memory does not go back to the operating system by itself:
Arrow's allocator (mimalloc) keeps freed pages for reuse, and so does the C heap (glibc's
malloc, which numpy and pandas use). A server that reads many large logs therefore grows
and stays grown; `release_memory` hands back what is free. It costs little (about
0.05 s after a large log; `benchmarks/bench_memory.py`), so it is for after letting logs
go, not after every analysis.

A server whose sessions run in threads of their own should also call
`keep_memory_returnable()` once at its start: Arrow's default allocator (mimalloc) gives
back only what the calling thread's heap holds, and memory that Arrow's own pool threads
allocated stayed with them (a 1 GB mimalloc region kept 366 MB resident in the app after
every log was freed). jemalloc's purge covers every thread's arena.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import os

import pyarrow as pa

from discovery.engine._backend import let_go


def resident_bytes() -> int:
    """The process's resident memory now (Linux; 0 where /proc is not there)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def keep_memory_returnable() -> str:
    """Make Arrow allocate from jemalloc from now on, when this pyarrow has it, returning
    freed pages to the operating system at once (no decay time), so that what any thread
    freed goes back; returns the allocator in use. Process-wide: for a long-running
    server, not for a library call. With jemalloc's default decay, pages freed within the
    last second stayed resident after `release_memory` (`arena.purge` leaves them)."""
    with contextlib.suppress(NotImplementedError):  # a pyarrow without jemalloc: its default
        pa.set_memory_pool(pa.jemalloc_memory_pool())
        pa.jemalloc_set_decay_ms(0)
    return str(pa.default_memory_pool().backend_name)


def release_memory() -> int:
    """Collect garbage, let the engine free the events of logs let go, then return the
    free memory Arrow's allocator and the C heap keep for reuse to the operating system.
    Returns by how many bytes the resident memory fell."""
    before = resident_bytes()
    gc.collect()
    let_go()
    pa.default_memory_pool().release_unused()
    _trim_c_heap()
    return max(before - resident_bytes(), 0)


def _trim_c_heap() -> None:
    """glibc's malloc_trim(0), where the C library is glibc (elsewhere: nothing to do)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None)
    if trim is not None:
        trim(0)
