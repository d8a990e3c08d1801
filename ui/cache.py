"""Cached calls into the library: any analysis of the chosen log, computed once.

`view.run(analysis, *args, **kwargs)` is `analysis(log, *args, **kwargs)` on the log chosen
in the sidebar with the filters in force. One cached function serves every analysis,
keyed by text alone: the log's key (a sample's name or an upload's digest and mapping,
with the filters' repr), the analysis's qualified name and its arguments' reprs (text,
numbers, stages). The view (which opens its log only when a result is computed) and the
arguments themselves go in `_`-prefixed parameters, which Streamlit does not hash. What is
too big to hash on every run goes with a key of its own: another analysis's result as
`view.keyed(...)`, keyed by that call, and an intended journey (`ui.journey.Journey`),
keyed by where it came from; other values are refused (a big value's repr is cut short).
Results are frozen and shared between sessions: pages read them and never change them.

Kept apart, each for a reason:
- filtered logs: each is a copy of the kept events, so fewer are kept (`FILTERED_LOGS`);
  an unfiltered log is not among them (it is bounded where it is opened, `ui.loading`);
- conformance, in a store rather than a cached function: aligning draws a progress bar,
  Streamlit replays what a cached function drew on the next run, and replaying a bar
  drawn in a block made outside it failed (CacheReplayClosureError);
- stage files: read from an upload, not computed from the log.
`ENTRIES`, `FILTERED_LOGS` and `CONFORMANCES` bound the memory the app keeps.

Streamlit collects garbage after every run (`gc.collect(2)`), and that walk over the
objects kept alive by an open log and its cached results took 0.10-0.19 s on a
1M-event upload, holding the interpreter while the run's last deltas waited to be sent:
a filter redraw waited for it even when every result was cached. `freeze_kept` keeps
what survived the previous run's collection out of those walks while the same log is in
use (`gc.freeze`), and lets every object be walked again on a new log and every
`REFREEZE_RUNS` runs, so that cyclic garbage among what was frozen is still collected.
"""

from __future__ import annotations

import functools
import gc
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import streamlit as st

from discovery import (
    Conformance,
    EventLog,
    Filter,
    Stages,
    apply_filters,
    check_conformance,
    read_stages,
)
from ui.journey import Journey
from ui.loading import as_file

ENTRIES = 64  # analysis results in all, the least recently used dropped first
FILTERED_LOGS = 6
CONFORMANCES = 16
REFREEZE_RUNS = 50  # runs on one log between walks over everything kept
# Arguments keyed by their repr; a tuple's items must be plain too.
PLAIN = (str, int, float, bool, tuple, Stages, type(None))
R = TypeVar("R")


@dataclass(frozen=True)
class Keyed(Generic[R]):
    """A result with the key it is cached under, to pass to another analysis unhashed."""

    key: str
    value: R


@dataclass(frozen=True)
class View:
    """A log as chosen in the sidebar, with the filters in force.

    It holds the log's key, not the log: `opener` gives the log (from the bounded caches,
    or opened again when they let it go), so a view kept in the session state, or in a
    page's globals, keeps no log alive once the caches are cleared."""

    log_key: str
    opener: Callable[[str], EventLog] = field(compare=False, repr=False)
    filters: tuple[Filter, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.log_key}|{self.filters!r}"

    @property
    def source(self) -> EventLog:
        """The unfiltered log."""
        return self.opener(self.log_key)

    @property
    def log(self) -> EventLog:
        """The filtered log (the log itself without filters: never kept a second time, in
        the filtered logs' cache, beyond the bound on the logs opened)."""
        return _filtered(self.key, _view=self) if self.filters else self.source

    def run(self, analysis: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """`analysis(log, *args, **kwargs)` on this view's log, computed once.

        >>> view.run(discover_map, "department")  # doctest: +SKIP
        """
        return self.keyed(analysis, *args, **kwargs).value

    def keyed(self, analysis: Callable[..., R], *args: Any, **kwargs: Any) -> Keyed[R]:
        """The result of `run` with its key, as an argument of another analysis:
        `view.run(find_bottlenecks, view.keyed(discover_map, "activity"))`."""
        name = _name(analysis)
        keys = [*map(_key, args), *(f"{k}={_key(v)}" for k, v in kwargs.items())]
        arguments = ", ".join(keys)
        value = _analysed(
            self.key,
            name,
            arguments,
            _analysis=analysis,
            _view=self,
            _args=tuple(map(_value, args)),
            _kwargs={k: _value(v) for k, v in kwargs.items()},
        )
        return Keyed(f"{self.key}|{name}({arguments})", value)

    def conformance(
        self, journey: Journey, progress: Callable[[int, int], None] | None = None
    ) -> Conformance:
        """`progress(done, total)` hears of the variants aligned when not stored yet."""
        key = (self.key, journey.key)
        found = _conformances().get(key)
        if found is None:
            found = check_conformance(self.log, journey.journey, progress=progress)
            _conformances().put(key, found)
        return found

    def unfiltered(self) -> View:
        return View(self.log_key, self.opener)

    def narrowed(self, extra: Filter) -> View:
        """This view with one more filter (a segment's cases, say)."""
        return View(self.log_key, self.opener, (*self.filters, extra))


def view(log_key: str, opener: Callable[[str], EventLog], filters: Sequence[Filter]) -> View:
    """The view of the log `opener(log_key)` gives, with `filters`; `opener` must be a
    module's function (a page's would keep the page's globals alive with the view)."""
    return View(log_key, opener, tuple(filters))


class _Frozen:
    """Which log's objects are frozen out of garbage collection, and for how many runs."""

    lock = threading.Lock()
    log_key: str | None = None
    runs = 0


def freeze_kept(log_key: str) -> None:
    """Once a run: on the log in use for the previous run too, what survived that run's
    collection (the log, its cached results, the engine's tables) is frozen out of the
    next collections; on another log, or every `REFREEZE_RUNS` runs, everything is
    unfrozen, so this run's collection walks it all and frees what is no longer kept."""
    with _Frozen.lock:
        if log_key != _Frozen.log_key or _Frozen.runs >= REFREEZE_RUNS:
            gc.unfreeze()
            _Frozen.log_key, _Frozen.runs = log_key, 0
        else:
            gc.freeze()
            _Frozen.runs += 1


def _name(analysis: Callable[..., Any]) -> str:
    """The analysis's qualified name, its part of the key: a lambda or a partial has none
    that tells it apart from another, so it is refused."""
    if isinstance(analysis, functools.partial):
        raise TypeError("pass the analysis as a named function, not a functools.partial")
    qualname = getattr(analysis, "__qualname__", None)
    if qualname is None or qualname.endswith("<lambda>"):
        raise TypeError("pass the analysis as a named function, not a lambda")
    return f"{analysis.__module__}.{qualname}"


def _key(argument: Any) -> str:
    if isinstance(argument, Keyed | Journey):
        return argument.key
    _check_plain(argument)
    return repr(argument)


def _check_plain(argument: Any) -> None:
    """A TypeError unless `argument` is plain, and so are a tuple's items, at any depth."""
    if not isinstance(argument, PLAIN):
        raise TypeError(f"pass the {type(argument).__name__} as View.keyed(...), not by its repr")
    if isinstance(argument, tuple):
        for item in argument:
            _check_plain(item)


def _value(argument: Any) -> Any:
    if isinstance(argument, Journey):
        return argument.journey
    return argument.value if isinstance(argument, Keyed) else argument


@st.cache_resource(show_spinner=False, max_entries=ENTRIES)
def _analysed(
    log_key: str,
    name: str,
    arguments: str,
    _analysis: Callable[..., Any],
    _view: View,
    _args: tuple[Any, ...],
    _kwargs: dict[str, Any],
) -> Any:
    return _analysis(_view.log, *_args, **_kwargs)


@st.cache_resource(show_spinner=False, max_entries=FILTERED_LOGS)
def _filtered(key: str, _view: View) -> EventLog:
    return apply_filters(_view.source, _view.filters)


@st.cache_resource(show_spinner=False, max_entries=4)
def stages_file(digest: str, name: str, _data: bytes) -> Stages:
    """An uploaded stage file (CSV, XLSX, YAML) read once; raises the library's LogError."""
    with as_file(_data, name) as path:
        return read_stages(path, name=name)


class _Store:
    """The last `size` results by key, shared by every session (a lock guards it)."""

    def __init__(self, size: int) -> None:
        self.size, self.lock = size, threading.Lock()
        self.items: OrderedDict[tuple[str, str], Conformance] = OrderedDict()

    def get(self, key: tuple[str, str]) -> Conformance | None:
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
            return self.items.get(key)

    def put(self, key: tuple[str, str], value: Conformance) -> None:
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)


@st.cache_resource(show_spinner=False)
def _conformances() -> _Store:
    return _Store(CONFORMANCES)
