"""Sign-up at a sports federation: web form to first contact, with drop-outs at payment."""

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

ONLINE, FINANCE, ADMIN = "Online", "Finance", "Member Administration"
FULFILMENT, SERVICES = "Fulfilment", "Member Services"
SELF = (("web", 0.65), ("app", 0.35))

STEPS = (
    Step("Web form started", ONLINE, 0, 4, "always", SELF, staff="self-service"),
    Step("Web form submitted", ONLINE, 0.1, 8, "always", SELF, staff="self-service",
         score=Score(1, 10, 7.8, 0.2), wait_sigma=1.0),
    Step("Payment mandate requested", FINANCE, 0.2, 1, "always", (("email", 1.0),),
         staff="system"),
    Step("Payment mandate signed", FINANCE, 20.0, 3, "always",
         (("web", 0.6), ("app", 0.3), ("letter", 0.1)), staff="self-service", wait_sigma=0.5),
    Step("Identity check", ADMIN, 16.0, 5, "office", (("web", 1.0),), norm_hours=48),
    Step("Membership activated", ADMIN, 4.0, 2, "office", (("email", 1.0),), goal=True,
         norm_hours=24),
    Step("First direct debit failed", FINANCE, 30.0, 5, "office", (("email", 1.0),),
         share=0, intended=False),
    Step("Membership reinstated", ADMIN, 24.0, 5, "office", (("email", 0.6), ("phone", 0.4)),
         share=0, intended=False),
    Step("Welcome pack sent", FULFILMENT, 6 * 24.0, 2, "office", (("letter", 1.0),),
         norm_hours=72, wait_sigma=0.4),
    Step("Welcome pack returned", FULFILMENT, 5 * 24.0, 1, "office", (("letter", 1.0),),
         share=0, intended=False),
    Step("First contact call", SERVICES, 48.0, 12, "office", (("phone", 1.0),),
         score=Score(1, 10, 8.0, 0.4), norm_hours=5 * 24),
)  # fmt: skip

MEMBERSHIP = Journey(
    name="membership",
    title="Sign-up at a sports federation",
    description=(
        "New members fill in a web form (web or app), receive and sign a direct-debit mandate, "
        "have their identity checked, are activated, get a welcome pack by post and a first "
        "phone call from member services. Many abandon the form or never sign the mandate."
    ),
    steps=STEPS,
    staff={
        "self-service": ("self-service",),
        "system": ("system",),
        FINANCE: team(2, 4),
        ADMIN: team(8, 6),
        FULFILMENT: team(16, 3),
        SERVICES: team(21, 5),
    },
    segment=Segment(("18-34", "35-54", "55+"), (0.45, 0.35, 0.2)),
    effects=Effects(
        bottleneck=("Membership activated", "Welcome pack sent"),
        ping_pong=PingPong(
            "Membership activated", "First direct debit failed", "Membership reinstated", 0.12
        ),
        skip=Skip("Identity check", 0.10),
        rework=Rework("Welcome pack sent", 0.09, via=("Welcome pack returned",)),
        slow=SlowSegment("55+", "Payment mandate signed", 2.0),
        drop_offs=(DropOff("Payment mandate requested", 0.20), DropOff("Web form started", 0.08)),
    ),
    log=LogFormat(
        columns={
            "case_id": "member_id",
            "activity": "activity",
            "start_timestamp": "started_at",
            "timestamp": "completed_at",
            "resource": "handled_by",
            "department": "department",
            "channel": "channel",
            "score": "rating",
            "segment": "age_group",
        },
        date_format="%Y-%m-%dT%H:%M:%S",
        sheet="members",
    ),
    n_cases=2000,
    case_prefix="M",
    case_digits=7,
    first_case=52000,
    arrivals="web",
    season=(1.3, 1.0, 0.9, 0.8, 0.8, 0.8, 0.9, 1.4, 1.6, 1.1, 0.9, 0.7),
)
