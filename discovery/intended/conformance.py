"""Conformance: how each case compares with the intended journey, and what leaving it costs.

Alignments (pm4py, on the intended journey's Petri net) run once per distinct variant and
are spread back to the cases, so the cost grows with variants, not cases. Departments,
waits and rules come from the events, through the engine. A log in place stays where it
lives: only its variants come back, and the per-case figures are counted there
(`_in_place.ServerCases`; a log here keeps its cases as frames, `_case_figures.LocalCases`).

>>> journey = read_intended_journey("hospital_intended.csv")  # doctest: +SKIP
>>> result = check_conformance(log, journey)  # doctest: +SKIP
>>> result.fitness, result.conforming_cases, result.ranking().head()  # doctest: +SKIP
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine import execute, seconds_between, source, steps
from discovery.engine import expressions as expr
from discovery.engine.in_place import InPlaceLog
from discovery.intended._case_figures import (
    CASE_COLUMNS,
    DEVIATION_COLUMNS,
    CaseFigures,
    LocalCases,
)
from discovery.intended._in_place import server_cases, variants_in_place
from discovery.intended._nets import Net, reduce_net
from discovery.intended.limits import TIME_BUDGET_S, TIME_LIMIT_S
from discovery.intended.model import IntendedJourney, usual_departments_of
from discovery.intended.rules import Rule, check_rules, rule_id
from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE
from discovery.mining import _pm4py
from discovery.mining.findings import approximate_message as _approximate
from discovery.mining.findings import deviation_message
from discovery.words import Language, Message

_SEPARATOR = "\x1f"
# Alignments already computed, by (net, variant): checking a filtered log, or the same log
# again, aligns only the variants not seen before.
_ALIGNED: dict[tuple[Net, tuple[str, ...]], _pm4py.Alignment] = {}
_ALIGNED_KEPT = 200_000
_ALIGNED_LOCK = threading.Lock()


@dataclass(frozen=True)
class Conformance:
    """A check's result. Per variant (`variants`: variant, cases, fitness, cost, bwc,
    approximate); per case (`cases`: case_id, variant, fitness, cost, bwc, approximate,
    throughput_s, start, deviations, conforming), every deviation (`deviations`: case_id,
    kind, step, department — the step's responsible department, or where none is designed
    the one that usually does it — and occurrences), and the log's alignment `fitness` (as
    pm4py computes it: 1 - total cost / total best-worst cost). A broken rule's step is its
    id, "rule:<index>" in `rules` (the journey's rules, then those given); `step_name` says
    it.

    The per-case figures come from `case_figures`: frames here for a log here, the server
    for a log in place, where `cases` and `deviations` bring every case here (for a small
    log) and the figures (`ranking`, `over_time`, `by_department`, `cases_with`,
    `case_deviations`) are counted there.

    A case whose variant could not be aligned in time is `approximate`: its alignment is
    valid but maybe not the best, so its fitness is a lower bound and its deviations may be
    too many. `fitness_bounds` holds the log fitness's lower bound (`fitness`) and upper
    bound; both are `fitness` when no case is approximate."""

    variants: pd.DataFrame
    case_figures: CaseFigures
    fitness: float
    journey: IntendedJourney
    rules: tuple[Rule, ...] = ()
    timezone: str = "UTC"
    fitness_bounds: tuple[float, float] | None = None

    @property
    def cases(self) -> pd.DataFrame:
        return self.case_figures.all_cases()

    @property
    def deviations(self) -> pd.DataFrame:
        return self.case_figures.all_deviations()

    @property
    def n_cases(self) -> int:
        return int(self.variants["cases"].sum())

    @property
    def conforming_cases(self) -> int:
        """Cases with no deviation of any kind."""
        return self.case_figures.conforming_cases()

    @property
    def approximate_cases(self) -> int:
        """Cases whose alignment is an approximation (their variant took too long)."""
        return int(self.variants.loc[self.variants["approximate"], "cases"].sum())

    @property
    def approximate_variants(self) -> int:
        """Variants of the approximate cases."""
        return int(self.variants["approximate"].sum())

    @property
    def fitting_cases(self) -> int:
        """Cases whose alignment costs nothing (fitness 1)."""
        return int(self.variants.loc[self.variants["fitness"] == 1, "cases"].sum())

    @property
    def conformance_rate(self) -> float:
        return self.conforming_cases / self.n_cases if self.n_cases else 0.0

    def case_deviations(self, case_id: str) -> pd.DataFrame:
        """The deviations of one case (its rows of `deviations`)."""
        return self.case_figures.case_deviations(case_id)

    def cases_with(self, kind: str, step: str, top: int | None = None) -> pd.DataFrame:
        """The cases with deviation (`kind`, `step`): their row of `cases` with the
        deviation's `occurrences`, longest throughput first (ties by case id); the first
        `top` of them (None: all)."""
        return self.case_figures.cases_with(kind, step, top)

    def ranking(self, by: Literal["cases", "time"] = "cases") -> pd.DataFrame:
        """One row per deviation (`kind`, `step`): `cases` affected, `share` of all cases,
        `median_throughput_s` of those cases, and `time_cost_s`: that median minus the
        median of the conforming cases (NaN when no case conforms). Ranked by cases
        affected, or by time cost."""
        table = self.case_figures.deviation_medians()
        conforming = self.case_figures.conforming_median()
        table["share"] = table["cases"] / max(self.n_cases, 1)
        table["time_cost_s"] = table["median_throughput_s"] - conforming
        key = ["cases", "time_cost_s"] if by == "cases" else ["time_cost_s", "cases"]
        table = table.sort_values(["kind", "step"]).sort_values(
            key, ascending=False, kind="stable", na_position="last"
        )
        columns = ["kind", "step", "cases", "share", "median_throughput_s", "time_cost_s"]
        return table[columns].reset_index(drop=True)

    def over_time(self) -> pd.DataFrame:
        """By month of case start (in the log's time zone): `month`, `cases`, `conforming`,
        `rate`, mean case `fitness`."""
        return self.case_figures.over_time()

    def by_segment(self, log: EventLog, column: str) -> pd.DataFrame:
        """By a case attribute's value (its first value in the case): the same figures
        (a log here only)."""
        if not isinstance(self.case_figures, LocalCases):
            raise ValueError("segments are counted for a log here, not in place")
        return self.case_figures.by_segment(log, column)

    def by_department(self) -> pd.DataFrame:
        """Per department: `deviations` (occurrences), `cases` with one, and their `share`."""
        table = self.case_figures.by_department()
        table["share"] = table["cases"] / max(self.n_cases, 1)
        table = table.sort_values("department").sort_values("cases", ascending=False, kind="stable")
        return table.reset_index(drop=True)

    def messages(self, top: int = 10) -> list[Message]:
        """The most common deviations, as messages (`discovery.words.say` puts them in words).

        >>> say(result.messages()[0])  # doctest: +SKIP
        'Repeated step: Check, in 1 case (33%); these cases take 1 hour longer (median) ...'
        """
        return [
            deviation_message(
                row.kind, self.step_name(row.kind, row.step), row.cases, row.share, row.time_cost_s
            )
            for row in self.ranking().head(top).itertuples()
        ]

    def step_name(self, kind: str, step: str) -> str | Message:
        """A deviation's step as it is shown: a broken rule's id ("rule:0") is the rule's
        description, a message (`discovery.words.say`); other steps are their own name.

        >>> say(result.step_name("rule_broken", "rule:0"), "nl")  # doctest: +SKIP
        'Arts binnen 2 uur na Triage'
        """
        if kind == "rule_broken":
            for index, rule in enumerate(self.rules):
                if rule_id(index) == step:
                    return rule.describe()
        return step

    def approximate_message(self) -> Message | None:
        """The notice for cases whose alignment is approximate (None when there are none).

        >>> say(result.approximate_message())  # doctest: +SKIP
        'Approximate: 12 cases (3 variants) took too long to align; ...'
        """
        if not self.approximate_cases:
            return None
        low, high = self.fitness_bounds or (self.fitness, self.fitness)
        return _approximate(self.approximate_cases, self.approximate_variants, low, high)

    def to_dict(self, language: Language = "en") -> dict[str, JSONValue]:
        """Log-level figures and the ranked deviations (the CLI's JSON); a broken rule's
        `description` (null for other kinds) is the rule said in `language`."""
        deviations = self.ranking()[["kind", "step", "cases", "share", "time_cost_s"]]
        described = [
            self.step_name(kind, step) if kind == "rule_broken" else None
            for kind, step in zip(deviations["kind"], deviations["step"], strict=True)
        ]
        return to_json_dict(
            {
                "journey": self.journey.name,
                "fitness": self.fitness,
                "cases": self.n_cases,
                "conforming_cases": self.conforming_cases,
                "conformance_rate": self.conformance_rate,
                "fitting_cases": self.fitting_cases,
                "approximate_cases": self.approximate_cases,
                "fitness_bounds": self.fitness_bounds or (self.fitness, self.fitness),
                "deviations": deviations.assign(description=described),
                "over_time": self.over_time(),
                "by_department": self.by_department(),
            },
            language,
        )


def check_conformance(
    log: EventLog | InPlaceLog,
    journey: IntendedJourney,
    rules: Sequence[Rule] = (),
    time_limit: float | None = TIME_LIMIT_S,
    progress: Callable[[int, int], None] | None = None,
    budget: float | None = TIME_BUDGET_S,
) -> Conformance:
    """Every case against the intended journey: alignments per variant, departments, wait
    norms, the journey's rules and `rules`. A log without cases (filters that keep none) is
    a ValueError. A log in place is checked where it lives: only its variants come back.

    A variant not aligned within `time_limit` seconds (None: no limit) gets an approximate
    alignment, marked as such; so do the variants left once aligning has taken `budget`
    seconds (None: no budget). Variants are aligned most cases first, so a budget spent
    leaves the rarest approximate. `progress(done, total)` is called as variants are aligned.
    """
    empty = ValueError("the log has no cases to hold against the intended journey")
    if (log.quality.rows_used if isinstance(log, InPlaceLog) else log.n_events) == 0:
        raise empty
    rules = (*journey.rules, *rules)
    if isinstance(log, InPlaceLog):
        found = variants_in_place(log)
        if found.table.empty:  # filters that keep none (a filtered log keeps its quality)
            raise empty
        cases, sequences, counts = None, found.sequences, found.table["cases"]
    else:
        cases, sequences = _cases_and_variants(log)
        counts = cases["variant"].value_counts().sort_index()
    frequency = counts.sort_values(ascending=False, kind="stable")
    ordered = [sequences[number] for number in frequency.index]  # most cases first
    aligned = _align(journey, sequences, time_limit, progress, budget, ordered)
    aligned["cases"] = counts.to_numpy()
    usual = usual_departments_of(log) | journey.departments
    if isinstance(log, InPlaceLog):
        broken = check_rules(log, rules)  # its cases come back: usually few

        def extra(log: InPlaceLog) -> list[expr.Table]:
            return [*_extra_deviations(log, journey), *_broken_in_place(log, broken)]

        figures: CaseFigures = server_cases(log, found, aligned, extra, usual)
    else:
        assert cases is not None
        figures = _local_cases(log, journey, rules, cases, aligned, usual)
    weights = (aligned["bwc"] * aligned["cases"]).sum()
    fitness = 1.0 - (aligned["cost"] * aligned["cases"]).sum() / weights if weights > 0 else 0.0
    highest = 1.0 - (aligned["lowest"] * aligned["cases"]).sum() / weights if weights > 0 else 0.0
    columns = ["variant", "cases", "fitness", "cost", "bwc", "approximate"]
    return Conformance(
        variants=aligned[columns],
        case_figures=figures,
        fitness=float(fitness),
        journey=journey,
        rules=tuple(rules),
        timezone=log.timezone,
        fitness_bounds=(float(fitness), float(highest)),
    )


def _local_cases(
    log: EventLog,
    journey: IntendedJourney,
    rules: Sequence[Rule],
    cases: pd.DataFrame,
    aligned: pd.DataFrame,
    usual: dict[str, str],
) -> LocalCases:
    """Every case of a log here and its deviations, as frames."""
    columns = ["variant", "fitness", "cost", "bwc", "approximate"]
    cases = cases.merge(aligned[columns], on="variant")
    parts = [
        _flow_deviations(cases, aligned),
        *(execute(part) for part in _extra_deviations(log, journey)),
        _broken_rules(log, rules),
    ]
    parts = [p for p in parts if len(p)]
    deviations = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[])
    deviations = deviations.reindex(columns=DEVIATION_COLUMNS)
    deviations["department"] = deviations["step"].map(usual)
    deviations = deviations[DEVIATION_COLUMNS]
    counts = deviations.groupby("case_id")["occurrences"].sum()
    cases["deviations"] = cases["case_id"].map(counts).fillna(0).astype("int64")
    cases["conforming"] = cases["deviations"] == 0
    cases = cases[CASE_COLUMNS].sort_values("case_id").reset_index(drop=True)
    deviations = deviations.sort_values(["case_id", "kind", "step"]).reset_index(drop=True)
    return LocalCases(cases, deviations, log.timezone)


def _cases_and_variants(log: EventLog) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """Per case its variant number, start and throughput; and the variants' activities."""
    events = source(log, "activity")
    per_case = events.group_by(events.case_id).aggregate(
        key=events.activity.cast("string").collect(order_by=events.order).join(_SEPARATOR),
        start=events.begin.min(),
        throughput_s=seconds_between(events.begin.min(), events.timestamp.max()),
    )
    # by case id, so that variants are numbered (and aligned) in the same order every run
    cases = execute(per_case.order_by("case_id"))
    codes, keys = pd.factorize(cases.pop("key"))
    cases["variant"] = codes
    return cases, [tuple(key.split(_SEPARATOR)) for key in keys]


def _align(
    journey: IntendedJourney,
    variants: list[tuple[str, ...]],
    time_limit: float | None = TIME_LIMIT_S,
    progress: Callable[[int, int], None] | None = None,
    budget: float | None = None,
    order: list[tuple[str, ...]] | None = None,
) -> pd.DataFrame:
    """Per variant: fitness, cost, its lowest possible value, bwc, whether approximate,
    and the deviations found as (kind, step, count). Aligned on the journey's net reduced
    to fewer silent steps (the same language); approximations are not kept in the cache."""
    net = reduce_net(journey.net())
    with _ALIGNED_LOCK:  # the app's sessions share the cache
        aligned = {trace: _ALIGNED.get((net, trace)) for trace in variants}
    missing = [trace for trace in order or aligned if aligned[trace] is None]
    if missing:
        native = _pm4py.petri_net(net.places, net.transitions, net.arcs, net.initial, net.final)
        results = _pm4py.align_traces(native, missing, time_limit, progress, budget)
        aligned.update(zip(missing, results, strict=True))
        exact = [(t, r) for t, r in zip(missing, results, strict=True) if not r["approximate"]]
        with _ALIGNED_LOCK:
            if len(_ALIGNED) + len(exact) > _ALIGNED_KEPT:
                _ALIGNED.clear()
            _ALIGNED.update(((net, t), r) for t, r in exact)
    rows = []
    for number, trace in enumerate(variants):
        result = aligned[trace]
        assert result is not None  # a variant not in the cache was aligned above
        found = _classify(result["moves"], net.activities, journey.goals, trace)
        rows.append(
            {
                "variant": number,
                "fitness": float(result["fitness"]),
                "cost": int(result["cost"]),
                "lowest": int(result["lowest"]),
                "bwc": int(result["bwc"]),
                "approximate": bool(result["approximate"]),
                "found": found,
            }
        )
    return pd.DataFrame(rows)


def _flow_deviations(cases: pd.DataFrame, aligned: pd.DataFrame) -> pd.DataFrame:
    """Each variant's deviations, spread to its cases."""
    flow = aligned[["variant", "found"]].explode("found").dropna()
    flow = pd.DataFrame(
        [(v, *found) for v, found in zip(flow["variant"], flow["found"], strict=True)],
        columns=["variant", "kind", "step", "occurrences"],
    )
    return cases[["case_id", "variant"]].merge(flow, on="variant").drop(columns="variant")


def _classify(
    moves: list[tuple[str | None, str | None]],
    designed: set[str],
    goals: tuple[str, ...],
    trace: tuple[str, ...],
) -> list[tuple[str, str, int]]:
    """Name the alignment's deviations: a log move and a model move on the same step are a
    step in the wrong order; a log move on a step the case does more than once is a repeat;
    other log moves are extra steps; model moves are skipped steps, except those after the
    case's last event when it never reached a goal: that case ended early, at its last
    activity."""
    model_moves = [(i, m) for i, (a, m) in enumerate(moves) if a is None and m is not None]
    last_seen = max((i for i, (a, _) in enumerate(moves) if a is not None), default=-1)
    found: list[tuple[str, str]] = []
    for activity, model in moves:
        if activity is None:
            continue
        if model is None:
            match = next((mm for mm in model_moves if mm[1] == activity), None)
            if activity not in designed:
                found.append(("extra_step", activity))
            elif match is not None:
                model_moves.remove(match)
                found.append(("wrong_order", activity))
            elif trace.count(activity) > 1:
                found.append(("repeated_step", activity))
            else:
                found.append(("extra_step", activity))
    stopped = bool(goals) and not set(goals) & set(trace)
    trailing = [m for i, m in model_moves if i > last_seen] if stopped else []
    found += [("skipped_step", m) for i, m in model_moves if not (stopped and i > last_seen)]
    if trailing:
        found.append(("ended_early", trace[-1] if trace else trailing[0]))
    counted = pd.Series([f"{k}{_SEPARATOR}{s}" for k, s in found], dtype="object").value_counts()
    return [(*key.split(_SEPARATOR), int(n)) for key, n in counted.items()]


def _extra_deviations(log: EventLog | InPlaceLog, journey: IntendedJourney) -> list[expr.Table]:
    """The deviations found in the events, not in the variants: unexpected departments and
    waits over their norm, as expressions where the log lives (case_id, kind, step,
    occurrences); the designed departments and norms go there as CASE expressions, not as
    tables, since a read-only server takes no table."""
    parts = [_unexpected_departments(log, journey), *_late(log, journey)]
    return [part for part in parts if part is not None]


def _unexpected_departments(
    log: EventLog | InPlaceLog, journey: IntendedJourney
) -> expr.Table | None:
    expected = journey.departments
    if not log.has("department") or not expected:
        return None
    events = source(log, "activity")
    designed = events.mutate(
        expected=expr.cases(*((events.activity == step, d) for step, d in expected.items()))
    )
    off = designed.filter(
        designed.expected.notnull()
        & (designed.department != designed.expected)
        & (designed.department != NO_VALUE)
    )
    table = off.group_by([off.case_id, off.activity.name("step")]).aggregate(
        occurrences=off.count()
    )
    return table.select("case_id", kind=expr.literal("unexpected_department"), step=table.step,
                        occurrences=table.occurrences.cast("int64"))  # fmt: skip


def _late(log: EventLog | InPlaceLog, journey: IntendedJourney) -> list[expr.Table]:
    """Per case and step (or "A → B" for a norm between two steps): how often the wait
    went over the norm, as expressions (case_id, kind "wait_over_norm", step, occurrences)."""
    kind = expr.literal("wait_over_norm")
    parts = []
    limits = {s.activity: s.max_wait_hours * 3600 for s in journey.steps if s.max_wait_hours}
    if limits:
        table = steps(log, "activity")
        limit_s = expr.cases(*((table.node == step, s) for step, s in limits.items()))
        late = table.filter(limit_s.notnull() & (table.wait_before > limit_s))
        counted = late.group_by([late.case_id, late.node.name("step")]).aggregate(
            occurrences=late.count()
        )
        parts.append(counted.select("case_id", kind=kind, step=counted.step,
                                    occurrences=counted.occurrences.cast("int64")))  # fmt: skip
    events = source(log, "activity")
    for norm in journey.norms:
        per_case = events.group_by(events.case_id).aggregate(
            source_end=events.timestamp.min(where=events.activity == norm.source),
            target_begin=events.begin.min(where=events.activity == norm.target),
        )
        waited = seconds_between(per_case.source_end, per_case.target_begin)
        late = per_case.filter(waited > norm.max_hours * 3600)
        step = expr.literal(f"{norm.source} → {norm.target}")
        parts.append(late.select("case_id", kind=kind, step=step,
                                 occurrences=expr.literal(1).cast("int64")))  # fmt: skip
    return parts


def waits_over_norm(log: EventLog | InPlaceLog, journey: IntendedJourney) -> pd.DataFrame:
    """Per case and step (or "A → B" for a norm between two steps): how often the wait
    went over the norm (`occurrences`), with kind "wait_over_norm"."""
    parts = [execute(part) for part in _late(log, journey)]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["case_id", "kind", "step", "occurrences"])
    return pd.concat(parts, ignore_index=True)


def _broken_in_place(log: InPlaceLog, broken: pd.DataFrame) -> list[expr.Table]:
    """The broken rules (`check_rules`'s rows) as expressions where `log` lives: one IN
    list of cases per rule, on the log's events."""
    events = log.events
    parts = []
    for rule, ids in broken.groupby("rule", sort=True)["case_id"]:
        cases = events.filter(events.case_id.isin(list(ids))).select("case_id").distinct()
        parts.append(cases.select("case_id", kind=expr.literal("rule_broken"),
                                  step=expr.literal(rule_id(int(rule))),
                                  occurrences=expr.literal(1).cast("int64")))  # fmt: skip
    return parts


def _broken_rules(log: EventLog | InPlaceLog, rules: Sequence[Rule]) -> pd.DataFrame:
    broken = check_rules(log, rules)
    return pd.DataFrame(
        {
            "case_id": broken["case_id"],
            "kind": "rule_broken",
            "step": broken["rule"].map(rule_id),
            "occurrences": 1,
        }
    )
