"""Pseudonyms: case ids, resources and chosen columns replaced by keyed, readable codes.

A pseudonym is `P-` and the first hex digits of HMAC-SHA256(key, value), upper case:
`P-3F9A2C4B71` (10 digits, 40 bits). The same key gives the same pseudonym for a value in
every run and every file, so two quarters' reports can be linked; without the key the
value cannot be found back, nor guessed by hashing likely ids.

Collisions: among n different values of one column, two share a 10-digit pseudonym with
odds of about 1 − exp(−n² / 2·16¹⁰): 0.005% for 10,000 values, about 36% for a million.
`pseudonymise` checks every column it replaces: if two different values collide within
the log, it lengthens the pseudonyms of that log by two digits (12 digits: about 0.2% for
a million; 14: 0.0007%) until none do. A longer pseudonym starts with the shorter one,
so a log that had to lengthen still links to others by its first 10 digits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from discovery.errors import LogError
from discovery.log.event_log import EventLog, with_log_text
from discovery.words import message

DIGITS = 10
KEY_BYTES = 32
REPLACED_ROLES = ("case_id", "resource")
KEPT_COLUMNS = ("activity", "timestamp", "start_timestamp", "lifecycle", "position", "row")


def pseudonym(value: str, key: bytes, prefix: str = "P", digits: int = DIGITS) -> str:
    """The pseudonym of `value` under `key`: `prefix`, a dash and `digits` upper-case hex
    digits of HMAC-SHA256(key, value as UTF-8).

    >>> pseudonym("P000102", bytes(32))
    'P-CDD408B672'
    """
    digest = hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:digits].upper()}"


def new_key() -> bytes:
    """A new random key of 32 bytes (keep it, as hex text, to get the same pseudonyms)."""
    return secrets.token_bytes(KEY_BYTES)


def key_text(key: bytes) -> str:
    """A key as the hex text of a key file (what `read_key` reads back)."""
    return key.hex()


def read_key(path: str | Path) -> bytes:
    """The key in a key file: hex text (64 digits for 32 bytes; spaces and line ends are
    ignored). A missing, unreadable or malformed file is a `LogError` naming the file."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LogError(message("log.error.key_missing"), file=name) from None
    except (OSError, UnicodeDecodeError):
        raise LogError(message("log.error.key_malformed"), file=name) from None
    digits = "".join(text.split())
    try:
        key = bytes.fromhex(digits)
    except ValueError:
        raise LogError(message("log.error.key_malformed"), file=name) from None
    if len(key) < 16:
        raise LogError(message("log.error.key_malformed"), file=name)
    return key


def pseudonymise(log: EventLog, key: bytes, columns: Sequence[str] = ()) -> EventLog:
    """A new log with the case ids, the resources and `columns` (case or event attributes,
    or other canonical columns) replaced by their pseudonyms under `key`, in every event
    and in the rejected rows' values of those columns. Missing values stay missing; the
    events keep their order and the log its structure (maps and variants are unchanged).
    A column the log does not have, or one the analyses read (`KEPT_COLUMNS`: activity,
    times, lifecycle, position, row), is a `LogError`.

    >>> from discovery import read_event_log
    >>> log = pseudonymise(read_event_log("sample_logs/hospital.csv"), bytes(32))
    >>> log.events["case_id"].iloc[0][:2]
    'P-'
    """
    for column in columns:
        if column in KEPT_COLUMNS:
            raise LogError(message("log.error.pseudonym_kept", column=column), file=log.source)
        if column not in log.events:
            raise LogError(message("log.error.pseudonym_column", column=column), file=log.source)
    names = [role for role in REPLACED_ROLES if role in log.events]
    names += [column for column in columns if column not in names]
    events = log.events.copy()
    codes = {name: _digests(events[name], key) for name in names}
    digits = DIGITS
    while any(_collide(found, digits) for found in codes.values()):
        digits += 2
    for name in names:
        short = {value: f"P-{digest[:digits]}" for value, digest in codes[name].items()}
        events[name] = _replaced(events[name], short)
    quality = log.quality
    roles = {str(role): column for role, column in log.mapping.columns.items()}
    source = {roles.get(name, name) for name in names}  # as the file names them
    if not quality.rejected.empty and "column" in quality.rejected:
        rejected = quality.rejected.copy()
        for row in rejected.index:
            value = rejected.at[row, "value"]
            if str(rejected.at[row, "column"]) in source and _present(value):
                rejected.at[row, "value"] = pseudonym(str(value), key, digits=digits)
        quality = replace(quality, rejected=rejected)
    events = with_log_text(events)  # renamed labels sorted again, as the log sorts them
    events = events.sort_values(["case_id", "timestamp", "position"], kind="stable")
    loaded = log.with_events(events)
    return replace(loaded, quality=quality)


def _digests(values: pd.Series, key: bytes) -> dict[object, str]:
    """Each distinct present value and its full HMAC-SHA256, upper-case hex."""
    present = values.dropna().unique()
    return {
        value: hmac.new(key, str(value).encode("utf-8"), hashlib.sha256).hexdigest().upper()
        for value in present
        if str(value) != ""
    }


def _present(value: object) -> bool:
    if isinstance(value, str):
        return value != ""
    return value is not None and not bool(pd.isna(value))


def _collide(digests: dict[object, str], digits: int) -> bool:
    short = {digest[:digits] for digest in digests.values()}
    return len(short) < len(set(digests.values()))


def _replaced(values: pd.Series, codes: dict[object, str]) -> pd.Series:
    """`values` with each present value replaced by its code; missing and empty stay."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # the log's text: its labels renamed
        return values.cat.rename_categories(lambda label: codes.get(label, label))
    mapped = values.map(codes)
    replaced = mapped.where(mapped.notna(), values)
    return replaced.astype(values.dtype) if pd.api.types.is_string_dtype(values) else replaced
