"""Charts of a process month by month (`discovery.compare.monitor`): one figure per kind,
with the intended journey's norm lines, the user's threshold line and the months over it
marked. Drawn from the result in a language; nothing is computed here but the units shown
(percent, days).

>>> figure = monitor_figure(monitor, "wait", Thresholds(max_wait_days=2), "nl")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from discovery.compare.monitor import DAY, Monitor, Thresholds
from discovery.words import Language, plotly_separators, say

__all__ = ["MONITOR_FIGURES", "MonitorFigure", "monitor_figure"]

MonitorFigure = Literal["conformance", "wait", "handoffs", "drop_off"]
MONITOR_FIGURES: tuple[MonitorFigure, ...] = ("conformance", "wait", "handoffs", "drop_off")
COLOURS = ("#2f6db5", "#e07b39", "#3a9a5b", "#8e5ea2", "#c44e52", "#7f7f7f")
BREACH, THRESHOLD = "#d9534f", "#d9534f"


def monitor_figure(
    monitor: Monitor,
    figure: MonitorFigure,
    thresholds: Thresholds | None = None,
    language: Language = "en",
) -> go.Figure:
    """One figure of the monitor by month: conformance (%), the median waits (days, one
    line per place watched, each with its norm as a dashed line), handoffs per case, or
    drop-off (%). A threshold given is a red dotted line; a month over it a red cross."""
    thresholds = thresholds or Thresholds()
    breaches = monitor.breaches(thresholds)
    breaches = breaches[breaches["figure"] == figure]
    drawn = go.Figure()
    drawn.update_layout(
        separators=plotly_separators(language),
        height=360,
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
        legend={"orientation": "h", "y": -0.2},
        title=say(f"monitor.chart.title.{figure}", language),
        xaxis_title=say("monitor.chart.month", language),
        yaxis_title=say(f"monitor.chart.axis.{figure}", language),
    )
    drawn.update_xaxes(type="category")
    drawn.update_yaxes(rangemode="tozero")  # a month's change drawn to scale, not magnified
    if figure == "wait":
        _waits(drawn, monitor, language)
        limit = thresholds.max_wait_days
        marked = pd.DataFrame({"month": breaches["month"], "y": breaches["value"] / DAY})
    else:
        scale = 1.0 if figure == "handoffs" else 100.0
        months = monitor.months
        drawn.add_trace(
            go.Scatter(
                x=months["month"], y=months[figure] * scale, mode="lines+markers",
                line={"color": COLOURS[0], "width": 3},
                name=say(f"monitor.figure.{figure}", language),
            )
        )  # fmt: skip
        limit = {
            "conformance": thresholds.min_conformance,
            "handoffs": thresholds.max_handoffs,
            "drop_off": thresholds.max_drop_off,
        }[figure]
        limit = None if limit is None else limit * scale
        marked = pd.DataFrame({"month": breaches["month"], "y": breaches["value"] * scale})
    if limit is not None:
        drawn.add_hline(
            y=limit, line={"color": THRESHOLD, "dash": "dot", "width": 2},
            annotation_text=say("monitor.chart.threshold", language),
            annotation_position="top left",
        )  # fmt: skip
    if len(marked):
        drawn.add_trace(
            go.Scatter(
                x=marked["month"], y=marked["y"], mode="markers",
                marker={"symbol": "x", "size": 14, "color": BREACH, "line": {"width": 1}},
                name=say("monitor.chart.breach", language),
            )
        )  # fmt: skip
    return drawn


def _waits(drawn: go.Figure, monitor: Monitor, language: Language) -> None:
    """A line per place watched and, where the journey gives one, its norm dashed."""
    months = monitor.months["month"]
    for i, place in enumerate(monitor.places):
        colour = COLOURS[i % len(COLOURS)]
        waits = monitor.waits[monitor.waits["place"] == place]
        drawn.add_trace(
            go.Scatter(
                x=waits["month"], y=waits["wait_median_s"] / DAY, mode="lines+markers",
                line={"color": colour, "width": 3}, name=place,
            )
        )  # fmt: skip
        norm = monitor.norm_of(place)
        if norm is not None:
            drawn.add_trace(
                go.Scatter(
                    x=months, y=[norm / DAY] * len(months), mode="lines",
                    line={"color": colour, "dash": "dash", "width": 1.5},
                    name=say("monitor.chart.norm", language, place=place),
                )
            )  # fmt: skip
