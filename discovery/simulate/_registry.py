"""The sample journeys by name."""

from __future__ import annotations

from ._complaints import COMPLAINTS
from ._hospital import HOSPITAL
from ._membership import MEMBERSHIP
from ._mortgage import MORTGAGE
from ._permit import PERMIT
from ._spec import Journey

JOURNEYS: dict[str, Journey] = {
    j.name: j for j in (HOSPITAL, PERMIT, MEMBERSHIP, COMPLAINTS, MORTGAGE)
}


def get_journey(journey: str | Journey) -> Journey:
    """A journey by name (or the journey itself)."""
    if isinstance(journey, str):
        if journey not in JOURNEYS:
            raise ValueError(f"unknown journey {journey!r}; choose from {', '.join(JOURNEYS)}")
        return JOURNEYS[journey]
    return journey
