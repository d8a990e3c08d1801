"""The simulator: determinism, planted ground truth, committed files, large logs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from discovery.simulate import (
    JOURNEYS,
    sample_files,
    simulate,
    simulate_events,
    write_events,
)

SAMPLES = Path(__file__).resolve().parents[1] / "sample_logs"
TRUTH = json.loads((SAMPLES / "ground_truth.json").read_text(encoding="utf-8"))
NAMES = list(TRUTH["journeys"])
CANONICAL = ["case_id", "activity", "start_timestamp", "timestamp", "resource", "department"]


@pytest.fixture(scope="module")
def logs() -> dict[str, pd.DataFrame]:
    """Each journey regenerated at its committed size, with canonical names via the json roles."""
    out = {}
    for name, truth in TRUTH["journeys"].items():
        frame = simulate(name, truth["n_cases"], TRUTH["seed"])
        roles = {header: role for role, header in truth["columns"].items() if header}
        log = frame.rename(columns=roles)
        for column in ("case_id", "activity", "department", "segment"):
            log[column] = log[column].astype(str)
        when = "start_timestamp" if "start_timestamp" in log else "timestamp"
        log = log.assign(_row=np.arange(len(log))).sort_values(["case_id", when, "_row"])
        out[name] = log.drop(columns="_row").reset_index(drop=True)
    return out


def test_same_seed_same_log_other_seed_other_log() -> None:
    first = simulate("mortgage", 150, seed=7)
    pd.testing.assert_frame_equal(first, simulate("mortgage", 150, seed=7))
    assert not first.equals(simulate("mortgage", 150, seed=8))


def test_journeys_differ_under_one_seed() -> None:
    a = simulate("hospital", 50, 1, headers="canonical")
    b = simulate("membership", 50, 1, headers="canonical")
    assert set(a["activity"]) != set(b["activity"])


@pytest.mark.parametrize("name", NAMES)
def test_ping_pong_rate(logs: dict[str, pd.DataFrame], name: str) -> None:
    log, truth = logs[name], TRUTH["journeys"][name]["ping_pong"]
    a, b = truth["departments"]
    changed = log[
        (log["department"] != log["department"].shift())
        | (log["case_id"] != log["case_id"].shift())
    ]
    d, c = changed["department"], changed["case_id"]
    hit = (d == a) & (d.shift(-1) == b) & (d.shift(-2) == a)
    hit &= (c.shift(-1) == c) & (c.shift(-2) == c)
    rate = c[hit].nunique() / log["case_id"].nunique()
    assert abs(rate - truth["rate"]) <= 0.01
    assert rate == pytest.approx(truth["realised"], abs=1e-4)


@pytest.mark.parametrize("name", NAMES)
def test_rework_rate(logs: dict[str, pd.DataFrame], name: str) -> None:
    log, truth = logs[name], TRUTH["journeys"][name]["rework"]
    counts = log[log["activity"] == truth["activity"]].groupby("case_id").size()
    rate = (counts >= 2).sum() / log["case_id"].nunique()
    assert abs(rate - truth["rate"]) <= 0.01
    assert rate == pytest.approx(truth["realised"], abs=1e-4)


@pytest.mark.parametrize("name", NAMES)
def test_skipped_step_rate(logs: dict[str, pd.DataFrame], name: str) -> None:
    log, journey = logs[name], TRUTH["journeys"][name]
    truth = journey["skipped_step"]
    completed = set(log.loc[log["activity"] == journey["goal"], "case_id"])
    with_step = set(log.loc[log["activity"] == truth["activity"], "case_id"])
    rate = len(completed - with_step) / len(completed)
    assert abs(rate - truth["rate"]) <= 0.01
    assert rate == pytest.approx(truth["realised"], abs=1e-4)


@pytest.mark.parametrize("name", NAMES)
def test_drop_off_rate(logs: dict[str, pd.DataFrame], name: str) -> None:
    log, truth = logs[name], TRUTH["journeys"][name]["drop_off"]
    last = log.groupby("case_id")["activity"].last()
    reached = log.loc[log["activity"] == truth["activity"], "case_id"].unique()
    rate = (last[reached] == truth["activity"]).mean()
    assert abs(rate - truth["rate"]) <= 0.01
    assert rate == pytest.approx(truth["realised"], abs=1e-4)


def _waits(log: pd.DataFrame) -> pd.DataFrame:
    same_case = log["case_id"].shift(-1) == log["case_id"]
    begin = log["start_timestamp"] if "start_timestamp" in log else log["timestamp"]
    return pd.DataFrame(
        {
            "source": log["activity"],
            "target": log["activity"].shift(-1),
            "hours": (begin.shift(-1) - log["timestamp"]) / pd.Timedelta(hours=1),
        }
    )[same_case]


@pytest.mark.parametrize("name", NAMES)
def test_bottleneck_has_the_largest_total_wait(logs: dict[str, pd.DataFrame], name: str) -> None:
    truth = TRUTH["journeys"][name]["bottleneck"]
    totals = _waits(logs[name]).groupby(["source", "target"])["hours"].sum()
    ranked = totals.sort_values(ascending=False)
    assert ranked.index[0] == (truth["from"], truth["to"])
    assert ranked.iloc[1] < 0.8 * ranked.iloc[0]


@pytest.mark.parametrize("name", NAMES)
def test_slow_segment_waits_longer(logs: dict[str, pd.DataFrame], name: str) -> None:
    log, truth = logs[name], TRUTH["journeys"][name]["slow_segment"]
    begin = log["start_timestamp"] if "start_timestamp" in log else log["timestamp"]
    previous_end = log.groupby("case_id")["timestamp"].shift()
    log = log.assign(hours=(begin - previous_end) / pd.Timedelta(hours=1))
    first = log[log["activity"] == truth["step"]].groupby("case_id").head(1).dropna(subset="hours")
    inside = first["segment"] == truth["value"]
    factor = first.loc[inside, "hours"].median() / first.loc[~inside, "hours"].median()
    assert factor == pytest.approx(truth["factor"], rel=0.15)
    assert factor == pytest.approx(truth["realised_factor"], abs=0.01)


@pytest.mark.parametrize("name", NAMES)
def test_log_shape_matches_ground_truth(logs: dict[str, pd.DataFrame], name: str) -> None:
    log, truth = logs[name], TRUTH["journeys"][name]
    assert log["case_id"].nunique() == truth["n_cases"]
    assert len(log) == truth["n_events"]
    assert log.groupby("case_id")["segment"].nunique().max() == 1
    assert log["score"].notna().any() and log["score"].isna().any()
    assert (log["timestamp"].dt.year >= 2025).all()
    if "start_timestamp" in log:
        assert (log["start_timestamp"] <= log["timestamp"]).all()


def test_committed_text_files_equal_a_fresh_generation() -> None:
    fresh = sample_files(TRUTH["seed"], xlsx=False)
    for name, content in fresh.items():
        assert (SAMPLES / name).read_bytes() == content, f"{name} drifted: regenerate"


@pytest.mark.parametrize("name", NAMES)
def test_committed_workbook_holds_the_log(name: str) -> None:
    truth = TRUTH["journeys"][name]
    frame = simulate(name, truth["n_cases"], TRUTH["seed"])
    case_id, time = truth["columns"]["case_id"], truth["columns"]["timestamp"]
    sheet = pd.read_excel(
        SAMPLES / truth["files"]["xlsx"],
        sheet_name=truth["xlsx"]["sheet"],
        header=truth["xlsx"]["header_row"] - 1,
        dtype={case_id: str},
        engine="calamine",
    )
    assert list(sheet.columns) == list(frame.columns)
    assert sheet[case_id].astype(str).tolist() == frame[case_id].astype(str).tolist()
    assert (pd.to_datetime(sheet[time]) == frame[time]).all()


def test_dutch_csv_dialect() -> None:
    text = (SAMPLES / "hospital.csv").read_text(encoding="utf-8")
    header, first = text.splitlines()[:2]
    assert header.startswith("patiëntnummer;activiteit;starttijd;eindtijd")
    assert re.search(r";\d{2}-\d{2}-\d{4} \d{2}:\d{2};", first)
    assert re.search(r";\d{1,2},\d;", text)
    assert (SAMPLES / "permit.csv").read_text(encoding="utf-8").splitlines()[1].startswith("000")


@pytest.mark.parametrize("name", NAMES)
def test_intended_table(name: str) -> None:
    table = pd.read_csv(SAMPLES / TRUTH["journeys"][name]["files"]["intended"], dtype=str)
    assert list(table.columns) == [
        "step", "activity", "department", "optional", "may_repeat", "parallel_group",
        "alternative_group", "goal", "max_wait_hours",
    ]  # fmt: skip
    assert (table["goal"] == "yes").sum() == 1
    assert table["step"].astype(int).tolist() == list(range(1, len(table) + 1))
    assert set(table["activity"]) <= {s.activity for s in JOURNEYS[name].steps}


def test_large_log_has_exactly_the_events_asked_for(tmp_path: Path) -> None:
    frame = simulate_events(50_000, "hospital", seed=3)
    assert len(frame) == 50_000
    assert list(frame.columns[:6]) == CANONICAL
    assert frame[CANONICAL].notna().all().all()
    assert (frame["start_timestamp"] <= frame["timestamp"]).all()
    csv = pd.read_csv(write_events(frame, tmp_path / "large.csv"), dtype={"case_id": str})
    parquet = pd.read_parquet(write_events(frame, tmp_path / "large.parquet"))
    assert len(csv) == len(parquet) == 50_000
    assert csv["case_id"].iloc[0] == str(frame["case_id"].iloc[0])
    assert (pd.to_datetime(csv["timestamp"]) == frame["timestamp"]).all()
