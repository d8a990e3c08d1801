"""Canonical columns, the mapping from a user's columns to roles, and detecting it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, get_args

import pandas as pd

from discovery.errors import LogError
from discovery.words import Message, chain, message

if TYPE_CHECKING:
    from discovery.values.timestamps import ParsedTimes

Role = Literal[
    "case_id",
    "activity",
    "timestamp",
    "start_timestamp",
    "resource",
    "department",
    "channel",
    "score",
    "cost",
    "lifecycle",
]
ROLES: tuple[Role, ...] = get_args(Role)
REQUIRED_ROLES: tuple[Role, ...] = ("case_id", "activity", "timestamp")
NO_VALUE = "(none)"  # how an empty value is named on maps, in segments and in deviations

# Header words per role, English and Dutch, compared after normalising (lower case,
# accents and punctuation removed). Earlier words win; a header equal to a word beats
# a header that merely contains it.
# fmt: off
HEADER_WORDS: dict[Role, tuple[str, ...]] = {
    "case_id": (
        "caseid", "case", "casenumber", "casenr", "caseconceptname", "zaaknummer", "zaak",
        "zaakid", "zaaknr", "dossiernummer", "dossier", "dossierid", "dossiernr",
        "patientnummer", "patientid", "patient", "patientnr", "klantnummer", "klantid",
        "klant", "klantnr", "customerid", "customer", "customernumber", "clientid",
        "clientnummer", "client", "lidnummer", "lid", "memberid", "member", "ticketid",
        "ticket", "ticketnumber", "aanvraagnummer", "aanvraagid", "applicationid",
        "application", "orderid", "ordernumber", "trace", "traceid", "processid",
        "instanceid", "casekey",
    ),
    "activity": (
        "activity", "activiteit", "activityname", "conceptname", "stap", "step", "handeling",
        "task", "taak", "action", "actie", "event", "eventname", "gebeurtenis", "touchpoint",
        "processtap", "processstep", "werkstap", "activiteitnaam",
    ),
    "start_timestamp": (
        "starttimestamp", "starttime", "starttijd", "startdatum", "startdate", "start",
        "begintijd", "begindatum", "begin", "aanvang", "gestart", "started", "startdatumtijd",
    ),
    "timestamp": (
        "timestamp", "timetimestamp", "endtimestamp", "endtime", "eindtijd", "einddatum",
        "enddate", "end", "eind", "completetimestamp", "completetime", "completed",
        "gereed", "afgerond", "datetime", "datumtijd", "tijdstip", "datum", "date", "time",
        "tijd", "moment", "eventtime",
    ),
    "resource": (
        "resource", "orgresource", "medewerker", "behandelaar", "uitvoerder", "employee",
        "user", "gebruiker", "agent", "performer", "staff", "executor", "operator", "actor",
        "userid", "behandelddoor", "uitgevoerddoor", "handledby",
    ),
    "department": (
        "department", "afdeling", "orggroup", "team", "group", "groep", "unit", "dienst",
        "eenheid", "sector", "organisatieonderdeel", "division", "role", "orgrole", "rol",
        "workgroup",
    ),
    "channel": ("channel", "kanaal", "contactkanaal", "medium", "contactchannel", "via"),
    "score": (
        "score", "satisfaction", "tevredenheid", "klanttevredenheid", "nps", "sentiment",
        "rating", "csat", "waardering", "cijfer", "beoordeling",
    ),
    "cost": ("cost", "costs", "kosten", "price", "prijs", "tarief"),
    "lifecycle": (
        "lifecycle", "lifecycletransition", "transition", "eventtype", "levenscyclus",
    ),
}
# fmt: on
# Roles tried in the order of ROLES, with "start_timestamp" moved just before "timestamp"
# so that "start" is claimed before "timestamp" looks at it.
_ORDER: tuple[Role, ...] = tuple(
    sorted(
        ROLES,
        key=lambda role: (
            ROLES.index("timestamp" if role == "start_timestamp" else role),
            role != "start_timestamp",
        ),
    )
)
# A header may start or end with a word of at least this length ("Datum afspraak"),
# except words that also end segment headers ("Leeftijdsgroep" is no department).
_CONTAINS_MIN = 5
_EXACT_ONLY = frozenset({"group", "groep", "client", "event"})
_ID_SUFFIXES = ("id", "nr", "nummer", "number", "no", "code", "key")


@dataclass(frozen=True)
class ColumnMapping:
    """Which of the user's columns plays which role, and how each role was found.

    >>> m = ColumnMapping({"case_id": "Zaaknummer", "activity": "Stap", "timestamp": "Datum"})
    >>> m["activity"]
    'Stap'
    """

    columns: Mapping[Role, str]
    found_by: Mapping[Role, Literal["given", "header", "values"]] = field(default_factory=dict)

    def __getitem__(self, role: Role) -> str:
        return self.columns[role]

    def __contains__(self, role: object) -> bool:
        return role in self.columns

    def describe(self) -> list[Message]:
        """One note per mapped role, e.g. "case_id ← 'Zaaknummer' (from the header)"."""
        return [
            message(
                "log.note.role",
                role=role,
                column=column,
                how=message(f"log.found.{self.found_by.get(role, 'given')}"),
            )
            for role, column in self.columns.items()
        ]


def normalize_header(header: object) -> str:
    """Lower case, without accents, spaces or punctuation: 'Patiënt-nr' → 'patientnr'."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


def detect_roles(
    frame: pd.DataFrame,
    given: Mapping[str, str] | None = None,
    *,
    known: Mapping[str, str] | None = None,
    source: str | None = None,
) -> ColumnMapping:
    """Find the column of each role: `given` first, then `known` (from the file format),
    then the headers (English and Dutch), then the values.

    Raises LogError when a given column does not exist or a required role cannot be found.
    """
    columns: dict[Role, str] = {}
    found_by: dict[Role, Literal["given", "header", "values"]] = {}
    for role, column in (given or {}).items():
        if role not in ROLES:
            said = message("log.error.unknown_role", role=role, roles=", ".join(ROLES))
            raise LogError(said, file=source)
        if column not in frame.columns:
            listed = ", ".join(map(str, frame.columns))
            said = message("log.error.column_not_in_file", column=column, role=role, columns=listed)
            raise LogError(said, file=source)
        columns[role], found_by[role] = column, "given"
    for role, column in (known or {}).items():
        free = column in frame.columns and column not in columns.values()
        if role in ROLES and role not in columns and free:
            columns[role], found_by[role] = column, "header"
    for role, column in _match_headers(frame.columns, columns).items():
        columns[role], found_by[role] = column, "header"
    for role, column in _match_values(frame, columns).items():
        columns[role], found_by[role] = column, "values"

    missing = [role for role in REQUIRED_ROLES if role not in columns]
    if missing:
        said = message(
            "log.error.no_column",
            roles=chain(missing, "io.list.and"),
            columns=", ".join(map(str, frame.columns)),
            needed=message(f"log.required.{missing[0]}"),
            role=missing[0],
        )
        raise LogError(said, file=source)
    ordered = {role: columns[role] for role in ROLES if role in columns}
    return ColumnMapping(ordered, {role: found_by[role] for role in ordered})


def _match_headers(headers: pd.Index, taken: Mapping[Role, str]) -> dict[Role, str]:
    normalized = {column: normalize_header(column) for column in headers}
    used = set(taken.values())
    found: dict[Role, str] = {}
    for role in _ORDER:
        if role in taken:
            continue
        column = _best_header(HEADER_WORDS[role], normalized, used, role)
        if column is None and role == "case_id":
            column = _any_identifier(normalized, used)
        if column is not None:
            found[role] = column
            used.add(column)
    return found


def _best_header(
    words: tuple[str, ...], normalized: Mapping[str, str], used: set[str], role: Role
) -> str | None:
    free = {column: text for column, text in normalized.items() if column not in used}
    for word in words:
        for column, text in free.items():
            if text == word:
                return column
    for word in words:
        if len(word) < _CONTAINS_MIN or word in _EXACT_ONLY:
            continue
        for column, text in free.items():
            if role == "case_id":
                # "Klantnummer (CRM)" is an id; "Customer type" is not
                if text.startswith(word) and text[len(word) :].startswith(_ID_SUFFIXES):
                    return column
            elif text.startswith(word) or text.endswith(word):
                return column
    return None


def _any_identifier(normalized: Mapping[str, str], used: set[str]) -> str | None:
    """The first header that names an identifier: 'complaint_id', 'Meldingnummer'."""
    for column, text in normalized.items():
        if column not in used and text.endswith(_ID_SUFFIXES) and len(text) > 2:
            return column
    return None


def _match_values(frame: pd.DataFrame, taken: Mapping[Role, str]) -> dict[Role, str]:
    """Fall back on the values for the three required roles."""
    from discovery.values.timestamps import parse_timestamps

    found: dict[Role, str] = {}
    used = set(taken.values())
    sample = frame.head(500)
    candidates = [column for column in frame.columns if column not in used]
    if "timestamp" not in taken:
        for column in candidates:
            values = sample[column].dropna()
            if len(values) and _parses_as_dates(values, column, parse_timestamps):
                found["timestamp"] = column
                used.add(column)
                break
    text_columns = [
        column
        for column in frame.columns
        if column not in used and not pd.api.types.is_float_dtype(sample[column].dtype)
    ]
    n_rows = len(sample)
    if "case_id" not in taken:
        for column in text_columns:
            distinct = sample[column].nunique()
            if sample[column].notna().all() and 1 < distinct <= n_rows / 1.5:
                found["case_id"] = column
                used.add(column)
                break
    if "activity" not in taken:
        options = [c for c in text_columns if c not in used and sample[c].notna().mean() > 0.9]
        distinct = {c: sample[c].nunique() for c in options}
        options = [c for c in options if 1 < distinct[c] < n_rows]
        if options:
            found["activity"] = min(options, key=lambda c: abs(distinct[c] - 10))
    return found


def _parses_as_dates(
    values: pd.Series, column: str, parse: Callable[[pd.Series, str], ParsedTimes]
) -> bool:
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return True
    if pd.api.types.is_numeric_dtype(values.dtype):
        return False
    try:
        parsed = parse(values.astype(object), str(column)).values
    except LogError:
        return True
    return bool(parsed.notna().mean() > 0.9)
