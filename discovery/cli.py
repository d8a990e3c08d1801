"""The `journey` command line: the same library, for scripts and repeatable checks."""

# ruff: noqa: E402  (the collection threshold below is set before the heavy imports)

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

# Collections of the youngest generation after 50,000 new objects rather than 700, for the
# one-shot process only (never the library, the app or the tests): see `run`. Set here, before
# the imports below, when the process is `python -m discovery.cli`; `run` sets it otherwise.
_GC_THRESHOLD = (50_000, 20, 100)
if __name__ == "__main__":
    gc.set_threshold(*_GC_THRESHOLD)

import pandas as pd

from discovery._json import SCHEMA_VERSION, JSONValue
from discovery.errors import LogError
from discovery.intended.limits import TIME_BUDGET_S, TIME_LIMIT_S
from discovery.io.sources import masked
from discovery.log.event_log import EventLog, read_event_log
from discovery.report.formats import REPORT_FORMATS, ReportFormat
from discovery.values.timestamps import DEFAULT_TIMEZONE
from discovery.words import (
    MISSING,
    PSEUDO,
    Count,
    Language,
    codes,
    format_count,
    format_duration,
    format_number,
    format_share,
    message,
    say,
)
from discovery.workspace.errors import WorkspaceError

# Each command imports what only it needs, so that starting one loads no other's layers.
if TYPE_CHECKING:
    from discovery.compare.logs import LogComparison
    from discovery.compare.monitor import Monitor, Thresholds
    from discovery.engine.in_place import InPlaceLog
    from discovery.intended.model import IntendedJourney
    from discovery.lens.dropoff import Outcome
    from discovery.lens.journey import JourneyLens
    from discovery.lens.segments import SegmentComparison, SegmentDiscovery
    from discovery.lens.stages import Stages
    from discovery.log.quality import QualityReport
    from discovery.mining.chunked import ChunkedDiscovery
    from discovery.mining.filters import Filter
    from discovery.mining.maps import ProcessMap
    from discovery.mining.summary import LogSummary
    from discovery.report import FileFingerprint
    from discovery.workspace.access import Role
    from discovery.workspace.store import SavedAnalysis, Workspace

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
Output = dict[str, JSONValue] | str  # a command's --json document, or its text


def main(argv: Sequence[str] | None = None) -> int:
    """Run `journey COMMAND ...`; returns the exit code."""
    args = _parser(_asked_language(argv)).parse_args(argv)
    language = args.language
    try:
        if args.command == "workspace":
            output = _workspace(args)
        elif args.command == "monitor" and _names_process(args.file):
            output = _monitor_process(args)
        else:
            found = _read_any(args)
            if isinstance(found, EventLog):
                output = COMMANDS[args.command](found, args)
            else:
                output = IN_PLACE_COMMANDS[args.command](found, args)
        text = output if isinstance(output, str) else json_text(output)  # a dict: --json
    except WorkspaceError as error:  # the workspace is named in the error itself
        print(say("cli.error", language, error=error.say(language)), file=sys.stderr)
        return EXIT_BAD_INPUT
    except LogError as error:
        said = say("cli.error.read", language, file=_shown(args), error=error.say(language))
        print(_unsecret(said, args), file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as error:
        print(_unsecret(say("cli.error", language, error=str(error)), args), file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # never a traceback for the user; say what broke
        kind = type(error).__name__
        file = _shown(args) or args.workspace or ""
        said = say("cli.error.unexpected", language, file=file, kind=kind, error=str(error))
        print(_unsecret(said, args), file=sys.stderr)
        return EXIT_INTERNAL
    try:
        print(text)
    except BrokenPipeError:  # the reader stopped early (| head): not an error
        sys.stdout = None
    return 0


def _shown(args: argparse.Namespace) -> str:
    """The SOURCE as messages show it: a database's password masked."""
    return str(getattr(args, "shown", None) or masked(getattr(args, "file", None) or ""))


def _unsecret(text: str, args: argparse.Namespace) -> str:
    """`text` without the database password, should a driver have quoted it."""
    password = getattr(args, "password", None)
    return text.replace(password, "***") if password else text


def json_text(output: dict[str, JSONValue]) -> str:
    """The `--json` document: `schema_version` first, then `output` (already JSON-ready
    through discovery._json). A NaN or infinity left in it is a bug, and fails loudly."""
    try:
        document = {"schema_version": SCHEMA_VERSION, **output}
        return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError as error:
        raise RuntimeError(f"the JSON output holds a value JSON cannot: {error}") from error


WORKSPACE_PREFIX = "ws:"  # a SOURCE of `ws:ID` is the saved analysis ID of the workspace
NEW_PASSWORD_VARIABLE = "JOURNEY_WORKSPACE_NEW_PASSWORD"  # `journey workspace passwd`'s
WRONG_PASSWORD_DELAY_S = 1.0  # slows guessing down


def _opened_workspace(args: argparse.Namespace) -> Workspace:
    """The workspace of `--workspace`, unlocked where it has a password: the password from
    JOURNEY_WORKSPACE_PASSWORD, else asked for in a terminal (never from the command line,
    which others see in `ps`). Unlocked once per command."""
    from discovery.workspace.access import PASSWORD_VARIABLE
    from discovery.workspace.store import Workspace

    found: Workspace | None = getattr(args, "opened_workspace", None)
    if found is not None:
        return found
    workspace = Workspace(args.workspace)
    if workspace.protected:
        password = os.environ.get(PASSWORD_VARIABLE)
        if password is None and sys.stdin.isatty():
            password = _ask(say("cli.workspace.prompt", args.language, path=workspace.path))
        if password is None:
            said = message("cli.workspace.password_needed", variable=PASSWORD_VARIABLE)
            raise WorkspaceError(said, file=str(workspace.path))
        try:
            workspace.unlock(password)
        except WorkspaceError:
            time.sleep(WRONG_PASSWORD_DELAY_S)
            raise
    args.opened_workspace = workspace
    return workspace


def _ask(prompt: str) -> str:
    import getpass

    return getpass.getpass(prompt)


def _read(args: argparse.Namespace) -> EventLog:
    """The log of SOURCE read here, whatever it is (a database's rows are brought here)."""
    found = _read_any(args, local_only=True)
    assert isinstance(found, EventLog)  # local_only
    return found


def _read_any(args: argparse.Namespace, *, local_only: bool = False) -> EventLog | InPlaceLog:
    """The log of SOURCE: read here, or left where it lives for a command that runs there
    (`discovery._cli_sources`)."""
    if args.file.startswith(WORKSPACE_PREFIX):
        opened = _opened_workspace(args).open_analysis(args.file[len(WORKSPACE_PREFIX) :])
        args.saved = opened.saved
        return _prepared(opened.log, args)
    mapping: dict[str, str] = {}
    for item in args.map:
        role, sep, column = item.partition("=")
        if not sep or not role or not column:
            raise LogError(message("cli.error.map", item=item))
        mapping[role.strip()] = column
    from discovery._cli_sources import read_source, source_of

    spec = source_of(args.file, args.query, args.password_env)
    args.shown, args.password, args.kind = spec.shown, spec.password, spec.kind
    if spec.kind != "file":
        found = read_source(
            spec,
            args.command,
            mapping,
            timezone=args.timezone,
            date_format=args.date_format,
            duplicates="drop" if args.drop_duplicates else "keep",
            local_only=local_only or _only_here(args),
        )
        return _prepared(found, args) if isinstance(found, EventLog) else _in_place(found, args)
    log = read_event_log(
        args.file,
        mapping or None,
        sheet=args.sheet,
        timezone=args.timezone,
        date_format=args.date_format,
        duplicates="drop" if args.drop_duplicates else "keep",
    )
    return _prepared(log, args)


def _only_here(args: argparse.Namespace) -> bool:
    """Whether the command line asks for what only a log read here does: pseudonyms, a
    simplified map, identical rows dropped, a date format given."""
    pseudonyms = args.pseudonymise or args.key_file or args.pseudonymise_column
    simplified = any(getattr(args, name, None) is not None for name in ("activities", "paths"))
    return bool(pseudonyms or args.drop_duplicates or args.date_format) or simplified


def _in_place(log: InPlaceLog, args: argparse.Namespace) -> InPlaceLog:
    """A log in place, filtered as the command line asks (where the rows live)."""
    args.filters = _filters(args, log)
    if not args.filters:
        return log
    from discovery.mining.filters import apply_filters

    return apply_filters(log, args.filters)


def _prepared(log: EventLog, args: argparse.Namespace) -> EventLog:
    """The log read, pseudonymised and filtered as the command line asks."""
    columns = args.pseudonymise_column
    if args.pseudonymise or args.key_file or columns:  # each of them asks for pseudonyms
        from discovery.log.pseudonyms import key_text, new_key, pseudonymise, read_key

        if args.key_file:
            key = read_key(args.key_file)
        else:  # a new key, shown once: the user keeps it for the same pseudonyms next time
            key = new_key()
            said = say("cli.pseudonymise.new_key", args.language, key=key_text(key))
            print(said, file=sys.stderr)
        log = pseudonymise(log, key, columns)
    args.filters = _filters(args, log)
    if not args.filters:
        return log
    from discovery.mining.filters import apply_filters

    return apply_filters(log, args.filters)


def _filters(args: argparse.Namespace, log: EventLog | InPlaceLog) -> list[Filter]:
    """The filters the command line asks for, in the order the app applies them: the period
    (whole days in the log's time zone), case attributes, the top variants, the case
    duration and the departments touched. `inspect` takes none."""
    from discovery.mining.filters import (
        CaseAttribute,
        CaseDuration,
        DepartmentsTouched,
        TimeWindow,
        VariantSelection,
    )

    filters: list[Filter] = []
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since or until:  # an open side is the log's first or last moment
        first, end = _moments(log)
        start = _day(since, log.timezone, args.language) if since else first
        if until:
            end = _day(until, log.timezone, args.language) + pd.Timedelta(days=1, microseconds=-1)
        filters.append(TimeWindow(start, end))
    roles = {column: str(role) for role, column in log.mapping.columns.items()}
    for item in getattr(args, "where", None) or []:
        column, sep, values = item.partition("=")
        if not sep or not column.strip() or not values:
            raise ValueError(say("cli.error.where", args.language, item=item))
        name = roles.get(column.strip(), column.strip())  # the file's header, or the role
        if not log.has(name):
            raise ValueError(say("cli.error.where_column", args.language, column=column))
        filters.append(CaseAttribute(name, tuple(values.split(","))))
    if getattr(args, "top_variants", None):
        filters.append(VariantSelection(top=args.top_variants))
    low, high = getattr(args, "min_days", None), getattr(args, "max_days", None)
    if low or high:
        filters.append(CaseDuration((low or 0.0) * 86400, high * 86400 if high else float("inf")))
    if getattr(args, "department", None):
        filters.append(DepartmentsTouched(tuple(args.department)))
    return filters


def _moments(log: EventLog | InPlaceLog) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The log's first and last event times (UTC), where the rows live for a log in place."""
    if isinstance(log, EventLog):
        moments = log.events["timestamp"]
        return moments.min(), moments.max()
    from discovery.engine.in_place import run_in_place

    times = log.events.timestamp
    row = run_in_place(log.events.aggregate(first=times.min(), last=times.max())).iloc[0]
    first, last = (pd.Timestamp(row[key]) for key in ("first", "last"))
    return first.tz_localize("UTC"), last.tz_localize("UTC")


def _day(text: str, timezone: str, language: Language) -> pd.Timestamp:
    """A date given on the command line (YYYY-MM-DD) as the UTC instant its day begins."""
    try:
        day = pd.Timestamp(dt.date.fromisoformat(text))
    except ValueError:
        raise ValueError(say("cli.error.date", language, text=text)) from None
    return day.tz_localize(timezone).tz_convert("UTC")


def _inspect(log: EventLog | InPlaceLog, args: argparse.Namespace) -> Output:
    from discovery.mining.summary import summarize

    if not isinstance(log, EventLog):
        from discovery._cli_sources import in_place_summary, in_place_text

        figures = in_place_summary(log, args.language)
        return figures if args.json else in_place_text(figures, args.language)

    summary = summarize(log)
    if args.json:
        return inspect_json(summary, log.quality, args.language)
    return inspect_text(summary, log, args.language)


def _chunked(
    log: EventLog | InPlaceLog, args: argparse.Namespace, level: str
) -> ChunkedDiscovery | None:
    """For a Parquet dataset too large to read here and no filter: its map at `level` and
    variants, read a chunk of whole cases at a time (`discover_maps_chunked`: the local
    route's results, many times faster than the same queries in place). Else None."""
    if isinstance(log, EventLog) or getattr(args, "kind", None) != "parquet" or args.filters:
        return None
    from discovery.mining.chunked import discover_maps_chunked

    columns = {str(role): column for role, column in log.mapping.columns.items()}
    return discover_maps_chunked(args.file, (level,), columns=columns, timezone=log.timezone)


def _map(log: EventLog | InPlaceLog, args: argparse.Namespace) -> Output:
    chunked = _chunked(log, args, args.level)
    if chunked is not None:
        process_map = chunked.maps[args.level]
    elif args.activities is None and args.paths is None:
        from discovery.mining.maps import discover_map

        process_map = discover_map(log, args.level)
    else:
        from discovery.mining.simplify import simplify_map

        activities = 1.0 if args.activities is None else args.activities
        paths = 1.0 if args.paths is None else args.paths
        assert isinstance(log, EventLog)  # a simplified map reads the log here (_only_here)
        process_map = simplify_map(log, args.level, activities, paths)
    if args.json:
        return process_map.to_dict()
    if args.dot:
        from discovery.viz.dot import map_dot

        return map_dot(process_map, args.measure, args.language)
    return map_text(process_map, args.language)


def _percent(share: float, language: Language) -> str:
    """A share as a percentage with one decimal: 12.5% / 12,5%."""
    return say("cli.percent", language, value=format_number(share * 100, language, 1))


def _variants(log: EventLog | InPlaceLog, args: argparse.Namespace) -> Output:
    from discovery.mining.variants import discover_variants

    chunked = _chunked(log, args, "activity")
    table = discover_variants(log) if chunked is None else chunked.variants
    if args.json:
        return table.to_dict()
    language = args.language
    cases, share, cumulative, median, activities = (
        say(f"cli.column.{name}", language)
        for name in ("cases", "share", "cumulative", "median", "activities")
    )
    lines = [f"{'#':>4} {cases:>8} {share:>7} {cumulative:>7} {median:>12}  {activities}"]
    for row in table.variants.head(args.top).itertuples():
        lines.append(
            f"{row.variant:>4} {format_count(row.cases, language):>8} "
            f"{_percent(row.share, language):>7} {_percent(row.cumulative_share, language):>7} "
            f"{format_duration(row.throughput_median_s, language):>12}  "
            f"{' → '.join(row.activities)}"
        )
    if len(table.variants) > args.top:
        more = Count(len(table.variants) - args.top)
        lines.append(say("cli.variants.more", language, count=more))
    return "\n".join(lines)


def _bottlenecks(log: EventLog | InPlaceLog, args: argparse.Namespace) -> Output:
    from discovery.mining.bottlenecks import find_bottlenecks

    found = find_bottlenecks(log)
    language = args.language
    if args.json:
        return found.to_dict(language)
    edge_lines = enumerate(found.messages(args.top), 1)
    activity_lines = enumerate(found.activity_messages(args.top), 1)
    return "\n".join(
        [
            say("cli.bottlenecks.edges", language),
            *(f"  {i}. {say(text, language)}" for i, text in edge_lines),
            "",
            say("cli.bottlenecks.activities", language),
            *(f"  {i}. {say(text, language)}" for i, text in activity_lines),
        ]
    )


def _conformance(log: EventLog | InPlaceLog, args: argparse.Namespace) -> Output:
    from discovery.intended.conformance import check_conformance
    from discovery.intended.model import check_against_log
    from discovery.mining.findings import missing_step_message

    journey = _intended(args)
    result = check_conformance(
        log,
        journey,
        time_limit=args.time_limit if args.time_limit > 0 else None,
        progress=_progress_on_stderr(args.language),
        budget=args.time_budget if args.time_budget > 0 else None,
    )
    if args.json:
        return result.to_dict(args.language)
    language = args.language
    fitness, cases, conforming = (
        say(f"cli.conformance.{name}", language) for name in ("fitness", "cases", "conforming")
    )
    rate = _percent(result.conformance_rate, language)
    approximate = result.approximate_message()
    lines = [
        say("cli.conformance.title", language, source=log.source, journey=journey.name),
        f"  {fitness:<19} {format_number(result.fitness, language, 3)}",
        f"  {cases:<19} {format_count(result.n_cases, language)}",
        f"  {conforming:<19} {format_count(result.conforming_cases, language)} ({rate})",
        *([f"  ! {say(approximate, language)}"] if approximate else []),
        "",
        say("cli.conformance.deviations", language),
        *(f"  {i}. {say(text, language)}" for i, text in enumerate(result.messages(args.top), 1)),
    ]
    missing = check_against_log(journey, log)
    for row in missing[missing["events"] == 0].itertuples():
        lines.append(f"  ! {say(missing_step_message(row.step, row.closest), language)}")
    return "\n".join(lines)


def _progress_on_stderr(
    language: Language = "en", after_s: float = 1.0
) -> Callable[[int, int], None]:
    """Reports aligned variants on standard error once work has taken `after_s` seconds:
    one line redrawn on a terminal, a line every 10 seconds otherwise."""
    started = time.monotonic()
    terminal = sys.stderr.isatty()
    shown = [0.0]

    def report(done: int, total: int) -> None:
        elapsed = time.monotonic() - started
        pause = 0.2 if terminal else 10.0
        if elapsed < after_s or (done < total and elapsed - shown[0] < pause):
            return
        shown[0] = elapsed
        text = say(
            "cli.progress",
            language,
            done=Count(done),
            total=Count(total),
            seconds=format_number(elapsed, language, 0),
        )
        ending = "\n" if done == total or not terminal else ""
        print(("\r" if terminal else "") + text, end=ending, file=sys.stderr, flush=True)

    return report


def _lens(log: EventLog | InPlaceLog, args: argparse.Namespace) -> Output:
    from discovery.lens.journey import analyse_journey
    from discovery.lens.segments import compare_segments, discover_segments

    lens = analyse_journey(log, _stages(args), timeout_days=args.timeout_days)
    segments = (
        compare_segments(log, args.segment, lens=lens)
        if args.segment
        else discover_segments(log, lens=lens)
    )
    if args.json:
        return {**lens.to_dict(args.language), "segments": segments.to_dict(args.language)}
    return lens_text(lens, segments, args.language, args.top)


def lens_text(
    lens: JourneyLens,
    segments: SegmentComparison | SegmentDiscovery | None,
    language: Language,
    top: int,
) -> str:
    """The segments that stand out (found, or of the attribute asked for), the
    stage-by-stage journey, the drop-off funnel and moments of truth, as plain text."""
    from discovery.lens.segments import SegmentComparison, SegmentDiscovery

    lines = []
    if isinstance(segments, SegmentDiscovery):
        lines += [*discovered_text(segments, language, top), ""]
    lines += [say("lens.text.stages", language)]
    cases, time, wait = (say(f"lens.text.{key}", language) for key in ("cases", "time", "wait"))
    for row in lens.stages.itertuples():
        lines.append(
            f"  {row.stage:<28} {format_count(row.cases, language):>7} {cases}  "
            f"{time} {format_duration(row.time_median_s, language)}  "
            f"{wait} {format_duration(row.wait_median_s, language)}  "
            f"{', '.join(row.departments)}"
        )
    dropoff = lens.dropoff
    outcomes: tuple[Outcome, ...] = ("completed", "open", "abandoned")
    counts = {outcome: Count(dropoff.count(outcome)) for outcome in outcomes}
    lines += ["", say("lens.text.dropoff", language, **counts)]
    lines += [f"  {say(found, language)}" for found in dropoff.messages(top)]
    moments = lens.moments.moments.head(top) if lens.moments is not None else None
    lines += ["", say("lens.text.moments", language)]
    if moments is None or moments.empty:
        lines.append(f"  {say('lens.text.none_found', language)}")
    else:
        said = (say(moment, language) for moment in moments["message"])
        lines += [f"  {i}. {text}" for i, text in enumerate(said, 1)]
    if isinstance(segments, SegmentComparison):
        differences = segments.differences.head(top)
        lines += ["", say("lens.text.differences_by", language, attribute=segments.attribute)]
        if differences.empty:
            lines.append(f"  {say('lens.text.no_differences', language)}")
        lines += [f"  - {say(difference, language)}" for difference in differences["message"]]
    return "\n".join(lines)


def discovered_text(found: SegmentDiscovery, language: Language, top: int) -> list[str]:
    """The segments that stand out, strongest evidence first, and what was tested."""
    differences = found.differences
    lines = [say("lens.text.standout", language)]
    lines += [f"  - {say(difference, language)}" for difference in differences["message"].head(top)]
    if len(differences) > top:
        more = say("lens.text.more", language, count=Count(len(differences) - top))
        lines.append(f"  {more}")
    names = (
        ", ".join(found.tested)
        if len(found.tested) <= 6
        else say("lens.text.attributes", language, count=Count(len(found.tested)))
    )
    tests = say("lens.text.tests", language, count=Count(len(found.tests)), names=names)
    if not found.tested:
        lines.append(f"  {say('lens.text.untested', language)}")
    elif differences.empty:
        lines.append(f"  {say('lens.text.standout_none', language, tests=tests)}")
    else:
        lines.append(f"  ({tests})")
    return lines


def _report(log: EventLog | InPlaceLog, args: argparse.Namespace) -> Output:
    from discovery.intended.conformance import check_conformance
    from discovery.report import build_report
    from discovery.report.formats import write_report

    language = args.language
    if args.tracers_by == "deviation" and not args.intended:
        raise ValueError(say("report.error.tracers_by_deviation", language))
    journey = _intended(args) if args.intended else None
    stages = _stages(args)
    conformance = None
    if journey is not None:
        conformance = check_conformance(log, journey, progress=_progress_on_stderr(language))
    report = build_report(
        log,
        source=_report_source(args),
        filters=args.filters,
        intended=journey,
        intended_source=args.intended,
        conformance=conformance,
        stages=stages,
        tracers=args.tracers,
        tracers_by=args.tracers_by,
        seed=args.seed,
    )
    format = _report_format(args)
    out = args.output or f"{_stem(args)}-report.{format}"
    try:
        write_report(report, out, format, language)
    except OSError as error:
        raise ValueError(say("cli.error.write", language, file=out, error=str(error))) from None
    if args.json:
        return {
            "report": str(out),
            "format": format,
            "provenance": report.provenance.to_dict(language),
        }
    return say("cli.report.written", language, file=str(out))


def _stem(args: argparse.Namespace) -> str:
    """A report's default name: the file's stem, or the table's name, or `journey`."""
    from discovery.io.sources import parse_source

    if args.file.startswith(WORKSPACE_PREFIX):
        return Path(args.file.removeprefix(WORKSPACE_PREFIX)).stem
    spec = parse_source(args.file, query=args.query)
    if spec.kind == "file":
        return Path(spec.location).stem
    name = spec.table or (
        Path(spec.location.rstrip("/*")).stem if spec.kind != "postgresql" else ""
    )
    return "".join(c for c in name if c.isalnum() or c in "-_.") or "journey"


def _report_source(args: argparse.Namespace) -> str | FileFingerprint:
    """What the report says it was read from: the file, or for `ws:ID` the file the saved
    analysis was read from (its name and SHA-256, as saved)."""
    from discovery.report import FileFingerprint

    saved: SavedAnalysis | None = getattr(args, "saved", None)
    if saved is None and getattr(args, "kind", "file") != "file":
        return FileFingerprint(_shown(args), "")  # rows where they live: no file to hash
    if saved is None:
        return str(args.file)
    return FileFingerprint(saved.source_name or args.file, saved.source_sha256 or "")


def _compare(log: EventLog, args: argparse.Namespace) -> Output:
    """`journey compare A [B] [--split-date D]`: A against B; with one file, its cases that
    started before D against those from D on; with both, A's before D against B's from D."""
    from discovery.compare.logs import compare_logs, compare_periods
    from discovery.compare.periods import split_at

    language = args.language
    if args.other is None and args.split_date is None:
        raise ValueError(say("cli.compare.error.what", language))
    journey = _intended(args) if args.intended else None
    stages = _stages(args)
    days = args.timeout_days
    moment = _day(args.split_date, log.timezone, language) if args.split_date else None
    try:
        if args.other is None:
            assert moment is not None
            comparison = compare_periods(
                log, moment, stages=stages, journey=journey, timeout_days=days
            )
        else:
            other = _read_other(args)
            if moment is not None:
                log, other = split_at(log, moment)[0], split_at(other, moment)[1]
            comparison = compare_logs(
                log, other, stages=stages, journey=journey, timeout_days=days,
                names=(_shown(args), masked(args.other)),
            )  # fmt: skip
    except LogError as error:
        raise ValueError(error.say(language)) from None
    if args.json:
        return comparison.to_dict(language)
    return compare_text(comparison, language, args.top)


def _names_process(source: str) -> bool:
    """Whether `journey monitor SOURCE` names a process: neither `ws:ID` nor a file."""
    return not source.startswith(WORKSPACE_PREFIX) and not Path(source).exists()


def _monitor(log: EventLog, args: argparse.Namespace) -> Output:
    """`journey monitor SOURCE`: one log (a file or `ws:ID`) month by month."""
    journey = _intended(args) if args.intended else None
    return _monitored([log], journey, _stages(args), args)


def _monitor_process(args: argparse.Namespace) -> Output:
    """`journey monitor PROCESS`: the saved analyses of a process (its tag or title)
    merged, month by month."""
    journey = _intended(args) if args.intended else None
    logs, journey, stages = _process_logs(args, journey, _stages(args))
    return _monitored(logs, journey, stages, args)


def _monitored(
    logs: list[EventLog],
    journey: IntendedJourney | None,
    stages: Stages | None,
    args: argparse.Namespace,
) -> Output:
    from discovery.compare.monitor import Thresholds, monitor_logs

    language = args.language
    percent = (None if v is None else v / 100 for v in (args.min_conformance, args.max_drop_off))
    least, most_drop = percent
    thresholds = Thresholds(least, args.max_wait_days, args.max_handoffs, most_drop)
    try:
        found = monitor_logs(
            logs, journey=journey, stages=stages, timeout_days=args.timeout_days, top=args.top
        )
    except LogError as error:
        raise ValueError(error.say(language)) from None
    if args.json:
        return found.to_dict(thresholds)
    return monitor_text(found, thresholds, language)


def _process_logs(
    args: argparse.Namespace, journey: IntendedJourney | None, stages: Stages | None
) -> tuple[list[EventLog], IntendedJourney | None, Stages | None]:
    """The saved analyses whose process tag or title is `args.file`, latest saved first,
    each filtered as asked; the journey and stages given, else the latest saved ones."""
    workspace = _opened_workspace(args)
    name = args.file.strip().casefold()
    chosen = [
        saved
        for saved in workspace.list_analyses()
        if name in {(saved.process or "").strip().casefold(), saved.title.strip().casefold()}
    ]
    if not chosen:
        said = say("cli.monitor.error.none", args.language, process=args.file)
        raise ValueError(f"{said} ({workspace.path})")
    logs = []
    for saved in chosen:
        opened = workspace.open_analysis(saved.id)
        journey = journey or opened.intended
        stages = stages or opened.stages
        logs.append(_prepared(opened.log, args))
    return logs, journey, stages


def monitor_text(monitor: Monitor, thresholds: Thresholds, language: Language) -> str:
    """Month by month, a `!` after each figure over its threshold; the norms; the breaches."""
    breaches = monitor.breaches(thresholds)
    marked = {(r.month, r.figure, r.place) for r in breaches.itertuples()}
    waits = monitor.waits.set_index(["month", "place"])["wait_median_s"]

    def cell(text: str, month: str, figure: str, place: str | None = None) -> str:
        return text + ("!" if (month, figure, place) in marked else " ")

    sources = ", ".join(monitor.sources)
    lines = [say("cli.monitor.title", language, sources=sources, zone=monitor.timezone)]
    if monitor.overlap_cases:
        lines.append(say("cli.monitor.overlap", language, count=Count(monitor.overlap_cases)))
    names = ["month", "cases", "conformance", "handoffs", "drop_off"]
    header = [say(f"cli.monitor.column.{n}", language) for n in names]
    widths = [max(len(p), 12) for p in monitor.places]
    places = " | ".join(f"{p:>{w}} " for p, w in zip(monitor.places, widths, strict=True))
    lines += ["", "  " + "  ".join(f"{h:>12}" for h in header) + "  " + places]
    for row in monitor.months.itertuples():
        month = str(row.month)
        figures = [
            month,
            format_count(int(row.cases), language) + " ",
            cell(format_share(row.conformance, language), month, "conformance"),
            cell(format_number(row.handoffs, language, 2), month, "handoffs"),
            cell(format_share(row.drop_off, language), month, "drop_off"),
        ]
        place_cells = [
            cell(format_duration(waits.get((month, p)), language), month, "wait", p)
            for p in monitor.places
        ]
        shown = " | ".join(f"{c:>{w + 1}}" for c, w in zip(place_cells, widths, strict=True))
        lines.append("  " + "  ".join(f"{f:>12}" for f in figures) + "  " + shown)
    lines += ["", say("cli.monitor.norms", language)]
    for norm in monitor.norms.itertuples():
        lines.append(f"  {norm.place}: {format_duration(norm.max_wait_s, language)}")
    if monitor.norms.empty:
        lines.append(f"  {say('cli.monitor.no_norms', language)}")
    months = breaches["month"].nunique()
    lines += ["", say("cli.monitor.breaches", language, count=Count(months))]
    for r in breaches.itertuples():
        value, limit = (
            format_duration(v, language) if r.figure == "wait"
            else format_share(v, language) if r.figure in ("conformance", "drop_off")
            else format_number(v, language, 2)
            for v in (r.value, r.limit)
        )  # fmt: skip
        figure = say(f"monitor.figure.{r.figure}", language)
        where = f" {r.place}" if r.place else ""
        lines.append(f"  {r.month}  {figure}{where}: {value} ({limit})")
    return "\n".join(lines)


def _read_other(args: argparse.Namespace) -> EventLog:
    """The second log of `compare`, read with the same options and filters as the first."""
    second = argparse.Namespace(**{**vars(args), "file": args.other})
    try:
        return _read(second)
    except LogError as error:
        said = error.say(args.language)
        raise ValueError(
            say("cli.compare.error.read", args.language, file=masked(args.other), error=said)
        ) from None


def compare_text(comparison: LogComparison, language: Language, top: int) -> str:
    """What changed (strongest first), the key figures tested, and the paths new or gone."""
    a, b = (say(name, language) if not isinstance(name, str) else name
            for name in comparison.names)  # fmt: skip
    counts = [Count(n) for n in comparison.cases]
    lines = [
        say("cli.compare.title", language, a=a, b=b, cases_a=counts[0], cases_b=counts[1]),
        "",
        say("cli.compare.changes", language),
        *(f"  {i}. {say(text, language)}" for i, text in enumerate(comparison.sentences(top), 1)),
        "",
        say("cli.compare.kpis", language),
    ]
    figure, in_a, in_b, p = (
        say(f"cli.compare.column.{name}", language) for name in ("figure", "a", "b", "p")
    )
    lines.append(f"  {figure:<48} {in_a:>12} {in_b:>12} {p:>10}")
    for row in comparison.kpis.head(top * 3).itertuples():
        shown = [_kpi_value(value, row.unit, language) for value in (row.a, row.b)]
        mark = " *" if row.highlighted else ""
        lines.append(
            f"  {say(row.label, language):<48} {shown[0]:>12} {shown[1]:>12} "
            f"{p_text(row.p_adjusted, language):>10}{mark}"
        )
    if len(comparison.kpis) > top * 3:
        more = Count(len(comparison.kpis) - top * 3)
        lines.append(f"  {say('lens.text.more', language, count=more)}")
    lines += ["", say("cli.compare.paths", language)]
    changed = comparison.edges[comparison.edges["status"] != "both"]
    if changed.empty:
        lines.append(f"  {say('cli.compare.no_paths', language)}")
    for row in changed.head(top * 2).itertuples():
        status = say(f"compare.map.{row.status}", language)
        counts_text = f"{format_count(row.frequency_a, language)} → "
        counts_text += format_count(row.frequency_b, language)
        lines.append(f"  {status}: {row.source} → {row.target} ({counts_text})")
    return "\n".join(lines)


def p_text(p: float, language: Language) -> str:
    """A p-value with three decimals; below 0.001 as "<0.001" (never "0.000")."""
    return f"<{format_number(0.001, language, 3)}" if p < 0.001 else format_number(p, language, 3)


def _kpi_value(value: float, unit: str, language: Language) -> str:
    if unit == "seconds":
        return format_duration(value, language)
    if unit == "share":
        return _percent(value, language)
    return format_number(value, language, 2)


def _report_format(args: argparse.Namespace) -> ReportFormat:
    """The format asked for, else the output file's suffix, else Excel."""
    if args.format:
        return args.format  # type: ignore[no-any-return]
    suffix = Path(args.output).suffix.lower().lstrip(".") if args.output else ""
    for format in REPORT_FORMATS:
        if suffix == format:
            return format
    return "xlsx"


def _intended(args: argparse.Namespace) -> IntendedJourney:
    from discovery.intended.files import read_intended_journey

    try:
        return read_intended_journey(args.intended)
    except LogError as error:
        said = say("cli.error.intended", args.language, error=error.say(args.language))
        raise ValueError(said) from None


def _stages(args: argparse.Namespace) -> Stages | None:
    """The stages file given with --stages, if any (a bad file said without a traceback)."""
    if not args.stages:
        return None
    from discovery.lens.stages import read_stages

    try:
        return read_stages(args.stages)
    except LogError as error:
        said = say("cli.error.stages", args.language, error=error.say(args.language))
        raise ValueError(said) from None


def _workspace(args: argparse.Namespace) -> Output:
    """`journey workspace list|add|show|delete|passwd`: saved analyses
    (`discovery.workspace`)."""
    workspace = _opened_workspace(args)
    shown = str(workspace.path)
    language = args.language
    if args.action == "passwd":
        return _passwd(workspace, args)
    if args.action == "list":
        found = workspace.list_analyses()
        if args.json:
            return {"workspace": shown, "analyses": [saved.to_dict() for saved in found]}
        return workspace_text(found, shown, language)
    if args.action == "add":
        if workspace.role == "viewer":  # said before the file is read, not after
            raise WorkspaceError(message("workspace.error.viewer"), file=shown)
        stages = _stages(args)
        log = _read(args)
        elsewhere = getattr(args, "kind", "file") != "file"  # no file to hash: its name, masked
        saved_from = None if args.file.startswith(WORKSPACE_PREFIX) or elsewhere else args.file
        found_id = workspace.save_analysis(
            log,
            title=args.title,
            notes=args.notes,
            source=saved_from,
            source_name=_shown(args) if elsewhere else None,
            intended=_intended(args) if args.intended else None,
            stages=stages,
            process=args.process,
        )
        saved = workspace.get(found_id)
        if args.json:
            return {"workspace": shown, "analysis": saved.to_dict()}
        said = say(
            "cli.workspace.added",
            language,
            id=saved.id,
            title=saved.title,
            events=Count(saved.events),
            cases=Count(saved.cases),
        )
        return f"{said}\n{say('cli.workspace.use', language, id=saved.id)}"
    saved = workspace.get(args.id)
    if args.action == "delete":
        workspace.delete(saved.id)
        if args.json:
            return {"workspace": shown, "deleted": saved.to_dict()}
        return say("cli.workspace.deleted", language, id=saved.id, title=saved.title)
    if args.json:
        return {"workspace": shown, "analysis": saved.to_dict()}
    return saved_text(saved, language)


def _passwd(workspace: Workspace, args: argparse.Namespace) -> Output:
    """`journey workspace passwd [--role editor|viewer] [--remove]`: the new password from
    JOURNEY_WORKSPACE_NEW_PASSWORD, else asked twice in a terminal, else the first line of
    standard input. Says the role, never the password."""
    role: Role = args.role
    language = args.language
    password = None if args.remove else _new_password(role, language)
    workspace.set_password(role, password)
    protected = workspace.protected
    if args.json:
        action = "removed" if password is None else "set"
        done: dict[str, JSONValue] = {"role": role, "action": action, "protected": protected}
        return {"workspace": str(workspace.path), "password": done}
    said = say(f"cli.workspace.role.{role}", language)
    if password is not None:
        return say("cli.workspace.password_set", language, role=said, path=workspace.path)
    if not protected:
        return say("cli.workspace.password_removed_all", language, path=workspace.path)
    return say("cli.workspace.password_removed", language, role=said, path=workspace.path)


def _new_password(role: Role, language: Language) -> str:
    given = os.environ.get(NEW_PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    role_said = say(f"cli.workspace.role.{role}", language)
    first = _ask(say("cli.workspace.prompt_new", language, role=role_said))
    if _ask(say("cli.workspace.prompt_again", language)) != first:
        raise ValueError(say("cli.workspace.mismatch", language))
    return first


def workspace_text(found: Sequence[SavedAnalysis], shown: str, language: Language) -> str:
    """The saved analyses as a table: id, saved at, events, cases, period, title."""
    if not found:
        return say("cli.workspace.empty", language, path=shown)
    names = ("id", "saved", "events", "cases", "period", "title")
    id_, saved, events, cases, period, title = (
        say(f"cli.workspace.column.{name}", language) for name in names
    )
    lines = [
        say("cli.workspace.title", language, path=shown),
        f"  {id_:<9} {saved:<17} {events:>10} {cases:>8}  {period:<23}  {title}",
    ]
    for analysis in found:
        days = MISSING
        if analysis.first_event is not None:
            first, last = analysis.first_event, analysis.last_event
            days = say("cli.workspace.days", language, first=first, last=last)
        moment = say("cli.workspace.moment", language, moment=analysis.saved_at)
        lines.append(
            f"  {analysis.id:<9} {moment:<17} {format_count(analysis.events, language):>10} "
            f"{format_count(analysis.cases, language):>8}  {days:<23}  {analysis.title}"
        )
    return "\n".join(lines)


def saved_text(saved: SavedAnalysis, language: Language) -> str:
    """One saved analysis: its title, notes, source and figures."""

    def line(label: str, value: str) -> str:
        return f"  {say(f'cli.workspace.show.{label}', language):<10} {value}"

    period = MISSING
    if saved.first_event is not None:
        first, last = saved.first_event, saved.last_event
        period = say("cli.inspect.period_value", language, first=first, last=last)
    lines = [
        f"{saved.title} ({saved.id})",
        line("saved", say("cli.workspace.moment", language, moment=saved.saved_at)),
        line("source", saved.source_name or ""),
        line("sha256", saved.source_sha256 or ""),
        line("events", format_count(saved.events, language)),
        line("cases", format_count(saved.cases, language)),
        line("period", period),
    ]
    if saved.process:
        lines.append(line("process", saved.process))
    if saved.notes:
        lines.append(line("notes", saved.notes))
    return "\n".join(lines)


COMMANDS: dict[str, Callable[[EventLog, argparse.Namespace], Output]] = {
    "inspect": _inspect,
    "map": _map,
    "variants": _variants,
    "bottlenecks": _bottlenecks,
    "conformance": _conformance,
    "lens": _lens,
    "report": _report,
    "compare": _compare,
    "monitor": _monitor,
}

IN_PLACE_COMMANDS: dict[str, Callable[[EventLog | InPlaceLog, argparse.Namespace], Output]] = {
    "inspect": _inspect,
    "map": _map,
    "variants": _variants,
    "bottlenecks": _bottlenecks,
    "conformance": _conformance,
    "lens": _lens,
    "report": _report,
}
"""The commands that run where the rows live (`discovery._cli_sources.IN_PLACE`)."""


def _asked_language(argv: Sequence[str] | None) -> Language:
    """The language the command line asks for, read before the real parser is built so
    that its help texts are in that language: `--language CODE` (or `--language=CODE`)
    anywhere on the line, else English. Only the command line counts, no environment
    variable. A code without a catalogue gives English here; the real parser then rejects
    it, in English.

    >>> _asked_language(["map", "log.csv", "--language", "nl"]), _asked_language(["-h"])
    ('nl', 'en')
    """
    first = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    first.add_argument("--language")
    try:
        code = first.parse_known_args(argv)[0].language
    except argparse.ArgumentError:  # `--language` without a code: the real parser says so
        return "en"
    return code if code in codes() or code == PSEUDO else "en"


def _language(code: str) -> Language:
    """A language with a catalogue, or the pseudo language (for tests; not offered). Any
    other code is said in English: the code asked for is no language to say it in."""
    if code in codes() or code == PSEUDO:
        return code
    choices = ", ".join(codes())
    raise argparse.ArgumentTypeError(say("cli.error.language", "en", code=code, choices=choices))


def _reading(parser: argparse.ArgumentParser, language: Language) -> argparse._ArgumentGroup:
    """Adds the file and the options that read it, which every command shares; returns the
    options group, for the command's own options. The groups and `--help` are added here,
    not by argparse, so that their titles and help are the catalogue's."""

    def text(name: str) -> str:
        return say(f"cli.help.{name}", language)

    parser.add_argument_group(text("arguments")).add_argument(
        "file", metavar="SOURCE", help=say("source.help.source", language)
    )
    reading = parser.add_argument_group(text("options"))
    reading.add_argument("-h", "--help", action="help", help=text("help"))
    _workspace_option(reading, language)
    reading.add_argument("--query", metavar="SQL", help=say("source.help.query", language))
    reading.add_argument(
        "--password-env",
        metavar="NAME",
        help=say("source.help.password_env", language, variable="JOURNEY_DB_PASSWORD"),
    )
    reading.add_argument("--sheet", help=text("sheet"))
    reading.add_argument(
        "--map", action="append", default=[], metavar="ROLE=COLUMN", help=text("map")
    )
    reading.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        help=say("cli.help.timezone", language, zone=DEFAULT_TIMEZONE),
    )
    reading.add_argument("--date-format", help=text("date_format"))
    reading.add_argument("--drop-duplicates", action="store_true", help=text("drop_duplicates"))
    reading.add_argument("--json", action="store_true", help=text("json"))
    reading.add_argument("--pseudonymise", action="store_true", help=text("pseudonymise"))
    reading.add_argument("--key-file", metavar="FILE", help=text("key_file"))
    reading.add_argument(
        "--pseudonymise-column",
        action="append",
        default=[],
        metavar="COLUMN",
        help=text("pseudonymise_column"),
    )
    reading.add_argument(
        "--language",
        type=_language,
        default="en",
        metavar="{" + ",".join(codes()) + "}",
        help=text("language"),
    )
    return reading


def _parser(language: Language = "en") -> argparse.ArgumentParser:
    """The `journey` parser, its help texts in `language` (see `_asked_language`): the
    description, each command's and option's help, the group titles and `--help` itself.
    argparse's remaining words ("usage:", its error messages) stay English: it takes them
    from `gettext.gettext`, the process-wide default domain, which only compiled files on
    disk and the LANGUAGE environment variable translate, for everything in the process."""

    def text(name: str) -> str:
        return say(f"cli.help.{name}", language)

    parser = argparse.ArgumentParser(
        prog="journey", description=text("description"), add_help=False
    )
    commands = parser.add_subparsers(dest="command", required=True, title=text("commands"))
    parser.add_argument_group(text("options")).add_argument(
        "-h", "--help", action="help", help=text("help")
    )

    def command(name: str) -> argparse._ArgumentGroup:
        group = _reading(
            commands.add_parser(name, help=text(f"command.{name}"), add_help=False), language
        )
        if name != "inspect":
            _filtering(group, language)
        return group

    command("inspect")
    mapping = command("map")
    mapping.add_argument("--level", default="activity", help=text("level"))
    mapping.add_argument("--activities", type=float, help=text("activities"))
    mapping.add_argument("--paths", type=float, help=text("paths"))
    mapping.add_argument("--dot", action="store_true", help=text("dot"))
    mapping.add_argument(
        "--measure", choices=["frequency", "performance"], default="frequency", help=text("measure")
    )
    for name in ("variants", "bottlenecks"):
        command(name).add_argument("--top", type=int, default=10, help=text("top.rows"))
    conformance = command("conformance")
    conformance.add_argument("--intended", required=True, metavar="JOURNEY", help=text("intended"))
    conformance.add_argument("--top", type=int, default=10, help=text("top.deviations"))
    limit, budget = (format_number(s, language, 0) for s in (TIME_LIMIT_S, TIME_BUDGET_S))
    conformance.add_argument(
        "--time-limit",
        type=float,
        default=TIME_LIMIT_S,
        metavar="SECONDS",
        help=say("cli.help.time_limit", language, seconds=limit),
    )
    conformance.add_argument(
        "--time-budget",
        type=float,
        default=TIME_BUDGET_S,
        metavar="SECONDS",
        help=say("cli.help.time_budget", language, seconds=budget),
    )
    lens = command("lens")
    lens.add_argument("--stages", metavar="FILE", help=text("stages"))
    lens.add_argument("--segment", metavar="ATTRIBUTE", help=text("segment"))
    lens.add_argument("--timeout-days", type=float, default=30.0, help=text("timeout_days"))
    lens.add_argument("--top", type=int, default=5, help=text("top.sections"))
    report = command("report")
    report.add_argument("--format", choices=REPORT_FORMATS, help=text("format"))
    report.add_argument("-o", "--output", metavar="OUT", help=text("output"))
    report.add_argument("--intended", metavar="JOURNEY", help=text("intended"))
    report.add_argument("--stages", metavar="FILE", help=text("stages"))
    report.add_argument("--tracers", type=int, default=5, metavar="N", help=text("tracers"))
    report.add_argument(
        "--tracers-by", choices=["variant", "deviation"], default="variant", help=text("tracers_by")
    )
    report.add_argument("--seed", type=int, default=0, help=text("seed"))
    compare = command("compare")
    compare.add_argument("other", nargs="?", metavar="OTHER", help=text("other"))
    compare.add_argument("--split-date", metavar="YYYY-MM-DD", help=text("split_date"))
    compare.add_argument("--intended", metavar="JOURNEY", help=text("intended"))
    compare.add_argument("--stages", metavar="FILE", help=text("stages"))
    compare.add_argument("--timeout-days", type=float, default=30.0, help=text("timeout_days"))
    compare.add_argument("--top", type=int, default=5, help=text("top.changes"))
    monitor = command("monitor")
    monitor.add_argument("--intended", metavar="JOURNEY", help=text("intended"))
    monitor.add_argument("--stages", metavar="FILE", help=text("stages"))
    monitor.add_argument("--timeout-days", type=float, default=30.0, help=text("timeout_days"))
    monitor.add_argument("--top", type=int, default=3, help=text("top.bottlenecks"))
    monitor.add_argument("--min-conformance", type=float, metavar="P", help=text("min_conformance"))
    monitor.add_argument("--max-wait-days", type=float, metavar="D", help=text("max_wait_days"))
    monitor.add_argument("--max-handoffs", type=float, metavar="N", help=text("max_handoffs"))
    monitor.add_argument("--max-drop-off", type=float, metavar="P", help=text("max_drop_off"))
    _workspace_parser(commands, language)
    return parser


def _workspace_option(group: argparse._ArgumentGroup, language: Language) -> None:
    from discovery.workspace.store import ENVIRONMENT

    group.add_argument(
        "--workspace",
        metavar="PATH",
        help=say("cli.help.workspace", language, variable=ENVIRONMENT, default="~/.journey"),
    )


def _workspace_parser(commands: argparse._SubParsersAction, language: Language) -> None:  # type: ignore[type-arg]
    """`journey workspace list|add|show|delete|passwd`."""

    def text(name: str) -> str:
        return say(f"cli.help.{name}", language, variable=NEW_PASSWORD_VARIABLE)

    parser = commands.add_parser("workspace", help=text("command.workspace"), add_help=False)
    parser.add_argument_group(text("options")).add_argument(
        "-h", "--help", action="help", help=text("help")
    )
    actions = parser.add_subparsers(dest="action", required=True, title=text("commands"))
    for name in ("list", "add", "show", "delete", "passwd"):
        action = actions.add_parser(name, help=text(f"workspace.{name}"), add_help=False)
        if name == "add":
            options = _reading(action, language)
            options.add_argument("--title", required=True, help=text("workspace.title"))
            options.add_argument("--notes", default="", help=text("workspace.notes"))
            options.add_argument("--process", help=text("workspace.process"))
            options.add_argument("--intended", metavar="JOURNEY", help=text("intended"))
            options.add_argument("--stages", metavar="FILE", help=text("stages"))
            continue
        if name not in ("list", "passwd"):
            action.add_argument_group(text("arguments")).add_argument(
                "id", metavar="ID", help=text("workspace.id")
            )
        options = action.add_argument_group(text("options"))
        options.add_argument("-h", "--help", action="help", help=text("help"))
        if name == "passwd":
            roles = ("editor", "viewer")
            options.add_argument(
                "--role", choices=roles, default="editor", help=text("workspace.role")
            )
            options.add_argument("--remove", action="store_true", help=text("workspace.remove"))
        _workspace_option(options, language)
        options.add_argument("--json", action="store_true", help=text("json"))
        options.add_argument(
            "--language",
            type=_language,
            default="en",
            metavar="{" + ",".join(codes()) + "}",
            help=text("language"),
        )


def _filtering(group: argparse._ArgumentGroup, language: Language) -> None:
    """The filters every analysis command takes (`_filters` applies them)."""

    def text(name: str) -> str:
        return say(f"cli.help.filter.{name}", language)

    group.add_argument("--from", dest="since", metavar="YYYY-MM-DD", help=text("from"))
    group.add_argument("--to", dest="until", metavar="YYYY-MM-DD", help=text("to"))
    group.add_argument(
        "--where", action="append", default=[], metavar="COLUMN=VALUE[,VALUE]", help=text("where")
    )
    group.add_argument("--top-variants", type=int, metavar="N", help=text("top_variants"))
    group.add_argument("--min-days", type=float, help=text("min_days"))
    group.add_argument("--max-days", type=float, help=text("max_days"))
    group.add_argument(
        "--department", action="append", default=[], metavar="NAME", help=text("department")
    )


def inspect_json(
    summary: LogSummary, quality: QualityReport, language: Language = "en"
) -> dict[str, JSONValue]:
    """The JSON of `journey inspect`: the summary's figures and the quality report, its
    reasons and notes said in `language`."""
    return {**summary.to_dict(), **quality.to_dict(language=language)}


def inspect_text(summary: LogSummary, log: EventLog, language: Language = "en") -> str:
    """The human-readable report of `journey inspect`."""
    quality = log.quality

    def line(label: str, value: int | str) -> str:
        shown = value if isinstance(value, str) else format_count(value, language)
        return f"  {say(f'cli.inspect.{label}', language):<12} {shown}"

    merged = Count(quality.merged_rows)
    identical = "drop" if quality.duplicates == "drop" else "keep"
    lines = [
        f"{summary.source}",
        *(line(label, getattr(summary, label)) for label in (
            "cases", "events", "activities", "departments", "resources")),
        line("period", say("cli.inspect.period_value", language,
                           first=summary.first_event, last=summary.last_event)),
        "",
        say("cli.inspect.rows", language),
        line("read", quality.rows_read),
        line("used", quality.rows_used)
        + (f" {say('cli.inspect.merged', language, count=merged)}" if quality.merged_rows else ""),
        line("rejected", quality.rows_rejected),
        line("identical", quality.identical_rows)
        + f" {say(f'cli.inspect.identical.{identical}', language)}",
    ]  # fmt: skip
    for reason, count in quality.rejection_counts(language).items():
        lines.append(f"    {reason}: {format_count(count, language)}")
    for record in quality.rejected_text(language, 10).itertuples():
        row = str(record.row)  # a row number as the file has it: no thousands mark
        lines.append(
            f"    {say('cli.inspect.rejected_row', language, row=row, reason=record.reason)}"
        )
    if quality.rows_rejected > 10:
        more = Count(quality.rows_rejected - 10)
        lines.append(f"    {say('cli.inspect.more_rejected', language, count=more)}")
    warnings = "cli.inspect.warnings" if quality.findings else "cli.inspect.no_warnings"
    lines += ["", say(warnings, language)]
    lines += [f"  - {say(finding.message, language)}" for finding in quality.findings]
    lines += ["", say("cli.inspect.how_read", language)]
    lines += [f"  - {say(note, language)}" for note in quality.notes]
    return "\n".join(lines)


def map_text(process_map: ProcessMap, language: Language = "en") -> str:
    """A process map as two plain tables."""
    events, cases, name, frequency, wait, path = (
        say(f"cli.column.{column}", language)
        for column in ("events", "cases", "name", "frequency", "median_wait", "path")
    )
    lines = [
        say("cli.map.nodes", language, level=process_map.level),
        f"  {events:>8} {cases:>8}  {name}",
    ]
    lines += [
        f"  {format_count(row.events, language):>8} {format_count(row.cases, language):>8}  "
        f"{row.name}"
        for row in process_map.nodes.itertuples()
    ]
    lines += ["", say("cli.map.edges", language), f"  {frequency:>8} {cases:>8} {wait:>12}  {path}"]
    lines += [
        f"  {format_count(row.frequency, language):>8} {format_count(row.cases, language):>8} "
        f"{format_duration(row.wait_median_s, language):>12}  {row.source} → {row.target}"
        for row in process_map.edges.itertuples()
    ]

    def ends(table: pd.DataFrame) -> str:
        counted = (
            f"{row.name} ({format_count(row.cases, language)})" for row in table.itertuples()
        )
        return ", ".join(counted)

    return "\n".join(
        [
            *lines,
            "",
            say("cli.map.starts", language, names=ends(process_map.starts)),
            say("cli.map.ends", language, names=ends(process_map.ends)),
        ]
    )


def run() -> NoReturn:
    """The `journey` program: `main` on the command line's arguments, then exit.

    The process ends after one command, so the objects the libraries made on import (about
    150,000 for pandas, ibis and DuckDB) are frozen out of Python's full garbage collections,
    which would walk all of them again and again: once during a map, several times at exit
    (about 0.1 s a walk). Frozen once the command's modules are imported, and again at the end.
    The youngest generation is collected after 50,000 new objects rather than 700
    (`_GC_THRESHOLD`): importing the command's modules makes hundreds of thousands, and each
    young collection also ages them towards the full ones.
    """
    gc.set_threshold(*_GC_THRESHOLD)
    gc.freeze()
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
