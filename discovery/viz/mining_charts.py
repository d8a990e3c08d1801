"""Charts of the mining results: the throughput trend, the variants' coverage, the handoff
matrix and the waiting per department. Drawn from the results in a language; nothing is
computed here but the units shown (days, percent).

>>> figure = variant_coverage_figure(discover_variants(log), "nl")  # doctest: +SKIP
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go

from discovery.mining.handoffs import HandoffReport
from discovery.mining.timing import Throughput
from discovery.mining.variants import VariantTable
from discovery.words import Language, plotly_separators, say

__all__ = [
    "department_waiting_figure",
    "handoff_matrix_figure",
    "throughput_trend_figure",
    "variant_coverage_figure",
]

DAY_S = 86_400


def throughput_trend_figure(throughput: Throughput, language: Language = "en") -> go.Figure:
    """The median throughput time in days of the cases started in each period."""
    trend = throughput.trend
    figure = px.line(
        trend.assign(days=trend["median_s"] / DAY_S),
        x="period",
        y="days",
        markers=True,
        labels={"period": say("overview.month", language), "days": say("overview.days", language)},
    )
    return figure.update_layout(separators=plotly_separators(language))


def variant_coverage_figure(variants: VariantTable, language: Language = "en") -> go.Figure:
    """The percentage of cases the most frequent variants cover together, variant by variant
    (the most frequent first)."""
    table = variants.variants
    coverage = say("variants.coverage", language)
    figure = px.line(
        table.assign(percent=table["cumulative_share"] * 100),
        x="variant",
        y="percent",
        markers=True,
        labels={"variant": say("col.variant", language), "percent": f"% {coverage}"},
    )
    return figure.update_layout(
        separators=plotly_separators(language), height=380, yaxis={"range": [0, 101]}
    )


def handoff_matrix_figure(report: HandoffReport, language: Language = "en") -> go.Figure:
    """Handoffs from each department (rows) to each (columns) as a heat map with the counts
    written in, the receiving departments along the top."""
    matrix = report.square_matrix()
    figure: go.Figure = px.imshow(  # the stubs type imshow as Any
        matrix,
        text_auto=True,
        color_continuous_scale="Blues",
        labels={
            "x": say("handoffs.to", language),
            "y": say("handoffs.from", language),
            "color": say("handoffs.count", language),
        },
    )
    figure.update_layout(
        separators=plotly_separators(language),
        height=min(900, 120 + 50 * len(matrix)),
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
    )
    figure.update_xaxes(side="top")
    return figure


def department_waiting_figure(report: HandoffReport, language: Language = "en") -> go.Figure:
    """Each department's share (in percent) of the time cases waited, as horizontal bars,
    the largest at the top."""
    waiting = report.waiting_by_department
    share = say("handoffs.share", language)
    figure = px.bar(
        waiting.assign(percent=waiting["share"] * 100),
        x="percent",
        y="department",
        orientation="h",
        labels={"percent": f"% {share}", "department": say("col.department", language)},
    )
    return figure.update_layout(
        separators=plotly_separators(language),
        yaxis={"categoryorder": "total ascending"},
        height=60 + 32 * len(waiting),
    )
