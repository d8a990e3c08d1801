"""Petri nets as plain data: built from blocks (sequence, choice, parallel, loop) and read
back as the directly-follows relation they allow.

Kept free of pm4py: the adapter turns a `Net` into pm4py's objects only to align.
"""

from __future__ import annotations

import functools
import itertools
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

STATE_LIMIT = 200_000


@dataclass(frozen=True)
class Net:
    """Places, transitions (name, label; a label of None is silent), arcs, and the places
    holding one token at the start (`initial`) and at the end (`final`)."""

    places: tuple[str, ...]
    transitions: tuple[tuple[str, str | None], ...]
    arcs: tuple[tuple[str, str], ...]
    initial: tuple[str, ...]
    final: tuple[str, ...]

    @property
    def activities(self) -> set[str]:
        return {label for _, label in self.transitions if label is not None}


@dataclass(frozen=True)
class Behaviour:
    """What a net allows, as a directly-follows relation between its activities, and whether
    its final marking can be reached at all."""

    edges: frozenset[tuple[str, str]]
    starts: frozenset[str]
    ends: frozenset[str]
    completes: bool


class NetBuilder:
    """Builds a workflow net block by block; each block runs from one place to another."""

    def __init__(self) -> None:
        self._places: list[str] = []
        self._transitions: list[tuple[str, str | None]] = []
        self._arcs: list[tuple[str, str]] = []
        self._ids = itertools.count(1)

    def place(self) -> str:
        name = f"p{next(self._ids)}"
        self._places.append(name)
        return name

    def transition(self, label: str | None, inputs: Iterable[str], outputs: Iterable[str]) -> str:
        name = f"t{next(self._ids)}" if label is not None else f"tau{next(self._ids)}"
        self._transitions.append((name, label))
        self._arcs += [(place, name) for place in inputs]
        self._arcs += [(name, place) for place in outputs]
        return name

    def net(self, initial: str, final: str) -> Net:
        return Net(
            places=tuple(self._places),
            transitions=tuple(self._transitions),
            arcs=tuple(self._arcs),
            initial=(initial,),
            final=(final,),
        )


@functools.lru_cache(maxsize=32)
def behaviour(net: Net) -> Behaviour:
    """The directly-follows relation of a (bounded) net, by walking its reachable markings.

    A state is a marking with the last activity fired; silent transitions keep it. Raises
    ValueError when the net has more than STATE_LIMIT states (unbounded or very parallel).
    """
    inputs: dict[str, list[str]] = {name: [] for name, _ in net.transitions}
    outputs: dict[str, list[str]] = {name: [] for name, _ in net.transitions}
    for source, target in net.arcs:
        if source in inputs:
            outputs[source].append(target)
        else:
            inputs[target].append(source)
    labels = dict(net.transitions)
    final = tuple(sorted(net.final))
    start: tuple[tuple[str, ...], str | None] = (tuple(sorted(net.initial)), None)
    seen = {start}
    queue = deque([start])
    edges: set[tuple[str, str]] = set()
    starts: set[str] = set()
    ends: set[str] = set()
    completes = False
    while queue:
        marking, last = queue.popleft()
        if marking == final:
            completes = True
            if last is not None:
                ends.add(last)
        tokens = list(marking)
        for name, needed in inputs.items():
            remaining = list(tokens)
            try:
                for place in needed:
                    remaining.remove(place)
            except ValueError:
                continue
            label = labels[name]
            following = last
            if label is not None:
                if last is None:
                    starts.add(label)
                else:
                    edges.add((last, label))
                following = label
            state = (tuple(sorted(remaining + outputs[name])), following)
            if state not in seen:
                if len(seen) >= STATE_LIMIT:
                    raise ValueError("the intended journey allows too many orders to list")
                seen.add(state)
                queue.append(state)
    return Behaviour(frozenset(edges), frozenset(starts), frozenset(ends), completes)


@functools.lru_cache(maxsize=32)
def reduce_net(net: Net) -> Net:
    """The same net with fewer silent transitions and places, accepting exactly the same
    sequences of activities (fewer states for an alignment to search).

    Two of Murata's reduction rules, applied until neither applies: a silent transition
    from one place to one other is dropped and its two places fused into one, when it is
    the only way out of the first place or the only way into the second (neither place in
    the initial or final marking); and a silent transition that gives back what it takes
    (a self-loop) or that repeats another silent transition's places is dropped.
    """
    places = list(net.places)
    transitions = dict(net.transitions)
    arcs = list(dict.fromkeys(net.arcs))
    marked = set(net.initial) | set(net.final)
    changed = True
    while changed:
        changed = False
        inputs: dict[str, list[str]] = {name: [] for name in transitions}
        outputs: dict[str, list[str]] = {name: [] for name in transitions}
        producers: dict[str, list[str]] = {place: [] for place in places}
        consumers: dict[str, list[str]] = {place: [] for place in places}
        for source, target in arcs:
            if source in transitions:
                outputs[source].append(target)
                producers[target].append(source)
            else:
                inputs[target].append(source)
                consumers[source].append(target)
        seen: set[tuple[frozenset[str], frozenset[str]]] = set()
        for name, label in transitions.items():
            if label is not None:
                continue
            pre, post = inputs[name], outputs[name]
            key = (frozenset(pre), frozenset(post))
            if key[0] == key[1] or key in seen:  # a silent self-loop, or a duplicate
                drop, fused = name, None
            elif len(pre) == 1 and len(post) == 1:
                p, q = pre[0], post[0]
                if (
                    consumers[p] == [name]
                    and p not in marked
                    and not set(producers[p]) & set(producers[q])
                ):
                    drop, fused = name, (p, q)  # p's tokens can only go on to q
                elif (
                    producers[q] == [name]
                    and q not in marked
                    and not set(consumers[q]) & set(consumers[p])
                ):
                    drop, fused = name, (q, p)  # q's tokens can only come from p
                else:
                    seen.add(key)
                    continue
            else:
                seen.add(key)
                continue
            del transitions[drop]
            arcs = [(a, b) for a, b in arcs if drop not in (a, b)]
            if fused is not None:  # (the place that goes, the place it is fused into)
                gone, keep = fused
                places.remove(gone)
                arcs = [(keep if a == gone else a, keep if b == gone else b) for a, b in arcs]
            changed = True
            break
    return Net(
        places=tuple(places),
        transitions=tuple((name, label) for name, label in net.transitions if name in transitions),
        arcs=tuple(dict.fromkeys(arcs)),
        initial=net.initial,
        final=net.final,
    )
