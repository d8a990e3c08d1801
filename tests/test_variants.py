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


@pytest.mark.parametrize("values", [128, 32_768])
def test_variants_of_activities_with_narrow_codes(values):
    """128 (32,768) activities have int8 (int16) codes: each case's codes are read back as such."""
    from discovery.variants import case_variants
    from tests.handworked import many_values_log

    variants = case_variants(many_values_log(values))
    # every case is its own variant, "V<i>" → "End"; ties ranked by sequence
    assert variants.variant.tolist() == list(range(1, values))
    assert variants.sequences[0] == ("V00000", "End")
    assert variants.sequences[-1] == (f"V{values - 2:05d}", "End")
