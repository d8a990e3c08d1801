"""Reading the gettext catalogues in `locales/`: one language is one `<code>.po`, compiled
in memory so plural entries work through `ngettext`."""

from __future__ import annotations

import gettext
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from io import BytesIO

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ENGLISH = "en"
PSEUDO = "qps"  # English with every text wrapped in ⟦ ⟧: shows text that skips the catalogue
OPEN, CLOSE = "⟦", "⟧"


@dataclass(frozen=True)
class Catalogue:
    """One language's texts: the compiled translations, which keys it has (and which of
    them are plural entries), and the Babel locale that formats its numbers and dates."""

    code: str
    locale: Locale
    translations: gettext.GNUTranslations
    keys: frozenset[str]
    plural_keys: frozenset[str]


def folder() -> Traversable:
    """The folder of the catalogue files (package data)."""
    return files(__package__).joinpath("locales")


def _files() -> dict[str, Traversable]:
    """The catalogue file of each language code."""
    return {
        file.name.removesuffix(".po"): file
        for file in folder().iterdir()
        if file.name.endswith(".po") and file.name.count(".") == 1
    }


def codes() -> list[str]:
    """The language codes with a catalogue file, English first (the pseudo locale is not
    a file)."""
    return sorted(_files(), key=lambda code: (code != ENGLISH, code))


def _read(code: str) -> Catalog:
    """The catalogue of `code`, its locale from the file's `Language:` header."""
    file = _files().get(code)
    if file is None:
        known = ", ".join(codes())
        raise ValueError(f"no catalogue for language {code!r} (known: {known})")
    catalog = read_po(BytesIO(file.read_bytes()), abort_invalid=True)
    if catalog.locale is None:
        catalog.locale = Locale.parse(code)
    return catalog


def _key(msgid: str | Sequence[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def _compiled(code: str, catalog: Catalog) -> Catalogue:
    """`catalog` as `_read` gives it, its locale set."""
    locale = catalog.locale
    assert locale is not None
    translated = [
        m
        for m in catalog
        if m.id and not m.fuzzy and m.string is not None and all(_forms(m.string))
    ]
    data = BytesIO()
    write_mo(data, catalog)
    data.seek(0)
    return Catalogue(
        code=code,
        locale=locale,
        translations=gettext.GNUTranslations(data),
        keys=frozenset(_key(m.id) for m in translated),
        plural_keys=frozenset(_key(m.id) for m in translated if m.pluralizable),
    )


def _forms(string: str | Sequence[str]) -> Sequence[str]:
    return (string,) if isinstance(string, str) else string


def _pseudo() -> Catalogue:
    """English with every text (each plural form too) wrapped in ⟦ ⟧; formats like English."""
    english = _read(ENGLISH)
    for message in english:
        if message.id and message.string:
            forms = tuple(f"{OPEN}{form}{CLOSE}" for form in _forms(message.string))
            message.string = forms if message.pluralizable else forms[0]
    return _compiled(PSEUDO, english)


@cache
def catalogue(code: str) -> Catalogue:
    """The catalogue of language `code` (read once, then cached)."""
    if code == PSEUDO:
        return _pseudo()
    return _compiled(code, _read(code))


def template(key: str, language: str, count: int | None = None) -> str:
    """The text of `key` in `language` (English where the language lacks it); for a plural
    entry, the form for `count`. A key English lacks is a programming error: KeyError."""
    chosen = catalogue(language)
    if key not in chosen.keys:
        chosen = catalogue(ENGLISH)
        if key not in chosen.keys:
            raise KeyError(f"no text for key {key!r}")
    if key not in chosen.plural_keys:
        return chosen.translations.gettext(key)
    if count is None:
        raise TypeError(f"{key!r} has plural forms: give a count")
    return chosen.translations.ngettext(key, key, count)
