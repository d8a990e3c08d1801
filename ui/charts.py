"""Graphs laid out where it is fastest: on the server with Graphviz, else in the browser."""

from __future__ import annotations

import streamlit as st

from discovery import dot_to_svg

FIT = '<svg style="max-width:100%;height:auto"'  # shrink to the column, keep the proportions


def draw_graph(container, dot: str) -> str | None:
    """A Graphviz graph in `container` (`st` or a column): laid out on the server where
    Graphviz is installed, so the browser only paints it (faster than the browser laying it
    out: benchmarks/bench_app_browser.py compares both), else by the browser. Graphviz
    escapes the names in the SVG, so it is safe to show as HTML. Returns the SVG drawn (None
    where the browser laid it out), for a download without looking it up again."""
    svg = laid_out(dot)
    if svg is None:
        container.graphviz_chart(dot, width="content")
    else:
        container.markdown(
            f'<div class="graph">{svg.replace("<svg", FIT, 1)}</div>', unsafe_allow_html=True
        )
    return svg


@st.cache_resource(show_spinner=False, max_entries=64)
def laid_out(dot: str) -> str | None:
    """The graph as SVG, laid out by Graphviz (None without Graphviz); cached per graph.
    A resource rather than data: the text is immutable, so a hit hands back the same string
    instead of unpickling a copy of it on every rerun."""
    return dot_to_svg(dot)
