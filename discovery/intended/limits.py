"""How long conformance checking may align: the defaults of `check_conformance` and of
`journey conformance --time-limit/--time-budget`. A module of its own, so that the command
line knows them without importing the conformance check (and the layers beneath it)."""

from __future__ import annotations

# Seconds one variant may take to align before its alignment is approximated.
TIME_LIMIT_S = 10.0
# Seconds all variants may take together; the rest then get the trivial alignment at once.
TIME_BUDGET_S = 120.0
