"""A driver's error while opening or reading a place, said as a `LogError`: the source
masked, the cause in the catalogue's words, the password never (not even when the driver
quotes it)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from ibis.common.exceptions import TableNotFound

from discovery.errors import LogError
from discovery.words import Message, message

_REASON_CHARS = 300
_LOGIN = ("password authentication failed", "no password supplied", "authentication failed")
_UNREACHABLE = (
    "could not translate host name",
    "connection refused",
    "timeout expired",
    "no route to host",
    "name or service not known",
    "network is unreachable",
    "could not connect to server",
)
_MISSING_TABLE = ("does not exist", "not found", "table_or_view_not_found", "schema_not_found")
_MISSING_PATH = ("path_not_found", "no files found", "no such file")


def reason_of(error: BaseException, password: str | None) -> str:
    """The driver's first line of `error`, short, any password in it masked."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    if password:
        text = text.replace(password, "***")
    text = re.sub(r"(password\s*=\s*)\S+", r"\1***", text, flags=re.IGNORECASE)
    text = re.sub(r"(//[^/@:\s]*:)[^/@\s]*@", r"\1***@", text)
    return text if len(text) <= _REASON_CHARS else text[: _REASON_CHARS - 1] + "…"


def said_of(error: BaseException, password: str | None, *, reading: str | None = None) -> Message:
    """What went wrong, from the driver's words; `reading` names the table or path read."""
    if isinstance(error, TableNotFound) and reading is not None:
        return message("place.error.no_table", table=reading)
    reason = reason_of(error, password)
    lower = str(error).lower()
    if any(part in lower for part in _LOGIN):
        return message("place.error.login", reason=reason)
    if any(part in lower for part in _UNREACHABLE):
        return message("place.error.unreachable", reason=reason)
    if "database" in lower and "does not exist" in lower:
        return message("place.error.no_database", reason=reason)
    if "no magic bytes found" in lower:  # DuckDB's word for a file that is not Parquet
        return message("place.error.not_parquet", reason=reason)
    if reading is not None and any(part in lower for part in _MISSING_PATH):
        return message("place.error.no_path", path=reading)
    if reading is not None and any(part in lower for part in _MISSING_TABLE):
        return message("place.error.no_table", table=reading)
    return message("place.error.unreadable", reason=reason)


@contextlib.contextmanager
def said_as_log_error(
    shown: str, password: str | None = None, *, reading: str | None = None
) -> Iterator[None]:
    """Any error inside becomes a `LogError` on `shown` (a `LogError` passes as it is)."""
    try:
        yield
    except LogError:
        raise
    except Exception as error:
        raise LogError(said_of(error, password, reading=reading), file=shown) from None
