"""What changed, as messages: a catalogue key (`compare.*` in `discovery/words/locales`)
and typed figures, said in any language by `discovery.words.say`.

>>> from discovery.words import say
>>> say(change_message("step_wait", "Ontslag", 3.2 * 86400, 1.5 * 86400), "nl")
'De wachttijd voor Ontslag daalde van mediaan 3,2 dagen naar 1,5 dagen (0,47×).'
"""

from __future__ import annotations

from discovery.words import Count, Duration, Message, Number, Share, message

__all__ = ["change_message", "measure_name", "nothing_message"]

SECONDS = ("throughput", "step_wait")
SHARES = ("drop_off", "step_drop_off", "pingpong", "rework", "conformance")


def _figure(measure: str, value: float) -> object:
    if measure in SECONDS:
        return Duration(value)
    if measure in SHARES:
        return Share(value)
    return Number(value, 2)


def change_message(measure: str, where: str | None, a: float, b: float) -> Message:
    """One key figure that changed from `a` (the first log or period) to `b`.

    >>> from discovery.words import say
    >>> say(change_message("throughput", None, 4 * 86400, 3 * 86400))
    'Throughput time fell from a median of 4 days to 3 days (0.75×).'
    >>> say(change_message("pingpong", None, 0.15, 0.05), "de")
    'Der Anteil der Fälle mit Pingpong sank von 15% auf 5%.'
    """
    direction = "up" if b > a else "down"
    ratio = Number(b / a, 2) if a > 0 and measure in SECONDS else None
    return message(
        f"compare.change.{measure}.{direction}",
        where=where,
        a=_figure(measure, a),
        b=_figure(measure, b),
        ratio=ratio,
    )


def measure_name(measure: str, where: str | None) -> Message:
    """A key figure's name, with its step where it has one: "wait before Ontslag"."""
    return message(f"compare.measure.{measure}", where=where)


def nothing_message(tests: int) -> Message:
    """No key figure changed significantly and by enough to matter."""
    return message("compare.nothing", tests=Count(tests))
