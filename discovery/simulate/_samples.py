"""The committed sample logs: every file's content, and writing them to a folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ._engine import SEED, run
from ._improvement import IMPROVED_JOURNEY, IMPROVEMENT, improvement_truth
from ._measure import realised
from ._readme import render
from ._registry import JOURNEYS
from ._truth import check, files, header, journey_truth
from ._write import csv_text, intended_text, xlsx_bytes


def sample_files(seed: int = SEED, *, xlsx: bool = True) -> dict[str, bytes]:
    """Every file of sample_logs/ by name, generated afresh; raises if a planted effect failed."""
    out: dict[str, bytes] = {}
    truths: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for journey in JOURNEYS.values():
        frame, _ = run(journey, journey.n_cases, seed)
        measured = realised(frame, journey)
        problems += check(journey, measured)
        truths[journey.name] = journey_truth(journey, measured)
        names = files(journey)
        out[names["csv"]] = csv_text(frame, journey).encode("utf-8")
        out[names["intended"]] = intended_text(journey).encode("utf-8")
        if xlsx:
            out[names["xlsx"]] = xlsx_bytes(frame, journey)
    if problems:
        raise RuntimeError("planted ground truth not realised: " + "; ".join(problems))
    improvement = improvement_truth(JOURNEYS[IMPROVED_JOURNEY], seed, IMPROVEMENT)
    truth = {**header(seed), "journeys": truths, "improvement": improvement}
    out["ground_truth.json"] = (json.dumps(truth, indent=2, ensure_ascii=False) + "\n").encode()
    readme = render(list(JOURNEYS.values()), truths, seed, improvement)
    out["README.md"] = readme.encode("utf-8")
    return out


def write_sample_logs(directory: Path | str = "sample_logs", seed: int = SEED) -> dict[str, int]:
    """Write the sample logs into `directory`; returns each file's size in bytes."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, content in sample_files(seed).items():
        (folder / name).write_bytes(content)
        sizes[name] = len(content)
    return sizes
