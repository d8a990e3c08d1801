"""The measurements two logs are compared on: per log, one value per case and place (the
segment comparison's samples, plus ping-pong, rework, drop-off per step and conformance),
then the two logs' samples as one, each case marked "a" or "b"."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from discovery.intended.conformance import check_conformance
from discovery.intended.model import IntendedJourney
from discovery.lens._segment_tests import Place, Samples, _place, gather_samples
from discovery.lens.journey import JourneyLens, analyse_journey
from discovery.lens.stages import Stages
from discovery.log.event_log import EventLog
from discovery.mining.handoffs import analyse_handoffs

# The segment comparison's measures kept here (stage times are left to the segments).
KEPT = ("throughput", "drop_off", "score", "handoffs", "step_wait")


def measure_log(
    log: EventLog,
    stages: Stages,
    goals: Sequence[str] | None,
    timeout_days: float,
    journey: IntendedJourney | None = None,
) -> tuple[Samples, tuple[str, ...]]:
    """The samples of one log: throughput, drop-off, score, handoffs per case, wait before
    each step (as the segment comparison measures them), and as rates per case: ping-pong
    (a department bounce, A → B → A), rework (an activity repeated), drop-off at each step
    (of the closed cases that reach it) and, with an intended `journey`, conformance; and
    the goals used (`goals`, or where None the log's usual ends)."""
    lens = analyse_journey(log, stages, goals=goals, timeout_days=timeout_days)
    goals = lens.dropoff.goals
    samples = gather_samples(log, stages, goals, timeout_days, lens)
    places = [place for place in samples.places if place.measure in KEPT]
    index = samples.cases.set_index("case_id")["case_index"]
    handoffs = analyse_handoffs(log).per_case
    at = index.reindex(handoffs["case_id"]).to_numpy()
    if log.has("department"):
        places.append(_rate("pingpong", None, at, handoffs["pingpongs"].to_numpy() > 0))
    places.append(_rate("rework", None, at, handoffs["rework_events"].to_numpy() > 0))
    places += _step_drop_offs(lens.dropoff.per_case, samples.cases, lens)
    if journey is not None:
        conformance = check_conformance(log, journey).cases
        at = index.reindex(conformance["case_id"]).to_numpy()
        places.append(_rate("conformance", None, at, conformance["conforming"].to_numpy(bool)))
    return Samples(samples.cases, samples.stage_visits, tuple(places)), tuple(goals)


def _rate(measure: str, where: str | None, case_index: np.ndarray, hits: np.ndarray) -> Place:
    return _place(measure, where, "share", case_index, hits.astype(float))


def _step_drop_offs(per_case: pd.DataFrame, cases: pd.DataFrame, lens: JourneyLens) -> list[Place]:
    """Per step, of the closed cases (completed or abandoned) that reach it: whether the
    case was abandoned there."""
    events = lens.events
    if events is None:
        return []
    closed = (per_case["outcome"] != "open").to_numpy()
    dropped = ((per_case["outcome"] == "abandoned").to_numpy()) & closed
    last = per_case["last_activity"].to_numpy()
    case_index = cases["case_index"].to_numpy()
    position = pd.Series(np.arange(len(case_index)), index=case_index)
    places = []
    visits = events.visits[["case_index", "activity"]].drop_duplicates()
    for step, part in visits.groupby("activity", sort=True):
        rows = position.reindex(part["case_index"]).to_numpy()
        rows = rows[closed[rows]]
        hits = dropped[rows] & (last[rows] == step)
        places.append(_rate("step_drop_off", str(step), case_index[rows], hits))
    return places


def merged(a: Samples, b: Samples) -> tuple[Samples, pd.Series]:
    """The samples of two logs as one (b's cases numbered after a's), ranked anew, and each
    case's side ("a" or "b") by its new case_index."""
    offset = int(a.cases["case_index"].max()) + 1 if len(a.cases) else 0
    cases = pd.concat(
        [a.cases, b.cases.assign(case_index=b.cases["case_index"] + offset)], ignore_index=True
    )
    visits = pd.concat(
        [a.stage_visits, b.stage_visits.assign(case_index=b.stage_visits["case_index"] + offset)],
        ignore_index=True,
    )
    found: dict[tuple[str, str | None], list[Place]] = {}
    for place in (*a.places, *b.places):
        found.setdefault((place.measure, place.where), []).append(place)
    in_b = {(p.measure, p.where): p for p in b.places}
    places = []
    for (measure, where), parts in found.items():
        first, unit = parts[0], parts[0].unit
        other = in_b.get((measure, where))
        pieces_index, pieces_values = [], []
        if first is not other:  # a has it
            pieces_index.append(first.case_index)
            pieces_values.append(first.values)
        if other is not None:
            pieces_index.append(other.case_index + offset)
            pieces_values.append(other.values)
        places.append(
            _place(
                measure, where, unit, np.concatenate(pieces_index), np.concatenate(pieces_values)
            )
        )
    side = pd.Series(
        np.where(cases["case_index"] >= offset, "b", "a"), index=cases["case_index"].to_numpy()
    )
    return Samples(cases, visits, tuple(places)), side
