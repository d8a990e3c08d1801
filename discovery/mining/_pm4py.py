"""The only module that talks to pm4py: our event log to and from its dataframe format.

pm4py is imported lazily (it takes about a second), only when an algorithm of it is
needed. Its licence banner goes to standard error, and only when pm4py is imported from
a `__main__` script, so the command line's JSON stays clean.
"""

from __future__ import annotations

import importlib
import tempfile
import time
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, TypedDict

import pandas as pd

from discovery.log.event_log import EventLog, LoadedLog, as_text, to_event_log

XES_KEYS = {
    "case_id": "case:concept:name",
    "activity": "concept:name",
    "timestamp": "time:timestamp",
    "start_timestamp": "start_timestamp",
    "resource": "org:resource",
    "department": "org:group",
    "lifecycle": "lifecycle:transition",
}

# pm4py's (PetriNet, initial Marking, final Marking); pm4py has no types.
NativeNet = tuple[Any, ...]


class PetriParts(TypedDict):
    """A Petri net as plain data (`petri_parts`)."""

    places: tuple[str, ...]
    transitions: tuple[tuple[str, str | None], ...]
    arcs: tuple[tuple[str, str], ...]
    initial: tuple[str, ...]
    final: tuple[str, ...]


class Alignment(TypedDict):
    """One trace's alignment (`align_traces`)."""

    moves: list[tuple[str | None, str | None]]
    cost: int
    lowest: int
    bwc: int
    fitness: float
    highest_fitness: float
    approximate: bool


def pm4py() -> ModuleType:
    """The pm4py module, imported on first use."""
    return importlib.import_module("pm4py")


def to_pm4py(log: EventLog, start_times: bool = False) -> pd.DataFrame:
    """The log in pm4py's dataframe format, sorted by case, time and source position.

    Start times are left out unless asked for: pm4py orders a case by start time whenever a
    `start_timestamp` column is present (events without one go last), which is not our
    order (completion time, then position in the source).
    """
    keys = {role: key for role, key in XES_KEYS.items() if log.has(role)}
    text = {  # pm4py reads its keys as text
        column: as_text(values)
        for column, values in log.events.items()
        if isinstance(values.dtype, pd.CategoricalDtype)
    }
    frame = log.events.assign(**text).rename(columns=keys)
    if not start_times:
        frame = frame.drop(columns=["start_timestamp"], errors="ignore")
    return frame.reset_index(drop=True)


def from_pm4py(frame: pd.DataFrame, source: str = "pm4py dataframe") -> EventLog:
    """An event log from a pm4py dataframe (XES keys as column names)."""
    present = {key: role for role, key in XES_KEYS.items() if key in frame}
    table = frame.rename(columns=present)
    mapping = {role: role for role in present.values()}
    log = to_event_log(table, mapping)
    return LoadedLog(
        events=log.events,
        mapping=log.mapping,
        quality=log.quality,
        source=source,
        timezone=log.timezone,
        case_attributes=log.case_attributes,
        event_attributes=log.event_attributes,
    )


def dfg_object(
    edges: dict[tuple[str, str], int], starts: dict[str, int], ends: dict[str, int]
) -> object:
    """pm4py's DFG object from plain dictionaries."""
    from pm4py.objects.dfg.obj import DFG

    dfg: object = DFG(graph=edges, start_activities=starts, end_activities=ends)
    return dfg


def mine_inductive(
    edges: dict[tuple[str, str], int], starts: dict[str, int], ends: dict[str, int], noise: float
) -> NativeNet:
    """Inductive miner (IMf when noise > 0) on a directly-follows graph: (net, im, fm)."""
    module = pm4py()
    tree = module.discover_process_tree_inductive(
        dfg_object(edges, starts, ends), noise_threshold=noise
    )
    net: NativeNet = module.convert_to_petri_net(tree)
    return net


def mine_heuristics(
    edges: dict[tuple[str, str], int],
    starts: dict[str, int],
    ends: dict[str, int],
    occurrences: dict[str, int],
    threshold: float,
) -> NativeNet:
    """Heuristics miner on a directly-follows graph: (net, im, fm)."""
    from pm4py.algo.discovery.heuristics.variants import classic

    net: NativeNet = classic.apply_dfg(
        edges,
        activities=list(occurrences),
        activities_occurrences=occurrences,
        start_activities=starts,
        end_activities=ends,
        parameters={classic.Parameters.DEPENDENCY_THRESH: threshold},
    )
    return net


def bpmn_xml(net: NativeNet) -> str:
    """BPMN 2.0 XML of a Petri net (no layout, so no Graphviz needed)."""
    module = pm4py()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.bpmn"
        module.write_bpmn(module.convert_to_bpmn(*net), str(path), auto_layout=False)
        return path.read_text(encoding="utf-8")


def pnml(net: NativeNet) -> str:
    """PNML of a Petri net."""
    module = pm4py()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "model.pnml"
        module.write_pnml(*net, str(path))
        return path.read_text(encoding="utf-8")


def petri_parts(net: NativeNet) -> PetriParts:
    """A Petri net as plain data: places, transitions (name, label; None = silent), arcs,
    and the places of the initial and final markings."""
    petri, initial, final = net
    return {
        "places": tuple(sorted(place.name for place in petri.places)),
        "transitions": tuple(sorted((t.name, t.label) for t in petri.transitions)),
        "arcs": tuple(sorted((arc.source.name, arc.target.name) for arc in petri.arcs)),
        "initial": tuple(sorted(place.name for place in initial)),
        "final": tuple(sorted(place.name for place in final)),
    }


def petri_net(
    places: Iterable[str],
    transitions: Iterable[tuple[str, str | None]],
    arcs: Iterable[tuple[str, str]],
    initial: Iterable[str],
    final: Iterable[str],
) -> NativeNet:
    """pm4py's (net, initial marking, final marking) from a net as plain data."""
    from pm4py.objects.petri_net.obj import Marking, PetriNet
    from pm4py.objects.petri_net.utils.petri_utils import add_arc_from_to

    net = PetriNet("intended")
    nodes: dict[str, object] = {}
    for name in places:
        nodes[name] = PetriNet.Place(name)
        net.places.add(nodes[name])
    for name, label in transitions:
        nodes[name] = PetriNet.Transition(name, label)
        net.transitions.add(nodes[name])
    for source, target in arcs:
        add_arc_from_to(nodes[source], nodes[target], net)
    initial_marking = Marking({nodes[name]: 1 for name in initial})
    final_marking = Marking({nodes[name]: 1 for name in final})
    return net, initial_marking, final_marking


# Seconds the model's cheapest run (from start to end, no trace) may take to find, at least.
CHEAPEST_RUN_S = 60.0


def align_traces(
    net: NativeNet,
    traces: list[tuple[str, ...]],
    time_limit: float | None = None,
    progress: Callable[[int, int], None] | None = None,
    budget: float | None = None,
) -> list[Alignment]:
    """An optimal alignment of each trace by pm4py's Dijkstra aligner
    (`dijkstra_less_memory`): per trace `moves` as (log activity, model activity) pairs,
    None where the move has none (both None: a silent step), `cost`, `bwc` (best-worst
    cost), `fitness` computed as pm4py does, and `approximate`.

    pm4py's default aligner (A* with the state equation) finds alignments with the same
    number of deviations, several times slower on models with many silent transitions
    (benchmarks/bench_conformance_models.py). The Dijkstra aligner counts no cost for a
    silent step that no activity of the trace could follow, where A* counts 1 (a deviation
    costs 10,000), and our nets have fewer silent steps: each trace's fitness is the same,
    the log's fitness (which adds silent steps to both sums) a little higher, by well under
    0.001 on the benchmark's models.

    A trace not aligned within `time_limit` seconds gets pm4py's sliding-window
    approximation (Bogdanov, Cohen and Gal 2024; a valid alignment, not always optimal)
    under the same limit, or failing that the trivial alignment: every event a log move,
    then the model's cheapest run. Either is marked `approximate`: its `cost` is an upper
    bound, `lowest` a lower bound (one log move per event whose activity the model lacks).
    Once `budget` seconds have gone, the remaining traces get the trivial alignment at once
    (a model where the search is hopeless still gives an answer in about that time).
    `progress(done, total)` is called after each trace. The model's cheapest run is
    computed once (in at least CHEAPEST_RUN_S); a model whose end cannot be reached, or
    whose cheapest run is not found in that time, is a ValueError.
    """
    from pm4py.algo.conformance.alignments.petri_net.variants import (
        approx_sliding_window as window,
    )
    from pm4py.algo.conformance.alignments.petri_net.variants import (
        dijkstra_less_memory as dijkstra,
    )
    from pm4py.objects.log.obj import Event, Trace
    from pm4py.objects.petri_net.utils.align_utils import STD_MODEL_LOG_MOVE_COST as MOVE

    limit = {"max_align_time_trace": time_limit} if time_limit is not None else {}
    labels = {t.label for t in net[0].transitions if t.label is not None}
    with warnings.catch_warnings():  # pm4py's use of numpy.matrix, not ours to fix
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        started = time.perf_counter()
        bounded = (
            {"max_align_time_trace": max(time_limit, CHEAPEST_RUN_S)}
            if time_limit is not None
            else {}
        )
        cheapest = dijkstra.apply(Trace(), *net, parameters=bounded)
        if cheapest is None:
            if limit and time.perf_counter() - started >= bounded["max_align_time_trace"]:
                raise ValueError("the intended journey is too large to align against")
            raise ValueError("the intended journey cannot be completed: its flow never ends")
        results: list[Alignment] = []
        for done, trace in enumerate(traces, 1):
            events = Trace([Event({"concept:name": a}) for a in trace])
            left = None if budget is None else budget - (time.perf_counter() - started)
            seconds = min(x for x in (time_limit, left, float("inf")) if x is not None)
            bounds = {} if seconds == float("inf") else {"max_align_time_trace": seconds}
            aligned: dict[str, Any] | None = None  # pm4py's alignment
            if seconds > 0:
                aligned = dijkstra.apply(events, *net, parameters=dict(bounds))
            approximate = aligned is None
            if approximate and seconds > 0:
                aligned = window.apply(events, *net, parameters=dict(bounds))
            bwc = len(trace) * MOVE + cheapest["cost"]
            if aligned is None or aligned["cost"] // MOVE > bwc // MOVE:
                moves = [(a, ">>") for a in trace] + cheapest["alignment"]
                aligned = {"alignment": moves, "cost": bwc}
            cost: int = aligned["cost"]
            lowest = sum(a not in labels for a in trace) * MOVE if approximate else cost
            results.append(
                {
                    "moves": [
                        (None if log == ">>" else log, None if model == ">>" else model)
                        for log, model in aligned["alignment"]
                    ],
                    "cost": cost,
                    "lowest": lowest,
                    "bwc": bwc,
                    "fitness": _fitness(cost, bwc),
                    "highest_fitness": _fitness(lowest, bwc),
                    "approximate": approximate,
                }
            )
            if progress is not None:
                progress(done, len(traces))
    return results


def _fitness(cost: int, bwc: int) -> float:
    """pm4py's fitness of one trace: 1 - deviations / the worst alignment's deviations."""
    move = 10_000  # pm4py's cost of a log or model move
    return 1 - (cost // move) / (bwc // move) if bwc >= move else 0.0


def fitness_alignments(log: EventLog, net: NativeNet) -> dict[str, float]:
    """pm4py's own alignment fitness of the whole log (the oracle for ours)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        fitness: dict[str, float] = pm4py().fitness_alignments(
            to_pm4py(log), *net, multi_processing=False
        )
    return fitness
