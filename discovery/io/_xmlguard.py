"""Refusing XML that could make a parser reach out or blow up, before any parser sees it.

A document type declaration is the only place entities can be declared, and it must come
before the root element. So the prolog (everything before the root element) is scanned as
bytes: any `<!DOCTYPE` or `<!ENTITY` (or any other `<!` declaration that is not a comment)
is refused, which stops XXE (external entities such as file:///etc/passwd) and "billion
laughs" (nested entity expansion) without resolving anything. The full pass over the file
(see `scan_body`) repeats the search, belt and braces.
"""

from __future__ import annotations

import re

from discovery.errors import LogError
from discovery.words import message

PROLOG_LIMIT = 1024 * 1024
REFUSED = message("io.error.xes_declarations")

_DECLARATION = re.compile(rb"<!(?!--)")
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


def check_prolog(head: bytes, shown: str) -> None:
    """Raise LogError unless `head` (the file's first bytes) has a safe prolog and a <log> root.

    `head` should be the first PROLOG_LIMIT bytes of the content (or all of it if shorter).
    """
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head[:64]:
        raise LogError(message("io.error.xes_not_utf8"), file=shown)
    text = head.removeprefix(b"\xef\xbb\xbf")
    pos = 0
    while True:
        start = text.find(b"<", pos)
        if start < 0 or start + 1 >= len(text):
            break
        if text[pos:start].strip():
            raise LogError(message("io.error.xes_text_before"), file=shown)
        if text.startswith(b"<?", start):
            end = text.find(b"?>", start)
            pos = end + 2
        elif text.startswith(b"<!--", start):
            end = text.find(b"-->", start)
            pos = end + 3
        elif _DECLARATION.match(text, start):
            raise LogError(REFUSED, file=shown)
        else:
            root = re.match(rb"<([A-Za-z_][\w.:\-]*)", text[start : start + 64])
            name = root.group(1).decode("ascii", "replace") if root else "?"
            if name.split(":")[-1] != "log":
                raise LogError(message("io.error.xes_root", name=name), file=shown)
            return
        if end < 0:
            break
    if len(head) >= PROLOG_LIMIT:
        raise LogError(message("io.error.xes_no_log_head"), file=shown)
    raise LogError(message("io.error.xes_no_log"), file=shown)


class BodyScan:
    """Counts event and trace elements and watches for declarations, chunk by chunk."""

    def __init__(self, shown: str) -> None:
        self._shown = shown
        self._tail = b""
        self.events = 0
        self.traces = 0

    def feed(self, chunk: bytes) -> None:
        data = self._tail + chunk
        at = data.find(b"<!")
        while at >= 0:
            if data[at : at + 9].upper().startswith(_FORBIDDEN):
                raise LogError(REFUSED, file=self._shown)
            at = data.find(b"<!", at + 2)
        # a 5-byte overlap is shorter than "<event", so nothing is counted twice
        counted = data[len(self._tail) - 5 :] if len(self._tail) >= 5 else data
        self.events += counted.count(b"<event")
        self.traces += counted.count(b"<trace")
        self._tail = data[-8:]
