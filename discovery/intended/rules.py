"""Declarative rules as values: build them, check them per case, and say them in words.

>>> rules = [Precedes("Triage", "Opname"), Within("Triage", "Beoordeling", hours=2),
...          FourEyes("Besluit genomen", "Besluit verzonden"), EndsWith(("Ontslag",))]
>>> check_rules(log, rules)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from discovery.engine import distinct_case_ids, seconds_between, source
from discovery.engine import expressions as expr
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE
from discovery.words import Duration, Message, message


class Rule(Protocol):
    def violations(self, log: EventLog | InPlaceLog) -> set[str]:
        """The cases that break the rule."""
        ...

    def describe(self) -> Message:
        """The rule in words, as a message (`discovery.words.say`)."""
        ...


def check_rules(log: EventLog | InPlaceLog, rules: Sequence[Rule]) -> pd.DataFrame:
    """One row per broken rule and case: `case_id`, `rule` (its index in `rules`) and
    `description` (the rule as a message: `discovery.words.say` puts it in a language)."""
    rows = [
        {"case_id": case, "rule": index, "description": rule.describe()}
        for index, rule in enumerate(rules)
        for case in sorted(rule.violations(log))
    ]
    return pd.DataFrame(rows, columns=["case_id", "rule", "description"])


def rule_id(index: int) -> str:
    """The id of the rule at `index` of the rules checked, as data names it (the `step` of
    a broken rule in conformance): "rule:0" for the first. Said only when shown."""
    return f"rule:{index}"


@dataclass(frozen=True)
class Precedes:
    """`before` must happen before the first `after`, in every case where `after` happens."""

    before: str
    after: str

    def violations(self, log: EventLog | InPlaceLog) -> set[str]:
        events = source(log)
        per_case = events.group_by(events.case_id).aggregate(
            first_before=events.order.min(where=events.activity == self.before),
            first_after=events.order.min(where=events.activity == self.after),
        )
        broken = per_case.first_after.notnull() & (
            per_case.first_before.isnull() | (per_case.first_before > per_case.first_after)
        )
        return distinct_case_ids(per_case.filter(broken))

    def describe(self) -> Message:
        return message("rule.precedes", before=self.before, after=self.after)


@dataclass(frozen=True)
class Within:
    """Once `first` has happened, `then` must start within `hours` of its end."""

    first: str
    then: str
    hours: float

    def violations(self, log: EventLog | InPlaceLog) -> set[str]:
        events = source(log)
        marked = events.mutate(
            first_order=events.order.min(where=events.activity == self.first).over(
                expr.window(group_by=events.case_id)
            )
        )
        per_case = marked.group_by(marked.case_id).aggregate(
            first_end=marked.timestamp.min(where=marked.activity == self.first),
            then_begin=marked.begin.min(
                where=(marked.activity == self.then) & (marked.order > marked.first_order)
            ),
        )
        late = seconds_between(per_case.first_end, per_case.then_begin) > self.hours * 3600
        broken = per_case.first_end.notnull() & (per_case.then_begin.isnull() | late)
        return distinct_case_ids(per_case.filter(broken))

    def describe(self) -> Message:
        limit = Duration(self.hours * 3600)
        return message("rule.within", then=self.then, limit=limit, first=self.first)


@dataclass(frozen=True)
class FourEyes:
    """`first` and `second` must be done by different people (resources)."""

    first: str
    second: str

    def violations(self, log: EventLog | InPlaceLog) -> set[str]:
        if not log.has("resource"):
            raise ValueError("the four-eyes rule needs a resource column")
        events = source(log)
        both = events.filter(
            events.activity.isin([self.first, self.second]) & (events.resource != NO_VALUE)
        )
        per_resource = both.group_by([both.case_id, both.resource]).aggregate(
            did_first=(both.activity == self.first).any(),
            did_second=(both.activity == self.second).any(),
        )
        return distinct_case_ids(
            per_resource.filter(per_resource.did_first & per_resource.did_second)
        )

    def describe(self) -> Message:
        return message("rule.four_eyes", first=self.first, second=self.second)


@dataclass(frozen=True)
class StartsWith:
    """Every case must start with one of `activities`."""

    activities: tuple[str, ...]

    def violations(self, log: EventLog | InPlaceLog) -> set[str]:
        return _end_violations(log, self.activities, first=True)

    def describe(self) -> Message:
        return message("rule.starts_with", activities=" / ".join(self.activities))


@dataclass(frozen=True)
class EndsWith:
    """Every case must end with one of `activities`."""

    activities: tuple[str, ...]

    def violations(self, log: EventLog | InPlaceLog) -> set[str]:
        return _end_violations(log, self.activities, first=False)

    def describe(self) -> Message:
        return message("rule.ends_with", activities=" / ".join(self.activities))


def _end_violations(
    log: EventLog | InPlaceLog, activities: tuple[str, ...], first: bool
) -> set[str]:
    events = source(log)
    end = events.activity.argmin(events.order) if first else events.activity.argmax(events.order)
    per_case = events.group_by(events.case_id).aggregate(end=end)
    return distinct_case_ids(per_case.filter(~per_case.end.isin(activities)))
