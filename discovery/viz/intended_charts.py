"""Charts of a conformance check: the share of conforming cases month by month. Drawn from
the result in a language; nothing is computed here but the percent shown.

>>> figure = conformance_trend_figure(check_conformance(log, journey), "nl")  # doctest: +SKIP
"""

from __future__ import annotations

import plotly.express as px
import plotly.graph_objects as go

from discovery.intended.conformance import Conformance
from discovery.words import Language, plotly_separators, say

__all__ = ["conformance_trend_figure"]


def conformance_trend_figure(conformance: Conformance, language: Language = "en") -> go.Figure:
    """The percentage of the cases started in each month (the log's time zone) that follow
    the intended journey."""
    months = conformance.over_time()
    figure = px.line(
        months.assign(rate=months["rate"] * 100),
        x="month",
        y="rate",
        markers=True,
        labels={
            "month": say("overview.month", language),
            "rate": say("intended.rate_percent", language),
        },
    )
    return figure.update_layout(separators=plotly_separators(language))
