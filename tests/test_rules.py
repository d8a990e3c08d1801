"""Declarative rules on the hand-worked log (tests/handworked.py).

Case 1: Intake(r1) 08:30-09:00, Check(r2) 09:30-10:00, Intake(r1) 11:00-12:00, Decide(r2) 12:30-13:00
Case 2: Intake(r1) 08:00-09:00, Decide(r3) 10:00-11:00
Case 3: Intake(r1) 09:00-10:00, Check(r2) 10:00-10:30, Check(r3) 12:00-12:30, Decide(r2) 13:00-13:30
"""  # noqa: E501

import pytest

from discovery.intended.rules import EndsWith, FourEyes, Precedes, StartsWith, Within, check_rules
from discovery.words import say
from tests.handworked import handworked_log


@pytest.fixture(scope="module")
def log():
    return handworked_log()


@pytest.mark.parametrize(
    ("rule", "broken"),
    [
        (Precedes("Check", "Decide"), {"2"}),  # case 2 decides without a check
        (Precedes("Intake", "Check"), set()),
        (Precedes("Decide", "Check"), {"1", "3"}),
        # first Intake ends 09:00, 09:00, 10:00; Decide begins 12:30, 10:00, 13:00
        (Within("Intake", "Decide", hours=2), {"1", "3"}),
        (Within("Intake", "Decide", hours=3), {"1"}),
        (Within("Intake", "Decide", hours=3.5), set()),
        # Check is done after the first Intake only in cases 1 and 3
        (Within("Intake", "Check", hours=24), {"2"}),
        (FourEyes("Check", "Decide"), {"1", "3"}),  # r2 does both
        (FourEyes("Intake", "Decide"), set()),
        (StartsWith(("Intake",)), set()),
        (StartsWith(("Check",)), {"1", "2", "3"}),
        (EndsWith(("Decide",)), set()),
        (EndsWith(("Check", "Intake")), {"1", "2", "3"}),
    ],
)
def test_rule_violations(log, rule, broken):
    assert rule.violations(log) == broken


def test_check_rules_lists_cases_per_rule(log):
    table = check_rules(log, [Precedes("Check", "Decide"), FourEyes("Check", "Decide")])
    table["description"] = table["description"].map(say)  # a message: said in English
    assert table.values.tolist() == [
        ["2", 0, "Check precedes Decide"],
        ["1", 1, "four eyes: Check and Decide by different people"],
        ["3", 1, "four eyes: Check and Decide by different people"],
    ]


def test_rules_in_words():
    assert say(Within("Triage", "Arts", 2).describe(), "nl") == "Arts binnen 2 uur na Triage"
    assert say(Within("Triage", "Arts", 2).describe()) == "Arts within 2 hours of Triage"
    assert say(StartsWith(("A", "B")).describe(), "nl") == "begint met A / B"
    assert say(EndsWith(("Z",)).describe()) == "ends with Z"
    assert say(Precedes("A", "B").describe(), "nl") == "A gaat vooraf aan B"
    assert say(FourEyes("A", "B").describe(), "nl").startswith("vier ogen: A en B")


def test_four_eyes_needs_resources():
    import dataclasses

    log = handworked_log()
    without = dataclasses.replace(log, events=log.events.drop(columns="resource"))
    with pytest.raises(ValueError, match="resource column"):
        FourEyes("Check", "Decide").violations(without)


JOURNEY_WITH_RULES = """
stappen:
  - activiteit: Intake
  - activiteit: Check
    optioneel: ja
  - activiteit: Decide
regels:
  - gaat_vooraf: [Check, Decide]
  - binnen: {eerst: Intake, dan: Decide, uren: 3}
  - four_eyes: [Check, Decide]
  - ends_with: Decide
"""


def test_rules_written_in_a_yaml_journey_are_checked_with_it(log, tmp_path):
    from discovery import check_conformance, read_intended_journey

    path = tmp_path / "journey.yaml"
    path.write_text(JOURNEY_WITH_RULES, encoding="utf-8")
    journey = read_intended_journey(path)
    assert journey.rules == (
        Precedes("Check", "Decide"),
        Within("Intake", "Decide", 3.0),
        FourEyes("Check", "Decide"),
        EndsWith(("Decide",)),
    )
    result = check_conformance(log, journey)
    broken = result.deviations
    broken = broken[broken["kind"] == "rule_broken"]
    assert set(broken["step"]) == {"rule:0", "rule:1", "rule:2"}  # ids, in the journey's order
    broken = broken.assign(step=[say(result.step_name("rule_broken", s)) for s in broken["step"]])
    # as the rules' own checks above: case 2 skips Check, case 1 decides 3.5 h after its
    # first Intake, r2 checks and decides in cases 1 and 3
    assert sorted(zip(broken["case_id"], broken["step"], strict=True)) == [
        ("1", "Decide within 3 hours of Intake"),
        ("1", "four eyes: Check and Decide by different people"),
        ("2", "Check precedes Decide"),
        ("3", "four eyes: Check and Decide by different people"),
    ]


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ("  - always: [Intake]", "rule 1: expected one of precedes, within, four_eyes"),
        ("  - precedes: [Intake, Triage]", "rule 1 names 'Triage', which is not a step"),
        ("  - precedes: [Intake]", "rule 1: precedes needs exactly two activities"),
        ("  - within: {first: Intake, then: Decide}", "rule 1: within needs first, then and hours"),
        ("  - ends_with: Decide\n  - four_eyes: {a: b}", "rule 2: four_eyes needs a list"),
    ],
)
def test_a_bad_rule_is_named_with_its_file_and_number(tmp_path, rules, message):
    from discovery import LogError, read_intended_journey

    path = tmp_path / "ontwerp.yaml"
    path.write_text(f"steps:\n  - activity: Intake\n  - activity: Decide\nrules:\n{rules}\n")
    with pytest.raises(LogError, match=message) as error:
        read_intended_journey(path)
    assert str(error.value).startswith("ontwerp.yaml: ")
