"""The one error type users see: a problem with their input, said in their terms and language."""

from __future__ import annotations

from discovery.words import Message, say


class LogError(ValueError):
    """An input that cannot be used, naming the file, and where known the row and column.

    `message` is what is wrong, a `Message` (a catalogue key and its figures); `str(error)`
    says it in English after the place, `error.say(language)` in any language (the place
    through the catalogue too: "row 4" is "rij 4" in Dutch).

    >>> from discovery.words import message
    >>> error = LogError(message("io.error.not_found"), file="export.csv", row=4, column="datum")
    >>> str(error)
    "export.csv, row 4, column 'datum': file not found"
    >>> error.say("nl")
    "export.csv, rij 4, kolom 'datum': bestand niet gevonden"
    """

    def __init__(
        self,
        message: Message,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(self.say("en"))  # args hold the text: repr and tracebacks read it

    def __reduce__(self) -> tuple[object, ...]:
        """Pickled with its message and place (`args` hold only the English text)."""
        return (_rebuilt, (type(self), self.message, self.file, self.row, self.column))

    def __str__(self) -> str:
        return self.say("en")

    def say(self, language: str = "en") -> str:
        """The error in `language`: where it is (file, row, column), then what is wrong."""
        what = say(self.message, language)
        where = [part for part in (self.file,) if part]
        if self.row is not None:
            where.append(say("error.row", language, row=str(self.row)))
        if self.column is not None:
            where.append(say("error.column", language, column=self.column))
        if not where:
            return what
        return say("error.located", language, where=", ".join(where), error=what)


def _rebuilt(
    kind: type[LogError], message: Message, file: str | None, row: int | None, column: str | None
) -> LogError:
    return kind(message, file=file, row=row, column=column)
