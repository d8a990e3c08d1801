"""One JSON convention for every result's `to_dict` and the CLI's `--json`.

- NaN, infinity, NaT and pandas' NA become null;
- times become ISO 8601 strings in UTC: "2024-03-01T08:00:00Z" (a time without a zone is
  taken as UTC);
- durations (timedeltas) become seconds, as floats;
- numpy scalars become Python numbers and booleans;
- tuples, lists, sets and arrays become lists (sets sorted); mapping keys become strings;
- a DataFrame becomes a list of row dicts (`records`), a Series a list;
- a message (`discovery.words.Message`) is said in the language asked for, and a field or
  table column named `message` is written as `sentence`: every result's findings in words
  are one `sentence`, in `--language`.

Anything else is a `TypeError`: a value that has no JSON form fails loudly instead of
being written as its `str()`.

>>> to_json_value({"wait_s": float("nan"), "at": pd.Timestamp("2024-03-01 08:00", tz="UTC")})
{'wait_s': None, 'at': '2024-03-01T08:00:00Z'}
>>> to_json_dict({"message": Message("unit.day", {"count": 2})}, "nl")
{'sentence': 'dagen'}
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from discovery.words import Language, Message, say

__all__ = [
    "SAID_FIELD",
    "SCHEMA_VERSION",
    "JSONValue",
    "records",
    "to_json_dict",
    "to_json_value",
]

# The version of the CLI's JSON (discovery/schemas/*.schema.json): the major number changes
# when a field is removed or renamed or changes meaning or type, the minor when one is added.
SCHEMA_VERSION = "2.1"

JSONValue = None | bool | int | float | str | list["JSONValue"] | dict[str, "JSONValue"]

# A result's field or column of messages, `message`, is written under this name, said.
SAID_FIELD = "sentence"


def to_json_dict(fields: Mapping[str, object], language: Language = "en") -> dict[str, JSONValue]:
    """A result's fields as a JSON-ready dict, each value by the rules above, messages
    said in `language`: what every `to_dict` returns.

    >>> to_json_dict({"cases": np.int64(3), "span": pd.Timedelta(minutes=1)})
    {'cases': 3, 'span': 60.0}
    """
    return {_key(key): to_json_value(value, language) for key, value in fields.items()}


def to_json_value(value: object, language: Language = "en") -> JSONValue:
    """`value` as plain JSON data (None, bool, int, float, str, list, dict), by the rules
    above; a message said in `language`."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return str(value)  # numpy's str_ too
    if isinstance(value, Message):
        return say(value, language)
    if value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, dt.timedelta | np.timedelta64):  # before int: numpy's is an integer
        seconds: float = pd.Timedelta(value).total_seconds()
        return to_json_value(seconds)
    if isinstance(value, dt.datetime | np.datetime64):
        return _utc_text(pd.Timestamp(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Mapping):
        return to_json_dict(value, language)
    if isinstance(value, pd.DataFrame):
        rows: list[JSONValue] = [*records(value, language)]
        return rows
    if isinstance(value, set | frozenset):
        return [to_json_value(item, language) for item in sorted(value)]
    if isinstance(value, list | tuple | np.ndarray | pd.Series | pd.Index):
        return [to_json_value(item, language) for item in value]
    if isinstance(value, pd.Period):
        return str(value)
    raise TypeError(f"no JSON form for {type(value).__name__}: {value!r}")


def records(frame: pd.DataFrame, language: Language = "en") -> list[dict[str, JSONValue]]:
    """A table's rows as JSON-ready dicts, column order kept, messages said in `language`
    (a column `message` as `sentence`).

    >>> records(pd.DataFrame({"step": ["A"], "wait_s": [np.inf]}))
    [{'step': 'A', 'wait_s': None}]
    """
    columns = [_key(column) for column in frame.columns]
    return [
        dict(zip(columns, (to_json_value(value, language) for value in row), strict=True))
        for row in frame.itertuples(index=False, name=None)
    ]


def _key(key: object) -> str:
    """A field's or column's JSON name: `message` (messages) is written as `sentence`."""
    return SAID_FIELD if key == "message" else str(key)


def _utc_text(stamp: pd.Timestamp) -> str | None:
    if stamp is pd.NaT:
        return None
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    text: str = stamp.isoformat()  # pandas is untyped here: Any
    return text.replace("+00:00", "Z")
