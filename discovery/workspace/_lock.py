"""One writer or many readers of a workspace at a time, across processes and threads.

DuckDB lets one process at a time open a database file for writing, and a process that
has it open for reading keeps writers out. So every use of the workspace opens the file
only for as long as it needs it, holding a lock on a file beside it (`<workspace>.lock`):
shared while reading, exclusive while writing. A lock is an `flock` on a file description
of its own, so two threads of one process wait for each other as two processes do, and the
operating system lets go of it when its process dies (a crash never leaves a stale lock).
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["LockTimeout", "locked"]

WAIT_S = 120.0  # how long to wait for another process's save before giving up


class LockTimeout(TimeoutError):
    """The workspace stayed locked by another save for longer than asked to wait."""


@contextmanager
def locked(path: Path, exclusive: bool, wait_s: float = WAIT_S) -> Iterator[None]:
    """Holds the lock beside `path` (the workspace file) while the block runs."""
    descriptor = os.open(f"{path}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _acquire(descriptor, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, wait_s)
        try:
            yield
        finally:
            fcntl.flock(descriptor, fcntl.LOCK_UN)
    finally:
        os.close(descriptor)


def _acquire(descriptor: int, kind: int, wait_s: float) -> None:
    """Takes the lock, trying again with growing pauses (up to 0.1 s) until `wait_s`."""
    deadline = time.monotonic() + wait_s
    pause = 0.002
    while True:
        try:
            fcntl.flock(descriptor, kind | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(wait_s) from None
            time.sleep(pause)
            pause = min(pause * 2, 0.1)
