"""The journey map: stages across the top; lanes for touchpoints, departments, channels,
other organisations and drop-off; the emotion line with its 95% band beneath. Drawn from a
`JourneyLens`; nothing is computed here."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from discovery.lens.journey import JourneyLens
from discovery.viz.lens_charts import BAND, LINE, scale_name
from discovery.words import (
    Count,
    Duration,
    Language,
    Number,
    format_count,
    format_share,
    plotly_separators,
    say,
)

LANE_COLOURS = ("#eef3fb", "#f4f8ee", "#fbf4ea", "#f3eefa", "#fbeeee")


def journey_map_figure(
    lens: JourneyLens, language: Language = "en", max_items: int = 4
) -> go.Figure:
    """The journey map of `lens`; each lane cell lists at most `max_items` names."""
    stages = lens.stages
    x = list(range(len(stages)))
    lanes = _lanes(lens, language, max_items)
    figure = make_subplots(
        rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32], vertical_spacing=0.04
    )
    for lane, (name, cells) in enumerate(lanes):
        y = len(lanes) - lane
        for column in range(len(cells)):
            figure.add_shape(
                type="rect", x0=column - 0.48, x1=column + 0.48, y0=y - 0.46, y1=y + 0.46,
                fillcolor=LANE_COLOURS[lane % len(LANE_COLOURS)], line={"width": 0},
                layer="below", row=1, col=1,
            )  # fmt: skip
        figure.add_trace(
            go.Scatter(
                x=x, y=[y] * len(x), text=cells, mode="text", name=name, showlegend=False,
                textfont={"size": 11}, hoverinfo="skip",
            ),
            row=1, col=1,
        )  # fmt: skip
    header = [_header(row, language) for row in stages.itertuples()]
    top = len(lanes) + 1
    figure.add_trace(
        go.Scatter(
            x=x, y=[top] * len(x), text=header, mode="text", showlegend=False,
            textfont={"size": 12}, hoverinfo="skip",
        ),
        row=1, col=1,
    )  # fmt: skip
    figure.update_yaxes(
        tickvals=list(range(1, top + 1)),
        ticktext=[name for name, _ in reversed(lanes)] + [say("lens.map.stage", language)],
        range=[0.45, top + 0.6],
        showgrid=False,
        zeroline=False,
        row=1,
        col=1,
    )
    _emotion(figure, lens, x, language)
    figure.update_xaxes(
        showticklabels=False, showgrid=False, zeroline=False, range=[-0.5, len(x) - 0.5]
    )
    figure.update_layout(
        separators=plotly_separators(language),
        height=190 + 95 * len(lanes) + 220,
        width=max(900, 190 * len(x)),
        margin={"l": 150, "r": 20, "t": 20, "b": 20},
        plot_bgcolor="white",
        paper_bgcolor="white",
        showlegend=False,
    )
    return figure


def _header(row: Any, language: Language) -> str:  # a row of itertuples
    parts = [f"<b>{row.stage}</b>", say("lens.map.cases", language, count=int(row.cases))]
    if row.time_median_s == row.time_median_s and row.time_median_s > 0:
        parts.append(say("lens.map.time", language, duration=Duration(row.time_median_s)))
    if row.wait_median_s == row.wait_median_s:
        parts.append(say("lens.map.wait", language, duration=Duration(row.wait_median_s)))
    return "<br>".join(parts)


def _listed(names: tuple[object, ...], max_items: int, language: Language) -> str:
    shown = [str(n) for n in names[:max_items]]
    if len(names) > max_items:
        shown.append(say("lens.map.more", language, count=len(names) - max_items))
    return "<br>".join(shown)


def _lanes(lens: JourneyLens, language: Language, max_items: int) -> list[tuple[str, list[str]]]:
    stages = lens.stages
    lanes = [
        (say(f"lens.map.{kind}", language), [_listed(v, max_items, language) for v in stages[kind]])
        for kind in ("touchpoints", "departments", "channels")
    ]
    if not lens.external.empty:
        by_stage = lens.touchpoints[lens.touchpoints["external"]].groupby("stage")
        named = by_stage.apply(
            lambda t: tuple(f"{a} ({o})" if isinstance(o, str) else a
                            for a, o in zip(t["activity"], t["organisation"], strict=True)),
            include_groups=False,
        )  # fmt: skip
        cells = [_listed(named.get(s, ()), max_items, language) for s in stages["stage"]]
        lanes.append((say("lens.map.external", language), cells))
    dropoff = lens.dropoff.by_stage.set_index("stage")
    cells = []
    for stage in stages["stage"]:
        abandoned = int(dropoff["abandoned"].get(stage, 0))
        rate = dropoff["drop_rate"].get(stage, 0.0)
        cells.append(
            f"{format_count(abandoned, language)} ({format_share(rate, language)})"
            if abandoned
            else "–"
        )
    lanes.append((say("lens.map.dropoff", language), cells))
    return lanes


def _emotion(figure: go.Figure, lens: JourneyLens, x: list[int], language: Language) -> None:
    emotion = lens.emotion
    title = say("lens.map.emotion", language)
    if emotion.scale is None:
        figure.add_annotation(
            text=say("lens.map.no_emotion", language), x=0.5, y=0.5, xref="x2 domain",
            yref="y2 domain", showarrow=False, font={"color": "#666"},
        )  # fmt: skip
        figure.update_yaxes(title_text=title, showticklabels=False, row=2, col=1)
        return
    curve = emotion.by_stage.set_index("stage").reindex(lens.stages["stage"])
    curve["x"] = x
    points = curve[curve["mean"].notna()]
    banded = points[points["ci_low"].notna()]
    figure.add_trace(
        go.Scatter(
            x=banded["x"], y=banded["ci_high"], mode="lines", line={"width": 0},
            hoverinfo="skip",
        ),
        row=2, col=1,
    )  # fmt: skip
    figure.add_trace(
        go.Scatter(
            x=banded["x"], y=banded["ci_low"], mode="lines", line={"width": 0}, fill="tonexty",
            fillcolor=BAND, name=say("lens.band", language), hoverinfo="skip",
        ),
        row=2, col=1,
    )  # fmt: skip

    hover = [
        say(
            "lens.map.hover.band" if row.ci_low == row.ci_low else "lens.map.hover",
            language,
            stage=stage,
            mean=Number(row.mean, 2),
            low=Number(row.ci_low, 2),
            high=Number(row.ci_high, 2),
            signals=Count(int(row.signals)),
        )
        for stage, row in zip(points.index, points.itertuples(), strict=True)
    ]
    scale = scale_name(emotion.scale, language)
    figure.add_trace(
        go.Scatter(
            x=points["x"], y=points["mean"], mode="lines+markers",
            line={"color": LINE, "width": 3}, marker={"size": 9},
            name=scale, text=hover, hoverinfo="text",
        ),
        row=2, col=1,
    )  # fmt: skip
    figure.update_yaxes(title_text=f"{title}<br>({scale})", row=2, col=1)
