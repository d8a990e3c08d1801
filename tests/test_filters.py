import pandas as pd
import pytest

from discovery.mining.filters import (
    CaseAttribute,
    CaseDuration,
    DepartmentsTouched,
    Endpoints,
    Follows,
    TimeWindow,
    VariantSelection,
    apply_filters,
    attribute_values,
    describe_filters,
    kept_case_ids,
)
from discovery.words import say
from tests.handworked import handworked_log

# Case 1: Intake 08:30 … Decide 13:00; case 2: 08:00 … 11:00; case 3: 09:00 … 13:30 (2024-03-04)


@pytest.fixture(scope="module")
def log():
    return handworked_log()


def at(hhmm):
    return pd.Timestamp(f"2024-03-04 {hhmm}", tz="UTC")


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (TimeWindow(at("08:00"), at("12:00"), "contained"), {"2"}),
        (TimeWindow(at("11:30"), at("12:00"), "intersecting"), {"1", "3"}),
        (TimeWindow(at("08:15"), at("09:30"), "started"), {"1", "3"}),
        (CaseAttribute("resource", ("r3",)), {"2", "3"}),
        (CaseAttribute("resource", ("r3",), keep=False), {"1"}),
        (VariantSelection(top=1), {"3"}),
        (VariantSelection(coverage=0.5), {"1", "3"}),
        (Endpoints(start=("Intake",), end=("Decide",)), {"1", "2", "3"}),
        (Endpoints(end=("Check",)), set()),
        (CaseDuration(4 * 3600), {"1", "3"}),
        (CaseDuration(0, 4 * 3600), {"2"}),
        (Follows("Check", "Intake"), {"1"}),
        (Follows("Check", "Decide"), {"3"}),
        (Follows("Check", "Decide", directly=False), {"1", "3"}),
        (Follows("Intake", "Decide", keep=False), {"3"}),
        (DepartmentsTouched(("Back",)), {"1", "2", "3"}),
        (DepartmentsTouched(("Front", "Back"), require_all=True, keep=False), set()),
    ],
)
def test_each_filter_keeps_the_right_cases(log, selection, expected):
    assert kept_case_ids(log, selection) == expected
    filtered = apply_filters(log, [selection])
    assert set(filtered.events["case_id"]) == expected


def test_filters_combine_and_keep_whole_trails(log):
    filtered = apply_filters(log, [CaseAttribute("resource", ("r3",)), CaseDuration(4 * 3600)])
    assert set(filtered.events["case_id"]) == {"3"}
    assert len(filtered.events) == 4
    assert filtered.n_cases == 1


def test_attribute_values_are_what_a_case_attribute_filter_keeps(log):
    assert attribute_values(log, "segment") == ("old", "young")
    assert attribute_values(log, "resource") == ("r1", "r2", "r3")
    kept = apply_filters(log, [CaseAttribute("segment", attribute_values(log, "segment")[:1])])
    assert kept.n_cases == 2  # cases 2 and 3 are "old"
    from tests.journey_log import journey_log

    # scores on four of the fourteen events, as text; the empty ones are no value to keep
    assert attribute_values(journey_log(), "score") == ("2.0", "4.0", "6.0", "8.0")


def test_filters_in_words():
    filters = [
        TimeWindow(pd.Timestamp("2025-01-01", tz="UTC"), pd.Timestamp("2025-06-30", tz="UTC")),
        Follows("Intake", "Decide", directly=False, keep=False),
    ]
    assert say(describe_filters(filters)) == (
        "cases active in 01-01-2025 – 30-06-2025; and "
        "cases except where Intake is eventually followed by Decide"
    )
    assert say(describe_filters(filters), "nl") == (
        "zaken actief in 01-01-2025 – 30-06-2025; en zaken zonder Intake ooit gevolgd door Decide"
    )
    assert say(describe_filters([])) == "all cases"


def test_variant_selection_follows_the_variant_ranking():
    from discovery import discover_variants, read_event_log
    from discovery.engine import execute
    from discovery.mining.variants import case_sequences
    from tests.conftest import SAMPLE_LOGS

    log = read_event_log(SAMPLE_LOGS / "complaints.csv")
    variants = discover_variants(log).variants
    sequences = execute(case_sequences(log).select("case_id", "activities"))
    sequences["activities"] = sequences["activities"].map(tuple)
    for top in (1, 3, 7):
        chosen = set(variants["activities"].head(top))
        expected = set(sequences.loc[sequences["activities"].isin(chosen), "case_id"])
        assert kept_case_ids(log, VariantSelection(top=top)) == expected
    # coverage: the fewest top variants whose cases reach the share
    needed = int((variants["cumulative_share"] < 0.8).sum()) + 1
    chosen = set(variants["activities"].head(needed))
    expected = set(sequences.loc[sequences["activities"].isin(chosen), "case_id"])
    assert kept_case_ids(log, VariantSelection(coverage=0.8)) == expected


def test_a_filter_that_keeps_every_case_returns_the_log_itself(log):
    assert apply_filters(log, [CaseDuration(0)]) is log


def test_a_filtered_log_analyses_as_if_registered_afresh():
    from discovery import analyse_handoffs, discover_map, read_event_log, trace_case
    from tests.conftest import SAMPLE_LOGS

    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    discover_map(log)  # registers the log's events, so that the filtered log derives its own
    filtered = apply_filters(log, [CaseAttribute("leeftijdsgroep", ("75+",))])
    derived = {level: discover_map(filtered, level) for level in ("activity", "department")}
    assert "events" not in vars(filtered)  # the maps copied no events
    events = filtered.events
    assert (filtered.n_events, filtered.n_cases) == (len(events), events["case_id"].nunique())
    afresh = filtered.with_events(filtered.events.copy())
    for level in ("activity", "department"):
        derived, fresh = discover_map(filtered, level), discover_map(afresh, level)
        pd.testing.assert_frame_equal(derived.edges, fresh.edges)
        pd.testing.assert_frame_equal(derived.nodes, fresh.nodes)
        pd.testing.assert_frame_equal(derived.starts, fresh.starts)
    pd.testing.assert_frame_equal(
        analyse_handoffs(filtered).per_case, analyse_handoffs(afresh).per_case
    )
    # `order` is the row in the filtered log's own events: a case's trail reads its attributes
    case = filtered.events["case_id"].iloc[-1]
    assert trace_case(filtered, case).attributes == trace_case(afresh, case).attributes
    assert dict(trace_case(filtered, case).attributes)["leeftijdsgroep"] == "75+"


def test_filtering_a_filtered_log_equals_filtering_once():
    from discovery import case_variants, discover_map, discover_variants, read_event_log
    from tests.conftest import SAMPLE_LOGS

    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    elderly = CaseAttribute("leeftijdsgroep", ("75+",))
    common = VariantSelection(top=3)
    twice = apply_filters(apply_filters(log, [elderly]), [common])
    once = apply_filters(log, [elderly, common]).with_events(twice.events.copy())
    assert set(twice.events["case_id"]) != set(apply_filters(log, [common]).events["case_id"])
    pd.testing.assert_frame_equal(discover_map(twice).edges, discover_map(once).edges)
    variants = case_variants(twice)
    assert variants.sequences == tuple(discover_variants(once).variants["activities"])
    assert variants.variant.max() == 3


def test_analyses_of_a_log_filtered_to_no_case_say_so_or_are_empty():
    from discovery import (
        analyse_handoffs,
        check_conformance,
        compare_segments,
        discover_map,
        discover_variants,
        read_event_log,
        read_intended_journey,
    )
    from tests.conftest import SAMPLE_LOGS

    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    empty = apply_filters(log, [CaseDuration(minimum_s=1e12)])
    assert (empty.n_cases, empty.n_events) == (0, 0)
    assert discover_map(empty).edges.empty and discover_variants(empty).variants.empty
    assert analyse_handoffs(empty).per_case.empty
    journey = read_intended_journey(SAMPLE_LOGS / "hospital_intended.csv")
    with pytest.raises(ValueError, match="no cases to hold against the intended journey"):
        check_conformance(empty, journey)
    with pytest.raises(ValueError, match="no cases to compare segments of"):
        compare_segments(empty, "leeftijdsgroep")
