"""The monitor's charts (discovery.viz.monitor_charts): the figures by month, the journey's
norm lines, the threshold line and exactly the months over it marked; words in a language."""

from __future__ import annotations

import pytest

from discovery.compare.monitor import Thresholds
from discovery.viz.monitor_charts import MONITOR_FIGURES, monitor_figure
from discovery.words import PSEUDO, say
from tests.test_monitor import tiny_monitor

LIMITS = Thresholds(min_conformance=0.5, max_handoffs=1.5, max_wait_days=5 / 24, max_drop_off=0.2)


def traces(figure, name: str) -> list:
    return [t for t in figure.data if t.name == name]


def test_the_handoffs_chart_marks_exactly_the_month_over() -> None:
    figure = monitor_figure(tiny_monitor(), "handoffs", LIMITS)
    line = figure.data[0]
    assert list(line.x) == ["2025-01", "2025-02", "2025-03"]
    assert list(line.y) == pytest.approx([1.0, 2.0, 2 / 3])
    (marked,) = traces(figure, say("monitor.chart.breach"))
    assert list(marked.x) == ["2025-02"] and list(marked.y) == [2.0]
    (threshold,) = figure.layout.shapes
    assert threshold.y0 == threshold.y1 == 1.5


def test_the_wait_chart_has_a_norm_line_per_place_and_marks_in_days() -> None:
    figure = monitor_figure(tiny_monitor(), "wait", LIMITS)
    (end,) = traces(figure, "End")
    assert list(end.y) == pytest.approx([3 / 24, 7 / 24, 2 / 24])
    (norm,) = traces(figure, say("monitor.chart.norm", place="End"))
    assert list(norm.y) == pytest.approx([5 / 24] * 3)
    (marked,) = traces(figure, say("monitor.chart.breach"))
    assert list(marked.x) == ["2025-02", "2025-02"]  # End and Start → End
    assert sorted(marked.y) == pytest.approx([7 / 24, 8 / 24])


def test_percent_charts_and_no_marks_without_thresholds() -> None:
    monitor = tiny_monitor()
    conformance = monitor_figure(monitor, "conformance", LIMITS)
    assert list(conformance.data[0].y) == pytest.approx([100.0, 0.0, 200 / 3])
    assert [t.x for t in traces(conformance, say("monitor.chart.breach"))] == [("2025-02",)]
    drop = monitor_figure(monitor, "drop_off", LIMITS)
    assert list(traces(drop, say("monitor.chart.breach"))[0].x) == ["2025-03"]
    for kind in MONITOR_FIGURES:
        plain = monitor_figure(monitor, kind)
        assert not traces(plain, say("monitor.chart.breach")) and not plain.layout.shapes


@pytest.mark.parametrize("kind", MONITOR_FIGURES)
def test_every_word_of_a_chart_is_in_the_catalogue(kind) -> None:
    figure = monitor_figure(tiny_monitor(), kind, LIMITS, PSEUDO)
    layout = figure.layout
    texts = [layout.title.text, layout.xaxis.title.text, layout.yaxis.title.text]
    texts += [t.name for t in figure.data if t.name not in ("End", "Start → End")]
    texts += [a.text for a in figure.layout.annotations]
    assert all(text.startswith("⟦") for text in texts), texts
