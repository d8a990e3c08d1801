"""The journey lens: every figure on a tiny hand-worked log (tests/journey_log.py), the
planted drop-off steps of the sample logs, and the Sepsis log end to end."""

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from discovery import discover_segments, read_event_log, to_event_log
from discovery.cli import lens_text
from discovery.errors import LogError
from discovery.lens.findings import complaint_message, dropoff_message, moment_message
from discovery.lens.journey import analyse_journey
from discovery.lens.stages import Stages, read_stages, stages_from_edits, suggest_stages
from discovery.words import say
from tests.handworked import handworked_log
from tests.journey_log import DAY, STAGES, journey_log
from tests.test_cli import journey

SAMPLES = Path(__file__).resolve().parents[1] / "sample_logs"
TRUTH = json.loads((SAMPLES / "ground_truth.json").read_text())["journeys"]


@pytest.fixture(scope="module")
def lens():
    return analyse_journey(journey_log(), STAGES, goals=["Decide"], timeout_days=10, min_group=1)


def test_stages_stage_by_stage(lens):
    stages = lens.stages.set_index("stage")
    assert list(stages.index) == ["Apply", "Assess", "Close"]
    assert stages["cases"].tolist() == [5, 3, 3]
    assert stages["events"].tolist() == [5, 5, 3]
    assert stages["share"].tolist() == [1.0, 0.6, 0.6]
    # Assess: A from Check 02 10:00 to Visit 04 10:00 (2 days), B 1 day, C 0
    assert stages.loc["Assess", "time_median_s"] == DAY
    assert stages.loc["Assess", "time_mean_s"] == DAY
    # waits before the stage: A 1 day, B 2 days, C 1 day; Close: A 1, B 2, E 1
    for stage in ("Assess", "Close"):
        assert stages.loc[stage, "waited_cases"] == 3
        assert stages.loc[stage, "wait_median_s"] == DAY
        assert stages.loc[stage, "wait_mean_s"] == pytest.approx(4 / 3 * DAY)
    assert stages.loc["Apply", "waited_cases"] == 0
    assert math.isnan(stages.loc["Apply", "wait_median_s"])
    assert stages.loc["Assess", "touchpoints"] == ("Check", "Visit")
    assert stages.loc["Assess", "departments"] == ("Back", "Field")
    assert stages.loc["Apply", "channels"] == ("web", "app", "phone")
    assert stages.loc["Assess", "channels"] == ("phone", "desk", "web")
    assert stages.loc["Close", "channels"] == ("letter",)
    assert lens.unstaged == ("Complaint filed",)
    assert lens.not_in_log == ()


def test_stage_file_activities_missing_from_the_log_are_listed():
    stages = Stages.from_pairs([*STAGES.assignments, ("Chek", "Assess")])
    lens = analyse_journey(journey_log(), stages, goals=["Decide"])
    assert lens.not_in_log == ("Chek",)


def test_touchpoints_channels_and_other_organisations(lens):
    touch = lens.touchpoints.set_index("activity")
    assert list(touch.index) == ["Apply", "Check", "Visit", "Decide", "Complaint filed"]
    assert touch.loc["Check", ["events", "cases"]].tolist() == [4, 3]
    assert touch.loc["Check", "wait_median_s"] == DAY
    assert touch.loc["Visit", "wait_median_s"] == 2 * DAY
    assert touch.loc["Check", "channels"] == ("phone", "web")
    assert touch.loc["Decide", "score_mean"] == 6.0
    assert touch["external"].tolist() == [False, False, True, False, False]
    assert lens.external.to_dict("records") == [
        {"activity": "Visit", "organisation": "Partner", "events": 1, "cases": 1}
    ]
    check = lens.channels[lens.channels["activity"] == "Check"]
    assert check[["channel", "events", "share"]].values.tolist() == [
        ["phone", 3, 0.75],
        ["web", 1, 0.25],
    ]


def test_channel_switches(lens):
    # A web→phone→desk→letter (3), B web→web→phone→letter (2), C app→phone (1), D 0,
    # E phone→phone→letter (1)
    assert lens.cases["channel_switches"].tolist() == [3, 2, 1, 0, 1]
    assert lens.switches_per_case == pytest.approx(1.4)
    assert lens.channel_switches.values.tolist() == [
        ["phone", "letter", 2, 2],
        ["web", "phone", 2, 2],
        ["app", "phone", 1, 1],
        ["desk", "letter", 1, 1],
        ["phone", "desk", 1, 1],
    ]


def test_emotion_curve_with_a_complaint_as_the_worst_score(lens):
    emotion = lens.emotion
    assert emotion.scale == "score" and emotion.worst == 2.0
    touch = emotion.by_touchpoint.set_index("activity")
    assert touch.loc["Complaint filed", ["scores", "complaints", "signals", "mean"]].tolist() == [
        0, 1, 1, 2.0,
    ]  # fmt: skip
    # Decide: 8, 4, 6 → mean 6, sd 2, t(0.975, 2) = 4.302653 → ± 4.968275
    assert touch.loc["Decide", "mean"] == 6.0
    assert touch.loc["Decide", "ci_low"] == pytest.approx(6 - 4.968275, abs=1e-6)
    assert touch.loc["Decide", "ci_high"] == pytest.approx(6 + 4.968275, abs=1e-6)
    assert math.isnan(touch.loc["Check", "ci_low"])  # one score: no interval
    stage = emotion.by_stage.set_index("stage")
    assert list(stage.index) == ["Assess", "Close"]
    assert stage.loc["Assess", "mean"] == 2.0


def test_dropoff_outcomes_and_funnel(lens):
    dropoff = lens.dropoff
    per_case = dropoff.per_case.set_index("case_id")
    assert per_case["outcome"].to_dict() == {
        "A": "completed", "B": "completed", "C": "abandoned", "D": "open", "E": "completed",
    }  # fmt: skip
    # C stopped at Check 03 09:00 after waiting a day; the log ends 20 10:00
    assert per_case.loc["C", "wait_before_last_s"] == DAY
    assert per_case.loc["C", "silence_s"] == 17 * DAY + 3600
    steps = dropoff.by_step.set_index("step")
    assert steps["reached"].tolist() == [5, 3, 1, 3, 1]
    assert steps["abandoned"].tolist() == [0, 1, 0, 0, 0]
    assert steps["open"].tolist() == [1, 0, 0, 0, 0]
    assert steps.loc["Check", "drop_rate"] == pytest.approx(1 / 3)
    assert steps.loc["Check", "wait_before_median_s"] == DAY
    stages = dropoff.by_stage.set_index("stage")
    assert stages["abandoned"].tolist() == [0, 1, 0]
    total = dropoff.count("completed") + stages["abandoned"].sum() + stages["open"].sum()
    assert total == dropoff.cases == 5


def test_dropoff_steps_as_messages(lens):
    # only C drops out, at Check: 1 of the 3 that reach it, after waiting a day
    said = [say(found) for found in lens.dropoff.messages()]
    assert said == [say(dropoff_message("Check", 1, 1 / 3, DAY))]
    timeout = analyse_journey(journey_log(), STAGES, goals=["Decide"], timeout_days=30)
    assert timeout.dropoff.messages() == []  # nobody abandons


def test_dropoff_messages_rank_by_cases_with_ties_in_journey_order():
    # A and C stop at C, B at V, D at P, days before E reaches the goal G on the 9th
    trails = {"A": "PC", "B": "PCV", "C": "PC", "D": "P", "E": "PCVVVVVVG"}
    rows = [
        (case, activity, f"2024-01-0{day} 10:00")
        for case, trail in trails.items()
        for day, activity in enumerate(trail, start=1)
    ]
    frame = pd.DataFrame(rows, columns=["case_id", "activity", "timestamp"])
    log = to_event_log(frame, now=pd.Timestamp("2025-01-01", tz="UTC"))
    stages = Stages.from_pairs([("P", "One"), ("C", "One"), ("V", "Two"), ("G", "Two")])
    dropoff = analyse_journey(log, stages, goals=["G"], timeout_days=1).dropoff
    steps = [found.params["step"] for found in dropoff.messages()]
    assert steps == ["C", "P", "V"]  # C twice; P and V once each, in journey order
    assert [found.params["step"] for found in dropoff.messages(top=1)] == ["C"]


def test_default_goal_is_where_most_cases_that_reach_it_end():
    # Decide: 3 reach it, 3 end there; Check: 1 of 3; Apply: 1 of 5
    lens = analyse_journey(journey_log(), STAGES, timeout_days=10)
    assert lens.dropoff.goals == ("Decide",)


def test_dropoff_timeout_decides_open_or_abandoned():
    lens = analyse_journey(journey_log(), STAGES, goals=["Decide"], timeout_days=30)
    assert lens.dropoff.count("open") == 2  # C's 17 days of silence are within 30 days
    assert lens.dropoff.count("abandoned") == 0


def test_moments_compare_outcome_rates(lens):
    tested = lens.moments.tested.set_index(["touchpoint", "exposure", "outcome"])
    # completed throughputs 2, 4, 5 days → 75th percentile 4.5 days; at Check, B repeats
    # it (5 days: long) and A does not (4 days)
    row = tested.loc[("Check", "repeated", "long_throughput")]
    assert row["outcome_threshold"] == 4.5 * DAY
    assert (row["exposed_cases"], row["exposed_rate"]) == (1, 1.0)
    assert (row["other_cases"], row["other_rate"]) == (1, 0.0)
    assert row["relative_risk"] == 3.0  # (1.5 / 2) / (0.5 / 2), half a case added
    assert row["p_value"] == 1.0
    # waits before Check: 1, 2, 1 days → 75th percentile 1.5 days
    assert tested.loc[("Check", "long_wait", "drop_off"), "threshold"] == 1.5 * DAY
    assert lens.moments.moments.empty  # five cases prove nothing


def test_complaint_journeys(lens):
    complaints = lens.complaints
    assert complaints.activities == ("Complaint filed",)
    assert (complaints.cases, complaints.all_cases) == (1, 5)
    assert complaints.handling_median_s == DAY
    assert complaints.loops.empty and complaints.cases_with_loop == 0
    preceding = complaints.preceding.set_index("touchpoint")
    # no complaint after any of them: with half a case added to each group, the ratios are
    # Visit (0.5 / 2) / (1.5 / 5), Decide (0.5 / 3) / (1.5 / 4), Check (0.5 / 4) / (1.5 / 3)
    assert list(preceding.index) == ["Visit", "Decide", "Check"]
    assert preceding["ratio"].tolist() == pytest.approx([0.25 / 0.3, (0.5 / 3) / 0.375, 0.25])
    assert preceding.loc["Check", ["cases", "complaints_after", "other_cases"]].tolist() == [
        3, 0, 2,
    ]  # fmt: skip
    assert preceding.loc["Check", "other_rate"] == 0.5
    assert preceding.loc["Check", "p_value"] == pytest.approx(0.4)
    assert not preceding["significant"].any()
    assert complaints.messages() == []


def test_complaint_messages_are_the_significant_touchpoints_in_order(lens):
    import dataclasses

    preceding = lens.complaints.preceding.assign(significant=[True, False, True])
    marked = dataclasses.replace(lens.complaints, preceding=preceding)
    assert marked.messages() == [preceding["message"].iloc[0], preceding["message"].iloc[2]]


def test_to_dict_is_json(lens):
    data = json.loads(json.dumps(lens.to_dict()))
    assert [s["stage"] for s in data["stages"]] == ["Apply", "Assess", "Close"]
    assert data["dropoff"]["abandoned"] == 1
    assert data["moments_of_truth"] == []


def test_suggested_stages_follow_department_runs():
    log = handworked_log()
    assert suggest_stages(log).to_dict() == {
        "stages": [
            {"stage": "Front", "activities": ["Intake"]},
            {"stage": "Back", "activities": ["Check", "Decide"]},
        ]
    }
    # from an intended journey: Decide is not named, and joins the step before it
    stages = suggest_stages(log, [("Intake", "Front"), ("Check", "Back")])
    assert stages.stage_of("Decide") == "Back"
    by_activities = suggest_stages(log, ["Check", "Intake"])
    assert by_activities.names == ("Back", "Front")


def test_suggested_stages_on_a_sample_log_keep_detours_in_their_stage():
    log = read_event_log(SAMPLES / "hospital.csv")
    stages = suggest_stages(log)
    assert stages.stage_of("Terugplaatsing naar SEH") == "Verpleegafdeling"
    assert stages.names[0] == "Spoedeisende Hulp"


def test_read_stages_from_csv_and_yaml(tmp_path):
    table = tmp_path / "stages.csv"
    table.write_text("activiteit,fase\nApply,Apply\nCheck,Assess\nVisit,Assess\nDecide,Close\n")
    assert read_stages(table) == STAGES
    mapping = tmp_path / "stages.yaml"
    mapping.write_text("Apply: [Apply]\nAssess: [Check, Visit]\nClose: [Decide]\n")
    assert read_stages(mapping) == STAGES
    sheet = tmp_path / "stages.xlsx"
    STAGES.to_table().rename(columns={"stage": "Fase"}).to_excel(sheet, index=False)
    assert read_stages(sheet) == STAGES
    listed = tmp_path / "list.yml"
    listed.write_text("- {activity: Apply, stage: Apply}\n- {activity: Check, stage: Assess}\n")
    assert read_stages(listed).names == ("Apply", "Assess")


def test_read_stages_says_what_is_wrong(tmp_path):
    missing = tmp_path / "bad.csv"
    missing.write_text("activity,owner\nApply,x\n")
    with pytest.raises(LogError, match="needs the columns 'activity' and 'stage'"):
        read_stages(missing)
    blank = tmp_path / "blank.csv"
    blank.write_text("activity,stage\nApply,Apply\nCheck,\n")
    with pytest.raises(LogError, match=r"row 3, column 'stage': is empty"):
        read_stages(blank)
    broken = tmp_path / "broken.yaml"
    broken.write_text("Apply: [unclosed\n")
    with pytest.raises(LogError, match="not valid YAML"):
        read_stages(broken)


def test_stage_table_edited_by_hand():
    table = STAGES.to_table(["Apply", "Call", "Check"])
    assert table.values.tolist() == [
        ["Apply", "Apply"], ["Check", "Assess"], ["Visit", "Assess"], ["Decide", "Close"],
        ["Call", ""],
    ]  # fmt: skip
    assert STAGES.to_table().equals(table.iloc[:4])
    # Check renamed (spaces dropped), Visit left without a stage, Call given one
    table["stage"] = ["Apply", " Review ", None, "Close", "Close"]
    edited = stages_from_edits(table, "edited")
    assert edited.names == ("Apply", "Review", "Close")
    assert edited.assignments == (
        ("Apply", "Apply"), ("Check", "Review"), ("Decide", "Close"), ("Call", "Close"),
    )  # fmt: skip
    assert edited.stage_of("Visit") is None
    # the second row as the table shows it is row 2 in the error
    table.loc[1, "activity"] = None
    with pytest.raises(LogError, match=r"row 2, column 'activity': is empty"):
        stages_from_edits(table, "edited")
    with pytest.raises(LogError, match="the stage table has no rows"):
        stages_from_edits(table.assign(stage=""), "edited")


def test_stages_reject_an_unknown_stage():
    with pytest.raises(ValueError, match="Nowhere"):
        Stages(("Apply",), (("Apply", "Nowhere"),))


def test_sentences_in_both_languages():
    assert say(moment_message(
        "repeated", "Check", float("nan"), "complaint", float("nan"), 0.3, 0.1, 40
    ), "nl") == ("Zaken die Check meer dan eens doorlopen dienen 3× zo vaak daarna een klacht in "
          "(30% tegen 10%; 40 zaken).")  # fmt: skip
    assert say(dropoff_message("Triage", 90, 0.06, None), "nl") == (
        "90 zaken (6% van wie er komt) haken af bij Triage."
    )
    assert say(complaint_message("Bill", 0.2, 0.1, 50), "nl").startswith("Na Bill dient 20%")


@pytest.mark.parametrize("name", ["hospital", "permit", "membership", "complaints", "mortgage"])
def test_planted_dropoff_step_is_found(name):
    truth = TRUTH[name]["drop_off"]
    log = read_event_log(SAMPLES / f"{name}.csv")
    lens = analyse_journey(log)
    steps = lens.dropoff.by_step.set_index("step")
    top = steps["abandoned"].idxmax()
    assert top == truth["activity"]
    assert steps.loc[top, "drop_rate"] == pytest.approx(truth["realised"], abs=0.01)
    assert steps.loc[top, "reached"] == truth["denominator_cases"]


def test_other_organisations_in_the_mortgage_log():
    lens = analyse_journey(read_event_log(SAMPLES / "mortgage.csv"))
    external = lens.external.set_index("activity")["organisation"].to_dict()
    assert external == {
        "Purchase agreement signed": "Makelaar",
        "Valuation visit": "Taxateur",
        "Valuation report delivered": "Taxateur",
        "Deed signed at notary": "Notaris",
    }


def test_planted_score_penalty_shows_as_a_moment_of_truth():
    # hospital: cases with rework (Bloedafname twice) score 1.5 lower
    lens = analyse_journey(read_event_log(SAMPLES / "hospital.csv"))
    moments = lens.moments.moments
    rework = moments[(moments["touchpoint"] == "Bloedafname") & (moments["exposure"] == "repeated")]
    assert rework["outcome"].tolist() == ["low_score"]
    assert (moments["p_adjusted"] < 0.05).all() and (moments["relative_risk"] >= 1.5).all()


def test_complaint_handling_in_the_complaints_log():
    lens = analyse_journey(read_event_log(SAMPLES / "complaints.csv"))
    complaints = lens.complaints
    assert complaints.cases == 1800
    reopened = complaints.loops.set_index("activity")["cases"]
    assert reopened["Complaint closed"] == round(TRUTH["complaints"]["rework"]["rate"] * 1800)
    assert complaints.handling_median_s > 0


def test_sepsis_runs_through_the_lens(shared_logs):
    log = read_event_log(shared_logs / "sepsis.csv")
    lens = analyse_journey(log)
    dropoff = lens.dropoff
    assert dropoff.cases == log.n_cases == 1050
    steps = dropoff.by_step
    assert dropoff.count("completed") + steps["abandoned"].sum() + steps["open"].sum() == 1050
    assert (steps["reached"] <= 1050).all() and (steps["abandoned"] <= steps["reached"]).all()
    # every case has its ER Registration, the first stage's only step
    assert lens.stages["cases"].iloc[0] == 1050
    assert lens.stages["share"].between(0, 1).all()
    assert not lens.emotion.available  # Sepsis has no scores and no complaints
    assert lens.complaints is None
    assert lens.channels.empty and lens.switches_per_case == 0
    # the natural ends are the releases and the return to the emergency room; completed
    # cases are exactly those that were released
    assert set(dropoff.goals) == {f"Release {x}" for x in "ABCDE"} | {"Return ER"}
    release = lens.stage_order.stage_of("Release A")
    assert set(lens.stage_order.activities(release)) == {f"Release {x}" for x in "ABCDE"}
    assert dropoff.count("completed") == lens.stages.set_index("stage").loc[release, "cases"]
    assert [row["stage"] for row in lens.to_dict()["stages"]] == list(lens.stage_order.names)
    assert pd.Series(lens.touchpoints["events"]).sum() == log.n_events


def test_complaint_flag_column_marks_complaints():
    log = journey_log()
    flagged = (log.events["case_id"] == "C") & (log.events["activity"] == "Check")
    log = to_event_log(
        log.events[["case_id", "activity", "timestamp", "channel", "score"]].assign(
            klacht=flagged.map({True: "ja", False: "nee"})
        )
    )
    lens = analyse_journey(log, STAGES, goals=["Decide"], complaint_activities=())
    assert lens.complaints.cases == 1
    assert lens.cases.set_index("case_id")["complained"].to_dict() == {
        "A": False, "B": False, "C": True, "D": False, "E": False,
    }  # fmt: skip
    check = lens.emotion.by_touchpoint.set_index("activity").loc["Check"]
    assert check[["scores", "complaints", "signals", "mean"]].tolist() == [1, 1, 2, 2.0]


def test_emotion_without_scores_is_the_share_without_complaint():
    log = journey_log()
    log = to_event_log(log.events[["case_id", "activity", "timestamp", "department"]])
    lens = analyse_journey(log, STAGES, goals=["Decide"])
    emotion = lens.emotion
    assert emotion.scale == "share without complaint"
    touch = emotion.by_touchpoint.set_index("activity")
    # E raised its complaint at "Complaint filed": 0 of 1; Check: 3 cases, none complained
    assert touch.loc["Complaint filed", ["signals", "mean"]].tolist() == [1, 0.0]
    assert touch.loc["Check", ["signals", "complaints", "mean"]].tolist() == [3, 0, 1.0]


def test_lens_finds_the_planted_segment_without_being_told():
    truth = TRUTH["hospital"]["slow_segment"]
    result = journey("lens", SAMPLES / "hospital.csv", "--json")
    assert result.returncode == 0, result.stderr
    segments = json.loads(result.stdout)["segments"]
    assert [a["attribute"] for a in segments["attributes"] if a["tested"]] == [truth["attribute"]]
    first = segments["differences"][0]
    assert (first["attribute"], first["segment"], first["measure"], first["where"]) == (
        truth["attribute"], truth["value"], "step_wait", truth["step"],
    )  # fmt: skip
    assert first["effect"] == pytest.approx(truth["realised_factor"], abs=0.01)
    assert first["p_adjusted"] < 1e-6 and first["p_value"] <= first["p_adjusted"]
    assert first["value"] > first["rest_value"]
    assert first["sentence"].startswith(
        "Cases with leeftijdsgroep 75+ wait 1.9× longer before Opname verpleegafdeling:"
    )
    text = journey("lens", SAMPLES / "hospital.csv", "--language", "nl")
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    assert lines[0] == "Opvallende segmenten"  # first, before the stages
    assert lines[1].startswith(
        "  - Zaken met leeftijdsgroep 75+ wachten 1,9× zo lang voor Opname verpleegafdeling:"
    )


def test_lens_segment_option_still_compares_one_attribute_in_full():
    result = journey("lens", SAMPLES / "permit.csv", "--segment", "type aanvrager")
    assert result.returncode == 0, result.stderr
    assert "Segments that stand out" not in result.stdout
    assert "Differences by type aanvrager" in result.stdout
    assert "type aanvrager = bedrijf: wait before Besluit genomen" in result.stdout
    asked = journey("lens", SAMPLES / "permit.csv", "--segment", "type aanvrager", "--json")
    data = json.loads(asked.stdout)["segments"]
    assert data["attribute"] == "type aanvrager"
    assert {k["segment"] for k in data["kpis"]} == {"bedrijf", "particulier"}


def test_lens_text_says_when_nothing_stands_out():
    lens = analyse_journey(journey_log(), STAGES, goals=["Decide"], timeout_days=10)
    found = discover_segments(journey_log(), stages=STAGES, goals=["Decide"], timeout_days=10)
    # five cases: no segment reaches the 20 cases a test needs
    assert found.tested == () and found.attributes["reason"].tolist() == ["small_segments"]
    text = lens_text(lens, found, "en", 5).splitlines()
    assert text[:2] == ["Segments that stand out", "  no case attribute with 2 to 12 segments"]
    dutch = lens_text(lens, found, "nl", 5).splitlines()
    assert dutch[:2] == ["Opvallende segmenten", "  geen zaakkenmerk met 2 tot 12 segmenten"]
