"""The per-case side of a conformance check: what `Conformance` asks of its cases.

Alignment works on variants; everything that needs each case (its throughput, start,
departments, waits and rules) sits behind `CaseFigures`: `LocalCases` holds them here as
pandas frames, `discovery.intended._in_place.ServerCases` keeps them where a log in place
lives and asks the server for the figures. Medians are pandas' (the mean of the two middle
values), on both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import pandas as pd

from discovery.log.event_log import EventLog
from discovery.log.schema import NO_VALUE

CASE_COLUMNS = [
    "case_id", "variant", "fitness", "cost", "bwc", "approximate",
    "throughput_s", "start", "deviations", "conforming",
]  # fmt: skip
DEVIATION_COLUMNS = ["case_id", "kind", "step", "department", "occurrences"]


class CaseFigures(Protocol):
    """The figures of a check that need its cases."""

    def all_cases(self) -> pd.DataFrame:
        """Every case: `CASE_COLUMNS`, by case id (code point)."""
        ...

    def all_deviations(self) -> pd.DataFrame:
        """Every deviation of every case: `DEVIATION_COLUMNS`, by case id, kind and step."""
        ...

    def conforming_cases(self) -> int:
        """Cases with no deviation of any kind."""
        ...

    def deviation_medians(self) -> pd.DataFrame:
        """Per deviation (kind, step; any order): `cases` with it and their
        `median_throughput_s`."""
        ...

    def conforming_median(self) -> float:
        """The median throughput of the conforming cases (NaN when none conforms)."""
        ...

    def over_time(self) -> pd.DataFrame:
        """By month of case start: month, cases, conforming, rate, fitness (the mean)."""
        ...

    def by_department(self) -> pd.DataFrame:
        """Per department (any order): `deviations` (occurrences) and `cases` with one."""
        ...

    def cases_with(self, kind: str, step: str, top: int | None) -> pd.DataFrame:
        """The cases with deviation (kind, step): their `CASE_COLUMNS` and `occurrences`,
        longest throughput first (ties by case id), the first `top` (None: all)."""
        ...

    def case_deviations(self, case_id: str) -> pd.DataFrame:
        """One case's deviations (`DEVIATION_COLUMNS`), by kind and step."""
        ...


@dataclass(frozen=True)
class LocalCases:
    """The cases of a log here, as frames: `cases` (`CASE_COLUMNS`) and `deviations`
    (`DEVIATION_COLUMNS`); months in `timezone`."""

    cases: pd.DataFrame
    deviations: pd.DataFrame
    timezone: str

    def all_cases(self) -> pd.DataFrame:
        return self.cases

    def all_deviations(self) -> pd.DataFrame:
        return self.deviations

    def conforming_cases(self) -> int:
        return int(self.cases["conforming"].sum())

    def deviation_medians(self) -> pd.DataFrame:
        per_case = self.deviations.drop_duplicates(["case_id", "kind", "step"])
        joined = per_case.merge(self.cases[["case_id", "throughput_s"]], on="case_id")
        return joined.groupby(["kind", "step"], as_index=False, sort=False).agg(
            cases=("case_id", "size"), median_throughput_s=("throughput_s", "median")
        )

    def conforming_median(self) -> float:
        return float(self.cases.loc[self.cases["conforming"], "throughput_s"].median())

    def over_time(self) -> pd.DataFrame:
        months = self.cases["start"].dt.tz_convert(self.timezone).dt.strftime("%Y-%m")
        return self.grouped(months.rename("month"))

    def by_segment(self, log: EventLog, column: str) -> pd.DataFrame:
        """By a case attribute's value (its first value in the case): as `over_time`."""
        if not log.has(column):
            raise ValueError(f"the log has no column '{column}'")
        first = log.events.groupby("case_id", sort=False)[column].first()
        values = self.cases["case_id"].map(first).astype("string").fillna(NO_VALUE)
        return self.grouped(values.rename(column))

    def by_department(self) -> pd.DataFrame:
        return self.deviations.groupby("department", as_index=False, sort=False).agg(
            deviations=("occurrences", "sum"), cases=("case_id", "nunique")
        )

    def cases_with(self, kind: str, step: str, top: int | None) -> pd.DataFrame:
        deviations = self.deviations
        chosen = deviations[(deviations["kind"] == kind) & (deviations["step"] == step)]
        cases = self.cases.merge(chosen[["case_id", "occurrences"]], on="case_id")
        cases = cases.sort_values("throughput_s", ascending=False, kind="stable")
        return (cases if top is None else cases.head(top)).reset_index(drop=True)

    def case_deviations(self, case_id: str) -> pd.DataFrame:
        return self.deviations[self.deviations["case_id"] == case_id]

    def grouped(self, key: pd.Series) -> pd.DataFrame:
        frame = self.cases.assign(**{key.name: key.to_numpy()})
        table = frame.groupby(key.name, as_index=False).agg(
            cases=("case_id", "size"), conforming=("conforming", "sum"), fitness=("fitness", "mean")
        )
        table["rate"] = table["conforming"] / table["cases"]
        return table[[key.name, "cases", "conforming", "rate", "fitness"]]
