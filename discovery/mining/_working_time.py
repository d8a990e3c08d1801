"""A case's time split into work and waiting, the same for the local and in-place routes."""

from __future__ import annotations

from typing import Any

import pandas as pd


def with_working_time(frame: pd.DataFrame, working_s: Any) -> pd.DataFrame:
    """Per case `working_s`, `waiting_s` (throughput less work, never below zero) and
    `flow_efficiency` (work ÷ throughput, at most 1), from `throughput_s` and the working
    seconds (None for a log without start times: working and efficiency unknown)."""
    if working_s is None:
        frame["working_s"] = float("nan")
        frame["waiting_s"] = frame["throughput_s"].astype(float)
        frame["flow_efficiency"] = float("nan")
        return frame
    frame["working_s"] = working_s
    frame["waiting_s"] = (frame["throughput_s"] - frame["working_s"]).clip(lower=0)
    efficiency = frame["working_s"] / frame["throughput_s"]
    frame["flow_efficiency"] = efficiency.where(frame["throughput_s"] > 0).clip(upper=1)
    return frame
