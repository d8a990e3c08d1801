"""Journey stages: which activities belong to which stage, stages in journey order.

User-defined (a table or YAML file of activity and stage), or suggested from an intended
journey or from the log's typical order of activities, grouped by department runs.

>>> stages = Stages.from_pairs([("Intake", "Start"), ("Check", "Assess"), ("Decide", "Assess")])
>>> stages.names, stages.stage_of("Check")
(('Start', 'Assess'), 'Assess')
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Protocol

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.engine.in_place import InPlaceLog
from discovery.errors import LogError
from discovery.intended.model import usual_departments_of
from discovery.io import read_table
from discovery.io.yaml import read_yaml
from discovery.lens._journey_events import typical_positions
from discovery.log.event_log import EventLog
from discovery.log.schema import normalize_header
from discovery.words import message

USUAL_SHARE = 0.25
ACTIVITY_HEADERS = ("activity", "activiteit", "touchpoint", "step", "stap")
STAGE_HEADERS = ("stage", "fase", "stadium", "phase", "journeystage", "klantreisfase")


@dataclass(frozen=True)
class Stages:
    """Stages in journey order, and each activity's stage (`assignments`: activity, stage).
    Activities without a stage are left out of the stage-level figures."""

    names: tuple[str, ...]
    assignments: tuple[tuple[str, str], ...]

    def __post_init__(self) -> None:
        unknown = sorted({stage for _, stage in self.assignments} - set(self.names))
        if unknown:
            raise ValueError(f"stages not in the stage order: {', '.join(unknown)}")

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Stages:
        """Stages from (activity, stage) pairs; stage order is the order of first mention.
        A later pair for the same activity wins."""
        mapping = {str(activity): str(stage) for activity, stage in pairs}
        return cls(tuple(dict.fromkeys(mapping.values())), tuple(mapping.items()))

    @cached_property
    def mapping(self) -> dict[str, str]:
        """activity → stage."""
        return dict(self.assignments)

    def stage_of(self, activity: str) -> str | None:
        return self.mapping.get(activity)

    def activities(self, stage: str) -> tuple[str, ...]:
        return tuple(a for a, s in self.assignments if s == stage)

    def positions(self) -> dict[str, int]:
        """activity → position of its stage (0 = first stage)."""
        order = {name: i for i, name in enumerate(self.names)}
        return {activity: order[stage] for activity, stage in self.assignments}

    def to_table(self, activities: Iterable[str] = ()) -> pd.DataFrame:
        """activity, stage; then each of `activities` that has no stage, with an empty
        stage (a table to edit, read back with `stages_from_edits`).

        >>> Stages.from_pairs([("Intake", "Start")]).to_table(["Intake", "Call"]).values.tolist()
        [['Intake', 'Start'], ['Call', '']]
        """
        unstaged = [(a, "") for a in activities if self.stage_of(a) is None]
        return pd.DataFrame([*self.assignments, *unstaged], columns=["activity", "stage"])

    def to_dict(self) -> dict[str, JSONValue]:
        stages = [{"stage": n, "activities": self.activities(n)} for n in self.names]
        return to_json_dict({"stages": stages})


class _StepLike(Protocol):
    activity: str
    department: str | None


class _JourneyLike(Protocol):
    steps: Sequence[_StepLike]


Intended = _JourneyLike | Sequence[str] | Sequence[tuple[str, str | None]]


def suggest_stages(
    log: EventLog | InPlaceLog, intended: Intended | None = None, *, cases: int | None = None
) -> Stages:
    """A default: consecutive activities with the same department form one stage, named
    after the department ("Front office", and "Front office (2)" when it comes back).

    The order comes from `intended` where given (an IntendedJourney, or its steps as
    activities or (activity, department) pairs). Without it, the usual path is the log's
    activities done in at least a quarter of the cases, in their typical order
    (`typical_positions`). Other activities of the log join the stage of the nearest
    usual step before them in the typical order. Without departments, every step is its
    own stage. A log in place is asked where it lives; `cases`: its number of cases, where
    known.
    """
    typical = typical_positions(log)
    positions = typical["position"]
    usual = usual_departments_of(log)
    if intended is None:
        if cases is None:
            cases = log.n_cases if isinstance(log, EventLog) else _case_count(log)
        common = typical[typical["cases"] >= USUAL_SHARE * cases]
        ordered = common.sort_values("position", kind="stable").index
        steps = [(a, usual.get(a)) for a in ordered]
    else:
        steps = _steps_of(intended, usual)
    stages = _by_department_runs(steps)
    mapping = dict(stages.assignments)
    listed = [a for a, _ in steps if a in positions.index]
    for activity in positions.sort_values(kind="stable").index:
        if activity in mapping or not listed:
            continue
        before = [a for a in listed if positions[a] <= positions[activity]]
        anchor = max(before, key=lambda a: positions[a]) if before else listed[0]
        mapping[activity] = mapping[anchor]
    return Stages(stages.names, tuple(mapping.items()))


def _case_count(log: InPlaceLog) -> int:
    from discovery.engine.in_place import run_in_place

    return int(run_in_place(log.events.case_id.nunique())["value"].iloc[0])


def _steps_of(intended: Intended, usual: dict[str, str]) -> list[tuple[str, str | None]]:
    items = intended.steps if hasattr(intended, "steps") else intended
    steps: list[tuple[str, str | None]] = []
    for item in items:
        if isinstance(item, str):
            steps.append((item, usual.get(item)))
        elif isinstance(item, tuple):
            activity, department = item
            steps.append((activity, department or usual.get(activity)))
        else:
            steps.append((item.activity, item.department or usual.get(item.activity)))
    return steps


def _by_department_runs(ordered: Sequence[tuple[str, str | None]]) -> Stages:
    pairs: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    current: str | None = None
    name = ""
    for activity, department in ordered:
        label = department if department else activity
        if not department or label != current:
            seen[label] = seen.get(label, 0) + 1
            name = label if seen[label] == 1 else f"{label} ({seen[label]})"
            current = label if department else None
        pairs.append((activity, name))
    return Stages.from_pairs(pairs)


def read_stages(path: str | Path, *, name: str | None = None, sheet: str | None = None) -> Stages:
    """Read a stage table: CSV or XLSX with columns activity and stage (English or Dutch
    headers: activiteit, fase), or YAML: a mapping stage → list of activities, or a list of
    {activity, stage}. Stage order is the order of first mention."""
    shown = name or Path(path).name
    if Path(shown).suffix.lower() in (".yaml", ".yml"):
        return _stages_from_yaml(path, shown)
    return stages_from_table(read_table(path, sheet=sheet, name=shown).frame, shown)


def stages_from_table(frame: pd.DataFrame, source: str = "stage table") -> Stages:
    """Stages from a table with an activity and a stage column (row numbers as its index)."""
    headers = {normalize_header(column): column for column in frame.columns}
    activity = next((headers[h] for h in ACTIVITY_HEADERS if h in headers), None)
    stage = next((headers[h] for h in STAGE_HEADERS if h in headers), None)
    if activity is None or stage is None:
        found = ", ".join(str(c) for c in frame.columns)
        raise LogError(message("stagefile.error.columns", found=found), file=source)
    pairs = []
    for row, (a, s) in zip(
        frame.index, zip(frame[activity], frame[stage], strict=True), strict=True
    ):
        if _blank(a) and _blank(s):
            continue
        for value, column in ((a, activity), (s, stage)):
            if _blank(value):
                said = message("stagefile.error.empty_cell")
                raise LogError(said, file=source, row=_row(row), column=str(column))
        pairs.append((str(a).strip(), str(s).strip()))
    if not pairs:
        raise LogError(message("stagefile.error.no_rows"), file=source)
    return Stages.from_pairs(pairs)


def stages_from_edits(table: pd.DataFrame, source: str = "stage table") -> Stages:
    """Stages from a stage table as the user edited it (`Stages.to_table(activities)`, rows
    numbered from 0): rows with a blank stage stay unstaged; errors count rows from 1.

    >>> edited = pd.DataFrame({"activity": ["Intake", "Call"], "stage": ["Start", " "]})
    >>> stages_from_edits(edited).assignments
    (('Intake', 'Start'),)
    """
    staged = table[table["stage"].fillna("").astype(str).str.strip() != ""]
    staged.index = staged.index + 1  # row numbers as people count them
    return stages_from_table(staged, source)


def _stages_from_yaml(path: str | Path, shown: str) -> Stages:
    data = read_yaml(path, shown, message("io.yaml.stages"))
    if isinstance(data, dict) and isinstance(data.get("stages", data.get("fases")), list | dict):
        data = data.get("stages", data.get("fases"))
    if isinstance(data, dict):
        pairs = []
        for stage, activities in data.items():
            if not isinstance(activities, list) or not all(
                isinstance(a, str | int | float) for a in activities
            ):
                said = message("stagefile.error.stage_list", stage=str(stage))
                raise LogError(said, file=shown)
            pairs += [(str(a), str(stage)) for a in activities]
        return _non_empty(pairs, shown)
    if isinstance(data, list) and all(isinstance(entry, dict) for entry in data):
        frame = pd.DataFrame(data, index=range(1, len(data) + 1))
        return stages_from_table(frame, shown)
    raise LogError(message("stagefile.error.shape"), file=shown)


def _non_empty(pairs: list[tuple[str, str]], shown: str) -> Stages:
    if not pairs:
        raise LogError(message("stagefile.error.no_activities"), file=shown)
    return Stages.from_pairs(pairs)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and value != value) or not str(value).strip()


def _row(index: object) -> int | None:
    return int(index) if isinstance(index, int) else None
