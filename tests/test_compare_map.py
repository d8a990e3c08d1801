"""The difference map (discovery.viz.difference_map): one graph of both logs, new and
vanished paths marked, changes coloured."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from discovery import EventLog
from discovery.compare.logs import compare_logs, compare_periods
from discovery.viz.difference_map import difference_dot
from discovery.viz.dot import dot_to_svg
from tests.test_compare import TRUTH, improved_log, tiny_log

# a: Start → End in every case; b: Start → Check → End, the direct path gone
A_ROWS = [(f"a{i}", f"2025-01-0{5 + i}", [("Start", 0), ("End", i)]) for i in range(1, 5)]
B_ROWS = [(f"b{i}", f"2025-02-0{2 + i}", [("Start", 0), ("Check", 1), ("End", 2)])
          for i in range(1, 5)]  # fmt: skip


def edge_line(dot: str, source: str, target: str) -> str:
    found = [line for line in dot.splitlines() if f'"{source}" -> "{target}"' in line]
    assert len(found) == 1, dot
    return found[0]


def test_new_and_vanished_paths_are_marked() -> None:
    comparison = compare_logs(tiny_log(A_ROWS), tiny_log(B_ROWS), min_cases=1)
    edges = comparison.edges.set_index(["source", "target"])
    assert edges.loc[("Start", "End"), "status"] == "vanished"
    assert edges.loc[("Start", "Check"), "status"] == "new"
    assert edges.loc[("Start", "Check"), ["frequency_a", "frequency_b"]].tolist() == [0, 4]
    dot = difference_dot(comparison, "frequency", "en")
    assert 'label="gone: 4 → 0"' in edge_line(dot, "Start", "End")
    assert "style=dashed" in edge_line(dot, "Start", "End")
    assert 'label="new: 0 → 4"' in edge_line(dot, "Start", "Check")
    assert "style=bold" in edge_line(dot, "Check", "End")
    nl = difference_dot(comparison, "frequency", "nl")
    assert 'label="verdwenen: 4 → 0"' in edge_line(nl, "Start", "End")
    assert '"Check" [label="Check\\n0 → 4"' in dot


def test_the_halved_wait_is_green_and_unchanged_paths_grey(improved) -> None:
    planted = TRUTH["improvement"]
    comparison = compare_periods(improved, pd.Timestamp(planted["cases_arriving_from"]))
    dot = difference_dot(comparison, "wait", "en")
    source, target = planted["bottleneck"]
    line = edge_line(dot, source, target)
    assert "days → " in line
    red, green, blue = (int(h, 16) for h in re.search(r'color="#(..)(..)(..)"', line).groups())
    assert green > red and green > blue  # shorter: green, fully at half
    steady = edge_line(dot, "Aanmelding SEH", "Triage")  # 15 → 16 minutes
    assert 'color="#888888"' in steady
    svg = dot_to_svg(dot)
    if svg is not None:  # Graphviz installed: it lays the graph out
        assert svg.startswith("<svg") and target in svg


@pytest.fixture(scope="module")
def improved() -> EventLog:
    return improved_log()
