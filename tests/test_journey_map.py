"""The journey-map figure shows the lens's figures as they are."""

import pytest

from discovery.lens.journey import analyse_journey
from discovery.viz.journey_map import journey_map_figure
from tests.handworked import handworked_log
from tests.journey_log import STAGES, journey_log


@pytest.fixture(scope="module")
def lens():
    return analyse_journey(journey_log(), STAGES, goals=["Decide"], timeout_days=10, min_group=1)


def _text_trace(figure, y):
    return next(t for t in figure.data if t.mode == "text" and t.y[0] == y)


def test_stages_and_lanes(lens):
    figure = journey_map_figure(lens)
    header = _text_trace(figure, 6).text  # five lanes below the header row
    assert header[1] == "<b>Assess</b><br>3 cases<br>time in stage 1 day<br>wait before 1 day"
    assert header[0] == "<b>Apply</b><br>5 cases"  # no time in stage, no wait before it
    assert _text_trace(figure, 5).text == ("Apply", "Check<br>Visit", "Decide")
    assert _text_trace(figure, 4).text == ("Front", "Back<br>Field", "Back")
    assert _text_trace(figure, 3).text == ("web<br>app<br>phone", "phone<br>desk<br>web", "letter")
    assert _text_trace(figure, 2).text == ("", "Visit (Partner)", "")
    assert _text_trace(figure, 1).text == ("–", "1 (33%)", "–")
    labels = figure.layout.yaxis.ticktext
    assert labels == ("Drop-off", "Other organisations", "Channels", "Departments",
                      "Touchpoints", "Stage")  # fmt: skip


def test_emotion_line_and_band(lens):
    figure = journey_map_figure(lens, "nl")
    line = next(t for t in figure.data if t.mode == "lines+markers")
    assert list(line.x) == [1, 2] and list(line.y) == [2.0, 6.0]
    band = [t for t in figure.data if t.mode == "lines"]
    assert [list(t.y) for t in band] == [
        [pytest.approx(10.968275)],
        [pytest.approx(1.031725)],
    ]  # only Close has an interval (three scores)
    assert figure.layout.yaxis2.title.text == "Beleving<br>(gemiddelde score)"
    assert line.text == ("Assess: 2,00, n = 1", "Close: 6,00 (1,03–10,97), n = 3")


def test_lanes_and_header_in_dutch(lens):
    figure = journey_map_figure(lens, "nl")
    header = _text_trace(figure, 6).text
    assert header[1] == "<b>Assess</b><br>3 zaken<br>tijd in fase 1 dag<br>wacht vooraf 1 dag"
    assert _text_trace(figure, 1).text == ("–", "1 (33%)", "–")
    assert figure.layout.yaxis.ticktext == ("Uitval", "Andere organisaties", "Kanalen",
                                            "Afdelingen", "Contactmomenten", "Fase")  # fmt: skip
    assert figure.layout.separators == ",."


def test_no_emotion_line_without_scores_or_complaints():
    figure = journey_map_figure(analyse_journey(handworked_log()))
    assert not [t for t in figure.data if t.mode == "lines+markers"]
    assert "no emotion line" in figure.layout.annotations[0].text
