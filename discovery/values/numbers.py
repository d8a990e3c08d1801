"""Numbers written as text, with a decimal comma (4,5; 1.234,56) or point (4.5; 1,234.56).

The separator is decided per column, from the data: a value such as "4,5" or "1.234,56"
can only be a decimal comma, "4.5" or "1,234.56" only a decimal point. When a column gives
no evidence either way ("1,234" and "1.234" alone are ambiguous), the point is assumed,
unless the caller says otherwise with `decimal=`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

Decimal = Literal[",", "."]

_COMMA = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"
_POINT = r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?"
_NOISE = r"[\s\u00a0\u202f€$£]"
_SAMPLE = 10_000


def detect_decimal(values: pd.Series, min_share: float = 0.9) -> Decimal | None:
    """The decimal separator a column of number-like text uses; None if it is not numeric.

    A column is numeric when at least `min_share` of its distinct values look like numbers.

    >>> detect_decimal(pd.Series(["4,5", "12", "1.234,56"]))
    ','
    >>> detect_decimal(pd.Series(["4.5", "12"]))
    '.'
    >>> detect_decimal(pd.Series(["open", "closed"])) is None
    True
    """
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        return "."
    text = _clean(pd.Series(values.dropna().unique()[:_SAMPLE]).astype(str))
    text = text[text != ""]
    if text.empty:
        return None
    comma = text.str.fullmatch(_COMMA)
    point = text.str.fullmatch(_POINT)
    if not (comma | point).any() or (comma | point).mean() < min_share:
        return None
    only_comma = int((comma & ~point).sum())
    only_point = int((point & ~comma).sum())
    return "," if only_comma > only_point else "."


def parse_number(series: pd.Series, decimal: Decimal | None = None) -> pd.Series:
    """Turn number-like text into floats, deciding the decimal separator from the column.

    Values that are not numbers in the chosen style become NaN; the index is kept.

    >>> parse_number(pd.Series(["4,5", "1.234,56", None])).tolist()
    [4.5, 1234.56, nan]
    >>> parse_number(pd.Series(["4.5", "1,234.56", "n/a"])).tolist()
    [4.5, 1234.56, nan]
    """
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    sep = decimal or detect_decimal(series, min_share=0.0) or "."
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    text = _clean(pd.Series(uniques, dtype=object).astype(str))
    if sep == ",":
        valid = text.str.fullmatch(_COMMA)
        plain = text.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        valid = text.str.fullmatch(_POINT)
        plain = text.str.replace(",", "", regex=False)
    numbers = pd.to_numeric(plain.where(valid), errors="coerce").to_numpy(dtype="float64")
    values = np.append(numbers, np.nan)[codes]  # code -1 (missing) picks the trailing NaN
    return pd.Series(values, index=series.index, name=series.name, dtype="float64")


def _clean(text: pd.Series) -> pd.Series:
    return text.str.replace(_NOISE, "", regex=True)
