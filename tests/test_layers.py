"""Guard tests for the package structure: import layers and the public API."""

from __future__ import annotations

import ast
from pathlib import Path

import allygraph

SRC = Path(__file__).resolve().parents[1] / "src" / "allygraph"

# Each layer may import only the layers listed before it (plus the floor).
ORDER = ["corpus", "extract", "resolve", "link", "model", "validate", "store", "export", "serve"]
FLOOR = {"errors", "settings", "vocab", "records", "__init__"}
# serve and export read through store/model, never through the extraction layers.
FORBIDDEN = {"serve": {"corpus", "extract", "resolve"}, "export": {"corpus", "extract", "resolve"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("allygraph"):
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.startswith("allygraph"))
    return names


def test_layers_import_only_upwards() -> None:
    """No layer imports a layer below it (link may use resolve, never serve)."""
    problems = []
    for index, layer in enumerate(ORDER):
        allowed = set(ORDER[: index + 1]) | FLOOR
        for path in (SRC / layer).rglob("*.py"):
            for module in _imports(path):
                parts = module.split(".")
                if len(parts) < 2:
                    continue
                target = parts[1]
                if target not in allowed or target in FORBIDDEN.get(layer, set()):
                    problems.append(f"{path.relative_to(SRC)} imports {module}")
    assert problems == []


def test_floor_imports_no_layer() -> None:
    """The floor modules import nothing but each other."""
    for name in FLOOR - {"__init__"}:
        for module in _imports(SRC / f"{name}.py"):
            assert module.split(".")[1] in FLOOR, f"{name}.py imports {module}"


def test_public_api_is_sorted_and_exported() -> None:
    """__all__ is sorted and every name in it exists."""
    names = allygraph.__all__
    assert names == sorted(names, key=str.lower) or names == sorted(names)
    for name in names:
        assert hasattr(allygraph, name), name
