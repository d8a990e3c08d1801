"""What every report carries beside its results: the provenance record (the audit trail)."""

from discovery.report._provenance import (
    FileFingerprint,
    Provenance,
    fingerprint,
    provenance,
    software_version,
)

__all__ = ["FileFingerprint", "Provenance", "fingerprint", "provenance", "software_version"]
