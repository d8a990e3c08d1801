"""Sniffing a text file's encoding and delimiter from its first megabyte."""

from __future__ import annotations

import codecs
import csv as pycsv
import io
import itertools

from discovery.errors import LogError
from discovery.words import Message, message

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}  # io.delimiter.<name>
_SNIFF_ROWS = 50
_CONTROL_SHARE = 0.005


def sniff_encoding(sample: bytes, whole: bool, shown: str) -> tuple[str, Message, str]:
    """(pyarrow encoding, its name for the notes, decoded sample)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec, label = "utf-16", message("io.encoding.utf16")
    elif b"\x00" in sample:
        raise LogError(message("io.error.binary"), file=shown)
    elif sample.startswith(codecs.BOM_UTF8):
        codec, label = "utf-8-sig", message("io.encoding.utf8_bom")
    else:
        codec, label = "utf-8", message("io.encoding.utf8")
    try:
        text = codecs.getincrementaldecoder(codec)().decode(sample, final=whole)
    except UnicodeDecodeError:
        if codec != "utf-8":
            raise LogError(message("io.error.invalid_text", encoding=label), file=shown) from None
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            raise LogError(message("io.error.not_text"), file=shown) from None
        codec, label = "cp1252", message("io.encoding.cp1252")
    control = sum(text.count(chr(c)) for c in (*range(1, 9), 11, 12, *range(14, 32), 127))
    if control > _CONTROL_SHARE * max(len(text), 1):
        raise LogError(message("io.error.binary"), file=shown)
    arrow_codec = {"utf-8-sig": "utf8", "utf-8": "utf8"}.get(codec, codec)
    return arrow_codec, label, text


def sniff_delimiter(text: str, ends: list[str]) -> str | None:
    """The delimiter that splits the first rows into the most equal, widest records."""
    best: tuple[float, int, int] = (0.0, 0, 0)
    choice: str | None = None
    for delimiter in DELIMITERS:
        try:
            rows = [
                len(r)
                for r in itertools.islice(
                    pycsv.reader(io.StringIO(text), delimiter=delimiter), _SNIFF_ROWS
                )
                if r
            ]
        except pycsv.Error:
            continue
        if not rows or rows[0] < 2:
            continue
        consistency = sum(w == rows[0] for w in rows) / len(rows)
        preferred = int(delimiter == "\t" and ".tsv" in ends)
        score = (consistency, preferred, rows[0])
        if score > best:
            best, choice = score, delimiter
    return choice
