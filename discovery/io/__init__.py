"""Reading event logs from files, safely.

>>> from discovery.io import read_table  # doctest: +SKIP
>>> raw = read_table("export.csv")  # doctest: +SKIP
"""

from discovery.io._read import read_table
from discovery.io._safety import (
    MAX_DECOMPRESSED_BYTES,
    MAX_FILE_BYTES,
    MAX_XLSX_UNPACKED_BYTES,
    UPLOAD_LIMIT_BYTES,
)
from discovery.io._table import RawTable
from discovery.io.csv import read_csv
from discovery.io.excel import list_sheets, read_excel
from discovery.io.parquet import read_parquet
from discovery.io.xes import read_xes
from discovery.values.numbers import detect_decimal, parse_number

__all__ = [
    "MAX_DECOMPRESSED_BYTES",
    "MAX_FILE_BYTES",
    "MAX_XLSX_UNPACKED_BYTES",
    "UPLOAD_LIMIT_BYTES",
    "RawTable",
    "detect_decimal",
    "list_sheets",
    "parse_number",
    "read_csv",
    "read_excel",
    "read_parquet",
    "read_table",
    "read_xes",
]
