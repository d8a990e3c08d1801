"""Column names as the user wrote them, made usable: trimmed, none blank, none twice."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from discovery.words import Message, message


def clean_headers(
    raw: Sequence[object], label: Callable[[int], str] = lambda i: str(i + 1)
) -> tuple[list[str], list[Message]]:
    """Trim header names (whitespace and BOM only), name blank ones, number duplicates.

    `label(i)` names the position of column `i` for messages (a number for CSV, a letter
    for Excel). Returns the names and one note per rename.

    >>> from discovery.words import say
    >>> names, notes = clean_headers(["id", " ", "id"])
    >>> names, [say(note) for note in notes]
    (['id', 'column_2', 'id_2'], ["blank header in column 2 named 'column_2'", \
"duplicate header 'id' in column 3 renamed to 'id_2'"])
    """
    names: list[str] = []
    notes: list[Message] = []
    taken: set[str] = set()
    stripped = [_text(value) for value in raw]
    reserved = set(stripped)
    for i, name in enumerate(stripped):
        if not name:
            new = unique(f"column_{label(i)}", taken | reserved)
            notes.append(message("io.note.blank_header", position=label(i), name=new))
        elif name in taken:
            new = unique(name, taken | reserved)
            notes.append(
                message("io.note.duplicate_header", header=name, position=label(i), name=new)
            )
        else:
            new = name
        taken.add(new)
        names.append(new)
    return names, notes


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`, ... whichever is not taken."""
    if name not in taken:
        return name
    k = 2
    while f"{name}_{k}" in taken:
        k += 1
    return f"{name}_{k}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().strip("\ufeff").strip()
