"""The counting kernels against pandas on random events: the flags route and the sorting
route (taken beyond `SEEN_CELLS`) give the same counts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from discovery.engine import _kernels
from discovery.engine._kernels import CaseCodes, cases_per_key, numbered


def _random_cases(seed: int) -> tuple[np.ndarray, np.ndarray, int]:
    rng = np.random.default_rng(seed)
    case = np.sort(rng.integers(0, 300, 5_000)).astype(np.int32)
    case = np.unique(case, return_inverse=True)[1].astype(np.int32)  # cases 0..n-1, no gaps
    size = 17
    return case, rng.integers(0, size, len(case)).astype(np.int8), size


@pytest.fixture(params=["flags", "sorting"])
def route(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sorting":
        monkeypatch.setattr(_kernels, "SEEN_CELLS", 0)
    return str(request.param)


@pytest.mark.parametrize("seed", range(3))
def test_cases_per_key_counts_each_case_once(route: str, seed: int) -> None:
    case, key, size = _random_cases(seed)
    expected = pd.DataFrame({"case": case, "key": key}).groupby("key")["case"].nunique()
    found = cases_per_key(case, key, size)
    assert found.tolist() == expected.reindex(range(size), fill_value=0).tolist()


@pytest.mark.parametrize("seed", range(3))
def test_distinct_per_case_and_repeats_agree_with_pandas(route: str, seed: int) -> None:
    case, codes, size = _random_cases(seed)
    bounds = np.append(np.flatnonzero(np.diff(case, prepend=-1)), len(case))
    found = CaseCodes(codes, bounds, [str(code) for code in range(size)])
    frame = pd.DataFrame({"case": case, "code": codes})
    assert found.distinct_per_case().tolist() == frame.groupby("case")["code"].nunique().tolist()
    n = frame.value_counts(["case", "code"]).rename("n").reset_index()
    again = n[n["n"] > 1]
    cases, repeats = found.repeats()
    by_code = again.groupby("code")
    assert cases.tolist() == by_code.size().reindex(range(size), fill_value=0).tolist()
    expected = (by_code["n"].sum() - by_code.size()).reindex(range(size), fill_value=0)
    assert repeats.tolist() == expected.tolist()


def test_numbered_keeps_the_order_of_the_keys_and_narrow_numbers() -> None:
    keys = np.array([40, 3, 40, 7, 3], dtype=np.int64)
    number, distinct = numbered(keys)
    assert distinct.tolist() == [3, 7, 40]
    assert number.tolist() == [2, 0, 2, 1, 0]
    assert number.dtype == np.int16
