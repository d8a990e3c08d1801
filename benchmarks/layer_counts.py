"""The structure figures of issue 12 for a source tree, to compare two commits:

    .venv/bin/python benchmarks/layer_counts.py                 # this checkout
    git archive ea73ed5 | tar -x -C /tmp/old
    .venv/bin/python benchmarks/layer_counts.py /tmp/old        # an older tree

Prints: modules importing ibis or duckdb, lines with a language branch (`language == "nl"`
or `dutch`), lines of ui/cache.py, and import cycles (found as tests/test_layers.py finds
them, function-level imports included).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import test_layers


def main(root: Path) -> None:
    sources = sorted((root / "discovery").rglob("*.py"))
    backend = re.compile(r"^\s*(import|from) (ibis|duckdb)\b", re.M)
    branch = re.compile(r'language == "nl"|dutch')
    texts = {path: path.read_text(encoding="utf-8") for path in sources}
    test_layers.PACKAGE = root / "discovery"
    cycles = test_layers.cycles(test_layers.import_graph())
    print(f"tree: {root}")
    importing = sum(bool(backend.search(text)) for text in texts.values())
    print(f"modules importing ibis or duckdb: {importing}")
    print(f"lines with a language branch: {sum(len(branch.findall(t)) for t in texts.values())}")
    cache = root / "ui" / "cache.py"
    print(f"lines of ui/cache.py: {len(cache.read_text(encoding='utf-8').splitlines())}")
    print(f"import cycles: {len(cycles)} ({sum(map(len, cycles))} modules)")
    for cycle in cycles:
        print("  " + " ↔ ".join(cycle))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
