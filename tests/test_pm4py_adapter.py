import pandas as pd

from discovery import to_event_log
from discovery.mining._pm4py import from_pm4py, pm4py, to_pm4py

NOW = pd.Timestamp("2025-01-01", tz="UTC")


def small_log():
    frame = pd.DataFrame(
        {
            "Zaak": ["b", "a", "a", "b", "a"],
            "Stap": ["Intake", "Intake", "Besluit", "Besluit", "Archief"],
            "Datum": [
                "2024-01-02 10:00",
                "2024-01-01 09:00",
                "2024-01-01 12:00",
                "2024-01-03 10:00",
                "2024-01-01 12:00",
            ],
            "Afdeling": ["Balie", "Balie", "Back", "Back", "Archief"],
        }
    )
    return to_event_log(frame, now=NOW)


def test_to_pm4py_uses_xes_keys_and_keeps_source_order_for_ties():
    frame = to_pm4py(small_log())
    assert {"case:concept:name", "concept:name", "time:timestamp", "org:group"} <= set(frame)
    trail = frame[frame["case:concept:name"] == "a"]["concept:name"].tolist()
    assert trail == ["Intake", "Besluit", "Archief"]
    dfg, starts, ends = pm4py().discover_dfg(frame)
    assert dfg == {("Intake", "Besluit"): 2, ("Besluit", "Archief"): 1}
    assert starts == {"Intake": 2} and ends == {"Archief": 1, "Besluit": 1}


def test_round_trip_through_pm4py_format():
    log = small_log()
    again = from_pm4py(to_pm4py(log))
    columns = ["case_id", "activity", "timestamp", "department"]
    pd.testing.assert_frame_equal(again.events[columns], log.events[columns])


def test_start_times_are_left_out_so_pm4py_keeps_our_order():
    from discovery.mining.maps import discover_map
    from tests.handworked import handworked_log

    log = handworked_log()
    frame = to_pm4py(log)
    assert "start_timestamp" not in frame
    assert "start_timestamp" in to_pm4py(log, start_times=True)
    dfg, _, _ = pm4py().discover_dfg(frame)
    edges = discover_map(log).edges.set_index(["source", "target"])["frequency"]
    assert dfg == edges.to_dict()
