"""Conformance against real BPMN models, with pm4py as the oracle: models mined from public
logs with pm4py's inductive miner and written as BPMN 2.0, read back by us and by pm4py.

The oracle runs pm4py's default aligner, which takes minutes on the whole logs: the cases of
each log's most frequent variants are checked here (benchmarks/bench_conformance_models.py
checks the whole logs). Also: our reduced net accepts what pm4py's conversion accepts, the
reduction keeps a small net's language, and the time limit's approximation, by hand.
"""

import contextlib
import io

import pytest

from discovery import read_event_log
from discovery.intended import conformance
from discovery.intended._nets import NetBuilder, reduce_net
from discovery.intended.conformance import check_conformance
from discovery.intended.files import read_intended_journey
from discovery.intended.model import IntendedJourney, Step
from discovery.mining import _pm4py
from discovery.words import say
from tests.test_conformance import trail_log

MOVE = 10_000  # pm4py's cost of a deviation (a log or model move)
LOGS = {
    "receipt": "receipt.xes.gz",
    "sepsis": "sepsis.csv",
    "DomesticDeclarations": "DomesticDeclarations.xes.gz",
}
TOP_VARIANTS = 25
pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")  # pm4py's numpy.matrix


def pm4py():
    with contextlib.redirect_stdout(io.StringIO()):  # the licence banner
        return _pm4py.pm4py()


@pytest.fixture(scope="module", params=sorted(LOGS))
def mined(request, shared_logs, tmp_path_factory):
    """(pm4py's dataframe of the top variants' cases, our log of them, BPMN path), the
    model mined from the whole log with noise 0.2 and written by pm4py."""
    name = request.param
    frame = _pm4py.to_pm4py(read_event_log(shared_logs / LOGS[name]))
    path = tmp_path_factory.mktemp("models") / f"{name}.bpmn"
    pm4py().write_bpmn(pm4py().discover_bpmn_inductive(frame, noise_threshold=0.2), str(path))
    cases = frame.groupby("case:concept:name", sort=False)["concept:name"].agg(tuple)
    top = set(cases.value_counts().index[:TOP_VARIANTS])
    kept = frame[frame["case:concept:name"].map(cases.isin(top))].reset_index(drop=True)
    return kept, _pm4py.from_pm4py(kept), path


def pm4py_net(path):
    return pm4py().convert_to_petri_net(pm4py().read_bpmn(str(path)))


@pytest.mark.slow
def test_fitness_and_fitting_share_equal_pm4py_on_its_own_bpmn_import(mined):
    frame, log, path = mined
    ours = check_conformance(log, read_intended_journey(path))
    theirs = pm4py().fitness_alignments(frame, *pm4py_net(path), multi_processing=False)
    # pm4py's A* costs each silent step of its net 1 in 10,000; we align on a net with fewer
    # silent steps, by Dijkstra: that alone may differ, in the fourth decimal at most
    assert ours.fitness == pytest.approx(theirs["log_fitness"], abs=1e-3)
    fitting = 100 * (ours.cases["fitness"] == 1).mean()
    assert fitting == pytest.approx(theirs["percentage_of_fitting_traces"], abs=0.5)
    assert ours.conforming_cases == (ours.cases["fitness"] == 1).sum()  # no lanes, norms, rules
    assert ours.approximate_cases == 0


@pytest.mark.slow
def test_our_reduced_net_accepts_what_pm4pys_conversion_accepts(mined):
    frame, _, path = mined
    ours = read_intended_journey(path).net()
    native = _pm4py.petri_net(ours.places, ours.transitions, ours.arcs, ours.initial, ours.final)
    theirs = pm4py_net(path)
    assert len(ours.transitions) <= len(theirs[0].transitions)
    variants = list(dict.fromkeys(frame.groupby("case:concept:name")["concept:name"].agg(tuple)))
    costs = [
        [result["cost"] // MOVE for result in _pm4py.align_traces(net, variants)]
        for net in (native, theirs)
    ]
    assert costs[0] == costs[1]


def language(net, longest: int) -> set[tuple[str, ...]]:
    """Every activity sequence of at most `longest` steps that takes the net from its initial
    marking to its final one (silent steps bounded too, so loops end)."""
    inputs = {name: [s for s, t in net.arcs if t == name] for name, _ in net.transitions}
    outputs = {name: [t for s, t in net.arcs if s == name] for name, _ in net.transitions}
    found, frontier = set(), {(tuple(sorted(net.initial)), ())}
    for _ in range(3 * longest):
        following = set()
        for marking, word in frontier:
            if marking == tuple(sorted(net.final)):
                found.add(word)
            for name, label in net.transitions:
                tokens = list(marking)
                if all(p in tokens and not tokens.remove(p) for p in inputs[name]):
                    step = (*word, label) if label is not None else word
                    if len(step) <= longest:
                        following.add((tuple(sorted(tokens + outputs[name])), step))
        frontier = following
    return found


def test_reduction_keeps_the_language_of_gateways_and_a_loop():
    # start ─τ─ XOR( A | B ) ─τ merge─ AND( C ‖ D ) ─τ─ loop( E, back by τ ) ─τ─ end
    b = NetBuilder()
    start, end = b.place(), b.place()
    p1, p2, p3, p4 = b.place(), b.place(), b.place(), b.place()
    b.transition(None, [start], [p1])
    a_out, b_out = b.place(), b.place()
    b.transition("A", [p1], [a_out])
    b.transition("B", [p1], [b_out])
    b.transition(None, [a_out], [p2])
    b.transition(None, [b_out], [p2])
    c_in, d_in, c_out, d_out = b.place(), b.place(), b.place(), b.place()
    b.transition(None, [p2], [c_in, d_in])
    b.transition("C", [c_in], [c_out])
    b.transition("D", [d_in], [d_out])
    b.transition(None, [c_out, d_out], [p3])
    b.transition("E", [p3], [p4])
    b.transition(None, [p4], [p3])
    b.transition(None, [p4], [end])
    net = b.net(start, end)
    reduced = reduce_net(net)
    silent = [sum(label is None for _, label in n.transitions) for n in (net, reduced)]
    # the start's silent step and the XOR merge's two go with their places p1, a_out and
    # b_out; the AND split and join stay, and so do the loop's way back and its way out
    # (into the final place)
    assert silent == [7, 4]
    assert len(reduced.places) == len(net.places) - 3
    assert language(reduced, 6) == language(net, 6)
    assert ("A", "D", "C", "E", "E") in language(reduced, 6)


def test_a_time_limit_of_nothing_approximates_every_variant_within_bounds(monkeypatch):
    monkeypatch.setattr(conformance, "_ALIGNED", {})  # no alignment from an earlier test
    journey = IntendedJourney(steps=(Step("A"), Step("B"), Step("C")))
    log = trail_log({"x": ["A", "C", "X"], "y": ["A", "B", "C"]})
    rough = check_conformance(log, journey, time_limit=0)
    exact = check_conformance(log, journey, time_limit=None)
    # x skips B and adds X: 2 deviations of 3 events + 3 steps; y fits
    assert exact.cases["fitness"].tolist() == [1 - 2 / 6, 1.0]
    assert exact.fitness == 1 - 2 / 12
    assert exact.fitness_bounds == (exact.fitness, exact.fitness)
    assert exact.approximate_cases == 0 and exact.approximate_message() is None

    # no time to search: every event a log move, then the model's run (fitness 0); the
    # best any alignment could do is one log move for X, the activity the journey lacks
    assert rough.cases["approximate"].tolist() == [True, True]
    assert rough.cases["fitness"].tolist() == [0.0, 0.0]
    assert rough.fitness_bounds == (0.0, 1 - 1 / 12)
    assert rough.fitness_bounds[0] <= exact.fitness <= rough.fitness_bounds[1]
    assert rough.approximate_cases == 2 and rough.conforming_cases == 0
    assert rough.approximate_variants == 2 and exact.approximate_variants == 0
    assert rough.to_dict()["approximate_cases"] == 2
    assert rough.to_dict()["fitness_bounds"] == [0.0, 1 - 1 / 12]
    assert say(rough.approximate_message()) == (
        "Approximate: 2 cases (2 variants) took too long to align; their deviations come from "
        "an approximate alignment (maybe too many) and the fitness lies between 0.000 and 0.917."
    )
    assert "tussen 0,000 en 0,917" in say(rough.approximate_message(), "nl")


def test_a_spent_budget_approximates_the_variants_left_rarest_last(monkeypatch):
    monkeypatch.setattr(conformance, "_ALIGNED", {})
    journey = IntendedJourney(steps=(Step("A"), Step("B"), Step("C")))
    log = trail_log({"x": ["A", "C", "X"], "y": ["A", "B", "C"], "z": ["A", "B", "C"]})
    spent = check_conformance(log, journey, time_limit=None, budget=0)
    assert spent.approximate_cases == 3
    assert spent.fitness_bounds == (0.0, 1 - 1 / 18)
    order: list[tuple[str, ...]] = []
    original = _pm4py.align_traces

    def recording(net, traces, *rest):
        order.extend(traces)
        return original(net, traces, *rest)

    monkeypatch.setattr(_pm4py, "align_traces", recording)
    unspent = check_conformance(log, journey, time_limit=None, budget=None)
    assert unspent.approximate_cases == 0 and unspent.fitness == 1 - 2 / 18
    assert order == [("A", "B", "C"), ("A", "C", "X")]  # two cases before one


def test_progress_hears_of_every_variant_aligned():
    journey = IntendedJourney(steps=(Step("Heard A"), Step("Heard B")))  # not cached yet
    heard: list[tuple[int, int]] = []
    a, b = "Heard A", "Heard B"
    log = trail_log({"x": [a, b], "y": [b, a], "z": [a], "w": [a, b]})
    check_conformance(log, journey, progress=lambda done, total: heard.append((done, total)))
    assert heard == [(1, 3), (2, 3), (3, 3)]


def test_approximate_variants_are_not_cached_as_exact():
    journey = IntendedJourney(steps=(Step("A"), Step("Q")))
    log = trail_log({"x": ["Q", "A"]})
    assert check_conformance(log, journey, time_limit=0).approximate_cases == 1
    again = check_conformance(log, journey, time_limit=None)
    assert again.approximate_cases == 0 and again.cases["fitness"].tolist() == [1 - 2 / 4]


def test_the_intended_page_says_which_cases_are_approximate(monkeypatch):
    import streamlit as st

    from tests.test_app import ROOT, AppTest, open_page

    original = _pm4py.align_traces

    def no_time(net, traces, time_limit=None, progress=None, budget=None):
        return original(net, traces, 0, progress, budget)

    monkeypatch.setattr(conformance, "_ALIGNED", {})
    monkeypatch.setattr(_pm4py, "align_traces", no_time)
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()  # an earlier AppTest in this process may have the exact result
    st.cache_resource.clear()
    at = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run(), "intended")
    notice = " ".join(str(warning.value) for warning in at.warning)
    assert notice.startswith("Approximate: 1,500 cases (")
    assert "the fitness lies between 0.000 and " in notice


def test_a_progress_bar_drawn_while_aligning_does_not_break_the_next_run(monkeypatch):
    """Aligning that takes over a second draws a progress bar; the next run (any click)
    must reuse the result without replaying that bar (Streamlit's cached functions replay
    the elements they drew, which fails for a bar made outside them)."""
    import time

    import streamlit as st

    from tests.test_app import ROOT, AppTest, open_page

    original = _pm4py.align_traces

    def slow(net, traces, time_limit=None, progress=None, budget=None):
        time.sleep(1.2)
        if progress is not None:
            progress(0, len(traces))  # the page now draws its bar
        return original(net, traces, time_limit, progress, budget)

    monkeypatch.setattr(conformance, "_ALIGNED", {})
    monkeypatch.setattr(_pm4py, "align_traces", slow)
    monkeypatch.chdir(ROOT)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = open_page(AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run(), "intended")
    assert at.metric  # the page is drawn: conformance in figures
    at.run()  # the next run, as after any click
    assert not at.exception, at.exception
    assert not at.error, [error.value for error in at.error]
    open_page(at, "cases")  # another page reading the same conformance
