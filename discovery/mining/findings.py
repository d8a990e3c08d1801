"""Plain-language findings in English and Dutch, made from results (never from raw events)."""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "nl"]

_UNITS = {
    "en": (("day", "days"), ("hour", "hours"), ("minute", "minutes"), ("second", "seconds")),
    "nl": (("dag", "dagen"), ("uur", "uur"), ("minuut", "minuten"), ("seconde", "seconden")),
}


def format_duration(seconds: float | None, language: Language = "en") -> str:
    """A duration as people say it: "3.2 days", "5 hours"; Dutch "3,2 dagen".

    >>> format_duration(3.2 * 86400), format_duration(3.2 * 86400, "nl")
    ('3.2 days', '3,2 dagen')

    A missing duration (None or NaN: nothing to measure) reads "—".
    """
    if seconds is None or seconds != seconds:
        return "—"
    day, hour, minute, second = _UNITS[language]
    for size, (one, many) in ((86400, day), (3600, hour), (60, minute), (1, second)):
        if seconds >= size or size == 1:
            value = seconds / size
            text = f"{value:.0f}" if value >= 10 else f"{value:.1f}".removesuffix(".0")
            if language == "nl":
                text = text.replace(".", ",")
            return f"{text} {one if text == '1' else many}"
    raise AssertionError("unreachable")


def format_share(share: float, language: Language = "en") -> str:
    """41% / 41%; below 1% one decimal: 0.4% / 0,4%."""
    text = f"{share:.0%}" if share >= 0.01 or share == 0 else f"{share:.1%}"
    return text.replace(".", ",") if language == "nl" else text


def format_count(count: int, language: Language = "en") -> str:
    """1,234 / 1.234."""
    text = f"{count:,}"
    return text.replace(",", ".") if language == "nl" else text


def plotly_separators(language: Language = "en") -> str:
    """Plotly's `separators` layout setting for `language`: the decimal mark, then the
    thousands mark (1,234.5 / 1.234,5)."""
    return ",." if language == "nl" else ".,"


def _named(activity: str, department: str | None) -> str:
    return f"{activity} ({department})" if isinstance(department, str) else activity


def _cases(count: int, language: Language) -> str:
    noun = {"en": ("case", "cases"), "nl": ("zaak", "zaken")}[language][count != 1]
    return f"{format_count(count, language)} {noun}"


def edge_bottleneck_sentence(
    source: str,
    target: str,
    source_department: str | None,
    target_department: str | None,
    median_s: float,
    cases: int,
    share: float,
    language: Language = "en",
) -> str:
    """One sentence on a waiting edge.

    >>> edge_bottleneck_sentence("Intake", "Assessment", "Front office", "Back office",
    ...                          3.2 * 86400, 840, 0.41)
    'Cases wait a median of 3.2 days between Intake (Front office) and Assessment (Back office); 840 cases, 41% of all waiting time.'
    """  # noqa: E501
    a, b = _named(source, source_department), _named(target, target_department)
    wait, part = format_duration(median_s, language), format_share(share, language)
    if language == "nl":
        return (
            f"Zaken wachten mediaan {wait} tussen {a} en {b}; "
            f"{_cases(cases, language)}, {part} van alle wachttijd."
        )
    return (
        f"Cases wait a median of {wait} between {a} and {b}; "
        f"{_cases(cases, language)}, {part} of all waiting time."
    )


def activity_bottleneck_sentence(
    activity: str,
    department: str | None,
    median_s: float,
    cases: int,
    share: float,
    language: Language = "en",
) -> str:
    """One sentence on the waiting before an activity."""
    name = _named(activity, department)
    wait, part = format_duration(median_s, language), format_share(share, language)
    if language == "nl":
        return (
            f"Voor {name} wachten zaken mediaan {wait}; "
            f"{_cases(cases, language)}, {part} van alle wachttijd."
        )
    return (
        f"Before {name}, cases wait a median of {wait}; "
        f"{_cases(cases, language)}, {part} of all waiting time."
    )


DEVIATION_NAMES: dict[str, dict[Language, str]] = {
    "skipped_step": {"en": "skipped step", "nl": "overgeslagen stap"},
    "extra_step": {"en": "extra step", "nl": "extra stap"},
    "wrong_order": {"en": "step in the wrong order", "nl": "stap in de verkeerde volgorde"},
    "repeated_step": {"en": "repeated step", "nl": "herhaalde stap"},
    "ended_early": {"en": "ended before the goal", "nl": "gestopt voor het doel"},
    "unexpected_department": {
        "en": "handled by an unexpected department",
        "nl": "door een andere afdeling uitgevoerd",
    },
    "wait_over_norm": {"en": "wait over the norm", "nl": "wachttijd boven de norm"},
    "rule_broken": {"en": "rule broken", "nl": "regel overtreden"},
}


def deviation_sentence(
    kind: str,
    step: str,
    cases: int,
    share: float,
    time_cost_s: float | None,
    language: Language = "en",
) -> str:
    """One sentence on a deviation from the intended journey.

    >>> deviation_sentence("skipped_step", "Triage", 120, 0.08, 2 * 86400)
    'Skipped step: Triage, in 120 cases (8%); these cases take 2 days longer (median) than conforming ones.'
    >>> deviation_sentence("skipped_step", "Triage", 120, 0.08, -3600, "nl")
    'Overgeslagen stap: Triage, in 120 zaken (8%); deze zaken duren 1 uur korter (mediaan) dan zaken die het bedoelde pad volgen.'
    """  # noqa: E501
    name = DEVIATION_NAMES[kind][language]
    text = f"{name[0].upper()}{name[1:]}: {step}, "
    counted = f"{_cases(cases, language)} ({format_share(share, language)})"
    text += f"in {counted}"
    if time_cost_s is None or time_cost_s != time_cost_s:
        return text + "."
    length = format_duration(abs(time_cost_s), language)
    if language == "nl":
        how = "langer" if time_cost_s >= 0 else "korter"
        return (
            f"{text}; deze zaken duren {length} {how} (mediaan) "
            "dan zaken die het bedoelde pad volgen."
        )
    how = "longer" if time_cost_s >= 0 else "shorter"
    return f"{text}; these cases take {length} {how} (median) than conforming ones."


def missing_step_sentence(step: str, closest: tuple[str, ...], language: Language = "en") -> str:
    """A step of the intended journey that the log does not have, with its closest names.

    >>> missing_step_sentence("Triage", ("Triage SEH",))
    "Step 'Triage' does not occur in the log; closest: 'Triage SEH'."
    """
    listed = ", ".join(f"'{name}'" for name in closest)
    if language == "nl":
        tail = f"; lijkt op: {listed}." if closest else "; geen naam in het log lijkt erop."
        return f"Stap '{step}' komt niet voor in het log{tail}"
    tail = f"; closest: {listed}." if closest else "; no name in the log is alike."
    return f"Step '{step}' does not occur in the log{tail}"
