"""The shape of the harness stays easy to change: no import circle, small modules, one home per fact."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dl541.status import Status

PACKAGE = Path(__file__).resolve().parents[1] / "tools" / "dl541"
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The dl541 modules that `name` imports at any level (relative imports resolved)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                out.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("dl541"):
            out.add(node.module)
    return out & set(modules)


def test_no_import_circle():
    modules = _modules()
    graph = {name: _imports(name, path, modules) - {name} for name, path in modules.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for nxt in sorted(graph[name]):
            if nxt.startswith(name + ".") or name.startswith(nxt + "."):
                continue  # a package and its own modules
            if state.get(nxt) == 1:
                pytest.fail("import circle: " + " -> ".join([*path[path.index(nxt) :], nxt]))
            if nxt not in state:
                visit(nxt, [*path, nxt])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_no_module_over_400_lines():
    sizes = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines()) for p in _modules().values()}
    over = {name: n for name, n in sizes.items() if n > MAX_LINES}
    assert over == {}


def test_status_names_live_only_in_the_status_enum():
    names = "|".join(s.value for s in Status)
    literal = re.compile(r"""["'](""" + names + r""")["']""")
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in _modules().values()
        if path.name != "status.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if literal.search(line) and "message.get(" not in line
    ]
    assert found == []


def test_assignment_paths_are_built_only_by_the_assignment():
    # a path segment made from an assignment's name: f"{name}.py", / name / ..., f"{assignment}..."
    built = re.compile(
        r"""(/\s*(name|assignment)\s*/|f["'][^"']*\{(name|assignment(\.name)?)\}\.(py|ipynb)["'])"""
    )
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in _modules().values()
        if path.name != "assignment.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if built.search(line)
    ]
    assert found == []
