"""Charts in the chosen language's number format, and graphs laid out where it is fastest."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from discovery import Language, dot_to_svg, words

FIT = '<svg style="max-width:100%;height:auto"'  # shrink to the column, keep the proportions


def localised(figure: go.Figure, language: Language) -> go.Figure:
    """The figure with the language's decimal and thousands marks (1.234,5 in Dutch)."""
    return figure.update_layout(separators=words.plotly_separators(language))


def draw_graph(container, dot: str) -> None:
    """A Graphviz graph in `container` (`st` or a column): laid out on the server where
    Graphviz is installed, so the browser only paints it (faster than the browser laying it
    out: benchmarks/bench_app_browser.py compares both), else by the browser. Graphviz
    escapes the names in the SVG, so it is safe to show as HTML."""
    svg = laid_out(dot)
    if svg is None:
        container.graphviz_chart(dot, width="content")
    else:
        container.markdown(
            f'<div class="graph">{svg.replace("<svg", FIT, 1)}</div>', unsafe_allow_html=True
        )


@st.cache_data(show_spinner=False, max_entries=64)
def laid_out(dot: str) -> str | None:
    """The graph as SVG, laid out by Graphviz (None without Graphviz); cached per graph."""
    return dot_to_svg(dot)
