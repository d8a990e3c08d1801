"""Every visible text comes from the catalogue: the app's pages and every CLI command run in
the pseudo language "qps", which wraps each catalogue text in ⟦ ⟧. A text with letters that
is neither wrapped nor the data itself (an activity, a department, a case id, a file name)
skipped the catalogue, and fails.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from discovery import NO_VALUE, discover_map, map_dot, read_event_log, to_event_log, value_label
from discovery.words import PSEUDO, languages, say
from discovery.words._catalogues import catalogue, template
from tests.journey_cli import journey

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_logs" / "hospital.csv"
INTENDED = ROOT / "sample_logs" / "hospital_intended.csv"
PAGES = (
    "upload",
    "overview",
    "process_map",
    "handoffs",
    "variants",
    "cases",
    "intended",
    "journey",
)
LETTERS = re.compile(r"[^\W\d_]")
OPEN, CLOSE = "⟦", "⟧"


@cache
def data_values() -> tuple[str, ...]:
    """Words that are the data, longest first: every text value and header of the sample
    log, and the names of the sample files."""
    frame = pd.read_csv(SAMPLE, sep=";", dtype=str)
    values = {str(header) for header in frame.columns}
    for column in frame.columns:
        values |= set(frame[column].dropna())
    values |= {path.name for path in (ROOT / "sample_logs").iterdir()}
    values |= {path.stem for path in (ROOT / "sample_logs").iterdir()}
    log = read_event_log(SAMPLE)
    # Not words of the interface: each language's name in its own language (the switch
    # must read "Deutsch" to a German in any language), file formats, the time zone.
    values |= {*languages().values(), "Pseudo", "SVG", "PNG", "CSV", "DOT", log.timezone}
    return tuple(sorted((v for v in values if LETTERS.search(v)), key=len, reverse=True))


def outside_catalogue(text: str) -> str | None:
    """The part of `text` with letters that is neither wrapped in ⟦ ⟧ nor data, or None."""
    rest, wrapped = text, re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while wrapped.search(rest):  # innermost first: a duration's unit sits inside its sentence
        rest = wrapped.sub(" ", rest)
    if not LETTERS.search(rest):
        return None
    for value in data_values():
        if value in rest:
            rest = rest.replace(value, " ")
            if not LETTERS.search(rest):
                return None
    return " ".join(re.findall(r"[^\W\d_]+", rest)) or None


def test_the_check_can_fail():
    """A hand-made text: wrapped words and data pass, a bare English word does not."""
    assert say("page.overview", PSEUDO) == f"{OPEN}Overview{CLOSE}"
    triage = next(v for v in data_values() if v.lower().startswith("triage"))
    assert outside_catalogue(f"{OPEN}Cases{CLOSE}: 12 · {triage} 3.2 {OPEN}days{CLOSE}") is None
    assert outside_catalogue(f"{OPEN}Cases{CLOSE}: 12 waited") == "waited"
    assert outside_catalogue(f"{OPEN}Wait 3 {OPEN}days{CLOSE} here{CLOSE}") is None


# --- the app -----------------------------------------------------------------------------

LABELLED = ("button", "checkbox", "toggle", "radio", "selectbox", "multiselect", "slider",
            "select_slider", "text_input", "number_input", "date_input", "text_area",
            "file_uploader", "download_button", "expander", "tab", "metric")  # fmt: skip
VALUED = ("title", "header", "subheader", "markdown", "caption", "text", "info", "warning",
          "error", "success", "exception", "code", "latex")  # fmt: skip


def page_texts(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) for every text the page shows: values, labels, options, help, table
    headers, chart titles and names, and the words inside drawn maps."""
    found: list[tuple[str, str]] = []
    for kind in VALUED:
        for element in at.get(kind):
            value = str(getattr(element, "value", "") or "")
            if value.startswith('<div class="graph">'):
                found += [(f"{kind} (map)", html.unescape(t)) for t in svg_texts(value)]
            else:
                found.append((kind, value))
    for kind in LABELLED:
        for element in at.get(kind):
            for name in ("label", "help", "placeholder"):
                value = getattr(element, name, None)
                if isinstance(value, str) and value:
                    found.append((f"{kind} {name}", value))
            for option in getattr(element, "options", None) or []:
                found.append((f"{kind} option", str(option)))
            if kind == "metric":
                found.append(("metric value", str(element.value)))
    for kind in ("dataframe", "table"):
        for element in at.get(kind):
            frame = element.value
            config = json.loads(getattr(element.proto, "columns", "") or "{}")
            found += [
                (f"{kind} header", config.get(str(column), {}).get("label") or str(column))
                for column in frame.columns
            ]
            for column in frame.columns:
                if frame[column].dtype == object:
                    found += [(f"{kind} cell", str(v)) for v in frame[column].dropna().unique()]
    for chart in at.get("plotly_chart"):
        found += [("chart", text) for text in chart_texts(json.loads(chart.proto.spec))]
    return found


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)


def chart_texts(spec: dict) -> list[str]:
    """Titles, axis titles and tick labels, legend names and text of a Plotly figure."""
    texts = []
    layout = spec.get("layout", {})
    for key, part in layout.items():
        if isinstance(part, dict):
            title = part.get("title")
            texts.append(title.get("text", "") if isinstance(title, dict) else title or "")
            if key.startswith(("xaxis", "yaxis")):
                texts += [str(t) for t in part.get("ticktext", []) or []]
    for annotation in layout.get("annotations", []):
        texts.append(annotation.get("text", ""))
    for trace in spec.get("data", []):
        texts.append(trace.get("name") or "")
        text = trace.get("text")
        texts += [str(t) for t in text] if isinstance(text, list) else [str(text or "")]
    return [re.sub(r"<[^>]+>", " ", html.unescape(t)) for t in texts if t]


@pytest.fixture
def pseudo_app(monkeypatch):
    if shutil.which("dot") is None:
        pytest.fail("Graphviz's dot is missing: run the tests with `python3 dev.py test`.")
    import ui.i18n

    monkeypatch.chdir(ROOT)
    monkeypatch.setitem(ui.i18n.LANGUAGES, PSEUDO, "Pseudo")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.sidebar.radio(key="app.language").set_value(PSEUDO).run()
    at.sidebar.selectbox(key="app.sample").set_value(SAMPLE.name).run()
    return at


def test_every_page_says_every_text_through_the_catalogue(pseudo_app):
    at = pseudo_app
    missed = []
    for page in PAGES:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        shown = page_texts(at)
        assert len(shown) > 5, page  # the page did draw
        assert any(OPEN in text for _, text in shown), page
        missed += [(page, where, left) for where, text in shown
                   if (left := outside_catalogue(text))]  # fmt: skip
    assert missed == []


# --- the command line --------------------------------------------------------------------

COMMANDS = (
    ("inspect", SAMPLE),
    ("map", SAMPLE),
    ("map", SAMPLE, "--level", "department", "--measure", "performance"),
    ("variants", SAMPLE),
    ("bottlenecks", SAMPLE),
    ("conformance", SAMPLE, "--intended", INTENDED),
    ("lens", SAMPLE),
    ("lens", SAMPLE, "--segment", "leeftijdsgroep"),
    ("monitor", SAMPLE, "--intended", INTENDED, "--max-wait-days", "1", "--max-handoffs", "1"),
)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: command[0])
def test_every_command_says_every_text_through_the_catalogue(command):
    result = journey(*command, "--language", PSEUDO)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(lines) > 2 and any(OPEN in line for line in lines), result.stdout
    missed = [(line, left) for line in lines if (left := outside_catalogue(line))]
    assert missed == []


# --- German: a language added as one catalogue file ----------------------------------------

TITLES = {"upload": "upload", "overview": "overview", "process_map": "map",
          "handoffs": "handoffs", "variants": "variants", "cases": "cases",
          "intended": "intended", "journey": "journey"}  # fmt: skip


def english_only_texts() -> set[str]:
    """Whole catalogue texts (without fields) that German says differently: seeing one on a
    German page means German fell back to English there."""
    english = catalogue("en")
    return {
        text
        for key in english.keys - english.plural_keys
        if "{" not in (text := template(key, "en")) and text != template(key, "de")
    }


def test_every_page_speaks_german(monkeypatch):
    monkeypatch.chdir(ROOT)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180).run()
    at.sidebar.radio(key="app.language").set_value("de").run()
    english = english_only_texts()
    assert say("page.overview", "de") == "Übersicht" and "Overview" in english
    for page, title in TITLES.items():
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert at.title[0].value == say(f"page.{title}", "de")
        fallen_back = [text for _, text in page_texts(at) if text in english]
        assert fallen_back == [], page


def test_no_value_is_said_in_the_language_where_the_data_lacks_one():
    """A step without a department is the node NO_VALUE: its label comes from the catalogue."""
    frame = pd.DataFrame(
        {
            "case_id": ["1", "1", "2"],
            "activity": ["Intake", "Besluit", "Intake"],
            "timestamp": pd.to_datetime(
                ["2024-03-01 09:00", "2024-03-02 10:00", "2024-03-01 11:00"]
            ),
            "department": ["Balie", None, "Balie"],
        }
    )
    process_map = discover_map(to_event_log(frame), level="department")
    assert NO_VALUE in set(process_map.nodes["name"])
    assert f"{OPEN}(none){CLOSE}\\n" in map_dot(process_map, language=PSEUDO)
    assert "(geen)\\n" in map_dot(process_map, language="nl")
    assert value_label("Balie", PSEUDO) == "Balie"


HELP_NAMES = re.compile(
    r"^usage:"  # argparse's own word: it stays English (its gettext domain is process-wide)
    r"|\bjourney\b"  # the program's name
    r"|--?[\w-]+"  # option names
    r"|\{[^}]*\}"  # choices: languages, commands, measures
    r"|\b[A-Z][A-Z_]*(=[A-Z_]+)?\b"  # metavars
    r"|\b(file|inspect|map|variants|bottlenecks|conformance|lens|report|compare|workspace|monitor"
    r"|list|add|show|delete|passwd)\b",  # typed
    re.MULTILINE,
)


@pytest.mark.parametrize(
    "command",
    [(), ("map",), ("conformance",), ("lens",), ("report",), ("compare",), ("monitor",),
     ("workspace",), ("workspace", "list"), ("workspace", "add"), ("workspace", "show"),
     ("workspace", "passwd")],
    ids=str,
)  # fmt: skip
def test_every_help_text_comes_from_the_catalogue(command):
    result = journey(*command, "--help", "--language", PSEUDO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count(OPEN) > len(command) + 2, result.stdout
    said = re.sub(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}", " ", result.stdout)  # wrapped over lines too
    rest = HELP_NAMES.sub(" ", said)
    assert not LETTERS.search(rest), rest


def test_the_workspace_command_says_every_text_through_the_catalogue(tmp_path, monkeypatch):
    """add, list, show and delete; the data here is the workspace's path, the id, the
    title and the source's hash."""
    place = ("--workspace", tmp_path / "ws.duckdb", "--language", PSEUDO)
    added = journey("workspace", "add", SAMPLE, "--title", "Hospital", *place)
    assert added.returncode == 0, added.stderr
    found = re.search(r"ws:([0-9a-f]{8})", added.stdout)
    assert found, added.stdout
    listed = journey("workspace", "list", *place)
    shown = journey("workspace", "show", found[1], *place)
    deleted = journey("workspace", "delete", found[1], *place)
    empty = journey("workspace", "list", *place)
    missing = journey("workspace", "show", found[1], *place)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    sha256 = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    words = (str(tmp_path / "ws.duckdb"), found[1], "Hospital", sha256, SAMPLE.name)
    known = (*words, *data_values())
    monkeypatch.setattr(f"{__name__}.data_values", lambda: known)
    lines = [
        line
        for result in (added, listed, shown, deleted, empty)
        for line in (*result.stdout.splitlines(), *result.stderr.splitlines())
        if line.strip()
    ] + missing.stderr.splitlines()
    assert len(lines) > 10 and sum(OPEN in line for line in lines) > 10, lines
    assert [(line, left) for line in lines if (left := outside_catalogue(line))] == []


SHARED = ROOT.parent / "shared" / "logs" / "sepsis.csv"


@pytest.mark.slow
def test_a_stranger_export_says_every_text_through_the_catalogue(tmp_path, monkeypatch):
    """Material nobody here made: the sepsis log cut to four columns with Dutch headers,
    shuffled and saved as Excel; every command's text still comes from the catalogue."""
    if not SHARED.exists():
        pytest.skip(f"{SHARED} is absent (../shared/logs holds the public logs)")
    frame = pd.read_csv(SHARED)
    names = {"case:concept:name": "Patiëntnummer", "concept:name": "Activiteit",
             "time:timestamp": "Datum", "org:group": "Afdeling"}  # fmt: skip
    export = frame[list(names)].rename(columns=names).sample(frac=1, random_state=3)
    export["Datum"] = pd.to_datetime(export["Datum"], format="mixed", utc=True)
    export["Datum"] = export["Datum"].dt.tz_localize(None)
    path = tmp_path / "sepsis_export.xlsx"
    export.to_excel(path, index=False)
    words = {str(v) for column in export.columns for v in export[column].dropna()}
    words |= {*names.values(), path.name, "Sheet1", "UTC"}
    data = tuple(sorted((w for w in words if LETTERS.search(w)), key=len, reverse=True))
    monkeypatch.setattr(f"{__name__}.data_values", lambda: data)
    for command in (("inspect",), ("map", "--level", "department"), ("bottlenecks",), ("lens",)):
        result = journey(command[0], path, *command[1:], "--language", PSEUDO)
        assert result.returncode == 0, result.stderr
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        assert [(line, left) for line in lines if (left := outside_catalogue(line))] == []


# --- reports: every word of the HTML (and so the PDF) and the workbook from the catalogue ----

HEX = re.compile(r"\b[0-9a-f]{32,}\b")  # a file's SHA-256 is data, not words


def _page_texts(page: str) -> list[str]:
    """The text of an HTML page as a reader sees it: no script or style, entities decoded."""
    from html.parser import HTMLParser

    class Texts(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.texts: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag, attrs):
            self.skipping += tag in ("script", "style", "title")

        def handle_endtag(self, tag):
            self.skipping -= tag in ("script", "style", "title")

        def handle_data(self, data):
            if not self.skipping and data.strip():
                self.texts.append(data.strip())

    parser = Texts()
    parser.feed(page)
    return parser.texts


@pytest.fixture(scope="module")
def pseudo_report():
    from discovery import read_intended_journey
    from discovery.report import build_report

    log = read_event_log(SAMPLE)
    return build_report(
        log,
        source=SAMPLE,
        intended=read_intended_journey(INTENDED),
        intended_source=INTENDED,
        tracers=2,
        tracers_by="deviation",
    )


def test_every_word_of_the_printable_report_comes_from_the_catalogue(pseudo_report):
    from discovery.report.html import report_html

    texts = _page_texts(report_html(pseudo_report, PSEUDO, printable=True))
    assert len(texts) > 200 and sum(OPEN in text for text in texts) > 100
    missed = [(t, left) for t in texts if (left := outside_catalogue(HEX.sub(" ", t)))]
    assert missed == []


def test_every_word_of_the_workbook_comes_from_the_catalogue(pseudo_report, tmp_path):
    from openpyxl import load_workbook

    from discovery.report.xlsx import write_xlsx

    path = tmp_path / "report.xlsx"
    write_xlsx(pseudo_report, path, PSEUDO)
    workbook = load_workbook(path)
    texts = [
        str(cell.value)
        for sheet in workbook
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]
    assert len(texts) > 200
    missed = [(t, left) for t in texts if (left := outside_catalogue(HEX.sub(" ", t)))]
    assert missed == []
    # sheet names are the catalogue's too (cut to Excel's 31 characters)
    assert all(OPEN in sheet.title for sheet in workbook)
