"""Cached calls into the library, one entry per log, filters and options.

Every function is keyed by the log's key (a sample's name, an upload's digest and
mapping) and the filters' text (filters are frozen dataclasses with a stable repr); the
log itself is passed as `_log` so that Streamlit does not hash its events. Results are
frozen and shared between sessions: pages read them and never change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from discovery import (
    Bottlenecks,
    CaseTrail,
    Conformance,
    EventLog,
    Filter,
    HandoffReport,
    IntendedJourney,
    JourneyComparison,
    JourneyLens,
    LogSummary,
    ProcessMap,
    SegmentComparison,
    SegmentDiscovery,
    Stages,
    Throughput,
    VariantTable,
    analyse_handoffs,
    analyse_journey,
    analyse_throughput,
    apply_filters,
    cases_at_node,
    cases_on_edge,
    check_conformance,
    compare_journey,
    compare_segments,
    discover_map,
    discover_segments,
    discover_variants,
    find_bottlenecks,
    find_cases,
    read_stages,
    readable_detail,
    sample_cases,
    simplify_map,
    suggest_stages,
    summarize,
    trace_case,
)
from ui.journey import Journey
from ui.loading import as_file

ENTRIES = 16
FILTERED_LOGS = 6  # each a copy of the kept events: fewer of them


@dataclass(frozen=True)
class View:
    """A log as chosen in the sidebar, with the filters in force."""

    log_key: str
    source: EventLog
    filters: tuple[Filter, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.log_key}|{self.filters!r}"

    @property
    def log(self) -> EventLog:
        return _filtered(self.key, _source=self.source, _filters=self.filters)

    def summary(self) -> LogSummary:
        return _summary(self.key, _log=self.log)

    def process_map(self, level: str) -> ProcessMap:
        return _map(self.key, level, _log=self.log)

    def simplified_map(self, level: str, activities: float, paths: float) -> ProcessMap:
        """The map at the sliders' positions (the full map itself where both are at 100%)."""
        if activities >= 1 and paths >= 1:
            return self.process_map(level)
        full = self.process_map(level)
        return _simplified(self.key, level, activities, paths, _log=self.log, _full=full)

    def readable_detail(self, level: str) -> tuple[float, float]:
        return _detail(self.key, level, _log=self.log)

    def variants(self) -> VariantTable:
        return _variants(self.key, _log=self.log)

    def handoffs(self) -> HandoffReport:
        return _handoffs(self.key, _log=self.log)

    def bottlenecks(self) -> Bottlenecks:
        return _bottlenecks(self.key, _log=self.log, _map=self.process_map("activity"))

    def throughput(self) -> Throughput:
        return _throughput(self.key, _log=self.log)

    def cases_at_node(self, level: str, node: str) -> pd.DataFrame:
        return _at_node(self.key, level, node, _log=self.log)

    def cases_on_edge(self, level: str, source: str, target: str) -> pd.DataFrame:
        return _on_edge(self.key, level, source, target, _log=self.log)

    def find_cases(self, text: str) -> tuple[str, ...]:
        return _find(self.key, text, _log=self.log)

    def sample_cases(self, per_variant: int, seed: int) -> pd.DataFrame:
        return _sample(self.key, per_variant, seed, _log=self.log)

    def trail(self, case_id: str) -> CaseTrail:
        return _trail(self.key, case_id, _log=self.log)

    def unfiltered(self) -> View:
        return View(self.log_key, self.source)

    def conformance(
        self, journey: Journey, progress: Callable[[int, int], None] | None = None
    ) -> Conformance:
        """`progress(done, total)` hears of the variants aligned when not cached yet.

        Kept in a store of its own rather than a cached function: Streamlit replays the
        elements a cached function drew (the progress bar), and replaying one drawn in a
        block made outside it fails on the next run."""
        store, key = _conformances(), (self.key, journey.key)
        found = store.get(key)
        if found is None:
            found = check_conformance(self.log, journey.journey, progress=progress)
            store.put(key, found)
        return found

    def comparison(self, journey: Journey) -> JourneyComparison:
        return _comparison(self.key, journey.key, _log=self.log, _journey=journey.journey)

    def suggested_stages(self, journey: Journey | None) -> Stages:
        """Stages suggested from the intended journey in use, else from the log's usual order."""
        journey_key = None if journey is None else journey.key
        intended = None if journey is None else journey.journey
        return _stages(self.key, journey_key, _log=self.log, _intended=intended)

    def journey(self, stages: Stages, timeout_days: float) -> JourneyLens:
        return _journey(self.key, repr(stages), timeout_days, _log=self.log, _stages=stages)

    def segments(self, attribute: str, stages: Stages, timeout_days: float) -> SegmentComparison:
        lens = self.journey(stages, timeout_days)
        return _segments(self.key, attribute, repr(stages), timeout_days, _log=self.log, _lens=lens)

    def discovered_segments(self, stages: Stages, timeout_days: float) -> SegmentDiscovery:
        """The segments that stand out, over every case attribute of the log."""
        lens = self.journey(stages, timeout_days)
        return _discovered(self.key, repr(stages), timeout_days, _log=self.log, _lens=lens)

    def narrowed(self, extra: Filter) -> View:
        """This view with one more filter (a segment's cases, say)."""
        return View(self.log_key, self.source, (*self.filters, extra))


def view(log_key: str, log: EventLog, filters: Sequence[Filter]) -> View:
    return View(log_key, log, tuple(filters))


@st.cache_resource(show_spinner=False, max_entries=4)
def stages_file(digest: str, name: str, _data: bytes) -> Stages:
    """An uploaded stage file (CSV, XLSX, YAML) read once; raises the library's LogError."""
    with as_file(_data, name) as path:
        return read_stages(path, name=name)


def _cached(function):
    return st.cache_resource(show_spinner=False, max_entries=ENTRIES)(function)


@st.cache_resource(show_spinner=False, max_entries=FILTERED_LOGS)
def _filtered(key: str, _source: EventLog, _filters: tuple[Filter, ...]) -> EventLog:
    return apply_filters(_source, _filters)


@_cached
def _summary(key: str, _log: EventLog) -> LogSummary:
    return summarize(_log)


@_cached
def _map(key: str, level: str, _log: EventLog) -> ProcessMap:
    return discover_map(_log, level)


@_cached
def _simplified(
    key: str, level: str, activities: float, paths: float, _log: EventLog, _full: ProcessMap
) -> ProcessMap:
    return simplify_map(_log, level, activities, paths, full=_full)


@_cached
def _detail(key: str, level: str, _log: EventLog) -> tuple[float, float]:
    return readable_detail(_log, level)


@_cached
def _variants(key: str, _log: EventLog) -> VariantTable:
    return discover_variants(_log)


@_cached
def _handoffs(key: str, _log: EventLog) -> HandoffReport:
    return analyse_handoffs(_log)


@_cached
def _bottlenecks(key: str, _log: EventLog, _map: ProcessMap) -> Bottlenecks:
    return find_bottlenecks(_log, _map)


@_cached
def _throughput(key: str, _log: EventLog) -> Throughput:
    return analyse_throughput(_log)


@_cached
def _at_node(key: str, level: str, node: str, _log: EventLog) -> pd.DataFrame:
    return cases_at_node(_log, level, node)


@_cached
def _on_edge(key: str, level: str, source: str, target: str, _log: EventLog) -> pd.DataFrame:
    return cases_on_edge(_log, level, source, target)


@_cached
def _find(key: str, text: str, _log: EventLog) -> tuple[str, ...]:
    return find_cases(_log, text)


@_cached
def _sample(key: str, per_variant: int, seed: int, _log: EventLog) -> pd.DataFrame:
    return sample_cases(_log, per_variant, seed)


@_cached
def _trail(key: str, case_id: str, _log: EventLog) -> CaseTrail:
    return trace_case(_log, case_id)


class _Store:
    """The last `size` results by key, shared by every session (a lock guards it)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, str], Conformance] = OrderedDict()
        self.lock = threading.Lock()

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
    return _Store(ENTRIES)


@_cached
def _comparison(
    key: str, journey_key: str, _log: EventLog, _journey: IntendedJourney
) -> JourneyComparison:
    return compare_journey(_log, _journey)


@_cached
def _stages(
    key: str, journey_key: str | None, _log: EventLog, _intended: IntendedJourney | None
) -> Stages:
    return suggest_stages(_log, _intended)


@_cached
def _journey(
    key: str, stages_key: str, timeout_days: float, _log: EventLog, _stages: Stages
) -> JourneyLens:
    return analyse_journey(_log, _stages, timeout_days=timeout_days)


@_cached
def _segments(
    key: str,
    attribute: str,
    stages_key: str,
    timeout_days: float,
    _log: EventLog,
    _lens: JourneyLens,
) -> SegmentComparison:
    return compare_segments(_log, attribute, lens=_lens)


@_cached
def _discovered(
    key: str, stages_key: str, timeout_days: float, _log: EventLog, _lens: JourneyLens
) -> SegmentDiscovery:
    return discover_segments(_log, lens=_lens)
