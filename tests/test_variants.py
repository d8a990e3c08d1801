import pytest

from discovery.variants import discover_variants
from tests.handworked import handworked_log


def test_variants_with_shares_and_throughput():
    table = discover_variants(handworked_log()).variants
    assert table["activities"].tolist() == [
        ("Intake", "Check", "Check", "Decide"),
        ("Intake", "Check", "Intake", "Decide"),
        ("Intake", "Decide"),
    ]
    assert table["cases"].tolist() == [1, 1, 1]
    assert table["share"].tolist() == pytest.approx([1 / 3] * 3)
    assert table["cumulative_share"].iloc[-1] == pytest.approx(1.0)
    # case 3: 09:00 → 13:30; case 1: 08:30 → 13:00; case 2: 08:00 → 11:00
    assert table["throughput_median_s"].tolist() == [4.5 * 3600, 4.5 * 3600, 3 * 3600]
