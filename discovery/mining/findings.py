"""Findings as messages, made from results (never from raw events): a catalogue key
(`finding.*`, `deviation.*` in `discovery/words/locales/<code>.po`) and its typed
figures, said in any language by `discovery.words.say`.

>>> from discovery.words import say
>>> say(deviation_message("skipped_step", "Triage", 120, 0.08, -3600), "nl")
'Overgeslagen stap: Triage, in 120 zaken (8%); deze zaken duren 1 uur korter (mediaan) dan zaken die het bedoelde pad volgen.'
"""  # noqa: E501

from __future__ import annotations

from discovery.words import Count, Duration, Message, Number, Share, message

__all__ = [
    "DEVIATION_NAMES",
    "DEVIATION_TITLES",
    "activity_bottleneck_message",
    "approximate_message",
    "cases_message",
    "deviation_message",
    "edge_bottleneck_message",
    "missing_step_message",
]

_KINDS = (
    "skipped_step",
    "extra_step",
    "wrong_order",
    "repeated_step",
    "ended_early",
    "unexpected_department",
    "wait_over_norm",
    "rule_broken",
)
DEVIATION_NAMES: dict[str, Message] = {kind: message(f"deviation.{kind}") for kind in _KINDS}
"""Each kind of deviation's name, as a message: `say(DEVIATION_NAMES["skipped_step"], "nl")`
is "overgeslagen stap"."""
DEVIATION_TITLES: dict[str, Message] = {kind: message(f"deviation.{kind}.title") for kind in _KINDS}
"""The same names as they begin a sentence: "Overgeslagen stap"."""


def cases_message(count: int) -> Message:
    """ "1 case", "1,234 cases"; Dutch "1 zaak", "1.234 zaken"."""
    return message("finding.cases", count=Count(count))


def _named(activity: str, department: str | None) -> str | Message:
    if not isinstance(department, str):
        return activity
    return message("finding.named", activity=activity, department=department)


def edge_bottleneck_message(
    source: str,
    target: str,
    source_department: str | None,
    target_department: str | None,
    median_s: float,
    cases: int,
    share: float,
) -> Message:
    """A waiting edge.

    >>> from discovery.words import say
    >>> say(edge_bottleneck_message("Intake", "Assessment", "Front office", "Back office",
    ...                             3.2 * 86400, 840, 0.41))
    'Cases wait a median of 3.2 days between Intake (Front office) and Assessment (Back office); 840 cases, 41% of all waiting time.'
    """  # noqa: E501
    return message(
        "finding.edge_bottleneck",
        source=_named(source, source_department),
        target=_named(target, target_department),
        wait=Duration(median_s),
        cases=cases_message(cases),
        share=Share(share),
    )


def activity_bottleneck_message(
    activity: str, department: str | None, median_s: float, cases: int, share: float
) -> Message:
    """The waiting before an activity."""
    return message(
        "finding.activity_bottleneck",
        activity=_named(activity, department),
        wait=Duration(median_s),
        cases=cases_message(cases),
        share=Share(share),
    )


def deviation_message(
    kind: str, step: str | Message, cases: int, share: float, time_cost_s: float | None
) -> Message:
    """A deviation from the intended journey: how many cases, and what it costs them
    (their median throughput against the conforming cases'; NaN or None: not known).

    >>> from discovery.words import say
    >>> say(deviation_message("skipped_step", "Triage", 120, 0.08, 2 * 86400))
    'Skipped step: Triage, in 120 cases (8%); these cases take 2 days longer (median) than conforming ones.'
    """  # noqa: E501
    params: dict[str, object] = {
        "name": DEVIATION_TITLES[kind],
        "step": step,
        "cases": cases_message(cases),
        "share": Share(share),
    }
    if time_cost_s is None or time_cost_s != time_cost_s:
        return Message("finding.deviation", params)
    longer = "longer" if time_cost_s >= 0 else "shorter"
    return Message(f"finding.deviation.{longer}", params | {"duration": Duration(abs(time_cost_s))})


def missing_step_message(step: str, closest: tuple[str, ...]) -> Message:
    """A step of the intended journey that the log does not have, with its closest names.

    >>> from discovery.words import say
    >>> say(missing_step_message("Triage", ("Triage SEH",)))
    "Step 'Triage' does not occur in the log; closest: 'Triage SEH'."
    """
    if not closest:
        return message("finding.missing_step.none", step=step)
    listed = ", ".join(f"'{name}'" for name in closest)
    return message("finding.missing_step", step=step, closest=listed)


def approximate_message(cases: int, variants: int, low: float, high: float) -> Message:
    """The notice for cases whose alignment is approximate, with the fitness's bounds.

    >>> from discovery.words import say
    >>> say(approximate_message(12, 3, 0.8, 0.9), "nl").split(";")[0]
    'Benadering: 12 zaken (3 varianten) waren niet op tijd uitgelijnd'
    """
    return message(
        "finding.approximate",
        cases=Count(cases),
        variants=Count(variants),
        low=Number(low, 3),
        high=Number(high, 3),
    )
