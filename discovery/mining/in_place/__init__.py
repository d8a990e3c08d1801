"""The analyses of a log in place (`discovery.engine.in_place.InPlaceLog`): the same results
as the local analyses, computed as Ibis queries on the log's own backend (DuckDB,
PostgreSQL, Spark); only small tables come back. The public analyses (`discover_map`,
`discover_variants`, `analyse_handoffs`, `find_bottlenecks`, `apply_filters`,
`sample_cases`) hand an `InPlaceLog` to these.

Every float follows one definition on every backend, so that all are equal to the last bit.
Medians and P90s: `discovery.mining._map_arrays.interpolated` (DuckDB's quantile_cont), the
values at floor and ceil of (n - 1) * q, interpolated as lo * (1 - d) + hi * d rounded once.
No backend's own quantile is used (PostgreSQL's percentile_cont and Spark's percentile
round otherwise): only exact order statistics are found where the log lives (each group's
values in order, in whole microseconds), and the few values around each quantile's place
come back to be interpolated here (`_quantiles`). Totals are summed in whole microseconds
(exact integers) and divided once; means are those totals divided by the counts.
"""
