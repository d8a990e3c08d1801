"""The data-quality report: every input row used or rejected, and warnings that drop nothing."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.log.ordering import firsts_of_cases
from discovery.words import Count, Message, Number, chain, message, say

Severity = Literal["warning", "info"]
Duplicates = Literal["keep", "drop"]
REJECTED_COLUMNS = ("row", "reason", "column", "value")
_EXAMPLES = 5
OLDEST_PLAUSIBLE = pd.Timestamp("1990-01-01", tz="UTC")
LONG_CASE_MIN = pd.Timedelta(days=365)


@dataclass(frozen=True)
class Finding:
    """One quality warning: what (a message, `discovery.words.say` puts it in words), how
    often, and examples to look at."""

    check: str
    severity: Severity
    message: Message
    count: int
    rows: tuple[int, ...] = ()
    cases: tuple[str, ...] = ()

    def to_dict(self, language: str = "en") -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): the message said in `language` as its `sentence`."""
        return to_json_dict(
            {
                "check": self.check,
                "severity": self.severity,
                "message": self.message,
                "count": self.count,
                "example_rows": self.rows,
                "example_cases": self.cases,
            },
            language,
        )


@dataclass(frozen=True)
class QualityReport:
    """Accounts for every input row: rows_read == rows_used + rows_rejected.

    `rejected` has one row per rejected input row: its row number in the source, the
    reason (a message: `rejected_text` says them in a language), the column concerned and
    the raw value. `notes` say how the file was read (messages). `merged_rows` are rows used by
    folding them into another event (a lifecycle start joined to its complete).
    `identical_rows` counts the rows equal in every column to an earlier row, and
    `duplicates` says what was done with them: kept as events, or dropped (rejected).
    """

    source: str
    rows_read: int
    rows_used: int
    rejected: pd.DataFrame
    merged_rows: int = 0
    findings: tuple[Finding, ...] = ()
    notes: tuple[Message, ...] = field(default_factory=tuple)
    duplicates: Duplicates = "keep"
    identical_rows: int = 0

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def rejection_counts(self, language: str = "en") -> dict[str, int]:
        """Rejected rows per kind of reason, said in `language`, e.g. {"missing case id": 3}
        ("unparseable date" for every "unparseable date '...'")."""
        if self.rejected.empty:
            return {}
        kinds = self.rejected["reason"].map(reason_kind).value_counts()
        return {say(kind, language): int(count) for kind, count in kinds.items()}

    def rejections_by_kind(self) -> pd.DataFrame:
        """Rejected rows per kind of reason, most first: kind (stable, e.g.
        "unparseable_date"), reason (the kind as a message: "unparseable date"), count."""
        kinds = self.rejected["reason"].map(reason_kind).value_counts()
        keys = [str(key) for key in kinds.index]
        return pd.DataFrame(
            {
                "kind": [key.removeprefix("rejected.").removesuffix(".kind") for key in keys],
                "reason": [Message(key) for key in keys],
                "count": kinds.to_numpy(dtype="int64"),
            },
            columns=["kind", "reason", "count"],
        )

    def rejected_text(self, language: str = "en", rows: int | None = None) -> pd.DataFrame:
        """The (first `rows`) rejected rows with each reason said in `language`: for tables,
        CSV files and JSON."""
        table = self.rejected if rows is None else self.rejected.head(rows)
        return table.assign(reason=[say(reason, language) for reason in table["reason"]])

    def to_dict(self, max_rejected: int = 100, language: str = "en") -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`); `rejected` lists the first `max_rejected` rows.
        Reasons, findings and notes are said in `language`; `rejections_by_reason` is keyed
        by the reason's stable `kind`, the same in every language."""
        return to_json_dict(
            {
                "source": self.source,
                "rows_read": self.rows_read,
                "rows_used": self.rows_used,
                "rows_rejected": self.rows_rejected,
                "rows_merged": self.merged_rows,
                "identical_rows": self.identical_rows,
                "duplicates": self.duplicates,
                "rejections_by_reason": self.rejections_by_kind(),
                "rejected": self.rejected.head(max_rejected),
                "findings": [finding.to_dict(language) for finding in self.findings],
                "notes": self.notes,
            },
            language,
        )


def rejected_rows(
    rows: pd.Index,
    reason: Message | Sequence[Message],
    column: str | None,
    value: pd.Series | None,
) -> pd.DataFrame:
    """A rejected-rows table for `rows`, all with the same `column`, and one `reason` for
    all or one per row (catalogue keys "rejected.*")."""
    reasons = [reason] * len(rows) if isinstance(reason, Message) else list(reason)
    column_of_reasons = np.empty(len(reasons), dtype=object)
    column_of_reasons[:] = reasons
    return pd.DataFrame(
        {
            "row": np.asarray(rows, dtype="int64"),
            "reason": column_of_reasons,
            "column": column,
            "value": None if value is None else np.asarray(value, dtype=object),
        },
        columns=REJECTED_COLUMNS,
    )


def reason_kind(reason: Message) -> str:
    """The catalogue key of a rejection's kind: the reason's own key, or for a reason with
    figures ("unparseable date '{value}'") its key + ".kind" ("unparseable date")."""
    return f"{reason.key}.kind" if reason.params else reason.key


def detect_identical_rows(
    identical: pd.DataFrame, events: pd.DataFrame, duplicates: Duplicates
) -> tuple[Finding, ...]:
    """The warning on rows equal in every column to an earlier row (`identical`: their `row`
    and the earlier row's number `first`): kept as separate events, or dropped as asked."""
    if identical.empty:
        return ()
    count = len(identical)
    pairs = identical.head(3)
    examples = chain(  # "row 6 = row 5, row 9 = row 8"; row numbers as read
        [
            message("quality.row_pair", row=str(p.row), first=str(p.first))
            for p in pairs.itertuples()
        ],
        "io.list",
    )
    if duplicates == "drop":
        return (
            Finding(
                "identical_rows",
                "info",
                message("quality.identical_rows.drop", count=Count(count), examples=examples),
                count,
                tuple(pairs["row"].tolist()),
            ),
        )
    rows = events["row"].isin(identical["row"])
    return (
        Finding(
            "identical_rows",
            "warning",
            message("quality.identical_rows.keep", count=Count(count), examples=examples),
            count,
            _examples(identical["row"]),
            _examples(events.loc[rows, "case_id"]),
        ),
    )


def check_quality(events: pd.DataFrame, now: pd.Timestamp) -> tuple[Finding, ...]:
    """All warnings on a canonical, sorted event table."""
    checks = (
        detect_identical_timestamps(events),
        detect_end_before_start(events),
        detect_future_dates(events, now),
        detect_old_dates(events),
        *(detect_label_variants(events, column) for column in _LABEL_COLUMNS),
        detect_single_event_cases(events),
        detect_long_cases(events),
    )
    return tuple(finding for finding in checks if finding is not None)


_LABEL_COLUMNS = ("activity", "department", "resource", "channel")


def _examples(values: pd.Series) -> tuple[Any, ...]:  # the column's values: rows or case ids
    return tuple(values.drop_duplicates().head(_EXAMPLES).tolist())


def _event_finding(
    events: pd.DataFrame, flagged: pd.Series, check: str, **params: object
) -> Finding | None:
    """A warning on the flagged events: the message "quality.<check>" with the number of
    events (`count`), of their cases (`cases`), and `params`."""
    if not flagged.any():
        return None
    count, cases = int(flagged.sum()), events.loc[flagged, "case_id"]
    cases_said = message("finding.cases", count=Count(cases.nunique()))
    said = message(f"quality.{check}", count=Count(count), cases=cases_said, **params)
    return Finding(
        check,
        "warning",
        said,
        count,
        _examples(events.loc[flagged, "row"]),
        _examples(cases),
    )


def detect_identical_timestamps(events: pd.DataFrame) -> Finding | None:
    """Events of one case at the very same time: their order is only the file's order."""
    ticks = events["timestamp"].array.asi8  # as integers; NaT, the least, equals no time
    same = ~firsts_of_cases(events["case_id"])
    same[1:] &= (ticks[1:] == ticks[:-1]) & (ticks[1:] != np.iinfo("int64").min)
    return _event_finding(events, pd.Series(same, index=events.index), "identical_timestamps")


def detect_end_before_start(events: pd.DataFrame) -> Finding | None:
    """Events whose end lies before their start."""
    if "start_timestamp" not in events:
        return None
    wrong = events["start_timestamp"] > events["timestamp"]
    return _event_finding(events, wrong, "end_before_start")


def detect_future_dates(events: pd.DataFrame, now: pd.Timestamp) -> Finding | None:
    """Events dated after `now` (their end or their start)."""
    return _event_finding(events, _any_time(events, operator.gt, now), "future_dates", now=now)


def detect_old_dates(events: pd.DataFrame) -> Finding | None:
    """Events dated before 1990: usually a placeholder or a mistyped year."""
    early = _any_time(events, operator.lt, OLDEST_PLAUSIBLE)
    return _event_finding(events, early, "old_dates", oldest=OLDEST_PLAUSIBLE)


def _any_time(
    events: pd.DataFrame,
    compare: Callable[[pd.Series, pd.Timestamp], pd.Series],
    moment: pd.Timestamp,
) -> pd.Series:
    """Events whose end or start (where known) compares so with `moment`: flags only, no
    column of times made."""
    flagged = compare(events["timestamp"], moment)
    if "start_timestamp" in events:
        flagged |= compare(events["start_timestamp"], moment)  # a missing start: never
    return flagged


def detect_label_variants(events: pd.DataFrame, column: str) -> Finding | None:
    """Labels that are probably one label: they differ only by case or spacing, or one is a
    rare misspelling of a common one (see `find_similar_labels`)."""
    if column not in events:
        return None
    counts = events[column].value_counts()  # missing values aside
    counts = counts[counts > 0]  # categories no event has
    counts.index = counts.index.astype(str)
    pairs = find_similar_labels(counts.to_dict())
    if not pairs:
        return None
    described = "; ".join(
        f"'{a}' ({counts[a]}) ~ '{b}' ({counts[b]})" for a, b in pairs[:_EXAMPLES]
    ) + ("; ..." if len(pairs) > _EXAMPLES else ".")
    said = message(
        "quality.label_variants",
        count=Count(len(pairs)),
        role=message(f"quality.label_role.{column}"),
        pairs=described,
    )
    return Finding(f"{column}_label_variants", "warning", said, len(pairs))


TYPO_RATIO = 0.1  # a misspelling is at most a tenth as frequent as the label it misspells
_TOKEN = re.compile(r"[^\W\d_]+|\d+")  # runs of letters, runs of digits


def find_similar_labels(counts: Mapping[str, int]) -> list[tuple[str, str]]:
    """Pairs of labels (with their counts) that are probably one label, the commoner first.

    - Equal up to case and spacing: always a pair, whatever the counts.
    - One edit apart (labels of 5+ letters): a pair only when the rarer is at most a tenth
      as frequent (`TYPO_RATIO`) and the two do not differ as codes do (see
      `differ_as_codes`: 'Release A' ~ 'Release B', 'A_ACCEPTED' ~ 'O_ACCEPTED').

    >>> find_similar_labels({"Intake": 40, "intake ": 30, "Beoordeling": 50,
    ...     "Beoordelnig": 3, "Release A": 60, "Release B": 5, "fsh test": 35, "tsh test": 39})
    [('Intake', 'intake '), ('Beoordeling', 'Beoordelnig')]
    """
    ordered = sorted(counts, key=lambda label: (-counts[label], label))
    pairs: list[tuple[str, str]] = []
    by_key: dict[str, str] = {}
    for label in ordered:
        key = re.sub(r"\s+", "", label.lower())
        if key in by_key:
            pairs.append((by_key[key], label))
        else:
            by_key[key] = label
    near = []
    for a, b in sorted(_one_deletion_apart(key for key in by_key if len(key) >= 5)):
        common, rare = sorted((by_key[a], by_key[b]), key=lambda label: (-counts[label], label))
        if counts[rare] > TYPO_RATIO * counts[common] or differ_as_codes(common, rare):
            continue
        if _within_one_edit(a, b):
            near.append((common, rare))
    return pairs + near


def differ_as_codes(a: str, b: str) -> bool:
    """True when two labels differ only in code-like parts: a single letter or digit, a number,
    or a short upper-case abbreviation, changed, added or removed.

    >>> differ_as_codes("Release A", "Release B"), differ_as_codes("01_HOOFD_101", "01_HOOFD_101b")
    (True, True)
    >>> differ_as_codes("Admission IC", "Admission NC"), differ_as_codes("--Org C", "J-Org C")
    (True, True)
    >>> differ_as_codes("Beoordeling", "Beoordelnig"), differ_as_codes("e-mail", "email")
    (False, False)
    >>> differ_as_codes("Release A", "release b")  # words compared whatever their case
    True
    """
    x, y = _TOKEN.findall(a), _TOKEN.findall(b)
    same = min(len(x), len(y))
    head = next((i for i in range(same) if x[i].lower() != y[i].lower()), same)
    tail = next(
        (i for i in range(same - head) if x[-1 - i].lower() != y[-1 - i].lower()), same - head
    )
    rest = x[head : len(x) - tail] + y[head : len(y) - tail]
    return bool(rest) and all(_code_like(token) for token in rest)


def _code_like(token: str) -> bool:
    return len(token) == 1 or token.isdigit() or (token.isupper() and len(token) <= 3)


def _one_deletion_apart(keys: Iterable[str]) -> set[tuple[str, str]]:
    """Pairs (a < b) that become equal after deleting at most one character from each: every
    pair within one edit is among them, found without comparing every key with every other
    (a log with thousands of resources would otherwise take minutes)."""
    sharing: dict[str, list[str]] = {}
    for key in keys:
        for variant in {key, *(key[:i] + key[i + 1 :] for i in range(len(key)))}:
            sharing.setdefault(variant, []).append(key)
    return {
        (a, b) if a < b else (b, a)
        for group in sharing.values()
        for i, a in enumerate(group)
        for b in group[i + 1 :]
    }


def _within_one_edit(a: str, b: str) -> bool:
    """True when a and b differ by one insertion, deletion, substitution or swap."""
    if a == b:
        return True
    if len(a) > len(b):
        a, b = b, a
    start = 0
    while start < len(a) and a[start] == b[start]:
        start += 1
    if len(a) == len(b):
        rest_a, rest_b = a[start + 1 :], b[start + 1 :]
        swapped = (
            start + 1 < len(a)
            and a[start] == b[start + 1]
            and a[start + 1] == b[start]
            and a[start + 2 :] == b[start + 2 :]
        )
        return rest_a == rest_b or swapped
    return a[start:] == b[start + 1 :]


def detect_single_event_cases(events: pd.DataFrame) -> Finding | None:
    """Cases with only one event: often a fragment of a journey."""
    starts = _case_starts(events["case_id"])
    single = starts[np.diff(starts, append=len(events)) == 1]
    if not len(single):
        return None
    percent = Number(len(single) / len(starts) * 100, 1)
    return Finding(
        "single_event_cases",
        "info",
        message("quality.single_event_cases", count=Count(len(single)), percent=percent),
        len(single),
        cases=tuple(events["case_id"].iloc[single[:_EXAMPLES]].tolist()),
    )


def detect_long_cases(events: pd.DataFrame) -> Finding | None:
    """Cases longer than a year and far beyond the rest (over Q3 + 3 × IQR)."""
    durations = _case_durations(events)
    q1, q3 = durations.quantile(0.25), durations.quantile(0.75)
    limit = max(q3 + 3 * (q3 - q1), LONG_CASE_MIN)
    long = durations[durations > limit]
    if long.empty:
        return None
    median = durations.median().days
    said = message(
        "quality.long_cases",
        count=Count(len(long)),
        limit=str(limit.days),  # whole days, written as durations are: no thousands mark
        median=message("quality.days", count=median, days=str(median)),
        longest=str(long.max().days),
    )
    return Finding(
        "long_cases",
        "warning",
        said,
        len(long),
        cases=tuple(long.sort_values(ascending=False).index[:_EXAMPLES].tolist()),
    )


def _case_durations(events: pd.DataFrame) -> pd.Series:
    """Each case's time from its first to its last event, by case id in the log's order
    (events sorted by case: a case's events are neighbours)."""
    case_id = events["case_id"]
    starts = _case_starts(case_id)
    times = events["timestamp"].dt.tz_localize(None).to_numpy()
    spans = np.maximum.reduceat(times, starts) - np.minimum.reduceat(times, starts)
    return pd.Series(spans, index=pd.Index(case_id.array[starts], name="case_id"))


def _case_starts(case_id: pd.Series) -> np.ndarray:
    """Positions of each case's first event (events sorted by case: a case's are neighbours)."""
    return np.flatnonzero(firsts_of_cases(case_id))
