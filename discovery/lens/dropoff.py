"""Drop-off: each case completed, still open, or abandoned at a step; the funnel over the
journey's stages and steps, and how long cases had waited before they dropped out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.lens._journey_events import JourneyEvents
from discovery.lens.findings import dropoff_message
from discovery.lens.stages import Stages
from discovery.words import Message

Outcome = Literal["completed", "open", "abandoned"]
NO_STAGE = "(no stage)"
# An activity is a default goal when at least this share of the cases that reach it end there.
GOAL_END_SHARE = 0.5


@dataclass(frozen=True)
class DropOff:
    """Where cases leave the journey.

    A case is *completed* when it reached one of `goals`; otherwise *open* when its last
    event ended within `timeout_days` of the log's last moment (`log_end`), else
    *abandoned* at its last activity.

    `per_case`: case_id, outcome, last_activity, last_stage, wait_before_last_s (from the
    end of the event before the last one to the last one's start: how long the case had
    waited for the step it stopped at), silence_s (from its last event to `log_end`).
    `by_step`: step, stage, reached (cases with the step), abandoned and open (cases whose
    last event is the step), drop_rate (abandoned / reached), wait_before_median_s and
    silence_median_s (over the abandoned cases). Steps in journey order.
    `by_stage`: stage, reached, abandoned, open, drop_rate, wait_before_median_s, by the
    stage of the last event; a last event without a stage counts under "(no stage)".
    Completed, open and abandoned add up to all cases.
    """

    per_case: pd.DataFrame
    by_step: pd.DataFrame
    by_stage: pd.DataFrame
    goals: tuple[str, ...]
    timeout_days: float
    log_end: pd.Timestamp

    def count(self, outcome: Outcome) -> int:
        return int((self.per_case["outcome"] == outcome).sum())

    @property
    def cases(self) -> int:
        return len(self.per_case)

    def messages(self, top: int = 10) -> list[Message]:
        """The steps where most cases drop out (ties in journey order), as messages;
        steps nobody abandons are left out."""
        steps = self.by_step[self.by_step["abandoned"] > 0]
        steps = steps.sort_values("abandoned", ascending=False, kind="stable").head(top)
        return [
            dropoff_message(
                row.step,
                int(row.abandoned),
                float(row.drop_rate),
                None if pd.isna(row.wait_before_median_s) else float(row.wait_before_median_s),
            )
            for row in steps.itertuples()
        ]

    def to_dict(self) -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): goals, timeout_days, cases, completed, open,
        abandoned, by_stage, by_step."""
        return to_json_dict(
            {
                "goals": self.goals,
                "timeout_days": self.timeout_days,
                "cases": self.cases,
                **{outcome: self.count(outcome) for outcome in ("completed", "open", "abandoned")},
                "by_stage": self.by_stage,
                "by_step": self.by_step,
            }
        )


def default_goals(events: JourneyEvents) -> tuple[str, ...]:
    """The log's natural ends: activities at which at least half of the cases that reach
    them end (a drop-off step loses far fewer); where there is none, the activity most
    cases end at."""
    ends = events.cases["last_activity"].value_counts()
    if ends.empty:
        return ()
    reached = events.visits.groupby("activity").size()
    share = (ends / reached.reindex(ends.index)).sort_index()
    goals = tuple(share[share >= GOAL_END_SHARE].index)
    return goals or (str(ends.sort_index().idxmax()),)


def analyse_dropoff(
    events: JourneyEvents,
    stages: Stages,
    step_order: Sequence[str],
    goals: Sequence[str],
    timeout_days: float,
) -> DropOff:
    """Outcome per case and the funnels; `step_order` lists the steps in journey order."""
    cases = events.cases
    completed_cases = events.visits.loc[events.visits["activity"].isin(goals), "case_index"]
    completed = cases["case_index"].isin(completed_cases)
    silence = (events.log_end - cases["end"]).dt.total_seconds()
    recent = silence <= timeout_days * 86400
    outcome = pd.Series("abandoned", index=cases.index)
    outcome[recent] = "open"
    outcome[completed] = "completed"
    names = dict(enumerate(stages.names))
    per_case = pd.DataFrame(
        {
            "case_id": cases["case_id"],
            "outcome": outcome,
            "last_activity": cases["last_activity"],
            "last_stage": cases["last_stage"].map(names).fillna(NO_STAGE),
            "wait_before_last_s": cases["last_wait_s"],
            "silence_s": silence,
        }
    )
    reached = events.visits.groupby("activity")["case_index"].size()
    by_step = _funnel(per_case, "last_activity", reached, list(step_order))
    by_step.insert(1, "stage", by_step["step"].map(stages.stage_of))
    by_step = by_step.rename(columns={"last_activity": "step"})
    stage_reached = events.stage_visits.groupby("stage")["case_index"].size()
    stage_reached.index = stage_reached.index.map(names)
    order = [*stages.names, *([NO_STAGE] if (per_case["last_stage"] == NO_STAGE).any() else [])]
    by_stage = _funnel(per_case, "last_stage", stage_reached, order)
    by_stage = by_stage.rename(columns={"step": "stage"}).drop(columns="silence_median_s")
    return DropOff(per_case, by_step, by_stage, tuple(goals), timeout_days, events.log_end)


def _funnel(per_case: pd.DataFrame, key: str, reached: pd.Series, order: list[str]) -> pd.DataFrame:
    abandoned = per_case[per_case["outcome"] == "abandoned"].groupby(key)
    frame = pd.DataFrame({"step": order})
    frame["reached"] = frame["step"].map(reached).fillna(0).astype("int64")
    frame["abandoned"] = frame["step"].map(abandoned.size()).fillna(0).astype("int64")
    open_cases = per_case[per_case["outcome"] == "open"].groupby(key).size()
    frame["open"] = frame["step"].map(open_cases).fillna(0).astype("int64")
    frame["drop_rate"] = (frame["abandoned"] / frame["reached"]).where(frame["reached"] > 0)
    frame["wait_before_median_s"] = frame["step"].map(abandoned["wait_before_last_s"].median())
    frame["silence_median_s"] = frame["step"].map(abandoned["silence_s"].median())
    return frame
