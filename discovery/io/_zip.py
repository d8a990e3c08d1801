"""Checking an .xlsx (a zip) for bombs before any Excel parser sees it.

The declared sizes are summed and their ratios checked first; then every member's compressed
bytes are inflated once, counting, so that a member whose declared size lies is caught before
the parser inflates it for real. Only stored and deflated members are accepted.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from discovery.errors import LogError
from discovery.io._safety import MAX_RATIO, MAX_XLSX_UNPACKED_BYTES, RATIO_FLOOR_BYTES, MiB

MAX_MEMBERS = 10_000
_CHUNK = 1 * MiB
_LOCAL_HEADER = struct.Struct("<4s22xHH")


def check_xlsx_zip(path: Path, shown: str) -> None:
    """Raise LogError unless `path` is a workbook zip within the size and ratio limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise LogError(f"is not a valid Excel workbook (damaged zip: {exc})", file=shown) from None
    names = {info.filename for info in members}
    if not names & {"xl/workbook.xml", "xl/workbook.bin"}:
        raise LogError("is a zip file but not an Excel workbook (no xl/workbook.xml)", file=shown)
    if len(members) > MAX_MEMBERS:
        raise LogError(f"workbook has {len(members):,} parts; refused", file=shown)
    total = sum(info.file_size for info in members)
    if total > MAX_XLSX_UNPACKED_BYTES:
        raise LogError(
            f"workbook unpacks to {total:,} bytes; the limit is {MAX_XLSX_UNPACKED_BYTES:,}",
            file=shown,
        )
    for info in members:
        _check_ratio(info.file_size, info.compress_size, info.filename, shown)
    with path.open("rb") as handle:
        for info in members:
            _check_member(handle, info, shown)


def _check_ratio(size: int, packed: int, member: str, shown: str) -> None:
    if size > RATIO_FLOOR_BYTES and size > MAX_RATIO * max(packed, 1):
        raise LogError(
            f"workbook part {member} expands {size // max(packed, 1):,} times; refused as a "
            "likely decompression bomb",
            file=shown,
        )


def _check_member(handle: BinaryIO, info: zipfile.ZipInfo, shown: str) -> None:
    """Inflate one member's raw bytes, counting, and compare with its declared size."""
    if info.flag_bits & 0x1:
        raise LogError("workbook is encrypted; save it as an unprotected .xlsx", file=shown)
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise LogError(
            f"workbook part {info.filename} uses an unsupported compression method", file=shown
        )
    handle.seek(info.header_offset)
    signature, name_len, extra_len = _LOCAL_HEADER.unpack(handle.read(_LOCAL_HEADER.size))
    if signature != b"PK\x03\x04":
        raise LogError("is not a valid Excel workbook (damaged zip)", file=shown)
    handle.seek(name_len + extra_len, 1)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = 0
    while left > 0:
        chunk = handle.read(min(left, _CHUNK))
        if not chunk:
            break
        left -= len(chunk)
        while chunk:
            if inflater is None:
                produced += len(chunk)
                break
            try:
                out = inflater.decompress(chunk, _CHUNK)
            except zlib.error:
                raise LogError(f"workbook part {info.filename} is damaged", file=shown) from None
            produced += len(out)
            if produced > info.file_size:
                raise LogError(
                    f"workbook part {info.filename} holds more than its declared size; "
                    "refused as a likely decompression bomb",
                    file=shown,
                )
            chunk = inflater.unconsumed_tail
    if inflater is not None:
        produced += len(inflater.flush())
    if produced != info.file_size:
        raise LogError(
            f"workbook part {info.filename} is damaged (size does not match)", file=shown
        )
