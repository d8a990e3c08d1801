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
from dataclasses import dataclass, field, replace

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
    takes each, by code point). `starts`: the first and last case start (UTC, no zone)."""

    table: pd.DataFrame
    starts: tuple[pd.Timestamp, pd.Timestamp]

    @property
    def sequences(self) -> list[tuple[str, ...]]:
        return list(self.table["activities"])


def keyed_cases(log: InPlaceLog) -> expr.Table:
    """Each case where the log lives: case_id, key (the md5 of its sequence), start and
    throughput_us."""
    sequences = case_sequences_in_place(log)
    return sequences.select(
        "case_id",
        key=md5(sequences.sequence),
        start=sequences.first_begin,
        throughput_us=sequences.throughput_us,
    )


def variants_in_place(log: InPlaceLog) -> VariantsInPlace:
    """One query: the variants, one row each (the only rows of the cases that come back)."""
    sequences = case_sequences_in_place(log)
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
    return VariantsInPlace(table[["key", "activities", "cases", "first_case"]], starts)


@dataclass(frozen=True)
class ServerCases:
    """The cases of a log in place, where it lives: `per_case` (case_id, variant, start,
    throughput_us, deviations, conforming, fitness, month) and `deviations` (one row per
    deviation of a case, with its case's columns; a conforming case has one row of kind
    ""), both expressions there; `one_case(case_id)`: the deviations of one case, from its
    events only. `aligned`: per variant number its fitness, cost, bwc and approximate. The
    figures are asked in one query, once, and kept."""

    per_case: expr.Table
    deviations: expr.Table
    one_case: Callable[[str], expr.Table]
    aligned: pd.DataFrame
    key: Callable[[expr.Value], expr.Value]
    _kept: dict[str, pd.DataFrame] = field(default_factory=dict, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def all_cases(self) -> pd.DataFrame:
        """Every case, brought here: for a small log (and the tests), not for the figures."""
        columns = ["case_id", "variant", "throughput_us", "start", "deviations"]
        frame = run_in_place(self.per_case.select(*columns))
        return self._case_rows(frame).sort_values("case_id").reset_index(drop=True)

    def all_deviations(self) -> pd.DataFrame:
        """Every deviation, brought here: for a small log (and the tests)."""
        table = self.deviations
        frame = run_in_place(table.filter(table.kind != _CONFORMING).select(*DEVIATION_COLUMNS))
        frame = frame.astype({"case_id": str, "occurrences": "int64"})
        return frame.sort_values(["case_id", "kind", "step"]).reset_index(drop=True)

    def conforming_cases(self) -> int:
        return int(self._figures()["month"]["conforming"].sum())

    def deviation_medians(self) -> pd.DataFrame:
        medians = self._figures()["median"]
        return medians[medians["kind"] != _CONFORMING].reset_index(drop=True)

    def conforming_median(self) -> float:
        medians = self._figures()["median"]
        found = medians.loc[medians["kind"] == _CONFORMING, "median_throughput_s"]
        return float(found.iloc[0]) if len(found) else float("nan")

    def over_time(self) -> pd.DataFrame:
        return self._figures()["month"].copy()

    def by_department(self) -> pd.DataFrame:
        return self._figures()["department"].copy()

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
        rows = self.one_case(case_id)
        frame = run_in_place(rows.filter(rows.kind != _CONFORMING).select(*DEVIATION_COLUMNS))
        frame = frame.astype({"case_id": str, "occurrences": "int64"})
        return frame.sort_values(["kind", "step"]).reset_index(drop=True)

    def _figures(self) -> dict[str, pd.DataFrame]:
        """One query, one pass over the cases there: per month (cases, conforming, the sum
        of fitness), per deviation and for the conforming cases (kind "") the cases and the
        two middle throughputs, per department (occurrences, cases)."""
        with self._lock:
            if not self._kept:
                found = run_in_place(_figures_query(self.per_case, self.deviations))
                self._kept.update(_figures_of(found))
            return self._kept

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
    extra: Callable[[InPlaceLog], Sequence[expr.Table]],
    departments: Mapping[str, str],
) -> ServerCases:
    """The cases where `log` lives, with what `aligned` (per variant number: fitness, cost,
    bwc, approximate, `found`: its deviations as (kind, step, count)) says of their variant,
    and the deviations `extra` finds in a log (tables of case_id, kind, step, occurrences,
    computed there); `departments`: each step's department."""
    facts = aligned.sort_values("variant")

    def build(log: InPlaceLog) -> tuple[expr.Table, expr.Table]:
        return _expressions(log, variants, facts, extra(log), departments)

    def one_case(case_id: str) -> expr.Table:
        """The deviations of one case, from its events only (found there by its id)."""
        narrowed = replace(log, events=log.events.filter(log.events.case_id == case_id))
        return build(narrowed)[1]

    per_case, deviations = build(log)
    return ServerCases(
        per_case=per_case,
        deviations=deviations,
        one_case=one_case,
        aligned=facts[["variant", "fitness", "cost", "bwc", "approximate"]],
        key=lambda value: text_key(log, value),
    )


def _expressions(
    log: InPlaceLog,
    variants: VariantsInPlace,
    facts: pd.DataFrame,
    extra: Sequence[expr.Table],
    departments: Mapping[str, str],
) -> tuple[expr.Table, expr.Table]:
    """Per case of `log` (case_id, variant, start, throughput_us, fitness, month,
    deviations, conforming) and per deviation of a case (its case's columns with kind,
    step, occurrences, department; a conforming case has one row, of kind "")."""
    flows = [_ITEMS.join(f"{k}{_FIELDS}{s}{_FIELDS}{n}" for k, s, n in f) for f in facts["found"]]
    totals = [sum(n for _, _, n in found) for found in facts["found"]]
    cases = keyed_cases(log)
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
    return (
        cases.drop("flow", "flow_count", "extra", "key"),
        rows.drop("flow", "flow_count", "extra", "key", "item"),
    )


def _figures_query(cases: expr.Table, deviations: expr.Table) -> expr.Table:
    """The figures of `_figures` as one table (part, first, second, a, b, c, x): months,
    medians and departments, unioned so that the cases are found there once."""
    text, number, real = expr.null("string"), expr.null("int64"), expr.null("float64")
    months = cases.group_by("month").aggregate(
        cases=cases.count(),
        conforming=expr.ifelse(cases.conforming, 1, 0).sum(),
        fitness=cases.fitness.sum(),
    )
    rows = deviations.select("kind", "step", "case_id", "throughput_us").distinct()
    group = ["kind", "step"]
    counted = rows.mutate(
        at=expr.row_number().over(expr.window(group_by=group, order_by=rows.throughput_us)),
        n=rows.case_id.count().over(expr.window(group_by=group)),
    )
    middle = counted.filter((counted.at == (counted.n - 1) // 2) | (counted.at == counted.n // 2))
    medians = middle.group_by(group).aggregate(
        cases=middle.n.max(), low=middle.throughput_us.min(), high=middle.throughput_us.max()
    )
    named = deviations.filter(deviations.department.notnull())
    departments = named.group_by("department").aggregate(
        deviations=named.occurrences.sum(), cases=named.case_id.nunique()
    )
    parts = [
        (months, "month", months.month, text, months.cases, months.conforming, number,
         months.fitness),
        (medians, "median", medians.kind, medians.step, medians.cases, medians.low,
         medians.high, real),
        (departments, "department", departments.department, text, departments.deviations,
         departments.cases, number, real),
    ]  # fmt: skip
    tables = [
        table.select(
            part=expr.literal(part),
            first=first.cast("string"),
            second=second.cast("string"),
            a=a.cast("int64"),
            b=b.cast("int64"),
            c=c.cast("int64"),
            x=x.cast("float64"),
        )
        for table, part, first, second, a, b, c, x in parts
    ]
    return tables[0].union(*tables[1:])


def _figures_of(found: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The frames of the figures' one table (`_figures_query`)."""
    parts = {part: found[found["part"] == part] for part in ("month", "median", "department")}
    months = parts["month"].sort_values("first")
    cases, conforming = months["a"].astype("int64"), months["b"].astype("int64")
    month = pd.DataFrame(
        {
            "month": months["first"].astype(str),
            "cases": cases,
            "conforming": conforming,
            "rate": conforming / cases,
            "fitness": months["x"].astype("float64") / cases,
        }
    ).reset_index(drop=True)
    medians = parts["median"]
    low = medians["b"].astype("int64") / 1_000_000
    high = medians["c"].astype("int64") / 1_000_000
    median = pd.DataFrame(
        {
            "kind": medians["first"].astype(str),
            "step": medians["second"].astype(str),
            "cases": medians["a"].astype("int64"),
            "median_throughput_s": (low + high) / 2,  # pandas' median of an even count
        }
    ).reset_index(drop=True)
    departments = parts["department"]
    department = pd.DataFrame(
        {
            "department": departments["first"].astype(str),
            "deviations": departments["a"].astype("int64"),
            "cases": departments["b"].astype("int64"),
        }
    ).reset_index(drop=True)
    return {"month": month, "median": median, "department": department}


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
