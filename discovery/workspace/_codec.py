"""Values as JSON text in the workspace, read back as equal values: messages and their
figures, quality findings, column mappings, intended journeys and their rules, stages, and
filters.

Only the kinds below are written and read (`KINDS`, by a stable name that never changes
with the code's class names); anything else fails loudly with a `TypeError`, and reading
builds nothing else. Tuples, lists, sets, times, durations and non-finite floats keep
their kind, so a value read back equals the one written.

>>> said = Message("unit.day", {"count": Count(2)})
>>> loads(dumps(said)) == said
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from discovery.intended._nets import Net
from discovery.intended.model import IntendedJourney, Step, WaitNorm
from discovery.intended.rules import EndsWith, FourEyes, Precedes, StartsWith, Within
from discovery.lens.stages import Stages
from discovery.log.quality import Finding
from discovery.log.schema import ColumnMapping
from discovery.mining.filters import (
    CaseAttribute,
    CaseDuration,
    DepartmentsTouched,
    Endpoints,
    Follows,
    TimeWindow,
    VariantSelection,
)
from discovery.mining.selection import ExactVariant
from discovery.words import Count, Duration, Items, Message, Number, Share

__all__ = ["KINDS", "dumps", "loads"]

# Stable names of the kinds a workspace holds. A name, once written, is never reused for
# another kind: files written by older versions name their values this way.
KINDS: dict[str, type] = {
    "message": Message,
    "count": Count,
    "share": Share,
    "duration": Duration,
    "number": Number,
    "items": Items,
    "finding": Finding,
    "column_mapping": ColumnMapping,
    "intended_journey": IntendedJourney,
    "step": Step,
    "wait_norm": WaitNorm,
    "net": Net,
    "rule.precedes": Precedes,
    "rule.within": Within,
    "rule.four_eyes": FourEyes,
    "rule.starts_with": StartsWith,
    "rule.ends_with": EndsWith,
    "stages": Stages,
    "filter.time_window": TimeWindow,
    "filter.case_attribute": CaseAttribute,
    "filter.variant_selection": VariantSelection,
    "filter.endpoints": Endpoints,
    "filter.case_duration": CaseDuration,
    "filter.follows": Follows,
    "filter.departments_touched": DepartmentsTouched,
    "filter.exact_variant": ExactVariant,
}
_NAME_OF = {kind: name for name, kind in KINDS.items()}


def dumps(value: object) -> str:
    """`value` as JSON text (see the module's docstring)."""
    return json.dumps(encode(value), ensure_ascii=False, allow_nan=False, separators=(",", ":"))


def loads(text: str) -> Any:
    """The value `dumps` wrote."""
    return decode(json.loads(text))


def encode(value: object) -> Any:
    """`value` as plain JSON data, each kind marked so that `decode` rebuilds it."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        number = float(value)
        return number if math.isfinite(number) else {"$float": repr(number)}
    if isinstance(value, pd.Timestamp | dt.datetime):
        stamp = pd.Timestamp(value)
        if stamp is pd.NaT:
            return {"$nat": None}
        zone = None if stamp.tzinfo is None else str(stamp.tzinfo)
        naive = stamp.tz_convert("UTC").tz_localize(None) if zone else stamp
        return {"$time": naive.isoformat(), "zone": zone}
    if value is pd.NaT:
        return {"$nat": None}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, pd.Timedelta | dt.timedelta):
        return {"$timedelta": int(pd.Timedelta(value).value)}
    if isinstance(value, tuple):
        return {"$tuple": [encode(item) for item in value]}
    if isinstance(value, list):
        return [encode(item) for item in value]
    if isinstance(value, frozenset | set):
        items = sorted((encode(item) for item in value), key=dumps_plain)
        return {"$frozenset" if isinstance(value, frozenset) else "$set": items}
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise TypeError(f"a workspace keeps mappings with text keys only: {value!r}")
        return {"$dict": {key: encode(item) for key, item in value.items()}}
    name = _NAME_OF.get(type(value))
    if name is not None and dataclasses.is_dataclass(value):
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"$kind": name, "fields": fields}
    raise TypeError(f"a workspace cannot keep a {type(value).__name__}: {value!r}")


def decode(data: Any) -> Any:
    """The value `encode` marked; a kind not in `KINDS` is an error, never built."""
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [decode(item) for item in data]
    if not isinstance(data, dict) or len(data) > 2:
        raise ValueError(f"not a workspace value: {data!r}")
    if "$kind" in data:
        kind = KINDS.get(data["$kind"])
        if kind is None:
            raise ValueError(f"unknown kind of value in the workspace: {data['$kind']!r}")
        return kind(**{name: decode(item) for name, item in data["fields"].items()})
    if "$tuple" in data:
        return tuple(decode(item) for item in data["$tuple"])
    if "$dict" in data:
        return {key: decode(item) for key, item in data["$dict"].items()}
    if "$float" in data:
        return float(data["$float"])
    if "$time" in data:
        stamp = pd.Timestamp(data["$time"])
        zone = data.get("zone")
        return stamp.tz_localize("UTC").tz_convert(zone) if zone else stamp
    if "$nat" in data:
        return pd.NaT
    if "$date" in data:
        return dt.date.fromisoformat(data["$date"])
    if "$timedelta" in data:
        return pd.Timedelta(data["$timedelta"])
    if "$frozenset" in data:
        return frozenset(decode(item) for item in data["$frozenset"])
    if "$set" in data:
        return {decode(item) for item in data["$set"]}
    raise ValueError(f"not a workspace value: {data!r}")


def dumps_plain(data: Any) -> str:
    """Encoded data as text, keys sorted: a set's members in an order that never changes."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False)
