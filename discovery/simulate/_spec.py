"""Journey specifications: plain data that one engine walks.

A journey is its intended steps (in order), the departments and staff that perform them,
the segment its customers belong to, the effects planted in it, and how its log is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Clock = Literal["office", "always"]
Arrivals = Literal["emergency", "office", "web"]


@dataclass(frozen=True)
class Score:
    """A satisfaction question answered by a share of customers after a touchpoint."""

    low: int
    high: int
    mean: float
    response: float
    resolution: float = 1.0


@dataclass(frozen=True)
class Step:
    """One step of a journey: who does it, how long it waits and takes, on which channel.

    `share` < 1 makes the step optional (it occurs in about that share of cases); a share of 0
    means the step only occurs inside a planted loop or detour.
    """

    activity: str
    department: str
    wait_hours: float = 1.0
    minutes: float = 10.0
    clock: Clock = "office"
    channels: tuple[tuple[str, float], ...] = (("desk", 1.0),)
    staff: str = ""
    score: Score | None = None
    share: float = 1.0
    optional_group: str = ""
    may_repeat: bool = False
    parallel_group: str = ""
    alternative_group: str = ""
    weight: float = 1.0
    goal: bool = False
    norm_hours: float | None = None
    intended: bool = True
    wait_sigma: float = 0.6

    @property
    def pool(self) -> str:
        """The staff pool this step draws its resource from."""
        return self.staff or self.department


@dataclass(frozen=True)
class PingPong:
    """After `after` (department A) the case goes to `there` (department B) and `back` to A."""

    after: str
    there: str
    back: str
    rate: float


@dataclass(frozen=True)
class Rework:
    """`activity` happens again (after the `via` steps) in `rate` of all cases."""

    activity: str
    rate: float
    via: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skip:
    """`activity` is left out in `rate` of the cases that reach the goal."""

    activity: str
    rate: float


@dataclass(frozen=True)
class SlowSegment:
    """Cases of segment `value` wait `factor` times as long before `step`."""

    value: str
    step: str
    factor: float


@dataclass(frozen=True)
class DropOff:
    """`rate` of the cases that reach `activity` end there."""

    activity: str
    rate: float


@dataclass(frozen=True)
class Improvement:
    """A change that worked: cases arriving on or after `after` (a local date, YYYY-MM-DD)
    wait `factor` times as long before `step` (0.5: half as long)."""

    step: str
    factor: float
    after: str


@dataclass(frozen=True)
class Effects:
    """The ground truth planted in a journey. The first drop-off is the planted drop-off step."""

    bottleneck: tuple[str, str]
    ping_pong: PingPong
    skip: Skip
    rework: Rework
    slow: SlowSegment
    drop_offs: tuple[DropOff, ...]
    score_penalty: float = 1.5


@dataclass(frozen=True)
class Segment:
    """A case attribute, constant per case, drawn with the given weights."""

    values: tuple[str, ...]
    weights: tuple[float, ...]


@dataclass(frozen=True)
class LogFormat:
    """How a journey's log is written: headers per canonical role, CSV dialect, dates."""

    columns: dict[str, str]
    delimiter: str = ","
    decimal: str = "."
    date_format: str = "%Y-%m-%d %H:%M:%S"
    excel_date_format: str = "yyyy-mm-dd hh:mm:ss"
    sheet: str = "events"
    title: str = ""
    sort: Literal["case", "time"] = "case"

    @property
    def has_start(self) -> bool:
        """Whether the log has a start time next to the end time."""
        return "start_timestamp" in self.columns


@dataclass(frozen=True)
class Journey:
    """A journey: data only. `simulate` walks it."""

    name: str
    title: str
    description: str
    steps: tuple[Step, ...]
    staff: dict[str, tuple[str, ...]]
    segment: Segment
    effects: Effects
    log: LogFormat
    n_cases: int
    case_prefix: str
    case_digits: int
    first_case: int
    arrivals: Arrivals
    season: tuple[float, ...] = (1.0,) * 12
    organisations: dict[str, str] = field(default_factory=dict)

    def index(self, activity: str) -> int:
        """Position of an activity in `steps`."""
        for i, step in enumerate(self.steps):
            if step.activity == activity:
                return i
        raise KeyError(f"{self.name}: no step {activity!r}")

    def step(self, activity: str) -> Step:
        """The step with this activity."""
        return self.steps[self.index(activity)]

    @property
    def goal(self) -> Step:
        """The goal step."""
        return next(step for step in self.steps if step.goal)
