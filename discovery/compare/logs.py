"""Two event logs, or one log before and after a date, compared: the key figures of each,
their differences tested as the segment comparison tests them, and the paths of both maps.

Durations (throughput time, the wait before each step) are tested with the Mann-Whitney U
test, rates (drop-off overall and per step, ping-pong, rework, conformance) with the
two-proportion z-test, handoffs per case and the mean score by their Mann-Whitney test with
Cohen's d as the effect; p-values are adjusted with Holm's method over every test made. A
change is highlighted when it is significant *and* large enough to matter (the thresholds
of `discovery.lens.segments`: medians at least 25% apart, rates 5 points, d 0.3).
Highlighted changes are ranked by their size measured in those thresholds (`strength`:
|log ratio| / log 1.25, |rate difference| / 0.05, |d| / 0.3), so a halved wait (3.1) ranks
above a 10-point drop in a rate (2.0).

>>> comparison = compare_periods(log, pd.Timestamp("2025-09-01"))  # doctest: +SKIP
>>> [say(s, "nl") for s in comparison.sentences()]  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.compare._samples import measure_log, merged
from discovery.compare.edges import edge_changes, node_changes
from discovery.compare.periods import split_at
from discovery.compare.sentences import change_message, measure_name, nothing_message
from discovery.errors import LogError
from discovery.intended.model import IntendedJourney
from discovery.lens._segment_tests import MIN_COHEN_D, MIN_RATE_POINTS, MIN_RATIO, segment_tests
from discovery.lens._stats import holm
from discovery.lens.journey import DEFAULT_TIMEOUT_DAYS
from discovery.lens.stages import Stages, suggest_stages
from discovery.log.event_log import EventLog
from discovery.mining.maps import discover_map
from discovery.words import Language, Message, message

KPI_COLUMNS = [
    "name", "where", "unit", "a", "b", "delta", "effect", "cases_a", "cases_b", "p_value",
    "p_adjusted", "significant", "meaningful", "highlighted", "improved", "strength",
    "label", "message",
]  # fmt: skip
HIGHER_IS_BETTER = ("conformance", "score")


@dataclass(frozen=True)
class LogComparison:
    """Log (or period) a against log b.

    `kpis`: one row per key figure and place tested: name (throughput, step_wait,
    handoffs, pingpong, rework, drop_off, step_drop_off, conformance, score), where (the
    step; None for case measures), unit ("seconds": medians; "share": rates; "mean"), a,
    b, delta (b - a), effect (b / a for durations, b - a for rates, Cohen's d for means),
    cases_a, cases_b, p_value, p_adjusted (Holm), significant, meaningful, highlighted,
    improved (b better than a), strength (the effect in thresholds that matter), label
    (a Message naming it) and message (what changed, a Message). Highlighted first,
    strongest first; then by adjusted p.
    `edges`, `nodes`: `edge_changes`, `node_changes` of both activity maps.
    `names`: what a and b are (a log's name, or "before 1 Sep 2025" as a Message).
    """

    kpis: pd.DataFrame
    edges: pd.DataFrame
    nodes: pd.DataFrame
    cases: tuple[int, int]
    names: tuple[str | Message, str | Message]
    split: pd.Timestamp | None = None
    alpha: float = 0.05

    @property
    def highlighted(self) -> pd.DataFrame:
        """The changes that matter: significant and large enough, strongest first."""
        return self.kpis[self.kpis["highlighted"]].reset_index(drop=True)

    def sentences(self, top: int | None = None) -> list[Message]:
        """What changed, strongest first; one sentence saying nothing did, if so."""
        found = self.highlighted["message"].tolist()
        return found[:top] if found else [nothing_message(len(self.kpis))]

    def to_dict(self, language: Language = "en") -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): a and b (name, cases), split, kpis, edges, nodes,
        sentences; every message said in `language`."""
        kpis = self.kpis.drop(columns="message")
        return to_json_dict(
            {
                "a": {"name": self.names[0], "cases": self.cases[0]},
                "b": {"name": self.names[1], "cases": self.cases[1]},
                "split_date": self.split,
                "alpha": self.alpha,
                "kpis": kpis,
                "edges": self.edges,
                "nodes": self.nodes,
                "sentences": self.sentences(),
            },
            language,
        )


def compare_periods(
    log: EventLog,
    moment: pd.Timestamp | str,
    *,
    stages: Stages | None = None,
    journey: IntendedJourney | None = None,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    alpha: float = 0.05,
    min_cases: int = 20,
) -> LogComparison:
    """The cases that started before `moment` (a) against those from it on (b); a naive
    `moment` (or a date as text, "2025-09-01") is in the log's time zone. Options as in
    `compare_logs`."""
    before, after = split_at(log, moment)
    stamp = pd.Timestamp(moment)
    if stamp.tzinfo is None:
        stamp = stamp.tz_localize(log.timezone)
    day = stamp.tz_convert(log.timezone)
    names = (message("compare.before", date=day.date()), message("compare.after", date=day.date()))
    stages = stages if stages is not None else suggest_stages(log)
    comparison = compare_logs(
        before, after, stages=stages, journey=journey, goals=goals,
        timeout_days=timeout_days, alpha=alpha, min_cases=min_cases, names=names,
    )  # fmt: skip
    return LogComparison(
        comparison.kpis, comparison.edges, comparison.nodes, comparison.cases, names,
        split=stamp.tz_convert("UTC"), alpha=alpha,
    )  # fmt: skip


def compare_logs(
    a: EventLog,
    b: EventLog,
    *,
    stages: Stages | None = None,
    journey: IntendedJourney | None = None,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    alpha: float = 0.05,
    min_cases: int = 20,
    names: tuple[str | Message, str | Message] | None = None,
) -> LogComparison:
    """Log `a` against log `b` on the same stages (default: suggested from `a`) and goals
    (default: `a`'s usual ends); `journey`: an intended journey, to compare conformance.
    Places where either log has fewer than `min_cases` cases are not tested. Each log's
    open cases are judged against its own last moment. A log without cases is a LogError."""
    for side, log in (("a", a), ("b", b)):
        if log.n_events == 0:
            raise LogError(message("compare.error.empty", side=side))
    stages = stages if stages is not None else suggest_stages(a)
    measured_a, goals = measure_log(a, stages, goals, timeout_days, journey)
    measured_b, _ = measure_log(b, stages, goals, timeout_days, journey)
    samples, side = merged(measured_a, measured_b)
    tests = segment_tests(samples, side, ["b"], min_cases)
    cases = (a.n_cases, b.n_cases)
    maps = (discover_map(a), discover_map(b))
    return LogComparison(
        kpis=_kpis(tests, alpha),
        edges=edge_changes(*maps, cases),
        nodes=node_changes(*maps, cases),
        cases=cases,
        names=names or (a.source, b.source),
        alpha=alpha,
    )


def _kpis(tests: pd.DataFrame, alpha: float) -> pd.DataFrame:
    """The tests (b against the rest, a) as key figures, judged and ranked."""
    if tests.empty:
        return pd.DataFrame(columns=KPI_COLUMNS)
    table = tests.rename(
        columns={"measure": "name", "value": "b", "rest_value": "a", "cases": "cases_b",
                 "rest_cases": "cases_a"}
    )  # fmt: skip
    table["delta"] = table["b"] - table["a"]
    table["p_adjusted"] = holm(table["p_value"])
    table["significant"] = table["p_adjusted"] < alpha
    table["highlighted"] = table["significant"] & table["meaningful"]
    better = table["name"].isin(HIGHER_IS_BETTER)
    table["improved"] = np.where(better, table["delta"] > 0, table["delta"] < 0)
    table["strength"] = [_strength(r.unit, r.effect) for r in table.itertuples()]
    table["label"] = [measure_name(r.name, r.where) for r in table.itertuples()]
    table["message"] = [change_message(r.name, r.where, r.a, r.b) for r in table.itertuples()]
    table = table.sort_values("p_adjusted", kind="stable")
    table = table.sort_values(["highlighted", "strength"], ascending=False, kind="stable")
    ranked = table.reset_index(drop=True)
    # among the rest, by adjusted p (strength ranks only what is highlighted)
    rest = ranked[~ranked["highlighted"]].sort_values("p_adjusted", kind="stable")
    return pd.concat([ranked[ranked["highlighted"]], rest], ignore_index=True)[KPI_COLUMNS]


def _strength(unit: str, effect: float) -> float:
    """The effect in multiples of the threshold that makes it matter."""
    if unit == "seconds":
        if not effect > 0:
            return 0.0
        return float(abs(np.log(effect)) / np.log(MIN_RATIO)) if np.isfinite(effect) else 99.0
    if unit == "share":
        return float(abs(effect) / MIN_RATE_POINTS)
    return float(abs(effect) / MIN_COHEN_D)
