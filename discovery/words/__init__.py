"""Every text of Journey Discovery, in every language: the words layer.

Analyses return `Message`s (a key and typed parameters) instead of sentences; `say` puts
one into a language. The texts are gettext catalogues in `locales/`: `<code>.po` per
language (its `Language:` header names the Babel locale that formats numbers and dates).
A key a language lacks falls back to English.
Adding a language is adding its `.po` file. The pseudo language "qps" is English with every
text wrapped in ⟦ ⟧, for tests that look for text which skipped the catalogue.

This is the bottom layer: it imports no other module of `discovery`.

>>> say("upload.in_use", "nl", name="log.xlsx")
'In gebruik: log.xlsx.'
>>> say(message("upload.in_use", name="log.xlsx"), "qps")
'⟦Using log.xlsx.⟧'
>>> format_duration(3.2 * 86400, "nl"), format_share(0.004, "nl"), format_count(1234, "nl")
('3,2 dagen', '0,4%', '1.234')
"""

from __future__ import annotations

from discovery.words._catalogues import PSEUDO, codes
from discovery.words._catalogues import catalogue as _catalogue
from discovery.words._formats import (
    MISSING,
    format_count,
    format_date,
    format_datetime,
    format_duration,
    format_month,
    format_number,
    format_share,
    plotly_locale,
    plotly_separators,
)
from discovery.words._messages import (
    Count,
    Duration,
    Items,
    Message,
    Number,
    Share,
    chain,
    message,
    say,
)

Language = str
"""A catalogue's language code: "en", "nl", or any other `<code>.po` in `locales/`."""

__all__ = [
    "MISSING",
    "PSEUDO",
    "Count",
    "Duration",
    "Items",
    "Language",
    "Message",
    "Number",
    "Share",
    "chain",
    "codes",
    "format_count",
    "format_date",
    "format_datetime",
    "format_duration",
    "format_month",
    "format_number",
    "format_share",
    "languages",
    "message",
    "plotly_locale",
    "plotly_separators",
    "say",
]


def languages() -> dict[Language, str]:
    """Each language with a catalogue, by its own name, English first (not the pseudo one).

    >>> languages()["nl"]
    'Nederlands'
    """
    names: dict[Language, str] = {}
    for code in codes():
        name = _catalogue(code).locale.language_name or code  # None only for a nameless locale
        names[code] = name[:1].upper() + name[1:]
    return names
