"""The paths and steps of two process maps side by side: how often, how long the wait,
and which are new or gone."""

from __future__ import annotations

import pandas as pd

from discovery.mining.maps import ProcessMap

EDGE_COLUMNS = [
    "source", "target", "status", "frequency_a", "frequency_b", "cases_a", "cases_b",
    "per_case_a", "per_case_b", "frequency_ratio", "wait_median_a_s", "wait_median_b_s",
    "wait_ratio",
]  # fmt: skip
NODE_COLUMNS = [
    "name", "status", "events_a", "events_b", "cases_a", "cases_b", "per_case_a", "per_case_b",
    "frequency_ratio",
]  # fmt: skip


def edge_changes(map_a: ProcessMap, map_b: ProcessMap, cases: tuple[int, int]) -> pd.DataFrame:
    """Every path of either map: source, target, status ("both", "new": only in b,
    "vanished": only in a), frequency_a/b and cases_a/b (0 where absent), per_case_a/b
    (frequency per case of its log, so that logs of different sizes compare),
    frequency_ratio (per_case_b / per_case_a; NaN unless in both), wait_median_a_s/b_s
    (NaN where absent) and wait_ratio (b / a). Most frequent in either first.

    >>> edge_changes(discover_map(a), discover_map(b), (a.n_cases, b.n_cases))  # doctest: +SKIP
    """
    keys = ["source", "target"]
    table = _sides(map_a.edges, map_b.edges, keys, ["frequency", "cases", "wait_median_s"])
    table = _changed(table, "frequency", cases)
    table["wait_ratio"] = table["wait_median_b_s"] / table["wait_median_a_s"]
    table.loc[table["wait_median_a_s"] <= 0, "wait_ratio"] = float("nan")
    return _ordered(table, "frequency", keys)[EDGE_COLUMNS]


def node_changes(map_a: ProcessMap, map_b: ProcessMap, cases: tuple[int, int]) -> pd.DataFrame:
    """Every step of either map: name, status, events_a/b, cases_a/b, per_case_a/b
    (events per case of its log) and frequency_ratio, as for the paths."""
    table = _sides(map_a.nodes, map_b.nodes, ["name"], ["events", "cases"])
    return _ordered(_changed(table, "events", cases), "events", ["name"])[NODE_COLUMNS]


def _sides(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], values: list[str]) -> pd.DataFrame:
    """Both tables in one, by `keys`: each value column as `<column>_a` and `<column>_b`."""

    def named(frame: pd.DataFrame, side: str) -> pd.DataFrame:
        return frame[[*keys, *values]].rename(columns={v: f"{v.removesuffix('_s')}_{side}"
                                                        + ("_s" if v.endswith("_s") else "")
                                                        for v in values})  # fmt: skip

    return named(a, "a").merge(named(b, "b"), on=keys, how="outer")


def _changed(table: pd.DataFrame, count: str, cases: tuple[int, int]) -> pd.DataFrame:
    in_a, in_b = table[f"{count}_a"].notna(), table[f"{count}_b"].notna()
    table["status"] = "both"
    table.loc[~in_a, "status"] = "new"
    table.loc[~in_b, "status"] = "vanished"
    for column in (f"{count}_a", f"{count}_b", "cases_a", "cases_b"):
        table[column] = table[column].fillna(0).astype("int64")
    for side, n in zip("ab", cases, strict=True):
        table[f"per_case_{side}"] = table[f"{count}_{side}"] / n if n else float("nan")
    ratio = table["per_case_b"] / table["per_case_a"]
    table["frequency_ratio"] = ratio.where(in_a & in_b)
    return table


def _ordered(table: pd.DataFrame, count: str, keys: list[str]) -> pd.DataFrame:
    most = table[[f"{count}_a", f"{count}_b"]].max(axis=1)
    table = table.assign(_most=most).sort_values(keys)
    table = table.sort_values("_most", ascending=False, kind="stable")
    return table.drop(columns="_most").reset_index(drop=True)
