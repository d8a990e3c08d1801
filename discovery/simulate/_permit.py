"""Municipal permit application (omgevingsvergunning): Dutch log with one timestamp per event."""

from __future__ import annotations

from ._people import logins
from ._spec import (
    DropOff,
    Effects,
    Journey,
    LogFormat,
    PingPong,
    Rework,
    Score,
    Segment,
    Skip,
    SlowSegment,
    Step,
)

KCC, PERMITS, FINANCE = "Klantcontactcentrum", "Vergunningen", "Financiën"
BWT, RO, LEGAL = "Bouw- en Woningtoezicht", "Ruimtelijke Ordening", "Juridische Zaken"
MAIL = (("e-mail", 0.7), ("brief", 0.3))
DAY = 24.0

STEPS = (
    Step("Aanvraag ingediend via Omgevingsloket", KCC, 0, 1, "always", (("web", 1.0),),
         staff="Omgevingsloket", alternative_group="indiening", weight=0.72),
    Step("Aanvraag ingediend aan de balie", KCC, 0, 20, "office", (("balie", 1.0),),
         alternative_group="indiening", weight=0.28, score=Score(1, 5, 4.0, 0.3)),
    Step("Ontvangstbevestiging verstuurd", KCC, 2.0, 2, "office", MAIL, norm_hours=DAY),
    Step("Volledigheidstoets", PERMITS, 30.0, 30, "office", (("web", 1.0),), may_repeat=True,
         norm_hours=3 * DAY),
    Step("Aanvullende gegevens opgevraagd", PERMITS, 3.0, 15, "office", MAIL, share=0,
         may_repeat=True),
    Step("Aanvullende gegevens ontvangen", PERMITS, 9 * DAY, 5, "always",
         (("web", 0.8), ("e-mail", 0.2)), staff="Omgevingsloket", share=0, may_repeat=True,
         wait_sigma=0.8),
    Step("Legesnota verstuurd", FINANCE, 1 * DAY, 5, "office", MAIL),
    Step("Technische beoordeling", BWT, 14 * DAY, 90, "office", (("web", 1.0),),
         norm_hours=10 * DAY),
    Step("Advies Ruimtelijke Ordening", RO, 4 * DAY, 60, "office", (("web", 1.0),),
         norm_hours=5 * DAY),
    Step("Advies teruggelegd bij Bouw- en Woningtoezicht", BWT, 2 * DAY, 30, "office",
         (("web", 1.0),), share=0, intended=False),
    Step("Aanvullend advies Ruimtelijke Ordening", RO, 3 * DAY, 45, "office", (("web", 1.0),),
         share=0, intended=False),
    Step("Besluit genomen", PERMITS, 2 * DAY, 30, "office", (("web", 1.0),)),
    Step("Besluit verzonden", KCC, 4.0, 2, "office",
         (("brief", 0.4), ("e-mail", 0.3), ("web", 0.3)), goal=True,
         score=Score(1, 5, 3.6, 0.25), norm_hours=DAY),
    Step("Bezwaar ingediend", LEGAL, 20 * DAY, 10, "always",
         (("brief", 0.5), ("e-mail", 0.3), ("web", 0.2)), share=0.06, optional_group="bezwaar"),
    Step("Beslissing op bezwaar", LEGAL, 30 * DAY, 60, "office", MAIL, share=0.06,
         optional_group="bezwaar", norm_hours=42 * DAY),
)  # fmt: skip

PERMIT = Journey(
    name="permit",
    title="Municipal permit application (omgevingsvergunning)",
    description=(
        "Applications arrive through the national web portal (Omgevingsloket) or at the desk, are "
        "checked for completeness (missing documents are requested from the applicant), invoiced, "
        "reviewed by building control, advised on by spatial planning, decided and notified; a "
        "few end in an objection."
    ),
    steps=STEPS,
    staff={
        KCC: logins(0, 6),
        "Omgevingsloket": ("Omgevingsloket",),
        PERMITS: logins(6, 8),
        FINANCE: logins(14, 3),
        BWT: logins(17, 6),
        RO: logins(23, 4),
        LEGAL: logins(27, 3),
    },
    segment=Segment(("particulier", "bedrijf"), (0.7, 0.3)),
    effects=Effects(
        bottleneck=("Legesnota verstuurd", "Technische beoordeling"),
        ping_pong=PingPong(
            "Advies Ruimtelijke Ordening",
            "Advies teruggelegd bij Bouw- en Woningtoezicht",
            "Aanvullend advies Ruimtelijke Ordening",
            0.15,
        ),
        skip=Skip("Ontvangstbevestiging verstuurd", 0.10),
        rework=Rework(
            "Volledigheidstoets",
            0.20,
            via=("Aanvullende gegevens opgevraagd", "Aanvullende gegevens ontvangen"),
        ),
        slow=SlowSegment("bedrijf", "Besluit genomen", 2.0),
        drop_offs=(DropOff("Legesnota verstuurd", 0.08),),
        score_penalty=1.0,
    ),
    log=LogFormat(
        columns={
            "case_id": "zaaknummer",
            "activity": "stap",
            "timestamp": "datum",
            "resource": "behandelaar",
            "department": "afdeling",
            "channel": "kanaal",
            "score": "tevredenheid",
            "segment": "type aanvrager",
        },
        date_format="%d-%m-%Y %H:%M",
        excel_date_format="dd-mm-yyyy hh:mm",
        sheet="Zaken",
    ),
    n_cases=1200,
    case_prefix="",
    case_digits=7,
    first_case=4000,
    arrivals="web",
    season=(0.9, 0.9, 1.1, 1.2, 1.2, 1.1, 0.9, 0.8, 1.0, 1.0, 1.0, 0.9),
)
