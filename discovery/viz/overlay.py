"""The intended journey as Graphviz DOT, alone or laid over the discovered map."""

from __future__ import annotations

from discovery.intended.comparison import END, START, JourneyComparison
from discovery.intended.model import IntendedJourney
from discovery.mining.findings import cases_message
from discovery.words import Duration, Language, format_count, say

_TAKEN, _NEVER, _EXTRA, _BREACH = "#2f5f9e", "#9a9a9a", "#d9822b", "#c0392b"


def journey_dot(journey: IntendedJourney, language: Language = "en") -> str:
    """The intended journey alone: steps with their department and wait norm, optional steps
    dashed, the goal in bold, and the transitions the design allows."""
    allowed = journey.behaviour()
    lines = _header("intended_journey")
    for step in journey.steps:
        label = _escape(step.activity)
        if step.department:
            label += f"\\n({_escape(step.department)})"
        if step.max_wait_hours is not None:
            label += f"\\n{_escape(_max_wait(step.max_wait_hours, language))}"
        style = (
            "rounded,filled" + (",dashed" if step.optional else "") + (",bold" if step.goal else "")
        )
        lines.append(
            f'  "{_escape(step.activity)}" [label="{label}", style="{style}", '
            f'fillcolor="#e8f0fe"{", penwidth=2.5" if step.goal else ""}];'
        )
    edges = sorted(
        allowed.edges | {(START, a) for a in allowed.starts} | {(a, END) for a in allowed.ends}
    )
    for source, target in edges:
        lines.append(f'  "{_escape(source)}" -> "{_escape(target)}" [color="{_TAKEN}"];')
    for norm in journey.norms:
        text = _escape(_max_wait(norm.max_hours, language))
        lines.append(
            f'  "{_escape(norm.source)}" -> "{_escape(norm.target)}" '
            f'[style=dotted, color="{_BREACH}", label="{text}", constraint=false];'
        )
    return "\n".join([*lines, "}"])


def overlay_dot(comparison: JourneyComparison, language: Language = "en") -> str:
    """Designed and discovered in one graph: transitions as designed and taken (blue, with
    how often), designed but never taken (grey, dashed), taken but not designed (orange, with
    how often); steps outside the design in orange, steps with waits over the norm outlined
    in red with the number of cases."""
    lines = _header("journey_overlay")
    most = max(int(comparison.edges["frequency"].max()), 1) if len(comparison.edges) else 1
    for row in comparison.nodes.itertuples():
        label = f"{_escape(row.name)}\\n{format_count(int(row.events), language)}"
        attributes = {"fillcolor": "#e8f0fe"}
        if row.status == "taken, not designed":
            attributes["fillcolor"] = "#fde7d2"
        elif row.status == "designed, never taken":
            attributes |= {"fillcolor": "#f2f2f2", "style": "rounded,filled,dashed"}
            label += f"\\n{_escape(say('overlay.never_taken', language))}"
        if row.norm_breaches:
            cases = cases_message(int(row.norm_breaches))
            label += f"\\n{_escape(say('overlay.over_norm', language, cases=cases))}"
            attributes |= {"color": _BREACH, "penwidth": "2.5"}
        extra = "".join(f', {key}="{value}"' for key, value in attributes.items())
        lines.append(f'  "{_escape(row.name)}" [label="{label}"{extra}];')
    for row in comparison.edges.itertuples():
        count = format_count(int(row.frequency), language)
        width = 1 + 4 * row.frequency / most
        if row.status == "designed and taken":
            style = f'color="{_TAKEN}", label="{count}", penwidth={width:.2f}'
        elif row.status == "designed, never taken":
            style = f'color="{_NEVER}", style=dashed, label="0"'
        else:
            style = f'color="{_EXTRA}", fontcolor="{_EXTRA}", label="{count}", penwidth={width:.2f}'
        lines.append(f'  "{_escape(row.source)}" -> "{_escape(row.target)}" [{style}];')
    return "\n".join([*lines, "}"])


def _max_wait(hours: float, language: Language) -> str:
    return say("overlay.max_wait", language, limit=Duration(hours * 3600))


def _header(name: str) -> list[str]:
    return [
        f"digraph {name} {{",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=10];',
        f'  "{START}" [shape=circle, label="", width=0.25, style=filled, fillcolor="#3b7d3b"];',
        f'  "{END}" [shape=doublecircle, label="", width=0.2, style=filled, fillcolor="#a33"];',
    ]


def _escape(text: str) -> str:
    return str(text).replace("\\", "\\\\").replace('"', '\\"')
