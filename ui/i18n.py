"""The app's words: `t("map.level", "nl")`, a thin layer over `discovery.words`.

Every text lives in the catalogues of `discovery/words/locales/` (`en.po`, `nl.po`, ...);
the language switch offers each catalogue there, so a new `<code>.po` appears without a
code change.
"""

from __future__ import annotations

from discovery import words

Language = words.Language

LANGUAGES: dict[Language, str] = words.languages()  # code → its own name, English first


def t(key: str, language: Language = "en", /, **values: object) -> str:
    """The text for `key` in `language`, with `values` filled in (numbers formatted for
    the language).

    >>> t("upload.in_use", "nl", name="log.xlsx")
    'In gebruik: log.xlsx.'
    """
    return words.say(key, language, **values)
