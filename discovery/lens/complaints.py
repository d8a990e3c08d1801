"""Complaint journeys: how complaints are handled (time, loops) and which earlier
touchpoints precede them.

A complaint is an event at a complaint activity (by default those whose name says
complaint, klacht, bezwaar or objection) or an event flagged in a complaint column. A
case's complaint starts at its first such event; its handling runs from that event's
start to the case's last event.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from discovery.lens._journey_events import JourneyEvents, KnownLog
from discovery.lens._stats import fisher_exact, holm, relative_risk
from discovery.lens.findings import complaint_message
from discovery.log.schema import normalize_header
from discovery.words import Message

COMPLAINT_WORDS = re.compile(r"complaint|klacht|bezwaar|objection", re.IGNORECASE)
COMPLAINT_HEADERS = ("complaint", "klacht", "complaintflag", "klachtvlag", "iscomplaint")


@dataclass(frozen=True)
class ComplaintJourneys:
    """`cases` with a complaint (of `all_cases`); handling time from the first complaint
    event to the case's last event (`handling_median_s`, `handling_mean_s`); `loops`:
    activity, cases, repeats — activities done more than once in complaint cases, from
    the complaint on; `cases_with_loop`. `preceding`: per earlier touchpoint (not a
    complaint activity): touchpoint, cases (that went through it before any complaint),
    complaints_after, rate, other_cases, other_rate (complaint rate of the cases that did
    not go through it first), ratio (rate / other_rate; with a zero count half a case is
    added to each group), p_value (Fisher), p_adjusted (Holm), significant,
    message (a `discovery.words.Message`); highest ratio first."""

    activities: tuple[str, ...]
    cases: int
    all_cases: int
    handling_median_s: float
    handling_mean_s: float
    loops: pd.DataFrame
    cases_with_loop: int
    preceding: pd.DataFrame

    @property
    def share(self) -> float:
        return self.cases / self.all_cases if self.all_cases else 0.0

    def messages(self) -> list[Message]:
        """The touchpoints after which significantly more cases complain, highest ratio
        first, as messages."""
        return list(self.preceding.loc[self.preceding["significant"], "message"])


def detect_complaint_activities(log: KnownLog) -> tuple[str, ...]:
    """The log's activities whose name says complaint, klacht, bezwaar or objection."""
    return tuple(a for a in log.activities if COMPLAINT_WORDS.search(a))


def detect_complaint_column(log: KnownLog) -> str | None:
    """A column flagging complaint events ("complaint", "klacht"), where the log has one."""
    for column in (*log.event_attributes, *log.case_attributes):
        if normalize_header(column) in COMPLAINT_HEADERS:
            return column
    return None


def analyse_complaints(
    events: JourneyEvents,
    activities: Sequence[str],
    *,
    min_group: int = 20,
    alpha: float = 0.05,
) -> ComplaintJourneys | None:
    """Complaint handling and the touchpoints before complaints; None without complaints."""
    cases = events.cases
    complained = cases[cases["complaint_order"].notna()]
    if complained.empty:
        return None
    handling = (complained["end"] - complained["complaint_begin"]).dt.total_seconds()
    visits = events.visits.merge(
        cases[["case_index", "complaint_order"]], on="case_index", how="left"
    )
    after = visits[visits["case_index"].isin(complained["case_index"])]
    after = after[after["first_order"] >= after["complaint_order"]]
    repeated = after[after["occurrences"] > 1]
    loops = (
        repeated.groupby("activity")
        .agg(cases=("case_index", "size"), repeats=("occurrences", lambda s: int((s - 1).sum())))
        .reset_index()
    )
    loops = loops.sort_values("activity").sort_values("cases", ascending=False, kind="stable")
    return ComplaintJourneys(
        activities=tuple(activities),
        cases=len(complained),
        all_cases=len(cases),
        handling_median_s=float(handling.median()),
        handling_mean_s=float(handling.mean()),
        loops=loops.reset_index(drop=True),
        cases_with_loop=int(repeated["case_index"].nunique()),
        preceding=_preceding(visits, len(cases), activities, min_group, alpha),
    )


PRECEDING_COLUMNS = [
    "touchpoint", "cases", "complaints_after", "rate", "other_cases", "other_rate", "ratio",
    "p_value", "p_adjusted", "significant", "message",
]  # fmt: skip


def _preceding(
    visits: pd.DataFrame,
    all_cases: int,
    activities: Sequence[str],
    min_group: int,
    alpha: float,
) -> pd.DataFrame:
    complaint = visits["complaint_order"]
    before = visits[
        ~visits["activity"].isin(activities)
        & (complaint.isna() | (visits["first_order"] < complaint))
    ]
    total_complaints = int(visits.groupby("case_index")["complaint_order"].first().notna().sum())
    table = before.groupby("activity").agg(
        cases=("case_index", "size"), complaints_after=("complaint_order", "count")
    )
    table = table.reset_index().rename(columns={"activity": "touchpoint"})
    table["other_cases"] = all_cases - table["cases"]
    other_hits = total_complaints - table["complaints_after"]
    table = table[(table["cases"] >= min_group) & (table["other_cases"] >= min_group)].copy()
    other_hits = other_hits[table.index]
    table["rate"] = table["complaints_after"] / table["cases"]
    table["other_rate"] = other_hits / table["other_cases"]
    table["ratio"] = [
        relative_risk(int(a), int(n), int(b), int(m))
        for a, n, b, m in zip(
            table["complaints_after"], table["cases"], other_hits, table["other_cases"],
            strict=True,
        )
    ]  # fmt: skip
    table["p_value"] = [
        fisher_exact([[a, n - a], [b, m - b]])
        for a, n, b, m in zip(
            table["complaints_after"], table["cases"], other_hits, table["other_cases"],
            strict=True,
        )
    ]  # fmt: skip
    table["p_adjusted"] = holm(table["p_value"])
    table["significant"] = (table["p_adjusted"] < alpha) & (table["rate"] > table["other_rate"])
    table["message"] = [
        complaint_message(r.touchpoint, r.rate, r.other_rate, int(r.cases))
        for r in table.itertuples()
    ]
    table = table.sort_values("touchpoint").sort_values("ratio", ascending=False, kind="stable")
    return table.reindex(columns=PRECEDING_COLUMNS).reset_index(drop=True)
