"""The intended journey laid over the hand-worked log (tests/handworked.py): designed
Intake → Check → Decide, with a norm of 15 minutes before Check and a step never taken."""

from discovery.intended.comparison import END, START, compare_journey
from discovery.intended.model import IntendedJourney, Step, WaitNorm
from discovery.viz.overlay import journey_dot, overlay_dot
from tests.handworked import handworked_log

JOURNEY = IntendedJourney(
    steps=(
        Step("Intake", "Front"),
        Step("Check", "Back", max_wait_hours=0.25),
        Step("Archive", "Back", optional=True),
        Step("Decide", "Back", goal=True),
    )
)


def test_edges_designed_taken_and_not():
    comparison = compare_journey(handworked_log(), JOURNEY)
    edges = {
        (row.source, row.target): (row.designed, row.frequency, row.cases, row.status)
        for row in comparison.edges.itertuples()
    }
    assert edges == {
        (START, "Intake"): (True, 3, 3, "designed and taken"),
        ("Intake", "Check"): (True, 2, 2, "designed and taken"),
        ("Check", "Archive"): (True, 0, 0, "designed, never taken"),
        ("Check", "Decide"): (True, 1, 1, "designed and taken"),  # case 3 only
        ("Archive", "Decide"): (True, 0, 0, "designed, never taken"),
        ("Decide", END): (True, 3, 3, "designed and taken"),
        ("Check", "Intake"): (False, 1, 1, "taken, not designed"),
        ("Intake", "Decide"): (False, 2, 2, "taken, not designed"),
        ("Check", "Check"): (False, 1, 1, "taken, not designed"),
    }


def test_nodes_with_norm_breaches():
    nodes = compare_journey(handworked_log(), JOURNEY).nodes.set_index("name")
    assert nodes.index.tolist() == ["Intake", "Check", "Archive", "Decide"]
    assert nodes["events"].tolist() == [4, 3, 0, 3]
    # Check waited 30 minutes in case 1 and 90 minutes (second Check) in case 3
    assert nodes["norm_breaches"].tolist() == [0, 2, 0, 0]
    assert nodes.loc["Archive", "status"] == "designed, never taken"


def test_a_norm_between_two_steps_is_marked_at_the_second():
    journey = IntendedJourney(steps=JOURNEY.steps, norms=(WaitNorm("Intake", "Decide", 1.5),))
    nodes = compare_journey(handworked_log(), journey).nodes.set_index("name")
    # first Intake end to first Decide begin: 3.5 h (case 1), 1 h, 3 h (case 3)
    assert nodes.loc["Decide", "norm_breaches"] == 2
    assert nodes.loc["Check", "norm_breaches"] == 2  # its own 15-minute norm, as before


def test_overlay_and_journey_as_dot():
    dot = overlay_dot(compare_journey(handworked_log(), JOURNEY), "nl")
    assert dot.startswith("digraph journey_overlay {") and dot.endswith("}")
    assert '"Check" -> "Archive" [color="#9a9a9a", style=dashed, label="0"];' in dot
    assert '"Intake" -> "Decide" [color="#d9822b", fontcolor="#d9822b", label="2"' in dot
    assert "⚠ 2 zaken boven de norm" in dot and "nooit genomen" in dot
    alone = journey_dot(JOURNEY)
    assert 'label="Check\\n(Back)\\nmax. wait 15 minutes"' in alone
    assert '"Check" -> "Archive"' in alone and '"Check" -> "Decide"' in alone
    assert '"Intake" -> "Decide"' not in alone
    assert alone.count("->") == 6  # start, Intake → Check, Check → Archive / Decide,
    # Archive → Decide, end
