"""Reading XES event logs (.xes, .xes.gz) with rustxes, after checking them for safety.

Before rustxes sees a file, the XML prolog is scanned and any DOCTYPE or entity declaration
is refused (see `_xmlguard`); the whole content is then streamed once, within the size
limits, counting event and trace elements. A .xes.gz is inflated by us, into a private
temporary file, so rustxes never decompresses anything itself. rustxes does not expand
entities either (it leaves `&name;` as text), but we do not rely on that.

XES keys become canonical names (`case:concept:name` → `case_id`, ...), trace attributes
`case:X` become `X` (or `case_X` where `X` is taken). rustxes returns timestamps converted
to UTC without a zone; they are made tz-aware UTC. The index is the event's position in the
file (1-based); rows come in file order.
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from discovery.errors import LogError
from discovery.io._gzip import open_bounded, read_up_to
from discovery.io._names import unique
from discovery.io._safety import GZIP_MAGIC, MiB, check_file, guarded, read_head
from discovery.io._table import RawTable
from discovery.io._xmlguard import PROLOG_LIMIT, BodyScan, check_prolog
from discovery.words import Count, Message, message

if TYPE_CHECKING:
    import polars as pl

CANONICAL = {
    "case:concept:name": "case_id",
    "concept:name": "activity",
    "time:timestamp": "timestamp",
    "lifecycle:transition": "lifecycle",
    "org:resource": "resource",
    "org:group": "department",
    "org:role": "role",
}
_CHUNK = 4 * MiB
_STDERR_LOCK = threading.Lock()
_MIXED = re.compile(r"Attribute (\S+) contains values of different dtypes")
_FIRST_TIME = re.compile(rb'key="time:timestamp"\s+value="([^"]+)"')


@guarded("xes")
def read_xes(path: str | Path, *, name: str | None = None) -> RawTable:
    """Read an XES event log into canonical columns, with a row per event element.

    >>> raw = read_xes("running-example.xes")  # doctest: +SKIP
    >>> raw.roles["case_id"], len(raw.frame)  # doctest: +SKIP
    ('case_id', 42)
    """
    file, shown = check_file(path, name)
    gz = read_head(file, 2) == GZIP_MAGIC
    notes: list[Message] = []
    with tempfile.TemporaryDirectory(prefix="discovery-xes-") as scratch:
        plain = Path(scratch) / "log.xes" if gz else file
        scan = _check_and_scan(file, shown, plain if gz else None)
        if gz:
            notes.append(message("io.note.gzip"))
        table, warnings = _import(plain, shown)
    frame = _to_pandas(table)
    if frame.empty:
        raise LogError(message("io.error.xes_no_events"), file=shown)
    notes += _count_notes(scan, len(frame), warnings, shown)
    frame = _unquote_mixed(frame, warnings)
    frame, renamed = _rename(frame)
    if renamed:
        listed = ", ".join(f"{a} → {b}" for a, b in renamed)
        notes.append(message("io.note.xes_renamed", renamed=listed))
    for column in ("case_id", "activity"):
        if column in frame:
            frame[column] = _as_text(frame[column])
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    for column in dates:
        frame[column] = frame[column].dt.tz_localize("UTC")
    if dates:
        notes.append(_time_note(scan.first_time))
    frame.index = pd.RangeIndex(1, len(frame) + 1)
    frame = frame[_column_order(frame.columns, renamed)]
    roles = {role: role for role in CANONICAL.values() if role in frame.columns}
    return RawTable(frame=frame, source=shown, format="xes", notes=tuple(notes), roles=roles)


class _Scan(BodyScan):
    first_time: bytes | None = None


def _check_and_scan(file: Path, shown: str, inflate_to: Path | None) -> _Scan:
    """Refuse unsafe XML, stream the whole content within the limits, count elements."""
    scan = _Scan(shown)
    with _content(file, shown) as chunks:
        head = b""
        for chunk in chunks:
            head += chunk
            if len(head) >= PROLOG_LIMIT:
                break
        check_prolog(head[:PROLOG_LIMIT], shown)
        trace = head.find(b"<trace")
        found = _FIRST_TIME.search(head, trace) if trace >= 0 else None
        scan.first_time = found.group(1) if found else None
        out = inflate_to.open("wb") if inflate_to else None
        try:
            for chunk in _prepend(head, chunks):
                scan.feed(chunk)
                if out:
                    out.write(chunk)
        finally:
            if out:
                out.close()
    return scan


@contextmanager
def _content(file: Path, shown: str) -> Iterator[Iterator[bytes]]:
    """The content of a plain or gzipped file, chunk by chunk, within the limits."""
    gz = read_head(file, 2) == GZIP_MAGIC
    with open_bounded(file, shown) if gz else file.open("rb") as stream:
        yield iter(lambda: read_up_to(stream, _CHUNK), b"")


def _prepend(head: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield head
    yield from rest


def _import(plain: Path, shown: str) -> tuple[pl.DataFrame, str]:
    """Run rustxes, turning any failure (Rust panics included) into a LogError.

    rustxes prints warnings and panic messages to the process's stderr; they are captured
    and returned, so none leaks to the user's console.
    """
    with _STDERR_LOCK, tempfile.TemporaryFile() as captured:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(captured.fileno(), 2)
        try:
            import rustxes  # with polars: 0.1 s to import, for XES files only

            table, _meta = rustxes.import_xes(str(plain))
            error = None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # pyo3 PanicException derives from BaseException
            error = exc
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        captured.seek(0)
        warnings = captured.read(64 * 1024).decode("utf-8", "replace")
    if error is not None:
        reason = str(error).split(": ", 1)[-1] if "unwrap()" in str(error) else str(error)
        raise LogError(message("io.error.xes_invalid", reason=reason[:200]), file=shown)
    return table, warnings


def _count_notes(scan: _Scan, rows: int, warnings: str, shown: str) -> list[Message]:
    """Check that every event element became a row; explain any difference."""
    notes = []
    orphans = warnings.count("Event without trace")
    if rows + orphans != scan.events:
        said = message("io.error.xes_events_lost", events=Count(scan.events), rows=Count(rows))
        raise LogError(said, file=shown)
    if orphans:
        notes.append(message("io.note.xes_orphans", count=Count(orphans)))
    if "different dtypes" in warnings:
        notes.append(message("io.note.xes_mixed_types"))
    events = message("io.events", count=Count(scan.events))
    traces = message("io.traces", count=Count(scan.traces))
    notes.append(message("io.note.xes_counts", events=events, traces=traces))
    return notes


def _to_pandas(table: pl.DataFrame) -> pd.DataFrame:
    """polars → pandas with nullable integers and booleans (no float or object fallback)."""
    arrow = table.to_arrow()
    nullable = {
        pa.int64(): pd.Int64Dtype(),
        pa.int32(): pd.Int64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }
    return arrow.to_pandas(types_mapper=nullable.get)


def _unquote_mixed(frame: pd.DataFrame, warnings: str) -> pd.DataFrame:
    """Undo rustxes's quoting of text in attributes that mix types (7 and "t2")."""
    for key in _MIXED.findall(warnings):
        if key in frame and pd.api.types.is_string_dtype(frame[key]):
            frame[key] = frame[key].str.replace(r'^"(.*)"$', r"\1", regex=True)
    return frame


def _column_order(columns: pd.Index, renamed: list[tuple[str, str]]) -> list[str]:
    """Canonical roles first, then trace attributes, then event attributes, each A to Z."""
    from_trace = {new for old, new in renamed if old.startswith("case:")}
    roles = [c for c in CANONICAL.values() if c in columns]
    rest = sorted(c for c in columns if c not in roles)
    return roles + [c for c in rest if c in from_trace] + [c for c in rest if c not in from_trace]


def _rename(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """XES keys to canonical names; trace attributes lose their `case:` prefix."""
    mapping = {key: CANONICAL[key] for key in frame.columns if key in CANONICAL}
    taken = set(mapping.values())
    events = [c for c in frame.columns if c not in mapping and not c.startswith("case:")]
    for key in events:
        mapping[key] = unique(key, taken)
        taken.add(mapping[key])
    for key in frame.columns:
        if key in mapping:
            continue
        bare = key.removeprefix("case:")
        mapping[key] = unique(bare if bare not in taken else f"case_{bare}", taken)
        taken.add(mapping[key])
    order = list(CANONICAL)
    renamed = sorted(
        ((k, v) for k, v in mapping.items() if k != v),
        key=lambda kv: (order.index(kv[0]) if kv[0] in CANONICAL else len(order), kv[0]),
    )
    return frame.rename(columns=mapping), renamed


def _as_text(series: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(series) and series.dropna().mod(1).eq(0).all():
        series = series.astype("Int64")
    return series.astype("str").where(series.notna())


def _time_note(first: bytes | None) -> Message:
    text = (first or b"").decode("ascii", "replace")
    if not text:
        return message("io.note.xes_time_rustxes")
    if re.search(r"(Z|[+-]\d{2}:?\d{2})$", text):
        return message("io.note.xes_time_offsets", example=text)
    return message("io.note.xes_time_naive", example=text)
