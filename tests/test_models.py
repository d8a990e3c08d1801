import xml.etree.ElementTree as ET

import pytest

from discovery.mining.maps import discover_map
from discovery.mining.models import discover_model
from discovery.viz.dot import map_dot
from tests.handworked import handworked_log


@pytest.fixture(scope="module")
def log():
    return handworked_log()


@pytest.mark.parametrize("miner", ["inductive", "heuristics"])
def test_miners_cover_the_activities_and_export(log, miner):
    model = discover_model(log, miner, noise=0.0)
    assert model.activities == {"Intake", "Check", "Decide"}
    assert model.initial and model.final
    bpmn = ET.fromstring(model.to_bpmn())
    tasks = {el.get("name") for el in bpmn.iter() if el.tag.endswith("task")}
    assert tasks == {"Intake", "Check", "Decide"}
    pnml = ET.fromstring(model.to_pnml())
    labels = {el.text for el in pnml.iter("text")}
    assert {"Intake", "Check", "Decide"} <= labels
    dot = model.to_dot()
    assert dot.startswith("digraph") and 'label="Intake"' in dot


def test_map_as_dot_with_frequencies_and_times(log):
    process_map = discover_map(log)
    frequency = map_dot(process_map)
    assert '"Intake" -> "Check" [label="2"' in frequency
    assert '"__start__" -> "Intake" [label="3"' in frequency
    performance = map_dot(process_map, "performance", "nl")
    assert '"Check" -> "Check" [label="1,5 uur"' in performance
    assert 'label="Intake\\n1 uur"' in performance


def test_dot_counts_in_dutch_have_a_dutch_thousands_mark():
    import pandas as pd

    from discovery.mining.maps import ProcessMap

    nodes = pd.DataFrame({"name": ["A"], "events": [12345], "service_median_s": [float("nan")]})
    edges = pd.DataFrame({"source": ["A"], "target": ["A"], "frequency": [2345]})
    ends = pd.DataFrame({"name": ["A"], "cases": [1000]})
    dot = map_dot(ProcessMap("activity", nodes, edges, ends, ends), language="nl")
    assert 'label="A\\n12.345"' in dot and 'label="2.345"' in dot and 'label="1.000"' in dot


def test_dot_laid_out_as_svg_with_hostile_names_escaped(log, monkeypatch):
    import shutil

    from discovery.viz.dot import dot_to_svg

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed (python3 dev.py test installs it)")
    hostile = log.with_events(
        log.events.assign(
            activity=log.events["activity"]
            .astype("str")
            .replace("Check", '<img src=x onerror="alert(1)">')
        )
    )
    svg = dot_to_svg(map_dot(discover_map(hostile)))
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg.count('class="node"') == 5  # three activities, start and end
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in svg and "<img" not in svg
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert dot_to_svg("digraph { a -> b }") is None  # no Graphviz: the caller falls back
    monkeypatch.undo()
    assert dot_to_svg("digraph { a -> ") is None  # a graph Graphviz cannot read
