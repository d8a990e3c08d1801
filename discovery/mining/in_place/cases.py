"""The case sample for the case explorer, drawn where the log lives."""

from __future__ import annotations

import pandas as pd

from discovery.engine import expressions as expr
from discovery.engine.in_place import InPlaceLog, md5, run_in_place
from discovery.mining.in_place.variants import case_variant_numbers


def sample_in_place(log: InPlaceLog, per_variant: int = 3, seed: int = 0) -> pd.DataFrame:
    """The frame of `sample_cases`: up to `per_variant` cases of each variant (variant,
    variant_cases, case_id, throughput_s), ordered by variant, then by the draw. The draw
    orders a variant's cases by the MD5 of the case id and the seed (then the id), which
    every backend computes alike: the same sample on DuckDB, PostgreSQL and Spark (not
    the local route's, which draws by DuckDB's hash)."""
    cases, variants = case_variant_numbers(log)
    draw = md5(cases.case_id.concat(expr.literal(f"\x1f{seed}")))
    window = expr.window(group_by=cases.sequence, order_by=[draw, cases.case_id])
    ranked = cases.mutate(draw_rank=expr.row_number().over(window))
    frame = run_in_place(
        ranked.filter(ranked.draw_rank < per_variant).select(
            "sequence", "case_id", "throughput_us", "draw_rank"
        )
    )
    number = dict(zip(variants["sequence"], variants["variant"], strict=True))
    size = dict(zip(variants["sequence"], variants["cases"], strict=True))
    keys = frame["sequence"].astype(str)
    sample = pd.DataFrame(
        {
            "variant": keys.map(number).astype("int64"),
            "variant_cases": keys.map(size).astype("int64"),
            "case_id": frame["case_id"].astype(str),
            "throughput_s": frame["throughput_us"].astype("int64") / 1_000_000,
            "draw_rank": frame["draw_rank"],
        }
    )
    sample = sample.sort_values(["variant", "draw_rank"]).drop(columns="draw_rank")
    return sample.reset_index(drop=True)
