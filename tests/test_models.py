import xml.etree.ElementTree as ET

import pytest

from discovery.maps import discover_map
from discovery.models import discover_model
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
