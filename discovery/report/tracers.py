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

from discovery.engine import execute
from discovery.engine import expressions as expr
from discovery.engine.in_place import InPlaceLog, md5
from discovery.intended.conformance import Conformance
from discovery.log.event_log import EventLog
from discovery.mining.cases import CaseTrail, mark_deviations, sample_cases, trace_case
from discovery.mining.findings import DEVIATION_NAMES, cases_message
from discovery.mining.variants import case_sequences, discover_variants
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
    log: EventLog | InPlaceLog,
    case_id: str,
    conformance: Conformance | None = None,
    reason: Message | None = None,
    *,
    case_attributes: tuple[str, ...] | None = None,
) -> Tracer:
    """The tracer of one case (the case explorer's export); `reason` says why it was chosen.
    Of a log in place only this case's events come here; `case_attributes` (the log's,
    where already known) saves asking for them."""
    trail = trace_case(log, case_id, case_attributes)
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
    log: EventLog | InPlaceLog,
    conformance: Conformance | None = None,
    *,
    count: int = 5,
    by: Sampling = "variant",
    seed: int = 0,
    case_attributes: tuple[str, ...] | None = None,
) -> tuple[Tracer, ...]:
    """Up to `count` tracer cases drawn with `seed` (the same seed, the same cases):
    `by="variant"` one case from each of the most frequent variants; `by="deviation"` one
    case for the most common deviation (kind and step) of each kind of `conformance`, then
    for the next most common deviations, never the same case twice; where there are fewer
    deviations than `count`, the rest by variant. Raises ValueError for deviations without
    a conformance check. A variant's case is the one first by the MD5 of its id and the
    seed, computed alike here and where a log in place lives: the same cases on every
    route. `case_attributes`: the log's, where already known."""
    drawn: tuple[Tracer, ...] = ()
    if by == "deviation":
        if conformance is None:
            raise ValueError("tracers by deviation need an intended journey")
        drawn = _by_deviation(log, conformance, count, seed, case_attributes)
    if len(drawn) >= count:
        return drawn
    taken = {tracer.trail.case_id for tracer in drawn}
    sample = _one_per_variant(log, seed)
    sample = sample[~sample["case_id"].isin(taken)].head(count - len(drawn))
    return drawn + tuple(
        shadow_case(
            log,
            row.case_id,
            conformance,
            message(
                "report.tracer.variant", variant=row.variant, cases=cases_message(row.variant_cases)
            ),
            case_attributes=case_attributes,
        )
        for row in sample.itertuples()
    )


def _one_per_variant(log: EventLog | InPlaceLog, seed: int) -> pd.DataFrame:
    """One case of each variant (variant, variant_cases, case_id), by variant: the first
    by MD5 of the case id and the seed, then by id, as `sample_cases` draws in place."""
    if isinstance(log, InPlaceLog):
        return sample_cases(log, per_variant=1, seed=seed)
    cases = case_sequences(log)
    draw = md5(cases.case_id.concat(expr.literal(f"\x1f{seed}")))
    window = expr.window(group_by=cases.activities, order_by=[draw, cases.case_id])
    ranked = cases.mutate(draw_rank=expr.row_number().over(window))
    frame = execute(ranked.filter(ranked.draw_rank == 0).select("activities", "case_id"))
    variants = discover_variants(log).variants
    keys = frame["activities"].map(tuple)
    number = dict(zip(variants["activities"], variants["variant"], strict=True))
    size = dict(zip(variants["activities"], variants["cases"], strict=True))
    sample = pd.DataFrame(
        {
            "variant": keys.map(number).astype("int64"),
            "variant_cases": keys.map(size).astype("int64"),
            "case_id": frame["case_id"].astype(str),
        }
    )
    return sample.sort_values("variant").reset_index(drop=True)


def _by_deviation(
    log: EventLog | InPlaceLog,
    conformance: Conformance,
    count: int,
    seed: int,
    case_attributes: tuple[str, ...] | None,
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
        drawn.append(
            shadow_case(log, left[0], conformance, reason, case_attributes=case_attributes)
        )
    return tuple(drawn)


def _draw(case_id: str, seed: int) -> str:
    """A case's place in the seeded draw: the same on every run and machine."""
    return hashlib.sha256(f"{seed}\x1f{case_id}".encode()).hexdigest()
