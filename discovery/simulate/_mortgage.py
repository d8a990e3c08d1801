"""Mortgage journey with touchpoints at other organisations (makelaar, taxateur, notaris)."""

from __future__ import annotations

from ._people import team
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

ADVICE, AGENT, APPLICATIONS = "Advice", "Estate agent", "Applications"
BACK_OFFICE, VALUATION, UNDERWRITING = "Back Office", "Valuation", "Underwriting"
NOTARY, PAYMENTS = "Notary office", "Payments"
EMAIL = (("email", 1.0),)
DAY = 24.0

STEPS = (
    Step("Orientation conversation", ADVICE, 0, 60, "office",
         (("desk", 0.5), ("phone", 0.3), ("app", 0.2)), score=Score(1, 10, 7.8, 0.3)),
    Step("Purchase agreement signed", AGENT, 3 * DAY, 45, "office", (("desk", 1.0),),
         wait_sigma=1.0),
    Step("Mortgage application submitted", APPLICATIONS, 1 * DAY, 30, "always", (("web", 1.0),),
         staff="customer"),
    Step("Application returned for correction", APPLICATIONS, 20.0, 10, "office", EMAIL,
         share=0, intended=False),
    Step("Valuation requested", BACK_OFFICE, 8.0, 5, "office", EMAIL, norm_hours=DAY),
    Step("Valuation visit", VALUATION, 10 * DAY, 60, "office", (("visit", 1.0),),
         norm_hours=5 * DAY, wait_sigma=0.5),
    Step("Valuation report delivered", VALUATION, 2 * DAY, 10, "office", EMAIL),
    Step("Credit check", UNDERWRITING, 18.0, 30, "office", (("web", 1.0),),
         norm_hours=3 * DAY, wait_sigma=0.5),
    Step("Additional documents requested", ADVICE, 6.0, 15, "office",
         (("email", 0.6), ("phone", 0.4)), share=0, intended=False),
    Step("Credit check resumed", UNDERWRITING, 2 * DAY, 20, "office", (("web", 1.0),), share=0,
         intended=False),
    Step("Offer issued", UNDERWRITING, 16.0, 20, "office", (("email", 0.8), ("letter", 0.2))),
    Step("Offer signed", ADVICE, 3 * DAY, 10, "always",
         (("app", 0.5), ("web", 0.4), ("letter", 0.1))),
    Step("Deed signed at notary", NOTARY, 5 * DAY, 45, "office", (("desk", 1.0),)),
    Step("Disbursement", PAYMENTS, 2.0, 5, "office", (("web", 1.0),), goal=True,
         score=Score(1, 10, 7.5, 0.35)),
)  # fmt: skip

MORTGAGE = Journey(
    name="mortgage",
    title="Mortgage journey across organisations",
    description=(
        "From an orientation conversation with an adviser, via the estate agent (makelaar), the "
        "application, a valuation by an independent valuer (taxateur), credit check and offer, to "
        "signing the deed at the notary (notaris) and disbursement. The `organisation` column "
        "tells the bank's own steps from those of the other organisations."
    ),
    steps=STEPS,
    staff={
        ADVICE: team(4, 6),
        AGENT: tuple(f"{n} (Van Dijk Makelaardij)" for n in team(12, 3)),
        "customer": ("customer",),
        APPLICATIONS: team(18, 3),
        BACK_OFFICE: team(22, 4),
        VALUATION: tuple(f"{n} (Taxatiebureau Hoekstra)" for n in team(27, 3)),
        UNDERWRITING: team(30, 5),
        NOTARY: tuple(f"mr. {n} (Notariskantoor Prins)" for n in team(35, 2)),
        PAYMENTS: team(38, 2),
    },
    segment=Segment(("first-time buyer", "mover", "refinance"), (0.45, 0.4, 0.15)),
    effects=Effects(
        bottleneck=("Valuation requested", "Valuation visit"),
        ping_pong=PingPong(
            "Credit check", "Additional documents requested", "Credit check resumed", 0.14
        ),
        skip=Skip("Orientation conversation", 0.15),
        rework=Rework(
            "Mortgage application submitted", 0.14, via=("Application returned for correction",)
        ),
        slow=SlowSegment("first-time buyer", "Credit check", 2.0),
        drop_offs=(DropOff("Offer issued", 0.12),),
    ),
    log=LogFormat(
        columns={
            "case_id": "application_id",
            "activity": "activity",
            "start_timestamp": "start_time",
            "timestamp": "end_time",
            "resource": "resource",
            "department": "department",
            "organisation": "organisation",
            "channel": "channel",
            "score": "satisfaction",
            "segment": "buyer_type",
        },
        sheet="mortgage",
    ),
    n_cases=900,
    case_prefix="MTG-",
    case_digits=6,
    first_case=1000,
    arrivals="office",
    season=(0.8, 0.9, 1.1, 1.1, 1.1, 1.0, 0.9, 0.9, 1.0, 1.1, 1.1, 1.0),
    organisations={
        "": "Own organisation",
        AGENT: "Makelaar",
        VALUATION: "Taxateur",
        NOTARY: "Notaris",
    },
)
