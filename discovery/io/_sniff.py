"""Sniffing a text file's encoding and delimiter from its first megabyte."""

from __future__ import annotations

import codecs
import csv as pycsv
import io
import itertools

from discovery.errors import LogError

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SNIFF_ROWS = 50
_CONTROL_SHARE = 0.005


def sniff_encoding(sample: bytes, whole: bool, shown: str) -> tuple[str, str, str]:
    """(pyarrow encoding, label for the notes, decoded sample)."""
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec, label = "utf-16", "UTF-16 (with BOM)"
    elif b"\x00" in sample:
        raise LogError("is not a text file (it contains binary data); expected a CSV", file=shown)
    elif sample.startswith(codecs.BOM_UTF8):
        codec, label = "utf-8-sig", "UTF-8 with BOM"
    else:
        codec, label = "utf-8", "UTF-8"
    try:
        text = codecs.getincrementaldecoder(codec)().decode(sample, final=whole)
    except UnicodeDecodeError:
        if codec != "utf-8":
            raise LogError(f"is not valid {label} text", file=shown) from None
        try:
            text = sample.decode("cp1252")
        except UnicodeDecodeError:
            raise LogError(
                "is not a text file that can be read (neither UTF-8 nor Windows-1252)",
                file=shown,
            ) from None
        codec, label = "cp1252", "Windows-1252 (cp1252), as the text is not valid UTF-8"
    control = sum(text.count(chr(c)) for c in (*range(1, 9), 11, 12, *range(14, 32), 127))
    if control > _CONTROL_SHARE * max(len(text), 1):
        raise LogError("is not a text file (it contains binary data); expected a CSV", file=shown)
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
