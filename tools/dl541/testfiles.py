"""Read Otter exception-based test files: points, public/hidden cases, and the public-only copy."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from otter.test_files.exception_test import ExceptionTestFile


@dataclass(frozen=True)
class CaseInfo:
    name: str
    points: float
    hidden: bool


def load(path: Path) -> ExceptionTestFile:
    """Parse one test file with Otter's own parser (the exact object Otter grades with)."""
    return ExceptionTestFile.from_file(str(path))


def cases(path: Path) -> list[CaseInfo]:
    """The test cases of a file with their resolved points."""
    return [CaseInfo(tc.name, float(tc.points), bool(tc.hidden)) for tc in load(path).test_cases]


def question_points(paths: list[Path]) -> dict[str, float]:
    """Map question name to its total points."""
    out = {}
    for path in paths:
        tf = load(path)
        out[tf.name] = float(tf.possible)
    return out


def is_hidden_case(node: ast.stmt) -> bool:
    """Whether a top-level statement of a test file is a `@test_case(hidden=True)` function."""
    if not isinstance(node, ast.FunctionDef):
        return False
    for deco in node.decorator_list:
        if isinstance(deco, ast.Call) and getattr(deco.func, "id", None) == "test_case":
            for kw in deco.keywords:
                if kw.arg == "hidden":
                    return bool(ast.literal_eval(kw.value))
    return False


_KEEP = {"OK_FORMAT", "name", "points", "all_or_nothing"}


def public_source(source: str) -> str:
    """The test file without its hidden cases, and without top-level helpers only they used."""
    tree = ast.parse(source)
    body = [node for node in tree.body if not is_hidden_case(node)]
    changed = True
    while changed:
        changed = False
        used = {
            n.id
            for node in body
            for n in ast.walk(node)
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)
        }
        used |= {n.attr for node in body for n in ast.walk(node) if isinstance(n, ast.Attribute)}
        kept = []
        for node in body:
            names = _defined_names(node)
            is_case = isinstance(node, ast.FunctionDef) and node.decorator_list
            if names and not is_case and not (names & (used | _KEEP)):
                changed = True
                continue
            kept.append(node)
        body = kept
    tree.body = body
    return ast.unparse(tree) + "\n"


def _defined_names(node: ast.stmt) -> set[str]:
    if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.Assign):
        return {t.id for t in node.targets if isinstance(t, ast.Name)}
    return set()
