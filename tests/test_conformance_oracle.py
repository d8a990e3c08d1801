"""Conformance against outside truth: pm4py's own alignment fitness on real logs, and the
deviations planted in the sample logs (sample_logs/ground_truth.json)."""

import json

import pytest

from discovery import discover_model, discover_variants, read_event_log
from discovery.intended.conformance import check_conformance
from discovery.intended.files import read_intended_journey
from discovery.intended.model import journey_from_model, journey_from_variant
from discovery.mining import _pm4py
from tests.conftest import SAMPLE_LOGS

TRUTH = json.loads((SAMPLE_LOGS / "ground_truth.json").read_text(encoding="utf-8"))["journeys"]
JOURNEYS = sorted(TRUTH)


def pm4py_fitness(log, journey) -> dict:
    net = journey.net()
    native = _pm4py.petri_net(net.places, net.transitions, net.arcs, net.initial, net.final)
    return _pm4py.fitness_alignments(log, native)


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("receipt.xes.gz", "inductive"),  # noise 0.2
        ("receipt.xes.gz", "top variant"),
        ("sepsis.csv", "top variant"),
    ],
)
def test_fitness_equals_pm4py_alignments_on_the_whole_log(shared_logs, name, reference):
    log = read_event_log(shared_logs / name)
    if reference == "inductive":
        journey = journey_from_model(discover_model(log, noise=0.2), log)
    else:
        journey = journey_from_variant(discover_variants(log).variants["activities"][0], log)
    ours = check_conformance(log, journey)
    theirs = pm4py_fitness(log, journey)
    # pm4py's default aligner (A*) costs every silent step 1 in 10,000; ours (Dijkstra, on
    # the net reduced to fewer silent steps) costs fewer: the log fitness differs by that
    # alone, while each trace's fitness (deviations only) is the same
    assert ours.fitness == pytest.approx(theirs["log_fitness"], abs=1e-3)
    assert ours.cases["fitness"].mean() == pytest.approx(theirs["average_trace_fitness"], abs=1e-12)
    fitting = 100 * (ours.cases["fitness"] == 1).mean()
    assert fitting == pytest.approx(theirs["percentage_of_fitting_traces"], abs=1e-9)
    assert ours.n_cases == log.n_cases


@pytest.fixture(scope="module", params=JOURNEYS)
def planted(request):
    name = request.param
    log = read_event_log(SAMPLE_LOGS / TRUTH[name]["files"]["csv"])
    journey = read_intended_journey(SAMPLE_LOGS / TRUTH[name]["files"]["intended"])
    return name, log, check_conformance(log, journey)


def cases_with(result, kind: str, step: str) -> set[str]:
    deviations = result.deviations
    hit = deviations[(deviations["kind"] == kind) & (deviations["step"] == step)]
    return set(hit["case_id"])


def trails(log) -> dict[str, list[str]]:
    return log.events.groupby("case_id", sort=False)["activity"].agg(list).to_dict()


def test_planted_skipped_step_is_found(planted):
    name, log, result = planted
    truth = TRUTH[name]["skipped_step"]
    reached = {case for case, steps in trails(log).items() if TRUTH[name]["goal"] in steps}
    assert len(reached) == truth["denominator_cases"]
    skipped = cases_with(result, "skipped_step", truth["activity"]) & reached
    assert len(skipped) / len(reached) == pytest.approx(truth["realised"], abs=0.01)


def test_planted_rework_is_a_repeated_step_unless_designed(planted):
    name, log, result = planted
    truth = TRUTH[name]["rework"]
    repeated = cases_with(result, "repeated_step", truth["activity"])
    journey = result.journey.steps
    designed_to_repeat = any(s.activity == truth["activity"] and s.may_repeat for s in journey)
    if designed_to_repeat:  # permit: the completeness check may repeat by design
        assert repeated == set()
    else:
        assert len(repeated) / log.n_cases == pytest.approx(truth["realised"], abs=0.01)


def test_planted_ping_pong_detour_is_an_extra_step(planted):
    name, log, result = planted
    truth = TRUTH[name]["ping_pong"]
    detour = truth["activities"][1]  # the step that sends the case back
    extra = cases_with(result, "extra_step", detour)
    assert len(extra) / log.n_cases == pytest.approx(truth["realised"], abs=0.01)


def test_planted_drop_off_ends_the_case_early(planted):
    name, log, result = planted
    truth = TRUTH[name]["drop_off"]
    reaching = {case for case, steps in trails(log).items() if truth["activity"] in steps}
    assert len(reaching) == truth["denominator_cases"]
    ended = cases_with(result, "ended_early", truth["activity"])
    assert len(ended) / len(reaching) == pytest.approx(truth["realised"], abs=0.01)
