"""Every app page with Streamlit's AppTest: no exception, expected elements, one interaction."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def app(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    return at.run()


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def test_opens_on_the_default_sample_with_its_summary_and_quality(app):
    assert not app.exception
    assert app.title[0].value == "Your log and its quality"
    assert app.selectbox(key="log_quality.sample").value == "hospital.xlsx"
    cases = int(metric(app, "Cases").replace(",", ""))
    assert cases > 100
    read = int(metric(app, "Rows read").replace(",", ""))
    used = int(metric(app, "Rows used").replace(",", ""))
    rejected = int(metric(app, "Rows rejected").replace(",", ""))
    assert read == used + rejected


def test_choosing_another_sample_shows_that_log(app):
    options = app.selectbox(key="log_quality.sample").options
    other = next(name for name in options if name.startswith("permit"))
    app.selectbox(key="log_quality.sample").select(other).run()
    assert not app.exception
    assert any(other in caption.value for caption in app.caption)
