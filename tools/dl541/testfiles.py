"""Read Otter exception-based test files: points, public/hidden cases, and the public-only copy."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from otter.test_files.exception_test import ExceptionTestFile

from .assignment import HELPERS_MODULE


@dataclass(frozen=True)
class CaseInfo:
    name: str
    points: float
    hidden: bool


def assembled_source(path: Path) -> str:
    """The test file as Otter gets it: its `from helpers import ...` replaced by those definitions.

    The helpers they call come too, so the file stands alone (Otter runs each test file by itself).
    The helpers module (`Assignment.helpers`) is found as Python would: beside the test file.
    """
    source = path.read_text()
    imports = [
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.ImportFrom) and node.module == HELPERS_MODULE and node.level == 0
    ]
    if not imports:
        return source
    helpers_path = path.with_name(f"{HELPERS_MODULE}.py")
    helpers_source = helpers_path.read_text()
    defined = {
        node.name: node
        for node in ast.parse(helpers_source).body
        if isinstance(node, (ast.FunctionDef, ast.ClassDef))
    }
    wanted = [alias.name for node in imports for alias in node.names]
    unknown = [name for name in wanted if name not in defined]
    renamed = [alias.name for node in imports for alias in node.names if alias.asname]
    if unknown or renamed:
        raise ValueError(
            f"{path}: `from {HELPERS_MODULE} import` names {unknown or renamed}, which {helpers_path} "
            "does not define" + (" under that name (no `as` renaming)" if renamed else "")
        )
    chosen, todo = set(), list(wanted)
    while todo:  # the helpers the wanted ones call, and so on
        name = todo.pop()
        if name not in chosen:
            chosen.add(name)
            todo += [n.id for n in ast.walk(defined[name]) if isinstance(n, ast.Name) and n.id in defined]
    block = "\n\n\n".join(
        ast.get_source_segment(helpers_source, node) for name, node in defined.items() if name in chosen
    )
    lines = source.splitlines(keepends=True)
    for number, node in enumerate(sorted(imports, key=lambda n: n.lineno, reverse=True)):
        replacement = [block + "\n"] if number == len(imports) - 1 else []
        lines[node.lineno - 1 : node.end_lineno] = replacement
    return "".join(lines)


def parse_test_file(path: Path) -> ExceptionTestFile:
    """Parse one test file with Otter's own parser (the exact object Otter grades with)."""
    return ExceptionTestFile.from_string(assembled_source(path), path=str(path))


def cases(path: Path) -> list[CaseInfo]:
    """The test cases of a file with their resolved points."""
    return [CaseInfo(tc.name, float(tc.points), bool(tc.hidden)) for tc in parse_test_file(path).test_cases]


def question_points(question_files: list[Path]) -> dict[str, float]:
    """Map question name to its total points."""
    out = {}
    for path in question_files:
        tf = parse_test_file(path)
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
