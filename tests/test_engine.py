"""The engine's array counts, against plain Python counting."""

from collections import Counter

import numpy as np
import pytest

from discovery import engine


@pytest.mark.parametrize("dense", [True, False])
def test_distinct_pairs_count_each_case_and_code_once(monkeypatch, dense):
    if not dense:
        monkeypatch.setattr(engine, "DENSE_CELLS", 0)  # the sorting route
    rng = np.random.default_rng(7)
    case = np.sort(rng.integers(0, 500, 20_000))
    codes = rng.integers(0, 130, 20_000).astype(np.int16)
    expected = Counter(zip(case.tolist(), codes.tolist(), strict=True))
    got_case, got_code, got_n = engine.distinct_pairs(case, codes)
    assert list(zip(got_case.tolist(), got_code.tolist(), strict=True)) == sorted(expected)
    assert got_n.tolist() == [expected[key] for key in sorted(expected)]
    assert [len(part) for part in engine.distinct_pairs(case[:0], codes[:0])] == [0, 0, 0]
