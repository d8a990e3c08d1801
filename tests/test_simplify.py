from discovery.mining.simplify import readable_detail, simplify_map
from tests.handworked import handworked_log


def pairs(process_map):
    return set(zip(process_map.edges["source"], process_map.edges["target"], strict=True))


def test_activities_slider_recomputes_flows_without_removed_nodes():
    reduced = simplify_map(handworked_log(), activities=2 / 3)
    assert set(reduced.nodes["name"]) == {"Intake", "Check"}
    assert pairs(reduced) == {("Intake", "Check"), ("Check", "Intake"), ("Check", "Check")}


def test_paths_slider_keeps_every_node_between_start_and_end():
    reduced = simplify_map(handworked_log(), paths=0.2)
    # the top edge alone leaves Decide unreachable and Check without a way out:
    # the strongest edges that repair that are added back
    assert pairs(reduced) == {("Intake", "Check"), ("Intake", "Decide"), ("Check", "Decide")}


def test_full_detail_is_the_full_map():
    assert len(simplify_map(handworked_log()).edges) == 5
    assert readable_detail(handworked_log()) == (1.0, 1.0)


def test_full_detail_returns_the_map_given_without_computing_it_again():
    from discovery import discover_map

    log = handworked_log()
    full = discover_map(log)
    assert simplify_map(log, full=full) is full


def test_activities_slider_on_a_filtered_log_equals_the_kept_events_read_afresh():
    import pandas as pd

    from discovery import CaseAttribute, apply_filters, discover_map, read_event_log
    from tests.conftest import SAMPLE_LOGS

    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    filtered = apply_filters(log, [CaseAttribute("leeftijdsgroep", ("75+",))])
    full = discover_map(filtered)
    reduced = simplify_map(filtered, activities=0.5)
    assert "events" not in vars(filtered)  # computed from the registered events alone
    kept = set(full.nodes["name"].head(len(reduced.nodes)))
    events = filtered.events[filtered.events["activity"].isin(kept)].reset_index(drop=True)
    afresh = discover_map(filtered.with_events(events))
    assert 0 < len(reduced.nodes) < len(full.nodes)
    for part in ("nodes", "edges", "starts", "ends"):
        pd.testing.assert_frame_equal(getattr(reduced, part), getattr(afresh, part))


def test_the_activities_slider_keeps_no_registration_of_its_reduced_events():
    from discovery import engine

    log = handworked_log()
    simplify_map(log, activities=2 / 3)
    simplify_map(log, activities=2 / 3)
    prepared = engine.prepared_logs()
    assert any(entry is log for entry in prepared)
    assert not any(getattr(entry, "parent", None) is log for entry in prepared)
