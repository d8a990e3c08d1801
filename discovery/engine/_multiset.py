"""Exact multisets of integer values in groups, merged chunk by chunk: counts add, and any
quantile is selected at the end from the distinct values and how often each occurs.

Waits in a log repeat a lot (whole minutes, whole seconds), so a hundred million waits keep
far fewer distinct (group, value) pairs; the result is exact whatever they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Multiset:
    """(group, value) pairs with their counts, in pieces sorted by group then value.

    >>> bag = Multiset()
    >>> bag.add(np.array([0, 0, 1]), np.array([5, 5, 7]))
    >>> bag.add(np.array([0]), np.array([3]))
    >>> bag.count(2).tolist(), bag.at(2, np.array([2, 0])).tolist()
    ([3, 1], [5, 7])
    """

    pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)

    def add(self, group: np.ndarray, value: np.ndarray | Steps) -> None:
        """Add one occurrence of each (group, value); pieces of like size are merged.
        Values given as `Steps` are counted without a sort where they span few cells."""
        steps = value if isinstance(value, Steps) else Steps.of(value)
        if len(group):
            self.pieces.append(_dense_counted(group, steps) or _counted(group, steps.value, None))
        while len(self.pieces) > 1 and len(self.pieces[-2][0]) <= 2 * len(self.pieces[-1][0]):
            self._merge_last()

    def merged(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All pieces as one: group, value and count, sorted by group then value."""
        while len(self.pieces) > 1:
            self._merge_last()
        if not self.pieces:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        return self.pieces[0]

    def _merge_last(self) -> None:
        newer, older = self.pieces.pop(), self.pieces.pop()
        group, value, count = (np.concatenate(a) for a in zip(older, newer, strict=True))
        self.pieces.append(_counted(group, value, count))

    def count(self, size: int) -> np.ndarray:
        """How many values each group below `size` holds."""
        group, _, count = self.merged()
        return np.bincount(group, weights=count, minlength=size).astype(np.int64)

    def total(self, size: int) -> list[int]:
        """The exact sum of each group's values (Python integers: no overflow)."""
        group, value, count = self.merged()
        sums = [0] * size
        if len(group):
            starts = np.flatnonzero(np.append(True, group[1:] != group[:-1]))
            products = value.astype(object) * count.astype(object)
            for at, total in zip(starts.tolist(), np.add.reduceat(products, starts), strict=True):
                sums[int(group[at])] = int(total)
        return sums

    def at(self, size: int, position: np.ndarray) -> np.ndarray:
        """Per group below `size`, its value at `position` (from 0) in sorted order; groups
        without values must be given position 0 and get an arbitrary value."""
        group, value, count = self.merged()
        if not len(group):
            return np.zeros(size, dtype=np.int64)
        cumulative = np.cumsum(count)
        before = np.concatenate(([0], np.cumsum(self.count(size))[:-1]))
        found = np.searchsorted(cumulative, before + position, side="right")
        selected: np.ndarray = value[np.minimum(found, len(value) - 1)]
        return selected


DENSE_CELLS = 1 << 22
"""Up to this many (group, value step) cells, a chunk's pairs are counted in one array."""


@dataclass(frozen=True)
class Steps:
    """Values as `low + step * steps`, `step` their greatest common divisor (a minute, a
    second): found once for values counted in several groupings. `span`: steps up to the
    highest, plus one."""

    value: np.ndarray
    low: int
    step: int
    steps: np.ndarray
    span: int

    @classmethod
    def of(cls, value: np.ndarray) -> Steps:
        value = value.astype(np.int64, copy=False)
        if not len(value):
            return cls(value, 0, 1, value, 0)
        low = int(value.min())
        offset = value - low
        step = int(np.gcd.reduce(offset[:: max(1, len(offset) // 1000)])) or 1
        steps = offset // step if step > 1 else offset  # by a constant: fast
        if step > 1 and not np.array_equal(steps * step, offset):  # not everyone's divisor
            step = int(np.gcd.reduce(offset)) or 1
            steps = offset // step
        return cls(value, low, step, steps, int(steps.max()) + 1)


def _dense_counted(
    group: np.ndarray, steps: Steps
) -> tuple[np.ndarray, np.ndarray, np.ndarray] | None:
    """`_counted` without a sort where the values in steps span few enough cells per
    group (`DENSE_CELLS` in all); else None."""
    cells = (int(group.max()) + 1) * steps.span
    if cells > DENSE_CELLS:
        return None
    counts = np.bincount(group.astype(np.int64) * steps.span + steps.steps, minlength=cells)
    found = np.flatnonzero(counts)
    return found // steps.span, found % steps.span * steps.step + steps.low, counts[found]


def _counted(
    group: np.ndarray, value: np.ndarray, count: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (group, value) pairs sorted, with their summed counts (1 each where
    `count` is None): one sort of packed keys where group and value fit in 63 bits."""
    group = group.astype(np.int64, copy=False)
    value = value.astype(np.int64, copy=False)
    low = int(value.min())
    value_bits = (int(value.max()) - low).bit_length()
    group_bits = int(group.max()).bit_length()
    if value_bits + group_bits <= 62:
        keys = (group << value_bits) | (value - low)
        if count is None:
            distinct, counts = np.unique(keys, return_counts=True)
        else:
            order = np.argsort(keys, kind="stable")
            keys, count = keys[order], count[order]
            starts = np.flatnonzero(np.append(True, keys[1:] != keys[:-1]))
            distinct, counts = keys[starts], np.add.reduceat(count, starts)
        return distinct >> value_bits, (distinct & ((1 << value_bits) - 1)) + low, counts
    order = np.lexsort((value, group))
    group, value = group[order], value[order]
    weights = np.ones(len(group), dtype=np.int64) if count is None else count[order]
    starts = np.flatnonzero(np.append(True, (group[1:] != group[:-1]) | (value[1:] != value[:-1])))
    return group[starts], value[starts], np.add.reduceat(weights, starts)
