"""Messages (a key and its parameters) and saying them in a language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Literal

from babel.lists import format_list

from discovery.words._catalogues import catalogue, template
from discovery.words._formats import (
    format_count,
    format_duration,
    format_number,
    format_share,
)


@dataclass(frozen=True)
class Message:
    """What to say, not yet in any language: a catalogue key and its parameters.

    >>> say(Message("upload.in_use", {"name": "log.xlsx"}), "nl")
    'In gebruik: log.xlsx.'
    """

    key: str
    params: Mapping[str, object] = field(default_factory=dict)

    def __hash__(self) -> int:
        """Over the key and the parameters in name order: equal messages hash equal (a
        message can be a set member or a dict key when its parameters can)."""
        return hash((self.key, tuple(sorted(self.params.items(), key=lambda item: item[0]))))


def message(key: str, /, **params: object) -> Message:
    """`Message(key, params)` written shorter: `message("upload.in_use", name="log.xlsx")`."""
    return Message(key, params)


def chain(parts: Sequence[str | Message], key: str) -> str | Message:
    """`parts` joined two by two with the catalogue entry `key` (fields `first` and `then`),
    for a list whose punctuation is fixed ("a, b, c" with "{first}, {then}"); `Items` lists
    as the language does ("a, b and c"). No parts give "".

    >>> say(chain(["a", message("unit.day", count=2)], "io.list"), "nl")
    'a, dagen'
    """
    joined: str | Message | None = None
    for part in parts:
        joined = part if joined is None else message(key, first=joined, then=part)
    return "" if joined is None else joined


@dataclass(frozen=True)
class Count:
    """A number of things: 1,234 / 1.234."""

    value: int


@dataclass(frozen=True)
class Share:
    """A fraction shown as a percentage: 41%; below 1% with one decimal, 0.4% / 0,4%."""

    value: float


@dataclass(frozen=True)
class Duration:
    """A time span in seconds, said in its largest unit: 3.2 days / 3,2 dagen."""

    seconds: float | None


@dataclass(frozen=True)
class Number:
    """A number with a fixed count of decimals: 1.5 / 1,5."""

    value: float
    digits: int = 1


@dataclass(frozen=True)
class Items:
    """Names (or messages) listed as the language lists them: "a, b and c" / "a, b en c"."""

    items: tuple[str | Message, ...]
    conjunction: Literal["and", "or"] = "and"


def _render(value: object, language: str) -> object:
    """A parameter as text in `language`; what is not a number or a message stays as is."""
    match value:
        case Message():
            return say(value, language)
        case Count(count):
            return format_count(count, language)
        case Share(share):
            return format_share(share, language)
        case Duration(seconds):
            return format_duration(seconds, language)
        case Number(number, digits):
            return format_number(number, language, digits)
        case Items(items, conjunction):
            style: Literal["standard", "or"] = "standard" if conjunction == "and" else "or"
            texts = [str(_render(item, language)) for item in items]
            return format_list(texts, style, locale=catalogue(language).locale)
        case bool() | str():
            return value
        case Integral():
            return format_count(int(value), language)
        case Real():
            return format_number(float(value), language)
    return value


def _count(value: object) -> int | None:
    if isinstance(value, Count):
        return int(value.value)
    if isinstance(value, Integral) and not isinstance(value, bool):
        return int(value)
    return None


def say(what: Message | str, language: str = "en", /, **params: object) -> str:
    """A message, or the text of a key, in `language` with its parameters filled in and
    formatted for the language. A plural entry takes its form from the parameter `count`.

    >>> say("upload.in_use", "nl", name="log.xlsx")
    'In gebruik: log.xlsx.'
    >>> say("unit.day", "nl", count=2), say(message("unit.day", count=Count(1)))
    ('dagen', 'day')
    """
    if isinstance(what, Message):
        key, params = what.key, {**what.params, **params}
    else:
        key = what
    text = template(key, language, _count(params.get("count")))
    rendered = {name: _render(value, language) for name, value in params.items()}
    return text.format(**rendered)
