"""Measure the planted ground truth back from a simulated log (canonical columns).

These are the simulator's own self-checks and the figures in the README; the tests measure
the same things independently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._spec import Journey

HOUR = pd.Timedelta(hours=1)


def ordered(log: pd.DataFrame) -> pd.DataFrame:
    """Events in case order: by case, then start (or end) time, then position in the file."""
    when = "start_timestamp" if "start_timestamp" in log else "timestamp"
    out = log.assign(_row=np.arange(len(log)))
    out = out.sort_values(["case_id", when, "_row"], kind="stable")
    return out.drop(columns="_row").reset_index(drop=True)


def transitions(log: pd.DataFrame) -> pd.DataFrame:
    """Directly-follows pairs with their waits (next start minus this end), in hours."""
    log = ordered(log)
    nxt = log.groupby("case_id", observed=True).shift(-1)
    begin = nxt["start_timestamp"] if "start_timestamp" in log else nxt["timestamp"]
    pairs = pd.DataFrame(
        {
            "source": log["activity"].astype(str),
            "target": nxt["activity"].astype(str),
            "wait_hours": (begin - log["timestamp"]) / HOUR,
        }
    )[nxt["activity"].notna()]
    return (
        pairs.groupby(["source", "target"])["wait_hours"]
        .agg(cases="size", total_hours="sum", median_hours="median")
        .sort_values("total_hours", ascending=False)
        .reset_index()
    )


def ping_pong_cases(log: pd.DataFrame, a: str, b: str) -> int:
    """Cases whose department sequence, repeats collapsed, contains A, B, A in a row."""
    log = ordered(log)
    dept = log["department"].astype(str)
    case = log["case_id"].astype(str)
    changes = log[(dept != dept.shift()) | (case != case.shift())]
    d, c = changes["department"].astype(str), changes["case_id"].astype(str)
    hit = (d == a) & (d.shift(-1) == b) & (d.shift(-2) == a)
    hit &= (c.shift(-1) == c) & (c.shift(-2) == c)
    return int(c[hit].nunique())


def rework_cases(log: pd.DataFrame, activity: str) -> int:
    """Cases in which the activity occurs more than once."""
    counts = log[log["activity"] == activity].groupby("case_id", observed=True).size()
    return int((counts > 1).sum())


def _cases_with(log: pd.DataFrame, activity: str) -> set[str]:
    return set(log.loc[log["activity"] == activity, "case_id"].astype(str))


def skip_rate(log: pd.DataFrame, activity: str, goal: str) -> tuple[float, int]:
    """Share of the cases that reach the goal without the activity; and that number of cases."""
    reached = _cases_with(log, goal)
    return len(reached - _cases_with(log, activity)) / len(reached), len(reached)


def drop_off_rate(log: pd.DataFrame, activity: str) -> tuple[float, int]:
    """Share of the cases that reach the activity and end with it; and that number of cases."""
    log = ordered(log)
    last = log.groupby("case_id", observed=True)["activity"].last().astype(str)
    reached = _cases_with(log, activity)
    return float((last[list(reached)] == activity).mean()), len(reached)


def waits_before(log: pd.DataFrame, step: str) -> pd.DataFrame:
    """Wait before the first occurrence of a step in each case, in hours, with the segment."""
    log = ordered(log)
    prev_end = log.groupby("case_id", observed=True)["timestamp"].shift()
    begin = log["start_timestamp"] if "start_timestamp" in log else log["timestamp"]
    waits = log.assign(wait_hours=(begin - prev_end) / HOUR)
    first = waits[waits["activity"] == step].groupby("case_id", observed=True).head(1)
    return first[["case_id", "segment", "wait_hours"]].dropna()


def segment_factor(log: pd.DataFrame, value: str, step: str) -> float:
    """Median wait before `step` for the segment value divided by that of all other cases."""
    waits = waits_before(log, step)
    inside = waits["segment"].astype(str) == value
    return float(
        waits.loc[inside, "wait_hours"].median() / waits.loc[~inside, "wait_hours"].median()
    )


def realised(log: pd.DataFrame, journey: Journey) -> dict[str, object]:
    """The planted effects as measured in the log."""
    effects = journey.effects
    n = log["case_id"].nunique()
    a = journey.step(effects.ping_pong.after).department
    b = journey.step(effects.ping_pong.there).department
    pairs = transitions(log)
    top = pairs.iloc[0]
    src, dst = effects.bottleneck
    bottleneck = pairs[(pairs["source"] == src) & (pairs["target"] == dst)].iloc[0]
    others = pairs.drop(bottleneck.name)
    skip, completed = skip_rate(log, effects.skip.activity, journey.goal.activity)
    drop = effects.drop_offs[0]
    drop_rate, reaching = drop_off_rate(log, drop.activity)
    return {
        "n_cases": int(n),
        "n_events": len(log),
        "bottleneck_is_top": bool((top["source"], top["target"]) == (src, dst)),
        "bottleneck_median_hours": round(float(bottleneck["median_hours"]), 1),
        "bottleneck_total_hours": round(float(bottleneck["total_hours"]), 1),
        "bottleneck_share_of_total_wait": round(
            float(bottleneck["total_hours"] / pairs["total_hours"].sum()), 3
        ),
        "runner_up_total_hours": round(float(others["total_hours"].iloc[0]), 1),
        "other_median_hours": round(float(others["median_hours"].median()), 1),
        "ping_pong": round(ping_pong_cases(log, a, b) / n, 4),
        "skip": round(skip, 4),
        "skip_denominator": completed,
        "rework": round(rework_cases(log, effects.rework.activity) / n, 4),
        "slow_factor": round(segment_factor(log, effects.slow.value, effects.slow.step), 2),
        "drop_off": round(drop_rate, 4),
        "drop_off_denominator": reaching,
    }
