"""What the in-place analyses share: small frames ranked as the local analyses rank them."""

from __future__ import annotations

import pandas as pd


def ranked(frame: pd.DataFrame, by: str, keys: list[str]) -> pd.DataFrame:
    """Rows by `by`, largest first; ties by `keys` (as text, by code point)."""
    frame = frame.sort_values(keys).sort_values(by, ascending=False, kind="stable")
    return frame.reset_index(drop=True)


def as_text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`columns` as pandas text, as the local analyses give them."""
    return frame.astype(dict.fromkeys(columns, "str"))


def as_int(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.astype(dict.fromkeys(columns, "int64"))


def as_float(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame.astype(dict.fromkeys(columns, "float64"))
