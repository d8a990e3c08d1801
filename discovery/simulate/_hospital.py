"""Patient pathway from emergency department to discharge (Dutch log, ';', decimal commas)."""

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

SEH, LAB, RAD = "Spoedeisende Hulp", "Laboratorium", "Radiologie"
WARD, PHARMACY, DISCHARGE, OFFICE = (
    "Verpleegafdeling", "Apotheek", "Ontslagbureau", "Medisch secretariaat",
)  # fmt: skip
DESK = (("balie", 1.0),)

STEPS = (
    Step("Aanmelding SEH", SEH, 0, 4, "always", (("balie", 0.75), ("telefoon", 0.25)),
         staff="Balie SEH"),
    Step("Triage", SEH, 0.25, 8, "always", DESK, staff="Triage", norm_hours=0.25, wait_sigma=0.7),
    Step("Bloedafname", LAB, 0.5, 6, "always", DESK, parallel_group="diagnostiek"),
    Step("Röntgenonderzoek", RAD, 0.75, 15, "always", DESK, parallel_group="diagnostiek",
         norm_hours=1),
    Step("Beoordeling SEH-arts", SEH, 1.0, 20, "always", DESK, staff="SEH-artsen",
         score=Score(1, 10, 7.4, 0.35, 0.5), norm_hours=2),
    Step("Opname verpleegafdeling", WARD, 2.0, 15, "always", DESK, norm_hours=4, wait_sigma=0.3),
    Step("Terugplaatsing naar SEH", SEH, 1.5, 20, "always", DESK, staff="SEH-artsen", share=0,
         intended=False),
    Step("Heropname verpleegafdeling", WARD, 2.0, 15, "always", DESK, share=0, intended=False),
    Step("Behandeling", WARD, 4.0, 45, "always", DESK, staff="Zaalartsen"),
    Step("Ontslagbesluit", WARD, 20.0, 10, "office", DESK, staff="Zaalartsen"),
    Step("Medicatieoverdracht", PHARMACY, 3.0, 20, "office", DESK),
    Step("Nazorg aangevraagd", DISCHARGE, 3.0, 30, "office",
         (("telefoon", 0.6), ("e-mail", 0.4))),
    Step("Ontslag", DISCHARGE, 60.0, 15, "office", (("balie", 0.8), ("app", 0.2)), goal=True,
         score=Score(1, 10, 7.0, 0.4, 0.5), norm_hours=24),
    Step("Ontslagbrief verstuurd", OFFICE, 24.0, 10, "office", (("brief", 0.7), ("e-mail", 0.3)),
         norm_hours=48),
)  # fmt: skip

HOSPITAL = Journey(
    name="hospital",
    title="Patient pathway: emergency department to discharge",
    description=(
        "Patients arrive at the emergency department (Spoedeisende Hulp), are triaged, get blood "
        "drawn and an X-ray in either order, are seen by the emergency physician, admitted to a "
        "ward, treated and discharged once aftercare is arranged."
    ),
    steps=STEPS,
    staff={
        "Balie SEH": team(0, 5),
        "Triage": team(5, 6),
        LAB: team(11, 6),
        RAD: team(17, 5),
        "SEH-artsen": team(22, 6, "Dr. "),
        WARD: team(28, 10),
        "Zaalartsen": team(3, 6, "Dr. "),
        PHARMACY: team(13, 4),
        DISCHARGE: team(19, 4),
        OFFICE: team(31, 3),
    },
    segment=Segment(("0-17", "18-34", "35-54", "55-74", "75+"), (0.12, 0.2, 0.23, 0.25, 0.2)),
    effects=Effects(
        bottleneck=("Nazorg aangevraagd", "Ontslag"),
        ping_pong=PingPong(
            "Opname verpleegafdeling", "Terugplaatsing naar SEH", "Heropname verpleegafdeling", 0.15
        ),
        skip=Skip("Medicatieoverdracht", 0.12),
        rework=Rework("Bloedafname", 0.10),
        slow=SlowSegment("75+", "Opname verpleegafdeling", 2.0),
        drop_offs=(DropOff("Triage", 0.06),),
    ),
    log=LogFormat(
        columns={
            "case_id": "patiëntnummer",
            "activity": "activiteit",
            "start_timestamp": "starttijd",
            "timestamp": "eindtijd",
            "resource": "medewerker",
            "department": "afdeling",
            "channel": "kanaal",
            "score": "tevredenheid",
            "segment": "leeftijdsgroep",
        },
        delimiter=";",
        decimal=",",
        date_format="%d-%m-%Y %H:%M",
        excel_date_format="dd-mm-yyyy hh:mm",
        sheet="Patiëntstromen",
        title="Export patiëntstromen SEH tot ontslag, maart 2025 - februari 2026",
    ),
    n_cases=1500,
    case_prefix="P",
    case_digits=6,
    first_case=100,
    arrivals="emergency",
    season=(1.15, 1.1, 1.0, 0.95, 0.95, 0.9, 0.9, 0.9, 0.95, 1.0, 1.05, 1.15),
)
