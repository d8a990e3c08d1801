import pytest

from discovery.mining.maps import discover_map
from tests.handworked import handworked_log, many_values_log

MIN = 60


@pytest.fixture(scope="module")
def activity_map():
    return discover_map(handworked_log(), "activity")


def edge(process_map, source, target):
    edges = process_map.edges.set_index(["source", "target"])
    return edges.loc[(source, target)]


def test_edges_frequencies_and_cases(activity_map):
    pairs = {(r.source, r.target): (r.frequency, r.cases) for r in activity_map.edges.itertuples()}
    assert pairs == {
        ("Intake", "Check"): (2, 2),
        ("Check", "Intake"): (1, 1),
        ("Intake", "Decide"): (2, 2),
        ("Check", "Check"): (1, 1),
        ("Check", "Decide"): (1, 1),
    }


def test_waits_from_end_of_source_to_start_of_target(activity_map):
    # Intake→Check: case 1 09:00→09:30 (30 min), case 3 10:00→10:00 (0)
    intake_check = edge(activity_map, "Intake", "Check")
    assert intake_check["wait_mean_s"] == 15 * MIN
    assert intake_check["wait_median_s"] == 15 * MIN
    assert intake_check["wait_total_s"] == 30 * MIN
    # Intake→Decide: case 1 12:00→12:30 (30), case 2 09:00→10:00 (60); p90 = 30 + 0.9 * 30
    intake_decide = edge(activity_map, "Intake", "Decide")
    assert intake_decide["wait_median_s"] == 45 * MIN
    assert intake_decide["wait_p90_s"] == pytest.approx(57 * MIN)


def test_nodes_starts_and_ends(activity_map):
    nodes = activity_map.nodes.set_index("name")
    assert nodes.loc["Intake", "events"] == 4 and nodes.loc["Intake", "cases"] == 3
    assert nodes.loc["Check", "events"] == 3 and nodes.loc["Check", "cases"] == 2
    # Intake service: 30, 60, 60, 60 min → median 60, mean 52.5
    assert nodes.loc["Intake", "service_median_s"] == 60 * MIN
    assert nodes.loc["Intake", "service_mean_s"] == 52.5 * MIN
    assert activity_map.to_dict()["start"] == {"Intake": 3}
    assert activity_map.to_dict()["end"] == {"Decide": 3}


def test_department_map_counts_self_loops_like_pm4py():
    department_map = discover_map(handworked_log(), "department")
    pairs = {(r.source, r.target): r.frequency for r in department_map.edges.itertuples()}
    assert pairs == {("Front", "Back"): 4, ("Back", "Front"): 1, ("Back", "Back"): 2}


def test_without_start_times_waits_run_end_to_end():
    plain = discover_map(handworked_log(with_start=False))
    # Intake→Decide: case 1 12:00→13:00 (60), case 2 09:00→11:00 (120)
    assert edge(plain, "Intake", "Decide")["wait_mean_s"] == 90 * MIN
    assert plain.nodes["service_mean_s"].isna().all()


def test_maps_from_several_threads_at_once_agree():
    """The app runs each session in its own thread; they share the engine."""
    from concurrent.futures import ThreadPoolExecutor

    logs = [handworked_log() for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        maps = list(pool.map(lambda log: discover_map(log, "department"), logs))
    first = maps[0].edges
    for other in maps[1:]:
        assert other.edges.equals(first)


@pytest.mark.parametrize("values", [128, 32_768])
@pytest.mark.parametrize("level", ["activity", "resource"])
def test_a_level_whose_codes_just_fit_their_narrow_type(values, level):
    """128 (32,768) values have int8 (int16) codes: "no next node" must not wrap around."""
    process_map = discover_map(many_values_log(values, level), level)
    assert len(process_map.nodes) == values
    assert process_map.ends.to_dict("records") == [{"name": "End", "cases": values - 1}]
    assert (process_map.edges["target"] == "End").all()
    assert (process_map.edges[["frequency", "cases"]] == 1).all(axis=None)
