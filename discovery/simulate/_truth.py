"""The ground truth of a sample log: what was planted (stated) and what the log shows (realised)."""

from __future__ import annotations

from typing import Any

from ._clock import PERIOD_DAYS, PERIOD_START
from ._spec import Journey

ROLES = (
    "case_id", "activity", "start_timestamp", "timestamp", "resource", "department",
    "organisation", "channel", "score", "segment",
)  # fmt: skip
RATE_TOLERANCE = 0.01
FACTOR_TOLERANCE = 0.15


def files(journey: Journey) -> dict[str, str]:
    """File names of a journey's sample log."""
    return {
        "csv": f"{journey.name}.csv",
        "xlsx": f"{journey.name}.xlsx",
        "intended": f"{journey.name}_intended.csv",
    }


def journey_truth(journey: Journey, measured: dict[str, Any]) -> dict[str, Any]:
    """The ground-truth entry of one journey for ground_truth.json."""
    effects, log = journey.effects, journey.log
    pp = effects.ping_pong
    drop, *other_drops = effects.drop_offs
    source, target = effects.bottleneck
    return {
        "title": journey.title,
        "files": files(journey),
        "csv": {
            "delimiter": log.delimiter,
            "decimal": log.decimal,
            "encoding": "utf-8",
            "date_format": log.date_format,
            "rows_sorted_by": "case, then time" if log.sort == "case" else "time",
        },
        "xlsx": {"sheet": log.sheet, "header_row": 2 if log.title else 1},
        "columns": {role: log.columns.get(role) for role in ROLES},
        "n_cases": measured["n_cases"],
        "n_events": measured["n_events"],
        "goal": journey.goal.activity,
        "bottleneck": {
            "from": source,
            "to": target,
            "stated_median_wait_hours": journey.step(target).wait_hours,
            "realised_median_wait_hours": measured["bottleneck_median_hours"],
            "realised_total_wait_hours": measured["bottleneck_total_hours"],
            "realised_runner_up_total_wait_hours": measured["runner_up_total_hours"],
            "realised_share_of_total_wait": measured["bottleneck_share_of_total_wait"],
            "realised_median_of_other_transition_medians_hours": measured["other_median_hours"],
            "measure": "directly-follows pair with the largest total wait (next start - this end)",
        },
        "ping_pong": {
            "departments": [journey.step(pp.after).department, journey.step(pp.there).department],
            "activities": [pp.after, pp.there, pp.back],
            "rate": pp.rate,
            "realised": measured["ping_pong"],
            "denominator": "all cases",
            "measure": "department sequence (repeats collapsed) contains A, B, A in a row",
        },
        "skipped_step": {
            "activity": effects.skip.activity,
            "rate": effects.skip.rate,
            "realised": measured["skip"],
            "denominator": "cases that reach the goal",
            "denominator_cases": measured["skip_denominator"],
        },
        "rework": {
            "activity": effects.rework.activity,
            "via": list(effects.rework.via),
            "rate": effects.rework.rate,
            "realised": measured["rework"],
            "denominator": "all cases",
            "measure": "the activity occurs more than once in the case",
        },
        "slow_segment": {
            "attribute": log.columns["segment"],
            "value": effects.slow.value,
            "step": effects.slow.step,
            "factor": effects.slow.factor,
            "realised_factor": measured["slow_factor"],
            "measure": "median wait before the step's first occurrence, segment / other cases",
        },
        "drop_off": {
            "activity": drop.activity,
            "rate": drop.rate,
            "realised": measured["drop_off"],
            "denominator": "cases that reach the step",
            "denominator_cases": measured["drop_off_denominator"],
            "measure": "the case's last event is the step",
        },
        "other_drop_offs": [{"activity": d.activity, "rate": d.rate} for d in other_drops],
        "score_penalty_after_ping_pong_or_rework": effects.score_penalty,
    }


def check(journey: Journey, measured: dict[str, Any]) -> list[str]:
    """Problems with a generated log: planted effects that did not come out as stated."""
    effects = journey.effects
    stated = {
        "ping_pong": effects.ping_pong.rate,
        "skip": effects.skip.rate,
        "rework": effects.rework.rate,
        "drop_off": effects.drop_offs[0].rate,
    }
    problems = [
        f"{journey.name}: {name} {measured[name]} instead of {rate}"
        for name, rate in stated.items()
        if abs(measured[name] - rate) > RATE_TOLERANCE
    ]
    if not measured["bottleneck_is_top"]:
        problems.append(f"{journey.name}: the planted bottleneck is not the largest total wait")
    if abs(measured["slow_factor"] / effects.slow.factor - 1) > FACTOR_TOLERANCE:
        problems.append(f"{journey.name}: slow segment factor {measured['slow_factor']}")
    return problems


def header(seed: int) -> dict[str, Any]:
    """The top of ground_truth.json."""
    return {
        "generator": "python -m discovery.simulate",
        "seed": seed,
        "period": {"first_arrival_from": PERIOD_START, "days": PERIOD_DAYS},
        "time_zone": "Europe/Amsterdam local time, written without offset",
    }
