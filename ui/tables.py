"""Result tables made readable: translated column names, durations, shares and moments as
people say them."""

from __future__ import annotations

import pandas as pd

from discovery import (
    DEVIATION_NAMES,
    Conformance,
    Language,
    Message,
    format_duration,
    format_share,
    words,
)
from ui.i18n import t


def durations(seconds: pd.Series, language: Language) -> pd.Series:
    return seconds.map(lambda value: "" if pd.isna(value) else format_duration(value, language))


def shares(values: pd.Series, language: Language) -> pd.Series:
    return values.map(lambda value: format_share(value, language))


def moments(values: pd.Series, timezone: str, language: Language) -> pd.Series:
    """Moments in `timezone`, written as the language writes them; missing ones stay missing."""
    local = values.dt.tz_convert(timezone)
    return local.map(lambda moment: words.format_datetime(moment, language), na_action="ignore")


def deviations_named(
    table: pd.DataFrame, conformance: Conformance, language: Language
) -> pd.DataFrame:
    """`table` (deviations, or their ranking) with `kind` and `step` said in `language`: a
    broken rule's step (its id) is the rule's description."""

    def step(kind: str, name: str) -> str:
        said = conformance.step_name(kind, name)
        return words.say(said, language) if isinstance(said, Message) else said

    kinds, steps = table["kind"], table["step"]
    return table.assign(
        kind=kinds.map(lambda kind: words.say(DEVIATION_NAMES[kind], language)),
        step=[step(kind, name) for kind, name in zip(kinds, steps, strict=True)],
    )


def shown(
    frame: pd.DataFrame,
    columns: dict[str, str],
    language: Language,
    times: tuple[str, ...] = (),
    parts: tuple[str, ...] = (),
) -> pd.DataFrame:
    """`frame`'s `columns` (result column → text key), with those of `times` shown as
    durations and those of `parts` as shares (where they are among `columns`)."""
    table = frame[list(columns)].copy()
    for column in (column for column in times if column in columns):
        table[column] = durations(table[column], language)
    for column in (column for column in parts if column in columns):
        table[column] = shares(table[column], language)
    return table.rename(columns={column: t(key, language) for column, key in columns.items()})
