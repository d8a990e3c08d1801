"""The planted improvement: the hospital's bottleneck wait halved for the patients who
arrive from 1 September 2025 on, for testing before/after comparisons. Not a sample file of
its own: `simulate("hospital", improvement=IMPROVEMENT)` is hospital.csv with those waits
(and the times after them) changed, every other value the same."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ._engine import run
from ._measure import waits_before
from ._spec import Improvement, Journey

IMPROVEMENT = Improvement(step="Ontslag", factor=0.5, after="2025-09-01")
IMPROVED_JOURNEY = "hospital"


def improvement_truth(journey: Journey, seed: int, improvement: Improvement) -> dict[str, Any]:
    """The ground-truth entry of the improvement: what was planted, and the median wait
    before the step's first occurrence, before and after the date, as realised."""
    frame, _ = run(journey, journey.n_cases, seed, improvement)
    before, after = _split_waits(frame, improvement)
    source = journey.steps[journey.index(improvement.step) - 1].activity
    return {
        "journey": journey.name,
        "step": improvement.step,
        "bottleneck": [source, improvement.step],
        "factor": improvement.factor,
        "cases_arriving_from": improvement.after,
        "how": f'simulate("{journey.name}", improvement=IMPROVEMENT) from discovery.simulate: '
        f"{journey.name}.csv with those waits changed (not a file of its own)",
        "realised_median_wait_hours_before": round(float(before.median()), 1),
        "realised_median_wait_hours_after": round(float(after.median()), 1),
        "realised_factor": round(float(after.median() / before.median()), 3),
        "measure": "median wait before the step's first occurrence, cases whose first event "
        "is on or after the date / cases before it",
    }


def _split_waits(frame: pd.DataFrame, improvement: Improvement) -> tuple[pd.Series, pd.Series]:
    waits = waits_before(frame, improvement.step).set_index("case_id")["wait_hours"]
    first = frame.groupby("case_id", observed=True)["start_timestamp"].min()
    late = first.reindex(waits.index) >= pd.Timestamp(improvement.after)
    return waits[~late], waits[late]
