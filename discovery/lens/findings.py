"""What the journey lens and the segment comparison found, as messages: a catalogue key
(`lens.*` in `discovery/words/locales/<code>.po`) and typed figures, said in any
language by `discovery.words.say`.

>>> from discovery.words import say
>>> say(dropoff_message("Triage", 90, 0.06, 1800), "nl")
'90 zaken (6% van wie er komt) haken af bij Triage; ze wachtten er mediaan 30 minuten op.'
"""

from __future__ import annotations

from discovery.log.schema import NO_VALUE
from discovery.words import Count, Duration, Message, Number, Share, message

__all__ = [
    "complaint_message",
    "difference_message",
    "dropoff_message",
    "moment_message",
    "segment_message",
]

_FAR = 100  # from this ratio on, a difference is "far longer" rather than "2,436× longer"


def _short(value: float) -> Number:
    """A number with one decimal, ".0" dropped: 3 / 3.5."""
    return Number(value, 0 if f"{value:.1f}".endswith(".0") else 1)


def _ratio(value: float) -> Number:
    """How many times: one decimal below 10 (".0" dropped), whole numbers from 10 on."""
    return _short(value) if value < 10 else Number(value, 0)


def moment_message(
    exposure: str,
    touchpoint: str,
    threshold: float,
    outcome: str,
    outcome_threshold: float,
    exposed_rate: float,
    other_rate: float,
    exposed_cases: int,
) -> Message:
    """One moment of truth as evidence.

    >>> say(moment_message("long_wait", "Intake", 5 * 86400, "drop_off", float("nan"),
    ...                    0.24, 0.08, 120))
    'Cases that wait more than 5 days before Intake drop out 3× as often (24% against 8%; 120 cases).'
    >>> say(moment_message("long_wait", "Intake", 5 * 86400, "drop_off", float("nan"),
    ...                    0.24, 0.08, 120), "nl")
    'Zaken die meer dan 5 dagen wachten voor Intake haken 3× zo vaak af (24% tegen 8%; 120 zaken).'
    """  # noqa: E501
    ratio = _ratio(exposed_rate / other_rate if other_rate else float("inf"))
    who_threshold = {"long_wait": Duration(threshold), "low_score": _short(threshold)}
    what_threshold = {
        "long_throughput": Duration(outcome_threshold),
        "low_score": _short(outcome_threshold),
    }
    return message(
        "lens.moment",
        who=message(
            f"lens.moment.who.{exposure}",
            touchpoint=touchpoint,
            threshold=who_threshold.get(exposure),
        ),
        what=message(f"lens.moment.what.{outcome}", ratio=ratio,
                     threshold=what_threshold.get(outcome)),
        exposed=Share(exposed_rate),
        other=Share(other_rate),
        cases=Count(exposed_cases),
    )  # fmt: skip


def dropoff_message(step: str, abandoned: int, drop_rate: float, wait_s: float | None) -> Message:
    """The step where most cases drop out.

    >>> say(dropoff_message("Triage", 90, 0.06, 1800))
    '90 cases (6% of those reaching it) drop out at Triage; they had waited a median of 30 minutes for it.'
    """  # noqa: E501
    figures = {"step": step, "abandoned": Count(abandoned), "share": Share(drop_rate)}
    if wait_s is not None and wait_s == wait_s:
        return message("lens.dropoff.waited", wait=Duration(wait_s), **figures)
    return message("lens.dropoff", **figures)


def complaint_message(touchpoint: str, rate: float, other_rate: float, cases: int) -> Message:
    """A touchpoint after which customers complain more often than others.

    >>> say(complaint_message("Invoice sent", 0.12, 0.04, 300))
    'After Invoice sent, 12% of cases complain, against 4% of the other cases (300 cases).'
    """
    return message(
        "lens.complaint",
        touchpoint=touchpoint,
        rate=Share(rate),
        other=Share(other_rate),
        cases=Count(cases),
    )


def segment_message(
    attribute: str,
    segment: str,
    measure: str,
    where: str | None,
    value: float,
    rest_value: float,
    unit: str,
) -> Message:
    """One segment difference that matters.

    >>> say(segment_message("age", "75+", "step_wait", "Admission", 7200, 3600, "seconds"))
    'age = 75+: wait before Admission is a median of 2 hours, against 1 hour for the other cases.'
    >>> say(segment_message("age", "75+", "drop_off", None, 0.2, 0.05, "share"), "nl")
    'age = 75+: uitval is 20%, tegen 5% bij de andere zaken.'
    """
    name = message(f"lens.measure.{measure}")
    if isinstance(where, str):
        name = message("lens.measure.at", measure=name, where=where)
    a, b = _figures(value, rest_value, "number" if unit == "mean" else unit)
    return message(
        "lens.segment", attribute=attribute, segment=segment, measure=name, value=a,
        rest_value=b,
    )  # fmt: skip


def difference_message(
    attribute: str,
    segment: str,
    measure: str,
    where: str | None,
    value: float,
    rest_value: float,
) -> Message:
    """A segment that stands out, said the short way: who, what and where, then the figures.

    >>> say(difference_message("age", "75+", "step_wait", "Admission", 7200, 3600))
    'Cases with age 75+ wait 2× longer before Admission: a median of 2 hours, against 1 hour for the other cases.'
    >>> say(difference_message("age", "75+", "step_wait", "Besluit", 86400 * 3, 30), "nl")
    'Zaken met age 75+ wachten veel langer voor Besluit: mediaan 3 dagen, tegen 30 seconden bij de andere zaken.'
    >>> say(difference_message("age", "75+", "drop_off", None, 0.2, 0.05), "nl")
    'Zaken met age 75+ haken vaker af: 20%, tegen 5% bij de andere zaken.'
    """  # noqa: E501
    if segment == NO_VALUE:
        who = message("lens.difference.who.without", attribute=attribute)
    else:
        who = message("lens.difference.who.with", attribute=attribute, segment=segment)
    figure = {"drop_off": "share", "score": "mean", "handoffs": "per_case"}.get(measure, "seconds")
    a, b = _figures(value, rest_value, figure)
    ratio = value / rest_value if rest_value > 0 else float("inf")
    if ratio >= _FAR:  # "24363× longer" says less than the two medians: "far longer"
        longer = message("lens.longer.far")
    else:
        longer = message("lens.longer.times", ratio=_ratio(ratio))
    side = "more" if value > rest_value else "less"
    what = message(f"lens.difference.{side}.{measure}", longer=longer, where=where)
    return message("lens.difference", who=who, what=what, value=a, rest_value=b)


def _figures(value: float, rest_value: float, figure: str) -> tuple[object, object]:
    """The two figures a difference compares: the segment's, saying what it is ("a median of
    2 hours"), and the other cases' bare ("1 hour"). `figure`: "seconds" (median durations),
    "share", "median", "mean" or "per_case" (numbers), or "number" (bare numbers)."""
    if figure == "share":
        return Share(value), Share(rest_value)
    a: object
    b: object
    if figure == "seconds":
        a, b = Duration(value), Duration(rest_value)
    else:
        a, b = _short(value), _short(rest_value)
    label = "median" if figure == "seconds" else figure
    if label in ("median", "mean", "per_case"):
        return message(f"lens.figure.{label}", value=a), b
    return a, b
