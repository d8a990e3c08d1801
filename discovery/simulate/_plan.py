"""Per-case choices, made up front for all cases at once: the planted effects are assigned
exactly (round(rate × n) cases drawn without replacement), everything else by weighted draws."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import permutations

import numpy as np

from ._clock import sample_arrivals
from ._spec import Journey


@dataclass(frozen=True)
class Layout:
    """Which steps form alternative, parallel and optional groups (indices into `steps`)."""

    alternatives: tuple[tuple[int, ...], ...]
    parallels: tuple[tuple[int, ...], ...]
    optionals: tuple[tuple[int, ...], ...]
    orders: tuple[tuple[tuple[int, ...], ...], ...]


@dataclass(frozen=True)
class Plan:
    """What happens to each case; one row per case."""

    segment: np.ndarray
    arrival: np.ndarray
    alternative: np.ndarray
    order: np.ndarray
    optional: np.ndarray
    drop: np.ndarray
    skip: np.ndarray
    rework: np.ndarray
    ping_pong: np.ndarray

    def keys(self) -> np.ndarray:
        """One integer row per case that fixes its path (its variant)."""
        columns = [self.alternative, self.order, self.optional]
        flags = [self.drop, self.skip, self.rework, self.ping_pong]
        return np.column_stack([*columns, *[f[:, None] for f in flags]]).astype(np.int64)


def _groups(journey: Journey, label: str) -> tuple[tuple[int, ...], ...]:
    found: dict[str, list[int]] = {}
    for i, step in enumerate(journey.steps):
        name = getattr(step, label)
        if name and step.share > 0:
            found.setdefault(name, []).append(i)
    return tuple(tuple(members) for members in found.values())


def layout(journey: Journey) -> Layout:
    """The groups of a journey."""
    optional: dict[str, list[int]] = {}
    for i, step in enumerate(journey.steps):
        if 0 < step.share < 1:
            optional.setdefault(step.optional_group or step.activity, []).append(i)
    parallels = _groups(journey, "parallel_group")
    return Layout(
        alternatives=_groups(journey, "alternative_group"),
        parallels=parallels,
        optionals=tuple(tuple(m) for m in optional.values()),
        orders=tuple(tuple(permutations(group)) for group in parallels),
    )


def in_path(journey: Journey, lay: Layout, plan: Plan, index: int) -> np.ndarray:
    """Cases whose path contains the step (ignoring drop-offs and skips)."""
    n = plan.drop.size
    if journey.steps[index].share == 0:
        return np.zeros(n, dtype=bool)
    chosen: np.ndarray
    for g, group in enumerate(lay.alternatives):
        if index in group:
            chosen = plan.alternative[:, g] == index
            return chosen
    for g, group in enumerate(lay.optionals):
        if index in group:
            chosen = plan.optional[:, g] == 1
            return chosen
    return np.ones(n, dtype=bool)


def reaches(journey: Journey, lay: Layout, plan: Plan, index: int) -> np.ndarray:
    """Cases that get to the step."""
    alive = (plan.drop < 0) | (plan.drop >= index)
    return in_path(journey, lay, plan, index) & alive


def continues(journey: Journey, lay: Layout, plan: Plan, index: int) -> np.ndarray:
    """Cases that get to the step and go on after it."""
    return reaches(journey, lay, plan, index) & ((plan.drop < 0) | (plan.drop > index))


def _choose(rng: np.random.Generator, eligible: np.ndarray, count: int, what: str) -> np.ndarray:
    pool = np.flatnonzero(eligible)
    if count > pool.size:
        raise ValueError(f"{what}: {count} cases wanted, only {pool.size} eligible")
    flags = np.zeros(eligible.size, dtype=np.int64)
    flags[rng.choice(pool, size=count, replace=False)] = 1
    return flags


def _weighted(
    rng: np.random.Generator, options: tuple[int, ...], weights: Sequence[float], n: int
) -> np.ndarray:
    p = np.asarray(weights, dtype=float)
    return rng.choice(np.asarray(options), size=n, p=p / p.sum())


def make_plan(journey: Journey, lay: Layout, n: int, rng: np.random.Generator) -> Plan:
    """Draw every case's choices and assign the planted effects exactly."""
    steps, effects = journey.steps, journey.effects
    seg = journey.segment
    plan = Plan(
        segment=_weighted(rng, tuple(range(len(seg.values))), seg.weights, n),
        arrival=sample_arrivals(rng, n, journey.arrivals, journey.season),
        alternative=np.column_stack(
            [_weighted(rng, g, [steps[i].weight for i in g], n) for g in lay.alternatives]
        )
        if lay.alternatives
        else np.zeros((n, 0), dtype=np.int64),
        order=np.column_stack([rng.integers(0, len(o), size=n) for o in lay.orders])
        if lay.orders
        else np.zeros((n, 0), dtype=np.int64),
        optional=np.column_stack(
            [(rng.random(n) < steps[g[0]].share).astype(np.int64) for g in lay.optionals]
        )
        if lay.optionals
        else np.zeros((n, 0), dtype=np.int64),
        drop=np.full(n, -1, dtype=np.int64),
        skip=np.zeros(n, dtype=np.int64),
        rework=np.zeros(n, dtype=np.int64),
        ping_pong=np.zeros(n, dtype=np.int64),
    )
    for drop in sorted(effects.drop_offs, key=lambda d: journey.index(d.activity)):
        index = journey.index(drop.activity)
        eligible = reaches(journey, lay, plan, index)
        count = _round(drop.rate * eligible.sum())
        plan.drop[_choose(rng, eligible, count, drop.activity) == 1] = index
    goal = journey.index(journey.goal.activity)
    completed = reaches(journey, lay, plan, goal)
    skip_index = journey.index(effects.skip.activity)
    eligible = completed & in_path(journey, lay, plan, skip_index)
    plan.skip[:] = _choose(rng, eligible, _round(effects.skip.rate * completed.sum()), "skip")
    rework = journey.index(effects.rework.activity)
    eligible = continues(journey, lay, plan, rework)
    plan.rework[:] = _choose(rng, eligible, _round(effects.rework.rate * n), "rework")
    anchor = journey.index(effects.ping_pong.after)
    eligible = continues(journey, lay, plan, anchor)
    plan.ping_pong[:] = _choose(rng, eligible, _round(effects.ping_pong.rate * n), "ping-pong")
    return plan


def _round(x: float) -> int:
    """Round half up, so counts do not depend on banker's rounding."""
    return math.floor(x + 0.5)
