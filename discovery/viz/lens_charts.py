"""The journey lens's charts: the drop-off funnel and the emotion curve per touchpoint.
Drawn from the lens's results in a language; nothing is computed here.

>>> figure = funnel_figure(lens.dropoff, "stage", "nl")  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Literal

import plotly.graph_objects as go

from discovery.lens.dropoff import NO_STAGE, DropOff
from discovery.lens.emotion import EmotionCurve, Scale
from discovery.words import Language, plotly_separators, say

__all__ = ["emotion_figure", "funnel_figure", "scale_name"]

GONE_ON, OPEN, ABANDONED = "#9bbce0", "#f2c14e", "#d9534f"
LINE, BAND = "#2f6db5", "rgba(47, 109, 181, 0.18)"


def scale_name(scale: Scale, language: Language = "en") -> str:
    """What an emotion curve's mean measures, in words.

    >>> scale_name("share without complaint", "nl")
    'aandeel zonder klacht'
    """
    return say(f"lens.scale.{scale.replace(' ', '_')}", language)


def funnel_figure(
    dropoff: DropOff, by: Literal["step", "stage"] = "step", language: Language = "en"
) -> go.Figure:
    """Reached cases per step (or stage), split into those that went on, are still open
    there, and abandoned there; steps in journey order."""
    rows = dropoff.by_step if by == "step" else dropoff.by_stage
    names = rows[by].astype(str).replace({NO_STAGE: say("lens.no_stage", language)})
    parts = (
        (rows["reached"] - rows["abandoned"] - rows["open"], "went_on", GONE_ON),
        (rows["open"], "open", OPEN),
        (rows["abandoned"], "abandoned", ABANDONED),
    )
    figure = go.Figure(
        [
            go.Funnel(
                y=names, x=values, name=say(f"lens.outcome.{outcome}", language),
                marker={"color": colour}, textinfo="value", textposition="inside",
            )
            for values, outcome, colour in parts
        ]
    )  # fmt: skip
    figure.update_layout(
        separators=plotly_separators(language),
        height=120 + 34 * len(rows),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.06},
        funnelmode="stack",
        uniformtext={"minsize": 10, "mode": "hide"},  # no number on a sliver too thin for it
    )
    return figure


def emotion_figure(emotion: EmotionCurve, language: Language = "en") -> go.Figure:
    """The mean signal per touchpoint (journey order) with its 95% band; an empty figure
    where the log has neither scores nor complaints."""
    points = emotion.by_touchpoint
    figure = go.Figure()
    figure.update_layout(
        separators=plotly_separators(language),
        height=380,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": 1.1},
    )
    if emotion.scale is None:
        return figure
    scale = scale_name(emotion.scale, language)
    points = points[points["mean"].notna()]
    banded = points[points["ci_low"].notna()]
    figure.add_traces(
        [
            go.Scatter(
                x=banded["activity"], y=banded["ci_high"], mode="lines", line={"width": 0},
                hoverinfo="skip", showlegend=False,
            ),
            go.Scatter(
                x=banded["activity"], y=banded["ci_low"], mode="lines", line={"width": 0},
                fill="tonexty", fillcolor=BAND, name=say("lens.band", language),
                hoverinfo="skip",
            ),
            go.Scatter(
                x=points["activity"], y=points["mean"], mode="lines+markers",
                line={"color": LINE, "width": 3}, name=scale,
                customdata=points[["signals"]],
                hovertemplate="%{x}: %{y:.2f} (n = %{customdata[0]:,.0f})<extra></extra>",
            ),
        ]
    )  # fmt: skip
    figure.update_layout(yaxis_title=scale)
    return figure
