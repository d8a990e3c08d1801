"""Journey Discovery: event logs in, the real customer journey out.

>>> from discovery import read_event_log, summarize, discover_map
>>> log = read_event_log("sample_logs/hospital.csv")  # doctest: +SKIP
>>> summarize(log).cases, discover_map(log, "department").edges  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from discovery._lazy import lazy_names

if TYPE_CHECKING:  # the names as type checkers and editors see them
    from discovery.compare.logs import LogComparison, compare_logs, compare_periods
    from discovery.compare.monitor import Monitor, Thresholds, merge_logs, monitor_log, monitor_logs
    from discovery.compare.periods import split_at
    from discovery.engine.in_place import InPlaceLog
    from discovery.engine.memory import keep_memory_returnable, release_memory
    from discovery.engine.places import masked_error
    from discovery.engine.routes import LOCAL_LIMIT, bring_here, open_source
    from discovery.errors import LogError
    from discovery.intended.comparison import JourneyComparison, compare_journey
    from discovery.intended.conformance import Conformance, check_conformance
    from discovery.intended.files import journey_from_table, read_intended_journey
    from discovery.intended.model import (
        IntendedJourney,
        Step,
        WaitNorm,
        check_against_log,
        journey_from_model,
        journey_from_variant,
    )
    from discovery.intended.rules import (
        EndsWith,
        FourEyes,
        Precedes,
        Rule,
        StartsWith,
        Within,
        check_rules,
    )
    from discovery.io import RawTable, list_sheets, read_table
    from discovery.io.sources import PASSWORD_VARIABLE, SourceSpec, parse_source
    from discovery.lens.complaints import ComplaintJourneys
    from discovery.lens.dropoff import DropOff
    from discovery.lens.emotion import EmotionCurve
    from discovery.lens.findings import difference_message, dropoff_message
    from discovery.lens.journey import DEFAULT_TIMEOUT_DAYS, JourneyLens, analyse_journey
    from discovery.lens.moments import MomentsOfTruth
    from discovery.lens.segments import (
        SegmentComparison,
        SegmentDiscovery,
        compare_segments,
        discover_segments,
        segment_filter,
        segment_values,
    )
    from discovery.lens.stages import (
        Stages,
        read_stages,
        stages_from_edits,
        stages_from_table,
        suggest_stages,
    )
    from discovery.log.event_log import Duplicates, EventLog, read_event_log, to_event_log
    from discovery.log.pseudonyms import new_key, pseudonym, pseudonymise, read_key
    from discovery.log.quality import Finding, QualityReport
    from discovery.log.schema import NO_VALUE, ROLES, ColumnMapping, Role, detect_roles
    from discovery.mining.bottlenecks import Bottlenecks, find_bottlenecks
    from discovery.mining.cases import (
        CaseTrail,
        find_cases,
        mark_deviations,
        sample_cases,
        trace_case,
    )
    from discovery.mining.chunked import ChunkedDiscovery, discover_maps_chunked
    from discovery.mining.filters import (
        CaseAttribute,
        CaseDuration,
        DepartmentsTouched,
        Endpoints,
        Filter,
        Follows,
        TimeWindow,
        VariantSelection,
        apply_filters,
        attribute_values,
        describe_filters,
        kept_case_ids,
    )
    from discovery.mining.findings import DEVIATION_NAMES, DEVIATION_TITLES
    from discovery.mining.handoffs import HandoffReport, analyse_handoffs
    from discovery.mining.in_place.choices import (
        FilterChoices,
        attribute_choices,
        count_cases,
        filter_choices,
    )
    from discovery.mining.maps import ProcessMap, discover_map
    from discovery.mining.models import ProcessModel, discover_model
    from discovery.mining.selection import ExactVariant, cases_at_node, cases_on_edge
    from discovery.mining.simplify import readable_detail, simplify_map
    from discovery.mining.summary import LogSummary, summarize
    from discovery.mining.timing import Throughput, WorkingHours, analyse_throughput, time_between
    from discovery.mining.variants import (
        CaseVariants,
        VariantTable,
        case_variants,
        discover_variants,
    )
    from discovery.report import (
        REPORT_FORMATS,
        REPORT_MEDIA_TYPES,
        FileFingerprint,
        Provenance,
        Report,
        ReportFormat,
        Tracer,
        build_report,
        fingerprint,
        key_findings,
        provenance,
        report_bytes,
        sample_tracers,
        shadow_case,
        tracer_bytes,
        write_report,
    )
    from discovery.values.timestamps import DEFAULT_TIMEZONE
    from discovery.viz.difference_map import difference_dot
    from discovery.viz.dot import dot_to_svg, map_dot
    from discovery.viz.intended_charts import conformance_trend_figure
    from discovery.viz.journey_map import journey_map_figure
    from discovery.viz.lens_charts import emotion_figure, funnel_figure
    from discovery.viz.mining_charts import (
        department_waiting_figure,
        handoff_matrix_figure,
        throughput_trend_figure,
        variant_coverage_figure,
    )
    from discovery.viz.monitor_charts import monitor_figure
    from discovery.viz.overlay import journey_dot, overlay_dot
    from discovery.viz.timeline import case_timeline_figure
    from discovery.viz.values import value_label
    from discovery.words import (
        Language,
        Message,
        format_count,
        format_date,
        format_duration,
        format_number,
        format_share,
        languages,
        plotly_separators,
        say,
    )
    from discovery.workspace.errors import WorkspaceError
    from discovery.workspace.store import (
        OpenedAnalysis,
        SavedAnalysis,
        Workspace,
        file_sha256,
        workspace_path,
    )

_MODULES = {  # where each public name lives, imported on first use
    "discovery.compare.logs": ("LogComparison", "compare_logs", "compare_periods"),
    "discovery.compare.monitor": (
        "Monitor",
        "Thresholds",
        "merge_logs",
        "monitor_log",
        "monitor_logs",
    ),
    "discovery.compare.periods": ("split_at",),
    "discovery.engine.in_place": ("InPlaceLog",),
    "discovery.engine.memory": ("keep_memory_returnable", "release_memory"),
    "discovery.engine.places": ("masked_error",),
    "discovery.engine.routes": ("LOCAL_LIMIT", "bring_here", "open_source"),
    "discovery.errors": ("LogError",),
    "discovery.intended.comparison": ("JourneyComparison", "compare_journey"),
    "discovery.intended.conformance": ("Conformance", "check_conformance"),
    "discovery.intended.files": ("journey_from_table", "read_intended_journey"),
    "discovery.intended.model": (
        "IntendedJourney",
        "Step",
        "WaitNorm",
        "check_against_log",
        "journey_from_model",
        "journey_from_variant",
    ),
    "discovery.intended.rules": (
        "EndsWith",
        "FourEyes",
        "Precedes",
        "Rule",
        "StartsWith",
        "Within",
        "check_rules",
    ),
    "discovery.io": ("RawTable", "list_sheets", "read_table"),
    "discovery.io.sources": ("PASSWORD_VARIABLE", "SourceSpec", "parse_source"),
    "discovery.lens.complaints": ("ComplaintJourneys",),
    "discovery.lens.dropoff": ("DropOff",),
    "discovery.lens.emotion": ("EmotionCurve",),
    "discovery.lens.findings": ("difference_message", "dropoff_message"),
    "discovery.lens.journey": ("DEFAULT_TIMEOUT_DAYS", "JourneyLens", "analyse_journey"),
    "discovery.lens.moments": ("MomentsOfTruth",),
    "discovery.lens.segments": (
        "SegmentComparison",
        "SegmentDiscovery",
        "compare_segments",
        "discover_segments",
        "segment_filter",
        "segment_values",
    ),
    "discovery.lens.stages": (
        "Stages",
        "read_stages",
        "stages_from_edits",
        "stages_from_table",
        "suggest_stages",
    ),
    "discovery.log.event_log": ("Duplicates", "EventLog", "read_event_log", "to_event_log"),
    "discovery.log.pseudonyms": ("new_key", "pseudonym", "pseudonymise", "read_key"),
    "discovery.log.quality": ("Finding", "QualityReport"),
    "discovery.log.schema": ("NO_VALUE", "ROLES", "ColumnMapping", "Role", "detect_roles"),
    "discovery.mining.bottlenecks": ("Bottlenecks", "find_bottlenecks"),
    "discovery.mining.cases": (
        "CaseTrail",
        "find_cases",
        "mark_deviations",
        "sample_cases",
        "trace_case",
    ),
    "discovery.mining.filters": (
        "CaseAttribute",
        "CaseDuration",
        "DepartmentsTouched",
        "Endpoints",
        "Filter",
        "Follows",
        "TimeWindow",
        "VariantSelection",
        "apply_filters",
        "attribute_values",
        "describe_filters",
        "kept_case_ids",
    ),
    "discovery.mining.findings": ("DEVIATION_NAMES", "DEVIATION_TITLES"),
    "discovery.mining.handoffs": ("HandoffReport", "analyse_handoffs"),
    "discovery.mining.in_place.choices": (
        "FilterChoices",
        "attribute_choices",
        "count_cases",
        "filter_choices",
    ),
    "discovery.mining.chunked": ("ChunkedDiscovery", "discover_maps_chunked"),
    "discovery.mining.maps": ("ProcessMap", "discover_map"),
    "discovery.mining.models": ("ProcessModel", "discover_model"),
    "discovery.mining.selection": ("ExactVariant", "cases_at_node", "cases_on_edge"),
    "discovery.mining.simplify": ("readable_detail", "simplify_map"),
    "discovery.mining.summary": ("LogSummary", "summarize"),
    "discovery.mining.timing": ("Throughput", "WorkingHours", "analyse_throughput", "time_between"),
    "discovery.mining.variants": (
        "CaseVariants",
        "VariantTable",
        "case_variants",
        "discover_variants",
    ),
    "discovery.report": (
        "REPORT_FORMATS",
        "REPORT_MEDIA_TYPES",
        "FileFingerprint",
        "Provenance",
        "Report",
        "ReportFormat",
        "Tracer",
        "build_report",
        "fingerprint",
        "key_findings",
        "provenance",
        "report_bytes",
        "sample_tracers",
        "shadow_case",
        "tracer_bytes",
        "write_report",
    ),
    "discovery.values.timestamps": ("DEFAULT_TIMEZONE",),
    "discovery.viz.dot": ("dot_to_svg", "map_dot"),
    "discovery.viz.intended_charts": ("conformance_trend_figure",),
    "discovery.viz.journey_map": ("journey_map_figure",),
    "discovery.viz.lens_charts": ("emotion_figure", "funnel_figure"),
    "discovery.viz.mining_charts": (
        "department_waiting_figure",
        "handoff_matrix_figure",
        "throughput_trend_figure",
        "variant_coverage_figure",
    ),
    "discovery.viz.difference_map": ("difference_dot",),
    "discovery.viz.monitor_charts": ("monitor_figure",),
    "discovery.viz.overlay": ("journey_dot", "overlay_dot"),
    "discovery.viz.timeline": ("case_timeline_figure",),
    "discovery.viz.values": ("value_label",),
    "discovery.workspace.errors": ("WorkspaceError",),
    "discovery.workspace.store": (
        "OpenedAnalysis",
        "SavedAnalysis",
        "Workspace",
        "file_sha256",
        "workspace_path",
    ),
    "discovery.words": (
        "Language",
        "Message",
        "format_count",
        "format_date",
        "format_duration",
        "format_number",
        "format_share",
        "languages",
        "plotly_separators",
        "say",
    ),
}

__all__ = [
    "DEFAULT_TIMEOUT_DAYS",
    "DEFAULT_TIMEZONE",
    "DEVIATION_NAMES",
    "DEVIATION_TITLES",
    "LOCAL_LIMIT",
    "NO_VALUE",
    "PASSWORD_VARIABLE",
    "REPORT_FORMATS",
    "REPORT_MEDIA_TYPES",
    "ROLES",
    "Bottlenecks",
    "CaseAttribute",
    "CaseDuration",
    "CaseTrail",
    "CaseVariants",
    "ChunkedDiscovery",
    "ColumnMapping",
    "ComplaintJourneys",
    "Conformance",
    "DepartmentsTouched",
    "DropOff",
    "Duplicates",
    "EmotionCurve",
    "Endpoints",
    "EndsWith",
    "EventLog",
    "ExactVariant",
    "FileFingerprint",
    "Filter",
    "FilterChoices",
    "Finding",
    "Follows",
    "FourEyes",
    "HandoffReport",
    "InPlaceLog",
    "IntendedJourney",
    "JourneyComparison",
    "JourneyLens",
    "Language",
    "LogComparison",
    "LogError",
    "LogSummary",
    "Message",
    "MomentsOfTruth",
    "Monitor",
    "OpenedAnalysis",
    "Precedes",
    "ProcessMap",
    "ProcessModel",
    "Provenance",
    "QualityReport",
    "RawTable",
    "Report",
    "ReportFormat",
    "Role",
    "Rule",
    "SavedAnalysis",
    "SegmentComparison",
    "SegmentDiscovery",
    "SourceSpec",
    "Stages",
    "StartsWith",
    "Step",
    "Thresholds",
    "Throughput",
    "TimeWindow",
    "Tracer",
    "VariantSelection",
    "VariantTable",
    "WaitNorm",
    "Within",
    "WorkingHours",
    "Workspace",
    "WorkspaceError",
    "analyse_handoffs",
    "analyse_journey",
    "analyse_throughput",
    "apply_filters",
    "attribute_choices",
    "attribute_values",
    "bring_here",
    "build_report",
    "case_timeline_figure",
    "case_variants",
    "cases_at_node",
    "cases_on_edge",
    "check_against_log",
    "check_conformance",
    "check_rules",
    "compare_journey",
    "compare_logs",
    "compare_periods",
    "compare_segments",
    "conformance_trend_figure",
    "count_cases",
    "department_waiting_figure",
    "describe_filters",
    "detect_roles",
    "difference_dot",
    "difference_message",
    "discover_map",
    "discover_maps_chunked",
    "discover_model",
    "discover_segments",
    "discover_variants",
    "dot_to_svg",
    "dropoff_message",
    "emotion_figure",
    "file_sha256",
    "filter_choices",
    "find_bottlenecks",
    "find_cases",
    "fingerprint",
    "format_count",
    "format_date",
    "format_duration",
    "format_number",
    "format_share",
    "funnel_figure",
    "handoff_matrix_figure",
    "journey_dot",
    "journey_from_model",
    "journey_from_table",
    "journey_from_variant",
    "journey_map_figure",
    "keep_memory_returnable",
    "kept_case_ids",
    "key_findings",
    "languages",
    "list_sheets",
    "map_dot",
    "mark_deviations",
    "masked_error",
    "merge_logs",
    "monitor_figure",
    "monitor_log",
    "monitor_logs",
    "new_key",
    "open_source",
    "overlay_dot",
    "parse_source",
    "plotly_separators",
    "provenance",
    "pseudonym",
    "pseudonymise",
    "read_event_log",
    "read_intended_journey",
    "read_key",
    "read_stages",
    "read_table",
    "readable_detail",
    "release_memory",
    "report_bytes",
    "sample_cases",
    "sample_tracers",
    "say",
    "segment_filter",
    "segment_values",
    "shadow_case",
    "simplify_map",
    "split_at",
    "stages_from_edits",
    "stages_from_table",
    "suggest_stages",
    "summarize",
    "throughput_trend_figure",
    "time_between",
    "to_event_log",
    "trace_case",
    "tracer_bytes",
    "value_label",
    "variant_coverage_figure",
    "workspace_path",
    "write_report",
]


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


if not TYPE_CHECKING:  # type checkers see the imports above; to them any name would do here
    __getattr__ = lazy_names(globals(), _MODULES)
