"""The report the renderers' tests (Excel, HTML, PDF) lay out, built one way for all."""

import datetime as dt
from pathlib import Path

from discovery import read_intended_journey
from discovery.report import build_report

SAMPLE_LOGS = Path(__file__).resolve().parents[1] / "sample_logs"
HOSPITAL = SAMPLE_LOGS / "hospital.csv"
HOSPITAL_INTENDED = SAMPLE_LOGS / "hospital_intended.csv"
REPORT_MADE_AT = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


def build_hospital_report(log):
    """The report the renderers' tests lay out: hospital.csv with its intended journey,
    tracer cases by deviation, made at `REPORT_MADE_AT`."""
    return build_report(
        log,
        source=HOSPITAL,
        intended=read_intended_journey(HOSPITAL_INTENDED),
        intended_source=HOSPITAL_INTENDED,
        tracers_by="deviation",
        made_at=REPORT_MADE_AT,
    )
