"""The difference map of a comparison as Graphviz DOT: one layout holding the steps and
paths of both logs, coloured by the change in frequency (per case) or in median wait; new
paths bold, vanished ones dashed and grey; a key to the colours at its top right. Drawn from
a `LogComparison`; nothing is computed here."""

from __future__ import annotations

import html
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
    with their events "a → b" and filled by the change in events per case. The graph's
    label, at its top right, is the key to those colours, lines and fills.

    >>> difference_dot(compare_periods(log, pd.Timestamp("2025-09-01")), "wait")  # doctest: +SKIP
    """
    lines = [
        "digraph difference_map {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
        '  fontname="Helvetica"; fontsize=10; labelloc="t"; labeljust="r";',
        f"  label=<{_key(change, language)}>;",
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


def _key(change: Change, language: Language) -> str:
    """The key to the map as a Graphviz HTML-like table: the paths' colours and lines for
    `change`, then the steps' fills."""
    less, more = (_colour(ratio, change) for ratio in (0.5, 2.0))
    words = ("shorter", "longer") if change == "wait" else ("less", "more")
    paths = [
        (_line(_bar(less, 3)), f"compare.map.key.{words[0]}"),
        (_line(_bar(more, 3)), f"compare.map.key.{words[1]}"),
        (_line(_bar(_colour(1.0, change), 3)), "compare.map.key.same"),
        (_line(_bar(NEW, 6)), "compare.map.key.new"),
        (_line(*[_bar(VANISHED, 2, 6)] * 3), "compare.map.key.gone"),
    ]
    rows = [_key_title(f"compare.map.key.paths.{change}", language)]
    rows += [f"<TR>{mark}{_key_text(key, language)}</TR>" for mark, key in paths]
    rows.append(_key_title("compare.map.key.steps", language))
    for ratio, key in ((2.0, "compare.map.key.steps_more"), (0.5, "compare.map.key.steps_fewer")):
        fill = _colour(ratio, "frequency", light=True)
        swatch = f'<TD><TABLE BORDER="0" CELLPADDING="0"><TR>{_bar(fill, 12)}</TR></TABLE></TD>'
        rows.append(f"<TR>{swatch}{_key_text(key, language)}</TR>")
    table = '<TABLE BORDER="1" COLOR="#cccccc" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">'
    return f"{table}{''.join(rows)}</TABLE>"


def _line(*bars: str) -> str:
    """A cell showing a path's line: its `bars` side by side (one solid, three dashed)."""
    inner = f'<TABLE BORDER="0" CELLSPACING="3" CELLPADDING="0"><TR>{"".join(bars)}</TR></TABLE>'
    return f"<TD>{inner}</TD>"


def _bar(colour: str, height: int, width: int = 30) -> str:
    """A cell drawn as a stretch of line, `height` points thick."""
    return f'<TD WIDTH="{width}" HEIGHT="{height}" FIXEDSIZE="TRUE" BGCOLOR="{colour}"></TD>'


def _key_title(key: str, language: Language) -> str:
    return f'<TR><TD COLSPAN="2" ALIGN="LEFT"><B>{html.escape(say(key, language))}</B></TD></TR>'


def _key_text(key: str, language: Language) -> str:
    return f'<TD ALIGN="LEFT">{html.escape(say(key, language))}</TD>'


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
