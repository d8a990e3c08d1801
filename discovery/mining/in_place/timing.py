"""Throughput in place: each case's span found where the log lives, its distribution and
its trend by period computed there; only one row per period comes back (and the first
cases' spans, for a look at single cases)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from discovery.engine import Table
from discovery.engine import expressions as expr
from discovery.engine.in_place import InPlaceLog, run_in_place, text_key
from discovery.mining._map_arrays import interpolated
from discovery.mining.in_place._frames import as_text
from discovery.mining.in_place._quantiles import (
    group_quantile,
    order_statistics,
    ranked_by,
    series_quantile,
    with_quantiles,
)

PER_CASE_LIMIT = 1_000_000
"""At most this many cases' spans come back in `per_case` (the first by case id)."""
PER_CASE_COLUMNS = ["case_id", "start", "end", "throughput_s"]


def throughput_in_place(
    log: InPlaceLog, period: str, quantiles: Sequence[float], *, cases: bool = True
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """The `per_case` (case_id, start, end, throughput_s: the first `PER_CASE_LIMIT` cases
    by case id), `distribution` (each of `quantiles` of all cases' throughput, in seconds)
    and `trend` (period, cases, median_s, mean_s, p90_s: cases by the `period`, "week" or
    "month", they started in, in the log's zone) of `Throughput`. Quantiles as the local
    route's pandas computes them, to the last bit (`series_quantile`, and the trend's
    `GroupBy` median and `group_quantile`), from the order statistics found there. Without
    `cases`, no case's span comes here (`per_case` is empty)."""
    spans, backend = _spans(log), log.place.backend
    wanted = {f"q{n}": q for n, q in enumerate(quantiles)}
    ranked = ranked_by(spans, [], "us", backend)
    found = run_in_place(
        ranked.aggregate(
            first=ranked.start.min(),
            last=ranked.start.max(),
            **order_statistics(ranked, "us", wanted, backend),
        )
    )
    found = with_quantiles(found, wanted, series_quantile).iloc[0]
    distribution = pd.Series(
        [float(found[f"q{n}"]) for n in range(len(quantiles))],
        index=list(quantiles),
        name="throughput_s",
        dtype="float64",
    )
    per_case = _per_case(log, spans) if cases else pd.DataFrame(columns=PER_CASE_COLUMNS)
    return per_case, distribution, _trend(log, spans, found, period, backend)


def _spans(log: InPlaceLog) -> Table:
    events = log.events
    begin = (
        expr.ifelse(events.start_timestamp.isnull(), events.timestamp, events.start_timestamp)
        if log.has("start_timestamp")
        else events.timestamp
    )
    spans = events.group_by("case_id").aggregate(start=begin.min(), end=events.timestamp.max())
    return spans.mutate(us=spans.end.delta(spans.start, unit="microsecond"))


def _per_case(log: InPlaceLog, cases: Table) -> pd.DataFrame:
    first = cases.order_by(text_key(log, cases.case_id)).limit(PER_CASE_LIMIT)
    frame = as_text(run_in_place(first), ["case_id"]).sort_values("case_id")
    for column in ("start", "end"):
        frame[column] = _utc(frame[column])
    frame["throughput_s"] = frame.pop("us").astype("int64") / 1_000_000
    return frame[PER_CASE_COLUMNS].reset_index(drop=True)


def _trend(
    log: InPlaceLog, cases: Table, found: pd.Series, period: str, backend: str
) -> pd.DataFrame:
    """Cases by the period (in the log's zone) they started in: the periods' first moments
    are found here from the first and last start, and each case numbered by one CASE."""
    columns = ["period", "cases", "median_s", "mean_s", "p90_s"]
    if pd.isna(found["first"]):
        return pd.DataFrame(columns=columns)
    zone = log.timezone
    first, last = (_utc(pd.Series([found[k]])).dt.tz_convert(zone) for k in ("first", "last"))
    code = "W" if period == "week" else "M"
    start = first.dt.tz_localize(None).dt.to_period(code).dt.start_time.iloc[0]
    step = pd.DateOffset(weeks=1) if period == "week" else pd.DateOffset(months=1)
    bounds = list(pd.date_range(start, last.dt.tz_localize(None).iloc[0], freq=step))
    instants = [
        moment.tz_localize(zone, ambiguous=True, nonexistent="shift_forward")
        .tz_convert("UTC")
        .tz_localize(None)
        for moment in bounds
    ]
    latest_first = reversed(list(enumerate(instants)))
    number = expr.cases(*((cases.start >= expr.literal(moment), n) for n, moment in latest_first))
    numbered = ranked_by(cases.mutate(_period=number), ["_period"], "us", backend)
    wanted = {"median_s": 0.5, "p90_s": 0.9}
    frame = run_in_place(
        numbered.group_by("_period").aggregate(
            cases=numbered.count(),
            total_us=numbered.us.sum(),
            **order_statistics(numbered, "us", wanted, backend),
        )
    )
    frame = with_quantiles(frame, wanted, {"p90_s": group_quantile, "median_s": interpolated})
    frame = frame.sort_values("_period").reset_index(drop=True)
    frame["cases"] = frame["cases"].astype("int64")
    frame["mean_s"] = frame.pop("total_us").astype("float64") / 1_000_000 / frame["cases"]
    frame["period"] = pd.to_datetime([bounds[int(n)] for n in frame.pop("_period")])
    return frame[columns].astype({"median_s": "float64", "p90_s": "float64"})


def _utc(values: pd.Series) -> pd.Series:
    values = pd.to_datetime(values)
    return values.dt.tz_localize("UTC") if values.dt.tz is None else values.dt.tz_convert("UTC")
