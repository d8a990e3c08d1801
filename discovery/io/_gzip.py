"""Gzip streams that cannot explode: the trailer is checked first, the limits while inflating.

The gzip trailer's ISIZE (last 4 bytes) claims the uncompressed size modulo 2**32, so it can
lie; it is only a first, cheap check. While inflating, output is capped at
MAX_DECOMPRESSED_BYTES and, past RATIO_FLOOR_BYTES, at MAX_RATIO times the compressed bytes
consumed. Multi-member gzip files (concatenated .gz) are read member after member under the
same limits.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from discovery.errors import LogError
from discovery.io._safety import MAX_DECOMPRESSED_BYTES, MAX_RATIO, RATIO_FLOOR_BYTES, MiB
from discovery.words import Count, message

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

_IN_CHUNK = 256 * 1024
_OUT_CHUNK = 1 * MiB


def check_gzip_trailer(path: Path, shown: str) -> int:
    """Reject a gzip file whose claimed size is over the limit or absurdly compressed.

    Returns the claimed uncompressed size (ISIZE).
    """
    size = path.stat().st_size
    if size < 18:
        raise LogError(message("io.error.gzip_short"), file=shown)
    with path.open("rb") as handle:
        handle.seek(-4, io.SEEK_END)
        claimed = int.from_bytes(handle.read(4), "little")
    if claimed > MAX_DECOMPRESSED_BYTES:
        limit = Count(MAX_DECOMPRESSED_BYTES)
        said = message("io.error.gzip_claims", claimed=Count(claimed), limit=limit)
        raise LogError(said, file=shown)
    if claimed > RATIO_FLOOR_BYTES and claimed > MAX_RATIO * size:
        said = message(
            "io.error.gzip_ratio",
            ratio=Count(claimed // size),
            size=Count(size),
            claimed=Count(claimed),
        )
        raise LogError(said, file=shown)
    return claimed


class BoundedGzipReader(io.RawIOBase):
    """A read-only stream of a gzip file's content that stops at the limits.

    >>> with BoundedGzipReader(Path("log.csv.gz"), "log.csv.gz") as stream:  # doctest: +SKIP
    ...     head = stream.read(100)
    """

    def __init__(self, path: Path, shown: str, limit: int = MAX_DECOMPRESSED_BYTES) -> None:
        super().__init__()
        self._shown = shown
        self._limit = limit
        self._file = path.open("rb")
        self._inflater = zlib.decompressobj(31)
        self._pending = b""
        self._done = False
        self.bytes_in = 0
        self.bytes_out = 0
        self.members = 1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: WriteableBuffer) -> int:
        while not self._pending and not self._done:
            self._pending = self._inflate_some()
        with memoryview(buffer) as view:
            count = min(len(view), len(self._pending))
            view[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def close(self) -> None:
        if not self.closed:
            self._file.close()
        super().close()

    def _inflate_some(self) -> bytes:
        inflater = self._inflater
        try:
            if inflater.unconsumed_tail:
                data = inflater.decompress(inflater.unconsumed_tail, _OUT_CHUNK)
            elif inflater.eof:
                rest = inflater.unused_data + self._file.read(_IN_CHUNK)
                self.bytes_in += len(rest) - len(inflater.unused_data)
                if not rest.strip(b"\x00"):
                    self._done = True
                    return b""
                self._inflater = zlib.decompressobj(31)
                self.members += 1
                data = self._inflater.decompress(rest, _OUT_CHUNK)
            else:
                chunk = self._file.read(_IN_CHUNK)
                if not chunk:
                    raise LogError(message("io.error.gzip_truncated"), file=self._shown)
                self.bytes_in += len(chunk)
                data = inflater.decompress(chunk, _OUT_CHUNK)
        except zlib.error as exc:
            said = message("io.error.gzip_damaged", reason=str(exc))
            raise LogError(said, file=self._shown) from None
        self.bytes_out += len(data)
        self._check_limits()
        return data

    def _check_limits(self) -> None:
        if self.bytes_out > self._limit:
            said = message("io.error.gzip_limit", limit=Count(self._limit))
            raise LogError(said, file=self._shown)
        if self.bytes_out > RATIO_FLOOR_BYTES and self.bytes_out > MAX_RATIO * max(
            self.bytes_in, 1
        ):
            said = message("io.error.gzip_bomb", ratio=str(MAX_RATIO))
            raise LogError(said, file=self._shown)


def open_bounded(path: Path, shown: str) -> BoundedGzipReader:
    """Check the trailer, then open a bounded stream of the content."""
    check_gzip_trailer(path, shown)
    return BoundedGzipReader(path, shown)


def read_gzip_head(path: Path, shown: str, size: int) -> bytes:
    """The first `size` bytes of a gzip file's content."""
    with open_bounded(path, shown) as stream:
        return read_up_to(stream, size)


def read_up_to(stream: io.RawIOBase | io.BufferedIOBase, size: int) -> bytes:
    """Read until `size` bytes or the end of the stream."""
    parts: list[bytes] = []
    left = size
    while left > 0:
        chunk = stream.read(min(left, _OUT_CHUNK))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)
