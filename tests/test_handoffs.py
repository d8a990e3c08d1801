import pytest

from discovery.mining.handoffs import analyse_handoffs
from tests.handworked import handworked_log


@pytest.fixture(scope="module")
def report():
    return analyse_handoffs(handworked_log())


def test_per_case_bureaucracy(report):
    cases = report.per_case.set_index("case_id")
    # case 1 visits Front, Back, Front, Back: 3 handoffs, ping-pong twice (F-B-F, B-F-B)
    assert cases.loc["1", "handoffs"] == 3
    assert cases.loc["1", "pingpongs"] == 2
    assert cases.loc["1", "rework_events"] == 1  # Intake twice
    assert cases.loc["2", "handoffs"] == 1 and cases.loc["2", "pingpongs"] == 0
    assert cases.loc["3", "handoffs"] == 1 and cases.loc["3", "rework_events"] == 1
    # case 3 resources r1, r2, r3, r2: one resource ping-pong
    assert cases.loc["3", "resource_pingpongs"] == 1
    assert cases.loc["1", "departments"] == 2


def test_flow_efficiency(report):
    case = report.per_case.set_index("case_id").loc["2"]
    # 08:00-09:00 and 10:00-11:00 worked, 08:00 → 11:00 throughput
    assert case["working_s"] == 7200 and case["throughput_s"] == 10800
    assert case["waiting_s"] == 3600
    assert case["flow_efficiency"] == pytest.approx(2 / 3)


def test_matrix_pingpong_rework_and_waiting_share(report):
    matrix = {(r.source, r.target): (r.handoffs, r.cases) for r in report.matrix.itertuples()}
    assert matrix == {("Front", "Back"): (4, 3), ("Back", "Front"): (1, 1)}
    pingpong = {(r.first, r.second): (r.occurrences, r.cases) for r in report.pingpong.itertuples()}
    assert pingpong == {("Back", "Front"): (2, 1)}
    resources = {(r.first, r.second): r.cases for r in report.resource_pingpong.itertuples()}
    assert resources == {("r1", "r2"): 1, ("r2", "r3"): 1}  # case 1: r1 r2 r1 r2; case 3
    rework = {r.activity: (r.cases, r.repeats) for r in report.rework.itertuples()}
    assert rework == {"Intake": (1, 1), "Check": (1, 1)}
    # waits before Back events: 30 + 30 + 60 + 0 + 90 + 30 = 240 min; before Front: 60 min
    waiting = report.waiting_by_department.set_index("department")
    assert waiting.loc["Back", "waiting_s"] == 240 * 60
    assert waiting.loc["Front", "waiting_s"] == 60 * 60
    assert waiting.loc["Back", "share"] == pytest.approx(0.8)
    assert report.share_of_cases("pingpongs") == pytest.approx(1 / 3)


def test_mean_per_case_and_the_square_matrix(report):
    assert report.mean_per_case("handoffs") == pytest.approx(5 / 3)  # 3, 1 and 1
    assert report.mean_per_case("pingpongs") == pytest.approx(2 / 3)  # case 1 twice
    square = report.square_matrix()
    # rows hand over, columns receive: Front → Back 4 times, Back → Front once
    assert list(square.index) == list(square.columns) == ["Back", "Front"]
    assert square.values.tolist() == [[0, 1], [4, 0]]


def test_per_case_figures_equal_a_plain_pandas_count_on_a_sample_log():
    import pandas as pd

    from discovery import read_event_log
    from tests.conftest import SAMPLE_LOGS

    log = read_event_log(SAMPLE_LOGS / "hospital.csv")
    report = analyse_handoffs(log)
    got = report.per_case.set_index("case_id")
    events = log.events.astype({"case_id": "str", "activity": "str", "department": "str"})
    case, department = events["case_id"], events["department"].fillna("(none)")
    new_case = case != case.shift()
    visits = events[new_case | (department != department.shift())].assign(department=department)
    visit_case, visit_department = visits["case_id"], visits["department"]
    bounce = (visit_department == visit_department.shift(2)) & (visit_case == visit_case.shift(2))
    begin = events["start_timestamp"].fillna(events["timestamp"])
    expected = pd.DataFrame(
        {
            "events": case.groupby(case).size(),
            "departments": department.groupby(case).nunique(),
            "handoffs": (~new_case[visits.index]).groupby(visit_case).sum(),
            "pingpongs": bounce.groupby(visit_case).sum(),
            "rework_events": case.groupby(case).size()
            - events.groupby("case_id")["activity"].nunique(),
            "throughput_s": (
                events["timestamp"].groupby(case).max() - begin.groupby(case).min()
            ).dt.total_seconds(),
        }
    )
    pd.testing.assert_frame_equal(
        got[expected.columns], expected.loc[got.index], check_dtype=False, check_names=False
    )
    assert report.matrix["handoffs"].sum() == got["handoffs"].sum() > 0
    assert got["pingpongs"].sum() > 0


@pytest.mark.parametrize("values", [128, 32_768])
@pytest.mark.parametrize("level", ["department", "resource"])
def test_departments_and_resources_with_narrow_codes(values, level):
    """128 (32,768) values have int8 (int16) codes: the figures are as with few values."""
    from tests.handworked import many_values_log

    report = analyse_handoffs(many_values_log(values, level))
    per_case = report.per_case
    assert len(per_case) == values - 1
    if level == "department":  # every case "V<i>" → "End": two departments, one handoff
        assert (per_case[["departments", "handoffs"]] == [2, 1]).all(axis=None)
        assert report.matrix["target"].eq("End").all() and len(report.matrix) == values - 1
        assert report.matrix[["handoffs", "cases"]].eq(1).all(axis=None)
    assert per_case[["pingpongs", "resource_pingpongs", "rework_events"]].eq(0).all(axis=None)
