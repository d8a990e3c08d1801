"""Numbers, shares, durations and dates as people write them in a language, through Babel.

Values are rounded as Python rounds a float (half to even on its exact binary value), then
Babel writes the rounded number with the locale's marks, so the digits never depend on the
language and match Python's own `format`.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.dates import format_skeleton
from babel.numbers import NumberPattern, get_decimal_symbol, get_group_symbol, parse_pattern

from discovery.words._catalogues import CLOSE, OPEN, PSEUDO, catalogue, template

MISSING = "—"  # what a missing value (None, NaN, NaT) reads as

# (seconds in the unit, catalogue key of its name), largest first
_UNITS = ((86400, "unit.day"), (3600, "unit.hour"), (60, "unit.minute"), (1, "unit.second"))


def _missing(value: object) -> bool:
    return value is None or value != value  # NaN and NaT are not equal to themselves


def _rounded(value: float, digits: int) -> Decimal:
    """`value` rounded to `digits` decimals exactly as `f"{value:.{digits}f}"` rounds it."""
    return Decimal(f"{float(value):.{digits}f}")


def _pattern(digits: int, grouped: bool = True) -> str:
    whole = "#,##0" if grouped else "0"
    return f"{whole}.{'0' * digits}" if digits else whole


@cache
def _parsed(pattern: str) -> NumberPattern:
    return parse_pattern(pattern)


def _written(value: Decimal | int, pattern: str, language: str) -> str:
    """`value` written by a CLDR number `pattern` ("#,##0.0", "0%") in `language`'s
    locale (as Babel's format_decimal / format_percent, with the pattern parsed once)."""
    text: str = _parsed(pattern).apply(value, catalogue(language).locale)  # Babel: untyped
    return text


def format_count(count: int, language: str = "en") -> str:
    """A count with the language's thousands mark.

    >>> format_count(1234), format_count(1234, "nl")
    ('1,234', '1.234')
    """
    return _written(int(count), "#,##0", language)


def format_number(value: float, language: str = "en", digits: int = 1) -> str:
    """`value` with `digits` decimals (always shown) and the language's marks; "—" if missing.

    >>> format_number(1.5), format_number(1234.567, "nl", digits=2)
    ('1.5', '1.234,57')
    """
    if _missing(value):
        return MISSING
    return _written(_rounded(value, digits), _pattern(digits), language)


def format_share(share: float, language: str = "en") -> str:
    """A share as a whole percentage; below 1% (and not 0) with one decimal; "—" if missing.

    >>> format_share(0.41), format_share(0.004), format_share(0.004, "nl")
    ('41%', '0.4%', '0,4%')
    """
    if _missing(share):
        return MISSING
    digits = 0 if share >= 0.01 or share == 0 else 1
    percent = _rounded(share * 100, digits)  # as Python's "%" format: times 100, then round
    return _written(percent.scaleb(-2), f"{_pattern(digits, grouped=False)}%", language)


def format_duration(seconds: float | None, language: str = "en") -> str:
    """A duration in the largest unit it fills: ten or more without decimals, less with one
    (".0" dropped); the unit's name comes from the catalogue ("unit.day", ...).

    >>> format_duration(3.2 * 86400), format_duration(3.2 * 86400, "nl")
    ('3.2 days', '3,2 dagen')
    >>> format_duration(86400), format_duration(59), format_duration(None)
    ('1 day', '59 seconds', '—')
    >>> format_duration(-4.8 * 86400)  # shorter than something: the same unit, a minus sign
    '-4.8 days'
    """
    if _missing(seconds):
        return MISSING
    assert seconds is not None
    if seconds < 0:
        return f"-{format_duration(-seconds, language)}"
    for size, key in _UNITS:
        if seconds >= size or size == 1:
            value = seconds / size
            digits = 0 if value >= 10 else 1
            rounded = _rounded(value, digits)
            text = _written(rounded, "0" if digits == 0 else "0.#", language)
            # gettext chooses a plural form by an integer: a fraction counts as "many"
            whole = rounded == rounded.to_integral_value()
            return f"{text} {template(key, language, int(rounded) if whole else 2)}"
    raise AssertionError("unreachable")


def format_date(value: date | datetime, language: str = "en") -> str:
    """A date in the language's medium format; "—" if missing. Takes a datetime or a
    pandas Timestamp too.

    >>> format_date(date(2024, 2, 3)), format_date(date(2024, 2, 3), "nl")
    ('3 Feb 2024', '3 feb 2024')
    """
    if _missing(value):
        return MISSING
    return _marked(babel_date(value, "medium", locale=catalogue(language).locale), language)


def format_month(value: date | datetime, language: str = "en") -> str:
    """A month and its year as the language writes them short; "—" if missing.

    >>> format_month(date(2025, 3, 1)), format_month(date(2025, 3, 1), "nl")
    ('Mar 2025', 'mrt 2025')
    """
    if _missing(value):
        return MISSING
    return _marked(format_skeleton("yMMM", value, locale=catalogue(language).locale), language)


def format_datetime(value: datetime, language: str = "en") -> str:
    """A moment in the language's medium format, in its own time zone (UTC if it has
    none); "—" if missing.

    >>> format_datetime(datetime(2024, 2, 3, 14, 5, 9), "nl")
    '3 feb 2024, 14:05:09'
    """
    if _missing(value):
        return MISSING
    return _marked(babel_datetime(value, "medium", locale=catalogue(language).locale), language)


def _marked(text: str, language: str) -> str:
    """A date as the locale writes it; in the pseudo language wrapped like a catalogue
    text, since its month names are the locale's words too."""
    return f"{OPEN}{text}{CLOSE}" if language == PSEUDO else text


def plotly_locale(language: str = "en") -> dict[str, Any] | None:
    """Plotly's locale for `language` (`Plotly.register` it, then give its name in the
    chart's `config`): the month and day names of the language's locale, for date axes.
    None for English, Plotly's own (registering "en" again would replace it).

    >>> plotly_locale("nl")["format"]["shortMonths"][2], plotly_locale("en")
    ('mrt', None)
    """
    locale = catalogue(language).locale
    if locale.language == "en":
        return None
    months, days = locale.months["format"], locale.days["format"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # Babel counts from Monday, d3 from Sunday
    return {
        "moduleType": "locale",
        "name": language,
        "dictionary": {},
        "format": {
            "months": [months["wide"][n] for n in range(1, 13)],
            "shortMonths": [months["abbreviated"][n].rstrip(".") for n in range(1, 13)],
            "days": [days["wide"][n] for n in sunday_first],
            "shortDays": [days["abbreviated"][n].rstrip(".") for n in sunday_first],
        },
    }


def plotly_separators(language: str = "en") -> str:
    """Plotly's `separators` layout setting: the decimal mark, then the thousands mark.

    >>> plotly_separators("en"), plotly_separators("nl")
    ('.,', ',.')
    """
    locale = catalogue(language).locale
    return get_decimal_symbol(locale) + get_group_symbol(locale)
