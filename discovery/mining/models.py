"""Process models through pm4py, for those who want them: inductive and heuristics miners,
exported as BPMN 2.0, PNML or Graphviz DOT.

The miners are fed the directly-follows graph computed by our engine, not millions of rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from discovery.log.event_log import EventLog
from discovery.mining import _pm4py
from discovery.mining.maps import discover_map

Miner = Literal["inductive", "heuristics"]


@dataclass(frozen=True)
class ProcessModel:
    """A Petri net as plain data, with exports. Transitions are (name, label); a label of
    None is a silent step."""

    miner: Miner
    places: tuple[str, ...]
    transitions: tuple[tuple[str, str | None], ...]
    arcs: tuple[tuple[str, str], ...]
    initial: tuple[str, ...]
    final: tuple[str, ...]
    _native: _pm4py.NativeNet = field(repr=False, compare=False, default=())

    @property
    def activities(self) -> set[str]:
        return {label for _, label in self.transitions if label is not None}

    def to_bpmn(self) -> str:
        """BPMN 2.0 XML, for bpmn.io, Camunda Modeler or Signavio."""
        return _pm4py.bpmn_xml(self._native)

    def to_pnml(self) -> str:
        """PNML, the Petri net exchange format."""
        return _pm4py.pnml(self._native)

    def to_dot(self) -> str:
        """Graphviz DOT: places as circles, activities as boxes, silent steps as black bars."""
        lines = ["digraph model {", "  rankdir=LR;", '  node [fontname="Helvetica"];']
        for place in self.places:
            token = "●" if place in self.initial else ("■" if place in self.final else "")
            lines.append(f'  "{_escape(place)}" [shape=circle, label="{token}", width=0.3];')
        for name, label in self.transitions:
            if label is None:
                style = 'shape=box, style=filled, fillcolor=black, label="", width=0.1'
            else:
                style = f'shape=box, style="rounded", label="{_escape(label)}"'
            lines.append(f'  "{_escape(name)}" [{style}];')
        lines += [f'  "{_escape(a)}" -> "{_escape(b)}";' for a, b in self.arcs]
        return "\n".join([*lines, "}"])


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def discover_model(
    log: EventLog, miner: Miner = "inductive", noise: float = 0.2, dependency: float = 0.5
) -> ProcessModel:
    """Mine a Petri net: inductive miner with a `noise` threshold (0 = every behaviour), or
    heuristics miner with a `dependency` threshold."""
    process_map = discover_map(log, "activity")
    edges = {(row.source, row.target): int(row.frequency) for row in process_map.edges.itertuples()}
    starts = dict(zip(process_map.starts["name"], process_map.starts["cases"], strict=True))
    ends = dict(zip(process_map.ends["name"], process_map.ends["cases"], strict=True))
    if miner == "inductive":
        net = _pm4py.mine_inductive(edges, starts, ends, noise)
    else:
        occurrences = dict(zip(process_map.nodes["name"], process_map.nodes["events"], strict=True))
        net = _pm4py.mine_heuristics(edges, starts, ends, occurrences, dependency)
    return ProcessModel(miner=miner, **_pm4py.petri_parts(net), _native=net)
