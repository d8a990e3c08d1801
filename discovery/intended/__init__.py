"""The intended journey: its model, rules, the files it is read from (CSV, YAML, BPMN), and
how the discovered journey conforms to it and compares with it."""
