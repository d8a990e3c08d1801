"""Monitoring one process month by month: per calendar month of case start (in the log's
time zone) its conformance, the median waits before its top bottlenecks, handoffs per case
and drop-off; the intended journey's wait norms; and the months that breach a threshold.

Several logs of one process (saved analyses of it, say one export a quarter) are merged
first (`merge_logs`): a case id found in more than one log is counted once, whole, from
the log that reaches furthest (the latest last event; on a tie the one given first), since
a later export has seen more of the case. So overlapping periods count no case twice.

>>> monitor = monitor_logs([q1, q2], journey=journey)  # doctest: +SKIP
>>> monitor.breaches(Thresholds(min_conformance=0.8, max_wait_days=2))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine import execute, steps
from discovery.errors import LogError
from discovery.intended.conformance import check_conformance
from discovery.intended.model import IntendedJourney
from discovery.lens.journey import DEFAULT_TIMEOUT_DAYS, analyse_journey
from discovery.lens.stages import Stages
from discovery.log.event_log import EventLog
from discovery.mining.bottlenecks import find_bottlenecks
from discovery.mining.handoffs import analyse_handoffs
from discovery.words import message

MONTH_COLUMNS = [
    "month", "cases", "conforming", "conformance", "fitness", "handoffs",
    "completed", "abandoned", "open", "drop_off",
]  # fmt: skip
WAIT_COLUMNS = ["month", "place", "waits", "wait_median_s"]
NORM_COLUMNS = ["place", "kind", "max_wait_s"]
BREACH_COLUMNS = ["month", "figure", "place", "value", "limit"]
DAY = 86400.0


@dataclass(frozen=True)
class Thresholds:
    """Limits a user sets; None: not checked. `min_conformance` and `max_drop_off` are
    shares (0.8 is 80 %), `max_wait_days` holds for the median wait of every place watched,
    `max_handoffs` for the mean handoffs per case."""

    min_conformance: float | None = None
    max_wait_days: float | None = None
    max_handoffs: float | None = None
    max_drop_off: float | None = None


@dataclass(frozen=True)
class Monitor:
    """A process month by month, each case in the month it started (`timezone`).

    `months`: month ("2025-03"), cases, conforming, conformance (conforming / cases; NaN
    without an intended journey or cases), fitness (mean case fitness), handoffs (mean per
    case), completed, abandoned, open, drop_off (abandoned / (completed + abandoned), as
    the comparison measures it); every calendar month from the first to the last, empty
    months with 0 cases and NaN figures.
    `waits`: month, place, waits (how many), wait_median_s — per place watched: the top
    bottlenecks (activities by total waiting before them over the whole period, the wait
    from the end of the case's previous event, as `find_bottlenecks`), and each wait norm
    between two steps of the journey ("A → B": end of A's first event to the start of
    B's first, as conformance checks it).
    `norms`: place, kind ("step": the step's longest wait; "between": a `WaitNorm`),
    max_wait_s — the journey's norms for the places watched.
    `places`: the places watched, bottlenecks first. `overlap_cases`: case ids found in
    more than one log (each counted once). `sources`: the logs' names.
    """

    months: pd.DataFrame
    waits: pd.DataFrame
    norms: pd.DataFrame
    places: tuple[str, ...]
    timezone: str
    has_journey: bool
    overlap_cases: int = 0
    sources: tuple[str, ...] = ()

    def norm_of(self, place: str) -> float | None:
        """The norm (seconds) for a place watched, None where the journey gives none."""
        found = self.norms.loc[self.norms["place"] == place, "max_wait_s"]
        return float(found.iloc[0]) if len(found) else None

    def breaches(self, thresholds: Thresholds) -> pd.DataFrame:
        """One row per month and figure over its threshold: month, figure ("conformance",
        "wait", "handoffs", "drop_off"), place (the wait's place; None otherwise), value
        and limit (waits in seconds). Months without cases breach nothing."""
        rows: list[tuple[str, str, str | None, float, float]] = []
        months = self.months[self.months["cases"] > 0]
        checks = (
            ("conformance", thresholds.min_conformance, -1.0),
            ("handoffs", thresholds.max_handoffs, 1.0),
            ("drop_off", thresholds.max_drop_off, 1.0),
        )
        for figure, limit, sign in checks:
            if limit is None or (figure == "conformance" and not self.has_journey):
                continue
            over = months[sign * (months[figure] - limit) > 0]
            rows += [
                (m, figure, None, float(v), limit)
                for m, v in zip(over["month"], over[figure], strict=True)
            ]
        if thresholds.max_wait_days is not None:
            limit = thresholds.max_wait_days * DAY
            over = self.waits[self.waits["wait_median_s"] > limit]
            rows += [
                (r.month, "wait", r.place, float(r.wait_median_s), limit) for r in over.itertuples()
            ]
        table = pd.DataFrame(rows, columns=BREACH_COLUMNS)
        table["place"] = table["place"].astype(object).where(table["place"].notna(), None)
        return table.sort_values(["month", "figure"], kind="stable").reset_index(drop=True)

    def to_dict(self, thresholds: Thresholds | None = None) -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): timezone, sources, overlap_cases, has_journey,
        places, months, waits, norms, thresholds and breaches."""
        thresholds = thresholds or Thresholds()
        return to_json_dict(
            {
                "timezone": self.timezone,
                "sources": self.sources,
                "overlap_cases": self.overlap_cases,
                "has_journey": self.has_journey,
                "places": self.places,
                "months": self.months,
                "waits": self.waits,
                "norms": self.norms,
                "thresholds": vars(thresholds),
                "breaches": self.breaches(thresholds),
            }
        )


def merge_logs(logs: Sequence[EventLog]) -> tuple[EventLog, int]:
    """One log of several logs of one process, and how many case ids were in more than
    one: each such case is taken whole from the log with the latest last event (on a tie,
    the one given first). Time zone and column roles are the first log's."""
    logs = [log for log in logs if log.n_events]
    if not logs:
        raise LogError(message("monitor.error.empty"))
    if len(logs) == 1:
        return logs[0], 0
    order = sorted(range(len(logs)), key=lambda i: (-logs[i].period[1].value, i))
    taken: set[str] = set()
    parts, overlap = [], 0
    for i in order:
        events = logs[i].events
        ids = events["case_id"].astype(str)
        seen = ids.isin(taken)
        overlap += int(ids[seen].nunique())
        parts.append(events[~seen.to_numpy()])
        taken.update(ids[~seen].unique())
    categorical = [
        c for c in logs[0].events if isinstance(logs[0].events[c].dtype, pd.CategoricalDtype)
    ]
    events = pd.concat(parts, ignore_index=True)
    for column in categorical:
        events[column] = events[column].astype("category")
    events = events.sort_values(["case_id", "timestamp", "position"], kind="stable")
    events = events.reset_index(drop=True).assign(position=np.arange(len(events)))
    return logs[0].with_events(events), overlap


def monitor_logs(
    logs: Sequence[EventLog],
    *,
    journey: IntendedJourney | None = None,
    stages: Stages | None = None,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    top: int = 3,
) -> Monitor:
    """Several logs of one process merged (`merge_logs`), then month by month; see
    `monitor_log`."""
    log, overlap = merge_logs(logs)
    found = monitor_log(
        log, journey=journey, stages=stages, goals=goals, timeout_days=timeout_days, top=top
    )
    sources = tuple(dict.fromkeys(lg.source for lg in logs))
    return replace(found, overlap_cases=overlap, sources=sources)


def monitor_log(
    log: EventLog,
    *,
    journey: IntendedJourney | None = None,
    stages: Stages | None = None,
    goals: Sequence[str] | None = None,
    timeout_days: float = DEFAULT_TIMEOUT_DAYS,
    top: int = 3,
) -> Monitor:
    """One log month by month: conformance against `journey` (if given), the median
    waits before its `top` bottlenecks and across the journey's wait norms between two
    steps, handoffs per case and drop-off (goals: `goals`, else the journey's, else the
    log's usual ends; open cases judged against the log's last moment)."""
    if log.n_events == 0:
        raise LogError(message("monitor.error.empty"))
    events = log.events
    begin = (
        events["start_timestamp"].fillna(events["timestamp"])
        if log.has("start_timestamp")
        else events["timestamp"]
    )
    start = begin.groupby(events["case_id"], sort=False).min()
    month_of = start.dt.tz_convert(log.timezone).dt.strftime("%Y-%m")
    all_months = _calendar(month_of)
    cases = pd.DataFrame({"month": month_of})
    handoffs = analyse_handoffs(log).per_case.set_index("case_id")["handoffs"]
    cases["handoffs"] = handoffs.reindex(cases.index).fillna(0).to_numpy()
    if goals is None and journey is not None and journey.goals:
        goals = journey.goals
    lens = analyse_journey(log, stages, goals=goals, timeout_days=timeout_days)
    outcome = lens.dropoff.per_case.set_index("case_id")["outcome"]
    cases["outcome"] = outcome.reindex(cases.index).to_numpy()
    if journey is not None:
        checked = check_conformance(log, journey).cases.set_index("case_id")
        cases["conforming"] = checked["conforming"].reindex(cases.index).to_numpy(bool)
        cases["fitness"] = checked["fitness"].reindex(cases.index).to_numpy(float)
    else:
        cases["conforming"] = False
        cases["fitness"] = np.nan
    months = _months(cases, all_months, journey is not None)
    places = tuple(find_bottlenecks(log).activities["activity"].head(top).astype(str))
    waits = _step_waits(log, month_of, places)
    norms = []
    if journey is not None:
        limits = {s.activity: s.max_wait_hours for s in journey.steps if s.max_wait_hours}
        norms += [(p, "step", limits[p] * 3600) for p in places if p in limits]
        for norm in journey.norms:
            place = f"{norm.source} → {norm.target}"
            norms.append((place, "between", norm.max_hours * 3600))
            waits = pd.concat(
                [waits, _norm_waits(log, begin, month_of, norm.source, norm.target, place)]
            )
            places = (*places, place)
    waits = _complete(waits, all_months, places)
    return Monitor(
        months=months,
        waits=waits,
        norms=pd.DataFrame(norms, columns=NORM_COLUMNS),
        places=places,
        timezone=log.timezone,
        has_journey=journey is not None,
        sources=(log.source,),
    )


def _calendar(month_of: pd.Series) -> list[str]:
    """Every calendar month from the first to the last of `month_of` ("YYYY-MM")."""
    first, last = pd.Period(month_of.min(), "M"), pd.Period(month_of.max(), "M")
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def _months(cases: pd.DataFrame, all_months: list[str], has_journey: bool) -> pd.DataFrame:
    grouped = cases.groupby("month")
    table = pd.DataFrame(index=pd.Index(all_months, name="month"))
    table["cases"] = grouped.size()
    table["conforming"] = grouped["conforming"].sum()
    table["fitness"] = grouped["fitness"].mean()
    table["handoffs"] = grouped["handoffs"].mean()
    for outcome in ("completed", "abandoned", "open"):
        table[outcome] = (cases["outcome"] == outcome).groupby(cases["month"]).sum()
    counts = ["cases", "conforming", "completed", "abandoned", "open"]
    table[counts] = table[counts].fillna(0).astype("int64")
    table["conformance"] = (table["conforming"] / table["cases"]).where(
        (table["cases"] > 0) & has_journey
    )
    closed = table["completed"] + table["abandoned"]
    table["drop_off"] = (table["abandoned"] / closed).where(closed > 0)
    return table.reset_index()[MONTH_COLUMNS]


def _step_waits(log: EventLog, month_of: pd.Series, places: tuple[str, ...]) -> pd.DataFrame:
    """The wait before each event of the `places` (activities), by its case's month."""
    table = steps(log, "activity")
    table = table.filter(table.wait_before.notnull() & table.node.isin(list(places)))
    waits = execute(table.select("case_id", "node", "wait_before"))
    waits["month"] = waits["case_id"].map(month_of)
    return _medians(waits.rename(columns={"node": "place", "wait_before": "wait_s"}))


def _norm_waits(
    log: EventLog, begin: pd.Series, month_of: pd.Series, source: str, target: str, place: str
) -> pd.DataFrame:
    """Per case with both steps: from the end of `source`'s first event to the start of
    `target`'s first, by the case's month."""
    events = log.events
    activity = events["activity"].astype(str)
    ends = events["timestamp"][activity == source].groupby(events["case_id"]).min()
    begins = begin[activity == target].groupby(events["case_id"]).min()
    both = (begins - ends).dropna().dt.total_seconds()
    waits = pd.DataFrame({"case_id": both.index, "wait_s": both.to_numpy(), "place": place})
    waits["month"] = waits["case_id"].map(month_of)
    return _medians(waits)


def _medians(waits: pd.DataFrame) -> pd.DataFrame:
    grouped = waits.groupby(["month", "place"])["wait_s"]
    table = grouped.agg(waits="size", wait_median_s="median").reset_index()
    return table[WAIT_COLUMNS]


def _complete(waits: pd.DataFrame, all_months: list[str], places: tuple[str, ...]) -> pd.DataFrame:
    """Every month for every place (0 waits and NaN where none), places in `places` order."""
    index = pd.MultiIndex.from_product([all_months, places], names=["month", "place"])
    table = waits.set_index(["month", "place"]).reindex(index).reset_index()
    table["waits"] = table["waits"].fillna(0).astype("int64")
    table["place"] = pd.Categorical(table["place"], categories=list(places))
    table = table.sort_values(["place", "month"]).reset_index(drop=True)
    table["place"] = table["place"].astype(str)
    return table[WAIT_COLUMNS]
