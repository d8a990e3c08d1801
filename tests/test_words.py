"""The words layer: catalogues, messages and formatters, with hand-worked expected strings."""

from __future__ import annotations

import doctest
import math
import string
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po

import discovery.words as words
from discovery.words import (
    Count,
    Duration,
    Items,
    Message,
    Number,
    Share,
    _catalogues,
    _formats,
    _messages,
    format_count,
    format_date,
    format_datetime,
    format_duration,
    format_month,
    format_number,
    format_share,
    languages,
    message,
    plotly_separators,
    say,
)

LOCALES = Path(words.__file__).parent / "locales"
DAY, HOUR = 86400, 3600


# --- formatters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "en", "nl"),
    [
        (3.2 * DAY, "3.2 days", "3,2 dagen"),
        (DAY, "1 day", "1 dag"),
        (59, "59 seconds", "59 seconden"),
        (1, "1 second", "1 seconde"),
        (0, "0 seconds", "0 seconden"),
        (90, "1.5 minutes", "1,5 minuten"),
        (HOUR, "1 hour", "1 uur"),
        (5 * HOUR, "5 hours", "5 uur"),
        (1.04 * DAY, "1 day", "1 dag"),  # 1.04 rounds to 1.0: ".0" dropped, singular
        (9.96 * HOUR, "10 hours", "10 uur"),  # rounds up to 10.0, shown as 10
        (12.5 * DAY, "12 days", "12 dagen"),  # ten or more: no decimals (half to even)
        (1234 * DAY, "1234 days", "1234 dagen"),  # no thousands mark, as before
        (None, "—", "—"),
        (math.nan, "—", "—"),
    ],
)
def test_format_duration(seconds, en, nl):
    assert (format_duration(seconds, "en"), format_duration(seconds, "nl")) == (en, nl)


@pytest.mark.parametrize(
    ("share", "en", "nl"),
    [
        (0.41, "41%", "41%"),
        (0.004, "0.4%", "0,4%"),
        (0, "0%", "0%"),
        (0.01, "1%", "1%"),
        (0.0099, "1.0%", "1,0%"),  # below 1%: one decimal, even when it rounds to 1.0
        (1, "100%", "100%"),
        (12.345, "1234%", "1234%"),  # no thousands mark, as before
        (0.415, "42%", "42%"),  # rounded as Python rounds 0.415 * 100 = 41.5: half to even
        (math.nan, "—", "—"),
    ],
)
def test_format_share(share, en, nl):
    assert (format_share(share, "en"), format_share(share, "nl")) == (en, nl)


@pytest.mark.parametrize(
    ("count", "en", "nl"),
    [
        (0, "0", "0"),
        (999, "999", "999"),
        (1234, "1,234", "1.234"),
        (-1234567, "-1,234,567", "-1.234.567"),
    ],
)
def test_format_count(count, en, nl):
    assert (format_count(count, "en"), format_count(count, "nl")) == (en, nl)


def test_format_number():
    assert format_number(1.5) == "1.5"
    assert format_number(1.5, "nl") == "1,5"
    assert format_number(2, "nl") == "2,0"  # the digits are always shown
    assert format_number(1234.567, "en", digits=2) == "1,234.57"
    assert format_number(1234.567, "nl", digits=2) == "1.234,57"
    assert format_number(0.1234, "nl", digits=3) == "0,123"
    assert format_number(2.5, "en", digits=0) == "2"  # half to even, as Python rounds
    assert format_number(math.nan) == "—"


def test_format_date_and_datetime():
    moment = datetime(2024, 2, 3, 14, 5, 9)
    assert format_date(moment) == "3 Feb 2024"
    assert format_date(date(2024, 2, 3), "nl") == "3 feb 2024"
    assert format_datetime(moment) == "3 Feb 2024, 14:05:09"
    assert format_datetime(moment, "nl") == "3 feb 2024, 14:05:09"
    stamp = pd.Timestamp("2024-02-03 14:05:09", tz="Europe/Amsterdam")
    assert format_date(stamp, "nl") == "3 feb 2024"
    assert format_datetime(stamp, "nl") == "3 feb 2024, 14:05:09"  # in its own zone
    assert format_date(pd.NaT) == format_datetime(None) == "—"
    assert format_month(stamp) == "Feb 2024"
    assert (format_month(stamp, "nl"), format_month(stamp, "de")) == ("feb 2024", "Feb. 2024")
    assert format_month(stamp, "qps") == "⟦Feb 2024⟧"  # month names are words: marked


def test_plotly_separators():
    assert plotly_separators("en") == ".,"
    assert plotly_separators("nl") == ",."


# --- messages -----------------------------------------------------------------------------


def test_say_a_key_fills_in_its_fields():
    assert say("upload.in_use", "en", name="log.xlsx") == "Using log.xlsx."
    assert say("upload.in_use", "nl", name="log.xlsx") == "In gebruik: log.xlsx."
    assert say("app.source", "nl") == "Log"


def test_say_a_message_with_its_own_and_extra_params():
    found = message("upload.in_use", name="a.csv")
    assert found == Message("upload.in_use", {"name": "a.csv"})
    assert say(found, "nl") == "In gebruik: a.csv."
    assert say(Message("upload.in_use"), "en", name="b.csv") == "Using b.csv."


def test_a_message_can_be_a_set_member():
    first = message("unit.day", count=Count(2), what=message("upload.in_use", name="a.csv"))
    again = Message("unit.day", {"what": message("upload.in_use", name="a.csv"), "count": Count(2)})
    assert first == again and hash(first) == hash(again)  # parameters in another order
    assert {first, again, message("unit.day", count=Count(3))} == {
        first,
        message("unit.day", count=Count(3)),
    }
    assert first in {again: "found"}


def test_any_name_can_be_a_parameter():
    # say's own arguments are positional-only, so fields may be called "what" or "language"
    assert say("map.selection.cases", "en", cases="3 cases", what="Triage").startswith("3 cases")
    assert message("x", key="k", language="nl").params == {"key": "k", "language": "nl"}


def test_typed_parameters_format_per_language():
    def both(value: object) -> tuple[str, str]:
        return say("journey.standout_more", "en", count=value), say(
            "journey.standout_more", "nl", count=value
        )

    assert both(Count(1234)) == ("All 1,234 differences", "Alle 1.234 verschillen")
    assert both(1234) == ("All 1,234 differences", "Alle 1.234 verschillen")  # plain int
    assert both(Share(0.004)) == ("All 0.4% differences", "Alle 0,4% verschillen")
    assert both(Duration(3.2 * DAY)) == ("All 3.2 days differences", "Alle 3,2 dagen verschillen")
    assert both(Number(1.5)) == ("All 1.5 differences", "Alle 1,5 verschillen")
    assert both(Number(1.5, digits=2)) == ("All 1.50 differences", "Alle 1,50 verschillen")
    assert both(2.25) == ("All 2.2 differences", "Alle 2,2 verschillen")  # plain float: 1 digit
    assert both("some") == ("All some differences", "Alle some verschillen")
    names = Items(("Intake", "Triage", "Exit"))
    assert both(names) == (
        "All Intake, Triage and Exit differences",
        "Alle Intake, Triage en Exit verschillen",
    )
    either = Items(("Intake", "Exit"), "or")
    assert both(either) == ("All Intake or Exit differences", "Alle Intake of Exit verschillen")


def test_nested_messages_render_in_the_same_language():
    inner = message("unit.day", count=2)
    assert say("upload.in_use", "nl", name=inner) == "In gebruik: dagen."
    listed = Items(("Intake", message("unit.hour", count=1)))
    assert say("upload.in_use", "en", name=listed) == "Using Intake and hour."


def test_plural_forms_follow_count():
    assert [say("unit.day", "en", count=n) for n in (0, 1, 2)] == ["days", "day", "days"]
    assert [say("unit.minute", "nl", count=n) for n in (0, 1, 2)] == [
        "minuten",
        "minuut",
        "minuten",
    ]
    assert say("unit.hour", "nl", count=Count(1)) == "uur"
    assert say(message("unit.second", count=Count(1)), "nl") == "seconde"
    with pytest.raises(TypeError):
        say("unit.day", "en")


def test_unknown_key_raises_key_error():
    with pytest.raises(KeyError):
        say("no.such.key", "nl")


def test_unknown_language_is_an_error():
    with pytest.raises(ValueError, match="no catalogue"):
        say("app.source", "xx")


# --- catalogues ---------------------------------------------------------------------------


@pytest.fixture
def locales(tmp_path, monkeypatch):
    """A locales folder of our own (copied from the real one), read afresh."""
    for file in LOCALES.glob("*.po"):
        (tmp_path / file.name).write_bytes(file.read_bytes())
    monkeypatch.setattr(_catalogues, "folder", lambda: tmp_path)
    _catalogues.catalogue.cache_clear()
    yield tmp_path
    _catalogues.catalogue.cache_clear()


PO = """msgid ""
msgstr ""
"Language: {locale}\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"
"Content-Type: text/plain; charset=utf-8\\n"

{entries}
"""


def test_a_key_missing_from_a_language_falls_back_to_english(locales):
    entries = 'msgid "upload.in_use"\nmsgstr "In Verwendung: {name}."\n'
    (locales / "de.po").write_text(PO.format(locale="de_DE", entries=entries))
    assert say("upload.in_use", "de", name="x") == "In Verwendung: x."
    assert say("app.sample", "de") == "Sample"  # not in de.po: English
    assert say("unit.day", "de", count=2) == "days"
    assert format_count(1234, "de") == "1.234"  # yet formatted the German way


def test_a_dropped_in_catalogue_is_a_language(locales):
    (locales / "de.po").write_text(PO.format(locale="de_DE", entries=""))
    assert languages() == {"en": "English", "de": "Deutsch", "nl": "Nederlands"}


def test_a_language_is_one_catalogue_file():
    """Adding a language is adding one file: the folder holds one `<code>.po` per language."""
    shipped = sorted(
        path.name for path in Path(words.__file__).parent.joinpath("locales").iterdir()
    )
    assert shipped == [f"{code}.po" for code in sorted(languages())]
    assert {"en", "nl", "de"} <= set(languages())


def test_languages_lists_each_catalogue_english_first():
    found = languages()
    assert next(iter(found)) == "en"
    assert found["en"] == "English" and found["nl"] == "Nederlands"
    assert "qps" not in found
    assert set(found) == {path.name.split(".")[0] for path in LOCALES.glob("*.po")}


# --- the pseudo locale --------------------------------------------------------------------


def test_pseudo_wraps_every_text_but_not_the_parameters():
    assert say("upload.in_use", "qps", name="log.xlsx") == "⟦Using log.xlsx.⟧"
    assert say("unit.day", "qps", count=1) == "⟦day⟧"
    assert say("unit.day", "qps", count=3) == "⟦days⟧"
    assert format_duration(3.2 * DAY, "qps") == "3.2 ⟦days⟧"
    assert format_count(1234, "qps") == "1,234"  # numbers as in English
    nested = say("upload.in_use", "qps", name=message("unit.hour", count=2))
    assert nested == "⟦Using ⟦hours⟧.⟧"  # each piece wrapped on its own


def test_pseudo_covers_every_english_key():
    english = _catalogues.catalogue("en")
    assert _catalogues.catalogue("qps").keys == english.keys
    for key in english.keys:
        for count in (1, 2):
            text = _catalogues.template(key, "en", count)
            assert _catalogues.template(key, "qps", count) == f"⟦{text}⟧", key


# --- completeness: guards every language added later -------------------------------------


def _fields(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _entries(language: str) -> dict[str, tuple[str, ...]]:
    entries: dict[str, tuple[str, ...]] = {}
    for path in sorted(LOCALES.glob(f"{language}.*po")):
        if path.name.split(".")[0] != language:
            continue
        with path.open("rb") as file:
            for entry in read_po(file):
                if entry.id:
                    key = entry.id if isinstance(entry.id, str) else entry.id[0]
                    forms = (entry.string,) if isinstance(entry.string, str) else entry.string
                    entries[key] = tuple(forms)
    return entries


@pytest.mark.parametrize("language", [code for code in languages() if code != "en"])
def test_every_english_key_is_in_each_catalogue_with_the_same_fields(language):
    english, other = _entries("en"), _entries(language)
    assert set(english) - set(other) == set(), "keys missing"
    assert set(other) - set(english) == set(), "keys English does not have"
    for key, forms in english.items():
        assert all(other[key]), f"{key} is not translated"
        for form in other[key]:
            assert _fields(form) == _fields(forms[-1]), key


def test_english_is_complete_and_well_formed():
    english = _entries("en")
    assert len(english) > 300
    assert all(all(forms) for forms in english.values())
    for key in ("unit.day", "unit.hour", "unit.minute", "unit.second"):
        assert len(english[key]) == 2


@pytest.mark.parametrize("module", [words, _catalogues, _formats, _messages])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
