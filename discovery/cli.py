"""The `journey` command line: the same library, for scripts and repeatable checks."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from discovery.errors import LogError
from discovery.log import EventLog, read_event_log
from discovery.quality import QualityReport
from discovery.summary import LogSummary, summarize
from discovery.timestamps import DEFAULT_TIMEZONE

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run `journey COMMAND ...`; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        log = _read(args)
    except LogError as error:
        print(f"journey: cannot read {args.file}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except Exception as error:  # never a traceback for the user; say what broke
        print(
            f"journey: unexpected error while reading {args.file}: "
            f"{type(error).__name__}: {error}. Please report this with the file's layout.",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    summary = summarize(log)
    if args.json:
        print(json.dumps(inspect_json(summary, log.quality), indent=2, ensure_ascii=False))
    else:
        print(inspect_text(summary, log))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journey", description="Journey Discovery: the real customer journey from event logs."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    inspect = commands.add_parser(
        "inspect", help="summary and data-quality report of a log (CSV, XLSX, XES, Parquet)"
    )
    inspect.add_argument("file")
    inspect.add_argument("--sheet", help="Excel sheet to read (default: detected)")
    inspect.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="ROLE=COLUMN",
        help="use COLUMN for ROLE (case_id, activity, timestamp, start_timestamp, resource, "
        "department, channel, score, cost, lifecycle); repeatable; overrides detection",
    )
    inspect.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        help=f"zone of times written without one (default {DEFAULT_TIMEZONE})",
    )
    inspect.add_argument("--date-format", help='strptime format, e.g. "%%d-%%m-%%Y %%H:%%M"')
    inspect.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _read(args: argparse.Namespace) -> EventLog:
    mapping: dict[str, str] = {}
    for item in args.map:
        role, sep, column = item.partition("=")
        if not sep or not role or not column:
            raise LogError(f"--map expects ROLE=COLUMN, got '{item}'")
        mapping[role.strip()] = column
    return read_event_log(
        args.file,
        mapping or None,
        sheet=args.sheet,
        timezone=args.timezone,
        date_format=args.date_format,
    )


def inspect_json(summary: LogSummary, quality: QualityReport) -> dict:
    """The JSON of `journey inspect`: the summary's figures and the quality report."""
    return {
        **summary.to_dict(),
        **quality.to_dict(),
        "quality_findings": quality.to_dict()["findings"],
    }


def inspect_text(summary: LogSummary, log: EventLog) -> str:
    """The human-readable report of `journey inspect`."""
    quality = log.quality
    lines = [
        f"{summary.source}",
        f"  cases        {summary.cases:,}",
        f"  events       {summary.events:,}",
        f"  activities   {summary.activities:,}",
        f"  departments  {summary.departments:,}",
        f"  resources    {summary.resources:,}",
        f"  period       {summary.first_event:%Y-%m-%d %H:%M} – "
        f"{summary.last_event:%Y-%m-%d %H:%M} UTC",
        "",
        "Rows",
        f"  read         {quality.rows_read:,}",
        f"  used         {quality.rows_used:,}"
        + (f" ({quality.merged_rows:,} merged into other events)" if quality.merged_rows else ""),
        f"  rejected     {quality.rows_rejected:,}",
    ]
    for reason, count in quality.rejection_counts().items():
        lines.append(f"    {reason}: {count:,}")
    for record in quality.rejected.head(10).itertuples():
        lines.append(f"    row {record.row}: {record.reason}")
    if quality.rows_rejected > 10:
        lines.append(f"    ... {quality.rows_rejected - 10:,} more (use --json for a list)")
    lines += ["", "Warnings" if quality.findings else "Warnings: none"]
    lines += [f"  - {finding.message}" for finding in quality.findings]
    lines += ["", "How the file was read"]
    lines += [f"  - {note}" for note in quality.notes]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
