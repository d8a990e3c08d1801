"""The analyses of a log in place (`discovery.engine.in_place.InPlaceLog`): the same results
as the local analyses, computed as Ibis queries on the log's own backend (DuckDB,
PostgreSQL, Spark); only small tables come back. The public analyses (`discover_map`,
`discover_variants`, `analyse_handoffs`, `find_bottlenecks`, `apply_filters`,
`sample_cases`) hand an `InPlaceLog` to these.

Medians and quantiles are exact, by linear interpolation between the two nearest values
(numpy's default): DuckDB's quantile_cont, PostgreSQL's percentile_cont, Spark's
percentile, as Ibis compiles `quantile`.
"""
