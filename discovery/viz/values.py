"""Values from the data as they are shown: the stand-in for a missing value (NO_VALUE) said
in the reader's language, everything else as it is in the file."""

from __future__ import annotations

from discovery.log.schema import NO_VALUE
from discovery.words import Language, say


def value_label(value: object, language: Language = "en") -> str:
    """`value` as text; no value reads "(none)" / "(geen)" / "(keine)".

    >>> value_label("Radiologie", "nl"), value_label(NO_VALUE, "nl")
    ('Radiologie', '(geen)')
    """
    return say("value.none", language) if value == NO_VALUE else str(value)
