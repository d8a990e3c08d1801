"""First checks for every file we read: a local regular file, within the limits, and what it is.

Limits, in one place:

- ``UPLOAD_LIMIT_BYTES`` (1 GiB): the largest upload the app should accept (set Streamlit's
  ``server.maxUploadSize`` from it). The readers themselves do not know where a file came from.
- ``MAX_FILE_BYTES`` (4 GiB): the largest file any reader opens from disk. Local CSV, XES and
  Parquet files bigger than an upload are fine up to this size.
- ``MAX_DECOMPRESSED_BYTES`` (4 GiB): the most a gzip stream may inflate to, enforced while
  streaming, whatever the gzip trailer claims.
- ``MAX_XLSX_UNPACKED_BYTES`` (2 GiB): the total inflated size of a workbook's zip members.
- ``MAX_RATIO`` (500:1) beyond ``RATIO_FLOOR_BYTES`` (100 MB): a compression ratio no real
  export reaches; above it a gzip file is treated as a decompression bomb.
- ``MAX_XLSX_RATIO`` (100:1) beyond ``XLSX_RATIO_FLOOR_BYTES`` (10 MB): the same for a
  workbook's parts. Excel writes every row and cell with its reference ("A2"), so its sheets
  compress about 11–17:1: 11.5–12 for the sample workbooks, 17 for 100,000 identical rows
  (`tests/test_io.py::test_workbooks_as_excel_writes_them_compress_far_below_the_bomb_ratio`).
- ``EXCEL_MAX_ROWS`` (1,048,576) and ``EXCEL_MAX_COLUMNS`` (16,384): Excel's own limits on a
  sheet; a sheet beyond them was not written by Excel and is refused while it is checked.
- ``MAX_SHEET_CELLS`` (100,000,000): the Excel reader lays a sheet out in memory as its rows
  times its widest column (about 30 bytes a cell before any is read), so a sheet spanning
  more is refused while it is checked: one stray cell at XFD1048576 in a 400 KB file would
  otherwise ask for half a terabyte and end the process. Excel's full 1,048,576 rows by 95
  columns still fit.
"""

from __future__ import annotations

import functools
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

from discovery.errors import LogError
from discovery.words import Number, message

KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB

UPLOAD_LIMIT_BYTES = 1 * GiB
MAX_FILE_BYTES = 4 * GiB
MAX_DECOMPRESSED_BYTES = 4 * GiB
MAX_XLSX_UNPACKED_BYTES = 2 * GiB
MAX_RATIO = 500
RATIO_FLOOR_BYTES = 100 * MiB
MAX_XLSX_RATIO = 100
XLSX_RATIO_FLOOR_BYTES = 10 * MiB
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
MAX_SHEET_CELLS = 100_000_000

Format = Literal["csv", "xlsx", "xes", "parquet"]
ReadAs = Literal["table", "csv", "excel", "xes", "parquet"]  # what a reader expects
Reader = TypeVar("Reader", bound=Callable[..., Any])

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:/|^(s3|gs|gcs|az|abfs|abfss|hdfs|file|data):", re.I)


def display_name(path: str | Path, name: str | None) -> str:
    """The name messages use: `name` if given, else the file's base name."""
    if name:
        return name
    return (Path(path).name or str(path)) if isinstance(path, str | Path) else "input"


def check_file(path: str | Path, name: str | None = None) -> tuple[Path, str]:
    """Check that `path` is a local, non-empty regular file within the size limit.

    Returns the path and the display name. Raises LogError otherwise.
    """
    if not isinstance(path, str | Path):
        raise LogError(message("io.error.not_a_path", kind=type(path).__name__), file=name)
    shown = display_name(path, name)
    if _URL.match(str(path)):
        raise LogError(message("io.error.url"), file=shown)
    file = Path(path)
    try:
        info = file.stat()
    except FileNotFoundError:
        raise LogError(message("io.error.not_found"), file=shown) from None
    except OSError as exc:
        reason = str(exc.strerror)
        raise LogError(message("io.error.cannot_open", reason=reason), file=shown) from None
    if stat.S_ISDIR(info.st_mode):
        raise LogError(message("io.error.folder"), file=shown)
    if not stat.S_ISREG(info.st_mode):
        raise LogError(message("io.error.not_regular"), file=shown)
    if info.st_size == 0:
        raise LogError(message("io.error.empty"), file=shown)
    if info.st_size > MAX_FILE_BYTES:
        size, limit = Number(info.st_size / GiB, 1), str(MAX_FILE_BYTES // GiB)
        raise LogError(message("io.error.too_large", size=size, limit=limit), file=shown)
    return file, shown


def read_head(path: Path, size: int = 8) -> bytes:
    """The first `size` bytes of a file."""
    with path.open("rb") as handle:
        return handle.read(size)


def suffixes(shown: str) -> list[str]:
    """Lower-case suffixes of the display name, e.g. ['.csv', '.gz']."""
    return [s.lower() for s in Path(shown).suffixes]


def guarded(kind: ReadAs) -> Callable[[Reader], Reader]:
    """Turn any unexpected failure of a reader into a LogError naming the file.

    Bad input must never surface as a traceback: a parser error we did not foresee becomes
    "could not be read as CSV (...)" (`kind` names what was expected: "csv", "table", ...);
    running out of memory says so.
    """

    def wrap(reader: Reader) -> Reader:
        @functools.wraps(reader)
        def read(path: str | Path, *args: Any, **kwargs: Any) -> Any:
            try:
                return reader(path, *args, **kwargs)
            except LogError:
                raise
            except MemoryError:
                shown = display_name(path, kwargs.get("name"))
                raise LogError(message("io.error.memory"), file=shown) from None
            except Exception as exc:
                shown = display_name(path, kwargs.get("name"))
                reason = f"{type(exc).__name__}: {exc}"[:300]
                expected = message(f"io.kind.{kind}")
                said = message("io.error.unreadable", kind=expected, reason=reason)
                raise LogError(said, file=shown) from None

        return cast(Reader, read)  # the same signature (mypy's way for such decorators)

    return wrap
