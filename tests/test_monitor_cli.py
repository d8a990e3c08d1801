"""`journey monitor`: one log or the saved analyses of a process, JSON against its schema,
thresholds marking exactly the months over them, and errors said without a traceback."""

from __future__ import annotations

import pandas as pd

from discovery import to_event_log
from discovery._json import to_json_dict
from discovery.cli import EXIT_BAD_INPUT, main
from discovery.compare.monitor import monitor_log
from discovery.compare.periods import split_at
from discovery.intended.files import read_intended_journey
from discovery.simulate import IMPROVEMENT, simulate
from discovery.workspace import Workspace
from tests.conftest import SAMPLE_LOGS
from tests.journey_cli import run_json
from tests.test_compare import TRUTH

INTENDED = SAMPLE_LOGS / "hospital_intended.csv"
DAY = 86400


def test_one_log_in_json_shows_the_improvement_and_marks_the_months_over(
    capsys, improved_csv
) -> None:
    data = run_json(capsys, "monitor", improved_csv, "--intended", INTENDED, "--max-wait-days", 2.5,
               "--min-conformance", 1, "--max-handoffs", 6.9)  # fmt: skip
    step, first = TRUTH["improvement"]["step"], TRUTH["improvement"]["cases_arriving_from"][:7]
    months = [row["month"] for row in data["months"]]
    assert months[0] == "2025-03" and len(months) == 12
    assert sum(row["cases"] for row in data["months"]) == TRUTH["journeys"]["hospital"]["n_cases"]
    waits = {row["month"]: row["wait_median_s"] for row in data["waits"] if row["place"] == step}
    assert all(waits[m] > 2.5 * DAY for m in months if m < first)
    assert all(waits[m] < 2 * DAY for m in months if m >= first)
    assert {"place": step, "kind": "step", "max_wait_s": DAY} in data["norms"]
    breaches = data["breaches"]
    assert [b["month"] for b in breaches if b["figure"] == "wait"] == [
        m for m in months if m < first
    ]
    handoffs = {row["month"]: row["handoffs"] for row in data["months"]}
    assert [b["month"] for b in breaches if b["figure"] == "handoffs"] == [
        m for m in months if handoffs[m] > 6.9
    ]
    conformance = {row["month"]: row["conformance"] for row in data["months"]}
    assert [b["month"] for b in breaches if b["figure"] == "conformance"] == [
        m for m in months if conformance[m] < 0.01
    ]
    assert data["thresholds"]["min_conformance"] == 0.01


def test_the_saved_analyses_of_a_process_are_merged(capsys, tmp_path) -> None:
    log = to_event_log(simulate("hospital", headers="canonical", improvement=IMPROVEMENT))
    journey = read_intended_journey(INTENDED)
    workspace = Workspace(tmp_path / "ws.duckdb")
    early = split_at(log, "2025-10-01")[0]  # March to September
    late = split_at(log, "2025-08-01")[1]  # August on: August and September in both
    workspace.save_analysis(early, title="Hospital Q2-Q3", process="Ziekenhuis")
    workspace.save_analysis(late, title="Hospital later", process="Ziekenhuis", intended=journey)
    workspace.save_analysis(split_at(log, "2025-05-01")[0], title="Other", process="Other")
    place = ("--workspace", tmp_path / "ws.duckdb")
    merged = run_json(capsys, "monitor", "ziekenhuis", *place)
    saved_early = next(s for s in workspace.list_analyses() if s.title == "Hospital Q2-Q3")
    alone = run_json(capsys, "monitor", "ws:" + saved_early.id, *place)
    overlap = split_at(split_at(log, "2025-08-01")[1], "2025-10-01")[0].n_cases
    assert merged["overlap_cases"] == overlap > 100
    assert merged["has_journey"]  # the saved journey of the latest analysis
    assert sum(row["cases"] for row in merged["months"]) == log.n_cases
    direct = run_json(capsys, "monitor", "Hospital later", *place, "--intended", INTENDED)
    assert direct["overlap_cases"] == 0 and direct["months"][0]["month"] == "2025-08"
    assert [m["month"] for m in alone["months"]][-1] == "2025-09"
    # the merged months are those of the whole log: nothing lost, nothing counted twice
    whole = to_json_dict({"months": monitor_log(log, journey=journey).months})
    assert merged["months"] == whole["months"]


def test_an_unknown_process_is_said_without_a_traceback(capsys, tmp_path) -> None:
    code = main(["monitor", "nothing-like-it", "--workspace", str(tmp_path / "ws.duckdb")])
    assert code == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert "nothing-like-it" in err and "Traceback" not in err


def test_the_text_marks_exactly_the_months_over_a_threshold(capsys, tmp_path) -> None:
    from tests.test_monitor import CASES

    rows = [
        (case, activity, "X" if activity == "Start" else "Y",
         (pd.Timestamp(day) + pd.Timedelta(hours=hours)).strftime("%Y-%m-%d %H:%M"))
        for case, (day, events) in CASES.items() for activity, hours in events
    ]  # fmt: skip
    path = tmp_path / "tiny.csv"
    pd.DataFrame(rows, columns=["case_id", "activity", "department", "timestamp"]).to_csv(
        path, index=False
    )
    assert main(["monitor", str(path), "--max-handoffs", "1.5", "--timeout-days", "10"]) == 0
    lines = capsys.readouterr().out.splitlines()
    table = lines[: lines.index(next(line for line in lines if line.startswith("Norms")))]
    months = {line.split()[0]: line for line in table if line.strip().startswith("2025-0")}
    assert sorted(months) == ["2025-01", "2025-02", "2025-03"]
    assert [m for m, line in months.items() if "!" in line] == ["2025-02"]
    assert "2.00!" in months["2025-02"]
    assert any(line.startswith("  2025-02  handoffs per case: 2.00 (1.50)") for line in lines)
