"""Intended journeys: the journey an organisation designed, as one model. Read from a
journey table or BPMN file by `discovery.intended.files`, or chosen from the discovery: a
variant or a mined model.

>>> journey = journey_from_variant(["Intake", "Check", "Decide"])
>>> journey.activities
('Intake', 'Check', 'Decide')
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine.in_place import InPlaceLog, run_in_place
from discovery.intended._nets import Behaviour, Net, NetBuilder, behaviour
from discovery.intended.rules import Rule
from discovery.log.event_log import EventLog, usual_departments
from discovery.mining.in_place.bottlenecks import usual_departments_in_place
from discovery.mining.models import ProcessModel


@dataclass(frozen=True)
class Step:
    """One designed step. `max_wait_hours`: the longest wait allowed before it (from the end
    of the case's previous event to its start)."""

    activity: str
    department: str | None = None
    optional: bool = False
    may_repeat: bool = False
    parallel_group: str | None = None
    alternative_group: str | None = None
    goal: bool = False
    max_wait_hours: float | None = None


@dataclass(frozen=True)
class WaitNorm:
    """The longest time allowed from the end of `source` to the start of `target`."""

    source: str
    target: str
    max_hours: float


@dataclass(frozen=True)
class IntendedJourney:
    """Designed steps in order, service norms between steps, where the designed flow is
    not the table's own order (BPMN, a mined model, a variant with repeats) that flow, and
    rules every case must keep (A before B, B within T of A, four eyes, start/end with)."""

    steps: tuple[Step, ...]
    norms: tuple[WaitNorm, ...] = ()
    name: str = "intended journey"
    flow: Net | None = None
    rules: tuple[Rule, ...] = ()

    @property
    def activities(self) -> tuple[str, ...]:
        return tuple(step.activity for step in self.steps)

    @property
    def goals(self) -> tuple[str, ...]:
        return tuple(step.activity for step in self.steps if step.goal)

    @property
    def departments(self) -> dict[str, str]:
        """Each step's responsible department, where one is given."""
        return {s.activity: s.department for s in self.steps if s.department}

    def net(self) -> Net:
        """The designed flow as a Petri net (the table's blocks when there is no own flow)."""
        return self.flow if self.flow is not None else _net_from_steps(self.steps)

    def behaviour(self) -> Behaviour:
        """Which step may directly follow which, where cases may start and end."""
        return behaviour(self.net())

    def to_table(self) -> pd.DataFrame:
        """The journey as a journey table (the columns of the sample tables)."""
        rows = [{"step": i, **vars(step)} for i, step in enumerate(self.steps, 1)]
        return pd.DataFrame(rows, columns=["step", *Step.__dataclass_fields__])

    def to_dict(self) -> dict[str, JSONValue]:
        return to_json_dict(
            {
                "name": self.name,
                "steps": [vars(step) for step in self.steps],
                "norms": [vars(norm) for norm in self.norms],
            }
        )


def journey_from_variant(
    activities: Sequence[str],
    log: EventLog | InPlaceLog | None = None,
    name: str = "chosen variant",
) -> IntendedJourney:
    """A variant (activities in order) as the intended journey; departments from `log`.

    An activity that occurs twice keeps its place in the flow: the flow is exactly the variant.
    """
    if not activities:
        raise ValueError("a variant with no activities cannot be an intended journey")
    departments = usual_departments_of(log)
    unique = list(dict.fromkeys(activities))
    steps = tuple(Step(activity, departments.get(activity)) for activity in unique)
    flow = None
    if len(unique) < len(activities):
        flow = _sequence_net(activities)
    return IntendedJourney(steps=steps, name=name, flow=flow)


def usual_departments_of(log: EventLog | InPlaceLog | None) -> dict[str, str]:
    """Each activity's most frequent department, in a log here or in place (counted there)."""
    if isinstance(log, InPlaceLog):
        return usual_departments_in_place(log)
    return usual_departments(log)


def journey_from_model(
    model: ProcessModel | Net, log: EventLog | InPlaceLog | None = None, name: str = "mined model"
) -> IntendedJourney:
    """A mined process model as the intended journey; steps in the order the model first
    allows them, departments from `log`."""
    net = Net(model.places, model.transitions, model.arcs, model.initial, model.final)
    departments = usual_departments_of(log)
    steps = tuple(Step(a, departments.get(a)) for a in _first_allowed_order(net))
    return IntendedJourney(steps=steps, name=name, flow=net)


def check_against_log(journey: IntendedJourney, log: EventLog | InPlaceLog) -> pd.DataFrame:
    """Per step: `step`, `events` in the log, and for steps absent from the log the
    `closest` activity names of the log (most alike first); a log in place counts its
    activities where it lives."""
    if isinstance(log, InPlaceLog):
        counted = run_in_place(log.events.activity.value_counts())
        counts = pd.Series(counted.iloc[:, 1].to_numpy(), index=counted.iloc[:, 0].astype(str))
        counts = counts.sort_values(ascending=False, kind="stable")
    else:
        counts = log.events["activity"].value_counts()
    present = [str(a) for a in counts.index]
    rows = []
    for activity in journey.activities:
        events = int(counts.get(activity, 0))
        closest = () if events else tuple(difflib.get_close_matches(activity, present, 3, 0.5))
        rows.append({"step": activity, "events": events, "closest": closest})
    return pd.DataFrame(rows, columns=["step", "events", "closest"])


def _first_allowed_order(net: Net) -> list[str]:
    allowed = behaviour(net)
    order = sorted(allowed.starts)
    frontier = list(order)
    while frontier:
        following = sorted({b for a, b in allowed.edges if a in frontier} - set(order))
        order += following
        frontier = following
    return order + sorted(net.activities - set(order))


def _sequence_net(activities: Sequence[str]) -> Net:
    builder = NetBuilder()
    start = current = builder.place()
    for activity in activities:
        following = builder.place()
        builder.transition(activity, [current], [following])
        current = following
    return builder.net(start, current)


# The table's flow as a net -------------------------------------------------------------------


def _net_from_steps(steps: tuple[Step, ...]) -> Net:
    """Sequence of blocks: a parallel group runs its steps in any order (AND), an alternative
    group takes one of them (XOR), a run of steps that may repeat loops as a whole, an
    optional step may be skipped."""
    builder = NetBuilder()
    start = current = builder.place()
    for block in _blocks(steps):
        following = builder.place()
        _add_block(builder, block, current, following)
        current = following
    return builder.net(start, current)


def _blocks(steps: tuple[Step, ...]) -> list[tuple[str, list[Step]]]:
    blocks: list[tuple[str, list[Step]]] = []
    keys: list[tuple[str, str | None]] = []
    for step in steps:
        key: tuple[str, str | None] = ("step", None)
        if step.parallel_group:
            key = ("parallel", step.parallel_group)
        elif step.alternative_group:
            key = ("choice", step.alternative_group)
        elif step.may_repeat:
            key = ("loop", None)
        if keys and keys[-1] == key and key[0] != "step":
            blocks[-1][1].append(step)
        else:
            blocks.append((key[0], [step]))
            keys.append(key)
    return blocks


def _add_block(builder: NetBuilder, block: tuple[str, list[Step]], start: str, end: str) -> None:
    kind, steps = block
    if kind == "parallel":
        branches = [(builder.place(), builder.place()) for _ in steps]
        builder.transition(None, [start], [a for a, _ in branches])
        for step, (a, b) in zip(steps, branches, strict=True):
            _add_step(builder, step, a, b)
        builder.transition(None, [b for _, b in branches], [end])
    elif kind == "choice":
        for step in steps:
            _add_step(builder, step, start, end)
        if all(step.optional for step in steps):
            builder.transition(None, [start], [end])
    elif kind == "loop":
        middle = builder.place()
        current = start
        for i, step in enumerate(steps):
            following = middle if i == len(steps) - 1 else builder.place()
            _add_step(builder, step, current, following, repeat=False)
            current = following
        builder.transition(None, [middle], [start])
        builder.transition(None, [middle], [end])
    else:
        _add_step(builder, steps[0], start, end)


def _add_step(builder: NetBuilder, step: Step, start: str, end: str, repeat: bool = True) -> None:
    if step.may_repeat and repeat:
        _add_block(builder, ("loop", [Step(step.activity, optional=step.optional)]), start, end)
        return
    builder.transition(step.activity, [start], [end])
    if step.optional:
        builder.transition(None, [start], [end])
