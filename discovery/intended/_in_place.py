"""Conformance of a log in place: only the variants come back, the cases stay there.

Each case's sequence is found where the log lives and one row per distinct sequence comes
back (`variants_in_place`: its md5 key, activities, cases, first case id and the span of
case starts). The variants are aligned here; what they found goes back to the server as
small literals (`ServerCases`): a CASE numbering each case's variant by its key, and arrays
indexed by that number holding each variant's fitness and flow deviations. A read-only
PostgreSQL takes no table of ours, so no table is made. There every case gets its
deviations (the variant's, and the department, wait and rule checks' rows, computed there
too) and the figures are counted: the conforming cases and months, the medians per
deviation, the departments. Only those small results come back, and the few cases a page
asks for (`cases_with`, `case_deviations`).

Medians are pandas': the server finds the two middle values of each group (whole
microseconds), and their mean is taken here, so the figure equals the local check's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from discovery.engine import expressions as expr
from discovery.engine.in_place import (
    SEPARATOR,
    InPlaceLog,
    case_sequences_in_place,
    md5,
    run_in_place,
    text_key,
)
from discovery.intended._case_figures import CASE_COLUMNS, DEVIATION_COLUMNS

_ITEMS = "\x1e"  # between a case's deviations, as text on the server
_FIELDS = "\x1f"  # between a deviation's kind, step and occurrences
_CONFORMING = ""  # the kind of the one pseudo-deviation of a conforming case


@dataclass(frozen=True)
class VariantsInPlace:
    """The variants of a log in place (`table`: key, activities, cases, first_case; row i
    is variant i, numbered as the local check numbers them: by the first case id that
    takes each, by code point) and each case on the server (`per_case`: case_id, key,
    start, throughput_us). `starts`: the first and last case start (UTC, no zone)."""

    table: pd.DataFrame
    per_case: expr.Table
    starts: tuple[pd.Timestamp, pd.Timestamp]

    @property
    def sequences(self) -> list[tuple[str, ...]]:
        return list(self.table["activities"])


def variants_in_place(log: InPlaceLog) -> VariantsInPlace:
    """One query: the variants, one row each (the only rows of the cases that come back)."""
    sequences = case_sequences_in_place(log)
    per_case = sequences.select(
        "case_id",
        key=md5(sequences.sequence),
        start=sequences.first_begin,
        throughput_us=sequences.throughput_us,
    )
    keyed = sequences.mutate(key=md5(sequences.sequence))
    table = run_in_place(
        keyed.group_by("key").aggregate(
            sequence=keyed.sequence.min(),
            cases=keyed.count(),
            first_case=keyed.case_id.argmin(text_key(log, keyed.case_id)),
            first_start=keyed.first_begin.min(),
            last_start=keyed.first_begin.max(),
        )
    )
    table["first_case"] = table["first_case"].astype(str)
    table = table.sort_values("first_case").reset_index(drop=True)  # code point order
    starts = (pd.Timestamp(table["first_start"].min()), pd.Timestamp(table["last_start"].max()))
    table["activities"] = [tuple(text.split(SEPARATOR)) for text in table["sequence"]]
    table["cases"] = table["cases"].astype("int64")
    return VariantsInPlace(table[["key", "activities", "cases", "first_case"]], per_case, starts)


@dataclass(frozen=True)
class ServerCases:
    """The cases of a log in place, where it lives: `per_case` (case_id, variant, start,
    throughput_us, deviations, conforming, fitness, month) and `deviations` (one row per
    deviation of a case, with its case's columns; a conforming case has one row of kind
    ""), both expressions there. `aligned`: per variant number its fitness, cost, bwc and
    approximate. Each figure is asked once and kept."""

    per_case: expr.Table
    deviations: expr.Table
    aligned: pd.DataFrame
    key: Callable[[expr.Value], expr.Value]
    _kept: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def all_cases(self) -> pd.DataFrame:
        """Every case, brought here: for a small log (and the tests), not for the figures."""
        table = self.per_case
        frame = run_in_place(table.select("case_id", "variant", "throughput_us", "start"))
        frame = frame.assign(
            deviations=run_in_place(table.select("case_id", "deviations"))
            .set_index("case_id")["deviations"]
            .reindex(frame["case_id"])
            .to_numpy()
        )
        return self._case_rows(frame).sort_values("case_id").reset_index(drop=True)

    def all_deviations(self) -> pd.DataFrame:
        """Every deviation, brought here: for a small log (and the tests)."""
        table = self.deviations
        frame = run_in_place(table.filter(table.kind != _CONFORMING).select(*DEVIATION_COLUMNS))
        frame = frame.astype({"case_id": str, "occurrences": "int64"})
        return frame.sort_values(["case_id", "kind", "step"]).reset_index(drop=True)

    def conforming_cases(self) -> int:
        return int(self._months()["conforming"].sum())

    def deviation_medians(self) -> pd.DataFrame:
        medians = self._medians()
        return medians[medians["kind"] != _CONFORMING].reset_index(drop=True)

    def conforming_median(self) -> float:
        medians = self._medians()
        found = medians.loc[medians["kind"] == _CONFORMING, "median_throughput_s"]
        return float(found.iloc[0]) if len(found) else float("nan")

    def over_time(self) -> pd.DataFrame:
        table = self._months().copy()
        table["rate"] = table["conforming"] / table["cases"]
        table["fitness"] = table.pop("fitness_sum") / table["cases"]
        return table[["month", "cases", "conforming", "rate", "fitness"]]

    def by_department(self) -> pd.DataFrame:
        def ask() -> pd.DataFrame:
            rows = self.deviations.filter(self.deviations.department.notnull())
            table = rows.group_by("department").aggregate(
                deviations=rows.occurrences.sum(), cases=rows.case_id.nunique()
            )
            return run_in_place(table).astype({"deviations": "int64", "cases": "int64"})

        return self._once("departments", ask)

    def cases_with(self, kind: str, step: str, top: int | None) -> pd.DataFrame:
        rows = self.deviations
        chosen = rows.filter((rows.kind == kind) & (rows.step == step))
        chosen = chosen.order_by([chosen.throughput_us.desc(), self.key(chosen.case_id)])
        chosen = chosen.limit(top) if top is not None else chosen
        columns = ["case_id", "variant", "throughput_us", "start", "deviations", "occurrences"]
        frame = run_in_place(chosen.select(*columns))
        occurrences = frame.pop("occurrences").astype("int64")
        return self._case_rows(frame).assign(occurrences=occurrences.to_numpy())

    def case_deviations(self, case_id: str) -> pd.DataFrame:
        rows = self.deviations
        one = rows.filter((rows.case_id == case_id) & (rows.kind != _CONFORMING))
        frame = run_in_place(one.select(*DEVIATION_COLUMNS))
        frame = frame.astype({"case_id": str, "occurrences": "int64"})
        return frame.sort_values(["kind", "step"]).reset_index(drop=True)

    def _months(self) -> pd.DataFrame:
        def ask() -> pd.DataFrame:
            table = self.per_case
            months = table.group_by("month").aggregate(
                cases=table.count(),
                conforming=expr.ifelse(table.conforming, 1, 0).sum(),
                fitness_sum=table.fitness.sum(),
            )
            frame = run_in_place(months).astype({"cases": "int64", "conforming": "int64"})
            return frame.sort_values("month").reset_index(drop=True)

        return self._once("months", ask)

    def _medians(self) -> pd.DataFrame:
        """Per deviation (and the conforming cases, kind ""): cases and the median
        throughput, from the two middle values found there."""

        def ask() -> pd.DataFrame:
            rows = self.deviations.select("kind", "step", "case_id", "throughput_us").distinct()
            group = ["kind", "step"]
            ordered = expr.window(group_by=group, order_by=rows.throughput_us)
            counted = rows.mutate(
                at=expr.row_number().over(ordered),
                n=rows.case_id.count().over(expr.window(group_by=group)),
            )
            middle = counted.filter(
                (counted.at == (counted.n - 1) // 2) | (counted.at == counted.n // 2)
            )
            table = middle.group_by(group).aggregate(
                cases=middle.n.max(),
                low=middle.throughput_us.min(),
                high=middle.throughput_us.max(),
            )
            frame = run_in_place(table)
            low = frame.pop("low").astype("int64") / 1_000_000
            high = frame.pop("high").astype("int64") / 1_000_000
            frame["cases"] = frame["cases"].astype("int64")
            frame["median_throughput_s"] = (low + high) / 2  # pandas' median of an even count
            return frame

        return self._once("medians", ask)

    def _once(self, name: str, ask: Callable[[], pd.DataFrame]) -> pd.DataFrame:
        with self._lock:
            if name not in self._kept:
                self._kept[name] = ask()
            kept: pd.DataFrame = self._kept[name]
            return kept

    def _case_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Rows with case_id, variant, throughput_us, start and deviations as `CASE_COLUMNS`."""
        variant = frame["variant"].astype("int64")
        facts = self.aligned.set_index("variant").reindex(variant)
        deviations = frame["deviations"].astype("int64").to_numpy()
        rows = pd.DataFrame(
            {
                "case_id": frame["case_id"].astype(str).to_numpy(),
                "variant": variant.to_numpy(),
                "fitness": facts["fitness"].to_numpy(),
                "cost": facts["cost"].to_numpy(),
                "bwc": facts["bwc"].to_numpy(),
                "approximate": facts["approximate"].to_numpy(),
                "throughput_s": frame["throughput_us"].astype("int64").to_numpy() / 1_000_000,
                "start": pd.to_datetime(frame["start"]).to_numpy(),
                "deviations": deviations,
                "conforming": deviations == 0,
            }
        )
        rows["start"] = rows["start"].dt.tz_localize("UTC")  # the numpy values lost it
        return rows[CASE_COLUMNS]


def server_cases(
    log: InPlaceLog,
    variants: VariantsInPlace,
    aligned: pd.DataFrame,
    extra: Sequence[expr.Table],
    departments: Mapping[str, str],
) -> ServerCases:
    """The cases where `log` lives, with what `aligned` (per variant number: fitness, cost,
    bwc, approximate, `found`: its deviations as (kind, step, count)) says of their variant,
    and the deviations in `extra` (tables of case_id, kind, step, occurrences, computed
    there); `departments`: each step's department."""
    facts = aligned.sort_values("variant")
    flows = [_ITEMS.join(f"{k}{_FIELDS}{s}{_FIELDS}{n}" for k, s, n in f) for f in facts["found"]]
    totals = [sum(n for _, _, n in found) for found in facts["found"]]
    cases = variants.per_case
    by_size = variants.table.sort_values("cases", ascending=False, kind="stable")
    # most cases first: a case's variant is found after a few of the CASE's tests
    number = expr.cases(
        *((cases.key == key, n) for key, n in zip(by_size["key"], by_size.index, strict=True))
    )
    cases = cases.mutate(variant=number.cast("int32"))  # Spark indexes arrays by INT
    flow = expr.literal(flows, type="array<string>")[cases.variant]
    counted = expr.literal(totals, type="array<int64>")[cases.variant]
    fitness = expr.literal([float(f) for f in facts["fitness"]], type="array<float64>")
    cases = cases.mutate(
        flow=flow,
        flow_count=counted,
        fitness=fitness[cases.variant],
        month=_month(cases.start, variants.starts, log.timezone),
    )
    if extra:
        found = extra[0].union(*extra[1:]) if len(extra) > 1 else extra[0]
        text = found.kind + _FIELDS + found.step + _FIELDS + found.occurrences.cast("string")
        per_case = found.group_by("case_id").aggregate(
            extra=text.group_concat(_ITEMS), extra_count=found.occurrences.sum()
        )
        joined = cases.left_join(per_case, "case_id")
        cases = joined.select(
            *(c for c in cases.columns),
            extra=joined.extra,
            deviations=(joined.flow_count + joined.extra_count.fill_null(0)).cast("int64"),
        )
    else:
        cases = cases.mutate(extra=expr.null("string"), deviations=cases.flow_count)
    cases = cases.mutate(conforming=cases.deviations == 0)
    conforming = _FIELDS.join([_CONFORMING, "", "0"])
    items = expr.ifelse(
        cases.conforming,
        expr.literal(conforming),
        expr.ifelse(cases.extra.isnull(), cases.flow, cases.flow + _ITEMS + cases.extra),
    )
    rows = cases.mutate(item=items.split(_ITEMS)).unnest("item")
    rows = rows.filter(rows.item != "")
    fields = rows.item.split(_FIELDS)
    rows = rows.mutate(kind=fields[0], step=fields[1], occurrences=fields[2].cast("int64"))
    rows = rows.mutate(department=_department(rows.step, departments))
    return ServerCases(
        per_case=cases.drop("flow", "flow_count", "extra", "key"),
        deviations=rows.drop("flow", "flow_count", "extra", "key", "item"),
        aligned=facts[["variant", "fitness", "cost", "bwc", "approximate"]],
        key=lambda value: text_key(log, value),
    )


def _department(step: expr.Value, departments: Mapping[str, str]) -> expr.Value:
    if not departments:
        return expr.null("string")
    return expr.cases(*((step == s, d) for s, d in departments.items()), else_=expr.null("string"))


def _month(start: expr.Value, span: tuple[pd.Timestamp, pd.Timestamp], timezone: str) -> expr.Value:
    """A case's month of start in `timezone` ("2025-03"): one CASE over the first instants
    of the months in `span` (UTC, no zone), found here."""
    first, last = (t.tz_localize("UTC").tz_convert(timezone) for t in span)
    months = pd.period_range(first.strftime("%Y-%m"), last.strftime("%Y-%m"), freq="M")
    begins = [
        (
            pd.Timestamp(m.start_time).tz_localize(timezone).tz_convert("UTC").tz_localize(None),
            str(m),
        )
        for m in months
    ]
    later = [(start >= begin, label) for begin, label in reversed(begins[1:])]
    if not later:
        return expr.literal(begins[0][1])
    return expr.cases(*later, else_=expr.literal(begins[0][1]))
