"""Plotly charts in the chosen language's number format."""

from __future__ import annotations

import plotly.graph_objects as go

from discovery import Language, plotly_separators


def localised(figure: go.Figure, language: Language) -> go.Figure:
    """The figure with the language's decimal and thousands marks (1.234,5 in Dutch)."""
    return figure.update_layout(separators=plotly_separators(language))
