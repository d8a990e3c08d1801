"""The layers of `discovery` (ARCHITECTURE.md): no import cycles, and no layer reaching up.

Imports are read from the source with `ast`, including those inside functions, so a lazy
import cannot hide a cycle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from discovery.errors import LogError
from discovery.io.yaml import read_yaml
from discovery.log.schema import normalize_header

PACKAGE = Path(__file__).resolve().parents[1] / "discovery"

# Lowest first: a module may import its own layer and the layers before it, never after.
LAYERS = (
    ("discovery.words",),
    ("discovery.errors", "discovery._json", "discovery._lazy", "discovery._threads"),
    ("discovery.values",),
    ("discovery.io",),
    ("discovery.log",),
    ("discovery.engine",),
    ("discovery.mining",),
    ("discovery.intended",),
    ("discovery.lens",),
    ("discovery.compare",),
    ("discovery.viz",),
    ("discovery.report",),
    ("discovery.workspace",),
    ("discovery.cli", "discovery"),
)
SEPARATE = "discovery.simulate"  # the sample-log simulator: imports only itself


def modules() -> dict[str, Path]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The package's modules that `name` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found |= {target for target in targets if target in known and target != name}
    return found


def import_graph() -> dict[str, set[str]]:
    found = modules()
    return {name: imports(name, path, set(found)) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def layer(name: str) -> int:
    """The layer of a module: the longest matching prefix decides."""
    best, depth = -1, -1
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = number, len(prefix)
    return best


def test_the_cycle_finder_finds_a_cycle_and_a_lazy_import(tmp_path):
    """The checks below can fail: a hand-made package with a function-level cycle."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]
    source = tmp_path / "m.py"
    source.write_text("def f():\n    from discovery.log import schema\n")
    assert imports("discovery.m", source, {"discovery.log", "discovery.log.schema"}) == {
        "discovery.log",
        "discovery.log.schema",
    }


def test_no_import_cycles_inside_discovery():
    assert cycles(import_graph()) == []


def test_every_module_has_a_layer():
    unplaced = [m for m in modules() if layer(m) < 0 and not m.startswith(SEPARATE)]
    assert unplaced == []


def test_no_layer_imports_a_higher_one():
    upward = sorted(
        f"{name} -> {target}"
        for name, targets in import_graph().items()
        if not name.startswith(SEPARATE)
        for target in targets
        if layer(target) > layer(name)
    )
    assert upward == []


def test_the_simulator_and_the_words_stand_alone():
    graph = import_graph()
    for name, targets in graph.items():
        if name.startswith(SEPARATE):
            assert all(t.startswith(SEPARATE) for t in targets), name
        if name.startswith("discovery.words"):
            assert all(t.startswith("discovery.words") for t in targets), name


def test_one_header_normaliser_for_logs_journeys_and_stages():
    """The bug this fixed: "Behandeld door" and "Max wait (hours)" reach the same words."""
    assert normalize_header("Behandeld door") == normalize_header("behandeld_door")
    assert normalize_header("Max wait (hours)") == normalize_header("max_wait_hours")
    assert normalize_header("Patiënt-nr") == "patientnr"
    normalisers = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "def normalize_header" in path.read_text(encoding="utf-8")
        or re.search(
            r"def _key\(header|lower\(\)\.replace\(\" \", \"_\"\)", path.read_text("utf-8")
        )
    ]
    assert normalisers == ["log/schema.py"]


def test_one_yaml_loader_refuses_aliases(tmp_path):
    """A few bytes of `*alias` can expand into a billion nodes: aliases are refused."""
    bomb = tmp_path / "journey.yaml"
    bomb.write_text("a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n")
    with pytest.raises(LogError, match="aliases"):
        read_yaml(bomb, "journey.yaml")
    loaders = [
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "safe_load(" in path.read_text(encoding="utf-8")
        or "yaml.load(" in path.read_text(encoding="utf-8")
    ]
    assert loaders == ["io/yaml.py"]
