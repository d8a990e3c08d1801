"""The difference map of a comparison as Graphviz DOT: one layout holding the steps and
paths of both logs, coloured by the change in frequency (per case) or in median wait; new
paths bold, vanished ones dashed and grey. Drawn from a `LogComparison`; nothing is
computed here."""

from __future__ import annotations

import math
from typing import Any, Literal

import pandas as pd

from discovery.compare.logs import LogComparison
from discovery.viz.values import value_label
from discovery.words import Language, format_count, format_duration, say

Change = Literal["frequency", "wait"]
NEUTRAL = (136, 136, 136)
COLOURS = {  # (less, more): a shorter wait is better, more or fewer cases neither
    "frequency": ((230, 120, 20), (40, 100, 200)),
    "wait": ((46, 125, 50), (198, 40, 40)),
}
NEW, VANISHED = "#2e7d32", "#9e9e9e"
FULL_AT = math.log(2)  # a doubling or halving takes the full colour
FROM = math.log(1.25)  # changes under 25% (the comparison's threshold) stay grey


def difference_dot(
    comparison: LogComparison, change: Change = "frequency", language: Language = "en"
) -> str:
    """DOT text of both maps in one: each path labelled "a → b" (frequencies, or median
    waits) and coloured by its change, thicker where more cases take it; steps labelled
    with their events "a → b" and filled by the change in events per case.

    >>> difference_dot(compare_periods(log, pd.Timestamp("2025-09-01")), "wait")  # doctest: +SKIP
    """
    lines = [
        "digraph difference_map {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
    ]
    for row in comparison.nodes.itertuples():
        counts = f"{format_count(int(row.events_a), language)} → "
        counts += format_count(int(row.events_b), language)
        label = f"{_escape(value_label(row.name, language))}\\n{counts}"
        lines.append(f'  "{_escape(str(row.name))}" [label="{label}", {_node_style(row)}];')
    edges = comparison.edges
    widest = float(edges[["per_case_a", "per_case_b"]].max().max()) if len(edges) else 1.0
    for row in edges.itertuples():
        label = _edge_label(row, change, language)
        weight = max(row.per_case_a, row.per_case_b) / widest if widest > 0 else 0.0
        width = 1 + 4 * weight
        lines.append(
            f'  "{_escape(str(row.source))}" -> "{_escape(str(row.target))}" '
            f'[label="{_escape(label)}", penwidth={width:.2f}, {_edge_style(row, change)}];'
        )
    return "\n".join([*lines, "}"])


def _edge_label(row: Any, change: Change, language: Language) -> str:
    status = str(row.status)
    if change == "wait":
        a, b = (getattr(row, f"wait_median_{side}_s") for side in "ab")
        shown = f"{_duration(a, language)} → {_duration(b, language)}"
    else:
        a, b = (int(getattr(row, f"frequency_{side}")) for side in "ab")
        shown = f"{format_count(a, language)} → {format_count(b, language)}"
    if status == "both":
        return shown
    return f"{say(f'compare.map.{status}', language)}: {shown}"


def _duration(seconds: float, language: Language) -> str:
    return "–" if pd.isna(seconds) else format_duration(seconds, language)


def _edge_style(row: Any, change: Change) -> str:
    status = str(row.status)
    if status == "new":
        return f'color="{NEW}", fontcolor="{NEW}", style=bold'
    if status == "vanished":
        return f'color="{VANISHED}", fontcolor="{VANISHED}", style=dashed'
    ratio = getattr(row, "wait_ratio" if change == "wait" else "frequency_ratio")
    colour = _colour(ratio, change)
    return f'color="{colour}", fontcolor="{colour}"'


def _node_style(row: Any) -> str:
    status = str(row.status)
    if status == "new":
        return f'fillcolor="#e8f5e9", color="{NEW}", penwidth=2'
    if status == "vanished":
        return f'fillcolor="#f5f5f5", color="{VANISHED}", style="rounded,dashed,filled"'
    ratio = float(row.frequency_ratio)
    return f'fillcolor="{_colour(ratio, "frequency", light=True)}"'


def _colour(ratio: float, change: Change, *, light: bool = False) -> str:
    """Grey up to a change of 25%, then towards the colour of less or more, fully at ×2
    or ×½."""
    if pd.isna(ratio) or ratio <= 0:
        weight, target = 0.0, NEUTRAL
    else:
        weight = min(1.0, max(0.0, abs(math.log(ratio)) - FROM) / (FULL_AT - FROM))
        target = COLOURS[change][1 if ratio > 1 else 0]
    start = (245, 245, 245) if light else NEUTRAL
    if light:
        weight *= 0.45  # a pale fill keeps the label readable
    rgb = (round(a + (b - a) * weight) for a, b in zip(start, target, strict=True))
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')
