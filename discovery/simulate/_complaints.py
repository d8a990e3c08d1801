"""Complaint handling at a utility: intake to closure, with reopenings and the ombudsman."""

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

SERVICE, DESK, BILLING, OMBUDSMAN = (
    "Customer Service", "Complaints Desk", "Billing", "Ombudsman",
)  # fmt: skip
DAY = 24.0

STEPS = (
    Step("Complaint received", SERVICE, 0, 8, "always",
         (("phone", 0.35), ("email", 0.3), ("web", 0.25), ("letter", 0.1))),
    Step("Complaint registered", DESK, 6.0, 10, "office", (("web", 1.0),), norm_hours=DAY),
    Step("Assigned to department", DESK, 4.0, 5, "office", (("web", 1.0),)),
    Step("Investigation", BILLING, 5 * DAY, 60, "office", (("web", 1.0),), norm_hours=3 * DAY,
         wait_sigma=0.5),
    Step("Returned to Complaints Desk", DESK, 1 * DAY, 10, "office", (("web", 1.0),), share=0,
         intended=False),
    Step("Reassigned to Billing", BILLING, 8.0, 5, "office", (("web", 1.0),), share=0,
         intended=False),
    Step("Customer contacted", BILLING, 1 * DAY, 15, "office", (("phone", 0.7), ("email", 0.3)),
         score=Score(1, 5, 3.6, 0.25), norm_hours=2 * DAY),
    Step("Resolution proposed", BILLING, 12.0, 20, "office",
         (("email", 0.6), ("letter", 0.2), ("phone", 0.2)), wait_sigma=0.4),
    Step("Complaint closed", SERVICE, 2.5 * DAY, 5, "office", (("email", 0.7), ("letter", 0.3)),
         goal=True, score=Score(1, 5, 3.4, 0.3)),
    Step("Complaint reopened", SERVICE, 10 * DAY, 8, "always", (("phone", 0.6), ("email", 0.4)),
         share=0, intended=False),
    Step("Escalated to ombudsman", OMBUDSMAN, 14 * DAY, 10, "always",
         (("letter", 0.5), ("web", 0.5)), share=0.05, optional_group="ombudsman"),
    Step("Ombudsman ruling", OMBUDSMAN, 30 * DAY, 30, "office", (("letter", 1.0),), share=0.05,
         optional_group="ombudsman"),
)  # fmt: skip

COMPLAINTS = Journey(
    name="complaints",
    title="Complaint handling",
    description=(
        "Complaints arrive by phone, email, web form or letter, are registered and assigned to a "
        "department (Billing), investigated, discussed with the customer and resolved; some are "
        "reopened, a few go to the ombudsman. One timestamp per event; rows in time order."
    ),
    steps=STEPS,
    staff={
        SERVICE: team(1, 8),
        DESK: team(10, 4),
        BILLING: team(15, 7),
        OMBUDSMAN: ("Ombudsman",),
    },
    segment=Segment(("consumer", "business"), (0.75, 0.25)),
    effects=Effects(
        bottleneck=("Assigned to department", "Investigation"),
        ping_pong=PingPong(
            "Investigation", "Returned to Complaints Desk", "Reassigned to Billing", 0.18
        ),
        skip=Skip("Customer contacted", 0.15),
        rework=Rework("Complaint closed", 0.08, via=("Complaint reopened",)),
        slow=SlowSegment("business", "Resolution proposed", 2.0),
        drop_offs=(DropOff("Resolution proposed", 0.09),),
        score_penalty=1.0,
    ),
    log=LogFormat(
        columns={
            "case_id": "complaint_id",
            "activity": "activity",
            "timestamp": "timestamp",
            "resource": "employee",
            "department": "department",
            "channel": "channel",
            "score": "satisfaction",
            "segment": "customer_type",
        },
        sheet="complaints",
        sort="time",
    ),
    n_cases=1800,
    case_prefix="CMP",
    case_digits=6,
    first_case=800,
    arrivals="web",
    season=(1.4, 1.1, 1.0, 0.9, 0.9, 0.9, 0.8, 0.8, 1.0, 1.0, 1.0, 1.1),
)
