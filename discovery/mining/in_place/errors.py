"""An error nobody foresaw, said in one line with no password in it: a driver's failure
while a log in place is analysed may quote the connection string or a value it was sent.

>>> masked_error(ValueError("cannot reach postgresql://ana:geheim@db/zorg"))
'ValueError: cannot reach postgresql://ana:***@db/zorg'
>>> masked_error(ValueError('invalid input syntax for type bigint: "geheim"'), ["geheim"])
'ValueError: invalid input syntax for type bigint: "***"'
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote, quote_plus

from discovery.engine._place_errors import reason_of
from discovery.io.sources import MASK, masked


def masked_error(error: BaseException, passwords: Iterable[str | None] = ()) -> str:
    """`error`'s kind and the first line of its text (at most 300 characters), with each
    of `passwords` (as written, or URL-encoded), a URL's password and a `password=`
    setting masked as `***`, as the sources mask them (`SourceSpec.shown`)."""
    text = str(error)
    secrets = {password for password in passwords if password}
    written = {form for password in secrets for form in _forms(password)}
    for password in sorted(written, key=len, reverse=True):  # the longest first
        text = text.replace(password, MASK)
    reason = reason_of(Exception(masked(text)), None) if text.strip() else ""
    kind = type(error).__name__
    return f"{kind}: {reason}" if reason else kind


def _forms(password: str) -> set[str]:
    return {password, quote(password, safe=""), quote_plus(password, safe="")}
