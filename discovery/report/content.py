"""A report's content: every result it shows, computed once from one log and its choices,
and laid out as sections of figures, sentences and tables for the renderers.

>>> report = build_report(log, source="hospital.csv", intended=journey)  # doctest: +SKIP
>>> [section.key for section in report.sections()]  # doctest: +SKIP
['summary', 'findings', 'bottlenecks', 'handoffs', 'pingpong', 'variants', ...]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from discovery.engine.in_place import InPlaceLog
from discovery.intended.conformance import Conformance, check_conformance
from discovery.intended.model import IntendedJourney
from discovery.lens.journey import JourneyLens, analyse_journey
from discovery.lens.stages import Stages
from discovery.log.event_log import EventLog
from discovery.mining.bottlenecks import Bottlenecks, find_bottlenecks
from discovery.mining.findings import DEVIATION_NAMES
from discovery.mining.handoffs import HandoffReport, analyse_handoffs
from discovery.mining.maps import ProcessMap, discover_map
from discovery.mining.simplify import readable_detail, simplify_map
from discovery.mining.summary import LogSummary, summarize
from discovery.mining.timing import Throughput, analyse_throughput
from discovery.mining.variants import VariantTable, discover_variants
from discovery.report._provenance import Described, FileFingerprint, Provenance, provenance
from discovery.report.findings import key_findings
from discovery.report.tables import Column, Figure, Table
from discovery.report.tracers import Sampling, Tracer, sample_tracers
from discovery.words import Count, Message, message

__all__ = ["DataQuality", "Report", "Section", "ShownMap", "build_report", "tracer_table"]


@dataclass(frozen=True)
class Section:
    """One part of a report (one sheet of the workbook): its `key` (stable, for file and
    sheet names), headline `figures`, `sentences` and `tables`."""

    key: str
    title: Message
    figures: tuple[Figure, ...] = ()
    sentences: tuple[Message, ...] = ()
    tables: tuple[Table, ...] = ()


@dataclass(frozen=True)
class ShownMap:
    """A map as a report shows it: its caption, the map, and what was left out to keep it
    readable (None when it shows everything)."""

    title: Message
    map: ProcessMap
    note: Message | None = None


@dataclass(frozen=True)
class DataQuality:
    """What the report's data-quality part shows: the rows read, used, rejected (`rejected`:
    row, reason, column, value; a log in place lists no rows, they stay where they live,
    and says its counts per reason in `sentences`), merged and identical, and the
    findings and notes as `sentences`."""

    rows_read: int
    rows_used: int
    rows_rejected: int
    merged_rows: int
    duplicates: str
    identical_rows: int
    rejected: pd.DataFrame
    sentences: tuple[Message, ...]


def data_quality(log: EventLog | InPlaceLog, identical_rows: int) -> DataQuality:
    """The data-quality part of a report on `log` (`identical_rows`: as its provenance
    counted them)."""
    if not isinstance(log, InPlaceLog):
        quality = log.quality
        return DataQuality(
            quality.rows_read,
            quality.rows_used,
            quality.rows_rejected,
            quality.merged_rows,
            quality.duplicates,
            quality.identical_rows,
            quality.rejected,
            (*(finding.message for finding in quality.findings), *quality.notes),
        )
    counts = log.quality
    reasons = (
        ("missing_case_id", counts.missing_case_id),
        ("missing_activity", counts.missing_activity),
        ("missing_timestamp", counts.missing_timestamp),
        ("unparseable_date.kind", counts.unreadable_timestamp),
    )
    counted = sorted((pair for pair in reasons if pair[1]), key=lambda pair: -pair[1])
    sentences = [
        message("source.inspect.in_place", backend=log.place.backend),
        *(
            message("log.reason_count", reason=message(f"rejected.{key}"), count=Count(count))
            for key, count in counted
        ),
        *log.mapping.describe(),
    ]
    if counts.tied_events:
        sentences.append(message("source.note.tied", count=Count(counts.tied_events)))
    return DataQuality(
        counts.rows_read,
        counts.rows_used,
        counts.rows_rejected,
        counts.merged_rows,
        "keep",
        identical_rows,
        pd.DataFrame(columns=["row", "reason", "column", "value"]),
        tuple(sentences),
    )


@dataclass(frozen=True)
class Report:
    """Everything one report shows, for one log with its filters (`provenance` says which).

    The maps are the readable ones (about 20 nodes and 40 paths, as the app opens them);
    `department_map` is None for a log without departments; `conformance` None without an
    intended journey; `lens` (the journey by stage, with its drop-off) None without stages.
    `log` is the log read here, or the log in place (`InPlaceLog`) the figures were
    computed on where it lives; `quality` what the data-quality part shows (from the
    log's quality report where not given)."""

    provenance: Provenance
    summary: LogSummary
    throughput: Throughput
    findings: tuple[Message, ...]
    bottlenecks: Bottlenecks
    handoffs: HandoffReport
    variants: VariantTable
    activity_map: ProcessMap
    department_map: ProcessMap | None
    conformance: Conformance | None
    tracers: tuple[Tracer, ...]
    log: EventLog | InPlaceLog
    lens: JourneyLens | None = None
    quality: DataQuality | None = None

    def maps(self) -> tuple[ShownMap, ...]:
        """The process map, and the department map where the log has departments, each
        with a note saying how many of the log's nodes it shows where it leaves some out."""
        shown = [(self.activity_map, "activity", self.summary.activities)]
        if self.department_map is not None:
            shown.append((self.department_map, "department", self.summary.departments))
        return tuple(
            ShownMap(
                message(f"report.map.{level}"),
                process_map,
                message(f"report.map.readable.{level}", nodes=len(process_map.nodes), all=total)
                if len(process_map.nodes) < total
                else None,
            )
            for process_map, level, total in shown
        )

    def sections(self) -> tuple[Section, ...]:
        """The report's parts in order: summary, findings, bottlenecks, handoffs, ping-pong
        and rework, variants, deviations, conformance per month, data quality. (The maps
        and the tracer cases are drawn by each renderer its own way.) The journey's stages
        come after the variants where the report has stages."""
        stages = () if self.lens is None else (self._stages(self.lens),)
        return (
            self._summary(),
            Section("findings", message("report.section.findings"), sentences=self.findings),
            self._bottlenecks(),
            self._handoffs(),
            self._pingpong(),
            self._variants(),
            *stages,
            self._deviations(),
            self._conformance_months(),
            self._quality(),
        )

    def _summary(self) -> Section:
        summary, conformance = self.summary, self.conformance
        figures = [
            Figure(message("metric.cases"), summary.cases),
            Figure(message("metric.events"), summary.events),
            Figure(message("report.figure.activities"), summary.activities),
            Figure(message("report.figure.departments"), summary.departments),
            Figure(message("report.figure.resources"), summary.resources),
            Figure(message("report.figure.first_event"), summary.first_event, "datetime"),
            Figure(message("report.figure.last_event"), summary.last_event, "datetime"),
            Figure(message("metric.throughput"), self.throughput.median_s, "duration"),
            Figure(message("report.figure.variants"), len(self.variants.variants)),
        ]
        if summary.departments:
            figures += [
                Figure(
                    message("metric.handoffs"), self.handoffs.mean_per_case("handoffs"), "number"
                ),
                Figure(
                    message("report.figure.handed_over"),
                    self.handoffs.share_of_cases("handoffs"),
                    "share",
                ),
            ]
        if conformance is not None:
            figures += [
                Figure(message("metric.conformance"), conformance.conformance_rate, "share"),
                Figure(message("report.figure.fitness"), conformance.fitness, "number"),
            ]
        return Section("summary", message("report.section.summary"), figures=tuple(figures))

    def _bottlenecks(self) -> Section:
        edges = Table(
            message("report.table.waits_between"),
            (
                Column("source", "col.source"),
                Column("target", "col.target"),
                Column("frequency", "col.frequency", "count"),
                Column("cases", "col.cases", "count"),
                Column("wait_median_s", "col.median_wait", "duration"),
                Column("wait_mean_s", "col.mean_wait", "duration"),
                Column("wait_total_s", "col.total_wait", "duration"),
                Column("share", "col.share_of_waiting", "share"),
            ),
            self.bottlenecks.edges,
        )
        steps = Table(
            message("report.table.waits_before"),
            (
                Column("activity", "col.activity"),
                Column("department", "col.department"),
                Column("events", "col.events", "count"),
                Column("cases", "col.cases", "count"),
                Column("wait_median_s", "col.median_wait", "duration"),
                Column("wait_total_s", "col.total_wait", "duration"),
                Column("share", "col.share_of_waiting", "share"),
            ),
            self.bottlenecks.activities,
        )
        return Section(
            "bottlenecks",
            message("report.section.bottlenecks"),
            sentences=tuple(self.bottlenecks.messages(5)),
            tables=(edges, steps),
        )

    def _handoffs(self) -> Section:
        square = self.handoffs.square_matrix()
        matrix = Table(
            message("report.table.handoff_matrix"),
            (
                Column("department", "report.column.from_to"),
                *(Column(str(name), str(name), "count", text=True) for name in square.columns),
            ),
            square.reset_index(names="department"),
        )
        waiting = Table(
            message("report.table.waiting_by_department"),
            (
                Column("department", "col.department"),
                Column("waiting_s", "col.total_wait", "duration"),
                Column("share", "col.share_of_waiting", "share"),
            ),
            self.handoffs.waiting_by_department,
        )
        return Section(
            "handoffs",
            message("report.section.handoffs"),
            tables=(matrix, waiting) if len(square) else (),
            sentences=() if len(square) else (message("report.no_departments"),),
        )

    def _pingpong(self) -> Section:
        pairs = (
            Column("first", "col.first"),
            Column("second", "col.second"),
            Column("occurrences", "col.occurrences", "count"),
            Column("cases", "col.cases", "count"),
        )
        handoffs = self.handoffs
        return Section(
            "pingpong",
            message("report.section.pingpong"),
            tables=(
                Table(message("report.table.pingpong"), pairs, handoffs.pingpong),
                Table(message("report.table.resource_pingpong"), pairs, handoffs.resource_pingpong),
                Table(
                    message("report.table.rework"),
                    (
                        Column("activity", "col.activity"),
                        Column("cases", "col.cases", "count"),
                        Column("repeats", "col.repeats", "count"),
                    ),
                    handoffs.rework,
                ),
            ),
        )

    def _variants(self) -> Section:
        variants = self.variants.variants
        rows = variants.assign(path=[" → ".join(steps) for steps in variants["activities"]])
        return Section(
            "variants",
            message("report.section.variants"),
            tables=(
                Table(
                    message("report.section.variants"),
                    (
                        Column("variant", "col.variant", "count"),
                        Column("cases", "col.cases", "count"),
                        Column("share", "col.share", "share"),
                        Column("cumulative_share", "col.cumulative", "share"),
                        Column("length", "col.steps", "count"),
                        Column("throughput_median_s", "col.throughput", "duration"),
                        Column("path", "col.path"),
                    ),
                    rows,
                ),
            ),
        )

    def _stages(self, lens: JourneyLens) -> Section:
        stages = lens.stages.assign(departments=[", ".join(d) for d in lens.stages["departments"]])
        return Section(
            "stages",
            message("report.section.stages"),
            sentences=tuple(lens.dropoff.messages(5)),
            tables=(
                Table(
                    message("report.section.stages"),
                    (
                        Column("stage", "col.stage"),
                        Column("cases", "col.cases", "count"),
                        Column("share", "col.share", "share"),
                        Column("time_median_s", "col.stage_time", "duration"),
                        Column("wait_median_s", "col.wait_before_stage", "duration"),
                        Column("departments", "col.departments"),
                    ),
                    stages,
                ),
                Table(
                    message("report.table.dropoff"),
                    (
                        Column("stage", "col.stage"),
                        Column("reached", "col.reached", "count"),
                        Column("abandoned", "report.column.abandoned", "count"),
                        Column("open", "report.column.open", "count"),
                        Column("drop_rate", "col.drop_rate", "share"),
                        Column("wait_before_median_s", "col.wait_before_dropping", "duration"),
                    ),
                    lens.dropoff.by_stage,
                ),
            ),
        )

    def _deviations(self) -> Section:
        conformance = self.conformance
        title = message("report.section.deviations")
        if conformance is None:
            return Section("deviations", title, sentences=(message("report.no_intended"),))
        ranking = conformance.ranking(by="time")
        named = ranking.assign(
            kind=[DEVIATION_NAMES[kind] for kind in ranking["kind"]],
            step=[
                conformance.step_name(k, s)
                for k, s in zip(ranking["kind"], ranking["step"], strict=True)
            ],
        )
        approximate = conformance.approximate_message()
        return Section(
            "deviations",
            title,
            sentences=(
                message("report.deviations_intro", journey=conformance.journey.name),
                *([approximate] if approximate else []),
            ),
            tables=(
                Table(
                    title,
                    (
                        Column("kind", "col.kind"),
                        Column("step", "col.step"),
                        Column("cases", "col.cases", "count"),
                        Column("share", "col.share", "share"),
                        Column("median_throughput_s", "col.case_throughput", "duration"),
                        Column("time_cost_s", "col.time_cost", "duration"),
                    ),
                    named,
                ),
            ),
        )

    def _conformance_months(self) -> Section:
        conformance = self.conformance
        title = message("report.section.conformance_months")
        if conformance is None:
            return Section("conformance", title, sentences=(message("report.no_intended"),))
        return Section(
            "conformance",
            title,
            tables=(
                Table(
                    title,
                    (
                        Column("month", "report.column.month", "month"),
                        Column("cases", "col.cases", "count"),
                        Column("conforming", "report.column.conforming", "count"),
                        Column("rate", "metric.conformance", "share"),
                        Column("fitness", "report.figure.fitness", "number"),
                    ),
                    conformance.over_time(),
                ),
            ),
        )

    def _quality(self) -> Section:
        quality = self.quality
        if quality is None:
            quality = data_quality(self.log, self.provenance.identical_rows)
        figures = (
            Figure(message("report.figure.rows_read"), quality.rows_read),
            Figure(message("report.figure.rows_used"), quality.rows_used),
            Figure(message("report.figure.rows_rejected"), quality.rows_rejected),
            Figure(message("report.figure.rows_merged"), quality.merged_rows),
            Figure(
                message(f"report.figure.identical.{quality.duplicates}"), quality.identical_rows
            ),
        )
        rejected = Table(
            message("report.table.rejected"),
            (
                Column("row", "report.column.row", "count"),
                Column("reason", "report.column.reason"),
                Column("column", "report.column.column"),
                Column("value", "report.column.value"),
            ),
            quality.rejected,
        )
        return Section(
            "quality",
            message("report.section.quality"),
            figures=figures,
            sentences=quality.sentences,
            tables=(rejected,),
        )


def tracer_table(tracer: Tracer) -> Table:
    """A tracer case's trail: one row per step, its waits, handoffs, rework and the
    deviations marked on it."""
    trail = tracer.trail
    events = trail.events
    marks = trail.deviations or ((),) * len(events)
    rows = events.assign(
        handoff=[message("yes") if flag else "" for flag in events["handoff"]],
        rework=[message("yes") if flag else "" for flag in events["rework"]],
        deviation=[_listed(kinds) for kinds in marks],
    )
    columns = [
        Column("step", "col.step", "count"),
        Column("activity", "col.activity"),
        Column("department", "col.department"),
        Column("resource", "col.resource"),
        Column("channel", "report.column.channel"),
        Column("begin", "col.begin", "datetime"),
        Column("end", "col.end", "datetime"),
        Column("service_s", "col.service", "duration"),
        Column("wait_before_s", "col.wait_before", "duration"),
        Column("handoff", "col.handoff"),
        Column("rework", "col.rework"),
        Column("deviation", "report.column.deviations"),
    ]
    present = [c for c in columns if c.name in rows and rows[c.name].notna().any()]
    return Table(message("report.table.trail", case=trail.case_id), tuple(present), rows)


def _listed(kinds: Sequence[str]) -> str | Message:
    if not kinds:
        return ""
    joined: str | Message = DEVIATION_NAMES[kinds[0]]
    for kind in kinds[1:]:
        joined = message("io.list", first=joined, then=DEVIATION_NAMES[kind])
    return joined


def _readable(log: EventLog | InPlaceLog, level: str, full: ProcessMap | None = None) -> ProcessMap:
    """The map of `level` as the app opens it: about 20 nodes and 40 paths."""
    full = full if full is not None else discover_map(log, level)
    activities, paths = readable_detail(log, level, full=full)
    return simplify_map(log, level, activities, paths, full=full)


def build_report(
    log: EventLog | InPlaceLog,
    *,
    source: str | Path | bytes | FileFingerprint,
    filters: Sequence[Described] = (),
    intended: IntendedJourney | None = None,
    intended_source: str | Path | FileFingerprint | None = None,
    conformance: Conformance | None = None,
    stages: Stages | None = None,
    tracers: int = 5,
    tracers_by: Sampling = "variant",
    seed: int = 0,
    made_at: dt.datetime | None = None,
) -> Report:
    """The report on `log` (already filtered by `filters`), read from `source` (a path or
    the bytes read), checked against the `intended` journey read from `intended_source`
    (its check is made here unless `conformance` is given), with the journey by `stages`
    where given, and `tracers` tracer cases drawn `tracers_by` variant or deviation with
    `seed`.

    A log in place (`InPlaceLog`) is analysed where it lives: every figure and table is
    computed there, and only small results (and the tracer cases' events) come here."""
    if conformance is None and intended is not None:
        conformance = check_conformance(log, intended)
    summary = summarize(log)
    made = provenance(
        log, source=source, filters=filters, intended=intended_source, made_at=made_at
    )
    full = discover_map(log, "activity")
    bottlenecks = find_bottlenecks(log, full)
    handoffs = analyse_handoffs(log)
    variants = discover_variants(log)
    findings = key_findings(
        bottlenecks, handoffs, variants, conformance, departments=bool(summary.departments)
    )
    return Report(
        provenance=made,
        summary=summary,
        throughput=analyse_throughput(log, cases=False),  # the trend and median suffice
        findings=tuple(findings),
        bottlenecks=bottlenecks,
        handoffs=handoffs,
        variants=variants,
        activity_map=_readable(log, "activity", full),
        department_map=_readable(log, "department") if log.has("department") else None,
        conformance=conformance,
        tracers=sample_tracers(
            log,
            conformance,
            count=tracers,
            by=tracers_by,
            seed=seed,
            case_attributes=summary.case_attributes,
        )
        if tracers > 0 and summary.cases
        else (),
        log=log,
        lens=None if stages is None else analyse_journey(log, stages),
        quality=data_quality(log, made.identical_rows),
    )
