"""A log's tables (its events, the rows its quality report rejected) as DuckDB tables, and
back as the same pandas frames: same columns, order, values and dtypes.

A column Arrow cannot hold as one type (an Excel column of numbers and text, say) is kept
as text, each value written by `discovery.workspace._codec`, and read back as the values
themselves.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from discovery.log.quality import REJECTED_COLUMNS
from discovery.workspace._codec import dumps, loads

__all__ = [
    "Column",
    "content_key",
    "from_arrow",
    "rejected_from_arrow",
    "rejected_to_arrow",
    "to_arrow",
]

CODED = "coded"  # how a column Arrow cannot type is kept: each value as codec text


@dataclass(frozen=True)
class Column:
    """One column of a stored table: its name, its pandas dtype, and how it is kept
    ("arrow": as Arrow typed it; "coded": as text, value by value)."""

    name: str
    dtype: str
    kept: str = "arrow"


def to_arrow(frame: pd.DataFrame) -> tuple[pa.Table, tuple[Column, ...]]:
    """The frame as an Arrow table, and what each column was."""
    if not frame.columns.is_unique:
        raise ValueError("a workspace keeps tables whose column names are unique")
    arrays, columns = [], []
    for name in frame.columns:
        values = frame[name]
        try:
            array = pa.array(values, from_pandas=True)
            kept = "arrow"
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            array = pa.array(_coded(values), type=pa.large_string())
            kept = CODED
        arrays.append(array)
        columns.append(Column(str(name), str(values.dtype), kept))
    table = pa.Table.from_arrays(arrays, names=[column.name for column in columns])
    return table, tuple(columns)


def from_arrow(table: pa.Table, columns: tuple[Column, ...]) -> pd.DataFrame:
    """The frame `to_arrow` made `table` from."""
    frame = table.to_pandas()
    for column in columns:
        values = frame[column.name]
        if column.kept == CODED:
            frame[column.name] = pd.Series(_decoded(values), index=frame.index, dtype=object)
        elif str(values.dtype) != column.dtype:
            frame[column.name] = values.astype(column.dtype)
    return frame[[column.name for column in columns]]


def rejected_to_arrow(rejected: pd.DataFrame) -> tuple[pa.Table, tuple[str, ...]]:
    """The rejected rows (`QualityReport.rejected`): row numbers as they are; reasons
    (messages), columns and raw values as codec text; and the dtype of each column."""
    dtypes = tuple(str(rejected[name].dtype) for name in REJECTED_COLUMNS)
    return pa.table(
        {
            "row": pa.array(rejected["row"].to_numpy(dtype="int64")),
            "reason": pa.array(_coded(rejected["reason"]), type=pa.large_string()),
            "column": pa.array(_coded(rejected["column"]), type=pa.large_string()),
            "value": pa.array(_coded(rejected["value"]), type=pa.large_string()),
        }
    ), dtypes


def rejected_from_arrow(table: pa.Table, dtypes: tuple[str, ...]) -> pd.DataFrame:
    """The rejected rows `rejected_to_arrow` kept, with the dtypes they had."""
    data = table.to_pydict()
    columns = {
        "row": pd.Series(np.asarray(data["row"], dtype="int64")),
        **{
            name: pd.Series(_objects(_decoded(data[name])), dtype=object)
            for name in REJECTED_COLUMNS[1:]
        },
    }
    for name, dtype in zip(REJECTED_COLUMNS, dtypes, strict=True):
        if str(columns[name].dtype) != dtype:
            columns[name] = columns[name].astype(dtype)
    return pd.DataFrame(columns, columns=REJECTED_COLUMNS)


def _coded(values: pd.Series | list[object]) -> list[str]:
    return [dumps(value) for value in values]


def _decoded(texts: pd.Series | list[str]) -> list[object]:
    return [loads(text) for text in texts]


def _objects(values: list[object]) -> np.ndarray:
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def content_key(events: pa.Table, columns: tuple[Column, ...], rejected: pa.Table) -> str:
    """A digest of a log's stored tables (the SHA-256 of their columns as Arrow writes them,
    with each column's name, dtype and how it is kept): equal events give the same key, so a
    workspace keeps them once however many analyses use them."""
    digest = hashlib.sha256()
    digest.update(repr(columns).encode())
    for table in (events, rejected):
        digest.update(repr(table.schema.names).encode())
        for name in table.schema.names:
            single = pa.table({name: table[name].combine_chunks()})
            sink = pa.BufferOutputStream()
            with pa.ipc.new_stream(sink, single.schema) as writer:
                writer.write_table(single)
            digest.update(sink.getvalue())
    return digest.hexdigest()
