"""One case's trail as a timeline: a swimlane per department, its steps as bars, the waits
between them as dotted links, deviations from the intended journey marked."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from discovery.mining.cases import CaseTrail
from discovery.mining.findings import DEVIATION_NAMES
from discovery.words import (
    Count,
    Duration,
    Language,
    format_duration,
    message,
    plotly_separators,
    say,
)

_COLOURS = {"step": "#4c78a8", "rework": "#f58518", "deviation": "#d62728", "wait": "#9d9d9d"}
_LABELLED_WAITS = 10
_HALF_DAY_MS = 43_200_000
_LABELLED_WAIT_SHARE = 0.03  # waits shorter than this share of the case are not labelled
_NARROW_SHARE = 0.01  # steps shorter than this share of the case are drawn as points


def case_timeline_figure(trail: CaseTrail, language: Language = "en") -> go.Figure:
    """The case's steps on a time axis (the log's time zone), one lane per department (per
    activity where the log has no departments); the longest waits are labelled."""
    events = trail.events
    by_department = bool(trail.departments)
    lane = events["department"] if by_department else events["activity"]
    begin = _local(events["begin"], trail.timezone)
    end = _local(events["end"], trail.timezone)
    named = [_deviations(kinds, language) for kinds in trail.deviations or [()] * len(events)]
    deviations = pd.Series(named, index=events.index, dtype=object)
    kind = pd.Series("step", index=events.index)
    kind[events["rework"]] = "rework"
    kind[deviations != ""] = "deviation"
    hover = _hover(events, begin, end, deviations, language)
    lanes = list(dict.fromkeys(lane))
    # steps too short to see as a bar at this scale (or without a duration) become points
    span = max(trail.throughput_s, 1.0)
    narrow = (end - begin).dt.total_seconds() < span * _NARROW_SHARE

    figure = go.Figure()
    _add_waits(figure, events, lane, lanes, begin, end, span, language)
    for name in ("step", "rework", "deviation"):
        chosen = kind == name
        if not chosen.any():
            continue
        milliseconds = (end - begin)[chosen].dt.total_seconds() * 1000
        figure.add_bar(
            name=say(f"timeline.{name}", language),
            orientation="h",
            base=begin[chosen],
            x=milliseconds,
            y=lane[chosen],
            text=events["activity"][chosen],
            textposition="inside",
            insidetextanchor="middle",
            hovertext=hover[chosen],
            hoverinfo="text",
            marker={
                "color": _COLOURS[name],
                "line": {"color": "#7f0000", "width": 2 if name == "deviation" else 0},
            },
        )
        points = chosen & narrow
        if points.any():
            figure.add_scatter(
                x=begin[points] + (end - begin)[points] / 2,
                y=lane[points],
                mode="markers+text",
                marker={
                    "symbol": "diamond",
                    "size": 12,
                    "color": _COLOURS[name],
                    "line": {"color": "#7f0000", "width": 2 if name == "deviation" else 0},
                },
                text=events["step"][points].astype(str),
                textposition="top center",
                textfont={"color": "#222", "size": 11},
                hovertext=hover[points],
                hoverinfo="text",
                showlegend=False,
            )
    title = say(
        "timeline.title",
        language,
        case_id=trail.case_id,
        steps=message("timeline.steps", count=Count(trail.n_events)),
        throughput=Duration(trail.throughput_s),
        waiting=Duration(trail.waiting_s),
        handoffs=message("timeline.handoffs", count=Count(trail.handoffs)),
    )
    if trail.skipped:
        skipped = say("timeline.skipped", language, steps=", ".join(trail.skipped))
        title += f"<br><sup>{skipped}</sup>"
    figure.update_layout(
        separators=plotly_separators(language),
        title=title,
        barmode="overlay",
        uniformtext={"minsize": 9, "mode": "hide"},  # names that do not fit their bar: hover
        xaxis={
            "type": "date",
            "title": say("timeline.time", language, timezone=trail.timezone),
            # numeric dates, as the app writes them, in either language
            "tickformatstops": [
                {"dtickrange": [None, _HALF_DAY_MS], "value": "%H:%M\n%d-%m-%Y"},
                {"dtickrange": [_HALF_DAY_MS, None], "value": "%d-%m-%Y"},
            ],
        },
        yaxis={
            "title": say(
                f"timeline.lane.{'department' if by_department else 'activity'}", language
            ),
            "type": "category",
            "categoryorder": "array",
            "categoryarray": lanes,
            "autorange": "reversed",
        },
        height=max(260, 90 * len(lanes) + 160),
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
        margin={"l": 10, "r": 10, "t": 80, "b": 10},
    )
    return figure


def _deviations(kinds: tuple[str, ...], language: Language) -> str:
    """The names of the deviations marked on one event: "extra step; repeated step"."""
    return "; ".join(say(DEVIATION_NAMES[kind], language) for kind in kinds)


def _local(moments: pd.Series, timezone: str) -> pd.Series:
    """UTC moments as wall-clock times in the log's zone (Plotly draws naive times as given)."""
    return moments.dt.tz_convert(timezone).dt.tz_localize(None)


def _hover(
    events: pd.DataFrame,
    begin: pd.Series,
    end: pd.Series,
    deviations: pd.Series,
    language: Language,
) -> pd.Series:
    lines = "<b>" + events["activity"] + "</b><br>" + begin.dt.strftime("%d-%m-%Y %H:%M")
    lines = lines + " – " + end.dt.strftime("%d-%m-%Y %H:%M")
    if events["department"].notna().all():
        lines = lines + "<br>" + events["department"]
    if events["resource"].notna().all():
        lines = lines + events["resource"].map(
            lambda name: "<br>" + say("timeline.hover.resource", language, resource=name)
        )

    def line(key: str, **params: object) -> str:
        return "<br>" + say(f"timeline.hover.{key}", language, **params)

    service = events["service_s"].map(
        lambda s: "" if pd.isna(s) else line("service", duration=Duration(s))
    )
    wait = events["wait_before_s"].map(
        lambda s: line("wait", duration=Duration(s)) if s > 0 else ""
    )
    marked = deviations.map(lambda named: line("deviation", deviations=named) if named else "")
    return lines + service + wait + marked


def _add_waits(
    figure: go.Figure,
    events: pd.DataFrame,
    lane: pd.Series,
    lanes: list[str],
    begin: pd.Series,
    end: pd.Series,
    span: float,
    language: Language,
) -> None:
    """Dotted links from each step's end to the next step's begin; the longest waits named
    halfway along their link."""
    if len(events) < 2:
        return
    gaps = len(events) - 1
    x = np.column_stack([end.iloc[:-1], begin.iloc[1:], [None] * gaps]).ravel()
    y = np.column_stack([lane.iloc[:-1], lane.iloc[1:], [None] * gaps]).ravel()
    row = lane.map(lanes.index)  # a lane's position on the axis
    figure.add_scatter(
        x=x,
        y=y,
        mode="lines",
        name=say("timeline.wait", language),
        line={"color": _COLOURS["wait"], "dash": "dot", "width": 2},
        hoverinfo="skip",
    )
    waits = events["wait_before_s"].iloc[1:]
    shown = waits[waits >= span * _LABELLED_WAIT_SHARE].nlargest(_LABELLED_WAITS)
    for index in shown.index:
        position = events.index.get_loc(index)
        middle = end.iloc[position - 1] + (begin.iloc[position] - end.iloc[position - 1]) / 2
        figure.add_annotation(
            x=middle,
            y=(row.iloc[position - 1] + row.iloc[position]) / 2,
            text=format_duration(waits[index], language),
            showarrow=False,
            yshift=10,
            bgcolor="rgba(255,255,255,0.8)",
            font={"size": 11, "color": "#444"},
        )
