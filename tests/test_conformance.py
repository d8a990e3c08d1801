"""Conformance on the hand-worked log (tests/handworked.py), every figure worked out by hand.

Case 1: Intake 08:30-09:00, Check 09:30-10:00, Intake 11:00-12:00, Decide 12:30-13:00 (4.5 h)
Case 2: Intake 08:00-09:00, Decide 10:00-11:00 (3 h)
Case 3: Intake 09:00-10:00, Check 10:00-10:30, Check 12:00-12:30, Decide 13:00-13:30 (4.5 h)
"""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from discovery import LogError, to_event_log
from discovery.intended.conformance import check_conformance
from discovery.intended.model import IntendedJourney, Step, WaitNorm, journey_from_model
from discovery.intended.rules import FourEyes, Precedes
from discovery.mining.models import discover_model
from discovery.words import say
from tests.handworked import handworked_log

NOW = pd.Timestamp("2025-01-01", tz="UTC")
STRICT = IntendedJourney(
    steps=(
        Step("Intake", "Front"),
        Step("Check", "Back", max_wait_hours=0.25),
        Step("Decide", "Back", goal=True),
    )
)
# Intake and Check loop together, Check may be left out: cases 1 and 2 fit
LOOSE = IntendedJourney(
    steps=(
        Step("Intake", "Front", may_repeat=True),
        Step("Check", "Back", optional=True, may_repeat=True),
        Step("Decide", "Back", goal=True),
    )
)


def trail_log(trails: dict[str, list[str]]):
    rows = [
        (case, activity, f"2024-03-04T{9 + i:02d}:00:00Z")
        for case, activities in trails.items()
        for i, activity in enumerate(activities)
    ]
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "timestamp"])
    return to_event_log(frame, {"timestamp": "timestamp"}, now=NOW)


def found(result) -> set[tuple[str, str, str, int]]:
    return {
        (row.case_id, row.kind, row.step, row.occurrences) for row in result.deviations.itertuples()
    }


@pytest.fixture(scope="module")
def strict():
    return check_conformance(handworked_log(), STRICT)


def test_strict_journey_per_case(strict):
    cases = strict.cases.set_index("case_id")
    # case 1: one log move (the second Intake); 4 events + 3 steps at worst
    # case 2: one model move (Check); 2 + 3 at worst; case 3: one log move (second Check)
    assert cases.loc["1", "fitness"] == pytest.approx(1 - 1 / 7)
    assert cases.loc["2", "fitness"] == pytest.approx(1 - 1 / 5)
    assert cases.loc["3", "fitness"] == pytest.approx(1 - 1 / 7)
    assert strict.fitness == pytest.approx(1 - 3 / 19)
    assert cases["throughput_s"].tolist() == [16200.0, 10800.0, 16200.0]
    assert cases["variant"].nunique() == 3
    assert found(strict) == {
        ("1", "repeated_step", "Intake", 1),
        # Check begins 30 minutes after Intake ends; the norm is 15 minutes
        ("1", "wait_over_norm", "Check", 1),
        ("2", "skipped_step", "Check", 1),
        ("3", "repeated_step", "Check", 1),
        # the second Check begins 90 minutes after the first ends; the first waited 0
        ("3", "wait_over_norm", "Check", 1),
    }
    assert cases["deviations"].tolist() == [2, 1, 2]
    assert strict.conforming_cases == 0 and strict.n_cases == 3


def test_strict_ranking_and_departments(strict):
    ranking = strict.ranking()
    assert ranking[["kind", "step", "cases"]].values.tolist() == [
        ["wait_over_norm", "Check", 2],
        ["repeated_step", "Check", 1],
        ["repeated_step", "Intake", 1],
        ["skipped_step", "Check", 1],
    ]
    assert ranking["share"].tolist() == pytest.approx([2 / 3, 1 / 3, 1 / 3, 1 / 3])
    assert ranking["time_cost_s"].isna().all()  # no case conforms
    departments = strict.by_department()
    assert departments.values.tolist() == [["Back", 4, 3, 1.0], ["Front", 1, 1, 1 / 3]]


def test_the_deviations_of_a_case_and_the_cases_of_a_deviation(strict):
    kinds = strict.case_deviations("3")[["kind", "step"]].values.tolist()
    assert sorted(kinds) == [["repeated_step", "Check"], ["wait_over_norm", "Check"]]
    assert strict.case_deviations("unknown").empty
    # cases 1 and 3 waited over the norm once each; both take 4.5 hours
    waited = strict.cases_with("wait_over_norm", "Check")
    assert sorted(waited["case_id"]) == ["1", "3"]
    assert waited["occurrences"].tolist() == [1, 1]
    assert waited["throughput_s"].tolist() == [16200.0, 16200.0]
    assert strict.cases_with("skipped_step", "Check")["case_id"].tolist() == ["2"]
    assert strict.approximate_variants == 0


def test_loose_journey_costs_and_groupings():
    log = handworked_log()
    result = check_conformance(log, LOOSE)
    assert found(result) == {("3", "repeated_step", "Check", 1)}
    assert result.conforming_cases == 2 and result.conformance_rate == pytest.approx(2 / 3)
    cases = result.cases.set_index("case_id")
    assert cases.loc[["1", "2"], "fitness"].tolist() == [1.0, 1.0]
    ranking = result.ranking()
    # case 3 takes 16200 s; conforming cases 1 and 2 take a median of 13500 s
    assert ranking.loc[0, "median_throughput_s"] == 16200.0
    assert ranking.loc[0, "time_cost_s"] == 2700.0
    over_time = result.over_time()
    assert over_time.values.tolist() == [["2024-03", 3, 2, pytest.approx(2 / 3), pytest.approx(
        (1 + 1 + cases.loc["3", "fitness"]) / 3
    )]]  # fmt: skip
    by_segment = result.by_segment(log, "segment").set_index("segment")
    assert by_segment.loc["young", ["cases", "conforming"]].tolist() == [1, 1]
    assert by_segment.loc["old", ["cases", "conforming"]].tolist() == [2, 1]
    assert [say(found, "en") for found in result.messages()] == [
        "Repeated step: Check, in 1 case (33%); these cases take 45 minutes longer (median) "
        "than conforming ones."
    ]
    assert say(result.messages()[0], "nl").startswith("Herhaalde stap: Check, in 1 zaak (33%)")


def test_unexpected_department_and_norm_between_steps():
    journey = IntendedJourney(
        steps=(Step("Intake", "Front"), Step("Check", "Front"), Step("Decide", "Back")),
        norms=(WaitNorm("Intake", "Decide", 1.5),),
    )
    deviations = check_conformance(handworked_log(), journey).deviations
    departments = deviations[deviations["kind"] == "unexpected_department"]
    assert departments[["case_id", "step", "occurrences"]].values.tolist() == [
        ["1", "Check", 1],
        ["3", "Check", 2],
    ]
    # first Intake end to first Decide begin: 3.5 h, 1 h, 3 h
    waits = deviations[deviations["kind"] == "wait_over_norm"]
    assert waits[["case_id", "step"]].values.tolist() == [
        ["1", "Intake → Decide"],
        ["3", "Intake → Decide"],
    ]


def test_rules_become_deviations():
    rules = [Precedes("Check", "Decide"), FourEyes("Check", "Decide")]
    result = check_conformance(handworked_log(), LOOSE, rules)
    broken = result.deviations[result.deviations["kind"] == "rule_broken"]
    assert set(broken["step"]) == {"rule:0", "rule:1"}  # ids: said only when shown
    broken = broken.assign(step=[say(result.step_name("rule_broken", s)) for s in broken["step"]])
    assert broken[["case_id", "step"]].values.tolist() == [
        ["1", "four eyes: Check and Decide by different people"],
        ["2", "Check precedes Decide"],
        ["3", "four eyes: Check and Decide by different people"],
    ]
    assert result.conforming_cases == 0
    said = [say(found, "nl") for found in result.messages()]
    assert any(s.startswith("Regel overtreden: vier ogen") for s in said)


def test_a_broken_rule_is_said_in_the_language_asked():
    result = check_conformance(handworked_log(), LOOSE, [FourEyes("Check", "Decide")])
    deviations = result.deviations
    broken = deviations.loc[deviations["kind"] == "rule_broken", "step"]
    assert set(broken) == {"rule:0"}  # the rule's id
    rule = result.step_name("rule_broken", "rule:0")  # the rule, as a message
    names = {say(rule): rule}
    said_steps = {say(result.step_name("rule_broken", step)) for step in broken}
    step = "four eyes: Check and Decide by different people"  # the step, said in English
    assert set(names) == {step} and said_steps >= {step}
    assert say(names[step], "nl") == "vier ogen: Check en Decide door verschillende medewerkers"


def test_wrong_order_extra_step_and_ended_early():
    journey = IntendedJourney(steps=(Step("A"), Step("B"), Step("C", goal=True)))
    log = trail_log({"x": ["B", "A", "C"], "y": ["A", "X", "B", "C"], "z": ["A"], "w": ["A", "C"]})
    result = check_conformance(log, journey)
    kinds = {(row.case_id, row.kind) for row in result.deviations.itertuples()}
    assert kinds == {
        ("x", "wrong_order"),
        ("y", "extra_step"),
        ("z", "ended_early"),
        ("w", "skipped_step"),
    }
    steps = result.deviations.set_index("case_id")["step"]
    assert steps["x"] in {"A", "B"}
    assert (steps["y"], steps["z"], steps["w"]) == ("X", "A", "B")
    # without a goal, a case that stops early skipped the rest
    plain = IntendedJourney(steps=(Step("A"), Step("B"), Step("C")))
    assert found(check_conformance(trail_log({"z": ["A"]}), plain)) == {
        ("z", "skipped_step", "B", 1),
        ("z", "skipped_step", "C", 1),
    }


def test_a_mined_model_as_journey_fits_its_own_log():
    log = handworked_log()
    result = check_conformance(log, journey_from_model(discover_model(log, noise=0.0), log))
    assert result.cases["fitness"].tolist() == [1.0, 1.0, 1.0]
    # as in pm4py, the log's fitness counts a silent step at a cost of at most 1 in 10,000
    # (none here: the reduced net and the Dijkstra aligner leave no costed silent step)
    assert 0.999 < result.fitness <= 1.0
    assert result.conforming_cases == 3


def test_to_dict_has_the_cli_fields(strict):
    data = strict.to_dict()
    assert data["fitness"] == pytest.approx(1 - 3 / 19)
    assert (data["cases"], data["conforming_cases"], data["fitting_cases"]) == (3, 0, 0)
    first = data["deviations"][0]
    assert first == {
        "kind": "wait_over_norm",
        "step": "Check",
        "cases": 2,
        "share": pytest.approx(2 / 3),
        "time_cost_s": None,
        "description": None,  # said for broken rules only
    }
    assert not any(isinstance(v, float) and math.isnan(v) for v in first.values())


def test_a_journey_that_cannot_end_is_a_clear_error():
    from discovery.intended._nets import Net

    stuck = Net(
        places=("p1", "p2", "p3"),
        transitions=(("t1", "A"),),
        arcs=(("p1", "t1"), ("t1", "p2")),
        initial=("p1",),
        final=("p3",),
    )
    journey = IntendedJourney(steps=(Step("A"),), flow=stuck)
    with pytest.raises((ValueError, LogError), match="cannot be completed"):
        check_conformance(trail_log({"x": ["A"]}), journey)


def test_cli_conformance_json(capsys):
    from discovery.cli import main
    from tests.conftest import SAMPLE_LOGS

    code = main(
        [
            "conformance",
            str(SAMPLE_LOGS / "complaints.csv"),
            "--intended",
            str(SAMPLE_LOGS / "complaints_intended.csv"),
            "--json",
        ]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["cases"] == 1800
    assert 0 < data["conforming_cases"] < 1800 and 0.9 < data["fitness"] < 1
    contacted = [d for d in data["deviations"] if d["step"] == "Customer contacted"]
    skipped = next(d for d in contacted if d["kind"] == "skipped_step")
    assert skipped["cases"] == 246  # 15.02% of the 1638 cases that close (ground truth)
    assert {"kind", "step", "cases"} <= set(skipped)
    # per month of case start and per department, adding up to the log's figures
    assert sum(month["cases"] for month in data["over_time"]) == 1800
    assert sum(month["conforming"] for month in data["over_time"]) == data["conforming_cases"]
    assert all(0 < row["cases"] <= 1800 for row in data["by_department"])


def test_cli_conformance_bad_journey_exits_2(capsys, tmp_path):
    from discovery.cli import main
    from tests.conftest import SAMPLE_LOGS

    bad = tmp_path / "journey.csv"
    bad.write_text("activity,optional\nA,perhaps\n", encoding="utf-8")
    log = str(SAMPLE_LOGS / "complaints.csv")
    assert main(["conformance", log, "--intended", str(bad)]) == 2
    error = capsys.readouterr().err
    assert "cannot read the intended journey: journey.csv, row 2, column 'optional'" in error
    doctype = str(Path(__file__).parent / "data" / "journey_doctype.bpmn")
    assert main(["conformance", log, "--intended", doctype, "--json"]) == 2
    assert "refused for safety" in capsys.readouterr().err


def test_a_bpmn_journey_aligns_with_its_gateways():
    from discovery.intended.files import read_intended_journey

    journey = read_intended_journey(Path(__file__).parent / "data" / "journey_bpmnio.bpmn")
    log = trail_log(
        {
            "a": ["Intake", "Check", "Decide", "Notify customer"],
            "b": ["Intake", "Notify customer", "Decide"],  # parallel branches, either order
            "c": ["Intake", "Decide"],  # Notify customer skipped
        }
    )
    result = check_conformance(log, journey)
    assert result.cases["fitness"].tolist()[:2] == [1.0, 1.0]
    assert found(result) == {("c", "skipped_step", "Notify customer", 1)}


def test_cli_conformance_text_names_missing_steps(capsys, tmp_path):
    from discovery.cli import main
    from tests.conftest import SAMPLE_LOGS

    journey = tmp_path / "journey.csv"
    journey.write_text(
        "activity,goal\nComplaint recieved,no\nComplaint registered,no\nComplaint closed,yes\n",
        encoding="utf-8",
    )
    log = str(SAMPLE_LOGS / "complaints.csv")
    assert main(["conformance", log, "--intended", str(journey), "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "cases               1,800" in out
    assert out.count("\n  1. ") == 1 and "\n  4. " not in out
    missing = "! Step 'Complaint recieved' does not occur in the log; closest: 'Complaint received'"
    assert missing in out


def test_variants_are_aligned_once(monkeypatch):
    from discovery.mining import _pm4py

    aligned: list[tuple[str, ...]] = []
    original = _pm4py.align_traces

    def counting(net, traces, *limits):
        aligned.extend(traces)
        return original(net, traces, *limits)

    monkeypatch.setattr(_pm4py, "align_traces", counting)
    journey = IntendedJourney(steps=(Step("A"), Step("B"), Step("C"), Step("D", optional=True)))
    first = check_conformance(trail_log({"x": ["A", "B", "C"], "y": ["A", "C"]}), journey)
    again = check_conformance(trail_log({"z": ["A", "C"], "w": ["B", "A", "C"]}), journey)
    assert aligned == [("A", "B", "C"), ("A", "C"), ("B", "A", "C")]
    assert first.cases["fitness"].tolist() == [1.0, 1 - 1 / 5]
    assert again.cases.set_index("case_id").loc["z", "fitness"] == 1 - 1 / 5


def test_a_full_alignment_cache_is_cleared_without_losing_results(monkeypatch):
    from discovery.intended import conformance

    journey = IntendedJourney(steps=(Step("A"), Step("B"), Step("C")))
    monkeypatch.setattr(conformance, "_ALIGNED", {})
    monkeypatch.setattr(conformance, "_ALIGNED_KEPT", 2)
    first = check_conformance(trail_log({"x": ["A", "B", "C"], "y": ["A", "C"]}), journey)
    # one known variant and one new: the cache is full, so it is cleared before storing
    again = check_conformance(trail_log({"x": ["A", "B", "C"], "z": ["B", "C"]}), journey)
    assert first.cases.set_index("case_id").loc["x", "fitness"] == 1.0
    # z skips A: cost 1 against a worst case of 2 log moves + 3 model moves
    assert again.cases.set_index("case_id")["fitness"].tolist() == [1.0, 1 - 1 / 5]
