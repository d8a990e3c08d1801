"""The command line's sources beyond a file: which route a SOURCE takes, and the quality
counts of a log in place.

- A Parquet folder or glob, or a DuckDB table, of at most `routes.LOCAL_LIMIT` rows (counted
  where they live) is read into the usual `EventLog`: the quality report and every analysis work.
- A log in PostgreSQL or Spark (or a larger Parquet/DuckDB one) stays where it lives for
  the commands that run in place (`IN_PLACE`: every analysis, the lens and the report);
  for the others (`compare`, `monitor`) and for what only a log read here does (pseudonyms,
  identical rows dropped, a date format, a simplified map) its rows are brought here when
  they are at most `PULL_ROWS`, else the command stops and says which commands run in place.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from discovery._json import JSONValue, to_json_dict
from discovery.errors import LogError
from discovery.io.sources import SourceSpec, parse_source
from discovery.log.event_log import Duplicates, EventLog
from discovery.words import Count, Language, format_count, message, say

if TYPE_CHECKING:
    from discovery.engine.in_place import InPlaceLog
    from discovery.engine.places import Place

PULL_ROWS = 2_000_000
"""Rows brought here from PostgreSQL or Spark for a command that does not run in place."""
IN_PLACE = ("inspect", "map", "variants", "bottlenecks", "conformance", "lens", "report")
"""The commands that run where the rows live."""


def source_of(text: str, query: str | None, password_env: str | None) -> SourceSpec:
    """The SOURCE of the command line; the password from `$password_env` when named."""
    password = None
    if password_env:
        password = os.environ.get(password_env)
        if not password:
            said = message("source.error.password_env", variable=password_env)
            raise LogError(said, file=parse_source(text, query=query).shown)
    return parse_source(text, query=query, password=password)


def read_source(
    spec: SourceSpec,
    command: str,
    mapping: Mapping[str, str],
    *,
    timezone: str,
    date_format: str | None,
    duplicates: str,
    local_only: bool = False,
) -> EventLog | InPlaceLog:
    """The log of `spec` for `command`: local when it fits or must be (`local_only`: the
    command line asks for what only a local log does, such as pseudonyms), else in place."""
    from discovery.engine.places import count_rows, open_place, require_columns
    from discovery.engine.routes import LOCAL_LIMIT, read_here  # the app's rule too

    place = open_place(spec)
    require_columns(place, list(mapping.values()))
    in_place = command in IN_PLACE and not local_only
    if spec.kind in ("postgresql", "spark") and in_place:
        return _in_place(place, mapping, timezone)
    rows = count_rows(place)
    limit = LOCAL_LIMIT if spec.kind in ("parquet", "duckdb") else PULL_ROWS
    if rows <= limit:
        kept: Duplicates = "drop" if duplicates == "drop" else "keep"
        return read_here(place, mapping, timezone, date_format=date_format, duplicates=kept)
    if in_place:
        return _in_place(place, mapping, timezone)
    said = message(
        "source.error.too_many_rows",
        command=command,
        rows=Count(rows),
        limit=Count(limit),
        commands=", ".join(IN_PLACE),
    )
    raise LogError(said, file=spec.shown)


def _in_place(place: Place, mapping: Mapping[str, str], timezone: str) -> InPlaceLog:
    from discovery.engine.in_place import open_in_place

    return open_in_place(place, dict(mapping) or None, timezone=timezone)


def in_place_summary(log: InPlaceLog, language: Language = "en") -> dict[str, JSONValue]:
    """`journey inspect --json` for a log in place, in the document of a file's (its
    schema), every figure counted where the rows live; `rejected` lists no rows (they stay
    there) and `notes` say where the counting ran."""
    from discovery.mining.in_place.identical import identical_in_place
    from discovery.mining.summary import summarize

    summary = summarize(log)
    quality = log.quality
    notes = [message("source.inspect.in_place", backend=log.place.backend)]
    if quality.tied_events:
        notes.append(message("source.note.tied", count=Count(quality.tied_events)))
    return to_json_dict(
        {
            "source": log.place.shown,
            "events": summary.events,
            "cases": summary.cases,
            "activities": summary.activities,
            "departments": summary.departments,
            "resources": summary.resources,
            "first_event": summary.first_event,
            "last_event": summary.last_event,
            "median_events_per_case": summary.median_events_per_case,
            "median_case_duration_s": summary.median_case_duration_s,
            "roles": dict(log.mapping.columns),
            "case_attributes": list(summary.case_attributes),
            "event_attributes": list(summary.event_attributes),
            "rows_read": quality.rows_read,
            "rows_used": quality.rows_used,
            "rows_rejected": quality.rows_rejected,
            "rows_merged": quality.merged_rows,
            "identical_rows": identical_in_place(log),
            "duplicates": "keep",
            "rejections_by_reason": [
                {"kind": kind, "reason": message(f"rejected.{key}"), "count": count}
                for kind, key, count in _rejections(log)
            ],
            "rejected": [],
            "findings": [],
            "notes": notes,
        },
        language,
    )


def _rejections(log: InPlaceLog) -> list[tuple[str, str, int]]:
    """(kind, catalogue key, count) of each reason with rows, most first."""
    quality = log.quality
    found = [
        ("missing_case_id", "missing_case_id", quality.missing_case_id),
        ("missing_activity", "missing_activity", quality.missing_activity),
        ("missing_timestamp", "missing_timestamp", quality.missing_timestamp),
        ("unparseable_date", "unparseable_date.kind", quality.unreadable_timestamp),
    ]
    return sorted((one for one in found if one[2]), key=lambda one: -one[2])


def in_place_text(figures: Mapping[str, JSONValue], language: Language) -> str:
    """The plain text of `in_place_summary` (its JSON said in `language`)."""

    def line(label: str, value: JSONValue) -> str:
        shown = format_count(value, language) if isinstance(value, int) else str(value)
        return f"  {say(f'cli.inspect.{label}', language):<12} {shown}"

    period = say(
        "cli.inspect.period_value",
        language,
        first=pd.Timestamp(str(figures["first_event"])),
        last=pd.Timestamp(str(figures["last_event"])),
    )
    reasons = figures["rejections_by_reason"]
    notes = figures["notes"]
    names = ("cases", "events", "activities", "departments", "resources")
    lines: Sequence[str] = [
        str(figures["source"]),
        *(line(name, figures[name]) for name in names),
        line("period", period),
        "",
        say("cli.inspect.rows", language),
        line("read", figures["rows_read"]),
        line("used", figures["rows_used"]),
        line("rejected", figures["rows_rejected"]),
        *(
            f"    {one['reason']}: {format_count(one['count'], language)}"  # type: ignore[index, call-overload, arg-type]
            for one in (reasons if isinstance(reasons, list) else [])
        ),
        "",
        say("cli.inspect.how_read", language),
        *(f"  - {note}" for note in (notes if isinstance(notes, list) else [])),
    ]
    return "\n".join(lines)
