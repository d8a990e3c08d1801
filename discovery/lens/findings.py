"""Plain sentences in English and Dutch for the journey lens and the segment comparison."""

from __future__ import annotations

from discovery.log.schema import NO_VALUE
from discovery.mining.findings import Language, format_count, format_duration, format_share


def _number(value: float, language: Language) -> str:
    text = f"{value:.1f}".removesuffix(".0")
    return text.replace(".", ",") if language == "nl" else text


def _ratio(value: float, language: Language) -> str:
    text = f"{value:.1f}".removesuffix(".0") if value < 10 else f"{value:.0f}"
    return (text.replace(".", ",") if language == "nl" else text) + "×"


def moment_sentence(
    exposure: str,
    touchpoint: str,
    threshold: float,
    outcome: str,
    outcome_threshold: float,
    exposed_rate: float,
    other_rate: float,
    exposed_cases: int,
    language: Language = "en",
) -> str:
    """One moment of truth as evidence.

    >>> moment_sentence("long_wait", "Intake", 5 * 86400, "drop_off", float("nan"),
    ...                 0.24, 0.08, 120)
    'Cases that wait more than 5 days before Intake drop out 3× as often (24% against 8%; 120 cases).'
    >>> moment_sentence("long_wait", "Intake", 5 * 86400, "drop_off", float("nan"),
    ...                 0.24, 0.08, 120, "nl")
    'Zaken die meer dan 5 dagen wachten voor Intake haken 3× zo vaak af (24% tegen 8%; 120 zaken).'
    """  # noqa: E501
    ratio = _ratio(exposed_rate / other_rate if other_rate else float("inf"), language)
    rates = (
        f"{format_share(exposed_rate, language)} "
        f"{'tegen' if language == 'nl' else 'against'} {format_share(other_rate, language)}; "
        f"{format_count(exposed_cases, language)} {'zaken' if language == 'nl' else 'cases'}"
    )
    if language == "nl":
        who = {
            "long_wait": f"Zaken die meer dan {format_duration(threshold, 'nl')} wachten voor "
            f"{touchpoint}",
            "repeated": f"Zaken die {touchpoint} meer dan eens doorlopen",
            "low_score": f"Zaken die bij {touchpoint} een {_number(threshold, 'nl')} of lager "
            "geven",
        }[exposure]
        what = {
            "drop_off": f"haken {ratio} zo vaak af",
            "complaint": f"dienen {ratio} zo vaak daarna een klacht in",
            "long_throughput": f"duren {ratio} zo vaak langer dan "
            f"{format_duration(outcome_threshold, 'nl')} in totaal",
            "low_score": f"geven {ratio} zo vaak een lage eindscore "
            f"({_number(outcome_threshold, 'nl')} of lager)",
        }[outcome]
        return f"{who} {what} ({rates})."
    who = {
        "long_wait": f"Cases that wait more than {format_duration(threshold)} before {touchpoint}",
        "repeated": f"Cases that go through {touchpoint} more than once",
        "low_score": f"Cases that score {touchpoint} {_number(threshold, 'en')} or lower",
    }[exposure]
    what = {
        "drop_off": f"drop out {ratio} as often",
        "complaint": f"complain afterwards {ratio} as often",
        "long_throughput": f"take longer than {format_duration(outcome_threshold)} in total "
        f"{ratio} as often",
        "low_score": f"give a low last score ({_number(outcome_threshold, 'en')} or lower) "
        f"{ratio} as often",
    }[outcome]
    return f"{who} {what} ({rates})."


def dropoff_sentence(
    step: str, abandoned: int, drop_rate: float, wait_s: float | None, language: Language = "en"
) -> str:
    """The step where most cases drop out.

    >>> dropoff_sentence("Triage", 90, 0.06, 1800)
    '90 cases (6% of those reaching it) drop out at Triage; they had waited a median of 30 minutes for it.'
    """  # noqa: E501
    share = format_share(drop_rate, language)
    waited = wait_s is not None and wait_s == wait_s
    if language == "nl":
        text = (
            f"{format_count(abandoned, 'nl')} zaken ({share} van wie er komt) haken af bij {step}"
        )
        tail = f"; ze wachtten er mediaan {format_duration(wait_s, 'nl')} op." if waited else "."
        return text + tail
    text = f"{format_count(abandoned)} cases ({share} of those reaching it) drop out at {step}"
    tail = f"; they had waited a median of {format_duration(wait_s)} for it." if waited else "."
    return text + tail


def complaint_sentence(
    touchpoint: str, rate: float, other_rate: float, cases: int, language: Language = "en"
) -> str:
    """A touchpoint after which customers complain more often than others.

    >>> complaint_sentence("Invoice sent", 0.12, 0.04, 300)
    'After Invoice sent, 12% of cases complain, against 4% of the other cases (300 cases).'
    """
    a, b = format_share(rate, language), format_share(other_rate, language)
    if language == "nl":
        return (
            f"Na {touchpoint} dient {a} van de zaken een klacht in, tegen {b} van de andere "
            f"zaken ({format_count(cases, 'nl')} zaken)."
        )
    return (
        f"After {touchpoint}, {a} of cases complain, against {b} of the other cases "
        f"({format_count(cases)} cases)."
    )


MEASURE_NAMES: dict[str, dict[Language, str]] = {
    "throughput": {"en": "throughput time", "nl": "doorlooptijd"},
    "drop_off": {"en": "drop-off rate", "nl": "uitval"},
    "score": {"en": "score", "nl": "score"},
    "handoffs": {"en": "handoffs per case", "nl": "overdrachten per zaak"},
    "stage_time": {"en": "time in stage", "nl": "tijd in fase"},
    "stage_wait": {"en": "wait before stage", "nl": "wachttijd voor fase"},
    "step_wait": {"en": "wait before", "nl": "wachttijd voor"},
}


def segment_sentence(
    attribute: str,
    segment: str,
    measure: str,
    where: str | None,
    value: float,
    rest_value: float,
    unit: str,
    language: Language = "en",
) -> str:
    """One segment difference that matters.

    >>> segment_sentence("age", "75+", "step_wait", "Admission", 7200, 3600, "seconds")
    'age = 75+: wait before Admission is a median of 2 hours, against 1 hour for the other cases.'
    >>> segment_sentence("age", "75+", "drop_off", None, 0.2, 0.05, "share", "nl")
    'age = 75+: uitval is 20%, tegen 5% bij de andere zaken.'
    """
    name = MEASURE_NAMES[measure][language]
    if isinstance(where, str):
        name = f"{name} {where}"
    if unit == "seconds":
        a, b = format_duration(value, language), format_duration(rest_value, language)
        a, b = (f"mediaan {a}", b) if language == "nl" else (f"a median of {a}", b)
    elif unit == "share":
        a, b = format_share(value, language), format_share(rest_value, language)
    else:
        a, b = _number(value, language), _number(rest_value, language)
        if unit == "median":
            a = f"mediaan {a}" if language == "nl" else f"a median of {a}"
    if language == "nl":
        return f"{attribute} = {segment}: {name} is {a}, tegen {b} bij de andere zaken."
    return f"{attribute} = {segment}: {name} is {a}, against {b} for the other cases."


# What a segment does more or less than the other cases: {measure: {language: (more, less)}};
# "{x}" takes "2× longer" / "2× zo lang" where the segment is slower, else nothing is filled.
DIFFERENCE_PHRASES: dict[str, dict[Language, tuple[str, str]]] = {
    "step_wait": {"en": ("wait {x} before {where}", "wait shorter before {where}"),
                  "nl": ("wachten {x} voor {where}", "wachten korter voor {where}")},
    "stage_wait": {"en": ("wait {x} before stage {where}", "wait shorter before stage {where}"),
                   "nl": ("wachten {x} voor fase {where}", "wachten korter voor fase {where}")},
    "stage_time": {"en": ("spend {x} in stage {where}", "spend less time in stage {where}"),
                   "nl": ("zijn {x} in fase {where}", "zijn korter in fase {where}")},
    "throughput": {"en": ("take {x} from start to end", "take less time from start to end"),
                   "nl": ("duren {x} van begin tot eind", "duren korter van begin tot eind")},
    "drop_off": {"en": ("drop out more often", "drop out less often"),
                 "nl": ("haken vaker af", "haken minder vaak af")},
    "score": {"en": ("give higher scores", "give lower scores"),
              "nl": ("geven hogere scores", "geven lagere scores")},
    "handoffs": {"en": ("are handed over more often", "are handed over less often"),
                 "nl": ("worden vaker overgedragen", "worden minder vaak overgedragen")},
}  # fmt: skip


_FAR = 100  # from this ratio on, a difference is "far longer" rather than "2,436× longer"


def difference_sentence(
    attribute: str,
    segment: str,
    measure: str,
    where: str | None,
    value: float,
    rest_value: float,
    language: Language = "en",
) -> str:
    """A segment that stands out, said the short way: who, what and where, then the figures.

    >>> difference_sentence("age", "75+", "step_wait", "Admission", 7200, 3600)
    'Cases with age 75+ wait 2× longer before Admission: a median of 2 hours, against 1 hour for the other cases.'
    >>> difference_sentence("age", "75+", "step_wait", "Besluit", 86400 * 3, 30, "nl")
    'Zaken met age 75+ wachten veel langer voor Besluit: mediaan 3 dagen, tegen 30 seconden bij de andere zaken.'
    >>> difference_sentence("age", "75+", "drop_off", None, 0.2, 0.05, "nl")
    'Zaken met age 75+ haken vaker af: 20%, tegen 5% bij de andere zaken.'
    """  # noqa: E501
    dutch = language == "nl"
    if segment == NO_VALUE:
        who = f"Zaken zonder {attribute}" if dutch else f"Cases without {attribute}"
    else:
        who = f"Zaken met {attribute} {segment}" if dutch else f"Cases with {attribute} {segment}"
    more, less = DIFFERENCE_PHRASES[measure][language]
    slower = value > rest_value
    if measure == "drop_off":
        a, b = format_share(value, language), format_share(rest_value, language)
    elif measure == "score":
        a, b = _number(value, language), _number(rest_value, language)
        a = f"gemiddeld {a}" if dutch else f"a mean of {a}"
    elif measure == "handoffs":
        a, b = _number(value, language), _number(rest_value, language)
        a = f"{a} keer per zaak" if dutch else f"{a} times per case"
    else:
        a, b = format_duration(value, language), format_duration(rest_value, language)
        a = f"mediaan {a}" if dutch else f"a median of {a}"
    ratio = value / rest_value if rest_value > 0 else float("inf")
    if ratio >= _FAR:  # "24363× longer" says less than the two medians: "far longer"
        longer = "veel langer" if dutch else "far longer"
    else:
        times = f"{_ratio(ratio, language)} "
        longer = f"{times}zo lang" if dutch else f"{times}longer"
    what = (more if slower else less).format(x=longer, where=where)
    rest = f"tegen {b} bij de andere zaken" if dutch else f"against {b} for the other cases"
    return f"{who} {what}: {a}, {rest}."
