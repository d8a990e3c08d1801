"""What the journey lens shows on a log, and how long it takes.

    python benchmarks/journey_lens.py [LOG ...] [--segment ATTRIBUTE] [--language en|nl]

LOG is a sample log name (hospital, permit, membership, complaints, mortgage), "sepsis"
(../shared/logs/sepsis.csv) or a path; default: hospital, membership and sepsis. Prints per
log: the time of `analyse_journey` and `compare_segments`, the stages, the drop-off funnel,
the emotion curve, the moments of truth, complaint journeys and the segment differences
(segment: the sample's planted slow-segment attribute, else `--segment`).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from discovery import analyse_journey, compare_segments, read_event_log  # noqa: E402
from discovery.words import format_duration, say  # noqa: E402

SAMPLES = REPO / "sample_logs"
SHARED = REPO.parent / "shared" / "logs"
TRUTH = json.loads((SAMPLES / "ground_truth.json").read_text())["journeys"]


def _path(name: str) -> Path:
    if name == "sepsis":
        return SHARED / "sepsis.csv"
    if name in TRUTH:
        return SAMPLES / f"{name}.csv"
    return Path(name)


def _duration(seconds: float) -> str:
    return "–" if seconds != seconds else format_duration(seconds)


def show(name: str, segment: str | None, language: str) -> None:
    path = _path(name)
    if not path.exists():
        print(f"## {name}: {path} not present, skipped\n")
        return
    log = read_event_log(path)
    started = time.perf_counter()
    lens = analyse_journey(log)
    lens_s = time.perf_counter() - started
    print(f"## {name}: {log.n_cases:,} cases, {log.n_events:,} events")
    print(f"analyse_journey: {lens_s:.2f} s\n")
    stages = lens.stages.assign(
        time=lens.stages["time_median_s"].map(_duration),
        wait=lens.stages["wait_median_s"].map(_duration),
        touchpoints=lens.stages["touchpoints"].map(lambda t: ", ".join(t[:3])),
        channels=lens.stages["channels"].map(", ".join),
    )
    print(stages[["stage", "cases", "time", "wait", "touchpoints", "channels"]].to_string())
    dropoff = lens.dropoff
    print(
        f"\nGoals {list(dropoff.goals)}: completed {dropoff.count('completed')}, "
        f"open {dropoff.count('open')}, abandoned {dropoff.count('abandoned')} "
        f"(time-out {dropoff.timeout_days:g} days)"
    )
    steps = dropoff.by_step[dropoff.by_step["abandoned"] > 0].sort_values(
        "abandoned", ascending=False
    )
    steps = steps.assign(waited=steps["wait_before_median_s"].map(_duration))
    print(steps[["step", "reached", "abandoned", "drop_rate", "waited"]].head(5).to_string())
    print(
        f"\nChannel switches per case {lens.switches_per_case:.2f}; most common: "
        + "; ".join(
            f"{r.source} → {r.target} ({r.occurrences})"
            for r in lens.channel_switches.head(3).itertuples()
        )
    )
    if not lens.external.empty:
        print("Other organisations: " + ", ".join(
            f"{r.activity} ({r.organisation})" for r in lens.external.itertuples()
        ))  # fmt: skip
    emotion = lens.emotion
    if emotion.available:
        print(f"\nEmotion ({emotion.scale}) per stage:")
        print(emotion.by_stage.round(2).to_string())
    moments = lens.moments.moments
    print(f"\nMoments of truth: {len(moments)} of {len(lens.moments.tested)} comparisons")
    for moment in moments["message"].head(5):
        print(f"- {say(moment, language)}")
    complaints = lens.complaints
    if complaints is not None:
        print(
            f"\nComplaints: {complaints.cases} cases ({complaints.share:.0%}), handling median "
            f"{_duration(complaints.handling_median_s)}, {complaints.cases_with_loop} with a loop"
        )
        for finding in complaints.preceding.query("significant")["message"]:
            print(f"- {say(finding, language)}")
    attribute = TRUTH[name]["slow_segment"]["attribute"] if name in TRUTH else segment
    if attribute:
        started = time.perf_counter()
        comparison = compare_segments(log, attribute, stages=lens.stage_order)
        segments_s = time.perf_counter() - started
        differences = comparison.differences
        print(
            f"\nSegments by '{attribute}' ({segments_s:.2f} s): {len(differences)} of "
            f"{len(comparison.tests)} tested differences highlighted"
        )
        with pd.option_context("display.width", 200):
            print(comparison.kpis.round(3).to_string())
        for difference in differences["message"].head(6):
            print(f"- {say(difference, language)}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("logs", nargs="*", default=["hospital", "membership", "sepsis"])
    parser.add_argument("--segment", help="case attribute to compare (non-sample logs)")
    parser.add_argument("--language", choices=["en", "nl"], default="en")
    arguments = parser.parse_args()
    for name in arguments.logs:
        show(name, arguments.segment, arguments.language)


if __name__ == "__main__":
    main()
