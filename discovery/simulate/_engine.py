"""The one engine: plan every case, group cases by path, time each group with numpy."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, fields
from typing import Literal

import numpy as np
import pandas as pd

from ._clock import (
    adjust,
    local_minute,
    shorten_wait,
    skip_summer_gap,
    stretch_office_wait,
    to_datetime,
)
from ._plan import Layout, Plan, layout, make_plan
from ._spec import Improvement, Journey

SEED = 20250301
Headers = Literal["log", "canonical"]


@dataclass(frozen=True)
class _Events:
    """Flat event arrays of one group of cases that share a path."""

    case: np.ndarray
    position: np.ndarray
    step: np.ndarray
    start: np.ndarray
    end: np.ndarray
    resource: np.ndarray
    channel: np.ndarray
    score: np.ndarray


@dataclass(frozen=True)
class _Codes:
    """Category lists and per-step codes for the text columns."""

    departments: list[str]
    resources: list[str]
    channels: list[str]
    step_department: np.ndarray
    pools: list[tuple[np.ndarray, np.ndarray]]
    step_channels: list[tuple[np.ndarray, np.ndarray]]


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _codes(journey: Journey) -> _Codes:
    departments = _unique([s.department for s in journey.steps])
    resources = _unique([name for names in journey.staff.values() for name in names])
    channels = _unique([c for s in journey.steps for c, _ in s.channels])
    pools, step_channels = [], []
    for step in journey.steps:
        names = journey.staff[step.pool]
        weights = 1.0 / np.sqrt(np.arange(1, len(names) + 1))
        pools.append((np.array([resources.index(n) for n in names]), weights / weights.sum()))
        w = np.array([p for _, p in step.channels], dtype=float)
        codes = np.array([channels.index(c) for c, _ in step.channels])
        step_channels.append((codes, w / w.sum()))
    step_department = np.array([departments.index(s.department) for s in journey.steps])
    return _Codes(departments, resources, channels, step_department, pools, step_channels)


def path(journey: Journey, lay: Layout, key: np.ndarray) -> list[int]:
    """The ordered step indices of one variant key (see `Plan.keys`)."""
    a, p, o = len(lay.alternatives), len(lay.parallels), len(lay.optionals)
    alt, order, opt = key[:a], key[a : a + p], key[a + p : a + p + o]
    drop, skip, rework, ping_pong = (int(x) for x in key[a + p + o :])
    excluded = {i for g, grp in enumerate(lay.alternatives) for i in grp if i != alt[g]}
    excluded |= {i for g, grp in enumerate(lay.optionals) for i in grp if not opt[g]}
    first = {grp[0]: lay.orders[g][order[g]] for g, grp in enumerate(lay.parallels)}
    members = {i for grp in lay.parallels for i in grp}
    steps: list[int] = []
    for i, step in enumerate(journey.steps):
        if step.share == 0 or i in excluded or (i in members and i not in first):
            continue
        steps.extend(first.get(i, (i,)))
    effects = journey.effects
    if skip:
        steps.remove(journey.index(effects.skip.activity))
    if drop >= 0:
        steps = steps[: steps.index(drop) + 1]
    if rework:
        again = journey.index(effects.rework.activity)
        _insert_after(steps, again, [*(journey.index(a) for a in effects.rework.via), again])
    if ping_pong:
        pp = effects.ping_pong
        _insert_after(
            steps, journey.index(pp.after), [journey.index(pp.there), journey.index(pp.back)]
        )
    return steps


def _insert_after(steps: list[int], index: int, inserted: list[int]) -> None:
    """Insert steps after the first occurrence of `index`."""
    at = steps.index(index) + 1
    steps[at:at] = inserted


def _lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return median * np.exp(sigma * rng.standard_normal(n))


def _time_group(
    journey: Journey,
    steps: list[int],
    cases: np.ndarray,
    plan: Plan,
    rng: np.random.Generator,
    improvement: Improvement | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Start and end minutes, shape (cases, steps), walking the path for all cases at once."""
    slow = journey.effects.slow
    slow_index = journey.index(slow.step)
    slow_cases = plan.segment[cases] == journey.segment.values.index(slow.value)
    m = cases.size
    start = np.empty((m, len(steps)), dtype=np.int64)
    end = np.empty_like(start)
    for j, s in enumerate(steps):
        step = journey.steps[s]
        if j == 0:
            t = plan.arrival[cases]
        else:
            wait = _lognormal(rng, step.wait_hours * 60, step.wait_sigma, m)
            if s == slow_index and step.clock == "always":
                wait = np.where(slow_cases, wait * slow.factor, wait)
            t = end[:, j - 1] + np.rint(wait).astype(np.int64)
        start[:, j] = adjust(t, step.clock, rng)
        if j > 0 and s == slow_index and step.clock == "office":
            stretched = stretch_office_wait(end[:, j - 1], start[:, j], slow.factor)
            start[:, j] = np.where(slow_cases, stretched, start[:, j])
        if j > 0 and improvement is not None and s == journey.index(improvement.step):
            changed = plan.arrival[cases] >= local_minute(improvement.after)
            shortened = shorten_wait(end[:, j - 1], start[:, j], improvement.factor)
            start[:, j] = np.where(changed, shortened, start[:, j])
        minutes = np.maximum(1, np.rint(_lognormal(rng, step.minutes, 0.5, m))).astype(np.int64)
        end[:, j] = skip_summer_gap(start[:, j] + minutes)
    return start, end


def _scores(
    journey: Journey, steps: list[int], key_row: np.ndarray, m: int, rng: np.random.Generator
) -> np.ndarray:
    """Satisfaction scores (NaN where not asked or not answered); lower after a deviation."""
    out = np.full((m, len(steps)), np.nan)
    deviated = bool(key_row[-1] or key_row[-2])
    for j, s in enumerate(steps):
        score = journey.steps[s].score
        if score is None:
            continue
        mean = score.mean - (journey.effects.score_penalty if deviated else 0.0)
        raw = rng.normal(mean, (score.high - score.low) * 0.15, m)
        value = np.clip(np.round(raw / score.resolution) * score.resolution, score.low, score.high)
        out[:, j] = np.where(rng.random(m) < score.response, value, np.nan)
    return out


def _group_events(
    journey: Journey,
    codes: _Codes,
    steps: list[int],
    cases: np.ndarray,
    key_row: np.ndarray,
    plan: Plan,
    rng: np.random.Generator,
    improvement: Improvement | None = None,
) -> _Events:
    start, end = _time_group(journey, steps, cases, plan, rng, improvement)
    m, length = start.shape
    resource = np.empty((m, length), dtype=np.int64)
    channel = np.empty_like(resource)
    for j, s in enumerate(steps):
        pool, weights = codes.pools[s]
        resource[:, j] = rng.choice(pool, size=m, p=weights)
        options, p = codes.step_channels[s]
        channel[:, j] = rng.choice(options, size=m, p=p)
    score = _scores(journey, steps, key_row, m, rng)
    return _Events(
        case=np.repeat(cases, length),
        position=np.tile(np.arange(length), m),
        step=np.tile(np.asarray(steps), m),
        start=start.ravel(),
        end=end.ravel(),
        resource=resource.ravel(),
        channel=channel.ravel(),
        score=score.ravel(),
    )


def _all_events(
    journey: Journey, plan: Plan, rng: np.random.Generator, improvement: Improvement | None = None
) -> _Events:
    lay, codes = layout(journey), _codes(journey)
    keys, group = np.unique(plan.keys(), axis=0, return_inverse=True)
    group = group.ravel()
    by_group = np.argsort(group, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(np.bincount(group, minlength=len(keys)))])
    parts = [
        _group_events(
            journey,
            codes,
            path(journey, lay, key),
            by_group[bounds[g] : bounds[g + 1]],
            key,
            plan,
            rng,
            improvement,
        )
        for g, key in enumerate(keys)
    ]
    return _Events(*(np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Events)))


def case_ids(
    journey: Journey, arrival: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, list[str]]:
    """Case numbers in order of arrival, with small gaps, as zero-padded text ids."""
    rank = np.empty(arrival.size, dtype=np.int64)
    rank[np.argsort(arrival, kind="stable")] = np.arange(arrival.size)
    numbers = journey.first_case + np.cumsum(rng.integers(1, 3, size=arrival.size))
    ids = [f"{journey.case_prefix}{x:0{journey.case_digits}d}" for x in numbers]
    return rank, ids


def _frame(journey: Journey, plan: Plan, events: _Events, rng: np.random.Generator) -> pd.DataFrame:
    codes = _codes(journey)
    rank, ids = case_ids(journey, plan.arrival, rng)
    case_rank = rank[events.case]
    if journey.log.sort == "time":
        when = events.start if journey.log.has_start else events.end
        order = np.lexsort((events.position, case_rank, when))
    else:
        order = np.lexsort((events.position, case_rank))
    dept = codes.step_department[events.step[order]]
    columns: dict[str, object] = {
        "case_id": pd.Categorical.from_codes(case_rank[order], categories=ids),
        "activity": pd.Categorical.from_codes(
            events.step[order], categories=[s.activity for s in journey.steps]
        ),
        "start_timestamp": to_datetime(events.start[order]),
        "timestamp": to_datetime(events.end[order]),
        "resource": pd.Categorical.from_codes(events.resource[order], categories=codes.resources),
        "department": pd.Categorical.from_codes(dept, categories=codes.departments),
    }
    if journey.organisations:
        orgs = [journey.organisations.get(d, journey.organisations[""]) for d in codes.departments]
        columns["organisation"] = pd.Categorical(np.asarray(orgs)[dept])
    columns["channel"] = pd.Categorical.from_codes(events.channel[order], categories=codes.channels)
    columns["score"] = events.score[order]
    columns["segment"] = pd.Categorical.from_codes(
        plan.segment[events.case[order]], categories=list(journey.segment.values)
    )
    if not journey.log.has_start:
        del columns["start_timestamp"]
    return pd.DataFrame(columns)


def rng_for(journey: Journey, seed: int) -> np.random.Generator:
    """A random stream per (seed, journey), so journeys differ under one seed."""
    return np.random.default_rng([seed, zlib.crc32(journey.name.encode())])


def run(
    journey: Journey, n_cases: int, seed: int, improvement: Improvement | None = None
) -> tuple[pd.DataFrame, Plan]:
    """Simulate `n_cases` cases; the frame has canonical column names. An `improvement`
    changes only the waits it names: the random draws, and so every other value, stay."""
    rng = rng_for(journey, seed)
    plan = make_plan(journey, layout(journey), n_cases, rng)
    events = _all_events(journey, plan, rng, improvement)
    return _frame(journey, plan, events, rng), plan


def to_log_headers(frame: pd.DataFrame, journey: Journey) -> pd.DataFrame:
    """Rename canonical columns to the journey's own headers."""
    return frame.rename(columns=journey.log.columns)
