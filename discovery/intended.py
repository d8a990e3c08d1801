"""Intended journeys: the journey an organisation designed, as one model from a journey table
(CSV, Excel, YAML), a BPMN 2.0 file, or a variant or mined model chosen from the discovery.

A journey table has one row per step, in order (or numbered in a `step` column), with the
columns `activity` (required), `department`, `optional`, `may_repeat`, `parallel_group`
(steps sharing it happen in any order), `alternative_group` (one of the steps sharing it
happens), `goal`, `max_wait_hours` (the longest wait before the step) and `max_wait_from`
(count that wait from the end of this earlier step instead). Dutch headers work too (stap,
activiteit, afdeling, optioneel, herhaalbaar, parallelle groep, alternatieve groep, doel,
max wachttijd uren, wachttijd vanaf), and flags may be yes/no, ja/nee or true/false. A run
of consecutive steps that may repeat loops as a whole. In YAML: a list under `steps`
(`stappen`) with the same keys, and norms between two steps under `norms` (`normen`) as
`{from, to, max_hours}` (`{van, naar, max_uren}`).

>>> journey = read_intended_journey("sample_logs/hospital_intended.csv")  # doctest: +SKIP
>>> journey.activities[:2]  # doctest: +SKIP
('Aanmelding SEH', 'Triage')
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from discovery._nets import Behaviour, Net, NetBuilder, behaviour
from discovery.errors import LogError
from discovery.log import EventLog
from discovery.models import ProcessModel


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
    """Designed steps in order, service norms between steps, and where the designed flow is
    not the table's own order (BPMN, a mined model, a variant with repeats) that flow."""

    steps: tuple[Step, ...]
    norms: tuple[WaitNorm, ...] = ()
    name: str = "intended journey"
    flow: Net | None = None

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

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "steps": [vars(step) for step in self.steps],
            "norms": [vars(norm) for norm in self.norms],
        }


# Column names accepted in journey tables (lower case, spaces as underscores), English and Dutch.
COLUMN_NAMES: dict[str, tuple[str, ...]] = {
    "step": ("step", "stap", "nr", "volgorde", "order", "#"),
    "activity": ("activity", "activiteit", "name", "naam", "task", "taak"),
    "department": ("department", "afdeling", "responsible", "verantwoordelijk", "team"),
    "optional": ("optional", "optioneel"),
    "may_repeat": ("may_repeat", "herhaalbaar", "mag_herhalen", "repeat", "herhalen"),
    "parallel_group": ("parallel_group", "parallelle_groep", "parallel", "parallelgroep"),
    "alternative_group": ("alternative_group", "alternatieve_groep", "alternatief", "keuzegroep"),
    "goal": ("goal", "doel"),
    "max_wait_hours": ("max_wait_hours", "max_wachttijd_uren", "max_wachttijd", "max_wait"),
    "max_wait_from": ("max_wait_from", "wachttijd_vanaf", "wait_from", "vanaf"),
}
_YES = {"yes", "y", "ja", "j", "true", "waar", "1", "x"}
_NO = {"no", "n", "nee", "false", "onwaar", "0", ""}
MAX_JOURNEY_BYTES = 5 * 1024 * 1024


def read_intended_journey(
    path: str | Path, *, name: str | None = None, sheet: str | None = None
) -> IntendedJourney:
    """Read a journey table (CSV, XLSX, YAML) or a BPMN 2.0 file; the kind is chosen by the
    file's extension (`name` gives the original name of an uploaded file)."""
    shown = name or Path(path).name
    suffix = Path(shown).suffix.lower()
    if suffix in (".bpmn", ".xml"):
        from discovery._bpmn import read_bpmn

        return read_bpmn(path, shown)
    if suffix in (".yaml", ".yml"):
        return _from_records(*_yaml_records(path, shown), shown)
    from discovery.io import read_table

    table = read_table(path, sheet=sheet, name=shown)
    return journey_from_table(table.frame, shown)


def journey_from_table(frame: pd.DataFrame, source: str = "journey table") -> IntendedJourney:
    """A journey from a table whose index is the row number users see in their file."""
    renamed = _canonical_columns(frame, source)
    records = [
        (int(index) if isinstance(index, int) else None, dict(row))
        for index, row in zip(renamed.index, renamed.to_dict("records"), strict=True)
    ]
    return _from_records(records, (), source)


def journey_from_variant(
    activities: Sequence[str], log: EventLog | None = None, name: str = "chosen variant"
) -> IntendedJourney:
    """A variant (activities in order) as the intended journey; departments from `log`.

    An activity that occurs twice keeps its place in the flow: the flow is exactly the variant.
    """
    if not activities:
        raise ValueError("a variant with no activities cannot be an intended journey")
    departments = usual_departments(log)
    unique = list(dict.fromkeys(activities))
    steps = tuple(Step(activity, departments.get(activity)) for activity in unique)
    flow = None
    if len(unique) < len(activities):
        flow = _sequence_net(activities)
    return IntendedJourney(steps=steps, name=name, flow=flow)


def journey_from_model(
    model: ProcessModel | Net, log: EventLog | None = None, name: str = "mined model"
) -> IntendedJourney:
    """A mined process model as the intended journey; steps in the order the model first
    allows them, departments from `log`."""
    net = Net(model.places, model.transitions, model.arcs, model.initial, model.final)
    departments = usual_departments(log)
    steps = tuple(Step(a, departments.get(a)) for a in _first_allowed_order(net))
    return IntendedJourney(steps=steps, name=name, flow=net)


def check_against_log(journey: IntendedJourney, log: EventLog) -> pd.DataFrame:
    """Per step: `step`, `events` in the log, and for steps absent from the log the
    `closest` activity names of the log (most alike first)."""
    counts = log.events["activity"].value_counts()
    present = [str(a) for a in counts.index]
    rows = []
    for activity in journey.activities:
        events = int(counts.get(activity, 0))
        closest = () if events else tuple(difflib.get_close_matches(activity, present, 3, 0.5))
        rows.append({"step": activity, "events": events, "closest": closest})
    return pd.DataFrame(rows, columns=["step", "events", "closest"])


def usual_departments(log: EventLog | None) -> dict[str, str]:
    """Each activity's most frequent department in the log."""
    if log is None or "department" not in log.events:
        return {}
    pairs = log.events[["activity", "department"]].dropna()
    counts = pairs.value_counts().reset_index().drop_duplicates("activity")
    return dict(zip(counts["activity"], counts["department"], strict=True))


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


# Reading tables ------------------------------------------------------------------------------


def _key(text: object) -> str:
    cleaned = str(text).strip().lower()
    for char in " -/":
        cleaned = cleaned.replace(char, "_")
    return cleaned.replace("(", "").replace(")", "").strip("_")


def _canonical_columns(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    lookup = {alias: role for role, aliases in COLUMN_NAMES.items() for alias in aliases}
    renames = {}
    for column in frame.columns:
        role = lookup.get(_key(column))
        if role is not None and role not in renames.values():
            renames[column] = role
    if "activity" not in renames.values():
        found = ", ".join(str(c) for c in frame.columns)
        raise LogError(
            f"no activity column (expected 'activity' or 'activiteit'); found: {found}",
            file=source,
        )
    return frame[list(renames)].rename(columns=renames)


def _yaml_records(path: str | Path, shown: str) -> tuple[list[tuple[int | None, dict]], list]:
    import yaml

    from discovery.io._safety import check_file

    file, _ = check_file(path, shown)
    if file.stat().st_size > MAX_JOURNEY_BYTES:
        raise LogError("journey file is larger than 5 MB; refused", file=shown)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise LogError(f"is not valid YAML ({str(error).splitlines()[0]})", file=shown) from None
    if isinstance(data, dict):
        steps = data.get("steps", data.get("stappen"))
        norms = data.get("norms", data.get("normen")) or []
    else:
        steps, norms = data, []
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise LogError("expected a list of steps under 'steps' (or 'stappen')", file=shown)
    if not isinstance(norms, list) or not all(isinstance(n, dict) for n in norms):
        raise LogError("expected a list of norms under 'norms' (or 'normen')", file=shown)
    lookup = {alias: role for role, aliases in COLUMN_NAMES.items() for alias in aliases}
    records = []
    for number, entry in enumerate(steps, 1):
        record = {}
        for key, value in entry.items():
            if lookup.get(_key(key)) is None:
                raise LogError(f"step {number}: unknown field '{key}'", file=shown)
            if isinstance(value, dict | list):
                raise LogError(f"step {number}: '{key}' must be a single value", file=shown)
            record[lookup[_key(key)]] = value
        records.append((number, record))
    return records, norms


def _text(value: object) -> str | None:
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = str(value).strip()
    return text or None


def _flag(value: object, source: str, row: int | None, column: str) -> bool:
    if isinstance(value, bool):
        return value
    text = (_text(value) or "").lower()
    if text.endswith(".0"):
        text = text[:-2]
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise LogError(
        f"'{value}' is not yes or no (use yes/no, ja/nee, true/false)",
        file=source,
        row=row,
        column=column,
    )


def _hours(value: object, source: str, row: int | None, column: str) -> float | None:
    text = _text(value)
    if text is None:
        return None
    try:
        hours = float(text.replace(",", "."))
    except ValueError:
        hours = -1.0
    if not hours >= 0 or hours == float("inf"):
        raise LogError(f"'{value}' is not a number of hours", file=source, row=row, column=column)
    return hours


def _from_records(
    records: list[tuple[int | None, dict]], norm_entries: list, source: str
) -> IntendedJourney:
    if not records:
        raise LogError("the journey has no steps", file=source)
    ordered = records
    if any(_text(record.get("step")) for _, record in records):
        ordered = sorted(records, key=lambda item: _step_number(item, source))
    steps: list[Step] = []
    norms: list[WaitNorm] = []
    seen: dict[str, int | None] = {}
    for row, record in ordered:
        activity = _text(record.get("activity"))
        if activity is None:
            raise LogError("the step has no activity", file=source, row=row, column="activity")
        if activity in seen:
            raise LogError(
                f"'{activity}' is listed twice (also on row {seen[activity]}); "
                "mark it as may repeat instead",
                file=source,
                row=row,
                column="activity",
            )
        seen[activity] = row
        hours = _hours(record.get("max_wait_hours"), source, row, "max_wait_hours")
        wait_from = _text(record.get("max_wait_from"))
        if wait_from is not None and hours is not None:
            norms.append(WaitNorm(wait_from, activity, hours))
            hours = None
        flags = {
            key: _flag(record.get(key), source, row, key)
            for key in ("optional", "may_repeat", "goal")
        }
        step = Step(
            activity=activity,
            department=_text(record.get("department")),
            parallel_group=_text(record.get("parallel_group")),
            alternative_group=_text(record.get("alternative_group")),
            max_wait_hours=hours,
            **flags,
        )
        if step.parallel_group and step.alternative_group:
            raise LogError(
                "a step cannot be in a parallel group and an alternative group at once",
                file=source,
                row=row,
                column="alternative_group",
            )
        steps.append(step)
    norms += [_norm(entry, number, source) for number, entry in enumerate(norm_entries, 1)]
    for norm in norms:
        for end in (norm.source, norm.target):
            if end not in seen:
                raise LogError(f"the wait norm names '{end}', which is not a step", file=source)
    _check_groups(steps, [row for row, _ in ordered], source)
    return IntendedJourney(steps=tuple(steps), norms=tuple(norms), name=Path(source).stem)


def _step_number(item: tuple[int | None, dict], source: str) -> float:
    row, record = item
    text = _text(record.get("step"))
    try:
        return float(text.replace(",", ".")) if text else float("inf")
    except ValueError:
        raise LogError(
            f"'{text}' is not a step number", file=source, row=row, column="step"
        ) from None


def _norm(entry: dict, number: int, source: str) -> WaitNorm:
    values = {_key(k): v for k, v in entry.items()}
    start = _text(values.get("from", values.get("van")))
    end = _text(values.get("to", values.get("naar")))
    hours = _hours(values.get("max_hours", values.get("max_uren")), source, None, "max_hours")
    if start is None or end is None or hours is None:
        raise LogError(
            f"norm {number} needs from, to and max_hours (van, naar, max_uren)", file=source
        )
    return WaitNorm(start, end, hours)


def _check_groups(steps: list[Step], rows: list[int | None], source: str) -> None:
    for column in ("parallel_group", "alternative_group"):
        closed: set[str] = set()
        previous = None
        for step, row in zip(steps, rows, strict=True):
            group = getattr(step, column)
            if group != previous and previous is not None:
                closed.add(previous)
            if group is not None and group in closed:
                raise LogError(
                    f"the steps of group '{group}' must be listed next to each other",
                    file=source,
                    row=row,
                    column=column,
                )
            previous = group


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
