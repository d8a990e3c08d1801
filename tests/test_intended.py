from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from discovery import LogError, discover_model, to_event_log
from discovery.intended.conformance import check_conformance
from discovery.intended.files import read_intended_journey
from discovery.intended.model import (
    IntendedJourney,
    Step,
    WaitNorm,
    check_against_log,
    journey_from_model,
    journey_from_variant,
)
from tests.conftest import SAMPLE_LOGS
from tests.handworked import handworked_log

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name", ["hospital", "permit", "membership", "complaints", "mortgage"])
def test_sample_journey_tables_load(name):
    journey = read_intended_journey(SAMPLE_LOGS / f"{name}_intended.csv")
    table = pd.read_csv(SAMPLE_LOGS / f"{name}_intended.csv", keep_default_na=False)
    assert journey.activities == tuple(table["activity"])
    assert [s.department for s in journey.steps] == list(table["department"])
    assert [s.optional for s in journey.steps] == list(table["optional"] == "yes")
    assert [s.may_repeat for s in journey.steps] == list(table["may_repeat"] == "yes")
    goals = tuple(table.loc[table["goal"] == "yes", "activity"])
    assert journey.goals == goals and len(goals) == 1
    hours = [float(h) if h else None for h in table["max_wait_hours"]]
    assert [s.max_wait_hours for s in journey.steps] == hours
    assert journey.name == f"{name}_intended"


def test_hospital_table_allows_the_parallel_group_in_either_order():
    behaviour = read_intended_journey(SAMPLE_LOGS / "hospital_intended.csv").behaviour()
    assert {("Triage", "Bloedafname"), ("Triage", "Röntgenonderzoek")} <= behaviour.edges
    assert {("Bloedafname", "Röntgenonderzoek"), ("Röntgenonderzoek", "Bloedafname")} <= (
        behaviour.edges
    )
    assert ("Triage", "Beoordeling SEH-arts") not in behaviour.edges
    assert behaviour.starts == {"Aanmelding SEH"}
    assert behaviour.ends == {"Ontslagbrief verstuurd"}
    assert len(behaviour.edges) == 14  # 8 in sequence, 4 into and out of the pair, 2 within it


def test_permit_table_alternatives_loop_and_optional_tail():
    behaviour = read_intended_journey(SAMPLE_LOGS / "permit_intended.csv").behaviour()
    assert behaviour.starts == {
        "Aanvraag ingediend via Omgevingsloket",
        "Aanvraag ingediend aan de balie",
    }
    assert ("Aanvraag ingediend via Omgevingsloket", "Aanvraag ingediend aan de balie") not in (
        behaviour.edges
    )
    # the run of repeatable steps loops as a whole, its optional steps may be left out
    assert {
        ("Volledigheidstoets", "Volledigheidstoets"),
        ("Aanvullende gegevens ontvangen", "Volledigheidstoets"),
        ("Volledigheidstoets", "Legesnota verstuurd"),
        ("Aanvullende gegevens opgevraagd", "Legesnota verstuurd"),
    } <= behaviour.edges
    assert behaviour.ends == {"Besluit verzonden", "Bezwaar ingediend", "Beslissing op bezwaar"}


def test_dutch_columns_and_yes_no_words(tmp_path):
    path = tmp_path / "reis.csv"
    path.write_text(
        "Stap;Activiteit;Afdeling;Optioneel;Herhaalbaar;Doel;Max wachttijd (uren)\n"
        "2;Beoordelen;Backoffice;nee;ja;nee;1,5\n"
        "1;Aanmelden;Balie;NEE;nee;;\n"
        "3;Besluit;Backoffice;Ja;false;waar;\n",
        encoding="utf-8",
    )
    journey = read_intended_journey(path)
    assert journey.activities == ("Aanmelden", "Beoordelen", "Besluit")
    assert journey.steps[1] == Step("Beoordelen", "Backoffice", may_repeat=True, max_wait_hours=1.5)
    assert journey.steps[2].optional and journey.steps[2].goal
    assert journey.departments == {
        "Aanmelden": "Balie",
        "Beoordelen": "Backoffice",
        "Besluit": "Backoffice",
    }


def test_excel_table_and_norm_between_two_steps(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["activity", "department", "goal", "max_wait_hours", "max_wait_from"])
    sheet.append(["Intake", "Front", "no", None, None])
    sheet.append(["Check", "Back", "no", 0.25, None])
    sheet.append(["Decide", "Back", "yes", 4, "Intake"])
    book.save(tmp_path / "journey.xlsx")
    journey = read_intended_journey(tmp_path / "journey.xlsx")
    assert journey.activities == ("Intake", "Check", "Decide")
    assert journey.steps[1].max_wait_hours == 0.25
    assert journey.steps[2].max_wait_hours is None
    assert journey.norms == (WaitNorm("Intake", "Decide", 4.0),)


def test_yaml_journey_with_norms(tmp_path):
    path = tmp_path / "journey.yaml"
    path.write_text(
        "name: Requests\n"
        "steps:\n"
        "  - activity: Intake\n    department: Front\n"
        "  - activiteit: Check\n    optioneel: ja\n    herhaalbaar: true\n"
        "  - activity: Decide\n    goal: yes\n    max_wait_hours: 2\n"
        "norms:\n  - {from: Intake, to: Decide, max_hours: 8}\n",
        encoding="utf-8",
    )
    journey = read_intended_journey(path)
    assert journey.steps == (
        Step("Intake", "Front"),
        Step("Check", optional=True, may_repeat=True),
        Step("Decide", goal=True, max_wait_hours=2.0),
    )
    assert journey.norms == (WaitNorm("Intake", "Decide", 8.0),)


def test_yaml_with_python_tags_is_refused(tmp_path):
    path = tmp_path / "evil.yaml"
    path.write_text("steps: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    with pytest.raises(LogError, match="not valid YAML"):
        read_intended_journey(path)


@pytest.mark.parametrize(
    ("text", "message", "row", "column"),
    [
        ("activity,optional\nIntake,no\nCheck,maybe\n", "'maybe' is not yes or no", 3, "optional"),
        ("activity,optional\nIntake,no\n,no\n", "has no activity", 3, "activity"),
        ("activity\nIntake\nCheck\nIntake\n", r"listed twice \(also on row 2\)", 4, "activity"),
        ("activity,max_wait_hours\nIntake,soon\n", "'soon' is not a number of hours", 2, None),
        (
            "activity,parallel_group\nA,x\nB,\nC,x\n",
            "group 'x' must be listed next to each other",
            4,
            "parallel_group",
        ),
        ("step,activity\n1,A\ntwo,B\n", "'two' is not a step number", 3, "step"),
    ],
)
def test_bad_tables_say_file_row_and_column(tmp_path, text, message, row, column):
    path = tmp_path / "bad.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LogError, match=message) as caught:
        read_intended_journey(path)
    assert caught.value.file == "bad.csv" and caught.value.row == row
    if column:
        assert caught.value.column == column


def test_table_without_activity_column_is_refused(tmp_path):
    path = tmp_path / "journey.csv"
    path.write_text("stage,team\nA,x\n", encoding="utf-8")
    with pytest.raises(LogError, match="no activity column"):
        read_intended_journey(path)


def test_bpmn_io_file_with_lanes_and_gateways():
    journey = read_intended_journey(DATA / "journey_bpmnio.bpmn")
    assert journey.name == "Request handling"
    # the escalation after the timer on Check (a boundary event) is left out
    assert journey.steps == (
        Step("Intake", "Front"),
        Step("Check", "Back"),
        Step("Decide", "Back"),
        Step("Notify customer", "Front"),
    )
    behaviour = journey.behaviour()
    assert behaviour.starts == {"Intake"}
    assert behaviour.ends == {"Decide", "Notify customer"}
    assert behaviour.edges == {
        ("Intake", "Check"),
        ("Intake", "Decide"),
        ("Intake", "Notify customer"),
        ("Check", "Decide"),
        ("Check", "Notify customer"),
        ("Decide", "Notify customer"),
        ("Notify customer", "Decide"),
    }


def test_signavio_file_without_prefix_or_lanes():
    journey = read_intended_journey(DATA / "journey_signavio.bpmn")
    assert journey.activities == ("Intake", "Decide")
    assert journey.behaviour().edges == {("Intake", "Decide")}


def test_bpmn_with_doctype_is_refused_before_parsing():
    with pytest.raises(LogError, match="DOCTYPE/entities; refused"):
        read_intended_journey(DATA / "journey_doctype.bpmn")


def test_bpmn_that_is_not_bpmn(tmp_path):
    path = tmp_path / "model.bpmn"
    path.write_text("<log><trace/></log>", encoding="utf-8")
    with pytest.raises(LogError, match="not a BPMN file"):
        read_intended_journey(path)
    path.write_text("<definitions><process", encoding="utf-8")
    with pytest.raises(LogError, match="not well-formed XML"):
        read_intended_journey(path)


def test_bpmn_flow_to_an_unknown_element_is_refused(tmp_path):
    text = (DATA / "journey_bpmnio.bpmn").read_text(encoding="utf-8")
    target = text.split('targetRef="', 1)[1].split('"', 1)[0]
    path = tmp_path / "typo.bpmn"
    path.write_text(text.replace(f'targetRef="{target}"', 'targetRef="Taks_typo"', 1), "utf-8")
    with pytest.raises(LogError, match="refers to unknown element 'Taks_typo'"):
        read_intended_journey(path)


def test_journey_from_a_variant_keeps_repeats_in_place():
    log = handworked_log()
    journey = journey_from_variant(["Intake", "Check", "Intake", "Decide"], log)
    assert journey.steps == (
        Step("Intake", "Front"),
        Step("Check", "Back"),
        Step("Decide", "Back"),
    )
    behaviour = journey.behaviour()
    assert behaviour.edges == {("Intake", "Check"), ("Check", "Intake"), ("Intake", "Decide")}
    plain = journey_from_variant(["Intake", "Decide"])
    assert plain.flow is None and plain.behaviour().edges == {("Intake", "Decide")}


def test_journey_from_a_mined_model():
    log = handworked_log()
    journey = journey_from_model(discover_model(log, noise=0.0), log)
    assert set(journey.activities) == {"Intake", "Check", "Decide"}
    assert journey.flow is not None and journey.behaviour().ends == {"Decide"}
    assert journey.departments["Check"] == "Back"


def test_check_against_log_names_the_closest_activities():
    journey = IntendedJourney(steps=(Step("Intake"), Step("Chek"), Step("Archive")))
    checked = check_against_log(journey, handworked_log())
    assert checked["step"].tolist() == ["Intake", "Chek", "Archive"]
    assert checked["events"].tolist() == [4, 0, 0]
    assert checked["closest"].tolist() == [(), ("Check",), ()]


def test_to_table_round_trip(tmp_path):
    journey = read_intended_journey(SAMPLE_LOGS / "permit_intended.csv")
    path = tmp_path / "again.csv"
    table = journey.to_table()
    for flag in ("optional", "may_repeat", "goal"):
        table[flag] = table[flag].map({True: "yes", False: "no"})
    table.to_csv(path, index=False)
    assert read_intended_journey(path).steps == journey.steps


def test_bpmn_parallel_branches_with_end_events_of_their_own(tmp_path):
    # BPMN ends the flow when every token has reached an end event: branches of a parallel
    # split need no join (refused before as "its flow never ends")
    path = tmp_path / "branches.bpmn"
    path.write_text(
        '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p">'
        '<startEvent id="s"/><task id="a" name="Intake"/><parallelGateway id="g"/>'
        '<task id="b" name="Send letter"/><task id="c" name="Call"/>'
        '<endEvent id="e1"/><endEvent id="e2"/>'
        '<sequenceFlow id="f1" sourceRef="s" targetRef="a"/>'
        '<sequenceFlow id="f2" sourceRef="a" targetRef="g"/>'
        '<sequenceFlow id="f3" sourceRef="g" targetRef="b"/>'
        '<sequenceFlow id="f4" sourceRef="g" targetRef="c"/>'
        '<sequenceFlow id="f5" sourceRef="b" targetRef="e1"/>'
        '<sequenceFlow id="f6" sourceRef="c" targetRef="e2"/>'
        "</process></definitions>",
        encoding="utf-8",
    )
    journey = read_intended_journey(path)
    behaviour = journey.behaviour()
    assert behaviour.completes
    assert behaviour.ends == {"Send letter", "Call"}
    assert behaviour.edges == {
        ("Intake", "Send letter"),
        ("Intake", "Call"),
        ("Send letter", "Call"),
        ("Call", "Send letter"),
    }
    trails = {"1": ["Intake", "Call", "Send letter"], "2": ["Intake", "Send letter"]}
    log = to_event_log(
        pd.DataFrame(
            [
                (case, a, f"2024-03-04 {9 + i}:00")
                for case, t in trails.items()
                for i, a in enumerate(t)
            ],
            columns=["case_id", "activity", "timestamp"],
        )
    )
    fitness = check_conformance(log, journey).cases.set_index("case_id")["fitness"]
    assert fitness["1"] == 1 and fitness["2"] < 1  # case 2 never called
