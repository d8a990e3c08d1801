import pandas as pd
import pytest

from discovery.log.event_log import to_event_log
from discovery.mining.variants import discover_variants
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


def test_coverage_of_the_most_frequent_variants():
    sequences = [("A", "B")] * 5 + [("A", x) for x in "CDEF"]
    rows = [
        {"case": f"c{i}", "activity": activity, "timestamp": f"2024-01-01 10:0{j}"}
        for i, sequence in enumerate(sequences)
        for j, activity in enumerate(sequence)
    ]
    table = discover_variants(to_event_log(pd.DataFrame(rows)))
    assert table.coverage(1) == pytest.approx(5 / 9)  # A B: 5 of the 9 cases
    assert table.coverage(3) == pytest.approx(7 / 9)
    assert table.coverage(10) == 1.0  # fewer variants than asked: all of them


def test_cumulative_share_ends_at_exactly_one():
    # shares 5/9, 1/9, 1/9, 1/9, 1/9 summed one by one give 1.0000000000000002, beyond the
    # JSON schema's maximum of 1 (helpdesk and receipt did so)
    sequences = [("A", "B")] * 5 + [("A", x) for x in "CDEF"]
    rows = [
        {"case": f"c{i}", "activity": activity, "timestamp": f"2024-01-01 10:0{j}"}
        for i, sequence in enumerate(sequences)
        for j, activity in enumerate(sequence)
    ]
    shares = discover_variants(to_event_log(pd.DataFrame(rows))).variants["cumulative_share"]
    assert shares.iloc[-1] == 1.0
    assert shares.is_monotonic_increasing and (shares <= 1).all()


@pytest.mark.parametrize("values", [128, 32_768])
def test_variants_of_activities_with_narrow_codes(values):
    """128 (32,768) activities have int8 (int16) codes: each case's codes are read back as such."""
    from discovery.mining.variants import case_variants
    from tests.handworked import many_values_log

    variants = case_variants(many_values_log(values))
    # every case is its own variant, "V<i>" → "End"; ties ranked by sequence
    assert variants.variant.tolist() == list(range(1, values))
    assert variants.sequences[0] == ("V00000", "End")
    assert variants.sequences[-1] == (f"V{values - 2:05d}", "End")
