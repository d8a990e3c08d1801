"""Tracer cases for the audit file: a seeded, reproducible sample of cases, each with its
whole trail, its waits, its deviations and the designed steps it missed.

>>> tracers = sample_tracers(log, conformance, count=3, by="deviation", seed=7)  # doctest: +SKIP
>>> [tracer.trail.case_id for tracer in tracers]  # the same for the same seed  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from discovery.intended.conformance import Conformance
from discovery.log.event_log import EventLog
from discovery.mining.cases import CaseTrail, mark_deviations, sample_cases, trace_case
from discovery.mining.findings import DEVIATION_NAMES, cases_message
from discovery.words import Count, Duration, Message, chain, message

__all__ = ["Sampling", "Tracer", "sample_tracers", "shadow_case"]

Sampling = Literal["variant", "deviation"]


@dataclass(frozen=True)
class Tracer:
    """One case shadowed through the organisation: its `trail` (deviations marked on its
    events and the designed steps it `skipped`, where an intended journey was checked),
    why it was drawn (`reason`), and its rows of `Conformance.deviations` (`deviations`,
    with `name`: the step as shown, a broken rule said as the rule)."""

    trail: CaseTrail
    reason: Message
    deviations: pd.DataFrame

    def lines(self) -> list[Message]:
        """What a tracer page says before its tables: why the case was drawn, its totals,
        its route through the departments and its attributes."""
        trail = self.trail
        lines = [
            message("report.tracer.why", reason=self.reason),
            message(
                "report.tracer.totals",
                steps=Count(trail.n_events),
                throughput=Duration(trail.throughput_s),
                waiting=Duration(trail.waiting_s),
                handoffs=Count(trail.handoffs),
                rework=Count(trail.rework_events),
            ),
        ]
        if trail.departments:
            lines.append(message("report.tracer.route", route=" → ".join(trail.departments)))
        if trail.attributes:
            named = [f"{name}: {value}" for name, value in trail.attributes]
            lines.append(message("report.tracer.attributes", attributes=chain(named, "io.list")))
        return lines


def shadow_case(
    log: EventLog,
    case_id: str,
    conformance: Conformance | None = None,
    reason: Message | None = None,
) -> Tracer:
    """The tracer of one case (the case explorer's export); `reason` says why it was chosen."""
    trail = trace_case(log, case_id)
    deviations = pd.DataFrame(columns=["case_id", "kind", "step", "department", "occurrences"])
    if conformance is not None:
        deviations = conformance.case_deviations(case_id)
        trail = mark_deviations(trail, deviations)
        names = [
            conformance.step_name(k, s)
            for k, s in zip(deviations["kind"], deviations["step"], strict=True)
        ]
        deviations = deviations.assign(name=pd.Series(names, index=deviations.index, dtype=object))
    else:
        deviations = deviations.assign(name=pd.Series(dtype=object))
    return Tracer(
        trail, reason or message("report.tracer.chosen"), deviations.reset_index(drop=True)
    )


def sample_tracers(
    log: EventLog,
    conformance: Conformance | None = None,
    *,
    count: int = 5,
    by: Sampling = "variant",
    seed: int = 0,
) -> tuple[Tracer, ...]:
    """Up to `count` tracer cases drawn with `seed` (the same seed, the same cases):
    `by="variant"` one case from each of the most frequent variants; `by="deviation"` one
    case for the most common deviation (kind and step) of each kind of `conformance`, then
    for the next most common deviations, never the same case twice; where there are fewer
    deviations than `count`, the rest by variant. Raises ValueError for deviations without
    a conformance check."""
    drawn: tuple[Tracer, ...] = ()
    if by == "deviation":
        if conformance is None:
            raise ValueError("tracers by deviation need an intended journey")
        drawn = _by_deviation(log, conformance, count, seed)
    if len(drawn) >= count:
        return drawn
    taken = {tracer.trail.case_id for tracer in drawn}
    sample = sample_cases(log, per_variant=1, seed=seed)
    sample = sample[~sample["case_id"].isin(taken)].head(count - len(drawn))
    return drawn + tuple(
        shadow_case(
            log,
            row.case_id,
            conformance,
            message(
                "report.tracer.variant", variant=row.variant, cases=cases_message(row.variant_cases)
            ),
        )
        for row in sample.itertuples()
    )


def _by_deviation(
    log: EventLog, conformance: Conformance, count: int, seed: int
) -> tuple[Tracer, ...]:
    drawn: list[Tracer] = []
    taken: set[str] = set()
    ranking = conformance.ranking()
    first_of_kind = ranking.groupby("kind", sort=False).head(1)  # every kind before repeats
    order = pd.concat([first_of_kind, ranking.drop(first_of_kind.index)])
    for row in order.itertuples():
        if len(drawn) == count:
            break
        cases = conformance.cases_with(row.kind, row.step)["case_id"].astype(str)
        left = sorted((c for c in cases if c not in taken), key=lambda case: _draw(case, seed))
        if not left:
            continue
        taken.add(left[0])
        reason = message(
            "report.tracer.deviation",
            kind=DEVIATION_NAMES[row.kind],
            step=conformance.step_name(row.kind, row.step),
            cases=cases_message(row.cases),
        )
        drawn.append(shadow_case(log, left[0], conformance, reason))
    return tuple(drawn)


def _draw(case_id: str, seed: int) -> str:
    """A case's place in the seeded draw: the same on every run and machine."""
    return hashlib.sha256(f"{seed}\x1f{case_id}".encode()).hexdigest()
