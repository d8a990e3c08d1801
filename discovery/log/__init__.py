"""The canonical event log: column roles (schema), lifecycle merging, the quality report, and
`EventLog` itself, built from a raw table that `discovery.io` read."""
