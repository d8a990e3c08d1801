"""The canonical event log: built once from a raw table, validated once, then left alone."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from discovery._threads import in_background
from discovery.errors import LogError
from discovery.io import read_table
from discovery.io._table import RawTable
from discovery.log.lifecycle import merge_lifecycle
from discovery.log.ordering import (
    BLOCK,
    canonical_order,
    case_ranks,
    firsts_of_cases,
    ordered_blocks,
    sorted_as_text,
)
from discovery.log.quality import (
    QualityReport,
    check_quality,
    detect_identical_rows,
    reason_kind,
    rejected_rows,
)
from discovery.log.reorder import reordered
from discovery.log.schema import ColumnMapping, Role, detect_roles
from discovery.values.numbers import parse_number
from discovery.values.timestamps import (
    DEFAULT_TIMEZONE,
    ParsedTimes,
    blank_text,
    parse_timestamps,
)
from discovery.words import Count, Message, chain, message

TEXT_ROLES: tuple[Role, ...] = ("resource", "department", "channel")
Duplicates = Literal["keep", "drop"]
NUMBER_ROLES: tuple[Role, ...] = ("score", "cost")


class EventLog:
    """Events in canonical columns, sorted by case, time and position in the source.

    `events` has `case_id` (text), `activity`, `timestamp` (UTC; the end or completion
    time), where present `start_timestamp`, `resource`, `department`, `channel`, `score`,
    `cost`, `lifecycle`; then `position` (order in the source, which breaks ties in
    time) and `row` (the row number in the source); then every other column of the
    user's, under its own name. Treat it as read-only: analyses return new objects.

    The text columns (`TEXT_COLUMNS`: case id, activity, resource, department, channel,
    lifecycle) are categoricals of the labels that occur, sorted as text: they sort and
    count as text does, and hold each label once, not once per event.

    A log is one of two kinds: a `LoadedLog` holds its events (what `to_event_log`
    builds), a `FilteredLog` is some events of another log.
    """

    if TYPE_CHECKING:  # read-only; each kind provides them its own way

        @property
        def events(self) -> pd.DataFrame: ...
        @property
        def mapping(self) -> ColumnMapping: ...
        @property
        def quality(self) -> QualityReport: ...
        @property
        def source(self) -> str: ...
        @property
        def timezone(self) -> str: ...
        @property
        def case_attributes(self) -> tuple[str, ...]: ...
        @property
        def event_attributes(self) -> tuple[str, ...]: ...

    @property
    def n_events(self) -> int:
        return len(self.events)

    @cached_property
    def n_cases(self) -> int:
        return int(self.events["case_id"].nunique())

    @cached_property
    def activities(self) -> tuple[str, ...]:
        return tuple(sorted(self.events["activity"].unique()))

    @cached_property
    def departments(self) -> tuple[str, ...]:
        if "department" not in self.events:
            return ()
        return tuple(sorted(self.events["department"].dropna().unique()))

    @cached_property
    def period(self) -> tuple[pd.Timestamp, pd.Timestamp]:
        """First and last moment in the log (UTC)."""
        first = self.events["timestamp"].min()
        if "start_timestamp" in self.events:
            first = min(first, self.events["start_timestamp"].min())
        return first, self.events["timestamp"].max()

    def has(self, column: str) -> bool:
        return column in self.events

    def with_events(self, events: pd.DataFrame) -> LoadedLog:
        """This log with other events in the same columns (sorted the same way)."""
        return LoadedLog(
            events=with_log_text(events),
            mapping=self.mapping,
            quality=self.quality,
            source=self.source,
            timezone=self.timezone,
            case_attributes=self.case_attributes,
            event_attributes=self.event_attributes,
        )


@dataclass(frozen=True)
class LoadedLog(EventLog):
    """An event log that holds its events: built by `to_event_log`, validated once."""

    events: pd.DataFrame
    mapping: ColumnMapping
    quality: QualityReport
    source: str
    timezone: str
    case_attributes: tuple[str, ...]
    event_attributes: tuple[str, ...]


def case_starts(events: pd.DataFrame) -> np.ndarray:
    """For each event, whether it is its case's first (events are sorted by case)."""
    return firsts_of_cases(events["case_id"])


@dataclass(frozen=True, eq=False)
class FilteredLog(EventLog):
    """Some events of `parent`, those `keep` marks: whole cases (a filter's result), or not
    (`whole_cases` false: the events of some activities, say). Filters of it filter it
    again. Its events are copied from the parent's only when read, and the engine derives
    its prepared events from the parent's: for whole cases without copying anything. Like
    any log it is equal only to itself: the engine keeps its prepared events by the log.
    """

    parent: EventLog
    keep: np.ndarray
    whole_cases: bool = True

    @cached_property
    def events(self) -> pd.DataFrame:
        return with_log_text(self.parent.events[self.keep].reset_index(drop=True))

    @property
    def mapping(self) -> ColumnMapping:
        return self.parent.mapping

    @property
    def quality(self) -> QualityReport:
        return self.parent.quality

    @property
    def source(self) -> str:
        return self.parent.source

    @property
    def timezone(self) -> str:
        return self.parent.timezone

    @property
    def case_attributes(self) -> tuple[str, ...]:
        return self.parent.case_attributes

    @property
    def event_attributes(self) -> tuple[str, ...]:
        return self.parent.event_attributes

    @property
    def n_events(self) -> int:
        return int(np.count_nonzero(self.keep))

    @cached_property
    def n_cases(self) -> int:
        if not len(self.keep):
            return 0
        starts = np.flatnonzero(case_starts(self.parent.events))
        return int(np.count_nonzero(np.logical_or.reduceat(self.keep, starts)))

    def has(self, column: str) -> bool:
        return self.parent.has(column)


def read_event_log(
    path: str | Path,
    mapping: Mapping[str, str] | None = None,
    *,
    sheet: str | None = None,
    name: str | None = None,
    timezone: str = DEFAULT_TIMEZONE,
    date_format: str | None = None,
    duplicates: Duplicates = "keep",
) -> EventLog:
    """Read a CSV, Excel, XES or Parquet file into an event log.

    >>> log = read_event_log("sample_logs/hospital.csv")  # doctest: +SKIP
    """
    return _event_log(
        read_table(path, sheet=sheet, name=name),  # ours alone: its columns go once used
        mapping,
        timezone=timezone,
        date_format=date_format,
        now=None,
        duplicates=duplicates,
        release=True,
    )


def to_event_log(
    table: RawTable | pd.DataFrame,
    mapping: Mapping[str, str] | ColumnMapping | None = None,
    *,
    timezone: str = DEFAULT_TIMEZONE,
    date_format: str | None = None,
    now: pd.Timestamp | None = None,
    duplicates: Duplicates = "keep",
) -> EventLog:
    """Build the canonical, validated event log; every row is used or rejected with its reason.

    `mapping` gives role → column and always wins over detection; missing roles are
    detected from headers (English and Dutch) and values. A row identical to an earlier one
    in every column is a separate event (a test done twice on one day, an export without
    event ids) and is counted in a warning; `duplicates="drop"` rejects such rows instead.
    """
    return _event_log(
        table,
        mapping,
        timezone=timezone,
        date_format=date_format,
        now=now,
        duplicates=duplicates,
        release=False,
    )


def _event_log(
    table: RawTable | pd.DataFrame,
    mapping: Mapping[str, str] | ColumnMapping | None,
    *,
    timezone: str,
    date_format: str | None,
    now: pd.Timestamp | None,
    duplicates: Duplicates,
    release: bool,
) -> EventLog:
    """`to_event_log`; with `release`, the table is ours alone and each of its columns is
    dropped from it once used, which keeps a large file's text from lingering."""
    if isinstance(table, pd.DataFrame):
        frame = table.reset_index(drop=True)
        frame.index = frame.index + 2
        table = RawTable(frame, "table", "dataframe")
    frame, source = table.frame, table.source
    given: Mapping[str, str] | None = (
        dict(mapping.columns.items()) if isinstance(mapping, ColumnMapping) else mapping
    )
    roles = detect_roles(frame, given, known=table.roles, source=source)
    if frame.empty:
        raise LogError(message("log.error.no_rows"), file=source)

    built = _canonical_columns(frame, roles, timezone, date_format, source, duplicates, release)
    rejected, identical, canonical = built.rejected, built.identical, built.canonical
    events, order, built_notes = built.events, built.order, built.notes
    del built  # its events in the source's order: freed once sorted
    rows = events.index  # the rows' numbers in the source
    positions = np.arange(len(events)) if order is None else order  # of the log's events
    if not rejected.empty:
        used = ~rows.isin(rejected["row"])
        events, positions = events[used], positions[used[positions]]
        if order is not None:  # the same order among the rows used, numbered among them
            order = (np.cumsum(used) - 1)[positions]
    if order is not None:
        events = reordered(events, order)
    at = canonical.index("position")  # in the log's order: no gathering of their own
    events.insert(at, "position", positions)
    events.insert(at + 1, "row", rows.take(positions).to_numpy(dtype="int64"))
    notes = [*table.notes, *roles.describe(), *built_notes]
    merged = 0
    if "lifecycle" in events and "start_timestamp" not in events:
        merge = merge_lifecycle(events)
        events, merged, notes = merge.events, merge.merged_rows, [*notes, *merge.notes]
    events = events.reset_index(drop=True)
    if events.empty:
        kinds = rejected["reason"].map(reason_kind).value_counts().head(3)
        counted = [
            message("log.reason_count", reason=message(kind), count=str(count))
            for kind, count in kinds.items()
        ]
        said = message("log.error.no_usable_rows", reasons=chain(counted, "io.list.semicolon"))
        raise LogError(said, file=source)

    events = with_log_text(events)  # rows rejected or merged may have taken labels along
    attributes = [column for column in events.columns if column not in canonical]
    case_attributes = _constant_per_case(events, attributes)
    if duplicates == "keep":  # only those used: rows rejected for another reason are listed
        identical = identical[~identical["row"].isin(rejected["row"])]
    report = QualityReport(
        source=source,
        rows_read=table.rows_read,
        rows_used=len(events) + merged,
        rejected=rejected.sort_values("row", kind="stable").reset_index(drop=True),
        merged_rows=merged,
        findings=(
            *detect_identical_rows(identical, events, duplicates),
            *check_quality(events, now or pd.Timestamp.now(tz="UTC")),
        ),
        notes=tuple(notes),
        duplicates=duplicates,
        identical_rows=len(identical),
    )
    return LoadedLog(
        events=events,
        mapping=roles,
        quality=report,
        source=source,
        timezone=timezone,
        case_attributes=case_attributes,
        event_attributes=tuple(a for a in attributes if a not in case_attributes),
    )


@dataclass(frozen=True)
class _Built:
    events: pd.DataFrame
    rejected: pd.DataFrame
    identical: pd.DataFrame  # row, first: rows equal in every column to an earlier row
    notes: tuple[Message, ...]
    canonical: tuple[str, ...]
    order: np.ndarray | None  # positions of `events` in the log's order; None: in order


def _canonical_columns(
    frame: pd.DataFrame,
    roles: ColumnMapping,
    timezone: str,
    date_format: str | None,
    source: str,
    duplicates: Duplicates,
    release: bool,
) -> _Built:
    """Canonical columns side by side with the user's other columns, and the rejects.
    With `release`, each column of a role is dropped from `frame` once read."""
    columns: dict[str, pd.Series] = {}
    rejects: list[pd.DataFrame] = []
    notes: list[Message] = []

    uses = Counter(roles.columns.values())  # a column may play two roles

    def used(column: str) -> None:
        uses[column] -= 1
        if release and not uses[column]:
            del frame[column]

    if "start_timestamp" in roles:
        start_column = roles["start_timestamp"]
        raw_start = frame[start_column]

        def read_start() -> ParsedTimes:
            return parse_timestamps(
                raw_start, start_column, timezone=timezone, date_format=date_format, source=source
            )

        # times already typed (Parquet) are moved to UTC in a thread of their own meanwhile;
        # text is parsed here later, as its parse holds much memory (under 3 GB at 10M)
        typed = pd.api.types.is_datetime64_any_dtype(raw_start.dtype)
        start_parsed = in_background(read_start) if typed else read_start
    case_id = _text_of(frame[roles["case_id"]])
    column = roles["timestamp"]
    parsed = parse_timestamps(
        frame[column], column, timezone=timezone, date_format=date_format, source=source
    )
    ranks, ticks = case_ranks(case_id), parsed.values.array.asi8
    order = canonical_order(ranks, ticks)
    duplicate, first_of = _exact_duplicates(frame, _suspects(ranks, ticks, order))
    identical = pd.DataFrame({"row": frame.index[duplicate], "first": first_of.to_numpy()})
    kept = pd.Series(True, index=frame.index)
    if duplicates == "drop" and duplicate.any():
        reasons = [message("rejected.exact_duplicate", row=str(row)) for row in first_of]
        rejects.append(rejected_rows(frame.index[duplicate], reasons, None, None))
        kept = ~duplicate

    for role in ("case_id", "activity"):
        column = roles[role]
        values = case_id if role == "case_id" else _text_of(frame[column])
        missing = values.isna() & kept
        if missing.any():
            reason = message(f"rejected.missing_{role}")
            rejects.append(rejected_rows(frame.index[missing], reason, column, None))
        kept &= ~missing
        columns[role] = values
        used(column)

    column = roles["timestamp"]
    notes.extend(parsed.notes)
    absent = _is_blank(frame[column])
    missing = absent & kept
    if missing.any():
        reason = message("rejected.missing_timestamp")
        rejects.append(rejected_rows(frame.index[missing], reason, column, None))
    kept &= ~missing
    unreadable = parsed.values.isna() & ~absent & kept
    if unreadable.any():
        raw = frame.loc[unreadable, column].astype(str)
        reasons = [message("rejected.unparseable_date", value=value) for value in raw]
        rejects.append(rejected_rows(frame.index[unreadable], reasons, column, raw))
    kept &= ~unreadable
    columns["timestamp"] = parsed.values
    used(column)

    if "start_timestamp" in roles:
        column = roles["start_timestamp"]
        start = start_parsed()
        unreadable = start.values.isna() & ~_is_blank(frame[column]) & kept
        if unreadable.any():
            notes.append(_unreadable_note("log.note.start_unreadable", frame, unreadable, column))
        notes.extend(start.notes)
        columns["start_timestamp"] = start.values
        used(column)

    for role in (*TEXT_ROLES, "lifecycle"):
        if role in roles:
            columns[role] = _text_of(frame[roles[role]])
            used(roles[role])
    for role in NUMBER_ROLES:
        if role in roles:
            column = roles[role]
            numbers = parse_number(frame[column])
            unreadable = numbers.isna() & ~_is_blank(frame[column])
            if unreadable.any():
                key = "log.note.not_numbers"
                notes.append(_unreadable_note(key, frame, unreadable, column, role=role))
            columns[role] = numbers
            used(column)

    canonical = pd.DataFrame(columns, index=frame.index, copy=False)
    names = (*canonical.columns, "position", "row")  # the last two added once in order
    mapped = set(roles.columns.values())
    others = frame[[c for c in frame.columns if c not in mapped]]
    others = others.rename(columns=lambda c: c if c not in names else f"{c} (original)")
    rejected = (
        pd.concat(rejects, ignore_index=True)
        if rejects
        else rejected_rows(pd.Index([]), [], None, None)
    )
    return _Built(
        events=pd.concat([canonical, others], axis=1),
        rejected=rejected,
        identical=identical,
        notes=tuple(notes),
        canonical=names,
        order=order,
    )


def _unreadable_note(
    key: str, frame: pd.DataFrame, unreadable: pd.Series, column: str, **params: object
) -> Message:
    """The note `key` on values of `column` that could not be read: how many (`times` as
    Python writes the number, `count` for the plural form) and the first, with its row."""
    count = int(unreadable.sum())
    return message(
        key,
        times=str(count),
        count=Count(count),
        column=column,
        row=str(frame.index[unreadable][0]),
        value=str(frame.loc[unreadable, column].iloc[0]),
        **params,
    )


def as_text(values: pd.Series) -> pd.Series:
    """Values as text, as a person reads them: 123.0 → "123", "00123" stays "00123".

    Blank text becomes missing. Numbers too large to be exact in a float (Excel keeps
    15 digits) are written in full as stored.
    """
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        blank = blank_text(values)
        return values.where(~blank) if blank.any() else values
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _categories_as_text(values)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    labels = np.array([_label(value) for value in uniques] + [None], dtype=object)
    result = pd.Series(labels[codes], index=values.index, dtype="str")
    return result


TEXT_COLUMNS = ("case_id", "activity", *TEXT_ROLES, "lifecycle")


def _text_of(values: pd.Series) -> pd.Series:
    """`as_text` of `values` as a categorical (`_text_categorical`): the labels are made once
    per distinct value, or per category of a categorical (Parquet); text (CSV) is encoded."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        categories = values.cat.categories
        if sorted_as_text(categories) and not blank_text(pd.Series(categories)).any():
            return _used_only(values)  # held as the log holds text (Parquet, a filter's)
        codes, distinct = values.cat.codes.to_numpy(), pd.Series(categories)
    else:
        codes, found = pd.factorize(values, use_na_sentinel=True)
        distinct = pd.Series(found, dtype=values.dtype if values.dtype != object else None)
    return _text_categorical(codes, as_text(distinct), values.index)


def _text_categorical(codes: np.ndarray, labels: pd.Series, index: pd.Index) -> pd.Series:
    """Each value's label, where `codes` index `labels` (-1, or a missing label: missing), as
    the log holds text: a categorical of the labels that occur, sorted as text. So sorting
    it sorts as text, counting it counts only what occurs, and the text is held once per
    distinct label, never once per event."""
    merged, distinct = pd.factorize(labels, use_na_sentinel=True)  # equal labels: one code
    if len(distinct) == len(labels) and (merged == np.arange(len(labels))).all():
        mapped = codes  # as usual: the labels are distinct and present
    else:
        mapped = np.append(merged, -1).take(codes)
    used = _used(mapped, len(distinct))
    text = pa.array(pd.Series(distinct, dtype="str"), type=pa.large_string())
    order = pc.sort_indices(text).to_numpy()
    order = order[used[order]]
    categories = pd.Index(text.take(order).to_pandas(), dtype="str")
    if len(order) == len(distinct) and (order == np.arange(len(order))).all():
        ranked = mapped  # sorted already
    else:
        rank = np.full(len(distinct) + 1, -1, dtype=np.min_scalar_type(-len(distinct) - 1))
        rank[order] = np.arange(len(order))
        ranked = rank.take(mapped)  # -1 takes the last: missing
    dtype = pd.CategoricalDtype(categories)
    return pd.Series(pd.Categorical.from_codes(ranked, dtype=dtype, validate=False), index=index)


def _used(codes: np.ndarray, count: int) -> np.ndarray:
    """Which of `count` categories the `codes` hold (-1: missing), a block at a time: no
    copy of all the codes."""
    used = np.zeros(count + 1, dtype=bool)  # the last: missing
    for start in range(0, len(codes), BLOCK):
        used[codes[start : start + BLOCK]] = True
    return used[:-1]


def with_log_text(events: pd.DataFrame) -> pd.DataFrame:
    """`events` with their text columns (`TEXT_COLUMNS`) as the log holds them: categoricals
    of the labels that occur, sorted as text (`_text_categorical`)."""
    return events.assign(
        **{column: _text_of(events[column]) for column in TEXT_COLUMNS if column in events}
    )


def _used_only(values: pd.Series) -> pd.Series:
    """A categorical without the categories none of its values holds."""
    codes, categories = values.cat.codes.to_numpy(), values.cat.categories
    used = _used(codes, len(categories))
    if used.all():
        return values
    rank = np.append(np.cumsum(used) - 1, -1)
    dtype = pd.CategoricalDtype(categories[used])
    return pd.Series(
        pd.Categorical.from_codes(rank.take(codes), dtype=dtype, validate=False),
        index=values.index,
    )


def _categories_as_text(values: pd.Series) -> pd.Series:
    """`as_text` of a categorical column: each category labelled once, then looked up."""
    labels = as_text(pd.Series(values.cat.categories))
    codes = values.cat.codes.to_numpy()
    indices = pa.array(codes, mask=codes < 0)
    dictionary = pa.array(labels, type=pa.large_string(), from_pandas=True)
    text = pc.take(dictionary, indices)  # 3-5 times faster than casting a DictionaryArray
    return pd.Series(text.to_pandas().array, index=values.index, dtype="str")


def _label(value: object) -> str | None:
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return None
        return str(int(value)) if float(value).is_integer() else repr(float(value))
    if isinstance(value, dt.datetime | pd.Timestamp):
        text: str = pd.Timestamp(value).isoformat()  # pandas is untyped here: Any
        return text
    text = str(value)
    return text if text.strip() else None


def _is_blank(values: pd.Series) -> pd.Series:
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        return pd.Series(blank_text(values), index=values.index)  # text (CSV): no copies
    if pd.api.types.is_string_dtype(values.dtype):
        return values.isna() | (values.astype("string").str.strip() == "")
    return values.isna()


def _suspects(ranks: np.ndarray, times: np.ndarray, order: np.ndarray | None) -> np.ndarray:
    """Rows that may equal another row in every column: those sharing their case and time
    with another row (identical rows share them, whatever the other columns hold). `order`
    puts the rows in order of case and time (`canonical_order`)."""
    suspects = np.zeros(len(ranks), dtype=bool)
    for positions, cases, ticks in ordered_blocks(ranks, times, order):
        same = (cases[1:] == cases[:-1]) & (ticks[1:] == ticks[:-1])
        suspects[positions[:-1][same]] = True
        suspects[positions[1:][same]] = True
    return suspects


def _exact_duplicates(frame: pd.DataFrame, suspects: np.ndarray) -> tuple[pd.Series, pd.Series]:
    """Rows equal in every column to an earlier row, and that earlier row's number.

    Only `suspects` can be such rows (see `_suspects`). They are hashed first (fast); only
    rows whose hash repeats are compared in full, so a hash collision can never reject a row.
    """
    duplicate = pd.Series(False, index=frame.index)
    hashed = frame[suspects]
    keys = pd.util.hash_pandas_object(_codes_for_categories(hashed), index=False)
    suspected = keys.duplicated(keep=False).to_numpy()
    if not suspected.any():
        return duplicate, pd.Series([], dtype="int64")
    candidates = hashed[suspected]
    duplicate[candidates.index] = candidates.duplicated(keep="first").to_numpy()
    groups = candidates.groupby(list(candidates.columns), dropna=False, sort=False)
    first_row = groups.ngroup().map(
        pd.Series(candidates.index).groupby(groups.ngroup().to_numpy()).first()
    )
    return duplicate, pd.Series(first_row[duplicate[candidates.index].to_numpy()].to_numpy())


def _codes_for_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each categorical column's codes for its values: equal where the values
    are, and hashed without hashing every category (a case id column has hundreds of
    thousands)."""
    columns = [
        values.cat.codes if isinstance(values.dtype, pd.CategoricalDtype) else values
        for _, values in frame.items()
    ]
    return pd.DataFrame(dict(enumerate(columns)), index=frame.index, copy=False)


def _constant_per_case(events: pd.DataFrame, columns: list[str]) -> tuple[str, ...]:
    """Columns whose value never changes within a case: attributes of the case."""
    if not columns:
        return ()
    starts = np.flatnonzero(case_starts(events))
    return tuple(column for column in columns if _constant_within(events[column], starts))


def _constant_within(values: pd.Series, starts: np.ndarray) -> bool:
    """Whether `values` hold at most one value (missing ones aside) between each start and
    the next: compared as codes, the lowest and highest of each stretch."""
    codes, _ = pd.factorize(values, use_na_sentinel=True)
    highest = np.maximum.reduceat(codes, starts)
    lowest = np.minimum.reduceat(np.where(codes < 0, highest.max(initial=0) + 1, codes), starts)
    return bool(np.all((highest < 0) | (lowest == highest)))


def usual_departments(log: EventLog | None) -> dict[str, str]:
    """Each activity's most frequent department in the log (ties: the first by name)."""
    if log is None or not log.has("department"):
        return {}
    pairs = log.events.groupby(["activity", "department"], observed=True)  # pairs that occur
    counts = pairs.size().rename("count").reset_index()
    counts = counts.sort_values(["activity", "department"]).sort_values(
        "count", ascending=False, kind="stable"
    )
    first = counts.drop_duplicates("activity")
    return dict(zip(first["activity"], first["department"], strict=True))
