"""The journey page with Streamlit's AppTest: the segments that stand out come first, in
English and Dutch, found without choosing an attribute.

The app opens on the sample log hospital.xlsx (1,500 cases), whose planted slow segment is
leeftijdsgroep = 75+ before Opname verpleegafdeling (ground_truth.json).
"""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from ui.state import Upload

ROOT = Path(__file__).resolve().parents[1]
TRUTH = json.loads((ROOT / "sample_logs" / "ground_truth.json").read_text())["journeys"]


@pytest.fixture
def app(monkeypatch):
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is missing: run the tests with `python3 dev.py test`.")
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    return at.run()


def open_journey(at):
    at.switch_page("app_pages/journey.py").run()
    assert not at.exception, at.exception
    assert not at.error, [error.value for error in at.error]
    return at


def texts(at):
    elements = [*at.markdown, *at.caption, *at.info, *at.warning, *at.success]
    return "\n".join(str(element.value) for element in elements)


def standout_bullets(at) -> list[str]:
    """The bullets of the page's first list (the segments that stand out)."""
    first = next(m.value for m in at.markdown if m.value.startswith("- "))
    return [line.removeprefix("- ") for line in first.splitlines()]


def upload(at, rows: list[str], name: str) -> None:
    data = "\n".join(rows).encode()
    at.session_state["app.upload"] = Upload(data, name, None, (), f"test-{name}")
    at.session_state["app.source"] = "upload"
    at.run()


def test_the_planted_slow_segment_opens_the_page_in_english_and_dutch(app):
    slow = TRUTH["hospital"]["slow_segment"]
    open_journey(app)
    headers = [header.value for header in app.header]
    assert headers[0] == "Segments that stand out"
    assert headers.index("Segments that stand out") < headers.index("Journey map")
    assert standout_bullets(app) == [
        f"Cases with {slow['attribute']} {slow['value']} wait 1.9× longer before {slow['step']}: "
        "a median of 3.8 hours, against 2 hours for the other cases."
    ]
    assert "Every case attribute with 2 to 12 segments (leeftijdsgroep) was tested" in texts(app)
    assert "160 tests" in texts(app)
    # no attribute had to be chosen for it: the comparison below still waits for one
    assert app.selectbox(key="journey.segment_attribute.en").value == ""
    app.sidebar.radio(key="app.language").set_value("nl").run()
    assert not app.exception, app.exception
    assert app.header[0].value == "Opvallende segmenten"
    assert standout_bullets(app) == [
        f"Zaken met {slow['attribute']} {slow['value']} wachten 1,9× zo lang voor "
        f"{slow['step']}: mediaan 3,8 uur, tegen 2 uur bij de andere zaken."
    ]
    assert "160 toetsen, samen gecorrigeerd met de methode van Holm" in texts(app)


def test_random_attributes_make_no_segment_stand_out(app):
    rng = np.random.default_rng(5)
    rows = ["case,activity,time,region"]
    for case in range(80):
        region = rng.choice(["north", "south"])
        hours = rng.integers(1, 9, 2)
        rows += [
            f"{case},Intake,2024-03-04 08:00,{region}",
            f"{case},Check,2024-03-04 {8 + hours[0]:02d}:00,{region}",
            f"{case},Decide,2024-03-05 {8 + hours[1]:02d}:00,{region}",
        ]
    upload(app, rows, "regions.csv")
    open_journey(app)
    assert app.header[0].value == "Segments that stand out"
    message = app.success[0].value
    assert message.startswith("No segment stands out: no difference is both significant")
    assert message.endswith("tests over region).")


def test_a_log_without_attributes_says_there_is_nothing_to_compare(app):
    rows = ["case,activity,time"] + [
        f"{case},{activity},2024-03-0{day} 1{hour}:00"
        for case in range(1, 6)
        for hour, (day, activity) in enumerate([(4, "Intake"), (5, "Check"), (6, "Decide")])
    ]
    upload(app, rows, "plain.csv")
    open_journey(app)
    assert app.header[0].value == "Segments that stand out"
    assert app.caption[0].value.startswith("No case attribute with 2 to 12 segments")
