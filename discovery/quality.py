"""The data-quality report: every input row used or rejected, and warnings that drop nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

Severity = Literal["warning", "info"]
REJECTED_COLUMNS = ("row", "reason", "column", "value")
_EXAMPLES = 5
OLDEST_PLAUSIBLE = pd.Timestamp("1990-01-01", tz="UTC")
LONG_CASE_MIN = pd.Timedelta(days=365)


@dataclass(frozen=True)
class Finding:
    """One quality warning: what, how often, and examples to look at."""

    check: str
    severity: Severity
    message: str
    count: int
    rows: tuple[int, ...] = ()
    cases: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "count": self.count,
            "example_rows": list(self.rows),
            "example_cases": list(self.cases),
        }


@dataclass(frozen=True)
class QualityReport:
    """Accounts for every input row: rows_read == rows_used + rows_rejected.

    `rejected` has one row per rejected input row: its row number in the source, the
    reason, the column concerned and the raw value. `merged_rows` are rows used by
    folding them into another event (a lifecycle start joined to its complete).
    """

    source: str
    rows_read: int
    rows_used: int
    rejected: pd.DataFrame
    merged_rows: int = 0
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejected)

    def rejection_counts(self) -> dict[str, int]:
        """Rejected rows per reason, e.g. {"missing case id": 3}."""
        if self.rejected.empty:
            return {}
        kinds = self.rejected["reason"].str.replace(r" '.*'$| of row \d+$", "", regex=True)
        return {str(k): int(v) for k, v in kinds.value_counts().items()}

    def to_dict(self, max_rejected: int = 100) -> dict:
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_used": self.rows_used,
            "rows_rejected": self.rows_rejected,
            "rows_merged": self.merged_rows,
            "rejections_by_reason": self.rejection_counts(),
            "rejected": _records(self.rejected.head(max_rejected)),
            "findings": [finding.to_dict() for finding in self.findings],
            "notes": list(self.notes),
        }


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {key: (None if pd.isna(value) else value) for key, value in record.items()}
        for record in frame.astype(object).to_dict("records")
    ]


def rejected_rows(
    rows: pd.Index, reason: str | pd.Series, column: str | None, value: pd.Series | None
) -> pd.DataFrame:
    """A rejected-rows table for `rows`, all with the same `column`."""
    return pd.DataFrame(
        {
            "row": np.asarray(rows, dtype="int64"),
            "reason": reason if isinstance(reason, str) else np.asarray(reason, dtype=object),
            "column": column,
            "value": None if value is None else np.asarray(value, dtype=object),
        },
        columns=REJECTED_COLUMNS,
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


def _examples(values: pd.Series) -> tuple:
    return tuple(values.drop_duplicates().head(_EXAMPLES).tolist())


def _event_finding(
    events: pd.DataFrame, flagged: pd.Series, check: str, message: str
) -> Finding | None:
    """A warning on the flagged events, `message` formatted with {count} and {cases}."""
    if not flagged.any():
        return None
    count, cases = int(flagged.sum()), events.loc[flagged, "case_id"]
    return Finding(
        check,
        "warning",
        message.format(count=count, cases=cases.nunique()),
        count,
        _examples(events.loc[flagged, "row"]),
        _examples(cases),
    )


def detect_identical_timestamps(events: pd.DataFrame) -> Finding | None:
    """Events of one case at the very same time: their order is only the file's order."""
    same = (events["case_id"] == events["case_id"].shift()) & (
        events["timestamp"] == events["timestamp"].shift()
    )
    return _event_finding(
        events,
        same,
        "identical_timestamps",
        "{count} events share their timestamp with the previous event of the same case "
        "({cases} cases); their order is taken from the file.",
    )


def detect_end_before_start(events: pd.DataFrame) -> Finding | None:
    """Events whose end lies before their start."""
    if "start_timestamp" not in events:
        return None
    wrong = events["start_timestamp"] > events["timestamp"]
    return _event_finding(
        events, wrong, "end_before_start", "{count} events end before they start."
    )


def detect_future_dates(events: pd.DataFrame, now: pd.Timestamp) -> Finding | None:
    """Events dated after `now`."""
    return _event_finding(
        events,
        _latest(events) > now,
        "future_dates",
        f"{{count}} events are dated in the future (after {now:%Y-%m-%d %H:%M} UTC).",
    )


def detect_old_dates(events: pd.DataFrame) -> Finding | None:
    """Events dated before 1990: usually a placeholder or a mistyped year."""
    return _event_finding(
        events,
        _earliest(events) < OLDEST_PLAUSIBLE,
        "old_dates",
        f"{{count}} events are dated before {OLDEST_PLAUSIBLE:%Y}, which is implausible for an "
        "operational log (placeholder dates or mistyped years?).",
    )


def _latest(events: pd.DataFrame) -> pd.Series:
    if "start_timestamp" not in events:
        return events["timestamp"]
    return events["timestamp"].where(
        events["timestamp"] >= events["start_timestamp"], events["start_timestamp"]
    )


def _earliest(events: pd.DataFrame) -> pd.Series:
    if "start_timestamp" not in events:
        return events["timestamp"]
    return (
        events["start_timestamp"]
        .fillna(events["timestamp"])
        .where(
            events["start_timestamp"].fillna(events["timestamp"]) <= events["timestamp"],
            events["timestamp"],
        )
    )


def detect_label_variants(events: pd.DataFrame, column: str) -> Finding | None:
    """Labels that differ only by case, spacing or one typo: probably one label."""
    if column not in events:
        return None
    counts = events[column].dropna().astype(str).value_counts().sort_index()
    counts = counts.sort_values(ascending=False, kind="stable")
    pairs = find_similar_labels(counts.index.tolist())
    if not pairs:
        return None
    described = [f"'{a}' ({counts[a]}) ~ '{b}' ({counts[b]})" for a, b in pairs]
    return Finding(
        f"{column}_label_variants",
        "warning",
        f"{len(pairs)} pair(s) of {column} labels differ only by case, spacing or a small "
        f"typo and may be the same: {'; '.join(described[:_EXAMPLES])}"
        + ("; ..." if len(pairs) > _EXAMPLES else "."),
        len(pairs),
    )


def find_similar_labels(labels: list[str]) -> list[tuple[str, str]]:
    """Pairs of labels equal up to case and spacing, or one edit apart (labels of 5+ letters).

    Labels that differ only in digits ("Lab 1", "Lab 2") are not flagged.

    >>> find_similar_labels(["Intake", "intake ", "Beoordeling", "Beoordelnig", "Lab 1", "Lab 2"])
    [('Intake', 'intake '), ('Beoordeling', 'Beoordelnig')]
    """
    pairs: list[tuple[str, str]] = []
    by_key: dict[str, str] = {}
    for label in labels:
        key = re.sub(r"\s+", " ", label.strip().lower())
        if key in by_key:
            pairs.append((by_key[key], label))
        else:
            by_key[key] = label
    keys = sorted(by_key)
    for i, a in enumerate(keys):
        for b in keys[i + 1 :]:
            if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
                continue
            if re.sub(r"\d", "", a) == re.sub(r"\d", "", b):
                continue
            if _within_one_edit(a, b):
                pairs.append((by_key[a], by_key[b]))
    return pairs


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
    sizes = events["case_id"].value_counts()
    single = sizes[sizes == 1]
    if single.empty:
        return None
    return Finding(
        "single_event_cases",
        "info",
        f"{len(single)} cases ({len(single) / len(sizes):.1%}) have only one event.",
        len(single),
        cases=tuple(single.index[:_EXAMPLES].tolist()),
    )


def detect_long_cases(events: pd.DataFrame) -> Finding | None:
    """Cases longer than a year and far beyond the rest (over Q3 + 3 × IQR)."""
    spans = events.groupby("case_id", sort=False)["timestamp"].agg(["min", "max"])
    durations = spans["max"] - spans["min"]
    q1, q3 = durations.quantile(0.25), durations.quantile(0.75)
    limit = max(q3 + 3 * (q3 - q1), LONG_CASE_MIN)
    long = durations[durations > limit]
    if long.empty:
        return None
    return Finding(
        "long_cases",
        "warning",
        f"{len(long)} cases last implausibly long: over {limit.days} days, far beyond the "
        f"rest (median {durations.median().days} days); the longest lasts "
        f"{long.max().days} days.",
        len(long),
        cases=tuple(long.sort_values(ascending=False).index[:_EXAMPLES].tolist()),
    )
