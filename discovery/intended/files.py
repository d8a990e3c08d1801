"""Reading intended journeys: journey tables (CSV, Excel, YAML) and BPMN 2.0 files.

A journey table has one row per step, in order (or numbered in a `step` column), with the
columns `activity` (required), `department`, `optional`, `may_repeat`, `parallel_group`
(steps sharing it happen in any order), `alternative_group` (one of the steps sharing it
happens), `goal`, `max_wait_hours` (the longest wait before the step) and `max_wait_from`
(count that wait from the end of this earlier step instead). Dutch headers work too (stap,
activiteit, afdeling, optioneel, herhaalbaar, parallelle groep, alternatieve groep, doel,
max wachttijd uren, wachttijd vanaf), and flags may be yes/no, ja/nee or true/false. A run
of consecutive steps that may repeat loops as a whole. In YAML: a list under `steps`
(`stappen`) with the same keys, and norms between two steps under `norms` (`normen`) as
`{from, to, max_hours}` (`{van, naar, max_uren}`), and rules every case must keep under
`rules` (`regels`), one kind each: `precedes: [A, B]` (`gaat_vooraf`), `within: {first: A,
then: B, hours: 2}` (`binnen: {eerst, dan, uren}`), `four_eyes: [A, B]` (`vier_ogen`),
`starts_with: [A, ...]` (`begint_met`) and `ends_with: [A, ...]` (`eindigt_met`).

>>> journey = read_intended_journey("sample_logs/hospital_intended.csv")  # doctest: +SKIP
>>> journey.activities[:2]  # doctest: +SKIP
('Aanmelding SEH', 'Triage')
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from discovery.errors import LogError
from discovery.intended.bpmn import journey_from_bpmn
from discovery.intended.model import IntendedJourney, Step, WaitNorm
from discovery.intended.rules import EndsWith, FourEyes, Precedes, Rule, StartsWith, Within
from discovery.io._read import read_table
from discovery.io._safety import check_file
from discovery.io.yaml import read_yaml
from discovery.log.schema import normalize_header
from discovery.words import message

# Column names accepted in journey tables, English and Dutch, compared after normalize_header.
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
_ROLE_OF = {
    normalize_header(alias): role for role, aliases in COLUMN_NAMES.items() for alias in aliases
}
_YES = {"yes", "y", "ja", "j", "true", "waar", "1", "x"}
_NO = {"no", "n", "nee", "false", "onwaar", "0", ""}
MAX_JOURNEY_BYTES = 5 * 1024 * 1024
Record = dict[str, object]  # one step (or norm, or rule) as read: field -> value
FileRule = Precedes | Within | FourEyes | StartsWith | EndsWith  # the rules a file can name


def read_intended_journey(
    path: str | Path, *, name: str | None = None, sheet: str | None = None
) -> IntendedJourney:
    """Read a journey table (CSV, XLSX, YAML) or a BPMN 2.0 file; the kind is chosen by the
    file's extension (`name` gives the original name of an uploaded file)."""
    shown = name or Path(path).name
    suffix = Path(shown).suffix.lower()
    if suffix in (".bpmn", ".xml"):
        return journey_from_bpmn(_small_file(path, shown).read_bytes(), shown)
    if suffix in (".yaml", ".yml"):
        records, norms, rules = _yaml_records(path, shown)
        journey = _from_records(records, norms, shown)
        return dataclasses.replace(journey, rules=_rules(rules, journey.activities, shown))
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


def _canonical_columns(frame: pd.DataFrame, source: str) -> pd.DataFrame:
    renames: dict[str, str] = {}
    for column in frame.columns:
        role = _ROLE_OF.get(normalize_header(column))
        if role is not None and role not in renames.values():
            renames[column] = role
    if "activity" not in renames.values():
        found = ", ".join(str(c) for c in frame.columns)
        raise LogError(message("journeyfile.error.no_activity_column", found=found), file=source)
    return frame[list(renames)].rename(columns=renames)


def _small_file(path: str | Path, shown: str) -> Path:
    file, _ = check_file(path, shown)
    if file.stat().st_size > MAX_JOURNEY_BYTES:
        raise LogError(message("journeyfile.error.too_large"), file=shown)
    return file


def _yaml_records(
    path: str | Path, shown: str
) -> tuple[list[tuple[int | None, Record]], list[Record], list[Record]]:
    data = read_yaml(path, shown, message("io.yaml.journey"))
    if isinstance(data, dict):
        steps = data.get("steps", data.get("stappen"))
        norms = data.get("norms", data.get("normen")) or []
        rules = data.get("rules", data.get("regels")) or []
    else:
        steps, norms, rules = data, [], []
    if not isinstance(steps, list) or not all(isinstance(s, dict) for s in steps):
        raise LogError(message("journeyfile.error.steps_list"), file=shown)
    if not isinstance(norms, list) or not all(isinstance(n, dict) for n in norms):
        raise LogError(message("journeyfile.error.norms_list"), file=shown)
    if not isinstance(rules, list) or not all(isinstance(r, dict) for r in rules):
        raise LogError(message("journeyfile.error.rules_list"), file=shown)
    records: list[tuple[int | None, Record]] = []
    for number, entry in enumerate(steps, 1):
        record: Record = {}
        for key, value in entry.items():
            if _ROLE_OF.get(normalize_header(key)) is None:
                said = message("journeyfile.error.unknown_field", number=str(number), field=key)
                raise LogError(said, file=shown)
            if isinstance(value, dict | list):
                said = message("journeyfile.error.single_value", number=str(number), field=key)
                raise LogError(said, file=shown)
            record[_ROLE_OF[normalize_header(key)]] = value
        records.append((number, record))
    return records, norms, rules


RULE_NAMES: dict[str, tuple[str, ...]] = {
    "precedes": ("precedes", "gaat_vooraf"),
    "within": ("within", "binnen"),
    "four_eyes": ("four_eyes", "vier_ogen"),
    "starts_with": ("starts_with", "begint_met"),
    "ends_with": ("ends_with", "eindigt_met"),
}
_RULE_OF = {
    normalize_header(alias): kind for kind, aliases in RULE_NAMES.items() for alias in aliases
}


def _rules(entries: list[Record], steps: tuple[str, ...], source: str) -> tuple[Rule, ...]:
    """The rules of a YAML journey, each a mapping of one kind to its activities."""
    rules: list[Rule] = []
    for number, entry in enumerate(entries, 1):
        kind = _RULE_OF.get(normalize_header(next(iter(entry)))) if len(entry) == 1 else None
        if kind is None:
            known = ", ".join(aliases[0] for aliases in RULE_NAMES.values())
            said = message("journeyfile.error.rule_kind", number=str(number), known=known)
            raise LogError(said, file=source)
        rule = _rule(kind, next(iter(entry.values())), number, source)
        for activity in _rule_activities(rule):
            if activity not in steps:
                said = message(
                    "journeyfile.error.rule_not_a_step", number=str(number), activity=activity
                )
                raise LogError(said, file=source)
        rules.append(rule)
    return tuple(rules)


def _rule(kind: str, value: object, number: int, source: str) -> FileRule:
    if kind == "within":
        fields = (
            {normalize_header(k): v for k, v in value.items()} if isinstance(value, dict) else {}
        )
        first = _text(fields.get("first", fields.get("eerst")))
        then = _text(fields.get("then", fields.get("dan")))
        hours = _hours(fields.get("hours", fields.get("uren")), source, None, "hours")
        if first is None or then is None or hours is None:
            said = message("journeyfile.error.within_fields", number=str(number))
            raise LogError(said, file=source)
        return Within(first, then, hours)
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(_text(name) for name in names):
        said = message("journeyfile.error.rule_activities", number=str(number), kind=kind)
        raise LogError(said, file=source)
    names = [text for text in map(_text, names) if text is not None]  # all, as checked
    if kind in ("starts_with", "ends_with"):
        return (StartsWith if kind == "starts_with" else EndsWith)(tuple(names))
    if len(names) != 2:
        said = message("journeyfile.error.rule_two_activities", number=str(number), kind=kind)
        raise LogError(said, file=source)
    return (Precedes if kind == "precedes" else FourEyes)(*names)


def _rule_activities(rule: FileRule) -> tuple[str, ...]:
    """The activities a rule names: its text fields."""
    values = [getattr(rule, field.name) for field in dataclasses.fields(rule)]
    return tuple(
        name
        for value in values
        for name in (
            (value,) if isinstance(value, str) else value if isinstance(value, tuple) else ()
        )
    )


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
    said = message("journeyfile.error.not_yes_no", value=str(value))
    raise LogError(said, file=source, row=row, column=column)


def _hours(value: object, source: str, row: int | None, column: str) -> float | None:
    text = _text(value)
    if text is None:
        return None
    try:
        hours = float(text.replace(",", "."))
    except ValueError:
        hours = -1.0
    if not hours >= 0 or hours == float("inf"):
        said = message("journeyfile.error.not_hours", value=str(value))
        raise LogError(said, file=source, row=row, column=column)
    return hours


def _from_records(
    records: list[tuple[int | None, Record]], norm_entries: Sequence[Record], source: str
) -> IntendedJourney:
    if not records:
        raise LogError(message("journeyfile.error.no_steps"), file=source)
    ordered = records
    if any(_text(record.get("step")) for _, record in records):
        ordered = sorted(records, key=lambda item: _step_number(item, source))
    steps: list[Step] = []
    norms: list[WaitNorm] = []
    seen: dict[str, int | None] = {}
    for row, record in ordered:
        activity = _text(record.get("activity"))
        if activity is None:
            said = message("journeyfile.error.no_activity")
            raise LogError(said, file=source, row=row, column="activity")
        if activity in seen:
            said = message(
                "journeyfile.error.listed_twice", activity=activity, row=str(seen[activity])
            )
            raise LogError(said, file=source, row=row, column="activity")
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
            said = message("journeyfile.error.two_groups")
            raise LogError(said, file=source, row=row, column="alternative_group")
        steps.append(step)
    norms += [_norm(entry, number, source) for number, entry in enumerate(norm_entries, 1)]
    for norm in norms:
        for end in (norm.source, norm.target):
            if end not in seen:
                said = message("journeyfile.error.norm_not_a_step", activity=end)
                raise LogError(said, file=source)
    _check_groups(steps, [row for row, _ in ordered], source)
    return IntendedJourney(steps=tuple(steps), norms=tuple(norms), name=Path(source).stem)


def _step_number(item: tuple[int | None, Record], source: str) -> float:
    row, record = item
    text = _text(record.get("step"))
    try:
        return float(text.replace(",", ".")) if text else float("inf")
    except ValueError:
        said = message("journeyfile.error.step_number", value=str(text))
        raise LogError(said, file=source, row=row, column="step") from None


def _norm(entry: Record, number: int, source: str) -> WaitNorm:
    values = {normalize_header(k): v for k, v in entry.items()}
    start = _text(values.get("from", values.get("van")))
    end = _text(values.get("to", values.get("naar")))
    hours = _hours(values.get("maxhours", values.get("maxuren")), source, None, "max_hours")
    if start is None or end is None or hours is None:
        raise LogError(message("journeyfile.error.norm_fields", number=str(number)), file=source)
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
                said = message("journeyfile.error.group_apart", group=group)
                raise LogError(said, file=source, row=row, column=column)
            previous = group
