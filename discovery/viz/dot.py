"""A process map as Graphviz DOT, with frequencies or waiting times on it."""

from __future__ import annotations

import shutil
import subprocess
from typing import Literal

import pandas as pd

from discovery.mining.maps import ProcessMap
from discovery.viz.values import value_label
from discovery.words import Language, format_count, format_duration

Measure = Literal["frequency", "performance"]
_START, _END = "__start__", "__end__"


def map_dot(
    process_map: ProcessMap, measure: Measure = "frequency", language: Language = "en"
) -> str:
    """DOT text: nodes with their events (or median service time), edges with their frequency
    (or median wait); thicker and darker where there is more; start and end as dots."""
    edges = process_map.edges
    nodes = process_map.nodes
    most_events = max(int(nodes["events"].max()), 1) if len(nodes) else 1
    most_edge = _edge_values(edges, measure).max() if len(edges) else 1
    lines = [
        "digraph process_map {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
        f'  "{_START}" [shape=circle, label="", width=0.25, style=filled, fillcolor="#3b7d3b"];',
        f'  "{_END}" [shape=doublecircle, label="", width=0.2, style=filled, fillcolor="#a33"];',
    ]
    for row in nodes.itertuples():
        if measure == "performance" and row.service_median_s == row.service_median_s:
            detail = format_duration(row.service_median_s, language)
        else:
            detail = format_count(int(row.events), language)
        shade = _shade(row.events / most_events)
        label = f"{_escape(value_label(row.name, language))}\\n{detail}"
        lines.append(f'  "{_escape(str(row.name))}" [label="{label}", fillcolor="{shade}"];')
    values = _edge_values(edges, measure)
    for row, value in zip(edges.itertuples(), values, strict=True):
        if measure == "performance":
            text = format_duration(value, language)
        else:
            text = format_count(int(value), language)
        width = 1 + 5 * (value / most_edge if most_edge else 0)
        lines.append(
            f'  "{_escape(str(row.source))}" -> "{_escape(str(row.target))}" '
            f'[label="{text}", penwidth={width:.2f}];'
        )
    for table, anchor, towards in (
        (process_map.starts, _START, True),
        (process_map.ends, _END, False),
    ):
        for row in table.itertuples():
            a, b = (anchor, row.name) if towards else (row.name, anchor)
            lines.append(
                f'  "{_escape(str(a))}" -> "{_escape(str(b))}" '
                f'[label="{format_count(int(row.cases), language)}", style=dashed, '
                'color="#888888"];'
            )
    return "\n".join([*lines, "}"])


def dot_to_svg(dot: str, timeout_s: float = 30.0) -> str | None:
    """The graph laid out by Graphviz's `dot` program, as an `<svg>` element (text in it
    escaped by Graphviz); None where Graphviz is not installed or cannot lay it out, so
    that the caller can let the browser lay it out instead."""
    laid_out = _graphviz(dot, "svg", timeout_s)
    if laid_out is None:
        return None
    svg = laid_out.decode("utf-8")
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else None


def dot_to_png(dot: str, timeout_s: float = 30.0) -> bytes | None:
    """The graph laid out by Graphviz's `dot` program, as a PNG picture (96 dpi, for an
    Excel sheet); None where Graphviz is not installed or cannot lay it out."""
    png = _graphviz(dot, "png", timeout_s)
    return png if png and png.startswith(b"\x89PNG") else None


def _graphviz(dot: str, output: Literal["svg", "png"], timeout_s: float) -> bytes | None:
    """What `dot -T<output>` makes of the graph; None without Graphviz or on its failure."""
    program = shutil.which("dot")
    if program is None:
        return None
    try:
        done = subprocess.run(
            [program, f"-T{output}"],
            input=dot.encode("utf-8"),
            capture_output=True,
            timeout=timeout_s,
            check=True,
        )
    except (subprocess.SubprocessError, OSError):
        return None
    return done.stdout


def _edge_values(edges: pd.DataFrame, measure: Measure) -> pd.Series:
    return edges["wait_median_s"] if measure == "performance" else edges["frequency"]


_LIGHT, _DARK = (232, 240, 254), (74, 120, 194)


def _shade(weight: float) -> str:
    """Light to dark blue by weight in [0, 1]."""
    weight = max(0.0, min(1.0, weight))
    rgb = (round(a + (b - a) * weight) for a, b in zip(_LIGHT, _DARK, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
