"""The provenance record every report carries: which file, which rows, which columns, which
filters, which intended journey, which software, and when.

Running again on the same inputs gives an equal record apart from `made_at`.

>>> record = provenance(log, source="sample_logs/hospital.csv")  # doctest: +SKIP
>>> record.lines("nl")[0]  # doctest: +SKIP
('Bronbestand', 'hospital.csv')
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from discovery._json import JSONValue, to_json_dict
from discovery.engine.in_place import InPlaceLog
from discovery.log.event_log import EventLog
from discovery.log.quality import Duplicates
from discovery.mining.in_place.identical import identical_in_place
from discovery.words import Count, Language, Message, chain, format_datetime, message, say

__all__ = ["FileFingerprint", "Provenance", "fingerprint", "provenance", "software_version"]

DISTRIBUTION = "journey-discovery"
_CHUNK = 1 << 20  # files are hashed a mebibyte at a time, never read whole


class Described(Protocol):
    """A filter as far as provenance needs it (`discovery.mining.filters.Filter`)."""

    def describe(self) -> Message: ...


@dataclass(frozen=True)
class FileFingerprint:
    """A file's name (without its folder) and the SHA-256 of its bytes, in hex."""

    name: str
    sha256: str


def fingerprint(source: str | Path | bytes, name: str | None = None) -> FileFingerprint:
    """The name and SHA-256 of a file, streamed from its path, or of bytes already read (the
    app's upload; `name` names them).

    >>> fingerprint(b"abc", "log.csv").sha256[:12]
    'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    if isinstance(source, bytes):
        digest.update(source)
        return FileFingerprint(name or "", digest.hexdigest())
    path = Path(source)
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return FileFingerprint(name or path.name, digest.hexdigest())


def software_version() -> str:
    """This software's version: the installed distribution's, else pyproject.toml's."""
    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        with pyproject.open("rb") as stream:
            version: str = tomllib.load(stream)["project"]["version"]
        return version


@dataclass(frozen=True)
class Provenance:
    """Where a report's figures come from.

    `mapping` has one (role, column, how it was found: "given", "header" or "values") per
    role; `filters` one message per filter (none: all cases); `made_at` is a UTC instant and
    `timezone` the zone in which the report shows times. `place` names the backend where a
    log analysed in place lives ("postgres", "pyspark", "duckdb"; empty for a log read
    here): its `source` is then where it lives (credentials masked) with no SHA-256.
    """

    source: FileFingerprint
    rows_read: int
    rows_used: int
    rows_rejected: int
    identical_rows: int
    duplicates: Duplicates
    mapping: tuple[tuple[str, str, str], ...]
    filters: tuple[Message, ...]
    intended: FileFingerprint | None
    version: str
    made_at: dt.datetime
    timezone: str
    place: str = ""

    def to_dict(self, language: Language = "en") -> dict[str, JSONValue]:
        """JSON-ready (`discovery._json`): filters said in `language`, `made_at` in UTC."""
        intended = self.intended
        return to_json_dict(
            {
                "source": (
                    {"name": self.source.name, "place": self.place}  # no file to hash
                    if self.place
                    else {"name": self.source.name, "sha256": self.source.sha256}
                ),
                "rows_read": self.rows_read,
                "rows_used": self.rows_used,
                "rows_rejected": self.rows_rejected,
                "identical_rows": self.identical_rows,
                "duplicates": self.duplicates,
                "mapping": [
                    {"role": role, "column": column, "found_by": how}
                    for role, column, how in self.mapping
                ],
                "filters": self.filters,
                "intended": None
                if intended is None
                else {"name": intended.name, "sha256": intended.sha256},
                "version": self.version,
                "made_at": self.made_at,
                "timezone": self.timezone,
            },
            language,
        )

    def lines(self, language: Language = "en") -> list[tuple[str, str]]:
        """(label, value) pairs said in `language`, in the order a report shows them; the
        intended journey's SHA-256 only when there is one."""

        def line(key: str, value: str | Message) -> tuple[str, str]:
            said = value if isinstance(value, str) else say(value, language)
            return say(f"provenance.{key}", language), said

        rows = message(
            "provenance.rows.value",
            read=Count(self.rows_read),
            used=Count(self.rows_used),
            rejected=Count(self.rows_rejected),
        )
        duplicates = message(
            f"provenance.duplicates.{self.duplicates}", count=Count(self.identical_rows)
        )
        roles = [
            message("log.note.role", role=role, column=column, how=message(f"log.found.{how}"))
            for role, column, how in self.mapping
        ]
        filters: str | Message = message("filter.all_cases")
        if self.filters:
            filters = chain(self.filters, "filter.and")
        intended = self.intended
        made_at = self.made_at.astimezone(dt.UTC).replace(tzinfo=None)
        where = [line("source_sha256", self.source.sha256)]
        if self.place:  # no file to hash: where the rows live instead
            backend = BACKEND_NAMES.get(self.place, self.place)
            where = [line("place", message("provenance.place.value", backend=backend))]
        shown = [
            line("source", self.source.name),
            *where,
            line("rows", rows),
            line("duplicates", duplicates),
            line("mapping", chain(roles, "io.list")),
            line("filters", filters),
            line("intended", message("provenance.none") if intended is None else intended.name),
            *([] if intended is None else [line("intended_sha256", intended.sha256)]),
            line("version", self.version),
            line(
                "made_at",
                message("provenance.made_at.value", when=format_datetime(made_at, language)),
            ),
            line("timezone", self.timezone),
        ]
        return shown


BACKEND_NAMES = {"duckdb": "DuckDB", "postgres": "PostgreSQL", "pyspark": "Spark"}
"""The backends as people name them."""


def provenance(
    log: EventLog | InPlaceLog,
    *,
    source: str | Path | bytes | FileFingerprint,
    filters: Sequence[Described] = (),
    intended: str | Path | FileFingerprint | None = None,
    made_at: dt.datetime | None = None,
) -> Provenance:
    """The provenance of a report on `log`, read from `source` (a path, or the bytes read:
    named as the log's source), with `filters` applied and compared with the `intended`
    journey (a path, or `fingerprint(bytes, name)`); made now unless `made_at` says when.

    A log in place (`InPlaceLog`) is named by where it lives (a text `source` is taken as
    its masked name, never opened); its identical rows are counted there.

    >>> provenance(log, source=upload_bytes, filters=[VariantSelection(top=3)])  # doctest: +SKIP
    """
    quality = log.quality
    mapping = log.mapping
    duplicates: Duplicates = "keep"  # in place: every row is kept
    if isinstance(log, InPlaceLog):
        found = source if isinstance(source, FileFingerprint) else FileFingerprint(log.source, "")
        identical, place = identical_in_place(log), log.place.backend
    else:
        found = _fingerprinted(source, log.source)
        identical, duplicates, place = log.quality.identical_rows, log.quality.duplicates, ""
    return Provenance(
        source=found,
        rows_read=quality.rows_read,
        rows_used=quality.rows_used,
        rows_rejected=quality.rows_rejected,
        identical_rows=identical,
        duplicates=duplicates,
        mapping=tuple(
            (role, column, mapping.found_by.get(role, "given"))
            for role, column in mapping.columns.items()
        ),
        filters=tuple(selection.describe() for selection in filters),
        intended=None if intended is None else _fingerprinted(intended, None),
        version=software_version(),
        made_at=_utc(made_at),
        timezone=log.timezone,
        place=place,
    )


def _fingerprinted(
    source: str | Path | bytes | FileFingerprint, name: str | None
) -> FileFingerprint:
    if isinstance(source, FileFingerprint):
        return source
    return fingerprint(source, None if isinstance(source, str | Path) else name)


def _utc(moment: dt.datetime | None) -> dt.datetime:
    """`moment` (now if None) as an aware UTC instant; a naive moment is taken as UTC."""
    if moment is None:
        return dt.datetime.now(dt.UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)
