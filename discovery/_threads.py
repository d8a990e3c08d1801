"""Work on the columns of a table in threads, one column at a time per core.

Taking rows of a column and turning codes into text are memory-bound loops that numpy and
Arrow run without Python's global lock, so columns done in threads finish together in
about the time of the largest, where one after another they would take the sum. Started
early (`started_in_threads`), they also run while this thread does other work.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def in_threads(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[function(item) for item in items]`, computed in as many threads as there are cores
    (in this thread alone on one core, or for one item).

    >>> in_threads(len, ["a", "bc"])
    [1, 2]
    """
    return started_in_threads(function, items)()


def started_in_threads(function: Callable[[T], R], items: Iterable[T]) -> Callable[[], list[R]]:
    """`in_threads`, started now: the returned function waits for the results and gives
    them (computed at once, in this thread, on one core or for one item).

    >>> results = started_in_threads(len, ["a", "bc"])
    >>> results()
    [1, 2]
    """
    listed = list(items)
    workers = min(os.cpu_count() or 1, len(listed))
    if workers <= 1:
        done = [function(item) for item in listed]
        return lambda: done
    pool = ThreadPoolExecutor(workers)
    futures = [pool.submit(function, item) for item in listed]
    pool.shutdown(wait=False)  # the threads end once the work submitted is done

    def results() -> list[R]:
        return [future.result() for future in futures]

    return results


def in_background(function: Callable[[], R]) -> Callable[[], R]:
    """`function()`, started now in a thread of its own (computed at once, in this thread,
    on one core): the returned function waits for its result, or raises its error.

    >>> result = in_background(lambda: 6 * 7)
    >>> result()
    42
    """
    if (os.cpu_count() or 1) <= 1:
        done = function()
        return lambda: done
    pool = ThreadPoolExecutor(1)
    future = pool.submit(function)
    pool.shutdown(wait=False)
    return future.result
