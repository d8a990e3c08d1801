"""Process mining on an event log: maps, variants, handoffs, bottlenecks, timing, filters,
simplification, cases, discovered models, and the findings read from them."""
